using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Models.KernelMethods;
using Xunit;
using static Pure.Materials.Tests.Models.Linear.SklearnReference;

namespace Pure.Materials.Tests.Models.KernelMethods;

public class KernelRidgeTests
{
    [Fact]
    public void Fit_MatchesScikitLearn121_ForEveryKernel_OnPerovskiteDescriptors()
    {
        // Reference: tools/reference/sklearn_linear.py (case kernel-ridge): fit on rows i % 5 != 0, predict rows i % 5 == 0.
        var (x, y) = Perovskite();
        var (train, test) = FiveFoldSplit(x.Rows);
        var xTrain = x.SelectRows(train);
        var yTrain = train.Select(i => y[i]).ToArray();
        var sets = ParamSets("kernel-ridge");
        Assert.Equal(6, sets.Length);
        foreach (var s in sets)
        {
            var p = Params(s);
            var kernel = new KernelOptions
            {
                Kind = Kernels.Parse(p["kernel"]).OrThrow(),
                Gamma = p.TryGetValue("gamma", out var g) ? double.Parse(g, CultureInfo.InvariantCulture) : null,
                Degree = p.TryGetValue("degree", out var d) ? int.Parse(d, CultureInfo.InvariantCulture) : 3,
                Coef0 = p.TryGetValue("coef0", out var c) ? double.Parse(c, CultureInfo.InvariantCulture) : 1.0,
            };
            var m = KernelRidge.Fit(new KernelRidgeOptions { Alpha = double.Parse(p["alpha"], CultureInfo.InvariantCulture), Kernel = kernel }, xTrain, yTrain).OrThrow();
            AllClose(Values("kernel-ridge", s, "dual_coef"), m.DualCoef.Take(5).ToArray(), 1e-6, s + " dual_coef");
            AllClose(Values("kernel-ridge", s, "pred"), KernelRidge.Predict(m, x.SelectRows(test)), 1e-6, s + " pred");
        }
    }

    [Fact]
    public void Fit_Fails_OnNonPositiveGamma_AndNegativeAlpha()
    {
        var x = Matrix.Build(5, 2, (i, j) => i + j * j);
        var problems = KernelRidge.Fit(new KernelRidgeOptions { Alpha = -1, Kernel = new KernelOptions { Kind = KernelKind.Rbf, Gamma = 0 } }, x, [1, 2, 3, 4, 5]).Problems();
        Assert.Equal(2, problems.Length);
        Assert.All(problems, p => Assert.Equal("param.out_of_range", p.Code));
    }

    [Fact]
    public void Fit_Fails_OnSingularKernelMatrixWithoutPenalty()
    {
        var x = Matrix.Build(5, 2, (i, j) => i + j); // linear kernel of rank 2 on 5 rows
        Assert.Equal("linalg.singular", Assert.Single(KernelRidge.Fit(new KernelRidgeOptions { Alpha = 0 }, x, [1, 2, 3, 4, 5]).Problems()).Code);
    }

    [Fact]
    public void Parse_AcceptsScikitLearnNames_AndRejectsOthers()
    {
        Assert.Equal(KernelKind.Polynomial, Kernels.Parse("poly").OrThrow());
        Assert.Equal("param.invalid_value", Assert.Single(Kernels.Parse("sigmoid").Problems()).Code);
    }
}
