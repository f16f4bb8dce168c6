using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;
using Xunit;

namespace Pure.Materials.Tests.Core;

/// <summary>The autodiff core on values a person can check by hand, and its shape errors.</summary>
public class AutodiffTests
{
    [Fact]
    public void LinearLayer_ForwardAndGradients_ByHand()
    {
        // y = x W + b with x (2, 2), W (2, 1), b (1); L = mean((y - t)^2).
        var tape = new Tape();
        var x = tape.Constant(Tensor.From([1.0, 2, 3, 4], 2, 2));
        var w = tape.Parameter(Tensor.From([0.5, -1.0], 2, 1));
        var b = tape.Parameter(Tensor.From([0.25], 1));
        var y = Ops.Add(Ops.MatMul(x, w), b);
        Assert.Equal([0.5 - 2 + 0.25, 1.5 - 4 + 0.25], y.Value.ToArray()); // -1.25, -2.25
        var t = tape.Constant(Tensor.From([0.0, 1.0], 2, 1));
        var loss = Ops.MseLoss(y, t);
        Assert.Equal((1.5625 + 10.5625) / 2, loss.Value.Single); // ((-1.25)^2 + (-3.25)^2) / 2
        var g = tape.Backward(loss);
        // dL/dy = (y - t) = (-1.25, -3.25); dL/dW = x^T dL/dy = (1*-1.25 + 3*-3.25, 2*-1.25 + 4*-3.25) = (-11, -15.5)
        Assert.Equal([-11.0, -15.5], g.Of(w).ToArray());
        Assert.Equal([-4.5], g.Of(b).ToArray());
        Assert.Equal([0.0, 0, 0, 0], g.Of(x).ToArray()); // a constant gets no gradient
    }

    [Fact]
    public void Softmax_RowsSumToOne_CrossEntropyOfEqualLogitsIsLogC_BceAtZeroIsLog2()
    {
        var tape = new Tape();
        var logits = tape.Parameter(Tensor.From([1.0, 2, 3, 0, 0, 0], 2, 3));
        var p = Ops.Softmax(logits).Value;
        Assert.Equal(1.0, p[0, 0] + p[0, 1] + p[0, 2], 15);
        Assert.Equal(1.0 / 3, p[1, 1], 15);
        var ce = Ops.CrossEntropyLoss(tape.Parameter(Tensor.Zeros(4, 5)), [0, 1, 2, 4]);
        Assert.Equal(Math.Log(5), ce.Value.Single, 14);
        var bce = Ops.BceWithLogitsLoss(tape.Parameter(Tensor.Zeros(3)), tape.Constant(Tensor.From([0.0, 1, 0.5], 3)));
        Assert.Equal(Math.Log(2), bce.Value.Single, 15);
        // Large logits do not overflow.
        var big = Ops.BceWithLogitsLoss(tape.Parameter(Tensor.From([800.0, -800], 2)), tape.Constant(Tensor.From([1.0, 0], 2)));
        Assert.Equal(0.0, big.Value.Single);
    }

    [Fact]
    public void SegmentMean_PoolsAtomsIntoCrystals()
    {
        // 5 atoms in crystals 0, 0, 2, 2, 2 (crystal 1 empty): means of their feature rows.
        var tape = new Tape();
        var atoms = tape.Parameter(Tensor.From([1.0, 10, 3, 30, 2, 0, 4, 0, 6, 0], 5, 2));
        var pooled = Ops.SegmentMean(atoms, [0, 0, 2, 2, 2], 3);
        Assert.Equal([2.0, 20, 0, 0, 4, 0], pooled.Value.ToArray());
        var g = tape.Backward(Ops.Sum(pooled));
        Assert.Equal([0.5, 0.5, 0.5, 0.5, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0], g.Of(atoms).ToArray());
    }

