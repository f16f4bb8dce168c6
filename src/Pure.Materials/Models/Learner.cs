using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Linear;
using Pure.Materials.Models.Trees;

namespace Pure.Materials.Models;

/// <summary>A fitted regressor as a pure function from features to predictions.</summary>
/// <param name="Name">The learner's name (e.g. <c>rf</c>).</param>
/// <param name="Predict">Maps features, shape (n_samples, n_features), to predictions, length n_samples.</param>
/// <param name="Model">The learner's own fitted model record (e.g. <see cref="RidgeModel"/>), for inspection.</param>
public sealed record Predictor(string Name, Func<Matrix, double[]> Predict, object Model);

/// <summary>An unfitted regressor: a name, its hyper-parameters, and a pure fit function.</summary>
/// <param name="Name">Short name used on the command line: <c>rf</c>, <c>ridge</c>.</param>
/// <param name="Parameters">Every hyper-parameter with scikit-learn's name and the value used (recorded in reports).</param>
/// <param name="Fit">Fits on (X, y) with a private random stream; same inputs and stream give the same predictor.</param>
public sealed record Learner(
    string Name,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    Func<Matrix, IReadOnlyList<double>, Rng, Validation<Problem, Predictor>> Fit);

/// <summary>Builds learners from option records or from scikit-learn-style <c>key=value</c> settings.</summary>
public static partial class Learners
{
    /// <summary>The names accepted by <see cref="Parse"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["rf", "ridge", "linear", "lasso", "elastic-net", "kernel-ridge", "knn", "linear-gd", "tree", "extra-trees", "gbm", "gpr", "svr"];

