using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;
using Pure.Materials.Models.Neural;
using Xunit;

namespace Pure.Materials.Tests.Core;

/// <summary>The MLP's dense trainer updates its weights with <see cref="DenseOptimizer{T}"/>, vectorised and generic over the dtype;
/// the autodiff tape path (the classifier) with the public <see cref="Adam"/> and <see cref="Sgd"/>. In float64 they must be the same
/// function: fed the same gradients and rates over many steps, the parameters are compared bit for bit after every step.</summary>
public class DenseOptimizerTests
{
    // Array lengths around every vector width (2, 4, 8 doubles), so both the vector loop and the scalar tail run.
    private static readonly int[] Lengths = [13, 7, 1, 33, 8];

    public static TheoryData<string, double> Configs() => new()
    {
        { "adam", 0.0 },
        { "adam", 0.05 },
        { "adam-b", 0.0 },
        { "adam-torch", 0.0 },
        { "adamw-cosine", 0.01 },
        { "adam-step", 0.3 },
        { "sgd-nesterov", 0.0 },
        { "sgd-momentum", 0.0 },
        { "sgd-plain", 0.0 },
        { "sgd-torch-step", 0.0 },
        { "sgd-invscaling", 0.0 },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Float64_EqualsThePublicOptimisers_BitForBit_EveryStep(string kind, double weightDecay)
    {
        const int steps = 40;
        const double lr0 = 0.01;
        var c = new RngCursor(Rng.FromSeed(7));
        double[] Draw(int n, double scale) => Enumerable.Range(0, n).Select(_ => (c.NextDouble() * 2 - 1) * scale).ToArray();
        var start = Lengths.Select(n => Draw(n, 1.0)).ToArray();
        var ours = start.Select(a => (double[])a.Clone()).ToArray();
        var theirs = start.Select(a => (double[])a.Clone()).ToArray();
        var (pub, dense) = kind switch
        {
            "adam-b" => Pair(new AdamOptions(Beta1: 0.5, Beta2: 0.9, Epsilon: 1e-3)),
            "adam-torch" => Pair(new AdamOptions(Epsilon: 1e-3, L2: 0, EpsilonOnCorrected: true)),
            "sgd-nesterov" or "sgd-invscaling" => Pair(new SgdOptions(Momentum: 0.9, Nesterov: true)),
            "sgd-momentum" => Pair(new SgdOptions(Momentum: 0.7, Nesterov: false)),
            "sgd-plain" => Pair(new SgdOptions(Momentum: 0, Nesterov: false)),
            "sgd-torch-step" => Pair(new SgdOptions(Momentum: 0.9, Nesterov: false, RateAfterMomentum: true)),
            _ => Pair(new AdamOptions(WeightDecay: weightDecay)),
        };
        LearningRateSchedule schedule = kind switch
        {
            "adamw-cosine" => new LearningRateSchedule.Cosine(steps, 1e-4),
            "adam-step" or "sgd-torch-step" => new LearningRateSchedule.StepDecay(7, 0.5),
            "sgd-invscaling" => new LearningRateSchedule.InvScaling(0.5),
            _ => new LearningRateSchedule.Constant(),
        };
        for (var t = 0; t < steps; t++)
        {
            // Gradients spanning magnitudes, with exact zeros (Adam's v = 0, sqrt(0) + eps) now and then.
            var grads = Lengths.Select(n => Draw(n, Math.Pow(10, t % 5 - 2))).ToArray();
            foreach (var g in grads) if (t % 6 == 0) g[0] = 0;
            var rate = schedule.Rate(lr0, t, t * 50L);
            pub.Step(theirs, grads.Select(g => (double[])g.Clone()).ToArray(), rate);
            dense.Step(ours, grads, rate);
            for (var p = 0; p < ours.Length; p++)
                Assert.Equal(theirs[p].Select(BitConverter.DoubleToInt64Bits), ours[p].Select(BitConverter.DoubleToInt64Bits));
        }
        Assert.Equal(steps, dense.Steps);
        Assert.Equal(steps, pub.Steps);
        Assert.NotEqual(start[3], ours[3]); // they moved
    }

    private static (IOptimizer, DenseOptimizer<double>) Pair(AdamOptions o) => (new Adam(o, Lengths), DenseOptimizer<double>.Adam(o, Lengths));

    private static (IOptimizer, DenseOptimizer<double>) Pair(SgdOptions o) => (new Sgd(o, Lengths), DenseOptimizer<double>.Sgd(o, Lengths));

    /// <summary>A regression head that trains on the tape (no dense targets): the same objective as <c>MlpRegressor</c>'s squared loss.</summary>
    private sealed class TapeHead(IReadOnlyList<double> y, bool dense) : IMlpHead
    {
        public (DenseLoss Loss, double[] Targets)? Dense => dense ? (DenseLoss.HalfSquared, [.. y]) : null;

        public Func<double[], int[], double>? Reported => null;

        public (Var Loss, double? Reported) Loss(Var output, int[] idx) =>
            (Ops.Scale(Ops.MseLoss(output, output.Tape.Constant(Tensor.Own(idx.Select(i => y[i]).ToArray(), [idx.Length, 1]))), 0.5), null);

        public double Score(double[] output, int[] held) => -held.Select((r, k) => Math.Abs(output[k] - y[r])).Sum();

        public (int[] Train, int[] Held) Split(int n, double fraction, Rng stream) => MlpNetwork.RandomSplit(n, fraction, stream);
    }

    public static TheoryData<string> TrainingConfigs() => ["adamw-cosine", "adamw-step", "adam", "sgd-invscaling", "sgd-adaptive"];

    /// <summary>Whole trainings: the dense trainer (DenseNetwork + DenseOptimizer) against the tape trainer (the tape's graph + the
    /// public Adam/Sgd, the classifier's former path, kept as the reference) from the same weights and seed: every weight, loss and learning-rate decision equal bit
    /// for bit, with weight_decay, the schedules, dropout and gradient clipping.</summary>
    [Theory]
    [MemberData(nameof(TrainingConfigs))]
    public void DenseTrainer_EqualsTapeTrainerWithPublicOptimisers_BitForBit(string kind)
    {
        var c = new RngCursor(Rng.FromSeed(3));
        var x = Matrix.Build(90, 5, (_, _) => c.NextDouble() * 2 - 1);
        var y = Enumerable.Range(0, 90).Select(i => Math.Sin(2 * x[i, 0]) + x[i, 1] * x[i, 2] - 0.5 * x[i, 3]).ToArray();
        var o = new MlpRegressorOptions { HiddenLayerSizes = [16, 8], MaxIter = 25, BatchSize = 32, Dropout = 0.1, MaxGradNorm = 2, LearningRateInit = 0.01 };
        o = kind switch
        {
            "adamw-cosine" => o with { WeightDecay = 0.05, LrSchedule = MlpLrSchedule.Cosine, LrMin = 1e-4 },
            "adamw-step" => o with { WeightDecay = 0.01, LrSchedule = MlpLrSchedule.Step, LrStepSize = 5, LrGamma = 0.5, EarlyStopping = true },
            "sgd-invscaling" => o with { Solver = MlpSolver.Sgd, LearningRate = MlpLearningRate.InvScaling, LearningRateInit = 0.1 },
            "sgd-adaptive" => o with { Solver = MlpSolver.Sgd, LearningRate = MlpLearningRate.Adaptive, NesterovsMomentum = false, Tol = 0.5, NIterNoChange = 2 },
            _ => o,
        };
        Assert.Empty(MlpNetwork.Check(o));
        var sizes = MlpNetwork.Sizes(5, o.HiddenLayerSizes, 1);
        MlpNetwork.Trained Run(bool dense)
        {
            var (w, b) = MlpNetwork.Initialise(sizes, o.Activation, Rng.FromSeed(9));
            return MlpNetwork.Train(o, new TapeHead(y, dense), x, sizes, w, b, Rng.FromSeed(10)).OrThrow();
        }
        var (d, t) = (Run(true), Run(false));
        Assert.True(d.LossCurve.Count >= 3);
        Assert.Equal(t.LossCurve.Select(BitConverter.DoubleToInt64Bits), d.LossCurve.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(t.Scores.Select(BitConverter.DoubleToInt64Bits), d.Scores.Select(BitConverter.DoubleToInt64Bits));
        for (var l = 0; l < d.Coefs.Length; l++)
        {
            Assert.Equal(t.Coefs[l].Select(BitConverter.DoubleToInt64Bits), d.Coefs[l].Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(t.Intercepts[l].Select(BitConverter.DoubleToInt64Bits), d.Intercepts[l].Select(BitConverter.DoubleToInt64Bits));
        }
    }

    /// <summary>weight_decay and lr_schedule change training (they are not ignored), and leave the defaults' fit alone.</summary>
    [Fact]
    public void WeightDecayAndSchedules_ChangeTheFit_DefaultsDoNot()
    {
        var c = new RngCursor(Rng.FromSeed(4));
        var x = Matrix.Build(120, 4, (_, _) => c.NextDouble() * 2 - 1);
        var y = Enumerable.Range(0, 120).Select(i => x[i, 0] - 2 * x[i, 1] * x[i, 2] + Math.Cos(x[i, 3])).ToArray();
        var o = new MlpRegressorOptions { HiddenLayerSizes = [16], MaxIter = 30, Tol = 0, NIterNoChange = 30 };
        var plain = MlpRegressor.Fit(o, x, y, Rng.FromSeed(1)).OrThrow();
        var explicitDefaults = MlpRegressor.Fit(o with { WeightDecay = 0, LrSchedule = MlpLrSchedule.Constant, LrStepSize = 3, LrGamma = 0.5 }, x, y, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(plain.LossCurve, explicitDefaults.LossCurve);
        Assert.Equal(plain.Coefs.SelectMany(m => m.Data.ToArray()), explicitDefaults.Coefs.SelectMany(m => m.Data.ToArray()));
        double Norm(MlpRegressorModel m) => Math.Sqrt(m.Coefs.Sum(w => w.Data.ToArray().Sum(v => v * v)));
        var decayed = MlpRegressor.Fit(o with { WeightDecay = 1.0 }, x, y, Rng.FromSeed(1)).OrThrow();
        Assert.True(Norm(decayed) < Norm(plain), $"weight norm {Norm(decayed)} with weight_decay=1 vs {Norm(plain)}");
        // Step decay of 0.1 after epoch 1: the first two epochs equal the constant rate's, the rest differ.
        var step = MlpRegressor.Fit(o with { LrSchedule = MlpLrSchedule.Step, LrStepSize = 2 }, x, y, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(plain.LossCurve.Take(2), step.LossCurve.Take(2));
        Assert.NotEqual(plain.LossCurve[4], step.LossCurve[4]);
        var cosine = MlpRegressor.Fit(o with { LrSchedule = MlpLrSchedule.Cosine }, x, y, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(plain.LossCurve[0], cosine.LossCurve[0]); // cos(0) = 1: the first epoch runs at learning_rate_init
        Assert.NotEqual(plain.LossCurve[^1], cosine.LossCurve[^1]);
    }

    [Fact]
    public void BadValues_GiveOneLineProblemsNamingTheParameterAndRange()
    {
        var x = Matrix.Build(10, 2, (i, j) => i + j);
        var y = Enumerable.Range(0, 10).Select(i => (double)i).ToArray();
        string Messages(MlpRegressorOptions o) => MlpRegressor.Fit(o, x, y, Rng.FromSeed(1)).Match(_ => "", e => string.Join("\n", e.Select(p => p.ToString())));
        Assert.Contains("weight_decay = -0.1 is outside [0, inf)", Messages(new() { WeightDecay = -0.1 }));
        Assert.Contains("lr_step_size = 0 is outside [1, inf)", Messages(new() { LrStepSize = 0 }));
        Assert.Contains("lr_gamma = 1.5 is outside (0, 1]", Messages(new() { LrGamma = 1.5 }));
        Assert.Contains("lr_min = 0.01 is outside [0, learning_rate_init)", Messages(new() { LrSchedule = MlpLrSchedule.Cosine, LrMin = 0.01 }));
        Assert.Contains("weight_decay = 0.1 applies to solver=adam", Messages(new() { Solver = MlpSolver.Sgd, WeightDecay = 0.1 }));
        Assert.Contains("lr_schedule = cosine applies to solver=adam", Messages(new() { Solver = MlpSolver.Sgd, LrSchedule = MlpLrSchedule.Cosine }));
        Assert.Contains("lr_min = -1 is outside", Messages(new() { LrMin = -1 }));
        Assert.All(Messages(new() { WeightDecay = double.NaN, LrGamma = 0 }).Split('\n'), m => Assert.DoesNotContain('\r', m));
        var classifier = MlpClassifier.Fit(new MlpClassifierOptions { Network = new() { Solver = MlpSolver.Sgd, WeightDecay = 0.1 } }, x, [0, 1, 0, 1, 0, 1, 0, 1, 0, 1], Rng.FromSeed(1));
        Assert.True(classifier.IsFail);
    }
}
