using Pure.Materials.Core;
using System.Globalization;

namespace Pure.Materials.Models.Gaussian;

/// <summary>Bounds of a kernel hyper-parameter in its natural (not log) scale, or <see cref="Fixed"/> (not optimised).</summary>
/// <param name="Lower">Lower bound, &gt; 0 (hyper-parameters are optimised as log values).</param>
/// <param name="Upper">Upper bound, &gt;= Lower.</param>
/// <param name="IsFixed">When true the hyper-parameter is not part of <see cref="Kernel.Theta"/> (scikit-learn's <c>"fixed"</c>).</param>
public readonly record struct Bounds(double Lower, double Upper, bool IsFixed = false)
{
    /// <summary>scikit-learn's default bounds (1e-5, 1e5).</summary>
    public static Bounds Default { get; } = new(1e-5, 1e5);

    /// <summary>A fixed hyper-parameter (scikit-learn's <c>bounds="fixed"</c>).</summary>
    public static Bounds Fixed { get; } = new(double.NaN, double.NaN, true);

    /// <summary>Formats as <c>(1e-05, 100000)</c> or <c>fixed</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => IsFixed ? "fixed" : $"({Lower.ToString("R", CultureInfo.InvariantCulture)}, {Upper.ToString("R", CultureInfo.InvariantCulture)})";
}

/// <summary>Describes one hyper-parameter of a kernel as scikit-learn's <c>Hyperparameter</c>.</summary>
/// <param name="Name">Name with composite prefixes, e.g. <c>k1__k2__length_scale</c>.</param>
/// <param name="Value">Current value(s) in the natural scale; several for an anisotropic (ARD) length scale.</param>
/// <param name="Bounds">Bounds shared by all elements.</param>
public sealed record Hyperparameter(string Name, IReadOnlyList<double> Value, Bounds Bounds)
{
    /// <summary>Current value(s) in the natural scale; several for an anisotropic (ARD) length scale.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> Value { get; init => field = Vec.From(value); } = Vec.From(Value);

    /// <summary>Number of elements (1, or n_features for an ARD length scale).</summary>
    public int NElements => Value.Count;
}

/// <summary>A covariance function k(x, x') as an immutable value; kernels compose with <c>+</c>, <c>*</c> and <see cref="Pow"/>.</summary>
/// <remarks>
/// Semantics follow scikit-learn 1.2.1 <c>sklearn.gaussian_process.kernels</c>: <see cref="Theta"/> is the vector of the
/// logs of the non-fixed hyper-parameters (hyper-parameters of one kernel in alphabetical order of their names; for
/// composites the left operand first), <see cref="ThetaBounds"/> their log bounds, and <see cref="Gradient"/> returns
/// dK/dtheta, i.e. derivatives with respect to the log hyper-parameters (<c>eval_gradient=True</c>).
/// <see cref="WhiteKernel"/> adds noise only to K(X) (not to K(X, Y)), as in scikit-learn.
/// Source: Rasmussen and Williams, Gaussian Processes for Machine Learning (MIT Press, 2006), chapter 4;
/// scikit-learn 1.2.1 <c>sklearn/gaussian_process/kernels.py</c>.
/// </remarks>
public abstract record Kernel
{
    /// <summary>Every hyper-parameter, fixed ones included, in <see cref="Theta"/> order.</summary>
    public abstract IReadOnlyList<Hyperparameter> Hyperparameters { get; }

    /// <summary>Logs of the non-fixed hyper-parameter values, shape (n_theta,).</summary>
    public double[] Theta =>
        Hyperparameters.Where(h => !h.Bounds.IsFixed).SelectMany(h => h.Value.Select(v => Math.Log(v))).ToArray();

    /// <summary>Log bounds of <see cref="Theta"/>, shape (n_theta,) of (lower, upper).</summary>
    public (double Lower, double Upper)[] ThetaBounds =>
        Hyperparameters.Where(h => !h.Bounds.IsFixed)
            .SelectMany(h => h.Value.Select(_ => (Math.Log(h.Bounds.Lower), Math.Log(h.Bounds.Upper)))).ToArray();

    /// <summary>Names of the entries of <see cref="Theta"/> (ARD entries get <c>[d]</c> suffixes).</summary>
    public string[] ThetaNames =>
        Hyperparameters.Where(h => !h.Bounds.IsFixed)
            .SelectMany(h => h.NElements == 1 ? [h.Name] : Enumerable.Range(0, h.NElements).Select(d => $"{h.Name}[{d}]")).ToArray();

    /// <summary>Number of entries of <see cref="Theta"/> (scikit-learn's <c>n_dims</c>).</summary>
    public int NTheta => Hyperparameters.Where(h => !h.Bounds.IsFixed).Sum(h => h.NElements);

    /// <summary>Returns the same kernel with the non-fixed hyper-parameters set to exp(theta).</summary>
    /// <param name="theta">Log hyper-parameters, length <see cref="NTheta"/>.</param>
    /// <returns>A new kernel.</returns>
    /// <exception cref="ArgumentException">When the length differs from <see cref="NTheta"/> (a programmer error).</exception>
    public Kernel WithTheta(ReadOnlySpan<double> theta)
    {
        if (theta.Length != NTheta) throw new ArgumentException($"theta has {theta.Length} values, the kernel has {NTheta}.", nameof(theta));
        var offset = 0;
        return WithThetaAt(theta, ref offset);
    }

    /// <summary>Number of input features the kernel requires (from an ARD length scale), or null for any.</summary>
    public virtual int? RequiredFeatures => null;

    /// <summary>Computes K(X, X).</summary>
    /// <param name="x">Inputs, shape (n_samples, n_features).</param>
    /// <returns>The symmetric matrix, shape (n_samples, n_samples).</returns>
    public Core.Matrix Of(Core.Matrix x) => Core.Matrix.Own(x.Rows, x.Rows, Gram(x));

