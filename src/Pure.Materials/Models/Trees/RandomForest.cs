using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>Fits and applies random-forest regressors: bagged CART trees with the squared-error criterion, as scikit-learn's <c>RandomForestRegressor</c>.</summary>
/// <remarks>
/// <para>Each tree minimises, greedily node by node, the weighted sum of squared errors of a piecewise-constant fit:
/// a node with samples S is split on the feature j and threshold t among the node's candidates that maximise the impurity decrease
/// <c>W_S Var(S) - W_L Var(L) - W_R Var(R)</c>, with <c>L = {x_j &lt;= t}</c>, <c>Var</c> the weighted variance of y and <c>W</c>
/// the sum of sample weights (bootstrap counts). Leaves predict the weighted mean of y; the forest predicts the mean over trees.</para>
/// <para>Semantics follow scikit-learn 1.2.1 exactly: features are cast to <c>float32</c>; at each node <c>max_features</c> features are
/// drawn without replacement (drawing goes on past constant features while every feature drawn so far was constant); thresholds are
/// midpoints between consecutive distinct values (values closer than 1e-7 count as equal); <c>min_samples_split</c>,
/// <c>min_samples_leaf</c> count distinct rows; a bootstrap sample is n draws with replacement, used as integer sample weights.</para>
/// <para>Implementation: each column is sorted once per fit; each tree keeps its in-bag rows sorted per feature and partitions these
/// lists down the tree, so finding a node's best split costs O(n_node) per candidate feature instead of a sort. The split proxy
/// <c>S_L^2/W_L + S_R^2/W_R</c> is evaluated as <c>(S_L^2 W_R + S_R^2 W_L)/(W_L W_R)</c> and sums run in sorted order, so only
/// candidates whose improvements agree to rounding may be ranked differently from scikit-learn.</para>
/// <para>Determinism: <see cref="Fit"/> derives one stream per tree up front with <see cref="Rng.SplitMany"/>, so tree i is the same
/// whichever thread grows it, and <see cref="Predict"/> sums the trees in order: the model and predictions are bit-identical for every
/// <see cref="RandomForestOptions.NJobs"/> (and with or without SIMD). The random draws differ from numpy's, so forests are not
/// tree-by-tree equal to scikit-learn's (a single tree without bootstrap that uses all features is, up to ties between equally good
/// splits). Memory: 8 bytes per row and feature for the presorted columns, plus 16 per in-bag row (about 0.63 n with bootstrap) and
/// feature per worker thread (8 when that would exceed 64 MiB); these arrays go back to a weakly held pool after the fit, so that the
/// next fit of the same size (the next fold of a cross-validation) reuses them instead of allocating, unless a full collection freed
/// them in between.</para>
/// <para>Missing values: NaN or infinite features and targets are refused (<c>data.nan_feature</c>, <c>data.nan_target</c>); impute first.</para>
/// <para>Source: Breiman, "Random Forests", Machine Learning 45, 5-32 (2001); Breiman, Friedman, Olshen, Stone, "Classification and
/// Regression Trees" (1984); scikit-learn 1.2.1 <c>sklearn/ensemble/_forest.py</c>, <c>sklearn/tree/_splitter.pyx</c>, <c>_criterion.pyx</c>, <c>_tree.pyx</c>.</para>
/// </remarks>
/// <example>
/// <code>
/// var options = new RandomForestOptions { NEstimators = 200, MaxFeatures = MaxFeatures.Sqrt };
/// var model = RandomForest.Fit(options, xTrain, yTrain, Rng.FromSeed(42)).OrThrow();
/// double[] yHat = RandomForest.Predict(model, xTest);
/// </code>
/// </example>
public static class RandomForest
{
    internal const string ImputeFix = "impute missing values first, e.g. replace each NaN with the mean of its column over the training rows (mean imputation)";

