using System.Text.Json;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary><c>explain</c> writes plain CSV (no comment line), the run's facts in explain.json, and its output feeds <c>report</c>.</summary>
public class ExplainCliTests
{
    [Fact]
    public void Explain_WritesPlainCsv_AndExplainJson_AndReportReadsThem()
    {
        var dir = CliRun.TempDir("pm-explain-");
        var r = CliRun.Run("explain", "--data", "perovskite_dft", "--target", "Band Gap", "--feature-columns", "K,Rb,Cs,MA,FA,Ge,Sn,Pb,Cl,Br,I",
            "--model", "rf", "--set", "n_estimators=10", "--test-fraction", "0.2", "--seed", "3", "--repeats", "2", "--shap-rows", "20", "--out", dir);
        Assert.True(r.Exit == 0, r.Err);
        var lines = File.ReadAllLines(Path.Combine(dir, "importances.csv"));
        Assert.Equal("feature,impurity_importance,permutation_importance_mean,permutation_importance_std,mean_abs_shap", lines[0]);
        Assert.Equal(1 + 11, lines.Length);
        Assert.DoesNotContain(lines, l => l.StartsWith('#'));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "explain.json")));
        Assert.Equal("rf", json.RootElement.GetProperty("model").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("seed").GetInt64());
        Assert.Equal(20, json.RootElement.GetProperty("shap_rows").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("permutation_repeats").GetInt32());
        Assert.Contains("seed 3, train rows", r.Out);
        var report = CliRun.Run("report", dir);
        Assert.True(report.Exit == 0, report.Err);
        Assert.Contains("mean_abs_shap", File.ReadAllText(Path.Combine(dir, "index.html")));
    }
}
