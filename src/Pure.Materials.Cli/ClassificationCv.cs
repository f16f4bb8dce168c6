using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Spectre.Console;

namespace Pure.Materials.Cli;

/// <summary>The classification side of <c>cv</c>: <c>--task classification</c>, or a boolean or text-label target when <c>--task</c> is not given.</summary>
/// <remarks>Whole-number targets stay regression unless --task classification is given: in materials tables a whole number is usually a
/// quantity (atoms per cell, space-group number, coordination number), not a class code.</remarks>
internal static class ClassificationCv
{
    /// <summary>Decides the task: problems for a bad --task value or a text target with --task regression, else true for classification.</summary>
    /// <remarks>Without --task, a boolean target (True/False, yes/no) or a target of text labels (every non-missing cell non-numeric,
    /// e.g. cubic/tetragonal) is classification; numbers, whole numbers included, are regression (see <see cref="Dataset.DetectTargetKind(IEnumerable{string})"/>).</remarks>
    public static Validation<Problem, bool> IsClassification(CvArgs a)
    {
        switch (a.Task)
        {
            case "classification": return Valid.Ok(true);
            case "regression":
                return BundledData.OpenPathOrName(a.Data, keepRaggedRows: a.OnError == "skip").Bind(table =>
                {
                    var j = table.Header.ToList().IndexOf(a.Target);
                    if (j < 0) return Valid.Ok(false); // the missing column is reported when the data set is loaded
                    var kind = Dataset.DetectTargetKind(table.Rows.Where(r => j < r.Length).Select(r => r[j]));
                    if (kind == TargetKind.Numeric) return Valid.Ok(false);
                    var row = table.Rows.Select((r, i) => (Cell: j < r.Length ? r[j].Trim() : "", Row: i + 1)).First(t => Dataset.DetectTargetKind([t.Cell]) != TargetKind.Numeric);
                    return Valid.Fail<bool>(new Problem("data.non_numeric_target",
                        $"'{row.Cell}' is a {(kind == TargetKind.Boolean ? "boolean" : "class label")}, not a number: --task regression needs a numeric target; drop --task (this target is then classified) or choose a numeric --target",
                        row.Row, a.Target));
                });
            case null:
                // Auto-detect: a boolean target or a target of text labels is classification; numbers (whole numbers too) are regression.
                return BundledData.OpenPathOrName(a.Data, keepRaggedRows: a.OnError == "skip").Map(table =>
                {
                    var j = table.Header.ToList().IndexOf(a.Target);
                    return j >= 0 && Dataset.DetectTargetKind(table.Rows.Where(r => j < r.Length).Select(r => r[j])) != TargetKind.Numeric;
                });
            default:
                return Valid.Fail<bool>("param.invalid_value", $"--task {a.Task} is not accepted; use classification or regression (default: classification for a boolean or text-label target)");
        }
    }

    /// <summary>For the verbs that fit regression learners only (search, learning-curve, explain): detects the target's kind exactly as
    /// <c>cv</c> does and refuses a classification target (boolean or text labels, or <c>--task classification</c>) with one problem,
    /// instead of silently regressing on 0/1 codes.</summary>
    /// <returns>Null when the target is numeric and regression applies; otherwise the problems.</returns>
    public static IReadOnlyList<Problem>? RegressionOnly(string verb, CvArgs a)
    {
        var task = IsClassification(a);
        if (task.IsFail) return task.Problems();
        return task.OrThrow()
            ? [new Problem("param.unsupported_task",
                $"target '{a.Target}' holds classes (a boolean or text labels{(a.Task == "classification" ? ", or --task classification" : "")}); {verb} fits regression " +
                $"learners only in this release and would treat the classes as numbers: use cv --task classification --model NAME per candidate, or a numeric --target",
                Column: a.Target)]
            : null;
    }

