using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Structures;

namespace Pure.Materials.Properties;

/// <summary>Properties of periodic neighbour lists (symmetry; invariance to translation, permutation, another basis of the
/// same lattice, rotation; supercells) of <see cref="Neighbors.Within"/> on seeded random structures: skewed
/// cells (angles 55..125 degrees), 1..10 sites with coordinates in [-0.5, 1.5), cutoffs 1.5..7 Angstrom.</summary>
/// <remarks>Distances computed from moved coordinates differ from the originals in the last bits, so the translation and
/// supercell properties compare at 1e-9 Angstrom and leave out distances within 1e-7 of the cutoff (a neighbour exactly on
/// the sphere may fall on either side). Symmetry and permutation compare exactly.</remarks>
public class StructureProperties
{
    private const double Tol = 1e-9;

    /// <summary>A random structure and cutoff drawn from <paramref name="seed"/>.</summary>
    internal static (Structure Structure, double Cutoff, RngCursor Rng) Case(RngSeed seed)
    {
        var r = new RngCursor(Rng.FromSeed(seed.Value));
        double U(double lo, double hi) => lo + (hi - lo) * r.NextDouble();
        Lattice? lattice = null;
        while (lattice is null)
        {
            var v = Lattice.FromParameters(U(2.5, 7), U(2.5, 7), U(2.5, 7), U(55, 125), U(55, 125), U(55, 125));
            if (v.IsSuccess) lattice = v.OrThrow();
        }
        var n = 1 + r.NextInt(10);
        var zs = new[] { 1, 8, 14, 26, 55 };
        var species = Enumerable.Range(0, n).Select(_ => new Species(zs[r.NextInt(zs.Length)])).ToArray();
        var coords = Enumerable.Range(0, n).Select(_ => new Vec3(U(-0.5, 1.5), U(-0.5, 1.5), U(-0.5, 1.5))).ToArray();
        return (Structure.Create(lattice, species, coords).OrThrow(), U(1.5, 7), r);
    }

    private static double[] Distances(NeighborList nl, int i, double cutoff) =>
        nl.Of(i).ToArray().Select(x => x.Distance).Where(d => d < cutoff - 1e-7).ToArray();

    private static bool Close(double[] a, double[] b) => a.Length == b.Length && Enumerable.Range(0, a.Length).All(k => Math.Abs(a[k] - b[k]) <= Tol);

    [Property(MaxTest = 200)]
    public bool NeighbourLists_AreSymmetric_BitForBit(RngSeed seed)
    {
        var (s, cutoff, _) = Case(seed);
        var nl = Neighbors.Within(s, cutoff).OrThrow();
        var pairs = new HashSet<(int, int, Image, double)>();
        for (var i = 0; i < s.Count; i++)
            foreach (var nb in nl.Of(i)) pairs.Add((i, nb.Index, nb.Image, nb.Distance));
        return pairs.All(p => pairs.Contains((p.Item2, p.Item1, -p.Item3, p.Item4)));
    }

    [Property(MaxTest = 200)]
    public bool DistanceLists_AreInvariant_ToTranslatingAllSites(RngSeed seed)
    {
        var (s, cutoff, r) = Case(seed);
        var shift = new Vec3(4 * r.NextDouble() - 2, 4 * r.NextDouble() - 2, 4 * r.NextDouble() - 2);
        var moved = Structure.Create(s.Lattice, s.Sites.Select(x => x.OrderedSpecies!).ToArray(), s.Sites.Select(x => x.Fractional + shift).ToArray()).OrThrow();
        var a = Neighbors.Within(s, cutoff).OrThrow();
        var b = Neighbors.Within(moved, cutoff).OrThrow();
        return Enumerable.Range(0, s.Count).All(i => Close(Distances(a, i, cutoff), Distances(b, i, cutoff)));
    }

    [Property(MaxTest = 200)]
    public bool NeighbourLists_AreInvariant_ToPermutingSites(RngSeed seed)
    {
        var (s, cutoff, r) = Case(seed);
        var p = Enumerable.Range(0, s.Count).ToArray();
        for (var k = p.Length - 1; k > 0; k--) { var j = r.NextInt(k + 1); (p[k], p[j]) = (p[j], p[k]); }
        var permuted = Structure.Create(s.Lattice, p.Select(k => s.Sites[k])).OrThrow(); // new site k is old site p[k]
        var a = Neighbors.Within(s, cutoff).OrThrow();
        var b = Neighbors.Within(permuted, cutoff).OrThrow();
        for (var k = 0; k < s.Count; k++)
        {
            var want = a.Of(p[k]).ToArray().Select(x => (x.Index, x.Image, x.Distance)).Order().ToArray();
            var got = b.Of(k).ToArray().Select(x => (p[x.Index], x.Image, x.Distance)).Order().ToArray();
            if (!want.SequenceEqual(got)) return false;
        }
        return true;
    }

