using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Spectre.Console;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Cli;

/// <summary>The classification side of <c>cv</c>: <c>--task classification</c>, or a boolean or text-label target when <c>--task</c> is not given.</summary>
/// <remarks>Whole-number targets stay regression unless --task classification is given: in materials tables a whole number is usually a
/// quantity (atoms per cell, space-group number, coordination number), not a class code.</remarks>
internal static class ClassificationCv
{
    /// <summary>Decides the task exactly as <c>cv</c> always has (<see cref="TaskTarget.Detect"/>): --task when given, else classification for a
    /// boolean (True/False, yes/no) or text-label target, regression for numbers (whole numbers included).</summary>
    /// <returns>The task, or a problem for a bad --task value or a boolean/text target with --task regression.</returns>
    public static Validation<Problem, TaskKind> DetectTask(CvArgs a)
    {
        TaskKind? asked = a.Task switch
        {
            null => null,
            "classification" => TaskKind.Classification,
            "regression" => TaskKind.Regression,
            _ => (TaskKind?)(-1),
        };
        if (asked == (TaskKind)(-1))
            return Valid.Fail<TaskKind>("param.invalid_value", $"--task {a.Task} is not accepted; use classification or regression (default: classification for a boolean or text-label target)");
        if (asked == TaskKind.Classification) return Valid.Ok(TaskKind.Classification);
        // The library names its own terms; the command line names its flags.
        return (a.Table is { } inMemory ? Valid.Ok(inMemory) : BundledData.OpenPathOrName(a.Data, keepRaggedRows: a.OnError == "skip")).Bind(table => TaskTarget.Detect(table, a.Target, asked))
            .MapFail(p => p.Code == "data.non_numeric_target"
                ? p with { Message = p.Message.Replace("regression (asked) needs a numeric target; leave the task to detection (this target is then classified) or choose a numeric target column",
                    "--task regression needs a numeric target; drop --task (this target is then classified) or choose a numeric --target") }
                : p);
    }

    /// <summary>Parses the options of a classification run: the shared data, feature, imputation, scaling and split options as for regression,
    /// and the classifier from <see cref="Classifiers.Registry"/> (its declared default scaling unless --scale is given).</summary>
    public static Validation<Problem, (DatasetSpec, ICompositionFeaturizer[], ClassifierPipelineOptions, CvCommand.SplitKind)> ParseOptions(CvArgs a)
    {
        var problems = new List<Problem>();
        var settings = new Dictionary<string, string>();
        foreach (var s in a.Set)
        {
            var eq = s.IndexOf('=');
            if (eq <= 0) problems.Add(new Problem("param.invalid_value", $"--set '{s}' is not key=value (e.g. --set C=0.5)"));
            else settings[s[..eq].Trim()] = s[(eq + 1)..].Trim();
        }
        var learner = Classifiers.Parse(a.Model, settings);
        problems.AddRange(learner.Problems());
        // The shared options (data, features, impute, scale, split) parse as for regression; the learner is checked above.
        // Default scaling as for regression: standard for the linear/distance classifiers, none for trees (as "rf").
        var shared = CvCommand.ParseOptions(a with { Model = Pure.Materials.Pipelines.TreeClassifiers.Names.Contains(a.Model) ? "rf" : "ridge", Set = [] });
        problems.AddRange(shared.Problems());
        if (problems.Count > 0) return Valid.Fail<(DatasetSpec, ICompositionFeaturizer[], ClassifierPipelineOptions, CvCommand.SplitKind)>(problems);
        var (spec, featurizers, regressionPipeline, splitKind) = shared.OrThrow();
        return Valid.Ok((spec with { ClassLabels = true }, featurizers, new ClassifierPipelineOptions(regressionPipeline.Impute, regressionPipeline.Scale, learner.OrThrow()), splitKind));
    }

