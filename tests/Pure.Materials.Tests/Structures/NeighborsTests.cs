using Pure.Materials.Core;
using Pure.Materials.Structures;
using Xunit;
using Xunit.Abstractions;

namespace Pure.Materials.Tests.Structures;

public class NeighborsTests(ITestOutputHelper output)
{
    /// <summary>A seeded random structure: n sites of Si in a skewed cell, some coordinates outside [0, 1).</summary>
    internal static Structure Random(int n, double a, ulong seed)
    {
        var lattice = Lattice.FromParameters(a, a * 1.1, a * 0.9, 65, 78, 112).OrThrow();
        var r = Rng.FromSeed((long)seed);
        var coords = new Vec3[n];
        for (var i = 0; i < n; i++)
        {
            double x, y, z;
            (x, r) = r.NextDouble();
            (y, r) = r.NextDouble();
            (z, r) = r.NextDouble();
            coords[i] = new Vec3(3 * x - 1, y, 2 * z - 0.5);
        }
        return Structure.Create(lattice, Enumerable.Repeat(new Species(14), n).ToArray(), coords).OrThrow();
    }

    /// <summary>Every (j, image) within the cutoff, by scanning images wide enough for any site (the O(n^2 x images) way).</summary>
    private static List<(int J, Image M, double D)> Brute(Structure s, int i, double cutoff)
    {
        var l = s.Lattice;
        var reach = l.PlaneSpacings;
        var span = new[] { reach.X, reach.Y, reach.Z }.Select(d => (int)Math.Ceiling(cutoff / d) + 3).ToArray();
        var found = new List<(int, Image, double)>();
        var ri = s.CartesianCoordinates[i];
        for (var j = 0; j < s.Count; j++)
        {
            var f = s.Sites[j].Fractional;
            var fi = s.Sites[i].Fractional;
            var center = new[] { (int)Math.Round(fi.X - f.X), (int)Math.Round(fi.Y - f.Y), (int)Math.Round(fi.Z - f.Z) };
            for (var a = center[0] - span[0]; a <= center[0] + span[0]; a++)
                for (var b = center[1] - span[1]; b <= center[1] + span[1]; b++)
                    for (var c = center[2] - span[2]; c <= center[2] + span[2]; c++)
                    {
                        if (j == i && a == 0 && b == 0 && c == 0) continue;
                        var d = ((s.CartesianCoordinates[j] - ri) + ((double)a * l.A + (double)b * l.B + (double)c * l.C)).Norm;
                        if (d <= cutoff) found.Add((j, new Image(a, b, c), d));
                    }
        }
        return found;
    }

    [Theory]
    [InlineData(5, 4.0, 7.5)]
    [InlineData(40, 9.0, 5.0)]
    [InlineData(300, 20.0, 4.0)]
    public void Within_EqualsABruteForceImageScan_OnSkewedCells(int n, double a, double cutoff)
    {
        var s = Random(n, a, (ulong)n);
        var nl = Neighbors.Within(s, cutoff).OrThrow();
        var total = 0;
        for (var i = 0; i < n; i++)
        {
            var want = Brute(s, i, cutoff).OrderBy(x => x.D).ThenBy(x => x.J).ThenBy(x => x.M).ToList();
            var got = nl.Of(i).ToArray();
            Assert.Equal(want.Count, got.Length);
            for (var k = 0; k < got.Length; k++)
                Assert.Equal((want[k].J, want[k].M, want[k].D), (got[k].Index, got[k].Image, got[k].Distance));
            total += got.Length;
        }
        Assert.Equal(total, nl.TotalCount);
        output.WriteLine($"{n} sites, cutoff {cutoff}: {total} neighbours");
    }

    [Fact]
    public void Within_IsSymmetric_BitForBit()
    {
        var s = Random(60, 8.0, 7);
        var nl = Neighbors.Within(s, 6.0).OrThrow();
        var set = new HashSet<(int, int, Image, double)>();
        for (var i = 0; i < s.Count; i++)
            foreach (var nb in nl.Of(i)) set.Add((i, nb.Index, nb.Image, nb.Distance));
        foreach (var (i, j, m, d) in set) Assert.Contains((j, i, -m, d), set);
    }

    [Fact]
    public void Within_TinyCellLargeCutoff_FindsManyImagesOfItself()
    {
        var l = Lattice.Create(new Vec3(1, 0, 0), new Vec3(0, 1, 0), new Vec3(0, 0, 1)).OrThrow();
        var s = Structure.Create(l, [new Species(1)], [new Vec3(0.5, 0.5, 0.5)]).OrThrow();
        var nl = Neighbors.Within(s, 1.0).OrThrow();
        Assert.Equal(6, nl.Of(0).Length);
        Assert.All(nl.Of(0).ToArray(), x => Assert.Equal(1.0, x.Distance));
        Assert.Equal(new Image(-1, 0, 0), nl.Of(0)[0].Image);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Within_RefusesABadCutoff(double cutoff) =>
        Assert.Equal("neighbors.invalid_cutoff", Neighbors.Within(Random(3, 4, 1), cutoff).Problems()[0].Code);

    [Fact]
    public void Within_RefusesASearchThatWouldExplode()
    {
        var p = Neighbors.Within(Random(3, 4, 1), 5000).Problems();
        Assert.Equal("neighbors.too_many", p[0].Code);
    }

    [Fact]
    public void Within_LargeCell_UsesTheCellList_NotAQuadraticScan()
    {
        // 20,000 sites in a 60 A cell at cutoff 3 A: a pair scan would be 4e8 distance evaluations; the cell list does about 27 x 0.5 x 20,000.
        var s = Random(20_000, 60.0, 3);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var nl = Neighbors.Within(s, 3.0).OrThrow();
        watch.Stop();
        output.WriteLine($"20,000 sites, cutoff 3 A: {nl.TotalCount} neighbours in {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }
}
