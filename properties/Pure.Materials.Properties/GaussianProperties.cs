using FsCheck;
using FsCheck.Fluent;
using Pure.Materials.Active;
using Pure.Materials.Core;
using Pure.Materials.Models.Gaussian;
using Xunit;

namespace Pure.Materials.Properties;

/// <summary>Kernel gradients equal finite differences, kernel matrices are symmetric positive semi-definite, posterior
/// variances are never negative and vanish at noiseless training points, EI &gt;= 0 and PI in [0, 1].</summary>
public class GaussianProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void KernelGradient_EqualsCentralFiniteDifferences_ForEveryKernelAndComposition()
    {
        Check.One(Runs, Prop.ForAll(Generators.KernelAndInputs.ToArbitrary(), t =>
        {
            var (kernel, x) = t;
            var theta = kernel.Theta;
            var analytic = kernel.Gradient(x);
            if (analytic.Length != theta.Length) return false;
            const double h = 1e-6;
            for (var k = 0; k < theta.Length; k++)
            {
                var plus = (double[])theta.Clone(); plus[k] += h;
                var minus = (double[])theta.Clone(); minus[k] -= h;
                var kp = kernel.WithTheta(plus).Of(x).Data.ToArray();
                var km = kernel.WithTheta(minus).Of(x).Data.ToArray();
                var scale = 1 + kp.Max(Math.Abs);
                for (var i = 0; i < kp.Length; i++)
                {
                    var fd = (kp[i] - km[i]) / (2 * h);
                    if (Math.Abs(fd - analytic[k].Data[i]) > 1e-5 * scale) return false;
                }
            }
            return true;
        }));
    }

    [Fact]
    public void KernelMatrix_IsSymmetricPositiveSemiDefinite_AndDiagMatchesItsDiagonal()
    {
        Check.One(Runs, Prop.ForAll(Generators.KernelAndInputs.ToArbitrary(), t =>
        {
            var (kernel, x) = t;
            var k = kernel.Of(x);
            var n = x.Rows;
            var diag = kernel.Diag(x);
            for (var i = 0; i < n; i++)
            {
                if (Math.Abs(diag[i] - k[i, i]) > 1e-12 * (1 + Math.Abs(k[i, i]))) return false;
                for (var j = 0; j < i; j++) if (k[i, j] != k[j, i]) return false;
            }
            var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) => k[i, j]);
            var eig = m.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Select(z => z.Real).ToArray();
            var trace = Enumerable.Range(0, n).Sum(i => Math.Abs(k[i, i]));
            return eig.Min() >= -1e-9 * (1 + trace);
        }));
    }

    [Fact]
    public void PosteriorVariance_IsNeverNegative_AndNearZeroAtNoiselessTrainingPoints()
    {
        var cases =
            from rows in Gen.Choose(2, 10)
            from values in Gen.ArrayOf(Gen.Choose(-20, 20), rows * 2)
            from ys in Gen.ArrayOf(Gen.Choose(-100, 100), rows)
            from ls in Generators.KernelValue
            from normalize in Gen.Elements(true, false)
            select (X: Matrix.Build(rows, 2, (i, j) => values[i * 2 + j] / 10.0 + i * 1e-3 * j), Y: ys.Select(v => v / 10.0).ToArray(), ls, normalize);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var kernel = new RbfKernel { LengthScale = [c.ls] };
            var fit = GaussianProcess.Fit(new GaussianProcessOptions { Kernel = kernel, Alpha = 1e-10, NormalizeY = c.normalize, Optimize = false }, c.X, c.Y, Rng.FromSeed(0));
            if (fit.IsFail) return fit.Problems().All(p => p.Code == "linalg.not_positive_definite");
            var model = fit.OrThrow();
            var (_, std) = GaussianProcess.PredictWithStd(model, c.X);
            var probe = Matrix.Build(7, 2, (i, j) => i * 0.6 - 2 + j * 0.3);
            var (_, stdProbe) = GaussianProcess.PredictWithStd(model, probe);
            // Distinct rows with jitter 0: noise-free interpolation, std ~ sqrt(alpha) * YStd up to conditioning.
            var nearZero = model.Jitter > 0 || std.All(s => s <= 1e-2 * model.YStd);
            return nearZero && std.All(s => s >= 0 && double.IsFinite(s)) && stdProbe.All(s => s >= 0 && double.IsFinite(s));
        }));
    }

    [Fact]
    public void ExpectedImprovement_IsNonNegative_AndProbabilityOfImprovement_IsInUnitInterval()
    {
        var cases =
            from mu in Gen.Choose(-1000, 1000)
            from sigma in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(0, 1000)))
            from best in Gen.Choose(-1000, 1000)
            from xi in Gen.Choose(0, 100)
            from max in Gen.Elements(true, false)
            select (mu: mu / 100.0, sigma: sigma / 100.0, best: best / 100.0, xi: xi / 1000.0, goal: max ? Goal.Maximize : Goal.Minimize);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var ei = Acquisitions.Score(new Acquisition.ExpectedImprovement(c.xi), c.goal, c.mu, c.sigma, c.best);
            var pi = Acquisitions.Score(new Acquisition.ProbabilityOfImprovement(c.xi), c.goal, c.mu, c.sigma, c.best);
            var ucb = Acquisitions.Score(new Acquisition.UpperConfidenceBound(2.0), c.goal, c.mu, c.sigma, c.best);
            return ei >= 0 && double.IsFinite(ei) && pi >= 0 && pi <= 1 && double.IsFinite(ucb);
        }));
    }
}
