using System.Text.RegularExpressions;
using Pure.Materials.Active;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>Library messages name API parameters (<c>DatasetSpec.FormulaColumn</c>), never CLI flags; the CLI maps them back to its flags.</summary>
public class FlagNamesTests
{
    private static string RepositoryRoot() => TestPaths.RepositoryRoot();

    [Fact]
    public void LibrarySource_HasNoStringNamingACliFlag()
    {
        // A string literal (not a comment) holding --word: a CLI flag in a library message.
        var flag = new Regex("\"[^\"]*--[a-z][a-z-]*");
        var src = Path.Combine(RepositoryRoot(), "src", "Pure.Materials");
        var found = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(src, f), Line: i + 1, Text: line.Trim())))
            .Where(l => !l.Text.StartsWith("//", StringComparison.Ordinal) && flag.IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text}")
            .ToList();
        Assert.True(found.Count == 0, "library strings naming CLI flags:\n" + string.Join("\n", found));
    }

    [Fact]
    public void ActiveLearning_NamesTheApiParameter_AndTheCliTheFlag()
    {
        var x = Matrix.FromRowMajor(3, 1, [0.0, 1.0, 2.0]);
        var p = Assert.Single(ActiveLearning.Start(x, i => i, 5, Goal.Minimize, Rng.FromSeed(0)).Problems());
        Assert.Equal("ActiveLearning.Start(nInitial) must be between 1 and the number of candidates (3), found 5", p.Message);
    }

    [Fact]
    public void SearchGrid_NamesTheApiParameter_AndTheCliPrintsTheFlag()
    {
        var p = Assert.Single(SearchSpace.ParseParameter("alpha").Problems());
        Assert.StartsWith("SearchSpace.ParseParameter(text) 'alpha' is not name=v1,v2,...", p.Message);
        var (exit, _, err) = CliRun.Run("search", "--data", "perovskite_dft", "--target", "Band Gap", "--feature-columns", "K,Rb,Cs",
            "--model", "ridge", "--grid", "alpha", "--folds", "2");
        Assert.Equal(1, exit);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: --grid 'alpha' is not name=v1,v2,...", line);
        Assert.DoesNotContain("SearchSpace", line);
    }

    [Fact]
    public void MissingValues_NameTheImputeParameter()
    {
        var x = Matrix.FromRowMajor(3, 1, [0.0, double.NaN, 2.0]);
        var p = Assert.Single(Pure.Materials.Models.Linear.Ridge.Fit(new(), x, [1.0, 2.0, 3.0]).Problems());
        Assert.Contains("(PipelineOptions.Impute mean)", p.Message);
        Assert.DoesNotContain("--", p.Message);
    }
}