    /// <summary>Fits a random-forest regressor.</summary>
    /// <param name="options">Hyperparameters; see <see cref="RandomForestOptions"/> for ranges and defaults.</param>
    /// <param name="x">Features, shape (n_samples, n_features), n_samples &gt;= 1, n_features &gt;= 1, finite; cast to single precision. Not modified.</param>
    /// <param name="y">Targets, shape (n_samples,), finite, in the target's unit (e.g. eV). Not modified.</param>
    /// <param name="rng">The random stream; tree i uses stream i of <c>rng.SplitMany(NEstimators)</c>.</param>
    /// <returns>
    /// The fitted model with <see cref="RandomForestOptions.NEstimators"/> trees, or every problem found:
    /// <c>param.out_of_range</c> (n_estimators &lt; 1, min_samples_split &lt; 2, min_samples_leaf &lt; 1, max_depth &lt; 1,
    /// max_samples outside (0, 1], max_features outside its range, n_jobs 0 or below -1,
    /// min_impurity_decrease &lt; 0, max_leaf_nodes &lt; 2), <c>param.conflict</c> (max_samples or oob_score without bootstrap),
    /// <c>shape.rows_mismatch</c> (x.Rows != y.Length), <c>data.empty</c> (no rows or no columns), <c>data.too_large</c>
    /// (n_samples * n_features of <c>Array.MaxLength</c>, about 2^31, or more), <c>data.nan_feature</c> (NaN or infinity in x; one problem per column naming the
    /// first row), <c>data.out_of_range</c> (a value beyond the single-precision range), <c>data.nan_target</c> (NaN or infinity in y).
    /// </returns>
    /// <exception cref="ArgumentNullException">When <paramref name="options"/> or <paramref name="x"/> is null (a programmer error).</exception>
    public static Validation<Problem, RandomForestModel> Fit(RandomForestOptions options, Matrix x, ReadOnlySpan<double> y, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(x);
        return FitTrees(options, x, y, rng, randomSplits: false)
            .Map(f => new RandomForestModel(options, x.Cols, x.Rows, f.Trees, f.OobPrediction, f.OobScore));
    }

    /// <summary>Checks options and data, then grows the forest (best or random splits) and, when asked, its out-of-bag estimate.</summary>
    internal static Validation<Problem, (RegressionTree[] Trees, double[]? OobPrediction, double? OobScore)> FitTrees(
        RandomForestOptions options, Matrix x, ReadOnlySpan<double> y, Rng rng, bool randomSplits)
    {
        var problems = new List<Problem>();
        CheckOptions(options, x.Cols, problems);
        ForestCore.CheckData(x, y, problems);
        if (problems.Count > 0) return Valid.Fail<(RegressionTree[], double[]?, double?)>(problems);

        int n = x.Rows, p = x.Cols;
        var dop = ForestCore.DegreeOfParallelism(options.NJobs);
        var data = TrainingData.Create(x, y.ToArray(), dop, pooled: true);
        var settings = ForestCore.Settings(options, n, p, randomSplits);

        var (streams, _) = rng.SplitMany(options.NEstimators);
        var trees = ForestCore.Grow(data, settings, streams, dop);
        data.Release();
        var oob = options.OobScore ? ForestCore.OutOfBag(trees, settings, streams, x, y, dop) : null;
        return Valid.Ok((trees, oob?.Predictions, oob is { } o ? (double?)o.Score : null));
    }

