using System.Text;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Classification;

namespace Pure.Materials.Models.Trees;

/// <summary>Holds the hyperparameters of a histogram gradient-boosting classifier, with scikit-learn <c>HistGradientBoostingClassifier</c> names and defaults.</summary>
/// <remarks>Inert values, checked by <see cref="HistGradientBoostingClassifier.Fit"/>. Loss: <c>log_loss</c> (binomial for two classes,
/// multinomial otherwise); early stopping scores the validation loss (<c>scoring="loss"</c>). <see cref="HistGradientBoostingCommonOptions.Subsample"/> and
/// <see cref="HistGradientBoostingCommonOptions.MaxFeatures"/> are options scikit-learn 1.2.1 does not have; their defaults (1.0) switch them off.
/// Source: scikit-learn 1.2.1, <c>sklearn.ensemble.HistGradientBoostingClassifier</c>.</remarks>
public sealed record HistGradientBoostingClassifierOptions : HistGradientBoostingCommonOptions;

/// <summary>Fits and applies histogram gradient-boosting classifiers (log loss), as scikit-learn's <c>HistGradientBoostingClassifier</c>.</summary>
/// <remarks>
/// <para>Two classes (binomial log loss): one tree per iteration on the logit <c>F</c>; <c>P(Classes[1] | x) = expit(F(x))</c>; the baseline is
/// <c>logit(mean(y))</c> (the mean clipped to [10 eps, 1 - 10 eps]); gradients <c>g = expit(F) - y</c> and hessians <c>h = expit(F)(1 - expit(F))</c>.
/// K &gt; 2 classes (multinomial log loss): one tree per class per iteration on raw scores <c>F_k</c>, probabilities <c>softmax(F)</c>; the baseline
/// is the symmetric multinomial logit <c>log(p_k) - mean_j log(p_j)</c> of the class frequencies (clipped to [eps, 1 - eps]); gradients
/// <c>p_k - [y = k]</c>, hessians <c>p_k (1 - p_k)</c>, all computed before the iteration's K trees. Gradients and hessians are float32,
/// trees are grown by the same best-first histogram grower as <see cref="HistGradientBoosting"/> with the Newton leaf value
/// <c>-learning_rate G / (H + l2)</c> and gain <c>G_L^2/(H_L + l2) + G_R^2/(H_R + l2) - G^2/(H + l2)</c>; a node needs a hessian sum of 1e-3 to split.</para>
/// <para>Early stopping (on above 10000 rows by default) holds out a class-stratified <c>validation_fraction</c> and stops when the validation
/// log loss has not improved by more than <c>tol</c> over <c>n_iter_no_change</c> iterations. Its draws come from the <see cref="Rng"/> and
/// differ from numpy's; without early stopping and subsampling nothing is random and predictions equal scikit-learn's up to rounding of sums.</para>
/// <para>Determinism: bit-identical for any <see cref="HistGradientBoostingCommonOptions.NJobs"/>. Missing values: refused (<c>data.nan_feature</c>).
/// A single class is <c>data.single_class</c>.</para>
/// <para>Source: Friedman, "Greedy function approximation" (2001); Ke et al., "LightGBM" (2017); scikit-learn 1.2.1
/// <c>sklearn/ensemble/_hist_gradient_boosting/gradient_boosting.py</c>, <c>sklearn/_loss/loss.py</c> (<c>HalfBinomialLoss</c>, <c>HalfMultinomialLoss</c>).</para>
/// </remarks>
public static class HistGradientBoostingClassifier
{
    /// <summary>numpy <c>finfo(float64).eps</c>.</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Fits a histogram gradient-boosting classifier.</summary>
    /// <param name="options">Hyperparameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite.</param>
    /// <param name="y">Labels, shape (n_samples,), at least two distinct values.</param>
    /// <param name="rng">The random stream (validation split, subsamples).</param>
    /// <returns>The model, or every problem: <c>param.out_of_range</c>, <c>data.empty</c>, <c>shape.rows_mismatch</c>, <c>data.nan_feature</c>,
    /// <c>data.single_class</c>.</returns>
    public static Validation<Problem, HistGradientBoostingClassifierModel> Fit(HistGradientBoostingClassifierOptions options, Matrix x, IReadOnlyList<int> y, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var problems = new List<Problem>();
        CheckOptions(options, problems);
        ForestCore.CheckData(x, y.Select(v => (double)v).ToArray(), problems);
        var classes = y.Distinct().Order().ToArray();
        if (y.Count > 0 && classes.Length < 2)
            problems.Add(new Problem("data.single_class",
                $"the training labels hold a single class ({classes[0]}) in {y.Count} sample(s); a classifier needs 2 classes: use stratified folds or more data"));
        if (problems.Count > 0) return Valid.Fail<HistGradientBoostingClassifierModel>(problems);

        int n = x.Rows, p = x.Cols, nClasses = classes.Length;
        var k = nClasses == 2 ? 1 : nClasses; // trees per iteration
        var index = ClassifierChecks.IndexOf(classes, y);
        var dop = ForestCore.DegreeOfParallelism(options.NJobs);
        var (binRng, rest) = rng.Split();
        var (splitRng, rest2) = rest.Split();
        var cursor = new RngCursor(rest2);

        var early = options.EarlyStopping == EarlyStopping.On || (options.EarlyStopping == EarlyStopping.Auto && n > 10000);
        int[] trainRows, valRows;
        if (early) (trainRows, valRows) = StratifiedSplit(index, nClasses, options.ValidationFraction, splitRng);
        else (trainRows, valRows) = (Enumerable.Range(0, n).ToArray(), []);
        var yTrain = trainRows.Select(r => index[r]).ToArray();
        var yVal = valRows.Select(r => index[r]).ToArray();
        var nt = yTrain.Length;

        var bins = HistBinning.Fit(x, options.MaxBins, binRng, dop, early ? trainRows : null);
        var baseline = Baseline(yTrain, nClasses);
        var settings = new HistTreeSettings(
            MaxLeafNodes: options.MaxLeafNodes ?? int.MaxValue, MaxDepth: options.MaxDepth ?? int.MaxValue,
            MinSamplesLeaf: options.MinSamplesLeaf, L2Regularization: options.L2Regularization, Shrinkage: options.LearningRate,
            FeaturesPerNode: Math.Max(1, (int)(options.MaxFeatures * p)), Dop: dop);
        var grower = new HistTreeGrower(bins, settings);

        var raw = new double[nt * k]; // row-major (n, k)
        for (var i = 0; i < nt; i++) baseline.CopyTo(raw.AsSpan(i * k, k));
        var rawVal = new double[valRows.Length * k];
        for (var i = 0; i < valRows.Length; i++) baseline.CopyTo(rawVal.AsSpan(i * k, k));
        var gradients = new float[k][];
        var hessians = new float[k][];
        for (var c = 0; c < k; c++) { gradients[c] = new float[nt]; hessians[c] = new float[nt]; }
        var rows = new int[nt];
        var nSub = options.Subsample < 1.0 ? Math.Max(1, (int)(options.Subsample * nt)) : nt;
        var scores = new List<double>();
        if (early) scores.Add(-LogLoss(yVal, rawVal, k));

        var trees = new List<RegressionTree[]>();
        var prob = new double[k];
        for (var iter = 0; iter < options.MaxIter; iter++)
        {
            for (var i = 0; i < nt; i++) GradientHessian(yTrain[i], raw.AsSpan(i * k, k), prob, gradients, hessians, i);
            HistTreeGrower.SubsampleRows(rows, nt, nSub, ref cursor);
            var iteration = new RegressionTree[k];
            for (var c = 0; c < k; c++)
            {
                if (c > 0 && nSub < nt) Array.Sort(rows, 0, nSub); // the grower reorders rows; restore scikit-learn's row order
                else if (c > 0) for (var i = 0; i < nt; i++) rows[i] = i;
                var tree = grower.Grow(rows, nSub, gradients[c], ref cursor, hessians[c]);
                if (nSub == nt) tree.AddLeafValues(rows, raw, k, c);
                else for (var i = 0; i < nt; i++) raw[i * k + c] += tree.Value[tree.LeafOfBinned(bins.Binned, nt, i)];
                iteration[c] = new RegressionTree(p, tree.MaxDepth, tree.Left, tree.Right, tree.Feature, tree.Threshold, tree.Value,
                    new double[tree.Left.Length], tree.Count, tree.Count.Select(v => (double)v).ToArray(), singlePrecision: false);
            }
            trees.Add(iteration);
            if (early)
            {
                for (var v = 0; v < valRows.Length; v++)
                {
                    var row = x.Row(valRows[v]);
                    for (var c = 0; c < k; c++) rawVal[v * k + c] += iteration[c].PredictRowDouble(row);
                }
                scores.Add(-LogLoss(yVal, rawVal, k));
                if (HistGradientBoosting.ShouldStop(scores, options.NIterNoChange, options.Tol)) break;
            }
        }
        return Valid.Ok(new HistGradientBoostingClassifierModel(options, classes, p, baseline, [.. trees], early ? [.. scores] : []));
    }

