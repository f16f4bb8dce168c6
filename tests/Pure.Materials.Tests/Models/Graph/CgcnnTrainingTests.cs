using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;
using Pure.Materials.Models.Graph;
using Pure.Materials.Structures;
using Xunit;
using Xunit.Abstractions;

namespace Pure.Materials.Tests.Models.Graph;

/// <summary>CGCNN training: whole-network gradients against central differences, determinism, a loss that falls, the
/// classification head, option problems. Crystals: the COD CIFs of Reference/cod-cgcnn.</summary>
public sealed class CgcnnTrainingTests(ITestOutputHelper output)
{
    private static string Dir(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Reference", "cod-cgcnn", .. parts]);

    private static readonly Lazy<AtomFeatures> Atoms = new(() => AtomFeatures.Parse(File.ReadAllText(Dir("atom_init.json"))).OrThrow());

    private static readonly string[] Ids = ["1000041", "1000050", "1101051", "1507756", "7206075", "9000046", "9009743", "9011050", "9011998", "9012304"];

    private static CrystalGraph Graph(string id, CrystalGraphOptions? options = null) =>
        CrystalGraphs.Build(options ?? new CrystalGraphOptions(), Atoms.Value, Cif.Read(File.ReadAllText(Dir(id + ".cif")), id + ".cif").OrThrow()).OrThrow();

    /// <summary>The published model's predictions of the ten CIFs (eV/atom), used as training targets.</summary>
    private static Dictionary<string, double> Targets() =>
        File.ReadAllLines(Dir("formation_energy_predictions_pytorch.csv")).Where(l => l.Length > 0).Select(l => l.Split(','))
            .ToDictionary(p => p[0], p => double.Parse(p[2], CultureInfo.InvariantCulture));

    private static readonly CgcnnOptions Tiny = new() { AtomFeaLen = 3, HFeaLen = 4, NConv = 2, NH = 2 };

    [Theory]
    [InlineData(CgcnnTask.Regression)]
    [InlineData(CgcnnTask.Classification)]
    public void Gradients_WholeNetworkTrainingMode_MatchCentralDifferencesInFloat64(CgcnnTask task)
    {
        // Three small crystals, 4 neighbours within 6 A, 31 Gaussians: every parameter group, batch norm with batch statistics.
        var graphOptions = new CrystalGraphOptions(Radius: 6, MaxNeighbors: 4);
        var batch = CrystalGraphBatch.Join([Graph("9012304", graphOptions), Graph("9011050", graphOptions), Graph("1000041", graphOptions)]);
        var options = Tiny with { Task = task };
        // Random weights and running statistics away from their initial values, so no gradient is trivially zero.
        var model = Cgcnn.Initialise(options, batch.NodeFeatureLength, batch.EdgeFeatureLength, Rng.FromSeed(7));
        var cursor = new RngCursor(Rng.FromSeed(8));
        model = Cgcnn.WithParameters(model, Cgcnn.Parameters(model).Select(a => a.Select(x => x + 0.3 * (cursor.NextDouble() - 0.5)).ToArray()).ToArray());
        double[] y = task == CgcnnTask.Regression ? [0.4, -1.2, 0.9] : [1, 0, 1];
        double Loss(CgcnnModel m, out CgcnnTrainingPass pass)
        {
            var tape = new Tape();
            pass = Cgcnn.ForwardTraining(tape, m, batch, DType.Float64, dropout: 0, Rng.FromSeed(1));
            var loss = task == CgcnnTask.Regression
                ? Ops.MseLoss(pass.Output, tape.Constant(Tensor.From(y, 3, 1)))
                : Ops.CrossEntropyLoss(pass.Output, y.Select(v => (int)v).ToArray());
            return loss.Value.Single;
        }
        var tape0 = new Tape();
        var pass0 = Cgcnn.ForwardTraining(tape0, model, batch, DType.Float64, 0, Rng.FromSeed(1));
        var loss0 = task == CgcnnTask.Regression
            ? Ops.MseLoss(pass0.Output, tape0.Constant(Tensor.From(y, 3, 1)))
            : Ops.CrossEntropyLoss(pass0.Output, y.Select(v => (int)v).ToArray());
        var grads = tape0.Backward(loss0);
        var names = Cgcnn.ParameterNames(model);
        var values = Cgcnn.Parameters(model);
        Assert.Equal(names.Count, pass0.Parameters.Count);
        Assert.Equal(2 + 6 * 2 + 2 + 2 + 2, names.Count);
        const double h = 1e-6;
        var worst = 0.0;
        for (var k = 0; k < names.Count; k++)
        {
            var analytic = grads.Of(pass0.Parameters[k]).ToArray();
            Assert.Equal(values[k].Length, analytic.Length);
            var groupWorst = 0.0;
            var nonzero = false;
            for (var i = 0; i < values[k].Length; i++)
            {
                var plus = values.Select(a => (double[])a.Clone()).ToArray();
                var minus = values.Select(a => (double[])a.Clone()).ToArray();
                plus[k][i] += h;
                minus[k][i] -= h;
                var numeric = (Loss(Cgcnn.WithParameters(model, plus), out _) - Loss(Cgcnn.WithParameters(model, minus), out _)) / (2 * h);
                var err = Math.Abs(numeric - analytic[i]) / (1 + Math.Abs(numeric));
                groupWorst = Math.Max(groupWorst, err);
                nonzero |= Math.Abs(analytic[i]) > 1e-8;
                Assert.True(err < 1e-6, $"{names[k]}[{i}]: tape {analytic[i]:R}, central difference {numeric:R}");
            }
            // fc_full's bias feeds bn1 in training mode, which subtracts the batch mean: its gradient is zero (as PyTorch's);
            // every other group moves the loss.
            if (names[k].EndsWith("fc_full.bias", StringComparison.Ordinal)) Assert.All(analytic, g => Assert.True(Math.Abs(g) < 1e-12));
            else Assert.True(nonzero, $"{names[k]}: every gradient is zero");
            worst = Math.Max(worst, groupWorst);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{task} {names[k],-22} {values[k].Length,4} values, max rel. error {groupWorst:E2}"));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{task}: worst {worst:E2}"));
        // The running statistics move by PyTorch's rule: (1 - 0.1) running + 0.1 batch (unbiased variance).
        var updated = Cgcnn.WithRunningStatistics(model, pass0, 0.1);
        var bn1 = updated.Convs[0].Bn1;
        for (var j = 0; j < bn1.Width; j++)
        {
            Assert.Equal(0.9 * model.Convs[0].Bn1.RunningMean[j] + 0.1 * pass0.BatchMeans[0][j], bn1.RunningMean[j], 15);
            Assert.Equal(0.9 * model.Convs[0].Bn1.RunningVariance[j] + 0.1 * pass0.BatchVariances[0][j], bn1.RunningVariance[j], 15);
        }
    }

