using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
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

/// <summary>One-hot encoding of categorical feature columns: against scikit-learn 1.2.1 <c>OneHotEncoder(handle_unknown="ignore")</c>
/// (one_hot.csv, tools/reference/sklearn_one_hot.py), read from tables, fitted per fold, saved in model files.</summary>
public class OneHotEncoderTests
{
    private static readonly EncoderReference Reference = new("one_hot.csv");

    private static string[] Quantity(string @case, string quantity) => Reference.Quantity(@case, quantity);

    private static Dataset Load(string csvText, DatasetSpec spec) => EncoderReference.Load(csvText, spec);

    private static void AssertLikeSklearn(string @case, OneHotEncoderModel model, IReadOnlyList<string> inputNames, Matrix test)
    {
        Assert.Equal(Quantity(@case, "names"), OneHotEncoder.FeatureNames(model, inputNames));
        Assert.Equal(Quantity(@case, "categories"), model.Categories.Select(c => string.Join("|", c)).ToArray());
        var z = OneHotEncoder.Transform(model, test);
        var ones = Quantity(@case, "ones");
        Assert.Equal(ones.Length, z.Rows);
        for (var i = 0; i < z.Rows; i++)
        {
            var expected = ones[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
            var actual = Enumerable.Range(0, z.Cols).Where(j => z[i, j] == 1.0).ToArray();
            Assert.True(expected.SequenceEqual(actual), $"test row {i}: scikit-learn sets columns [{ones[i]}], this encoder [{string.Join(' ', actual)}]");
            Assert.Equal(expected.Length, Enumerable.Range(0, z.Cols).Sum(j => z[i, j]));
        }
    }

    [Fact]
    public void Jdft2dFold2_CrystalSystemAndSpaceGroup_EqualScikitLearn_IncludingSpaceGroupsOnlyInTheTestFold()
    {
        var spec = new DatasetSpec { TargetColumn = "exfoliation_en", FoldColumn = "fold", CategoricalColumns = ["crys_sys", "spg_num"] };
        var ds = Dataset.FromTable(spec, BundledData.Open("matbench_jdft2d").OrThrow()).OrThrow();
        var fs = CompositionFeaturizers.Build([], ds).OrThrow();
        // spg_num is sorted as numbers (scikit-learn's np.unique of an integer column): 1, 2, 4, ..., 191, not "1", "10", "11", ...
        Assert.Equal(["1", "2", "4", "5"], fs.Categorical[1].Values.Take(4));
        var train = Enumerable.Range(0, ds.Count).Where(i => ds.Folds![i] != 2).ToArray();
        var test = Enumerable.Range(0, ds.Count).Where(i => ds.Folds![i] == 2).ToArray();
        var model = OneHotEncoder.Fit(fs.OneHot!, fs.X.SelectRows(train)).OrThrow();
        AssertLikeSklearn("jdft2d_fold2", model, fs.Labels, fs.X.SelectRows(test));
        // Six test rows hold a space group the training rows lack: all zeros in that block, listed by Unknown.
        var unknown = OneHotEncoder.Unknown(model, fs.X.SelectRows(test));
        Assert.Equal(6, unknown.Count);
        Assert.All(unknown, u => Assert.Equal("spg_num", u.Column));
        Assert.Contains(unknown, u => u.Value == "55");
    }

    [Fact]
    public void MissingCell_IsACategoryNamedNan_AndACategoryOnlyInTestRows_IsAllZeros_AsScikitLearn()
    {
        var ds = Load("kind,y\nb,1\na,2\n,3\nb,4\na,5\nc,6\nNA,7\na,8\nb,9\n", new DatasetSpec { TargetColumn = "y", FeatureColumns = ["kind"], DetectCategorical = true });
        var fs = CompositionFeaturizers.Build([], ds).OrThrow();
        Assert.True(Assert.Single(ds.Categories).Detected);
        Assert.Equal(["a", "b", "c"], ds.Categories[0].Values);
        var model = OneHotEncoder.Fit(fs.OneHot!, fs.X.SelectRows([0, 1, 2, 3, 4])).OrThrow();
        AssertLikeSklearn("missing", model, fs.Labels, fs.X.SelectRows([5, 6, 7, 8]));
    }

    [Fact]
    public void Detection_TakesTextColumnsOnly_AMixedColumnStaysNumericAndNamesItsTextCell()
    {
        const string csv = "crys,num,mixed,y\ncubic,1,1.5,1\ntetragonal,2,x,2\ncubic,3,2.5,3\n";
        var detected = Load(csv, new DatasetSpec { TargetColumn = "y", FeatureColumns = ["crys", "num"], DetectCategorical = true });
        Assert.Equal(["crys"], detected.Categories.Select(c => c.Name));
        Assert.Equal([0.0, 1.0, 0.0], Enumerable.Range(0, 3).Select(i => detected.ColumnFeatures[i, 0]));
        Assert.Equal([1.0, 2.0, 3.0], Enumerable.Range(0, 3).Select(i => detected.ColumnFeatures[i, 1]));

        var mixed = Dataset.FromTable(new DatasetSpec { TargetColumn = "y", FeatureColumns = ["mixed"], DetectCategorical = true },
            Csv.Read(new StringReader(csv), "t.csv").OrThrow()).Problems();
        var p = Assert.Single(mixed);
        Assert.Equal(("data.non_numeric_feature", 2, "mixed"), (p.Code, p.Row!.Value, p.Column!));
        Assert.Contains("CategoricalColumns", p.Message);

        // Numbers written with a decimal comma or a unit are a formatting slip, not categories: the column stays numeric and is refused.
        var comma = Dataset.FromTable(new DatasetSpec { TargetColumn = "y", FeatureColumns = ["g"], DetectCategorical = true },
            Csv.Read(new StringReader("g,y\n\"2,1\",1\n\"3,5\",2\n"), "t.csv").OrThrow()).Problems();
        Assert.Equal(2, comma.Count());
        Assert.All(comma, p => Assert.Equal("data.non_numeric_feature", p.Code));
        var unit = Dataset.FromTable(new DatasetSpec { TargetColumn = "y", FeatureColumns = ["g"], DetectCategorical = true },
            Csv.Read(new StringReader("g,y\n2.1 eV,1\n3.5 eV,2\n"), "t.csv").OrThrow()).Problems();
        Assert.Equal(2, unit.Count());

        // Without detection a text column is refused as before.
        Assert.Equal("data.non_numeric_feature", Dataset.FromTable(new DatasetSpec { TargetColumn = "y", FeatureColumns = ["crys"] },
            Csv.Read(new StringReader(csv), "t.csv").OrThrow()).Problems().First().Code);
    }

    [Fact]
    public void ConstantColumn_GivesOneColumnOfOnes_AndANamedNumericColumnIsAppendedToTheFeatures()
    {
        var ds = Load("x,site,y\n1,A,1\n2,A,2\n3,A,3\n", new DatasetSpec { TargetColumn = "y", FeatureColumns = ["x"], CategoricalColumns = ["site"] });
        Assert.Equal(["x", "site"], ds.ColumnFeatureNames);
        var fs = CompositionFeaturizers.Build([], ds).OrThrow();
        var model = OneHotEncoder.Fit(fs.OneHot!, fs.X).OrThrow();
        Assert.Equal(["x", "site_A"], OneHotEncoder.FeatureNames(model, fs.Labels));
        var z = OneHotEncoder.Transform(model, fs.X);
        Assert.Equal([1.0, 1.0, 1.0], Enumerable.Range(0, 3).Select(i => z[i, 1]));
        Assert.Equal([1.0, 2.0, 3.0], Enumerable.Range(0, 3).Select(i => z[i, 0]));
    }

    [Fact]
    public void Fit_RefusesACodeOutsideTheCodeBook_NamingRowAndColumn()
    {
        var options = new OneHotEncoderOptions([new OneHotColumn(0, "kind", ["a", "b"])]);
        var p = Assert.Single(OneHotEncoder.Fit(options, Matrix.FromRows([[0.0], [2.0]])).Problems());
        Assert.Equal(("data.bad_category_code", 2, "kind"), (p.Code, p.Row!.Value, p.Column!));
        Assert.Equal("param.out_of_range", OneHotEncoder.Fit(new OneHotEncoderOptions([new OneHotColumn(3, "kind", ["a"])]), Matrix.FromRows([[0.0]])).Problems().Single().Code);
    }

    private const string Table =
        "kind,x,y\n" +
        "a,0.1,1.0\nb,0.2,2.1\nc,0.3,3.2\na,0.4,1.1\nb,0.5,2.0\nc,0.6,3.1\na,0.7,0.9\nb,0.8,2.2\nc,0.9,2.9\na,1.0,1.2\n" +
        "b,1.1,1.9\nc,1.2,3.0\na,1.3,1.0\nb,1.4,2.1\nd,1.5,4.0\n";

    [Fact]
    public void CrossValidation_FitsTheEncoderOnEachFoldsTrainingRows_SoATestOnlyCategoryIsAllZeros()
    {
        var ds = Load(Table, new DatasetSpec { TargetColumn = "y", FeatureColumns = ["kind", "x"], DetectCategorical = true });
        var fs = CompositionFeaturizers.Build([], ds).OrThrow();
        var ridge = Learners.Parse("ridge", new Dictionary<string, string>()).OrThrow();
        var options = new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.Standard, ridge) { OneHot = fs.OneHot };
        // Row 14 (kind d) alone in the test fold: the fold's encoder knows a, b, c only, so the row's kind block is zeros and its
        // prediction equals that of an explicit all-zeros row through a pipeline fitted on the same training rows.
        var train = Enumerable.Range(0, 14).ToArray();
        var split = new TrainTest(train, [14]);
        var cv = CrossValidation.Run(options, fs.X, ds.Target!, [split], Rng.FromSeed(7)).OrThrow();
        var encoder = OneHotEncoder.Fit(fs.OneHot!, fs.X.SelectRows(train)).OrThrow();
        Assert.Equal(["a", "b", "c"], encoder.Categories[0]);
        var encodedTrain = OneHotEncoder.Transform(encoder, fs.X.SelectRows(train));
        var plain = Pipeline.Fit(new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.Standard, ridge), encodedTrain, train.Select(i => ds.Target![i]).ToArray(),
            Rng.FromSeed(7).SplitMany(1).Streams[0]).OrThrow();
        var zeros = plain.Predict(Matrix.FromRows([[0.0, 0.0, 0.0, 1.5]]));
        Assert.Equal(zeros[0], cv.Folds[0].Predictions[0]);

