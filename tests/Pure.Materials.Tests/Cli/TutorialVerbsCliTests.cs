using System.Globalization;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>The perovskite tutorial's verbs on the bundled perovskite_dft data from its own formulas: <c>search --representative K</c>
/// holds out the rows <c>cv --representative K</c> tests, and <c>screen</c> reads MA/FA candidates with the model's molecular cations.</summary>
public class TutorialVerbsCliTests
{
    private static readonly string[] Perovskites =
        ["--data", "perovskite_dft", "--target", "Band Gap", "--formula-column", "Formula", "--molecular-cations", "MA,FA", "--featurizers", "site-averaged", "--model", "ridge"];

    private static double Number(string line, string after) =>
        double.Parse(line[(line.IndexOf(after, StringComparison.Ordinal) + after.Length)..].Split(' ', ',')[0], CultureInfo.InvariantCulture);

    [Fact]
    public void SearchRepresentative_HoldsOutCvsRepresentativeTestRows_AndRecordsTheSplit()
    {
        var dir = CliRun.TempDir("pm-search-rep-");
        var search = CliRun.Run([.. "search".Split(), .. Perovskites, "--grid", "alpha=1", "--representative", "4", "--test-fraction", "0.2", "--out", dir]);
        Assert.True(search.Exit == 0, search.Err);
        Assert.Contains("held-out split and selection folds: representative (k-means, 4 clusters; selection folds stratified by cluster) (5 selection folds on 409 development rows)", search.Out);
        var held = search.Out.Split('\n').Single(l => l.StartsWith("selected alpha=1: held-out test MAE", StringComparison.Ordinal));
        // cv with the same seed, clusters and fraction tests the same 103 rows with the same (deterministic) ridge: the same MAE.
        var cv = CliRun.Run([.. "cv".Split(), .. Perovskites, "--set", "alpha=1", "--representative", "4", "--test-fraction", "0.2"]);
        Assert.True(cv.Exit == 0, cv.Err);
        var line = cv.Out.Split('\n').Single(l => l.StartsWith("test MAE", StringComparison.Ordinal));
        Assert.Contains("(103 test rows)", line);
        Assert.Equal(Number(line, "test MAE "), Number(held, "held-out test MAE "));
        var report = File.ReadAllText(Path.Combine(dir, "report.json"));
        Assert.Contains("\"kind\": \"representative_train_test\"", report);
        // A plain held-out split of the same seed tests other rows.
        var plain = CliRun.Run([.. "search".Split(), .. Perovskites, "--grid", "alpha=1", "--test-fraction", "0.2"]);
        Assert.True(plain.Exit == 0, plain.Err);
        Assert.NotEqual(held, plain.Out.Split('\n').Single(l => l.StartsWith("selected alpha=1: held-out test MAE", StringComparison.Ordinal)));
    }

    [Fact]
    public void SearchRepresentative_WithoutHeldOutSplit_CrossValidatesOnRepresentativeFolds_AndRefusesGroups()
    {
        var search = CliRun.Run([.. "search".Split(), .. Perovskites, "--grid", "alpha=0.1,1", "--representative", "4", "--folds", "3"]);
        Assert.True(search.Exit == 0, search.Err);
        Assert.Contains("over 3 folds", search.Out);
        var groups = CliRun.Run([.. "search".Split(), .. Perovskites, "--grid", "alpha=1", "--representative", "4", "--groups", "reduced-formula"]);
        Assert.Equal(1, groups.Exit);
        Assert.Contains("--representative makes its own splits", groups.Err);
    }

