using Pure.Materials.Core;
using Pure.Materials.Structures;
using Xunit;

namespace Pure.Materials.Tests.Structures;

/// <summary>Every reader answers hostile input with problems naming the source, line and field, never an exception.</summary>
public class ReaderProblemTests
{
    private const string Poscar5 = "BaGaSiH\n1.0\n4.3015 0 0\n-2.15075 3.725208 0\n0 0 5.2703\nBa Ga Si H\n1 1 1 1\nDirect\n0 0 0\n0.6666 0.3333 0.5423\n0.3334 0.6667 0.4555\n0.6666 0.3333 0.8759\n";

    private const string CifP1 = """
        data_test
        _cell_length_a 5.6402(2)
        _cell_length_b 5.6402(2)
        _cell_length_c 5.6402(2)
        _cell_angle_alpha 90
        _cell_angle_beta 90
        _cell_angle_gamma 90
        loop_
        _symmetry_equiv_pos_as_xyz
        'x, y, z'
        '-x, -y, -z'
        loop_
        _atom_site_label
        _atom_site_fract_x
        _atom_site_fract_y
        _atom_site_fract_z
        _atom_site_occupancy
        Na1 0.1 0.2 0.3 1.0
        Cl1 0.5 0.5 0.5 1.0
        """;

    private const string Xyz = "2\nLattice=\"4 0 0 0 4 0 0 0 4\" Properties=species:S:1:pos:R:3\nNa 0 0 0\nCl 2 2 2\n";

    private const string Compact = """{"records": [{"mbid": "m1", "target": 1.0, "lattice": [[4,0,0],[0,4,0],[0,0,4]], "species": ["Na", "Cl-"], "frac_coords": [[0,0,0],[0.5,0.5,0.5]]}]}""";

    private static Problem One<T>(LanguageExt.Validation<Problem, T> v, string code)
    {
        var ps = v.Problems();
        Assert.True(ps.Length > 0, "expected a problem, got a value");
        Assert.True(ps.Any(p => p.Code == code), $"expected {code}, got: {string.Join(" | ", ps.Select(p => p.ToString()))}");
        return ps.First(p => p.Code == code);
    }

    [Fact]
    public void GoodInputs_Read()
    {
        Assert.Equal(4, Poscar.Read(Poscar5).OrThrow().Count);
        Assert.Equal(3, Cif.Read(CifP1).OrThrow().Count); // Na at +-(0.1, 0.2, 0.3); Cl on the inversion centre
        Assert.Equal(2, ExtendedXyz.Read(Xyz).OrThrow().Count);
        var e = StructureJson.ReadMatbench(Compact).OrThrow();
        Assert.Equal("Cl-", e[0].Structure.Sites[1].SpeciesString);
    }

