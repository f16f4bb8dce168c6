using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.Trees;

namespace Pure.Materials.Pipelines;

/// <summary>Tree classifiers as <see cref="ClassifierLearner"/>s: <c>rf</c> (random forest), <c>extra-trees</c>, <c>tree</c> (one tree) and
/// <c>gbm</c> (histogram gradient boosting), any number of classes.</summary>
public static class TreeClassifiers
{
    /// <summary>The tree classifier names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["rf", "tree", "extra-trees", "gbm"];

    /// <summary>The hyper-parameters of a forest (<paramref name="forest"/>) or of one tree (the ensemble keys left out).</summary>
    private static Parameter<RandomForestClassifierOptions>[] ForestParameters(bool forest) =>
    [
        Parameter.Choice<RandomForestClassifierOptions, ClassificationCriterion>("criterion", "impurity of a split",
            [("gini", ClassificationCriterion.Gini), ("entropy", ClassificationCriterion.Entropy), ("log_loss", ClassificationCriterion.Entropy)],
            o => o.Criterion, (o, v) => o with { Criterion = v }),
        .. forest ? [Parameter.Int<RandomForestClassifierOptions>("n_estimators", ">= 1", "number of trees", o => o.NEstimators, (o, v) => o with { NEstimators = v })] : Array.Empty<Parameter<RandomForestClassifierOptions>>(),
        Learners.MaxFeaturesParameter<RandomForestClassifierOptions>(o => o.MaxFeatures, (o, v) => o with { MaxFeatures = v }),
        Parameter.Int<RandomForestClassifierOptions>("min_samples_split", ">= 2", "fewest samples a node needs to be split", o => o.MinSamplesSplit, (o, v) => o with { MinSamplesSplit = v }),
        Parameter.Int<RandomForestClassifierOptions>("min_samples_leaf", ">= 1", "fewest samples in a leaf", o => o.MinSamplesLeaf, (o, v) => o with { MinSamplesLeaf = v }),
        Parameter.OptionalInt<RandomForestClassifierOptions>("max_depth", ">= 1 or None (unlimited)", "largest tree depth", o => o.MaxDepth, (o, v) => o with { MaxDepth = v }),
        Parameter.Float<RandomForestClassifierOptions>("min_impurity_decrease", ">= 0", "smallest weighted impurity decrease of a split", o => o.MinImpurityDecrease, (o, v) => o with { MinImpurityDecrease = v }),
        Parameter.OptionalInt<RandomForestClassifierOptions>("max_leaf_nodes", ">= 2 or None (unlimited)", "most leaves per tree (grown best first)", o => o.MaxLeafNodes, (o, v) => o with { MaxLeafNodes = v }),
        .. forest
            ? [
                Parameter.Bool<RandomForestClassifierOptions>("bootstrap", "fit each tree on a bootstrap sample", o => o.Bootstrap, (o, v) => o with { Bootstrap = v }),
                Parameter.OptionalFloat<RandomForestClassifierOptions>("max_samples", "(0, 1] or None (n rows)", "bootstrap sample size as a fraction of the rows", o => o.MaxSamples, (o, v) => o with { MaxSamples = v }),
                Parameter.Bool<RandomForestClassifierOptions>("oob_score", "compute out-of-bag predictions and their accuracy", o => o.OobScore, (o, v) => o with { OobScore = v }),
                Parameter.OptionalInt<RandomForestClassifierOptions>("n_jobs", ">= 1, or None / -1 (every core)", "trees fitted in parallel (results do not depend on it)", o => o.NJobs, (o, v) => o with { NJobs = v }),
            ]
            : Array.Empty<Parameter<RandomForestClassifierOptions>>(),
    ];

    private static LearnerSpec<RandomForestClassifierOptions, ClassifierLearner> Forest(string name, string estimator, string doc, RandomForestClassifierOptions defaults) =>
        Classifiers.Classifier(name, estimator, doc, defaults, ForestParameters(name != "tree"),
            (o, x, y, rng) => name == "extra-trees" ? ExtraTreesClassifier.Fit(o, x, y, rng) : RandomForestClassifier.Fit(o, x, y, rng),
            (_, m) => new ClassifierPredictor(name, m.Classes, xs => RandomForestClassifier.PredictProba(m, xs), m), ScaleStrategy.None,
            m => m.Write(), RandomForestClassifierModel.Read);