    /// <summary>scikit-learn <c>fit_intercept_only</c>: <c>logit(mean y)</c> for two classes, the symmetric multinomial logit of the class frequencies otherwise.</summary>
    private static double[] Baseline(int[] y, int nClasses)
    {
        var n = y.Length;
        if (nClasses == 2)
        {
            var mean = 0.0;
            foreach (var v in y) mean += v;
            mean /= n;
            var eps = 10 * MachineEpsilon;
            mean = Math.Clamp(mean, eps, 1 - eps);
            return [Math.Log(mean / (1 - mean))];
        }
        var freq = new double[nClasses];
        foreach (var v in y) freq[v]++;
        var logs = new double[nClasses];
        for (var c = 0; c < nClasses; c++)
        {
            freq[c] = Math.Clamp(freq[c] / n, MachineEpsilon, 1 - MachineEpsilon);
            logs[c] = Math.Log(freq[c]);
        }
        var gmean = Math.Exp(logs.Average());
        return freq.Select(f => Math.Log(f / gmean)).ToArray();
    }

    /// <summary>Float32 gradient and hessian of row <paramref name="i"/> for every tree of the iteration (scikit-learn's <c>gradient_hessian</c>).</summary>
    private static void GradientHessian(int y, ReadOnlySpan<double> raw, double[] prob, float[][] gradients, float[][] hessians, int i)
    {
        if (raw.Length == 1)
        {
            var r = raw[0];
            double g, h;
            if (r > -37)
            {
                var e = Math.Exp(-r);
                g = ((1 - y) - y * e) / (1 + e);
                h = e / ((1 + e) * (1 + e));
            }
            else
            {
                var e = Math.Exp(r);
                g = e - y;
                h = e;
            }
            gradients[0][i] = (float)g;
            hessians[0][i] = (float)h;
            return;
        }
        Softmax(raw, prob);
        for (var c = 0; c < raw.Length; c++)
        {
            gradients[c][i] = (float)(prob[c] - (y == c ? 1.0 : 0.0));
            hessians[c][i] = (float)(prob[c] * (1.0 - prob[c]));
        }
    }

