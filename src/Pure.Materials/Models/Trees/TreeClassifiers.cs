using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Classification;

namespace Pure.Materials.Models.Trees;

/// <summary>Tree classifiers as <see cref="ClassifierLearner"/>s: <c>rf</c> (random forest), <c>extra-trees</c> and <c>tree</c> (one tree), any number of classes.</summary>
public static class TreeClassifiers
{
    /// <summary>The classifier names parsed here.</summary>
    public static IReadOnlyList<string> Names { get; } = ["rf", "tree", "extra-trees", "gbm"];

    private static readonly string[] Keys =
        ["n_estimators", "criterion", "max_features", "min_samples_split", "min_samples_leaf", "max_depth", "min_impurity_decrease", "max_leaf_nodes",
         "bootstrap", "max_samples", "oob_score", "n_jobs"];

    /// <summary>A random-forest classifier as a learner (see <see cref="RandomForestClassifier"/>), or extra trees (<see cref="ExtraTreesClassifier"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="name">The learner name (<c>rf</c>; <c>tree</c> for a single tree; <c>extra-trees</c> for random thresholds).</param>
    /// <returns>The learner.</returns>
    public static ClassifierLearner RandomForest(RandomForestClassifierOptions options, string name = "rf") => new(
        name,
        [
            new("criterion", options.Criterion == ClassificationCriterion.Entropy ? "entropy" : "gini"),
            new("n_estimators", options.NEstimators.ToString(CultureInfo.InvariantCulture)),
            new("max_features", options.MaxFeatures.ToString()),
            new("min_samples_split", options.MinSamplesSplit.ToString(CultureInfo.InvariantCulture)),
            new("min_samples_leaf", options.MinSamplesLeaf.ToString(CultureInfo.InvariantCulture)),
            new("max_depth", options.MaxDepth?.ToString(CultureInfo.InvariantCulture) ?? "None"),
            new("min_impurity_decrease", options.MinImpurityDecrease.ToString("R", CultureInfo.InvariantCulture)),
            new("max_leaf_nodes", options.MaxLeafNodes?.ToString(CultureInfo.InvariantCulture) ?? "None"),
            new("bootstrap", options.Bootstrap ? "true" : "false"),
            new("max_samples", options.MaxSamples?.ToString("R", CultureInfo.InvariantCulture) ?? "None"),
            new("oob_score", options.OobScore ? "true" : "false"),
        ],
        (x, y, rng) => (name == "extra-trees" ? ExtraTreesClassifier.Fit(options, x, y, rng) : RandomForestClassifier.Fit(options, x, y, rng))
            .Map(m => new ClassifierPredictor(name, m.Classes, xs => RandomForestClassifier.PredictProba(m, xs), m)));

