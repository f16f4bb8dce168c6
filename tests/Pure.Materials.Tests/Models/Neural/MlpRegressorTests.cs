using System.Text.Json;
using Pure.Materials.Core;
using Pure.Materials.Models.Neural;
using Xunit;
using static Pure.Materials.Tests.Models.Neural.SklearnMlpReference;

namespace Pure.Materials.Tests.Models.Neural;

/// <summary>MLPRegressor against scikit-learn 1.2.1: from scikit-learn's own initial weights, with shuffle=False, the loss curve,
/// the stopping epoch, the final weights and the predictions agree (tools/reference/sklearn_mlp.py).</summary>
/// <remarks>Tolerances: the two sides sum matrix products in different orders (our fixed-order GEMM, numpy's OpenBLAS), so they
/// differ by rounding from the first step, about 1e-16 relative, which training can amplify. Observed over the four
/// configurations (adam and sgd; relu, tanh, logistic, identity; invscaling and adaptive schedules; stops by tol): loss curves
/// within 6.1e-16 relative, predictions within 1.6e-15, final weights within 2.9e-16, the same n_iter_. Asserted: 1e-10
/// relative (loss) and 1e-9 absolute (predictions, weights), far above that rounding and far below any semantic difference
/// (a wrong L2 factor, Adam bias correction or stopping rule moves the loss by 1e-4 or more).</remarks>
public class MlpRegressorTests
{
    private static readonly JsonDocument Reference = SklearnMlpReference.Load("mlp_regressor.json");

    public static TheoryData<string> Configs() => ["adam_relu", "adam_tanh_stops", "sgd_logistic_nesterov", "sgd_identity_adaptive"];

    [Theory]
    [MemberData(nameof(Configs))]
    public void FromScikitLearnsInitialWeights_TrainingMatches_EpochByEpoch(string name)
    {
        var root = Reference.RootElement;
        var xs = Arrays(root.GetProperty("X"));
        var x = Matrix.FromRows(xs);
        var y = root.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var c = root.GetProperty("configs").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var options = Options(c.GetProperty("params"));
        var coefs = c.GetProperty("init_coefs").EnumerateArray().Select(Flat).ToArray();
        var intercepts = Arrays(c.GetProperty("init_intercepts"));
        var model = MlpRegressor.FitFrom(options, x, y, coefs, intercepts, Rng.FromSeed(0)).OrThrow();

        var loss = c.GetProperty("loss_curve").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(c.GetProperty("n_iter").GetInt32(), model.NIter);
        Assert.Equal(loss.Length, model.LossCurve.Count);
        var worstLoss = loss.Select((l, e) => Math.Abs(model.LossCurve[e] - l) / Math.Abs(l)).Max();
        Assert.True(worstLoss < 1e-10, $"loss curve differs by {worstLoss:E2} relative");
        Assert.Equal(c.GetProperty("best_loss").GetDouble(), model.BestLoss, 1e-10 * Math.Abs(model.BestLoss));

        var expected = c.GetProperty("predictions").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var predicted = MlpRegressor.Predict(model, x);
        var worst = expected.Select((p, i) => Math.Abs(predicted[i] - p)).Max();
        Assert.True(worst < 1e-9, $"predictions differ by up to {worst:E2}");
        var finalCoefs = c.GetProperty("coefs").EnumerateArray().Select(Flat).ToArray();
        var worstWeight = finalCoefs.Select((w, l) => w.Select((v, k) => Math.Abs(model.Coefs[l].Data[k] - v)).Max()).Max();
        Assert.True(worstWeight < 1e-9, $"final weights differ by up to {worstWeight:E2}");
    }

    [Fact]
    public void SameSeed_SameModel_AndTheLossFalls()
    {
        var c = new RngCursor(Rng.FromSeed(3));
        var x = Matrix.Build(300, 4, (_, _) => c.NextDouble() * 2 - 1);
        var y = Enumerable.Range(0, 300).Select(i => Math.Sin(2 * x[i, 0]) + x[i, 1] * x[i, 2] - 0.5 * x[i, 3]).ToArray();
        var options = new MlpRegressorOptions { HiddenLayerSizes = [32, 16], MaxIter = 300, Dropout = 0.05, MaxGradNorm = 10 };
        var a = MlpRegressor.Fit(options, x, y, Rng.FromSeed(1)).OrThrow();
        var b = MlpRegressor.Fit(options, x, y, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(a, b);
        Assert.True(a.LossCurve[^1] < a.LossCurve[0] / 10, $"loss {a.LossCurve[0]} -> {a.LossCurve[^1]}");
        var mae = MlpRegressor.Predict(a, x).Select((p, i) => Math.Abs(p - y[i])).Average();
        var baseline = y.Select(v => Math.Abs(v - y.Average())).Average(); // the mean predictor's MAE
        Assert.True(mae < 0.25 * baseline, $"training MAE {mae}, mean predictor {baseline}");
        Assert.NotEqual(a, MlpRegressor.Fit(options, x, y, Rng.FromSeed(2)).OrThrow());
    }

    [Fact]
    public void ClipInputs_BoundsPredictionsFarOutsideTheTrainingRange()
    {
        var x = Matrix.Build(100, 1, (i, _) => i / 100.0);
        var y = Enumerable.Range(0, 100).Select(i => 3 * (i / 100.0)).ToArray();
        var options = new MlpRegressorOptions { HiddenLayerSizes = [8], MaxIter = 400, LearningRateInit = 0.01 };
        var model = MlpRegressor.Fit(options, x, y, Rng.FromSeed(4)).OrThrow();
        var far = Matrix.Build(1, 1, (_, _) => 1000.0);
        var edge = Matrix.Build(1, 1, (_, _) => 0.99);
        Assert.Equal(MlpRegressor.Predict(model, edge)[0], MlpRegressor.Predict(model, far)[0]);
        var unclipped = MlpRegressor.Predict(model with { Options = options with { ClipInputs = false } }, far)[0];
        Assert.True(Math.Abs(unclipped) > 100, $"without clipping the prediction at x = 1000 is {unclipped}");
    }

    [Fact]
    public void BadOptionsAndData_AreProblems()
    {
        var x = Matrix.Build(5, 2, (i, j) => i + j);
        double[] y = [1, 2, 3, 4, 5];
        var bad = MlpRegressor.Fit(new MlpRegressorOptions { HiddenLayerSizes = [0], Alpha = -1, LearningRateInit = 0 }, x, y, Rng.FromSeed(0));
        Assert.Equal(3, bad.Problems().Count(p => p.Code == "param.out_of_range"));
        Assert.Equal("shape.rows_mismatch", Assert.Single(MlpRegressor.Fit(new MlpRegressorOptions(), x, [1.0], Rng.FromSeed(0)).Problems()).Code);
        var diverge = MlpRegressor.Fit(new MlpRegressorOptions { Solver = MlpSolver.Sgd, LearningRateInit = 1e6, Momentum = 0, MaxIter = 50 },
            Matrix.Build(50, 2, (i, j) => i * (j + 1)), Enumerable.Range(0, 50).Select(i => (double)i).ToArray(), Rng.FromSeed(0));
        Assert.Equal("fit.diverged", Assert.Single(diverge.Problems()).Code);
    }
}
