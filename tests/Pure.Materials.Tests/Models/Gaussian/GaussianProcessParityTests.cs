using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Models.Gaussian;
using Xunit;
using Xunit.Abstractions;

namespace Pure.Materials.Tests.Models.Gaussian;

/// <summary>Compares with scikit-learn 1.2.1 GaussianProcessRegressor (tools/reference/sklearn_gpr.py -> Reference/sklearn-1.2.1/gpr.csv).</summary>
public class GaussianProcessParityTests(ITestOutputHelper output)
{
    /// <summary>Relative tolerance of the brief: |a - e| &lt;= Rtol * |e| + Atol * scale.</summary>
    private const double Rtol = 1e-8;

    internal static readonly string[] PerovskiteFractions = ["K", "Rb", "Cs", "MA", "FA", "Ca", "Sr", "Ba", "Ge", "Sn", "Pb", "Cl", "Br", "I"];

    internal static (Matrix X, double[] Y) Perovskite()
    {
        var table = BundledData.Open("perovskite_dft").OrThrow();
        var ds = Dataset.FromTable(new DatasetSpec { TargetColumn = "Decomposition Energy", FeatureColumns = [.. PerovskiteFractions] }, table).OrThrow();
        return (ds.ColumnFeatures, ds.Target!.ToArray());
    }

    private static readonly Lazy<Dictionary<string, Dictionary<string, string>>> Reference = new(() =>
    {
        var result = new Dictionary<string, Dictionary<string, string>>();
        var xs = new List<string>();
        var xt = new List<string>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", "gpr.csv")).Skip(2))
        {
            var parts = line.Split(',', 3);
            if (!result.TryGetValue(parts[0], out var d)) result[parts[0]] = d = new Dictionary<string, string>();
            if (parts[1] == "x_train") xs.Add(parts[2]);
            else if (parts[1] == "x_test") xt.Add(parts[2]);
            else d[parts[1]] = parts[2];
        }
        result["syn"]["x_train"] = string.Join(";", xs);
        result["syn"]["x_test"] = string.Join(";", xt);
        return result;
    });

    private static double[] Vec(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private static Matrix Rows(string s, int cols) => Matrix.FromRows(s.Split(';').Select(r => Vec(r).Take(cols).ToArray()).ToArray());

    private static ConstantKernel C(double v) => new() { ConstantValue = v };

    private static RbfKernel Rbf(params double[] l) => new() { LengthScale = l };

    private static WhiteKernel White(double v) => new() { NoiseLevel = v };

    private static MaternKernel Matern(double nu, params double[] l) => new() { LengthScale = l, Nu = nu };

    internal static readonly Dictionary<string, (Kernel Kernel, double Alpha, bool Normalize)> Cases = new()
    {
        ["perov_c_ard_white"] = (C(0.5) * Rbf(Enumerable.Range(0, 14).Select(i => 0.3 + 0.1 * i).ToArray()) + White(0.01), 1e-10, true),
        ["perov_matern25_white"] = (C(0.02) * Matern(2.5, 0.7) + White(1e-3), 1e-10, false),
        ["perov_rq"] = (C(1.0) * new RationalQuadraticKernel { LengthScale = 0.8, Alpha = 0.5 }, 1e-4, true),
        ["syn_rbf"] = (Rbf(0.9), 1e-6, false),
        ["syn_rbf_ard"] = (C(2.0) * Rbf(0.5, 1.5, 3.0), 1e-6, true),
        ["syn_rq"] = (new RationalQuadraticKernel { LengthScale = 1.2, Alpha = 0.7 }, 1e-6, false),
        ["syn1_expsine"] = (new ExpSineSquaredKernel { LengthScale = 1.3, Periodicity = 2.5 } + White(0.1), 1e-10, false),
        ["syn_dot_white"] = (new DotProductKernel { Sigma0 = 0.8 } + White(0.3), 1e-10, true),
        ["syn_matern05_ard"] = (Matern(0.5, 0.7, 1.1, 2.0), 1e-6, false),
        ["syn_matern15"] = (C(1.5) * Matern(1.5, 0.9), 1e-6, false),
        ["syn_matern25_ard"] = (Matern(2.5, 0.7, 1.1, 2.0) + White(0.05), 1e-10, true),
        ["syn_pow"] = (C(0.7) * Rbf(1.1).Pow(2) + C(0.3) * new DotProductKernel { Sigma0 = 0.5 }, 1e-6, false),
        ["syn_fixed"] = (new ConstantKernel { ConstantValueBounds = Bounds.Fixed } * new RbfKernel { LengthScaleBounds = Bounds.Fixed }
            + new WhiteKernel { NoiseLevel = 0.1, NoiseLevelBounds = new Bounds(1e-3, 10.0) }, 1e-10, false),
        ["syn_c_ard_white_opt"] = (C(1.0) * Rbf(1, 1, 1) + White(0.1), 1e-10, true),
        ["perov_c_ard_white_opt"] = (C(1.0) * Rbf(Enumerable.Repeat(1.0, 14).ToArray()) + White(0.1), 1e-10, true),
    };

    internal static (Matrix X, double[] Y, Matrix XTest) Data(string name)
    {
        if (name.StartsWith("perov"))
        {
            var (x, y) = Perovskite();
            return (x.SelectRows(Enumerable.Range(0, 400).ToArray()), y[..400], x.SelectRows(Enumerable.Range(400, x.Rows - 400).ToArray()));
        }
        var syn = Reference.Value["syn"];
        var cols = name.StartsWith("syn1") ? 1 : 3;
        return (Rows(syn["x_train"], cols), Vec(syn["y_train"]), Rows(syn["x_test"], cols));
    }

    private static void AssertClose(double[] expected, double[] actual, string what, double rtol = Rtol)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= rtol * Math.Abs(expected[i]) + 1e-12 * scale,
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (rtol {rtol})");
    }

