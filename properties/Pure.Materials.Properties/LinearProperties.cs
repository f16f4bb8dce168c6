using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.KernelMethods;
using Pure.Materials.Models.Linear;

namespace Pure.Materials.Properties;

/// <summary>Losses have the gradients they claim, solutions are optimal, the lasso zeroes out, kernels are PSD, metrics stay in range.</summary>
[Properties(MaxTest = 200)]
public class LinearProperties
{
    /// <summary>Machine epsilon 2^-52.</summary>
    private const double Eps = 2.220446049250313e-16;

    /// <summary>Central differences of f at theta, step h.</summary>
    private static double[] FiniteDifference(Func<double[], double> f, double[] theta, double h = 1e-6)
    {
        var g = new double[theta.Length];
        for (var j = 0; j < theta.Length; j++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[j] += h;
            minus[j] -= h;
            g[j] = (f(plus) - f(minus)) / (2 * h);
        }
        return g;
    }

    private static bool Near(IReadOnlyList<double> a, IReadOnlyList<double> b, double tol, double scale) =>
        a.Count == b.Count && Enumerable.Range(0, a.Count).All(j => Math.Abs(a[j] - b[j]) <= tol * (scale + Math.Abs(b[j])));

    [Property]
    public bool MseAndRidgeLossGradient_EqualsCentralDifferences(LinearCase c)
    {
        var (dw, db) = GradientDescent.Gradient(c.X, c.Y, c.W, c.B, c.Alpha);
        var fd = FiniteDifference(t => GradientDescent.Loss(c.X, c.Y, t.AsSpan(0, c.W.Length), t[^1], c.Alpha), [.. c.W, c.B]);
        return Near([.. dw, db], fd, 1e-6, 1.0);
    }

    [Property]
    public Property RidgeObjective_AtTheSolution_IsAtMostAtAPerturbation(LinearCase c)
    {
        // The case's weights and intercept serve as the perturbation (dw, db); alpha >= 1e-3 makes X^T X + alpha I positive
        // definite, so the fit always succeeds (a Problem here is a failure, not a skipped case).
        var (dw, db) = (c.W, c.B);
        var alpha = Math.Max(c.Alpha, 1e-3);
        var model = Ridge.Fit(new RidgeOptions { Alpha = alpha }, c.X, c.Y).OrThrow();
        double Objective(IReadOnlyList<double> w, double b) =>
            2 * c.X.Rows * GradientDescent.Loss(c.X, c.Y, w.ToArray(), b, 0) + alpha * w.Sum(v => v * v);
        var best = Objective(model.Coef, model.Intercept);
        var other = Objective(model.Coef.Select((v, j) => v + dw[j]).ToArray(), model.Intercept + db);
        return (best <= other + 1e-9 * (1 + Math.Abs(other))).Label($"objective {best:R} at the solution, {other:R} at the perturbation")
            .Classify(dw.All(v => v == 0) && db == 0, "zero perturbation");
    }

    [Property]
    public bool Lasso_WithAlphaAtLeastAlphaMax_GivesAllZeroCoefficients(LinearCase c)
    {
        // alpha_max = max_j |x_cj . y_c| / n: the smallest alpha whose solution is w = 0 (scikit-learn's _alpha_grid).
        var n = c.X.Rows;
        var yMean = c.Y.Average();
        var alphaMax = Enumerable.Range(0, c.X.Cols).Max(j =>
        {
            var col = c.X.Column(j);
            var mean = col.Average();
            return Math.Abs(Enumerable.Range(0, n).Sum(i => (col[i] - mean) * (c.Y[i] - yMean))) / n;
        });
        var m = Lasso.Fit(new LassoOptions { Alpha = alphaMax * 1.0001 + 1e-12 }, c.X, c.Y).OrThrow();
        return m.Coef.All(v => v == 0.0) && Math.Abs(m.Intercept - yMean) <= 1e-12 * (1 + Math.Abs(yMean));
    }

    [Property]
    public Property LogisticAndCrossEntropyLossGradient_EqualsCentralDifferences(LogisticCase c)
    {
        var o = new LogisticRegressionOptions { C = c.C };
        var (_, g) = LogisticRegression.Loss(o, c.X, c.Y, c.K, c.Theta);
        var fd = FiniteDifference(t => LogisticRegression.Loss(o, c.X, c.Y, c.K, t).Value, c.Theta);
        return Near(g, fd, 1e-5, c.C * c.X.Rows).Classify(c.K == 2, "binary").Classify(c.K > 2, "multinomial");
    }

    /// <summary>Step for differencing the analytic gradient: 2^-17 ~ eps^(1/3), which balances rounding (~ 1/h) and truncation (~ h^2).</summary>
    private const double HessianStep = 1.0 / (1 << 17);

