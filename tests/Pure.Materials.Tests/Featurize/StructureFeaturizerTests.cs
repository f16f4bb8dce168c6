using Pure.Materials.Core;
using Pure.Materials.Featurize;
using Pure.Materials.Featurize.Structural;
using Pure.Materials.Structures;
using Xunit;

namespace Pure.Materials.Tests.Featurize;

/// <summary>Structure featurizers on values a person can check by hand, their contract (labels match the output, inputs unchanged,
/// same output twice) and their problems (disordered structures, too many sites, bad options, duplicate labels).</summary>
public class StructureFeaturizerTests
{
    private static Structure RockSalt()
    {
        var na = new Species(11);
        var cl = new Species(17);
        var lattice = Lattice.Create(new Vec3(5.64, 0, 0), new Vec3(0, 5.64, 0), new Vec3(0, 0, 5.64)).OrThrow();
        return Structure.Create(lattice, [na, na, na, na, cl, cl, cl, cl],
            [new(0, 0, 0), new(0.5, 0.5, 0), new(0.5, 0, 0.5), new(0, 0.5, 0.5), new(0.5, 0, 0), new(0, 0.5, 0), new(0, 0, 0.5), new(0.5, 0.5, 0.5)]).OrThrow();
    }

    private static IStructureFeaturizer[] All(IReadOnlyList<Structure> training) =>
        [.. StructureFeaturizers.Names.Concat(["coulomb:sort_eigenvalues=false", "sine-coulomb:sort_eigenvalues=false:diag_elems=false"])
            .Select(n => StructureFeaturizers.Named(n, training).OrThrow())];

    [Fact]
    public void RockSalt_VolumePerAtomIs_5_64Cubed_Over8_AndEachSiteHasSixNeighboursAt2_82()
    {
        var s = RockSalt();
        var density = DensityFeatures.Default.Featurize(s).OrThrow();
        Assert.Equal(5.64 * 5.64 * 5.64 / 8, density[1], 12);
        // Packing fraction: 4 pi (4 r_Na^3 + 4 r_Cl^3) / (3 V) with pymatgen's radii Na 1.8, Cl 1.0 Angstrom.
        Assert.Equal(4 * Math.PI * (4 * 1.8 * 1.8 * 1.8 + 4 * 1.0) / (3 * 5.64 * 5.64 * 5.64), density[2], 12);
        var bonds = SiteStatsFingerprint.BondLength.Featurize(s).OrThrow();
        Assert.Equal([2.82, 2.82, 2.82, 0], bonds.Select(v => Math.Round(v, 12)));
        Assert.Equal([6, 0], SiteStatsFingerprint.Coordination.Featurize(s).OrThrow());
    }

    [Fact]
    public void RockSalt_RdfFirstPeak_CountsSixNeighboursPerSite_InTheBinOf2_82()
    {
        var s = RockSalt();
        var rdf = RadialDistributionFunction.Default.Featurize(s).OrThrow();
        Assert.Equal("rdf [2.80000 - 2.90000]A", RadialDistributionFunction.Default.Labels[28]);
        // 8 sites x 6 neighbours in [2.8, 2.9): 48 / (4/3 pi (2.9^3 - 2.8^3)) / (8 / V).
        var expected = 48 / (4.0 / 3.0 * Math.PI * (Math.Pow(29 * 0.1, 3) - Math.Pow(28 * 0.1, 3))) / (8 / (5.64 * 5.64 * 5.64));
        Assert.Equal(expected, rdf[28], 10);
        Assert.All(rdf.Take(28), v => Assert.Equal(0, v));
    }

    [Fact]
    public void CoulombOfOneAtom_IsHalfZToThe2_4_PaddedWithZeros()
    {
        var lattice = Lattice.Create(new Vec3(3, 0, 0), new Vec3(0, 3, 0), new Vec3(0, 0, 3)).OrThrow();
        var fe = Structure.Create(lattice, [new Species(26)], [new Vec3(0, 0, 0)]).OrThrow();
        var f = CoulombMatrix.Create(new CoulombMatrixOptions(), 3).OrThrow();
        Assert.Equal(["coulomb matrix eig 0", "coulomb matrix eig 1", "coulomb matrix eig 2"], f.Labels);
        Assert.Equal([0.5 * Math.Pow(26, 2.4), 0, 0], f.Featurize(fe).OrThrow());
    }

