namespace Pure.Materials.Models.Trees;

/// <summary>Holds the hyperparameters of an extra-trees regressor, with scikit-learn <c>ExtraTreesRegressor</c> names and defaults.</summary>
/// <remarks>
/// The same options as <see cref="RandomForestOptions"/>, except that <see cref="Bootstrap"/> is <c>false</c> by default: every tree sees
/// every row, and the randomness comes from the feature draws and the random thresholds. Inert values: <see cref="ExtraTrees.Fit"/>
/// checks them. Source: scikit-learn 1.2.1, <c>sklearn.ensemble.ExtraTreesRegressor</c>.
/// </remarks>
public sealed record ExtraTreesOptions
{
    /// <summary>Number of trees (<c>n_estimators</c>), at least 1; default 100.</summary>
    public int NEstimators { get; init; } = 100;

    /// <summary>Number of features drawn as split candidates at each node (<c>max_features</c>); default <see cref="MaxFeatures.All"/> (1.0).</summary>
    public MaxFeatures MaxFeatures { get; init; } = MaxFeatures.All;

    /// <summary>Smallest number of samples a node needs to be split (<c>min_samples_split</c>), at least 2; default 2.</summary>
    public int MinSamplesSplit { get; init; } = 2;

    /// <summary>Smallest number of samples in each leaf (<c>min_samples_leaf</c>), at least 1; default 1. A random threshold leaving fewer on a side is rejected.</summary>
    public int MinSamplesLeaf { get; init; } = 1;

    /// <summary>Largest depth of a tree (<c>max_depth</c>), at least 1; <c>null</c> (default) for unlimited.</summary>
    public int? MaxDepth { get; init; } = null;

    /// <summary>Smallest weighted impurity decrease a split must achieve (<c>min_impurity_decrease</c>), at least 0; default 0.</summary>
    public double MinImpurityDecrease { get; init; } = 0.0;

    /// <summary>Largest number of leaves per tree (<c>max_leaf_nodes</c>), at least 2; <c>null</c> (default) for unlimited (best-first growth when set).</summary>
    public int? MaxLeafNodes { get; init; } = null;

    /// <summary>Whether each tree is fitted on a bootstrap sample (<c>bootstrap</c>); default <c>false</c>.</summary>
    public bool Bootstrap { get; init; } = false;

    /// <summary>Bootstrap sample size as a fraction of the rows, in (0, 1] (<c>max_samples</c>); <c>null</c> (default) for n rows. Only with <see cref="Bootstrap"/>.</summary>
    public double? MaxSamples { get; init; } = null;

    /// <summary>Whether to compute out-of-bag predictions and their R^2 (<c>oob_score</c>); default <c>false</c>. Needs <see cref="Bootstrap"/>.</summary>
    public bool OobScore { get; init; } = false;

    /// <summary>Degree of parallelism over trees (<c>n_jobs</c>): at least 1, or <c>null</c> / -1 for every core; the model does not depend on it.</summary>
    public int? NJobs { get; init; } = null;

    internal RandomForestOptions ToForest() => new()
    {
        NEstimators = NEstimators, MaxFeatures = MaxFeatures, MinSamplesSplit = MinSamplesSplit, MinSamplesLeaf = MinSamplesLeaf,
        MaxDepth = MaxDepth, MinImpurityDecrease = MinImpurityDecrease, MaxLeafNodes = MaxLeafNodes, Bootstrap = Bootstrap,
        MaxSamples = MaxSamples, OobScore = OobScore, NJobs = NJobs,
    };
}