        // Without the encoder the codes would be used as numbers: a different (wrong) model.
        var raw = CrossValidation.Run(options with { OneHot = null }, fs.X, ds.Target!, [split], Rng.FromSeed(7)).OrThrow();
        Assert.NotEqual(raw.Folds[0].Predictions[0], cv.Folds[0].Predictions[0]);
    }

    private static FittedPipeline FitTable()
    {
        var ds = Load(Table, new DatasetSpec { TargetColumn = "y", FeatureColumns = ["kind", "x"], DetectCategorical = true });
        var fs = CompositionFeaturizers.Build([], ds).OrThrow();
        var ridge = Learners.Parse("ridge", new Dictionary<string, string>()).OrThrow();
        var input = new PipelineInput(null, [], MissingElementValue.NaN, ["kind", "x"]) { CategoricalColumns = ["kind"] };
        IReadOnlyList<PipelineStep> steps = [new PipelineStep.OneHot(fs.OneHot!), .. PipelineSpec.Front(ImputeStrategy.Mean, ScaleStrategy.Standard)];
        return FittedPipeline.FitFeatures(new PipelineSpec(input, steps, ridge), fs, ds.Target!, null, new PipelineTarget("y", ""), Rng.FromSeed(3)).OrThrow();
    }

    /// <summary>Saves the pipeline, edits its manifest, and reads it back.</summary>
    private static LanguageExt.Validation<Problem, (FittedPipeline Pipeline, ModelFileHeader Header)> Tampered(FittedPipeline pipeline, Action<JsonObject> edit)
    {
        using var saved = new MemoryStream();
        ModelFile.Write(saved, ModelFile.ToState(pipeline).OrThrow(), ModelFileHeader.Now());
        var entries = new Dictionary<string, byte[]>();
        using (var zip = new ZipArchive(new MemoryStream(saved.ToArray()), ZipArchiveMode.Read))
            foreach (var e in zip.Entries)
            {
                using var s = e.Open();
                using var m = new MemoryStream();
                s.CopyTo(m);
                entries[e.FullName] = m.ToArray();
            }
        var manifest = (JsonObject)JsonNode.Parse(entries["manifest.json"])!;
        edit((JsonObject)manifest["pipeline"]!);
        entries["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(bytes);
            }
        output.Position = 0;
        return ModelFile.Read(output);
    }

    private static JsonObject OneHotNode(JsonObject pipeline) => (JsonObject)pipeline["steps"]!["nodes"]![0]!;

    private static JsonObject Text(string t) => new() { ["text"] = t };

    [Fact]
    public void TamperedOneHotEntries_AreModelCorruptProblems_NeverExceptions()
    {
        var pipeline = FitTable();
        Assert.True(Tampered(pipeline, _ => { }).IsSuccess);
        var stray = Tampered(pipeline, p => ((JsonArray)OneHotNode(p)["columns"]!["nodes"]![0]!["categories_"]!["nodes"]!).Add(Text("zz"))).Problems().Single();
        Assert.Equal("model.corrupt", stray.Code);
        Assert.Contains("category 'zz' outside its values", stray.Message);
        var index = Tampered(pipeline, p => OneHotNode(p)["columns"]!["nodes"]![0]!["index"] = new JsonObject { ["int"] = 7 }).Problems().Single();
        Assert.Equal("model.corrupt", index.Code);
        var unknown = Tampered(pipeline, p => OneHotNode(p)["handle_unknown"] = "error").Problems().Single();
        Assert.Contains("encodes unknown categories as zeros ('ignore') only", unknown.Message);
        var notFeature = Tampered(pipeline, p => ((JsonArray)p["input"]!["node"]!["categorical_columns"]!["nodes"]!).Add(Text("y"))).Problems().Single();
        Assert.Contains("names 'y', which is not a feature column", notFeature.Message);
        // Moved behind the scaler, the encoder would read scaled numbers as codes.
        var moved = Tampered(pipeline, p =>
        {
            var steps = (JsonArray)p["steps"]!["nodes"]!;
            var first = steps[0]!;
            steps.RemoveAt(0);
            first["n_features_in_"] = new JsonObject { ["int"] = 2 };
            steps.Add(first);
        }).Problems().Single();
        Assert.Equal("model.corrupt", moved.Code);
    }

    [Fact]
    public void FittedPipeline_RefusesAOneHotStepAfterAnotherStep()
    {
        var ds = Load(Table, new DatasetSpec { TargetColumn = "y", FeatureColumns = ["kind", "x"], DetectCategorical = true });
        var fs = CompositionFeaturizers.Build([], ds).OrThrow();
        var ridge = Learners.Parse("ridge", new Dictionary<string, string>()).OrThrow();
        var spec = new PipelineSpec(new PipelineInput(null, [], MissingElementValue.NaN, ["kind", "x"]),
            [new PipelineStep.StandardScale(), new PipelineStep.OneHot(fs.OneHot!)], ridge);
        var p = FittedPipeline.FitFeatures(spec, fs, ds.Target!, null, new PipelineTarget("y", ""), Rng.FromSeed(3)).Problems().Single();
        Assert.Equal("param.out_of_range", p.Code);
        Assert.Contains("first step", p.Message);
    }

    [Fact]
    public void FittedPipeline_WithOneHot_SavesAndLoadsBitForBit_AndPredictsNewRowsByTheirText()
    {
        var spec = new DatasetSpec { TargetColumn = "y", FeatureColumns = ["kind", "x"], DetectCategorical = true };
        var ds = Load(Table, spec);
        var fs = CompositionFeaturizers.Build([], ds).OrThrow();
        var ridge = Learners.Parse("ridge", new Dictionary<string, string>()).OrThrow();
        var input = new PipelineInput(null, [], MissingElementValue.NaN, ["kind", "x"]) { CategoricalColumns = ["kind"] };
        var pipelineSpec = new PipelineSpec(input, [new PipelineStep.OneHot(fs.OneHot!), .. PipelineSpec.Front(ImputeStrategy.Mean, ScaleStrategy.Standard)], ridge);
        var train = Enumerable.Range(0, 14).ToArray();
        var fitted = FittedPipeline.FitFeatures(pipelineSpec, new FeatureSet(fs.Labels, fs.X.SelectRows(train)), train.Select(i => ds.Target![i]).ToArray(), null,
            new PipelineTarget("y", ""), Rng.FromSeed(3)).OrThrow();
        Assert.Equal(["kind_a", "kind_b", "kind_c", "x"], fitted.Steps[0].Labels(fitted.FeatureLabels));

        using var stream = new MemoryStream();
        ModelFile.Write(stream, ModelFile.ToState(fitted).OrThrow(), ModelFileHeader.Now());
        stream.Position = 0;
        var (loaded, header) = ModelFile.Read(stream).OrThrow();
        Assert.Equal("1.4", header.FormatVersion);
        Assert.Equal(fitted, loaded);

        // New rows in another order, with other codes in their own code book (b, d only): predicted by their text, as the training rows were.
        var fresh = Load("kind,x\nd,1.5\nb,0.2\n", loaded.Input.Spec(null, null));
        var predicted = loaded.Predict(fresh).OrThrow().Mean;
        var direct = fitted.Predict(Matrix.FromRows([[-1.0, 1.5], [1.0, 0.2]])).OrThrow().Mean;
        Assert.Equal(direct, predicted);
        Assert.Equal(fitted.Predict(fs.X.SelectRows([1])).OrThrow().Mean[0], predicted[1]);
        var unknown = Assert.Single(loaded.UnknownCategories(fresh).OrThrow());
        Assert.Equal(("data.unknown_category", 1, "kind"), (unknown.Code, unknown.Row!.Value, unknown.Column!));
        Assert.Contains("'d' is not among the 3 categories of 'kind' in the training rows (a, b, c)", unknown.Message);
    }
}
