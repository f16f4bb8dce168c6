using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Models.Neural;
using Pure.Materials.Split;
using Xunit;

namespace Pure.Materials.Tests.Core;

/// <summary>The dense-network step (the MLP's float32 path): in float64 it equals the autodiff tape bit for bit, so its
/// gradients are the tape's, which the FsCheck properties check against central differences; in float32 it stays within
/// float32 rounding of them.</summary>
public class DenseNetworkTests
{
    private static double[] Draw(RngCursor c, int n, double scale) => Enumerable.Range(0, n).Select(_ => (c.NextDouble() * 2 - 1) * scale).ToArray();

    public static TheoryData<string, string, double, double> Configs() => new()
    {
        { "Relu", "HalfSquared", 0.0, 1e-4 },
        { "Relu", "HalfSquared", 0.2, 0.0 },
        { "Tanh", "Huber", 0.0, 1e-3 },
        { "Sigmoid", "Absolute", 0.3, 1e-4 },
        { "Identity", "HalfSquared", 0.1, 1e-2 },
    };

    /// <summary>The tape's graph of the same step (as <c>MlpRegressor</c> builds it), in float64 or (from float32-representable
    /// values) float32; the loss and gradients widened to float64.</summary>
    private static (double Loss, double[][] Grads, Rng Next) Tape(int[] sizes, Activation act, double[][] w, double[][] b, double[] x, double[] y, int n,
        DenseLoss loss, double dropout, double alpha, Rng rng, DType dtype = DType.Float64)
    {
        var tape = new Tape();
        var h = tape.Constant(Tensor.From(x, n, sizes[0]).To(dtype));
        var pw = w.Select((v, l) => tape.Parameter(Tensor.From(v, sizes[l], sizes[l + 1]).To(dtype))).ToArray();
        var pb = b.Select(v => tape.Parameter(Tensor.From(v, v.Length).To(dtype))).ToArray();
        for (var l = 0; l < pw.Length; l++)
        {
            if (l < pw.Length - 1)
            {
                h = Ops.BiasActivation(Ops.MatMul(h, pw[l]), pb[l], act);
                (h, rng) = Ops.Dropout(h, dropout, rng, training: true);
            }
            else h = Ops.Add(Ops.MatMul(h, pw[l]), pb[l]);
        }
        var value = TapeLoss(tape, h, y, n, dtype, loss, alpha, pw);
        var g = tape.Backward(value);
        return (value.Value.Single, [.. pw.Select(v => g.Of(v).ToArray()), .. pb.Select(v => g.Of(v).ToArray())], rng);
    }

