using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;
using Xunit;

namespace Pure.Materials.Tests.Core;

/// <summary>The public optimisers and schedules: update rules written out by hand, decoupled against coupled decay, and use from
/// the autodiff core on a problem with a known minimum.</summary>
public class OptimizerTests
{
    [Fact]
    public void Sgd_MatchesItsUpdateRule_PlainNesterovAndL2()
    {
        double[] w = [1.0, -2.0];
        var sgd = new Sgd(new SgdOptions(Momentum: 0.5, Nesterov: false), [2]);
        sgd.Step([w], [[0.2, -0.4]], 0.1);          // v = -0.1 g, w += v
        Assert.Equal(0.98, w[0], 1e-15);
        Assert.Equal(-1.96, w[1], 1e-15);
        sgd.Step([w], [[0.2, -0.4]], 0.1);          // v = 0.5 v - 0.1 g = -0.03, +0.06
        Assert.Equal(0.95, w[0], 1e-15);
        Assert.Equal(-1.9, w[1], 1e-15);
        Assert.Equal(2, sgd.Steps);

        double[] u = [1.0];
        new Sgd(new SgdOptions(Momentum: 0.9, Nesterov: true), [1]).Step([u], [[1.0]], 0.1); // v = -0.1; w += 0.9 v - 0.1 = -0.19
        Assert.Equal(0.81, u[0], 1e-15);

        double[] z = [2.0];
        new Sgd(new SgdOptions(Momentum: 0, L2: 0.5), [1]).Step([z], [[0.0]], 0.1); // g + 0.5 w = 1; w -= 0.1
        Assert.Equal(1.9, z[0], 1e-15);
    }

    [Fact]
    public void Adam_FirstStepMovesEachWeightByTheLearningRate_AndAdamWDecaysOutsideTheMoments()
    {
        // Step 1: m = (1 - b1) g, v = (1 - b2) g², lr_t = lr sqrt(1 - b2) / (1 - b1): the step is lr g / (|g| + eps / sqrt(1 - b2)) ≈ lr sign(g).
        double[] w = [0.0, 0.0];
        new Adam(new AdamOptions(), [2]).Step([w], [[3.0, -1e-3]], 0.01);
        Assert.Equal(-0.01 * 3 / (3 + 1e-8 / Math.Sqrt(1 - 0.999)), w[0], 1e-16);
        Assert.Equal(0.01 * 1e-3 / (1e-3 + 1e-8 / Math.Sqrt(1 - 0.999)), w[1], 1e-16);

        // With a zero gradient, AdamW only shrinks: w (1 - lr wd) per step; coupled L2 instead feeds 0.1 w into the moments (a step of about lr).
        double[] a = [2.0];
        var adamW = Adam.W(0.1, [1]);
        for (var t = 0; t < 3; t++) adamW.Step([a], [[0.0]], 0.5);
        Assert.Equal(2.0 * Math.Pow(1 - 0.5 * 0.1, 3), a[0], 1e-15);
        double[] b = [2.0];
        new Adam(new AdamOptions(L2: 0.1), [1]).Step([b], [[0.0]], 0.5);
        Assert.Equal(1.5, b[0], 1e-6);
    }

