using Pure.Materials.Active;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Models.Trees;
using Pure.Materials.Pipelines;
using Pure.Materials.Screening;
using Pure.Materials.Tests.Cli;
using Pure.Materials.Tests.Pipelines;
using Xunit;

namespace Pure.Materials.Tests.Screening;

/// <summary>Screening: scores are the fitted pipeline's predictions; the top k are the first k of the full ranking, whatever the chunk size.</summary>
public class ScreenTests
{
    private static readonly Lazy<FittedPipeline> GapForest = new(() =>
    {
        var table = BundledData.OpenPathOrName("matbench_expt_gap").OrThrow();
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "gap expt" }, table with { Rows = table.Rows.Take(400).ToArray() }).OrThrow();
        var fs = CompositionFeaturizers.Build([ElementProperty.Magpie], ds).OrThrow();
        var spec = new PipelineSpec(new PipelineInput("composition", ["magpie"], MissingElementValue.NaN, []), [new PipelineStep.MeanImpute()],
            Learners.RandomForest(new RandomForestOptions { NEstimators = 8 }));
        return FittedPipeline.FitFeatures(spec, fs, ds.Target!, ds.Compositions, new PipelineTarget("gap expt", "eV"), Rng.FromSeed(5)).OrThrow();
    });

    private static CandidateSpace Template() => Candidates.FromTemplate("A2BX4",
        new Dictionary<string, IReadOnlyList<string>> { ["A"] = ["Li", "Na", "K", "Cu", "Ag"], ["B"] = ["Mg", "Zn", "Ge", "Sn", "Ti"], ["X"] = ["O", "S", "Se"] }).OrThrow();

    public static TheoryData<string> Rankings => ["mean-max", "mean-min", "ucb", "ei", "window"];

    private static Ranking Parse(string name) => name switch
    {
        "mean-max" => new Ranking.ByMean(Goal.Maximize),
        "mean-min" => new Ranking.ByMean(Goal.Minimize),
        "ucb" => new Ranking.ByAcquisition(new Acquisition.UpperConfidenceBound(), Goal.Maximize, 0),
        "ei" => new Ranking.ByAcquisition(new Acquisition.ExpectedImprovement(), Goal.Maximize, 2.5),
        _ => new Ranking.InWindow(1.1, 1.7),
    };

    [Theory]
    [MemberData(nameof(Rankings))]
    public void Run_TopK_IsTheFirstKOfTheFullRanking_WhateverTheChunkSize(string ranking)
    {
        var space = Template();
        var all = Screen.Score(GapForest.Value, space.Enumerate(), Parse(ranking), space.FeatureLabels).Select(v => v.OrThrow()).ToList();
        Assert.Equal(space.Count, all.Count);
        var expected = all.Order(ScoredCandidate.Order).Take(10).Select(s => s.Candidate.Index).ToArray();
        foreach (var chunk in new[] { 1, 7, 4096 })
        {
            var r = Screen.Run(GapForest.Value, space, new ScreenOptions(Parse(ranking), Top: 10, ChunkSize: chunk)).OrThrow();
            Assert.Equal(expected, r.Top.Select(s => s.Candidate.Index));
            Assert.Equal(space.Count, r.Screened);
        }
    }

    [Theory]
    [InlineData(1, "mean-max")]
    [InlineData(2, "ucb")]
    [InlineData(3, "window")]
    [InlineData(4, "ei")]
    [InlineData(7, "mean-min")]
    public void Shards_PartitionTheSpace_AndTheirMergeEqualsTheUnshardedRun(int shards, string ranking)
    {
        var space = Template();
        var whole = Screen.Run(GapForest.Value, space, new ScreenOptions(Parse(ranking), Top: 12)).OrThrow();
        var parts = Enumerable.Range(0, shards)
            .Select(k => Screen.Run(GapForest.Value, space, new ScreenOptions(Parse(ranking), Top: 12, ShardIndex: k, ShardCount: shards)).OrThrow()).ToList();
        Assert.Equal(space.Count, parts.Sum(p => p.Screened));
        Assert.All(parts.Select((p, k) => (p, k)), t => Assert.All(t.p.Top, s => Assert.Equal(t.k, (int)(s.Candidate.Index % shards))));
        var merged = Screen.Merge(parts, 12);
        Assert.Equal(whole.Top.Select(Key), merged.Top.Select(Key));
        Assert.Equal(whole.Screened, merged.Screened);
    }

    private static (long, double, double, double, int) Key(ScoredCandidate s) => (s.Candidate.Index, s.Mean, s.Std, s.Score, s.FeaturesOutOfRange);

    [Fact]
    public void Cli_MergeOfShards_EqualsTheUnshardedOutput_ByteForByte()
    {
        var dir = CliRun.TempDir("screen-shards");
        var model = Path.Combine(dir, "m.pmm");
        ModelFile.Save(GapForest.Value, model).OrThrow();
        string[] space = ["--template", "A2BX4", "--role", "A=Li,Na,K,Cu,Ag", "--role", "B=Mg,Zn,Ge,Sn,Ti", "--role", "X=O,S,Se", "--rank", "ucb", "--top", "9"];
        var (exit, _, err) = CliRun.Run(["screen", "--model", model, .. space, "--out", Path.Combine(dir, "whole.csv")]);
        Assert.True(exit == 0, err);
        for (var k = 0; k < 3; k++)
        {
            (exit, _, err) = CliRun.Run(["screen", "--model", model, .. space, "--shard", $"{k}/3", "--out", Path.Combine(dir, $"s{k}.csv")]);
            Assert.True(exit == 0, err);
        }
        (exit, _, err) = CliRun.Run("merge", Path.Combine(dir, "s0.csv"), Path.Combine(dir, "s1.csv"), Path.Combine(dir, "s2.csv"), "--top", "9", "--out", Path.Combine(dir, "merged.csv"));
        Assert.True(exit == 0, err);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "whole.csv")), File.ReadAllText(Path.Combine(dir, "merged.csv")));
        (exit, _, err) = CliRun.Run(["screen", "--model", model, .. space, "--all", Path.Combine(dir, "all.csv"), "--out", Path.Combine(dir, "top.csv")]);
        Assert.True(exit == 0, err);
        var rows = File.ReadAllLines(Path.Combine(dir, "all.csv"));
        Assert.Equal("index,candidate,y_pred,y_std,score,n_features_out_of_range,unseen_elements", rows[0]);
        Assert.Equal(Enumerable.Range(0, 75).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), rows.Skip(1).Select(r => r.Split(',')[0]));
        (exit, _, err) = CliRun.Run("merge", Path.Combine(dir, "s0.csv"), Path.Combine(dir, "s0.csv"), "--out", Path.Combine(dir, "bad.csv"));
        Assert.Equal(1, exit);
        Assert.Contains("merge.duplicate_candidate", err);
    }

    [Fact]
    public void Cli_ParquetShards_MergeToTheUnshardedResult_AndParquetOutputsHoldTheCsvCells()
    {
        var dir = CliRun.TempDir("screen-parquet");
        var model = Path.Combine(dir, "m.pmm");
        ModelFile.Save(GapForest.Value, model).OrThrow();
        string[] space = ["--template", "A2BX4", "--role", "A=Li,Na,K,Cu,Ag", "--role", "B=Mg,Zn,Ge,Sn,Ti", "--role", "X=O,S,Se", "--rank", "ucb", "--top", "9"];
        var (exit, _, err) = CliRun.Run(["screen", "--model", model, .. space, "--all", Path.Combine(dir, "all.csv"), "--out", Path.Combine(dir, "whole.csv")]);
        Assert.True(exit == 0, err);
        (exit, _, err) = CliRun.Run(["screen", "--model", model, .. space, "--all", Path.Combine(dir, "all.parquet"), "--out", Path.Combine(dir, "whole.parquet")]);
        Assert.True(exit == 0, err);
        for (var k = 0; k < 3; k++)
        {
            (exit, _, err) = CliRun.Run(["screen", "--model", model, .. space, "--shard", $"{k}/3", "--out", Path.Combine(dir, $"s{k}.parquet")]);
            Assert.True(exit == 0, err);
        }
        // Parquet shards merged to CSV give the unsharded CSV's bytes; merged to Parquet, its cells.
        string[] shards = [Path.Combine(dir, "s0.parquet"), Path.Combine(dir, "s1.parquet"), Path.Combine(dir, "s2.parquet")];
        (exit, _, err) = CliRun.Run(["merge", .. shards, "--top", "9", "--out", Path.Combine(dir, "merged.csv")]);
        Assert.True(exit == 0, err);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "whole.csv")), File.ReadAllText(Path.Combine(dir, "merged.csv")));
        (exit, _, err) = CliRun.Run(["merge", .. shards, "--top", "9", "--out", Path.Combine(dir, "merged.parquet")]);
        Assert.True(exit == 0, err);
        foreach (var (csv, parquet) in new[] { ("whole.csv", "whole.parquet"), ("whole.csv", "merged.parquet"), ("all.csv", "all.parquet") })
        {
            var expected = Pure.Materials.Data.Csv.ReadFile(Path.Combine(dir, csv)).OrThrow();
            using var stream = File.OpenRead(Path.Combine(dir, parquet));
            var actual = Pure.Materials.Data.ParquetTables.Read(stream, parquet).OrThrow();
            Assert.Equal(expected.Header, actual.Header);
            Assert.Equal(expected.Rows, actual.Rows);
        }
    }

    [Fact]
    public void Scores_AreThePipelinesPredictions_BitForBit()
    {
        var space = Template();
        var candidates = space.Enumerate().Take(50).ToArray();
        var scored = Screen.Score(GapForest.Value, candidates, new Ranking.ByMean(Goal.Maximize), space.FeatureLabels, chunkSize: 16).Select(v => v.OrThrow()).ToArray();
        var x = ElementProperty.Magpie.FeaturizeMany(candidates.Select(c => c.Composition!).ToArray());
        var direct = GapForest.Value.Predict(x, candidates.Select(c => c.Composition!).ToArray()).OrThrow();
        Assert.Equal(direct.Mean, scored.Select(s => s.Mean));
        Assert.Equal(direct.Std, scored.Select(s => s.Std));
        Assert.Equal(direct.UnseenElements.Select(u => u.Length), scored.Select(s => s.UnseenElements.Count));
    }

    [Fact]
    public void Window_ScoresZeroInside_AndTheDistanceOutside()
    {
        var w = new Ranking.InWindow(1.0, 2.0);
        Assert.Equal(0.0, w.Score(1.5, 0.3));
        Assert.Equal(-0.5, w.Score(0.5, 0.3));
        Assert.Equal(-1.0, w.Score(3.0, 0.3));
    }

    [Fact]
    public void Filters_KeepOnlyInDomainAndLowStdCandidates()
    {
        var space = Template();
        var r = Screen.Run(GapForest.Value, space, new ScreenOptions(new Ranking.ByMean(Goal.Maximize), Top: 1000, InDomainOnly: true, MaxStd: 0.5)).OrThrow();
        Assert.True(r.Kept < r.Screened);
        Assert.All(r.Top, s => { Assert.True(s.InDomain); Assert.True(s.Std <= 0.5); });
        Assert.Equal(r.Kept, r.Top.Count);
    }

    [Fact]
    public void SiteMixedCandidates_AreScoredByAFeatureColumnModel_ByColumnName()
    {
        var (pipeline, _, _) = FittedPipelineTests.PerovskiteForest();
        var space = Candidates.PerovskiteSiteMixed(2, 2, 2).OrThrow();
        var r = Screen.Run(pipeline, space, new ScreenOptions(new Ranking.ByMean(Goal.Minimize), Top: 5)).OrThrow();
        Assert.Equal(space.Count, r.Screened);
        var labels = space.FeatureLabels.ToList();
        var best = r.Top[0].Candidate;
        var row = Matrix.FromRowMajor(1, 5, new[] { "K", "Rb", "Cs", "MA", "FA" }.Select(n => best.Features[labels.IndexOf(n)]).ToArray());
        Assert.Equal(pipeline.Predict(row).OrThrow().Mean[0], r.Top[0].Mean);
    }

    [Fact]
    public void AClassifierOrAMissingColumn_IsAProblem()
    {
        var (pipeline, _, _) = FittedPipelineTests.PerovskiteForest();
        var r = Screen.Run(pipeline, Template(), new ScreenOptions(new Ranking.ByMean(Goal.Maximize)));
        Assert.Equal("screen.missing_feature", Assert.Single(r.Problems()).Code);
    }

    [Fact]
    public void Cli_ScreensATemplate_WritesTheTop_AndRefusesAnAcquisitionWithoutBest()
    {
        var dir = CliRun.TempDir("screen");
        var model = Path.Combine(dir, "m.pmm");
        ModelFile.Save(GapForest.Value, model).OrThrow();
        var (exit, output, err) = CliRun.Run("screen", "--model", model, "--template", "A2BX4", "--role", "A=Li,Na,K,Cu,Ag", "--role", "B=Mg,Zn,Ge,Sn,Ti",
            "--role", "X=O,S,Se", "--rank", "window", "--window", "1.1:1.7", "--top", "5", "--out", Path.Combine(dir, "top.csv"));
        Assert.True(exit == 0, err);
        Assert.Contains("screened 75 candidates", output);
        var lines = File.ReadAllLines(Path.Combine(dir, "top.csv"));
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("rank,index,candidate,y_pred,y_std,score,", lines[0]);
        (exit, _, err) = CliRun.Run("screen", "--model", model, "--template", "A2BX4", "--role", "A=Li", "--role", "B=Mg", "--role", "X=O",
            "--rank", "ei", "--out", Path.Combine(dir, "t2.csv"));
        Assert.Equal(1, exit);
        Assert.Equal("error: --rank ei improves on a known value: give --best VALUE (target units) [param.missing]", err.Trim());
    }
}
