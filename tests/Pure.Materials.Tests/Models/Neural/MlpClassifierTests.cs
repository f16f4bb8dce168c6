using System.Text.Json;
using Pure.Materials.Core;
using Pure.Materials.Models.Neural;
using Xunit;
using static Pure.Materials.Tests.Models.Neural.SklearnMlpReference;

namespace Pure.Materials.Tests.Models.Neural;

/// <summary>MLPClassifier against scikit-learn 1.2.1 (tools/reference/sklearn_mlp_classifier.py): from scikit-learn's own initial
/// weights (and, with early stopping, its own train_test_split), with shuffle=False, on real data (300 expt_is_metal rows with 8
/// Magpie columns, two classes; 288 expt_gap rows with 6 Magpie columns, three band-gap classes), the loss curve, the stopping
/// epoch, the held-out accuracies, the final weights, predict_proba and predict agree.</summary>
/// <remarks>Tolerances as for the regressor (<see cref="MlpRegressorTests"/>): the two sides differ by rounding (fixed-order GEMM
/// against OpenBLAS), which training can amplify. Observed over the six configurations (adam and sgd with constant, invscaling and
/// adaptive rates; relu, tanh, logistic; two and three classes; stopping by tol and by early stopping): loss curves within 4.1e-16
/// relative, probabilities within 6.7e-16, final weights within 1.4e-15, identical n_iter_, validation scores and labels. Asserted: loss 1e-10 relative for every epoch, probabilities and final weights
/// 1e-6 absolute (the bound for predictions), the same n_iter_, validation scores and labels.</remarks>
public class MlpClassifierTests
{
    private static readonly JsonDocument Reference = SklearnMlpReference.Load("mlp_classifier.json");

    public static TheoryData<string> Configs() => ["binary_adam_relu", "binary_sgd_logistic_nesterov", "binary_adam_tanh_early_stopping",
        "multi_adam_tanh_stops", "multi_sgd_relu_adaptive", "multi_adam_relu_early_stopping"];

    [Theory]
    [MemberData(nameof(Configs))]
    public void FromScikitLearnsInitialWeights_TrainingMatches_EpochByEpoch(string name)
    {
        var root = Reference.RootElement;
        var c = root.GetProperty("configs").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var data = root.GetProperty(c.GetProperty("data").GetString()!);
        var x = Matrix.FromRows(Arrays(data.GetProperty("X")));
        var y = data.GetProperty("y").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var options = new MlpClassifierOptions { Network = Options(c.GetProperty("params")) };
        var coefs = c.GetProperty("init_coefs").EnumerateArray().Select(Flat).ToArray();
        var intercepts = Arrays(c.GetProperty("init_intercepts"));
        (int[], int[])? split = c.GetProperty("split").ValueKind == JsonValueKind.Null ? null
            : (c.GetProperty("split").GetProperty("train").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
               c.GetProperty("split").GetProperty("held").EnumerateArray().Select(v => v.GetInt32()).ToArray());
        var model = MlpClassifier.FitFrom(options, x, y, coefs, intercepts, Rng.FromSeed(0), split).OrThrow();

        var loss = c.GetProperty("loss_curve").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(c.GetProperty("n_iter").GetInt32(), model.NIter);
        Assert.Equal(loss.Length, model.LossCurve.Count);
        var worstLoss = loss.Select((l, e) => Math.Abs(model.LossCurve[e] - l) / Math.Abs(l)).Max();
        Assert.True(worstLoss < 1e-10, $"loss curve differs by {worstLoss:E2} relative");
        if (c.GetProperty("validation_scores").ValueKind == JsonValueKind.Null)
        {
            Assert.Empty(model.ValidationScores);
            Assert.Equal(c.GetProperty("best_loss").GetDouble(), model.BestLoss, 1e-10 * Math.Abs(model.BestLoss));
        }
        else
        {
            Assert.Equal(c.GetProperty("validation_scores").EnumerateArray().Select(v => v.GetDouble()), model.ValidationScores);
            Assert.True(double.IsNaN(model.BestLoss));
        }

        var proba = Arrays(c.GetProperty("proba"));
        var ours = MlpClassifier.PredictProba(model, x);
        Assert.Equal(proba[0].Length, ours.Cols);
        var worst = proba.SelectMany((row, i) => row.Select((p, k) => Math.Abs(ours[i, k] - p))).Max();
        Assert.True(worst < 1e-6, $"probabilities differ by up to {worst:E2}");
        Assert.Equal(c.GetProperty("predict").EnumerateArray().Select(v => v.GetInt32()), MlpClassifier.Predict(model, x));
        var finalCoefs = c.GetProperty("coefs").EnumerateArray().Select(Flat).ToArray();
        var worstWeight = finalCoefs.Select((w, l) => w.Select((v, k) => Math.Abs(model.Coefs[l].Data[k] - v)).Max()).Max();
        Assert.True(worstWeight < 1e-6, $"final weights differ by up to {worstWeight:E2}");
    }

