using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Models.Graph;
using Pure.Materials.Pipelines;
using Pure.Materials.Split;
using Pure.Materials.Structures;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary><c>--model cgcnn</c> on a class target: CGCNN's 2-output head through the pipeline (cv with the classification outputs of
/// every classifier, fit's held-out fold equal to cv's, predict with class labels and probabilities), and in the library the pipeline's
/// classification cross-validation equal to <see cref="Cgcnn.Fit(CgcnnOptions, IReadOnlyList{CrystalGraph}, IReadOnlyList{double}, Rng)"/>
/// and <see cref="Cgcnn.PredictProbabilities(CgcnnModel, IReadOnlyList{CrystalGraph}, DType, int)"/> on each fold with the fold's stream.
/// No bundled structure set has a class target: the data are the first 300 matbench_phonons structures with their official folds and a
/// SYNTHETIC label (last phdos peak above the 300 rows' median) made only to test the plumbing; it is no materials result.</summary>
public class CgcnnClassificationCliTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    /// <summary>CgcnnCliTests' network, small enough for tests.</summary>
    private static readonly string[] Tiny = CgcnnCliTests.Tiny;

    private const int Rows = 300;

    /// <summary>The first <see cref="Rows"/> phonons structures, their synthetic class (0/1, or 0/1/2 with <paramref name="classes"/> 3:
    /// the terciles) and their official fold.</summary>
    private static (StructureEntry[] Entries, int[] Labels, int[] Folds) Data(int classes = 2)
    {
        var entries = BundledStructures.MatbenchPhonons().OrThrow().Take(Rows).ToArray();
        var table = BundledStructures.MatbenchPhononsTable().OrThrow();
        var fold = table.ColumnIndex("fold").OrThrow();
        var folds = table.Rows.Take(Rows).Select(r => int.Parse(r[fold], CultureInfo.InvariantCulture)).ToArray();
        var peaks = entries.Select(e => e.Target!.Value).ToArray();
        var sorted = peaks.Order().ToArray();
        var cuts = Enumerable.Range(1, classes - 1).Select(k => sorted[k * Rows / classes]).ToArray();
        return (entries, peaks.Select(p => cuts.Count(c => p >= c)).ToArray(), folds);
    }

    /// <summary>Writes the data as a Matbench file in pandas' split layout: columns structure, label (the synthetic class), fold.</summary>
    private static string WriteJson(string dir, int classes = 2)
    {
        var (entries, labels, folds) = Data(classes);
        var text = new StringBuilder("{\"index\": [");
        text.Append(string.Join(", ", entries.Select(e => $"\"{e.Id}\"")));
        text.Append("], \"columns\": [\"structure\", \"label\", \"fold\"], \"data\": [");
        text.Append(string.Join(", ", entries.Select((e, i) => $"[{StructureJson.WritePymatgen(e.Structure)}, {labels[i]}, {folds[i]}]")));
        text.Append("]}");
        var path = Path.Combine(dir, $"phonons_class{classes}.json");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static string[] Args(string json) =>
        ["--structures", json, "--target", "target", "--task", "classification", "--fold-column", "fold", "--model", "cgcnn", .. Tiny];

    [Fact]
    public void Cv_OnAClassTarget_GivesClassificationOutputs_AndFitHoldoutFold0ThenPredictIsCvsFold0_BitForBit()
    {
        var dir = CliRun.TempDir("pm-cgcnn-cls-");
        var json = WriteJson(dir);
        var cvDir = Path.Combine(dir, "cv");
        var (exit, stdout, err) = Run(["cv", .. Args(json), "--seed", "3", "--out", cvDir]);
        Assert.True(exit == 0, err);
        Assert.Contains("mean accuracy", stdout);
        Assert.Contains("ROC-AUC", stdout);
        Assert.Contains("fold 4: 2 epochs, kept epoch ", stdout);
        Assert.Contains("validation NLL", stdout);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(cvDir, "report.json")))!;
        Assert.Equal("classification", (string)report["task"]!);
        Assert.Equal("cgcnn", report["options"]!["model"]!.GetValue<string>());
        Assert.Equal(5, report["metrics"]!["accuracy"]!["per_fold"]!.AsArray().Count);
        Assert.Equal(5, report["metrics"]!["roc_auc"]!["per_fold"]!.AsArray().Count);
        var counts = report["confusion_matrix"]!["counts"]!.AsArray().SelectMany(r => r!.AsArray().Select(v => (int)v!)).Sum();
        Assert.Equal(Rows, counts);
        Assert.True(File.Exists(Path.Combine(cvDir, "confusion.svg")));
        Assert.True(File.Exists(Path.Combine(cvDir, "loss.svg")));
        var cvLines = File.ReadAllLines(Path.Combine(cvDir, "predictions.csv"));
        Assert.Equal("id,formula,fold,y_true,y_pred,p_0,p_1", cvLines[0]);
        Assert.Equal(Rows + 1, cvLines.Length);

        // The same seed gives the same bits.
        var again = Path.Combine(dir, "cv-again");
        (exit, _, err) = Run(["cv", .. Args(json), "--seed", "3", "--out", again]);
        Assert.True(exit == 0, err);
        Assert.Equal(cvLines, File.ReadAllLines(Path.Combine(again, "predictions.csv")));

        var model = Path.Combine(dir, "cls0.pmm");
        (exit, stdout, err) = Run(["fit", .. Args(json), "--holdout-fold", "0", "--seed", "3", "--out", model]);
        Assert.True(exit == 0, err);
        Assert.Contains("training: 2 epochs, kept epoch ", stdout);
        Assert.Contains("(format 1.4)", stdout);
        var pipeline = ModelFile.Load(model).OrThrow().Pipeline;
        Assert.Equal(TaskKind.Classification, pipeline.Target.Task);
        Assert.Equal(["0", "1"], pipeline.Target.ClassLabels);
        Assert.True(((CgcnnModel)pipeline.Learner.Model).IsClassification);

        var preds = Path.Combine(dir, "p0.csv");
        (exit, stdout, err) = Run("predict", "--model", model, "--structures", json, "--fold-column", "fold", "--fold", "0", "--out", preds);
        Assert.True(exit == 0, err);
        var cvFold0 = cvLines.Skip(1).Select(l => l.Split(',')).Where(c => c[2] == "0").ToDictionary(c => c[0], c => (c[4], c[5], c[6]));
        var predicted = File.ReadAllLines(preds);
        Assert.Equal("id,formula,y_true,y_pred,p_0,p_1,n_features_out_of_range,unseen_elements", predicted[0]);
        Assert.Equal(cvFold0.Count + 1, predicted.Length);
        Assert.All(predicted.Skip(1).Select(l => l.Split(',')), c => Assert.Equal(cvFold0[c[0]], (c[3], c[4], c[5])));
        var accuracy = report["metrics"]!["accuracy"]!["per_fold"]![0]!.GetValue<double>();
        Assert.Contains($"accuracy {Pure.Materials.Cli.Cli.F(accuracy)} against 'target'", stdout);

        // fit --cv records cv's classification metrics with the model (the same folds and streams).
        var withCv = Path.Combine(dir, "cls-cv.pmm");
        (exit, _, err) = Run(["fit", .. Args(json), "--cv", "--seed", "3", "--out", withCv]);
        Assert.True(exit == 0, err);
        var metrics = ModelFile.Load(withCv).OrThrow().Pipeline.Training.Metrics.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(report["metrics"]!["accuracy"]!["mean"]!.GetValue<double>(), metrics["cv_accuracy_mean"]);
        Assert.Equal(report["metrics"]!["roc_auc"]!["mean"]!.GetValue<double>(), metrics["cv_roc_auc_mean"]);

        // screen ranks a binary classifier by the probability of its positive class (the second class, here 1): predict's p_1.
        var all = Path.Combine(dir, "all.csv");
        (exit, _, err) = Run("predict", "--model", model, "--structures", json, "--out", all);
        Assert.True(exit == 0, err);
        var p1 = File.ReadAllLines(all).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0], c => c[5]);
        var top = Path.Combine(dir, "top.csv");
        (exit, stdout, err) = Run("screen", "--model", model, "--candidates-structures", json, "--rank", "mean", "--goal", "max", "--top", "5", "--out", top);
        Assert.True(exit == 0, err);
        Assert.Contains("P(target = 1)", stdout);
        var ranked = File.ReadAllLines(top);
        Assert.StartsWith("rank,index,candidate,p_1,score,", ranked[0]);
        var values = ranked.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(5, values.Length);
        Assert.All(values, c => Assert.Equal(p1[c[2]], c[3]));
        var best = values.Select(c => double.Parse(c[3], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(best.OrderDescending(), best);
        Assert.Equal(p1.Values.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).Max(), best[0]);
    }

    [Fact]
    public void Cv_ThreeClasses_IsAProblemNamingTheTargetAndTheCount()
    {
        var dir = CliRun.TempDir("pm-cgcnn-cls3-");
        var json = WriteJson(dir, 3);
        var (exit, _, err) = Run(["cv", .. Args(json), "--out", Path.Combine(dir, "cv")]);
        Assert.Equal(1, exit);
        Assert.Contains("target 'target' has 3 classes", err);
        Assert.Contains("binary only", err);
        Assert.DoesNotContain("   at ", err);
        Assert.False(Directory.Exists(Path.Combine(dir, "cv")));
    }

    [Fact]
    public void GraphClassificationCv_EqualsCgcnnFitAndPredictProbabilities_OnEachFold_WithTheFoldsStream()
    {
        var (entries, labels, folds) = Data();
        var settings = new Dictionary<string, string> { ["epochs"] = "2", ["atom_fea_len"] = "8", ["h_fea_len"] = "16", ["n_conv"] = "1", ["batch_size"] = "64" };
        var learner = GraphLearners.Parse("cgcnn", settings).OrThrow();
        var graphs = learner.Build(entries.Select(e => e.Structure).ToArray()).OrThrow();
        var splits = PredefinedFolds.FromLabels(folds).OrThrow();
        var target = new TaskTarget.Classes(labels, [0, 1], ["below", "above"]);
        var rng = Rng.FromSeed(11);
        var report = GraphCrossValidation.RunClassification(learner, graphs, target, "synthetic", splits, rng).OrThrow();
        var (streams, _) = rng.SplitMany(splits.Length);
        var options = new CgcnnOptions { Task = CgcnnTask.Classification, Epochs = 2, AtomFeaLen = 8, HFeaLen = 16, NConv = 1, BatchSize = 64 };
        for (var k = 0; k < splits.Length; k++)
        {
            var fit = Cgcnn.Fit(options, splits[k].Train.Select(i => graphs[i]).ToArray(), splits[k].Train.Select(i => (double)labels[i]).ToArray(), streams[k]).OrThrow();
            var p = Cgcnn.PredictProbabilities(fit.Model, splits[k].Test.Select(i => graphs[i]).ToArray());
            var fold = report.Folds[k];
            Assert.Equal(splits[k].Test, fold.TestRows);
            for (var i = 0; i < p.Length; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(p[i][0]), BitConverter.DoubleToInt64Bits(fold.Probabilities[i, 0]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(p[i][1]), BitConverter.DoubleToInt64Bits(fold.Probabilities[i, 1]));
                Assert.Equal(p[i][1] > p[i][0] ? 1 : 0, fold.Predictions[i]);
            }
        }
        Assert.Equal(Rows, report.Confusion.Counts.Sum(r => r.Sum()));

        // The pipeline fitted on fold 0's training structures with fold 0's stream is fold 0's model: it predicts the same probabilities.
        var fitted = FittedPipeline.FitStructures(learner, splits[0].Train.Select(i => entries[i].Structure).ToArray(), splits[0].Train.Select(i => (double)labels[i]).ToArray(),
            new PipelineTarget("synthetic", "", [0, 1], ["below", "above"]), streams[0]).OrThrow();
        var predicted = fitted.Predict(splits[0].Test.Select(i => entries[i].Structure).ToArray()).OrThrow();
        Assert.Equal(report.Folds[0].Probabilities.Data.ToArray(), predicted.Probabilities!.Data.ToArray());
        Assert.Equal(report.Folds[0].Predictions.Select(c => c == 1 ? "above" : "below"), predicted.Labels!);
        // Its model file keeps the 2-output head and the classes, bit for bit.
        var path = Path.Combine(CliRun.TempDir("pm-cgcnn-cls-file-"), "m.pmm");
        ModelFile.Save(fitted, path).OrThrow();
        Assert.Equal(fitted, ModelFile.Load(path).OrThrow().Pipeline);
    }
}
