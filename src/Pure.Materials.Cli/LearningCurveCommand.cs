using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize;
using Pure.Materials.Models;
using Spectre.Console;

namespace Pure.Materials.Cli;

/// <summary>Arguments of <c>learning-curve</c>: data, features, pipeline and splits as in <c>cv</c>, plus sizes, metric and an optional validation parameter.</summary>
/// <remarks><paramref name="Metric"/> null (no --metric): mae for regression, accuracy for classification.</remarks>
internal sealed record LearningCurveArgs(CvArgs Cv, string? Sizes, string? Metric, bool NoShuffle, string? Validation);

/// <summary>The <c>learning-curve</c> command: error against training-set size (or, with --validation, against one parameter), as CSV and SVG.</summary>
internal static class LearningCurveCommand
{
    public static System.CommandLine.Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var (command, cvArgs) = CommonOptions.CvLike("learning-curve",
            "Learning curve: training and test error against training-set size over cross-validation folds (seeded); with --validation name=v1,v2,..., a validation curve against one parameter instead.");
        var sizes = new System.CommandLine.Option<string?>("--sizes") { Description = "Comma-separated fractions of each fold's training rows, in (0, 1]. Default 0.1,0.325,0.55,0.775,1." };
        var metric = Options.Metric();
        var noShuffle = new System.CommandLine.Option<bool>("--no-shuffle") { Description = "Take the first training rows in file order (scikit-learn's default) instead of a seeded shuffle." };
        var validation = new System.CommandLine.Option<string?>("--validation") { Description = "Validation curve over one numeric parameter, e.g. alpha=0.001,0.01,0.1,1,10." };
        command.Add(sizes);
        command.Add(metric);
        command.Add(noShuffle);
        command.Add(validation);
        command.SetAction(r => run(() => Run(new LearningCurveArgs(cvArgs(r), r.GetValue(sizes), Cli.Given(r, metric), r.GetValue(noShuffle), r.GetValue(validation)))));
        return command;
    }

    public static IReadOnlyList<Problem> Run(LearningCurveArgs a)
    {
        var problems = new List<Problem>();
        // The task is detected as cv detects it: a boolean or text-label target gets a classifier and classification metrics.
        var options = CvCommand.ParseTask(a.Cv);
        problems.AddRange(options.Problems());
        var fractions = new List<double>();
        foreach (var s in (a.Sizes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var f)) fractions.Add(f);
            else problems.Add(new Problem("param.invalid_value", $"--sizes value '{s}' is not a number; use fractions such as 0.1,0.5,1"));
        }
        SearchParameter? parameter = null;
        if (a.Validation is not null)
        {
            var parsed = SearchSpace.ParseParameter(a.Validation);
            problems.AddRange(parsed.Problems());
            if (parsed.IsSuccess) parameter = parsed.OrThrow();
            if (parameter is { } sp && (sp.Distribution is not null || sp.Values.Any(v => !double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _))))
                problems.Add(new Problem("param.invalid_value", $"--validation {a.Validation}: list numeric values, e.g. alpha=0.01,0.1,1"));
        }
        if (problems.Count > 0) return problems;
        var (spec, featurizers, pipeline, splitKind, kind) = options.OrThrow();
        var metric = a.Metric ?? (kind == TaskKind.Regression ? "mae" : "accuracy");
        var total = System.Diagnostics.Stopwatch.StartNew();
        var fixedSettings = a.Cv.Set.Select(s => s.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim());
        var seconds = new Dictionary<string, double>();

        Step<Curve> CurveStep(TaskTarget y, FeatureSet fs, IReadOnlyList<Split.TrainTest> splits) => parameter is { } p
            ? from candidates in Step.From(() => SearchSpace.Candidates(kind, a.Cv.Model, fixedSettings,
                  p.Values.Select(v => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { [p.Name] = v }), pipeline.Impute, pipeline.Scale))
              from curve in Step.Random(rng => Curves.Validation(metric, p.Name,
                  candidates.Select((c, i) => (double.Parse(p.Values[i], CultureInfo.InvariantCulture), c.Pipeline.WithCategorical(fs.Categorical, a.Cv.Encoding))), fs.X, y, splits, rng))
              select curve
            : Step.Random(rng => Curves.Learning(new LearningCurveOptions(fractions.Count > 0 ? fractions : null, metric, !a.NoShuffle),
                pipeline.WithCategorical(fs.Categorical, a.Cv.Encoding), fs.X, y, splits, rng));

        IReadOnlyList<string>? featureNames = null;
        var experiment =
            from table in CvCommand.Timed("load", seconds, () => BundledData.OpenPathOrName(a.Cv.Data))
            from dataset in CvCommand.Timed("parse", seconds, () => Dataset.FromTable(spec, table))
            from target in Step.From(() => TaskTarget.FromDataset(dataset, kind, a.Cv.TargetUnit))
            from features in CvCommand.Timed("featurize", seconds, () => CompositionFeaturizers.Build(featurizers, dataset).Bind(f => CvCommand.FiniteUnlessImputed(pipeline.Impute, f, dataset))
                .Map(f => { featureNames = f.Labels; CvCommand.CategoricalNote(dataset); return f; }))
            from splits in CvCommand.MakeSplits(splitKind, table, dataset, CvCommand.SplitFeatures(splitKind, features))
            from curve in CvCommand.Timed("curve", seconds, CurveStep(target, features, splits))
            select (dataset, target, features, curve, splits);
        var result = Progress.Wrap("computing the curve", () => experiment.Run(a.Cv.Seed));
        if (result.IsFail) return CvCommand.Locate(result.Problems(), new SkippedRows(), featureNames);
        var (ds, y, fs, c, usedSplits) = result.OrThrow();
        seconds["total"] = total.Elapsed.TotalSeconds;

        var t = new Table().AddColumn(c.XName).AddColumn(new TableColumn($"train {metric}").RightAligned()).AddColumn(new TableColumn("std").RightAligned())
            .AddColumn(new TableColumn($"test {metric}").RightAligned()).AddColumn(new TableColumn("std").RightAligned());
        foreach (var p in c.Points)
            t.AddRow(Markup.Escape(p.Label), Cli.F(p.Train.Mean), Cli.F(p.Train.Std), Cli.F(p.Test.Mean), Cli.F(p.Test.Std));
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(a.Cv.Data)}[/]: {ds.Count} rows, model {pipeline.Name}, {c.Folds} folds, seed {a.Cv.Seed}");
        AnsiConsole.Write(t);
        if (a.Cv.Out is not null)
        {
            using var dir = new Outputs.Directory(a.Cv.Out);
            var name = parameter is null ? "learning_curve" : "validation_curve";
            WriteCsv(dir.File(name + ".csv"), c);
            var svg = Plots.CurveSvg(c, new PlotOptions(Quantity: a.Cv.Target, Unit: a.Cv.TargetUnit));
            if (svg.IsFail) return svg.Problems();
            File.WriteAllText(dir.File(name + ".svg"), svg.OrThrow());
            File.WriteAllText(dir.File("report.json"), new RunReport
            {
                Command = "learning-curve",
                Seed = a.Cv.Seed,
                TargetName = a.Cv.Target,
                Target = y,
                Pipeline = pipeline,
                Options =
                [
                    .. CvCommand.ReportOptions(a.Cv, ds), new("sizes", fractions.Count > 0 ? fractions : LearningCurveOptions.DefaultTrainSizes),
                    new("metric", metric), new("shuffle", !a.NoShuffle), new("validation", a.Validation),
                ],
                Split = CvCommand.Describe(splitKind),
                Rows = ds.Count,
                Features = fs.Labels.Count,
                Folds = usedSplits.Select(t => (t.Train.Length, t.Test.Length)).ToArray(),
                Metrics = RunReport.FromCurve(c),
                Curve = c,
                Seconds = seconds,
            }.ToJson());
            dir.Commit();
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(a.Cv.Out)}[/]: {name}.csv, {name}.svg, report.json");
        }
        return [];
    }

    internal static void WriteCsv(string path, Curve c)
    {
        using var w = new StreamWriter(path);
        Csv.Write(w, ["x", "label", $"train_{c.Metric}_mean", $"train_{c.Metric}_std", $"test_{c.Metric}_mean", $"test_{c.Metric}_std"],
            c.Points.Select(p => (IEnumerable<string>)[Csv.Format(p.X), p.Label, Csv.Format(p.Train.Mean), Csv.Format(p.Train.Std), Csv.Format(p.Test.Mean), Csv.Format(p.Test.Std)]));
    }
}
