using System.Xml.Linq;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.Neural;
using Pure.Materials.Pipelines;
using Pure.Materials.Split;
using Xunit;

namespace Pure.Materials.Tests.Models.Neural;

/// <summary>Loss curves of the MLPs in cross-validation: one per fold, the very models cross-validation scores (the last held-out
/// loss is the fold's own metric), and the picture linear-gd's curves use.</summary>
public class MlpLossCurveTests
{
    private static (Matrix X, double[] Y, int[] Labels) Data()
    {
        var c = new RngCursor(Rng.FromSeed(21));
        var x = Matrix.Build(150, 3, (_, _) => c.NextDouble() * 2 - 1);
        var y = Enumerable.Range(0, 150).Select(i => Math.Sin(2 * x[i, 0]) + x[i, 1] * x[i, 2]).ToArray();
        return (x, y, y.Select(v => v > 0.1 ? 1 : 0).ToArray());
    }

    [Fact]
    public void Regressor_CurvesAreTheCrossValidatedModels()
    {
        var (x, y, _) = Data();
        var splits = KFold.Split(x.Rows, 3, true, Rng.FromSeed(1)).OrThrow();
        var pipeline = new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.Standard,
            Learners.MlpSpec.Build(new MlpRegressorOptions { HiddenLayerSizes = [8], MaxIter = 40, LearningRateInit = 0.01 }));
        var cv = CrossValidation.Run(pipeline, x, y, splits, Rng.FromSeed(2)).OrThrow();
        var curves = LossCurves.Run(pipeline, x, y, splits, Rng.FromSeed(2)).OrThrow();
        Assert.Equal(3, curves.Length);
        foreach (var (curve, fold) in curves.Zip(cv.Folds))
        {
            Assert.Equal(curve.Epochs, curve.Training.Count);
            Assert.Equal(curve.Epochs, curve.Validation.Count);
            var halfMse = fold.TestRows.Select((r, k) => 0.5 * (fold.Predictions[k] - y[r]) * (fold.Predictions[k] - y[r])).Average();
            Assert.Equal(halfMse, curve.Validation[^1], 1e-12);
        }
        var svg = XDocument.Parse(Plots.LossCurveSvg(curves.Select(c => (c.Training, c.Validation)).ToArray(), new PlotOptions(Unit: "eV")).OrThrow());
        Assert.Equal(3, svg.Descendants().Count(e => (string?)e.Attribute("class") == "validation"));
    }

    [Fact]
    public void Classifier_CurvesAreTheCrossValidatedModels_AndTrainingOnlyRunsDrawOneLine()
    {
        var (x, _, labels) = Data();
        var splits = KFold.Split(x.Rows, 3, true, Rng.FromSeed(1)).OrThrow();
        var pipeline = new ClassifierPipelineOptions(ImputeStrategy.Mean, ScaleStrategy.Standard,
            NeuralClassifiers.Mlp(new MlpClassifierOptions { Network = new MlpRegressorOptions { HiddenLayerSizes = [8], MaxIter = 40, LearningRateInit = 0.01 } }));
        var cv = ClassificationCrossValidation.Run(pipeline, x, labels, splits, Rng.FromSeed(2)).OrThrow();
        var curves = LossCurves.RunClassifier(pipeline, x, labels, splits, Rng.FromSeed(2)).OrThrow();
        foreach (var (curve, fold) in curves.Zip(cv.Folds))
        {
            var logLoss = -fold.TestRows.Select((r, k) => Math.Log(fold.Probabilities[k, labels[r]])).Average();
            Assert.Equal(logLoss, curve.Validation[^1], 1e-12);
        }
        var svg = XDocument.Parse(Plots.LossCurveSvg([(curves[0].Training, Array.Empty<double>())], new PlotOptions(), "Loss, mean log-loss").OrThrow());
        Assert.Single(svg.Descendants(), e => (string?)e.Attribute("class") == "train");
        Assert.DoesNotContain(svg.Descendants(), e => (string?)e.Attribute("class") == "validation");
        Assert.Contains("Loss, mean log-loss", svg.ToString());
        var rf = pipeline with { Learner = Classifiers.Registry.First(s => s.Name == "rf").Parse(new Dictionary<string, string>()).OrThrow() };
        Assert.Equal("param.invalid_value", Assert.Single(LossCurves.RunClassifier(rf, x, labels, splits, Rng.FromSeed(2)).Problems()).Code);
    }

    /// <summary>Cross-validating the recording pipeline (what <c>cv --model mlp</c> runs) gives the plain pipeline's report (every
    /// prediction and probability) and, without a second fit, the curves <see cref="LossCurves.Run"/> and
    /// <see cref="LossCurves.RunClassifier"/> refit: the same values, bit for bit (regression with batch norm and early stopping too).</summary>
    [Fact]
    public void RecordingPipeline_ScoresAsThePlainOne_AndItsCurvesAreTheRefitsCurves()
    {
        var (x, y, labels) = Data();
        var splits = KFold.Split(x.Rows, 3, true, Rng.FromSeed(1)).OrThrow();
        var network = new MlpRegressorOptions { HiddenLayerSizes = [8], MaxIter = 40, LearningRateInit = 0.01 };
        foreach (var o in new[] { network, network with { BatchNorm = true, EarlyStopping = true, BatchSize = 32 } })
        {
            var plain = new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.Standard, Learners.MlpSpec.Build(o));
            var (recording, curves) = LossCurves.Recording(new TaskPipeline.Regression(plain), x, new TaskTarget.Continuous(y), splits, Rng.FromSeed(2));
            Assert.NotNull(curves);
            Assert.True(curves().IsFail); // nothing fitted yet
            var cv = CrossValidation.Run(((TaskPipeline.Regression)recording).Options, x, y, splits, Rng.FromSeed(2)).OrThrow();
            var expected = CrossValidation.Run(plain, x, y, splits, Rng.FromSeed(2)).OrThrow();
            Assert.Equal(expected.Folds.Select(f => f.Predictions), cv.Folds.Select(f => f.Predictions));
            Assert.Equal(LossCurves.Run(plain, x, y, splits, Rng.FromSeed(2)).OrThrow(), curves().OrThrow(), new CurveComparer());
        }
        foreach (var o in new[] { network, network with { BatchNorm = true, EarlyStopping = true, BatchSize = 32 } })
        {
            var classifier = new ClassifierPipelineOptions(ImputeStrategy.Mean, ScaleStrategy.Standard, NeuralClassifiers.Mlp(new MlpClassifierOptions { Network = o }));
            var target = new TaskTarget.Classes(labels, [0, 1], ["0", "1"]);
            var (rc, classCurves) = LossCurves.Recording(new TaskPipeline.Classification(classifier), x, target, splits, Rng.FromSeed(2));
            var ccv = ClassificationCrossValidation.Run(((TaskPipeline.Classification)rc).Options, x, labels, splits, Rng.FromSeed(2)).OrThrow();
            var cexpected = ClassificationCrossValidation.Run(classifier, x, labels, splits, Rng.FromSeed(2)).OrThrow();
            Assert.Equal(cexpected.Folds.Select(f => f.Probabilities), ccv.Folds.Select(f => f.Probabilities));
            Assert.True(ccv.Folds.All(f => f.Scores.Accuracy > 0.75), string.Join(", ", ccv.Folds.Select(f => f.Scores.Accuracy))); // it learned
            Assert.Equal(LossCurves.RunClassifier(classifier, x, labels, splits, Rng.FromSeed(2)).OrThrow(), classCurves!().OrThrow(), new CurveComparer());
        }
        // Any other learner: no recording, the pipeline unchanged.
        var ridge = new TaskPipeline.Regression(new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.Standard, Learners.RidgeSpec.Build(new Pure.Materials.Models.Linear.RidgeOptions())));
        Assert.Null(LossCurves.Recording(ridge, x, new TaskTarget.Continuous(y), splits, Rng.FromSeed(2)).Curves);
    }

    private sealed class CurveComparer : IEqualityComparer<LossCurve>
    {
        public bool Equals(LossCurve? a, LossCurve? b) => a is not null && b is not null && a.Fold == b.Fold && a.Training.SequenceEqual(b.Training)
            && a.Validation.SequenceEqual(b.Validation) && (a.TrainingRows, a.ValidationRows, a.Epochs, a.Converged) == (b.TrainingRows, b.ValidationRows, b.Epochs, b.Converged);

        public int GetHashCode(LossCurve c) => c.Fold;
    }
}