    /// <summary>Computes K(X, Y) (no white-noise term).</summary>
    /// <param name="x">Inputs, shape (n_x, n_features).</param>
    /// <param name="y">Inputs, shape (n_y, n_features).</param>
    /// <returns>The matrix, shape (n_x, n_y).</returns>
    public Core.Matrix Of(Core.Matrix x, Core.Matrix y) => Core.Matrix.Own(x.Rows, y.Rows, Cross(x, y));

    /// <summary>Computes the diagonal of K(X, X) without forming the matrix.</summary>
    /// <param name="x">Inputs, shape (n_samples, n_features).</param>
    /// <returns>k(x_i, x_i), length n_samples.</returns>
    public abstract double[] Diag(Core.Matrix x);

    /// <summary>Computes dK(X, X)/dtheta_k for every entry of <see cref="Theta"/>.</summary>
    /// <param name="x">Inputs, shape (n_samples, n_features).</param>
    /// <returns>n_theta matrices of shape (n_samples, n_samples) (scikit-learn's <c>K_gradient[:, :, k]</c>).</returns>
    public Core.Matrix[] Gradient(Core.Matrix x) => Gradients(x).Select(g => Core.Matrix.Own(x.Rows, x.Rows, g)).ToArray();

    /// <summary>Returns the sum kernel k1 + k2.</summary>
    /// <param name="a">k1.</param>
    /// <param name="b">k2.</param>
    /// <returns>The sum.</returns>
    public static Kernel operator +(Kernel a, Kernel b) => new SumKernel(a, b);

    /// <summary>Returns the product kernel k1 * k2.</summary>
    /// <param name="a">k1.</param>
    /// <param name="b">k2.</param>
    /// <returns>The product.</returns>
    public static Kernel operator *(Kernel a, Kernel b) => new ProductKernel(a, b);

    /// <summary>Returns c * k with c a <see cref="ConstantKernel"/> (as scikit-learn turns a number into one).</summary>
    /// <param name="c">The constant.</param>
    /// <param name="k">The kernel.</param>
    /// <returns>The product.</returns>
    public static Kernel operator *(double c, Kernel k) => new ProductKernel(new ConstantKernel { ConstantValue = c }, k);

    /// <summary>Returns k ** exponent (<see cref="ExponentiationKernel"/>; the exponent is not a hyper-parameter).</summary>
    /// <param name="exponent">The exponent.</param>
    /// <returns>The kernel.</returns>
    public Kernel Pow(double exponent) => new ExponentiationKernel(this, exponent);

    internal abstract Kernel WithThetaAt(ReadOnlySpan<double> theta, ref int offset);

    internal abstract double[] Gram(Core.Matrix x);

    internal abstract double[] Cross(Core.Matrix x, Core.Matrix y);

    /// <summary>dK/dtheta_k as n*n arrays, one per theta entry, each freshly allocated.</summary>
    internal abstract IEnumerable<double[]> Gradients(Core.Matrix x);

    internal static IReadOnlyList<Hyperparameter> Prefix(string prefix, IReadOnlyList<Hyperparameter> hs) =>
        hs.Select(h => h with { Name = prefix + "__" + h.Name }).ToArray();

    internal static double Read(ReadOnlySpan<double> theta, ref int offset) => Math.Exp(theta[offset++]);

    internal static double[] Pairwise(Core.Matrix x, Func<ReadOnlySpan<double>, ReadOnlySpan<double>, double> f)
    {
        var n = x.Rows;
        var k = new double[n * n];
        Parallel.For(0, n, i =>
        {
            for (var j = 0; j <= i; j++)
            {
                var v = f(x.Row(i), x.Row(j));
                k[i * n + j] = v;
                k[j * n + i] = v;
            }
        });
        return k;
    }

    internal static double[] PairwiseCross(Core.Matrix x, Core.Matrix y, Func<ReadOnlySpan<double>, ReadOnlySpan<double>, double> f)
    {
        if (x.Cols != y.Cols) throw new ArgumentException($"X has {x.Cols} features, Y has {y.Cols}.", nameof(y));
        var m = y.Rows;
        var k = new double[x.Rows * m];
        Parallel.For(0, x.Rows, i =>
        {
            for (var j = 0; j < m; j++) k[i * m + j] = f(x.Row(i), y.Row(j));
        });
        return k;
    }

    internal static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> lengthScale)
    {
        var s = 0.0;
        if (lengthScale.Length == 1)
        {
            for (var d = 0; d < a.Length; d++) { var t = a[d] - b[d]; s += t * t; }
            return s / (lengthScale[0] * lengthScale[0]);
        }
        for (var d = 0; d < a.Length; d++) { var t = (a[d] - b[d]) / lengthScale[d]; s += t * t; }
        return s;
    }

    internal static bool SameValues(IReadOnlyList<double> a, IReadOnlyList<double> b) => Vec.From(a).Equals(Vec.From(b));

    internal static int HashValues(IReadOnlyList<double> a)
    {
        var h = new HashCode();
        foreach (var v in a) h.Add(v);
        return h.ToHashCode();
    }

    internal static string Num(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    internal static string Num(IReadOnlyList<double> v) => v.Count == 1 ? Num(v[0]) : "[" + string.Join(", ", v.Select(Num)) + "]";
}

/// <summary>The constant kernel k(x, x') = c.</summary>
/// <remarks>dK/dlog c = c everywhere. Source: scikit-learn 1.2.1 <c>ConstantKernel</c>.</remarks>
public sealed record ConstantKernel : Kernel
{
    /// <summary><c>constant_value</c> c &gt; 0; default 1.</summary>
    public double ConstantValue { get; init; } = 1.0;

    /// <summary><c>constant_value_bounds</c>; default (1e-5, 1e5).</summary>
    public Bounds ConstantValueBounds { get; init; } = Bounds.Default;

    /// <inheritdoc/>
    public override IReadOnlyList<Hyperparameter> Hyperparameters => [new("constant_value", [ConstantValue], ConstantValueBounds)];

    /// <inheritdoc/>
    public override double[] Diag(Core.Matrix x) => Enumerable.Repeat(ConstantValue, x.Rows).ToArray();

