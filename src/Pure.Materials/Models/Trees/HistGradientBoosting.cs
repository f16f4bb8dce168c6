using System.Text;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>Names when a histogram gradient-boosting fit stops early on a validation split (scikit-learn <c>early_stopping</c>).</summary>
public enum EarlyStopping
{
    /// <summary>On when the training set has more than 10000 rows (scikit-learn <c>"auto"</c>, the default).</summary>
    Auto,

    /// <summary>Always on.</summary>
    On,

    /// <summary>Always off: exactly <c>max_iter</c> trees.</summary>
    Off,
}

/// <summary>Names the loss a histogram gradient-boosting regressor minimises (scikit-learn <c>loss</c>).</summary>
public enum BoostingLoss
{
    /// <summary><c>(1/2) sum (y - F)^2</c>: gradient <c>F - y</c>, leaf value <c>-G/(H + l2)</c>; baseline the mean (<c>"squared_error"</c>, the default).</summary>
    SquaredError,

    /// <summary><c>sum |y - F|</c>: gradient <c>sign(F - y)</c>; trees are grown on the gradients, then each leaf's value is replaced by
    /// the lower median of its rows' residuals <c>y - F</c>; baseline the median (<c>"absolute_error"</c>).</summary>
    AbsoluteError,
}

/// <summary>Holds the hyperparameters of a histogram gradient-boosting regressor, with scikit-learn <c>HistGradientBoostingRegressor</c> names and defaults.</summary>
/// <remarks>
/// Inert values, checked by <see cref="HistGradientBoosting.Fit"/>. Loss: squared error. <see cref="HistGradientBoostingCommonOptions.Subsample"/> and
/// <see cref="HistGradientBoostingCommonOptions.MaxFeatures"/> are options scikit-learn 1.2.1 does not have (the latter is scikit-learn &gt;= 1.4's per-node
/// <c>max_features</c>); their defaults (1.0) switch them off. See <see cref="Accurate"/> for the documented preset.
/// Source: scikit-learn 1.2.1, <c>sklearn.ensemble.HistGradientBoostingRegressor</c>.
/// </remarks>
public sealed record HistGradientBoostingOptions : HistGradientBoostingCommonOptions
{
    /// <summary>The loss (<c>loss</c>); default <see cref="BoostingLoss.SquaredError"/>.</summary>
    public BoostingLoss Loss { get; init; } = BoostingLoss.SquaredError;

    /// <summary>
    /// The <c>accurate</c> preset (<c>--set preset=accurate</c>): learning_rate 0.02, max_iter 3000, max_leaf_nodes 63, min_samples_leaf 2,
    /// l2_regularization 1.0, max_features 0.2 (per node), subsample 0.6 (per iteration), early_stopping off: many small, decorrelated
    /// steps. Chosen on matbench_expt_gap (Magpie features, mean imputation, official folds): mean MAE 0.398 eV against 0.441 eV for
    /// the defaults (seed 0); about 20 times slower than the defaults.
    /// </summary>
    public static HistGradientBoostingOptions Accurate { get; } = new()
    {
        LearningRate = 0.02, MaxIter = 3000, MaxLeafNodes = 63, MinSamplesLeaf = 2, L2Regularization = 1.0,
        EarlyStopping = EarlyStopping.Off, MaxFeatures = 0.2, Subsample = 0.6,
    };
}

