using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.SupportVector;

namespace Pure.Materials.Models;

/// <summary>Support-vector regression as a learner (this part of <see cref="Learners"/>).</summary>
public static partial class Learners
{
    /// <summary>The learner names parsed by this part: <c>svr</c>.</summary>
    public static IReadOnlyList<string> SupportVectorNames { get; } = ["svr"];

    /// <summary>Epsilon-SVR as a learner (see <see cref="SupportVector.Svr"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner Svr(SvrOptions options) => new(
        "svr",
        [new("C", F(options.C)), new("epsilon", F(options.Epsilon)), .. SupportVectorSettings.Describe(options.Kernel, options.Tol, options.MaxIter, options.Shrinking, options.CacheSize)],
        (x, y, _) => SupportVector.Svr.Fit(options, x, y).Map(m => new Predictor("svr", xs => SupportVector.Svr.Predict(m, xs), m)));

    /// <summary>Parses <c>svr</c> with scikit-learn's parameter names: C, epsilon, kernel, gamma, degree, coef0, tol, max_iter, shrinking, cache_size.</summary>
    /// <param name="name">The learner name.</param>
    /// <param name="settings">Settings; keys not listed are problems.</param>
    /// <returns>Null when the name is not <c>svr</c>; else the learner or one problem per bad setting (<c>param.unknown</c>, <c>param.invalid_value</c>).</returns>
    public static Validation<Problem, Learner>? ParseSupportVector(string name, IReadOnlyDictionary<string, string> settings)
    {
        if (name != "svr") return null;
        var problems = new List<Problem>();
        var o = new SvrOptions();
        foreach (var (k, v) in settings)
            o = k switch
            {
                "C" => o with { C = Double(k, v, problems, o.C) },
                "epsilon" => o with { Epsilon = Double(k, v, problems, o.Epsilon) },
                "tol" => o with { Tol = Double(k, v, problems, o.Tol) },
                "max_iter" => o with { MaxIter = Int(k, v, problems, o.MaxIter) },
                "shrinking" => o with { Shrinking = Bool(k, v, problems, o.Shrinking) },
                "cache_size" => o with { CacheSize = Double(k, v, problems, o.CacheSize) },
                _ when SupportVectorSettings.KernelKeys.Contains(k) => o with { Kernel = SupportVectorSettings.Kernel(o.Kernel, k, v, problems) },
                _ => Unknown(o, name, k, ["C", "epsilon", .. SupportVectorSettings.KernelKeys, "tol", "max_iter", "shrinking", "cache_size"], problems),
            };
        return problems.Count == 0 ? Valid.Ok(Svr(o)) : Valid.Fail<Learner>(problems);
    }
}

/// <summary>Support-vector classification as a classifier, and the settings shared by <c>svr</c> and <c>svc</c>.</summary>
public static class SupportVectorSettings
{
    /// <summary>The kernel keys: kernel, gamma, degree, coef0.</summary>
    public static IReadOnlyList<string> KernelKeys { get; } = ["kernel", "gamma", "degree", "coef0"];

    /// <summary>Applies one kernel setting.</summary>
    /// <param name="kernel">The kernel so far.</param>
    /// <param name="key">One of <see cref="KernelKeys"/>.</param>
    /// <param name="value">The value (kernel: linear, poly, rbf, sigmoid; gamma: scale, auto or a number).</param>
    /// <param name="problems">Receives <c>param.invalid_value</c>.</param>
    /// <returns>The kernel with the setting applied (unchanged on a problem).</returns>
    public static SvmKernelOptions Kernel(SvmKernelOptions kernel, string key, string value, List<Problem> problems) => key switch
    {
        "kernel" => SvmKernel.Parse(value).Match(kind => kernel with { Kind = kind }, ps => { problems.AddRange(ps); return kernel; }),
        "gamma" => SvmKernel.ParseGamma(value).Match(g => kernel with { Gamma = g }, ps => { problems.AddRange(ps); return kernel; }),
        "degree" => kernel with { Degree = Learners.Int(key, value, problems, kernel.Degree) },
        _ => kernel with { Coef0 = Learners.Double(key, value, problems, kernel.Coef0) },
    };