    private static void Softmax(ReadOnlySpan<double> raw, Span<double> prob)
    {
        var max = double.NegativeInfinity;
        foreach (var r in raw) if (r > max) max = r;
        var sum = 0.0;
        for (var c = 0; c < raw.Length; c++)
        {
            prob[c] = Math.Exp(raw[c] - max);
            sum += prob[c];
        }
        for (var c = 0; c < raw.Length; c++) prob[c] /= sum;
    }

    /// <summary>Mean log loss: binomial <c>log(1 + exp F) - y F</c>, or multinomial <c>logsumexp(F) - F_y</c>.</summary>
    private static double LogLoss(int[] y, double[] raw, int k)
    {
        if (y.Length == 0) return 0;
        var total = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            if (k == 1)
            {
                var r = raw[i];
                total += (r > 0 ? r + Math.Log(1 + Math.Exp(-r)) : Math.Log(1 + Math.Exp(r))) - y[i] * r;
            }
            else
            {
                var row = raw.AsSpan(i * k, k);
                var max = double.NegativeInfinity;
                foreach (var r in row) if (r > max) max = r;
                var sum = 0.0;
                foreach (var r in row) sum += Math.Exp(r - max);
                total += max + Math.Log(sum) - row[y[i]];
            }
        }
        return total / y.Length;
    }

    /// <summary>Holds out <c>ceil(fraction n_c)</c> rows of each class c (at least one row of each class stays in training), drawn from <paramref name="rng"/>.</summary>
    private static (int[] Train, int[] Validation) StratifiedSplit(int[] y, int nClasses, double fraction, Rng rng)
    {
        var cursor = new RngCursor(rng);
        var train = new List<int>();
        var val = new List<int>();
        for (var c = 0; c < nClasses; c++)
        {
            var rowsOfClass = Enumerable.Range(0, y.Length).Where(i => y[i] == c).ToArray();
            cursor.Shuffle(rowsOfClass.AsSpan());
            var nVal = Math.Min((int)Math.Ceiling(fraction * rowsOfClass.Length), rowsOfClass.Length - 1);
            val.AddRange(rowsOfClass[..nVal]);
            train.AddRange(rowsOfClass[nVal..]);
        }
        train.Sort();
        val.Sort();
        return ([.. train], [.. val]);
    }

    /// <summary>Predicts raw scores <c>baseline + sum of the trees</c>, shape (n_samples, 1) for two classes or (n_samples, n_classes) (<c>decision_function</c>).</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, NFeatures), finite.</param>
    /// <returns>The raw scores.</returns>
    /// <exception cref="ArgumentException">When <paramref name="x"/> has the wrong shape or holds NaN.</exception>
    public static Matrix DecisionFunction(HistGradientBoostingClassifierModel model, Matrix x)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        var problems = ForestCore.CheckPredictInput(model.NFeatures, x);
        if (problems.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(x));
        var k = model.Baseline.Count;
        var result = new double[x.Rows * k];
        Parallel.For(0, x.Rows, new ParallelOptions { MaxDegreeOfParallelism = ForestCore.DegreeOfParallelism(model.Options.NJobs) }, i =>
        {
            var row = x.Row(i);
            var baseline = model.BaselineSpan;
            var iterations = model.TreeArrays;
            for (var c = 0; c < k; c++)
            {
                var acc = baseline[c];
                for (var t = 0; t < iterations.Length; t++) acc += iterations[t][c].PredictRowDouble(row);
                result[i * k + c] = acc;
            }
        });
        return Matrix.FromRowMajor(x.Rows, k, result);
    }

    /// <summary>Predicts class probabilities: <c>[1 - expit(F), expit(F)]</c> for two classes, <c>softmax(F)</c> otherwise.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, NFeatures), finite.</param>
    /// <returns>Probabilities, shape (n_samples, n_classes), rows summing to 1.</returns>
    public static Matrix PredictProba(HistGradientBoostingClassifierModel model, Matrix x)
    {
        var raw = DecisionFunction(model, x);
        var nClasses = model.Classes.Count;
        var result = new double[x.Rows * nClasses];
        for (var i = 0; i < x.Rows; i++)
        {
            if (nClasses == 2)
            {
                var p1 = 1.0 / (1.0 + Math.Exp(-raw[i, 0]));
                result[2 * i] = 1 - p1;
                result[2 * i + 1] = p1;
            }
            else Softmax(raw.Row(i), result.AsSpan(i * nClasses, nClasses));
        }
        return Matrix.FromRowMajor(x.Rows, nClasses, result);
    }

    private static void CheckOptions(HistGradientBoostingClassifierOptions o, List<Problem> problems)
    {
        o.CheckCommon(problems);
        o.CheckNJobs(problems);
    }
}

