using FsCheck;
using FsCheck.Fluent;
using Pure.Materials.Core;
using Pure.Materials.Models.SupportVector;
using Xunit;

namespace Pure.Materials.Properties;

/// <summary>SVR and SVC solutions are dual feasible (0 &lt;= alpha &lt;= C, equality constraint) and satisfy the KKT conditions
/// within tol (the maximal violating pair's gap, libsvm's stopping rule), on random data, kernels and C.</summary>
public class SupportVectorProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(150);

    /// <summary>A random problem: rows x (n in [6, 40], d in [1, 4], entries in [-2, 2)), targets, kernel, C, epsilon, shrinking.</summary>
    private static readonly Gen<(Matrix X, double[] Y, SvmKernelOptions Kernel, double C, double Epsilon, bool Shrinking)> Problem =
        from seed in Gen.Choose(0, int.MaxValue)
        from n in Gen.Choose(6, 40)
        from d in Gen.Choose(1, 4)
        from kind in Gen.Elements(SvmKernelKind.Linear, SvmKernelKind.Poly, SvmKernelKind.Rbf, SvmKernelKind.Sigmoid)
        from c in Gen.Elements(0.05, 1.0, 10.0)
        from eps in Gen.Elements(0.0, 0.05, 0.3)
        from gamma in Gen.Elements(SvmGamma.Scale, SvmGamma.Auto, SvmGamma.Of(0.3))
        from shrinking in Gen.Elements(true, false)
        select Build(seed, n, d, new SvmKernelOptions { Kind = kind, Gamma = gamma, Degree = 2, Coef0 = kind == SvmKernelKind.Sigmoid ? 0.0 : 1.0 }, c, eps, shrinking);

    private static (Matrix, double[], SvmKernelOptions, double, double, bool) Build(int seed, int n, int d, SvmKernelOptions kernel, double c, double eps, bool shrinking)
    {
        var rng = Rng.FromSeed(seed);
        var data = new double[n * d];
        for (var k = 0; k < data.Length; k++) { (var u, rng) = rng.NextDouble(); data[k] = 4 * u - 2; }
        var y = new double[n];
        for (var i = 0; i < n; i++) { (var u, rng) = rng.NextDouble(); y[i] = Math.Sin(data[i * d]) + 0.5 * (u - 0.5); }
        return (Matrix.FromRows(Enumerable.Range(0, n).Select(i => data[(i * d)..((i + 1) * d)]).ToArray()), y, kernel, c, eps, shrinking);
    }

    /// <summary>Kernel row sums F_t = sum_s coef_s k(x_s, x_t) over support vectors (prediction minus intercept).</summary>
    private static double[] F(double[] prediction, double intercept) => prediction.Select(p => p - intercept).ToArray();

    [Fact]
    public void Svr_IsDualFeasible_AndSatisfiesKkt_WithinTol()
    {
        Check.One(Runs, Prop.ForAll(Problem.ToArbitrary(), t =>
        {
            var (x, y, kernel, c, eps, shrinking) = t;
            var options = new SvrOptions { C = c, Epsilon = eps, Kernel = kernel, Shrinking = shrinking };
            var m = Svr.Fit(options, x, y).OrThrow();
            var n = x.Rows;
            var coef = new double[n];
            for (var s = 0; s < m.Support.Count; s++) coef[m.Support[s]] = m.DualCoef[s];
            // Feasibility: |alpha - alpha*| <= C, sum (alpha - alpha*) = 0.
            if (coef.Any(a => Math.Abs(a) > c * (1 + 1e-12))) return false;
            if (Math.Abs(coef.Sum()) > 1e-9 * c * n) return false;
            // KKT: with v = y - F -+ eps, max over I_up minus min over I_low < tol (slack for single-precision kernel rows).
            var f = F(Svr.Predict(m, x), m.Intercept);
            double up = double.NegativeInfinity, low = double.PositiveInfinity;
            for (var i = 0; i < n; i++)
            {
                double a = Math.Max(coef[i], 0), aStar = Math.Max(-coef[i], 0);
                var vPlus = y[i] - f[i] - eps;
                var vMinus = y[i] - f[i] + eps;
                if (a < c) up = Math.Max(up, vPlus);
                if (a > 0) low = Math.Min(low, vPlus);
                if (aStar > 0) up = Math.Max(up, vMinus);
                if (aStar < c) low = Math.Min(low, vMinus);
            }
            var slack = 1e-5 * (1 + coef.Sum(Math.Abs));
            return up - low < options.Tol + slack;
        }));
    }

    [Fact]
    public void Svc_IsDualFeasible_AndSatisfiesKkt_WithinTol()
    {
        Check.One(Runs, Prop.ForAll(Problem.ToArbitrary(), t =>
        {
            var (x, target, kernel, c, _, shrinking) = t;
            var labels = target.Select(v => v > 0 ? 1 : 0).ToArray();
            if (labels.Distinct().Count() < 2) labels[0] = 1 - labels[0];
            var options = new SvcOptions { C = c, Kernel = kernel, Shrinking = shrinking };
            var m = Svc.Fit(options, x, labels, Rng.FromSeed(1)).OrThrow();
            var n = x.Rows;
            // dual_coef_ of two classes is -y alpha with y = +1 for Classes[0]: y_i alpha_i = -coef.
            var ya = new double[n];
            for (var s = 0; s < m.Support.Count; s++) ya[m.Support[s]] = -m.DualCoef[0, s];
            var y = labels.Select(l => l == m.Classes[0] ? 1.0 : -1.0).ToArray();
            var alpha = ya.Select((v, i) => v * y[i]).ToArray();
            if (alpha.Any(a => a < 0 || a > c * (1 + 1e-12))) return false;
            if (Math.Abs(ya.Sum()) > 1e-9 * c * n) return false;
            // libsvm's f_01(x) = -decision_function; F_t = f_01(x_t) + rho; v_t = y_t - F_t (rho cancels in the gap).
            var dec = Svc.DecisionFunction(m, x).Data.ToArray();
            double up = double.NegativeInfinity, low = double.PositiveInfinity;
            for (var i = 0; i < n; i++)
            {
                var v = y[i] + dec[i];
                var inUp = y[i] > 0 ? alpha[i] < c : alpha[i] > 0;
                var inLow = y[i] > 0 ? alpha[i] > 0 : alpha[i] < c;
                if (inUp) up = Math.Max(up, v);
                if (inLow) low = Math.Min(low, v);
            }
            var slack = 1e-5 * (1 + alpha.Sum());
            return up - low < options.Tol + slack;
        }));
    }
}
