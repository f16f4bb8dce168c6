using System.IO.Compression;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Structures;

/// <summary>The structure datasets shipped inside the library (see <c>Structures/Bundled/PROVENANCE.md</c>).</summary>
public static class BundledStructures
{
    /// <summary>Reads the 1265 Matbench v0.1 <c>matbench_phonons</c> structures with their ids and targets (cm^-1).</summary>
    /// <returns>The entries in Matbench's row order (<c>mb-phonons-0001</c> first); the same order as <see cref="MatbenchPhononsTable"/>.
    /// <see cref="StructureEntry.Target"/> is the last phdos peak (cm^-1); <see cref="StructureEntry.Columns"/> holds
    /// <c>last phdos peak</c> (the same number as text, round-trip digits) and <c>fold</c> (the official test fold, <c>0</c>..<c>4</c>).</returns>
    /// <remarks>Source: Matbench v0.1 (Petretto et al., Sci. Data 5, 180065 (2018)), MIT license. Decompresses and parses
    /// about 0.6 MB of JSON on each call.</remarks>
    public static Validation<Problem, StructureEntry[]> MatbenchPhonons()
    {
        using var stream = Resource("matbench_phonons_structures.json.gz");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return from entries in StructureJson.ReadMatbench(reader.ReadToEnd(), "matbench_phonons_structures.json")
               from table in MatbenchPhononsTable()
               from fold in table.ColumnIndex("fold")
               select entries.Select((e, i) => e with
               {
                   TargetColumn = "last phdos peak",
                   Columns = new OrderedDictionary<string, string?>
                   {
                       ["last phdos peak"] = e.Columns["target"],
                       ["fold"] = table.Rows[i][fold],
                   },
               }).ToArray();
    }

    /// <summary>Reads the table part of <c>matbench_phonons</c>: <c>mbid, last phdos peak, fold, spg_num, crys_sys, formula,
    /// reduced_formula, nsites, volume_A3, density_g_cm3</c>, one row per structure of <see cref="MatbenchPhonons"/>, same order.</summary>
    /// <returns>The table (fold = official Matbench v0.1 test fold).</returns>
    public static Validation<Problem, CsvTable> MatbenchPhononsTable()
    {
        using var stream = Resource("matbench_phonons.csv");
        using var reader = new StreamReader(stream);
        return Csv.Read(reader, "matbench_phonons");
    }

    private static Stream Resource(string name) =>
        typeof(BundledStructures).Assembly.GetManifestResourceStream($"structures/{name}")
        ?? throw new InvalidOperationException($"embedded resource structures/{name} is missing from the library build");
}
