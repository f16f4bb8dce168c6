using System.Collections.ObjectModel;
using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Structures;

/// <summary>Holds one site of a crystal: the species on it (with occupancies) and its fractional coordinates.</summary>
/// <remarks>Ordered sites hold one species with occupancy 1; disordered sites hold several, or occupancies below 1
/// (vacancies), with a total of at most 1. Equality is exact (same species in the same order, same occupancies, same coordinates).</remarks>
public sealed class Site : IEquatable<Site>
{
    private readonly SiteSpecies[] _species;

    private Site(SiteSpecies[] species, Vec3 fractional)
    {
        _species = species;
        Species = new ReadOnlyCollection<SiteSpecies>(species);
        Fractional = fractional;
    }

    /// <summary>Largest accepted absolute fractional coordinate (sites may lie outside [0, 1), but not absurdly far).</summary>
    public const double MaxFractional = 1e6;

    /// <summary>Tolerance on the total occupancy above 1, pymatgen's <c>Composition.amount_tolerance</c>.</summary>
    public const double OccupancyTolerance = 1e-8;

    /// <summary>Species on the site with their occupancies, in the order given, each species once.</summary>
    public IReadOnlyList<SiteSpecies> Species { get; }

    /// <summary>Fractional coordinates (not wrapped into [0, 1)).</summary>
    public Vec3 Fractional { get; }

    /// <summary>True when one species fills the site (occupancy exactly 1).</summary>
    public bool IsOrdered => _species.Length == 1 && _species[0].Occupancy == 1;

    /// <summary>The single species of an ordered site, or null for a disordered one.</summary>
    public Species? OrderedSpecies => IsOrdered ? _species[0].Species : null;

    /// <summary>Sum of the occupancies, in (0, 1 + 1e-8].</summary>
    public double TotalOccupancy => _species.Sum(s => s.Occupancy);

    /// <summary>Builds an ordered site: one species, occupancy 1.</summary>
    /// <param name="species">The species.</param>
    /// <param name="fractional">Fractional coordinates.</param>
    /// <returns>The site, or a problem of <see cref="Create(IEnumerable{SiteSpecies}, Vec3)"/>.</returns>
    public static Validation<Problem, Site> Create(Species species, Vec3 fractional) => Create([new SiteSpecies(species, 1.0)], fractional);

    /// <summary>Builds a site, checking its species and coordinates.</summary>
    /// <param name="species">At least one (species, occupancy); occupancies finite in (0, 1], total at most 1 + 1e-8; a
    /// species given twice is merged by summing (as pymatgen's <c>Composition</c>).</param>
    /// <param name="fractional">Fractional coordinates, finite, each within +-<see cref="MaxFractional"/>.</param>
    /// <returns>The site, or one problem: <c>site.no_species</c>, <c>site.invalid_occupancy</c> (not in (0, 1], or a
    /// total above 1), <c>site.invalid_coordinates</c> (NaN, infinite or beyond the bound).</returns>
    public static Validation<Problem, Site> Create(IEnumerable<SiteSpecies> species, Vec3 fractional)
    {
        ArgumentNullException.ThrowIfNull(species);
        var merged = new List<SiteSpecies>();
        foreach (var sp in species)
        {
            if (sp.Species is null)
                return Valid.Fail<Site>("site.no_species", "a site species is null; give an element for every site.");
            if (!(sp.Occupancy > 0 && sp.Occupancy <= 1))
                return Valid.Fail<Site>("site.invalid_occupancy", string.Create(CultureInfo.InvariantCulture, $"occupancy {sp.Occupancy:R} of {sp.Species} is not in (0, 1]; give a fraction of the site, or leave the species out."));
            var k = merged.FindIndex(m => m.Species == sp.Species);
            if (k < 0) merged.Add(sp);
            else merged[k] = merged[k] with { Occupancy = merged[k].Occupancy + sp.Occupancy };
        }
        if (merged.Count == 0) return Valid.Fail<Site>("site.no_species", "a site has no species; give at least one element with an occupancy.");
        var total = merged.Sum(s => s.Occupancy);
        if (total > 1 + OccupancyTolerance)
            return Valid.Fail<Site>("site.invalid_occupancy", string.Create(CultureInfo.InvariantCulture,
                $"the occupancies on one site ({string.Join(", ", merged.Select(m => $"{m.Species}:{m.Occupancy:R}"))}) add up to {total:R}, more than 1; give occupancies that sum to at most 1."));
        if (!fractional.IsFinite || Math.Abs(fractional.X) > MaxFractional || Math.Abs(fractional.Y) > MaxFractional || Math.Abs(fractional.Z) > MaxFractional)
            return Valid.Fail<Site>("site.invalid_coordinates", $"fractional coordinates {fractional} are not finite numbers within +-1e6; give three finite coordinates.");
        return Valid.Ok(new Site([.. merged], fractional));
    }

