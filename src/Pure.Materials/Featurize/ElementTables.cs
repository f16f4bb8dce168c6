using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;

namespace Pure.Materials.Featurize;

/// <summary>One elemental property: a value per atomic number, NaN where the source has none.</summary>
/// <param name="Source">The data source, e.g. <c>magpie</c> or <c>pymatgen</c>.</param>
/// <param name="Name">The property name as the source spells it, e.g. <c>MeltingT</c>.</param>
/// <param name="Unit">The unit, e.g. <c>K</c>; empty for dimensionless counts and indices.</param>
/// <param name="ByAtomicNumber">Values indexed by Z (index 0 unused, length 119); NaN marks a missing value.</param>
public sealed record ElementPropertyTable(string Source, string Name, string Unit, IReadOnlyList<double> ByAtomicNumber)
{
    /// <summary>The value for element Z, NaN when missing or when Z is beyond the table.</summary>
    /// <param name="z">Atomic number, 1..118.</param>
    /// <returns>The value or NaN.</returns>
    public double this[int z] => z > 0 && z < ByAtomicNumber.Count ? ByAtomicNumber[z] : double.NaN;

    /// <summary>The mean of the values present for Z = 1..118 (used to impute a missing element value on request).</summary>
    public double MeanOfPresent { get; } = MeanOf(ByAtomicNumber);

    private static double MeanOf(IReadOnlyList<double> values)
    {
        double sum = 0;
        var n = 0;
        for (var z = 1; z < values.Count; z++)
            if (!double.IsNaN(values[z])) { sum += values[z]; n++; }
        return n == 0 ? double.NaN : sum / n;
    }
}

/// <summary>Reads the element tables shipped inside the library (embedded resources), once per process.</summary>
/// <remarks>
/// Magpie tables: line k holds element Z = k; a line that does not parse as a number (<c>Missing</c>, <c>None</c>,
/// <c>NA</c>, empty) or an absent line means no value (NaN), exactly as matminer v0.9.0's <c>MagpieData</c> reads them.
/// Source: Ward et al., npj Comput. Mater. 2, 16028 (2016); matminer v0.9.0 <c>matminer/utils/data.py</c>.
/// </remarks>
public static class ElementTables
{
    /// <summary>Highest atomic number covered (Og).</summary>
    public const int MaxAtomicNumber = 118;

    private static readonly Lazy<FrozenDictionary<string, ElementPropertyTable>> MagpieTables = new(LoadMagpie);

    /// <summary>Every single-valued Magpie property, keyed by its matminer name (e.g. <c>Number</c>, <c>MeltingT</c>).</summary>
    public static IReadOnlyDictionary<string, ElementPropertyTable> Magpie => MagpieTables.Value;

    /// <summary>Units of the Magpie properties where the Magpie README defines one.</summary>
    internal static readonly FrozenDictionary<string, string> MagpieUnits = new Dictionary<string, string>
    {
        ["AtomicWeight"] = "amu", ["MeltingT"] = "K", ["BoilingT"] = "K", ["CovalentRadius"] = "pm",
        ["Electronegativity"] = "Pauling", ["GSvolume_pa"] = "Angstrom^3/atom", ["GSbandgap"] = "eV",
        ["GSmagmom"] = "Bohr magneton", ["GSenergy_pa"] = "eV/atom", ["AtomicVolume"] = "Angstrom^3/atom",
        ["Density"] = "g/cm^3", ["FirstIonizationEnergy"] = "eV", ["SecondIonizationEnergy"] = "eV",
        ["ElectronAffinity"] = "kJ/mol", ["BulkModulus"] = "GPa", ["ShearModulus"] = "GPa",
        ["AtomicRadius"] = "Angstrom", ["VdWRadius"] = "pm", ["MiracleRadius"] = "pm",
        ["HeatFusion"] = "kJ/mol", ["HeatVaporization"] = "kJ/mol", ["FusionEnthalpy"] = "kJ/mol",
        ["HeatCapacityMass"] = "J/g/K", ["HeatCapacityMolar"] = "J/mol/K", ["ThermalConductivity"] = "W/m/K",
        ["ICSDVolume"] = "Angstrom^3/atom", ["MolarVolume"] = "cm^3/mol", ["GSestBCClatcnt"] = "Angstrom",
        ["GSestFCClatcnt"] = "Angstrom", ["DipolePolarizability"] = "Angstrom^3", ["Polarizability"] = "Angstrom^3",
    }.ToFrozenDictionary();

    private static readonly string[] MultiValued = ["OxidationStates", "IonizationEnergies"];

    private static FrozenDictionary<string, ElementPropertyTable> LoadMagpie()
    {
        var assembly = typeof(ElementTables).Assembly;
        var tables = new Dictionary<string, ElementPropertyTable>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith("magpie/", StringComparison.Ordinal) || !resource.EndsWith(".table", StringComparison.Ordinal)) continue;
            var name = resource["magpie/".Length..^".table".Length];
            if (MultiValued.Contains(name)) continue;
            var values = new double[MaxAtomicNumber + 1];
            Array.Fill(values, double.NaN);
            var lines = ReadLines(assembly, resource);
            for (var z = 1; z <= MaxAtomicNumber && z <= lines.Count; z++)
                if (double.TryParse(lines[z - 1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    values[z] = v;
            tables[name] = new ElementPropertyTable("magpie", name, MagpieUnits.GetValueOrDefault(name, ""), values);
        }
        return tables.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static List<string> ReadLines(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource '{resource}' is missing from the library build.");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return lines;
    }
}