    /// <summary>Ridge regression as a learner (see <see cref="Ridge"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner Ridge(RidgeOptions options) => new(
        "ridge",
        [new("alpha", F(options.Alpha)), new("fit_intercept", options.FitIntercept ? "true" : "false")],
        (x, y, _) => Linear.Ridge.Fit(options, x, y).Map(m => new Predictor("ridge", xs => Linear.Ridge.Predict(m, xs), m)));

    /// <summary>Random-forest regression as a learner (see <see cref="RandomForest"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner RandomForest(RandomForestOptions options) => new(
        "rf",
        [
            new("n_estimators", options.NEstimators.ToString(CultureInfo.InvariantCulture)),
            new("max_features", options.MaxFeatures.ToString()),
            new("min_samples_split", options.MinSamplesSplit.ToString(CultureInfo.InvariantCulture)),
            new("min_samples_leaf", options.MinSamplesLeaf.ToString(CultureInfo.InvariantCulture)),
            new("max_depth", options.MaxDepth?.ToString(CultureInfo.InvariantCulture) ?? "None"),
            new("bootstrap", options.Bootstrap ? "true" : "false"),
            new("max_samples", options.MaxSamples is { } ms ? F(ms) : "None"),
        ],
        (x, y, rng) => Trees.RandomForest.Fit(options, x, y.ToArray(), rng)
            .Map(m => new Predictor("rf", xs => Trees.RandomForest.Predict(m, xs), m)));

    /// <summary>Builds a learner from its name and <c>key=value</c> settings with scikit-learn's parameter names.</summary>
    /// <param name="name"><c>rf</c> (RandomForestRegressor: n_estimators, max_features, min_samples_split, min_samples_leaf, max_depth, bootstrap, max_samples, n_jobs) or <c>ridge</c> (alpha, fit_intercept).</param>
    /// <param name="settings">Settings; keys not listed for the learner are problems.</param>
    /// <returns>The learner, or <c>param.unknown_model</c>, <c>param.unknown</c> (naming the accepted keys), <c>param.invalid_value</c>, one per bad setting.</returns>
    public static Validation<Problem, Learner> Parse(string name, IReadOnlyDictionary<string, string> settings)
    {
        var problems = new List<Problem>();
        switch (name)
        {
            case "ridge":
            {
                var o = new RidgeOptions();
                foreach (var (k, v) in settings)
                    o = k switch
                    {
                        "alpha" => o with { Alpha = Double(k, v, problems, o.Alpha) },
                        "fit_intercept" => o with { FitIntercept = Bool(k, v, problems, o.FitIntercept) },
                        _ => Unknown(o, name, k, ["alpha", "fit_intercept"], problems),
                    };
                return problems.Count == 0 ? Valid.Ok(Ridge(o)) : Valid.Fail<Learner>(problems);
            }
            case "rf":
            {
                var o = new RandomForestOptions();
                foreach (var (k, v) in settings)
                    o = k switch
                    {
                        "n_estimators" => o with { NEstimators = Int(k, v, problems, o.NEstimators) },
                        "max_features" => MaxFeatures.Parse(v).Match(mf => o with { MaxFeatures = mf }, ps => { problems.AddRange(ps); return o; }),
                        "min_samples_split" => o with { MinSamplesSplit = Int(k, v, problems, o.MinSamplesSplit) },
                        "min_samples_leaf" => o with { MinSamplesLeaf = Int(k, v, problems, o.MinSamplesLeaf) },
                        "max_depth" => o with { MaxDepth = IsNone(v) ? null : Int(k, v, problems, 0) },
                        "bootstrap" => o with { Bootstrap = Bool(k, v, problems, o.Bootstrap) },
                        "max_samples" => o with { MaxSamples = IsNone(v) ? null : Double(k, v, problems, 1.0) },
                        "n_jobs" => o with { NJobs = IsNone(v) ? null : Int(k, v, problems, 1) },
                        "min_impurity_decrease" => o with { MinImpurityDecrease = Double(k, v, problems, 0.0) },
                        "max_leaf_nodes" => o with { MaxLeafNodes = IsNone(v) ? null : Int(k, v, problems, 0) },
                        "oob_score" => o with { OobScore = Bool(k, v, problems, o.OobScore) },
                        _ => Unknown(o, name, k, ["n_estimators", "max_features", "min_samples_split", "min_samples_leaf", "max_depth", "bootstrap", "max_samples", "n_jobs", "min_impurity_decrease", "max_leaf_nodes", "oob_score"], problems),
                    };
                return problems.Count == 0 ? Valid.Ok(RandomForest(o)) : Valid.Fail<Learner>(problems);
            }
            default:
                if (ParseLinearKernelNeighbor(name, settings) is { } linearKernelNeighbor) return linearKernelNeighbor;
                if (ParseTrees(name, settings) is { } trees) return trees;
                if (ParseGaussian(name, settings) is { } gaussian) return gaussian;
                if (ParseSupportVector(name, settings) is { } supportVector) return supportVector;
                return Valid.Fail<Learner>("param.unknown_model", $"unknown model '{name}'; use one of {string.Join(", ", Names)}");
        }
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    internal static bool IsNone(string v) => v is "None" or "none" or "null";

    private static T Unknown<T>(T o, string model, string key, string[] accepted, List<Problem> problems)
    {
        problems.Add(new Problem("param.unknown", $"model '{model}' has no parameter '{key}'; accepted: {string.Join(", ", accepted)}"));
        return o;
    }

    internal static double Double(string key, string value, List<Problem> problems, double fallback)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
        problems.Add(new Problem("param.invalid_value", $"{key}={value} is not a finite number (e.g. {key}=0.5)"));
        return fallback;
    }

    internal static int Int(string key, string value, List<Problem> problems, int fallback)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
        problems.Add(new Problem("param.invalid_value", $"{key}={value} is not an integer (e.g. {key}=10)"));
        return fallback;
    }

    internal static bool Bool(string key, string value, List<Problem> problems, bool fallback)
    {
        switch (value)
        {
            case "true" or "True" or "1": return true;
            case "false" or "False" or "0": return false;
            default:
                problems.Add(new Problem("param.invalid_value", $"{key}={value} is not a boolean (use true or false)"));
                return fallback;
        }
    }
}
