using System.Globalization;
using System.Text.Json.Nodes;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>How <c>cv</c> reads a target column: booleans and text labels are classified, numbers (whole numbers too) regressed.</summary>
public class ClassLabelCliTests
{
    /// <summary>The first 600 expt_gap rows with a text label (metal: gap 0; semiconductor: 0 &lt; gap &lt;= 2 eV; insulator: gap &gt; 2 eV)
    /// and a whole-number column (the number of elements in the formula).</summary>
    private static string LabelledCsv(Func<int, string, string>? label = null)
    {
        var table = BundledData.Open("matbench_expt_gap").OrThrow();
        int c = table.Header.ToList().IndexOf("composition"), g = table.Header.ToList().IndexOf("gap expt");
        var path = Path.Combine(CliRun.TempDir("pm-labels-"), "labelled.csv");
        using var w = new StreamWriter(path);
        w.WriteLine("composition,kind,n_elements");
        for (var i = 0; i < 600; i++)
        {
            var row = table.Rows[i];
            var gap = double.Parse(row[g], CultureInfo.InvariantCulture);
            var kind = gap == 0 ? "metal" : gap <= 2 ? "semiconductor" : "insulator";
            var n = Composition.Parse(row[c]).OrThrow().Count;
            w.WriteLine($"{row[c]},{(label is null ? kind : label(i, kind))},{n}");
        }
        return path;
    }

    [Fact]
    public void Cv_TextLabels_AreClassified_WithNamesInReportConfusionMatrixAndPredictions()
    {
        var dir = CliRun.TempDir("pm-labels-out-");
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", LabelledCsv(), "--target", "kind", "--formula-column", "composition",
            "--folds", "3", "--model", "logistic", "--out", dir);
        Assert.True(exit == 0, stderr);
        Assert.Contains("classification of 'kind' (insulator, metal, semiconductor)", stdout);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report.json")))!;
        Assert.Equal("classification", (string)report["task"]!);
        Assert.Equal(["insulator", "metal", "semiconductor"], report["target"]!["classes"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["insulator", "metal", "semiconductor"], report["confusion_matrix"]!["labels"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(600, report["confusion_matrix"]!["counts"]!.AsArray().SelectMany(r => r!.AsArray().Select(v => (int)v!)).Sum());
        var lines = File.ReadAllLines(Path.Combine(dir, "predictions.csv"));
        Assert.Equal("id,formula,fold,y_true,y_pred,p_insulator,p_metal,p_semiconductor", lines[0]);
        Assert.Equal(600, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.Contains(l.Split(',')[3], new[] { "insulator", "metal", "semiconductor" }));
        Assert.InRange((double)report["metrics"]!["accuracy"]!["mean"]!, 0.5, 1.0);
    }

    [Fact]
    public void Cv_TaskRegression_OnTextLabels_IsOneProblemNamingTheFirstRowAndColumn()
    {
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", LabelledCsv(), "--target", "kind", "--formula-column", "composition",
            "--folds", "3", "--model", "ridge", "--task", "regression");
        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("row 1, column 'kind': 'metal' is a class label, not a number", line);
        Assert.Contains("[data.non_numeric_target]", line);
        Assert.DoesNotContain("Exception", stdout + stderr);
    }

    [Fact]
    public void Cv_TaskRegression_OnTextLabels_SkipsAMissingFirstCell_WhenNamingTheRow()
    {
        var (exit, _, stderr) = CliRun.Run("cv", "--data", LabelledCsv((i, k) => i == 0 ? "NA" : k), "--target", "kind", "--formula-column", "composition",
            "--folds", "3", "--model", "ridge", "--task", "regression");
        Assert.Equal(1, exit);
        Assert.Contains("row 2, column 'kind': 'metal' is a class label, not a number", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void Cv_TaskRegression_OnABooleanTarget_FailsBeforeCrossValidating()
    {
        var (exit, _, stderr) = CliRun.Run("cv", "--data", "matbench_expt_is_metal", "--target", "is_metal", "--formula-column", "composition",
            "--fold-column", "fold", "--model", "ridge", "--task", "regression");
        Assert.Equal(1, exit);
        Assert.Contains("row 1, column 'is_metal': 'True' is a boolean, not a number", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void Cv_WholeNumberTarget_IsRegression_UnlessTaskClassification()
    {
        var data = LabelledCsv();
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", data, "--target", "n_elements", "--formula-column", "composition", "--folds", "3", "--model", "ridge");
        Assert.True(exit == 0, stderr);
        Assert.Contains("mean MAE", stdout);
        var dir = CliRun.TempDir("pm-labels-int-");
        (exit, stdout, stderr) = CliRun.Run("cv", "--data", data, "--target", "n_elements", "--formula-column", "composition", "--folds", "3",
            "--model", "gnb", "--task", "classification", "--out", dir);
        Assert.True(exit == 0, stderr);
        var classes = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report.json")))!["target"]!["classes"]!.AsArray().Select(v => (string)v!).ToArray();
        Assert.Contains("2", classes);
        Assert.Contains("3", classes);
    }

    [Fact]
    public void Cv_MissingTextLabel_IsAProblemNamingTheRow()
    {
        var (exit, _, stderr) = CliRun.Run("cv", "--data", LabelledCsv((i, k) => i == 41 ? "" : k), "--target", "kind", "--formula-column", "composition",
            "--folds", "3", "--model", "logistic");
        Assert.Equal(1, exit);
        Assert.Contains("row 42, column 'kind': the class label is empty", stderr);
    }

    [Fact]
    public void Cv_SingleTextLabel_IsAClearProblem()
    {
        var (exit, _, stderr) = CliRun.Run("cv", "--data", LabelledCsv((_, _) => "metal"), "--target", "kind", "--formula-column", "composition",
            "--folds", "3", "--model", "logistic");
        Assert.Equal(1, exit);
        Assert.Contains("data.single_class", stderr);
        Assert.DoesNotContain("Exception", stderr);
    }
}