    /// <summary>Formats as scikit-learn: <c>1**2</c> style is not used; prints <c>Constant(1)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"Constant({Num(ConstantValue)})";

    internal override Kernel WithThetaAt(ReadOnlySpan<double> theta, ref int offset) =>
        ConstantValueBounds.IsFixed ? this : this with { ConstantValue = Read(theta, ref offset) };

    internal override double[] Gram(Core.Matrix x) => Enumerable.Repeat(ConstantValue, x.Rows * x.Rows).ToArray();

    internal override double[] Cross(Core.Matrix x, Core.Matrix y) => Enumerable.Repeat(ConstantValue, x.Rows * y.Rows).ToArray();

    internal override IEnumerable<double[]> Gradients(Core.Matrix x)
    {
        if (!ConstantValueBounds.IsFixed) yield return Gram(x);
    }
}

/// <summary>The white-noise kernel k(x, x') = noise_level if x and x' are the same sample, else 0.</summary>
/// <remarks>K(X) = noise_level I; K(X, Y) = 0 (scikit-learn's convention, so predictions are noise-free while
/// <see cref="Kernel.Diag"/> and predictive std include the noise). Source: scikit-learn 1.2.1 <c>WhiteKernel</c>.</remarks>
public sealed record WhiteKernel : Kernel
{
    /// <summary><c>noise_level</c> &gt; 0; default 1.</summary>
    public double NoiseLevel { get; init; } = 1.0;

    /// <summary><c>noise_level_bounds</c>; default (1e-5, 1e5).</summary>
    public Bounds NoiseLevelBounds { get; init; } = Bounds.Default;

    /// <inheritdoc/>
    public override IReadOnlyList<Hyperparameter> Hyperparameters => [new("noise_level", [NoiseLevel], NoiseLevelBounds)];

    /// <inheritdoc/>
    public override double[] Diag(Core.Matrix x) => Enumerable.Repeat(NoiseLevel, x.Rows).ToArray();

    /// <summary>Formats as <c>White(noise_level=...)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"White(noise_level={Num(NoiseLevel)})";

    internal override Kernel WithThetaAt(ReadOnlySpan<double> theta, ref int offset) =>
        NoiseLevelBounds.IsFixed ? this : this with { NoiseLevel = Read(theta, ref offset) };

    internal override double[] Gram(Core.Matrix x)
    {
        var n = x.Rows;
        var k = new double[n * n];
        for (var i = 0; i < n; i++) k[i * n + i] = NoiseLevel;
        return k;
    }

    internal override double[] Cross(Core.Matrix x, Core.Matrix y) => new double[x.Rows * y.Rows];

    internal override IEnumerable<double[]> Gradients(Core.Matrix x)
    {
        if (!NoiseLevelBounds.IsFixed) yield return Gram(x);
    }
}

/// <summary>The dot-product kernel k(x, x') = sigma_0^2 + x . x'.</summary>
/// <remarks>dK/dlog sigma_0 = 2 sigma_0^2. Source: scikit-learn 1.2.1 <c>DotProduct</c>.</remarks>
public sealed record DotProductKernel : Kernel
{
    /// <summary><c>sigma_0</c> &gt; 0; default 1.</summary>
    public double Sigma0 { get; init; } = 1.0;

    /// <summary><c>sigma_0_bounds</c>; default (1e-5, 1e5).</summary>
    public Bounds Sigma0Bounds { get; init; } = Bounds.Default;

    /// <inheritdoc/>
    public override IReadOnlyList<Hyperparameter> Hyperparameters => [new("sigma_0", [Sigma0], Sigma0Bounds)];

    /// <inheritdoc/>
    public override double[] Diag(Core.Matrix x) =>
        Enumerable.Range(0, x.Rows).Select(i => Reduce.Dot(x.Row(i), x.Row(i)) + Sigma0 * Sigma0).ToArray();

    /// <summary>Formats as <c>DotProduct(sigma_0=...)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"DotProduct(sigma_0={Num(Sigma0)})";

    internal override Kernel WithThetaAt(ReadOnlySpan<double> theta, ref int offset) =>
        Sigma0Bounds.IsFixed ? this : this with { Sigma0 = Read(theta, ref offset) };

    internal override double[] Gram(Core.Matrix x)
    {
        var s2 = Sigma0 * Sigma0;
        return Pairwise(x, (a, b) => Reduce.Dot(a, b) + s2);
    }

    internal override double[] Cross(Core.Matrix x, Core.Matrix y)
    {
        var s2 = Sigma0 * Sigma0;
        return PairwiseCross(x, y, (a, b) => Reduce.Dot(a, b) + s2);
    }

    internal override IEnumerable<double[]> Gradients(Core.Matrix x)
    {
        if (!Sigma0Bounds.IsFixed) yield return Enumerable.Repeat(2 * Sigma0 * Sigma0, x.Rows * x.Rows).ToArray();
    }
}

/// <summary>The squared-exponential kernel k(x, x') = exp(-0.5 sum_d (x_d - x'_d)^2 / l_d^2), isotropic or ARD.</summary>
/// <remarks>dK/dlog l = K r^2 / l^2 (isotropic); dK/dlog l_d = K (x_d - x'_d)^2 / l_d^2 (ARD).
/// Source: Rasmussen and Williams (2006) eq. 4.9; scikit-learn 1.2.1 <c>RBF</c>.</remarks>
public sealed record RbfKernel : Kernel
{
    /// <summary><c>length_scale</c>: one value (isotropic) or one per feature (ARD), each &gt; 0; default [1].</summary>
    public IReadOnlyList<double> LengthScale { get; init => field = Vec.From(value); } = Vec<double>.Of([1.0]);

    /// <summary><c>length_scale_bounds</c>; default (1e-5, 1e5).</summary>
    public Bounds LengthScaleBounds { get; init; } = Bounds.Default;

    /// <inheritdoc/>
    public override IReadOnlyList<Hyperparameter> Hyperparameters => [new("length_scale", LengthScale, LengthScaleBounds)];