    [Theory]
    [InlineData("", "poscar.truncated")]
    [InlineData("comment\n", "poscar.truncated")]
    [InlineData("c\n1.0\n4 0 0\n0 4 0\n", "poscar.truncated")]
    [InlineData("c\nNaN\n4 0 0\n0 4 0\n0 0 4\nNa\n1\nDirect\n0 0 0\n", "poscar.invalid_number")]
    [InlineData("c\n1.0\n4 0 0\n0 Infinity 0\n0 0 4\nNa\n1\nDirect\n0 0 0\n", "poscar.invalid_number")]
    [InlineData("c\n1.0\n4 0 0\n0 4 0\n0 0 4\nNa\n1\nDirect\nnan 0 0\n", "poscar.invalid_number")]
    [InlineData("c\n0\n4 0 0\n0 4 0\n0 0 4\nNa\n1\nDirect\n0 0 0\n", "poscar.invalid_scale")]
    [InlineData("c\n1.0\n4 0 0\n8 0 0\n0 0 4\nNa\n1\nDirect\n0 0 0\n", "lattice.degenerate")]
    [InlineData("c\n1.0\n0 0 0\n0 4 0\n0 0 4\nNa\n1\nDirect\n0 0 0\n", "lattice.degenerate")]
    [InlineData("c\n1.0\n4 0 0\n0 4 0\n0 0 4\nXx\n1\nDirect\n0 0 0\n", "poscar.unknown_element")]
    [InlineData("c\n1.0\n4 0 0\n0 4 0\n0 0 4\nNa\n999999999999\nDirect\n0 0 0\n", "poscar.too_many_sites")]
    [InlineData("c\n1.0\n4 0 0\n0 4 0\n0 0 4\nNa\n-1\nDirect\n0 0 0\n", "poscar.invalid_count")]
    [InlineData("c\n1.0\n4 0 0\n0 4 0\n0 0 4\nNa Cl\n1\nDirect\n0 0 0\n", "poscar.invalid_count")]
    [InlineData("c\n1.0\n4 0 0\n0 4 0\n0 0 4\nNa\n2\nDirect\n0 0 0\n", "poscar.truncated")]
    [InlineData("c\n1.0\n4 0 0\n0 4 0\n0 0 4\n1\nDirect\n0 0 0\n", "poscar.no_species")]
    [InlineData("c\n1.0\n4 0 0\n0 4 0\n0 0 4\nNa\n1\nSelective dynamics\nDirect\n0 0 0 T X T\n", "poscar.invalid_flag")]
    [InlineData("c\n1.0\n4 0 0\n0 4 0\n0 0 4\nNa\n1\nDirect\n0 0 1e300\n", "site.invalid_coordinates")]
    [InlineData("c\n1.0\n4 0 0\n0 4 0\n0 0 1e7\nNa\n1\nDirect\n0 0 0\n", "lattice.too_large")]
    public void Poscar_HostileInput_IsAProblemNamingTheLine(string text, string code)
    {
        var p = One(Poscar.Read(text, "POSCAR_bad"), code);
        Assert.StartsWith("POSCAR_bad", p.Message);
    }

    [Fact]
    public void Poscar_NaNCoordinate_NamesLineAndSite()
    {
        var p = One(Poscar.Read(Poscar5.Replace("0.3334 0.6667 0.4555", "0.3334 NaN 0.4555"), "POSCAR"), "poscar.invalid_number");
        Assert.Contains("line 11, site 3 (Si)", p.Message);
    }

    [Fact]
    public void Poscar_Vasp4WithSpeciesOnTheCommentLine_EqualsVasp5()
    {
        var vasp4 = Poscar5.Replace("BaGaSiH\n", "Ba Ga Si H\n").Replace("Ba Ga Si H\n1 1 1 1", "1 1 1 1");
        Assert.Equal(Poscar.Read(Poscar5).OrThrow(), Poscar.Read(vasp4).OrThrow());
    }

    [Fact]
    public void Poscar_PotcarLabels_KeepTheElement()
    {
        var s = Poscar.Read(Poscar5.Replace("Ba Ga Si H", "Ba_sv Ga_d Si/abc H")).OrThrow();
        Assert.Equal(["Ba", "Ga", "Si", "H"], s.Sites.Select(x => x.SpeciesString));
    }

    [Fact]
    public void Poscar_TruncatedAtEveryLine_IsAProblem_NeverAnException()
    {
        for (var n = 0; n < Poscar5.Length; n++)
        {
            var v = Poscar.Read(Poscar5[..n]);
            if (v.IsSuccess) Assert.True(n > Poscar5.LastIndexOf("0.6666 0.3333 0.8759", StringComparison.Ordinal), $"prefix of {n} characters read as a structure");
        }
    }

    [Theory]
    [InlineData("", "cif.no_data_block")]
    [InlineData("_cell_length_a 5\n", "cif.no_data_block")]
    [InlineData("data_x\n_cell_length_a 5\n", "cif.no_sites")]
    [InlineData("data_x\n_title\n;\nnever closed\n", "cif.unterminated_text")]
    [InlineData("data_x\n_title 'never closed\n", "cif.unterminated_quote")]
    [InlineData("data_x\nloop_\n_a\n_b\n1 2 3\n", "cif.loop_mismatch")]
    [InlineData("data_x\nloop_\n1 2\n", "cif.empty_loop")]
    [InlineData("data_x\n_a\n_b 1\n", "cif.missing_value")]
    [InlineData("data_x\n_a 1 2\n", "cif.stray_value")]
    public void Cif_SyntaxErrors_AreProblems(string text, string code) => One(Cif.Read(text, "bad.cif"), code);

