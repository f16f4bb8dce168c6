using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>search, learning-curve and explain detect a class target exactly as cv does, and refuse it instead of regressing on 0/1 codes.</summary>
public class TaskDetectionCliTests
{
    [Theory]
    [InlineData("search", "--grid", "n_estimators=5,10")]
    [InlineData("learning-curve")]
    [InlineData("explain")]
    public void RegressionOnlyVerbs_RefuseABooleanTarget_WithOneProblem(string verb, params string[] extra)
    {
        var (exit, output, err) = CliRun.Run([verb, "--data", "matbench_expt_is_metal", "--target", "is_metal", "--formula-column", "composition", .. extra]);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: column 'is_metal': target 'is_metal' holds classes (a boolean or text labels); {verb} fits regression learners only in this " +
            "release and would treat the classes as numbers: use cv --task classification --model NAME per candidate, or a numeric --target [param.unsupported_task]", line);
    }
}
