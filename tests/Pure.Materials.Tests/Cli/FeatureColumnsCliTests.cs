using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary><c>featurize</c> keeps the input columns beside the features, and <c>--feature-columns</c> takes globs in every verb.</summary>
public class FeatureColumnsCliTests
{
    private const string Small = "id,formula,gap,fold\n" +
        "a,Fe2O3,2.1,0\nb,NaCl,8.5,1\nc,MgO,7.8,2\nd,Si,1.1,0\ne,GaAs,1.4,1\nf,ZnO,3.3,2\n" +
        "g,TiO2,3.0,0\nh,Al2O3,8.8,1\ni,Cu,0,2\nj,Ge,0.7,0\nk,CdS,2.4,1\nl,AlN,6.2,2\n";

    [Fact]
    public void FeaturizedFile_FeedsCv_WithAGlob_AndGivesTheSameMaeAsFeaturizingInCv()
    {
        var dir = CliRun.TempDir("pm-glob-");
        var data = Path.Combine(dir, "small.csv");
        File.WriteAllText(data, Small);
        var featurized = Path.Combine(dir, "features.csv");
        var f = CliRun.Run("featurize", "--data", data, "--formula-column", "formula", "--featurizers", "stoichiometry", "--out", featurized);
        Assert.True(f.Exit == 0, f.Err);
        Assert.StartsWith("id,formula,gap,fold,0-norm,2-norm,", File.ReadLines(featurized).First());

        // The same features, taken by a glob from the featurized file or computed by cv: the same folds, the same MAE.
        var fromGlob = CliRun.Run("cv", "--data", featurized, "--target", "gap", "--feature-columns", "*-norm", "--fold-column", "fold", "--model", "ridge");
        Assert.True(fromGlob.Exit == 0, fromGlob.Err);
        var inCv = CliRun.Run("cv", "--data", data, "--target", "gap", "--formula-column", "formula", "--featurizers", "stoichiometry", "--fold-column", "fold", "--model", "ridge");
        Assert.True(inCv.Exit == 0, inCv.Err);
        static string Mae(string stdout) => stdout.Split('\n').Single(l => l.StartsWith("mean MAE", StringComparison.Ordinal));
        Assert.Equal(Mae(inCv.Out), Mae(fromGlob.Out));
    }

    [Theory]
    [InlineData("cv")]
    [InlineData("pca")]
    [InlineData("active")]
    public void AGlobMatchingNothing_IsOneProblemNamingThePattern(string verb)
    {
        var dir = CliRun.TempDir("pm-glob-");
        var data = Path.Combine(dir, "small.csv");
        File.WriteAllText(data, Small);
        var r = CliRun.Run(verb, "--data", data, "--target", "gap", "--feature-columns", "Magpie*");
        Assert.Equal(1, r.Exit);
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'Magpie*' matches no column", line);
        Assert.Contains("'id', 'formula', 'gap', 'fold'", line);
        Assert.EndsWith("[csv.no_matching_column]", line.TrimEnd());
    }
}
