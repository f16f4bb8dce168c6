using System.Diagnostics;
using Pure.Materials.Cli;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>The plain progress lines written when nobody watches a terminal (logs, Slurm output files, pipes).</summary>
public class LiveProgressTests
{
    [Fact]
    public void Describe_GivesCountRatePercentageAndTimeLeft()
    {
        Assert.Equal("featurize: 1,000,000 rows (500,000 rows/s), 25.0% done, about 6 s left", LiveProgress.Describe("featurize", "rows", 0.25, 1_000_000, 2));
        Assert.Equal("cv: 2 folds (0.1 folds/s), 40.0% done, about 30 s left", LiveProgress.Describe("cv", "folds", 0.4, 2, 20));
        Assert.Equal("screen: 3 candidates (1.5 candidates/s)", LiveProgress.Describe("screen", "candidates", double.NaN, 3, 2));
        Assert.EndsWith("about 2.0 h left", LiveProgress.Describe("screen", "candidates", 0.5, 10, 7200));
        Assert.EndsWith("about 10 min left", LiveProgress.Describe("screen", "candidates", 0.5, 10, 600));
    }

    [Fact]
    public void Lines_AreWrittenAtMostOncePerInterval()
    {
        var writer = new StringWriter();
        var reporter = new LiveProgress.Lines(writer, "featurize", "rows", 3600, Stopwatch.StartNew());
        for (var i = 0; i < 100; i++) reporter.Report(i / 100.0, i);
        Assert.Equal("", writer.ToString()); // the first line comes after one interval

        var every = new LiveProgress.Lines(writer, "featurize", "rows", 0, Stopwatch.StartNew());
        every.Report(0.5, 10);
        every.Report(1, 20);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("featurize: 10 rows (", lines[0]);
        Assert.Contains("50.0% done", lines[0]);
        Assert.StartsWith("featurize: 20 rows (", lines[1]);
    }
}
