using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pure.Materials.Cluster;
using Pure.Materials.Core;
using Pure.Materials.Select;

namespace Pure.Materials.Properties;

/// <summary>k-means, DBSCAN and PCA: invariants that hold for any data.</summary>
[Properties(MaxTest = 150)]
public class ClusterProperties
{
    private static double Sq(Matrix x, int i, Matrix c, int k) => Enumerable.Range(0, x.Cols).Sum(j => (x[i, j] - c[k, j]) * (x[i, j] - c[k, j]));

    [Property]
    public bool KMeans_LabelsAreNearestCentres_InertiaIsTheirSum_AndTheSeedFixesTheResult(KMeansCase c, RngSeed seed)
    {
        var m = KMeans.Fit(new KMeansOptions(c.K, NInit: 2), c.X, seed.Rng).OrThrow();
        var again = KMeans.Fit(new KMeansOptions(c.K, NInit: 2), c.X, seed.Rng).OrThrow();
        var nearest = Enumerable.Range(0, c.X.Rows).All(i =>
            Enumerable.Range(0, c.K).All(q => Sq(c.X, i, m.Centres, m.Labels[i]) <= Sq(c.X, i, m.Centres, q) + 1e-9));
        var inertia = Enumerable.Range(0, c.X.Rows).Sum(i => Sq(c.X, i, m.Centres, m.Labels[i]));
        return m.Labels.All(l => l >= 0 && l < c.K) && nearest && Math.Abs(inertia - m.Inertia) <= 1e-9 * (1 + inertia)
            && m.Labels.SequenceEqual(again.Labels) && m.Inertia == again.Inertia;
    }

    [Property]
    public Property Dbscan_CoreRowsDoNotDependOnRowOrder_AndCoreNeighboursShareACluster(DbscanCase c, RngSeed orderSeed)
    {
        var (x, eps, minSamples) = (c.X, c.Eps, c.MinSamples);
        var perm = Generators.Shuffled(x.Rows, orderSeed.Value);
        var m = Dbscan.Fit(new DbscanOptions(eps, minSamples), x).OrThrow();
        var permuted = Dbscan.Fit(new DbscanOptions(eps, minSamples), x.SelectRows(perm)).OrThrow();
        var sameCore = permuted.CoreRows.Select(i => perm[i]).Order().SequenceEqual(m.CoreRows);
        var connected = m.CoreRows.All(i => m.CoreRows.All(j => Sq(x, i, x, j) > eps * eps || m.Labels[i] == m.Labels[j]));
        var coreLabelled = m.CoreRows.All(i => m.Labels[i] >= 0);
        return (sameCore && connected && coreLabelled).Classify(m.CoreRows.Count == 0, "no core row");
    }

    [Property]
    public Property Pca_ComponentsAreOrthonormal_AndVarianceRatiosDecreaseAndSumToAtMostOne(Features features)
    {
        var x = features.Value;
        return Prop.When(x.Rows >= 2, () =>
        {
            var m = Pca.Fit(new PcaOptions(), x).OrThrow();
            var k = m.NComponents;
            var orthonormal = Enumerable.Range(0, k).All(a => Enumerable.Range(0, k).All(b =>
            {
                var dot = Enumerable.Range(0, x.Cols).Sum(j => m.Components[a, j] * m.Components[b, j]);
                // Axes with zero variance may be any unit vector orthogonal to the others; they are still orthonormal.
                return Math.Abs(dot - (a == b ? 1 : 0)) < 1e-8;
            }));
            var ratios = m.ExplainedVarianceRatio;
            var decreasing = Enumerable.Range(1, k - 1).All(i => ratios[i] <= ratios[i - 1] + 1e-12);
            return orthonormal && decreasing && ratios.Sum() <= 1 + 1e-9 && ratios.All(r => r >= 0);
        });
    }
}