    [Theory]
    [InlineData("_cell_length_b 5.6402(2)\n", "", "cif.missing_cell")]
    [InlineData("_cell_length_a 5.6402(2)", "_cell_length_a NaN", "cif.invalid_number")]
    [InlineData("_cell_length_a 5.6402(2)", "_cell_length_a 5.6402(2", "cif.invalid_number")]
    [InlineData("_cell_length_a 5.6402(2)", "_cell_length_a -5", "lattice.invalid_parameters")]
    [InlineData("_cell_angle_gamma 90", "_cell_angle_gamma 180", "lattice.invalid_parameters")]
    [InlineData("_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90", "_cell_angle_alpha 10\n_cell_angle_beta 10\n_cell_angle_gamma 170", "lattice.degenerate")]
    [InlineData("Na1 0.1 0.2 0.3 1.0", "Xx1 0.1 0.2 0.3 1.0", "cif.unknown_element")]
    [InlineData("Na1 0.1 0.2 0.3 1.0", "Na1 0.1 Inf 0.3 1.0", "cif.invalid_number")]
    [InlineData("Na1 0.1 0.2 0.3 1.0", "Na1 0.1 ? 0.3 1.0", "cif.invalid_number")]
    [InlineData("Na1 0.1 0.2 0.3 1.0", "Na1 0.1 0.2 0.3 -0.5", "cif.invalid_occupancy")]
    [InlineData("Cl1 0.5 0.5 0.5 1.0", "Cl1 0.5 0.5 0.5 1.0\nNa2 0.5 0.5 0.5 0.5", "cif.invalid_occupancy")]
    [InlineData("'-x, -y, -z'", "'-x, -y, -q'", "cif.invalid_symmetry_operation")]
    [InlineData("'-x, -y, -z'", "'-x, -y'", "cif.invalid_symmetry_operation")]
    [InlineData("'-x, -y, -z'", "'-x, -y, 1/0+z'", "cif.invalid_symmetry_operation")]
    public void Cif_BadValues_AreProblemsNamingLineAndTag(string replace, string with, string code)
    {
        var text = replace == "_cell_length_b 5.6402(2)\n" ? CifP1.Replace("_cell_length_b 5.6402(2)\n", "") : CifP1.Replace(replace, with);
        var p = One(Cif.Read(text, "bad.cif"), code);
        Assert.StartsWith("bad.cif (data_test)", p.Message);
    }

    [Fact]
    public void Cif_OnlyASpaceGroupSymbol_IsAProblem_UntilASymbolTableExists()
    {
        var text = CifP1.Replace("loop_\n_symmetry_equiv_pos_as_xyz\n'x, y, z'\n'-x, -y, -z'\n", "_symmetry_space_group_name_H-M 'F m -3 m'\n");
        var p = One(Cif.Read(text, "sg.cif"), "cif.no_symmetry_operations");
        Assert.Contains("F m -3 m", p.Message);
        Assert.Contains("line", p.Message);
    }

    [Fact]
    public void Cif_NoSymmetryAtAll_IsP1_AndSpaceGroupSymopSpellingWorks()
    {
        var p1 = Cif.Read(CifP1.Replace("loop_\n_symmetry_equiv_pos_as_xyz\n'x, y, z'\n'-x, -y, -z'\n", "")).OrThrow();
        Assert.Equal(2, p1.Count);
        var symop = Cif.Read(CifP1.Replace("_symmetry_equiv_pos_as_xyz", "_space_group_symop_operation_xyz")).OrThrow();
        Assert.Equal(Cif.Read(CifP1).OrThrow(), symop);
    }

