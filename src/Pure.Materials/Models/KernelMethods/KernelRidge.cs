using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.KernelMethods;

/// <summary>Hyper-parameters of kernel ridge regression (scikit-learn <c>KernelRidge</c> names and defaults).</summary>
public sealed record KernelRidgeOptions
{
    /// <summary><c>alpha</c>: L2 penalty, &gt;= 0 (0 needs a positive definite kernel matrix). Default 1.0.</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary>The kernel: <c>kernel</c>, <c>gamma</c>, <c>degree</c>, <c>coef0</c>. Default linear.</summary>
    public KernelOptions Kernel { get; init; } = new();
}

/// <summary>A fitted kernel ridge model.</summary>
/// <param name="Options">The hyper-parameters it was fitted with.</param>
/// <param name="DualCoef"><c>dual_coef_</c>: shape (n_train,).</param>
/// <param name="XFit"><c>X_fit_</c>: the training rows, shape (n_train, n_features).</param>
/// <param name="Gamma">The kernel's gamma as used (1 / n_features for <c>None</c>).</param>
public sealed record KernelRidgeModel(KernelRidgeOptions Options, IReadOnlyList<double> DualCoef, Matrix XFit, double Gamma)
{
    /// <summary><c>dual_coef_</c>: shape (n_train,).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> DualCoef { get; init => field = Vec.From(value); } = Vec.From(DualCoef);
}

/// <summary>Fits and applies kernel ridge regression.</summary>
/// <remarks>
/// Solves (K + alpha I) a = y with K_ij = k(x_i, x_j) by a Cholesky factorisation; predicts f(x) = sum_i a_i k(x, x_i).
/// No intercept, as scikit-learn (centre y or use a kernel with a constant term). O(n^2) memory and O(n^3) time.
/// Source: Saunders, Gammerman, Vovk, ICML 1998; scikit-learn 1.2.1 <c>sklearn/kernel_ridge.py</c> and <c>_solve_cholesky_kernel</c>.
/// </remarks>
public static class KernelRidge
{
    /// <summary>Fits kernel ridge regression.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite.</param>
    /// <param name="y">Targets, length n_samples, finite.</param>
    /// <returns>The model, or <c>param.out_of_range</c> (alpha &lt; 0, gamma &lt;= 0, degree &lt; 1), the data problems of
    /// <see cref="Checks.Regression"/>, <c>linalg.singular</c> (K + alpha I not positive definite: use alpha &gt; 0).</returns>
    public static Validation<Problem, KernelRidgeModel> Fit(KernelRidgeOptions options, Matrix x, IReadOnlyList<double> y)
    {
        var problems = new List<Problem>(Checks.Regression(x, y).Problems());
        if (!(options.Alpha >= 0) || double.IsInfinity(options.Alpha))
            problems.Add(new Problem("param.out_of_range", $"alpha must be a finite number >= 0, found {options.Alpha}; try alpha=1.0"));
        problems.AddRange(Kernels.Check(options.Kernel));
        if (problems.Count > 0) return Valid.Fail<KernelRidgeModel>(problems);
        var k = Kernels.Compute(options.Kernel, x, x);
        var n = x.Rows;
        var g = k.Data.ToArray();
        for (var i = 0; i < n; i++) g[i * n + i] += options.Alpha;
        var a = CholeskySolve(g, n, y);
        if (a is null || a.Any(v => !double.IsFinite(v)))
            return Valid.Fail<KernelRidgeModel>("linalg.singular",
                $"the kernel matrix plus alpha*I is not positive definite (alpha={options.Alpha}, kernel {Kernels.Name(options.Kernel.Kind)}); use alpha > 0 or remove duplicate rows");
        return Valid.Ok(new KernelRidgeModel(options, a, x, Kernels.ResolveGamma(options.Kernel, x.Cols)));
    }

    /// <summary>Solves G a = y for symmetric positive definite G (row-major, overwritten by its Cholesky factor L in the lower triangle);
    /// null when a pivot is not positive (relative to the largest diagonal entry, 1e-13).</summary>
    /// <remarks>Blocked, parallel and thread-count independent factorisation and the solves of <see cref="Dense"/>.</remarks>
    internal static double[]? CholeskySolve(double[] g, int n, IReadOnlyList<double> y)
    {
        var maxDiag = 0.0;
        for (var i = 0; i < n; i++) maxDiag = Math.Max(maxDiag, g[i * n + i]);
        if (!Dense.CholeskyInPlace(g, n, 1e-13 * maxDiag)) return null;
        var z = y.ToArray();
        Dense.CholeskySolve(g, n, z);
        return z;
    }

    /// <summary>Predicts with a fitted model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features of the training rows).</param>
    /// <returns>Predictions sum_i a_i k(x, x_i), length n_samples.</returns>
    /// <exception cref="ArgumentException">When the number of columns differs from the training rows' (a programmer error).</exception>
    public static double[] Predict(KernelRidgeModel model, Matrix x)
    {
        var kernel = model.Options.Kernel with { Gamma = model.Gamma };
        var k = Kernels.Compute(kernel, x, model.XFit);
        var a = Vec.AsSpan(model.DualCoef);
        return k.Multiply(a);
    }

    /// <summary>Writes a fitted model's learned state for a model file: <c>dual_coef_</c>, <c>X_fit_</c> and the gamma used.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The state.</returns>
    internal static StateNode Write(KernelRidgeModel model) =>
        new StateNode().Floats("dual_coef_", model.DualCoef.ToArray()).Matrix("X_fit_", model.XFit).Float("gamma", model.Gamma);

    /// <summary>Reads a model written by <see cref="Write"/>: one finite dual coefficient per finite training row, gamma finite and &gt; 0.</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    internal static Validation<Problem, KernelRidgeModel> Read(KernelRidgeOptions options, StateReader r)
    {
        var dual = r.Floats("dual_coef_");
        if (r.Ok && dual.Length == 0) r.Fail("dual_coef_", "is empty, expected one coefficient per training row");
        var xFit = r.Ok ? ModelState.Matrix(r, "X_fit_", dual.Length) : Matrix.FromRowMajor(0, 0, []);
        var gamma = ModelState.Positive(r, "gamma");
        return ModelState.Finish(r, () => new KernelRidgeModel(options, dual, xFit, gamma));
    }
}