    [Fact]
    public void EveryFeaturizer_HasOneLabelPerValue_GivesTheSameValuesTwice_AndLeavesTheStructureUnchanged()
    {
        var s = RockSalt();
        var copy = RockSalt();
        foreach (var f in All([s]))
        {
            var a = f.Featurize(s).OrThrow();
            var b = f.Featurize(s).OrThrow();
            Assert.Equal(f.Labels.Count, a.Length);
            Assert.Equal(f.Labels.Count, f.Units.Count);
            Assert.Equal(a, b);
            Assert.Equal(f.Labels.Count, f.Labels.Distinct().Count());
        }
        Assert.Equal(copy, s);
    }

    [Fact]
    public void Magpie_OfTheStructure_IsMagpie_OfItsComposition_AndJoinsWithStructureFeaturizers()
    {
        var s = RockSalt();
        var joined = StructureFeaturizers.Parse("magpie,site-stats-bond-length", [s]).OrThrow();
        Assert.Equal(136, joined.Labels.Count);
        var x = joined.Featurize(s).OrThrow();
        Assert.Equal(ElementProperty.Magpie.Featurize(s.Composition), x.Take(132));
        Assert.Equal(SiteStatsFingerprint.BondLength.Featurize(s).OrThrow(), x.Skip(132));
        var set = StructureFeaturizer.Build(joined, [s, s]).OrThrow();
        Assert.Equal((2, 136), (set.X.Rows, set.X.Cols));
    }

    [Fact]
    public void DisorderedStructure_IsAProblemNamingTheSite_ForEveryStructureFeaturizer()
    {
        var lattice = Lattice.Create(new Vec3(3, 0, 0), new Vec3(0, 3, 0), new Vec3(0, 0, 3)).OrThrow();
        var site = Pure.Materials.Structures.Site.Create([new SiteSpecies(new Species(26), 0.5), new SiteSpecies(new Species(28), 0.5)], new Vec3(0, 0, 0)).OrThrow();
        var s = Structure.Create(lattice, [site]).OrThrow();
        foreach (var f in All([s]))
        {
            var p = f.Featurize(s, new double[f.Labels.Count]);
            Assert.NotNull(p);
            Assert.Equal("structure.disordered", p.Code);
            Assert.Contains("site 0", p.Message);
        }
    }

    [Fact]
    public void MoreSitesThanTheFittedLength_IsTooManySites_AndManyStructuresNameTheirRows()
    {
        var s = RockSalt();
        var f = CoulombMatrix.Create(new CoulombMatrixOptions(CoulombMatrixKind.Sine), 4).OrThrow();
        var many = f.FeaturizeMany([s.Supercell(1, 1, 1).OrThrow(), s]);
        Assert.True(many.IsFail);
        Assert.Equal([0, 1], many.Problems().Select(p => p.Row!.Value));
        Assert.All(many.Problems(), p => Assert.Equal("featurize.too_many_sites", p.Code));
        Assert.Equal("data.empty", CoulombMatrix.Fit(new CoulombMatrixOptions(), []).Problems()[0].Code);
        Assert.Equal("param.out_of_range", CoulombMatrix.Create(new CoulombMatrixOptions(), 0).Problems()[0].Code);
    }

    [Fact]
    public void BadOptions_AreProblems()
    {
        Assert.Equal("param.out_of_range", RadialDistributionFunction.Create(-1, 0.1).Problems()[0].Code);
        Assert.Equal(200, RadialDistributionFunction.Create(20, 0.1).OrThrow().Labels.Count);
        Assert.Equal("param.unknown_statistic", SiteStatsFingerprint.Create("x", new AverageBondLength(MinimumDistanceNN.Default), [Statistic.Mode]).Problems()[0].Code);
        Assert.Equal("param.out_of_range", SiteStatsFingerprint.Create("x", new CoordinationNumber(new MinimumDistanceNN(-1)), [Statistic.Mean]).Problems()[0].Code);
        Assert.Equal("param.duplicate_label", StructureFeaturizer.Join([DensityFeatures.Default, DensityFeatures.Default]).Problems()[0].Code);
        Assert.Equal("param.duplicate_featurizer", StructureFeaturizers.Parse("density,density", [RockSalt()]).Problems()[0].Code);
    }