    /// <summary><c>rf</c>: scikit-learn <c>RandomForestClassifier</c> (see <see cref="RandomForestClassifier"/>).</summary>
    public static LearnerSpec<RandomForestClassifierOptions, ClassifierLearner> RandomForestSpec { get; } = Forest("rf", "RandomForestClassifier",
        "bootstrap-aggregated classification trees with random feature subsets (probabilities averaged)", new RandomForestClassifierOptions());

    /// <summary><c>tree</c>: scikit-learn <c>DecisionTreeClassifier</c> (one tree, every row, all features by default).</summary>
    public static LearnerSpec<RandomForestClassifierOptions, ClassifierLearner> DecisionTreeSpec { get; } = Forest("tree", "DecisionTreeClassifier",
        "one classification tree (CART)", new RandomForestClassifierOptions { NEstimators = 1, Bootstrap = false, MaxFeatures = MaxFeatures.All, NJobs = 1 });

    /// <summary><c>extra-trees</c>: scikit-learn <c>ExtraTreesClassifier</c> (see <see cref="ExtraTreesClassifier"/>).</summary>
    public static LearnerSpec<RandomForestClassifierOptions, ClassifierLearner> ExtraTreesSpec { get; } = Forest("extra-trees", "ExtraTreesClassifier",
        "extremely randomised classification trees", ExtraTreesClassifier.Defaults);

    /// <summary><c>gbm</c>: scikit-learn <c>HistGradientBoostingClassifier</c> (see <see cref="HistGradientBoostingClassifier"/>).</summary>
    public static LearnerSpec<HistGradientBoostingClassifierOptions, ClassifierLearner> HistGradientBoostingSpec { get; } = Classifiers.Classifier("gbm",
        "HistGradientBoostingClassifier", "histogram gradient boosting with the log loss (binomial or multinomial)", new HistGradientBoostingClassifierOptions(),
        [
            Parameter.Custom<HistGradientBoostingClassifierOptions>("loss", "log_loss", "log_loss (auto is read as log_loss)", "the loss minimised",
                _ => "log_loss", (o, v, ps) => v is "log_loss" or "auto" ? o : Learners.Invalid(o, "loss", v, "log_loss", ps)),
            .. Learners.HistGradientBoostingParameters<HistGradientBoostingClassifierOptions>(),
            Parameter.Custom<HistGradientBoostingClassifierOptions>("scoring", "loss", "loss", "early-stopping score: the validation log loss",
                _ => "loss", (o, v, ps) => v == "loss" ? o : Learners.Invalid(o, "scoring", v, "loss (the validation log loss; other scorers are not implemented)", ps)),
        ],
        (o, x, y, rng) => HistGradientBoostingClassifier.Fit(o, x, y, rng),
        (_, m) => new ClassifierPredictor("gbm", m.Classes, xs => HistGradientBoostingClassifier.PredictProba(m, xs), m), ScaleStrategy.None,
        m => m.Write(), HistGradientBoostingClassifierModel.Read);

    /// <summary>A random-forest classifier as a learner (see <see cref="RandomForestClassifier"/>), or extra trees / one tree by name.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="name"><c>rf</c>, <c>extra-trees</c> or <c>tree</c>.</param>
    /// <returns>The learner.</returns>
    public static ClassifierLearner RandomForest(RandomForestClassifierOptions options, string name = "rf") =>
        (name switch { "extra-trees" => ExtraTreesSpec, "tree" => DecisionTreeSpec, _ => RandomForestSpec }).Build(options);

    /// <summary>Histogram gradient boosting as a classifier learner (see <see cref="HistGradientBoostingClassifier"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static ClassifierLearner HistGradientBoosting(HistGradientBoostingClassifierOptions options) => HistGradientBoostingSpec.Build(options);
}
