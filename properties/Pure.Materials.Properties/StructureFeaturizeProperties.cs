using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Featurize.Structural;
using Pure.Materials.Structures;

namespace Pure.Materials.Properties;

/// <summary>Structure descriptors describe the crystal, not how it was written down: translating all sites, permuting them,
/// rotating the Cartesian frame and choosing another basis of the same lattice leave them unchanged; a supercell leaves the
/// intensive ones unchanged and multiplies the RDF (an unnormalised pair count) by the number of cells.</summary>
/// <remarks>Each case is a random triclinic cell (lengths 3-7 Angstrom, angles 60-120 degrees) with 1-5 sites of elements that
/// have a pymatgen atomic radius, built from a seed (<see cref="RngSeed"/>), so a failure prints a seed that rebuilds the case.
/// Values are compared at 1e-9 relative with an absolute floor of 1e-12 times the feature's scale (a std_dev over equivalent
/// sites is rounding noise of about 1e-16 x the values, see StructureParityTests). For the RDF this is a check of every count:
/// one pair moving to another bin changes a bin by far more than 1e-9 (a rotation or translation moves a distance by rounding
/// only, and a random cell puts no distance within rounding of a bin edge).
/// Which invariances each descriptor has: density, vpa, packing fraction and the site statistics are intensive (all five);
/// Coulomb eigenvalues are not (a supercell has more sites) but are invariant under the other four; sine Coulomb eigenvalues
/// depend on the basis (sin^2(pi df) is not invariant when df changes basis), so they are invariant under translation,
/// permutation and rotation only; the RDF scales by the number of cells in a supercell.</remarks>
[Properties(MaxTest = 40)]
public class StructureFeaturizeProperties
{
    private static readonly int[] Elements = [1, 3, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 19, 20, 22, 26, 29, 30, 31, 33, 38, 47, 50, 56];

