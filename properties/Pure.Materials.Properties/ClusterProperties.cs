using FsCheck;
using FsCheck.Fluent;
using Pure.Materials.Cluster;
using Pure.Materials.Core;
using Pure.Materials.Select;
using Xunit;

namespace Pure.Materials.Properties;

/// <summary>k-means, DBSCAN and PCA: invariants that hold for any data.</summary>
public class ClusterProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(150);

    /// <summary>Points on a small integer grid (many ties and duplicates), shape (4..40, 1..3).</summary>
    private static Gen<Matrix> Points =>
        from rows in Gen.Choose(4, 40)
        from cols in Gen.Choose(1, 3)
        from values in Gen.ArrayOf(Gen.Choose(-20, 20), rows * cols)
        select Matrix.Build(rows, cols, (i, j) => values[i * cols + j] / 4.0);

    private static double Sq(Matrix x, int i, Matrix c, int k) => Enumerable.Range(0, x.Cols).Sum(j => (x[i, j] - c[k, j]) * (x[i, j] - c[k, j]));

    [Fact]
    public void KMeans_LabelsAreNearestCentres_InertiaIsTheirSum_AndTheSeedFixesTheResult()
    {
        var cases = from x in Points from k in Gen.Choose(1, 5) from seed in Generators.Seed where k <= x.Rows select (x, k, seed);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var m = KMeans.Fit(new KMeansOptions(c.k, NInit: 2), c.x, Rng.FromSeed(c.seed)).OrThrow();
            var again = KMeans.Fit(new KMeansOptions(c.k, NInit: 2), c.x, Rng.FromSeed(c.seed)).OrThrow();
            var nearest = Enumerable.Range(0, c.x.Rows).All(i =>
                Enumerable.Range(0, c.k).All(q => Sq(c.x, i, m.Centres, m.Labels[i]) <= Sq(c.x, i, m.Centres, q) + 1e-9));
            var inertia = Enumerable.Range(0, c.x.Rows).Sum(i => Sq(c.x, i, m.Centres, m.Labels[i]));
            return m.Labels.All(l => l >= 0 && l < c.k) && nearest && Math.Abs(inertia - m.Inertia) <= 1e-9 * (1 + inertia)
                && m.Labels.SequenceEqual(again.Labels) && m.Inertia == again.Inertia;
        }));
    }

    [Fact]
    public void Dbscan_CoreRowsDoNotDependOnRowOrder_AndCoreNeighboursShareACluster()
    {
        var cases = from x in Points from eps in Gen.Choose(1, 12) from minSamples in Gen.Choose(1, 6) from perm in Gen.Shuffle(Enumerable.Range(0, 64))
                    select (x, eps / 4.0, minSamples, perm.Where(i => i < x.Rows).ToArray());
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (x, eps, minSamples, perm) = c;
            var m = Dbscan.Fit(new DbscanOptions(eps, minSamples), x).OrThrow();
            var permuted = Dbscan.Fit(new DbscanOptions(eps, minSamples), x.SelectRows(perm)).OrThrow();
            var coreOriginal = m.CoreRows.ToHashSet();
            var sameCore = permuted.CoreRows.Select(i => perm[i]).Order().SequenceEqual(m.CoreRows);
            var connected = m.CoreRows.All(i => m.CoreRows.All(j => Sq(x, i, x, j) > eps * eps || m.Labels[i] == m.Labels[j]));
            var coreLabelled = m.CoreRows.All(i => m.Labels[i] >= 0);
            return sameCore && connected && coreLabelled;
        }));
    }

    [Fact]
    public void Pca_ComponentsAreOrthonormal_AndVarianceRatiosDecreaseAndSumToAtMostOne()
    {
        var cases = from x in Generators.FeatureMatrix where x.Rows >= 2 && x.Cols >= 1 select x;
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), x =>
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
        }));
    }
}