/// <summary>Fits and applies histogram gradient-boosting regressors (squared or absolute error), as scikit-learn's <c>HistGradientBoostingRegressor</c>.</summary>
/// <remarks>
/// <para>Model: <c>F(x) = mean(y) + sum_m f_m(x)</c>. Iteration m fits a tree to the gradients <c>g_i = F_{m-1}(x_i) - y_i</c> (float32, unit
/// hessians) of the loss <c>(1/2) sum (y_i - F(x_i))^2</c>: features are binned once per fit into at most <c>max_bins</c> quantile bins
/// (<see cref="HistBinning"/>), trees grow best first up to <c>max_leaf_nodes</c> leaves, a node's gradient histogram is built from its
/// rows for the smaller child and as parent minus sibling for the larger; a split maximises
/// <c>G_L^2/(H_L + l2) + G_R^2/(H_R + l2) - G^2/(H + l2)</c> (H = row count) with at least <c>min_samples_leaf</c> rows a side; a leaf
/// predicts <c>-learning_rate G / (H + l2)</c>.</para>
/// <para>Early stopping (on when n &gt; 10000 by default): a random <c>validation_fraction</c> of the rows is held out (bins are fitted on
/// the rest); fitting stops when none of the last <c>n_iter_no_change</c> validation losses beats the loss before them by more than
/// <c>tol</c>. The random draws (validation split, row and feature subsamples, bin subsample above 200000 rows) come from the
/// <see cref="Rng"/> and differ from numpy's; everything else follows scikit-learn 1.2.1, so without randomness the trees equal
/// scikit-learn's up to ties between equal gains and rounding of sums.</para>
/// <para>Determinism: all randomness is drawn sequentially from one stream; threads only build per-feature histograms, each summed
/// in row order, so models and predictions are bit-identical for every <see cref="HistGradientBoostingCommonOptions.NJobs"/>.</para>
/// <para>Missing values: refused (<c>data.nan_feature</c>; scikit-learn routes NaN to a learned side, not implemented here); impute first.</para>
/// <para>Source: Friedman, "Greedy function approximation: a gradient boosting machine", Ann. Statist. 29 (2001); Ke et al., "LightGBM",
/// NeurIPS 2017; scikit-learn 1.2.1 <c>sklearn/ensemble/_hist_gradient_boosting/</c> (<c>gradient_boosting.py</c>, <c>grower.py</c>, <c>splitting.pyx</c>).</para>
/// </remarks>
public static class HistGradientBoosting
{
    /// <summary>Fits a histogram gradient-boosting regressor.</summary>
    /// <param name="options">Hyperparameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite. Not modified.</param>
    /// <param name="y">Targets, shape (n_samples,), finite. Not modified.</param>
    /// <param name="rng">The random stream (validation split, subsamples).</param>
    /// <returns>The model, or every problem: <c>param.out_of_range</c> (an option outside its range), <c>data.empty</c>,
    /// <c>shape.rows_mismatch</c>, <c>data.nan_feature</c>, <c>data.nan_target</c>, <c>data.too_large</c>.</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="options"/> or <paramref name="x"/> is null (a programmer error).</exception>
    public static Validation<Problem, HistGradientBoostingModel> Fit(HistGradientBoostingOptions options, Matrix x, ReadOnlySpan<double> y, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(x);
        var problems = new List<Problem>();
        CheckOptions(options, problems);
        ForestCore.CheckData(x, y, problems);
        if (problems.Count > 0) return Valid.Fail<HistGradientBoostingModel>(problems);

        int n = x.Rows, p = x.Cols;
        var dop = ForestCore.DegreeOfParallelism(options.NJobs);
        var (binRng, rest) = rng.Split();
        var (splitRng, rest2) = rest.Split();
        var cursor = new RngCursor(rest2);

        var early = options.EarlyStopping == EarlyStopping.On || (options.EarlyStopping == EarlyStopping.Auto && n > 10000);
        int[] trainRows, valRows;
        if (early)
        {
            var perm = Enumerable.Range(0, n).ToArray();
            var split = new RngCursor(splitRng);
            split.Shuffle(perm.AsSpan());
            var nVal = (int)Math.Ceiling(options.ValidationFraction * n);
            nVal = Math.Clamp(nVal, 1, n - 1);
            valRows = perm[..nVal];
            trainRows = perm[nVal..];
            Array.Sort(valRows);
            Array.Sort(trainRows);
        }
        else
        {
            trainRows = Enumerable.Range(0, n).ToArray();
            valRows = [];
        }
        var yTrain = new double[trainRows.Length];
        for (var k = 0; k < trainRows.Length; k++) yTrain[k] = y[trainRows[k]];
        var nt = yTrain.Length;

        var bins = HistBinning.Fit(x, options.MaxBins, binRng, dop, early ? trainRows : null);
        var absolute = options.Loss == BoostingLoss.AbsoluteError;
        double baseline;
        if (absolute)
        {
            var sorted = (double[])yTrain.Clone();
            Array.Sort(sorted);
            baseline = nt % 2 == 1 ? sorted[nt / 2] : (sorted[nt / 2 - 1] + sorted[nt / 2]) / 2; // numpy median
        }
        else
        {
            baseline = NumpySum.Pairwise(yTrain) / nt; // np.average(y): numpy's pairwise summation, bit for bit
        }
        var residuals = absolute ? new double[nt] : [];

        var settings = new HistTreeSettings(
            MaxLeafNodes: options.MaxLeafNodes ?? int.MaxValue, MaxDepth: options.MaxDepth ?? int.MaxValue,
            MinSamplesLeaf: options.MinSamplesLeaf, L2Regularization: options.L2Regularization, Shrinkage: options.LearningRate,
            FeaturesPerNode: Math.Max(1, (int)(options.MaxFeatures * p)), Dop: dop);
        var grower = new HistTreeGrower(bins, settings);
        var raw = new double[nt];
        Array.Fill(raw, baseline);
        var gradients = new float[nt];
        var rows = new int[nt];
        var nSub = options.Subsample < 1.0 ? Math.Max(1, (int)(options.Subsample * nt)) : nt;

        // Validation rows: predictions tracked with real thresholds (equivalent to scikit-learn's binned prediction).
        var yVal = new double[valRows.Length];
        for (var k = 0; k < valRows.Length; k++) yVal[k] = y[valRows[k]];
        var rawVal = new double[valRows.Length];
        Array.Fill(rawVal, baseline);
        var scores = new List<double>();
        if (early) scores.Add(-HalfMse(yVal, rawVal));

        var trees = new List<RegressionTree>();
        for (var iter = 0; iter < options.MaxIter; iter++)
        {
            for (var i = 0; i < nt; i++)
                gradients[i] = absolute ? (float)Math.Sign(raw[i] - yTrain[i]) : (float)(raw[i] - yTrain[i]);
            HistTreeGrower.SubsampleRows(rows, nt, nSub, ref cursor);
            var tree = grower.Grow(rows, nSub, gradients, ref cursor);
            if (absolute) UpdateLeavesToMedians(tree, rows, yTrain, raw, residuals, options.LearningRate);

            // Update every training row's prediction through its leaf (binned traversal = real-threshold traversal); without
            // subsampling the grower's leaf partitions hold every row.
            if (nSub == nt) tree.AddLeafValues(rows, raw, 1, 0);
            else for (var i = 0; i < nt; i++) raw[i] += tree.Value[tree.LeafOfBinned(bins.Binned, nt, i)];
            var rt = ToRegressionTree(tree, p);
            trees.Add(rt);

            if (early)
            {
                for (var k = 0; k < valRows.Length; k++) rawVal[k] += rt.PredictRowDouble(x.Row(valRows[k]));
                scores.Add(-HalfMse(yVal, rawVal));
                if (ShouldStop(scores, options.NIterNoChange, options.Tol)) break;
            }
        }
        return Valid.Ok(new HistGradientBoostingModel(options, p, n, baseline, [.. trees], [.. bins.Thresholds.Select(t => (double[])t.Clone())],
            early ? [.. scores] : []));
    }

