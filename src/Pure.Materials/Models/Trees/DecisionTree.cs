using System.Text;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>Names how a tree chooses the threshold of a candidate feature (scikit-learn <c>splitter</c>).</summary>
public enum Splitter
{
    /// <summary>The best threshold (midpoint between consecutive distinct values), scikit-learn <c>"best"</c>.</summary>
    Best,

    /// <summary>One uniform random threshold per candidate feature, scikit-learn <c>"random"</c> (as in extra trees).</summary>
    Random,
}

/// <summary>Holds the hyperparameters of a single regression tree, with scikit-learn <c>DecisionTreeRegressor</c> names and defaults.</summary>
/// <remarks>Inert values, checked by <see cref="DecisionTree.Fit"/>. Criterion: squared error. Source: scikit-learn 1.2.1 <c>sklearn.tree.DecisionTreeRegressor</c>.</remarks>
public sealed record DecisionTreeOptions
{
    /// <summary>How thresholds are chosen (<c>splitter</c>); default <see cref="Splitter.Best"/>.</summary>
    public Splitter Splitter { get; init; } = Splitter.Best;

    /// <summary>Largest depth, the root having depth 0 (<c>max_depth</c>), at least 1; <c>null</c> (default) for unlimited.</summary>
    public int? MaxDepth { get; init; } = null;

    /// <summary>Smallest number of samples a node needs to be split (<c>min_samples_split</c>), at least 2; default 2.</summary>
    public int MinSamplesSplit { get; init; } = 2;

    /// <summary>Smallest number of samples in each leaf (<c>min_samples_leaf</c>), at least 1; default 1.</summary>
    public int MinSamplesLeaf { get; init; } = 1;

    /// <summary>Number of features drawn as split candidates at each node (<c>max_features</c>); default <see cref="MaxFeatures.All"/>.</summary>
    public MaxFeatures MaxFeatures { get; init; } = MaxFeatures.All;

    /// <summary>Smallest weighted impurity decrease <c>(W_node/W)(impurity - W_L/W_node impurity_L - W_R/W_node impurity_R)</c> a split must achieve (<c>min_impurity_decrease</c>), at least 0; default 0.</summary>
    public double MinImpurityDecrease { get; init; } = 0.0;

    /// <summary>Largest number of leaves (<c>max_leaf_nodes</c>), at least 2; <c>null</c> (default) for unlimited. When set the tree grows best first (largest improvement first).</summary>
    public int? MaxLeafNodes { get; init; } = null;
}

/// <summary>Fits and applies single CART regression trees (squared error), as scikit-learn's <c>DecisionTreeRegressor</c>.</summary>
/// <remarks>
/// <para>The tree of <see cref="RandomForest"/> without bootstrap: same float32 presorted exact splits, same stopping rules, plus
/// best-first growth when <see cref="DecisionTreeOptions.MaxLeafNodes"/> is set (scikit-learn <c>BestFirstTreeBuilder</c>: the frontier
/// node with the largest improvement is split next; ties go to the earlier node, where scikit-learn's heap order is unspecified).
/// With every feature and the best splitter the tree equals scikit-learn's node by node, up to ties between equally good splits
/// (which scikit-learn breaks by its random feature order). The stream only orders the feature draws (and draws random thresholds).</para>
/// <para>Edge cases: a constant target, or fewer than <c>2 min_samples_leaf</c> rows, give a single leaf predicting the mean;
/// NaN features or targets are refused (<c>data.nan_feature</c>, <c>data.nan_target</c>).</para>
/// <para>Source: Breiman, Friedman, Olshen, Stone, "Classification and Regression Trees" (1984); scikit-learn 1.2.1 <c>sklearn/tree/_tree.pyx</c>, <c>_splitter.pyx</c>.</para>
/// </remarks>
public static class DecisionTree
{
    /// <summary>Fits one regression tree.</summary>
    /// <param name="options">Hyperparameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite. Not modified.</param>
    /// <param name="y">Targets, shape (n_samples,), finite. Not modified.</param>
    /// <param name="rng">The stream of the feature draws (stream 0 of <c>rng.SplitMany(1)</c>).</param>
    /// <returns>The model, or the problems listed for <see cref="RandomForest.Fit"/>.</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="options"/> or <paramref name="x"/> is null (a programmer error).</exception>
    public static Validation<Problem, DecisionTreeModel> Fit(DecisionTreeOptions options, Matrix x, ReadOnlySpan<double> y, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(x);
        var forest = new RandomForestOptions
        {
            NEstimators = 1, Bootstrap = false, NJobs = 1, MaxFeatures = options.MaxFeatures, MaxDepth = options.MaxDepth,
            MinSamplesSplit = options.MinSamplesSplit, MinSamplesLeaf = options.MinSamplesLeaf,
            MinImpurityDecrease = options.MinImpurityDecrease, MaxLeafNodes = options.MaxLeafNodes,
        };
        return RandomForest.FitTrees(forest, x, y, rng, randomSplits: options.Splitter == Splitter.Random)
            .Map(f => new DecisionTreeModel(options, f.Trees[0]));
    }

