using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.KernelMethods;
using Pure.Materials.Models.Linear;
using Pure.Materials.Models.Neighbors;

namespace Pure.Materials.Models;

/// <summary>Linear, kernel and neighbour regressors as learners (this part of <see cref="Learners"/>).</summary>
public static partial class Learners
{
    /// <summary>The learner names parsed by this part: <c>linear</c>, <c>lasso</c>, <c>elastic-net</c>, <c>kernel-ridge</c>, <c>knn</c>, <c>linear-gd</c>.</summary>
    public static IReadOnlyList<string> LinearKernelNeighborNames { get; } = ["linear", "lasso", "elastic-net", "kernel-ridge", "knn", "linear-gd"];

    /// <summary>Ordinary least squares as a learner (see <see cref="Linear.LinearRegression"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner LinearRegression(LinearRegressionOptions options) => new(
        "linear",
        [new("fit_intercept", B(options.FitIntercept))],
        (x, y, _) => Linear.LinearRegression.Fit(options, x, y).Map(m => new Predictor("linear", xs => Linear.LinearRegression.Predict(m, xs), m)));

    /// <summary>The lasso as a learner (see <see cref="Linear.Lasso"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner Lasso(LassoOptions options) => new(
        "lasso",
        [new("alpha", D(options.Alpha)), new("fit_intercept", B(options.FitIntercept)), new("max_iter", I(options.MaxIter)), new("tol", D(options.Tol))],
        (x, y, _) => Linear.Lasso.Fit(options, x, y).Map(m => new Predictor("lasso", xs => Linear.Lasso.Predict(m, xs), m)));

    /// <summary>The elastic net as a learner (see <see cref="Linear.ElasticNet"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner ElasticNet(ElasticNetOptions options) => new(
        "elastic-net",
        [new("alpha", D(options.Alpha)), new("l1_ratio", D(options.L1Ratio)), new("fit_intercept", B(options.FitIntercept)),
         new("max_iter", I(options.MaxIter)), new("tol", D(options.Tol))],
        (x, y, _) => Linear.ElasticNet.Fit(options, x, y).Map(m => new Predictor("elastic-net", xs => Linear.ElasticNet.Predict(m, xs), m)));

    /// <summary>Kernel ridge regression as a learner (see <see cref="KernelMethods.KernelRidge"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner KernelRidge(KernelRidgeOptions options) => new(
        "kernel-ridge",
        [new("alpha", D(options.Alpha)), new("kernel", Kernels.Name(options.Kernel.Kind)), new("gamma", options.Kernel.Gamma is { } g ? D(g) : "None"),
         new("degree", I(options.Kernel.Degree)), new("coef0", D(options.Kernel.Coef0))],
        (x, y, _) => KernelMethods.KernelRidge.Fit(options, x, y).Map(m => new Predictor("kernel-ridge", xs => KernelMethods.KernelRidge.Predict(m, xs), m)));

    /// <summary>k-nearest-neighbour regression as a learner (see <see cref="KNeighborsRegressor"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner KNeighbors(KNeighborsOptions options) => new(
        "knn",
        [new("n_neighbors", I(options.NNeighbors)), new("weights", options.Weights == NeighborWeights.Distance ? "distance" : "uniform"),
         new("metric", options.Metric == NeighborMetric.Manhattan ? "manhattan" : "euclidean")],
        (x, y, _) => KNeighborsRegressor.Fit(options, x, y).Map(m => new Predictor("knn", xs => KNeighborsRegressor.Predict(m, xs), m)));

    /// <summary>Linear regression by gradient descent as a learner (see <see cref="Linear.GradientDescent"/>); mini-batches use the learner's stream.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner GradientDescent(GradientDescentOptions options) => new(
        "linear-gd",
        [new("learning_rate", D(options.LearningRate)), new("max_iter", I(options.MaxIter)), new("tol", D(options.Tol)),
         new("n_iter_no_change", I(options.NIterNoChange)), new("batch_size", options.BatchSize is { } bs ? I(bs) : "None"),
         new("alpha", D(options.Alpha)), new("fit_intercept", B(options.FitIntercept))],
        (x, y, rng) => Linear.GradientDescent.Fit(options, x, y, rng).Map(m => new Predictor("linear-gd", xs => Linear.GradientDescent.Predict(m, xs), m)));

    /// <summary>Parses the learners of this part with scikit-learn's parameter names.</summary>
    /// <param name="name"><c>linear</c> (fit_intercept), <c>lasso</c> (alpha, fit_intercept, max_iter, tol), <c>elastic-net</c> (alpha, l1_ratio,
    /// fit_intercept, max_iter, tol), <c>kernel-ridge</c> (alpha, kernel, gamma, degree, coef0), <c>knn</c> (n_neighbors, weights, metric, p), <c>linear-gd</c> (learning_rate, max_iter, tol, n_iter_no_change, batch_size, alpha, fit_intercept).</param>
    /// <param name="settings">Settings; keys not listed for the learner are problems.</param>
    /// <returns>Null when the name is not one of <see cref="LinearKernelNeighborNames"/>; else the learner or one problem per bad setting
    /// (<c>param.unknown</c>, <c>param.invalid_value</c>).</returns>
    public static Validation<Problem, Learner>? ParseLinearKernelNeighbor(string name, IReadOnlyDictionary<string, string> settings)
    {
        var problems = new List<Problem>();
        Learner learner;
        switch (name)
        {
            case "linear":
            {
                var o = new LinearRegressionOptions();
                foreach (var (k, v) in settings)
                    o = k switch
                    {
                        "fit_intercept" => o with { FitIntercept = Bool(k, v, problems, o.FitIntercept) },
                        _ => Unknown(o, name, k, ["fit_intercept"], problems),
                    };
                learner = LinearRegression(o);
                break;
            }
            case "lasso":
            {
                var o = new LassoOptions();
                foreach (var (k, v) in settings)
                    o = k switch
                    {
                        "alpha" => o with { Alpha = Double(k, v, problems, o.Alpha) },
                        "fit_intercept" => o with { FitIntercept = Bool(k, v, problems, o.FitIntercept) },
                        "max_iter" => o with { MaxIter = Int(k, v, problems, o.MaxIter) },
                        "tol" => o with { Tol = Double(k, v, problems, o.Tol) },
                        _ => Unknown(o, name, k, ["alpha", "fit_intercept", "max_iter", "tol"], problems),
                    };
                learner = Lasso(o);
                break;
            }
            case "elastic-net":
            {
                var o = new ElasticNetOptions();
                foreach (var (k, v) in settings)
                    o = k switch
                    {
                        "alpha" => o with { Alpha = Double(k, v, problems, o.Alpha) },
                        "l1_ratio" => o with { L1Ratio = Double(k, v, problems, o.L1Ratio) },
                        "fit_intercept" => o with { FitIntercept = Bool(k, v, problems, o.FitIntercept) },
                        "max_iter" => o with { MaxIter = Int(k, v, problems, o.MaxIter) },
                        "tol" => o with { Tol = Double(k, v, problems, o.Tol) },
                        _ => Unknown(o, name, k, ["alpha", "l1_ratio", "fit_intercept", "max_iter", "tol"], problems),
                    };
                learner = ElasticNet(o);
                break;
            }
            case "kernel-ridge":
            {
                var o = new KernelRidgeOptions();
                foreach (var (k, v) in settings)
                    o = k switch
                    {
                        "alpha" => o with { Alpha = Double(k, v, problems, o.Alpha) },
                        "kernel" => Kernels.Parse(v).Match(kind => o with { Kernel = o.Kernel with { Kind = kind } }, ps => { problems.AddRange(ps); return o; }),
                        "gamma" => o with { Kernel = o.Kernel with { Gamma = IsNone(v) ? null : Double(k, v, problems, 1.0) } },
                        "degree" => o with { Kernel = o.Kernel with { Degree = Int(k, v, problems, o.Kernel.Degree) } },
                        "coef0" => o with { Kernel = o.Kernel with { Coef0 = Double(k, v, problems, o.Kernel.Coef0) } },
                        _ => Unknown(o, name, k, ["alpha", "kernel", "gamma", "degree", "coef0"], problems),
                    };
                learner = KernelRidge(o);
                break;
            }
            case "knn":
            {
                var o = new KNeighborsOptions();
                foreach (var (k, v) in settings)
                    o = k switch
                    {
                        "n_neighbors" => o with { NNeighbors = Int(k, v, problems, o.NNeighbors) },
                        "weights" => ParseWeights(v, problems) is { } w ? o with { Weights = w } : o,
                        "metric" or "p" => ParseMetric(k, v, problems) is { } m ? o with { Metric = m } : o,
                        _ => Unknown(o, name, k, ["n_neighbors", "weights", "metric", "p"], problems),
                    };
                learner = KNeighbors(o);
                break;
            }
            case "linear-gd":
            {
                var o = new GradientDescentOptions();
                foreach (var (k, v) in settings)
                    o = k switch
                    {
                        "learning_rate" => o with { LearningRate = Double(k, v, problems, o.LearningRate) },
                        "max_iter" => o with { MaxIter = Int(k, v, problems, o.MaxIter) },
                        "tol" => o with { Tol = Double(k, v, problems, o.Tol) },
                        "n_iter_no_change" => o with { NIterNoChange = Int(k, v, problems, o.NIterNoChange) },
                        "batch_size" => o with { BatchSize = IsNone(v) ? null : Int(k, v, problems, 1) },
                        "alpha" => o with { Alpha = Double(k, v, problems, o.Alpha) },
                        "fit_intercept" => o with { FitIntercept = Bool(k, v, problems, o.FitIntercept) },
                        _ => Unknown(o, name, k, ["learning_rate", "max_iter", "tol", "n_iter_no_change", "batch_size", "alpha", "fit_intercept"], problems),
                    };
                learner = GradientDescent(o);
                break;
            }
            default:
                return null;
        }
        return problems.Count == 0 ? Valid.Ok(learner) : Valid.Fail<Learner>(problems);
    }

    internal static NeighborWeights? ParseWeights(string v, List<Problem> problems)
    {
        switch (v)
        {
            case "uniform": return NeighborWeights.Uniform;
            case "distance": return NeighborWeights.Distance;
            default:
                problems.Add(new Problem("param.invalid_value", $"weights={v} is not accepted; use uniform or distance"));
                return null;
        }
    }

    internal static NeighborMetric? ParseMetric(string key, string v, List<Problem> problems)
    {
        switch (key, v)
        {
            case ("metric", "euclidean") or ("p", "2"): return NeighborMetric.Euclidean;
            case ("metric", "manhattan") or ("p", "1"): return NeighborMetric.Manhattan;
            default:
                problems.Add(new Problem("param.invalid_value", $"{key}={v} is not accepted; use metric=euclidean (p=2) or metric=manhattan (p=1)"));
                return null;
        }
    }

    private static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string B(bool v) => v ? "true" : "false";
}