    /// <inheritdoc/>
    public override int? RequiredFeatures => LengthScale.Count > 1 ? LengthScale.Count : null;

    /// <inheritdoc/>
    public override double[] Diag(Core.Matrix x) => Enumerable.Repeat(1.0, x.Rows).ToArray();

    /// <summary>Formats as <c>RBF(length_scale=...)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"RBF(length_scale={Num(LengthScale)})";

    /// <summary>Compares hyper-parameter values element by element.</summary>
    /// <param name="other">The other kernel.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(RbfKernel? other) => other is not null && SameValues(LengthScale, other.LengthScale) && LengthScaleBounds == other.LengthScaleBounds;

    /// <summary>Hashes hyper-parameter values.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(HashValues(LengthScale), LengthScaleBounds);

    internal override Kernel WithThetaAt(ReadOnlySpan<double> theta, ref int offset)
    {
        if (LengthScaleBounds.IsFixed) return this;
        var l = new double[LengthScale.Count];
        for (var d = 0; d < l.Length; d++) l[d] = Read(theta, ref offset);
        return this with { LengthScale = l };
    }

    internal override double[] Gram(Core.Matrix x) => Pairwise(x, (a, b) => Math.Exp(-0.5 * SquaredDistance(a, b, Vec.AsSpan(LengthScale))));

    internal override double[] Cross(Core.Matrix x, Core.Matrix y) => PairwiseCross(x, y, (a, b) => Math.Exp(-0.5 * SquaredDistance(a, b, Vec.AsSpan(LengthScale))));

    internal override IEnumerable<double[]> Gradients(Core.Matrix x)
    {
        if (LengthScaleBounds.IsFixed) yield break;
        var k = Gram(x);
        var ls = Vec.From(LengthScale);
        if (ls.Count == 1)
        {
            yield return Pairwise(x, (a, b) => SquaredDistance(a, b, ls)).Select((r2, idx) => k[idx] * r2).ToArray();
            yield break;
        }
        for (var d = 0; d < ls.Count; d++)
        {
            var dd = d;
            var l2 = ls[d] * ls[d];
            var g = Pairwise(x, (a, b) => (a[dd] - b[dd]) * (a[dd] - b[dd]) / l2);
            for (var idx = 0; idx < g.Length; idx++) g[idx] *= k[idx];
            yield return g;
        }
    }
}

/// <summary>The Matérn kernel with nu in {0.5, 1.5, 2.5}, isotropic or ARD; r = sqrt(sum_d (x_d - x'_d)^2 / l_d^2).</summary>
/// <remarks>
/// nu = 0.5: exp(-r); nu = 1.5: (1 + sqrt(3) r) exp(-sqrt(3) r); nu = 2.5: (1 + sqrt(5) r + 5 r^2 / 3) exp(-sqrt(5) r).
/// With D_d = (x_d - x'_d)^2 / l_d^2 (or D = r^2 isotropic), dK/dlog l_d = K D_d / r (0 at r = 0), 3 D_d exp(-sqrt(3) r),
/// and 5/3 D_d (1 + sqrt(5) r) exp(-sqrt(5) r) respectively.
/// Source: Rasmussen and Williams (2006) eq. 4.14-4.17; scikit-learn 1.2.1 <c>Matern</c>.
/// </remarks>
public sealed record MaternKernel : Kernel
{
    /// <summary><c>length_scale</c>: one value (isotropic) or one per feature (ARD), each &gt; 0; default [1].</summary>
    public IReadOnlyList<double> LengthScale { get; init => field = Vec.From(value); } = Vec<double>.Of([1.0]);

    /// <summary><c>length_scale_bounds</c>; default (1e-5, 1e5).</summary>
    public Bounds LengthScaleBounds { get; init; } = Bounds.Default;

    /// <summary><c>nu</c>: 0.5, 1.5 or 2.5 (not a hyper-parameter); default 1.5.</summary>
    public double Nu { get; init; } = 1.5;

    /// <inheritdoc/>
    public override IReadOnlyList<Hyperparameter> Hyperparameters => [new("length_scale", LengthScale, LengthScaleBounds)];

    /// <inheritdoc/>
    public override int? RequiredFeatures => LengthScale.Count > 1 ? LengthScale.Count : null;

    /// <inheritdoc/>
    public override double[] Diag(Core.Matrix x) => Enumerable.Repeat(1.0, x.Rows).ToArray();

    /// <summary>Formats as <c>Matern(length_scale=..., nu=...)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"Matern(length_scale={Num(LengthScale)}, nu={Num(Nu)})";

    /// <summary>Compares hyper-parameter values element by element.</summary>
    /// <param name="other">The other kernel.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(MaternKernel? other) =>
        other is not null && SameValues(LengthScale, other.LengthScale) && LengthScaleBounds == other.LengthScaleBounds && Nu == other.Nu;

    /// <summary>Hashes hyper-parameter values.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(HashValues(LengthScale), LengthScaleBounds, Nu);

    internal override Kernel WithThetaAt(ReadOnlySpan<double> theta, ref int offset)
    {
        if (LengthScaleBounds.IsFixed) return this;
        var l = new double[LengthScale.Count];
        for (var d = 0; d < l.Length; d++) l[d] = Read(theta, ref offset);
        return this with { LengthScale = l };
    }

    private double Value(double r2)
    {
        var r = Math.Sqrt(r2);
        return Nu switch
        {
            0.5 => Math.Exp(-r),
            1.5 => (1 + Math.Sqrt(3) * r) * Math.Exp(-Math.Sqrt(3) * r),
            2.5 => (1 + Math.Sqrt(5) * r + 5.0 / 3.0 * r2) * Math.Exp(-Math.Sqrt(5) * r),
            _ => throw new InvalidOperationException($"Matern nu={Nu} is not supported; use 0.5, 1.5 or 2.5."),
        };
    }

