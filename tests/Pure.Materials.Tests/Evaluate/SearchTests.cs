using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Pure.Materials.Models;
using Pure.Materials.Models.Linear;
using Pure.Materials.Split;
using Pure.Materials.Tests.Split;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Evaluate;

/// <summary>Grid and random search, nested CV and select-then-test: parity with GridSearchCV, determinism, problems, no leakage.</summary>
public class SearchTests
{
    private static (Matrix X, double[] Y, IReadOnlyList<IReadOnlyDictionary<string, string>> Rows) Reference()
    {
        var rows = SelectionReference.Read("grid_search_ridge.csv");
        var data = rows.Where(r => r["kind"] == "row").Select(r => SelectionReference.Vec(r["values"])).ToArray();
        var x = Matrix.FromRows(data.Select(d => d[..4]).ToArray());
        return (x, data.Select(d => d[4]).ToArray(), rows);
    }

    private static PipelineOptions RidgePipeline(double alpha) =>
        new(ImputeStrategy.None, ScaleStrategy.None, Learners.Ridge(new RidgeOptions { Alpha = alpha }));

    [Fact]
    public void GridSearch_Ridge_MatchesGridSearchCV_MeanStdRankAndBest()
    {
        var (x, y, rows) = Reference();
        // The search space as a LINQ query over parameter values.
        var space = from alpha in new[] { 0.001, 0.1, 1.0, 10.0, 100.0, 1000.0 }
                    select new SearchCandidate($"alpha={alpha.ToString(CultureInfo.InvariantCulture)}", RidgePipeline(alpha));
        var folds = KFold.Split(x.Rows, 5, false, Rng.FromSeed(0)).OrThrow();
        var report = ModelSearch.Run(new SearchOptions("mae"), space, x, y, folds, Rng.FromSeed(0)).OrThrow();
        double Ref(string kind, int i) => double.Parse(rows.Single(r => r["kind"] == kind && r["index"] == i.ToString(CultureInfo.InvariantCulture))["values"], CultureInfo.InvariantCulture);
        for (var i = 0; i < 6; i++)
        {
            var c = report.Candidates[i];
            Assert.Equal(i, c.Index);
            Assert.True(Math.Abs(c.Summary["mae"].Mean - Ref("mae_mean", i)) <= 1e-10, $"mae mean {i}: {c.Summary["mae"].Mean} vs {Ref("mae_mean", i)}");
            Assert.True(Math.Abs(c.Summary["mae"].Std - Ref("mae_std", i)) <= 1e-10, $"mae std {i}");
            Assert.True(Math.Abs(c.Summary["r2"].Mean - Ref("r2_mean", i)) <= 1e-10, $"r2 mean {i}");
            Assert.Equal((int)Ref("rank_mae", i), c.Rank);
        }
        Assert.Equal(int.Parse(rows.Single(r => r["kind"] == "best_index")["index"], CultureInfo.InvariantCulture), report.Best.Index);
        Assert.Equal("alpha=0.1", report.Best.Label);
    }