    [Property(MaxTest = 200)]
    public bool DistanceLists_AreInvariant_ToAnotherBasisOfTheSameLattice(RngSeed seed)
    {
        var (s, cutoff, r) = Case(seed);
        // M: a product of three random shears (unimodular, integer); new rows L' = M L, new coordinates f' = f M^-1.
        var m = new long[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        for (var k = 0; k < 3; k++)
        {
            int row = r.NextInt(3), col = (row + 1 + r.NextInt(2)) % 3, c = r.NextInt(2) == 0 ? -1 : 1;
            for (var q = 0; q < 3; q++) m[row, q] += c * m[col, q]; // row_i += c row_j
        }
        var l = s.Lattice;
        Vec3 Row(int i) => (double)m[i, 0] * l.A + (double)m[i, 1] * l.B + (double)m[i, 2] * l.C;
        var other = Lattice.Create(Row(0), Row(1), Row(2));
        if (other.IsFail) return true; // a shear so strong that the new basis is nearly flat: not a case
        var moved = Structure.Create(other.OrThrow(), s.Sites.Select(x => x.OrderedSpecies!).ToArray(),
            s.CartesianCoordinates.Select(c => other.OrThrow().ToFractional(c)).ToArray()).OrThrow();
        var a = Neighbors.Within(s, cutoff).OrThrow();
        var b = Neighbors.Within(moved, cutoff).OrThrow();
        return Enumerable.Range(0, s.Count).All(i => Close(Distances(a, i, cutoff), Distances(b, i, cutoff)));
    }

    [Property(MaxTest = 200)]
    public bool DistanceLists_AreInvariant_ToRotatingTheCartesianFrame(RngSeed seed)
    {
        var (s, cutoff, r) = Case(seed);
        // A random rotation from a random unit quaternion.
        double w = r.NextDouble() - 0.5, x = r.NextDouble() - 0.5, y = r.NextDouble() - 0.5, z = r.NextDouble() - 0.5;
        var norm = Math.Sqrt(w * w + x * x + y * y + z * z);
        (w, x, y, z) = (w / norm, x / norm, y / norm, z / norm);
        Vec3 Rotate(Vec3 v) => new(
            (1 - 2 * (y * y + z * z)) * v.X + 2 * (x * y - w * z) * v.Y + 2 * (x * z + w * y) * v.Z,
            2 * (x * y + w * z) * v.X + (1 - 2 * (x * x + z * z)) * v.Y + 2 * (y * z - w * x) * v.Z,
            2 * (x * z - w * y) * v.X + 2 * (y * z + w * x) * v.Y + (1 - 2 * (x * x + y * y)) * v.Z);
        var l = s.Lattice;
        var rotated = Structure.Create(Lattice.Create(Rotate(l.A), Rotate(l.B), Rotate(l.C)).OrThrow(), s.Sites).OrThrow();
        var a = Neighbors.Within(s, cutoff).OrThrow();
        var b = Neighbors.Within(rotated, cutoff).OrThrow();
        return Enumerable.Range(0, s.Count).All(i => Close(Distances(a, i, cutoff), Distances(b, i, cutoff)));
    }

    [Property(MaxTest = 100)]
    public bool ASupercell_GivesEveryCopy_TheDistanceListOfItsSite(RngSeed seed)
    {
        var (s, cutoff, r) = Case(seed);
        var (na, nb, nc) = (1 + r.NextInt(3), 1 + r.NextInt(2), 1 + r.NextInt(2));
        var sc = s.Supercell(na, nb, nc).OrThrow();
        var a = Neighbors.Within(s, cutoff).OrThrow();
        var b = Neighbors.Within(sc, cutoff).OrThrow();
        var copies = na * nb * nc;
        return Enumerable.Range(0, sc.Count).All(k => Close(Distances(a, k / copies, cutoff), Distances(b, k, cutoff)));
    }
}
