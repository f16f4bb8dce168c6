using System.Runtime.Intrinsics;
using Pure.Materials.Core;
using Xunit;

namespace Pure.Materials.Tests.Core;

/// <summary>The fixed-order reductions give the same bits on every code path (256-bit, 128-bit, scalar), so on every CPU.</summary>
public class ReduceTests
{
    /// <summary>Values spanning many magnitudes and both signs, where summation order changes the rounded result.</summary>
    private static double[] Values(int n, long seed)
    {
        var r = new RngCursor(Rng.FromSeed(seed));
        var v = new double[n];
        for (var i = 0; i < n; i++) v[i] = (r.NextDouble() - 0.5) * Math.Pow(10, r.NextInt(13) - 6);
        return v;
    }

    public static TheoryData<int> Lengths() => [0, 1, 3, 4, 15, 16, 17, 31, 32, 33, 63, 64, 100, 127, 128, 129, 1000, 4097];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Dot_IsBitIdentical_OnEveryPath(int n)
    {
        var a = Values(n, 1);
        var b = Values(n, 2);
        var scalar = Reduce.DotScalar(a, b);
        Assert.Equal(BitConverter.DoubleToInt64Bits(scalar), BitConverter.DoubleToInt64Bits(Reduce.Dot(a, b)));
        if (Vector128.IsHardwareAccelerated)
            Assert.Equal(BitConverter.DoubleToInt64Bits(scalar), BitConverter.DoubleToInt64Bits(Reduce.DotVector128(a, b)));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void FloatDot_IsBitIdentical_OnEveryPath(int n)
    {
        var a = Values(n, 3).Select(v => (float)v).ToArray();
        var b = Values(n, 4).Select(v => (float)v).ToArray();
        var scalar = Reduce.DotScalar(a, b);
        Assert.Equal(BitConverter.SingleToInt32Bits(scalar), BitConverter.SingleToInt32Bits(Reduce.Dot(a, b)));
        if (Vector128.IsHardwareAccelerated)
            Assert.Equal(BitConverter.SingleToInt32Bits(scalar), BitConverter.SingleToInt32Bits(Reduce.DotVector128(a, b)));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SumNormsAndDistances_AreBitIdentical_ToTheScalarPath(int n)
    {
        var a = Values(n, 5);
        var b = Values(n, 6);
        var (sum, magnitudes, squaredDistance, manhattan) = Reduce.OthersScalar(a, b);
        Assert.Equal(sum, Reduce.Sum(a));
        Assert.Equal(magnitudes, Reduce.SumOfMagnitudes(a));
        Assert.Equal(squaredDistance, Reduce.SquaredDistance(a, b));
        Assert.Equal(manhattan, Reduce.ManhattanDistance(a, b));
        Assert.Equal(Reduce.DotScalar(a, a), Reduce.SumOfSquares(a));
        Assert.Equal(Math.Sqrt(Reduce.DotScalar(a, a)), Reduce.Norm(a));
    }

    [Fact]
    public void Dot_FollowsTheDocumentedOrder()
    {
        // 20 terms: 16 partial sums s_k = t_k (one block), lanes v_l = (s_l + s_4+l) + (s_8+l + s_12+l), tree, then t_16..t_19 in turn.
        var a = Values(20, 7);
        var b = Values(20, 8);
        var t = a.Zip(b, (x, y) => x * y).ToArray();
        var v = new double[4];
        for (var l = 0; l < 4; l++) v[l] = (t[l] + t[4 + l]) + (t[8 + l] + t[12 + l]);
        var expected = (v[0] + v[1]) + (v[2] + v[3]);
        for (var i = 16; i < 20; i++) expected += t[i];
        Assert.Equal(expected, Reduce.Dot(a, b));
    }

    [Fact]
    public void Dot_DiffersFromLeftToRightSummation_SoTheOrderIsReallyFixed()
    {
        // Sanity check that the test data are order-sensitive: otherwise the path comparisons above would prove nothing.
        var a = Values(1000, 1);
        var b = Values(1000, 2);
        var leftToRight = 0.0;
        for (var i = 0; i < a.Length; i++) leftToRight += a[i] * b[i];
        Assert.NotEqual(leftToRight, Reduce.Dot(a, b));
        Assert.Equal(leftToRight, Reduce.Dot(a, b), 1e-9 * Reduce.SumOfMagnitudes(a) * b.Max(Math.Abs));
    }

    [Fact]
    public void Dot_Throws_WhenTheSecondSpanIsShorter() =>
        Assert.Throws<ArgumentException>(() => Reduce.Dot(new double[3], new double[2]));

    [Fact]
    public void NaNAndInfinity_Propagate()
    {
        var a = Enumerable.Repeat(1.0, 40).ToArray();
        a[21] = double.NaN;
        Assert.True(double.IsNaN(Reduce.Sum(a)));
        a[21] = double.PositiveInfinity;
        Assert.Equal(double.PositiveInfinity, Reduce.Sum(a));
    }
}
