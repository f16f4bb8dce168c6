using System.Globalization;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>`cv` writes each prediction's standard deviation (y_std) for learners that have one.</summary>
public class UncertaintyCliTests
{
    [Theory]
    [InlineData("gpr", true)]
    [InlineData("rf", true)]
    [InlineData("ridge", false)]
    public void Cv_WritesYStd_ForLearnersWithAnUncertainty(string model, bool hasStd)
    {
        var dir = CliRun.TempDir("std-" + model);
        var (exit, _, err) = CliRun.Run("cv", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--feature-columns", "K,Rb,Cs,MA,FA,Ge,Sn,Pb,Cl,Br,I",
            "--folds", "2", "--model", model, "--out", dir);
        Assert.True(exit == 0, err);
        var lines = File.ReadAllLines(Path.Combine(dir, "predictions.csv"));
        Assert.Equal(513, lines.Length);
        Assert.Equal(hasStd ? "id,formula,fold,y_true,y_pred,y_std,n_features_out_of_range,unseen_elements"
            : "id,formula,fold,y_true,y_pred,n_features_out_of_range,unseen_elements", lines[0]);
        if (!hasStd) return;
        var std = lines.Skip(1).Select(l => double.Parse(l.Split(',')[^3], CultureInfo.InvariantCulture)).ToArray();
        Assert.All(std, s => Assert.True(s >= 0 && double.IsFinite(s)));
        Assert.Contains(std, s => s > 0);
    }
}
