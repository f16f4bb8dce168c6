using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Trees;

namespace Pure.Materials.Models;

/// <summary>Tree models as learners (this part of <see cref="Learners"/>): <c>tree</c>, <c>extra-trees</c>, <c>gbm</c>.</summary>
public static partial class Learners
{
    /// <summary>The learner names parsed by this part.</summary>
    public static IReadOnlyList<string> TreeNames { get; } = ["tree", "extra-trees", "gbm"];

    private static readonly string[] GbmKeys =
        ["preset", "loss", "learning_rate", "max_iter", "max_leaf_nodes", "max_depth", "min_samples_leaf", "l2_regularization", "max_bins",
         "early_stopping", "validation_fraction", "n_iter_no_change", "tol", "subsample", "max_features", "n_jobs"];

    /// <summary>Histogram gradient boosting as a learner (see <see cref="HistGradientBoosting"/>; scikit-learn <c>HistGradientBoostingRegressor</c>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner HistGradientBoosting(HistGradientBoostingOptions options) => new(
        "gbm",
        [
            new("loss", options.Loss == BoostingLoss.AbsoluteError ? "absolute_error" : "squared_error"),
            new("learning_rate", F(options.LearningRate)),
            new("max_iter", options.MaxIter.ToString(CultureInfo.InvariantCulture)),
            new("max_leaf_nodes", NoneOr(options.MaxLeafNodes)),
            new("max_depth", NoneOr(options.MaxDepth)),
            new("min_samples_leaf", options.MinSamplesLeaf.ToString(CultureInfo.InvariantCulture)),
            new("l2_regularization", F(options.L2Regularization)),
            new("max_bins", options.MaxBins.ToString(CultureInfo.InvariantCulture)),
            new("early_stopping", options.EarlyStopping switch { EarlyStopping.On => "true", EarlyStopping.Off => "false", _ => "auto" }),
            new("validation_fraction", F(options.ValidationFraction)),
            new("n_iter_no_change", options.NIterNoChange.ToString(CultureInfo.InvariantCulture)),
            new("tol", F(options.Tol)),
            new("subsample", F(options.Subsample)),
            new("max_features", F(options.MaxFeatures)),
        ],
        (x, y, rng) => Trees.HistGradientBoosting.Fit(options, x, y.ToArray(), rng)
            .Map(m => new Predictor("gbm", xs => Trees.HistGradientBoosting.Predict(m, xs), m)));

    private static readonly string[] TreeKeys =
        ["splitter", "max_depth", "min_samples_split", "min_samples_leaf", "max_features", "min_impurity_decrease", "max_leaf_nodes"];

    private static readonly string[] ExtraTreesKeys =
        ["n_estimators", "max_depth", "min_samples_split", "min_samples_leaf", "max_features", "min_impurity_decrease", "max_leaf_nodes",
         "bootstrap", "max_samples", "oob_score", "n_jobs"];

    /// <summary>A single regression tree as a learner (see <see cref="Trees.DecisionTree"/>; scikit-learn <c>DecisionTreeRegressor</c>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner DecisionTree(DecisionTreeOptions options) => new(
        "tree",
        [
            new("splitter", options.Splitter == Splitter.Random ? "random" : "best"),
            new("max_depth", NoneOr(options.MaxDepth)),
            new("min_samples_split", options.MinSamplesSplit.ToString(CultureInfo.InvariantCulture)),
            new("min_samples_leaf", options.MinSamplesLeaf.ToString(CultureInfo.InvariantCulture)),
            new("max_features", options.MaxFeatures.ToString()),
            new("min_impurity_decrease", F(options.MinImpurityDecrease)),
            new("max_leaf_nodes", NoneOr(options.MaxLeafNodes)),
        ],
        (x, y, rng) => Trees.DecisionTree.Fit(options, x, y.ToArray(), rng)
            .Map(m => new Predictor("tree", xs => Trees.DecisionTree.Predict(m, xs), m)));

    /// <summary>Extra-trees regression as a learner (see <see cref="Trees.ExtraTrees"/>; scikit-learn <c>ExtraTreesRegressor</c>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner ExtraTrees(ExtraTreesOptions options) => new(
        "extra-trees",
        [
            new("n_estimators", options.NEstimators.ToString(CultureInfo.InvariantCulture)),
            new("max_features", options.MaxFeatures.ToString()),
            new("min_samples_split", options.MinSamplesSplit.ToString(CultureInfo.InvariantCulture)),
            new("min_samples_leaf", options.MinSamplesLeaf.ToString(CultureInfo.InvariantCulture)),
            new("max_depth", NoneOr(options.MaxDepth)),
            new("min_impurity_decrease", F(options.MinImpurityDecrease)),
            new("max_leaf_nodes", NoneOr(options.MaxLeafNodes)),
            new("bootstrap", options.Bootstrap ? "true" : "false"),
            new("max_samples", options.MaxSamples is { } ms ? F(ms) : "None"),
            new("oob_score", options.OobScore ? "true" : "false"),
        ],
        (x, y, rng) => Trees.ExtraTrees.Fit(options, x, y.ToArray(), rng)
            .Map(m => new Predictor("extra-trees", xs => Trees.ExtraTrees.Predict(m, xs), m)));

    /// <summary>Parses the learners of this part with scikit-learn's parameter names.</summary>
    /// <param name="name"><c>tree</c> (DecisionTreeRegressor: splitter, max_depth, min_samples_split, min_samples_leaf, max_features,
    /// min_impurity_decrease, max_leaf_nodes) or <c>extra-trees</c> (ExtraTreesRegressor: n_estimators, the tree keys except splitter,
    /// bootstrap, max_samples, oob_score, n_jobs) or <c>gbm</c> (HistGradientBoostingRegressor: preset (accurate, see
    /// <see cref="HistGradientBoostingOptions.Accurate"/>; applied first, other keys override it), loss (squared_error, absolute_error), learning_rate, max_iter, max_leaf_nodes,
    /// max_depth, min_samples_leaf, l2_regularization, max_bins, early_stopping (auto, true, false), validation_fraction, n_iter_no_change,
    /// tol, subsample, max_features, n_jobs).</param>
    /// <param name="settings">Settings.</param>
    /// <returns><c>null</c> when the name is not one of <see cref="TreeNames"/>; otherwise the learner or its problems
    /// (<c>param.unknown</c>, <c>param.invalid_value</c>, <c>param.out_of_range</c>, <c>param.invalid</c>).</returns>
    internal static Validation<Problem, Learner>? ParseTrees(string name, IReadOnlyDictionary<string, string> settings)
    {
        var problems = new List<Problem>();
        switch (name)
        {
            case "tree":
            {
                var o = new DecisionTreeOptions();
                foreach (var (k, v) in settings)
                    o = k switch
                    {
                        "splitter" => v switch
                        {
                            "best" => o with { Splitter = Splitter.Best },
                            "random" => o with { Splitter = Splitter.Random },
                            _ => Invalid(o, k, v, "best or random", problems),
                        },
                        "max_depth" => o with { MaxDepth = IsNone(v) ? null : Int(k, v, problems, 0) },
                        "min_samples_split" => o with { MinSamplesSplit = Int(k, v, problems, o.MinSamplesSplit) },
                        "min_samples_leaf" => o with { MinSamplesLeaf = Int(k, v, problems, o.MinSamplesLeaf) },
                        "max_features" => MaxFeatures.Parse(v).Match(mf => o with { MaxFeatures = mf }, ps => { problems.AddRange(ps); return o; }),
                        "min_impurity_decrease" => o with { MinImpurityDecrease = Double(k, v, problems, 0.0) },
                        "max_leaf_nodes" => o with { MaxLeafNodes = IsNone(v) ? null : Int(k, v, problems, 0) },
                        _ => Unknown(o, name, k, TreeKeys, problems),
                    };
                return problems.Count == 0 ? Valid.Ok(DecisionTree(o)) : Valid.Fail<Learner>(problems);
            }
            case "extra-trees":
            {
                var o = new ExtraTreesOptions();
                foreach (var (k, v) in settings)
                    o = k switch
                    {
                        "n_estimators" => o with { NEstimators = Int(k, v, problems, o.NEstimators) },
                        "max_depth" => o with { MaxDepth = IsNone(v) ? null : Int(k, v, problems, 0) },
                        "min_samples_split" => o with { MinSamplesSplit = Int(k, v, problems, o.MinSamplesSplit) },
                        "min_samples_leaf" => o with { MinSamplesLeaf = Int(k, v, problems, o.MinSamplesLeaf) },
                        "max_features" => MaxFeatures.Parse(v).Match(mf => o with { MaxFeatures = mf }, ps => { problems.AddRange(ps); return o; }),
                        "min_impurity_decrease" => o with { MinImpurityDecrease = Double(k, v, problems, 0.0) },
                        "max_leaf_nodes" => o with { MaxLeafNodes = IsNone(v) ? null : Int(k, v, problems, 0) },
                        "bootstrap" => o with { Bootstrap = Bool(k, v, problems, o.Bootstrap) },
                        "max_samples" => o with { MaxSamples = IsNone(v) ? null : Double(k, v, problems, 1.0) },
                        "oob_score" => o with { OobScore = Bool(k, v, problems, o.OobScore) },
                        "n_jobs" => o with { NJobs = IsNone(v) ? null : Int(k, v, problems, 1) },
                        _ => Unknown(o, name, k, ExtraTreesKeys, problems),
                    };
                return problems.Count == 0 ? Valid.Ok(ExtraTrees(o)) : Valid.Fail<Learner>(problems);
            }
            case "gbm":
            {
                var o = new HistGradientBoostingOptions();
                if (settings.TryGetValue("preset", out var preset))
                    o = preset switch
                    {
                        "accurate" => HistGradientBoostingOptions.Accurate,
                        "default" => o,
                        _ => Invalid(o, "preset", preset, "accurate or default", problems),
                    };
                foreach (var (k, v) in settings)
                {
                    if (HistGradientBoostingCommonOptions.TryParse(ref o, k, v, problems)) continue;
                    o = k switch
                    {
                        "preset" => o,
                        "loss" => v switch
                        {
                            "squared_error" => o with { Loss = BoostingLoss.SquaredError },
                            "absolute_error" => o with { Loss = BoostingLoss.AbsoluteError },
                            _ => Invalid(o, k, v, "squared_error or absolute_error", problems),
                        },
                        _ => Unknown(o, name, k, GbmKeys, problems),
                    };
                }
                return problems.Count == 0 ? Valid.Ok(HistGradientBoosting(o)) : Valid.Fail<Learner>(problems);
            }
            default:
                return null;
        }
    }

    private static string NoneOr(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "None";

    private static T Invalid<T>(T o, string key, string value, string accepted, List<Problem> problems)
    {
        problems.Add(new Problem("param.invalid_value", $"{key}={value} is not accepted; use {accepted}"));
        return o;
    }
}
