using Pure.Materials.Data;

namespace Pure.Materials.Featurize;

/// <summary>Computes the atomic fraction of magnetic transition metals in a composition (matminer <c>TMetalFraction</c>).</summary>
/// <remarks>
/// <c>transition metal fraction</c> = sum of the amounts of Ti, V, Cr, Mn, Fe, Co, Ni, Cu, Nb, Mo, Tc, Ru, Rh, Pd, Ag, Ta, W,
/// Re, Os, Ir, Pt (Deml et al.'s "magnetic" transition metals) / sum of all amounts; in [0, 1], never NaN. Note that Sc, Y,
/// Zn, Zr, Hf, Cd, Au, Hg are not in the list. Invariant to element order and to scaling all amounts.
/// Source: Deml, O'Hayre, Wolverton, Stevanovic, Phys. Rev. B 93, 085142 (2016); matminer v0.9.0
/// <c>matminer/featurizers/composition/element.py</c>.
/// </remarks>
/// <example><c>TMetalFraction.Default.Featurize(Composition.Parse("Fe2O3").OrThrow())</c> gives [0.4].</example>
public sealed class TMetalFraction : ICompositionFeaturizer
{
    private TMetalFraction()
    {
    }

    private static bool[] BuildMask()
    {
        var mask = new bool[ElementTables.MaxAtomicNumber + 1];
        foreach (var s in MagneticTransitionMetals)
        {
            Elements.TryGetAtomicNumber(s, out var z);
            mask[z] = true;
        }
        return mask;
    }

    /// <summary>The 21 element symbols counted, as matminer v0.9.0 lists them.</summary>
    public static IReadOnlyList<string> MagneticTransitionMetals { get; } =
        ["Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Ta", "W", "Re", "Os", "Ir", "Pt"];

    private static readonly bool[] Magnetic = BuildMask();

    /// <summary>The featurizer (it has no options).</summary>
    public static TMetalFraction Default { get; } = new();

    /// <inheritdoc />
    public string Name => "tmetal-fraction";

    /// <inheritdoc />
    public IReadOnlyList<string> Labels { get; } = ["transition metal fraction"];

    /// <inheritdoc />
    public IReadOnlyList<string> Units { get; } = [""];

    /// <inheritdoc />
    public IReadOnlyList<string> Citations { get; } =
        ["Deml, A. M.; O'Hayre, R.; Wolverton, C.; Stevanovic, V. Predicting density functional theory total energies and enthalpies of formation of metal-nonmetal compounds by linear regression. Phys. Rev. B 93, 085142 (2016). doi:10.1103/PhysRevB.93.085142"];

    /// <inheritdoc />
    public IReadOnlyList<string> Implementors { get; } = ["Jiming Chen", "Logan Ward", "Pure.Materials (this port)"];

    /// <inheritdoc />
    public void Featurize(Composition composition, Span<double> destination)
    {
        if (destination.Length < 1) throw new ArgumentException("Destination is too short: 0 < 1.", nameof(destination));
        var z = composition.AtomicNumberSpan;
        var a = composition.AmountSpan;
        double acc = 0, total = 0;
        for (var k = 0; k < z.Length; k++)
        {
            if (Magnetic[z[k]]) acc += a[k];
            total += a[k];
        }
        destination[0] = acc / total;
    }
}
