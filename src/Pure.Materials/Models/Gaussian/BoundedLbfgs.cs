using Pure.Materials.Core;
using System.Numerics.Tensors;

namespace Pure.Materials.Models.Gaussian;

/// <summary>Settings of the bounded L-BFGS minimiser (scipy <c>fmin_l_bfgs_b</c> defaults where they exist).</summary>
/// <param name="Memory">Number of correction pairs kept (scipy <c>m</c>); default 10.</param>
/// <param name="MaxIterations">Maximum iterations (scipy <c>maxiter</c>); default 15000.</param>
/// <param name="ProjectedGradientTolerance">Stop when max_i |P(x - g) - x|_i is at most this (scipy <c>pgtol</c>); default 1e-5.</param>
/// <param name="RelativeReduction">Stop when (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) is at most this (scipy <c>factr * eps</c> = 1e7 * 2.2e-16); default 2.22e-9.</param>
public sealed record LbfgsOptions(int Memory = 10, int MaxIterations = 15000, double ProjectedGradientTolerance = 1e-5, double RelativeReduction = 1e7 * 2.220446049250313e-16);

/// <summary>The result of a bounded minimisation.</summary>
/// <param name="X">The best point found, inside the bounds.</param>
/// <param name="F">The objective there.</param>
/// <param name="Iterations">Iterations done.</param>
/// <param name="Evaluations">Objective (with gradient) evaluations.</param>
/// <param name="Converged">True when a tolerance was met (including a line search that cannot decrease f while the first-order
/// decrease it could give is itself below the relative-reduction tolerance); false when the iteration limit was hit or the line search
/// failed from steepest descent.</param>
/// <param name="Message">Why it stopped.</param>
public sealed record LbfgsResult(double[] X, double F, int Iterations, int Evaluations, bool Converged, string Message);