    [Fact]
    public void Cif_TextFieldsQuotesAndUncertainties_Parse_AndDisorderMergesOntoOneSite()
    {
        var text = CifP1.Replace("data_test\n", "data_test\n_publ_section_title\n;\n Accuracy of a 'quoted' # not a comment\n;\nloop_\n_publ_author_name\n'O'Keeffe, M.'\n\"Smith, J.\"\n")
            .Replace("Cl1 0.5 0.5 0.5 1.0", "Cl1 0.5 0.5 0.5 0.5\nBr1 0.5 0.5 0.5 0.5");
        var s = Cif.Read(text).OrThrow();
        Assert.Equal(3, s.Count); // Na at +-(0.1, 0.2, 0.3), one Cl/Br site at the inversion centre
        Assert.Equal(5.6402, s.Lattice.Lengths.X, 1e-12);
        var mixed = Assert.Single(s.Sites, x => !x.IsOrdered);
        Assert.Equal("Br:0.500, Cl:0.500", mixed.SpeciesString); // sorted by electronegativity, as pymatgen
    }

    [Fact]
    public void Cif_TruncatedAtEveryCharacter_IsAProblemOrAStructure_NeverAnException()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "cod-cgcnn", "1000041.cif"));
        for (var n = 0; n < text.Length; n += 7) _ = Cif.Read(text[..n]);
    }

    [Fact]
    public void Cif_ManyRows_AreMergedAndExpandedWithoutAQuadraticScan()
    {
        // 27,000 rows on a grid (offset by a quarter step) of a 300 A cell, with the identity and the inversion, which maps
        // no row onto another: 54,000 sites. A scan of every earlier site per row and operation would take minutes.
        var rows = new System.Text.StringBuilder();
        for (var i = 0; i < 30; i++)
            for (var j = 0; j < 30; j++)
                for (var k = 0; k < 30; k++)
                    rows.Append(System.Globalization.CultureInfo.InvariantCulture, $"Si{i}_{j}_{k} {(i + 0.25) / 30:R} {(j + 0.25) / 30:R} {(k + 0.25) / 30:R} 1.0\n");
        var text = CifP1.Replace("5.6402(2)", "300").Replace("Na1 0.1 0.2 0.3 1.0\nCl1 0.5 0.5 0.5 1.0", rows.ToString().TrimEnd('\n'));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var s = Cif.Read(text).OrThrow();
        Assert.Equal(54_000, s.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Cif_HugeSymmetryLoop_IsRefused()
    {
        var ops = string.Join("\n", Enumerable.Repeat("'x, y, z'", Cif.MaxSymmetryOperations + 1));
        One(Cif.Read(CifP1.Replace("'x, y, z'\n'-x, -y, -z'", ops)), "cif.too_many_operations");
    }

    [Theory]
    [InlineData("", "xyz.truncated")]
    [InlineData("x\nLattice=\"4 0 0 0 4 0 0 0 4\"\nNa 0 0 0\n", "xyz.invalid_count")]
    [InlineData("99999999999\nLattice=\"4 0 0 0 4 0 0 0 4\"\nNa 0 0 0\n", "xyz.invalid_count")]
    [InlineData("1\nProperties=species:S:1:pos:R:3\nNa 0 0 0\n", "xyz.no_lattice")]
    [InlineData("1\nLattice=\"4 0 0 0 4 0 0 0\"\nNa 0 0 0\n", "xyz.invalid_lattice")]
    [InlineData("1\nLattice=\"4 0 0 0 4 0 0 0 NaN\"\nNa 0 0 0\n", "xyz.invalid_lattice")]
    [InlineData("1\nLattice=\"4 0 0 8 0 0 0 0 4\"\nNa 0 0 0\n", "lattice.degenerate")]
    [InlineData("1\nLattice=\"4 0 0 0 4 0 0 0 4\nNa 0 0 0\n", "xyz.unterminated_quote")]
    [InlineData("1\nLattice=\"4 0 0 0 4 0 0 0 4\" Properties=pos:R:3\nNa 0 0 0\n", "xyz.invalid_properties")]
    [InlineData("2\nLattice=\"4 0 0 0 4 0 0 0 4\"\nNa 0 0 0\n", "xyz.truncated")]
    [InlineData("1\nLattice=\"4 0 0 0 4 0 0 0 4\"\nQq 0 0 0\n", "xyz.unknown_element")]
    [InlineData("1\nLattice=\"4 0 0 0 4 0 0 0 4\"\nNa 0 inf 0\n", "xyz.invalid_number")]
    public void Xyz_HostileInput_IsAProblem(string text, string code) => One(ExtendedXyz.Read(text, "bad.xyz"), code);

    [Theory]
    [InlineData("", "json.syntax")]
    [InlineData("{\"records\": [", "json.syntax")]
    [InlineData("{\"records\": [{\"lattice\": [[NaN,0,0],[0,4,0],[0,0,4]]}]}", "json.syntax")]
    [InlineData("[1, 2]", "json.unknown_layout")]
    [InlineData("{\"records\": 3}", "json.wrong_type")]
    [InlineData("{\"records\": [{\"mbid\": \"m\"}]}", "json.missing_field")]
    [InlineData("{\"records\": [{\"lattice\": [[4,0,0],[0,4,0]], \"species\": [\"Na\"], \"frac_coords\": [[0,0,0]]}]}", "json.wrong_type")]
    [InlineData("{\"records\": [{\"lattice\": [[4,0,0],[0,4,0],[0,0,0]], \"species\": [\"Na\"], \"frac_coords\": [[0,0,0]]}]}", "lattice.degenerate")]
    [InlineData("{\"records\": [{\"lattice\": [[4,0,0],[0,4,0],[0,0,4]], \"species\": [\"Xx\"], \"frac_coords\": [[0,0,0]]}]}", "species.unknown_element")]
    [InlineData("{\"records\": [{\"lattice\": [[4,0,0],[0,4,0],[0,0,4]], \"species\": [\"Na\"], \"frac_coords\": [[0,\"a\",0]]}]}", "json.wrong_type")]
    [InlineData("{\"records\": [{\"lattice\": [[4,0,0],[0,4,0],[0,0,4]], \"species\": [\"Na\", \"Cl\"], \"frac_coords\": [[0,0,0]]}]}", "structure.length_mismatch")]
    [InlineData("{\"records\": [{\"lattice\": [[4,0,0],[0,4,0],[0,0,4]], \"species\": [], \"frac_coords\": []}]}", "structure.no_sites")]
    [InlineData("{\"records\": [{\"lattice\": [[4,0,0],[0,4,0],[0,0,4]], \"species\": [\"Na\"], \"frac_coords\": [[0,0,1e308]]}]}", "site.invalid_coordinates")]
    [InlineData("{\"records\": [{\"lattice\": [[4,0,0],[0,4,0],[0,0,4]], \"species\": [\"Na\"], \"frac_coords\": [[0,0,1e999]]}]}", "json.wrong_type")]
    [InlineData("{\"columns\": [\"x\"], \"data\": []}", "json.missing_field")]
    public void MatbenchJson_HostileInput_IsAProblem(string text, string code) => One(StructureJson.ReadMatbench(text, "bad.json"), code);

    [Theory]
    [InlineData("{}", "json.missing_field")]
    [InlineData("{\"lattice\": {\"matrix\": [[4,0,0],[0,4,0],[0,0,4]]}, \"sites\": [{\"species\": [{\"element\": \"Na\", \"occu\": 1.5}], \"abc\": [0,0,0]}]}", "site.invalid_occupancy")]
    [InlineData("{\"lattice\": {\"matrix\": [[4,0,0],[0,4,0],[0,0,4]]}, \"sites\": [{\"species\": [{\"element\": \"Na\", \"occu\": 0.7}, {\"element\": \"K\", \"occu\": 0.7}], \"abc\": [0,0,0]}]}", "site.invalid_occupancy")]
    [InlineData("{\"lattice\": {\"matrix\": [[4,0,0],[0,4,0],[0,0,4]]}, \"sites\": [{\"species\": [{\"element\": \"Na\", \"oxidation_state\": 99}], \"abc\": [0,0,0]}]}", "species.invalid_oxidation_state")]
    [InlineData("{\"lattice\": {\"matrix\": [[4,0,0],[0,4,0],[0,0,4]]}, \"sites\": [{\"species\": [], \"abc\": [0,0,0]}]}", "json.wrong_type")]
    [InlineData("{\"lattice\": {\"matrix\": [[4,0,0],[0,4,0],[0,0,4]]}, \"sites\": [{\"species\": [{\"element\": \"Na\"}]}]}", "json.missing_field")]
    public void PymatgenJson_HostileInput_IsAProblem(string text, string code)
    {
        var p = One(StructureJson.ReadPymatgen(text, "bad.json"), code);
        Assert.StartsWith("bad.json", p.Message);
    }

    [Fact]
    public void Json_DeepNesting_IsAProblem()
    {
        var deep = new string('[', 5000) + new string(']', 5000);
        One(StructureJson.ReadMatbench(deep, "deep.json"), "json.syntax");
    }

    [Fact]
    public void Json_SyntaxError_NamesTheLine()
    {
        var p = One(StructureJson.ReadMatbench("{\n\"records\": [\n  {\"mbid\": x}\n]}", "bad.json"), "json.syntax");
        Assert.Contains("bad.json line 3", p.Message);
    }

    [Fact]
    public void StructureFile_MissingFileUnknownExtensionAndBinary_AreProblems()
    {
        One(StructureFile.Read("/no/such/file.cif"), "file.not_found");
        One(StructureFile.Read("structure.docx"), "file.unknown_format");
        var bin = Path.Combine(Path.GetTempPath(), $"pm-{Guid.NewGuid():N}.cif");
        File.WriteAllBytes(bin, [0x64, 0x61, 0xc3, 0x28, 0x00]);
        try { One(StructureFile.Read(bin), "file.unreadable"); }
        finally { File.Delete(bin); }
    }

    [Fact]
    public void StructureFile_AboveTheSizeLimit_IsRefusedBeforeReading()
    {
        var big = Path.Combine(Path.GetTempPath(), $"pm-{Guid.NewGuid():N}.cif");
        using (var f = File.Create(big)) f.SetLength(StructureFile.MaxBytes + 1); // sparse: nothing is written
        try { One(StructureFile.Read(big), "file.too_large"); }
        finally { File.Delete(big); }
    }

    [Fact]
    public void Cif_CartesianOnlySites_AndOnlyEmptySites_AreProblems()
    {
        One(Cif.Read(CifP1.Replace("_atom_site_fract_", "_atom_site_Cartn_")), "cif.no_sites");
        var p = One(Cif.Read(CifP1.Replace(" 1.0\n", " 0\n").Replace("Cl1 0.5 0.5 0.5 1.0", "Cl1 0.5 0.5 0.5 0"), "empty.cif"), "cif.no_sites");
        Assert.Contains("occupancy 0", p.Message);
    }

    [Fact]
    public void Json_MoreSitesThanTheLimit_IsRefusedBeforeBuildingThem()
    {
        var n = Structure.MaxSites + 1;
        var text = "{\"records\": [{\"lattice\": [[4,0,0],[0,4,0],[0,0,4]], \"species\": [" + string.Join(",", Enumerable.Repeat("\"H\"", n))
            + "], \"frac_coords\": []}]}";
        One(StructureJson.ReadMatbench(text, "huge.json"), "structure.too_many_sites");
    }

    [Fact]
    public void Readers_NullText_IsAProblem()
    {
        One(Poscar.Read(null!), "poscar.empty");
        One(Cif.Read(null!), "cif.empty");
        One(ExtendedXyz.Read(null!), "xyz.empty");
        One(StructureJson.ReadPymatgen(null!), "json.empty");
    }

    [Fact]
    public void Species_Parse_ReadsPymatgenStrings_AndRefusesOthers()
    {
        Assert.Equal(new Species(26, 2), Species.Parse("Fe2+").OrThrow());
        Assert.Equal(new Species(8, -2), Species.Parse("O2-").OrThrow());
        Assert.Equal(new Species(11, 1), Species.Parse("Na+").OrThrow());
        Assert.Equal(new Species(26, 2.5), Species.Parse("Fe2.5+").OrThrow());
        Assert.Equal("Fe2.5+", new Species(26, 2.5).ToString());
        Assert.Equal("Na0+", new Species(11, 0).ToString());
        Assert.Equal("Na+", new Species(11, 1).ToString());
        foreach (var bad in new[] { "", "Xx", "fe", "Fe2", "Fe+2+", "Fe..+", null })
            Assert.True(Species.Parse(bad).IsFail, bad ?? "null");
    }
}
