using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.Linear;
using Pure.Materials.Models.Trees;
using Pure.Materials.Pipelines;
using Pure.Materials.Select;
using Pure.Materials.Split;
using Xunit;

namespace Pure.Materials.Tests.Pipelines;

/// <summary>A fitted pipeline is a value: fitted on a fold's training rows with the fold's stream it predicts exactly as cross-validation
/// does; saved and loaded it predicts bit for bit the same; fitted twice it is equal.</summary>
public class FittedPipelineTests
{
    private static readonly DatasetSpec GapSpec = new() { FormulaColumn = "composition", TargetColumn = "gap expt", IdColumn = "mbid", FoldColumn = "fold" };

    [Fact]
    public void FitOnFoldsOtherThanK_ThenPredictFoldK_HasCvsFoldKMae_Exactly_InOneLinqQuery()
    {
        const int k = 1;
        var learner = Learners.RandomForest(new RandomForestOptions { NEstimators = 10 });
        var options = new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.None, learner);
        var spec = new PipelineSpec(new PipelineInput("composition", ["magpie"], MissingElementValue.NaN, []),
            PipelineSpec.Front(ImputeStrategy.Mean, ScaleStrategy.None), learner);
        var experiment =
            from table in Step.From(() => BundledData.OpenPathOrName("matbench_expt_gap"))
            from ds in Step.From(() => Dataset.FromTable(GapSpec, table))
            from fs in Step.From(() => CompositionFeaturizers.Build([ElementProperty.Magpie], ds))
            from folds in Step.From(() => PredefinedFolds.FromLabels(ds.Folds!))
            // Both from the same stream: cross-validation gives fold k the k-th of rng.SplitMany(folds), and so does the fit.
            from result in Step.Random(rng =>
                from cv in CrossValidation.Run(options, fs.X, ds.Target!, folds, rng)
                from fitted in FittedPipeline.FitFeatures(spec, new FeatureSet(fs.Labels, fs.X.SelectRows(folds[k].Train)),
                    folds[k].Train.Select(i => ds.Target![i]).ToArray(), folds[k].Train.Select(i => ds.Compositions![i]).ToArray(),
                    new PipelineTarget("gap expt", "eV"), rng.SplitMany(folds.Length).Streams[k])
                from predicted in fitted.Predict(fs.X.SelectRows(folds[k].Test))
                from scores in Metrics.Regression(folds[k].Test.Select(i => ds.Target![i]).ToArray(), predicted.Mean.ToArray())
                select (CvMae: cv.Folds[k].Scores.Mae, FitMae: scores.Mae, CvPred: cv.Folds[k].Predictions, FitPred: predicted.Mean))
            select result;
        var (cvMae, fitMae, cvPred, fitPred) = experiment.Run(0).OrThrow();
        Assert.Equal(cvMae, fitMae);
        Assert.Equal(cvPred, fitPred);
        Assert.InRange(fitMae, 0.3, 0.7);
    }

    [Fact]
    public void Classifier_FitOnFoldsOtherThanK_PredictsFoldKAsCv_LabelsAndProbabilities_AndSurvivesSaveLoad()
    {
        const int k = 2;
        var learner = Classifiers.Parse("rf", new Dictionary<string, string> { ["n_estimators"] = "10" }).OrThrow();
        var options = new ClassifierPipelineOptions(ImputeStrategy.Mean, ScaleStrategy.None, learner);
        var spec = new PipelineSpec(new PipelineInput("composition", ["magpie"], MissingElementValue.NaN, []),
            PipelineSpec.Front(ImputeStrategy.Mean, ScaleStrategy.None), learner);
        var experiment =
            from table in Step.From(() => BundledData.OpenPathOrName("matbench_expt_is_metal"))
            from ds in Step.From(() => Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "is_metal", FoldColumn = "fold" }, table))
            from target in Step.From(() => TaskTarget.FromDataset(ds, TaskKind.Classification))
            from fs in Step.From(() => CompositionFeaturizers.Build([ElementProperty.Magpie], ds))
            from folds in Step.From(() => PredefinedFolds.FromLabels(ds.Folds!))
            from result in Step.Random(rng =>
                from cv in ClassificationCrossValidation.Run(options, fs.X, ((TaskTarget.Classes)target).Codes, folds, rng)
                from fitted in FittedPipeline.Fit(spec, new FeatureSet(fs.Labels, fs.X.SelectRows(folds[k].Train)), target.Subset(folds[k].Train), "is_metal",
                    null, rng.SplitMany(folds.Length).Streams[k])
                from predicted in fitted.Predict(fs.X.SelectRows(folds[k].Test))
                select (cv.Folds[k], fitted, predicted, x: fs.X.SelectRows(folds[k].Test)))
            select result;
        var (fold, pipeline, p, xTest) = experiment.Run(0).OrThrow();
        Assert.Equal(fold.Predictions.Select(c => (double)c), p.Mean);
        Assert.Equal(fold.Probabilities, p.Probabilities);
        Assert.Equal(["False", "True"], pipeline.Target.ClassLabels);
        Assert.Equal(p.Mean.Select(c => c == 1 ? "True" : "False"), p.Labels);

        var path = Path.Combine(Path.GetTempPath(), $"pm-classifier-{Guid.NewGuid():N}.pmm");
        try
        {
            ModelFile.Save(pipeline, path).OrThrow();
            var (loaded, _) = ModelFile.Load(path).OrThrow();
            Assert.Equal(pipeline, loaded);
            var again = loaded.Predict(xTest).OrThrow();
            Assert.Equal(p.Probabilities, again.Probabilities);
            Assert.Equal(p.Labels, again.Labels);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static (FittedPipeline Pipeline, Matrix X, Dataset Data) PerovskiteForest(int trees = 8, IReadOnlyList<PipelineStep>? steps = null, Learner? learner = null)
    {
        var ds = Dataset.FromTable(new DatasetSpec { TargetColumn = "Decomposition Energy", FeatureColumns = ["K", "Rb", "Cs", "MA", "FA"] },
            BundledData.OpenPathOrName("perovskite_dft").OrThrow()).OrThrow();
        var fs = CompositionFeaturizers.Build([], ds).OrThrow();
        var l = learner ?? Learners.RandomForest(new RandomForestOptions { NEstimators = trees });
        var spec = new PipelineSpec(new PipelineInput(null, [], MissingElementValue.NaN, ["K", "Rb", "Cs", "MA", "FA"]), steps ?? [new PipelineStep.MeanImpute()], l);
        var fitted = FittedPipeline.FitFeatures(spec, fs, ds.Target!, null, new PipelineTarget("Decomposition Energy", "eV"), Rng.FromSeed(7), 7).OrThrow();
        return (fitted, fs.X, ds);
    }

    public static TheoryData<string> PipelineShapes => ["rf", "rf+scale+poly+pca", "ridge+scale+poly", "ridge+minmax+select", "dummy"];

    private static (FittedPipeline, Matrix) Build(string shape) => shape switch
    {
        "rf" => Drop(PerovskiteForest()),
        "rf+scale+poly+pca" => Drop(PerovskiteForest(steps:
            [new PipelineStep.MeanImpute(), new PipelineStep.StandardScale(), new PipelineStep.Polynomial(new PolynomialFeaturesOptions { Degree = 2, IncludeBias = false }),
             new PipelineStep.Pca(new PcaOptions(6))])),
        "ridge+scale+poly" => Drop(PerovskiteForest(learner: Learners.Ridge(new RidgeOptions { Alpha = 0.1 }),
            steps: [new PipelineStep.StandardScale(), new PipelineStep.Polynomial(new PolynomialFeaturesOptions { Degree = 3 })])),
        "ridge+minmax+select" => Drop(PerovskiteForest(learner: Learners.Ridge(new RidgeOptions()),
            steps: [new PipelineStep.MinMaxScale(new Pure.Materials.Scale.MinMaxScalerOptions()), new PipelineStep.Select(Selectors.VarianceThreshold(new VarianceThresholdOptions(0.01)))])),
        _ => Drop(PerovskiteForest(learner: Learners.Parse("dummy", new Dictionary<string, string> { ["strategy"] = "median" }).OrThrow())),
    };

    private static (FittedPipeline, Matrix) Drop((FittedPipeline P, Matrix X, Dataset _) t) => (t.P, t.X);

    [Theory]
    [MemberData(nameof(PipelineShapes))]
    public void SaveThenLoad_PredictsBitIdentically_AndIsEqual(string shape)
    {
        var (pipeline, x) = Build(shape);
        var path = Path.Combine(Path.GetTempPath(), $"pm-{shape}-{Guid.NewGuid():N}.pmm");
        try
        {
            var header = ModelFile.Save(pipeline, path).OrThrow();
            Assert.Equal("1.4", header.FormatVersion);
            var (loaded, readHeader) = ModelFile.Load(path).OrThrow();
            Assert.Equal(header, readHeader);
            Assert.Equal(pipeline, loaded);
            Assert.Equal(pipeline.GetHashCode(), loaded.GetHashCode());
            var before = pipeline.Predict(x).OrThrow();
            var after = loaded.Predict(x).OrThrow();
            Assert.Equal(before.Mean.Select(BitConverter.DoubleToInt64Bits), after.Mean.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(before.Std?.Select(BitConverter.DoubleToInt64Bits), after.Std?.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(before.FeaturesOutOfRange, after.FeaturesOutOfRange);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FitTwice_GivesEqualPipelines_AnotherSeedAnotherForest()
    {
        var a = PerovskiteForest().Pipeline;
        var b = PerovskiteForest().Pipeline;
        Assert.Equal(a, b);
        var ds = PerovskiteForest().Data;
        var fs = CompositionFeaturizers.Build([], ds).OrThrow();
        var c = FittedPipeline.FitFeatures(new PipelineSpec(a.Input, [new PipelineStep.MeanImpute()], Learners.RandomForest(new RandomForestOptions { NEstimators = 8 })),
            fs, ds.Target!, null, a.Target, Rng.FromSeed(8), 7).OrThrow();
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Predict_FromFormulas_FeaturizesAsInTraining_AndFlagsUnseenElements()
    {
        var table = BundledData.OpenPathOrName("matbench_expt_gap").OrThrow();
        var train = table with { Rows = table.Rows.Take(300).ToArray() };
        var ds = Dataset.FromTable(GapSpec with { FoldColumn = null }, train).OrThrow();
        var fs = CompositionFeaturizers.Build([ElementProperty.Magpie], ds).OrThrow();
        var spec = new PipelineSpec(new PipelineInput("composition", ["magpie"], MissingElementValue.NaN, []), [new PipelineStep.MeanImpute()],
            Learners.RandomForest(new RandomForestOptions { NEstimators = 5 }));
        var fitted = FittedPipeline.FitFeatures(spec, fs, ds.Target!, ds.Compositions, new PipelineTarget("gap expt", "eV"), Rng.FromSeed(1)).OrThrow();
        var fresh = new CsvTable("new", ["composition"], [["Fe2O3"], ["PuO2"], [ds.Formulas![0]]]);
        var newData = Dataset.FromTable(fitted.Input.Spec(null, null), fresh).OrThrow();
        var p = fitted.Predict(newData).OrThrow();
        Assert.Equal(3, p.Mean.Count);
        Assert.NotNull(p.Std);
        Assert.Contains("Pu", p.UnseenElements[1]);
        Assert.Empty(p.UnseenElements[2]);
        Assert.Equal(0, p.FeaturesOutOfRange[2]);
        // The training row predicts as the in-memory pipeline does on its featurized row.
        Assert.Equal(fitted.Predict(fs.X.SelectRows([0])).OrThrow().Mean[0], p.Mean[2]);
    }

    [Fact]
    public void Predict_RowsOfAnotherWidth_IsAProblemNotAnException()
    {
        var (pipeline, _, _) = PerovskiteForest();
        var problems = pipeline.Predict(Matrix.FromRowMajor(1, 3, [1.0, 2.0, 3.0])).Problems();
        Assert.Equal("shape.columns_mismatch", Assert.Single(problems).Code);
    }
}