    /// <summary>Predicts targets: the value of the leaf each row falls in.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, NFeatures), finite.</param>
    /// <returns>Predictions, shape (n_samples,).</returns>
    /// <exception cref="ArgumentException">When <paramref name="x"/> has the wrong number of columns or holds NaN (use <see cref="TryPredict"/>).</exception>
    public static double[] Predict(DecisionTreeModel model, Matrix x) => TryPredict(model, x).Match(
        p => p, ps => throw new ArgumentException(string.Join(Environment.NewLine, ps) + Environment.NewLine + "Use DecisionTree.TryPredict to receive these as problems.", nameof(x)));

    /// <summary>Predicts targets, returning input problems as values.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, NFeatures), finite.</param>
    /// <returns>Predictions, or <c>shape.cols_mismatch</c>, <c>data.nan_feature</c>, <c>data.out_of_range</c>.</returns>
    public static Validation<Problem, double[]> TryPredict(DecisionTreeModel model, Matrix x)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        var problems = ForestCore.CheckPredictInput(model.Tree.NFeatures, x);
        return problems.Count > 0 ? Valid.Fail<double[]>(problems) : Valid.Ok(ForestCore.PredictMean([model.Tree], x, 1));
    }

    /// <summary>Writes a fitted tree for a model file: <c>n_features_in_</c> and the node arrays of <c>tree_</c>.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The state.</returns>
    internal static StateNode Write(DecisionTreeModel model) => new StateNode().Int("n_features_in_", model.NFeatures).Node("tree_", model.Tree.Write());

    /// <summary>Reads a model written by <see cref="Write"/>, checking the tree's structure (<see cref="TreeState.ReadLayout"/>).</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    internal static Validation<Problem, DecisionTreeModel> Read(DecisionTreeOptions options, StateReader r)
    {
        var p = r.Int("n_features_in_", 1, ModelState.MaxFeatures);
        var tree = r.Ok ? RegressionTree.Read(r.Node("tree_"), p, singlePrecision: true) : null;
        return ModelState.Finish(r, () => new DecisionTreeModel(options, tree!));
    }
}

/// <summary>Holds a fitted regression tree and the options it was grown with.</summary>
/// <param name="Options">The options.</param>
/// <param name="Tree">The tree (<c>tree_</c>); its <see cref="RegressionTree.FeatureImportances"/> are <c>feature_importances_</c>.</param>
public sealed record DecisionTreeModel(DecisionTreeOptions Options, RegressionTree Tree) : IHasFeatureImportances
{
    IReadOnlyList<double> IHasFeatureImportances.FeatureImportances => Vec.Of(Tree.FeatureImportances);

    /// <summary>Number of features seen during fit.</summary>
    public int NFeatures => Tree.NFeatures;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Options = {Options}, Tree = {Tree}");
        return true;
    }
}