/// <summary>Holds a fitted histogram gradient-boosting classifier.</summary>
public sealed record HistGradientBoostingClassifierModel
{
    private readonly RegressionTree[][] _trees;
    private readonly double[] _baseline;
    private readonly double[] _validationScores;

    internal HistGradientBoostingClassifierModel(HistGradientBoostingClassifierOptions options, int[] classes, int nFeatures, double[] baseline,
        RegressionTree[][] trees, double[] validationScores)
    {
        Options = options;
        Classes = Vec.Of<int>(classes);
        NFeatures = nFeatures;
        _baseline = baseline;
        Baseline = Vec.Own(baseline);
        _trees = trees;
        Trees = Vec.Own(trees.Select(Vec.Own).ToArray());
        _validationScores = validationScores;
        ValidationScores = Vec.Own(validationScores);
    }

    /// <summary>The options the model was fitted with.</summary>
    public HistGradientBoostingClassifierOptions Options { get; }

    /// <summary>The labels, ascending (<c>classes_</c>).</summary>
    public IReadOnlyList<int> Classes { get; }

    /// <summary>Number of features seen during fit.</summary>
    public int NFeatures { get; }

    /// <summary>The raw-score baseline (<c>_baseline_prediction</c>): length 1 for two classes, n_classes otherwise.</summary>
    public IReadOnlyList<double> Baseline { get; }

