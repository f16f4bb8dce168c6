using Pure.Materials.Core;
using Pure.Materials.Structures;
using Xunit;

namespace Pure.Materials.Tests.Structures;

public class LatticeAndStructureTests
{
    [Fact]
    public void FromParameters_GivesTheLengthsAnglesAndVolume()
    {
        var l = Lattice.FromParameters(4.1, 5.3, 6.2, 62, 71, 118).OrThrow();
        Assert.Equal(4.1, l.Lengths.X, 1e-12);
        Assert.Equal(5.3, l.Lengths.Y, 1e-12);
        Assert.Equal(6.2, l.Lengths.Z, 1e-12);
        Assert.Equal(62, l.Angles.X, 1e-10);
        Assert.Equal(71, l.Angles.Y, 1e-10);
        Assert.Equal(118, l.Angles.Z, 1e-10);
        // V = abc sqrt(1 - cos^2 a - cos^2 b - cos^2 g + 2 cos a cos b cos g)
        double ca = Math.Cos(62 * Math.PI / 180), cb = Math.Cos(71 * Math.PI / 180), cg = Math.Cos(118 * Math.PI / 180);
        Assert.Equal(4.1 * 5.3 * 6.2 * Math.Sqrt(1 - ca * ca - cb * cb - cg * cg + 2 * ca * cb * cg), l.Volume, 1e-10);
    }

    [Fact]
    public void Reciprocal_IsTwoPiInverseTranspose_AndFractionalRoundTrips()
    {
        var l = Lattice.FromParameters(4.1, 5.3, 6.2, 62, 71, 118).OrThrow();
        var r = l.Reciprocal;
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                Assert.Equal(i == j ? 2 * Math.PI : 0, Vec3.Dot(l[i], r[j]), 1e-12);
        Assert.Equal(1 / l.PlaneSpacings.X, l.ReciprocalCrystallographic.Lengths.X, 1e-12);
        var f = new Vec3(0.3, -1.2, 2.7);
        var back = l.ToFractional(l.ToCartesian(f));
        Assert.Equal(f.X, back.X, 1e-12);
        Assert.Equal(f.Y, back.Y, 1e-12);
        Assert.Equal(f.Z, back.Z, 1e-12);
    }

    [Fact]
    public void Structure_HasValueEquality_CompositionAndRockSaltDensity()
    {
        var l = Lattice.Create(new Vec3(5.62, 0, 0), new Vec3(0, 5.62, 0), new Vec3(0, 0, 5.62)).OrThrow();
        Structure Make() => Structure.Create(l, [new Species(11, 1), new Species(17, -1)], [new Vec3(0, 0, 0), new Vec3(0.5, 0.5, 0.5)]).OrThrow();
        Assert.Equal(Make(), Make());
        Assert.Equal(Make().GetHashCode(), Make().GetHashCode());
        Assert.NotEqual(Make(), Structure.Create(l, [new Species(11), new Species(17, -1)], [new Vec3(0, 0, 0), new Vec3(0.5, 0.5, 0.5)]).OrThrow());
        var s = Make();
        Assert.Equal("NaCl", s.Composition.Formula);
        // (22.98976928 + 35.453) amu / 177.504328 A^3, in g/cm^3
        Assert.Equal((22.98976928 + 35.453) * 1.6605390666e-24 / (177.504328 * 1e-24), s.Density, 1e-12);
        Assert.Equal(new Vec3(2.81, 2.81, 2.81), s.CartesianCoordinates[1]);
    }

    [Fact]
    public void Supercell_ScalesVolumeAndSites_KeepsDensity()
    {
        var l = Lattice.FromParameters(4.1, 5.3, 6.2, 62, 71, 118).OrThrow();
        var s = Structure.Create(l, [new Species(3), new Species(8)], [new Vec3(0.1, 0.2, 0.3), new Vec3(0.6, 0.4, 0.9)]).OrThrow();
        var sc = s.Supercell(2, 1, 3).OrThrow();
        Assert.Equal(12, sc.Count);
        Assert.Equal(6 * s.Volume, sc.Volume, 1e-9);
        Assert.Equal(s.Density, sc.Density, 1e-12);
        Assert.Equal("structure.invalid_supercell", s.Supercell(0, 1, 1).Problems()[0].Code);
    }

    [Fact]
    public void Site_Refuses_OccupancyAboveOne_AndNonFiniteCoordinates()
    {
        Assert.Equal("site.invalid_occupancy", Site.Create([new SiteSpecies(new Species(26), 0.6), new SiteSpecies(new Species(28), 0.6)], default).Problems()[0].Code);
        Assert.Equal("site.invalid_occupancy", Site.Create([new SiteSpecies(new Species(26), double.NaN)], default).Problems()[0].Code);
        Assert.Equal("site.invalid_coordinates", Site.Create(new Species(26), new Vec3(double.NaN, 0, 0)).Problems()[0].Code);
        Assert.Equal("site.no_species", Site.Create([], default).Problems()[0].Code);
        var merged = Site.Create([new SiteSpecies(new Species(26), 0.25), new SiteSpecies(new Species(26), 0.25)], default).OrThrow();
        Assert.Equal(0.5, Assert.Single(merged.Species).Occupancy);
    }

    [Fact]
    public void Lattice_Refuses_NaN_Huge_AndFlatCells()
    {
        Assert.Equal("lattice.not_finite", Lattice.Create(new Vec3(double.NaN, 0, 0), new Vec3(0, 1, 0), new Vec3(0, 0, 1)).Problems()[0].Code);
        Assert.Equal("lattice.too_large", Lattice.Create(new Vec3(1e7, 0, 0), new Vec3(0, 1, 0), new Vec3(0, 0, 1)).Problems()[0].Code);
        Assert.Equal("lattice.degenerate", Lattice.Create(new Vec3(1, 0, 0), new Vec3(0, 1, 0), new Vec3(1, 1, 1e-12)).Problems()[0].Code);
        Assert.Equal("lattice.invalid_parameters", Lattice.FromParameters(1, 1, 1, 0, 90, 90).Problems()[0].Code);
    }
}