    /// <summary>Factor f(r) with dK/dlog l_d = f(r) D_d.</summary>
    private double GradientFactor(double r2)
    {
        var r = Math.Sqrt(r2);
        return Nu switch
        {
            0.5 => r == 0 ? 0.0 : Math.Exp(-r) / r,
            1.5 => 3 * Math.Exp(-Math.Sqrt(3) * r),
            2.5 => 5.0 / 3.0 * (1 + Math.Sqrt(5) * r) * Math.Exp(-Math.Sqrt(5) * r),
            _ => throw new InvalidOperationException($"Matern nu={Nu} is not supported; use 0.5, 1.5 or 2.5."),
        };
    }

    internal override double[] Gram(Core.Matrix x) => Pairwise(x, (a, b) => Value(SquaredDistance(a, b, Vec.AsSpan(LengthScale))));

    internal override double[] Cross(Core.Matrix x, Core.Matrix y) => PairwiseCross(x, y, (a, b) => Value(SquaredDistance(a, b, Vec.AsSpan(LengthScale))));

    internal override IEnumerable<double[]> Gradients(Core.Matrix x)
    {
        if (LengthScaleBounds.IsFixed) yield break;
        var ls = Vec.From(LengthScale);
        var r2 = Pairwise(x, (a, b) => SquaredDistance(a, b, ls));
        if (ls.Count == 1)
        {
            yield return r2.Select(v => GradientFactor(v) * v).ToArray();
            yield break;
        }
        var factor = r2.Select(GradientFactor).ToArray();
        for (var d = 0; d < ls.Count; d++)
        {
            var dd = d;
            var l2 = ls[d] * ls[d];
            var g = Pairwise(x, (a, b) => (a[dd] - b[dd]) * (a[dd] - b[dd]) / l2);
            for (var idx = 0; idx < g.Length; idx++) g[idx] *= factor[idx];
            yield return g;
        }
    }
}

/// <summary>The rational-quadratic kernel k(x, x') = (1 + r^2 / (2 alpha l^2))^(-alpha) (isotropic).</summary>
/// <remarks>With b = 1 + r^2 / (2 alpha l^2): dK/dlog alpha = K (-alpha log b + r^2 / (2 l^2 b)), dK/dlog l = r^2 K / (l^2 b).
/// Theta order: alpha, length_scale. Source: Rasmussen and Williams (2006) eq. 4.19; scikit-learn 1.2.1 <c>RationalQuadratic</c>.</remarks>
public sealed record RationalQuadraticKernel : Kernel
{
    /// <summary><c>length_scale</c> l &gt; 0; default 1.</summary>
    public double LengthScale { get; init; } = 1.0;

    /// <summary><c>alpha</c> (scale mixture) &gt; 0; default 1.</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary><c>length_scale_bounds</c>; default (1e-5, 1e5).</summary>
    public Bounds LengthScaleBounds { get; init; } = Bounds.Default;

    /// <summary><c>alpha_bounds</c>; default (1e-5, 1e5).</summary>
    public Bounds AlphaBounds { get; init; } = Bounds.Default;

    /// <inheritdoc/>
    public override IReadOnlyList<Hyperparameter> Hyperparameters =>
        [new("alpha", [Alpha], AlphaBounds), new("length_scale", [LengthScale], LengthScaleBounds)];

    /// <inheritdoc/>
    public override double[] Diag(Core.Matrix x) => Enumerable.Repeat(1.0, x.Rows).ToArray();

    /// <summary>Formats as <c>RationalQuadratic(alpha=..., length_scale=...)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"RationalQuadratic(alpha={Num(Alpha)}, length_scale={Num(LengthScale)})";

    internal override Kernel WithThetaAt(ReadOnlySpan<double> theta, ref int offset)
    {
        var k = this;
        if (!AlphaBounds.IsFixed) k = k with { Alpha = Read(theta, ref offset) };
        if (!LengthScaleBounds.IsFixed) k = k with { LengthScale = Read(theta, ref offset) };
        return k;
    }

    private double Value(double r2) => Math.Pow(1 + r2 / (2 * Alpha * LengthScale * LengthScale), -Alpha);

    internal override double[] Gram(Core.Matrix x) => Pairwise(x, (a, b) => Value(SquaredDistance(a, b, [1.0])));

    internal override double[] Cross(Core.Matrix x, Core.Matrix y) => PairwiseCross(x, y, (a, b) => Value(SquaredDistance(a, b, [1.0])));

    internal override IEnumerable<double[]> Gradients(Core.Matrix x)
    {
        var r2 = Pairwise(x, (a, b) => SquaredDistance(a, b, [1.0]));
        var l2 = LengthScale * LengthScale;
        if (!AlphaBounds.IsFixed)
            yield return r2.Select(d =>
            {
                var b = 1 + d / (2 * Alpha * l2);
                return Math.Pow(b, -Alpha) * (-Alpha * Math.Log(b) + d / (2 * l2 * b));
            }).ToArray();
        if (!LengthScaleBounds.IsFixed)
            yield return r2.Select(d =>
            {
                var b = 1 + d / (2 * Alpha * l2);
                return d * Math.Pow(b, -Alpha) / (l2 * b);
            }).ToArray();
    }
}

/// <summary>The periodic kernel k(x, x') = exp(-2 sin^2(pi r / p) / l^2), r = ||x - x'||.</summary>
/// <remarks>dK/dlog l = 4 sin^2(pi r / p) K / l^2; dK/dlog p = 4 (pi r / p) cos(pi r / p) sin(pi r / p) K / l^2.
/// Theta order: length_scale, periodicity. Source: scikit-learn 1.2.1 <c>ExpSineSquared</c>.</remarks>
public sealed record ExpSineSquaredKernel : Kernel
{
    /// <summary><c>length_scale</c> l &gt; 0; default 1.</summary>
    public double LengthScale { get; init; } = 1.0;

    /// <summary><c>periodicity</c> p &gt; 0; default 1.</summary>
    public double Periodicity { get; init; } = 1.0;

