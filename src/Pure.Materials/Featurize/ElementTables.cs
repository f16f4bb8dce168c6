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
/// Two sources (<see cref="Sources"/>): <see cref="Magpie"/> and <see cref="Pymatgen"/>, each a dictionary of
/// <see cref="ElementPropertyTable"/> by property name; any of them can feed <see cref="ElementProperty.Create"/> with any statistics.
/// Magpie tables: line k holds element Z = k; a line that does not parse as a number (<c>Missing</c>, <c>None</c>,
/// <c>NA</c>, empty) or an absent line means no value (NaN), exactly as matminer v0.9.0's <c>MagpieData</c> reads them.
/// pymatgen: see <see cref="Pymatgen"/>. Oxidation-state lists of both feed <see cref="IonProperty"/>.
/// Source: Ward et al., npj Comput. Mater. 2, 16028 (2016); matminer v0.9.0 <c>matminer/utils/data.py</c>; pymatgen 2022.11.7.
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
        ["Density"] = "g/L", ["FirstIonizationEnergy"] = "eV", ["SecondIonizationEnergy"] = "eV",
        ["ElectronAffinity"] = "kJ/mol", ["BulkModulus"] = "GPa", ["ShearModulus"] = "GPa",
        ["AtomicRadius"] = "Angstrom", ["VdWRadius"] = "pm", ["MiracleRadius"] = "pm",
        ["HeatFusion"] = "kJ/mol", ["HeatVaporization"] = "kJ/mol", ["FusionEnthalpy"] = "kJ/mol",
        ["HeatCapacityMass"] = "J/g/K", ["HeatCapacityMolar"] = "J/mol/K", ["ThermalConductivity"] = "W/m/K",
        ["ICSDVolume"] = "Angstrom^3/atom", ["MolarVolume"] = "cm^3/mol", ["GSestBCClatcnt"] = "Angstrom",
        ["GSestFCClatcnt"] = "Angstrom", ["DipolePolarizability"] = "Angstrom^3", ["Polarizability"] = "Angstrom^3",
    }.ToFrozenDictionary();

    private static readonly string[] MultiValued = ["OxidationStates", "IonizationEnergies"];

    private static readonly Lazy<FrozenDictionary<string, ElementPropertyTable>> PymatgenTables = new(LoadPymatgen);
    private static readonly Lazy<int[][]> PymatgenOxidation = new(LoadPymatgenOxidationStates);
    private static readonly Lazy<int[][]> MagpieOxidation = new(LoadMagpieOxidationStates);

    /// <summary>The names of the shipped element data sources: <c>magpie</c> and <c>pymatgen</c>.</summary>
    public static IReadOnlyList<string> Sources { get; } = ["magpie", "pymatgen"];

    /// <summary>Every numeric pymatgen 2022.11.7 element property, keyed by its pymatgen <c>Element</c> attribute name as
    /// matminer's <c>PymatgenData</c> uses it (e.g. <c>X</c>, <c>row</c>, <c>block</c>, <c>atomic_mass</c>, <c>melting_point</c>,
    /// <c>bulk_modulus</c>).</summary>
    /// <remarks>
    /// From the embedded <c>pymatgen/periodic_table_flat.csv</c> (numeric, one row per Z) plus four properties that table lacks
    /// (<c>electrical_resistivity</c>, <c>velocity_of_sound</c>, <c>bulk_modulus</c>, <c>coefficient_of_linear_thermal_expansion</c>),
    /// parsed from pymatgen's <c>periodic_table.json</c> by <c>tools/reference/pymatgen_element_extra.py</c> with pymatgen's own
    /// string rules (so <c>"&amp;gt; 10&lt;sup&gt;23&lt;/sup&gt;10&lt;sup&gt;-8&lt;/sup&gt;"</c> is 1e23 ohm m for S, as pymatgen reads it).
    /// <c>block</c> is 1, 2, 3, 3 for s, p, d, f (matminer's <c>PymatgenData</c> mapping). A value pymatgen does not have, or
    /// leaves as text (Fr melting point "maybe about 300 K"), is NaN.
    /// Source: pymatgen 2022.11.7 <c>pymatgen/core/periodic_table.json</c> (MIT); matminer v0.9.0 <c>matminer/utils/data.py</c>.
    /// </remarks>
    public static IReadOnlyDictionary<string, ElementPropertyTable> Pymatgen => PymatgenTables.Value;

    /// <summary>Looks up the property tables of a data source by name.</summary>
    /// <param name="source"><c>magpie</c> or <c>pymatgen</c>.</param>
    /// <returns>The tables keyed by property name, or <c>param.unknown_source</c> naming the sources.</returns>
    public static LanguageExt.Validation<Core.Problem, IReadOnlyDictionary<string, ElementPropertyTable>> Source(string source) =>
        source switch
        {
            "magpie" => Core.Valid.Ok(Magpie),
            "pymatgen" => Core.Valid.Ok(Pymatgen),
            _ => Core.Valid.Fail<IReadOnlyDictionary<string, ElementPropertyTable>>("param.unknown_source",
                $"unknown element data source '{source}'; use one of {string.Join(", ", Sources)}"),
        };

    /// <summary>pymatgen's <c>Element.common_oxidation_states</c> by Z (index 0 unused; empty where pymatgen lists none, e.g. He, Ne, Ar, Kr, Xe, Rn, Z &gt;= 104).</summary>
    internal static int[][] PymatgenCommonOxidationStates => PymatgenOxidation.Value;

    /// <summary>Magpie's <c>OxidationStates.table</c> by Z (index 0 unused; empty where the table lists none).</summary>
    internal static int[][] MagpieOxidationStates => MagpieOxidation.Value;

    private static readonly (string Name, string Column, string Unit)[] PymatgenColumns =
    [
        ("Z", "Z", ""), ("X", "X_pauling", "Pauling"), ("row", "row", ""), ("group", "group", ""), ("block", "block", ""),
        ("atomic_mass", "atomic_mass_amu", "amu"), ("atomic_radius", "atomic_radius_A", "Angstrom"),
        ("atomic_radius_calculated", "atomic_radius_calculated_A", "Angstrom"), ("van_der_waals_radius", "van_der_waals_radius_A", "Angstrom"),
        ("mendeleev_no", "mendeleev_no", ""), ("melting_point", "melting_point_K", "K"), ("boiling_point", "boiling_point_K", "K"),
        ("density_of_solid", "density_of_solid_kg_m3", "kg/m^3"), ("molar_volume", "molar_volume_cm3", "cm^3/mol"),
        ("thermal_conductivity", "thermal_conductivity_W_mK", "W/m/K"), ("electron_affinity", "electron_affinity_eV", "eV"),
        ("ionization_energy", "ionization_energy_eV", "eV"), ("average_ionic_radius", "average_ionic_radius_A", "Angstrom"),
    ];

    private static Data.CsvTable ReadPymatgenFlat()
    {
        using var stream = typeof(ElementTables).Assembly.GetManifestResourceStream("pymatgen/periodic_table_flat.csv")
            ?? throw new InvalidOperationException("Embedded resource 'pymatgen/periodic_table_flat.csv' is missing from the library build.");
        using var reader = new StreamReader(stream);
        return Data.Csv.Read(reader, "pymatgen/periodic_table_flat.csv").Match(
            Succ: t => t,
            Fail: ps => throw new InvalidOperationException($"Embedded pymatgen table is invalid: {string.Join("; ", ps)}"));
    }

    private static FrozenDictionary<string, ElementPropertyTable> LoadPymatgen()
    {
        var table = ReadPymatgenFlat();
        int Col(string name) => table.Header.ToList().IndexOf(name) is var i and >= 0
            ? i : throw new InvalidOperationException($"Embedded pymatgen table has no column '{name}'.");
        var zCol = Col("Z");
        var tables = new Dictionary<string, ElementPropertyTable>();
        foreach (var (name, column, unit) in PymatgenColumns)
        {
            var c = Col(column);
            var values = new double[MaxAtomicNumber + 1];
            Array.Fill(values, double.NaN);
            foreach (var row in table.Rows)
            {
                var z = int.Parse(row[zCol], CultureInfo.InvariantCulture);
                var cell = row[c].Trim();
                values[z] = name == "block"
                    ? cell switch { "s" => 1.0, "p" => 2.0, "d" => 3.0, "f" => 3.0, _ => double.NaN }
                    : double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
            }
            tables[name] = new ElementPropertyTable("pymatgen", name, unit, values);
        }
        tables["electrical_resistivity"] = new("pymatgen", "electrical_resistivity", "ohm m", ExtraElementData.ElectricalResistivity);
        tables["velocity_of_sound"] = new("pymatgen", "velocity_of_sound", "m/s", ExtraElementData.VelocityOfSound);
        tables["bulk_modulus"] = new("pymatgen", "bulk_modulus", "GPa", ExtraElementData.BulkModulus);
        tables["coefficient_of_linear_thermal_expansion"] =
            new("pymatgen", "coefficient_of_linear_thermal_expansion", "1/K", ExtraElementData.CoefficientOfLinearThermalExpansion);
        return tables.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static int[][] LoadPymatgenOxidationStates()
    {
        var table = ReadPymatgenFlat();
        var zCol = table.Header.ToList().IndexOf("Z");
        var oCol = table.Header.ToList().IndexOf("common_oxidation_states");
        var states = new int[MaxAtomicNumber + 1][];
        Array.Fill(states, []);
        foreach (var row in table.Rows)
            states[int.Parse(row[zCol], CultureInfo.InvariantCulture)] = ParseInts(row[oCol].Trim('[', ']', ' '), ',');
        return states;
    }

    private static int[][] LoadMagpieOxidationStates()
    {
        var lines = ReadLines(typeof(ElementTables).Assembly, "magpie/OxidationStates.table");
        var states = new int[MaxAtomicNumber + 1][];
        Array.Fill(states, []);
        for (var z = 1; z <= MaxAtomicNumber && z <= lines.Count; z++)
            states[z] = ParseInts(lines[z - 1], ' ');
        return states;
    }

    private static int[] ParseInts(string text, char separator) =>
        [.. text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => (int)double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture))];

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
