using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Models.SupportVector;
using Xunit;
using static Pure.Materials.Tests.Models.Linear.SklearnReference;

namespace Pure.Materials.Tests.Models.SupportVector;

/// <summary>Parity with scikit-learn 1.2.1's SVR and SVC (libsvm) on real data; reference: tools/reference/sklearn_svm.py -> svm.csv.</summary>
/// <remarks>Tolerance: |ours - scikit-learn| &lt;= 1e-4 * max(1, |scikit-learn|), i.e. absolute 1e-4 (eV for SVR predictions, decision
/// units for SVC) below magnitude 1 and relative 1e-4 above. Support sets, n_support_ and labels must be identical.</remarks>
public class SvmParityTests
{
    private const double Tol = 1e-4;

    private static readonly Lazy<(string Case, string Params, string Quantity, int Index, double Value)[]> Rows = new(() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", "svm.csv"))
            .Where(l => !l.StartsWith('#')).Skip(1).Select(l => l.Split(','))
            .Select(f => (f[0], f[1], f[2], int.Parse(f[3], CultureInfo.InvariantCulture), double.Parse(f[4], CultureInfo.InvariantCulture)))
            .ToArray());

    private static double[] Ref(string model, string p, string quantity) =>
        Rows.Value.Where(r => r.Case == model && r.Params == p && r.Quantity == quantity).OrderBy(r => r.Index).Select(r => r.Value).ToArray();

    private static readonly Lazy<(Matrix X, double[] Gap)> Magpie = new(() =>
    {
        var (x, gap) = MagpieExptGap(Strings("linear", "magpie", "column"));
        var first = Enumerable.Range(0, 600).ToArray();
        return (x.SelectRows(first), gap[..600]);
    });

    private static (Matrix XTrain, T[] YTrain, Matrix XTest) Split<T>(Matrix x, T[] y)
    {
        var (train, test) = FiveFoldSplit(x.Rows);
        return (x.SelectRows(train), train.Select(i => y[i]).ToArray(), x.SelectRows(test));
    }

    private static void Near(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tol * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}]: scikit-learn {expected[i]:R}, ours {actual[i]:R}");
    }

    private static SvmKernelOptions Kernel(Dictionary<string, string> s) => new()
    {
        Kind = SvmKernel.Parse(s["kernel"]).OrThrow(),
        Gamma = s.TryGetValue("gamma", out var g) ? SvmKernel.ParseGamma(g).OrThrow() : SvmGamma.Scale,
        Degree = s.TryGetValue("degree", out var d) ? int.Parse(d, CultureInfo.InvariantCulture) : 3,
        Coef0 = s.TryGetValue("coef0", out var c0) ? double.Parse(c0, CultureInfo.InvariantCulture) : 0.0,
    };

    public static TheoryData<string> SvrCases() => [.. ParamSetsOf("svr")];

    public static TheoryData<string> SvcCases() => [.. ParamSetsOf("svc")];

    private static string[] ParamSetsOf(string model) => Rows.Value.Where(r => r.Case == model).Select(r => r.Params).Distinct().ToArray();

    [Theory]
    [MemberData(nameof(SvrCases))]
    public void Svr_MatchesScikitLearn121(string p)
    {
        var s = Params(p);
        var (x, y) = s["data"] == "magpie" ? Magpie.Value : Perovskite();
        var (xTrain, yTrain, xTest) = Split(x, y);
        var options = new SvrOptions
        {
            C = double.Parse(s["C"], CultureInfo.InvariantCulture),
            Epsilon = double.Parse(s["epsilon"], CultureInfo.InvariantCulture),
            Kernel = Kernel(s),
            Shrinking = !s.TryGetValue("shrinking", out var sh) || sh == "True",
        };
        var m = Svr.Fit(options, xTrain, yTrain).OrThrow();
        Near(Ref("svr", p, "pred"), Svr.Predict(m, xTest), p + " pred");
        Near(Ref("svr", p, "intercept"), [m.Intercept], p + " intercept");
        Assert.Equal(Ref("svr", p, "support").Select(v => (int)v), m.Support);
        Near(Ref("svr", p, "dual_coef"), m.DualCoef, p + " dual_coef");
    }

    [Theory]
    [MemberData(nameof(SvcCases))]
    public void Svc_MatchesScikitLearn121(string p)
    {
        var s = Params(p);
        var (x, gap) = Magpie.Value;
        var y = gap.Select(g => s["target"] == "binary" ? (g == 0 ? 1 : 0) : (g == 0 ? 0 : g <= 2 ? 1 : 2)).ToArray();
        var (xTrain, yTrain, xTest) = Split(x, y);
        var options = new SvcOptions
        {
            C = double.Parse(s["C"], CultureInfo.InvariantCulture),
            Kernel = Kernel(s),
            Shrinking = !s.TryGetValue("shrinking", out var sh) || sh == "True",
        };
        var m = Svc.Fit(options, xTrain, yTrain, Rng.FromSeed(0)).OrThrow();
        Assert.Equal(Ref("svc", p, "n_support").Select(v => (int)v), m.NSupport);
        Assert.Equal(Ref("svc", p, "support").Select(v => (int)v), m.Support);
        Near(Ref("svc", p, "dual_coef"), m.DualCoef.Data.ToArray(), p + " dual_coef");
        Near(Ref("svc", p, "intercept"), m.Intercept, p + " intercept");
        Near(Ref("svc", p, "decision"), Svc.DecisionFunction(m, xTest).Data.ToArray(), p + " decision");
        Near(Ref("svc", p, "decision_ovo"), Svc.DecisionFunctionOvo(m, xTest).Data.ToArray(), p + " decision_ovo");
        Assert.Equal(Ref("svc", p, "pred").Select(v => (int)v), Svc.Predict(m, xTest));
    }
}
