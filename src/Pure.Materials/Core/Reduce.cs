using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Pure.Materials.Core;

/// <summary>Sums, dot products and norms in one fixed summation order, so that their results are the same bits on every CPU
/// (whatever vector width it supports or the runtime prefers) and on every thread count.</summary>
/// <remarks>
/// <c>TensorPrimitives.Dot</c>, <c>Sum</c>, <c>Norm</c> and their kin accumulate in as many lanes as the widest hardware vector
/// (2, 4 or 8 doubles for 128-, 256- or 512-bit vectors), so their rounding, and every number computed from them, changes from
/// one machine to the next. These kernels fix the order instead. For n terms t_0 .. t_(n-1) (t_i = a_i b_i for
/// <see cref="Dot(ReadOnlySpan{double}, ReadOnlySpan{double})"/>, a_i for <see cref="Sum(ReadOnlySpan{double})"/>, ...) and
/// L = 32 bytes / sizeof(T) (4 doubles or 8 floats), with m = n - n mod 4L:
/// <list type="number">
/// <item>4L partial sums s_k = sum over i &lt; m with i mod 4L = k of t_i, each accumulated in increasing i (t_i rounded first,
/// then added: never a fused multiply-add);</item>
/// <item>L lanes v_l = (s_l + s_(L+l)) + (s_(2L+l) + s_(3L+l));</item>
/// <item>a balanced pairwise tree over the lanes: ((v_0 + v_1) + (v_2 + v_3)) (+ ((v_4 + v_5) + (v_6 + v_7)) for floats);</item>
/// <item>the tail t_m .. t_(n-1) added one by one, left to right.</item>
/// </list>
/// Vector256 hardware runs step 1 in four 256-bit accumulators; 128-bit hardware (or <c>DOTNET_PreferredVectorBitWidth=128</c>)
/// in eight 128-bit ones holding the same lanes; anything else in scalar code holding the same 4L sums. IEEE 754 addition and
/// multiplication are correctly rounded, so the three paths give identical bits (tested against the scalar path in
/// <c>tests/.../Core/ReduceTests.cs</c>). Speed against <c>TensorPrimitives.Dot</c> at its 512-bit width (AMD EPYC, BenchmarkDotNet,
/// <c>benchmarks/.../ReduceBenchmarks.cs</c>): 0.94x at n = 64, 1.46x at n = 132 (8 dependent 256-bit steps where it needs 2 of 512 bits),
/// 1.03x at n = 4096 and 100,000; no measurable change on kernel ridge, GPR or the main job.
/// NaN and infinities propagate as in ordinary summation.
/// Element-wise operations (no reduction, e.g. <c>TensorPrimitives.MultiplyAdd</c>, <c>Add</c>, <c>Max</c>) are width-independent
/// already and stay on TensorPrimitives.
/// Source: the order is this library's; the design follows Demmel and Nguyen, "Fast reproducible floating-point summation",
/// ARITH 2013 (fixing the reduction tree, not the precision).
/// </remarks>
public static class Reduce
{
    /// <summary>Returns sum_i a_i b_i in the fixed order described on <see cref="Reduce"/>.</summary>
    /// <param name="a">First vector.</param>
    /// <param name="b">Second vector, at least as long as <paramref name="a"/> (only a.Length entries are read).</param>
    /// <returns>The dot product; 0 for empty spans.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> is shorter than <paramref name="a"/> (a programming error).</exception>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Run<double, Product<double>>(a, b);

    /// <inheritdoc cref="Dot(ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Run<float, Product<float>>(a, b);

    /// <summary>Returns sum_i a_i in the fixed order described on <see cref="Reduce"/>.</summary>
    /// <param name="a">Values.</param>
    /// <returns>The sum; 0 for an empty span.</returns>
    public static double Sum(ReadOnlySpan<double> a) => Run<double, Value<double>>(a, a);

    /// <summary>Returns sum_i a_i^2 in the fixed order described on <see cref="Reduce"/> (equal to <c>Dot(a, a)</c>).</summary>
    /// <param name="a">Values.</param>
    /// <returns>The sum of squares; 0 for an empty span.</returns>
    public static double SumOfSquares(ReadOnlySpan<double> a) => Run<double, Product<double>>(a, a);

