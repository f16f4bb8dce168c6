using System.Numerics;
using System.Text.Json;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;
using Pure.Materials.Models.Neural;
using Pure.Materials.Pipelines;
using Pure.Materials.Tests.Core;
using Pure.Materials.Tests.Pipelines;
using Xunit;

namespace Pure.Materials.Tests.Models.Neural;

/// <summary>Batch norm in the MLP (<see cref="MlpRegressorOptions.BatchNorm"/>): the dense step against the tape's
/// <c>Ops.BatchNormTrain</c> graph, the whole network's gradient against central differences, the model file, and PyTorch 1.13.</summary>
public class MlpBatchNormTests
{
    private static double[] Draw(RngCursor c, int n, double scale) => Enumerable.Range(0, n).Select(_ => (c.NextDouble() * 2 - 1) * scale).ToArray();

    /// <summary>The tape's graph of one training step with batch norm: per hidden layer Add(MatMul(h, W), b), BatchNormTrain, the
    /// activation, dropout; a linear output; the loss plus alpha's L2 term. Returns the loss, the gradients (weights, biases, gammas,
    /// betas) widened to float64, each hidden layer's batch mean and unbiased variance, and the dropout stream after the step.</summary>
    private static (double Loss, double[][] Grads, double[][] Means, double[][] Variances, Rng Next) Tape(int[] sizes, Activation act, double[][] w,
        double[][] b, double[][] gamma, double[][] beta, double[] x, double[] y, int n, DenseLoss loss, double dropout, double alpha, Rng rng,
        DType dtype = DType.Float64)
    {
        var tape = new Tape();
        var h = tape.Constant(Tensor.From(x, n, sizes[0]).To(dtype));
        var pw = w.Select((v, l) => tape.Parameter(Tensor.From(v, sizes[l], sizes[l + 1]).To(dtype))).ToArray();
        var pb = b.Select(v => tape.Parameter(Tensor.From(v, v.Length).To(dtype))).ToArray();
        var pg = gamma.Select(v => tape.Parameter(Tensor.From(v, v.Length).To(dtype))).ToArray();
        var pbeta = beta.Select(v => tape.Parameter(Tensor.From(v, v.Length).To(dtype))).ToArray();
        var means = new List<double[]>();
        var variances = new List<double[]>();
        for (var l = 0; l < pw.Length; l++)
        {
            var z = Ops.Add(Ops.MatMul(h, pw[l]), pb[l]);
            if (l < pw.Length - 1)
            {
                var (normalised, mean, variance) = Ops.BatchNormTrain(z, pg[l], pbeta[l], 1e-5);
                means.Add(mean.To(DType.Float64).ToArray());
                variances.Add(variance.To(DType.Float64).ToArray());
                (h, rng) = Ops.Dropout(MlpNetwork.Activate(normalised, act), dropout, rng, training: true);
            }
            else h = z;
        }
        var value = DenseNetworkTests.TapeLoss(tape, h, y, n, dtype, loss, alpha, pw);
        var g = tape.Backward(value);
        Var[] all = [.. pw, .. pb, .. pg, .. pbeta];
        return (value.Value.To(DType.Float64).Single, all.Select(v => g.Of(v).To(DType.Float64).ToArray()).ToArray(), [.. means], [.. variances], rng);
    }