    /// <summary>The kernel and solver settings as (name, value) pairs with scikit-learn's names.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="tol">tol.</param>
    /// <param name="maxIter">max_iter.</param>
    /// <param name="shrinking">shrinking.</param>
    /// <param name="cacheSize">cache_size (MB).</param>
    /// <returns>kernel, gamma, degree, coef0, tol, max_iter, shrinking, cache_size.</returns>
    public static KeyValuePair<string, string>[] Describe(SvmKernelOptions kernel, double tol, int maxIter, bool shrinking, double cacheSize) =>
    [
        new("kernel", SvmKernel.Name(kernel.Kind)), new("gamma", kernel.Gamma.ToString()), new("degree", kernel.Degree.ToString(CultureInfo.InvariantCulture)),
        new("coef0", kernel.Coef0.ToString("R", CultureInfo.InvariantCulture)), new("tol", tol.ToString("R", CultureInfo.InvariantCulture)),
        new("max_iter", maxIter.ToString(CultureInfo.InvariantCulture)), new("shrinking", shrinking ? "true" : "false"),
        new("cache_size", cacheSize.ToString("R", CultureInfo.InvariantCulture)),
    ];

    /// <summary>C-SVC as a classifier (see <see cref="Svc"/>): labels by one-vs-one votes, as scikit-learn's <c>predict</c>;
    /// probabilities by Platt scaling (<c>probability=true</c>, the default here because cross-validation reports ROC-AUC and log loss)
    /// or, with <c>probability=false</c>, the share of one-vs-one votes (not calibrated probabilities: log loss is then not meaningful).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The classifier.</returns>
    public static ClassifierLearner Svc(SvcOptions options) => new(
        "svc",
        [new("C", options.C.ToString("R", CultureInfo.InvariantCulture)), .. Describe(options.Kernel, options.Tol, options.MaxIter, options.Shrinking, options.CacheSize),
         new("probability", options.Probability ? "true" : "false")],
        (x, y, rng) => SupportVector.Svc.Fit(options, x, y, rng).Map(m => new ClassifierPredictor("svc", m.Classes,
            xs => options.Probability ? SupportVector.Svc.PredictProba(m, xs).OrThrow() : VoteShares(m, xs), m,
            xs => SupportVector.Svc.Predict(m, xs))));

    private static Matrix VoteShares(SvcModel m, Matrix x)
    {
        var votes = SupportVector.Svc.Votes(m, x);
        var pairs = m.Classes.Count * (m.Classes.Count - 1) / 2.0;
        return Matrix.Own(votes.Rows, votes.Cols, votes.Data.ToArray().Select(v => v / pairs).ToArray());
    }

    /// <summary>Parses <c>svc</c> with scikit-learn's parameter names: C, kernel, gamma, degree, coef0, tol, max_iter, shrinking, cache_size, probability.</summary>
    /// <param name="name">The classifier name.</param>
    /// <param name="settings">Settings; keys not listed are problems.</param>
    /// <returns>Null when the name is not <c>svc</c>; else the classifier (probability=true unless set) or one problem per bad setting.</returns>
    public static Validation<Problem, ClassifierLearner>? ParseClassifier(string name, IReadOnlyDictionary<string, string> settings)
    {
        if (name != "svc") return null;
        var problems = new List<Problem>();
        var o = new SvcOptions { Probability = true };
        string[] accepted = ["C", .. KernelKeys, "tol", "max_iter", "shrinking", "cache_size", "probability"];
        foreach (var (k, v) in settings)
            o = k switch
            {
                "C" => o with { C = Learners.Double(k, v, problems, o.C) },
                "tol" => o with { Tol = Learners.Double(k, v, problems, o.Tol) },
                "max_iter" => o with { MaxIter = Learners.Int(k, v, problems, o.MaxIter) },
                "shrinking" => o with { Shrinking = Learners.Bool(k, v, problems, o.Shrinking) },
                "cache_size" => o with { CacheSize = Learners.Double(k, v, problems, o.CacheSize) },
                "probability" => o with { Probability = Learners.Bool(k, v, problems, o.Probability) },
                _ when KernelKeys.Contains(k) => o with { Kernel = Kernel(o.Kernel, k, v, problems) },
                _ => AddUnknown(o, k, accepted, problems),
            };
        return problems.Count == 0 ? Valid.Ok(Svc(o)) : Valid.Fail<ClassifierLearner>(problems);
    }

    private static SvcOptions AddUnknown(SvcOptions o, string key, string[] accepted, List<Problem> problems)
    {
        problems.Add(new Problem("param.unknown", $"classifier 'svc' has no parameter '{key}'; accepted: {string.Join(", ", accepted)}"));
        return o;
    }
}
