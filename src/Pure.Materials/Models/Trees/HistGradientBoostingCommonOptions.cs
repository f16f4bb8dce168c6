using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>Holds the hyperparameters histogram gradient-boosting regressors and classifiers share, with scikit-learn
/// <c>HistGradientBoostingRegressor</c> / <c>HistGradientBoostingClassifier</c> names and defaults.</summary>
/// <remarks>Inert values, checked by <see cref="HistGradientBoosting.Fit"/> and <see cref="HistGradientBoostingClassifier.Fit"/>.
/// <see cref="Subsample"/> and <see cref="MaxFeatures"/> are options scikit-learn 1.2.1 does not have; their defaults (1.0) switch them off.
/// Source: scikit-learn 1.2.1, <c>sklearn/ensemble/_hist_gradient_boosting/gradient_boosting.py</c> (<c>BaseHistGradientBoosting</c>).</remarks>
public abstract record HistGradientBoostingCommonOptions
{
    /// <summary>Shrinkage of every tree's leaf values (<c>learning_rate</c>), in (0, inf); default 0.1.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Number of boosting iterations (<c>max_iter</c>), at least 1; default 100. Each iteration grows one tree (regression, two
    /// classes) or one tree per class.</summary>
    public int MaxIter { get; init; } = 100;

    /// <summary>Largest number of leaves per tree (<c>max_leaf_nodes</c>), at least 2; default 31. <c>null</c> for unlimited.</summary>
    public int? MaxLeafNodes { get; init; } = 31;

    /// <summary>Largest depth of a tree, the root having depth 0 (<c>max_depth</c>), at least 1; <c>null</c> (default) for unlimited.</summary>
    public int? MaxDepth { get; init; } = null;

    /// <summary>Smallest number of samples per leaf (<c>min_samples_leaf</c>), at least 1; default 20.</summary>
    public int MinSamplesLeaf { get; init; } = 20;

    /// <summary>L2 penalty on leaf values (<c>l2_regularization</c>), at least 0; default 0.</summary>
    public double L2Regularization { get; init; } = 0.0;

    /// <summary>Number of bins per feature (<c>max_bins</c>), in [2, 255]; default 255.</summary>
    public int MaxBins { get; init; } = 255;

    /// <summary>When to stop early (<c>early_stopping</c>); default <see cref="EarlyStopping.Auto"/> (on above 10000 rows).</summary>
    public EarlyStopping EarlyStopping { get; init; } = EarlyStopping.Auto;

    /// <summary>Fraction of the rows held out for early stopping (<c>validation_fraction</c>; stratified by class for a classifier), in (0, 1); default 0.1.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Stop when none of the last <c>n_iter_no_change</c> validation losses beats the one before them by more than <see cref="Tol"/>; at least 1; default 10.</summary>
    public int NIterNoChange { get; init; } = 10;

    /// <summary>Smallest improvement that counts (<c>tol</c>), at least 0; default 1e-7.</summary>
    public double Tol { get; init; } = 1e-7;

    /// <summary>Fraction of the training rows each iteration's trees are grown on, drawn without replacement per iteration (<c>subsample</c>, as in
    /// <c>GradientBoostingRegressor</c>), in (0, 1]; default 1.0 (every row).</summary>
    public double Subsample { get; init; } = 1.0;

    /// <summary>Fraction of the features drawn as split candidates at each node (scikit-learn &gt;= 1.4 <c>max_features</c>), in (0, 1]; default 1.0.</summary>
    public double MaxFeatures { get; init; } = 1.0;

    /// <summary>Threads for histograms (<c>n_jobs</c>; scikit-learn uses OpenMP): at least 1, or <c>null</c> for every core. The model does not depend on it.</summary>
    public int? NJobs { get; init; } = null;

    /// <summary>Adds a <c>param.out_of_range</c> problem for every shared option outside its range except <see cref="NJobs"/> (see <see cref="CheckNJobs"/>).</summary>
    internal void CheckCommon(List<Problem> problems)
    {
        void Bad(string what) => problems.Add(new Problem("param.out_of_range", what));
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) Bad($"learning_rate (LearningRate) is {LearningRate}; expected a positive number; fix: use the default 0.1");
        if (MaxIter < 1) Bad($"max_iter (MaxIter) is {MaxIter}; expected an integer >= 1; fix: use the default 100");
        if (MaxLeafNodes is int l && l < 2) Bad($"max_leaf_nodes (MaxLeafNodes) is {l}; expected an integer >= 2 or null; fix: use the default 31");
        if (MaxDepth is int d && d < 1) Bad($"max_depth (MaxDepth) is {d}; expected an integer >= 1 or null; fix: use null (the default)");
        if (MinSamplesLeaf < 1) Bad($"min_samples_leaf (MinSamplesLeaf) is {MinSamplesLeaf}; expected an integer >= 1; fix: use the default 20");
        if (!(L2Regularization >= 0) || double.IsInfinity(L2Regularization)) Bad($"l2_regularization (L2Regularization) is {L2Regularization}; expected a finite number >= 0; fix: use the default 0");
        if (MaxBins < 2 || MaxBins > 255) Bad($"max_bins (MaxBins) is {MaxBins}; expected an integer in [2, 255]; fix: use the default 255");
        if (!(ValidationFraction > 0 && ValidationFraction < 1)) Bad($"validation_fraction (ValidationFraction) is {ValidationFraction}; expected a fraction in (0, 1); fix: use the default 0.1");
        if (NIterNoChange < 1) Bad($"n_iter_no_change (NIterNoChange) is {NIterNoChange}; expected an integer >= 1; fix: use the default 10");
        if (!(Tol >= 0)) Bad($"tol (Tol) is {Tol}; expected a number >= 0; fix: use the default 1e-7");
        if (!(Subsample > 0 && Subsample <= 1)) Bad($"subsample (Subsample) is {Subsample}; expected a fraction in (0, 1]; fix: use the default 1.0");
        if (!(MaxFeatures > 0 && MaxFeatures <= 1)) Bad($"max_features (MaxFeatures) is {MaxFeatures}; expected a fraction in (0, 1]; fix: use the default 1.0");
    }

    /// <summary>Adds a <c>param.out_of_range</c> problem when <see cref="NJobs"/> is 0 or below -1.</summary>
    internal void CheckNJobs(List<Problem> problems)
    {
        if (NJobs is int j && (j == 0 || j < -1))
            problems.Add(new Problem("param.out_of_range", $"n_jobs (NJobs) is {j}; expected >= 1, or -1 / null for every core; fix: use null (the default)"));
    }
}
