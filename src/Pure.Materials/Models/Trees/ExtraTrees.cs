using System.Text;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>Fits and applies extremely randomised trees regressors, as scikit-learn's <c>ExtraTreesRegressor</c>.</summary>
/// <remarks>
/// <para>As <see cref="RandomForest"/>, except for how a candidate feature is split: instead of the best threshold, one threshold is drawn
/// uniformly in <c>[min, max)</c> of the feature's (single-precision) values in the node (a draw equal to max becomes min), samples with
/// <c>x &lt;= t</c> go left, a draw leaving fewer than <c>min_samples_leaf</c> samples on a side is rejected (the feature still counts as
/// drawn), and the best of the drawn features' random splits is kept (largest <c>S_L^2/W_L + S_R^2/W_R</c>). By default there is no
/// bootstrap. Constant features (max &lt;= min + 1e-7) are skipped as by <see cref="RandomForest"/>.</para>
/// <para>Determinism: tree i uses stream i of <c>rng.SplitMany(NEstimators)</c>; models and predictions are bit-identical for every
/// <see cref="ExtraTreesOptions.NJobs"/>. The draws differ from numpy's, so trees are equal to scikit-learn's in distribution only.</para>
/// <para>Missing values: refused (<c>data.nan_feature</c>); impute first.</para>
/// <para>Source: Geurts, Ernst, Wehenkel, "Extremely randomized trees", Machine Learning 63, 3-42 (2006); scikit-learn 1.2.1
/// <c>sklearn/tree/_splitter.pyx</c> (<c>RandomSplitter.node_split</c>), <c>sklearn/ensemble/_forest.py</c>.</para>
/// </remarks>
/// <example>
/// <code>
/// var model = ExtraTrees.Fit(new ExtraTreesOptions { NEstimators = 200 }, xTrain, yTrain, Rng.FromSeed(0)).OrThrow();
/// double[] yHat = ExtraTrees.Predict(model, xTest);
/// </code>
/// </example>
public static class ExtraTrees
{
    /// <summary>Fits an extra-trees regressor.</summary>
    /// <param name="options">Hyperparameters; see <see cref="ExtraTreesOptions"/>.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite; cast to single precision. Not modified.</param>
    /// <param name="y">Targets, shape (n_samples,), finite. Not modified.</param>
    /// <param name="rng">The random stream; tree i uses stream i of <c>rng.SplitMany(NEstimators)</c>.</param>
    /// <returns>The model, or the problems listed for <see cref="RandomForest.Fit"/> (same codes, same checks).</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="options"/> or <paramref name="x"/> is null (a programmer error).</exception>
    public static Validation<Problem, ExtraTreesModel> Fit(ExtraTreesOptions options, Matrix x, ReadOnlySpan<double> y, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(x);
        return RandomForest.FitTrees(options.ToForest(), x, y, rng, randomSplits: true)
            .Map(f => new ExtraTreesModel(options, x.Cols, x.Rows, f.Trees, f.OobPrediction, f.OobScore));
    }

    /// <summary>Predicts targets as the mean of the trees' predictions, summed in tree order.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, NFeatures), finite.</param>
    /// <returns>Predictions, shape (n_samples,).</returns>
    /// <exception cref="ArgumentException">When <paramref name="x"/> has the wrong number of columns or holds NaN (use <see cref="TryPredict"/>).</exception>
    public static double[] Predict(ExtraTreesModel model, Matrix x) => TryPredict(model, x).Match(
        p => p, ps => throw new ArgumentException(string.Join(Environment.NewLine, ps) + Environment.NewLine + "Use ExtraTrees.TryPredict to receive these as problems.", nameof(x)));

    /// <summary>Predicts targets (exactly as <see cref="Predict"/>) and the population standard deviation of the trees' predictions
    /// (see <see cref="RandomForest.PredictWithStd"/>).</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, NFeatures), finite.</param>
    /// <returns>Means and standard deviations in the target's unit, shape (n_samples,) each.</returns>
    /// <exception cref="ArgumentException">When <paramref name="x"/> has the wrong number of columns or holds NaN (a programmer error).</exception>
    public static (double[] Mean, double[] Std) PredictWithStd(ExtraTreesModel model, Matrix x)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        var problems = ForestCore.CheckPredictInput(model.NFeatures, x);
        if (problems.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(x));
        return ForestCore.PredictMeanAndStd(model.Trees, x, ForestCore.DegreeOfParallelism(model.Options.NJobs));
    }

    /// <summary>Predicts targets, returning input problems as values.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, NFeatures), finite.</param>
    /// <returns>Predictions, or <c>shape.cols_mismatch</c>, <c>data.nan_feature</c>, <c>data.out_of_range</c>.</returns>
    public static Validation<Problem, double[]> TryPredict(ExtraTreesModel model, Matrix x)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        var problems = ForestCore.CheckPredictInput(model.NFeatures, x);
        return problems.Count > 0 ? Valid.Fail<double[]>(problems)
            : Valid.Ok(ForestCore.PredictMean(model.Trees, x, ForestCore.DegreeOfParallelism(model.Options.NJobs)));
    }
}

