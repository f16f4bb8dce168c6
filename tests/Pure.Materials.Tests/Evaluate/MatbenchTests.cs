using System.Text.Json;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Pure.Materials.Tests.Cli;
using Xunit;

namespace Pure.Materials.Tests.Evaluate;

/// <summary><see cref="Matbench.Benchmark"/>: the library side of the <c>benchmark</c> verb gives the verb's numbers, bit for bit, on a
/// composition task with the space group, a classification task and the structure task.</summary>
public class MatbenchTests
{
    [Fact]
    public void Benchmark_EqualsTheVerb_PerFold_OnJdft2dWithSpaceGroup_ExptIsMetal_AndPhonons()
    {
        var dir = CliRun.TempDir("pm-matbench-");
        var cli = CliRun.Run("benchmark", "--tasks", "jdft2d,expt_is_metal,phonons", "--space-group", "--set", "n_estimators=10", "--seed", "3", "--out", dir);
        Assert.True(cli.Exit == 0, cli.Err);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "benchmark.json")));
        var verb = json.RootElement.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("task").GetString()!);

        var settings = new Dictionary<string, string> { ["n_estimators"] = "10" };
        foreach (var name in new[] { "jdft2d", "expt_is_metal", "phonons" })
        {
            var task = Matbench.ParseTasks(name).OrThrow().Single();
            var result = Matbench.Benchmark(task, "rf", settings, spaceGroup: true).Run(3).OrThrow();
            var expected = verb[name];
            Assert.Equal(expected.GetProperty("rows").GetInt32(), result.Rows);
            Assert.Equal(task.Metrics, result.Scores.Select(s => s.Metric));
            foreach (var score in result.Scores)
            {
                var m = expected.GetProperty("metrics").GetProperty(score.Metric);
                Assert.Equal(m.GetProperty("per_fold").EnumerateArray().Select(v => v.GetDouble()), score.PerFold);
                Assert.Equal(m.GetProperty("mean").GetDouble(), score.Summary.Mean);
                Assert.Equal(m.GetProperty("std").GetDouble(), score.Summary.Std);
                Assert.Equal(m.GetProperty("dummy").GetDouble(), score.Dummy);
                Assert.Equal(m.GetProperty("rf_scm_magpie").GetDouble(), score.RfScmMagpie);
            }
        }
        // The space group reaches jdft2d's pipeline (one-hot step) and not the tasks without it.
        Assert.NotNull(Matbench.Benchmark(Matbench.ParseTasks("jdft2d").OrThrow()[0], "rf", settings, spaceGroup: true).Run(3).OrThrow().Pipeline.OneHot);
        Assert.Null(Matbench.Benchmark(Matbench.ParseTasks("phonons").OrThrow()[0], "rf", settings, spaceGroup: true).Run(3).OrThrow().Pipeline.OneHot);
    }

    [Fact]
    public void Benchmark_Phonons_UsesMagpieAndBondLengthStatistics_WithOfficialFolds()
    {
        var task = Matbench.ParseTasks("matbench_phonons").OrThrow().Single();
        var result = Matbench.Benchmark(task, "ridge", new Dictionary<string, string>()).Run(0).OrThrow();
        Assert.Equal(1265, result.Rows);
        Assert.Equal(132 + 4, result.Features);
        Assert.Equal(5, result.Report.FoldCount);
        Assert.Equal(1265, result.Report.FoldSizes.Sum(f => f.Test));
        var mae = Assert.Single(result.Scores);
        Assert.Equal(67.61, mae.RfScmMagpie);
        Assert.True(mae.Summary.Mean < mae.Dummy, $"ridge {mae.Summary.Mean} against the dummy {mae.Dummy}");
    }

    [Fact]
    public void Benchmark_Problems_NameTheTaskOrTheLearner()
    {
        var unknown = Matbench.ParseTasks("expt_gap,mp_gap");
        Assert.True(unknown.IsFail);
        Assert.Contains("'mp_gap'", unknown.Problems().Single().Message);
        Assert.Contains("phonons", unknown.Problems().Single().Message);

        var task = Matbench.ParseTasks("jdft2d").OrThrow().Single();
        var badModel = Matbench.Benchmark(task, "forest", new Dictionary<string, string>()).Run(0);
        Assert.Equal("param.unknown_model", badModel.Problems().Single().Code);
        var badSetting = Matbench.Benchmark(task, "rf", new Dictionary<string, string> { ["n_trees"] = "10" }).Run(0);
        Assert.Equal("param.unknown", badSetting.Problems().Single().Code);
    }
}