    public static TheoryData<string> FixedCases => [.. Cases.Keys.Where(k => !k.EndsWith("_opt"))];

    public static TheoryData<string> OptimisedCases => [.. Cases.Keys.Where(k => k.EndsWith("_opt"))];

    [Theory]
    [MemberData(nameof(FixedCases))]
    public void FitWithoutOptimizer_MatchesScikitLearn121_LmlGradientMeanStdCovariance(string name)
    {
        var r = Reference.Value[name];
        var (kernel, alpha, normalize) = Cases[name];
        var (x, y, xt) = Data(name);
        Assert.Equal(Vec(r["theta"]), kernel.Theta, (a, b) => Math.Abs(a - b) <= 1e-12);
        var model = GaussianProcess.Fit(new GaussianProcessOptions { Kernel = kernel, Alpha = alpha, NormalizeY = normalize, Optimize = false }, x, y, Rng.FromSeed(0)).OrThrow();
        Assert.Equal(0.0, model.Jitter);
        AssertClose(Vec(r["lml"]), [model.LogMarginalLikelihood], name + " lml");
        var (lml, grad) = GaussianProcess.LogMarginalLikelihood(model, model.Kernel.Theta);
        AssertClose(Vec(r["lml"]), [lml], name + " lml(theta)");
        AssertClose(Vec(r["lml_grad"]), grad, name + " lml gradient");
        var (mean, std) = GaussianProcess.PredictWithStd(model, xt);
        AssertClose(Vec(r["mean"]), mean, name + " mean");
        AssertClose(Vec(r["std"]), std, name + " std");
        if (r.TryGetValue("cov", out var cov))
        {
            var (_, c) = GaussianProcess.PredictWithCovariance(model, xt);
            AssertClose(Vec(cov), c.Data.ToArray(), name + " cov");
            var x5 = x.SelectRows([0, 1, 2, 3, 4]);
            AssertClose(Vec(r["K5"]), model.Kernel.Of(x5).Data.ToArray(), name + " K");
            var g = model.Kernel.Gradient(x5).SelectMany(m => m.Data.ToArray()).ToArray();
            if (g.Length > 0) AssertClose(Vec(r["K5_grad"]), g, name + " K gradient");
        }
    }

    [Theory]
    [MemberData(nameof(OptimisedCases))]
    public void FitWithOptimizer_ReachesAtLeastScikitLearnsLml_FromTheSameStart(string name)
    {
        var r = Reference.Value[name];
        var (kernel, alpha, normalize) = Cases[name];
        var (x, y, _) = Data(name);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var model = GaussianProcess.Fit(new GaussianProcessOptions { Kernel = kernel, Alpha = alpha, NormalizeY = normalize }, x, y, Rng.FromSeed(0)).OrThrow();
        var sk = Vec(r["lml"])[0];
        output.WriteLine($"{name}: ours {model.LogMarginalLikelihood:R} ({model.Runs[0].Iterations} iterations, {clock.Elapsed.TotalSeconds:0.00} s), scikit-learn {sk:R}; {model.Kernel}");
        foreach (var w in model.Warnings) output.WriteLine("warning: " + w);
        Assert.True(model.LogMarginalLikelihood >= sk - 1e-6 * Math.Max(1, Math.Abs(sk)), $"ours {model.LogMarginalLikelihood:R} < scikit-learn {sk:R}");
    }
}
