using System.Text.Json;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary><c>cv --select</c>: selection runs inside each fold and is recorded in report.json; bad text is a problem.</summary>
public class SelectCliTests
{
    private static readonly string[] Perovskite = ["cv", "--data", "perovskite_dft", "--target", "Band Gap", "--feature-columns", "K,Rb,Cs,MA,FA,Ge,Sn,Pb,Cl,Br,I,B_En,X_En", "--model", "ridge"];

    [Fact]
    public void Cv_WithRfeSelection_RecordsTheSelectorInTheReport()
    {
        var dir = CliRun.TempDir("pm-cvsel-");
        var (exit, stdout, stderr) = CliRun.Run([.. Perovskite, "--select", "rfe:4", "--folds", "3", "--out", dir]);
        Assert.True(exit == 0, stderr + stdout);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report.json")));
        var parameters = report.RootElement.GetProperty("options").GetProperty("parameters");
        Assert.Equal("4", parameters.GetProperty("select__n_features_to_select").GetString());
        Assert.Equal("rfe+ridge", report.RootElement.GetProperty("options").GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("rfe:many")]
    [InlineData("pca")]
    public void Cv_WithBadSelection_GivesAProblem(string select)
    {
        var (exit, _, stderr) = CliRun.Run([.. Perovskite, "--select", select]);
        Assert.Equal(1, exit);
        Assert.Contains("[param.invalid_value]", stderr);
    }
}