    /// <inheritdoc cref="SumOfSquares(ReadOnlySpan{double})"/>
    public static float SumOfSquares(ReadOnlySpan<float> a) => Run<float, Product<float>>(a, a);

    /// <summary>Returns sum_i |a_i| in the fixed order described on <see cref="Reduce"/>.</summary>
    /// <param name="a">Values.</param>
    /// <returns>The L1 norm; 0 for an empty span.</returns>
    public static double SumOfMagnitudes(ReadOnlySpan<double> a) => Run<double, Magnitude<double>>(a, a);

    /// <summary>Returns sqrt(sum_i a_i^2), the Euclidean norm, with the sum in the fixed order described on <see cref="Reduce"/>.</summary>
    /// <param name="a">Values.</param>
    /// <returns>The L2 norm; 0 for an empty span.</returns>
    public static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(SumOfSquares(a));

    /// <summary>Returns sum_i (a_i - b_i)^2 in the fixed order described on <see cref="Reduce"/>.</summary>
    /// <param name="a">First point.</param>
    /// <param name="b">Second point, at least as long as <paramref name="a"/>.</param>
    /// <returns>The squared Euclidean distance; 0 for empty spans.</returns>
    /// <exception cref="ArgumentException"><paramref name="b"/> is shorter than <paramref name="a"/> (a programming error).</exception>
    public static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Run<double, SquaredDifference<double>>(a, b);

    /// <inheritdoc cref="SquaredDistance(ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    public static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Run<float, SquaredDifference<float>>(a, b);

    /// <summary>Returns sqrt(sum_i (a_i - b_i)^2), the Euclidean distance, with the sum in the fixed order described on <see cref="Reduce"/>.</summary>
    /// <param name="a">First point.</param>
    /// <param name="b">Second point, at least as long as <paramref name="a"/>.</param>
    /// <returns>The distance; 0 for empty spans.</returns>
    public static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Math.Sqrt(SquaredDistance(a, b));

    /// <summary>Returns sum_i |a_i - b_i| in the fixed order described on <see cref="Reduce"/>.</summary>
    /// <param name="a">First point.</param>
    /// <param name="b">Second point, at least as long as <paramref name="a"/>.</param>
    /// <returns>The Manhattan distance; 0 for empty spans.</returns>
    public static double ManhattanDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Run<double, AbsoluteDifference<double>>(a, b);

    /// <summary>Returns sum_i a_i in the fixed order described on <see cref="Reduce"/>, in float64 or float32 (for code generic over
    /// the element type; <see cref="Sum(ReadOnlySpan{double})"/> is the float64 case).</summary>
    internal static T SumOf<T>(ReadOnlySpan<T> a) where T : unmanaged, IFloatingPointIeee754<T> => Run<T, Value<T>>(a, a);

    /// <summary>Returns sum_i a_i b_i in the fixed order described on <see cref="Reduce"/>, in float64 or float32.</summary>
    internal static T DotOf<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T> => Run<T, Product<T>>(a, b);

    /// <summary>Which code path a reduction takes on this process (for reports and tests).</summary>
    public static string Path => Vector256.IsHardwareAccelerated ? "vector256" : Vector128.IsHardwareAccelerated ? "vector128" : "scalar";

