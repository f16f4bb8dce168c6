using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>The <c>pca</c>, <c>cluster</c> and <c>select</c> commands as processes.</summary>
public class ClusterCliTests
{
    private static readonly string[] Perovskite = ["--data", "perovskite_dft", "--feature-columns", "K,Rb,Cs,MA,FA,Ge,Sn,Pb,Cl,Br,I,B_En,X_En"];

    [Fact]
    public void Pca_WritesScoresComponentsAndAScatterColouredByTheTarget()
    {
        var dir = CliRun.TempDir("pm-pca-");
        var (exit, stdout, stderr) = CliRun.Run(["pca", .. Perovskite, "--target", "Band Gap", "--components", "3", "--target-unit", "eV", "--out", dir]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("explained variance ratio:", stdout);
        Assert.Equal(513, File.ReadAllLines(Path.Combine(dir, "pca.csv")).Length);
        Assert.StartsWith("component,explained_variance,explained_variance_ratio,K,Rb", File.ReadAllLines(Path.Combine(dir, "pca_components.csv"))[0]);
        Assert.Contains("Band Gap (eV)", File.ReadAllText(Path.Combine(dir, "pca.svg")));
        var bad = CliRun.Run(["pca", .. Perovskite, "--components", "14"]);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("min(n_samples, n_features) = 13", bad.Err);
    }

    [Fact]
    public void Cluster_KMeansIsSeeded_AndDbscanRuns()
    {
        var a = CliRun.Run(["cluster", .. Perovskite, "--k", "4", "--seed", "3"]);
        var b = CliRun.Run(["cluster", .. Perovskite, "--k", "4", "--seed", "3"]);
        Assert.Equal(0, a.Exit);
        Assert.Equal(a.Out, b.Out);
        var d = CliRun.Run(["cluster", .. Perovskite, "--method", "dbscan", "--eps", "1.5"]);
        Assert.True(d.Exit == 0, d.Err);
        Assert.Contains("DBSCAN: eps = 1.5", d.Out);
        Assert.Contains("[param.out_of_range]", CliRun.Run(["cluster", .. Perovskite, "--k", "9999"]).Err);
    }

    [Fact]
    public void Select_Rfe_KeepsK_AndNeedsATarget()
    {
        var dir = CliRun.TempDir("pm-select-");
        var (exit, stdout, stderr) = CliRun.Run(["select", .. Perovskite, "--target", "Band Gap", "--method", "rfe", "--k", "4", "--out", dir]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("kept 4 of 13 features", stdout);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(dir, "selected_features.csv")).Count(l => l.EndsWith(",true", StringComparison.Ordinal)));
        Assert.Contains("[param.missing]", CliRun.Run(["select", .. Perovskite, "--method", "correlation"]).Err);
    }
}