    /// <summary>Message passing in float32 (a crystal graph network's pattern): atom features gathered along bonds, summed per atom,
    /// mean-pooled per crystal, the loss cast to float64; values and gradients by hand (all exact in float32).</summary>
    [Fact]
    public void Float32_GatherSegmentSumSegmentMean_ByHand_ThroughACast()
    {
        var tape = new Tape();
        var atoms = tape.Parameter(Tensor.From([1f, 2f, 3f, 4f, 5f, 6f], 3, 2));
        var bonds = Ops.Gather(atoms, [1, 0, 2, 2]);              // [3, 4], [1, 2], [5, 6], [5, 6]
        var perAtom = Ops.SegmentSum(bonds, [0, 0, 1, 2], 3);     // atom 0 [4, 6], atom 1 [5, 6], atom 2 [5, 6]
        var crystals = Ops.SegmentMean(perAtom, [0, 0, 1], 2);    // crystal 0 [4.5, 6], crystal 1 [5, 6]
        Assert.Equal(DType.Float32, crystals.DType);
        Assert.Equal([4.5f, 6f, 5f, 6f], crystals.Value.Float32Span.ToArray());
        var loss = Ops.Cast(Ops.Sum(crystals), DType.Float64);
        Assert.Equal(21.5, loss.Value.Single);
        var g = tape.Backward(loss).Of(atoms);
        // d loss / d perAtom: 0.5 for atoms 0 and 1 (crystal 0's mean), 1 for atom 2; bonds 0, 1 -> atom 0, bond 2 -> atom 1,
        // bond 3 -> atom 2; so atom row 1 gets bond 0's 0.5, row 0 bond 1's 0.5, row 2 bond 2's 0.5 plus bond 3's 1.
        Assert.Equal(DType.Float32, g.DType);
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f, 1.5f, 1.5f], g.Float32Span.ToArray());
        Assert.Throws<InvalidOperationException>(() => g.Span.Length); // a float32 tensor has no float64 span
        Assert.Throws<ArgumentException>(() => Ops.Add(atoms, tape.Constant(Tensor.Zeros(3, 2)))); // no silent mixing
    }

    [Fact]
    public void BatchNormTrain_NormalisesEachColumn_AndReturnsPyTorchsRunningStatistics()
    {
        var tape = new Tape();
        var x = tape.Parameter(Tensor.From([1.0, 2, 3, 6], 2, 2));
        var (y, mean, variance) = Ops.BatchNormTrain(x, tape.Parameter(Tensor.From([1.0, 1], 2)), tape.Parameter(Tensor.Zeros(2)), epsilon: 0);
        Assert.Equal([-1.0, -1, 1, 1], y.Value.ToArray());
        Assert.Equal([2.0, 4], mean.ToArray());
        Assert.Equal([2.0, 8], variance.ToArray()); // unbiased: ((1-2)^2 + (3-2)^2) / 1
    }

    [Fact]
    public void ShapeErrors_NameBothShapes()
    {
        var tape = new Tape();
        var a = tape.Parameter(Tensor.Zeros(2, 3));
        var b = tape.Parameter(Tensor.Zeros(2, 3));
        Assert.Contains("(2, 3) and (2, 3)", Assert.Throws<ArgumentException>(() => Ops.MatMul(a, b)).Message);
        Assert.Contains("do not broadcast", Assert.Throws<ArgumentException>(() => Ops.Add(a, tape.Parameter(Tensor.Zeros(2)))).Message);
        Assert.Contains("another tape", Assert.Throws<ArgumentException>(() => Ops.Add(a, new Tape().Parameter(Tensor.Zeros(2, 3)))).Message);
        Assert.Contains("one value", Assert.Throws<ArgumentException>(() => tape.Backward(a)).Message);
        Assert.Throws<ArgumentException>(() => Tensor.From([1.0, 2], 3));
    }
}

/// <summary>The autodiff core's parallel matrix products give the bits of the ascending serial sum (CI also runs this class with
/// DOTNET_PROCESSOR_COUNT=8).</summary>
public class AutodiffThreadCountTests
{
    [Fact]
    public void TwoLayerGradients_EqualTheSerialAscendingSums_BitForBit()
    {
        var rng = new RngCursor(Rng.FromSeed(7));
        Tensor R(params int[] s) => Tensor.From(Enumerable.Range(0, s.Aggregate(1, (p, q) => p * q)).Select(_ => rng.NextDouble() - 0.5).ToArray(), s);
        var (xv, w1v) = (R(256, 132), R(132, 64));
        var tape = new Tape();
        var x = tape.Constant(xv);
        var w1 = tape.Parameter(w1v);
        var h = Ops.MatMul(x, w1); // 256 x 132 x 64 multiply-adds: the parallel path
        var g = tape.Backward(Ops.Sum(Ops.Tanh(h)));
        // Serial references: h[i, j] = sum_p x[i, p] w1[p, j]; dW1[p, j] = sum_i x[i, p] (1 - tanh(h[i, j])^2), ascending.
        for (var i = 0; i < 256; i++)
            for (var j = 0; j < 64; j++)
            {
                var sum = 0.0;
                for (var p = 0; p < 132; p++) sum += xv[i, p] * w1v[p, j];
                Assert.Equal(BitConverter.DoubleToInt64Bits(sum), BitConverter.DoubleToInt64Bits(h.Value[i, j]));
            }
        var dw = g.Of(w1);
        for (var p = 0; p < 132; p++)
            for (var j = 0; j < 64; j++)
            {
                var sum = 0.0;
                for (var i = 0; i < 256; i++)
                {
                    var t = Math.Tanh(h.Value[i, j]);
                    sum += xv[i, p] * (1 * (1 - t * t));
                }
                Assert.Equal(BitConverter.DoubleToInt64Bits(sum), BitConverter.DoubleToInt64Bits(dw[p, j]));
            }
    }
}