    internal static Structure RandomStructure(long seed)
    {
        var rng = new RngCursor(Rng.FromSeed(seed));
        while (true)
        {
            double U(double lo, double hi) => lo + (hi - lo) * rng.NextDouble();
            var lattice = Lattice.FromParameters(U(3, 7), U(3, 7), U(3, 7), U(60, 120), U(60, 120), U(60, 120));
            if (lattice.IsFail || lattice.OrThrow().Volume < 10) continue;
            var n = 1 + rng.NextInt(5);
            var species = Enumerable.Range(0, n).Select(_ => new Species(Elements[rng.NextInt(Elements.Length)])).ToArray();
            var coords = Enumerable.Range(0, n).Select(_ => new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble())).ToArray();
            var s = Structure.Create(lattice.OrThrow(), species, coords).OrThrow();
            // Keep atoms at least 0.8 Angstrom apart (any image), so the case is a plausible crystal.
            var near = Neighbors.Within(s, 0.8).OrThrow();
            if (Enumerable.Range(0, n).All(i => near.Of(i).IsEmpty)) return s;
        }
    }

    private static Structure Translate(Structure s, Vec3 t) =>
        Structure.Create(s.Lattice, s.Sites.Select(x => x.OrderedSpecies!).ToArray(), s.Sites.Select(x => x.Fractional + t).ToArray()).OrThrow();

    private static Structure Permute(Structure s, int[] order) =>
        Structure.Create(s.Lattice, order.Select(i => s.Sites[i].OrderedSpecies!).ToArray(), order.Select(i => s.Sites[i].Fractional).ToArray()).OrThrow();

    /// <summary>Rotates the frame by Euler angles: lattice rows R a, R b, R c; fractional coordinates unchanged.</summary>
    private static Structure Rotate(Structure s, double alpha, double beta, double gamma)
    {
        Vec3 R(Vec3 v)
        {
            var (ca, sa, cb, sb, cg, sg) = (Math.Cos(alpha), Math.Sin(alpha), Math.Cos(beta), Math.Sin(beta), Math.Cos(gamma), Math.Sin(gamma));
            var x1 = new Vec3(ca * v.X - sa * v.Y, sa * v.X + ca * v.Y, v.Z);
            var x2 = new Vec3(cb * x1.X + sb * x1.Z, x1.Y, -sb * x1.X + cb * x1.Z);
            return new Vec3(x2.X, cg * x2.Y - sg * x2.Z, sg * x2.Y + cg * x2.Z);
        }
        var l = Lattice.Create(R(s.Lattice.A), R(s.Lattice.B), R(s.Lattice.C)).OrThrow();
        return Structure.Create(l, s.Sites.Select(x => x.OrderedSpecies!).ToArray(), s.Sites.Select(x => x.Fractional).ToArray()).OrThrow();
    }

    /// <summary>The same crystal in the basis a' = a + k b, b' = b, c' = c + m a (a unimodular change of basis); fractional
    /// coordinates transformed so every Cartesian position stays put.</summary>
    private static Structure Rebase(Structure s, int k, int m)
    {
        var (a, b, c) = (s.Lattice.A, s.Lattice.B, s.Lattice.C);
        var l = Lattice.Create(a + k * b, b, c + m * a).OrThrow();
        return Structure.Create(l, s.Sites.Select(x => x.OrderedSpecies!).ToArray(),
            s.CartesianCoordinates.Select(l.ToFractional).ToArray()).OrThrow();
    }

    private static double[] F(IStructureFeaturizer f, Structure s)
    {
        var v = new double[f.Labels.Count];
        var p = f.Featurize(s, v);
        if (p is not null) throw new InvalidOperationException(p.ToString());
        return v;
    }

    private static bool Close(double[] x, double[] y, double scale = 1.0)
    {
        var floor = 1e-12 * Math.Max(scale, x.Max(Math.Abs));
        return x.Length == y.Length && x.Zip(y).All(t => Math.Abs(t.Item1 - t.Item2) <= 1e-9 * Math.Max(Math.Abs(t.Item1), Math.Abs(t.Item2)) + floor);
    }

    private static CoulombMatrix Coulomb(CoulombMatrixKind kind, int length) => CoulombMatrix.Create(new CoulombMatrixOptions(kind), length).OrThrow();

    /// <summary>The featurizers invariant under translation, permutation and rotation (all of them), at a length that fits a 3-cell supercell of 5 sites.</summary>
    private static IStructureFeaturizer[] All() =>
    [
        DensityFeatures.Default, Coulomb(CoulombMatrixKind.Coulomb, 15), Coulomb(CoulombMatrixKind.Sine, 15), RadialDistributionFunction.Default,
        SiteStatsFingerprint.BondLength, SiteStatsFingerprint.Coordination, SiteStatsFingerprint.GaussianGrdf,
    ];

    private static bool SameUnder(Structure s, Structure t, IEnumerable<IStructureFeaturizer> featurizers) =>
        featurizers.All(f => Close(F(f, s), F(f, t)));

    [Property]
    public Property Descriptors_AreUnchanged_ByTranslatingAllSites(RngSeed seed)
    {
        var s = RandomStructure(seed.Value);
        var rng = new RngCursor(Rng.FromSeed(seed.Value ^ 0x5EED));
        var t = new Vec3(rng.NextDouble() * 3 - 1.5, rng.NextDouble() * 3 - 1.5, rng.NextDouble() * 3 - 1.5);
        return SameUnder(s, Translate(s, t), All()).Label($"{s} translated by {t}");
    }

    [Property]
    public Property Descriptors_AreUnchanged_ByPermutingSites(RngSeed seed)
    {
        var s = RandomStructure(seed.Value);
        var order = Enumerable.Range(0, s.Count).ToArray();
        new RngCursor(Rng.FromSeed(seed.Value ^ 0x9E3)).Shuffle(order.AsSpan());
        return SameUnder(s, Permute(s, order), All()).Label($"{s} permuted as [{string.Join(",", order)}]");
    }

    [Property]
    public Property Descriptors_AreUnchanged_ByRotatingTheCartesianFrame(RngSeed seed)
    {
        var s = RandomStructure(seed.Value);
        var rng = new RngCursor(Rng.FromSeed(seed.Value ^ 0x707));
        var (a, b, c) = (rng.NextDouble() * 2 * Math.PI, rng.NextDouble() * Math.PI, rng.NextDouble() * 2 * Math.PI);
        return SameUnder(s, Rotate(s, a, b, c), All()).Label($"{s} rotated by ({a}, {b}, {c})");
    }

    [Property]
    public Property BasisIndependentDescriptors_AreUnchanged_ByAnEquivalentLatticeBasis(RngSeed seed)
    {
        var s = RandomStructure(seed.Value);
        var rng = new RngCursor(Rng.FromSeed(seed.Value ^ 0xBA5));
        var (k, m) = (rng.NextInt(5) - 2, rng.NextInt(3) - 1);
        var featurizers = All().Where(f => f.Name != "sine-coulomb");
        return SameUnder(s, Rebase(s, k, m), featurizers).Label($"{s} rebased with k = {k}, m = {m}");
    }

    [Property]
    public Property IntensiveDescriptors_AreUnchanged_ByASupercell_AndTheRdfScalesWithTheCellCount(RngSeed seed)
    {
        var s = RandomStructure(seed.Value);
        var rng = new RngCursor(Rng.FromSeed(seed.Value ^ 0x5C));
        var (na, nb, nc) = (1 + rng.NextInt(3), 1 + rng.NextInt(2), 1 + rng.NextInt(2));
        if (na * nb * nc > 3) (nb, nc) = (1, 1);
        var big = s.Supercell(na, nb, nc).OrThrow();
        IStructureFeaturizer[] intensive = [DensityFeatures.Default, SiteStatsFingerprint.BondLength, SiteStatsFingerprint.Coordination, SiteStatsFingerprint.GaussianGrdf];
        var cells = na * nb * nc;
        var rdf = F(RadialDistributionFunction.Default, s).Select(v => v * cells).ToArray();
        return (SameUnder(s, big, intensive) && Close(rdf, F(RadialDistributionFunction.Default, big)))
            .Label($"{s} as a {na}x{nb}x{nc} supercell");
    }

    [Property]
    public Property CoulombEigenvalues_AreSortedDescending_AndPaddedWithZeros(RngSeed seed)
    {
        var s = RandomStructure(seed.Value);
        var v = F(Coulomb(CoulombMatrixKind.Coulomb, 8), s);
        var w = F(Coulomb(CoulombMatrixKind.Sine, 8), s);
        bool Ok(double[] e) => e.Take(s.Count).Zip(e.Skip(1).Take(s.Count - 1)).All(t => t.Item1 >= t.Item2) && e.Skip(s.Count).All(x => x == 0);
        return (Ok(v) && Ok(w)).Label(s.ToString());
    }

    [Property]
    public Property CoulombEigenvaluesInMatminersOrder_AreTheSortedOnes_Rearranged_EvenAfterPermutingSites(RngSeed seed)
    {
        var s = RandomStructure(seed.Value);
        var order = Enumerable.Range(0, s.Count).ToArray();
        new RngCursor(Rng.FromSeed(seed.Value ^ 0x0D3)).Shuffle(order.AsSpan());
        var permuted = Permute(s, order);
        var ok = true;
        foreach (var kind in new[] { CoulombMatrixKind.Coulomb, CoulombMatrixKind.Sine })
        {
            var matminer = CoulombMatrix.Create(new CoulombMatrixOptions(kind, Order: EigenvalueOrder.Matminer), 8).OrThrow();
            var sorted = F(Coulomb(kind, 8), s);
            foreach (var t in new[] { s, permuted })
            {
                var v = F(matminer, t);
                var head = v.Take(t.Count).OrderByDescending(x => x).ToArray();
                ok &= Close([.. head, .. v.Skip(t.Count)], sorted) && v.Skip(t.Count).All(x => x == 0);
            }
        }
        return ok.Label($"{s} permuted as [{string.Join(",", order)}]");
    }
}
