using Pure.Materials.Cluster;
using Pure.Materials.Core;
using Pure.Materials.Split;
using Pure.Materials.Tests.Cli;
using Xunit;

namespace Pure.Materials.Tests.Cluster;

/// <summary>Representative split: k-means clusters of the standardised features, each cluster split in proportion.</summary>
public class RepresentativeSplitTests
{
    /// <summary>Three blobs of very different sizes (200, 40, 10 rows) in 2-D; the second feature is in other units (x 1000).</summary>
    private static Matrix Blobs()
    {
        var rng = new Random(3);
        var rows = new List<double[]>();
        void Blob(int n, double cx, double cy)
        {
            for (var i = 0; i < n; i++) rows.Add([cx + rng.NextDouble() * 0.3, 1000 * (cy + rng.NextDouble() * 0.3)]);
        }
        Blob(200, 0, 0);
        Blob(40, 5, 5);
        Blob(10, -5, 5);
        return Matrix.FromRows(rows);
    }

    [Fact]
    public void HoldOut_PutsEveryClustersShare_OnBothSides_AndPartitionsTheRows()
    {
        var x = Blobs();
        var options = new RepresentativeSplitOptions(3);
        var labels = RepresentativeSplit.Clusters(options, x, Rng.FromSeed(1).Split().Left).OrThrow();
        Assert.Equal([10, 40, 200], labels.GroupBy(l => l).Select(g => g.Count()).Order());
        var split = RepresentativeSplit.HoldOut(options, x, 0.2, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(Enumerable.Range(0, 250), split.Train.Concat(split.Test).Order());
        Assert.Equal(50, split.Test.Count());
        // 20 % of each cluster: 40 of 200, 8 of 40, 2 of 10.
        Assert.Equal([2, 8, 40], split.Test.GroupBy(i => labels[i]).Select(g => g.Count()).Order());
    }

    [Fact]
    public void Folds_DealEveryCluster_ToEveryFold_AndAreReproducible()
    {
        var x = Blobs();
        var options = new RepresentativeSplitOptions(3);
        var folds = RepresentativeSplit.Folds(options, x, 5, Rng.FromSeed(7)).OrThrow();
        var again = RepresentativeSplit.Folds(options, x, 5, Rng.FromSeed(7)).OrThrow();
        Assert.Equal(folds.Select(f => f.Test), again.Select(f => f.Test));
        Assert.Equal(Enumerable.Range(0, 250), folds.SelectMany(f => f.Test).Order());
        var labels = RepresentativeSplit.Clusters(options, x, Rng.FromSeed(7).Split().Left).OrThrow();
        foreach (var f in folds)
            Assert.Equal([2, 8, 40], f.Test.GroupBy(i => labels[i]).Select(g => g.Count()).Order());
        var other = RepresentativeSplit.Folds(options, x, 5, Rng.FromSeed(8)).OrThrow();
        Assert.NotEqual(folds.Select(f => f.Test.ToArray()).First(), other.Select(f => f.Test.ToArray()).First());
    }

    [Fact]
    public void APlainRandomSplit_CanMissTheSmallCluster_TheRepresentativeOneNever()
    {
        var x = Blobs();
        var options = new RepresentativeSplitOptions(3);
        var labels = RepresentativeSplit.Clusters(options, x, Rng.FromSeed(0).Split().Left).OrThrow();
        var small = labels.GroupBy(l => l).MinBy(g => g.Count())!.Key;
        int randomMisses = 0;
        for (var seed = 0; seed < 200; seed++)
        {
            var random = TrainTestSplit.Split(250, 0.2, Rng.FromSeed(seed)).OrThrow();
            if (!random.Test.Any(i => labels[i] == small)) randomMisses++;
            var representative = RepresentativeSplit.HoldOut(options, x, 0.2, Rng.FromSeed(seed)).OrThrow();
            var clusters = RepresentativeSplit.Clusters(options, x, Rng.FromSeed(seed).Split().Left).OrThrow();
            Assert.Equal(3, representative.Test.Select(i => clusters[i]).Distinct().Count());
        }
        // P(no row of 10 among 50 of 250) is about 0.1: a random split leaves the small region out of the test rows in about 1 run of 10.
        Assert.InRange(randomMisses, 5, 40);
    }

    [Fact]
    public void TooManyClusters_IsAProblemNamingTheFix()
    {
        var p = Assert.Single(RepresentativeSplit.Folds(new RepresentativeSplitOptions(60), Blobs(), 5, Rng.FromSeed(0)).Problems());
        Assert.Equal("split.cluster_too_small", p.Code);
        Assert.Contains("RepresentativeSplitOptions.Clusters", p.Message);
        Assert.Equal("param.out_of_range", Assert.Single(RepresentativeSplit.HoldOut(new RepresentativeSplitOptions(1), Blobs(), 0.2, Rng.FromSeed(0)).Problems()).Code);
    }

    [Fact]
    public void Cli_Representative_WithTestFractionOrFolds_AndRecordedInTheReport()
    {
        var dir = CliRun.TempDir("representative");
        var (exit, output, err) = CliRun.Run("cv", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--feature-columns", "K,Rb,Cs,MA,FA,Ca,Sr,Ba,Ge,Sn,Pb,Cl,Br,I",
            "--representative", "5", "--test-fraction", "0.2", "--set", "n_estimators=10", "--quiet", "--out", dir);
        Assert.True(exit == 0, err);
        Assert.Contains("103 test rows", output);
        var report = File.ReadAllText(Path.Combine(dir, "report.json"));
        Assert.Contains("representative_train_test", report);
        (exit, output, err) = CliRun.Run("cv", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--feature-columns", "K,Rb,Cs,MA,FA",
            "--representative", "3", "--folds", "4", "--set", "n_estimators=10", "--quiet");
        Assert.True(exit == 0, err);
        Assert.Contains("over 4 folds", output);
        (exit, _, err) = CliRun.Run("cv", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--feature-columns", "K,Rb",
            "--representative", "3", "--loo");
        Assert.Equal(1, exit);
        Assert.Contains("--representative makes its own splits", err);
        (exit, _, err) = CliRun.Run("cv", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--feature-columns", "K,Rb,Cs,MA,FA,Ca,Sr,Ba,Ge,Sn,Pb,Cl,Br,I",
            "--representative", "400");
        Assert.Equal(1, exit);
        Assert.Contains("--representative K", err);
        Assert.Contains("[split.cluster_too_small]", err);
    }
}
