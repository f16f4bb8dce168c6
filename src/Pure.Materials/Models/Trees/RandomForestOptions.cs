namespace Pure.Materials.Models.Trees;

/// <summary>Holds the hyperparameters of a random-forest regressor, with scikit-learn <c>RandomForestRegressor</c> names and defaults.</summary>
/// <remarks>
/// Inert values: nothing is checked until <see cref="RandomForest.Fit"/>, which reports every out-of-range value as a
/// <c>param.out_of_range</c> problem. Options not listed keep scikit-learn's defaults: <c>criterion="squared_error"</c>,
/// <c>min_weight_fraction_leaf=0</c>, <c>ccp_alpha=0</c>. The random state is not an option: it is the <see cref="Core.Rng"/> passed to <see cref="RandomForest.Fit"/>.
/// Source: scikit-learn 1.2.1, <c>sklearn.ensemble.RandomForestRegressor</c>.
/// </remarks>
public sealed record RandomForestOptions
{
    /// <summary>Number of trees (<c>n_estimators</c>), at least 1; default 100.</summary>
    public int NEstimators { get; init; } = 100;

    /// <summary>Number of features drawn as split candidates at each node (<c>max_features</c>); default <see cref="MaxFeatures.All"/> (1.0).</summary>
    public MaxFeatures MaxFeatures { get; init; } = MaxFeatures.All;

    /// <summary>Smallest number of (distinct, in-bag) samples a node needs to be split (<c>min_samples_split</c>), at least 2; default 2.</summary>
    public int MinSamplesSplit { get; init; } = 2;

    /// <summary>Smallest number of (distinct, in-bag) samples in each leaf (<c>min_samples_leaf</c>), at least 1; default 1.</summary>
    public int MinSamplesLeaf { get; init; } = 1;

    /// <summary>Largest depth of a tree, the root having depth 0 (<c>max_depth</c>), at least 1; <c>null</c> (default) grows until leaves are pure or too small.</summary>
    public int? MaxDepth { get; init; } = null;

    /// <summary>Whether each tree is fitted on a bootstrap sample (<c>bootstrap</c>); default <c>true</c>. When <c>false</c> every tree sees every row once.</summary>
    public bool Bootstrap { get; init; } = true;

    /// <summary>Bootstrap sample size as a fraction of the rows, in (0, 1] (<c>max_samples</c>); <c>null</c> (default) draws n rows. Only with <see cref="Bootstrap"/>.</summary>
    public double? MaxSamples { get; init; } = null;

    /// <summary>Smallest weighted impurity decrease a split must achieve (<c>min_impurity_decrease</c>), at least 0; default 0.</summary>
    /// <remarks>A node splits when <c>(W_node / W) (impurity - W_R/W_node impurity_R - W_L/W_node impurity_L) &gt;= min_impurity_decrease</c>,
    /// with <c>W</c> the tree's total sample weight and impurities in target unit squared.</remarks>
    public double MinImpurityDecrease { get; init; } = 0.0;

    /// <summary>Largest number of leaves per tree (<c>max_leaf_nodes</c>), at least 2; <c>null</c> (default) for unlimited. When set, trees grow best first.</summary>
    public int? MaxLeafNodes { get; init; } = null;

    /// <summary>Whether to compute out-of-bag predictions and their R^2 (<c>oob_score</c>); default <c>false</c>. Needs <see cref="Bootstrap"/>.</summary>
    public bool OobScore { get; init; } = false;

    /// <summary>Degree of parallelism over trees (<c>n_jobs</c>): at least 1, or <c>null</c> / -1 for every core; default <c>null</c>. The fitted model and the predictions do not depend on it.</summary>
    public int? NJobs { get; init; } = null;
}
