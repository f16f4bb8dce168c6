using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Pure.Materials.Models;
using Pure.Materials.Models.Linear;
using Pure.Materials.Split;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Cli;

/// <summary>search honours --groups and --stratify in its selection folds, held-out split and nested CV.</summary>
public class GroupedSearchCliTests
{
    [Fact]
    public void SelectThenTest_WithAGroupedScheme_SearchesOnGroupKFoldsOfTheDevelopmentRows()
    {
        var (labels, groups) = Pure.Materials.Tests.Split.StratifiedGroupKFoldTests.Data();
        var cursor = new RngCursor(Rng.FromSeed(9));
        var x = new double[120][];
        var y = new double[120];
        for (var i = 0; i < 120; i++)
        {
            x[i] = [cursor.NextDouble(), labels[i]];
            y[i] = 2 * x[i][0] - x[i][1] + 0.1 * cursor.NextDouble() + 0.05 * (groups[i] % 3);
        }
        var matrix = Matrix.FromRows(x);
        var candidates = new[] { 0.01, 1.0, 100.0 }.Select(a =>
            new SearchCandidate($"alpha={a}", new PipelineOptions(ImputeStrategy.None, ScaleStrategy.Standard, Learners.Ridge(new RidgeOptions { Alpha = a })))).ToArray();
        var scheme = new SplitScheme.Grouped(4, groups);
        var holdOut = scheme.HoldOut(120, 0.25, Rng.FromSeed(1)).OrThrow();
        var viaScheme = ModelSearch.SelectThenTest(new SearchOptions(), candidates, matrix, y, holdOut, scheme, Rng.FromSeed(2)).OrThrow();
        var devGroups = holdOut.Train.Select(i => groups[i]).ToArray();
        var explicitFolds = ModelSearch.SelectThenTest(new SearchOptions(), candidates, matrix, y, holdOut,
            (_, r) => GroupKFold.Split(devGroups, 4, true, r), Rng.FromSeed(2)).OrThrow();
        Assert.Equal(explicitFolds.Selected.Label, viaScheme.Selected.Label);
        Assert.Equal(explicitFolds.TestScores.Metric("mae"), viaScheme.TestScores.Metric("mae"));
        Assert.Equal(explicitFolds.Search.Candidates.Select(c => c.Summary["mae"].Mean), viaScheme.Search.Candidates.Select(c => c.Summary["mae"].Mean));
        Assert.Equal(4, viaScheme.Search.Folds);
        var outer = StratifiedGroupKFold.Split(labels, groups, 3, true, Rng.FromSeed(3)).OrThrow();
        var nested = ModelSearch.Nested(new SearchOptions(), candidates, matrix, y, outer, new SplitScheme.StratifiedGrouped(3, labels, groups), Rng.FromSeed(4)).OrThrow();
        Assert.Equal(3, nested.Folds.Count);
        Assert.All(nested.Folds, f => Assert.Equal(3, f.Search.Folds));
    }

    private static string GroupedCsv()
    {
        var cursor = new RngCursor(Rng.FromSeed(21));
        var lines = new List<string> { "id,family,cls,f1,f2,y" };
        for (var i = 0; i < 80; i++)
        {
            var family = i / 4;
            var cls = (family % 3 == 0) ^ (i % 4 == 0) ? 1 : 0;
            var f1 = cursor.NextDouble();
            var f2 = cursor.NextDouble();
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"r{i},fam{family},{cls},{f1:R},{f2:R},{2 * f1 - f2 + 0.3 * cls + 0.05 * cursor.NextDouble():R}"));
        }
        var dir = CliRun.TempDir("pm-sgkf-");
        var path = Path.Combine(dir, "grouped.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void SearchCli_TestFractionAndNested_HonourGroupsAndStratify()
    {
        var data = GroupedCsv();
        string[] common = ["search", "--data", data, "--feature-columns", "f1,f2", "--model", "ridge", "--grid", "alpha=0.01,1,100", "--inner-folds", "3"];
        var held = CliRun.Run([.. common, "--target", "y", "--test-fraction", "0.25", "--groups", "family"]);
        Assert.True(held.Exit == 0, held.Err + held.Out);
        Assert.Contains("held-out split and selection folds: group k-fold", held.Out);
        Assert.Contains("scored once after selection", held.Out);
        var strat = CliRun.Run([.. common, "--target", "cls", "--test-fraction", "0.25", "--stratify"]);
        Assert.True(strat.Exit == 0, strat.Err + strat.Out);
        Assert.Contains("stratified k-fold", strat.Out);
        var nested = CliRun.Run([.. common, "--target", "cls", "--nested", "--folds", "3", "--groups", "family", "--stratify"]);
        Assert.True(nested.Exit == 0, nested.Err + nested.Out);
        Assert.Contains("inner selection folds: 3-fold stratified group k-fold", nested.Out);
        Assert.Contains("over 3 outer folds", nested.Out);
        var cv = CliRun.Run("cv", "--data", data, "--feature-columns", "f1,f2", "--model", "ridge", "--target", "cls", "--groups", "family", "--stratify", "--folds", "4");
        Assert.True(cv.Exit == 0, cv.Err + cv.Out);
        var missing = CliRun.Run([.. common, "--target", "y", "--test-fraction", "0.25", "--groups", "spacegroup"]);
        Assert.Equal(1, missing.Exit);
        Assert.Contains("[csv.missing_column]", missing.Err);
    }

    [Theory]
    [InlineData("split.too_few_groups", "inner folds of the", "--target", "y", "--test-fraction", "0.25", "--groups", "family", "--inner-folds", "50")]
    [InlineData("split.class_too_small", "fewer than k = 40 folds", "--target", "cls", "--test-fraction", "0.25", "--stratify", "--inner-folds", "40")]
    [InlineData("split.too_few_groups", "outer fold 0: inner folds of the", "--target", "cls", "--nested", "--folds", "3", "--groups", "family", "--stratify", "--inner-folds", "30")]
    [InlineData("split.stratify_continuous", "column 'y'", "--target", "y", "--test-fraction", "0.25", "--stratify")]
    [InlineData("split.empty_side", "20 test group(s)", "--target", "y", "--test-fraction", "0.99", "--groups", "family")]
    [InlineData("param.out_of_range", "use k <= 80", "--target", "y", "--folds", "500")]
    public void SearchCli_BadSplits_GiveOneClearLineEach(string code, string text, params string[] extra)
    {
        var (exit, stdout, stderr) = CliRun.Run(["search", "--data", GroupedCsv(), "--feature-columns", "f1,f2", "--model", "ridge", "--grid", "alpha=0.1,1", .. extra]);
        Assert.Equal(1, exit);
        Assert.Contains($"[{code}]", stderr);
        Assert.Contains(text, stderr);
        Assert.DoesNotContain("   at ", stderr + stdout);
    }
}
