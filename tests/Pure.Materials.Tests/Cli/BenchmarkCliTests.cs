using System.Text.Json;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>The <c>benchmark</c> verb: cv on bundled Matbench tasks with official folds, one table, benchmark.json and .csv.</summary>
public class BenchmarkCliTests
{
    [Fact]
    public void Benchmark_OnJdft2d_MatchesItsOwnCvRun_AndWritesTableJsonAndCsv()
    {
        var dir = CliRun.TempDir("pm-bench-");
        var (exit, stdout, stderr) = CliRun.Run("benchmark", "--tasks", "jdft2d", "--set", "n_estimators=10", "--seed", "0", "--out", dir);
        Assert.True(exit == 0, stderr);
        Assert.Contains("jdft2d", stdout);
        Assert.Contains("MAE (meV/atom)", stdout);
        Assert.Contains("50.04", stdout); // RF-SCM/Magpie
        Assert.Contains("33.19", stdout); // best published

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "benchmark.json")));
        var task = Assert.Single(json.RootElement.GetProperty("tasks").EnumerateArray());
        Assert.Equal(636, task.GetProperty("rows").GetInt32());
        Assert.True(task.GetProperty("seconds").GetDouble() > 0);
        Assert.True(task.GetProperty("peak_rss_bytes").GetInt64() > 0);
        var mae = task.GetProperty("metrics").GetProperty("mae");
        Assert.Equal(5, mae.GetProperty("per_fold").GetArrayLength());
        Assert.Equal(50.04, mae.GetProperty("rf_scm_magpie").GetDouble());
        Assert.Equal(33.19, mae.GetProperty("best_published").GetDouble());

        // The same numbers as cv itself on the same data, folds, model, settings and seed.
        var cvDir = Path.Combine(dir, "cv");
        var cv = CliRun.Run("cv", "--data", "matbench_jdft2d", "--target", "exfoliation_en", "--formula-column", "composition", "--fold-column", "fold",
            "--id-column", "mbid", "--model", "rf", "--set", "n_estimators=10", "--seed", "0", "--out", cvDir, "--quiet");
        Assert.True(cv.Exit == 0, cv.Err);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(cvDir, "report.json")));
        var cvMae = report.RootElement.GetProperty("metrics").GetProperty("mae");
        Assert.Equal(cvMae.GetProperty("mean").GetDouble(), mae.GetProperty("mean").GetDouble());
        Assert.Equal(report.RootElement.GetProperty("baseline").GetProperty("metrics").GetProperty("mae").GetProperty("mean").GetDouble(),
            mae.GetProperty("dummy").GetDouble());

        var csv = File.ReadAllLines(Path.Combine(dir, "benchmark.csv"));
        Assert.Equal(2, csv.Length);
        Assert.StartsWith("task,rows,metric,unit,mean,std,per_fold,dummy,rf_scm_magpie,best_published,seconds,peak_rss_bytes", csv[0]);
        Assert.StartsWith("jdft2d,636,mae,meV/atom,", csv[1]);

        // The HTML page: names the task and its per-fold values, and holds the time-against-rows plot inline.
        var html = File.ReadAllText(Path.Combine(dir, "benchmark.html"));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.EndsWith("</html>\n", html);
        Assert.Contains("<td>jdft2d</td>", html);
        Assert.Contains("<td>MAE (meV/atom)</td>", html);
        Assert.Contains("<td>50.04</td>", html);
        var fold1 = mae.GetProperty("per_fold")[0].GetDouble().ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"<td>{fold1}</td>", html);
        var figure = html[(html.IndexOf("<figure>", StringComparison.Ordinal) + "<figure>".Length)..html.IndexOf("</figure>", StringComparison.Ordinal)];
        var svg = System.Xml.Linq.XElement.Parse(figure);
        Assert.Single(svg.Descendants(), e => e.Name.LocalName == "circle" && e.Attribute("class")?.Value == "run");
        Assert.Contains(svg.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Value.StartsWith("jdft2d (", StringComparison.Ordinal));
        Assert.Equal(System.Xml.Linq.XElement.Parse(File.ReadAllText(Path.Combine(dir, "time_vs_rows.svg"))).ToString(System.Xml.Linq.SaveOptions.DisableFormatting),
            svg.ToString(System.Xml.Linq.SaveOptions.DisableFormatting));
    }

    [Fact]
    public void Benchmark_SpaceGroup_OnJdft2d_EqualsCvWithOneHotCrysSysAndSpgNum_AndIsNotAvailableOnExptGap()
    {
        var dir = CliRun.TempDir("pm-bench-spg-");
        var (exit, stdout, stderr) = CliRun.Run("benchmark", "--tasks", "jdft2d,expt_gap", "--space-group", "--set", "n_estimators=10", "--seed", "0", "--out", dir);
        Assert.True(exit == 0, stderr);
        Assert.Contains("one-hot crys_sys, spg_num", stdout);
        Assert.Contains("not available", stdout);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "benchmark.json")));
        Assert.True(json.RootElement.GetProperty("space_group").GetBoolean());
        var tasks = json.RootElement.GetProperty("tasks").EnumerateArray().ToArray();
        Assert.Equal(["jdft2d", "expt_gap"], tasks.Select(t => t.GetProperty("task").GetString()));
        Assert.Equal("one-hot crys_sys, spg_num", tasks[0].GetProperty("space_group").GetString());
        Assert.Equal("not available", tasks[1].GetProperty("space_group").GetString());
        var mae = tasks[0].GetProperty("metrics").GetProperty("mae");

        // The option changes the features: Magpie's 132 plus the one-hot columns of the training rows' categories.
        using var withSpg = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "jdft2d", "report.json")));
        var plainDir = CliRun.TempDir("pm-bench-spg-plain-");
        var plain = CliRun.Run("benchmark", "--tasks", "jdft2d", "--set", "n_estimators=10", "--seed", "0", "--out", plainDir);
        Assert.True(plain.Exit == 0, plain.Err);
        using var without = JsonDocument.Parse(File.ReadAllText(Path.Combine(plainDir, "jdft2d", "report.json")));
        Assert.True(withSpg.RootElement.GetProperty("n_features").GetInt32() > without.RootElement.GetProperty("n_features").GetInt32());
        using var plainJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(plainDir, "benchmark.json")));
        Assert.False(plainJson.RootElement.GetProperty("space_group").GetBoolean());
        Assert.Equal("no", plainJson.RootElement.GetProperty("tasks")[0].GetProperty("space_group").GetString());
        Assert.NotEqual(plainJson.RootElement.GetProperty("tasks")[0].GetProperty("metrics").GetProperty("mae").GetProperty("mean").GetDouble(),
            mae.GetProperty("mean").GetDouble());

        // The same numbers, fold by fold, as cv with the crystal system and space group one-hot encoded, on the same folds.
        var cvDir = Path.Combine(dir, "cv");
        var cv = CliRun.Run("cv", "--data", "matbench_jdft2d", "--target", "exfoliation_en", "--formula-column", "composition", "--fold-column", "fold",
            "--id-column", "mbid", "--featurizers", "magpie", "--feature-columns", "crys_sys", "--categorical-columns", "spg_num", "--model", "rf", "--set", "n_estimators=10",
            "--seed", "0", "--out", cvDir, "--quiet");
        Assert.True(cv.Exit == 0, cv.Err);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(cvDir, "report.json")));
        Assert.Equal(report.RootElement.GetProperty("n_features").GetInt32(), withSpg.RootElement.GetProperty("n_features").GetInt32());
        var cvMae = report.RootElement.GetProperty("metrics").GetProperty("mae");
        Assert.Equal(cvMae.GetProperty("per_fold").EnumerateArray().Select(v => v.GetDouble()), mae.GetProperty("per_fold").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(cvMae.GetProperty("mean").GetDouble(), mae.GetProperty("mean").GetDouble());

        var csv = File.ReadAllLines(Path.Combine(dir, "benchmark.csv"));
        Assert.EndsWith(",space_group", csv[0]);
        Assert.EndsWith(",\"one-hot crys_sys, spg_num\"", csv[1]);
        Assert.EndsWith(",not available", csv[2]);
        Assert.Contains("<td>not available</td>", File.ReadAllText(Path.Combine(dir, "benchmark.html")));
    }

    [Fact]
    public void Benchmark_SpaceGroupOrdinal_OnJdft2d_EqualsCvWithOrdinalEncoding_AndKeepsTheWidthOfTheNumericFeatures()
    {
        var dir = CliRun.TempDir("pm-bench-ord-");
        var (exit, stdout, stderr) = CliRun.Run("benchmark", "--tasks", "jdft2d", "--space-group", "--categorical-encoding", "ordinal", "--set", "n_estimators=10",
            "--seed", "0", "--out", dir);
        Assert.True(exit == 0, stderr);
        Assert.Contains("ordinal crys_sys, spg_num", stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "benchmark.json")));
        Assert.Equal("ordinal", json.RootElement.GetProperty("categorical_encoding").GetString());
        var mae = json.RootElement.GetProperty("tasks")[0].GetProperty("metrics").GetProperty("mae");
        using var withSpg = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "jdft2d", "report.json")));
        Assert.Equal(134, withSpg.RootElement.GetProperty("n_features").GetInt32());

        var cvDir = Path.Combine(dir, "cv");
        var cv = CliRun.Run("cv", "--data", "matbench_jdft2d", "--target", "exfoliation_en", "--formula-column", "composition", "--fold-column", "fold",
            "--id-column", "mbid", "--featurizers", "magpie", "--feature-columns", "crys_sys", "--categorical-columns", "spg_num", "--categorical-encoding", "ordinal",
            "--model", "rf", "--set", "n_estimators=10", "--seed", "0", "--out", cvDir, "--quiet");
        Assert.True(cv.Exit == 0, cv.Err);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(cvDir, "report.json")));
        Assert.Equal(report.RootElement.GetProperty("metrics").GetProperty("mae").GetProperty("per_fold").EnumerateArray().Select(v => v.GetDouble()),
            mae.GetProperty("per_fold").EnumerateArray().Select(v => v.GetDouble()));

        // The library call gives the same per-fold numbers.
        var task = Matbench.ParseTasks("jdft2d").OrThrow()[0];
        var lib = Matbench.Benchmark(task, "rf", new Dictionary<string, string> { ["n_estimators"] = "10" }, spaceGroup: true,
            encoding: Pure.Materials.Scale.CategoricalEncoding.Ordinal).Run(seed: 0).OrThrow();
        Assert.Equal(mae.GetProperty("per_fold").EnumerateArray().Select(v => v.GetDouble()), lib.Scores.Single(s => s.Metric == "mae").PerFold);
    }

    [Fact]
    public void Benchmark_UnknownTask_IsOneLineProblem()
    {
        var (exit, _, stderr) = CliRun.Run("benchmark", "--tasks", "jdft2d,phonon", "--out", CliRun.TempDir("pm-bench-bad-"));
        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("no Matbench task 'phonon'", line);
        Assert.Contains("[param.invalid_value]", line);
    }
}
