using System.CommandLine;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>The option set of the command line (issue 12, item 6): each option declared once, so the same name means the same
/// thing, with the same help text, in every verb.</summary>
public class CliOptionTests
{
    private static IEnumerable<(string Verb, Option Option)> AllOptions()
    {
        var root = global::Pure.Materials.Cli.Cli.Build();
        foreach (var o in root.Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal) && o.Name is not ("--help" or "--version")))
            yield return ("(root)", o);
        foreach (var c in root.Subcommands)
            foreach (var o in c.Options.Where(o => o.Name is not "--help"))
                yield return (c.Name, o);
    }

    [Fact]
    public void EveryOptionNameSharedByVerbs_HasOneDescription()
    {
        var shared = AllOptions().Where(t => !t.Option.Hidden).GroupBy(t => t.Option.Name).Where(g => g.Count() > 1).ToList();
        Assert.True(shared.Count >= 20, $"only {shared.Count} shared options found");
        foreach (var g in shared)
        {
            var descriptions = g.Select(t => t.Option.Description).Distinct().ToList();
            Assert.True(descriptions.Count == 1,
                $"{g.Key} has {descriptions.Count} descriptions: " + string.Join(" | ", g.Select(t => $"{t.Verb}: {t.Option.Description}")));
        }
    }

    [Theory]
    [InlineData("cv")]
    [InlineData("search")]
    [InlineData("learning-curve")]
    [InlineData("explain")]
    [InlineData("pca")]
    [InlineData("cluster")]
    [InlineData("select")]
    [InlineData("active")]
    public void FeatureColumns_IsSpelledTheSameInEveryVerbThatTakesFeatureColumns(string verb)
    {
        var command = global::Pure.Materials.Cli.Cli.Build().Subcommands.Single(c => c.Name == verb);
        Assert.Contains(command.Options, o => o.Name == "--feature-columns" && !o.Hidden);
        Assert.DoesNotContain(command.Options, o => o.Name == "--features" && !o.Hidden);
    }

    [Fact]
    public void EveryVisibleOption_HasADescription()
    {
        foreach (var (verb, option) in AllOptions().Where(t => !t.Option.Hidden))
            Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{verb} {option.Name} has no description");
    }
}
