using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Tests.Featurize;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>The CLI <c>featurize --structures</c> and <c>cv --structures</c>: bundled matbench_phonons, structure files and directories, bad input as one
/// problem line, and the documented matbench_phonons recipe (Magpie + bond-length statistics, 100-tree forest, official folds).</summary>
public class StructureFeaturizeCliTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    private static string TempDir() => CliRun.TempDir("pm-sfeaturize-");

    private const string RockSalt = "NaCl\n1.0\n5.64 0 0\n0 5.64 0\n0 0 5.64\nNa Cl\n4 4\nDirect\n0 0 0\n0.5 0.5 0\n0.5 0 0.5\n0 0.5 0.5\n0.5 0 0\n0 0.5 0\n0 0 0.5\n0.5 0.5 0.5\n";

    private const string LoneAtom = "lone Na\n1.0\n30 0 0\n0 30 0\n0 0 30\nNa\n1\nDirect\n0 0 0\n";

    [Fact]
    public void MatbenchPhonons_WritesIdTargetFold_ThenTheFeatures_EqualToMatminersBondLengthStatistics()
    {
        var output = Path.Combine(TempDir(), "phonons.csv");
        var (exit, stdout, err) = Run("featurize", "--structures", "matbench_phonons", "--featurizers", "magpie,site-stats-bond-length", "--out", output);
        Assert.True(exit == 0, err);
        Assert.Contains("featurized 1265 structures x 136 features", stdout);
        var table = Csv.Read(new StreamReader(output), "phonons.csv").OrThrow();
        Assert.Equal(["mbid", "last phdos peak", "fold", "MagpieData minimum Number"], table.Header.Take(4));
        Assert.Equal(1265, table.Rows.Count);
        var reference = CompositionParityTests.ReadReference("matminer-0.9.0", "structure_phonons_site_stats.csv.gz");
        foreach (var label in new[] { "minimum Average bond length", "maximum Average bond length", "mean Average bond length" })
        {
            var (mine, theirs) = (table.ColumnIndex(label).OrThrow(), reference.ColumnIndex(label).OrThrow());
            for (var r = 0; r < 1265; r++)
            {
                var (a, e) = (double.Parse(table.Rows[r][mine], CultureInfo.InvariantCulture), double.Parse(reference.Rows[r][theirs], CultureInfo.InvariantCulture));
                Assert.True(Math.Abs(a - e) <= 1e-9 * Math.Abs(e), $"row {r} {label}: {a:R} vs matminer {e:R}");
            }
        }
    }

    [Fact]
    public void PhononsRecipe_MagpiePlusBondLengthStatistics_Rf100_OfficialFolds_GivesTheReadmeMae()
    {
        var dir = TempDir();
        var features = Path.Combine(dir, "phonons.csv");
        Assert.Equal(0, Run("featurize", "--structures", "matbench_phonons", "--featurizers", "magpie,site-stats-bond-length", "--out", features).Exit);
        var (exit, stdout, err) = Run("cv", "--data", features, "--target", "last phdos peak", "--feature-columns", "MagpieData*,*Average bond length",
            "--fold-column", "fold", "--model", "rf", "--seed", "0");
        Assert.True(exit == 0, err);
        Assert.Contains("mean MAE 37.5047 (std 3.9930)", stdout);
        // The same recipe in one command: cv featurizes the structures itself and uses every feature.
        var (exit1, stdout1, err1) = Run("cv", "--structures", "matbench_phonons", "--featurizers", "magpie,site-stats-bond-length",
            "--target", "last phdos peak", "--fold-column", "fold", "--model", "rf", "--seed", "0");
        Assert.True(exit1 == 0, err1);
        Assert.Contains("matbench_phonons: 1265 rows, 136 features", stdout1);
        Assert.Contains("mean MAE 37.5047 (std 3.9930)", stdout1);
    }

    [Fact]
    public void CvStructures_WithData_OrAFormulaColumn_OrNeitherInput_IsOneProblem()
    {
        var (exit, _, err) = Run("cv", "--structures", "matbench_phonons", "--data", "matbench_expt_gap", "--target", "x");
        Assert.Equal(1, exit);
        Assert.Contains("not both", err);
        (exit, _, err) = Run("cv", "--structures", "matbench_phonons", "--formula-column", "formula", "--target", "x");
        Assert.Equal(1, exit);
        Assert.Contains("--formula-column does not apply to --structures", err);
        (exit, _, err) = Run("cv", "--target", "x");
        Assert.Equal(1, exit);
        Assert.Contains("cv needs --data FILE", err);
        (exit, _, err) = Run("cv", "--structures", "matbench_phonons", "--featurizers", "density,nope", "--target", "last phdos peak");
        Assert.Equal(1, exit);
        Assert.Contains("unknown structure featurizer 'nope'", err);
    }

    [Fact]
    public void StructureFileAndDirectory_AreRead_WithFileNamesAsIds()
    {
        var dir = TempDir();
        var structures = Directory.CreateDirectory(Path.Combine(dir, "in")).FullName;
        File.WriteAllText(Path.Combine(structures, "b_NaCl.vasp"), RockSalt);
        File.WriteAllText(Path.Combine(structures, "a_NaCl.vasp"), RockSalt);
        var output = Path.Combine(dir, "out.csv");
        var (exit, stdout, err) = Run("featurize", "--structures", structures, "--featurizers", "density,coulomb", "--out", output);
        Assert.True(exit == 0, err);
        Assert.Contains("featurized 2 structures x 11 features", stdout);
        var lines = File.ReadAllLines(output);
        Assert.Equal("id,density,vpa,packing fraction,coulomb matrix eig 0", string.Join(",", lines[0].Split(',').Take(5)));
        Assert.StartsWith("a_NaCl.vasp,2.16372749307248", lines[1]);
        Assert.StartsWith("b_NaCl.vasp,", lines[2]);
        var single = Path.Combine(dir, "one.csv");
        Assert.Equal(0, Run("featurize", "--structures", Path.Combine(structures, "b_NaCl.vasp"), "--featurizers", "rdf", "--out", single).Exit);
        Assert.Equal(2, File.ReadAllLines(single).Length);
    }

    [Fact]
    public void AStructureWithoutNeighbours_IsOneProblemNamingIt_AndNothingIsWritten()
    {
        var dir = TempDir();
        var file = Path.Combine(dir, "lone.vasp");
        File.WriteAllText(file, LoneAtom);
        var output = Path.Combine(dir, "out.csv");
        var (exit, _, err) = Run("featurize", "--structures", file, "--featurizers", "density,site-stats-bond-length", "--out", output);
        Assert.Equal(1, exit);
        Assert.Contains("[featurize.no_neighbors]", err);
        Assert.Contains("'lone.vasp'", err);
        Assert.Contains("site 0 has no neighbour within 10 Angstrom", err);
        Assert.DoesNotContain("   at ", err);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".tmp"));
    }

    [Fact]
    public void DataAndStructures_Together_OrNeither_OrAnUnknownName_AreProblems()
    {
        var output = Path.Combine(TempDir(), "x.csv");
        var (exit, _, err) = Run("featurize", "--data", "matbench_expt_gap", "--structures", "matbench_phonons", "--out", output);
        Assert.Equal(1, exit);
        Assert.Contains("not both", err);
        (exit, _, err) = Run("featurize", "--out", output);
        Assert.Equal(1, exit);
        Assert.Contains("--structures", err);
        (exit, _, err) = Run("featurize", "--structures", "matbench_phonons", "--featurizers", "density,bogus", "--out", output);
        Assert.Equal(1, exit);
        Assert.Contains("unknown structure featurizer 'bogus'", err);
        Assert.Contains("site-stats-bond-length", err);
        (exit, _, err) = Run("featurize", "--structures", Path.Combine(TempDir(), "missing.cif"), "--out", output);
        Assert.Equal(1, exit);
        Assert.Contains("[io.not_found]", err);
    }

    [Fact]
    public void OutThatWouldOverwriteTheStructureFile_IsAProblem_AndTheFileIsKept()
    {
        var file = Path.Combine(TempDir(), "NaCl.vasp");
        File.WriteAllText(file, RockSalt);
        var (exit, _, err) = Run("featurize", "--structures", file, "--featurizers", "density", "--out", file);
        Assert.Equal(1, exit);
        Assert.Contains("would overwrite the input file", err);
        Assert.Equal(RockSalt, File.ReadAllText(file));
    }
}