    /// <summary>Predicts <c>baseline + sum_m tree_m(x)</c>, summed in tree order.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, NFeatures), finite.</param>
    /// <returns>Predictions, shape (n_samples,).</returns>
    /// <exception cref="ArgumentException">When <paramref name="x"/> has the wrong number of columns or holds NaN (use <see cref="TryPredict"/>).</exception>
    public static double[] Predict(HistGradientBoostingModel model, Matrix x) => TryPredict(model, x).Match(
        p => p, ps => throw new ArgumentException(string.Join(Environment.NewLine, ps) + Environment.NewLine + "Use HistGradientBoosting.TryPredict to receive these as problems.", nameof(x)));

    /// <summary>Predicts, returning input problems as values.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, NFeatures), finite.</param>
    /// <returns>Predictions, or <c>shape.cols_mismatch</c>, <c>data.nan_feature</c>.</returns>
    public static Validation<Problem, double[]> TryPredict(HistGradientBoostingModel model, Matrix x)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        var problems = ForestCore.CheckPredictInput(model.NFeatures, x);
        if (problems.Count > 0) return Valid.Fail<double[]>(problems);
        var result = new double[x.Rows];
        var trees = model.Trees;
        Parallel.For(0, x.Rows, new ParallelOptions { MaxDegreeOfParallelism = ForestCore.DegreeOfParallelism(model.Options.NJobs) }, i =>
        {
            var row = x.Row(i);
            var acc = model.Baseline;
            for (var t = 0; t < trees.Count; t++) acc += trees[t].PredictRowDouble(row);
            result[i] = acc;
        });
        return Valid.Ok(result);
    }

    /// <summary>scikit-learn <c>AbsoluteError.update_leaves_values</c>: leaf value = shrinkage * lower median (<c>_weighted_percentile(.., 50)</c>
    /// with unit weights) of the leaf rows' residuals.</summary>
    private static void UpdateLeavesToMedians(HistTree tree, int[] rows, double[] y, double[] raw, double[] scratch, double shrinkage)
    {
        for (var node = 0; node < tree.Left.Length; node++)
        {
            if (tree.Left[node] >= 0) continue;
            int start = tree.Start[node], end = tree.End[node], m = end - start;
            if (m == 0) continue;
            for (var k = 0; k < m; k++) scratch[k] = y[rows[start + k]] - raw[rows[start + k]];
            Array.Sort(scratch, 0, m);
            // searchsorted(cdf = 1..m, 0.5 m, side="left"): the first index with k + 1 >= m / 2.
            var idx = Math.Max(0, (int)Math.Ceiling(0.5 * m) - 1);
            tree.Value[node] = shrinkage * scratch[idx];
        }
    }

    private static RegressionTree ToRegressionTree(HistTree t, int p)
    {
        var nodes = t.Left.Length;
        var impurity = new double[nodes];
        var weight = t.Count.Select(c => (double)c).ToArray();
        return new RegressionTree(p, t.MaxDepth, t.Left, t.Right, t.Feature, t.Threshold, t.Value, impurity, t.Count, weight, singlePrecision: false);
    }

    private static double HalfMse(double[] y, double[] raw)
    {
        double s = 0;
        for (var i = 0; i < y.Length; i++) s += 0.5 * (y[i] - raw[i]) * (y[i] - raw[i]);
        return y.Length == 0 ? 0 : s / y.Length;
    }

    /// <summary>scikit-learn <c>_should_stop</c>: stop when none of the last n scores beats the score n+1 back by more than tol.</summary>
    internal static bool ShouldStop(List<double> scores, int nIterNoChange, double tol)
    {
        var reference = nIterNoChange + 1;
        if (scores.Count < reference) return false;
        var referenceScore = scores[^reference] + tol;
        for (var k = scores.Count - reference + 1; k < scores.Count; k++)
            if (scores[k] > referenceScore) return false;
        return true;
    }

    private static void CheckOptions(HistGradientBoostingOptions o, List<Problem> problems)
    {
        o.CheckCommon(problems);
        if (!Enum.IsDefined(o.Loss)) problems.Add(new Problem("param.out_of_range", $"loss (Loss) is {o.Loss}; expected SquaredError or AbsoluteError; fix: use the default"));
        o.CheckNJobs(problems);
    }
}

