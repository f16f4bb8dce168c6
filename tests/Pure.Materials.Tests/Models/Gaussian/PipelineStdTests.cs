using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Models;
using Pure.Materials.Models.Gaussian;
using Pure.Materials.Models.Trees;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Models.Gaussian;

/// <summary>Predictions with uncertainty through the pipeline: the standard deviation sees the same imputation and scaling as the mean.</summary>
public class PipelineStdTests
{
    private static readonly string[] Columns = ["A_ion_rad", "B_ion_rad", "X_ion_rad", "A_En", "B_En", "X_En"];

    private static (Matrix XTrain, double[] YTrain, Matrix XTest, int[] TestIndex) Perovskite()
    {
        var spec = new DatasetSpec { TargetColumn = "Decomposition Energy", FeatureColumns = [.. Columns], IdColumn = "Index" };
        var ds = Dataset.FromTable(spec, BundledData.Open("perovskite_dft").OrThrow()).OrThrow();
        var index = ds.Ids.Select(id => int.Parse(id, CultureInfo.InvariantCulture)).ToArray();
        var train = Enumerable.Range(0, index.Length).Where(i => index[i] % 4 != 0).ToArray();
        var test = Enumerable.Range(0, index.Length).Where(i => index[i] % 4 == 0).ToArray();
        var x = ds.ColumnFeatures!;
        return (x.SelectRows(train), train.Select(i => ds.Target![i]).ToArray(), x.SelectRows(test), test.Select(i => index[i]).ToArray());
    }

    [Fact]
    public void GprStd_ThroughAStandardScalingPipeline_EqualsScikitLearn121()
    {
        // Reference/sklearn-1.2.1/gpr_pipeline_std.csv (tools/reference/sklearn_gpr_pipeline_std.py): make_pipeline(StandardScaler(), GPR(...)).
        var (xTrain, yTrain, xTest, testIndex) = Perovskite();
        var learner = Learners.GaussianProcess(new GaussianProcessOptions { NormalizeY = true, Optimize = false }, "constant*ard+white(0.1)");
        var predictor = Pipeline.Fit(new PipelineOptions(ImputeStrategy.None, ScaleStrategy.Standard, learner), xTrain, yTrain, Rng.FromSeed(0)).OrThrow();
        var (mean, std) = predictor.PredictWithStd!(xTest);
        Assert.Equal(predictor.Predict(xTest), mean);
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", "gpr_pipeline_std.csv")).Skip(1)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(testIndex.Length, rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(testIndex[i], (int)rows[i][0]);
            Assert.True(Math.Abs(mean[i] - rows[i][1]) <= 1e-8 * Math.Abs(rows[i][1]), $"mean[{i}] {mean[i]:R} vs {rows[i][1]:R}");
            Assert.True(Math.Abs(std[i] - rows[i][2]) <= 1e-8 * rows[i][2], $"std[{i}] {std[i]:R} vs {rows[i][2]:R}");
        }
    }

    [Fact]
    public void ForestStd_IsTheSpreadOfTheTrees_AndTheMeanIsBitIdenticalToPredict()
    {
        var (xTrain, yTrain, xTest, _) = Perovskite();
        var model = RandomForest.Fit(new RandomForestOptions { NEstimators = 30 }, xTrain, yTrain, Rng.FromSeed(4)).OrThrow();
        var (mean, std) = RandomForest.PredictWithStd(model, xTest);
        Assert.Equal(RandomForest.Predict(model, xTest).Select(BitConverter.DoubleToInt64Bits), mean.Select(BitConverter.DoubleToInt64Bits));
        for (var i = 0; i < xTest.Rows; i++)
        {
            var row = xTest.Row(i).ToArray().Select(v => (double)(float)v).ToArray();
            var each = model.Trees.Select(t => t.Predict(row)).ToArray();
            var m = each.Average();
            var expected = Math.Sqrt(each.Sum(v => (v - m) * (v - m)) / each.Length);
            Assert.Equal(expected, std[i], 1e-12);
        }
        Assert.Contains(std, s => s > 0);
    }

    [Fact]
    public void Registry_SaysWhichLearnersPredictStd()
    {
        Assert.Equal(["extra-trees", "gpr", "mlp-ensemble", "rf"], Learners.Registry.Where(s => s.PredictsStd).Select(s => s.Name).Order());
        var rf = Learners.Parse("rf", new Dictionary<string, string> { ["n_estimators"] = "3" }).OrThrow();
        var (xTrain, yTrain, _, _) = Perovskite();
        Assert.NotNull(rf.Fit(xTrain, yTrain, Rng.FromSeed(0)).OrThrow().PredictWithStd);
        Assert.Null(Learners.Ridge(new()).Fit(xTrain, yTrain, Rng.FromSeed(0)).OrThrow().PredictWithStd);
    }
}
