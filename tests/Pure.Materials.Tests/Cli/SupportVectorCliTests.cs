using System.Text.Json;
using Pure.Materials.Data;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary><c>cv --model svr</c> and <c>cv --task classification --model svc</c> through the built CLI, on the first rows of the
/// bundled Matbench data with their official folds.</summary>
public class SupportVectorCliTests
{
    /// <summary>Writes the first <paramref name="rows"/> rows of a bundled data set to a CSV in a fresh directory.</summary>
    private static (string Dir, string Csv) FirstRows(string dataset, int rows)
    {
        var dir = CliRun.TempDir("pm-svm-");
        var table = BundledData.Open(dataset).Match(t => t, ps => throw new InvalidOperationException(ps.First().Message));
        var csv = Path.Combine(dir, dataset + ".csv");
        File.WriteAllLines(csv, table.Rows.Take(rows).Select(r => string.Join(",", r)).Prepend(string.Join(",", table.Header)));
        return (dir, csv);
    }

    [Fact]
    public void Cv_Svr_WithSetC_RunsOnOfficialFolds_AndRecordsScikitLearnParameters()
    {
        var (dir, csv) = FirstRows("matbench_expt_gap", 300);
        var outDir = Path.Combine(dir, "out");
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", csv, "--target", "gap expt", "--formula-column", "composition",
            "--fold-column", "fold", "--model", "svr", "--set", "C=10", "--set", "epsilon=0.2", "--out", outDir);
        Assert.True(exit == 0, stderr + stdout);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        var options = report.RootElement.GetProperty("options");
        Assert.Equal("standard", options.GetProperty("scale").GetString());
        var parameters = options.GetProperty("parameters");
        Assert.Equal("10", parameters.GetProperty("C").GetString());
        Assert.Equal("0.2", parameters.GetProperty("epsilon").GetString());
        Assert.Equal("rbf", parameters.GetProperty("kernel").GetString());
        Assert.Equal("scale", parameters.GetProperty("gamma").GetString());
        var mae = report.RootElement.GetProperty("metrics").GetProperty("mae");
        Assert.Equal(5, mae.GetProperty("per_fold").GetArrayLength());
        Assert.InRange(mae.GetProperty("mean").GetDouble(), 0.05, 2.0);
    }

    [Fact]
    public void Cv_Svc_Classification_ReportsAccuracyRocAucAndProbabilities()
    {
        var (dir, csv) = FirstRows("matbench_expt_is_metal", 300);
        var outDir = Path.Combine(dir, "out");
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", csv, "--target", "is_metal", "--formula-column", "composition",
            "--fold-column", "fold", "--task", "classification", "--model", "svc", "--set", "C=2", "--out", outDir);
        Assert.True(exit == 0, stderr + stdout);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        Assert.Equal("true", report.RootElement.GetProperty("options").GetProperty("parameters").GetProperty("probability").GetString());
        var metrics = report.RootElement.GetProperty("metrics");
        Assert.InRange(metrics.GetProperty("accuracy").GetProperty("mean").GetDouble(), 0.6, 1.0);
        Assert.InRange(metrics.GetProperty("roc_auc").GetProperty("mean").GetDouble(), 0.6, 1.0);
        var predictions = File.ReadAllLines(Path.Combine(outDir, "predictions.csv"));
        Assert.Equal("id,formula,fold,y_true,y_pred,p_False,p_True", predictions[0]);
        Assert.Equal(301, predictions.Length);
    }

    [Fact]
    public void Cv_Svr_NonPositiveC_ExitsNonZero_WithOneLineNamingTheFix()
    {
        var (dir, csv) = FirstRows("matbench_expt_gap", 60);
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", csv, "--target", "gap expt", "--formula-column", "composition",
            "--fold-column", "fold", "--model", "svr", "--set", "C=-1", "--out", Path.Combine(dir, "out"));
        Assert.Equal(1, exit);
        var text = stderr + stdout;
        Assert.Contains("C must be a finite number > 0", text);
        Assert.DoesNotContain("   at ", text);
    }

    [Fact]
    public void Cv_Svc_UnknownKernel_ExitsNonZero_ListingTheKernels()
    {
        var (dir, csv) = FirstRows("matbench_expt_is_metal", 60);
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", csv, "--target", "is_metal", "--formula-column", "composition",
            "--fold-column", "fold", "--task", "classification", "--model", "svc", "--set", "kernel=cubic", "--out", Path.Combine(dir, "out"));
        Assert.Equal(1, exit);
        Assert.Contains("use linear, poly, rbf or sigmoid", stderr + stdout);
    }
}
