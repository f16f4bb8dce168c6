using Pure.Materials.Core;
using Pure.Materials.Tests.Pipelines;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>`fit` then `predict`: the model file round trip through the command line, its errors, and hostile model files.</summary>
public class FitPredictCliTests
{
    [Fact]
    public void Fit_ThenPredict_WritesPredictionsWithStdAndApplicability_AndScoresWhenTheTargetIsThere()
    {
        var dir = CliRun.TempDir("fit-predict");
        var model = Path.Combine(dir, "m.pmm");
        var (exit, output, err) = CliRun.Run("fit", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--target-unit", "eV",
            "--feature-columns", "K,Rb,Cs,MA,FA", "--set", "n_estimators=5", "--out", model);
        Assert.True(exit == 0, err);
        Assert.Contains("fitted rf on", output);
        Assert.True(File.Exists(model));
        var preds = Path.Combine(dir, "p.csv");
        (exit, output, err) = CliRun.Run("predict", "--model", model, "--data", "perovskite_dft", "--out", preds);
        Assert.True(exit == 0, err);
        Assert.Contains("MAE ", output);
        var lines = File.ReadAllLines(preds);
        Assert.Equal("id,y_true,y_pred,y_std,n_features_out_of_range,unseen_elements", lines[0]);
        Assert.True(lines.Length > 100);
    }

    [Fact]
    public void Predict_And_Featurize_ToParquet_HoldTheCellsOfTheirCsvTwins()
    {
        var dir = CliRun.TempDir("parquet");
        var model = Path.Combine(dir, "m.pmm");
        var (exit, _, err) = CliRun.Run("fit", "--data", "matbench_expt_gap", "--target", "gap expt", "--formula-column", "composition",
            "--set", "n_estimators=5", "--out", model);
        Assert.True(exit == 0, err);
        foreach (var (verb, args) in new (string, string[])[]
        {
            ("predict", ["predict", "--model", model, "--data", "matbench_expt_gap", "--formula-column", "composition"]),
            ("featurize", ["featurize", "--data", "matbench_expt_gap", "--formula-column", "composition", "--featurizers", "magpie,stoichiometry"]),
        })
        {
            var csvPath = Path.Combine(dir, verb + ".csv");
            var parquetPath = Path.Combine(dir, verb + ".parquet");
            (exit, _, err) = CliRun.Run([.. args, "--out", csvPath]);
            Assert.True(exit == 0, err);
            (exit, _, err) = CliRun.Run([.. args, "--out", parquetPath]);
            Assert.True(exit == 0, err);
            var csv = Pure.Materials.Data.Csv.ReadFile(csvPath).OrThrow();
            using var stream = File.OpenRead(parquetPath);
            var parquet = Pure.Materials.Data.ParquetTables.Read(stream, parquetPath).OrThrow();
            Assert.Equal(csv.Header, parquet.Header);
            Assert.Equal(4604, parquet.Rows.Count);
            for (var i = 0; i < csv.Rows.Count; i++) Assert.Equal(csv.Rows[i], parquet.Rows[i]);
        }
    }

    [Fact]
    public void Fit_WithSteps_RecordsThem_AndPredictRefusesAFileWithoutTheFeatureColumns()
    {
        var dir = CliRun.TempDir("fit-steps");
        var model = Path.Combine(dir, "m.pmm");
        var (exit, output, err) = CliRun.Run("fit", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--feature-columns", "K,Rb,Cs,MA,FA",
            "--model", "ridge", "--polynomial-degree", "2", "--pca", "4", "--out", model);
        Assert.True(exit == 0, err);
        Assert.Contains("steps: mean_imputer, standard_scaler, polynomial_features, pca", output);
        var csv = Path.Combine(dir, "new.csv");
        File.WriteAllText(csv, "K,Rb\n0.5,0.5\n");
        (exit, _, err) = CliRun.Run("predict", "--model", model, "--data", csv, "--out", Path.Combine(dir, "p.csv"));
        Assert.Equal(1, exit);
        Assert.Contains("'Cs'", err);
        Assert.False(File.Exists(Path.Combine(dir, "p.csv")));
    }

