using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize;
using Pure.Materials.Models;
using Pure.Materials.Split;
using Spectre.Console;

namespace Pure.Materials.Cli;

/// <summary>Arguments of <c>search</c>: the data, features and pipeline as in <c>cv</c>, plus the searched parameters.</summary>
/// <remarks><paramref name="Metric"/> null (no --metric) ranks by the task's default: mae for regression, accuracy for classification
/// (scikit-learn's default score of a classifier).</remarks>
internal sealed record SearchArgs(CvArgs Cv, string[] Grid, int? Random, string? Metric, bool Nested, int InnerFolds)
{
    /// <summary>The ranking metric for a task.</summary>
    public string MetricFor(TaskKind kind) => Metric ?? (kind == TaskKind.Regression ? "mae" : "accuracy");
}

/// <summary>The <c>search</c> command: grid or seeded random search with cross-validation; optional held-out test or nested CV.</summary>
internal static class SearchCommand
{
    public static System.CommandLine.Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var (command, cvArgs) = CommonOptions.CvLike("search",
            "Search model parameters with cross-validation: every candidate with mean and std of each metric. With --test-fraction, the selected model's error on a held-out test split is reported once, after selection.",
            onError: true);
        var grid = new System.CommandLine.Option<string[]>("--grid") { Description = "Searched parameter, name=v1,v2,... (random search also takes name=loguniform(a,b), uniform(a,b), randint(a,b)); repeat per parameter.", DefaultValueFactory = _ => [] };
        var random = new System.CommandLine.Option<int?>("--random") { Description = "Seeded random search with N candidates instead of the full grid." };
        var metric = Options.Metric();
        var nested = new System.CommandLine.Option<bool>("--nested") { Description = "Nested cross-validation: the outer splits (--folds, --groups, --stratify) estimate the error of search-then-refit; the inner folds (--inner-folds) follow --groups/--stratify too." };
        var innerFolds = new System.CommandLine.Option<int>("--inner-folds") { Description = "Folds of the selection CV inside the development rows (with --test-fraction or --nested); group k-fold with --groups, stratified with --stratify, both with both.", DefaultValueFactory = _ => 5 };
        command.Add(grid);
        command.Add(random);
        command.Add(metric);
        command.Add(nested);
        command.Add(innerFolds);
        command.SetAction(r => run(() => Run(new SearchArgs(cvArgs(r), r.GetValue(grid) ?? [], r.GetValue(random), Cli.Given(r, metric), r.GetValue(nested), r.GetValue(innerFolds)))));
        return command;
    }

    public static IReadOnlyList<Problem> Run(SearchArgs a)
    {
        var problems = new List<Problem>();
        var holdOut = a.Cv.TestFraction;
        if (a.Nested && holdOut is not null)
            problems.Add(new Problem("param.conflict", "give only one of --nested (outer cross-validation) and --test-fraction (one held-out test split)"));
        if (a.Grid.Length == 0)
            problems.Add(new Problem("param.missing", "no searched parameter: give --grid name=v1,v2,... (e.g. --grid alpha=0.01,0.1,1)"));
        var parameters = Valid.All(a.Grid.Select(SearchSpace.ParseParameter));
        problems.AddRange(parameters.Problems());
        // The task is detected as cv detects it: a boolean or text-label target is classified, with classifiers and classification metrics.
        var options = CvCommand.ParseTask(a.Cv with { TestFraction = null });
        problems.AddRange(options.Problems());
        if (problems.Count > 0) return problems;
        var (spec, featurizers, pipeline, splitKind, kind) = options.OrThrow();
        var metric = a.MetricFor(kind);
        var scorer = Scoring.Resolve(metric, kind);
        if (scorer.IsFail) return scorer.Problems().Select(p => p with { Message = "--" + p.Message }).ToArray();
        var searchOptions = new SearchOptions(metric);
        var fixedSettings = a.Cv.Set.Select(s => s.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim());
        var seconds = new Dictionary<string, double>();
        var total = System.Diagnostics.Stopwatch.StartNew();

        var points = a.Random is { } count
            ? Step.Random(rng => SearchSpace.Random(parameters.OrThrow(), count, rng))
            : Step.From(() => SearchSpace.Grid(parameters.OrThrow()));
        var skipped = new SkippedRows();
        var rowsRead = 0;
        IReadOnlyList<string>? labels = null;
        IReadOnlyList<Split.TrainTest> used = [];
        SplitScheme? selectionScheme = null;
        var experiment =
            from table in CvCommand.Timed("load", seconds, () => BundledData.OpenPathOrName(a.Cv.Data, keepRaggedRows: a.Cv.OnError == "skip")
                .Bind(t => { rowsRead = t.Rows.Count; return skipped.Apply(a.Cv.OnError, spec, featurizers, t); }))
            from dataset in CvCommand.Timed("parse", seconds, () => Dataset.FromTable(spec, table))
            from target in Step.From(() => TaskTarget.FromDataset(dataset, kind, a.Cv.TargetUnit))
            from features in CvCommand.Timed("featurize", seconds, () => CompositionFeaturizers.Build(featurizers, dataset).Bind(f => CvCommand.FiniteUnlessImputed(pipeline.Impute, f, dataset))
                .Map(f => { labels = f.Labels; CvCommand.CategoricalNote(dataset, a.Cv.Encoding); return f; }))
            from scheme in Step.From(() => Scheme(a.Cv, a.InnerFolds, table, dataset))
            from settings in points
            from candidates in Step.From(() => SearchSpace.Candidates(kind, a.Cv.Model, fixedSettings, settings, pipeline.Impute, pipeline.Scale)
                .Map(cs => cs.Select(c => c with { Pipeline = c.Pipeline.WithCategorical(features.Categorical, a.Cv.Encoding) }).ToArray()))
            from result in CvCommand.Timed("search", seconds, holdOut is { } tf
                ? Step.Random(rng => HoldOut(a, scheme, dataset, features, tf, rng).Map(h => { used = [h.Split]; selectionScheme = h.Scheme; return h; })
                    .Bind(h => ModelSearch.SelectThenTest(searchOptions, candidates, features.X, target, h.Split, h.Scheme, h.Selection))
                    .Map(s => (Search: s.Search, Test: (SelectionThenTest?)s, Nested: (NestedReport?)null)))
                : a.Nested
                    ? from outer in CvCommand.MakeSplits(splitKind, table, dataset, CvCommand.SplitFeatures(splitKind, features)).Select(o => used = o)
                      from n in Step.Random(rng => ModelSearch.Nested(searchOptions, candidates, features.X, target, outer, scheme, rng))
                      select (Search: n.Folds[0].Search, Test: (SelectionThenTest?)null, Nested: (NestedReport?)n)
                    : from splits in CvCommand.MakeSplits(splitKind, table, dataset, CvCommand.SplitFeatures(splitKind, features)).Select(o => used = o)
                      from s in ModelSearch.Step(searchOptions, candidates, features.X, target, splits)
                      select (Search: s, Test: (SelectionThenTest?)null, Nested: (NestedReport?)null))
            select (dataset, target, features, result, scheme);

        var run = Progress.Wrap("searching", () => experiment.Run(a.Cv.Seed));
        if (run.IsFail) return CvCommand.Locate(run.Problems(), skipped, labels);
        var (ds, y, fs, r, schemeOfRun) = run.OrThrow();
        var usedScheme = selectionScheme ?? schemeOfRun;
        seconds["total"] = total.Elapsed.TotalSeconds;
        var task = y is TaskTarget.Classes c ? $"classification of '{a.Cv.Target}' ({string.Join(", ", c.Labels)})" : $"target '{a.Cv.Target}'";
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(a.Cv.Data)}[/]: {ds.Count} rows, {fs.Labels.Count} features, {Markup.Escape(task)}, model {a.Cv.Model}, seed {a.Cv.Seed}");
        var shown = Shown(kind);
        if (r.Nested is { } nestedReport)
        {
            var t = new Table().AddColumn("outer fold").AddColumn("selected").AddColumn(new TableColumn("test " + metric).RightAligned());
            foreach (var f in nestedReport.Folds)
                t.AddRow(f.Fold.ToString(CultureInfo.InvariantCulture), Markup.Escape(f.Search.Best.Label), Cli.F(scorer.OrThrow().Score(f.TestScores.Metric(scorer.OrThrow().Key))));
            AnsiConsole.Write(t);
            Console.WriteLine($"inner selection folds: {a.InnerFolds}-fold {Describe(usedScheme)} of each outer training set");
            var key = scorer.OrThrow().Key;
            Console.WriteLine($"nested CV {key} {Cli.F(nestedReport.Summary[key].Mean)} (std {Cli.F(nestedReport.Summary[key].Std)}) over {nestedReport.Folds.Count} outer folds");
        }
        else
        {
            PrintTable(r.Search, shown);
            if (r.Test is { } test)
            {
                Console.WriteLine($"held-out split and selection folds: {Describe(usedScheme, a.Cv.Representative)} ({a.InnerFolds} selection folds on {ds.Count - test.TestPredictions.Count} development rows)");
                Console.WriteLine($"selected {r.Search.Best.Label}: held-out test {string.Join(", ", shown.Select(k => $"{Upper(k)} {Cli.F(test.TestScores.Metric(k))}"))} ({test.TestPredictions.Count} test rows, scored once after selection)");
            }
            else
                Console.WriteLine($"best {r.Search.Best.Label}: mean {metric} {Cli.F(r.Search.Best.MeanScore)} (std {Cli.F(r.Search.Best.StdScore)}) over {r.Search.Folds} folds");
        }
        if (a.Cv.Out is not null)
        {
            using var dir = new Outputs.Directory(a.Cv.Out);
            WriteTable(dir.File("search.csv"), r.Search, kind);
            File.WriteAllText(dir.File("report.json"), new RunReport
            {
                Command = "search",
                Seed = a.Cv.Seed,
                TargetName = a.Cv.Target,
                Target = y,
                Pipeline = r.Search.Best.Pipeline,
                Options =
                [
                    .. CvCommand.ReportOptions(a.Cv, ds), new("grid", a.Grid), new("random", a.Random), new("metric", metric),
                    new("nested", a.Nested), new("inner_folds", a.InnerFolds), new("hold_out_test_fraction", holdOut),
                ],
                Split = holdOut is { } f
                    ? a.Cv.Representative is { } clusters
                        ? new RunSplit("representative_train_test", [new("clusters", clusters), new("test_fraction", f), new("inner_folds", a.InnerFolds)])
                        : new RunSplit("train_test", [new("test_fraction", f), new("inner_folds", a.InnerFolds)])
                    : CvCommand.Describe(splitKind),
                Rows = ds.Count,
                Features = fs.Labels.Count,
                Folds = used.Select(t => (t.Train.Length, t.Test.Length)).ToArray(),
                Metrics = r.Nested is { } n ? RunReport.FromScores(kind, n.Folds.Select(f => f.TestScores).ToArray())
                    : r.Test is { } held ? RunReport.FromScores(kind, [held.TestScores])
                    : RunReport.FromSearch(r.Search),
                Search = r.Search,
                Seconds = seconds,
            }.ToJson());
            // With a held-out split: the selected model's parity plot on the test rows (scored once, after selection).
            var parity = r.Test is not null && y is TaskTarget.Continuous && used.Count == 1;
            if (parity && y is TaskTarget.Continuous continuous)
            {
                var rows = used[0].Test;
                File.WriteAllText(dir.File("parity.svg"), ParityPlot.ToSvg(rows.Select(i => continuous.Values[i]).ToArray(), r.Test!.TestPredictions.ToArray(),
                    new ParityPlotOptions(Title: $"{a.Cv.Model} {r.Search.Best.Label}: held-out test ({rows.Length} rows, after selection)", Quantity: a.Cv.Target, Unit: a.Cv.TargetUnit)));
            }
            skipped.Report(a.Cv.OnError, a.Cv.SkippedReport, dir, rowsRead);
            dir.Commit();
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(a.Cv.Out)}[/]: search.csv, report.json{(parity ? ", parity.svg (held-out test)" : "")}");
        }
        else skipped.Report(a.Cv.OnError, a.Cv.SkippedReport, null, rowsRead);
        return [];
    }

    /// <summary>The held-out test split, the scheme of the selection folds on the development rows, and the selection's stream.</summary>
    /// <remarks>With <c>--representative K</c>: the held-out split is the one <c>cv --representative K --test-fraction F</c> draws for the
    /// same seed (every k-means cluster of the features split in proportion), and the selection folds are stratified by the same
    /// clusters, so each selection fold also draws from every cluster. Otherwise the scheme's own held-out split (plain, grouped,
    /// stratified).</remarks>
    private static Validation<Problem, (Split.TrainTest Split, SplitScheme Scheme, Rng Selection)> HoldOut(SearchArgs a, SplitScheme scheme, Dataset ds, FeatureSet fs, double tf, Rng rng)
    {
        if (a.Cv.Representative is not { } k)
            return scheme.HoldOut(ds.Count, tf, rng).Map(split => (split, scheme, rng.Split().Right));
        var options = new Pure.Materials.Cluster.RepresentativeSplitOptions(k);
        var x = CvCommand.SplitFeatures(fs);
        // RepresentativeSplit.HoldOut clusters with rng.Split().Left and deals the rows with rng.Split().Right; the selection takes a
        // stream split from the latter, so it shares no draws with either.
        return from split in Pure.Materials.Cluster.RepresentativeSplit.HoldOut(options, x, tf, rng)
               from labels in Pure.Materials.Cluster.RepresentativeSplit.Clusters(options, x, rng.Split().Left)
               select (split, (SplitScheme)new SplitScheme.Stratified(a.InnerFolds, labels), rng.Split().Right.Split().Right);
    }

    private static string Upper(string key) => key switch { "mae" or "rmse" => key.ToUpperInvariant(), "r2" => "R2", "roc_auc" => "ROC-AUC", _ => key.Replace('_', ' ') };

    /// <summary>The split scheme of the selection folds and of the held-out test split: group-aware with --groups, stratified with --stratify.</summary>
    internal static Validation<Problem, SplitScheme> Scheme(CvArgs cv, int k, CsvTable table, Dataset ds) =>
        cv.Groups is { } by
            ? CvCommand.GroupsOf(by, table, ds).Bind(g => cv.Stratify
                ? CvCommand.ClassLabels(ds).Map(l => (SplitScheme)new SplitScheme.StratifiedGrouped(k, l, g))
                : Valid.Ok<SplitScheme>(new SplitScheme.Grouped(k, g)))
            : cv.Stratify
                ? CvCommand.ClassLabels(ds).Map(l => (SplitScheme)new SplitScheme.Stratified(k, l))
                : Valid.Ok<SplitScheme>(new SplitScheme.Plain(k));

    private static string Describe(SplitScheme s, int? representative = null) => representative is { } k && s is SplitScheme.Stratified
        ? $"representative (k-means, {k} clusters; selection folds stratified by cluster)"
        : s switch
    {
        SplitScheme.Grouped => "group k-fold",
        SplitScheme.Stratified => "stratified k-fold",
        SplitScheme.StratifiedGrouped => "stratified group k-fold",
        _ => "k-fold",
    };

    private static string[] Shown(TaskKind kind) => kind == TaskKind.Regression ? ["mae", "rmse", "r2"] : ["accuracy", "balanced_accuracy", "roc_auc", "log_loss"];

    private static void PrintTable(SearchReport s, string[] shown)
    {
        var t = new Table().AddColumn("rank").AddColumn("candidate");
        foreach (var k in shown) t.AddColumn(new TableColumn($"{k} mean").RightAligned()).AddColumn(new TableColumn($"{k} std").RightAligned());
        foreach (var c in s.Candidates.OrderBy(c => c.Rank).ThenBy(c => c.Index))
            t.AddRow([c.Rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(c.Label), .. shown.SelectMany(k => new[] { Cli.F(c.Summary[k].Mean), Cli.F(c.Summary[k].Std) })]);
        AnsiConsole.Write(t);
    }

    /// <summary>Writes every candidate with mean and std of every metric (search-space order).</summary>
    internal static void WriteTable(string path, SearchReport s, TaskKind kind)
    {
        using var w = new StreamWriter(path);
        var keys = Scoring.MetricKeys(kind);
        Csv.Write(w, ["index", "candidate", "rank", .. keys.SelectMany(k => new[] { $"{k}_mean", $"{k}_std" })],
            s.Candidates.Select(c => (IEnumerable<string>)[c.Index.ToString(CultureInfo.InvariantCulture), c.Label, c.Rank.ToString(CultureInfo.InvariantCulture),
                .. keys.SelectMany(k => new[] { Csv.Format(c.Summary[k].Mean), Csv.Format(c.Summary[k].Std) })]));
    }
}

/// <summary>The options every cv-like command shares (data, features, pipeline, splits, seed, output), from <see cref="Options"/>.</summary>
internal static class CommonOptions
{
    public static (System.CommandLine.Command Command, Func<System.CommandLine.ParseResult, CvArgs> Args) CvLike(string name, string description, bool onError = false)
    {
        var options = new SupervisedOptions(onError: onError);
        return (options.AddTo(new System.CommandLine.Command(name, description)), options.Read);
    }
}