    /// <summary>Predicts targets as the mean of the trees' predictions.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, <see cref="RandomForestModel.NFeatures"/>), finite; cast to single precision as in fit. Not modified.</param>
    /// <returns>Predictions, shape (n_samples,), in the target's unit: <c>(1/T) sum_t tree_t(x)</c>, summed in tree order, so the result is
    /// bit-identical for every <see cref="RandomForestOptions.NJobs"/>.</returns>
    /// <exception cref="ArgumentNullException">When an argument is null (a programmer error).</exception>
    /// <exception cref="ArgumentException">When <paramref name="x"/> has the wrong number of columns or holds NaN or infinity (a programmer
    /// error: validate untrusted input with <see cref="TryPredict"/>, which returns these as problems).</exception>
    public static double[] Predict(RandomForestModel model, Matrix x)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        var problems = CheckPredictInput(model, x);
        if (problems.Count > 0)
            throw new ArgumentException(string.Join(Environment.NewLine, problems) + Environment.NewLine
                + "Use RandomForest.TryPredict to receive these as problems.", nameof(x));
        return PredictUnchecked(model, x);
    }

    /// <summary>Predicts targets as <see cref="Predict"/> does, returning input problems as values instead of throwing.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, <see cref="RandomForestModel.NFeatures"/>), finite.</param>
    /// <returns>Predictions, shape (n_samples,), or <c>shape.cols_mismatch</c> (wrong number of columns), <c>data.nan_feature</c>
    /// (NaN or infinity, one problem per column).</returns>
    /// <exception cref="ArgumentNullException">When an argument is null (a programmer error).</exception>
    public static Validation<Problem, double[]> TryPredict(RandomForestModel model, Matrix x)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        var problems = CheckPredictInput(model, x);
        return problems.Count > 0 ? Valid.Fail<double[]>(problems) : Valid.Ok(PredictUnchecked(model, x));
    }

    /// <summary>Predicts targets (exactly as <see cref="Predict"/>) and the spread of the trees' predictions around them.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, <see cref="RandomForestModel.NFeatures"/>), finite.</param>
    /// <returns>Means, shape (n_samples,), bit-identical to <see cref="Predict"/>, and standard deviations sqrt((1/T) sum_t (tree_t(x) - mean)^2)
    /// in the target's unit (the population std over the T trees, summed in tree order).</returns>
    /// <exception cref="ArgumentException">When <paramref name="x"/> has the wrong number of columns or holds NaN (a programmer error).</exception>
    /// <remarks>The spread of a forest is a heuristic uncertainty, not a calibrated one: it is small where every tree agrees, which includes
    /// regions far from the training data where all trees extrapolate the same constant. Source: the common practice of the materials
    /// screening literature (e.g. Ling et al., Integr. Mater. Manuf. Innov. 6, 207 (2017), who also give bias-corrected variants).</remarks>
    public static (double[] Mean, double[] Std) PredictWithStd(RandomForestModel model, Matrix x)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        var problems = CheckPredictInput(model, x);
        if (problems.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(x));
        return ForestCore.PredictMeanAndStd(model.Trees, x, ForestCore.DegreeOfParallelism(model.Options.NJobs));
    }

    private static double[] PredictUnchecked(RandomForestModel model, Matrix x) =>
        ForestCore.PredictMean(model.Trees, x, ForestCore.DegreeOfParallelism(model.Options.NJobs));

    internal static void CheckOptions(RandomForestOptions o, int nFeatures, List<Problem> problems)
    {
        void OutOfRange(string what) => problems.Add(new Problem("param.out_of_range", what));
        if (o.NEstimators < 1)
            OutOfRange($"n_estimators (NEstimators) is {o.NEstimators}; expected a number of trees >= 1; fix: use the default 100 or another positive count");
        if (o.MinSamplesSplit < 2)
            OutOfRange($"min_samples_split (MinSamplesSplit) is {o.MinSamplesSplit}; expected an integer >= 2 (a node needs two samples to split); fix: use the default 2 or more");
        if (o.MinSamplesLeaf < 1)
            OutOfRange($"min_samples_leaf (MinSamplesLeaf) is {o.MinSamplesLeaf}; expected an integer >= 1; fix: use the default 1 or more");
        if (o.MaxDepth is int d && d < 1)
            OutOfRange($"max_depth (MaxDepth) is {d}; expected an integer >= 1 or null for unlimited depth; fix: use null (the default) or a positive depth");
        if (o.MaxSamples is double s && !(s > 0 && s <= 1))
            OutOfRange($"max_samples (MaxSamples) is {s}; expected a fraction of the rows in (0, 1] or null for n rows; fix: use null (the default) or e.g. 0.5");
        if (o.MaxSamples is not null && !o.Bootstrap)
            problems.Add(new Problem("param.conflict",
                $"max_samples (MaxSamples) is {o.MaxSamples} but bootstrap (Bootstrap) is false; expected max_samples only with bootstrap sampling; fix: set Bootstrap = true or MaxSamples = null"));
        if (o.MaxFeatures is null)
            OutOfRange("max_features (MaxFeatures) is null; expected a MaxFeatures value; fix: use MaxFeatures.All (the default), Sqrt, Log2, Count(k) or Fraction(f)");
        else if (o.MaxFeatures.Check(nFeatures) is Problem problem)
            problems.Add(problem);
        ForestCore.CheckGrowth(o.MinImpurityDecrease, o.MaxLeafNodes, problems);
        if (o.OobScore && !o.Bootstrap)
            problems.Add(new Problem("param.conflict",
                "oob_score (OobScore) is true but bootstrap (Bootstrap) is false; out-of-bag estimates need bootstrap samples; fix: set Bootstrap = true or OobScore = false"));
        if (o.NJobs is int j && (j == 0 || j < -1))
            OutOfRange($"n_jobs (NJobs) is {j}; expected a number of threads >= 1, or -1 / null for every core; fix: use null (the default) or a positive count");
    }

    private static List<Problem> CheckPredictInput(RandomForestModel model, Matrix x) => ForestCore.CheckPredictInput(model.NFeatures, x);
}
