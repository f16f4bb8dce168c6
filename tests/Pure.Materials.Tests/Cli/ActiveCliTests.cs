using System.Globalization;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>The <c>active</c> command as a process: its files, its determinism for a seed, and its one-line errors.</summary>
public class ActiveCliTests
{
    /// <summary>40 candidates on a 2-D grid-like design, y = (a - 0.3)^2 + (b - 0.6)^2 (minimum 0.0 at row 13: a = 0.3, b = 0.6).</summary>
    private static string Pool()
    {
        var dir = CliRun.TempDir("pm-active-data-");
        var path = Path.Combine(dir, "pool.csv");
        var lines = new List<string> { "id,a,b,y" };
        for (var i = 0; i < 40; i++)
        {
            var a = (i % 10) / 10.0;
            var b = (i / 10) / 5.0 + (i % 3) * 0.01 + 0.005;
            if (i == 13) (a, b) = (0.3, 0.6);
            var y = (a - 0.3) * (a - 0.3) + (b - 0.6) * (b - 0.6);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"r{i},{a:R},{b:R},{y:R}"));
        }
        File.WriteAllLines(path, lines);
        return path;
    }

    private static string[] Args(string data, string outDir, params string[] extra) =>
        ["active", "--data", data, "--target", "y", "--feature-columns", "a,b", "--initial", "5", "--batch", "2", "--rounds", "3",
         "--acquisition", "ei", "--goal", "min", "--seed", "4", "--out", outDir, .. extra];

    [Fact]
    public void Active_WritesHistoryAndPlot_WithOneRowPerRoundAndStrategy_AndIsDeterministicForASeed()
    {
        var data = Pool();
        var first = CliRun.TempDir("pm-active-a-");
        var second = CliRun.TempDir("pm-active-b-");
        var a = CliRun.Run(Args(data, first));
        Assert.True(a.Exit == 0, a.Err);
        Assert.Contains("wrote", a.Out);
        var history = File.ReadAllLines(Path.Combine(first, "history.csv"));
        Assert.Equal("strategy,round,evaluations,picked_ids,best_found,rmse_all_rows,seconds,seed", history[0]);
        var rows = history.Skip(1).Select(l => l.Split(',')).ToArray();
        // Rounds 0 (the initial design of 5) to 3 (2 per round), for ei and for the random baseline.
        Assert.Equal(2 * 4, rows.Length);
        foreach (var strategy in new[] { "ei", "random" })
        {
            var mine = rows.Where(r => r[0] == strategy).ToArray();
            Assert.Equal(["0", "1", "2", "3"], mine.Select(r => r[1]));
            Assert.Equal(["5", "7", "9", "11"], mine.Select(r => r[2]));
            Assert.Equal([5, 2, 2, 2], mine.Select(r => r[3].Split(' ').Length));
            var best = mine.Select(r => double.Parse(r[4], CultureInfo.InvariantCulture)).ToArray();
            for (var k = 1; k < best.Length; k++) Assert.True(best[k] <= best[k - 1], "best found must not get worse");
            Assert.All(mine, r => Assert.Equal("4", r[7]));
            Assert.Equal("", mine[0][5]); // no model before the first round
            Assert.All(mine.Skip(1), r => Assert.True(double.Parse(r[5], CultureInfo.InvariantCulture) >= 0));
        }
        var picked = rows.Where(r => r[0] == "ei").SelectMany(r => r[3].Split(' ')).ToArray();
        Assert.Equal(picked.Length, picked.Distinct().Count());
        var svg = File.ReadAllText(Path.Combine(first, "best_found.svg"));
        Assert.StartsWith("<svg", svg.TrimStart());
        Assert.Contains("ei", svg);
        Assert.Contains("random", svg);

        var b = CliRun.Run(Args(data, second));
        Assert.True(b.Exit == 0, b.Err);
        // Everything but the wall-clock seconds (column 6) is the same for the same seed.
        static string[] WithoutSeconds(string dir) =>
            File.ReadAllLines(Path.Combine(dir, "history.csv")).Select(l => string.Join(",", l.Split(',').Where((_, k) => k != 6))).ToArray();
        Assert.Equal(WithoutSeconds(first), WithoutSeconds(second));
        Assert.Equal(svg, File.ReadAllText(Path.Combine(second, "best_found.svg")));
        var other = CliRun.Run(["active", "--data", data, "--target", "y", "--features", "a,b", "--initial", "5", "--batch", "2", "--rounds", "3", "--seed", "5"]);
        Assert.True(other.Exit == 0, other.Err);
        // The old spelling --features still works, hidden from --help, with a warning naming --feature-columns.
        Assert.Contains("--features is deprecated", other.Err);
        Assert.Contains("--feature-columns", other.Err);
    }

    [Fact]
    public void Active_WithRuns_RunsEachStrategyPerSeed_AndPlotsTheMeanWithABand()
    {
        var data = Pool();
        var dir = CliRun.TempDir("pm-active-r-");
        var r = CliRun.Run(Args(data, dir, "--runs", "3", "--target-unit", "eV"));
        Assert.True(r.Exit == 0, r.Err);
        var rows = File.ReadAllLines(Path.Combine(dir, "history.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(2 * 3 * 4, rows.Length);
        foreach (var strategy in new[] { "ei", "random" })
            Assert.Equal(["4", "5", "6"], rows.Where(x => x[0] == strategy).Select(x => x[7]).Distinct());
        // Seed 4's runs are those of a single run with seed 4.
        var single = CliRun.TempDir("pm-active-s-");
        Assert.Equal(0, CliRun.Run(Args(data, single)).Exit);
        static string[] WithoutSeconds(IEnumerable<string[]> lines) => lines.Select(l => string.Join(",", l.Where((_, k) => k != 6))).ToArray();
        Assert.Equal(WithoutSeconds(File.ReadAllLines(Path.Combine(single, "history.csv")).Skip(1).Select(l => l.Split(','))),
                     WithoutSeconds(rows.Where(x => x[7] == "4")));
        var svg = File.ReadAllText(Path.Combine(dir, "best_found.svg"));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(svg, "class=\"band\"").Count);
        Assert.Contains("3 seeds", svg);
        Assert.Contains("best y (eV)", svg);
        Assert.Contains("over 3 seeds (4..6)", r.Out);
    }

    [Theory]
    [InlineData("--acquisition", "thompson", "--acquisition thompson is not accepted")]
    [InlineData("--initial", "41", "--initial must be between 1 and the number of candidates (40)")]
    [InlineData("--target", "energy", "energy")]
    public void Active_BadInput_GivesOneLineErrorAndExitCode1(string option, string value, string expected)
    {
        var data = Pool();
        var args = Args(data, CliRun.TempDir("pm-active-bad-")).ToList();
        var at = args.IndexOf(option);
        args[at + 1] = value;
        var (exit, _, err) = CliRun.Run([.. args]);
        Assert.Equal(1, exit);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Active_WithEmptyTargets_ProposesTheNextBatchOfThoseRows_FromFormulas()
    {
        var dir = CliRun.TempDir("pm-active-propose-");
        var data = Path.Combine(dir, "gaps.csv");
        // 12 measured band gaps and 6 candidates whose gap is unknown (empty cells).
        File.WriteAllText(data, "id,formula,gap\n" +
            "a,Fe2O3,2.1\nb,NaCl,8.5\nc,MgO,7.8\nd,Si,1.1\ne,GaAs,1.4\nf,ZnO,3.3\ng,TiO2,3.0\nh,Al2O3,8.8\ni,Cu,0\nj,Ge,0.7\nk,CdS,2.4\nl,AlN,6.2\n" +
            "m,GaN,\nn,KCl,\no,InP,\np,CaO,\nq,SnO2,\nr,Ag,\n");
        var outDir = Path.Combine(dir, "out");
        string[] args = ["active", "--data", data, "--target", "gap", "--formula-column", "formula", "--featurizers", "stoichiometry",
            "--goal", "max", "--batch", "3", "--kernel", "constant*rbf+white", "--seed", "2", "--out", outDir];
        var r = CliRun.Run(args);
        Assert.True(r.Exit == 0, r.Err);
        Assert.Contains("12 rows with 'gap' (training), 6 candidates", r.Out);
        var lines = File.ReadAllLines(Path.Combine(outDir, "proposals.csv"));
        Assert.Equal("rank,row,id,formula,mean,std,acquisition,acquisition_function,seed", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Equal(["1", "2", "3"], rows.Select(x => x[0]));
        Assert.All(rows, x => Assert.Contains(x[2], new[] { "m", "n", "o", "p", "q", "r" }));
        Assert.Equal(3, rows.Select(x => x[2]).Distinct().Count());
        Assert.All(rows, x => Assert.Equal(x[3], File.ReadAllLines(data)[int.Parse(x[1], CultureInfo.InvariantCulture)].Split(',')[1]));
        Assert.All(rows, x => Assert.True(double.Parse(x[5], CultureInfo.InvariantCulture) > 0, "std > 0"));
        var scores = rows.Select(x => double.Parse(x[6], CultureInfo.InvariantCulture)).ToArray();
        Assert.True(scores[0] >= scores[1] && scores[1] >= scores[2]);
        Assert.All(rows, x => Assert.Equal("ei", x[7]));
        // Same seed, same proposals.
        var again = CliRun.Run([.. args[..^1], Path.Combine(dir, "again")]);
        Assert.True(again.Exit == 0, again.Err);
        Assert.Equal(lines, File.ReadAllLines(Path.Combine(dir, "again", "proposals.csv")));
    }

    [Fact]
    public void Active_WithEveryTargetEmpty_OrANonNumberTarget_IsOneProblem()
    {
        var dir = CliRun.TempDir("pm-active-propose-");
        var empty = Path.Combine(dir, "empty.csv");
        File.WriteAllText(empty, "id,formula,gap\na,Fe2O3,\nb,NaCl,\n");
        var r = CliRun.Run("active", "--data", empty, "--target", "gap", "--formula-column", "formula");
        Assert.Equal(1, r.Exit);
        Assert.Contains("[data.no_labelled_rows]", Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var bad = Path.Combine(dir, "bad.csv");
        File.WriteAllText(bad, "id,formula,gap\na,Fe2O3,1.0\nb,NaCl,\nc,MgO,abc\n");
        var b = CliRun.Run("active", "--data", bad, "--target", "gap", "--formula-column", "formula");
        Assert.Equal(1, b.Exit);
        var line = Assert.Single(b.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("row 3, column 'gap'", line); // the file's row, not the row among the labelled ones
    }
}