/// <summary>Holds a fitted histogram gradient-boosting regressor.</summary>
/// <remarks>Trees compare features in double precision (<see cref="RegressionTree.SinglePrecision"/> is false); leaf values already
/// include the learning rate. Node <see cref="RegressionTree.Impurity"/> is 0 (not tracked); <see cref="RegressionTree.WeightedNNodeSamples"/>
/// is the number of rows the node was grown on.</remarks>
public sealed record HistGradientBoostingModel
{
    private readonly RegressionTree[] _trees;
    private readonly double[][] _binThresholds;
    private readonly double[] _validationScores;

    internal HistGradientBoostingModel(HistGradientBoostingOptions options, int nFeatures, int nSamples, double baseline, RegressionTree[] trees,
        double[][] binThresholds, double[] validationScores)
    {
        Options = options;
        NFeatures = nFeatures;
        NSamples = nSamples;
        Baseline = baseline;
        _trees = trees;
        Trees = Vec.Own(trees);
        _binThresholds = binThresholds;
        _validationScores = validationScores;
        ValidationScores = Vec.Own(validationScores);
    }

    /// <summary>The options the model was fitted with.</summary>
    public HistGradientBoostingOptions Options { get; }

    /// <summary>Number of features seen during fit.</summary>
    public int NFeatures { get; }

    /// <summary>Number of training rows (validation rows included).</summary>
    public int NSamples { get; }