    /// <summary>Parses <c>rf</c> (RandomForestClassifier), <c>extra-trees</c> (ExtraTreesClassifier) or <c>tree</c> (DecisionTreeClassifier: one tree,
    /// no bootstrap, every feature) settings.</summary>
    /// <param name="name">The classifier name.</param>
    /// <param name="settings">Settings with scikit-learn names: n_estimators (rf only), criterion (gini, entropy or log_loss), max_features, min_samples_split,
    /// min_samples_leaf, max_depth, min_impurity_decrease, max_leaf_nodes, bootstrap, max_samples, oob_score (rf and extra-trees), n_jobs.</param>
    /// <returns><c>null</c> for another name; otherwise the learner or <c>param.unknown</c>, <c>param.invalid_value</c>.</returns>
    public static Validation<Problem, ClassifierLearner>? Parse(string name, IReadOnlyDictionary<string, string> settings)
    {
        if (name == "gbm") return ParseGbm(settings);
        if (name is not ("rf" or "tree" or "extra-trees")) return null;
        var problems = new List<Problem>();
        var o = name == "tree"
            ? new RandomForestClassifierOptions { NEstimators = 1, Bootstrap = false, MaxFeatures = MaxFeatures.All, NJobs = 1 }
            : name == "extra-trees" ? ExtraTreesClassifier.Defaults : new RandomForestClassifierOptions();
        foreach (var (k, v) in settings)
        {
            static bool None(string v) => v is "None" or "none" or "null";
            int I(string v, int fallback)
            {
                if (int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
                problems.Add(new Problem("param.invalid_value", $"{k}={v} is not an integer (e.g. {k}=10)"));
                return fallback;
            }
            double D(string v, double fallback)
            {
                if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
                problems.Add(new Problem("param.invalid_value", $"{k}={v} is not a finite number"));
                return fallback;
            }
            o = k switch
            {
                "n_estimators" when name != "tree" => o with { NEstimators = I(v, o.NEstimators) },
                "criterion" => v switch
                {
                    "gini" => o with { Criterion = ClassificationCriterion.Gini },
                    "entropy" or "log_loss" => o with { Criterion = ClassificationCriterion.Entropy },
                    _ => Bad(o, $"criterion={v} is not accepted; use gini, entropy or log_loss"),
                },
                "max_features" => MaxFeatures.Parse(v).Match(mf => o with { MaxFeatures = mf }, ps => { problems.AddRange(ps); return o; }),
                "min_samples_split" => o with { MinSamplesSplit = I(v, o.MinSamplesSplit) },
                "min_samples_leaf" => o with { MinSamplesLeaf = I(v, o.MinSamplesLeaf) },
                "max_depth" => o with { MaxDepth = None(v) ? null : I(v, 0) },
                "min_impurity_decrease" => o with { MinImpurityDecrease = D(v, 0) },
                "max_leaf_nodes" => o with { MaxLeafNodes = None(v) ? null : I(v, 0) },
                "bootstrap" when name != "tree" => o with { Bootstrap = v is "true" or "True" or "1" },
                "max_samples" when name != "tree" => o with { MaxSamples = None(v) ? null : D(v, 1.0) },
                "oob_score" when name != "tree" => o with { OobScore = v is "true" or "True" or "1" },
                "n_jobs" => o with { NJobs = None(v) ? null : I(v, 1) },
                _ => Bad(o, $"classifier '{name}' has no parameter '{k}'; accepted: {string.Join(", ", name != "tree" ? Keys : Keys.Where(x => x is not ("n_estimators" or "bootstrap" or "max_samples" or "oob_score")))}", "param.unknown"),
            };
        }
        return problems.Count == 0 ? Valid.Ok(RandomForest(o, name)) : Valid.Fail<ClassifierLearner>(problems);

        RandomForestClassifierOptions Bad(RandomForestClassifierOptions o, string message, string code = "param.invalid_value")
        {
            problems.Add(new Problem(code, message));
            return o;
        }
    }

    private static readonly string[] GbmKeys =
        ["loss", "learning_rate", "max_iter", "max_leaf_nodes", "max_depth", "min_samples_leaf", "l2_regularization", "max_bins", "early_stopping",
         "validation_fraction", "n_iter_no_change", "tol", "scoring", "subsample", "max_features", "n_jobs"];

    /// <summary>Histogram gradient boosting as a classifier (see <see cref="HistGradientBoostingClassifier"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner, named <c>gbm</c>.</returns>
    public static ClassifierLearner HistGradientBoosting(HistGradientBoostingClassifierOptions options) => new(
        "gbm",
        [
            new("loss", "log_loss"),
            new("learning_rate", options.LearningRate.ToString("R", CultureInfo.InvariantCulture)),
            new("max_iter", options.MaxIter.ToString(CultureInfo.InvariantCulture)),
            new("max_leaf_nodes", options.MaxLeafNodes?.ToString(CultureInfo.InvariantCulture) ?? "None"),
            new("max_depth", options.MaxDepth?.ToString(CultureInfo.InvariantCulture) ?? "None"),
            new("min_samples_leaf", options.MinSamplesLeaf.ToString(CultureInfo.InvariantCulture)),
            new("l2_regularization", options.L2Regularization.ToString("R", CultureInfo.InvariantCulture)),
            new("max_bins", options.MaxBins.ToString(CultureInfo.InvariantCulture)),
            new("early_stopping", options.EarlyStopping switch { EarlyStopping.On => "true", EarlyStopping.Off => "false", _ => "auto" }),
            new("validation_fraction", options.ValidationFraction.ToString("R", CultureInfo.InvariantCulture)),
            new("n_iter_no_change", options.NIterNoChange.ToString(CultureInfo.InvariantCulture)),
            new("tol", options.Tol.ToString("R", CultureInfo.InvariantCulture)),
            new("scoring", "loss"),
            new("subsample", options.Subsample.ToString("R", CultureInfo.InvariantCulture)),
            new("max_features", options.MaxFeatures.ToString("R", CultureInfo.InvariantCulture)),
        ],
        (x, y, rng) => HistGradientBoostingClassifier.Fit(options, x, y, rng)
            .Map(m => new ClassifierPredictor("gbm", m.Classes, xs => HistGradientBoostingClassifier.PredictProba(m, xs), m)));

    /// <summary>Parses <c>gbm</c> (HistGradientBoostingClassifier) settings: loss (log_loss), learning_rate, max_iter, max_leaf_nodes, max_depth,
    /// min_samples_leaf, l2_regularization, max_bins, early_stopping (auto, true, false), validation_fraction, n_iter_no_change, tol,
    /// scoring (loss), subsample, max_features, n_jobs.</summary>
    private static Validation<Problem, ClassifierLearner> ParseGbm(IReadOnlyDictionary<string, string> settings)
    {
        var problems = new List<Problem>();
        var o = new HistGradientBoostingClassifierOptions();
        foreach (var (k, v) in settings)
        {
            if (HistGradientBoostingCommonOptions.TryParse(ref o, k, v, problems)) continue;
            HistGradientBoostingClassifierOptions Invalid(string expected)
            {
                problems.Add(new Problem("param.invalid_value", $"{k}={v} is not accepted; use {expected}"));
                return o;
            }
            o = k switch
            {
                "loss" => v is "log_loss" or "auto" ? o : Invalid("log_loss"),
                "scoring" => v == "loss" ? o : Invalid("loss (the validation log loss; other scorers are not implemented)"),
                _ => Unknown(k),
            };
        }
        return problems.Count == 0 ? Valid.Ok(HistGradientBoosting(o)) : Valid.Fail<ClassifierLearner>(problems);

        HistGradientBoostingClassifierOptions Unknown(string key)
        {
            problems.Add(new Problem("param.unknown", $"classifier 'gbm' has no parameter '{key}'; accepted: {string.Join(", ", GbmKeys)}"));
            return o;
        }
    }
}
