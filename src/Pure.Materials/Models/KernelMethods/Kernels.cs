using System.Numerics.Tensors;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.KernelMethods;

/// <summary>The kernel functions of scikit-learn's <c>pairwise_kernels</c> used by kernel ridge and support vector machines.</summary>
public enum KernelKind
{
    /// <summary><c>linear</c>: k(x, z) = x . z.</summary>
    Linear,
    /// <summary><c>polynomial</c> (alias <c>poly</c>): k(x, z) = (gamma x . z + coef0)^degree.</summary>
    Polynomial,
    /// <summary><c>rbf</c>: k(x, z) = exp(-gamma ||x - z||_2^2).</summary>
    Rbf,
    /// <summary><c>laplacian</c>: k(x, z) = exp(-gamma ||x - z||_1).</summary>
    Laplacian,
}

/// <summary>A kernel and its parameters, with scikit-learn's names and defaults.</summary>
public sealed record KernelOptions
{
    /// <summary><c>kernel</c>. Default <see cref="KernelKind.Linear"/>.</summary>
    public KernelKind Kind { get; init; } = KernelKind.Linear;

    /// <summary><c>gamma</c>: &gt; 0, or null for 1 / n_features (scikit-learn's <c>None</c>); ignored by the linear kernel. Default null.</summary>
    public double? Gamma { get; init; }

    /// <summary><c>degree</c> of the polynomial kernel, &gt;= 1. Default 3.</summary>
    public int Degree { get; init; } = 3;

    /// <summary><c>coef0</c>: additive constant of the polynomial kernel. Default 1.</summary>
    public double Coef0 { get; init; } = 1.0;
}

/// <summary>Computes kernel (Gram) matrices.</summary>
/// <remarks>
/// K_ij = k(a_i, b_j) with the formulas of <see cref="KernelKind"/>; squared distances are summed directly,
/// sum_k (a_ik - b_jk)^2 (scikit-learn expands ||a||^2 - 2 a.b + ||b||^2, which differs by rounding only).
/// Every kernel here is symmetric positive semi-definite (the polynomial one for coef0 &gt;= 0).
/// Source: scikit-learn 1.2.1 <c>sklearn/metrics/pairwise.py</c>; Schoelkopf and Smola, Learning with Kernels (2002), chapter 2.
/// </remarks>
public static class Kernels
{
    /// <summary>Parses a kernel name as scikit-learn spells it.</summary>
    /// <param name="name"><c>linear</c>, <c>poly</c>/<c>polynomial</c>, <c>rbf</c> or <c>laplacian</c>.</param>
    /// <returns>The kind, or <c>param.invalid_value</c>.</returns>
    public static Validation<Problem, KernelKind> Parse(string name) => name switch
    {
        "linear" => Valid.Ok(KernelKind.Linear),
        "poly" or "polynomial" => Valid.Ok(KernelKind.Polynomial),
        "rbf" => Valid.Ok(KernelKind.Rbf),
        "laplacian" => Valid.Ok(KernelKind.Laplacian),
        _ => Valid.Fail<KernelKind>("param.invalid_value", $"kernel={name} is not known; use linear, poly, rbf or laplacian"),
    };

    /// <summary>The scikit-learn name of a kernel.</summary>
    /// <param name="kind">The kernel.</param>
    /// <returns><c>linear</c>, <c>polynomial</c>, <c>rbf</c> or <c>laplacian</c>.</returns>
    public static string Name(KernelKind kind) => kind switch
    {
        KernelKind.Polynomial => "polynomial",
        KernelKind.Rbf => "rbf",
        KernelKind.Laplacian => "laplacian",
        _ => "linear",
    };

