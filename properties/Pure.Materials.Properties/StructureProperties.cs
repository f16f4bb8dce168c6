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

    private const string PoscarText = "BaGaSiH\n1.0\n4.3015 0 0\n-2.15075 3.725208 0\n0 0 5.2703\nBa Ga Si H\n1 1 1 1\nSelective dynamics\nDirect\n0 0 0 T T T\n0.6666 0.3333 0.5423 F F F\n0.3334 0.6667 0.4555 T F T\n0.6666 0.3333 0.8759 F T F\n";

    private const string CifText = "data_t\n_title\n;\nsome text\n;\n_cell_length_a 5.6402(2)\n_cell_length_b 5.6402(2)\n_cell_length_c 6.1\n_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 120\n"
        + "loop_\n_symmetry_equiv_pos_as_xyz\n'x, y, z'\n'-y, x-y, z'\n'-x+y, -x, z+1/2'\nloop_\n_atom_type_symbol\n_atom_type_oxidation_number\nNa1+ 1\nCl1- -1\n"
        + "loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n_atom_site_occupancy\nNa1 Na1+ 0.3333 0.6667 0.1 1.0\nCl1 Cl1- 0.5 0.5 0.5(3) 0.5\n";

    private const string XyzText = "2\nLattice=\"4 0 0 1 4 0 0 1 4\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\nNa 0 0 0\nCl 2 2 2\n";

    private const string JsonText = "{\"records\": [{\"mbid\": \"m1\", \"target\": 1.0, \"lattice\": [[4,0,0],[0,4,0],[0,0,4]], \"species\": [\"Na+\", \"Cl\"], \"frac_coords\": [[0,0,0],[0.5,0.5,0.5]]}]}";

    private static readonly string[] Hostile =
        ["", "\n", " ", "NaN", "-inf", "1e999", "-0", "0", "(", ")", "'", "\"", ";", "#", "_", "loop_", "data_", ",", "[", "]", "{", "}", ":", "x", "-1", "9999999999", "\r\n", "\u00e9"];

    /// <summary>Applies 1..6 random edits (delete a span, insert or replace with a hostile token) to a valid text.</summary>
    private static string Mutate(string text, RngSeed seed)
    {
        var r = new RngCursor(Rng.FromSeed(seed.Value));
        var t = text;
        var edits = 1 + r.NextInt(6);
        for (var e = 0; e < edits; e++)
        {
            var at = r.NextInt(t.Length + 1);
            var len = Math.Min(r.NextInt(8), t.Length - at);
            var token = Hostile[r.NextInt(Hostile.Length)];
            t = r.NextInt(3) switch
            {
                0 => t.Remove(at, len),
                1 => t.Insert(at, token),
                _ => t.Remove(at, len).Insert(at, token),
            };
        }
        return t;
    }

    private static bool ProblemsOrStructure<T>(LanguageExt.Validation<Problem, T> v) =>
        v.Match(Succ: _ => true, Fail: ps => ps.Count > 0 && ps.All(p => p.Code.Contains('.') && p.Message.Length > 0));

    [Xunit.Fact]
    public void TheTextsToMutate_ReadAsStructures()
    {
        Xunit.Assert.Equal(4, Poscar.Read(PoscarText).OrThrow().Count);
        // pymatgen 2022.11.7 reads the same five sites in this order (Na+ at (1/3, 2/3, 0.1) and (1/3, 2/3, 0.6), Cl- at
        // (1/2, 1/2, 1/2), (1/2, 0, 1/2), (0, 1/2, 0) half occupied).
        var cif = Cif.Read(CifText).OrThrow();
        Xunit.Assert.Equal(["Na+", "Na+", "Cl-:0.500", "Cl-:0.500", "Cl-:0.500"], cif.Sites.Select(x => x.SpeciesString));
        Xunit.Assert.Equal(new Vec3(1 / 3.0, 0.6666666666666667, 0.6), cif.Sites[1].Fractional); // the last bit as pymatgen
        Xunit.Assert.Equal(new Vec3(0, 0.5, 0), cif.Sites[4].Fractional);
        Xunit.Assert.Equal(2, ExtendedXyz.Read(XyzText).OrThrow().Count);
        Xunit.Assert.Single(StructureJson.ReadMatbench(JsonText).OrThrow());
    }

    [Property(MaxTest = 1000)]
    public bool Readers_NeverThrow_OnMutatedFiles(RngSeed seed) =>
        ProblemsOrStructure(Poscar.Read(Mutate(PoscarText, seed)))
        && ProblemsOrStructure(Cif.ReadAll(Mutate(CifText, seed)))
        && ProblemsOrStructure(ExtendedXyz.Read(Mutate(XyzText, seed)))
        && ProblemsOrStructure(StructureJson.ReadMatbench(Mutate(JsonText, seed)));

    [Property(MaxTest = 1000)]
    public bool Readers_NeverThrow_OnArbitraryStrings(string text) =>
        ProblemsOrStructure(Poscar.Read(text ?? "")) && ProblemsOrStructure(Cif.ReadAll(text ?? ""))
        && ProblemsOrStructure(ExtendedXyz.Read(text ?? "")) && ProblemsOrStructure(StructureJson.ReadMatbench(text ?? ""))
        && ProblemsOrStructure(StructureJson.ReadPymatgen(text ?? ""));

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