    /// <summary><c>length_scale_bounds</c>; default (1e-5, 1e5).</summary>
    public Bounds LengthScaleBounds { get; init; } = Bounds.Default;

    /// <summary><c>periodicity_bounds</c>; default (1e-5, 1e5).</summary>
    public Bounds PeriodicityBounds { get; init; } = Bounds.Default;

    /// <inheritdoc/>
    public override IReadOnlyList<Hyperparameter> Hyperparameters =>
        [new("length_scale", [LengthScale], LengthScaleBounds), new("periodicity", [Periodicity], PeriodicityBounds)];

    /// <inheritdoc/>
    public override double[] Diag(Core.Matrix x) => Enumerable.Repeat(1.0, x.Rows).ToArray();

    /// <summary>Formats as <c>ExpSineSquared(length_scale=..., periodicity=...)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"ExpSineSquared(length_scale={Num(LengthScale)}, periodicity={Num(Periodicity)})";

    internal override Kernel WithThetaAt(ReadOnlySpan<double> theta, ref int offset)
    {
        var k = this;
        if (!LengthScaleBounds.IsFixed) k = k with { LengthScale = Read(theta, ref offset) };
        if (!PeriodicityBounds.IsFixed) k = k with { Periodicity = Read(theta, ref offset) };
        return k;
    }

    private double Value(double r2)
    {
        var s = Math.Sin(Math.PI * Math.Sqrt(r2) / Periodicity) / LengthScale;
        return Math.Exp(-2 * s * s);
    }

    internal override double[] Gram(Core.Matrix x) => Pairwise(x, (a, b) => Value(SquaredDistance(a, b, [1.0])));

    internal override double[] Cross(Core.Matrix x, Core.Matrix y) => PairwiseCross(x, y, (a, b) => Value(SquaredDistance(a, b, [1.0])));

    internal override IEnumerable<double[]> Gradients(Core.Matrix x)
    {
        var r2 = Pairwise(x, (a, b) => SquaredDistance(a, b, [1.0]));
        var l2 = LengthScale * LengthScale;
        if (!LengthScaleBounds.IsFixed)
            yield return r2.Select(d =>
            {
                var s = Math.Sin(Math.PI * Math.Sqrt(d) / Periodicity);
                return 4 / l2 * s * s * Math.Exp(-2 * s * s / l2);
            }).ToArray();
        if (!PeriodicityBounds.IsFixed)
            yield return r2.Select(d =>
            {
                var arg = Math.PI * Math.Sqrt(d) / Periodicity;
                var s = Math.Sin(arg);
                return 4 * arg / l2 * Math.Cos(arg) * s * Math.Exp(-2 * s * s / l2);
            }).ToArray();
    }
}

/// <summary>The sum kernel k1(x, x') + k2(x, x').</summary>
/// <param name="K1">Left operand (its hyper-parameters come first, prefixed <c>k1__</c>).</param>
/// <param name="K2">Right operand (prefixed <c>k2__</c>).</param>
/// <remarks>dK/dtheta = [dK1/dtheta1, dK2/dtheta2]. Source: scikit-learn 1.2.1 <c>Sum</c>.</remarks>
public sealed record SumKernel(Kernel K1, Kernel K2) : Kernel
{
    /// <inheritdoc/>
    public override IReadOnlyList<Hyperparameter> Hyperparameters => [.. Prefix("k1", K1.Hyperparameters), .. Prefix("k2", K2.Hyperparameters)];

    /// <inheritdoc/>
    public override int? RequiredFeatures => K1.RequiredFeatures ?? K2.RequiredFeatures;

    /// <inheritdoc/>
    public override double[] Diag(Core.Matrix x)
    {
        var a = K1.Diag(x);
        var b = K2.Diag(x);
        for (var i = 0; i < a.Length; i++) a[i] += b[i];
        return a;
    }

    /// <summary>Formats as <c>k1 + k2</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{K1} + {K2}";

    internal override Kernel WithThetaAt(ReadOnlySpan<double> theta, ref int offset)
    {
        var a = K1.WithThetaAt(theta, ref offset);
        var b = K2.WithThetaAt(theta, ref offset);
        return new SumKernel(a, b);
    }

    internal override double[] Gram(Core.Matrix x)
    {
        var a = K1.Gram(x);
        System.Numerics.Tensors.TensorPrimitives.Add(a, K2.Gram(x), a);
        return a;
    }

    internal override double[] Cross(Core.Matrix x, Core.Matrix y)
    {
        var a = K1.Cross(x, y);
        System.Numerics.Tensors.TensorPrimitives.Add(a, K2.Cross(x, y), a);
        return a;
    }

    internal override IEnumerable<double[]> Gradients(Core.Matrix x) => K1.Gradients(x).Concat(K2.Gradients(x));
}

/// <summary>The product kernel k1(x, x') * k2(x, x').</summary>
/// <param name="K1">Left operand (prefixed <c>k1__</c>).</param>
/// <param name="K2">Right operand (prefixed <c>k2__</c>).</param>
/// <remarks>dK/dtheta = [dK1/dtheta1 * K2, K1 * dK2/dtheta2] (elementwise). Source: scikit-learn 1.2.1 <c>Product</c>.</remarks>
public sealed record ProductKernel(Kernel K1, Kernel K2) : Kernel
{
    /// <inheritdoc/>
    public override IReadOnlyList<Hyperparameter> Hyperparameters => [.. Prefix("k1", K1.Hyperparameters), .. Prefix("k2", K2.Hyperparameters)];

    /// <inheritdoc/>
    public override int? RequiredFeatures => K1.RequiredFeatures ?? K2.RequiredFeatures;

    /// <inheritdoc/>
    public override double[] Diag(Core.Matrix x)
    {
        var a = K1.Diag(x);
        var b = K2.Diag(x);
        for (var i = 0; i < a.Length; i++) a[i] *= b[i];
        return a;
    }

    /// <summary>Formats as <c>k1 * k2</c> (sums in parentheses).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Wrap(K1)} * {Wrap(K2)}";