/// <summary>Minimises a smooth function with box constraints by projected L-BFGS.</summary>
/// <remarks>
/// Each iteration: variables at a bound whose gradient points outwards are held fixed (the active set); the L-BFGS
/// two-loop recursion gives a quasi-Newton direction on the free variables; a backtracking Armijo search along the
/// projected path x(t) = P(x + t d) (P clips to the box) gives the step. Curvature pairs with s^T y &lt;= 1e-10 |s| |y| are
/// skipped. Not the Cauchy-point/subspace method of L-BFGS-B, but it solves the same problem with the same stopping tests
/// (projected-gradient norm and relative reduction, as scipy). Non-finite objective values (e.g. a failed Cholesky,
/// -log likelihood = +inf) are treated as too long a step. Deterministic.
/// Source: Bertsekas, "Projected Newton methods for optimization problems with simple constraints", SIAM J. Control Optim.
/// 20, 221 (1982); Nocedal and Wright, Numerical Optimization (2006), Algorithm 7.4; scipy 1.10 <c>fmin_l_bfgs_b</c> stopping rules.
/// </remarks>
public static class BoundedLbfgs
{
    /// <summary>Minimises f inside [lower, upper].</summary>
    /// <param name="f">Objective returning the value and its gradient, length n.</param>
    /// <param name="x0">Start, length n (clipped into the box).</param>
    /// <param name="lower">Lower bounds, length n (may be -inf).</param>
    /// <param name="upper">Upper bounds, length n (may be +inf).</param>
    /// <param name="options">Tolerances.</param>
    /// <returns>The best point found.</returns>
    public static LbfgsResult Minimize(Func<double[], (double F, double[] G)> f, double[] x0, double[] lower, double[] upper, LbfgsOptions options)
    {
        var n = x0.Length;
        var x = new double[n];
        for (var i = 0; i < n; i++) x[i] = Math.Clamp(x0[i], lower[i], upper[i]);
        var (fx, g) = f(x);
        var evals = 1;
        if (!double.IsFinite(fx)) return new LbfgsResult(x, fx, 0, evals, false, "objective is not finite at the start");
        var sList = new List<double[]>();
        var yList = new List<double[]>();
        var rhoList = new List<double>();
        for (var iter = 0; iter < options.MaxIterations; iter++)
        {
            if (ProjectedGradientNorm(x, g, lower, upper) <= options.ProjectedGradientTolerance)
                return new LbfgsResult(x, fx, iter, evals, true, "projected gradient below tolerance");
            // Active set: at a bound with the gradient pushing out of the box.
            var free = new bool[n];
            for (var i = 0; i < n; i++)
                free[i] = !((x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0));
            var d = TwoLoop(g, free, sList, yList, rhoList);
            var slope = 0.0;
            for (var i = 0; i < n; i++) slope += g[i] * d[i];
            if (!(slope < 0))
            {
                // Not a descent direction: restart with steepest descent on the free variables.
                sList.Clear(); yList.Clear(); rhoList.Clear();
                for (var i = 0; i < n; i++) d[i] = free[i] ? -g[i] : 0;
                slope = 0.0;
                for (var i = 0; i < n; i++) slope += g[i] * d[i];
            }
            // First iteration: scale the step so that it moves at most 1 in the largest coordinate (as L-BFGS-B's first step).
            var t = sList.Count == 0 ? Math.Min(1.0, 1.0 / Math.Max(TensorPrimitives.MaxMagnitude(d), 1e-300)) : 1.0;
            double[]? xNew = null, gNew = null;
            var fNew = double.NaN;
            var accepted = false;
            for (var ls = 0; ls < 40; ls++)
            {
                xNew = new double[n];
                for (var i = 0; i < n; i++) xNew[i] = Math.Clamp(x[i] + t * d[i], lower[i], upper[i]);
                (fNew, gNew) = f(xNew);
                evals++;
                var decrease = 0.0;
                for (var i = 0; i < n; i++) decrease += g[i] * (xNew[i] - x[i]);
                if (double.IsFinite(fNew) && fNew <= fx + 1e-4 * decrease) { accepted = true; break; }
                t *= 0.5;
            }
            if (!accepted)
            {
                // The first-order model promises a decrease of -slope for the full step. When even that is within the relative-reduction
                // tolerance (scipy's factr test), no step can make the progress the stopping rule asks for: x is a minimum as far as the
                // tolerance resolves it, whatever rounding the machine's summation order added. Otherwise retry once from steepest
                // descent (a stale curvature pair can spoil the quasi-Newton direction) before reporting a failed line search.
                if (-slope <= options.RelativeReduction * Math.Max(Math.Abs(fx), 1.0))
                    return new LbfgsResult(x, fx, iter, evals, true, "no decrease beyond the relative-reduction tolerance is possible");
                if (sList.Count > 0) { sList.Clear(); yList.Clear(); rhoList.Clear(); continue; }
                return new LbfgsResult(x, fx, iter, evals, false, "line search found no decrease");
            }
            var s = new double[n];
            var y = new double[n];
            for (var i = 0; i < n; i++) { s[i] = xNew![i] - x[i]; y[i] = gNew![i] - g[i]; }
            var sy = Reduce.Dot(s, y);
            if (sy > 1e-10 * Reduce.Norm(s) * Reduce.Norm(y))
            {
                sList.Add(s); yList.Add(y); rhoList.Add(1.0 / sy);
                if (sList.Count > options.Memory) { sList.RemoveAt(0); yList.RemoveAt(0); rhoList.RemoveAt(0); }
            }
            var fOld = fx;
            x = xNew!; fx = fNew; g = gNew!;
            if ((fOld - fx) / Math.Max(Math.Max(Math.Abs(fOld), Math.Abs(fx)), 1.0) <= options.RelativeReduction)
                return new LbfgsResult(x, fx, iter + 1, evals, true, "relative reduction of f below tolerance");
        }
        return new LbfgsResult(x, fx, options.MaxIterations, evals, false, "iteration limit reached");
    }

    private static double ProjectedGradientNorm(double[] x, double[] g, double[] lower, double[] upper)
    {
        var m = 0.0;
        for (var i = 0; i < x.Length; i++) m = Math.Max(m, Math.Abs(Math.Clamp(x[i] - g[i], lower[i], upper[i]) - x[i]));
        return m;
    }

    private static double[] TwoLoop(double[] g, bool[] free, List<double[]> s, List<double[]> y, List<double> rho)
    {
        var n = g.Length;
        var q = new double[n];
        for (var i = 0; i < n; i++) q[i] = free[i] ? g[i] : 0;
        double Dot(double[] a, double[] b) { var r = 0.0; for (var i = 0; i < n; i++) if (free[i]) r += a[i] * b[i]; return r; }
        var alpha = new double[s.Count];
        for (var k = s.Count - 1; k >= 0; k--)
        {
            alpha[k] = rho[k] * Dot(s[k], q);
            for (var i = 0; i < n; i++) if (free[i]) q[i] -= alpha[k] * y[k][i];
        }
        if (s.Count > 0)
        {
            var last = s.Count - 1;
            var yy = Dot(y[last], y[last]);
            var sy = Dot(s[last], y[last]);
            var gamma = yy > 0 && sy > 0 ? sy / yy : 1.0;
            for (var i = 0; i < n; i++) q[i] *= gamma;
        }
        for (var k = 0; k < s.Count; k++)
        {
            var beta = rho[k] * Dot(y[k], q);
            for (var i = 0; i < n; i++) if (free[i]) q[i] += s[k][i] * (alpha[k] - beta);
        }
        for (var i = 0; i < n; i++) q[i] = free[i] ? -q[i] : 0;
        return q;
    }
}
