using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>With a formula column and feature columns, cv says which features it uses (issue 16: feature columns used to switch off
/// the default Magpie features silently).</summary>
public class FeatureNoteCliTests
{
    [Fact]
    public void FeatureColumnsWithFeaturizers_UseBoth_AndSayIt()
    {
        var (exit, output, err) = CliRun.Run("cv", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--formula-column", "Formula",
            "--molecular-cations", "MA,FA", "--featurizers", "site-averaged", "--feature-columns", "K,Rb,Cs,MA,FA", "--set", "n_estimators=5");
        Assert.True(exit == 0, err);
        Assert.Contains("note: features are the columns of --featurizers site-averaged, then the --feature-columns (K,Rb,Cs,MA,FA)", err);
        Assert.Contains("512 rows, 41 features", output);
    }

    [Fact]
    public void FeatureColumnsWithAFormulaColumnOnly_SayThatTheFormulasAreNotFeaturized()
    {
        var (exit, output, err) = CliRun.Run("cv", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--formula-column", "Formula",
            "--molecular-cations", "MA,FA", "--feature-columns", "K,Rb", "--set", "n_estimators=5");
        Assert.True(exit == 0, err);
        Assert.Contains("add --featurizers magpie to use both", err);
        Assert.Contains("512 rows, 2 features", output);
        (_, _, err) = CliRun.Run("cv", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--feature-columns", "K,Rb", "--set", "n_estimators=5", "--quiet");
        Assert.DoesNotContain("note:", err);
    }
}