    /// <summary>The scalar path, whatever the hardware: the definition the vector paths reproduce (for tests).</summary>
    internal static double DotScalar(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Scalar<double, Product<double>>(a, b);

    /// <summary>The scalar path of <see cref="Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> (for tests).</summary>
    internal static float DotScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Scalar<float, Product<float>>(a, b);

    /// <summary>The 128-bit path, when the hardware has it (for tests).</summary>
    internal static double DotVector128(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => V128<double, Product<double>>(a, b);

    /// <summary>The 128-bit path of <see cref="Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> (for tests).</summary>
    internal static float DotVector128(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => V128<float, Product<float>>(a, b);

    /// <summary>The scalar path of <see cref="SumOfMagnitudes"/>, <see cref="Sum"/> and <see cref="SquaredDistance(ReadOnlySpan{double}, ReadOnlySpan{double})"/> (for tests).</summary>
    internal static (double Sum, double Magnitudes, double SquaredDistance, double Manhattan) OthersScalar(ReadOnlySpan<double> a, ReadOnlySpan<double> b) =>
        (Scalar<double, Value<double>>(a, a), Scalar<double, Magnitude<double>>(a, a), Scalar<double, SquaredDifference<double>>(a, b),
            Scalar<double, AbsoluteDifference<double>>(a, b));

    private static T Run<T, TTerm>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerm : struct, ITerm<T>
    {
        if (b.Length < a.Length) throw new ArgumentException($"the second span ({b.Length}) is shorter than the first ({a.Length})", nameof(b));
        if (Vector256.IsHardwareAccelerated) return V256<T, TTerm>(a, b);
        if (Vector128.IsHardwareAccelerated) return V128<T, TTerm>(a, b);
        return Scalar<T, TTerm>(a, b);
    }

    private static T V256<T, TTerm>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerm : struct, ITerm<T>
    {
        var lanes = Vector256<T>.Count;
        var block = 4 * lanes;
        var n = a.Length;
        var m = n - n % block;
        if (m == 0) return Tail<T, TTerm>(T.Zero, a, b, 0);
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        var s0 = Vector256<T>.Zero;
        var s1 = Vector256<T>.Zero;
        var s2 = Vector256<T>.Zero;
        var s3 = Vector256<T>.Zero;
        for (var i = 0; i < m; i += block)
        {
            var ui = (nuint)i;
            var ul = (nuint)lanes;
            s0 += TTerm.Of(Vector256.LoadUnsafe(ref ra, ui), Vector256.LoadUnsafe(ref rb, ui));
            s1 += TTerm.Of(Vector256.LoadUnsafe(ref ra, ui + ul), Vector256.LoadUnsafe(ref rb, ui + ul));
            s2 += TTerm.Of(Vector256.LoadUnsafe(ref ra, ui + 2 * ul), Vector256.LoadUnsafe(ref rb, ui + 2 * ul));
            s3 += TTerm.Of(Vector256.LoadUnsafe(ref ra, ui + 3 * ul), Vector256.LoadUnsafe(ref rb, ui + 3 * ul));
        }
        return Tail<T, TTerm>(Tree((s0 + s1) + (s2 + s3)), a, b, m);
    }

    private static T V128<T, TTerm>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerm : struct, ITerm<T>
    {
        // The same 4L partial sums as V256, each 256-bit accumulator held as a low and a high 128-bit half.
        var half = Vector128<T>.Count;
        var block = 8 * half;
        var n = a.Length;
        var m = n - n % block;
        if (m == 0) return Tail<T, TTerm>(T.Zero, a, b, 0);
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        Vector128<T> l0 = default, h0 = default, l1 = default, h1 = default, l2 = default, h2 = default, l3 = default, h3 = default;
        var uh = (nuint)half;
        for (var i = 0; i < m; i += block)
        {
            var ui = (nuint)i;
            l0 += TTerm.Of(Vector128.LoadUnsafe(ref ra, ui), Vector128.LoadUnsafe(ref rb, ui));
            h0 += TTerm.Of(Vector128.LoadUnsafe(ref ra, ui + uh), Vector128.LoadUnsafe(ref rb, ui + uh));
            l1 += TTerm.Of(Vector128.LoadUnsafe(ref ra, ui + 2 * uh), Vector128.LoadUnsafe(ref rb, ui + 2 * uh));
            h1 += TTerm.Of(Vector128.LoadUnsafe(ref ra, ui + 3 * uh), Vector128.LoadUnsafe(ref rb, ui + 3 * uh));
            l2 += TTerm.Of(Vector128.LoadUnsafe(ref ra, ui + 4 * uh), Vector128.LoadUnsafe(ref rb, ui + 4 * uh));
            h2 += TTerm.Of(Vector128.LoadUnsafe(ref ra, ui + 5 * uh), Vector128.LoadUnsafe(ref rb, ui + 5 * uh));
            l3 += TTerm.Of(Vector128.LoadUnsafe(ref ra, ui + 6 * uh), Vector128.LoadUnsafe(ref rb, ui + 6 * uh));
            h3 += TTerm.Of(Vector128.LoadUnsafe(ref ra, ui + 7 * uh), Vector128.LoadUnsafe(ref rb, ui + 7 * uh));
        }
        return Tail<T, TTerm>(Tree(Vector256.Create((l0 + l1) + (l2 + l3), (h0 + h1) + (h2 + h3))), a, b, m);
    }

    private static T Scalar<T, TTerm>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerm : struct, ITerm<T>
    {
        var lanes = 32 / Unsafe.SizeOf<T>();
        var block = 4 * lanes;
        var n = a.Length;
        var m = n - n % block;
        if (m == 0) return Tail<T, TTerm>(T.Zero, a, b, 0);
        Span<T> s = stackalloc T[block];
        s.Clear();
        for (var i = 0; i < m; i += block)
            for (var k = 0; k < block; k++) s[k] += TTerm.Of(a[i + k], b[i + k]);
        Span<T> lane = stackalloc T[lanes];
        for (var l = 0; l < lanes; l++) lane[l] = (s[l] + s[lanes + l]) + (s[2 * lanes + l] + s[3 * lanes + l]);
        return Tail<T, TTerm>(Tree(Vector256.Create<T>(lane)), a, b, m);
    }

    /// <summary>Balanced pairwise sum of the 4 or 8 lanes: ((v0 + v1) + (v2 + v3)) [+ ((v4 + v5) + (v6 + v7))], in scalar arithmetic.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Tree<T>(Vector256<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var first = (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));
        return Vector256<T>.Count == 4 ? first : first + ((v.GetElement(4) + v.GetElement(5)) + (v.GetElement(6) + v.GetElement(7)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Tail<T, TTerm>(T acc, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int from)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerm : struct, ITerm<T>
    {
        for (var i = from; i < a.Length; i++) acc += TTerm.Of(a[i], b[i]);
        return acc;
    }

    private interface ITerm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract T Of(T a, T b);
        static abstract Vector128<T> Of(Vector128<T> a, Vector128<T> b);
        static abstract Vector256<T> Of(Vector256<T> a, Vector256<T> b);
    }

    private readonly struct Product<T> : ITerm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Of(T a, T b) => a * b;
        public static Vector128<T> Of(Vector128<T> a, Vector128<T> b) => a * b;
        public static Vector256<T> Of(Vector256<T> a, Vector256<T> b) => a * b;
    }

    private readonly struct Value<T> : ITerm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Of(T a, T b) => a;
        public static Vector128<T> Of(Vector128<T> a, Vector128<T> b) => a;
        public static Vector256<T> Of(Vector256<T> a, Vector256<T> b) => a;
    }

    private readonly struct Magnitude<T> : ITerm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Of(T a, T b) => T.Abs(a);
        public static Vector128<T> Of(Vector128<T> a, Vector128<T> b) => Vector128.Abs(a);
        public static Vector256<T> Of(Vector256<T> a, Vector256<T> b) => Vector256.Abs(a);
    }

    private readonly struct SquaredDifference<T> : ITerm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Of(T a, T b) { var d = a - b; return d * d; }
        public static Vector128<T> Of(Vector128<T> a, Vector128<T> b) { var d = a - b; return d * d; }
        public static Vector256<T> Of(Vector256<T> a, Vector256<T> b) { var d = a - b; return d * d; }
    }

    private readonly struct AbsoluteDifference<T> : ITerm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Of(T a, T b) => T.Abs(a - b);
        public static Vector128<T> Of(Vector128<T> a, Vector128<T> b) => Vector128.Abs(a - b);
        public static Vector256<T> Of(Vector256<T> a, Vector256<T> b) => Vector256.Abs(a - b);
    }
}
