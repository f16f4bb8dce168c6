using Pure.Materials.Cluster;
using Pure.Materials.Core;
using Pure.Materials.Tests.Select;
using Xunit;

namespace Pure.Materials.Tests.Cluster;

/// <summary>k-means and DBSCAN against scikit-learn 1.2.1; seeded k-means++; bad input.</summary>
public class ClusterTests
{
    private static readonly Matrix Blobs = UnsupervisedReference.Matrix("kmeans_blobs", "X");

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(2)]
    public void KMeans_FromTheSameInitialCentres_MatchesScikitLearnsInertiaCentresLabels(int k)
    {
        var @case = $"kmeans_k{k}";
        var init = UnsupervisedReference.Matrix(@case, "init");
        var model = KMeans.Fit(new KMeansOptions(k, InitialCentres: init), Blobs, Rng.FromSeed(0)).OrThrow();
        var inertia = UnsupervisedReference.Vector(@case, "inertia")[0];
        Assert.True(Math.Abs(model.Inertia - inertia) <= 1e-10 * inertia, $"inertia {model.Inertia:R} vs {inertia:R} (relative 1e-10)");
        Assert.Equal(UnsupervisedReference.Ints(@case, "labels"), model.Labels);
        var centres = UnsupervisedReference.Rows2(@case, "centres");
        for (var c = 0; c < k; c++)
            for (var j = 0; j < 2; j++) Assert.Equal(centres[c][j], model.Centres[c, j], 10);
        Assert.Equal((int)UnsupervisedReference.Vector(@case, "n_iter")[0], model.Iterations);
    }

    [Fact]
    public void KMeansPlusPlus_IsSeeded_AndFindsTheThreeBlobs()
    {
        var a = KMeans.Fit(new KMeansOptions(3, NInit: 4), Blobs, Rng.FromSeed(11)).OrThrow();
        var b = KMeans.Fit(new KMeansOptions(3, NInit: 4), Blobs, Rng.FromSeed(11)).OrThrow();
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Inertia, b.Inertia);
        // Same optimum as scikit-learn from the true-blob start (inertia 599.31...).
        Assert.True(a.Inertia <= UnsupervisedReference.Vector("kmeans_k3", "inertia")[0] * (1 + 1e-9), $"inertia {a.Inertia}");
        Assert.Equal(3, a.Labels.Take(90).Distinct().Count());
        Assert.Equal(a.Labels, KMeans.Predict(a, Blobs));
    }

    [Fact]
    public void KMeans_ReportsBadInput()
    {
        Assert.Equal("param.out_of_range", Assert.Single(KMeans.Fit(new KMeansOptions(200), Blobs, Rng.FromSeed(0)).Problems()).Code);
        Assert.Equal("shape.columns_mismatch", Assert.Single(KMeans.Fit(new KMeansOptions(2, InitialCentres: Matrix.Build(3, 2, (i, j) => i)), Blobs, Rng.FromSeed(0)).Problems()).Code);
        Assert.Equal("param.conflict", Assert.Single(KMeans.Fit(new KMeansOptions(3, NInit: 2, InitialCentres: Matrix.Build(3, 2, (i, j) => i)), Blobs, Rng.FromSeed(0)).Problems()).Code);
    }

    [Theory]
    [InlineData("dbscan_eps0.8_min5", 0.8, 5)]
    [InlineData("dbscan_eps1.2_min4", 1.2, 4)]
    [InlineData("dbscan_eps0.5_min3", 0.5, 3)]
    [InlineData("dbscan_eps3.0_min10", 3.0, 10)]
    public void Dbscan_LabelsEqualScikitLearns(string @case, double eps, int minSamples)
    {
        var model = Dbscan.Fit(new DbscanOptions(eps, minSamples), Blobs).OrThrow();
        Assert.Equal(UnsupervisedReference.Ints(@case, "labels"), model.Labels);
        Assert.Equal(UnsupervisedReference.Ints(@case, "core"), model.CoreRows);
    }

    [Fact]
    public void Dbscan_ReportsBadInput()
    {
        Assert.Equal(2, Dbscan.Fit(new DbscanOptions(0, 0), Blobs).Problems().Length);
    }
}
