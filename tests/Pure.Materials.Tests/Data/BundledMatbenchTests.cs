using System.IO.Compression;
using System.Text;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Tests.Cli;
using Xunit;

namespace Pure.Materials.Tests.Data;

/// <summary>The three composition-only Matbench v0.1 tasks bundled gzip-compressed (Data/Bundled/PROVENANCE.md), and reading a
/// <c>.csv.gz</c> path directly.</summary>
public class BundledMatbenchTests
{
    [Theory]
    [InlineData("matbench_mp_e_form", "e_form", 132_752)]
    [InlineData("matbench_perovskites", "e_form", 18_928)]
    [InlineData("matbench_jdft2d", "exfoliation_en", 636)]
    public void BundledTask_HasItsRows_Header_AndOfficialFolds(string name, string target, int rows)
    {
        Assert.Contains(name, BundledData.Names);
        var table = BundledData.Open(name).OrThrow();
        Assert.Equal(["mbid", target, "composition", "spg_num", "crys_sys", "fold"], table.Header);
        Assert.Equal(rows, table.Rows.Count);
        var fold = table.ColumnIndex("fold").OrThrow();
        var counts = table.Rows.GroupBy(r => int.Parse(r[fold], System.Globalization.CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([0, 1, 2, 3, 4], counts.Keys);
        // KFold(5) over n rows: every test fold holds floor(n/5) or ceil(n/5) rows.
        Assert.All(counts.Values, c => Assert.InRange(c, rows / 5, (rows + 4) / 5));
        Assert.Equal(rows, table.Rows.Select(r => r[0]).Distinct().Count());
    }

    [Fact]
    public void ReadFile_ReadsAGzipPath_AsTheSameTable()
    {
        var dir = CliRun.TempDir("pm-gz-");
        var path = Path.Combine(dir, "jdft2d.csv.gz");
        using (var source = BundledData.OpenStream("matbench_jdft2d"))
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            source.CopyTo(gz);
        var fromFile = Csv.ReadFile(path).OrThrow();
        var bundled = BundledData.Open("matbench_jdft2d").OrThrow();
        Assert.Equal(bundled.Header, fromFile.Header);
        Assert.Equal(bundled.Rows.Count, fromFile.Rows.Count);
        for (var r = 0; r < bundled.Rows.Count; r++) Assert.Equal(bundled.Rows[r], fromFile.Rows[r]);
    }

    [Fact]
    public void ReadFile_OfACorruptOrNonCsvGzip_SaysWhat()
    {
        var dir = CliRun.TempDir("pm-gz-bad-");
        var corrupt = Path.Combine(dir, "corrupt.csv.gz");
        var whole = new MemoryStream();
        using (var gz = new GZipStream(whole, CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(Encoding.UTF8.GetBytes("composition,y\n" + string.Concat(Enumerable.Range(0, 20000).Select(i => $"Fe{i % 7 + 1}O{i % 5 + 1},{i * 7 % 13}\n"))));
        File.WriteAllBytes(corrupt, whole.ToArray()[..(int)(whole.Length / 2)]);
        var p = Assert.Single(Csv.ReadFile(corrupt).Problems());
        Assert.Equal("io.read_failed", p.Code);
        Assert.Contains("truncated", p.Message);
        // The command line says the same in one line (featurize streams the file; cv reads it whole).
        Assert.Contains("[io.read_failed]", CliRun.Run("cv", "--data", corrupt, "--target", "y", "--formula-column", "composition").Err);
        var featurize = CliRun.Run("featurize", "--data", corrupt, "--formula-column", "composition", "--out", Path.Combine(dir, "f.csv"));
        Assert.Equal(1, featurize.Exit);
        Assert.Contains("[io.read_failed]", Assert.Single(featurize.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(File.Exists(Path.Combine(dir, "f.csv")));

        var json = Path.Combine(dir, "data.json.gz");
        using (var gz = new GZipStream(File.Create(json), CompressionLevel.Fastest)) gz.Write(Encoding.UTF8.GetBytes("[{\"a\": 1}]"));
        var q = Assert.Single(Csv.ReadFile(json).Problems());
        Assert.Equal("csv.not_csv", q.Code);
        Assert.Contains("decompressed is JSON", q.Message);
    }

    [Fact]
    public void Cv_OnJdft2d_WithOfficialFolds_GivesTheSameScoreFromTheBundleAndFromAGzipFile()
    {
        var dir = CliRun.TempDir("pm-jdft2d-");
        var gzPath = Path.Combine(dir, "matbench_jdft2d_composition.csv.gz");
        using (var source = BundledData.OpenStream("matbench_jdft2d"))
        using (var gz = new GZipStream(File.Create(gzPath), CompressionLevel.Fastest))
            source.CopyTo(gz);
        double Mae(string data, string outDir)
        {
            var run = CliRun.Run("cv", "--data", data, "--target", "exfoliation_en", "--formula-column", "composition", "--fold-column", "fold",
                "--model", "rf", "--set", "n_estimators=10", "--seed", "0", "--out", outDir, "--quiet");
            Assert.True(run.Exit == 0, run.Err);
            using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
            var mae = report.RootElement.GetProperty("metrics").GetProperty("mae");
            Assert.Equal(5, mae.GetProperty("per_fold").GetArrayLength());
            return mae.GetProperty("mean").GetDouble();
        }
        var bundled = Mae("matbench_jdft2d", Path.Combine(dir, "bundled"));
        var file = Mae(gzPath, Path.Combine(dir, "file"));
        Assert.Equal(bundled, file);
        // Exfoliation energies span 0-1600 meV/atom; Matbench's dummy scores 67.3 and RF-SCM/Magpie 50.0 meV/atom.
        Assert.InRange(bundled, 20, 120);
    }
}
