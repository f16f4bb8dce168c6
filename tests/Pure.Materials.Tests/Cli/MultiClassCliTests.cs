using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.Explain;
using Pure.Materials.Models.Trees;
using Xunit;
using static Pure.Materials.Tests.Models.Trees.TreeTestData;

namespace Pure.Materials.Tests.Cli;

/// <summary>cv cross-validates a multi-class tree classifier.</summary>
public class MultiClassCliTests
{
    [Fact]
    public void Cli_CrossValidatesExtraTreesWithEntropy_OnThreeClasses()
    {
        var dir = CliRun.TempDir("pm-trees-clf-");
        var csv = Path.Combine(dir, "three.csv");
        var (xTrain, yTrain, _, _) = Pure.Materials.Tests.Models.Trees.MultiClassTreeClassifierTests.Data();
        File.WriteAllLines(csv, new[] { "a,b,c,d,e,f,label" }.Concat(Enumerable.Range(0, xTrain.Rows).Select(i =>
            string.Join(",", xTrain.Row(i).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "," + yTrain[i].ToString(CultureInfo.InvariantCulture))));
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", csv, "--target", "label", "--feature-columns", "a,b,c,d,e,f", "--task", "classification",
            "--model", "extra-trees", "--set", "criterion=entropy", "--set", "n_estimators=20", "--folds", "3", "--out", dir);
        Assert.True(exit == 0, stderr);
        Assert.Contains("accuracy", stdout);
        Assert.True(File.Exists(Path.Combine(dir, "report.json")));
    }
}
