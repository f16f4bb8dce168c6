using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Pure.Materials.Models;
using Pure.Materials.Models.Linear;
using Pure.Materials.Models.Trees;
using Pure.Materials.Select;
using Pure.Materials.Split;
using Pure.Materials.Tests.Split;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Select;

/// <summary>Feature selection against scikit-learn 1.2.1 (supports and rankings exact, variances and r at 1e-12), problems, and no leakage in CV.</summary>
public class FeatureSelectionTests
{
    private static readonly IReadOnlyDictionary<string, string> Ref =
        SelectionReference.Read("feature_selection.csv").ToDictionary(r => r["quantity"], r => r["values"]);

    private static (Matrix X, double[] Y) Data()
    {
        var rows = Ref.Where(kv => kv.Key.StartsWith("row", StringComparison.Ordinal))
            .OrderBy(kv => int.Parse(kv.Key[3..], System.Globalization.CultureInfo.InvariantCulture)).Select(kv => SelectionReference.Vec(kv.Value)).ToArray();
        return (Matrix.FromRows(rows.Select(r => r[..8]).ToArray()), rows.Select(r => r[8]).ToArray());
    }

    private static readonly Learner Ridge1 = Learners.Ridge(new RidgeOptions { Alpha = 1.0 });

    [Theory]
    [InlineData("0.0", 0.0)]
    [InlineData("0.01", 0.01)]
    [InlineData("1.0", 1.0)]
    public void VarianceThreshold_MatchesScikitLearn(string tag, double threshold)
    {
        var (x, y) = Data();
        var s = Selectors.VarianceThreshold(new VarianceThresholdOptions(threshold)).Fit(x, y, Rng.FromSeed(0)).OrThrow();
        Assert.Equal(SelectionReference.Ints(Ref[$"variance_{tag}_support"]), s.Kept);
        var expected = SelectionReference.Vec(Ref[$"variance_{tag}_variances"]);
        for (var j = 0; j < 8; j++) Assert.True(Math.Abs(expected[j] - s.Scores[j]) <= 1e-12 * Math.Max(1, expected[j]), $"variance {j}");
    }

