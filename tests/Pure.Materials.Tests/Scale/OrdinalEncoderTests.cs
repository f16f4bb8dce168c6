using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize;
using Pure.Materials.Pipelines;
using Pure.Materials.Scale;
using Pure.Materials.Split;
using Pure.Materials.Tests.Evaluate;
using Xunit;

namespace Pure.Materials.Tests.Scale;

/// <summary>Ordinal encoding of categorical feature columns: against scikit-learn 1.2.1 <c>OrdinalEncoder(handle_unknown="use_encoded_value",
/// unknown_value=-1, encoded_missing_value=-1)</c> (ordinal.csv, tools/reference/sklearn_ordinal.py), fitted per fold, saved in model files.</summary>
public class OrdinalEncoderTests
{
    private static readonly EncoderReference Reference = new("ordinal.csv");

    private static string[] Quantity(string @case, string quantity) => Reference.Quantity(@case, quantity);

    private static Dataset Load(string csvText, DatasetSpec spec) => EncoderReference.Load(csvText, spec);

    /// <summary>Categories and every code of the categorical columns equal scikit-learn's (the reference holds the categorical columns only).</summary>
    private static void AssertLikeSklearn(string @case, OrdinalEncoderModel model, Matrix test)
    {
        Assert.Equal(Quantity(@case, "categories"), model.Categories.Select(c => string.Join("|", c)).ToArray());
        var z = OrdinalEncoder.Transform(model, test);
        var codes = Quantity(@case, "codes");
        Assert.Equal(codes.Length, z.Rows);
        for (var i = 0; i < z.Rows; i++)
        {
            var expected = codes[i].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var actual = model.Columns.Select(c => z[i, c.Index]).ToArray();
            Assert.True(expected.SequenceEqual(actual), $"test row {i}: scikit-learn codes [{codes[i]}], this encoder [{string.Join(' ', actual)}]");
        }
    }

    [Fact]
    public void Jdft2dFold2_CodesEqualScikitLearn_CategoriesFromTrainingRowsOnly_TestOnlySpaceGroupsAreMinusOne()
    {
        var spec = new DatasetSpec { TargetColumn = "exfoliation_en", FoldColumn = "fold", CategoricalColumns = ["crys_sys", "spg_num"] };
        var ds = Dataset.FromTable(spec, BundledData.Open("matbench_jdft2d").OrThrow()).OrThrow();
        var fs = CompositionFeaturizers.Build([], ds).OrThrow();
        var train = Enumerable.Range(0, ds.Count).Where(i => ds.Folds![i] != 2).ToArray();
        var test = Enumerable.Range(0, ds.Count).Where(i => ds.Folds![i] == 2).ToArray();
        var model = OrdinalEncoder.Fit(new OrdinalEncoderOptions(fs.Categorical), fs.X.SelectRows(train)).OrThrow();
        AssertLikeSklearn("jdft2d_fold2", model, fs.X.SelectRows(test));
        // The categories are those of the training rows: the data's code book has more space groups than the fit saw.
        Assert.True(fs.Categorical[1].Values.Count > model.Categories[1].Count);
        // Six test rows hold a space group the training rows lack: coded -1 and listed by Unknown.
        var z = OrdinalEncoder.Transform(model, fs.X.SelectRows(test));
        var unknown = OrdinalEncoder.Unknown(model, fs.X.SelectRows(test));
        Assert.Equal(6, unknown.Count);
        Assert.All(unknown, u => Assert.Equal(-1.0, z[u.Row, 1]));
        Assert.Equal(6, Enumerable.Range(0, z.Rows).Count(i => z[i, 1] == -1.0));
        // The width stays the input's: one column per categorical column.
        Assert.Equal(fs.X.Cols, z.Cols);
    }

    [Fact]
    public void MissingCell_IsMinusOneWhetherOrNotTheTrainingRowsHadOne_AndIsListedLastInCategories_AsScikitLearn()
    {
        var ds = Load("kind,y\nb,1\na,2\n,3\nb,4\na,5\nc,6\nNA,7\na,8\nb,9\n", new DatasetSpec { TargetColumn = "y", FeatureColumns = ["kind"], DetectCategorical = true });
        var fs = CompositionFeaturizers.Build([], ds).OrThrow();
        var model = OrdinalEncoder.Fit(new OrdinalEncoderOptions(fs.Categorical), fs.X.SelectRows([0, 1, 2, 3, 4])).OrThrow();
        AssertLikeSklearn("missing", model, fs.X.SelectRows([5, 6, 7, 8]));
        Assert.Equal(["a", "b"], model.Coded(0));
        // Without a missing training cell, a missing test cell is unknown (said by Unknown), still -1.
        var noMissing = OrdinalEncoder.Fit(new OrdinalEncoderOptions(fs.Categorical), fs.X.SelectRows([0, 1, 3])).OrThrow();
        var u = Assert.Single(OrdinalEncoder.Unknown(noMissing, fs.X.SelectRows([2])));
        Assert.Equal((0, "kind", "nan"), (u.Row, u.Column, u.Value));
        Assert.Equal(-1.0, OrdinalEncoder.Transform(noMissing, fs.X.SelectRows([2]))[0, 0]);
    }