    /// <summary>The baseline without a copy, for prediction loops.</summary>
    internal ReadOnlySpan<double> BaselineSpan => _baseline;

    /// <summary>The trees: one array per iteration holding one tree (two classes) or one per class (<c>_predictors</c>).</summary>
    public IReadOnlyList<IReadOnlyList<RegressionTree>> Trees { get; }

    /// <summary>Number of iterations run (<c>n_iter_</c>).</summary>
    public int NIter => _trees.Length;

    /// <summary>The trees as arrays, for prediction loops; never handed out.</summary>
    internal ReadOnlySpan<RegressionTree[]> TreeArrays => _trees;

    /// <summary>Negative mean validation log loss before the first iteration and after each (<c>validation_score_</c>); empty without early stopping.</summary>
    public IReadOnlyList<double> ValidationScores { get; }

    /// <summary>Compares two models structurally.</summary>
    /// <param name="other">The other model.</param>
    /// <returns><c>true</c> when options, classes, baseline, every tree and the validation scores are equal (NaN equals NaN).</returns>
    public bool Equals(HistGradientBoostingClassifierModel? other) =>
        other is not null && (ReferenceEquals(this, other)
            || (Options == other.Options && NFeatures == other.NFeatures && Classes.Equals(other.Classes) && Baseline.Equals(other.Baseline)
                && Trees.Equals(other.Trees) && ValidationScores.Equals(other.ValidationScores)));

    /// <summary>Hashes the options and shapes.</summary>
    /// <returns>A hash consistent with equality.</returns>
    public override int GetHashCode() => HashCode.Combine(Options, NFeatures, _trees.Length);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Options = {Options}, Classes = [{string.Join(", ", Classes)}], NFeatures = {NFeatures}, NIter = {NIter}");
        return true;
    }

    /// <summary>Writes the model for a model file: <c>classes_</c>, <c>n_features_in_</c>, <c>_baseline_prediction</c>, <c>validation_score_</c>
    /// and the trees (<c>_predictors</c>: one node per iteration holding its one tree, or one per class).</summary>
    /// <returns>The state.</returns>
    internal StateNode Write() => new StateNode()
        .Ints("classes_", Classes.ToArray()).Int("n_features_in_", NFeatures).Floats("_baseline_prediction", _baseline)
        .Floats("validation_score_", _validationScores)
        .Nodes("_predictors", _trees.Select(iteration => new StateNode().Nodes("trees", iteration.Select(t => t.Write()))));

    /// <summary>Reads a model written by <see cref="Write"/>: at most max_iter iterations of one tree (two classes) or one per class,
    /// each checked (<see cref="TreeState.ReadLayout"/>).</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    internal static Validation<Problem, HistGradientBoostingClassifierModel> Read(HistGradientBoostingClassifierOptions options, StateReader r)
    {
        var classes = ClassifierChecks.ReadClasses(r);
        var p = r.Int("n_features_in_", 1, ModelState.MaxFeatures);
        var k = classes.Length == 2 ? 1 : classes.Length;
        var baseline = r.Ok ? r.Floats("_baseline_prediction", k) : [];
        var scores = r.Floats("validation_score_");
        if (r.Ok && scores.Length > Math.Max(0L, options.MaxIter) + 1) r.Fail("validation_score_", $"has {scores.Length} scores, expected at most max_iter + 1 = {options.MaxIter + 1L}");
        var trees = r.Ok
            ? r.Nodes("_predictors", Math.Max(0, options.MaxIter)).Select(it => it.Nodes("trees", k, k).Select(t => RegressionTree.Read(t, p, singlePrecision: false)!).ToArray()).ToArray()
            : [];
        return ModelState.Finish(r, () => new HistGradientBoostingClassifierModel(options, classes, p, baseline, trees, scores));
    }
}
