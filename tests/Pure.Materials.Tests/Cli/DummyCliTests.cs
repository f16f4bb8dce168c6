using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Models.Baseline;
using Pure.Materials.Models.Classification;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>The dummy baseline through cv reproduces the Matbench leaderboard's dummy scores.</summary>
public class DummyCliTests
{
    [Fact]
    public void DummyRegressor_OnExptGap_ReproducesMatbenchDummyLeaderboardScores()
    {
        // Reference/matbench-v0.1/dummy_expt_gap.csv: Matbench v0.1's "Dummy" entry, per official fold.
        var dir = Tests.Cli.CliRun.TempDir("dummy-expt-gap");
        var (exit, _, err) = Tests.Cli.CliRun.Run("cv", "--data", "matbench_expt_gap", "--target", "gap expt", "--formula-column", "composition",
            "--fold-column", "fold", "--model", "dummy", "--out", dir);
        Assert.True(exit == 0, err);
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report.json")))!["metrics"]!;
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Reference", "matbench-v0.1", "dummy_expt_gap.csv")).Skip(1)
            .Select(l => l.Split(',')).ToArray();
        Assert.Equal(5, rows.Length);
        foreach (var (key, column) in new[] { ("mae", 3), ("max_error", 5), ("rmse", 6) })
            for (var fold = 0; fold < 5; fold++)
            {
                var expected = double.Parse(rows[fold][column], System.Globalization.CultureInfo.InvariantCulture);
                var actual = metrics[key]!["per_fold"]![fold]!.GetValue<double>();
                Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Abs(expected), $"{key} fold {fold}: {actual:R} vs Matbench {expected:R}");
            }
    }
}