    [Fact]
    public void Fit_RefusesACodeOutsideTheCodeBook_NamingRowAndColumn_AndOtherColumnsPassThroughUnchanged()
    {
        var options = new OrdinalEncoderOptions([new OneHotColumn(1, "kind", ["a", "b", "c"])]);
        var p = Assert.Single(OrdinalEncoder.Fit(options, Matrix.FromRows([[0.5, 0.0], [1.5, 3.0]])).Problems());
        Assert.Equal(("data.bad_category_code", 2, "kind"), (p.Code, p.Row!.Value, p.Column!));
        Assert.Equal("param.out_of_range", OrdinalEncoder.Fit(new OrdinalEncoderOptions([new OneHotColumn(3, "kind", ["a"])]), Matrix.FromRows([[0.0]])).Problems().Single().Code);
        // Codes 0 and 2 of the code book (a, c) seen: c gets code 1; b (code-book 1, not seen) is unknown, -1. Column 0 is copied.
        var model = OrdinalEncoder.Fit(options, Matrix.FromRows([[0.5, 2.0], [1.5, 0.0]])).OrThrow();
        Assert.Equal(["a", "c"], model.Categories[0]);
        var z = OrdinalEncoder.Transform(model, Matrix.FromRows([[7.25, 0.0], [-3.0, 1.0], [double.NaN, 2.0]]));
        Assert.Equal(new double[] { 7.25, 0.0, -3.0, -1.0, double.NaN, 1.0 }, z.Data.ToArray());
    }

    private const string Table =
        "kind,x,y\n" +
        "a,0.1,1.0\nb,0.2,2.1\nc,0.3,3.2\na,0.4,1.1\nb,0.5,2.0\nc,0.6,3.1\na,0.7,0.9\nb,0.8,2.2\nc,0.9,2.9\na,1.0,1.2\n" +
        "b,1.1,1.9\nc,1.2,3.0\na,1.3,1.0\nb,1.4,2.1\nd,1.5,4.0\n";