    [Property]
    public Property LogisticHessian_EqualsCentralDifferencesOfTheAnalyticGradient(LogisticCase c)
    {
        // Column j of the Hessian is d g / d theta_j; compare with (g(theta + h e_j) - g(theta - h e_j)) / (2h).
        // Rounding: each gradient entry is C sum_i r_i x~_ij + theta_j with |r_i| <= 1 (sigmoid or softmax residual) and x~ = (x, 1), a sum of
        // n terms computed with error <= (n + 4) eps (C sum_i |x~_ij| + |theta_j|) (Higham, Accuracy and Stability, eq. 4.4, with a few
        // roundings for the residuals); the difference quotient divides twice that by 2h.
        // Truncation: h^2 / 6 times the fourth derivative of the objective, whose entries are at most C sum_i |x~_i|_inf^4 (every
        // fourth derivative of log(1 + e^z) and of log-sum-exp in z is at most 1 in absolute value).
        var o = new LogisticRegressionOptions { C = c.C };
        var h = LogisticRegression.Hessian(o, c.X, c.Y, c.K, c.Theta);
        var m = c.Theta.Length;
        if (h.Rows != m || h.Cols != m) return false.Label($"Hessian shape ({h.Rows}, {h.Cols}), expected ({m}, {m})");
        var n = c.X.Rows;
        var rowNorms = Enumerable.Range(0, n).Select(i => Math.Max(1.0, c.X.Row(i).ToArray().Max(Math.Abs))).ToArray();
        var sumAbs = c.C * rowNorms.Sum();
        var thetaMax = c.Theta.Max(Math.Abs);
        var rounding = 2 * (n + 4) * Eps * (sumAbs + thetaMax) / (2 * HessianStep);
        var truncation = HessianStep * HessianStep / 6 * c.C * rowNorms.Sum(r => r * r * r * r);
        var allowed = rounding + truncation;
        var symmetry = 2 * (n + 2) * Eps * c.C * rowNorms.Sum(r => r * r) / 4;
        var scale = 0.0;
        for (var j = 0; j < m; j++)
        {
            var plus = (double[])c.Theta.Clone();
            var minus = (double[])c.Theta.Clone();
            plus[j] += HessianStep;
            minus[j] -= HessianStep;
            var step = plus[j] - minus[j];
            var gp = LogisticRegression.Loss(o, c.X, c.Y, c.K, plus).Gradient;
            var gm = LogisticRegression.Loss(o, c.X, c.Y, c.K, minus).Gradient;
            for (var a = 0; a < m; a++)
            {
                var fd = (gp[a] - gm[a]) / step;
                scale = Math.Max(scale, Math.Abs(h[a, j]));
                if (!(Math.Abs(fd - h[a, j]) <= allowed))
                    return false.Label($"H[{a},{j}] = {h[a, j]:R}, central difference {fd:R}, allowed {allowed:R} ({rounding:R} rounding + {truncation:R} truncation)");
                // H is accumulated as (w x~_u) x~_v: the mirrored entry rounds its products in the other order, so symmetry holds to
                // within the rounding of a sum of n terms of size <= C |x~_i|_inf^2 / 4, twice.
                if (!(Math.Abs(h[a, j] - h[j, a]) <= symmetry)) return false.Label($"H[{a},{j}] = {h[a, j]:R} but H[{j},{a}] = {h[j, a]:R}");
            }
        }
        // Non-vacuous: the allowance is far below the Hessian's entries (its diagonal is at least 1 on the weights).
        return (allowed <= 1e-4 * scale).Label($"allowance {allowed:R} not small against the Hessian scale {scale:R}")
            .Classify(c.K == 2, "binary").Classify(c.K > 2, "multinomial");
    }

    [Property]
    public bool KernelMatrices_AreSymmetricPositiveSemiDefinite(KernelMatrixCase c)
    {
        var k = Kernels.Compute(c.Options, c.X, c.X);
        var n = k.Rows;
        var symmetric = Enumerable.Range(0, n).All(i => Enumerable.Range(0, n).All(j => k[i, j] == k[j, i]));
        var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) => k[i, j]);
        var eig = m.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Select(v => v.Real).ToArray();
        var scale = Enumerable.Range(0, n).Sum(i => Math.Abs(k[i, i])) + 1e-300;
        return symmetric && eig.Min() >= -1e-10 * scale;
    }

    [Property]
    public bool ClassificationMetrics_StayInTheirRanges_RocAucUndefinedOnlyWhenAClassIsAbsent(MetricsCase c)
    {
        var (k, yTrue, yPred, raw) = (c.K, c.YTrue, c.YPred, c.Raw);
        var n = yTrue.Length;
        var proba = Matrix.Build(n, k, (i, j) =>
        {
            var s = Enumerable.Range(0, k).Sum(cls => raw[i * k + cls] + 1.0);
            return (raw[i * k + j] + 1.0) / s;
        });
        var s = ClassificationMetrics.Classification(Enumerable.Range(0, k).ToArray(), yTrue, yPred, proba).OrThrow();
        bool Unit(double v) => v >= 0 && v <= 1;
        return Unit(s.Accuracy) && Unit(s.Precision) && Unit(s.Recall) && Unit(s.Specificity) && Unit(s.F1) && Unit(s.BalancedAccuracy)
            && (double.IsNaN(s.RocAuc) ? Enumerable.Range(0, k).Any(cls => !yTrue.Contains(cls)) : Unit(s.RocAuc)) && s.LogLoss >= 0 && s.Confusion.Total == n;
    }
}