    /// <summary>Three SGD steps (lr 0.01, momentum 0.9) of the original PyTorch code in float64 on one batch of the ten CIFs, training-mode
    /// batch norm, from its own initial weights (tools/reference/torch_cgcnn_train_steps.py -> torch_train_steps.json): the losses,
    /// every weight and every running statistic after the steps agree. The batch's crystal order differs (Fit shuffles), so sums
    /// differ in rounding only.</summary>
    [Fact]
    public void ThreeSgdSteps_MatchTheOriginalPyTorchCode() =>
        StepsMatchPyTorch("torch_train_steps.json", new CgcnnOptions());

    /// <summary>Three Adam steps (lr 0.01, coupled weight_decay 0.001, PyTorch's ε placement) on the L1 loss of the normalised targets
    /// (loss=absolute_error, PyTorch's <c>nn.L1Loss</c>), same network and batch (tools/reference/torch_cgcnn_train_steps.py ... adam-l1
    /// -> torch_train_steps_adam_l1.json): losses, weights and running statistics agree as for SGD.</summary>
    [Fact]
    public void ThreeAdamStepsOnTheL1Loss_MatchTheOriginalPyTorchCode() =>
        StepsMatchPyTorch("torch_train_steps_adam_l1.json",
            new CgcnnOptions { Optim = CgcnnOptimizer.Adam, Lr = 0.01, WeightDecay = 0.001, Loss = Pure.Materials.Models.Neural.MlpLoss.AbsoluteError });