    /// <summary>Prints a classification cross-validation (run by <see cref="CvCommand.Run"/>) and writes its outputs: report.json,
    /// predictions.csv with class probabilities, confusion.svg, and loss.svg for a learner trained by epochs (mlp).</summary>
    public static IReadOnlyList<Problem> Write(CvArgs a, Dataset ds, TaskTarget.Classes y, FeatureSet fs, ClassifierPipelineOptions pipeline, ClassificationReport cv,
        RunReport runReport, SkippedRows skipped, int rowsRead, Dictionary<string, double> seconds, IReadOnlyList<LossCurve>? lossCurves = null)
    {
        var names = y.Labels.ToArray();
        lossCurves ??= [];
        if (a.Json) Console.WriteLine(runReport.ToJson());
        else Print(a, ds, fs, pipeline, cv, names, seconds);
        if (a.Verbose) CvCommand.PrintLossCurves(lossCurves, "mean log-loss; training: loss_curve_ with the L2 term");
        if (a.Out is not null)
        {
            using var dir = new Outputs.Directory(a.Out);
            File.WriteAllText(dir.File("report.json"), runReport.ToJson());
            WritePredictions(dir.File("predictions.csv"), ds, y.Codes, cv, names);
            File.WriteAllText(dir.File("confusion.svg"), ConfusionMatrixPlot.ToSvg(cv.Confusion, names,
                $"{pipeline.Learner.Name} on {Path.GetFileNameWithoutExtension(a.Data)}: '{a.Target}', out-of-fold"));
            var lossSvg = CvCommand.WriteLossSvg(dir, lossCurves, pipeline.Learner.Name, a, "Loss, mean log-loss");
            skipped.Report(a.OnError, a.SkippedReport, dir, rowsRead);
            dir.Commit();
            if (a.Verbose) AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(a.Out)}[/]: report.json, predictions.csv, confusion.svg{(lossSvg ? ", loss.svg" : "")}");
        }
        else skipped.Report(a.OnError, a.SkippedReport, null, rowsRead);
        return [];
    }

    /// <summary>Metrics shown in the console table (report.json has all of them).</summary>
    private static readonly string[] Shown = ["accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc", "log_loss"];

    private static void Print(CvArgs a, Dataset ds, FeatureSet fs, ClassifierPipelineOptions p, ClassificationReport cv, string[] names, Dictionary<string, double> seconds)
    {
        if (a.Verbose) PrintTable(a, ds, fs, p, cv, names, seconds);
        var m = cv.Summary;
        var folds = cv.Folds.Count;
        // A plain, grep-able summary line (all that --quiet prints).
        Console.WriteLine(folds == 1
            ? $"test accuracy {Cli.F(m["accuracy"].Mean)}, balanced accuracy {Cli.F(m["balanced_accuracy"].Mean)}, F1 {Cli.F(m["f1"].Mean)}, ROC-AUC {Cli.F(m["roc_auc"].Mean)} on one split ({cv.Folds[0].TestRows.Count} test rows)"
            : $"mean accuracy {Cli.F(m["accuracy"].Mean)} (std {Cli.F(m["accuracy"].Std)}), mean balanced accuracy {Cli.F(m["balanced_accuracy"].Mean)}, mean F1 {Cli.F(m["f1"].Mean)}, mean ROC-AUC {Cli.F(m["roc_auc"].Mean)} over {folds} folds" +
              (cv.Pooled is { } p2 ? $"; pooled accuracy {Cli.F(p2.Accuracy)}, ROC-AUC {Cli.F(p2.RocAuc)}" : ""));
    }

    private static void PrintTable(CvArgs a, Dataset ds, FeatureSet fs, ClassifierPipelineOptions p, ClassificationReport cv, string[] names, Dictionary<string, double> seconds)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(a.Data)}[/]: {ds.Count} rows, {fs.Labels.Count} features, classification of '{Markup.Escape(a.Target)}' ({string.Join(", ", names)})");
        AnsiConsole.MarkupLine($"model {p.Learner.Name} ({Markup.Escape(string.Join(", ", p.Learner.Parameters.Select(kv => $"{kv.Key}={kv.Value}")))}), impute {p.Impute.ToString().ToLowerInvariant()}, scale {p.Scale.ToString().ToLowerInvariant()}, seed {a.Seed}");
        Cli.PrintFoldTable(new TaskReport.Classification(cv), Shown, key => key);
        Console.WriteLine("confusion matrix, all folds (rows: true, columns: predicted):");
        Console.WriteLine(cv.Confusion.ToText(names));
        AnsiConsole.MarkupLine("seconds: " + string.Join(", ", seconds.Select(kv => $"{kv.Key} {Cli.F(kv.Value, "0.000")}")));
    }

    private static void WritePredictions(string path, Dataset ds, IReadOnlyList<int> y, ClassificationReport cv, string[] names)
    {
        using var writer = new StreamWriter(path);
        var rows = cv.Folds.SelectMany(f => f.TestRows.Select((r, k) => (Row: r, f.Fold, Pred: f.Predictions[k], Proba: f.Probabilities.Row(k).ToArray()))).OrderBy(t => t.Row);
        var index = cv.Classes.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i);
        Csv.Write(writer, ["id", "formula", "fold", "y_true", "y_pred", .. names.Select(n => $"p_{n}")], rows.Select(t => (IEnumerable<string>)
        [
            ds.Ids[t.Row], ds.Formulas?[t.Row] ?? "", t.Fold.ToString(CultureInfo.InvariantCulture), names[index[y[t.Row]]], names[index[t.Pred]],
            .. t.Proba.Select(Csv.Format),
        ]));
    }
}
