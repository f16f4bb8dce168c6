using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>The CLI <c>featurize</c> command as a process: featurizer names, --on-error stop / skip and the skipped-rows report.</summary>
public class FeaturizeCliTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    private static string TempDir() => CliRun.TempDir("pm-featurize-");

    private const string WithBadRows = "id,formula\na,Fe2O3\nb,Fe2Xx3\nc,NaCl\nd,Al2O3,9\ne,Fe3O4\n";

    [Fact]
    public void Stop_NamesTheBadRow_AndLeavesNoOutput()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "in.csv"), WithBadRows);
        var output = Path.Combine(dir, "out.csv");
        var (exit, _, err) = Run("featurize", "--data", Path.Combine(dir, "in.csv"), "--formula-column", "formula",
            "--featurizers", "stoichiometry,ion-property", "--out", output);
        Assert.Equal(1, exit);
        Assert.Contains("row 2, column 'formula'", err);
        Assert.Contains("[formula.unknown_element]", err);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".tmp"));
    }

    [Fact]
    public void Skip_WritesGoodRows_AndReportsEverySkippedRow()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "in.csv"), WithBadRows);
        var output = Path.Combine(dir, "out.csv");
        var (exit, stdout, err) = Run("featurize", "--data", Path.Combine(dir, "in.csv"), "--formula-column", "formula",
            "--featurizers", "matminer,tmetal-fraction,band-center", "--out", output, "--on-error", "skip", "--chunk-size", "2");
        Assert.True(exit == 0, err);
        Assert.Contains("featurized 3 rows x 67 features", stdout);
        Assert.Contains("skipped 2 of 5 rows", err);
        var lines = File.ReadAllLines(output);
        Assert.Equal(["id", "formula", "PymatgenData minimum X"], lines[0].Split(',').Take(3));
        Assert.Equal(["a", "c", "e"], lines.Skip(1).Select(l => l.Split(',')[0]));
        var report = File.ReadAllLines(output + ".skipped.csv");
        Assert.Equal("row,id,formula,code,message", report[0]);
        Assert.StartsWith("2,b,Fe2Xx3,formula.unknown_element,", report[1]);
        Assert.StartsWith("4,d,Al2O3,csv.bad_row,", report[2]);
    }

    [Fact]
    public void UnknownFeaturizerAndPolicy_AreReportedTogether()
    {
        var (exit, _, err) = Run("featurize", "--data", "matbench_expt_gap", "--featurizers", "magpie,nope", "--on-error", "ignore",
            "--out", Path.Combine(TempDir(), "x.csv"));
        Assert.Equal(1, exit);
        Assert.Contains("--on-error ignore is not accepted", err);
        // Parameter problems are reported first; the featurizer list is checked once they are fixed.
        var (exit2, _, err2) = Run("featurize", "--data", "matbench_expt_gap", "--featurizers", "magpie,nope", "--out", Path.Combine(TempDir(), "x.csv"));
        Assert.Equal(1, exit2);
        Assert.Contains("unknown featurizer 'nope'", err2);
        Assert.Contains("ion-property", err2);
    }
}
