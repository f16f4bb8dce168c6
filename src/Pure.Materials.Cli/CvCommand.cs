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
using Pure.Materials.Split;
using Spectre.Console;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Cli;

internal sealed record CvArgs(
    string Data, string Target, string? FormulaColumn, string? Featurizers, string? FeatureColumns, string? IdColumn,
    string Impute, string? Scale, string Model, string[] Set, int? Folds, string? FoldColumn, double? TestFraction, long Seed, string? Out, string TargetUnit = "",
    string? Groups = null, bool Stratify = false, bool Loo = false, string? Task = null, string? Select = null,
    string OnError = "stop", string? SkippedReport = null, CsvTable? Table = null, bool Quiet = false, bool Json = false)
{
    /// <summary><c>--molecular-cations</c> as given (e.g. <c>MA,FA</c>), or null for none.</summary>
    public string? MolecularCations { get; init; }

    /// <summary><c>--categorical-columns</c> as given (e.g. <c>crys_sys,spg_num</c>), or null for none.</summary>
    public string? CategoricalColumns { get; init; }

    /// <summary><c>--categorical-encoding</c> as given: <c>onehot</c> (default) or <c>ordinal</c>.</summary>
    public string CategoricalEncoding { get; init; } = "onehot";

    /// <summary><see cref="CategoricalEncoding"/> read (another value is refused by <c>CvCommand.ParseOptions</c> first; here it reads as one-hot).</summary>
    public Pure.Materials.Scale.CategoricalEncoding Encoding =>
        CategoricalEncoding == "ordinal" ? Pure.Materials.Scale.CategoricalEncoding.Ordinal : Pure.Materials.Scale.CategoricalEncoding.OneHot;

    /// <summary>The named categorical columns.</summary>
    public string[] CategoricalList => (CategoricalColumns ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The feature columns and then the categorical columns not among them (the columns a run reads as features).</summary>
    public string[] ColumnList
    {
        get
        {
            var named = (FeatureColumns ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return [.. named, .. CategoricalList.Where(c => !named.Contains(c)).Distinct()];
        }
    }

    /// <summary><c>--representative K</c>: the number of k-means clusters of a representative split, or null.</summary>
    public int? Representative { get; init; }

    /// <summary>Whether the console gets the tables and notes (neither <c>--quiet</c>, one summary line, nor <c>--json</c>, report.json on stdout).</summary>
    public bool Verbose => !Quiet && !Json;

    /// <summary>The main job: Matbench expt_gap, Magpie features, random forest, official folds.</summary>
    public static CvArgs MainJob(long seed, string? output) => new(
        "matbench_expt_gap", "gap expt", "composition", "magpie", null, "mbid", "mean", null, "rf", [], null, "fold", null, seed, output, "eV");
}

/// <summary>The <c>cv</c> command: load, featurize, split, cross-validate, report.</summary>
internal static class CvCommand
{
    /// <summary>Runs cv for either task with one experiment: the task is detected (<see cref="ClassificationCv.DetectTask"/>), the target built by
    /// <see cref="TaskTarget.FromDataset"/> and cross-validated by <see cref="TaskEvaluation.CrossValidate"/>; only the console table and the
    /// pictures differ by task (parity and residual plots for regression, the confusion matrix for classes), and report.json is one schema.</summary>
    public static IReadOnlyList<Problem> Run(CvArgs a)
    {
        var total = Stopwatch.StartNew();
        var seconds = new Dictionary<string, double>();
        var options = ParseTask(a);
        if (options.IsFail) return options.Problems();
        var (spec, featurizers, pipeline, splitKind, kind) = options.OrThrow();
        if (a.Verbose && FeatureNote(a) is { } note) Console.Error.WriteLine(note);

        // The whole experiment is one LINQ query over seeded steps, run once with the seed.
        var skipped = new SkippedRows();
        var rowsRead = 0;
        IReadOnlyList<string>? labels = null;
        IProgressReporter? progress = null;
        var foldsDone = 0;
        Func<Validation<Problem, LossCurve[]>>? recorded = null;
        var experiment =
            from table in Timed("load", seconds, () => (a.Table is { } inMemory ? Valid.Ok(inMemory) : BundledData.OpenPathOrName(a.Data, keepRaggedRows: a.OnError == "skip"))
                .Bind(t => { rowsRead = t.Rows.Count; return skipped.Apply(a.OnError, spec, featurizers, t); }))
            from dataset in Timed("parse", seconds, () => Dataset.FromTable(spec, table))
            from target in Step.From(() => TaskTarget.FromDataset(dataset, kind, a.TargetUnit))
            from features in Timed("featurize", seconds, () => CompositionFeaturizers.Build(featurizers, dataset).Bind(f => CvCommand.FiniteUnlessImputed(pipeline.Impute, f, dataset))
                .Map(f => { labels = f.Labels; pipeline = pipeline.WithCategorical(f.Categorical, a.Encoding); if (a.Verbose) CategoricalNote(dataset, a.Encoding); return f; }))
            from splits in MakeSplits(splitKind, table, dataset, SplitFeatures(splitKind, features))
            from report in Timed("cross_validate", seconds, Step.Random(rng =>
            {
                // mlp: each fold's fit also records its held-out loss per epoch (LossCurves.Recording: the same models, no second fit).
                (var cvPipeline, recorded) = LossCurves.Recording(pipeline, features.X, target, splits, rng);
                return TaskEvaluation.CrossValidate(cvPipeline, features.X, target, splits, rng, _ => progress?.Report((double)++foldsDone / splits.Count, foldsDone));
            }))
            // Models trained by epochs (linear-gd, mlp): training and held-out loss per epoch (linear-gd: refitted on the same splits; mlp:
            // recorded by the cross-validation's own fits, so each curve is the very model scored).
            from curves in Step.Random(rng => pipeline switch
            {
                TaskPipeline.Regression { Options: var p } when p.Learner.Name == "linear-gd" => LossCurves.Run(p, features.X, ((TaskTarget.Continuous)target).Values, splits, rng),
                _ when recorded is not null => recorded(),
                _ => Valid.Ok(Array.Empty<LossCurve>()),
            })
            // The dummy baseline on the same splits, for the report's headline (cheap: no features are used).
            from chance in Step.From(() => Baselines.CrossValidate(target, splits))
            select (dataset, target, features, report, curves, chance);

        var result = LiveProgress.Run("cv", "folds", reporter =>
        {
            progress = reporter;
            return experiment.Run(a.Seed);
        });
        if (result.IsFail) return Locate(result.Problems(), skipped, labels);
        var (ds, y, fs, taskReport, lossCurves, baselineRun) = result.OrThrow();
        seconds["total"] = total.Elapsed.TotalSeconds;
        var classification = (taskReport as TaskReport.Classification)?.Report;
        var runReport = new RunReport
        {
            Command = "cv",
            Seed = a.Seed,
            TargetName = a.Target,
            Target = y,
            Pipeline = pipeline,
            Options = ReportOptions(a, ds),
            Split = Describe(splitKind),
            Rows = ds.Count,
            Features = fs.Labels.Count,
            Folds = taskReport.FoldSizes,
            Metrics = RunReport.FromCrossValidation(taskReport),
            Baseline = baselineRun,
            Confusion = classification?.Confusion,
            ConfusionPerFold = classification?.Folds.Select(f => f.Scores.Confusion).ToArray(),
            Seconds = seconds,
        };
        return (taskReport, pipeline, y) switch
        {
            (TaskReport.Regression r, TaskPipeline.Regression p, _) => Write(a, ds, fs, p.Options, r.Report, lossCurves, runReport, skipped, rowsRead, seconds),
            (TaskReport.Classification c, TaskPipeline.Classification p, TaskTarget.Classes t) => ClassificationCv.Write(a, ds, t, fs, p.Options, c.Report, runReport, skipped, rowsRead, seconds, lossCurves),
            _ => throw new InvalidOperationException("a cross-validation report of one task for a pipeline of the other"),
        };
    }

    /// <summary>Prints a regression cross-validation and writes its outputs.</summary>
    /// <param name="graphLossTitle">For a graph learner (cgcnn), the y-axis title of loss.svg, from its training history (e.g. "Loss, MAE of
    /// the normalised target"); null for feature learners.</param>
    internal static IReadOnlyList<Problem> Write(CvArgs a, Dataset ds, FeatureSet fs, PipelineOptions pipeline, CrossValidationReport cv, LossCurve[] lossCurves,
        RunReport runReport, SkippedRows skipped, int rowsRead, Dictionary<string, double> seconds, string? graphLossTitle = null)
    {
        if (a.Json) Console.WriteLine(runReport.ToJson());
        else Print(a, ds, fs, pipeline, cv, seconds);
        // cgcnn's folds were printed by its verb (the kept epoch and its validation MAE).
        if (a.Verbose && pipeline.Learner.Name != "cgcnn")
            PrintLossCurves(lossCurves, pipeline.Learner.Name == "mlp" ? "training: loss_curve_ with the L2 term; held-out: data loss" : "half MSE");
        if (a.Out is not null)
        {
            // Every file is written under a temporary name and renamed only when all are written (no report.json without predictions.csv).
            using var dir = new Outputs.Directory(a.Out);
            File.WriteAllText(dir.File("report.json"), runReport.ToJson());
            WritePredictions(dir.File("predictions.csv"), ds, fs, cv);
            var yTrue = cv.Folds.SelectMany(f => f.TestRows.Select(r => ds.Target![r])).ToArray();
            var yPred = cv.Folds.SelectMany(f => f.Predictions).ToArray();
            var foldOfPoint = cv.Folds.SelectMany(f => f.TestRows.Select(_ => f.Fold)).ToArray();
            File.WriteAllText(dir.File("parity.svg"), ParityPlot.ToSvg(yTrue, yPred, new ParityPlotOptions
            {
                Title = $"{pipeline.Learner.Name} on {Path.GetFileNameWithoutExtension(a.Data)}: out-of-fold predictions",
                Quantity = a.Target,
                Unit = a.TargetUnit,
                Folds = foldOfPoint,
            }));
            var plotOptions = new PlotOptions(Quantity: a.Target, Unit: a.TargetUnit);
            Plots.ResidualsSvg(yTrue, yPred, plotOptions).Iter(svg => File.WriteAllText(dir.File("residuals.svg"), svg));
            Plots.ResidualHistogramSvg(yTrue, yPred, plotOptions).Iter(svg => File.WriteAllText(dir.File("residual_histogram.svg"), svg));
            var lossSvg = graphLossTitle is not null
                ? WriteLossSvg(dir, lossCurves, pipeline.Learner.Name, a, graphLossTitle, "validation loss (validation share of the fold's training structures)")
                : WriteLossSvg(dir, lossCurves, pipeline.Learner.Name, a, pipeline.Learner.Name == "mlp" ? MlpLossTitle(pipeline.Learner.Parameters, a.TargetUnit) : null);
            skipped.Report(a.OnError, a.SkippedReport, dir, rowsRead);
            dir.Commit();
            if (a.Verbose)
                AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(a.Out)}[/]: report.json, predictions.csv, parity.svg, residuals.svg, residual_histogram.svg{(lossSvg ? ", loss.svg" : "")}");
        }
        else skipped.Report(a.OnError, a.SkippedReport, null, rowsRead);
        return [];
    }

    /// <summary>Prints one line per fold of a loss curve: epochs, final training and held-out loss.</summary>
    internal static void PrintLossCurves(IReadOnlyList<LossCurve> lossCurves, string what)
    {
        foreach (var c in lossCurves)
            Console.WriteLine($"fold {c.Fold}: {c.Epochs} epochs{(c.Converged ? "" : " (max_iter reached)")}, final training loss {Cli.F(c.Training[^1])}, held-out loss {Cli.F(c.Validation[^1])} ({what})");
    }

    /// <summary>Writes loss.svg (training and held-out loss per epoch, one pair of lines per fold) when there are curves.</summary>
    /// <returns>Whether the file was written.</returns>
    internal static bool WriteLossSvg(Outputs.Directory dir, IReadOnlyList<LossCurve> lossCurves, string learner, CvArgs a, string? lossTitle,
        string? validationLabel = null) =>
        lossCurves.Count > 0 && Plots.LossCurveSvg(lossCurves.Select(c => (c.Training, c.Validation)).ToArray(),
            new PlotOptions(Title: $"{learner}: training and held-out loss per epoch ({lossCurves.Count} folds)", Quantity: a.Target, Unit: a.TargetUnit), lossTitle, validationLabel)
            .Map(svg => { File.WriteAllText(dir.File("loss.svg"), svg); return true; }).IfFail(false);

    /// <summary>The y-axis title of an mlp regressor's loss: its data term (half squared error, Huber, absolute error).</summary>
    private static string MlpLossTitle(IReadOnlyList<KeyValuePair<string, string>> parameters, string unit)
    {
        var loss = parameters.FirstOrDefault(kv => kv.Key == "loss").Value ?? "squared_error";
        var u = string.IsNullOrEmpty(unit) ? "" : loss == "squared_error" ? $" ({unit}\u00b2)" : $" ({unit})";
        return loss switch { "huber" => $"Loss, mean Huber{u}", "absolute_error" => $"Loss, MAE{u}", _ => $"Loss, half MSE{u}" };
    }

    /// <summary>Detects the task of the target exactly as cv does and parses the options for it: a regression pipeline, or a classifier
    /// (and a data set spec that keeps text class labels). Used by every supervised verb (cv, search, learning-curve, explain).</summary>
    internal static Validation<Problem, (DatasetSpec Spec, ICompositionFeaturizer[] Featurizers, TaskPipeline Pipeline, SplitKind Split, TaskKind Kind)> ParseTask(CvArgs a) =>
        ClassificationCv.DetectTask(a).Bind(kind => kind == TaskKind.Regression
            ? ParseOptions(a).Map(o => (o.Item1, o.Item2, (TaskPipeline)o.Item3, o.Item4, kind))
            : ClassificationCv.ParseOptions(a).Map(o => (o.Item1, o.Item2, (TaskPipeline)o.Item3, o.Item4, kind)));

    internal static Validation<Problem, (DatasetSpec, ICompositionFeaturizer[], PipelineOptions, SplitKind)> ParseOptions(CvArgs a)
    {
        var problems = new List<Problem>();
        if (SkippedRows.CheckOption(a.OnError) is { } badOnError) problems.Add(badOnError);
        if (a.SkippedReport is not null && a.OnError != "skip")
            problems.Add(new Problem("param.conflict", "--skipped-report lists the rows --on-error skip leaves out; add --on-error skip or drop --skipped-report"));
        var featureColumns = (a.FeatureColumns ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var featurizerNames = FeaturizerNames(a);
        Options.ParseCategoricalEncoding(a.CategoricalEncoding, problems);
        if (a.CategoricalList.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1) is { } twice)
            problems.Add(new Problem("param.invalid_value", $"--categorical-columns names '{twice.Key}' twice; name each column once"));
        if (featurizerNames.Length > 0 && a.FormulaColumn is null)
            problems.Add(new Problem("param.missing", "--featurizers needs --formula-column NAME (the column holding the formulas)"));
        if (featurizerNames.Length == 0 && a.ColumnList.Length == 0)
            problems.Add(new Problem("param.missing", "no features: give --formula-column NAME (Magpie features by default) and/or --feature-columns A,B,..."));
        var featurizers = featurizerNames.Length == 0 ? [] : CompositionFeaturizers.Parse(featurizerNames).Match(f => f, ps => { problems.AddRange(ps); return []; });

        var cations = ParseCations(a.MolecularCations, problems);
        if (a.MolecularCations is not null && a.FormulaColumn is null)
            problems.Add(new Problem("param.missing", "--molecular-cations reads formulas: give --formula-column NAME too"));
        var settings = new Dictionary<string, string>();
        foreach (var s in a.Set)
        {
            var eq = s.IndexOf('=');
            if (eq <= 0) problems.Add(new Problem("param.invalid_value", $"--set '{s}' is not key=value (e.g. --set n_estimators=500)"));
            else settings[s[..eq].Trim()] = s[(eq + 1)..].Trim();
        }
        var parsedLearner = Learners.Parse(a.Model, settings);
        problems.AddRange(parsedLearner.Problems());
        var impute = a.Impute switch
        {
            "mean" => ImputeStrategy.Mean,
            "none" => ImputeStrategy.None,
            _ => Bad(ImputeStrategy.None, "--impute", a.Impute, "mean, none", problems),
        };
        var scale = a.Scale switch
        {
            null => PipelineOptions.DefaultScale(a.Model),
            "standard" => ScaleStrategy.Standard,
            "minmax" => ScaleStrategy.MinMax,
            "none" => ScaleStrategy.None,
            _ => Bad(ScaleStrategy.None, "--scale", a.Scale, "standard, minmax, none", problems),
        };
        var split = ParseSplit(a, problems);
        if (problems.Count > 0) return Valid.Fail<(DatasetSpec, ICompositionFeaturizer[], PipelineOptions, SplitKind)>(problems);
        var spec = new DatasetSpec
        {
            FormulaColumn = a.FormulaColumn,
            TargetColumn = a.Target,
            IdColumn = a.IdColumn,
            FoldColumn = a.FoldColumn,
            FeatureColumns = [.. featureColumns],
            MolecularCations = cations,
            CategoricalColumns = [.. a.CategoricalList],
            DetectCategorical = true,
        };
        var learner = parsedLearner.OrThrow();
        if (a.Select is not null)
        {
            // Feature selection becomes part of the learner, so it is refitted on each fold's training rows only.
            var selector = SelectCommand.ParseSelector(a.Select, learner);
            if (selector.IsFail) return Valid.Fail<(DatasetSpec, ICompositionFeaturizer[], PipelineOptions, SplitKind)>(selector.Problems());
            learner = Pure.Materials.Select.Selectors.WithSelection(selector.OrThrow(), learner);
        }
        return Valid.Ok((spec, featurizers, new PipelineOptions(impute, scale, learner), split));
    }

    /// <summary>The split a run asks for (<c>--folds</c>, <c>--fold-column</c>, <c>--test-fraction</c>, <c>--groups</c>, <c>--stratify</c>,
    /// <c>--loo</c>, <c>--representative</c>), adding a problem for each conflicting combination.</summary>
    internal static SplitKind ParseSplit(CvArgs a, List<Problem> problems)
    {
            var chosen = new[] { a.Folds is not null, a.FoldColumn is not null, a.TestFraction is not null }.Count(b => b);
            if (chosen > 1) problems.Add(new Problem("param.conflict", "give only one of --folds, --fold-column, --test-fraction"));
            if (a.Loo && (chosen > 0 || a.Groups is not null || a.Stratify))
                problems.Add(new Problem("param.conflict", "--loo (leave-one-out) cannot be combined with --folds, --fold-column, --test-fraction, --groups or --stratify"));
            if ((a.Groups is not null || a.Stratify) && (a.FoldColumn is not null || a.TestFraction is not null))
                problems.Add(new Problem("param.conflict", "--groups and --stratify make k-fold splits: combine them with --folds K only"));
            if (a.Representative is not null && (a.Loo || a.FoldColumn is not null || a.Groups is not null || a.Stratify))
                problems.Add(new Problem("param.conflict", "--representative makes its own splits from k-means clusters: combine it with --folds K or --test-fraction F only"));
            SplitKind split = a.Representative is { } clusters ? new SplitKind.Representative(clusters, a.TestFraction is { } rf ? null : a.Folds ?? 5, a.TestFraction)
                : a.Loo ? new SplitKind.LeaveOneOut()
                : a.Groups is { } both && a.Stratify ? new SplitKind.StratifiedGrouped(a.Folds ?? 5, both)
                : a.Groups is { } by ? new SplitKind.Grouped(a.Folds ?? 5, by)
                : a.Stratify ? new SplitKind.Stratified(a.Folds ?? 5)
                : a.FoldColumn is not null ? new SplitKind.Column(a.FoldColumn)
                : a.TestFraction is { } tf ? new SplitKind.TestFraction(tf)
                : new SplitKind.KFold(a.Folds ?? 5);
        return split;
    }

    /// <summary>Says which features a run uses when both a formula column and feature columns are given: the featurizers' columns
    /// followed by the named columns, or, without <c>--featurizers</c>, the named columns only (no default Magpie then).</summary>
    /// <returns>The note for stderr, or null when there is nothing to say.</returns>
    internal static string? FeatureNote(CvArgs a)
    {
        var columns = a.ColumnList;
        if (columns.Length == 0 || a.FormulaColumn is null) return null;
        return a.Featurizers is null
            ? $"note: features are the --feature-columns only ({string.Join(",", columns)}); the formulas of '{a.FormulaColumn}' are not featurized without --featurizers (add --featurizers magpie to use both)"
            : $"note: features are the columns of --featurizers {a.Featurizers}, then the --feature-columns ({string.Join(",", columns)})";
    }

    /// <summary>Reads <c>--molecular-cations</c> (null: none), adding its problems (prefixed with the flag) to <paramref name="problems"/>.</summary>
    internal static MolecularCations ParseCations(string? text, List<Problem> problems)
    {
        if (text is null) return Pure.Materials.Data.MolecularCations.None;
        var parsed = Pure.Materials.Data.MolecularCations.Parse(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (parsed.IsFail) { problems.AddRange(parsed.Problems().Select(p => p with { Message = $"--molecular-cations {text}: {p.Message}" })); return Pure.Materials.Data.MolecularCations.None; }
        return parsed.OrThrow();
    }

    /// <summary>The featurizers a run uses: <c>--featurizers</c>, or magpie when formulas are given without feature columns.</summary>
    internal static string FeaturizerNames(CvArgs a) =>
        a.Featurizers ?? (a.FormulaColumn is not null && a.ColumnList.Length == 0 ? "magpie" : "");

    /// <summary>Says on stderr which feature columns are encoded as categories (one-hot or ordinal): those named by <c>--categorical-columns</c>,
    /// and those read as categories because their cells are text.</summary>
    internal static void CategoricalNote(Dataset ds, Pure.Materials.Scale.CategoricalEncoding encoding = Pure.Materials.Scale.CategoricalEncoding.OneHot)
    {
        var ordinal = encoding == Pure.Materials.Scale.CategoricalEncoding.Ordinal;
        foreach (var c in ds.Categories)
        {
            var column = ds.ColumnFeatureNames.ToList().IndexOf(c.Name);
            var missing = ds.ColumnFeatures.Data.Length > 0 && Enumerable.Range(0, ds.Count).Any(i => double.IsNaN(ds.ColumnFeatures[i, column]));
            Console.Error.WriteLine($"note: column '{c.Name}' {(c.Detected ? "holds text, so it is read as categories" : "is categorical (--categorical-columns)")}: " +
                $"{(ordinal ? "ordinal" : "one-hot")} encoded with the categories of the training rows only ({c.Values.Count} values in the data: {string.Join(", ", c.Values.Take(6))}{(c.Values.Count > 6 ? ", ..." : "")}" +
                (missing ? ordinal ? "; missing cells are coded -1" : "; missing cells are a category 'nan'" : "") + "); " +
                (ordinal ? "codes 0..k-1 in sorted order, a category the training rows lack is coded -1" : "a category the training rows lack is encoded as all zeros"));
        }
    }

    /// <summary>The features a representative split clusters: categorical columns one-hot encoded with every category of the data
    /// (the split is unsupervised and sees every row anyway), other columns as they are.</summary>
    internal static Matrix SplitFeatures(FeatureSet fs) =>
        fs.OneHot is { } o ? Pure.Materials.Scale.OneHotEncoder.Fit(o, fs.X).Match(m => Pure.Materials.Scale.OneHotEncoder.Transform(m, fs.X), _ => fs.X) : fs.X;

    /// <summary><see cref="SplitFeatures(FeatureSet)"/> for a representative split, null for every other split (which reads no features): the
    /// one-hot copy of every row is made only when a split clusters it (mp_e_form with the space group: 132,752 x 366 doubles, 389 MB).</summary>
    internal static Matrix? SplitFeatures(SplitKind kind, FeatureSet fs) => kind is SplitKind.Representative ? SplitFeatures(fs) : null;

    private static T Bad<T>(T fallback, string option, string value, string accepted, List<Problem> problems)
    {
        problems.Add(new Problem("param.invalid_value", $"{option} {value} is not accepted; use one of: {accepted}"));
        return fallback;
    }

    internal abstract record SplitKind
    {
        internal sealed record KFold(int K) : SplitKind;
        internal sealed record Column(string Name) : SplitKind;
        internal sealed record TestFraction(double Fraction) : SplitKind;
        internal sealed record Grouped(int K, string By) : SplitKind;
        internal sealed record Stratified(int K) : SplitKind;
        internal sealed record StratifiedGrouped(int K, string By) : SplitKind;
        internal sealed record LeaveOneOut : SplitKind;
        internal sealed record Representative(int Clusters, int? K, double? Fraction) : SplitKind;
    }

    internal static Step<IReadOnlyList<TrainTest>> MakeSplits(SplitKind kind, CsvTable table, Dataset ds, Matrix? features = null) => kind switch
    {
        SplitKind.Representative r when features is null => throw new InvalidOperationException("a representative split needs the features"),
        SplitKind.Representative { Fraction: { } f } r => Step.Random(rng => Cluster.RepresentativeSplit.HoldOut(new Cluster.RepresentativeSplitOptions(r.Clusters), features!, f, rng)
            .Map(s => (IReadOnlyList<TrainTest>)[s])),
        SplitKind.Representative r => Step.Random(rng => Cluster.RepresentativeSplit.Folds(new Cluster.RepresentativeSplitOptions(r.Clusters), features!, r.K!.Value, rng)
            .Map(f => (IReadOnlyList<TrainTest>)f)),
        SplitKind.Grouped g => Step.Random(rng => (g.By == "reduced-formula" ? Groups.ByReducedFormula(ds) : Groups.ByColumn(table, g.By))
            .Bind(groups => GroupKFold.Split(groups, g.K, true, rng)).Map(f => (IReadOnlyList<TrainTest>)f)),
        SplitKind.StratifiedGrouped sg => Step.Random(rng => GroupsOf(sg.By, table, ds).Bind(groups => ClassLabels(ds)
            .Bind(labels => StratifiedGroupKFold.Split(labels, groups, sg.K, true, rng))).Map(f => (IReadOnlyList<TrainTest>)f)),
        SplitKind.Stratified s => Step.Random(rng => ClassLabels(ds).Bind(labels => StratifiedKFold.Split(labels, s.K, true, rng)).Map(f => (IReadOnlyList<TrainTest>)f)),
        SplitKind.LeaveOneOut => Step.From(() => Split.LeaveOneOut.Split(ds.Count).Map(f => (IReadOnlyList<TrainTest>)f)),
        SplitKind.Column => Step.From(() => PredefinedFolds.FromLabels(ds.Folds!).Map(f => (IReadOnlyList<TrainTest>)f)),
        SplitKind.TestFraction t => Step.Random(rng => TrainTestSplit.Split(ds.Count, t.Fraction, rng).Map(s => (IReadOnlyList<TrainTest>)[s])),
        SplitKind.KFold k => Step.Random(rng => Split.KFold.Split(ds.Count, k.K, true, rng).Map(f => (IReadOnlyList<TrainTest>)f)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Names the place of problems raised inside the run: a column given by index (fold matrices) becomes the feature's
    /// name, and a row counted among the rows kept by <c>--on-error skip</c> becomes the file's row.</summary>
    internal static IReadOnlyList<Problem> Locate(IEnumerable<Problem> problems, SkippedRows skipped, IReadOnlyList<string>? labels) =>
        skipped.MapRows(problems.Select(p => p.Code == "data.non_label_target" ? p with { Message = p.Message.Replace("regress a continuous target instead", "use --task regression for a continuous target") } : p).Select(p =>
            labels is not null && p.Column is { } c && !labels.Contains(c)
            && int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out var j) && j < labels.Count
                ? p with { Column = labels[j] }
                : p));

    /// <summary>With <c>--impute none</c>, a missing (NaN) feature cannot reach the learner: reports it up front, by data row (1-based)
    /// and feature name, one problem per column (its first missing row and the count), instead of a fold-local row and column index.</summary>
    internal static Validation<Problem, FeatureSet> FiniteUnlessImputed(ImputeStrategy impute, FeatureSet fs, Dataset ds)
    {
        if (impute != ImputeStrategy.None) return Valid.Ok(fs);
        var problems = new List<Problem>();
        var x = fs.X;
        for (var j = 0; j < x.Cols && problems.Count < 20; j++)
        {
            // A missing cell of a categorical column is a category of its own ('nan'), not a missing number.
            if (fs.Categorical.Any(c => c.Index == j)) continue;
            int first = -1, count = 0;
            for (var i = 0; i < x.Rows; i++)
                if (double.IsNaN(x[i, j])) { count++; if (first < 0) first = i; }
            if (count == 0) continue;
            var what = ds.Formulas is { } f ? $"'{f[first]}'" : $"id '{ds.Ids[first]}'";
            problems.Add(new Problem("data.nan_feature",
                $"the feature is missing (NaN) for {what}{(count > 1 ? $" and {count - 1} other row(s)" : "")}; --impute none passes missing values to the model, which cannot fit them: use --impute mean (the default) or leave this feature out",
                first + 1, fs.Labels[j]));
        }
        return problems.Count == 0 ? Valid.Ok(fs) : Valid.Fail<FeatureSet>(problems);
    }

    /// <summary>Group ids for --groups: by reduced formula or by a column.</summary>
    internal static Validation<Problem, int[]> GroupsOf(string by, CsvTable table, Dataset ds) =>
        by == "reduced-formula" ? Groups.ByReducedFormula(ds) : Groups.ByColumn(table, by);

    /// <summary>Class labels for --stratify: a boolean target (1/0) or a numeric target holding whole numbers only.</summary>
    internal static Validation<Problem, int[]> ClassLabels(Dataset ds)
    {
        var y = ds.Target!;
        var bad = Enumerable.Range(0, y.Count).FirstOrDefault(i => y[i] != Math.Floor(y[i]) || Math.Abs(y[i]) > int.MaxValue, -1);
        return bad < 0
            ? Valid.Ok(y.Select(v => (int)v).ToArray())
            : Valid.Fail<int[]>(new Problem("split.stratify_continuous",
                $"--stratify needs class labels (a boolean target or whole numbers), found {y[bad].ToString(CultureInfo.InvariantCulture)}; drop --stratify for a continuous target",
                bad + 1, ds.TargetName));
    }

    internal static Step<T> Timed<T>(string stage, Dictionary<string, double> seconds, Func<Validation<Problem, T>> f) =>
        Step.From(() =>
        {
            var clock = Stopwatch.StartNew();
            var r = f();
            seconds[stage] = clock.Elapsed.TotalSeconds;
            return r;
        });

    internal static Step<T> Timed<T>(string stage, Dictionary<string, double> seconds, Step<T> step) =>
        new(rng =>
        {
            var clock = Stopwatch.StartNew();
            var r = step.Apply(rng);
            seconds[stage] = clock.Elapsed.TotalSeconds;
            return r;
        });

    /// <summary>Metrics shown in the console table (report.json has all of them; scikit-learn's MAPE explodes on zero targets).</summary>
    private static readonly string[] Shown = ["mae", "rmse", "r2", "mape_matbench", "max_error", "pearson_r"];

    /// <summary>Metrics in target units (R2, Pearson r and the MAPEs are unitless).</summary>
    private static readonly System.Collections.Generic.HashSet<string> InTargetUnits = ["mae", "rmse", "max_error"];

    private static void Print(CvArgs a, Dataset ds, FeatureSet fs, PipelineOptions p, CrossValidationReport cv, Dictionary<string, double> seconds)
    {
        if (a.Verbose) PrintTable(a, ds, fs, p, cv, seconds);
        Console.WriteLine(SummaryLine(a, cv));
    }

    private static void PrintTable(CvArgs a, Dataset ds, FeatureSet fs, PipelineOptions p, CrossValidationReport cv, Dictionary<string, double> seconds)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(a.Data)}[/]: {ds.Count} rows, {fs.Labels.Count} features, target '{Markup.Escape(a.Target)}'" +
                               (a.TargetUnit.Length > 0 ? $" ({Markup.Escape(a.TargetUnit)})" : ""));
        AnsiConsole.MarkupLine($"model {p.Learner.Name} ({Markup.Escape(string.Join(", ", p.Learner.Parameters.Select(kv => $"{kv.Key}={kv.Value}")))}), impute {p.Impute.ToString().ToLowerInvariant()}, scale {p.Scale.ToString().ToLowerInvariant()}, seed {a.Seed}");
        Cli.PrintFoldTable(new TaskReport.Regression(cv), Shown, key => InTargetUnits.Contains(key) && a.TargetUnit.Length > 0 ? $"{key} ({a.TargetUnit})" : key);
        AnsiConsole.MarkupLine("seconds: " + string.Join(", ", seconds.Select(kv => $"{kv.Key} {Cli.F(kv.Value, "0.000")}")));
    }

    /// <summary>A plain, grep-able summary line (all that <c>--quiet</c> prints).</summary>
    private static string SummaryLine(CvArgs a, CrossValidationReport cv)
    {
        var u = a.TargetUnit.Length > 0 ? " " + a.TargetUnit : "";
        var s = cv.Summary;
        var folds = cv.Folds.Count;
        return folds == 1
            ? $"test MAE {Cli.F(s["mae"].Mean)}{u}, RMSE {Cli.F(s["rmse"].Mean)}{u}, R2 {Cli.F(s["r2"].Mean)} on one split ({cv.Folds[0].TestRows.Count} test rows)"
            : $"mean MAE {Cli.F(s["mae"].Mean)}{u} (std {Cli.F(s["mae"].Std)}), mean RMSE {Cli.F(s["rmse"].Mean)}{u}, mean R2 {Cli.F(s["r2"].Mean)} over {folds} folds" +
              (cv.Pooled is { } p2 ? $"; pooled MAE {Cli.F(p2.Mae)}{u}, RMSE {Cli.F(p2.Rmse)}{u}, R2 {Cli.F(p2.R2)}" : "");
    }

    /// <summary>Every option of a supervised run as given, for report.json (the pipeline and the split are added by <see cref="RunReport"/>).</summary>
    internal static IReadOnlyList<KeyValuePair<string, object?>> ReportOptions(CvArgs a, Dataset ds) =>
    [
        new("data", a.Data),
        new("target", a.Target),
        new("target_unit", a.TargetUnit),
        new("formula_column", a.FormulaColumn),
        // The featurizers that ran, decided by the same rule as the run (FeaturizerNames), not a second copy of it.
        new("featurizers", FeaturizerNames(a).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
        new("feature_columns", ds.ColumnFeatureNames),
        new("categorical_columns", ds.Categories.Select(c => c.Name).ToArray()),
        new("id_column", a.IdColumn),
        new("set", a.Set),
        new("task", a.Task),
        new("select", a.Select),
        new("folds", a.Folds),
        new("fold_column", a.FoldColumn),
        new("test_fraction", a.TestFraction),
        new("groups", a.Groups),
        new("stratify", a.Stratify),
        new("loo", a.Loo),
        new("on_error", a.OnError),
        new("skipped_report", a.SkippedReport),
    ];

    /// <summary>The split of a run as report.json records it.</summary>
    internal static RunSplit Describe(SplitKind split) => split switch
    {
        SplitKind.Column c => new("fold_column", [new("column", c.Name)]),
        SplitKind.TestFraction t => new("train_test", [new("test_fraction", t.Fraction)]),
        SplitKind.KFold k => new("kfold", [new("n_splits", k.K), new("shuffle", true)]),
        SplitKind.Grouped g => new("group_kfold", [new("n_splits", g.K), new("groups", g.By)]),
        SplitKind.StratifiedGrouped sg => new("stratified_group_kfold", [new("n_splits", sg.K), new("groups", sg.By), new("shuffle", true)]),
        SplitKind.Stratified st => new("stratified_kfold", [new("n_splits", st.K), new("shuffle", true)]),
        SplitKind.LeaveOneOut => new("leave_one_out", []),
        SplitKind.Representative { Fraction: { } f } r => new("representative_train_test", [new("clusters", r.Clusters), new("test_fraction", f)]),
        SplitKind.Representative r => new("representative_kfold", [new("clusters", r.Clusters), new("n_splits", r.K!.Value), new("shuffle", true)]),
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    /// <summary><see cref="Applicability.Ranges"/> of the given rows of <paramref name="x"/>, read in place (no copy of the training rows:
    /// at 100,000 rows each fold's copy would be 100 MB).</summary>
    private static (double[] Min, double[] Max) Ranges(Matrix x, IReadOnlyList<int> rows)
    {
        var p = x.Cols;
        var min = Enumerable.Repeat(double.PositiveInfinity, p).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, p).ToArray();
        foreach (var i in rows)
        {
            var row = x.Row(i);
            for (var j = 0; j < p; j++)
                if (!double.IsNaN(row[j])) { min[j] = Math.Min(min[j], row[j]); max[j] = Math.Max(max[j], row[j]); }
        }
        return (min, max);
    }

    private static void WritePredictions(string path, Dataset ds, FeatureSet fs, CrossValidationReport cv)
    {
        using var writer = new StreamWriter(path);
        // y_std (the learner's standard deviation in target units: GPR posterior std, forest spread) when the learner has one; then the
        // applicability of each test row against its fold's training rows: features outside their training range, and (with formulas)
        // elements no training composition contains.
        var withStd = cv.Folds.All(f => f.Std is not null);
        var outOfRange = new int[ds.Count];
        var unseen = new string[ds.Count];
        foreach (var f in cv.Folds)
        {
            var (min, max) = Ranges(fs.X, f.TrainRows);
            var counts = Applicability.FeaturesOutOfRange(min, max, fs.X.SelectRows(f.TestRows.ToArray()));
            var elements = ds.Compositions is { } c
                ? Applicability.UnseenElements(f.TrainRows.Select(r => c[r]), f.TestRows.Select(r => c[r]).ToArray())
                : null;
            for (var k = 0; k < f.TestRows.Count; k++)
            {
                outOfRange[f.TestRows[k]] = counts[k];
                unseen[f.TestRows[k]] = elements is null ? "" : string.Join(' ', elements[k]);
            }
        }
        var rows = cv.Folds.SelectMany(f => f.TestRows.Select((r, k) => (Row: r, f.Fold, Pred: f.Predictions[k], Std: f.Std?[k] ?? double.NaN))).OrderBy(t => t.Row);
        string[] header = ["id", "formula", "fold", "y_true", "y_pred", .. withStd ? ["y_std"] : Array.Empty<string>(), "n_features_out_of_range", "unseen_elements"];
        Csv.Write(writer, header, rows.Select(t => (IEnumerable<string>)
            [
                ds.Ids[t.Row], ds.Formulas?[t.Row] ?? "", t.Fold.ToString(CultureInfo.InvariantCulture), Csv.Format(ds.Target![t.Row]), Csv.Format(t.Pred),
                .. withStd ? [Csv.Format(t.Std)] : Array.Empty<string>(),
                outOfRange[t.Row].ToString(CultureInfo.InvariantCulture), unseen[t.Row],
            ]));
    }
}

/// <summary>Shows a spinner on long steps when a person is watching (interactive terminal, not CI).</summary>
internal static class Progress
{
    public static T Wrap<T>(string what, Func<T> body)
    {
        var interactive = !Captured.Active && !Console.IsOutputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null;
        if (!interactive) return body();
        return AnsiConsole.Status().Start(what + "...", _ => body());
    }
}