    [Fact]
    public void Search_RanksR2HigherIsBetter_AndIsDeterministic()
    {
        var (x, y, _) = Reference();
        var space = new[] { 1000.0, 0.1 }.Select(a => new SearchCandidate($"alpha={a}", RidgePipeline(a))).ToArray();
        var folds = KFold.Split(x.Rows, 4, true, Rng.FromSeed(3)).OrThrow();
        var r2 = ModelSearch.Run(new SearchOptions("r2"), space, x, y, folds, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(1, r2.Best.Index);
        Assert.Equal([2, 1], r2.Candidates.Select(c => c.Rank));
        var again = ModelSearch.Run(new SearchOptions("r2"), space, x, y, folds, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(r2.Candidates.Select(c => c.Summary["mae"].Mean), again.Candidates.Select(c => c.Summary["mae"].Mean));
    }

    [Fact]
    public void Search_Fails_WithAProblemNamingEachInvalidCandidate()
    {
        var (x, y, _) = Reference();
        var space = new[] { 1.0, -1.0, -2.0 }.Select(a => new SearchCandidate($"alpha={a}", RidgePipeline(a)));
        var folds = KFold.Split(x.Rows, 3, false, Rng.FromSeed(0)).OrThrow();
        var problems = ModelSearch.Run(new SearchOptions(), space, x, y, folds, Rng.FromSeed(0)).Problems();
        Assert.Equal(2, problems.Length);
        Assert.StartsWith("candidate 1 (alpha=-1): fold 0:", problems[0].Message);
        Assert.StartsWith("candidate 2 (alpha=-2)", problems[1].Message);
        Assert.All(problems, p => Assert.Equal("param.out_of_range", p.Code));
        Assert.Equal("param.invalid_value", Assert.Single(ModelSearch.Run(new SearchOptions("accuracy"), space, x, y, folds, Rng.FromSeed(0)).Problems()).Code);
        Assert.Equal("search.empty", Assert.Single(ModelSearch.Run(new SearchOptions(), [], x, y, folds, Rng.FromSeed(0)).Problems()).Code);
    }

    [Fact]
    public void SearchSpace_FromText_InvalidValue_NamesTheCandidate()
    {
        var grid = SearchSpace.Grid([SearchSpace.ParseParameter("alpha=0.1,abc").OrThrow()]).OrThrow();
        var problems = SearchSpace.Candidates("ridge", new Dictionary<string, string>(), grid,
            l => new PipelineOptions(ImputeStrategy.None, ScaleStrategy.None, l)).Problems();
        var p = Assert.Single(problems);
        Assert.Equal("param.invalid_value", p.Code);
        Assert.StartsWith("candidate 1 (alpha=abc):", p.Message);
    }

    [Fact]
    public void SearchSpace_Grid_IsTheProduct_LastParameterFastest()
    {
        var ps = new[] { "alpha=1,2", "fit_intercept=true,false,true" }.Select(t => SearchSpace.ParseParameter(t).OrThrow()).ToArray();
        var grid = SearchSpace.Grid(ps).OrThrow();
        Assert.Equal(6, grid.Length);
        Assert.Equal("alpha=1, fit_intercept=true", SearchSpace.Label(grid[0]));
        Assert.Equal("alpha=1, fit_intercept=false", SearchSpace.Label(grid[1]));
        Assert.Equal("alpha=2, fit_intercept=true", SearchSpace.Label(grid[3]));
    }

    [Fact]
    public void SearchSpace_Random_IsSeeded_WithoutReplacementOnLists_AndInsideDistributions()
    {
        var lists = new[] { SearchSpace.ParseParameter("a=1,2,3,4").OrThrow(), SearchSpace.ParseParameter("b=x,y,z").OrThrow() };
        var draw = SearchSpace.Random(lists, 8, Rng.FromSeed(5)).OrThrow();
        Assert.Equal(8, draw.Select(SearchSpace.Label).Distinct().Count());
        Assert.Equal(draw.Select(SearchSpace.Label), SearchSpace.Random(lists, 8, Rng.FromSeed(5)).OrThrow().Select(SearchSpace.Label));
        Assert.NotEqual(draw.Select(SearchSpace.Label), SearchSpace.Random(lists, 8, Rng.FromSeed(6)).OrThrow().Select(SearchSpace.Label));
        Assert.Equal(12, SearchSpace.Random(lists, 50, Rng.FromSeed(5)).OrThrow().Length);

        var log = SearchSpace.ParseParameter("alpha=loguniform(0.001,100)").OrThrow();
        var values = SearchSpace.Random([log], 200, Rng.FromSeed(1)).OrThrow().Select(d => double.Parse(d["alpha"], CultureInfo.InvariantCulture)).ToArray();
        Assert.All(values, v => Assert.InRange(v, 0.001, 100));
        Assert.Contains(values, v => v < 0.01);
        Assert.Contains(values, v => v > 10);
        Assert.Equal("param.invalid_value", Assert.Single(SearchSpace.Grid([log]).Problems()).Code);
        Assert.Equal("param.invalid_value", Assert.Single(SearchSpace.ParseParameter("alpha=loguniform(0,1)").Problems()).Code);
        Assert.Equal("param.invalid_value", Assert.Single(SearchSpace.ParseParameter("alpha").Problems()).Code);
    }

    [Fact]
    public void SelectThenTest_NeverLooksAtTheTestRows()
    {
        var (x, y, _) = Reference();
        var space = new[] { 0.001, 1.0, 100.0 }.Select(a => new SearchCandidate($"alpha={a}", RidgePipeline(a))).ToArray();
        var holdOut = TrainTestSplit.Split(x.Rows, 0.25, Rng.FromSeed(2)).OrThrow();
        LanguageExt.Validation<Problem, TrainTest[]> Inner(int n, Rng r) => KFold.Split(n, 4, true, r);
        var a = ModelSearch.SelectThenTest(new SearchOptions(), space, x, y, holdOut, Inner, Rng.FromSeed(9)).OrThrow();
        // Scramble the test targets: the search (selection) must not change; only the test score may.
        var scrambled = y.ToArray();
        foreach (var i in holdOut.Test) scrambled[i] = 1e3 * (i + 1);
        var b = ModelSearch.SelectThenTest(new SearchOptions(), space, x, scrambled, holdOut, Inner, Rng.FromSeed(9)).OrThrow();
        Assert.Equal(a.Search.Candidates.Select(c => c.Summary["mae"].Mean), b.Search.Candidates.Select(c => c.Summary["mae"].Mean));
        Assert.Equal(a.Selected.Label, b.Selected.Label);
        Assert.Equal(a.TestPredictions, b.TestPredictions);
        Assert.NotEqual(a.TestScores.Metric("mae"), b.TestScores.Metric("mae"));
        Assert.Equal(holdOut.Test.Length, a.TestPredictions.Count);
    }

    [Fact]
    public void Nested_RunsOneSearchPerOuterFold_OnItsTrainingRowsOnly()
    {
        var (x, y, _) = Reference();
        var space = new[] { 0.001, 10.0 }.Select(a => new SearchCandidate($"alpha={a}", RidgePipeline(a))).ToArray();
        var outer = KFold.Split(x.Rows, 3, true, Rng.FromSeed(4)).OrThrow();
        var nested = ModelSearch.Nested(new SearchOptions(), space, x, y, outer, (n, r) => KFold.Split(n, 3, true, r), Rng.FromSeed(4)).OrThrow();
        Assert.Equal(3, nested.Folds.Count);
        Assert.All(nested.Folds, f => Assert.Equal(2, f.Search.Candidates.Count));
        Assert.Equal(nested.Folds.Select(f => f.TestScores.Metric("mae")).Average(), nested.Summary["mae"].Mean, 12);
        var bad = ModelSearch.Nested(new SearchOptions(), space, x, y, outer, (n, r) => KFold.Split(n, 100, true, r), Rng.FromSeed(4)).Problems();
        Assert.StartsWith("outer fold 0:", Assert.Single(bad).Message);
    }
}
