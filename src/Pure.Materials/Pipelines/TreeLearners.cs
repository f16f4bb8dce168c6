using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Trees;
using Pure.Materials.Models;

namespace Pure.Materials.Pipelines;

/// <summary>Tree models as learners (this part of <see cref="Learners"/>): <c>tree</c>, <c>extra-trees</c>, <c>gbm</c>.</summary>
public static partial class Learners
{
    /// <summary><c>tree</c>: scikit-learn <c>DecisionTreeRegressor</c> (see <see cref="Models.Trees.DecisionTree"/>).</summary>
    public static LearnerSpec<DecisionTreeOptions, Learner> DecisionTreeSpec { get; } = Regressor("tree", "DecisionTreeRegressor",
        "one regression tree (CART, squared error)", new DecisionTreeOptions(),
        [
            Parameter.Choice<DecisionTreeOptions, Splitter>("splitter", "best threshold per feature, or one random threshold",
                [("best", Splitter.Best), ("random", Splitter.Random)], o => o.Splitter, (o, v) => o with { Splitter = v }),
            Parameter.OptionalInt<DecisionTreeOptions>("max_depth", ">= 1 or None (unlimited)", "largest tree depth", o => o.MaxDepth, (o, v) => o with { MaxDepth = v }),
            Parameter.Int<DecisionTreeOptions>("min_samples_split", ">= 2", "fewest samples a node needs to be split", o => o.MinSamplesSplit, (o, v) => o with { MinSamplesSplit = v }),
            Parameter.Int<DecisionTreeOptions>("min_samples_leaf", ">= 1", "fewest samples in a leaf", o => o.MinSamplesLeaf, (o, v) => o with { MinSamplesLeaf = v }),
            MaxFeaturesParameter<DecisionTreeOptions>(o => o.MaxFeatures, (o, v) => o with { MaxFeatures = v }),
            Parameter.Float<DecisionTreeOptions>("min_impurity_decrease", ">= 0", "smallest weighted impurity decrease of a split", o => o.MinImpurityDecrease, (o, v) => o with { MinImpurityDecrease = v }),
            Parameter.OptionalInt<DecisionTreeOptions>("max_leaf_nodes", ">= 2 or None (unlimited)", "most leaves (grown best first)", o => o.MaxLeafNodes, (o, v) => o with { MaxLeafNodes = v }),
        ],
        (o, x, y, rng) => Models.Trees.DecisionTree.Fit(o, x, y.ToArray(), rng), Models.Trees.DecisionTree.Predict, ScaleStrategy.None,
        Models.Trees.DecisionTree.Write, Models.Trees.DecisionTree.Read);

    /// <summary><c>extra-trees</c>: scikit-learn <c>ExtraTreesRegressor</c> (see <see cref="Models.Trees.ExtraTrees"/>).</summary>
    public static LearnerSpec<ExtraTreesOptions, Learner> ExtraTreesSpec { get; } = Regressor("extra-trees", "ExtraTreesRegressor",
        "extremely randomised trees: one random threshold per candidate feature", new ExtraTreesOptions(),
        [
            Parameter.Int<ExtraTreesOptions>("n_estimators", ">= 1", "number of trees", o => o.NEstimators, (o, v) => o with { NEstimators = v }),
            MaxFeaturesParameter<ExtraTreesOptions>(o => o.MaxFeatures, (o, v) => o with { MaxFeatures = v }),
            Parameter.Int<ExtraTreesOptions>("min_samples_split", ">= 2", "fewest samples a node needs to be split", o => o.MinSamplesSplit, (o, v) => o with { MinSamplesSplit = v }),
            Parameter.Int<ExtraTreesOptions>("min_samples_leaf", ">= 1", "fewest samples in a leaf", o => o.MinSamplesLeaf, (o, v) => o with { MinSamplesLeaf = v }),
            Parameter.OptionalInt<ExtraTreesOptions>("max_depth", ">= 1 or None (unlimited)", "largest tree depth", o => o.MaxDepth, (o, v) => o with { MaxDepth = v }),
            Parameter.Float<ExtraTreesOptions>("min_impurity_decrease", ">= 0", "smallest weighted impurity decrease of a split", o => o.MinImpurityDecrease, (o, v) => o with { MinImpurityDecrease = v }),
            Parameter.OptionalInt<ExtraTreesOptions>("max_leaf_nodes", ">= 2 or None (unlimited)", "most leaves per tree (grown best first)", o => o.MaxLeafNodes, (o, v) => o with { MaxLeafNodes = v }),
            Parameter.Bool<ExtraTreesOptions>("bootstrap", "fit each tree on a bootstrap sample", o => o.Bootstrap, (o, v) => o with { Bootstrap = v }),
            Parameter.OptionalFloat<ExtraTreesOptions>("max_samples", "(0, 1] or None (n rows)", "bootstrap sample size as a fraction of the rows", o => o.MaxSamples, (o, v) => o with { MaxSamples = v }),
            Parameter.Bool<ExtraTreesOptions>("oob_score", "compute out-of-bag predictions and their R^2 (needs bootstrap)", o => o.OobScore, (o, v) => o with { OobScore = v }),
            Parameter.OptionalInt<ExtraTreesOptions>("n_jobs", ">= 1, or None / -1 (every core)", "trees fitted in parallel (results do not depend on it)", o => o.NJobs, (o, v) => o with { NJobs = v }),
        ],
        (o, x, y, rng) => Models.Trees.ExtraTrees.Fit(o, x, y.ToArray(), rng), Models.Trees.ExtraTrees.Predict, ScaleStrategy.None,
        m => m.Write(), ExtraTreesModel.Read);