    /// <summary>The fused hidden layer the MLP's tape path (the classifier) and prediction use gives the unfused chain's bits:
    /// values, and the gradients of the input, the bias and the layer above under a softmax cross-entropy head.</summary>
    [Theory]
    [InlineData("Relu")]
    [InlineData("Tanh")]
    [InlineData("Sigmoid")]
    [InlineData("Identity")]
    public void BiasActivation_EqualsActivationOfAdd_BitForBit(string activation)
    {
        var act = Enum.Parse<Activation>(activation);
        const int n = 7, f = 13, k = 3;
        var c = new RngCursor(Rng.FromSeed(21));
        var (x, b, w, b2) = (Draw(c, n * f, 2), Draw(c, f, 0.5), Draw(c, f * k, 0.7), Draw(c, k, 0.2));
        int[] labels = [0, 2, 1, 1, 0, 2, 2];
        (double[] Value, double[][] Grads) Run(bool fused)
        {
            var tape = new Tape();
            var (px, pb, pw, pb2) = (tape.Parameter(Tensor.From(x, n, f)), tape.Parameter(Tensor.From(b, f)), tape.Parameter(Tensor.From(w, f, k)), tape.Parameter(Tensor.From(b2, k)));
            var h = fused ? Ops.BiasActivation(px, pb, act) : act switch
            {
                Activation.Relu => Ops.Relu(Ops.Add(px, pb)),
                Activation.Tanh => Ops.Tanh(Ops.Add(px, pb)),
                Activation.Sigmoid => Ops.Sigmoid(Ops.Add(px, pb)),
                _ => Ops.Add(px, pb),
            };
            var g = tape.Backward(Ops.CrossEntropyLoss(Ops.Add(Ops.MatMul(h, pw), pb2), labels));
            return (h.Value.ToArray(), [g.Of(px).ToArray(), g.Of(pb).ToArray(), g.Of(pw).ToArray(), g.Of(pb2).ToArray()]);
        }
        var (fusedValue, fusedGrads) = Run(true);
        var (chainValue, chainGrads) = Run(false);
        Assert.Equal(chainValue.Select(BitConverter.DoubleToInt64Bits), fusedValue.Select(BitConverter.DoubleToInt64Bits));
        for (var p = 0; p < chainGrads.Length; p++)
            Assert.Equal(chainGrads[p].Select(BitConverter.DoubleToInt64Bits), fusedGrads[p].Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Float64Step_EqualsTheTape_BitForBit(string activation, string lossName, double dropout, double alpha) =>
        StepEqualsTheTape<double>(activation, lossName, dropout, alpha, 11);

    /// <summary>float32 against float64 from the same float32-representable weights and data. Each gradient entry is a sum of up to
    /// 23 x 12 products of values of order 1 through three layers; float32 rounds each operation at u = 6e-8 relative, so the
    /// accumulated error is a few hundred u of the terms' magnitude, ~1e-5 of the gradient's norm. Asserted: the norm of the
    /// difference within 1e-4 of the norm of the gradient, per parameter array (a wrong derivative or a dropped term is off by
    /// far more; observed errors are about 1e-7).</summary>
    [Theory]
    [MemberData(nameof(Configs))]
    public void Float32Step_MatchesFloat64_WithinFloat32Rounding(string activation, string lossName, double dropout, double alpha)
    {
        var (act, loss) = (Enum.Parse<Activation>(activation), Enum.Parse<DenseLoss>(lossName));
        int[] sizes = [9, 12, 7, 1];
        var c = new RngCursor(Rng.FromSeed(12));
        static double[] Round(double[] v) => v.Select(d => (double)(float)d).ToArray();
        var w = Enumerable.Range(0, 3).Select(l => Round(Draw(c, sizes[l] * sizes[l + 1], 0.6))).ToArray();
        var b = Enumerable.Range(0, 3).Select(l => Round(Draw(c, sizes[l + 1], 0.3))).ToArray();
        const int n = 23;
        var x = Round(Draw(c, n * sizes[0], 2));
        var y = Round(Draw(c, n, 3));
        var net64 = new DenseNetwork<double>(sizes, act, w, b);
        var net32 = new DenseNetwork<float>(sizes, act, w.Select(v => v.Select(d => (float)d).ToArray()).ToArray(), b.Select(v => v.Select(d => (float)d).ToArray()).ToArray());
        var (l64, r64) = net64.Step(x, y, n, loss, 0.7, alpha, dropout, Rng.FromSeed(5));
        var (l32, r32) = net32.Step(x.Select(d => (float)d).ToArray(), y.Select(d => (float)d).ToArray(), n, loss, 0.7, alpha, dropout, Rng.FromSeed(5));
        Assert.Equal(r64, r32); // the same dropout masks
        Assert.True(Math.Abs(l32 - l64) <= 1e-5 * Math.Abs(l64), $"loss {l32} vs {l64}");
        double[][] g64 = [.. net64.WeightGradients, .. net64.BiasGradients];
        float[][] g32 = [.. net32.WeightGradients, .. net32.BiasGradients];
        for (var p = 0; p < g64.Length; p++)
        {
            var diff = Math.Sqrt(g64[p].Select((v, i) => (v - g32[p][i]) * (v - g32[p][i])).Sum());
            var norm = Math.Sqrt(g64[p].Select(v => v * v).Sum());
            Assert.True(diff <= 1e-4 * norm + 1e-12, $"parameter array {p}: |g32 - g64| = {diff}, |g64| = {norm}");
        }
    }

    /// <summary>The float32 tape (<c>Tensor</c> in <see cref="DType.Float32"/>) and the float32 dense step compute the same
    /// gradients bit for bit: both run the tape's operations in the tape's order in single precision. Their loss values differ in
    /// the last bits only, legitimately: the tape's <c>Mean</c> and <c>Sum</c> add float32 terms in float32 (<c>Reduce</c>'s order),
    /// the dense step adds the same float32 terms in float64 (its loss only reports), so they agree within float32 rounding.</summary>
    [Theory]
    [MemberData(nameof(Configs))]
    public void Float32Step_EqualsTheFloat32Tape_BitForBit(string activation, string lossName, double dropout, double alpha) =>
        StepEqualsTheTape<float>(activation, lossName, dropout, alpha, 13);

    /// <summary>Two batches (23 rows, then 10: the first batch's buffers reused) of the dense step in T against the tape in T from the
    /// same T-representable weights and data: the dropout stream and every gradient bit for bit; the loss bit for bit in float64,
    /// within 1e-6 relative in float32 (see above).</summary>
    private static void StepEqualsTheTape<T>(string activation, string lossName, double dropout, double alpha, long seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var dtype = typeof(T) == typeof(double) ? DType.Float64 : DType.Float32;
        var (act, loss) = (Enum.Parse<Activation>(activation), Enum.Parse<DenseLoss>(lossName));
        int[] sizes = [9, 12, 7, 1];
        var c = new RngCursor(Rng.FromSeed(seed));
        static double[] Round(double[] v) => v.Select(d => double.CreateTruncating(T.CreateTruncating(d))).ToArray(); // the identity for double
        static T[] Own(double[] v) => v.Select(T.CreateTruncating).ToArray();
        var w = Enumerable.Range(0, 3).Select(l => Round(Draw(c, sizes[l] * sizes[l + 1], 0.6))).ToArray();
        var b = Enumerable.Range(0, 3).Select(l => Round(Draw(c, sizes[l + 1], 0.3))).ToArray();
        var net = new DenseNetwork<T>(sizes, act, w.Select(Own).ToArray(), b.Select(Own).ToArray());
        foreach (var n in new[] { 23, 10 })
        {
            var x = Round(Draw(c, n * sizes[0], 2));
            var y = Round(Draw(c, n, 3));
            var (expected, grads, next) = Tape(sizes, act, w, b, x, y, n, loss, dropout, alpha, Rng.FromSeed(5), dtype);
            var (value, netNext) = net.Step(Own(x), Own(y), n, loss, 0.7, alpha, dropout, Rng.FromSeed(5));
            Assert.Equal(next, netNext);
            if (dtype == DType.Float64) Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(value));
            else Assert.True(Math.Abs(expected - value) <= 1e-6 * Math.Abs(value), $"loss {expected} (tape) vs {value} (dense)");
            T[][] ours = [.. net.WeightGradients, .. net.BiasGradients];
            for (var p = 0; p < grads.Length; p++) // float32 values widen exactly, so equal float64 bits are equal float32 bits
                Assert.Equal(grads[p].Select(BitConverter.DoubleToInt64Bits), ours[p].Select(v => BitConverter.DoubleToInt64Bits(double.CreateTruncating(v))));
        }
    }

    /// <summary>A float32 training on the general tape (the graph of <see cref="Tape"/>, Adam through the dense trainer's
    /// <c>DenseOptimizer&lt;float&gt;</c>: the public <c>Adam</c> holds float64 arrays) ends with the float32 dense trainer's weights
    /// bit for bit: 4 epochs of shuffled mini-batches (20, 20, 17 rows), dropout, the L2 term.</summary>
    [Fact]
    public void Float32TapeTraining_EqualsTheFloat32DenseTrainer_BitForBit()
    {
        int[] sizes = [6, 16, 8, 1];
        const int rows = 57, batch = 20;
        var c = new RngCursor(Rng.FromSeed(31));
        static float[] F(double[] v) => v.Select(d => (float)d).ToArray();
        var x = F(Draw(c, rows * sizes[0], 2));
        var y = F(Draw(c, rows, 3));
        var w0 = Enumerable.Range(0, 3).Select(l => F(Draw(c, sizes[l] * sizes[l + 1], 0.6))).ToArray();
        var b0 = Enumerable.Range(0, 3).Select(l => F(Draw(c, sizes[l + 1], 0.3))).ToArray();
        int[] lengths = [.. w0.Select(v => v.Length), .. b0.Select(v => v.Length)];
        var net = new DenseNetwork<float>(sizes, Activation.Relu, w0.Select(v => (float[])v.Clone()).ToArray(), b0.Select(v => (float[])v.Clone()).ToArray());
        var denseAdam = DenseOptimizer<float>.Adam(new AdamOptions(), lengths);
        float[][] tapeParams = [.. w0.Select(v => (float[])v.Clone()), .. b0.Select(v => (float[])v.Clone())];
        var tapeAdam = DenseOptimizer<float>.Adam(new AdamOptions(), lengths);
        var order = Enumerable.Range(0, rows).ToArray();
        var shuffle = new RngCursor(Rng.FromSeed(2));
        Rng denseRng = Rng.FromSeed(7), tapeRng = Rng.FromSeed(7);
        for (var epoch = 0; epoch < 4; epoch++)
        {
            shuffle.Shuffle<int>(order);
            for (var start = 0; start < rows; start += batch)
            {
                var idx = order[start..Math.Min(rows, start + batch)];
                var n = idx.Length;
                var bx = idx.SelectMany(i => x.Skip(i * sizes[0]).Take(sizes[0])).ToArray();
                var by = idx.Select(i => y[i]).ToArray();
                (_, denseRng) = net.Step(bx, by, n, DenseLoss.HalfSquared, 1, 1e-3, 0.1, denseRng);
                denseAdam.Step([.. net.Weights, .. net.Biases], [.. net.WeightGradients, .. net.BiasGradients], 1e-2);
                static double[] D(float[] v) => v.Select(f => (double)f).ToArray();
                var (_, grads, next) = Tape(sizes, Activation.Relu, tapeParams[..3].Select(D).ToArray(), tapeParams[3..].Select(D).ToArray(),
                    bx.Select(f => (double)f).ToArray(), by.Select(f => (double)f).ToArray(), n, DenseLoss.HalfSquared, 0.1, 1e-3, tapeRng, DType.Float32);
                tapeRng = next;
                tapeAdam.Step(tapeParams, grads.Select(g => g.Select(v => (float)v).ToArray()).ToArray(), 1e-2);
            }
        }
        float[][] dense = [.. net.Weights, .. net.Biases];
        Assert.NotEqual(w0[0], dense[0]); // it trained
        for (var p = 0; p < dense.Length; p++)
            Assert.Equal(dense[p].Select(BitConverter.SingleToInt32Bits), tapeParams[p].Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void MlpInFloat32_IsReproducible_AndTrainsAsFloat64Does()
    {
        var c = new RngCursor(Rng.FromSeed(3));
        var x = Matrix.Build(300, 4, (_, _) => c.NextDouble() * 2 - 1);
        var y = Enumerable.Range(0, 300).Select(i => Math.Sin(2 * x[i, 0]) + x[i, 1] * x[i, 2] - 0.5 * x[i, 3]).ToArray();
        var options = new MlpRegressorOptions { HiddenLayerSizes = [32, 16], MaxIter = 60, Tol = 0, NIterNoChange = 60, Dtype = MlpDtype.Float32 };
        var a = MlpRegressor.Fit(options, x, y, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(a, MlpRegressor.Fit(options, x, y, Rng.FromSeed(1)).OrThrow());
        Assert.All(a.Coefs.SelectMany(m => m.Data.ToArray()), v => Assert.Equal(v, (double)(float)v)); // float32 weights
        var d = MlpRegressor.Fit(options with { Dtype = MlpDtype.Float64 }, x, y, Rng.FromSeed(1)).OrThrow();
        Assert.True(a.LossCurve[^1] < a.LossCurve[0] / 5, $"float32 loss {a.LossCurve[0]} -> {a.LossCurve[^1]}");
        // 60 epochs x 2 batches of Adam from the same start: the curves part by rounding only.
        for (var e = 0; e < a.LossCurve.Count; e++)
            Assert.True(Math.Abs(a.LossCurve[e] - d.LossCurve[e]) <= 1e-3 * d.LossCurve[e], $"epoch {e + 1}: {a.LossCurve[e]} vs {d.LossCurve[e]}");
    }

    /// <summary>The bits of real fits, pinned when the MLP still trained on the autodiff tape (commit 67868a4, before the dense-network
    /// step and the packed GEMM): fold 0's 3683 training rows of matbench_expt_gap (Magpie, mean-imputed, standard-scaled), 3
    /// epochs, seed 1; SHA-256 of the weights, biases, loss curve, validation scores and training-set predictions (as
    /// <c>Pure.Materials.Benchmarks mlp-hashes</c> prints them). Any change of summation order or of an operation moves them.</summary>
    [Fact]
    public void MlpFits_KeepTheBitsTheyHadOnTheTape()
    {
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "gap expt", FoldColumn = "fold" },
            BundledData.Open("matbench_expt_gap").OrThrow()).OrThrow();
        var all = ElementProperty.Magpie.FeaturizeMany(ds.Compositions!);
        var fold = PredefinedFolds.FromLabels(ds.Folds!).OrThrow()[0];
        var imputer = Pure.Materials.Scale.MeanImputer.Fit(all.SelectRows(fold.Train)).OrThrow();
        var train = Pure.Materials.Scale.MeanImputer.Transform(imputer, all.SelectRows(fold.Train));
        var x = Pure.Materials.Scale.StandardScaler.Transform(Pure.Materials.Scale.StandardScaler.Fit(train).OrThrow(), train);
        double[] y = [.. fold.Train.Select(i => ds.Target![i])];
        var o = new MlpRegressorOptions { MaxIter = 3, Tol = 0, NIterNoChange = 3 };
        (string Hash, MlpRegressorOptions Options)[] pinned =
        [
            ("5E1F569938AB2AFD", o),
            ("48216BC3F369033D", o with { Activation = MlpActivation.Tanh, HiddenLayerSizes = [64, 32], BatchSize = 77 }),
            ("AB0214211EFEFA8D", o with { Activation = MlpActivation.Logistic, Solver = MlpSolver.Sgd }),
            ("71D4CE02C84F9C11", o with { Activation = MlpActivation.Identity, Loss = MlpLoss.Huber, MaxGradNorm = 1 }),
            ("F7FFD67C40B4A7EA", o with { HiddenLayerSizes = [256, 128, 64], EarlyStopping = true, Dropout = 0.1, Loss = MlpLoss.AbsoluteError }),
        ];
        foreach (var (hash, options) in pinned)
        {
            var m = MlpRegressor.Fit(options, x, y, Rng.FromSeed(1)).OrThrow();
            var bits = m.Coefs.SelectMany(c => c.Data.ToArray()).Concat(m.Intercepts.SelectMany(b => b.ToArray())).Concat(m.LossCurve)
                .Concat(m.ValidationScores).Concat(MlpRegressor.Predict(m, x));
            Assert.Equal(hash, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bits.SelectMany(BitConverter.GetBytes).ToArray()))[..16]);
        }
    }

    /// <summary>The dense trainer's objective on the tape: the data loss of <paramref name="h"/> (shape (n, 1)) against y (Huber with
    /// delta 0.7, absolute, or half the squared error) plus alpha / (2 n) times the summed squared weights.</summary>
    internal static Var TapeLoss(Tape tape, Var h, double[] y, int n, DType dtype, DenseLoss loss, double alpha, IEnumerable<Var> weights)
    {
        var t = tape.Constant(Tensor.From(y, n, 1).To(dtype));
        var value = loss switch
        {
            DenseLoss.Huber => Ops.HuberLoss(h, t, 0.7),
            DenseLoss.Absolute => Ops.MaeLoss(h, t),
            _ => Ops.Scale(Ops.MseLoss(h, t), 0.5),
        };
        if (alpha > 0)
        {
            Var? penalty = null;
            foreach (var wl in weights)
            {
                var sq = Ops.Sum(Ops.Mul(wl, wl));
                penalty = penalty is null ? sq : Ops.Add(penalty, sq);
            }
            value = Ops.Add(value, Ops.Scale(penalty!, alpha / (2.0 * n)));
        }
        return value;
    }
}
