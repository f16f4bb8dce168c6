using System.Globalization;
using System.Numerics.Tensors;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.SupportVector;

/// <summary>The kernels of libsvm (scikit-learn's <c>SVR</c>/<c>SVC</c> <c>kernel</c> parameter).</summary>
public enum SvmKernelKind
{
    /// <summary><c>linear</c>: k(x, z) = x . z.</summary>
    Linear,
    /// <summary><c>poly</c>: k(x, z) = (gamma x . z + coef0)^degree.</summary>
    Poly,
    /// <summary><c>rbf</c>: k(x, z) = exp(-gamma ||x - z||_2^2).</summary>
    Rbf,
    /// <summary><c>sigmoid</c>: k(x, z) = tanh(gamma x . z + coef0).</summary>
    Sigmoid,
}

/// <summary>How <c>gamma</c> is chosen: scikit-learn's <c>'scale'</c>, <c>'auto'</c> or a positive number.</summary>
/// <param name="Mode"><c>scale</c>: 1 / (n_features * X.var()) (1 when X.var() is 0); <c>auto</c>: 1 / n_features; <c>value</c>: <paramref name="Value"/>.</param>
/// <param name="Value">The fixed gamma when <paramref name="Mode"/> is <c>value</c>; must be finite and &gt; 0.</param>
public sealed record SvmGamma(string Mode, double Value)
{
    /// <summary>scikit-learn's default <c>gamma='scale'</c>.</summary>
    public static SvmGamma Scale { get; } = new("scale", 0);

    /// <summary><c>gamma='auto'</c>: 1 / n_features.</summary>
    public static SvmGamma Auto { get; } = new("auto", 0);

    /// <summary>A fixed gamma.</summary>
    /// <param name="gamma">The value, &gt; 0.</param>
    /// <returns>The setting.</returns>
    public static SvmGamma Of(double gamma) => new("value", gamma);

    /// <summary>The setting as scikit-learn spells it (<c>scale</c>, <c>auto</c> or the number).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Mode == "value" ? Value.ToString("R", CultureInfo.InvariantCulture) : Mode;
}

/// <summary>A libsvm kernel with scikit-learn's names and defaults (<c>SVR</c>/<c>SVC</c>: rbf, gamma='scale', degree 3, coef0 0).</summary>
public sealed record SvmKernelOptions
{
    /// <summary><c>kernel</c>. Default <see cref="SvmKernelKind.Rbf"/>.</summary>
    public SvmKernelKind Kind { get; init; } = SvmKernelKind.Rbf;

    /// <summary><c>gamma</c> (poly, rbf, sigmoid). Default <see cref="SvmGamma.Scale"/>.</summary>
    public SvmGamma Gamma { get; init; } = SvmGamma.Scale;

    /// <summary><c>degree</c> of the poly kernel, &gt;= 1 (scikit-learn allows 0; a constant kernel is of no use). Default 3.</summary>
    public int Degree { get; init; } = 3;

    /// <summary><c>coef0</c>: the constant of the poly and sigmoid kernels. Default 0.</summary>
    public double Coef0 { get; init; }
}

/// <summary>Parses, checks and evaluates libsvm kernels.</summary>
/// <remarks>
/// Formulas of <see cref="SvmKernelKind"/>. Training kernel rows use libsvm's expansion for rbf,
/// ||x_i - x_j||^2 = x_i.x_i + x_j.x_j - 2 x_i.x_j, and the difference form at prediction, as libsvm's <c>Kernel</c> and
/// <c>k_function</c> do. Source: Chang and Lin, LIBSVM (2011) section 2; scikit-learn 1.2.1 <c>sklearn/svm/_base.py</c> (gamma).
/// </remarks>
public static class SvmKernel
{
    /// <summary>Parses a kernel name as scikit-learn spells it.</summary>
    /// <param name="name"><c>linear</c>, <c>poly</c>, <c>rbf</c> or <c>sigmoid</c>.</param>
    /// <returns>The kind, or <c>param.invalid_value</c>.</returns>
    public static Validation<Problem, SvmKernelKind> Parse(string name) => name switch
    {
        "linear" => Valid.Ok(SvmKernelKind.Linear),
        "poly" or "polynomial" => Valid.Ok(SvmKernelKind.Poly),
        "rbf" => Valid.Ok(SvmKernelKind.Rbf),
        "sigmoid" => Valid.Ok(SvmKernelKind.Sigmoid),
        _ => Valid.Fail<SvmKernelKind>("param.invalid_value", $"kernel={name} is not known; use linear, poly, rbf or sigmoid"),
    };