    /// <summary>Three SGD steps (lr 0.01, momentum 0.9, weight_decay 0.001) with MultiStepLR(milestones [2], gamma 0.1) on one batch per
    /// epoch: the third step runs at lr 0.001 on PyTorch's gradient buffer (tools/reference/torch_cgcnn_train_steps.py ... sgd-milestone
    /// -> torch_train_steps_sgd_milestone.json). A velocity scaled by the old rate would differ here.</summary>
    [Fact]
    public void SgdStepsAcrossAMilestone_MatchTheOriginalPyTorchCode() =>
        StepsMatchPyTorch("torch_train_steps_sgd_milestone.json", new CgcnnOptions { WeightDecay = 0.001, LrMilestones = [2] });

    /// <summary>Three SGD steps of CGCNN's classifier (2 outputs, log-softmax, NLLLoss; its dropout's p set to 0 on both sides, since a
    /// random mask cannot be replayed across frameworks) on labels target &gt; 5 (tools/reference/torch_cgcnn_train_steps.py ...
    /// classification -> torch_train_steps_classification.json).</summary>
    [Fact]
    public void ClassifierSgdSteps_MatchTheOriginalPyTorchCode() =>
        StepsMatchPyTorch("torch_train_steps_classification.json", new CgcnnOptions { Task = CgcnnTask.Classification, Dropout = 0 });

