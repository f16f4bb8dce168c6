using System.Text.Json;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary><c>cv --groups</c>, <c>--stratify</c>, <c>--loo</c> run as a process: splits recorded in report.json, bad input as problems.</summary>
public class CvSplitCliTests
{
    private const string Small = "id,formula,gap,extra,cls,family\n" +
        "a,Fe2O3,2.1,1.0,1,ox\nb,NaCl,8.5,2.0,0,hal\nc,MgO,7.8,3.0,0,ox\nd,Si,1.1,4.0,1,el\ne,GaAs,1.4,5.0,1,pn\nf,ZnO,3.3,6.0,0,ox\n" +
        "g,TiO2,3.0,7.0,1,ox\nh,Al2O3,8.8,8.0,0,ox\ni,Fe4O6,0,9.0,1,ox\nj,Na2Cl2,0.7,10.0,0,hal\nk,CdS,2.4,11.0,1,ch\nl,AlN,6.2,12.0,0,pn\n";

    private static string Data()
    {
        var dir = CliRun.TempDir("pm-split-");
        var path = Path.Combine(dir, "small.csv");
        File.WriteAllText(path, Small);
        return path;
    }

    [Fact]
    public void Cv_GroupsByReducedFormula_KeepsFe2O3AndFe4O6InOneFold()
    {
        var data = Data();
        var outDir = Path.Combine(Path.GetDirectoryName(data)!, "out");
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", data, "--target", "gap", "--formula-column", "formula", "--model", "ridge",
            "--groups", "reduced-formula", "--folds", "3", "--out", outDir);
        Assert.True(exit == 0, stderr + stdout);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        Assert.Equal("group_kfold", report.RootElement.GetProperty("options").GetProperty("split").GetProperty("kind").GetString());
        var folds = File.ReadAllLines(Path.Combine(outDir, "predictions.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0], c => c[2]);
        Assert.Equal(folds["a"], folds["i"]);
        Assert.Equal(folds["b"], folds["j"]);
    }

    [Fact]
    public void Cv_GroupsByColumn_AndStratify_AndLoo_Run()
    {
        var data = Data();
        Assert.Equal(0, CliRun.Run("cv", "--data", data, "--target", "gap", "--feature-columns", "extra", "--model", "ridge", "--groups", "family", "--folds", "3").Exit);
        Assert.Equal(0, CliRun.Run("cv", "--data", data, "--target", "cls", "--feature-columns", "extra", "--model", "ridge", "--stratify", "--folds", "3").Exit);
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", data, "--target", "gap", "--feature-columns", "extra", "--model", "ridge", "--loo");
        Assert.True(exit == 0, stderr);
        Assert.Contains("over 12 folds", stdout);
    }

    [Theory]
    [InlineData("split.too_few_groups", "--target", "gap", "--groups", "family", "--folds", "7")]
    [InlineData("param.out_of_range", "--target", "gap", "--folds", "13")]
    [InlineData("split.class_too_small", "--target", "cls", "--groups", "family", "--stratify", "--folds", "7")]
    [InlineData("csv.missing_column", "--target", "gap", "--groups", "spacegroup")]
    [InlineData("split.class_too_small", "--target", "cls", "--stratify", "--folds", "7")]
    [InlineData("split.stratify_continuous", "--target", "gap", "--stratify")]
    [InlineData("param.conflict", "--target", "gap", "--loo", "--folds", "3")]
    public void Cv_BadSplitOptions_GiveClearProblems(string code, params string[] extra)
    {
        var (exit, _, stderr) = CliRun.Run(["cv", "--data", Data(), "--feature-columns", "extra", "--model", "ridge", .. extra]);
        Assert.Equal(1, exit);
        Assert.Contains($"[{code}]", stderr);
    }
}
