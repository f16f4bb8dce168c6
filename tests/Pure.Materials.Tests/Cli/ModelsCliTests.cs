using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Cli;

/// <summary>`pure-materials models`: the learners and their parameters, printed from the registries.</summary>
public class ModelsCliTests
{
    [Fact]
    public void Models_ListsEveryLearnerAndEveryParameter()
    {
        var (exit, output, err) = CliRun.Run("models");
        Assert.Equal(0, exit);
        Assert.Equal("", err);
        foreach (var spec in Learners.Registry.Cast<ILearnerSpec>().Concat(Classifiers.Registry))
        {
            Assert.Contains($"{spec.Name}: {spec.Estimator}", output);
            Assert.Contains(spec.Help, output);
        }
    }

    [Fact]
    public void Models_Name_ShowsThatLearnerOnly_UnknownNameIsAOneLineError()
    {
        var (exit, output, _) = CliRun.Run("models", "dummy");
        Assert.Equal(0, exit);
        Assert.Contains("dummy: DummyRegressor", output);
        Assert.Contains("  strategy (mean, median, quantile, constant, default mean;", output);
        Assert.DoesNotContain("RandomForest", output);
        // The graph learners are listed too, with CGCNN's parameter names.
        var (cgExit, cgOutput, _) = CliRun.Run("models", "cgcnn");
        Assert.Equal(0, cgExit);
        Assert.Contains("cgcnn: CrystalGraphConvNet", cgOutput);
        Assert.Contains("  max_num_nbr (int, default 12;", cgOutput);
        var (badExit, _, badErr) = CliRun.Run("models", "forest");
        Assert.Equal(1, badExit);
        Assert.Equal("error: unknown model 'forest'; use one of " + string.Join(", ", Learners.Names.Concat(Classifiers.Names).Concat(GraphLearners.Names).Distinct()) + " [param.unknown_model]",
            badErr.Trim());
    }

    [Fact]
    public void Cv_RecordsEveryRandomForestSetting_InReportJson()
    {
        // --set max_leaf_nodes=50 was parsed but left out of report.json before the registry.
        var dir = CliRun.TempDir("models-cv");
        var (exit, _, err) = CliRun.Run("cv", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--feature-columns", "K,Rb,Cs,MA,FA",
            "--folds", "2", "--set", "n_estimators=5", "--set", "max_leaf_nodes=50", "--out", dir);
        Assert.True(exit == 0, err);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report.json")))!;
        var parameters = json["options"]!["parameters"]!;
        Assert.Equal("50", parameters["max_leaf_nodes"]!.GetValue<string>());
        Assert.Equal("5", parameters["n_estimators"]!.GetValue<string>());
    }
}
