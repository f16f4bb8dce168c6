using System.Text.Json;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>Runs the built <c>pure-materials</c> command as a process: exit codes, messages, outputs.</summary>
public class CliTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    private static string TempDir() => CliRun.TempDir("pm-cli-");

    private const string Small = "id,formula,gap,extra\n" +
        "a,Fe2O3,2.1,1.0\nb,NaCl,8.5,2.0\nc,MgO,7.8,3.0\nd,Si,1.1,4.0\ne,GaAs,1.4,5.0\nf,ZnO,3.3,6.0\n" +
        "g,TiO2,3.0,7.0\nh,Al2O3,8.8,8.0\ni,Cu,0,9.0\nj,Ge,0.7,10.0\nk,CdS,2.4,11.0\nl,AlN,6.2,12.0\n";

    [Fact]
    public void Cv_OnAnotherCompositionCsv_WritesReportPredictionsAndParity()
    {
        var dir = TempDir();
        var data = Path.Combine(dir, "small.csv");
        File.WriteAllText(data, Small);
        var outDir = Path.Combine(dir, "out");
        var (exit, stdout, stderr) = Run("cv", "--data", data, "--target", "gap", "--formula-column", "formula", "--model", "ridge",
            "--set", "alpha=10", "--folds", "3", "--seed", "4", "--out", outDir);
        Assert.True(exit == 0, stderr + stdout);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        var root = report.RootElement;
        Assert.Equal(4, root.GetProperty("seed").GetInt64());
        Assert.Equal("standard", root.GetProperty("options").GetProperty("scale").GetString());
        Assert.Equal("10", root.GetProperty("options").GetProperty("parameters").GetProperty("alpha").GetString());
        Assert.Equal(3, root.GetProperty("metrics").GetProperty("mae").GetProperty("per_fold").GetArrayLength());
        Assert.True(root.GetProperty("seconds").GetProperty("total").GetDouble() > 0);
        var predictions = File.ReadAllLines(Path.Combine(outDir, "predictions.csv"));
        Assert.Equal("id,formula,fold,y_true,y_pred,n_features_out_of_range,unseen_elements", predictions[0]);
        Assert.Equal(13, predictions.Length);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(outDir, "parity.svg")));
    }

    [Fact]
    public void Cv_SameSeedTwice_GivesIdenticalPredictions()
    {
        var dir = TempDir();
        var data = Path.Combine(dir, "small.csv");
        File.WriteAllText(data, Small);
        string Predictions(string sub)
        {
            var o = Path.Combine(dir, sub);
            var (exit, _, err) = Run("cv", "--data", data, "--target", "gap", "--formula-column", "formula", "--feature-columns", "extra",
                "--set", "n_estimators=10", "--test-fraction", "0.25", "--seed", "9", "--out", o);
            Assert.True(exit == 0, err);
            return File.ReadAllText(Path.Combine(o, "predictions.csv"));
        }
        Assert.Equal(Predictions("a"), Predictions("b"));
    }

    [Fact]
    public void Cv_BadInput_ExitsNonZero_WithOneClearLinePerProblem()
    {
        var dir = TempDir();
        var data = Path.Combine(dir, "bad.csv");
        File.WriteAllText(data, "id,formula,gap\na,Fe2O3,2.1\nb,Fe2Xx3,1.0\nc,NaCl,abc\n");
        var (exit, _, stderr) = Run("cv", "--data", data, "--target", "gap", "--formula-column", "formula");
        Assert.Equal(1, exit);
        Assert.Contains("row 2, column 'formula'", stderr);
        Assert.Contains("unknown element 'Xx'", stderr);
        Assert.Contains("row 3, column 'gap'", stderr);
        Assert.DoesNotContain("   at ", stderr); // no stack trace
    }

    [Fact]
    public void Cv_MissingColumn_UnknownParameter_MissingFile_AreProblems()
    {
        var dir = TempDir();
        var data = Path.Combine(dir, "small.csv");
        File.WriteAllText(data, Small);
        var missingColumn = Run("cv", "--data", data, "--target", "band_gap", "--formula-column", "formula");
        Assert.Equal(1, missingColumn.Exit);
        Assert.Contains("no column 'band_gap'", missingColumn.Err);
        var unknownParameter = Run("cv", "--data", data, "--target", "gap", "--formula-column", "formula", "--set", "n_trees=5");
        Assert.Equal(1, unknownParameter.Exit);
        Assert.Contains("no parameter 'n_trees'", unknownParameter.Err);
        var missingFile = Run("cv", "--data", Path.Combine(dir, "nope.csv"), "--target", "gap", "--formula-column", "formula");
        Assert.Equal(1, missingFile.Exit);
        Assert.Contains("does not exist", missingFile.Err);
        var empty = Path.Combine(dir, "empty.csv");
        File.WriteAllText(empty, "");
        var emptyFile = Run("cv", "--data", empty, "--target", "gap", "--formula-column", "formula");
        Assert.Equal(1, emptyFile.Exit);
        Assert.Contains("is empty", emptyFile.Err);
    }

    [Fact]
    public void Featurize_KeepsTheInputColumns_ThenWritesMagpieColumns()
    {
        var dir = TempDir();
        var data = Path.Combine(dir, "small.csv");
        File.WriteAllText(data, Small);
        var output = Path.Combine(dir, "features.csv");
        var (exit, _, stderr) = Run("featurize", "--data", data, "--formula-column", "formula", "--featurizers", "magpie", "--out", output);
        Assert.True(exit == 0, stderr);
        var lines = File.ReadAllLines(output);
        Assert.Equal(13, lines.Length);
        var header = lines[0].Split(',');
        Assert.Equal(["id", "formula", "gap", "extra", "MagpieData minimum Number"], header.Take(5));
        Assert.Equal(4 + 132, header.Length);
        Assert.StartsWith("a,Fe2O3,2.1,1.0,8,26,18,15.2,", lines[1]);
    }
}
