using Pure.Materials.Core;
using Pure.Materials.Models.Linear;
using Xunit;
using static Pure.Materials.Tests.Models.Linear.SklearnReference;

namespace Pure.Materials.Tests.Models.Linear;

public class GradientDescentTests
{
    private static (Matrix X, double[] Y) Magpie() => MagpieExptGap(Strings("linear", "magpie", "column"));

    [Fact]
    public void FullBatch_ConvergesToTheLeastSquaresSolution()
    {
        var x = Matrix.Build(200, 3, (i, j) => Math.Sin(0.37 * i * (j + 1) + j));
        var y = Enumerable.Range(0, 200).Select(i => 1.5 * x[i, 0] - 2.0 * x[i, 1] + 0.25 * x[i, 2] + 3.0 + 0.1 * Math.Cos(i)).ToArray();
        var ols = LinearRegression.Fit(new LinearRegressionOptions(), x, y).OrThrow();
        var gd = GradientDescent.Fit(new GradientDescentOptions { LearningRate = 0.5, MaxIter = 20000, Tol = 0, NIterNoChange = 1 }, x, y, Rng.FromSeed(1)).OrThrow();
        AllClose(ols.Coef, gd.Coef, 1e-6, "coef");
        Close(ols.Intercept, gd.Intercept, 1e-6, "intercept");
        Assert.True(Enumerable.Range(1, gd.LossHistory.Count - 1).All(k => gd.LossHistory[k] <= gd.LossHistory[k - 1] + 1e-15), "full-batch loss must not increase");
    }

    [Fact]
    public void FullBatch_WithAlpha_ConvergesToRidge()
    {
        var x = Matrix.Build(100, 2, (i, j) => Math.Cos(0.21 * i * (j + 2)));
        var y = Enumerable.Range(0, 100).Select(i => x[i, 0] - x[i, 1] + Math.Sin(i)).ToArray();
        // GD minimises (1/2n)||r||^2 + (alpha/2)||w||^2, i.e. ridge with alpha_ridge = n * alpha.
        var ridge = Ridge.Fit(new RidgeOptions { Alpha = 100 * 0.1 }, x, y).OrThrow();
        var gd = GradientDescent.Fit(new GradientDescentOptions { LearningRate = 0.5, MaxIter = 20000, Tol = 0, NIterNoChange = 1, Alpha = 0.1 }, x, y, Rng.FromSeed(1)).OrThrow();
        AllClose(ridge.Coef, gd.Coef, 1e-6, "coef");
    }

    [Fact]
    public void MiniBatch_ReachesNearTheOptimum_AndIsReproducibleFromTheSeed()
    {
        var (x, y) = Magpie();
        var o = new GradientDescentOptions { LearningRate = 0.01, BatchSize = 32, MaxIter = 30 };
        var a = GradientDescent.Fit(o, x, y, Rng.FromSeed(7)).OrThrow();
        var b = GradientDescent.Fit(o, x, y, Rng.FromSeed(7)).OrThrow();
        var c = GradientDescent.Fit(o, x, y, Rng.FromSeed(8)).OrThrow();
        Assert.Equal(a.Coef, b.Coef);
        Assert.NotEqual(a.Coef, c.Coef);
        var ols = LinearRegression.Fit(new LinearRegressionOptions(), x, y).OrThrow();
        var best = GradientDescent.Loss(x, y, ols.Coef.ToArray(), ols.Intercept, 0);
        Assert.True(a.LossHistory[^1] < best * 1.05, $"mini-batch loss {a.LossHistory[^1]} vs optimum {best}");
        Assert.Equal(a.NIter, a.LossHistory.Count);
    }

    [Fact]
    public void Fit_ReportsDivergence_WithAHugeLearningRate()
    {
        var (x, y) = Magpie();
        var p = Assert.Single(GradientDescent.Fit(new GradientDescentOptions { LearningRate = 100 }, x, y, Rng.FromSeed(1)).Problems());
        Assert.Equal("optimize.diverged", p.Code);
        Assert.Contains("use learning_rate=", p.Message);
    }

    [Fact]
    public void LargestCurvature_EqualsTheLargestEigenvalue_AndItsInverseIsAStableStep()
    {
        var (x, y) = Magpie();
        var l = GradientDescent.LargestCurvature(x, 0.01, fitIntercept: true);
        // Dense check: [X 1]^T [X 1] / n + alpha I by MathNet's symmetric eigen-decomposition.
        var a = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(x.Rows, x.Cols + 1, (i, j) => j < x.Cols ? x[i, j] : 1.0);
        var h = a.TransposeThisAndMultiply(a) / x.Rows + 0.01 * MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(x.Cols + 1);
        var expected = h.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Select(e => e.Real).Max();
        Assert.Equal(expected, l, expected * 1e-6);
        var fit = GradientDescent.Fit(new GradientDescentOptions { LearningRate = 1 / l, Alpha = 0.01, MaxIter = 50 }, x, y, Rng.FromSeed(1));
        Assert.True(fit.IsSuccess, string.Join("; ", fit.Problems()));
    }

    [Fact]
    public void Fit_Fails_OnBadOptions_ListingEveryOne()
    {
        var x = Matrix.Build(4, 1, (i, _) => i);
        var problems = GradientDescent.Fit(new GradientDescentOptions { LearningRate = 0, MaxIter = 0, BatchSize = 0, Alpha = -1 }, x, [1, 2, 3, 4], Rng.FromSeed(0)).Problems();
        Assert.Equal(4, problems.Length);
    }
}
