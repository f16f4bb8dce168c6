using System.Text.Json;
using Pure.Materials.Core;
using Pure.Materials.Structures;
using Xunit;
using Xunit.Abstractions;

namespace Pure.Materials.Tests.Structures;

/// <summary>Readers and neighbours against pymatgen 2022.11.7: the ten COD CIFs (Reference/cod-cgcnn, made by the shared
/// <c>cif_reference.py</c>) and the POSCAR, JSON and XYZ files of Reference/pymatgen-2022.11.7/structures
/// (<c>tools/reference/pymatgen_structures.py</c>).</summary>
/// <remarks>Tolerances: lattice entries and fractional coordinates 1e-9 absolute (coordinates modulo 1); volume and density
/// 1e-12 relative; neighbour distances 1e-9 Angstrom absolute (both sides compute them from the same coordinates; the largest
/// difference seen is printed by each test).</remarks>
public class StructureReferenceTests(ITestOutputHelper output)
{
    private static string Dir(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Reference", .. parts]);

    public static IEnumerable<object[]> Cifs() =>
        Directory.EnumerateFiles(Dir("cod-cgcnn"), "*.cif").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(Cifs))]
    public void Cif_ReadsAsPymatgen_LatticeSpeciesOrderCoordinatesVolumeDensity_AndNeighbourDistances(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Dir("cod-cgcnn", "pymatgen_reference.json")));
        var r = doc.RootElement.GetProperty(file);
        var s = Cif.Read(File.ReadAllText(Dir("cod-cgcnn", file)), file).OrThrow();

        var worst = CompareStructure(s, r.GetProperty("lattice"), r.GetProperty("species").EnumerateArray().Select(x => x.GetString()!).ToArray(),
            r.GetProperty("frac_coords"), r.GetProperty("volume").GetDouble(), r.GetProperty("density").GetDouble());
        Assert.Equal(r.GetProperty("reduced_formula").GetString(), s.Composition.ReducedFormula);
        Assert.Equal(r.GetProperty("num_sites").GetInt32(), s.Count);

        var nl = Neighbors.Within(s, 8.0).OrThrow();
        var expected = r.GetProperty("neighbor_distances_8A");
        double worstD = 0;
        for (var i = 0; i < s.Count; i++)
        {
            var want = expected[i].EnumerateArray().Select(x => x.GetDouble()).ToArray();
            var got = nl.Of(i).ToArray().Select(n => n.Distance).ToArray();
            Assert.Equal(want.Length, got.Length);
            for (var k = 0; k < want.Length; k++) worstD = Math.Max(worstD, Math.Abs(want[k] - got[k]));
        }
        Assert.True(worstD < 1e-9, $"largest neighbour distance difference {worstD:E3}");
        output.WriteLine($"{file}: {s.Count} sites, {nl.TotalCount} neighbours within 8 A; largest differences: lattice/coords {worst:E3}, distance {worstD:E3}");
    }

    public static IEnumerable<object[]> PymatgenFiles() =>
        new[] { "POSCAR_vasp5_direct", "POSCAR_vasp4", "POSCAR_negative_scale", "POSCAR_selective_cartesian", "CONTCAR_velocities",
         "skewed_triclinic.json", "disordered_oxidation.json", "skewed.extxyz" }.Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(PymatgenFiles))]
    public void File_ReadsAsPymatgen_AndNeighboursWithin6A_HaveTheSameIndexImageAndDistance(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Dir("pymatgen-2022.11.7", "structures", "expected.json")));
        var r = doc.RootElement.GetProperty(file);
        var s = StructureFile.Read(Dir("pymatgen-2022.11.7", "structures", file)).OrThrow();

        var species = r.GetProperty("species").EnumerateArray().ToArray();
        Assert.Equal(species.Length, s.Count);
        for (var i = 0; i < s.Count; i++)
        {
            var want = species[i].EnumerateArray().Select(p => (p[0].GetString()!, p[1].GetDouble())).ToArray();
            var got = s.Sites[i].Species.Select(p => (p.Species.ToString(), p.Occupancy)).ToArray();
            Assert.Equal(want, got);
        }
        var worst = CompareStructure(s, r.GetProperty("lattice"), null, r.GetProperty("frac_coords"), r.GetProperty("volume").GetDouble(), r.GetProperty("density").GetDouble());

        var nl = Neighbors.Within(s, 6.0).OrThrow();
        var expected = r.GetProperty("neighbors_6A");
        double worstD = 0;
        for (var i = 0; i < s.Count; i++)
        {
            var want = expected[i].EnumerateArray().Select(x => (D: x[0].GetDouble(), J: x[1].GetInt32(), M: new Image(x[2].GetInt32(), x[3].GetInt32(), x[4].GetInt32()))).ToArray();
            var got = nl.Of(i).ToArray();
            Assert.Equal(want.Length, got.Length);
            // pymatgen's order is by (distance, index, image) of its own doubles; equal distances may differ in the last bit, so
            // match each reference neighbour to ours by (index, image).
            var ours = got.ToDictionary(n => (n.Index, n.Image), n => n.Distance);
            foreach (var w in want)
            {
                Assert.True(ours.TryGetValue((w.J, w.M), out var d), $"site {i}: pymatgen's neighbour {w.J} at image {w.M} is missing");
                worstD = Math.Max(worstD, Math.Abs(d - w.D));
            }
        }
        Assert.True(worstD < 1e-9, $"largest neighbour distance difference {worstD:E3}");
        output.WriteLine($"{file}: {s.Count} sites, {nl.TotalCount} neighbours within 6 A; largest differences: lattice/coords {worst:E3}, distance {worstD:E3}");
    }

    [Fact]
    public void SymmetrizedCifs_Of128Structures_ReadAsPymatgenReadsThem()
    {
        using var gz = new System.IO.Compression.GZipStream(File.OpenRead(Dir("pymatgen-2022.11.7", "structures", "phonons_symmetrized_cifs.json.gz")), System.IO.Compression.CompressionMode.Decompress);
        using var doc = JsonDocument.Parse(gz);
        double worst = 0;
        var sites = 0;
        foreach (var r in doc.RootElement.EnumerateArray())
        {
            var name = r.GetProperty("name").GetString()!;
            var s = Cif.Read(r.GetProperty("cif").GetString()!, name).OrThrow();
            var species = r.GetProperty("species").EnumerateArray().ToArray();
            Assert.True(species.Length == s.Count, $"{name}: {s.Count} sites, pymatgen {species.Length}");
            for (var i = 0; i < s.Count; i++)
            {
                var want = species[i].EnumerateArray().Select(p => (p[0].GetString()!, p[1].GetDouble())).ToArray();
                var got = s.Sites[i].Species.Select(p => (p.Species.ToString(), p.Occupancy)).ToArray();
                Assert.True(want.SequenceEqual(got), $"{name} site {i}: {string.Join(" ", got)}, pymatgen {string.Join(" ", want)}");
            }
            worst = Math.Max(worst, CompareStructure(s, r.GetProperty("lattice"), null, r.GetProperty("frac_coords"), r.GetProperty("volume").GetDouble(), r.GetProperty("density").GetDouble()));
            sites += s.Count;
        }
        output.WriteLine($"{doc.RootElement.GetArrayLength()} CIFs, {sites} sites; largest lattice/coordinate difference {worst:E3}");
    }

    [Fact]
    public void WritePymatgen_ThenRead_GivesAnEqualStructure_ForAllPhononsAndTheDisorderedOne()
    {
        var structures = BundledStructures.MatbenchPhonons().OrThrow().Select(e => e.Structure)
            .Append(StructureFile.Read(Dir("pymatgen-2022.11.7", "structures", "disordered_oxidation.json")).OrThrow())
            .Append(StructureFile.Read(Dir("pymatgen-2022.11.7", "structures", "skewed_triclinic.json")).OrThrow());
        foreach (var s in structures)
            Assert.Equal(s, StructureJson.ReadPymatgen(StructureJson.WritePymatgen(s)).OrThrow());
    }

    [Fact]
    public void MatbenchSplitLayout_ReadsIdsTargetsAndStructures()
    {
        var entries = StructureJson.ReadMatbench(File.ReadAllText(Dir("pymatgen-2022.11.7", "structures", "matbench_split.json")), "matbench_split.json").OrThrow();
        Assert.Equal(["mb-x-0001", "mb-x-0002"], entries.Select(e => e.Id));
        Assert.Equal([1.5, -2.25], entries.Select(e => e.Target!.Value));
        Assert.Equal(StructureFile.Read(Dir("pymatgen-2022.11.7", "structures", "skewed_triclinic.json")).OrThrow(), entries[0].Structure);
        Assert.Equal(StructureFile.Read(Dir("pymatgen-2022.11.7", "structures", "disordered_oxidation.json")).OrThrow(), entries[1].Structure);
    }

    [Fact]
    public void BundledPhonons_1265Structures_MatchTheTableIdsTargetsSitesVolumeAndDensity()
    {
        var entries = BundledStructures.MatbenchPhonons().OrThrow();
        var table = BundledStructures.MatbenchPhononsTable().OrThrow();
        Assert.Equal(1265, entries.Length);
        Assert.Equal(1265, table.Rows.Count);
        int Col(string name) => table.Header.ToList().IndexOf(name);
        double worstV = 0, worstRho = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            var row = table.Rows[i];
            Assert.Equal(row[Col("mbid")], entries[i].Id);
            Assert.Equal(double.Parse(row[Col("last phdos peak")], System.Globalization.CultureInfo.InvariantCulture), entries[i].Target);
            Assert.Equal(int.Parse(row[Col("nsites")], System.Globalization.CultureInfo.InvariantCulture), entries[i].Structure.Count);
            Assert.Equal(row[Col("reduced_formula")], entries[i].Structure.Composition.ReducedFormula);
            // The table rounds volume and density to 6 decimals.
            worstV = Math.Max(worstV, Math.Abs(entries[i].Structure.Volume - double.Parse(row[Col("volume_A3")], System.Globalization.CultureInfo.InvariantCulture)));
            worstRho = Math.Max(worstRho, Math.Abs(entries[i].Structure.Density - double.Parse(row[Col("density_g_cm3")], System.Globalization.CultureInfo.InvariantCulture)));
        }
        output.WriteLine($"largest |volume - table| {worstV:E3} A^3, |density - table| {worstRho:E3} g/cm^3");
        Assert.True(worstV <= 5.0000001e-7, $"volume differs from the table by {worstV}");
        Assert.True(worstRho <= 5.0000001e-7, $"density differs from the table by {worstRho}");
    }

    [Fact]
    public void BundledPhonons_NeighboursWithin8A_HaveThePairCountsAndDistanceSumsOfPymatgen_All1265()
    {
        var entries = BundledStructures.MatbenchPhonons().OrThrow();
        var rows = File.ReadAllLines(Dir("pymatgen-2022.11.7", "structures", "phonons_neighbors_8A.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(entries.Length, rows.Length);
        double worstSum = 0, worstMin = 0;
        long pairs = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i][0], entries[i].Id);
            var nl = Neighbors.Within(entries[i].Structure, 8.0).OrThrow();
            var ds = Enumerable.Range(0, nl.SiteCount).SelectMany(k => nl.Of(k).ToArray().Select(x => x.Distance)).Order().ToArray();
            Assert.True(int.Parse(rows[i][1], System.Globalization.CultureInfo.InvariantCulture) == ds.Length, $"{rows[i][0]}: {ds.Length} pairs, pymatgen {rows[i][1]}");
            double sum = 0;
            foreach (var d in ds) sum += d;
            var want = double.Parse(rows[i][2], System.Globalization.CultureInfo.InvariantCulture);
            worstSum = Math.Max(worstSum, Math.Abs(sum - want) / want);
            worstMin = Math.Max(worstMin, Math.Abs(ds[0] - double.Parse(rows[i][3], System.Globalization.CultureInfo.InvariantCulture)));
            pairs += ds.Length;
        }
        output.WriteLine($"{pairs} pairs; largest relative difference of a distance sum {worstSum:E3}, of a smallest distance {worstMin:E3} A");
        Assert.True(worstSum < 1e-12, $"distance sums differ by {worstSum:E3} relative");
        Assert.True(worstMin < 1e-9, $"smallest distances differ by {worstMin:E3}");
    }

    /// <summary>Asserts lattice, species (when given), coordinates (mod 1), volume and density; returns the largest absolute difference.</summary>
    private static double CompareStructure(Structure s, JsonElement lattice, string[]? species, JsonElement frac, double volume, double density)
    {
        double worst = 0;
        for (var r = 0; r < 3; r++)
            for (var c = 0; c < 3; c++)
                worst = Math.Max(worst, Math.Abs(lattice[r][c].GetDouble() - s.Lattice[r][c]));
        Assert.True(worst < 1e-9, $"lattice differs by {worst}");
        if (species is not null) Assert.Equal(species, s.Sites.Select(x => x.SpeciesString).ToArray());
        Assert.Equal(frac.GetArrayLength(), s.Count);
        for (var i = 0; i < s.Count; i++)
            for (var k = 0; k < 3; k++)
            {
                var d = frac[i][k].GetDouble() - s.Sites[i].Fractional[k];
                d -= Math.Round(d);
                worst = Math.Max(worst, Math.Abs(d));
                Assert.True(Math.Abs(d) < 1e-9, $"site {i} coordinate {k}: {s.Sites[i].Fractional[k]:R}, pymatgen {frac[i][k].GetDouble():R}");
            }
        Assert.Equal(volume, s.Volume, 1e-12 * volume);
        Assert.Equal(density, s.Density, 1e-12 * density);
        return worst;
    }
}