    [Fact]
    public void Fit_ClassTarget_TrainsAClassifier_PredictWritesLabelsAndProbabilities()
    {
        var dir = CliRun.TempDir("fit-class");
        var model = Path.Combine(dir, "m.pmm");
        var (exit, output, err) = CliRun.Run("fit", "--data", "matbench_expt_is_metal", "--target", "is_metal", "--formula-column", "composition",
            "--fold-column", "fold", "--holdout-fold", "1", "--set", "n_estimators=5", "--out", model);
        Assert.True(exit == 0, err);
        var preds = Path.Combine(dir, "p.csv");
        (exit, output, err) = CliRun.Run("predict", "--model", model, "--data", "matbench_expt_is_metal", "--fold-column", "fold", "--fold", "1", "--out", preds);
        Assert.True(exit == 0, err);
        Assert.Contains("accuracy 0.", output);
        var lines = File.ReadAllLines(preds);
        Assert.Equal("id,formula,y_true,y_pred,p_False,p_True,n_features_out_of_range,unseen_elements", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.Matches("^[^,]+,[^,]+,(True|False),(True|False),", l));
    }

    [Fact]
    public void Fit_Cv_RecordsCvsMetricsInTheModel_AndFitsTheSameModelAsWithoutCv()
    {
        var dir = CliRun.TempDir("fit-cv");
        string[] common = ["--data", "perovskite_dft", "--target", "Decomposition Energy", "--feature-columns", "K,Rb,Cs,MA,FA,Ca,Sr,Ba", "--set", "n_estimators=5", "--seed", "3"];
        var (exit, _, err) = CliRun.Run(["fit", .. common, "--folds", "3", "--cv", "--out", Path.Combine(dir, "cv.pmm")]);
        Assert.True(exit == 0, err);
        (exit, _, err) = CliRun.Run(["cv", .. common, "--folds", "3", "--out", Path.Combine(dir, "cv")]);
        Assert.True(exit == 0, err);
        var report = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "cv", "report.json")))!;
        var (model, _) = Pure.Materials.Pipelines.ModelFile.Load(Path.Combine(dir, "cv.pmm")).OrThrow();
        var recorded = model.Training.Metrics.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(report["metrics"]!["mae"]!["mean"]!.GetValue<double>(), recorded["cv_mae_mean"]);
        Assert.Equal(report["metrics"]!["r2"]!["std"]!.GetValue<double>(), recorded["cv_r2_std"]);
    }

    [Fact]
    public void Predict_OutputOverTheModelFile_IsRefusedBeforeAnyWork()
    {
        var dir = CliRun.TempDir("predict-over-model");
        var model = Path.Combine(dir, "m.pmm");
        var (exit, _, err) = CliRun.Run("fit", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--feature-columns", "K,Rb", "--set", "n_estimators=2", "--out", model);
        Assert.True(exit == 0, err);
        var before = File.ReadAllBytes(model);
        (exit, _, err) = CliRun.Run("predict", "--model", model, "--data", "perovskite_dft", "--out", model);
        Assert.Equal(1, exit);
        Assert.Contains("would overwrite the input file", err);
        Assert.Equal(before, File.ReadAllBytes(model));
    }

    [Fact]
    public void Fit_HoldoutFoldWithoutFoldColumn_IsAOneLineError()
    {
        var dir = CliRun.TempDir("fit-holdout");
        var (exit, _, err) = CliRun.Run("fit", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--feature-columns", "K,Rb",
            "--holdout-fold", "0", "--out", Path.Combine(dir, "m.pmm"));
        Assert.Equal(1, exit);
        Assert.Equal("error: --holdout-fold needs --fold-column NAME (the column of fold labels) [param.missing]", err.Trim());
    }

    [Fact]
    public void Predict_HostileFiles_OneLineErrorAndExit1()
    {
        var dir = CliRun.TempDir("hostile");
        foreach (var row in HostileModelFileTests.Cases)
        {
            var name = (string)row[0];
            var path = Path.Combine(dir, "bad.pmm");
            File.WriteAllBytes(path, HostileModelFileTests.Make(name));
            var (exit, output, err) = CliRun.Run("predict", "--model", path, "--data", "perovskite_dft", "--out", Path.Combine(dir, "p.csv"));
            Assert.True(exit == 1, $"{name}: exit {exit}, {err}");
            var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal), $"{name}: {err}");
            Assert.False(File.Exists(Path.Combine(dir, "p.csv")), name);
            Assert.DoesNotContain("predicted", output);
        }
    }
}