    private static string Wrap(Kernel k) => k is SumKernel ? $"({k})" : k.ToString();

    internal override Kernel WithThetaAt(ReadOnlySpan<double> theta, ref int offset)
    {
        var a = K1.WithThetaAt(theta, ref offset);
        var b = K2.WithThetaAt(theta, ref offset);
        return new ProductKernel(a, b);
    }

    internal override double[] Gram(Core.Matrix x)
    {
        var a = K1.Gram(x);
        System.Numerics.Tensors.TensorPrimitives.Multiply(a, K2.Gram(x), a);
        return a;
    }

    internal override double[] Cross(Core.Matrix x, Core.Matrix y)
    {
        var a = K1.Cross(x, y);
        System.Numerics.Tensors.TensorPrimitives.Multiply(a, K2.Cross(x, y), a);
        return a;
    }

    internal override IEnumerable<double[]> Gradients(Core.Matrix x)
    {
        double[]? k2 = null;
        foreach (var g in K1.Gradients(x))
        {
            k2 ??= K2.Gram(x);
            System.Numerics.Tensors.TensorPrimitives.Multiply(g, k2, g);
            yield return g;
        }
        double[]? k1 = null;
        foreach (var g in K2.Gradients(x))
        {
            k1 ??= K1.Gram(x);
            System.Numerics.Tensors.TensorPrimitives.Multiply(g, k1, g);
            yield return g;
        }
    }
}

/// <summary>The exponentiated kernel k(x, x')^exponent (the exponent is fixed, not a hyper-parameter).</summary>
/// <param name="Kernel">The base kernel (prefixed <c>kernel__</c>).</param>
/// <param name="Exponent">The exponent.</param>
/// <remarks>dK/dtheta = exponent K_b^(exponent - 1) dK_b/dtheta. Source: scikit-learn 1.2.1 <c>Exponentiation</c>.</remarks>
public sealed record ExponentiationKernel(Kernel Kernel, double Exponent) : Kernel
{
    /// <inheritdoc/>
    public override IReadOnlyList<Hyperparameter> Hyperparameters => Prefix("kernel", Kernel.Hyperparameters);

    /// <inheritdoc/>
    public override int? RequiredFeatures => Kernel.RequiredFeatures;

    /// <inheritdoc/>
    public override double[] Diag(Core.Matrix x) => Kernel.Diag(x).Select(v => Math.Pow(v, Exponent)).ToArray();

    /// <summary>Formats as <c>k ** e</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"({Kernel}) ** {Num(Exponent)}";

    internal override Kernel WithThetaAt(ReadOnlySpan<double> theta, ref int offset) => new ExponentiationKernel(Kernel.WithThetaAt(theta, ref offset), Exponent);

    internal override double[] Gram(Core.Matrix x) => Kernel.Gram(x).Select(v => Math.Pow(v, Exponent)).ToArray();

    internal override double[] Cross(Core.Matrix x, Core.Matrix y) => Kernel.Cross(x, y).Select(v => Math.Pow(v, Exponent)).ToArray();

    internal override IEnumerable<double[]> Gradients(Core.Matrix x)
    {
        double[]? factor = null;
        foreach (var g in Kernel.Gradients(x))
        {
            factor ??= Kernel.Gram(x).Select(v => Exponent * Math.Pow(v, Exponent - 1)).ToArray();
            System.Numerics.Tensors.TensorPrimitives.Multiply(g, factor, g);
            yield return g;
        }
    }
}

/// <summary>Writes a kernel with its hyper-parameters as a tree of <see cref="StateNode"/>s named by kind (<c>constant</c>, <c>white</c>,
/// <c>dot</c>, <c>rbf</c>, <c>matern</c>, <c>rq</c>, <c>expsine</c>, <c>sum</c>, <c>product</c>, <c>pow</c>; scikit-learn's parameter names), and reads
/// one back, checking every value; a model file never names a .NET type.</summary>
internal static class KernelState
{
    /// <summary>Deepest kernel tree a model file may hold (the expression syntax nests at most 32 parentheses of at most 64 kernels).</summary>
    public const int MaxDepth = 130;

    /// <summary>Most kernels in one tree.</summary>
    public const int MaxKernels = 2 * KernelSyntax.MaxTerms;

    /// <summary>Writes a kernel.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <returns>Its state.</returns>
    public static StateNode Write(Kernel kernel) => kernel switch
    {
        ConstantKernel c => Kind("constant").Float("constant_value", c.ConstantValue).Node("constant_value_bounds", WriteBounds(c.ConstantValueBounds)),
        WhiteKernel w => Kind("white").Float("noise_level", w.NoiseLevel).Node("noise_level_bounds", WriteBounds(w.NoiseLevelBounds)),
        DotProductKernel d => Kind("dot").Float("sigma_0", d.Sigma0).Node("sigma_0_bounds", WriteBounds(d.Sigma0Bounds)),
        RbfKernel r => Kind("rbf").Floats("length_scale", r.LengthScale.ToArray()).Node("length_scale_bounds", WriteBounds(r.LengthScaleBounds)),
        MaternKernel m => Kind("matern").Floats("length_scale", m.LengthScale.ToArray()).Node("length_scale_bounds", WriteBounds(m.LengthScaleBounds)).Float("nu", m.Nu),
        RationalQuadraticKernel q => Kind("rq").Float("length_scale", q.LengthScale).Float("alpha", q.Alpha)
            .Node("length_scale_bounds", WriteBounds(q.LengthScaleBounds)).Node("alpha_bounds", WriteBounds(q.AlphaBounds)),
        ExpSineSquaredKernel e => Kind("expsine").Float("length_scale", e.LengthScale).Float("periodicity", e.Periodicity)
            .Node("length_scale_bounds", WriteBounds(e.LengthScaleBounds)).Node("periodicity_bounds", WriteBounds(e.PeriodicityBounds)),
        SumKernel s => Kind("sum").Node("k1", Write(s.K1)).Node("k2", Write(s.K2)),
        ProductKernel p => Kind("product").Node("k1", Write(p.K1)).Node("k2", Write(p.K2)),
        ExponentiationKernel x => Kind("pow").Node("kernel", Write(x.Kernel)).Float("exponent", x.Exponent),
        _ => throw new ArgumentException($"kernel {kernel} has no model-file form", nameof(kernel)),
    };

