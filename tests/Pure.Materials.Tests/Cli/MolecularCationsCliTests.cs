using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary><c>--molecular-cations</c> on the unsupervised verbs and <c>active</c>: the bundled perovskites' own formulas (MA, FA)
/// are read with the flag and are one clear problem without it.</summary>
public class MolecularCationsCliTests
{
    [Theory]
    [InlineData("pca")]
    [InlineData("cluster")]
    public void UnsupervisedVerbs_ReadMaAndFa_WithTheFlag_AndNameItWithout(string verb)
    {
        string[] args = [verb, "--data", "perovskite_dft", "--formula-column", "Formula", .. verb == "cluster" ? new[] { "--k", "3" } : ["--target", "Band Gap"]];
        var with = CliRun.Run([.. args, "--molecular-cations", "MA,FA"]);
        Assert.True(with.Exit == 0, with.Err);
        var without = CliRun.Run(args);
        Assert.Equal(1, without.Exit);
        Assert.Contains("--molecular-cations MA,FA", without.Err);
        Assert.Contains("[formula.unknown_element]", without.Err);
        var noFormulas = CliRun.Run([verb, "--data", "perovskite_dft", "--feature-columns", "K,Rb,Cs", "--molecular-cations", "MA,FA", .. verb == "cluster" ? new[] { "--k", "3" } : []]);
        Assert.Equal(1, noFormulas.Exit);
        Assert.Contains("--molecular-cations reads formulas: give --formula-column NAME too", noFormulas.Err);
    }

    [Fact]
    public void Active_ReadsMaAndFa_WithTheFlag()
    {
        var r = CliRun.Run("active", "--data", "perovskite_dft", "--formula-column", "Formula", "--molecular-cations", "MA,FA", "--featurizers", "site-averaged",
            "--target", "Band Gap", "--rounds", "2");
        Assert.True(r.Exit == 0, r.Err);
        Assert.Contains("ei: best", r.Out);
    }
}
