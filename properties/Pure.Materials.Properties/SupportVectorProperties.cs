using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Models.SupportVector;

namespace Pure.Materials.Properties;

/// <summary>SVR and SVC solutions are dual feasible (0 &lt;= alpha &lt;= C, equality constraint) and satisfy the KKT conditions
/// within tol (the maximal violating pair's gap, libsvm's stopping rule), on random data, kernels and C.</summary>
[Properties(MaxTest = 150)]
public class SupportVectorProperties
{
    /// <summary>Kernel row sums F_t = sum_s coef_s k(x_s, x_t) over support vectors (prediction minus intercept).</summary>
    private static double[] F(double[] prediction, double intercept) => prediction.Select(p => p - intercept).ToArray();

    [Property]
    public bool Svr_IsDualFeasible_AndSatisfiesKkt_WithinTol(SvmCase t)
    {
        var (x, y) = t.Data();
        var (kernel, c, eps, shrinking) = (t.Kernel, t.C, t.Epsilon, t.Shrinking);
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
    }

    [Property]
    public bool Svc_IsDualFeasible_AndSatisfiesKkt_WithinTol(SvmCase t)
    {
        var (x, target) = t.Data();
        var (kernel, c, shrinking) = (t.Kernel, t.C, t.Shrinking);
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
    }
}