    /// <summary>pymatgen's <c>species_string</c>: <c>Fe2+</c> for an ordered site, else <c>Fe:0.500, Ni:0.500</c> sorted by species.</summary>
    public string SpeciesString => IsOrdered
        ? _species[0].Species.ToString()
        : string.Join(", ", _species.OrderBy(s => s.Species, Comparer<Species>.Create(Structures.Species.Compare))
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Species}:{s.Occupancy:F3}")));

    internal Site With(Vec3 fractional) => new(_species, fractional);

    /// <summary>True when species, occupancies and coordinates are exactly equal.</summary>
    public bool Equals(Site? other) => other is not null && Fractional == other.Fractional && _species.AsSpan().SequenceEqual(other._species);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Site);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Fractional, _species.Length, _species[0]);

    /// <summary>Formats as <c>Na+ (0, 0, 0)</c>.</summary>
    public override string ToString() => $"{SpeciesString} {Fractional}";
}

/// <summary>Holds an immutable periodic crystal structure: a lattice and its sites, with derived Cartesian coordinates, volume, density and composition.</summary>
/// <remarks>
/// Shapes: <see cref="Count"/> = n sites; <see cref="Sites"/> and <see cref="CartesianCoordinates"/> have length n, in the
/// order given (readers keep the file's order, or pymatgen's for CIFs). Units: Angstrom, Angstrom^3, g/cm^3.
/// Equality is exact: same lattice, same sites in the same order. Build with <see cref="Create(Lattice, IEnumerable{Site})"/> or a reader
/// (<see cref="StructureFile"/>, <see cref="Poscar"/>, <see cref="Cif"/>, <see cref="StructureJson"/>, <see cref="ExtendedXyz"/>); nothing can be changed afterwards.
/// Source: the data model of pymatgen's <c>Structure</c> (2022.11.7).
/// </remarks>
public sealed class Structure : IEquatable<Structure>
{
    /// <summary>Largest number of sites accepted (1,000,000).</summary>
    public const int MaxSites = 1_000_000;

    private readonly Site[] _sites;
    private readonly Vec3[] _cart;
    private Composition? _composition;
    private double? _density;
    private readonly bool _isOrdered;

    private Structure(Lattice lattice, Site[] sites)
    {
        Lattice = lattice;
        _sites = sites;
        _cart = new Vec3[sites.Length];
        for (var i = 0; i < sites.Length; i++) _cart[i] = lattice.ToCartesian(sites[i].Fractional);
        Sites = new ReadOnlyCollection<Site>(sites);
        CartesianCoordinates = new ReadOnlyCollection<Vec3>(_cart);
        _isOrdered = sites.All(s => s.IsOrdered);
    }

    /// <summary>The lattice (rows a, b, c, Angstrom).</summary>
    public Lattice Lattice { get; }

    /// <summary>The sites, length <see cref="Count"/>.</summary>
    public IReadOnlyList<Site> Sites { get; }

    /// <summary>Cartesian coordinates of the sites, Angstrom, length <see cref="Count"/>: <c>Lattice.ToCartesian(site.Fractional)</c>.</summary>
    public IReadOnlyList<Vec3> CartesianCoordinates { get; }

    /// <summary>Cartesian coordinates as a span (no copy), for inner loops.</summary>
    internal ReadOnlySpan<Vec3> CartesianSpan => _cart;

    /// <summary>The sites as a span (no copy), for inner loops.</summary>
    internal ReadOnlySpan<Site> SiteSpan => _sites;

    /// <summary>Number of sites, at least 1.</summary>
    public int Count => _sites.Length;

    /// <summary>True when every site is ordered.</summary>
    public bool IsOrdered => _isOrdered;

    /// <summary>Cell volume, Angstrom^3.</summary>
    public double Volume => Lattice.Volume;

    /// <summary>Composition of the cell: each element's summed occupancy over the sites, in order of first appearance
    /// (oxidation states dropped); e.g. 4 Na and 4 Cl for the conventional rock-salt cell.</summary>
    public Composition Composition => _composition ??= Composition.FromAmounts(
        _sites.SelectMany(s => s.Species).Select(sp => (sp.Species.AtomicNumber, sp.Occupancy))).OrThrow();

    /// <summary>Density, g/cm^3: cell mass / volume, with pymatgen's atomic masses.</summary>
    /// <remarks>Formula (pymatgen <c>Structure.density</c>): <c>(sum over species of occupancy x mass in amu) x 1.6605390666e-24 g/amu
    /// / (V x 1e-24 cm^3/Angstrom^3)</c>, the occupancies summed per species in order of first appearance, as pymatgen's
    /// <c>Structure.composition.weight</c>; equal to pymatgen's to about 1e-15 relative.</remarks>
    public double Density => _density ??= ComputeDensity();

