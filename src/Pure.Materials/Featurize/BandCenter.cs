using Pure.Materials.Data;

namespace Pure.Materials.Featurize;

/// <summary>Estimates the absolute position of the band centre from the elements' Mulliken electronegativities (matminer <c>BandCenter</c>).</summary>
/// <remarks>
/// <c>band center</c> = prod_i (chi_i)^(w_i / W) with chi_i = 0.5 (IE1_i / 1000 + EA_i) / 96.48, i.e. the amount-weighted
/// geometric mean of the Mulliken electronegativity in eV (IE1: Deml et al.'s first ionization energy in J/mol; EA: Magpie
/// <c>ElectronAffinity</c> in kJ/mol; 96.48 kJ/mol = 1 eV), after Butler and Ginley. Unit: eV.
/// NaN when an element has no Deml ionization energy (Z above 88, where matminer v0.9.0 raises a KeyError) or no Magpie
/// electron affinity. Invariant to element order and to scaling all amounts.
/// Source: Butler, Ginley, J. Electrochem. Soc. 125, 228 (1978); matminer v0.9.0 <c>matminer/featurizers/composition/element.py</c>
/// (data: <c>matminer/utils/data_files/deml_elementdata.py</c>, Magpie <c>ElectronAffinity.table</c>).
/// </remarks>
/// <example><c>BandCenter.Default.Featurize(Composition.Parse("O2").OrThrow())</c> gives [0.5 (1313.9 + 141) / 96.48] = [7.5399].</example>
public sealed class BandCenter : ICompositionFeaturizer
{
    private static readonly double[] Mulliken = Build();

    private BandCenter()
    {
    }

    private static double[] Build()
    {
        var chi = new double[ElementTables.MaxAtomicNumber + 1];
        var ea = ElementTables.Magpie["ElectronAffinity"];
        for (var z = 0; z < chi.Length; z++)
            chi[z] = z == 0 ? double.NaN : 0.5 * (ExtraElementData.DemlFirstIonization[z] / 1000 + ea[z]) / 96.48;
        return chi;
    }

    /// <summary>The featurizer (it has no options).</summary>
    public static BandCenter Default { get; } = new();

    /// <inheritdoc />
    public string Name => "band-center";

    /// <inheritdoc />
    public IReadOnlyList<string> Labels { get; } = ["band center"];

    /// <inheritdoc />
    public IReadOnlyList<string> Units { get; } = ["eV"];

    /// <inheritdoc />
    public IReadOnlyList<string> Citations { get; } =
        ["Butler, M. A.; Ginley, D. S. Prediction of Flatband Potentials at Semiconductor-Electrolyte Interfaces from Atomic Electronegativities. J. Electrochem. Soc. 125, 228-232 (1978). doi:10.1149/1.2131419"];

    /// <inheritdoc />
    public IReadOnlyList<string> Implementors { get; } = ["Anubhav Jain", "Pure.Materials (this port)"];

    /// <inheritdoc />
    public void Featurize(Composition composition, Span<double> destination)
    {
        if (destination.Length < 1) throw new ArgumentException("Destination is too short: 0 < 1.", nameof(destination));
        var z = composition.AtomicNumberSpan;
        var a = composition.AmountSpan;
        var total = composition.TotalAmount;
        double g = 1.0;
        for (var k = 0; k < z.Length; k++) g *= Math.Pow(Mulliken[z[k]], a[k] / total);
        destination[0] = g;
    }
}