    [Fact]
    public void CoulombSpecs_TakeMatminersOptionNames_AndBadOptionsAreProblems()
    {
        Assert.Equal(new CoulombMatrixOptions(CoulombMatrixKind.Sine, true, EigenvalueOrder.Matminer), StructureFeaturizers.CoulombOptions("sine-coulomb:sort_eigenvalues=false").OrThrow());
        Assert.Equal(new CoulombMatrixOptions(CoulombMatrixKind.Coulomb, false, EigenvalueOrder.SortedDescending), StructureFeaturizers.CoulombOptions("coulomb:diag_elems=false:sort_eigenvalues=true").OrThrow());
        Assert.Equal(new CoulombMatrixOptions(), StructureFeaturizers.CoulombOptions("coulomb").OrThrow());
        Assert.Equal("param.unknown_option", StructureFeaturizers.CoulombOptions("coulomb:sort=false").Problems()[0].Code);
        Assert.Equal("param.unknown_option", StructureFeaturizers.CoulombOptions("coulomb:diag_elems=false:diag_elems=true").Problems()[0].Code);
        Assert.Equal("param.invalid_value", StructureFeaturizers.CoulombOptions("coulomb:sort_eigenvalues=no").Problems()[0].Code);
        Assert.Equal("param.invalid_value", StructureFeaturizers.CoulombOptions("coulomb:sort_eigenvalues").Problems()[0].Code);
        Assert.Equal("param.unknown_option", StructureFeaturizers.Named("rdf:cutoff=10", [RockSalt()]).Problems()[0].Code);
        Assert.Equal("param.duplicate_featurizer", StructureFeaturizers.Parse("coulomb,coulomb:sort_eigenvalues=false", [RockSalt()]).Problems()[0].Code);
        var f = (CoulombMatrix)StructureFeaturizers.Named("coulomb:sort_eigenvalues=false", [RockSalt()]).OrThrow();
        Assert.Equal(EigenvalueOrder.Matminer, f.Options.Order);
        Assert.Equal(8, f.Length);
    }

    [Fact]
    public void CoulombInMatminersOrder_HoldsTheSortedValues_InTheSchurFormsPositions()
    {
        // Two sites: the 2 x 2 matrix [[a, b], [b, d]] deflates as one block, whose standardised Schur form puts a + z first with
        // z = p + sign(p) sqrt(p^2 + b^2), p = (a - d) / 2: here a (Cl, Z = 17) > d (Na), so the larger eigenvalue comes first;
        // swapping the sites puts the smaller first, as numpy.linalg.eig does for [[d, b], [b, a]].
        var lattice = Lattice.Create(new Vec3(4, 0, 0), new Vec3(0, 4, 0), new Vec3(0, 0, 4)).OrThrow();
        var clNa = Structure.Create(lattice, [new Species(17), new Species(11)], [new Vec3(0, 0, 0), new Vec3(0.5, 0.5, 0.5)]).OrThrow();
        var naCl = Structure.Create(lattice, [new Species(11), new Species(17)], [new Vec3(0, 0, 0), new Vec3(0.5, 0.5, 0.5)]).OrThrow();
        var matminer = CoulombMatrix.Create(new CoulombMatrixOptions(Order: EigenvalueOrder.Matminer), 2).OrThrow();
        var sorted = CoulombMatrix.Create(new CoulombMatrixOptions(), 2).OrThrow();
        var (a, d) = (0.5 * Math.Pow(17, 2.4), 0.5 * Math.Pow(11, 2.4));
        var b = 17 * 11 / (Math.Sqrt(12) * CoulombMatrix.AngstromToBohr);
        var (mid, half) = ((a + d) / 2, Math.Sqrt((a - d) * (a - d) / 4 + b * b));
        var first = matminer.Featurize(clNa).OrThrow();
        Assert.Equal(mid + half, first[0], 9);
        Assert.Equal(mid - half, first[1], 9);
        Assert.Equal(first, sorted.Featurize(clNa).OrThrow(), (x, y) => Math.Abs(x - y) <= 1e-12 * Math.Abs(x));
        var swapped = matminer.Featurize(naCl).OrThrow();
        Assert.Equal(mid - half, swapped[0], 9);
        Assert.Equal(mid + half, swapped[1], 9);
    }