    private double ComputeDensity()
    {
        var keys = new List<Species>();
        var amounts = new List<double>();
        foreach (var site in _sites)
            foreach (var sp in site.Species)
            {
                var k = keys.IndexOf(sp.Species);
                if (k < 0) { keys.Add(sp.Species); amounts.Add(sp.Occupancy); }
                else amounts[k] += sp.Occupancy;
            }
        double weight = 0;
        for (var k = 0; k < keys.Count; k++) weight += amounts[k] * AtomicMasses.Of(keys[k].AtomicNumber);
        return weight * 1.6605390666e-24 / (Volume * 1.0000000000000001e-24);
    }

    /// <summary>Builds a structure, checking the number of sites.</summary>
    /// <param name="lattice">The lattice.</param>
    /// <param name="sites">The sites, 1..<see cref="MaxSites"/>, in the order to keep.</param>
    /// <returns>The structure, or <c>structure.no_sites</c> or <c>structure.too_many_sites</c>.</returns>
    public static Validation<Problem, Structure> Create(Lattice lattice, IEnumerable<Site> sites)
    {
        ArgumentNullException.ThrowIfNull(lattice);
        ArgumentNullException.ThrowIfNull(sites);
        var list = new List<Site>();
        foreach (var s in sites)
        {
            ArgumentNullException.ThrowIfNull(s);
            if (list.Count == MaxSites)
                return Valid.Fail<Structure>("structure.too_many_sites", $"more than {MaxSites:N0} sites; split the structure or use a smaller cell.");
            list.Add(s);
        }
        if (list.Count == 0) return Valid.Fail<Structure>("structure.no_sites", "the structure has no sites; give at least one atom.");
        return Valid.Ok(new Structure(lattice, [.. list]));
    }

    /// <summary>Builds an ordered structure from species and fractional coordinates.</summary>
    /// <param name="lattice">The lattice.</param>
    /// <param name="species">One species per site.</param>
    /// <param name="fractional">Fractional coordinates, same length as <paramref name="species"/>.</param>
    /// <returns>The structure, or <c>structure.length_mismatch</c>, or any site or structure problem.</returns>
    public static Validation<Problem, Structure> Create(Lattice lattice, IReadOnlyList<Species> species, IReadOnlyList<Vec3> fractional)
    {
        if (species.Count != fractional.Count)
            return Valid.Fail<Structure>("structure.length_mismatch", $"{species.Count} species but {fractional.Count} coordinate triples; give one of each per site.");
        var sites = new Site[species.Count];
        for (var i = 0; i < sites.Length; i++)
        {
            var s = Site.Create(species[i], fractional[i]);
            if (s.IsFail) return Valid.Fail<Structure>(s.Problems().Select(p => p with { Message = $"site {i}: {p.Message}" }));
            sites[i] = s.OrThrow();
        }
        return Create(lattice, sites);
    }

    /// <summary>Builds the supercell of <c>na x nb x nc</c> unit cells (lattice rows scaled by na, nb, nc).</summary>
    /// <param name="na">Repeats along a, at least 1.</param>
    /// <param name="nb">Repeats along b, at least 1.</param>
    /// <param name="nc">Repeats along c, at least 1.</param>
    /// <returns>The supercell: for each original site in order, its copies at translations (i, j, k) with i slowest;
    /// or <c>structure.invalid_supercell</c> (a factor below 1) or any problem of <see cref="Lattice.Create"/> or <see cref="Create(Lattice, IEnumerable{Site})"/>.</returns>
    public Validation<Problem, Structure> Supercell(int na, int nb, int nc)
    {
        if (na < 1 || nb < 1 || nc < 1)
            return Valid.Fail<Structure>("structure.invalid_supercell", $"supercell factors ({na}, {nb}, {nc}) must each be at least 1.");
        if ((long)na * nb * nc * Count > MaxSites)
            return Valid.Fail<Structure>("structure.too_many_sites", $"a {na}x{nb}x{nc} supercell of {Count} sites exceeds {MaxSites:N0} sites; use smaller factors.");
        return from lattice in Lattice.Create(na * Lattice.A, nb * Lattice.B, nc * Lattice.C)
               from s in Create(lattice, _sites.SelectMany(site =>
                   from i in Enumerable.Range(0, na)
                   from j in Enumerable.Range(0, nb)
                   from k in Enumerable.Range(0, nc)
                   select site.With(new Vec3((site.Fractional.X + i) / na, (site.Fractional.Y + j) / nb, (site.Fractional.Z + k) / nc))))
               select s;
    }

    /// <summary>True when the lattices and all sites (in order) are exactly equal.</summary>
    public bool Equals(Structure? other) =>
        other is not null && (ReferenceEquals(this, other) || (Lattice.Equals(other.Lattice) && _sites.AsSpan().SequenceEqual(other._sites)));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Structure);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Lattice, _sites.Length, _sites[0]);

    /// <summary>Formats as <c>Na4Cl4, 8 sites, V = 177.5 A^3</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Composition.Formula}, {Count} sites, V = {Volume:G6} A^3");
}
