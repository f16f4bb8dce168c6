using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Structures;

namespace Pure.Materials.Featurize.Structural;

/// <summary>Describes how densely a structure is packed: mass density, volume per atom and packing fraction (matminer's <c>DensityFeatures</c>).</summary>
/// <remarks>
/// Features, for a cell of volume V (Angstrom^3) with n sites:
/// <list type="bullet">
/// <item><c>density</c> (g/cm^3): <see cref="Structure.Density"/>, pymatgen's <c>Structure.density</c> (cell mass / V).</item>
/// <item><c>vpa</c> (Angstrom^3/atom): V / n.</item>
/// <item><c>packing fraction</c>: <c>4 pi (sum over sites of r^3) / (3 V)</c>, r the element's empirical atomic radius
/// (pymatgen's <c>Element.atomic_radius</c>, Angstrom; the <c>atomic_radius</c> column of the embedded pymatgen 2022.11.7
/// table, Slater's radii). Summed over sites in order as matminer does. Elements without a radius in pymatgen (He, Ne, Kr,
/// Xe, At, Rn, Fr, Cm and beyond) make it NaN (matminer raises a TypeError there and loses all three features).</item>
/// </list>
/// All three are intensive: unchanged by a supercell, a translation, a permutation of the sites or a rotation.
/// A disordered structure is <c>structure.disordered</c> (matminer raises for vpa and packing fraction).
/// Source: matminer v0.9.0 <c>matminer/featurizers/structure/order.py</c> (<c>DensityFeatures</c>).
/// </remarks>
public sealed class DensityFeatures : IStructureFeaturizer
{
    private static readonly Lazy<double[]> Radii = new(() =>
    {
        var table = ElementTables.Pymatgen["atomic_radius"];
        var r = new double[Elements.Count + 1];
        for (var z = 0; z < r.Length; z++) r[z] = table[z];
        return r;
    });

    private DensityFeatures() { }

    /// <summary>The featurizer (it has no options).</summary>
    public static DensityFeatures Default { get; } = new();

    /// <inheritdoc/>
    public string Name => "density";

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels { get; } = ["density", "vpa", "packing fraction"];

    /// <inheritdoc/>
    public IReadOnlyList<string> Units { get; } = ["g/cm^3", "Angstrom^3/atom", ""];

    /// <inheritdoc/>
    public IReadOnlyList<string> Citations { get; } = [];

    /// <inheritdoc/>
    public IReadOnlyList<string> Implementors { get; } = ["Saurabh Bajaj (matminer)", "Pure.Materials"];

    /// <inheritdoc/>
    public Problem? Featurize(Structure structure, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(structure);
        StructureFeaturizer.CheckDestination(destination, 3);
        if (StructureFeaturizer.RequireOrdered(structure, "density") is { } p) return p;
        var radii = Radii.Value;
        var total = 0.0;
        foreach (var site in structure.Sites)
            total += Math.Pow(radii[site.OrderedSpecies!.AtomicNumber], 3);
        destination[0] = structure.Density;
        destination[1] = structure.Volume / structure.Count;
        destination[2] = 4 * Math.PI * total / (3 * structure.Volume);
        return null;
    }
}
