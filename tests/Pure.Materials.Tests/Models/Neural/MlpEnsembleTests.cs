using Pure.Materials.Core;
using Pure.Materials.Models.Neural;
using Xunit;

namespace Pure.Materials.Tests.Models.Neural;

/// <summary>The deep ensemble: members from split seeds, bit-identical for any thread count, mean and spread of the members.</summary>
public class MlpEnsembleTests
{
    private static (Matrix X, double[] Y) Data()
    {
        var c = new RngCursor(Rng.FromSeed(3));
        var x = Matrix.Build(200, 3, (_, _) => c.NextDouble() * 2 - 1);
        var y = Enumerable.Range(0, 200).Select(i => Math.Sin(2 * x[i, 0]) + x[i, 1] * x[i, 2]).ToArray();
        return (x, y);
    }

    private static readonly MlpEnsembleOptions Options = new()
    {
        NEnsemble = 4,
        Member = new MlpRegressorOptions { HiddenLayerSizes = [16, 8], MaxIter = 200, LearningRateInit = 0.01, Dropout = 0.1, EarlyStopping = true, Loss = MlpLoss.Huber },
    };

    [Fact]
    public void OneThreadOrMany_GiveTheSameBits()
    {
        var (x, y) = Data();
        var one = MlpEnsemble.Fit(Options with { NJobs = 1 }, x, y, Rng.FromSeed(5)).OrThrow();
        var four = MlpEnsemble.Fit(Options with { NJobs = 4 }, x, y, Rng.FromSeed(5)).OrThrow();
        Assert.Equal(4, one.Members.Count);
        for (var k = 0; k < 4; k++)
        {
            Assert.Equal(one.Members[k].Coefs.SelectMany(c => c.Data.ToArray()), four.Members[k].Coefs.SelectMany(c => c.Data.ToArray()));
            Assert.Equal(one.Members[k].LossCurve, four.Members[k].LossCurve);
        }
        Assert.Equal(MlpEnsemble.Predict(one, x), MlpEnsemble.Predict(four, x));
    }

    [Fact]
    public void MeanAndStd_AreTheMembersMeanAndPopulationSpread()
    {
        var (x, y) = Data();
        var model = MlpEnsemble.Fit(Options, x, y, Rng.FromSeed(5)).OrThrow();
        var preds = model.Members.Select(m => MlpRegressor.Predict(m, x)).ToArray();
        Assert.NotEqual(preds[0], preds[1]); // the members differ (their own seeds)
        var (mean, std) = model.PredictWithStd(x);
        Assert.Equal(mean, MlpEnsemble.Predict(model, x));
        for (var i = 0; i < x.Rows; i++)
        {
            var mu = preds.Average(p => p[i]);
            var sd = Math.Sqrt(preds.Average(p => (p[i] - mu) * (p[i] - mu)));
            Assert.Equal(mu, mean[i], 1e-12);
            Assert.Equal(sd, std[i], 1e-12);
            Assert.True(std[i] > 0);
        }
        // The ensemble fits the training function well: better than the mean predictor by far.
        var mae = mean.Select((p, i) => Math.Abs(p - y[i])).Average();
        var baseline = y.Select(v => Math.Abs(v - y.Average())).Average();
        Assert.True(mae < 0.5 * baseline, $"ensemble MAE {mae}, mean predictor {baseline}");
    }

    [Fact]
    public void TooFewMembers_AndBadMemberOptions_AreProblems()
    {
        var (x, y) = Data();
        var p = MlpEnsemble.Fit(Options with { NEnsemble = 1, NJobs = 0 }, x, y, Rng.FromSeed(0)).Problems();
        Assert.Equal(2, p.Count(q => q.Code == "param.out_of_range"));
        var bad = MlpEnsemble.Fit(Options with { Member = Options.Member with { HuberDelta = 0 } }, x, y, Rng.FromSeed(0)).Problems();
        Assert.Contains(bad, q => q.Code == "param.out_of_range" && q.Message.Contains("huber_delta"));
    }
}