    private void StepsMatchPyTorch(string file, CgcnnOptions training)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Dir(file)));
        var root = doc.RootElement;
        var initial = Cgcnn.ReadJson(root.GetProperty("initial").GetRawText(), "initial").OrThrow();
        var expected = Cgcnn.ReadJson(root.GetProperty("final").GetRawText(), "final").OrThrow();
        var ids = root.GetProperty("ids").EnumerateArray().Select(x => x.GetString()!).ToArray();
        var y = root.GetProperty("targets").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var losses = root.GetProperty("losses").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(Ids.Order(), ids);
        var options = training with { AtomFeaLen = 8, HFeaLen = 16, NConv = 2, NH = 2, Epochs = 3, BatchSize = 10, ValidationFraction = 0, Dtype = DType.Float64 };
        // The original CIFData stores node and edge features as float32 tensors (torch.Tensor); the script widens them to float64
        // afterwards, so the Gaussians here are rounded to float32 the same way (the one-hot node features are exact either way).
        var graphs = ids.Select(id => Graph(id)).Select(g => g with { EdgeFeatures = g.EdgeFeatures.Select(v => (double)(float)v).ToArray() }).ToArray();
        var fit = Cgcnn.FitFrom(options, initial, graphs, y, Rng.FromSeed(3)).OrThrow();
        Assert.Equal(expected.TargetMean, fit.Model.TargetMean, 14);
        Assert.Equal(expected.TargetStd, fit.Model.TargetStd, 14);
        var worst = 0.0;
        for (var s = 0; s < 3; s++)
        {
            worst = Math.Max(worst, Math.Abs(fit.TrainLoss[s] - losses[s]));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {s}: C# loss {fit.TrainLoss[s]:R}, PyTorch {losses[s]:R}"));
            Assert.Equal(losses[s], fit.TrainLoss[s], 1e-12);
        }
        var names = Cgcnn.ParameterNames(expected);
        var got = Cgcnn.Parameters(fit.Model);
        var want = Cgcnn.Parameters(expected);
        for (var k = 0; k < names.Count; k++)
            for (var i = 0; i < want[k].Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(got[k][i] - want[k][i]));
                Assert.True(Math.Abs(got[k][i] - want[k][i]) <= 1e-12, $"{names[k]}[{i}]: C# {got[k][i]:R}, PyTorch {want[k][i]:R}");
            }
        for (var c = 0; c < expected.Convs.Count; c++)
            foreach (var (a, b) in new[] { (fit.Model.Convs[c].Bn1, expected.Convs[c].Bn1), (fit.Model.Convs[c].Bn2, expected.Convs[c].Bn2) })
                for (var j = 0; j < b.Width; j++)
                {
                    worst = Math.Max(worst, Math.Max(Math.Abs(a.RunningMean[j] - b.RunningMean[j]), Math.Abs(a.RunningVariance[j] - b.RunningVariance[j])));
                    Assert.Equal(b.RunningMean[j], a.RunningMean[j], 1e-12);
                    Assert.Equal(b.RunningVariance[j], a.RunningVariance[j], 1e-12);
                }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"largest |C# - PyTorch| over losses, weights and running statistics: {worst:E2}"));
    }

    /// <summary>The fused gated sum equals Split, Sigmoid, Softplus, Mul and SegmentSum bit for bit, value and input gradient, in
    /// float32 and float64, at a size that runs on several threads (300 sites x 12 neighbours x 2 x 64).</summary>
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void GatedSum_EqualsTheComposedOperations_BitForBit(DType dtype)
    {
        const int n = 300, m = 12, a = 64;
        var c = new RngCursor(Rng.FromSeed(21));
        var data = Enumerable.Range(0, n * m * 2 * a).Select(_ => 8 * c.NextDouble() - 4).ToArray();
        var weights = Enumerable.Range(0, n * a).Select(_ => c.NextDouble() - 0.5).ToArray();
        (double[] Value, double[] Grad) Run(bool fused)
        {
            var tape = new Tape();
            var z = tape.Parameter(Tensor.From(data, n * m, 2 * a).To(dtype));
            Var summed;
            if (fused) summed = Cgcnn.GatedSum(z, n, m, a);
            else
            {
                var halves = Ops.Split(z, [a, a], axis: 1);
                summed = Ops.SegmentSum(Ops.Mul(Ops.Sigmoid(halves[0]), Ops.Softplus(halves[1])), Enumerable.Range(0, n * m).Select(r => r / m).ToArray(), n);
            }
            var loss = Ops.Sum(Ops.Mul(summed, tape.Constant(Tensor.From(weights, n, a).To(dtype))));
            return (summed.Value.ToArray(), tape.Backward(loss).Of(z).ToArray());
        }
        var (v1, g1) = Run(true);
        var (v0, g0) = Run(false);
        Assert.Equal(v0, v1);
        Assert.Equal(g0, g1);
    }

    [Fact]
    public void BundledAtomFeatures_AreCgcnnsAtomInit()
    {
        var bundled = AtomFeatures.Cgcnn;
        Assert.Equal(92, bundled.Length);
        Assert.Equal(Enumerable.Range(1, 100), bundled.AtomicNumbers);
        foreach (var z in Atoms.Value.AtomicNumbers) Assert.Equal(Atoms.Value.Of(z).ToArray(), bundled.Of(z).ToArray());
    }

    [Fact]
    public void BatchVariance_IsUnbiasedOverTheEdgeRows()
    {
        var batch = CrystalGraphBatch.Join([Graph("9012304"), Graph("9011050")]);
        var model = Cgcnn.Initialise(Tiny, batch.NodeFeatureLength, batch.EdgeFeatureLength, Rng.FromSeed(3));
        var tape = new Tape();
        var pass = Cgcnn.ForwardTraining(tape, model, batch, DType.Float64, 0, Rng.FromSeed(1));
        Assert.Equal(4, pass.BatchMeans.Count); // bn1, bn2 of two convolutions
        Assert.Equal(2 * Tiny.AtomFeaLen, pass.BatchMeans[0].Length);
        Assert.Equal(Tiny.AtomFeaLen, pass.BatchMeans[1].Length);
        Assert.True(Enumerable.Range(0, pass.BatchVariances[0].Length).All(j => pass.BatchVariances[0][j] > 0));
    }

    [Fact]
    public void Initialise_FollowsPyTorchBoundsAndIsDeterministic()
    {
        var a = Cgcnn.Initialise(new CgcnnOptions(), 92, 41, Rng.FromSeed(5));
        var b = Cgcnn.Initialise(new CgcnnOptions(), 92, 41, Rng.FromSeed(5));
        Assert.Equal(3, a.Convs.Count);
        Assert.Equal(64, a.Embedding.Out);
        Assert.Equal(128, a.ConvToFc.Out);
        Assert.Empty(a.Hidden);
        Assert.Equal(1, a.Output.Out);
        Assert.Equal((2 * 64, 2 * 64 + 41), (a.Convs[0].Full.Out, a.Convs[0].Full.In));
        var pa = Cgcnn.Parameters(a);
        var pb = Cgcnn.Parameters(b);
        for (var k = 0; k < pa.Count; k++) Assert.Equal(pa[k], pb[k]);
        // nn.Linear: weight and bias on U(-1/sqrt(in), 1/sqrt(in)), spread over most of the interval.
        var bound = 1 / Math.Sqrt(2 * 64 + 41);
        var w = a.Convs[1].Full.Weight;
        Assert.True(w.All(x => Math.Abs(x) <= bound));
        Assert.True(w.Max() > 0.95 * bound && w.Min() < -0.95 * bound);
        Assert.True(a.Convs[1].Full.Bias.All(x => Math.Abs(x) <= bound));
        Assert.True(a.Convs[0].Bn1.Gamma.All(x => x == 1) && a.Convs[0].Bn1.Beta.All(x => x == 0));
        Assert.True(a.Convs[0].Bn2.RunningMean.All(x => x == 0) && a.Convs[0].Bn2.RunningVariance.All(x => x == 1));
        Assert.NotEqual(pa[0], Cgcnn.Parameters(Cgcnn.Initialise(new CgcnnOptions(), 92, 41, Rng.FromSeed(6)))[0]);
        Assert.Equal(2, Cgcnn.Initialise(new CgcnnOptions { Task = CgcnnTask.Classification }, 92, 41, Rng.FromSeed(5)).Output.Out);
    }

    private static (CrystalGraph[] Graphs, double[] Y) TenCrystals()
    {
        var targets = Targets();
        return (Ids.Select(id => Graph(id)).ToArray(), Ids.Select(id => targets[id]).ToArray());
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Fit_SameSeed_SameBits_AndTheLossFalls(DType dtype)
    {
        var (graphs, y) = TenCrystals();
        var options = new CgcnnOptions { AtomFeaLen = 16, HFeaLen = 16, Epochs = 25, BatchSize = 4, ValidationFraction = 0.2, Dtype = dtype };
        var a = Cgcnn.Fit(options, graphs, y, Rng.FromSeed(11)).OrThrow();
        var b = Cgcnn.Fit(options, graphs, y, Rng.FromSeed(11)).OrThrow();
        Assert.Equal(25, a.TrainLoss.Count);
        Assert.Equal(25, a.ValidationScore.Count);
        Assert.Equal(a.TrainLoss, b.TrainLoss);
        Assert.Equal(a.ValidationScore, b.ValidationScore);
        Assert.Equal(a.BestEpoch, b.BestEpoch);
        var pa = Cgcnn.Parameters(a.Model);
        var pb = Cgcnn.Parameters(b.Model);
        for (var k = 0; k < pa.Count; k++) Assert.Equal(pa[k], pb[k]);
        Assert.Equal(a.Model.Convs[2].Bn1.RunningVariance, b.Model.Convs[2].Bn1.RunningVariance);
        output.WriteLine($"{dtype} train loss: {string.Join(" ", a.TrainLoss.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)))}");
        output.WriteLine($"{dtype} validation MAE: {string.Join(" ", a.ValidationScore.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)))}; best epoch {a.BestEpoch}");
        Assert.True(a.TrainLoss[^1] < 0.5 * a.TrainLoss[0], $"train loss {a.TrainLoss[0]} -> {a.TrainLoss[^1]}");
        // The kept model is the best validation epoch's: predicting the held-out crystals reproduces its MAE.
        Assert.Equal(a.ValidationScore.Min(), a.ValidationScore[a.BestEpoch]);
        // Normaliser: mean and unbiased std of the training targets.
        Assert.True(a.Model.TargetStd > 0);
        var other = Cgcnn.Fit(options, graphs, y, Rng.FromSeed(12)).OrThrow();
        Assert.NotEqual(a.TrainLoss, other.TrainLoss);
        var p = Cgcnn.Predict(a.Model, graphs, dtype, batchSize: 3);
        Assert.Equal(Cgcnn.Predict(a.Model, CrystalGraphBatch.Join(graphs), dtype), p);
    }

    [Fact]
    public void Fit_WithoutValidation_KeepsTheLastEpoch_Adam_AndMilestones()
    {
        var (graphs, y) = TenCrystals();
        var options = new CgcnnOptions { AtomFeaLen = 8, HFeaLen = 8, Epochs = 6, BatchSize = 5, ValidationFraction = 0, Optim = CgcnnOptimizer.Adam, Lr = 0.005, LrMilestones = [3], Dtype = DType.Float64 };
        var fit = Cgcnn.Fit(options, graphs, y, Rng.FromSeed(2)).OrThrow();
        Assert.Empty(fit.ValidationScore);
        Assert.Equal(5, fit.BestEpoch);
        Assert.Equal(0.005, Cgcnn.LearningRate(options, 2));
        Assert.Equal(0.005 * 0.1, Cgcnn.LearningRate(options, 3), 1e-18);
        Assert.True(fit.TrainLoss[^1] < fit.TrainLoss[0]);
        var mean = y.Average();
        Assert.Equal(mean, fit.Model.TargetMean, 12);
        Assert.Equal(Math.Sqrt(y.Sum(v => (v - mean) * (v - mean)) / (y.Length - 1)), fit.Model.TargetStd, 12);
    }

    [Fact]
    public void Fit_Patience_StopsEarly_ExplicitValidationSet()
    {
        var (graphs, y) = TenCrystals();
        var options = new CgcnnOptions { AtomFeaLen = 8, HFeaLen = 8, Epochs = 200, BatchSize = 8, Patience = 3, Lr = 0.05, Dtype = DType.Float64 };
        var fit = Cgcnn.Fit(options, graphs[..8], y[..8], graphs[8..], y[8..], Rng.FromSeed(4)).OrThrow();
        Assert.True(fit.TrainLoss.Count < 200, $"{fit.TrainLoss.Count} epochs");
        Assert.Equal(fit.TrainLoss.Count - 1 - 3, fit.BestEpoch);
        var predicted = Cgcnn.Predict(fit.Model, graphs[8..], DType.Float64);
        var mae = predicted.Zip(y[8..], (p, t) => Math.Abs(p - t)).Average();
        Assert.Equal(fit.ValidationScore[fit.BestEpoch], mae, 12);
        // The validation loss, for loss curves, is the training loss's quantity: MSE of the normalised target, the kept epoch's here.
        Assert.Equal(fit.TrainLoss.Count, fit.ValidationLoss.Count);
        var mse = predicted.Zip(y[8..], (p, t) => (p - t) / fit.Model.TargetStd).Select(z => z * z).Average();
        Assert.Equal(mse, fit.ValidationLoss[fit.BestEpoch], 12);
        Assert.Equal((8, 2), (fit.TrainingRows, fit.ValidationRows));
    }

    [Fact]
    public void Classification_TrainsOnTwoClasses_ProbabilitiesSumToOne_AndReadJsonAcceptsTwoOutputs()
    {
        var (graphs, y) = TenCrystals();
        var labels = y.Select(v => v < -1.5 ? 1.0 : 0.0).ToArray();
        Assert.Contains(0.0, labels);
        Assert.Contains(1.0, labels);
        var options = new CgcnnOptions { Task = CgcnnTask.Classification, AtomFeaLen = 8, HFeaLen = 8, Epochs = 30, BatchSize = 5, ValidationFraction = 0 };
        var fit = Cgcnn.Fit(options, graphs, labels, Rng.FromSeed(9)).OrThrow();
        Assert.True(fit.Model.IsClassification);
        Assert.Equal("nll", fit.ValidationMetric);
        Assert.Equal((0.0, 1.0), (fit.Model.TargetMean, fit.Model.TargetStd));
        Assert.True(fit.TrainLoss[^1] < fit.TrainLoss[0], $"{fit.TrainLoss[0]} -> {fit.TrainLoss[^1]}");
        var proba = Cgcnn.PredictProbabilities(fit.Model, graphs, DType.Float32);
        Assert.All(proba, p => Assert.Equal(1.0, p[0] + p[1], 6));
        Assert.Throws<ArgumentException>(() => Cgcnn.Predict(fit.Model, graphs));
        Assert.Equal(Cgcnn.PredictProbabilities(fit.Model, graphs, DType.Float32, batchSize: 4).Select(p => p[1]), proba.Select(p => p[1]));
        var again = Cgcnn.Fit(options, graphs, labels, Rng.FromSeed(9)).OrThrow();
        Assert.Equal(fit.TrainLoss, again.TrainLoss);

        // The published regression model's JSON with fc_out widened to two outputs reads as a classification model.
        var json = JsonNode.Parse(File.ReadAllText(Dir("formation_energy_model.json")))!;
        var tensors = json["tensors"]!.AsObject();
        var h = tensors["fc_out.weight"]!["shape"]![1]!.GetValue<int>();
        tensors["fc_out.weight"] = new JsonObject { ["shape"] = new JsonArray(2, h), ["data"] = new JsonArray(Enumerable.Range(0, 2 * h).Select(i => (JsonNode)JsonValue.Create(0.01 * (i % 7)))!.ToArray()) };
        tensors["fc_out.bias"] = new JsonObject { ["shape"] = new JsonArray(2), ["data"] = new JsonArray(0.1, -0.1) };
        var classifier = Cgcnn.ReadJson(json.ToJsonString()).OrThrow();
        Assert.True(classifier.IsClassification);
        var p2 = Cgcnn.PredictProbabilities(classifier, CrystalGraphBatch.Join(graphs), DType.Float64);
        Assert.All(p2, p => Assert.Equal(1.0, p[0] + p[1], 12));
        tensors["fc_out.weight"] = new JsonObject { ["shape"] = new JsonArray(3, h), ["data"] = new JsonArray(Enumerable.Range(0, 3 * h).Select(_ => (JsonNode)JsonValue.Create(0.0))!.ToArray()) };
        tensors["fc_out.bias"] = new JsonObject { ["shape"] = new JsonArray(3), ["data"] = new JsonArray(0.0, 0.0, 0.0) };
        var three = Cgcnn.ReadJson(json.ToJsonString());
        Assert.True(three.IsFail);
        Assert.Contains("3 outputs", three.Problems().Single().Message);
    }

    /// <summary>loss=absolute_error trains on mean |ŷ - y| of the normalised target: the reported validation loss is the validation
    /// MAE divided by the normaliser's std (both from the same predictions), where squared_error reports the MSE; the weights differ
    /// from the MSE run's and the same seed gives the same bits.</summary>
    [Fact]
    public void AbsoluteErrorLoss_ReportsTheNormalisedMae_AndTrainsDifferently()
    {
        var (graphs, y) = TenCrystals();
        var o = new CgcnnOptions { AtomFeaLen = 8, HFeaLen = 16, NConv = 2, Epochs = 4, BatchSize = 4, ValidationFraction = 0.3, Dtype = DType.Float64,
            Optim = CgcnnOptimizer.Adam, Lr = 0.01, Loss = Pure.Materials.Models.Neural.MlpLoss.AbsoluteError };
        var l1 = Cgcnn.Fit(o, graphs, y, Rng.FromSeed(5)).OrThrow();
        var again = Cgcnn.Fit(o, graphs, y, Rng.FromSeed(5)).OrThrow();
        var mse = Cgcnn.Fit(o with { Loss = Pure.Materials.Models.Neural.MlpLoss.SquaredError }, graphs, y, Rng.FromSeed(5)).OrThrow();
        for (var e = 0; e < l1.ValidationScore.Count; e++)
            Assert.Equal(l1.ValidationScore[e] / l1.Model.TargetStd, l1.ValidationLoss[e], 12);
        Assert.Equal(Cgcnn.Parameters(l1.Model)[0], Cgcnn.Parameters(again.Model)[0]);
        Assert.NotEqual(Cgcnn.Parameters(l1.Model)[0], Cgcnn.Parameters(mse.Model)[0]);
        Assert.NotEqual(l1.TrainLoss[0], mse.TrainLoss[0]);
        Assert.Equal("MAE of the normalised target", l1.LossDescription);
        Assert.Equal("MSE of the normalised target", mse.LossDescription);
    }

    [Fact]
    public void Fit_BadOptionsAndData_AreProblemsNamingTheOption()
    {
        var (graphs, y) = TenCrystals();
        var bad = new CgcnnOptions { Lr = 0, Epochs = 0, BatchSize = 0, Momentum = 1.5, LrMilestones = [0], NConv = 0, ValidationFraction = 1, Dropout = 1 };
        var problems = Cgcnn.Fit(bad, graphs, y, Rng.FromSeed(1)).Problems();
        var names = problems.Select(p => p.Column!).ToArray();
        Assert.All(problems, p => Assert.Equal("param.out_of_range", p.Code));
        Assert.Equal(["n_conv", "lr", "momentum", "lr_milestones", "epochs", "batch_size", "validation_fraction", "dropout"], names);
        Assert.Contains("lr = 0 is outside (0, inf)", problems[1].Message);
        var lossProblems = Cgcnn.Fit(new CgcnnOptions { HuberDelta = 0, Task = CgcnnTask.Classification, Loss = Pure.Materials.Models.Neural.MlpLoss.Huber },
            graphs, y.Select(v => v > 5 ? 1.0 : 0.0).ToArray(), Rng.FromSeed(1)).Problems();
        Assert.Equal(["loss", "huber_delta"], lossProblems.Select(p => p.Column!).ToArray());

        Assert.Equal("shape.rows_mismatch", Cgcnn.Fit(new CgcnnOptions(), graphs, y[..9], Rng.FromSeed(1)).Problems().Single().Code);
        var nan = (double[])y.Clone();
        nan[3] = double.NaN;
        var p1 = Cgcnn.Fit(new CgcnnOptions(), graphs, nan, Rng.FromSeed(1)).Problems().Single();
        Assert.Equal(("target.not_finite", 4), (p1.Code, p1.Row!.Value));
        var label = Cgcnn.Fit(new CgcnnOptions { Task = CgcnnTask.Classification }, graphs, y, Rng.FromSeed(1)).Problems();
        Assert.Equal("target.invalid_label", label[0].Code);
        Assert.Equal("target.constant", Cgcnn.Fit(new CgcnnOptions(), graphs, y.Select(_ => 1.0).ToArray(), Rng.FromSeed(1)).Problems().Single().Code);
        Assert.Equal("cgcnn.too_few_graphs", Cgcnn.Fit(new CgcnnOptions(), graphs[..1], y[..1], Rng.FromSeed(1)).Problems().Single().Code);
        var mixed = graphs.ToArray();
        mixed[2] = Graph(Ids[2], new CrystalGraphOptions(MaxNeighbors: 8));
        var m = Cgcnn.Fit(new CgcnnOptions(), mixed, y, Rng.FromSeed(1)).Problems().Single();
        Assert.Equal(("cgcnn.graph_mismatch", 3), (m.Code, m.Row!.Value));
    }
}