    /// <summary><c>gbm</c>: scikit-learn <c>HistGradientBoostingRegressor</c> (see <see cref="Models.Trees.HistGradientBoosting"/>).</summary>
    public static LearnerSpec<HistGradientBoostingOptions, Learner> HistGradientBoostingSpec { get; } = Regressor("gbm", "HistGradientBoostingRegressor",
        "histogram gradient boosting of regression trees", new HistGradientBoostingOptions(),
        [
            Parameter.Custom<HistGradientBoostingOptions>("preset", "accurate or default", "accurate or default",
                "accurate: learning_rate 0.02, max_iter 3000, 63 leaves, max_features 0.2, subsample 0.6 (applied first; other settings override it)",
                _ => "", (o, v, ps) => v switch
                {
                    "accurate" => HistGradientBoostingOptions.Accurate,
                    "default" => o,
                    _ => Invalid(o, "preset", v, "accurate or default", ps),
                }, recorded: false, first: true),
            Parameter.Choice<HistGradientBoostingOptions, BoostingLoss>("loss", "the loss minimised",
                [("squared_error", BoostingLoss.SquaredError), ("absolute_error", BoostingLoss.AbsoluteError)], o => o.Loss, (o, v) => o with { Loss = v }),
            .. HistGradientBoostingParameters<HistGradientBoostingOptions>(),
        ],
        (o, x, y, rng) => Models.Trees.HistGradientBoosting.Fit(o, x, y.ToArray(), rng), Models.Trees.HistGradientBoosting.Predict, ScaleStrategy.None,
        m => m.Write(), HistGradientBoostingModel.Read);

    /// <summary>Declares the hyper-parameters gradient-boosting regressors and classifiers share (<see cref="HistGradientBoostingCommonOptions"/>).</summary>
    internal static Parameter<T>[] HistGradientBoostingParameters<T>() where T : HistGradientBoostingCommonOptions =>
    [
        Parameter.Float<T>("learning_rate", "> 0", "shrinkage of every tree's leaf values", o => o.LearningRate, (o, v) => (T)(o with { LearningRate = v })),
        Parameter.Int<T>("max_iter", ">= 1", "boosting iterations", o => o.MaxIter, (o, v) => (T)(o with { MaxIter = v })),
        Parameter.OptionalInt<T>("max_leaf_nodes", ">= 2 or None (unlimited)", "most leaves per tree", o => o.MaxLeafNodes, (o, v) => (T)(o with { MaxLeafNodes = v })),
        Parameter.OptionalInt<T>("max_depth", ">= 1 or None (unlimited)", "largest tree depth", o => o.MaxDepth, (o, v) => (T)(o with { MaxDepth = v })),
        Parameter.Int<T>("min_samples_leaf", ">= 1", "fewest samples in a leaf", o => o.MinSamplesLeaf, (o, v) => (T)(o with { MinSamplesLeaf = v })),
        Parameter.Float<T>("l2_regularization", ">= 0", "L2 penalty on leaf values", o => o.L2Regularization, (o, v) => (T)(o with { L2Regularization = v })),
        Parameter.Int<T>("max_bins", "[2, 255]", "bins per feature", o => o.MaxBins, (o, v) => (T)(o with { MaxBins = v })),
        Parameter.Choice<T, EarlyStopping>("early_stopping", "stop when the validation loss stops improving (auto: above 10000 rows)",
            [("auto", EarlyStopping.Auto), ("true", EarlyStopping.On), ("True", EarlyStopping.On), ("false", EarlyStopping.Off), ("False", EarlyStopping.Off)],
            o => o.EarlyStopping, (o, v) => (T)(o with { EarlyStopping = v })),
        Parameter.Float<T>("validation_fraction", "(0, 1)", "rows held out for early stopping", o => o.ValidationFraction, (o, v) => (T)(o with { ValidationFraction = v })),
        Parameter.Int<T>("n_iter_no_change", ">= 1", "iterations without improvement before stopping", o => o.NIterNoChange, (o, v) => (T)(o with { NIterNoChange = v })),
        Parameter.Float<T>("tol", ">= 0", "smallest improvement that counts", o => o.Tol, (o, v) => (T)(o with { Tol = v })),
        Parameter.Float<T>("subsample", "(0, 1]", "fraction of rows each iteration's trees see (drawn without replacement)", o => o.Subsample, (o, v) => (T)(o with { Subsample = v })),
        Parameter.Float<T>("max_features", "(0, 1]", "fraction of features drawn as split candidates at each node (scikit-learn >= 1.4)", o => o.MaxFeatures, (o, v) => (T)(o with { MaxFeatures = v })),
        Parameter.OptionalInt<T>("n_jobs", ">= 1 or None (every core)", "threads for histograms (the model does not depend on it)", o => o.NJobs, (o, v) => (T)(o with { NJobs = v })),
    ];

    /// <summary>A single regression tree as a learner (see <see cref="Models.Trees.DecisionTree"/>; scikit-learn <c>DecisionTreeRegressor</c>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner DecisionTree(DecisionTreeOptions options) => DecisionTreeSpec.Build(options);

    /// <summary>Extra-trees regression as a learner (see <see cref="Models.Trees.ExtraTrees"/>; scikit-learn <c>ExtraTreesRegressor</c>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner ExtraTrees(ExtraTreesOptions options) => ExtraTreesSpec.Build(options);

    /// <summary>Histogram gradient boosting as a learner (see <see cref="HistGradientBoosting"/>; scikit-learn <c>HistGradientBoostingRegressor</c>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner HistGradientBoosting(HistGradientBoostingOptions options) => HistGradientBoostingSpec.Build(options);

    internal static T Invalid<T>(T o, string key, string value, string accepted, List<Problem> problems)
    {
        problems.Add(new Problem("param.invalid_value", $"{key}={value} is not accepted; use {accepted}"));
        return o;
    }
}