    /// <summary>The initial prediction, the mean of the training targets (<c>_baseline_prediction</c>).</summary>
    public double Baseline { get; }

    /// <summary>The trees, one per iteration (<c>n_iter_</c> = Count).</summary>
    public IReadOnlyList<RegressionTree> Trees { get; }

    /// <summary>Number of iterations run (<c>n_iter_</c>).</summary>
    public int NIter => _trees.Length;

    /// <summary>Bin thresholds of feature j (<c>_bin_mapper.bin_thresholds_[j]</c>). A fresh copy.</summary>
    /// <param name="j">Feature, 0-based.</param>
    /// <returns>Ascending thresholds, at most max_bins - 1.</returns>
    public double[] BinThresholds(int j) => (double[])_binThresholds[j].Clone();

    /// <summary>Negative half mean squared error on the validation split, before the first tree and after each (<c>validation_score_</c>); empty without early stopping.</summary>
    public IReadOnlyList<double> ValidationScores { get; }

    /// <summary>Compares two models structurally.</summary>
    /// <param name="other">The other model, or <c>null</c>.</param>
    /// <returns><c>true</c> when options, shapes, baseline, every tree, the bin thresholds and the validation scores are equal (NaN equals NaN).</returns>
    public bool Equals(HistGradientBoostingModel? other) =>
        other is not null && (ReferenceEquals(this, other)
            || (Options == other.Options && NFeatures == other.NFeatures && NSamples == other.NSamples && Baseline.Equals(other.Baseline)
                && _trees.AsSpan().SequenceEqual(other._trees) && ValidationScores.Equals(other.ValidationScores)
                && _binThresholds.Length == other._binThresholds.Length
                && Enumerable.Range(0, _binThresholds.Length).All(j => _binThresholds[j].AsSpan().SequenceEqual(other._binThresholds[j]))));

    /// <summary>Hashes the options, shapes and first tree.</summary>
    /// <returns>A hash consistent with <see cref="Equals(HistGradientBoostingModel?)"/>.</returns>
    public override int GetHashCode() => HashCode.Combine(Options, NFeatures, Baseline, _trees.Length, _trees.Length > 0 ? _trees[0].GetHashCode() : 0);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Options = {Options}, NFeatures = {NFeatures}, NSamples = {NSamples}, Baseline = {Baseline}, NIter = {NIter}");
        return true;
    }

    /// <summary>Writes the model for a model file: sizes, <c>_baseline_prediction</c>, the bin thresholds of every feature (counts, then
    /// all thresholds feature after feature), <c>validation_score_</c> and the trees (<c>_predictors</c>).</summary>
    /// <returns>The state.</returns>
    internal StateNode Write() => new StateNode()
        .Int("n_features_in_", NFeatures).Int("_n_samples", NSamples).Float("_baseline_prediction", Baseline)
        .Ints("bin_threshold_counts", _binThresholds.Select(t => t.Length).ToArray()).Floats("bin_thresholds", _binThresholds.SelectMany(t => t).ToArray())
        .Floats("validation_score_", _validationScores).Nodes("_predictors", _trees.Select(t => t.Write()));

    /// <summary>Reads a model written by <see cref="Write"/>: at most max_iter trees, each checked (<see cref="TreeState.ReadLayout"/>);
    /// at most max_bins - 1 ascending finite thresholds per feature.</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    internal static Validation<Problem, HistGradientBoostingModel> Read(HistGradientBoostingOptions options, StateReader r)
    {
        var p = r.Int("n_features_in_", 1, ModelState.MaxFeatures);
        var n = r.Int("_n_samples", 1);
        var baseline = r.Float("_baseline_prediction");
        var thresholds = HistBinning.ReadThresholds(r, p, options.MaxBins);
        var scores = r.Floats("validation_score_");
        if (r.Ok && scores.Length > Math.Max(0L, options.MaxIter) + 1) r.Fail("validation_score_", $"has {scores.Length} scores, expected at most max_iter + 1 = {options.MaxIter + 1L}");
        var trees = r.Ok ? r.Nodes("_predictors", Math.Max(0, options.MaxIter)).Select(t => RegressionTree.Read(t, p, singlePrecision: false)).ToArray() : [];
        return ModelState.Finish(r, () => new HistGradientBoostingModel(options, p, n, baseline, trees!, thresholds, scores));
    }
}