    [Fact]
    public void Optimisers_RejectMismatchedArrays_AndBadOptions()
    {
        var adam = new Adam(new AdamOptions(), [2, 3]);
        Assert.Throws<ArgumentException>(() => adam.Step([new double[2]], [new double[2]], 0.1));
        Assert.Throws<ArgumentException>(() => adam.Step([new double[2], new double[2]], [new double[2], new double[3]], 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(new AdamOptions(Beta1: 1), [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(new SgdOptions(Momentum: 1.5), [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(new AdamOptions(WeightDecay: -1), [1]));
    }

    [Fact]
    public void Schedules_GiveTheirFormulas()
    {
        Assert.Equal(0.1, new LearningRateSchedule.Constant().Rate(0.1, 50, 1000));
        Assert.Equal(0.1, new LearningRateSchedule.InvScaling(0.5).Rate(0.1, 0, 0));
        Assert.Equal(0.1 / Math.Sqrt(100), new LearningRateSchedule.InvScaling(0.5).Rate(0.1, 1, 99), 1e-17);
        var step = new LearningRateSchedule.StepDecay(10, 0.5);
        Assert.Equal(1.0, step.Rate(1, 9, 0));
        Assert.Equal(0.5, step.Rate(1, 10, 0));
        Assert.Equal(0.25, step.Rate(1, 25, 0));
        var cosine = new LearningRateSchedule.Cosine(100, 0.01);
        Assert.Equal(1.0, cosine.Rate(1, 0, 0), 1e-15);
        Assert.Equal(0.505, cosine.Rate(1, 50, 0), 1e-15);
        Assert.Equal(0.01, cosine.Rate(1, 100, 0), 1e-15);
        Assert.Equal(0.01, cosine.Rate(1, 500, 0));
    }

    [Fact]
    public void ClipGradientNorm_ScalesAllArraysByOneFactor()
    {
        double[][] g = [[3.0], [4.0]];
        Assert.Equal(5.0, Optimizers.ClipGradientNorm(g, 1.0));
        Assert.Equal(0.6, g[0][0], 1e-15);
        Assert.Equal(0.8, g[1][0], 1e-15);
        double[][] small = [[0.3], [0.4]];
        Optimizers.ClipGradientNorm(small, 1.0);
        Assert.Equal(0.3, small[0][0]);
    }

    public static TheoryData<string, string> Kinds() => new()
    {
        { "sgd", "float64" }, { "nesterov", "float64" }, { "adam", "float64" }, { "adamw", "float64" },
        { "sgd", "float32" }, { "nesterov", "float32" }, { "adam", "float32" }, { "adamw", "float32" },
    };

    /// <summary>min_w mean((X w - y)^2) with y = X [1, -2, 0.5]: the gradient comes from the tape, the step from the optimiser, in
    /// float64 and on a float32 tape stepping float32 arrays. Tolerance 1e-6 in float64 (AdamW's decay pulls it 1e-3 off), 1e-3 in
    /// float32: float32 data and sums round at 6e-8 relative, so the minimiser of the rounded problem and the last steps' wiggle
    /// (lr down to 1e-4 for Adam) move w by far less; a wrong update rule does not converge at all.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void FromTheTape_EveryOptimiserFindsTheLeastSquaresSolution(string kind, string dtype)
    {
        var dt = dtype == "float32" ? DType.Float32 : DType.Float64;
        var c = new RngCursor(Rng.FromSeed(11));
        var x = Tensor.From(Enumerable.Range(0, 64 * 3).Select(_ => c.NextDouble() * 2 - 1).ToArray(), 64, 3).To(dt);
        double[] truth = [1, -2, 0.5];
        var xs = x.ToArray();
        var y = Tensor.From(Enumerable.Range(0, 64).Select(i => xs[i * 3] * truth[0] + xs[i * 3 + 1] * truth[1] + xs[i * 3 + 2] * truth[2]).ToArray(), 64, 1).To(dt);
        var w = new double[3];
        var wf = new float[3];
        IOptimizer opt = kind switch
        {
            "sgd" => new Sgd(new SgdOptions(Momentum: 0, Nesterov: false), [3]),
            "nesterov" => new Sgd(new SgdOptions(), [3]),
            "adam" => new Adam(new AdamOptions(), [3]),
            _ => Adam.W(1e-4, [3]),
        };
        var schedule = kind.StartsWith("adam", StringComparison.Ordinal) ? (LearningRateSchedule)new LearningRateSchedule.Cosine(3000, 1e-4) : new LearningRateSchedule.Constant();
        var lr0 = kind.StartsWith("adam", StringComparison.Ordinal) ? 0.05 : 0.2;
        for (var epoch = 0; epoch < 3000; epoch++)
        {
            var tape = new Tape();
            var wv = tape.Parameter(dt == DType.Float64 ? Tensor.From(w, 3, 1) : Tensor.From(wf, 3, 1));
            var loss = Ops.MseLoss(Ops.MatMul(tape.Constant(x), wv), tape.Constant(y));
            Assert.Equal(dt, loss.DType);
            var g = tape.Backward(loss).Of(wv);
            var rate = schedule.Rate(lr0, epoch, epoch * 64L);
            if (dt == DType.Float64) opt.Step([w], [g.ToArray()], rate);
            else opt.Step([wf], [g.Float32Span.ToArray()], rate);
        }
        for (var j = 0; j < 3; j++) Assert.Equal(truth[j], dt == DType.Float64 ? w[j] : wf[j], dt == DType.Float32 || kind == "adamw" ? 1e-3 : 1e-6);
        Assert.Equal(3000, opt.Steps);
        if (dt == DType.Float32) Assert.Throws<InvalidOperationException>(() => opt.Step([new double[3]], [new double[3]], 0.1)); // one optimiser, one dtype
    }

    [Fact]
    public void Float32Steps_FollowTheRules_L2AndClipping()
    {
        // SGD without momentum, L2 0.5: w -= lr (g + 0.5 w) in float32.
        float[] z = [2f];
        new Sgd(new SgdOptions(Momentum: 0, L2: 0.5), [1]).Step([z], [[0f]], 0.1);
        Assert.Equal(2f - 0.1f * (0f + 0.5f * 2f), z[0]);
        // Adam's first step moves by about lr, as in float64.
        float[] w = [0f];
        new Adam(new AdamOptions(), [1]).Step([w], [[3f]], 0.01);
        Assert.Equal(-0.01, w[0], 1e-6);
        var adam = new Adam(new AdamOptions(), [1]);
        adam.Step([new double[1]], [new double[1]], 0.1);
        Assert.Throws<InvalidOperationException>(() => adam.Step([new float[1]], [new float[1]], 0.1));
        float[][] g = [[3f], [4f]];
        Assert.Equal(5.0, Optimizers.ClipGradientNorm(g, 1.0));
        Assert.Equal((float)(3 * (1.0 / 5)), g[0][0], 1e-7);
        Assert.Equal(0.8f, g[1][0], 1e-7);
    }
}