    [Fact]
    public void Correlation_ScoresAreScikitLearnsAbsoluteR_AndTheRedundantTwinIsDropped()
    {
        var (x, y) = Data();
        var s = Selectors.Correlation(new CorrelationFilterOptions(0.95)).Fit(x, y, Rng.FromSeed(0)).OrThrow();
        var r = SelectionReference.Vec(Ref["r_regression"]);
        for (var j = 0; j < 8; j++) Assert.True(Math.Abs(Math.Abs(r[j]) - s.Scores[j]) <= 1e-12, $"|r| {j}");
        // Column 4 is 0.98 * column 0 + noise: the filter keeps column 0 (higher |r| with y) and drops its twin.
        Assert.Contains(0, s.Kept);
        Assert.DoesNotContain(4, s.Kept);
        var top2 = Selectors.Correlation(new CorrelationFilterOptions(0.95, K: 2)).Fit(x, y, Rng.FromSeed(0)).OrThrow();
        Assert.Equal([0, 1], top2.Kept);
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 1)]
    public void Rfe_WithRidge_MatchesScikitLearnsRankingAndSupport(int k, int step)
    {
        var (x, y) = Data();
        var s = Selectors.Rfe(new RfeOptions(k, step), Ridge1).Fit(x, y, Rng.FromSeed(0)).OrThrow();
        Assert.Equal(SelectionReference.Ints(Ref[$"rfe_{k}_{step}_support"]), s.Kept);
        Assert.Equal(SelectionReference.Ints(Ref[$"rfe_{k}_{step}_ranking"]).Select(v => (double)v), s.Scores);
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("median")]
    [InlineData("0.5*mean")]
    public void SelectFromModel_WithRidge_MatchesScikitLearnsSupport(string threshold)
    {
        var (x, y) = Data();
        var s = Selectors.FromModel(new SelectFromModelOptions(threshold), Ridge1).Fit(x, y, Rng.FromSeed(0)).OrThrow();
        Assert.Equal(SelectionReference.Ints(Ref[$"sfm_{threshold}_support"]), s.Kept);
    }

    [Fact]
    public void Rfe_WorksWithForestImportances_AndFailsForALearnerWithoutThem()
    {
        var (x, y) = Data();
        var rf = Learners.RandomForest(new RandomForestOptions { NEstimators = 20 });
        var s = Selectors.Rfe(new RfeOptions(2), rf).Fit(x, y, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(2, s.Kept.Count);
        Assert.DoesNotContain(2, s.Kept); // the constant column has no importance
        var opaque = new Learner("opaque", [], (xs, ys, _) => LanguageExt.Prelude.Success<Problem, Predictor>(new Predictor("opaque", m => new double[m.Rows], "no weights")));
        var p = Assert.Single(Selectors.Rfe(new RfeOptions(2), opaque).Fit(x, y, Rng.FromSeed(1)).Problems());
        Assert.Equal("select.no_importances", p.Code);
        Assert.StartsWith("RFE round 0:", p.Message);
    }

    [Fact]
    public void Selectors_ReportBadInput()
    {
        var (x, y) = Data();
        Assert.Equal("select.none_kept", Assert.Single(Selectors.VarianceThreshold(new(100)).Fit(x, y, Rng.FromSeed(0)).Problems()).Code);
        Assert.Equal("param.out_of_range", Assert.Single(Selectors.Rfe(new RfeOptions(9), Ridge1).Fit(x, y, Rng.FromSeed(0)).Problems()).Code);
        Assert.Equal("param.invalid_value", Assert.Single(Selectors.FromModel(new SelectFromModelOptions("most"), Ridge1).Fit(x, y, Rng.FromSeed(0)).Problems()).Code);
        Assert.Equal("param.out_of_range", Assert.Single(Selectors.Correlation(new CorrelationFilterOptions(0)).Fit(x, y, Rng.FromSeed(0)).Problems()).Code);
    }

    [Fact]
    public void SelectionInsideAPipeline_IsFittedOnEachTrainingFoldOnly()
    {
        var (x, y) = Data();
        var seen = new List<double[]>();
        var spy = new Selector("spy", [], (xs, ys, _) =>
        {
            lock (seen) seen.Add(ys.ToArray());
            return LanguageExt.Prelude.Success<Problem, FeatureSubset>(new FeatureSubset("spy", [0, 1, 3], new double[xs.Cols]));
        });
        var pipeline = new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.Standard, Selectors.WithSelection(spy, Ridge1));
        var folds = KFold.Split(x.Rows, 4, true, Rng.FromSeed(3)).OrThrow();
        var report = CrossValidation.Run(pipeline, x, y, folds, Rng.FromSeed(3)).OrThrow();
        Assert.Equal(4, seen.Count);
        for (var k = 0; k < 4; k++)
        {
            Assert.Equal(folds[k].Train.Select(i => y[i]), seen[k]); // exactly the fold's training targets ...
            Assert.Empty(folds[k].Test.Select(i => y[i]).Intersect(seen[k])); // ... and none of its test targets
        }
        Assert.Equal(4, report.Folds.Count);
    }

    [Fact]
    public void SelectingOnAllRowsBeforeCv_IsOptimistic_SelectingInsideEachFoldIsNot()
    {
        // 50 rows, 500 pure-noise features, a random target: no feature can predict it (Ambroise and McLachlan 2002).
        var rng = Rng.FromSeed(2002);
        var values = new double[50 * 501];
        for (var i = 0; i < values.Length; i++) (values[i], rng) = rng.NextDouble();
        var x = Matrix.Build(50, 500, (i, j) => values[i * 501 + j]);
        var y = Enumerable.Range(0, 50).Select(i => values[i * 501 + 500]).ToArray();
        var select = Selectors.Correlation(new CorrelationFilterOptions(1.0, K: 10));
        var folds = KFold.Split(50, 5, true, Rng.FromSeed(1)).OrThrow();

        var leaky = select.Fit(x, y, Rng.FromSeed(0)).OrThrow();
        var leakyCv = CrossValidation.Run(new PipelineOptions(ImputeStrategy.None, ScaleStrategy.None, Ridge1), leaky.Transform(x), y, folds, Rng.FromSeed(0)).OrThrow();
        var honest = CrossValidation.Run(new PipelineOptions(ImputeStrategy.None, ScaleStrategy.None, Selectors.WithSelection(select, Ridge1)), x, y, folds, Rng.FromSeed(0)).OrThrow();
        Assert.True(leakyCv.Summary["r2"].Mean > 0.2, $"leaky R2 {leakyCv.Summary["r2"].Mean}");
        Assert.True(honest.Summary["r2"].Mean < 0.0, $"honest R2 {honest.Summary["r2"].Mean}");
    }
}
