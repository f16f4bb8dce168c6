using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize;
using Pure.Materials.Models;
using Pure.Materials.Models.Explain;
using Pure.Materials.Scale;
using Spectre.Console;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Cli;

/// <summary>Arguments of <c>explain</c>: data, features and model as in <c>cv</c>, plus permutation repeats, SHAP rows and bars shown.</summary>
internal sealed record ExplainArgs(CvArgs Cv, int Repeats, int ShapRows, int Top);

/// <summary>The <c>explain</c> command: fit a tree model on the training side of the first split, explain it on the test side.</summary>
internal static class ExplainCommand
{
    public static System.CommandLine.Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var (command, cvArgs) = CommonOptions.CvLike("explain",
            "Explain a tree model (rf, extra-trees, tree, gbm): fit on the training rows of the first split (fold 0 of --fold-column/--folds, or --test-fraction), " +
            "then write importances.csv (plain CSV: impurity importance, seeded permutation importance on the test rows, mean |SHAP| from exact TreeSHAP), explain.json (model, seed, rows, baseline) and shap.svg. " +
            "A boolean or text-label target is detected as cv does and explained as a classifier (rf, extra-trees, tree): permutation importance is the drop in accuracy, SHAP values are in units of the probability of the last class.");
        var repeats = new System.CommandLine.Option<int>("--repeats") { Description = "Permutations per feature for permutation importance.", DefaultValueFactory = _ => 5 };
        var shapRows = new System.CommandLine.Option<int>("--shap-rows") { Description = "Test rows explained with TreeSHAP (a seeded sample when there are more; 0 = all).", DefaultValueFactory = _ => 200 };
        var top = Options.Top();
        command.Add(repeats);
        command.Add(shapRows);
        command.Add(top);
        command.SetAction(r => run(() => Run(new ExplainArgs(cvArgs(r), r.GetValue(repeats), r.GetValue(shapRows), r.GetValue(top)))));
        return command;
    }

    public static IReadOnlyList<Problem> Run(ExplainArgs a)
    {
        var problems = new List<Problem>();
        // The task is detected as cv detects it: a boolean or text-label target is explained as a classifier (rf): permutation importance
        // as the drop in accuracy, SHAP values in units of the probability of the last class.
        var options = CvCommand.ParseTask(a.Cv);
        problems.AddRange(options.Problems());
        if (a.Repeats < 1) problems.Add(new Problem("param.out_of_range", $"--repeats is {a.Repeats}; expected at least 1"));
        if (a.ShapRows < 0) problems.Add(new Problem("param.out_of_range", $"--shap-rows is {a.ShapRows}; expected 0 (all) or more"));
        if (a.Cv.Out is null) problems.Add(new Problem("param.missing", "explain writes files: give --out DIRECTORY"));
        if (problems.Count > 0) return problems;
        var (spec, featurizers, pipeline, splitKind, kind) = options.OrThrow();
        if (pipeline.Scale != ScaleStrategy.None)
            return [new Problem("param.conflict", $"--scale {pipeline.Scale.ToString().ToLowerInvariant()}: SHAP values are reported on the model's input features; use --scale none (the default for trees)")];
        var seconds = new Dictionary<string, double>();

        IReadOnlyList<string>? featureNames = null;
        var experiment =
            from table in CvCommand.Timed("load", seconds, () => BundledData.OpenPathOrName(a.Cv.Data))
            from dataset in CvCommand.Timed("parse", seconds, () => Dataset.FromTable(spec, table))
            from target in Step.From(() => TaskTarget.FromDataset(dataset, kind, a.Cv.TargetUnit))
            from features in CvCommand.Timed("featurize", seconds, () => CompositionFeaturizers.Build(featurizers, dataset).Bind(f => CvCommand.FiniteUnlessImputed(pipeline.Impute, f, dataset))
                .Map(f => { featureNames = f.Labels; return f; })
                .Bind(f => f.Categorical.Count == 0 ? Valid.Ok(f) : Valid.Fail<FeatureSet>("param.unsupported", $"explain reports SHAP values on the model's input columns and does not one-hot encode categorical columns yet ('{f.Categorical[0].Name}'); leave it out of --feature-columns/--categorical-columns here (cv, fit, search and learning-curve encode it)", null, f.Categorical[0].Name)))
            from splits in CvCommand.MakeSplits(splitKind, table, dataset, features.X)
            // The explanation takes the experiment's stream as it is and leaves the stream its three draws (fit, permutation, SHAP rows) left.
            from result in CvCommand.Timed("explain", seconds, new Step<Explanation>(rng =>
                Explanations.Explain(new ExplainOptions(a.Repeats, a.ShapRows), pipeline, features.X, target, splits[0], rng)
                    .Map(e => (e, rng.Split().Right.Split().Right.Split().Right))))
            select (features, result);
        var outcome = Progress.Wrap("explaining", () => experiment.Run(a.Cv.Seed));
        if (outcome.IsFail) return CvCommand.Locate(outcome.Problems(), new SkippedRows(), featureNames);
        var (fs, e) = outcome.OrThrow();
        var (ensemble, perm, shap, nTrain, nTest) = (e.Ensemble, e.Permutation, e.Shap, e.TrainRows, e.TestRows);
        var scoreName = e.Scoring == "r2" ? "R^2" : e.Scoring;

        var meanAbs = shap.MeanAbsolute();
        using var dir = new Outputs.Directory(a.Cv.Out!);
        var csvPath = dir.File("importances.csv");
        using (var writer = new StreamWriter(csvPath))
        {
            static string N(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);
            Csv.Write(writer, ["feature", "impurity_importance", "permutation_importance_mean", "permutation_importance_std", "mean_abs_shap"],
                Enumerable.Range(0, fs.Labels.Count).Select(j => (IEnumerable<string>)
                [
                    fs.Labels[j], ensemble.ImpurityImportances is { } imp ? N(imp[j]) : "", N(perm.Mean[j]), N(perm.Std[j]), N(meanAbs[j]),
                ]));
        }
        // What the run was, beside the plain CSV (a comment line inside it broke report and pandas): printed and in explain.json.
        static JsonNode? J(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
        var run = new JsonObject
        {
            ["command"] = "explain",
            ["task"] = kind == TaskKind.Regression ? "regression" : "classification",
            ["model"] = pipeline.Name,
            ["parameters"] = new JsonObject(pipeline.Parameters.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
            ["seed"] = a.Cv.Seed,
            ["train_rows"] = nTrain,
            ["test_rows"] = nTest,
            ["permutation_repeats"] = a.Repeats,
            ["permutation_score"] = $"{e.Scoring} decrease",
            [$"baseline_{e.Scoring}"] = J(perm.BaselineScore),
            ["shap_rows"] = shap.Values.Rows,
            ["shap_expected_value"] = J(shap.ExpectedValue),
            ["shap_output"] = kind == TaskKind.Regression ? (a.Cv.TargetUnit.Length > 0 ? $"{a.Cv.Target} ({a.Cv.TargetUnit})" : a.Cv.Target) : e.ShapOutput,
        };
        File.WriteAllText(dir.File("explain.json"), run.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var summary = $"model {pipeline.Name} ({string.Join(" ", pipeline.Parameters.Select(kv => $"{kv.Key}={kv.Value}"))}), seed {a.Cv.Seed}, " +
            $"train rows {nTrain}, test rows {nTest}, permutation repeats {a.Repeats} ({scoreName} decrease; baseline {scoreName} {Cli.F(perm.BaselineScore)}), SHAP rows {shap.Values.Rows}, expected value {Cli.F(shap.ExpectedValue)}" +
            (kind == TaskKind.Classification ? $", SHAP values in units of {e.ShapOutput}" : "");
        var unit = kind == TaskKind.Classification ? $" ({e.ShapOutput})" : a.Cv.TargetUnit.Length > 0 ? $" ({a.Cv.TargetUnit})" : "";
        File.WriteAllText(dir.File("shap.svg"), ImportanceChart.ToSvg(fs.Labels, meanAbs,
            $"{pipeline.Name} on {Path.GetFileNameWithoutExtension(a.Cv.Data)}: mean |SHAP| over {shap.Values.Rows} test rows", $"mean |SHAP value|{unit}", a.Top));

        dir.Commit();
        var shown = new Table().AddColumn("feature").AddColumn(new TableColumn("mean |SHAP|").RightAligned())
            .AddColumn(new TableColumn("permutation").RightAligned()).AddColumn(new TableColumn("impurity").RightAligned());
        foreach (var j in Enumerable.Range(0, meanAbs.Length).OrderByDescending(j => meanAbs[j]).Take(Math.Min(10, a.Top)))
            shown.AddRow(Markup.Escape(fs.Labels[j]), Cli.F(meanAbs[j]), Cli.F(perm.Mean[j]), ensemble.ImpurityImportances is { } imp ? Cli.F(imp[j]) : "");
        AnsiConsole.Write(shown);
        Console.WriteLine(summary);
        AnsiConsole.MarkupLine("seconds: " + string.Join(", ", seconds.Select(kv => $"{kv.Key} {Cli.F(kv.Value, "0.000")}")));
        AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(a.Cv.Out!)}[/]: importances.csv, explain.json, shap.svg");
        return [];
    }
}