    public static IReadOnlyList<Problem> Run(CvArgs a)
    {
        var total = Stopwatch.StartNew();
        var seconds = new Dictionary<string, double>();
        var problems = new List<Problem>();
        var settings = new Dictionary<string, string>();
        foreach (var s in a.Set)
        {
            var eq = s.IndexOf('=');
            if (eq <= 0) problems.Add(new Problem("param.invalid_value", $"--set '{s}' is not key=value (e.g. --set C=0.5)"));
            else settings[s[..eq].Trim()] = s[(eq + 1)..].Trim();
        }
        var learner = a.Model == "rf" && !Classifiers.Names.Contains("rf")
            ? Valid.Fail<ClassifierLearner>("param.unknown_model", $"model 'rf' is a regressor; for classification use --model one of {string.Join(", ", Classifiers.Names)}")
            : Classifiers.Parse(a.Model, settings);
        problems.AddRange(learner.Problems());
        // The shared options (data, features, impute, scale, split) parse as for regression; the learner is checked above.
        // Default scaling as for regression: standard for the linear/distance classifiers, none for trees (as "rf").
        var shared = CvCommand.ParseOptions(a with { Model = Pure.Materials.Models.Trees.TreeClassifiers.Names.Contains(a.Model) ? "rf" : "ridge", Set = [] });
        problems.AddRange(shared.Problems());
        if (problems.Count > 0) return problems;
        var (spec, featurizers, regressionPipeline, splitKind) = shared.OrThrow();
        spec = spec with { ClassLabels = true };
        var pipeline = new ClassifierPipelineOptions(regressionPipeline.Impute, regressionPipeline.Scale, learner.OrThrow());

        var skipped = new SkippedRows();
        var rowsRead = 0;
        IReadOnlyList<string>? featureNames = null;
        var experiment =
            from table in CvCommand.Timed("load", seconds, () => BundledData.OpenPathOrName(a.Data, keepRaggedRows: a.OnError == "skip")
                .Bind(t => { rowsRead = t.Rows.Count; return skipped.Apply(a.OnError, spec, featurizers, t); }))
            from dataset in CvCommand.Timed("parse", seconds, () => Dataset.FromTable(spec, table))
            from labels in Step.From(() => Labels(dataset))
            from features in CvCommand.Timed("featurize", seconds, () => CompositionFeaturizers.Build(featurizers, dataset).Bind(f => CvCommand.FiniteUnlessImputed(pipeline.Impute, f, dataset))
                .Map(f => { featureNames = f.Labels; return f; }))
            from splits in CvCommand.MakeSplits(splitKind, table, dataset)
            from report in CvCommand.Timed("cross_validate", seconds, Step.Random(rng => ClassificationCrossValidation.Run(pipeline, features.X, labels, splits, rng)))
            select (dataset, labels, features, report);
        var result = Progress.Wrap("cross-validating", () => experiment.Run(a.Seed));
        if (result.IsFail) return CvCommand.Locate(result.Problems(), skipped, featureNames);
        var (ds, y, fs, cv) = result.OrThrow();
        seconds["total"] = total.Elapsed.TotalSeconds;
        var names = ClassNames(ds, cv.Classes);

        Print(a, ds, fs, pipeline, cv, names, seconds);
        if (a.Out is not null)
        {
            using var dir = new Outputs.Directory(a.Out);
            WriteReport(dir.File("report.json"), a, ds, fs, pipeline, cv, names, seconds);
            WritePredictions(dir.File("predictions.csv"), ds, y, cv, names);
            File.WriteAllText(dir.File("confusion.svg"), ConfusionMatrixPlot.ToSvg(cv.Confusion, names,
                $"{pipeline.Learner.Name} on {Path.GetFileNameWithoutExtension(a.Data)}: '{a.Target}', out-of-fold"));
            skipped.Report(a.OnError, a.SkippedReport, dir, rowsRead);
            dir.Commit();
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(a.Out)}[/]: report.json, predictions.csv, confusion.svg");
        }
        else skipped.Report(a.OnError, a.SkippedReport, null, rowsRead);
        return [];
    }

    /// <summary>Class labels: booleans as 0/1, text labels as their class index, or whole numbers.</summary>
    private static Validation<Problem, int[]> Labels(Dataset ds)
    {
        var t = ds.Target!;
        for (var i = 0; i < t.Count; i++)
            if (!(t[i] == Math.Floor(t[i]) && Math.Abs(t[i]) <= int.MaxValue))
                return Valid.Fail<int[]>(new Problem("data.non_label_target",
                    $"classification needs class labels (a boolean target or whole numbers), found {t[i].ToString(CultureInfo.InvariantCulture)}; use --task regression for a continuous target",
                    i + 1, ds.TargetName));
        return Valid.Ok(t.Select(v => (int)v).ToArray());
    }

    private static string[] ClassNames(Dataset ds, IReadOnlyList<int> classes) =>
        classes.Select(c => ds.TargetKind switch
        {
            TargetKind.Boolean => c == 1 ? "True" : "False",
            TargetKind.Label => ds.ClassNames![c],
            _ => c.ToString(CultureInfo.InvariantCulture),
        }).ToArray();

    /// <summary>Metrics shown in the console table (report.json has all of them).</summary>
    private static readonly string[] Shown = ["accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc", "log_loss"];

    private static void Print(CvArgs a, Dataset ds, FeatureSet fs, ClassifierPipelineOptions p, ClassificationReport cv, string[] names, Dictionary<string, double> seconds)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(a.Data)}[/]: {ds.Count} rows, {fs.Labels.Count} features, classification of '{Markup.Escape(a.Target)}' ({string.Join(", ", names)})");
        AnsiConsole.MarkupLine($"model {p.Learner.Name} ({Markup.Escape(string.Join(", ", p.Learner.Parameters.Select(kv => $"{kv.Key}={kv.Value}")))}), impute {p.Impute.ToString().ToLowerInvariant()}, scale {p.Scale.ToString().ToLowerInvariant()}, seed {a.Seed}");
        var table = new Table().AddColumn("fold").AddColumn("n_test");
        foreach (var key in Shown) table.AddColumn(new TableColumn(key).RightAligned());
        foreach (var f in cv.Folds)
            table.AddRow([f.Fold.ToString(CultureInfo.InvariantCulture), f.TestRows.Count.ToString(CultureInfo.InvariantCulture),
                .. Shown.Select(k => Cli.F(ClassificationReport.Metric(f.Scores, k)))]);
        table.AddRow(["mean", "", .. Shown.Select(k => Cli.F(cv.Summary[k].Mean))]);
        table.AddRow(["std", "", .. Shown.Select(k => Cli.F(cv.Summary[k].Std))]);
        AnsiConsole.Write(table);
        Console.WriteLine("confusion matrix, all folds (rows: true, columns: predicted):");
        Console.WriteLine(cv.Confusion.ToText(names));
        AnsiConsole.MarkupLine("seconds: " + string.Join(", ", seconds.Select(kv => $"{kv.Key} {Cli.F(kv.Value, "0.000")}")));
        Console.WriteLine($"mean accuracy {Cli.F(cv.Summary["accuracy"].Mean)} (std {Cli.F(cv.Summary["accuracy"].Std)}), mean balanced accuracy {Cli.F(cv.Summary["balanced_accuracy"].Mean)}, mean F1 {Cli.F(cv.Summary["f1"].Mean)}, mean ROC-AUC {Cli.F(cv.Summary["roc_auc"].Mean)} over {cv.Folds.Count} folds");
    }

    private static JsonObject Confusion(ConfusionMatrix c, string[] names) => new()
    {
        ["labels"] = new JsonArray([.. names.Select(n => JsonValue.Create(n))]),
        ["counts"] = new JsonArray([.. c.Counts.Select(r => (JsonNode)new JsonArray([.. r.Select(v => JsonValue.Create(v))]))]),
    };

    private static void WriteReport(string path, CvArgs a, Dataset ds, FeatureSet fs, ClassifierPipelineOptions p, ClassificationReport cv, string[] names, Dictionary<string, double> seconds)
    {
        var metrics = ReportJson.Metrics(ClassificationReport.MetricKeys, key => cv.Folds.Select(f => ClassificationReport.Metric(f.Scores, key)), key => cv.Summary[key]);
        var report = new JsonObject
        {
            ["tool"] = "pure-materials",
            ["version"] = typeof(Dataset).Assembly.GetName().Version?.ToString(),
            ["task"] = "classification",
            ["options"] = new JsonObject
            {
                ["data"] = a.Data,
                ["target"] = a.Target,
                ["formula_column"] = a.FormulaColumn,
                ["featurizers"] = a.Featurizers,
                ["feature_columns"] = new JsonArray([.. ds.ColumnFeatureNames.Select(s => JsonValue.Create(s))]),
                ["impute"] = p.Impute.ToString().ToLowerInvariant(),
                ["scale"] = p.Scale.ToString().ToLowerInvariant(),
                ["model"] = p.Learner.Name,
                ["parameters"] = new JsonObject(p.Learner.Parameters.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
                ["folds"] = a.Folds,
                ["fold_column"] = a.FoldColumn,
                ["test_fraction"] = a.TestFraction,
                ["stratify"] = a.Stratify,
                ["groups"] = a.Groups,
            },
            ["seed"] = a.Seed,
            ["n_rows"] = ds.Count,
            ["n_features"] = fs.Labels.Count,
            ["n_folds"] = cv.Folds.Count,
            ["classes"] = new JsonArray([.. names.Select(n => JsonValue.Create(n))]),
            ["positive_class"] = names.Length == 2 ? names[1] : null,
            ["metrics"] = metrics,
            ["confusion_matrix"] = Confusion(cv.Confusion, names),
            ["confusion_matrix_per_fold"] = new JsonArray([.. cv.Folds.Select(f => (JsonNode)Confusion(f.Scores.Confusion, names))]),
            ["seconds"] = new JsonObject(seconds.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
        };
        File.WriteAllText(path, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static void WritePredictions(string path, Dataset ds, int[] y, ClassificationReport cv, string[] names)
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