/// <summary>Holds a fitted extra-trees regressor: options, trees, impurity importances and (optionally) out-of-bag estimates.</summary>
/// <remarks>Immutable; equality is structural (options, shapes, trees node by node).</remarks>
public sealed record ExtraTreesModel : IPredictsStd, IHasFeatureImportances
{
    /// <inheritdoc/>
    public (double[] Mean, double[] Std) PredictWithStd(Matrix x) => ExtraTrees.PredictWithStd(this, x);

    IReadOnlyList<double> IHasFeatureImportances.FeatureImportances => _featureImportances;

    private readonly RegressionTree[] _trees;
    private readonly Vec<double> _featureImportances;
    private readonly double[]? _oobPrediction;

    internal ExtraTreesModel(ExtraTreesOptions options, int nFeatures, int nSamples, RegressionTree[] trees, double[]? oobPrediction, double? oobScore)
    {
        Options = options;
        NFeatures = nFeatures;
        NSamples = nSamples;
        _trees = trees;
        Trees = Vec.Own(trees);
        _featureImportances = Vec.Own(RandomForestModel.AverageImportances(trees, nFeatures));
        _oobPrediction = oobPrediction;
        OobScore = oobScore;
    }

    /// <summary>The options the model was fitted with.</summary>
    public ExtraTreesOptions Options { get; }

    /// <summary>Number of features seen during fit.</summary>
    public int NFeatures { get; }

    /// <summary>Number of training rows.</summary>
    public int NSamples { get; }

    /// <summary>The fitted trees (<c>estimators_</c>), in stream order.</summary>
    public IReadOnlyList<RegressionTree> Trees { get; }

    /// <summary>Impurity-based feature importances (<c>feature_importances_</c>), summing to 1 (0 when every tree is a leaf); shape (NFeatures,). A fresh copy.</summary>
    public double[] FeatureImportances => _featureImportances.ToArray();

    /// <summary>Out-of-bag prediction per training row (NaN where every bootstrap sample drew the row); <c>null</c> unless <see cref="ExtraTreesOptions.OobScore"/>.</summary>
    public double[]? OobPrediction => (double[]?)_oobPrediction?.Clone();

    /// <summary>R^2 of <see cref="OobPrediction"/> (<c>oob_score_</c>); <c>null</c> unless <see cref="ExtraTreesOptions.OobScore"/>.</summary>
    public double? OobScore { get; }

    /// <summary>Compares two models structurally.</summary>
    /// <param name="other">The other model, or <c>null</c>.</param>
    /// <returns><c>true</c> when options, shapes, every tree and the out-of-bag estimates are equal (NaN equals NaN).</returns>
    public bool Equals(ExtraTreesModel? other) =>
        other is not null && (ReferenceEquals(this, other)
            || (Options == other.Options && NFeatures == other.NFeatures && NSamples == other.NSamples && _trees.AsSpan().SequenceEqual(other._trees)
                && Nullable.Equals(OobScore, other.OobScore) && ForestCore.SameOob(_oobPrediction, other._oobPrediction)));

    /// <summary>Hashes the options, shapes and first tree.</summary>
    /// <returns>A hash consistent with <see cref="Equals(ExtraTreesModel?)"/>.</returns>
    public override int GetHashCode() => HashCode.Combine(Options, NFeatures, NSamples, _trees.Length, _trees.Length > 0 ? _trees[0].GetHashCode() : 0);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Options = {Options}, NFeatures = {NFeatures}, NSamples = {NSamples}, TreeCount = {_trees.Length}");
        return true;
    }

    /// <summary>Writes the forest for a model file (see <see cref="ForestCore.WriteForest"/>).</summary>
    /// <returns>The state.</returns>
    internal StateNode Write() => ForestCore.WriteForest(NFeatures, NSamples, _oobPrediction, OobScore, _trees);

    /// <summary>Reads a forest written by <see cref="Write"/>: <c>n_estimators</c> trees, each checked (<see cref="TreeState.ReadLayout"/>).</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    internal static Validation<Problem, ExtraTreesModel> Read(ExtraTreesOptions options, StateReader r) =>
        ForestCore.ReadForest(r, options.NEstimators, options.OobScore) is { } f && r.Ok
            ? Valid.Ok(new ExtraTreesModel(options, f.NFeatures, f.NSamples, f.Trees, f.OobPrediction, f.OobScore))
            : Valid.Fail<ExtraTreesModel>(r.Problems);
}