    public static TheoryData<string, string, double, double> Configs() => new()
    {
        { "Relu", "HalfSquared", 0.0, 1e-4 },
        { "Relu", "HalfSquared", 0.2, 0.0 },
        { "Tanh", "Huber", 0.0, 1e-3 },
        { "Sigmoid", "Absolute", 0.3, 1e-4 },
        { "Identity", "HalfSquared", 0.1, 1e-2 },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Float64DenseStep_WithBatchNorm_EqualsTheTape_BitForBit(string activation, string lossName, double dropout, double alpha) =>
        StepEqualsTheTape<double>(activation, lossName, dropout, alpha, 41);

    [Theory]
    [MemberData(nameof(Configs))]
    public void Float32DenseStep_WithBatchNorm_EqualsTheFloat32Tape_BitForBit(string activation, string lossName, double dropout, double alpha) =>
        StepEqualsTheTape<float>(activation, lossName, dropout, alpha, 43);

    /// <summary>Three batches (23 rows, 10, then 1: the degenerate one-row batch) of the dense step with batch norm in T against the
    /// tape in T from the same T-representable values: every gradient (weights, biases, gammas, betas) and the dropout stream bit for
    /// bit, the loss bit for bit in float64 (within 1e-6 relative in float32, where the dense step sums the loss's terms in float64), and
    /// the running statistics equal to PyTorch's rule r ← 0.9 r + 0.1 s applied to the tape's batch statistics, bit for bit.</summary>
    private static void StepEqualsTheTape<T>(string activation, string lossName, double dropout, double alpha, long seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dtype = typeof(T) == typeof(double) ? DType.Float64 : DType.Float32;
        var (act, loss) = (Enum.Parse<Activation>(activation), Enum.Parse<DenseLoss>(lossName));
        int[] sizes = [9, 12, 7, 1];
        var c = new RngCursor(Rng.FromSeed(seed));
        static double[] Round(double[] v) => v.Select(d => double.CreateTruncating(T.CreateTruncating(d))).ToArray();
        static T[] Own(double[] v) => v.Select(T.CreateTruncating).ToArray();
        var w = Enumerable.Range(0, 3).Select(l => Round(Draw(c, sizes[l] * sizes[l + 1], 0.6))).ToArray();
        var b = Enumerable.Range(0, 3).Select(l => Round(Draw(c, sizes[l + 1], 0.3))).ToArray();
        var gamma = Enumerable.Range(0, 2).Select(l => Round(Draw(c, sizes[l + 1], 0.5).Select(v => 1 + v).ToArray())).ToArray();
        var beta = Enumerable.Range(0, 2).Select(l => Round(Draw(c, sizes[l + 1], 0.2))).ToArray();
        var bn = new DenseBatchNorm<T>(gamma.Select(Own).ToArray(), beta.Select(Own).ToArray(), [new T[12], new T[7]],
            [Enumerable.Repeat(T.One, 12).ToArray(), Enumerable.Repeat(T.One, 7).ToArray()], T.CreateTruncating(0.1), T.CreateTruncating(1e-5));
        double[][] runningMean = [new double[12], new double[7]], runningVar = [Enumerable.Repeat(1.0, 12).ToArray(), Enumerable.Repeat(1.0, 7).ToArray()];
        var net = new DenseNetwork<T>(sizes, act, w.Select(Own).ToArray(), b.Select(Own).ToArray(), bn);
        foreach (var n in new[] { 23, 10, 1 })
        {
            var x = Round(Draw(c, n * sizes[0], 2));
            var y = Round(Draw(c, n, 3));
            var (expected, grads, means, variances, next) = Tape(sizes, act, w, b, gamma, beta, x, y, n, loss, dropout, alpha, Rng.FromSeed(5), dtype);
            var (value, netNext) = net.Step(Own(x), Own(y), n, loss, 0.7, alpha, dropout, Rng.FromSeed(5));
            Assert.Equal(next, netNext);
            if (dtype == DType.Float64) Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(value));
            else Assert.True(Math.Abs(expected - value) <= 1e-6 * Math.Abs(value), $"loss {expected} (tape) vs {value} (dense)");
            T[][] ours = [.. net.WeightGradients, .. net.BiasGradients, .. net.GammaGradients, .. net.BetaGradients];
            Assert.Equal(grads.Length, ours.Length);
            for (var p = 0; p < grads.Length; p++) // == treats -0 and +0 alike (an accumulator's 0 + (-0) is +0 on one path)
                Assert.True(grads[p].SequenceEqual(ours[p].Select(double.CreateTruncating)), $"{n} rows, parameter array {p}");
            for (var l = 0; l < 2; l++)
                for (var j = 0; j < runningMean[l].Length; j++)
                {
                    runningMean[l][j] = double.CreateTruncating(T.CreateTruncating(0.9) * T.CreateTruncating(runningMean[l][j]) + T.CreateTruncating(0.1) * T.CreateTruncating(means[l][j]));
                    runningVar[l][j] = double.CreateTruncating(T.CreateTruncating(0.9) * T.CreateTruncating(runningVar[l][j]) + T.CreateTruncating(0.1) * T.CreateTruncating(variances[l][j]));
                }
            for (var l = 0; l < 2; l++)
            {
                Assert.Equal(runningMean[l], bn.RunningMean[l].Select(double.CreateTruncating));
                Assert.Equal(runningVar[l], bn.RunningVariance[l].Select(double.CreateTruncating));
            }
        }
    }

