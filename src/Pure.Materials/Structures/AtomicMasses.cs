using System.Globalization;

namespace Pure.Materials.Structures;

/// <summary>Standard atomic masses (amu) by atomic number, as pymatgen 2022.11.7's <c>Element.atomic_mass</c>.</summary>
/// <remarks>Read once from the embedded <c>pymatgen/periodic_table_flat.csv</c> (column <c>atomic_mass_amu</c>), the table the
/// pymatgen featurizers use; every one of the 118 values equals pymatgen's bit for bit (checked with
/// <c>tools/reference/pymatgen_structures.py</c>). Source: pymatgen <c>periodic_table.json</c>.</remarks>
internal static class AtomicMasses
{
    private static readonly double[] ByZ = Load();

    /// <summary>Mass of element <paramref name="z"/> (1..118) in amu.</summary>
    public static double Of(int z) => ByZ[z];

    private static double[] Load()
    {
        using var stream = typeof(AtomicMasses).Assembly.GetManifestResourceStream("pymatgen/periodic_table_flat.csv")
            ?? throw new InvalidOperationException("embedded resource pymatgen/periodic_table_flat.csv is missing from the build");
        using var reader = new StreamReader(stream);
        var header = (reader.ReadLine() ?? "").Split(',');
        var zCol = Array.IndexOf(header, "Z");
        var massCol = Array.IndexOf(header, "atomic_mass_amu");
        if (zCol < 0 || massCol < 0 || massCol > 7) throw new InvalidOperationException("periodic_table_flat.csv lacks Z or atomic_mass_amu in its first columns");
        var masses = new double[Data.Elements.Count + 1];
        Array.Fill(masses, double.NaN);
        while (reader.ReadLine() is { } line)
        {
            // The first eight columns hold no quoted fields (symbol, Z, name, row, group, block, mass, X).
            var f = line.Split(',', 9);
            var z = int.Parse(f[zCol], CultureInfo.InvariantCulture);
            masses[z] = double.Parse(f[massCol], CultureInfo.InvariantCulture);
        }
        for (var z = 1; z < masses.Length; z++)
            if (double.IsNaN(masses[z])) throw new InvalidOperationException($"periodic_table_flat.csv has no mass for Z = {z}");
        return masses;
    }
}
