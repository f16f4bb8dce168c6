using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>The <c>search</c> and <c>learning-curve</c> commands as processes.</summary>
public class SearchCliTests
{
    private static readonly string[] Perovskite = ["--data", "perovskite_dft", "--target", "Band Gap", "--feature-columns", "K,Rb,Cs,MA,FA,Ge,Sn,Pb,Cl,Br,I,B_En,X_En", "--model", "ridge"];

    [Fact]
    public void Search_Grid_WritesEveryCandidateWithMeanAndStd()
    {
        var dir = CliRun.TempDir("pm-search-");
        var (exit, stdout, stderr) = CliRun.Run(["search", .. Perovskite, "--grid", "alpha=0.01,1,100", "--grid", "fit_intercept=true,false", "--folds", "3", "--seed", "1", "--out", dir]);
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("best alpha=", stdout);
        var lines = File.ReadAllLines(Path.Combine(dir, "search.csv"));
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("index,candidate,rank,mae_mean,mae_std", lines[0]);
        Assert.Contains("\"alpha=100, fit_intercept=false\"", lines[6]);
    }

    [Fact]
    public void Search_RandomWithHeldOutTest_ReportsTheTestErrorOnceAfterSelection()
    {
        var (exit, stdout, stderr) = CliRun.Run(["search", .. Perovskite, "--grid", "alpha=loguniform(0.001,1000)", "--random", "4", "--test-fraction", "0.2", "--inner-folds", "3"]);
        Assert.True(exit == 0, stderr + stdout);
        Assert.Single(stdout.Split('\n'), l => l.Contains("held-out test MAE"));
        Assert.Contains("103 test rows, scored once after selection", stdout);

        // With --out: the held-out parity plot, 103 points, whose MAE is the reported test MAE.
        var dir = CliRun.TempDir("pm-search-heldout-");
        var written = CliRun.Run(["search", .. Perovskite, "--grid", "alpha=loguniform(0.001,1000)", "--random", "4", "--test-fraction", "0.2", "--inner-folds", "3", "--out", dir]);
        Assert.True(written.Exit == 0, written.Err);
        var svg = File.ReadAllText(Path.Combine(dir, "parity.svg"));
        Assert.Contains("held-out test (103 rows, after selection)", svg);
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report.json")));
        var mae = report.RootElement.GetProperty("metrics").GetProperty("mae").GetProperty("mean").GetDouble();
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"MAE = {mae:G4}"), svg);
    }

    [Fact]
    public void Search_Nested_ReportsOneSelectionPerOuterFold()
    {
        var (exit, stdout, stderr) = CliRun.Run(["search", .. Perovskite, "--grid", "alpha=0.01,100", "--nested", "--folds", "3", "--inner-folds", "3"]);
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("nested CV mae", stdout);
    }

    [Theory]
    [InlineData("param.out_of_range", "--grid", "alpha=1,-1")]
    [InlineData("param.invalid_value", "--grid", "alpha=1,abc")]
    [InlineData("param.missing")]
    [InlineData("param.invalid_value", "--grid", "alpha=loguniform(0,1)", "--random", "3")]
    [InlineData("param.conflict", "--grid", "alpha=1", "--nested", "--test-fraction", "0.2")]
    public void Search_BadCandidatesAndOptions_GiveProblems(string code, params string[] extra)
    {
        var (exit, _, stderr) = CliRun.Run(["search", .. Perovskite, .. extra]);
        Assert.Equal(1, exit);
        Assert.Contains($"[{code}]", stderr);
        if (code == "param.out_of_range") Assert.Contains("candidate 1 (alpha=-1)", stderr);
    }

    [Fact]
    public void LearningCurve_AndValidationCurve_WriteCsvAndSvg()
    {
        var dir = CliRun.TempDir("pm-lc-");
        var (exit, _, stderr) = CliRun.Run(["learning-curve", .. Perovskite, "--sizes", "0.2,0.5,1", "--out", dir, "--target-unit", "eV"]);
        Assert.True(exit == 0, stderr);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(dir, "learning_curve.csv")).Length);
        Assert.Contains("MAE (eV)", File.ReadAllText(Path.Combine(dir, "learning_curve.svg")));
        (exit, _, stderr) = CliRun.Run(["learning-curve", .. Perovskite, "--validation", "alpha=0.01,1,100,10000", "--out", dir]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("alpha (log scale)", File.ReadAllText(Path.Combine(dir, "validation_curve.svg")));
        Assert.Contains("[param.out_of_range]", CliRun.Run(["learning-curve", .. Perovskite, "--sizes", "0,1.5"]).Err);
    }
}