    /// <summary>A pipeline with a batch-normed mlp (early stopping, so the best epoch's gamma, beta and running statistics are the
    /// ones kept) saves and loads to an equal pipeline that predicts the same bits; the model file holds one batch_norm node per
    /// hidden layer.</summary>
    [Fact]
    public void MlpWithBatchNorm_FitSaveLoad_PredictsTheSameBits()
    {
        var options = new MlpRegressorOptions { HiddenLayerSizes = [16, 8], BatchNorm = true, EarlyStopping = true, MaxIter = 30, BatchSize = 32 };
        var (pipeline, x, _) = FittedPipelineTests.PerovskiteForest(learner: Learners.MlpSpec.Build(options));
        var model = Assert.IsType<MlpRegressorModel>(pipeline.Learner.Model);
        var bn = Assert.IsType<MlpBatchNorm>(model.BatchNorm);
        Assert.Equal([16, 8], bn.Gamma.Select(g => g.Count));
        Assert.Contains(bn.Gamma[0], v => v != 1.0); // gamma trained
        Assert.Contains(bn.RunningMean[1], v => v != 0.0); // the running statistics moved
        var before = pipeline.Predict(x).OrThrow();
        var path = Path.Combine(Path.GetTempPath(), $"pm-mlp-bn-{Guid.NewGuid():N}.pmm");
        try
        {
            ModelFile.Save(pipeline, path).OrThrow();
            var (loaded, _) = ModelFile.Load(path).OrThrow();
            Assert.Equal(pipeline, loaded);
            Assert.Equal(bn, ((MlpRegressorModel)loaded.Learner.Model).BatchNorm);
            Assert.Equal(before.Mean, loaded.Predict(x).OrThrow().Mean);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Prediction is evaluation mode: the same rows predicted one at a time and all together give the same values (training
    /// mode would normalise a single row to beta).</summary>
    [Fact]
    public void MlpWithBatchNorm_PredictsEachRowIndependentlyOfItsBatch()
    {
        var c = new RngCursor(Rng.FromSeed(3));
        var x = Matrix.Build(120, 4, (_, _) => c.NextDouble() * 2 - 1);
        var y = Enumerable.Range(0, 120).Select(i => Math.Sin(2 * x[i, 0]) + x[i, 1] * x[i, 2]).ToArray();
        foreach (var dtype in new[] { MlpDtype.Float64, MlpDtype.Float32 })
        {
            var m = MlpRegressor.Fit(new MlpRegressorOptions { HiddenLayerSizes = [12], BatchNorm = true, MaxIter = 100, LearningRateInit = 0.01, Dtype = dtype }, x, y, Rng.FromSeed(1)).OrThrow();
            var all = MlpRegressor.Predict(m, x);
            for (var i = 0; i < 5; i++) Assert.Equal(all[i], MlpRegressor.Predict(m, x.SelectRows([i]))[0], 1e-12);
            Assert.True(m.LossCurve[^1] < m.LossCurve[0] / 2, $"{dtype}: loss {m.LossCurve[0]} -> {m.LossCurve[^1]}");
        }
    }

    [Fact]
    public void BatchNormParameters_OutOfRange_AreProblems()
    {
        var x = Matrix.Build(10, 2, (i, j) => i + j);
        var y = Enumerable.Range(0, 10).Select(i => (double)i).ToArray();
        var problems = MlpRegressor.Fit(new MlpRegressorOptions { BatchNorm = true, BatchNormMomentum = 1.5, BatchNormEpsilon = 0 }, x, y, Rng.FromSeed(1)).Problems();
        Assert.Contains(problems, p => p.Code == "param.out_of_range" && p.Message.StartsWith("batch_norm_momentum = 1.5"));
        Assert.Contains(problems, p => p.Code == "param.out_of_range" && p.Message.StartsWith("batch_norm_eps = 0"));
    }

    /// <summary>The same tiny network (5-6-4-1, batch norm after both hidden layers' x W + b) trained in PyTorch 1.13 and here from the
    /// same initial weights: plain SGD (lr 0.1), batches of 8, 8, 4 rows in row order, 3 epochs, alpha 1e-3
    /// (<c>tools/reference/torch_mlp_batchnorm.py</c>, <c>Reference/torch-1.13/mlp_batchnorm.json</c>). Compared: the loss curve, every
    /// weight, bias, gamma, beta, running mean and variance, and eval-mode predictions of the training rows and 5 new rows. Tolerance
    /// |ours - torch| &lt;= tol (1 + |torch|): float64 1e-14 (the two libraries sum in different orders, ~1e-16 per operation; observed
    /// 4.0e-16), float32 2e-6 (float32 rounds at 6e-8 and PyTorch's kernels sum in other orders; observed 1.5e-7).</summary>
    [Fact]
    public void MlpWithBatchNorm_TrainsAsPyTorch_FromTheSameWeights()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "torch-1.13", "mlp_batchnorm.json")));
        static double[] V(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        static double[][] M(JsonElement e) => e.EnumerateArray().Select(V).ToArray();
        static double[] Flat(JsonElement e) => e.EnumerateArray().SelectMany(V).ToArray();
        var configs = doc.RootElement.GetProperty("configs").EnumerateArray().ToArray();
        Assert.Equal(2, configs.Length);
        foreach (var c in configs)
        {
            var float32 = c.GetProperty("dtype").GetString() == "float32";
            var tol = float32 ? 2e-6 : 1e-14;
            var xRows = M(c.GetProperty("x"));
            var x = Matrix.Build(xRows.Length, 5, (i, j) => xRows[i][j]);
            var xNewRows = M(c.GetProperty("x_new"));
            var xNew = Matrix.Build(xNewRows.Length, 5, (i, j) => xNewRows[i][j]);
            var options = new MlpRegressorOptions
            {
                HiddenLayerSizes = [6, 4], Activation = c.GetProperty("activation").GetString() == "relu" ? MlpActivation.Relu : MlpActivation.Tanh,
                Solver = MlpSolver.Sgd, Momentum = 0, NesterovsMomentum = false, LearningRateInit = 0.1, Alpha = 1e-3, BatchSize = 8, MaxIter = 3,
                Tol = 0, NIterNoChange = 100, Shuffle = false, ClipInputs = false, BatchNorm = true, Dtype = float32 ? MlpDtype.Float32 : MlpDtype.Float64,
            };
            var m = MlpRegressor.FitFrom(options, x, V(c.GetProperty("y")), c.GetProperty("coefs_init").EnumerateArray().Select(Flat).ToArray(),
                M(c.GetProperty("intercepts_init")), Rng.FromSeed(0)).OrThrow();
            var worst = 0.0;
            void Close(string what, IEnumerable<double> ours, double[] torch)
            {
                var o = ours.ToArray();
                Assert.Equal(torch.Length, o.Length);
                for (var i = 0; i < o.Length; i++)
                {
                    var err = Math.Abs(o[i] - torch[i]) / (1 + Math.Abs(torch[i]));
                    worst = Math.Max(worst, err);
                    Assert.True(err <= tol, $"{c.GetProperty("name").GetString()} {what}[{i}]: ours {o[i]:R}, torch {torch[i]:R}");
                }
            }
            Close("loss_curve", m.LossCurve, V(c.GetProperty("loss_curve")));
            var bn = m.BatchNorm!;
            for (var l = 0; l < 3; l++)
            {
                Close($"coefs[{l}]", m.Coefs[l].Data.ToArray(), Flat(c.GetProperty("coefs")[l]));
                Close($"intercepts[{l}]", m.Intercepts[l], V(c.GetProperty("intercepts")[l]));
            }
            for (var l = 0; l < 2; l++)
            {
                Close($"gamma[{l}]", bn.Gamma[l], V(c.GetProperty("gamma")[l]));
                Close($"beta[{l}]", bn.Beta[l], V(c.GetProperty("beta")[l]));
                Close($"running_mean[{l}]", bn.RunningMean[l], V(c.GetProperty("running_mean")[l]));
                Close($"running_var[{l}]", bn.RunningVariance[l], V(c.GetProperty("running_var")[l]));
            }
            Close("predict_train", MlpRegressor.Predict(m, x), V(c.GetProperty("predict_train")));
            Close("predict_new", MlpRegressor.Predict(m, xNew), V(c.GetProperty("predict_new")));
            Console.WriteLine($"{c.GetProperty("name").GetString()}: largest |ours - torch| / (1 + |torch|) = {worst:E2}");
        }
    }
}