    [Fact]
    public void CrossValidation_FitsTheEncoderOnEachFoldsTrainingRows_SoATestOnlyCategoryIsMinusOne()
    {
        var ds = Load(Table, new DatasetSpec { TargetColumn = "y", FeatureColumns = ["kind", "x"], DetectCategorical = true });
        var fs = CompositionFeaturizers.Build([], ds).OrThrow();
        var rf = Learners.Parse("rf", new Dictionary<string, string> { ["n_estimators"] = "5" }).OrThrow();
        var options = new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.None, rf) { Ordinal = new OrdinalEncoderOptions(fs.Categorical) };
        // Row 14 (kind d, the last code of the data's code book) alone in the test fold: the fold's encoder knows a, b, c only, so
        // the row is coded -1, and its prediction equals that of an explicit (-1, 1.5) row through a forest fitted on the same rows.
        var train = Enumerable.Range(0, 14).ToArray();
        var split = new TrainTest(train, [14]);
        var before = fs.X.Data.ToArray();
        var cv = CrossValidation.Run(options, fs.X, ds.Target!, [split], Rng.FromSeed(7)).OrThrow();
        // The fold codes its own copy of the training rows in place; the caller's matrix is untouched.
        Assert.Equal(before, fs.X.Data.ToArray());
        var encoder = OrdinalEncoder.Fit(new OrdinalEncoderOptions(fs.Categorical), fs.X.SelectRows(train)).OrThrow();
        Assert.Equal(["a", "b", "c"], encoder.Categories[0]);
        var encodedTrain = OrdinalEncoder.Transform(encoder, fs.X.SelectRows(train));
        var plain = Pipeline.Fit(new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.None, rf), encodedTrain, train.Select(i => ds.Target![i]).ToArray(),
            Rng.FromSeed(7).SplitMany(1).Streams[0]).OrThrow();
        Assert.Equal(plain.Predict(Matrix.FromRows([[-1.0, 1.5]]))[0], cv.Folds[0].Predictions[0]);
        // Same seed, same bits; both encoders at once is a conflict, not a silent choice.
        Assert.Equal(cv.Folds[0].Predictions, CrossValidation.Run(options, fs.X, ds.Target!, [split], Rng.FromSeed(7)).OrThrow().Folds[0].Predictions);
        var both = CrossValidation.Run(options with { OneHot = fs.OneHot }, fs.X, ds.Target!, [split], Rng.FromSeed(7)).Problems().Single();
        Assert.Equal("param.conflict", both.Code);
    }

    [Fact]
    public void FittedPipeline_WithOrdinal_SavesAndLoadsBitForBit_PredictsNewRowsByTheirText_AndNamesUnknownCells()
    {
        var spec = new DatasetSpec { TargetColumn = "y", FeatureColumns = ["kind", "x"], DetectCategorical = true };
        var ds = Load(Table, spec);
        var fs = CompositionFeaturizers.Build([], ds).OrThrow();
        var rf = Learners.Parse("rf", new Dictionary<string, string> { ["n_estimators"] = "5" }).OrThrow();
        var input = new PipelineInput(null, [], MissingElementValue.NaN, ["kind", "x"]) { CategoricalColumns = ["kind"] };
        var pipelineSpec = new PipelineSpec(input, [new PipelineStep.Ordinal(new OrdinalEncoderOptions(fs.Categorical)), .. PipelineSpec.Front(ImputeStrategy.Mean, ScaleStrategy.None)], rf);
        var train = Enumerable.Range(0, 14).ToArray();
        var fitted = FittedPipeline.FitFeatures(pipelineSpec, new FeatureSet(fs.Labels, fs.X.SelectRows(train)) { Categorical = fs.Categorical },
            train.Select(i => ds.Target![i]).ToArray(), null, new PipelineTarget("y", ""), Rng.FromSeed(3)).OrThrow();
        Assert.Equal("ordinal_encoder", fitted.Steps[0].Name);
        Assert.Equal(["kind", "x"], fitted.Steps[0].Labels(fitted.FeatureLabels));

        using var stream = new MemoryStream();
        ModelFile.Write(stream, ModelFile.ToState(fitted).OrThrow(), ModelFileHeader.Now());
        stream.Position = 0;
        var (loaded, header) = ModelFile.Read(stream).OrThrow();
        Assert.Equal("1.4", header.FormatVersion);
        Assert.Equal(fitted, loaded);

        // New rows in another order with their own code book (b, d): predicted by their text; d is unknown, coded -1, and said.
        var fresh = Load("kind,x\nd,1.5\nb,0.2\n", loaded.Input.Spec(null, null));
        var predicted = loaded.Predict(fresh).OrThrow().Mean;
        var same = fitted.Predict(Load("kind,x\nd,1.5\nb,0.2\n", fitted.Input.Spec(null, null))).OrThrow().Mean;
        Assert.Equal(same, predicted);
        var trainingRow1 = fitted.Predict(Load("kind,x\nb,0.2\n", fitted.Input.Spec(null, null))).OrThrow().Mean;
        Assert.Equal(trainingRow1[0], predicted[1]);
        var warning = Assert.Single(loaded.UnknownCategories(fresh).OrThrow());
        Assert.Equal(("data.unknown_category", 1, "kind"), (warning.Code, warning.Row!.Value, warning.Column!));
        Assert.Contains("it is encoded as -1 (handle_unknown=\"use_encoded_value\", unknown_value=-1)", warning.Message);
    }

    [Fact]
    public void FittedPipeline_RefusesAnOrdinalStepAfterAnotherStep()
    {
        var ds = Load(Table, new DatasetSpec { TargetColumn = "y", FeatureColumns = ["kind", "x"], DetectCategorical = true });
        var fs = CompositionFeaturizers.Build([], ds).OrThrow();
        var rf = Learners.Parse("rf", new Dictionary<string, string> { ["n_estimators"] = "5" }).OrThrow();
        var spec = new PipelineSpec(new PipelineInput(null, [], MissingElementValue.NaN, ["kind", "x"]),
            [new PipelineStep.MeanImpute(), new PipelineStep.Ordinal(new OrdinalEncoderOptions(fs.Categorical))], rf);
        var p = FittedPipeline.FitFeatures(spec, fs, ds.Target!, null, new PipelineTarget("y", ""), Rng.FromSeed(3)).Problems().Single();
        Assert.Equal("param.out_of_range", p.Code);
        Assert.Contains("first step", p.Message);
    }
}
