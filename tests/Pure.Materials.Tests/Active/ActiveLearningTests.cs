using Pure.Materials.Active;
using Pure.Materials.Core;
using Pure.Materials.Models.Gaussian;
using Xunit;

namespace Pure.Materials.Tests.Active;

public class ActiveLearningTests
{
    private static readonly Matrix Grid = Matrix.Build(60, 1, (i, _) => i / 59.0 * 4 - 2);

    private static double F(int i) => Math.Pow(Grid[i, 0] - 0.7, 2) - 0.3 * Math.Sin(3 * Grid[i, 0]);

    [Fact]
    public void ExpectedImprovement_AtZeroSigma_IsPositivePartOfImprovement_ForMinAndMax()
    {
        var ei = new Acquisition.ExpectedImprovement(0.0);
        Assert.Equal(0.5, Acquisitions.Score(ei, Goal.Minimize, mu: 1.0, sigma: 0.0, best: 1.5));
        Assert.Equal(0.0, Acquisitions.Score(ei, Goal.Minimize, mu: 2.0, sigma: 0.0, best: 1.5));
        Assert.Equal(0.5, Acquisitions.Score(ei, Goal.Maximize, mu: 2.0, sigma: 0.0, best: 1.5));
        Assert.Equal(1.0, Acquisitions.Score(new Acquisition.ProbabilityOfImprovement(0.0), Goal.Maximize, 2.0, 0.0, 1.5));
    }

    [Fact]
    public void ExpectedImprovement_MatchesClosedForm_AtZEqualsZero()
    {
        // I = 0: EI = sigma * phi(0) = sigma / sqrt(2 pi); PI = 0.5.
        Assert.Equal(0.3 / Math.Sqrt(2 * Math.PI), Acquisitions.Score(new Acquisition.ExpectedImprovement(0.0), Goal.Minimize, 1.0, 0.3, 1.0), 15);
        Assert.Equal(0.5, Acquisitions.Score(new Acquisition.ProbabilityOfImprovement(0.0), Goal.Minimize, 1.0, 0.3, 1.0), 15);
        Assert.Equal(-(1.0 - 2 * 0.3), Acquisitions.Score(new Acquisition.UpperConfidenceBound(2.0), Goal.Minimize, 1.0, 0.3, 0.0), 15);
    }

    [Fact]
    public void Run_IsPureFunctionOfSeed_AndRecordsOneRowPerRound()
    {
        var o = new ActiveLearningOptions { BatchSize = 2 };
        var a = ActiveLearning.Run(o, Grid, F, 4, 5, seed: 11).OrThrow();
        var b = ActiveLearning.Run(o, Grid, F, 4, 5, seed: 11).OrThrow();
        Assert.Equal(a.Labelled, b.Labelled);
        Assert.Equal(6, a.History.Count);
        Assert.Equal(14, a.Labelled.Count);
        Assert.Equal(60 - 14, a.Pool.Count);
        Assert.Empty(a.Labelled.Intersect(a.Pool));
        Assert.True(a.History.Zip(a.History.Skip(1), (p, q) => q.BestFound <= p.BestFound).All(ok => ok));
    }

    [Fact]
    public void ExpectedImprovement_FindsTheMinimumOfA1DFunction_FasterThanRandom_OnAverage()
    {
        var best = Enumerable.Range(0, 60).Min(F);
        double Needed(Acquisition acq)
        {
            var o = new ActiveLearningOptions { Acquisition = acq };
            return Enumerable.Range(0, 10).Average(seed =>
                ActiveLearning.Run(o, Grid, F, 3, 57, seed, stop: s => s.Best(Goal.Minimize) == best).OrThrow().Labelled.Count);
        }
        Assert.True(Needed(new Acquisition.ExpectedImprovement()) < Needed(new Acquisition.Random()));
    }

    [Theory]
    [InlineData(BatchStrategy.TopK, "ei")]
    [InlineData(BatchStrategy.Diverse, "ucb")]
    [InlineData(BatchStrategy.TopK, "random")]
    public void Propose_PicksWhatStepWouldPick_AndReportsTheSurrogatesPrediction(BatchStrategy batch, string acquisition)
    {
        Acquisition acq = acquisition switch { "ei" => new Acquisition.ExpectedImprovement(), "ucb" => new Acquisition.UpperConfidenceBound(), _ => new Acquisition.Random() };
        var o = new ActiveLearningOptions { BatchSize = 3, Batch = batch, Acquisition = acq };
        var start = ActiveLearning.Start(Grid, F, 6, Goal.Minimize, Rng.FromSeed(5)).OrThrow();
        var stepped = ActiveLearning.Step(o, Grid, F, start).OrThrow();
        var proposals = ActiveLearning.Propose(o, Grid, start.Labelled, start.LabelledY, start.Pool, start.Rng).OrThrow();
        Assert.Equal(stepped.History[^1].Picked, proposals.Select(p => p.Row));
        // Mean and std are the posterior of the surrogate fitted on the labelled rows (the fit Step makes with the same stream).
        var (_, mine) = start.Rng.Split();
        var (fitRng, _) = mine.Split();
        var model = GaussianProcess.Fit(o.Model, Grid.SelectRows(start.Labelled.ToArray()), start.LabelledY, fitRng).OrThrow();
        var (mu, sigma) = GaussianProcess.PredictWithStd(model, Grid.SelectRows(proposals.Select(p => p.Row).ToArray()));
        Assert.Equal(mu, proposals.Select(p => p.Mean));
        Assert.Equal(sigma, proposals.Select(p => p.Std));
        Assert.All(proposals, p => Assert.Equal(acq is Acquisition.Random, double.IsNaN(p.Acquisition)));
        if (batch == BatchStrategy.TopK && acq is not Acquisition.Random)
            Assert.True(proposals.Zip(proposals.Skip(1), (p, q) => p.Acquisition >= q.Acquisition).All(ok => ok));
    }

    [Fact]
    public void Propose_WithoutLabelledRows_IsAProblem() =>
        Assert.Equal("data.no_labelled_rows", Assert.Single(ActiveLearning.Propose(new ActiveLearningOptions(), Grid, [], [], [0, 1], Rng.FromSeed(0)).Problems()).Code);

    [Fact]
    public void DiverseBatch_PicksDistinctRows_AndIsSeeded()
    {
        var o = new ActiveLearningOptions { BatchSize = 4, Batch = BatchStrategy.Diverse, Acquisition = new Acquisition.UpperConfidenceBound() };
        var a = ActiveLearning.Run(o, Grid, F, 5, 3, seed: 2).OrThrow();
        var b = ActiveLearning.Run(o, Grid, F, 5, 3, seed: 2).OrThrow();
        Assert.Equal(a.Labelled, b.Labelled);
        Assert.Equal(a.Labelled.Count, a.Labelled.Distinct().Count());
    }

    [Fact]
    public void Start_Fails_WhenInitialIsLargerThanThePool()
    {
        Assert.Equal("param.out_of_range", Assert.Single(ActiveLearning.Start(Grid, F, 61, Goal.Minimize, Rng.FromSeed(0)).Problems()).Code);
    }

    [Fact]
    public void BestFoundPlot_DrawsOnePolylinePerCurve()
    {
        var svg = BestFoundPlot.ToSvg("t", "best", [("ei", [(10.0, 1.0), (15, 0.5)]), ("random", [(10.0, 1.0), (15, 0.9)])], 0.4);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(svg, "<polyline").Count);
        Assert.Contains("optimum", svg);
    }
}