    /// <summary>Parses a gamma setting.</summary>
    /// <param name="value"><c>scale</c>, <c>auto</c> or a number &gt; 0.</param>
    /// <returns>The setting, or <c>param.invalid_value</c>.</returns>
    public static Validation<Problem, SvmGamma> ParseGamma(string value) => value switch
    {
        "scale" => Valid.Ok(SvmGamma.Scale),
        "auto" => Valid.Ok(SvmGamma.Auto),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var g) => Valid.Ok(SvmGamma.Of(g)),
        _ => Valid.Fail<SvmGamma>("param.invalid_value", $"gamma={value} is not 'scale', 'auto' or a number; e.g. gamma=scale or gamma=0.01"),
    };

    /// <summary>The scikit-learn name of a kernel.</summary>
    /// <param name="kind">The kernel.</param>
    /// <returns><c>linear</c>, <c>poly</c>, <c>rbf</c> or <c>sigmoid</c>.</returns>
    public static string Name(SvmKernelKind kind) => kind switch
    {
        SvmKernelKind.Poly => "poly",
        SvmKernelKind.Rbf => "rbf",
        SvmKernelKind.Sigmoid => "sigmoid",
        _ => "linear",
    };

    /// <summary>Checks kernel parameters.</summary>
    /// <param name="options">The kernel.</param>
    /// <returns>Every problem: <c>param.out_of_range</c> for a fixed gamma &lt;= 0 or not finite, degree &lt; 1, coef0 not finite.</returns>
    public static List<Problem> Check(SvmKernelOptions options)
    {
        var problems = new List<Problem>();
        if (options.Gamma.Mode is not ("scale" or "auto" or "value"))
            problems.Add(new Problem("param.invalid_value", $"gamma mode '{options.Gamma.Mode}' is not scale, auto or value"));
        if (options.Gamma.Mode == "value" && !(options.Gamma.Value > 0 && double.IsFinite(options.Gamma.Value)))
            problems.Add(new Problem("param.out_of_range", $"gamma must be a finite number > 0, 'scale' or 'auto', found {options.Gamma.Value.ToString("R", CultureInfo.InvariantCulture)}; try gamma=scale"));
        if (options.Kind == SvmKernelKind.Poly && options.Degree < 1)
            problems.Add(new Problem("param.out_of_range", $"degree must be >= 1, found {options.Degree}; try degree=3"));
        if (!double.IsFinite(options.Coef0))
            problems.Add(new Problem("param.out_of_range", $"coef0 must be finite, found {options.Coef0}"));
        return problems;
    }

    /// <summary>Resolves gamma for training rows as scikit-learn 1.2.1 does.</summary>
    /// <param name="gamma">The setting.</param>
    /// <param name="x">Training rows, shape (n_samples, n_features).</param>
    /// <returns><c>scale</c>: 1 / (n_features * var(X)) with var over every entry (population), or 1 when var is 0;
    /// <c>auto</c>: 1 / n_features; else the value.</returns>
    public static double ResolveGamma(SvmGamma gamma, Matrix x)
    {
        switch (gamma.Mode)
        {
            case "auto": return 1.0 / x.Cols;
            case "scale":
            {
                var data = x.Data;
                var mean = Reduce.Sum(data) / data.Length;
                var s = 0.0;
                foreach (var v in data) { var d = v - mean; s += d * d; }
                var variance = s / data.Length;
                return variance != 0 ? 1.0 / (x.Cols * variance) : 1.0;
            }
            default: return gamma.Value;
        }
    }

    /// <summary>Evaluates k(a, b) for prediction with SIMD kernels (rbf from the Euclidean distance of the difference, as libsvm's
    /// <c>k_function</c>, up to rounding in the last bits).</summary>
    internal static double Evaluate(SvmKernelKind kind, double gamma, int degree, double coef0, ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        switch (kind)
        {
            case SvmKernelKind.Poly: return PowInt(gamma * Reduce.Dot(a, b) + coef0, degree);
            case SvmKernelKind.Rbf:
            {
                var distance = Reduce.Distance(a, b);
                return Math.Exp(-gamma * (distance * distance));
            }
            case SvmKernelKind.Sigmoid: return Math.Tanh(gamma * Reduce.Dot(a, b) + coef0);
            default: return Reduce.Dot(a, b);
        }
    }

    /// <summary>base^times by squaring, as libsvm's <c>powi</c>.</summary>
    internal static double PowInt(double value, int times)
    {
        double tmp = value, ret = 1.0;
        for (var t = times; t > 0; t /= 2)
        {
            if (t % 2 == 1) ret *= tmp;
            tmp *= tmp;
        }
        return ret;
    }

    /// <summary>Kernel values between query rows and support vectors, shape (n_query, n_sv), in prediction form; rows in parallel
    /// (each entry is computed alone, so the result does not depend on the thread count).</summary>
    internal static double[] Cross(SvmKernelKind kind, double gamma, int degree, double coef0, Matrix x, Matrix sv)
    {
        var k = new double[x.Rows * sv.Rows];
        var nsv = sv.Rows;
        Parallel.For(0, x.Rows, i =>
        {
            var xi = x.Row(i);
            for (var j = 0; j < nsv; j++) k[i * nsv + j] = Evaluate(kind, gamma, degree, coef0, xi, sv.Row(j));
        });
        return k;
    }
}
