using System.Collections.ObjectModel;
using LanguageExt;
using System.Text;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>Holds a fitted random-forest regressor: its options, its trees and its impurity-based feature importances.</summary>
/// <remarks>
/// Immutable; built only by <see cref="RandomForest.Fit"/> and used by <see cref="RandomForest.Predict"/>. Equality is structural
/// (same options, same number of features and samples, trees equal node by node), so "same options, same seed, same data" gives
/// equal models whatever <see cref="RandomForestOptions.NJobs"/> was.
/// </remarks>
public sealed record RandomForestModel : IPredictsStd, IHasFeatureImportances
{
    /// <inheritdoc/>
    public (double[] Mean, double[] Std) PredictWithStd(Matrix x) => RandomForest.PredictWithStd(this, x);

    IReadOnlyList<double> IHasFeatureImportances.FeatureImportances => _featureImportances;

    private readonly RegressionTree[] _trees;
    private readonly Vec<double> _featureImportances;

    private readonly double[]? _oobPrediction;

    internal RandomForestModel(RandomForestOptions options, int nFeatures, int nSamples, RegressionTree[] trees,
        double[]? oobPrediction = null, double? oobScore = null)
    {
        _oobPrediction = oobPrediction;
        OobScore = oobScore;
        Options = options;
        NFeatures = nFeatures;
        NSamples = nSamples;
        _trees = trees;
        Trees = Vec.Own(trees);
        _featureImportances = Vec.Own(AverageImportances(trees, nFeatures));
    }

    /// <summary>The options the forest was fitted with.</summary>
    public RandomForestOptions Options { get; }

    /// <summary>Number of features seen during fit (<c>n_features_in_</c>); <see cref="RandomForest.Predict"/> needs this many columns.</summary>
    public int NFeatures { get; }

    /// <summary>Number of training rows.</summary>
    public int NSamples { get; }

    /// <summary>The fitted trees (<c>estimators_</c>), in the order of their random streams; <c>Count</c> = <see cref="RandomForestOptions.NEstimators"/>.</summary>
    public IReadOnlyList<RegressionTree> Trees { get; }

    /// <summary>Number of trees; equals <see cref="RandomForestOptions.NEstimators"/>.</summary>
    public int TreeCount => _trees.Length;

    /// <summary>Out-of-bag prediction of each training row (<c>oob_prediction_</c>), shape (NSamples,): the mean over the trees whose
    /// bootstrap sample left the row out, NaN for a row that every sample drew (scikit-learn warns and predicts 0 there);
    /// <c>null</c> unless <see cref="RandomForestOptions.OobScore"/>. Returns a fresh copy.</summary>
    public double[]? OobPrediction => (double[]?)_oobPrediction?.Clone();

    /// <summary>R^2 of <see cref="OobPrediction"/> over the rows that have one (<c>oob_score_</c>); <c>null</c> unless <see cref="RandomForestOptions.OobScore"/>.</summary>
    public double? OobScore { get; }

    /// <summary>Impurity-based feature importances (<c>feature_importances_</c>), summing to 1 (all 0 when every tree is a single leaf); shape (NFeatures,). Returns a fresh copy.</summary>
    /// <remarks>
    /// The mean over the trees with more than one node of each tree's normalised importances (<see cref="RegressionTree.FeatureImportances"/>),
    /// divided by its sum, i.e. the mean decrease in squared-error impurity, weighted by the share of samples reaching each node.
    /// Biased towards features with many distinct values; prefer permutation importance on held-out data for interpretation.
    /// Source: scikit-learn 1.2.1 <c>BaseForest.feature_importances_</c>; Breiman, "Random Forests", Machine Learning 45, 5-32 (2001).
    /// </remarks>
    public double[] FeatureImportances => _featureImportances.ToArray();

    /// <summary>Compares two models structurally.</summary>
    /// <param name="other">The other model, or <c>null</c>.</param>
    /// <returns><c>true</c> when options, shapes, every tree and the out-of-bag estimates are equal (NaN equals NaN).</returns>
    public bool Equals(RandomForestModel? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        if (Options != other.Options || NFeatures != other.NFeatures || NSamples != other.NSamples || _trees.Length != other._trees.Length
            || !Nullable.Equals(OobScore, other.OobScore) || !ForestCore.SameOob(_oobPrediction, other._oobPrediction))
            return false;
        for (var i = 0; i < _trees.Length; i++)
            if (!_trees[i].Equals(other._trees[i])) return false;
        return true;
    }

    /// <summary>Hashes the options, shapes and first tree.</summary>
    /// <returns>A hash consistent with <see cref="Equals(RandomForestModel?)"/>.</returns>
    public override int GetHashCode() =>
        HashCode.Combine(Options, NFeatures, NSamples, _trees.Length, _trees.Length > 0 ? _trees[0].GetHashCode() : 0);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Options = {Options}, NFeatures = {NFeatures}, NSamples = {NSamples}, TreeCount = {TreeCount}");
        return true;
    }

    /// <summary>Writes the forest for a model file: its sizes, out-of-bag results and every tree.</summary>
    /// <returns>The state.</returns>
    internal StateNode Write()
    {
        var node = new StateNode().Int("n_features_in_", NFeatures).Int("_n_samples", NSamples);
        if (_oobPrediction is not null) node.Floats("oob_prediction_", _oobPrediction);
        if (OobScore is { } s) node.Float("oob_score_", s);
        return node.Nodes("estimators_", _trees.Select(t => t.Write()));
    }

    /// <summary>Reads a forest written by <see cref="Write"/>.</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The forest, or the problems found (also recorded on <paramref name="r"/>).</returns>
    internal static Validation<Problem, RandomForestModel> Read(RandomForestOptions options, StateReader r)
    {
        if (options.NEstimators < 1) r.Fail("estimators_", $"the recorded n_estimators={options.NEstimators}; a forest has at least one tree");
        var nFeatures = r.Int("n_features_in_", 1, ModelState.MaxFeatures); // every tree allocates its importances at this size
        var nSamples = r.Int("_n_samples", 1);
        var oob = r.Has("oob_prediction_") ? r.Floats("oob_prediction_", finite: false) : null; // no fallback sized by n_samples
        if (r.Ok && oob is not null && oob.Length != nSamples) r.Fail("oob_prediction_", $"has {oob.Length} elements, expected n_samples = {nSamples}");
        double? score = r.Has("oob_score_") ? r.Float("oob_score_", finite: false) : null;
        var trees = r.Ok ? r.Nodes("estimators_", options.NEstimators, options.NEstimators).Select(t => RegressionTree.Read(t, nFeatures, singlePrecision: true)).ToArray() : [];
        return r.Ok ? Valid.Ok(new RandomForestModel(options, nFeatures, nSamples, trees!, oob, score)) : Valid.Fail<RandomForestModel>(r.Problems);
    }

    internal static double[] AverageImportances(RegressionTree[] trees, int nFeatures) =>
        ForestCore.AverageImportances(trees, nFeatures);
}