    [Fact]
    public void Screen_ReadsMaAndFaCandidates_WithTheModelsMolecularCations_AndRefusesOtherOnes()
    {
        var dir = CliRun.TempDir("pm-screen-ma-");
        var model = Path.Combine(dir, "m.pmm");
        var fit = CliRun.Run([.. "fit".Split(), .. Perovskites, "--out", model]);
        Assert.True(fit.Exit == 0, fit.Err);
        var candidates = Path.Combine(dir, "c.csv");
        File.WriteAllText(candidates, "name,formula\nmapbi3,MAPbI3\nfapbbr3,FAPbBr3\nmixed,MA0.5FA0.5SnI3\ncs,CsPbCl3\nrow1,MA1Ca0.12Sn0.75Pb0.12I3\n");
        var top = Path.Combine(dir, "top.csv");
        var screen = CliRun.Run("screen", "--model", model, "--candidates", candidates, "--formula-column", "formula", "--id-column", "name", "--out", top);
        Assert.True(screen.Exit == 0, screen.Err);
        var rows = File.ReadAllLines(top).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[2], c => double.Parse(c[3], CultureInfo.InvariantCulture));
        Assert.Equal(5, rows.Count);

        // The bundled data's first row, screened from its formula, gets the prediction predict gives that row of the table.
        var predictions = Path.Combine(dir, "p.csv");
        var predict = CliRun.Run("predict", "--model", model, "--data", "perovskite_dft", "--out", predictions);
        Assert.True(predict.Exit == 0, predict.Err);
        var first = File.ReadLines(predictions).Skip(1).First().Split(',');
        Assert.Equal("MA1Ca0.12Sn0.75Pb0.12I3", first[1]);
        Assert.Equal(double.Parse(first[3], CultureInfo.InvariantCulture), rows["row1"]);

        // The flag agrees with the model: accepted; it names other cations: a conflict naming the model's.
        var same = CliRun.Run("screen", "--model", model, "--candidates", candidates, "--formula-column", "formula", "--molecular-cations", "MA,FA", "--out", top);
        Assert.True(same.Exit == 0, same.Err);
        var other = CliRun.Run("screen", "--model", model, "--candidates", candidates, "--formula-column", "formula", "--molecular-cations", "MA", "--out", top);
        Assert.Equal(1, other.Exit);
        Assert.Contains("the model read its training formulas with FA=CH(NH2)2,MA=CH3NH3", other.Err);
    }

    [Fact]
    public void Screen_WithTheFlag_ReadsMaCandidatesForAModelFittedWithoutCations_AndSaysSo()
    {
        var dir = CliRun.TempDir("pm-screen-ma2-");
        var data = Path.Combine(dir, "d.csv");
        File.WriteAllText(data, "formula,y\nCsPbI3,1.7\nCsPbBr3,2.3\nCsSnI3,1.3\nRbPbI3,2.0\nKPbCl3,3.0\nCsGeI3,1.6\nRbSnBr3,1.9\nKSnI3,1.4\n");
        var model = Path.Combine(dir, "m.pmm");
        var fit = CliRun.Run("fit", "--data", data, "--target", "y", "--formula-column", "formula", "--featurizers", "stoichiometry,element-fraction", "--model", "ridge", "--out", model);
        Assert.True(fit.Exit == 0, fit.Err);
        var candidates = Path.Combine(dir, "c.csv");
        File.WriteAllText(candidates, "formula\nMAPbI3\nCsPbI3\n");
        var top = Path.Combine(dir, "top.csv");
        var without = CliRun.Run("screen", "--model", model, "--candidates", candidates, "--out", top);
        Assert.Equal(1, without.Exit);
        Assert.Contains("[formula.unknown_element]", without.Err);
        var with = CliRun.Run("screen", "--model", model, "--candidates", candidates, "--molecular-cations", "MA", "--out", top);
        Assert.True(with.Exit == 0, with.Err);
        Assert.Contains("note: the model was fitted on formulas without molecular cations; candidates are read with --molecular-cations MA", with.Err);
        // MAPbI3 holds C, H and N, which no training formula held: flagged as unseen elements.
        Assert.Contains(File.ReadAllLines(top), l => l.Contains("MAPbI3") && l.EndsWith("C H N", StringComparison.Ordinal));
    }
}
