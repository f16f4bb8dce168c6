using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary><c>pca --umap-n-neighbors</c> as a process would run it.</summary>
public class UmapCliTests
{
    private static readonly string[] Perovskite = ["--data", "perovskite_dft", "--feature-columns", "K,Rb,Cs,MA,FA,Ge,Sn,Pb,Cl,Br,I,B_En,X_En"];

    [Fact]
    public void Pca_UmapNNeighbors_WritesTheMap_SeededAndChecked()
    {
        var dir = CliRun.TempDir("pm-umap-");
        var (exit, stdout, stderr) = CliRun.Run(["pca", .. Perovskite, "--target", "Band Gap", "--target-unit", "eV", "--umap-n-neighbors", "10", "--seed", "4", "--out", dir]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("UMAP (exact 10 nearest neighbours, min_dist 0.1, 500 epochs, a 1.5769, b 0.8951", stdout);
        var rows = File.ReadAllLines(Path.Combine(dir, "umap.csv"));
        Assert.Equal("id,umap1,umap2", rows[0]);
        Assert.Equal(513, rows.Length);
        Assert.Contains("Band Gap (eV)", File.ReadAllText(Path.Combine(dir, "umap.svg")));
        var again = CliRun.TempDir("pm-umap-again-");
        Assert.Equal(0, CliRun.Run(["pca", .. Perovskite, "--umap-n-neighbors", "10", "--seed", "4", "--out", again]).Exit);
        Assert.Equal(rows, File.ReadAllLines(Path.Combine(again, "umap.csv")));
        var bad = CliRun.Run(["pca", .. Perovskite, "--umap-n-neighbors", "512", "--out", CliRun.TempDir("pm-umap-bad-")]);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("error: --umap-n-neighbors 512 must be at least 2 and below the number of rows (512); typical values are 5 to 50 [param.out_of_range]", bad.Err);
    }
}
