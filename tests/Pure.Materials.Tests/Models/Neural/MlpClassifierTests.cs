using System.Text.Json;
using Pure.Materials.Core;
using Pure.Materials.Models.Neural;
using Xunit;

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
    private static readonly JsonDocument Reference = JsonDocument.Parse(File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", "mlp_classifier.json")));

    private static double[][] Arrays(JsonElement e) => e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    private static double[] Flat(JsonElement matrix) => matrix.EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();

    public static TheoryData<string> Configs() => ["binary_adam_relu", "binary_sgd_logistic_nesterov", "binary_adam_tanh_early_stopping",
        "multi_adam_tanh_stops", "multi_sgd_relu_adaptive", "multi_adam_relu_early_stopping"];

    private static MlpClassifierOptions Options(JsonElement p) => new()
    {
        Network = new MlpRegressorOptions
        {
            HiddenLayerSizes = p.GetProperty("hidden_layer_sizes").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
            Activation = p.GetProperty("activation").GetString() switch { "relu" => MlpActivation.Relu, "tanh" => MlpActivation.Tanh, "logistic" => MlpActivation.Logistic, _ => MlpActivation.Identity },
            Solver = p.GetProperty("solver").GetString() == "adam" ? MlpSolver.Adam : MlpSolver.Sgd,
            Alpha = p.GetProperty("alpha").GetDouble(),
            BatchSize = p.GetProperty("batch_size").GetInt32(),
            LearningRateInit = p.GetProperty("learning_rate_init").GetDouble(),
            MaxIter = p.GetProperty("max_iter").GetInt32(),
            Tol = p.GetProperty("tol").GetDouble(),
            NIterNoChange = p.GetProperty("n_iter_no_change").GetInt32(),
            Momentum = p.TryGetProperty("momentum", out var m) ? m.GetDouble() : 0.9,
            NesterovsMomentum = !p.TryGetProperty("nesterovs_momentum", out var n) || n.GetBoolean(),
            LearningRate = p.TryGetProperty("learning_rate", out var lr) ? lr.GetString() switch { "invscaling" => MlpLearningRate.InvScaling, "adaptive" => MlpLearningRate.Adaptive, _ => MlpLearningRate.Constant } : MlpLearningRate.Constant,
            PowerT = p.TryGetProperty("power_t", out var pt) ? pt.GetDouble() : 0.5,
            EarlyStopping = p.TryGetProperty("early_stopping", out var es) && es.GetBoolean(),
            ValidationFraction = p.TryGetProperty("validation_fraction", out var vf) ? vf.GetDouble() : 0.1,
            Shuffle = false,
            ClipInputs = false,
        },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void FromScikitLearnsInitialWeights_TrainingMatches_EpochByEpoch(string name)
    {
        var root = Reference.RootElement;
        var c = root.GetProperty("configs").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var data = root.GetProperty(c.GetProperty("data").GetString()!);
        var x = Matrix.FromRows(Arrays(data.GetProperty("X")));
        var y = data.GetProperty("y").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var options = Options(c.GetProperty("params"));
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
        // float32 is the regressor's dense step; the classifier trains in float64 on the tape and says so.
        var float32 = MlpClassifier.Fit(new MlpClassifierOptions { Network = new MlpRegressorOptions { Dtype = MlpDtype.Float32 } }, x, y, Rng.FromSeed(0));
        Assert.Contains("dtype", Assert.Single(float32.Problems(), p => p.Code == "param.not_applicable").Message);
        Assert.Equal("data.single_class", Assert.Single(MlpClassifier.Fit(new MlpClassifierOptions(), x, [3, 3, 3, 3, 3, 3], Rng.FromSeed(0)).Problems()).Code);
        Assert.Equal("shape.rows_mismatch", Assert.Single(MlpClassifier.Fit(new MlpClassifierOptions(), x, [0, 1], Rng.FromSeed(0)).Problems()).Code);
    }
}