    [Fact]
    public void CoulombFeaturizers_AllocateNothing_PerStructure()
    {
        var structures = StructureParityTests.PhononStructures();
        foreach (var options in new[] { new CoulombMatrixOptions(CoulombMatrixKind.Sine), new CoulombMatrixOptions(CoulombMatrixKind.Coulomb) })
        {
            var f = CoulombMatrix.Fit(options, structures).OrThrow();
            var buffer = new double[f.Length];
            foreach (var s in structures) Assert.Null(f.Featurize(s, buffer)); // warm-up (JIT)
            // The runtime may allocate once while it recompiles a hot method at a higher tier during a pass (seen once in CI at
            // 128-bit vector width: 2344 bytes in one pass). An allocation per structure would show in every pass (>= 1265 x its
            // size), so the least of three passes must be 0.
            var least = long.MaxValue;
            for (var pass = 0; pass < 3; pass++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                foreach (var s in structures) f.Featurize(s, buffer);
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.Equal(0, least);
        }
    }

    [Fact]
    public void LoneAtomInAHugeCell_HasNoNearestNeighbours_AsAProblem()
    {
        var lattice = Lattice.Create(new Vec3(30, 0, 0), new Vec3(0, 30, 0), new Vec3(0, 0, 30)).OrThrow();
        var s = Structure.Create(lattice, [new Species(11)], [new Vec3(0, 0, 0)]).OrThrow();
        Assert.Equal("featurize.no_neighbors", SiteStatsFingerprint.BondLength.Featurize(s).Problems()[0].Code);
        Assert.Equal("featurize.no_neighbors", SiteStatsFingerprint.Coordination.Featurize(s).Problems()[0].Code);
        // The GRDF has no neighbours to sum: zeros, as matminer.
        Assert.All(SiteStatsFingerprint.GaussianGrdf.Featurize(s).OrThrow(), v => Assert.Equal(0, v));
    }

    [Fact]
    public void GaussianGrdf_AllSitesAtOnce_EqualsSiteBySite_OnTheFirst100PhononStructures()
    {
        var g = new GaussianRadialDistribution();
        foreach (var s in StructureParityTests.PhononStructures().Take(100))
        {
            var n = s.Count;
            var all = new double[g.Labels.Count * n];
            ((IAllSitesFeaturizer)g).FeaturizeAll(s, all);
            var row = new double[g.Labels.Count];
            for (var i = 0; i < n; i++)
            {
                Assert.Null(g.Featurize(s, i, row));
                for (var b = 0; b < row.Length; b++)
                    Assert.True(Math.Abs(row[b] - all[b * n + i]) <= 1e-12 * Math.Abs(row[b]), $"{s}: site {i} bin {b}: {row[b]:R} vs {all[b * n + i]:R}");
            }
        }
    }

    [Fact]
    public void TwoSitesOnOnePoint_AreOverlappingSites_ForBothCoulombMatrices_NotAnException()
    {
        var lattice = Lattice.Create(new Vec3(4, 0, 0), new Vec3(0, 4, 0), new Vec3(0, 0, 4)).OrThrow();
        var s = Structure.Create(lattice, [new Species(11), new Species(17)], [new Vec3(0.25, 0.25, 0.25), new Vec3(1.25, 0.25, 0.25)]).OrThrow();
        foreach (var kind in new[] { CoulombMatrixKind.Coulomb, CoulombMatrixKind.Sine })
        {
            var p = CoulombMatrix.Create(new CoulombMatrixOptions(kind), 2).OrThrow().Featurize(s, new double[2]);
            Assert.Equal("featurize.overlapping_sites", p?.Code);
        }
    }
}