    /// <summary>Checks kernel parameters.</summary>
    /// <param name="options">The kernel.</param>
    /// <returns>Every problem: <c>param.out_of_range</c> for gamma &lt;= 0 or not finite, degree &lt; 1.</returns>
    public static List<Problem> Check(KernelOptions options)
    {
        var problems = new List<Problem>();
        if (options.Gamma is { } g && !(g > 0 && double.IsFinite(g)))
            problems.Add(new Problem("param.out_of_range", $"gamma must be a finite number > 0 (or None for 1/n_features), found {g}"));
        if (options.Kind == KernelKind.Polynomial && options.Degree < 1)
            problems.Add(new Problem("param.out_of_range", $"degree must be >= 1, found {options.Degree}"));
        if (!double.IsFinite(options.Coef0))
            problems.Add(new Problem("param.out_of_range", $"coef0 must be finite, found {options.Coef0}"));
        return problems;
    }

    /// <summary>Evaluates the kernel for one pair of rows.</summary>
    /// <param name="options">The kernel (parameters assumed valid).</param>
    /// <param name="gamma">The resolved gamma (see <see cref="ResolveGamma"/>).</param>
    /// <param name="a">First row.</param>
    /// <param name="b">Second row, same length.</param>
    /// <returns>k(a, b).</returns>
    public static double Evaluate(KernelOptions options, double gamma, ReadOnlySpan<double> a, ReadOnlySpan<double> b) =>
        Evaluate(options, gamma, a, b, options.Kind is KernelKind.Rbf or KernelKind.Laplacian ? new double[a.Length] : []);

    /// <summary>Evaluates the kernel for one pair of rows with a caller-owned scratch buffer (no allocation on the hot path).</summary>
    private static double Evaluate(KernelOptions options, double gamma, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> scratch)
    {
        switch (options.Kind)
        {
            case KernelKind.Polynomial:
                return Math.Pow(gamma * Reduce.Dot(a, b) + options.Coef0, options.Degree);
            case KernelKind.Rbf:
                TensorPrimitives.Subtract(a, b, scratch);
                return Math.Exp(-gamma * Reduce.SumOfSquares(scratch));
            case KernelKind.Laplacian:
                TensorPrimitives.Subtract(a, b, scratch);
                return Math.Exp(-gamma * Reduce.SumOfMagnitudes(scratch));
            default:
                return Reduce.Dot(a, b);
        }
    }

    /// <summary>Resolves <c>gamma=None</c> to 1 / n_features as scikit-learn.</summary>
    /// <param name="options">The kernel.</param>
    /// <param name="nFeatures">Number of features, &gt;= 1.</param>
    /// <returns>The gamma to use.</returns>
    public static double ResolveGamma(KernelOptions options, int nFeatures) => options.Gamma ?? 1.0 / nFeatures;

    /// <summary>Computes the kernel matrix between the rows of two matrices.</summary>
    /// <param name="options">The kernel (parameters assumed valid; use <see cref="Check"/>).</param>
    /// <param name="a">Rows, shape (n_a, n_features).</param>
    /// <param name="b">Rows, shape (n_b, n_features).</param>
    /// <returns>K, shape (n_a, n_b), K_ij = k(a_i, b_j); gamma=None is 1 / n_features.</returns>
    /// <exception cref="ArgumentException">When the column counts differ (a programmer error).</exception>
    public static Matrix Compute(KernelOptions options, Matrix a, Matrix b)
    {
        if (a.Cols != b.Cols) throw new ArgumentException($"Column counts differ: {a.Cols} and {b.Cols}.", nameof(b));
        var gamma = ResolveGamma(options, a.Cols);
        var k = new double[a.Rows * b.Rows];
        var symmetric = ReferenceEquals(a, b);
        // Rows in parallel: every entry is computed by one thread from its two rows alone, so K is the same for any thread count.
        Parallel.For(0, a.Rows, () => new double[a.Cols], (i, _, scratch) =>
        {
            for (var j = symmetric ? i : 0; j < b.Rows; j++)
            {
                var v = Evaluate(options, gamma, a.Row(i), b.Row(j), scratch);
                k[i * b.Rows + j] = v;
                if (symmetric) k[j * b.Rows + i] = v;
            }
            return scratch;
        }, _ => { });
        return Matrix.Own(a.Rows, b.Rows, k);
    }
}