    public static TheoryData<string> DenseConfigs() => ["binary-adam", "binary-sgd-clip-dropout", "multi-adam-early-stopping", "multi-adamw-cosine-dropout-logistic"];

    /// <summary>The classifier trains on the dense-network step; in float64 a fit is the one the autodiff tape (its former path, with
    /// the public optimisers) gives, bit for bit: loss curve (scikit-learn's clipped log-loss plus the L2 term), validation scores,
    /// weights, for two classes (logistic output) and three (softmax), with dropout, clipping, early stopping, sgd and AdamW.</summary>
    [Theory]
    [MemberData(nameof(DenseConfigs))]
    public void DenseStep_GivesTheTapesFit_BitForBit(string kind)
    {
        var c = new RngCursor(Rng.FromSeed(8));
        var x = Matrix.Build(150, 4, (_, _) => c.NextDouble() * 2 - 1);
        var y = kind.StartsWith("binary", StringComparison.Ordinal)
            ? Enumerable.Range(0, 150).Select(i => x[i, 0] * x[i, 1] + 0.3 * x[i, 2] > 0 ? 4 : 1).ToArray()
            : Enumerable.Range(0, 150).Select(i => x[i, 0] + 0.5 * x[i, 1] > 0.3 ? 7 : x[i, 0] - x[i, 3] < -0.2 ? 2 : 5).ToArray();
        var o = new MlpRegressorOptions { HiddenLayerSizes = [12, 6], MaxIter = 30, BatchSize = 40, LearningRateInit = 0.01 };
        o = kind switch
        {
            "binary-sgd-clip-dropout" => o with { Solver = MlpSolver.Sgd, LearningRateInit = 0.1, MaxGradNorm = 0.5, Dropout = 0.2 },
            "multi-adam-early-stopping" => o with { EarlyStopping = true, Activation = MlpActivation.Tanh, Alpha = 1e-3 },
            "multi-adamw-cosine-dropout-logistic" => o with { WeightDecay = 0.01, LrSchedule = MlpLrSchedule.Cosine, Dropout = 0.1, Activation = MlpActivation.Logistic, Alpha = 0 },
            _ => o,
        };
        var options = new MlpClassifierOptions { Network = o };
        var dense = MlpClassifier.Fit(options, x, y, Rng.FromSeed(5)).OrThrow();
        var tape = MlpClassifier.FitOnTape(options, x, y, Rng.FromSeed(5)).OrThrow();
        Assert.True(dense.NIter >= 5);
        Assert.Equal(tape.LossCurve.Select(BitConverter.DoubleToInt64Bits), dense.LossCurve.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(tape.ValidationScores.Select(BitConverter.DoubleToInt64Bits), dense.ValidationScores.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(BitConverter.DoubleToInt64Bits(tape.BestLoss), BitConverter.DoubleToInt64Bits(dense.BestLoss));
        for (var l = 0; l < dense.Coefs.Count; l++)
        {
            Assert.Equal(tape.Coefs[l].Data.ToArray().Select(BitConverter.DoubleToInt64Bits), dense.Coefs[l].Data.ToArray().Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(tape.Intercepts[l].ToArray().Select(BitConverter.DoubleToInt64Bits), dense.Intercepts[l].ToArray().Select(BitConverter.DoubleToInt64Bits));
        }
    }

    /// <summary>dtype=float32 trains the classifier in single precision: the same seed gives the same model, the weights are float32
    /// values (stored exactly as float64), and it learns as float64 does from the same start: loss curves apart by rounding only
    /// (1e-3 relative over 40 epochs of Adam, where float32's 6e-8 per operation compounds), training accuracy within 0.02.</summary>
    [Fact]
    public void Float32_IsReproducible_StoresFloat32Weights_AndLearnsAsFloat64Does()
    {
        var c = new RngCursor(Rng.FromSeed(3));
        var x = Matrix.Build(300, 3, (_, _) => c.NextDouble() * 2 - 1);
        var y = Enumerable.Range(0, 300).Select(i => x[i, 0] + 0.5 * x[i, 1] > 0.3 ? 7 : x[i, 0] - x[i, 2] < -0.2 ? 2 : 5).ToArray();
        var o = new MlpRegressorOptions { HiddenLayerSizes = [16], MaxIter = 40, LearningRateInit = 0.01, Tol = 0, NIterNoChange = 40, Dtype = MlpDtype.Float32 };
        var options = new MlpClassifierOptions { Network = o };
        var a = MlpClassifier.Fit(options, x, y, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(a, MlpClassifier.Fit(options, x, y, Rng.FromSeed(1)).OrThrow());
        Assert.All(a.Coefs.SelectMany(m => m.Data.ToArray()).Concat(a.Intercepts.SelectMany(b => b.ToArray())), v => Assert.Equal(v, (double)(float)v));
        var d = MlpClassifier.Fit(options with { Network = o with { Dtype = MlpDtype.Float64 } }, x, y, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(d.NIter, a.NIter);
        for (var e = 0; e < a.LossCurve.Count; e++)
            Assert.True(Math.Abs(a.LossCurve[e] - d.LossCurve[e]) <= 1e-3 * d.LossCurve[e], $"epoch {e + 1}: {a.LossCurve[e]} vs {d.LossCurve[e]}");
        double Accuracy(MlpClassifierModel m) => MlpClassifier.Predict(m, x).Where((v, i) => v == y[i]).Count() / 300.0;
        Assert.True(Accuracy(a) > 0.9, $"float32 training accuracy {Accuracy(a)}");
        Assert.True(Math.Abs(Accuracy(a) - Accuracy(d)) <= 0.02, $"float32 {Accuracy(a)} vs float64 {Accuracy(d)}");
    }

    [Fact]
    public void SameSeed_SameModel_LearnsThreeClasses_AndEarlyStoppingKeepsTheBestAccuracy()
    {
        var c = new RngCursor(Rng.FromSeed(3));
        var x = Matrix.Build(300, 3, (_, _) => c.NextDouble() * 2 - 1);
        var y = Enumerable.Range(0, 300).Select(i => x[i, 0] + 0.5 * x[i, 1] > 0.3 ? 7 : x[i, 0] - x[i, 2] < -0.2 ? 2 : 5).ToArray();
        var options = new MlpClassifierOptions { Network = new MlpRegressorOptions { HiddenLayerSizes = [16], MaxIter = 300, LearningRateInit = 0.01, EarlyStopping = true } };
        var a = MlpClassifier.Fit(options, x, y, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(a, MlpClassifier.Fit(options, x, y, Rng.FromSeed(1)).OrThrow());
        Assert.NotEqual(a, MlpClassifier.Fit(options, x, y, Rng.FromSeed(2)).OrThrow());
        Assert.Equal([2, 5, 7], a.Classes);
        var accuracy = MlpClassifier.Predict(a, x).Where((v, i) => v == y[i]).Count() / 300.0;
        Assert.True(accuracy > 0.9, $"training accuracy {accuracy}");
        var proba = MlpClassifier.PredictProba(a, x);
        for (var i = 0; i < x.Rows; i++) Assert.Equal(1.0, proba.Row(i).ToArray().Sum(), 1e-12);
        Assert.Equal(a.NIter, a.ValidationScores.Count);
        Assert.True(a.ValidationScores.Max() >= a.ValidationScores[^1]);
    }

    [Fact]
    public void FitWatching_GivesTheSameModel_AndAHeldOutLossPerEpoch()
    {
        var c = new RngCursor(Rng.FromSeed(4));
        var x = Matrix.Build(200, 2, (_, _) => c.NextDouble() * 2 - 1);
        var y = Enumerable.Range(0, 200).Select(i => x[i, 0] * x[i, 1] > 0 ? 1 : 0).ToArray();
        var held = Matrix.Build(50, 2, (_, _) => c.NextDouble() * 2 - 1);
        var yHeld = Enumerable.Range(0, 50).Select(i => held[i, 0] * held[i, 1] > 0 ? 1 : 0).ToArray();
        var options = new MlpClassifierOptions { Network = new MlpRegressorOptions { HiddenLayerSizes = [8], MaxIter = 50, Dropout = 0.1 } };
        var (model, heldLoss) = MlpClassifier.FitWatching(options, x, y, held, yHeld, Rng.FromSeed(9)).OrThrow();
        Assert.Equal(MlpClassifier.Fit(options, x, y, Rng.FromSeed(9)).OrThrow(), model);
        Assert.Equal(model.NIter, heldLoss.Count);
        // The last held-out loss is the mean log-loss of the final model's probabilities.
        var p = MlpClassifier.PredictProba(model, held);
        var expected = -Enumerable.Range(0, 50).Average(i => Math.Log(p[i, yHeld[i]]));
        Assert.Equal(expected, heldLoss[^1], 1e-12);
    }

    [Fact]
    public void BadOptionsAndData_AreProblems()
    {
        var x = Matrix.Build(6, 2, (i, j) => i + j);
        int[] y = [0, 1, 0, 1, 0, 1];
        var bad = MlpClassifier.Fit(new MlpClassifierOptions { Network = new MlpRegressorOptions { HiddenLayerSizes = [0], Alpha = -1, Loss = MlpLoss.Huber } }, x, y, Rng.FromSeed(0));
        Assert.Equal(2, bad.Problems().Count(p => p.Code == "param.out_of_range"));
        Assert.Contains(bad.Problems(), p => p.Code == "param.not_applicable");
        Assert.Equal("data.single_class", Assert.Single(MlpClassifier.Fit(new MlpClassifierOptions(), x, [3, 3, 3, 3, 3, 3], Rng.FromSeed(0)).Problems()).Code);
        Assert.Equal("shape.rows_mismatch", Assert.Single(MlpClassifier.Fit(new MlpClassifierOptions(), x, [0, 1], Rng.FromSeed(0)).Problems()).Code);
    }
}