    private static StateNode Kind(string kind) => new StateNode().Text("kind", kind);

    /// <summary>The kernel's composition with its fixed parameters (kinds, Matern nu, exponents), without hyper-parameter values.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <returns>E.g. <c>sum(product(ConstantKernel,RbfKernel),WhiteKernel)</c>.</returns>
    public static string Shape(Kernel kernel) => kernel switch
    {
        SumKernel s => $"sum({Shape(s.K1)},{Shape(s.K2)})",
        ProductKernel p => $"product({Shape(p.K1)},{Shape(p.K2)})",
        ExponentiationKernel x => $"pow({Shape(x.Kernel)},{x.Exponent.ToString("R", CultureInfo.InvariantCulture)})",
        MaternKernel m => $"matern(nu={m.Nu.ToString("R", CultureInfo.InvariantCulture)})",
        _ => kernel.GetType().Name,
    };

    private static StateNode WriteBounds(Bounds b) => new StateNode().Bool("fixed", b.IsFixed).Float("lower", b.Lower).Float("upper", b.Upper);

    /// <summary>Reads a kernel written by <see cref="Write"/>: known kinds only, at most <see cref="MaxDepth"/> deep and <see cref="MaxKernels"/>
    /// kernels, hyper-parameters finite (length scales, periodicities and alphas &gt; 0, noise levels &gt;= 0), Matern nu 0.5, 1.5 or 2.5,
    /// bounds fixed or 0 &lt; lower &lt;= upper.</summary>
    /// <param name="r">The reader of the kernel's node (problems are recorded on it).</param>
    /// <returns>The kernel, or null after a problem.</returns>
    public static Kernel? Read(StateReader r)
    {
        var count = 0;
        return Read(r, 0, ref count);
    }

    private static Kernel? Read(StateReader r, int depth, ref int count)
    {
        if (depth > MaxDepth || ++count > MaxKernels)
        {
            r.Fail("kind", $"the kernel tree is deeper than {MaxDepth} or has more than {MaxKernels} kernels");
            return null;
        }
        var kind = r.Text("kind");
        if (!r.Ok) return null;
        Kernel? k = kind switch
        {
            "constant" => new ConstantKernel { ConstantValue = r.Float("constant_value"), ConstantValueBounds = ReadBounds(r, "constant_value_bounds") },
            "white" => new WhiteKernel { NoiseLevel = NonNegative(r, "noise_level"), NoiseLevelBounds = ReadBounds(r, "noise_level_bounds") },
            "dot" => new DotProductKernel { Sigma0 = r.Float("sigma_0"), Sigma0Bounds = ReadBounds(r, "sigma_0_bounds") },
            "rbf" => new RbfKernel { LengthScale = LengthScales(r), LengthScaleBounds = ReadBounds(r, "length_scale_bounds") },
            "matern" => new MaternKernel { LengthScale = LengthScales(r), LengthScaleBounds = ReadBounds(r, "length_scale_bounds"), Nu = Nu(r) },
            "rq" => new RationalQuadraticKernel
            {
                LengthScale = ModelState.Positive(r, "length_scale"), Alpha = ModelState.Positive(r, "alpha"),
                LengthScaleBounds = ReadBounds(r, "length_scale_bounds"), AlphaBounds = ReadBounds(r, "alpha_bounds"),
            },
            "expsine" => new ExpSineSquaredKernel
            {
                LengthScale = ModelState.Positive(r, "length_scale"), Periodicity = ModelState.Positive(r, "periodicity"),
                LengthScaleBounds = ReadBounds(r, "length_scale_bounds"), PeriodicityBounds = ReadBounds(r, "periodicity_bounds"),
            },
            "sum" or "product" => Read(r.Node("k1"), depth + 1, ref count) is { } k1 && Read(r.Node("k2"), depth + 1, ref count) is { } k2
                ? (kind == "sum" ? new SumKernel(k1, k2) : new ProductKernel(k1, k2)) : null,
            "pow" => Read(r.Node("kernel"), depth + 1, ref count) is { } inner && r.Float("exponent") is var e ? new ExponentiationKernel(inner, e) : null,
            _ => null,
        };
        if (k is null && r.Ok) r.Fail("kind", $"'{(kind.Length <= 40 ? kind : kind[..37] + "...")}' is not a kernel kind (constant, white, dot, rbf, matern, rq, expsine, sum, product, pow)");
        return r.Ok ? k : null;
    }

    private static double[] LengthScales(StateReader r)
    {
        var l = ModelState.Positives(r, "length_scale");
        if (r.Ok && l.Length == 0) r.Fail("length_scale", "is empty, expected one value or one per feature");
        return l;
    }

    private static double NonNegative(StateReader r, string name)
    {
        var v = r.Float(name);
        if (r.Ok && !(v >= 0)) r.Fail(name, $"is {Kernel.Num(v)}, expected a number >= 0");
        return v;
    }

    private static double Nu(StateReader r)
    {
        var nu = r.Float("nu");
        if (r.Ok && nu is not (0.5 or 1.5 or 2.5)) r.Fail("nu", $"is {Kernel.Num(nu)}, expected 0.5, 1.5 or 2.5");
        return nu;
    }

    private static Bounds ReadBounds(StateReader r, string name)
    {
        var b = r.Node(name);
        var isFixed = b.Bool("fixed");
        var lower = b.Float("lower", finite: !isFixed);
        var upper = b.Float("upper", finite: !isFixed);
        if (r.Ok && !isFixed && !(lower > 0 && lower <= upper)) b.Fail("lower", $"bounds ({Kernel.Num(lower)}, {Kernel.Num(upper)}) are not 0 < lower <= upper");
        return new Bounds(lower, upper, isFixed);
    }
}
