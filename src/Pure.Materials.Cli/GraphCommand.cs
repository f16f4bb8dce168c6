using System.Diagnostics;
using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize;
using Pure.Materials.Models;
using Pure.Materials.Models.Graph;
using Pure.Materials.Pipelines;
using Pure.Materials.Split;
using Pure.Materials.Structures;

namespace Pure.Materials.Cli;

/// <summary><c>cv</c> and <c>fit</c> with a learner on crystal graphs (<c>--model cgcnn</c>): the structures are read as by
/// <c>--structures</c> with featurizers, every structure's graph is built inside the pipeline with the learner's graph options
/// (<c>--set radius=8 --set max_num_nbr=12 ...</c>), and the outputs are those of every other learner (per-fold metrics, report.json,
/// predictions.csv, plots; a model file that predict and screen read).</summary>
internal static class GraphCommand
{
    /// <summary>The structures of a run: rows with ids, targets and folds, as an id/target/fold/formula table for the dataset, splits and
    /// predictions.csv, and every structure's graph.</summary>
    private sealed record GraphData(CsvTable Table, Dataset Dataset, TaskKind Kind, Structure[] Structures, CrystalGraph[] Graphs);

    /// <summary>Refuses the options a graph learner has no use for, and a missing <c>--structures</c>.</summary>
    private static List<Problem> Check(CvArgs a, string? source, string verb)
    {
        var problems = new List<Problem>();
        if (source is null)
        {
            problems.Add(new Problem("param.missing", $"--model {a.Model} learns from crystal structures, whose graphs it builds itself: give --structures FILE|DIR|matbench_phonons instead of --data (e.g. {verb} --structures matbench_phonons --target \"last phdos peak\" --fold-column fold --model {a.Model})"));
            return problems;
        }
        if (a.Data is not null) problems.Add(new Problem("param.conflict", "give either --data (a CSV) or --structures (crystal structures), not both"));
        void No(bool given, string flag, string why)
        {
            if (given) problems.Add(new Problem("param.conflict", $"{flag} does not apply to --model {a.Model}: {why}; drop {flag}"));
        }
        No(a.Featurizers is not null, "--featurizers", "it builds crystal graphs from the structures (atom_init.json node features, Gaussian edge features) instead of descriptors");
        No(a.FeatureColumns is not null, "--feature-columns", "it reads no feature columns");
        No(a.CategoricalColumns is not null, "--categorical-columns", "it reads no feature columns");
        No(a.CategoricalEncoding != "onehot", "--categorical-encoding", "it reads no categorical feature columns");
        No(a.FormulaColumn is not null, "--formula-column", "it reads structures");
        No(a.Select is not null, "--select", "it has no features to select");
        No(a.Scale is not null, "--scale", "its graphs are not scaled (the target is normalised inside the network)");
        No(a.MolecularCations is not null, "--molecular-cations", "structures list their atoms");
        No(a.Representative is not null, "--representative", "the representative split clusters feature rows");
        if (a.Task is not null and not ("regression" or "classification"))
            problems.Add(new Problem("param.invalid_value", $"--task {a.Task} is not accepted; use classification or regression (default: classification for a boolean or text-label target)"));
        return problems;
    }

    /// <summary>Parses the learner from <c>--set key=value</c> settings (CGCNN's names).</summary>
    private static Validation<Problem, GraphLearner> Learner(CvArgs a)
    {
        var settings = new Dictionary<string, string>();
        var problems = new List<Problem>();
        foreach (var s in a.Set)
        {
            var eq = s.IndexOf('=');
            if (eq <= 0) problems.Add(new Problem("param.invalid_value", $"--set '{s}' is not key=value (e.g. --set epochs=30)"));
            else settings[s[..eq].Trim()] = s[(eq + 1)..].Trim();
        }
        return problems.Count > 0 ? Valid.Fail<GraphLearner>(problems) : GraphLearners.Parse(a.Model, settings);
    }

    /// <summary>Reads the structures, checks the target (every structure has a value; a regression target's are numbers), decides the
    /// task, and builds every graph (a structure that cannot be a graph is named by row and id).</summary>
    private static Validation<Problem, GraphData> Read(CvArgs a, string source, GraphLearner learner) =>
        from loaded in StructureFeaturizeCommand.Load(source)
        from table in StructureFeaturizeCommand.ToTable(source, loaded, null)
        from target in StructureFeaturizeCommand.CheckTarget(loaded, a.Target, a.Task, source)
        from kind in Task(a, table)
        from dataset in Dataset.FromTable(new DatasetSpec
        {
            FormulaColumn = StructureFeaturizeCommand.FormulaColumn, TargetColumn = a.Target, IdColumn = a.IdColumn ?? loaded.IdName, FoldColumn = a.FoldColumn,
            ClassLabels = kind == TaskKind.Classification,
        }, table)
        let structures = loaded.Rows.Select(r => r.Structure).ToArray()
        from graphs in learner.Build(structures).MapFail(p => p.Row is int r && r >= 0 && r < loaded.Rows.Length
            ? p with { Row = r + 1, Column = loaded.IdName, Message = $"structure {r + 1} ('{loaded.Rows[r].Id}' in {source}): {p.Message}" }
            : p)
        select new GraphData(table, dataset, kind, structures, graphs);

    /// <summary>The task of the run, decided as cv decides it for feature learners (<see cref="TaskTarget.Detect"/> on the structures'
    /// table): --task when given, else classification for a boolean (a JSON true/false column such as Matbench's is_metal) or text-label
    /// target, regression for numbers (0/1 targets of a structure file are numbers: give --task classification).</summary>
    private static Validation<Problem, TaskKind> Task(CvArgs a, CsvTable table) =>
        TaskTarget.Detect(table, a.Target, a.Task switch { "classification" => TaskKind.Classification, "regression" => TaskKind.Regression, _ => null })
            .MapFail(p => p.Code == "data.non_numeric_target"
                ? p with { Message = p.Message.Replace("regression (asked) needs a numeric target; leave the task to detection (this target is then classified) or choose a numeric target column",
                    "--task regression needs a numeric target; drop --task (this target is then classified) or choose a numeric --target") }
                : p);

    /// <summary>The run's target: continuous values with --target-unit, or (classification) the class codes with their labels; a graph
    /// classifier takes exactly 2 classes (<c>param.unsupported_task</c> naming the column and the count).</summary>
    private static Validation<Problem, TaskTarget> Target(CvArgs a, GraphData data, TaskKind kind) =>
        TaskTarget.FromDataset(data.Dataset, kind, a.TargetUnit).Bind(t => t is TaskTarget.Classes c
            ? FittedPipeline.GraphClassIndices(c.ClassCodes, c.Codes.Select(v => (double)v).ToArray(), a.Target).Map(_ => t)
            : Valid.Ok(t));

    /// <summary>For report.json and the console: a graph classifier's name and parameters in a classification pipeline's shape, without
    /// imputation or scaling. Its <c>Fit</c> refuses feature rows (a graph learner has none); nothing calls it.</summary>
    private static ClassifierPipelineOptions DescribedClassifier(GraphLearner learner) =>
        new(ImputeStrategy.None, ScaleStrategy.None, new Models.Classification.ClassifierLearner(learner.Name, learner.Parameters,
            (_, _, _) => Valid.Fail<Models.Classification.ClassifierPredictor>("param.unsupported_input", $"learner '{learner.Name}' reads crystal graphs, not feature rows")));

    /// <summary>For report.json and the console: the graph learner's name and parameters in a regression pipeline's shape, without
    /// imputation or scaling. Its <c>Fit</c> refuses feature rows (a graph learner has none); nothing calls it.</summary>
    private static PipelineOptions Described(GraphLearner learner) =>
        new(ImputeStrategy.None, ScaleStrategy.None, new Learner(learner.Name, learner.Parameters,
            (_, _, _) => Valid.Fail<Predictor>("param.unsupported_input", $"learner '{learner.Name}' reads crystal graphs, not feature rows")));

    /// <summary><c>cv --structures S --model cgcnn</c>.</summary>
    public static IReadOnlyList<Problem> Cv(CvArgs a, string? source)
    {
        var total = Stopwatch.StartNew();
        var problems = Check(a, source, "cv");
        var parsed = Learner(a);
        problems.AddRange(parsed.Problems());
        var split = CvCommand.ParseSplit(a, problems);
        if (problems.Count > 0) return problems;
        var learner = parsed.OrThrow();
        var seconds = new Dictionary<string, double>();
        IProgressReporter? progress = null;
        var foldsDone = 0;
        var histories = new SortedDictionary<int, GraphTrainingHistory>();
        void Progress(int total) => progress?.Report((double)++foldsDone / total, foldsDone);
        void Keep(int k, GraphPredictor p) { if (p.History is { } h) histories[k] = h; }
        // The same stages as cv on features (load and graph building draw nothing), so the cross-validation gets cv's stream.
        var experiment =
            from data in CvCommand.Timed("load_and_build_graphs", seconds, () => Read(a, source!, learner))
            from kind in Step.Of(data.Kind)
            from target in Step.From(() => Target(a, data, kind))
            from splits in CvCommand.MakeSplits(split, data.Table, data.Dataset)
            from report in CvCommand.Timed("cross_validate", seconds, Step.Random(rng => target is TaskTarget.Classes classes
                ? GraphCrossValidation.RunClassification(learner, data.Graphs, classes, a.Target, splits, rng, _ => Progress(splits.Count), Keep)
                    .Map(r => (TaskReport)new TaskReport.Classification(r))
                : GraphCrossValidation.Run(learner, data.Graphs, data.Dataset.Target!, splits, rng, _ => Progress(splits.Count), Keep)
                    .Map(r => (TaskReport)new TaskReport.Regression(r))))
            from chance in Step.From(() => Baselines.CrossValidate(target, splits))
            select (data, target, report, chance);
        var result = LiveProgress.Run("cv", "folds", reporter =>
        {
            progress = reporter;
            return experiment.Run(a.Seed);
        });
        if (result.IsFail) return result.Problems();
        var (d, y, taskReport, baseline) = result.OrThrow();
        seconds["total"] = total.Elapsed.TotalSeconds;
        var classification = (taskReport as TaskReport.Classification)?.Report;
        var pipeline = Described(learner);
        var runReport = new RunReport
        {
            Command = "cv",
            Seed = a.Seed,
            TargetName = a.Target,
            Target = y,
            Pipeline = classification is null ? new TaskPipeline.Regression(pipeline) : new TaskPipeline.Classification(DescribedClassifier(learner)),
            Options = CvCommand.ReportOptions(a, d.Dataset),
            Split = CvCommand.Describe(split),
            Rows = d.Dataset.Count,
            Features = 0,
            Folds = taskReport.FoldSizes,
            Metrics = RunReport.FromCrossValidation(taskReport),
            Baseline = baseline,
            Confusion = classification?.Confusion,
            ConfusionPerFold = classification?.Folds.Select(f => f.Scores.Confusion).ToArray(),
            Seconds = seconds,
        };
        // No feature columns: predictions.csv's n_features_out_of_range is 0 for every row (unseen elements are still flagged).
        var features = new FeatureSet([], Matrix.FromRowMajor(d.Dataset.Count, 0, []));
        if (a.Verbose) foreach (var (k, h) in histories) Console.WriteLine($"fold {k}: {Said(h, a.TargetUnit, classification is not null)}");
        // loss.svg: per fold, the training loss and the loss of the validation share (the kept epoch is chosen on it), per epoch.
        var curves = histories.Where(kv => kv.Value.ValidationLoss.Count == kv.Value.TrainLoss.Count)
            .Select(kv => new LossCurve(kv.Key, kv.Value.TrainLoss, kv.Value.ValidationLoss, kv.Value.TrainingRows, kv.Value.ValidationRows, kv.Value.TrainLoss.Count, true))
            .ToArray();
        return (taskReport, y) switch
        {
            (TaskReport.Classification c, TaskTarget.Classes t) => ClassificationCv.Write(a with { Data = source! }, d.Dataset, t, features, DescribedClassifier(learner), c.Report,
                runReport, new SkippedRows(), d.Dataset.Count, seconds, curves),
            (TaskReport.Regression r, _) => CvCommand.Write(a with { Data = source! }, d.Dataset, features, pipeline, r.Report, curves, runReport, new SkippedRows(), d.Dataset.Count, seconds,
                "Loss, " + (histories.Values.FirstOrDefault()?.LossDescription ?? "MSE of the normalised target")),
            _ => throw new InvalidOperationException("a cross-validation report of one task for a target of the other"),
        };
    }

    /// <summary>One line on a fit's epochs: the epoch kept, its training loss and held-out MAE (of the validation share).</summary>
    internal static string Said(GraphTrainingHistory h, string unit, bool classification = false) => classification
        ? $"{h.TrainLoss.Count} epochs, kept epoch {h.BestEpoch + 1}: training loss {Cli.F(h.TrainLoss[h.BestEpoch])} ({h.LossDescription})" +
          (h.ValidationScore.Count > h.BestEpoch ? $", validation NLL {Cli.F(h.ValidationScore[h.BestEpoch])} (validation_fraction of the training graphs)" : "")
        : $"{h.TrainLoss.Count} epochs, kept epoch {h.BestEpoch + 1}: training loss {Cli.F(h.TrainLoss[h.BestEpoch])} ({h.LossDescription})" +
          (h.ValidationScore.Count > h.BestEpoch ? $", validation MAE {Cli.F(h.ValidationScore[h.BestEpoch])}{(unit.Length > 0 ? " " + unit : "")} (validation_fraction of the training graphs)" : "");

    /// <summary><c>fit --structures S --model cgcnn --out M.pmm</c> (with <c>--holdout-fold k</c>: exactly cv's fold-k model; with
    /// <c>--cv</c>: cv's metrics recorded in the model).</summary>
    public static Validation<Problem, (FittedPipeline Pipeline, int TrainRows)> Fit(FitArgs f, string? source)
    {
        var a = f.Cv;
        var problems = Check(a, source, "fit");
        var parsed = Learner(a);
        problems.AddRange(parsed.Problems());
        if (f.HoldoutFold is not null && a.FoldColumn is null)
            problems.Add(new Problem("param.missing", "--holdout-fold needs --fold-column NAME (the column of fold labels)"));
        if (f.HoldoutFold is < 0) problems.Add(new Problem("param.out_of_range", $"--holdout-fold {f.HoldoutFold} is negative; folds are numbered 0..K-1"));
        if (f.CrossValidate && a.FoldColumn is null && a.Folds is null)
            problems.Add(new Problem("param.missing", "--cv needs a split: --fold-column NAME or --folds K"));
        if (f.CrossValidate && f.HoldoutFold is not null)
            problems.Add(new Problem("param.conflict", "--cv cross-validates on every row; --holdout-fold fits one fold's model: give one of them"));
        if (!f.CrossValidate && a.Folds is not null)
            problems.Add(new Problem("param.conflict", "--folds K splits the rows for --cv; add --cv or drop --folds"));
        if (f.PolynomialDegree is not null || f.PcaComponents is not null)
            problems.Add(new Problem("param.conflict", $"--polynomial-degree and --pca transform feature rows; --model {a.Model} has none: drop them"));
        var split = CvCommand.ParseSplit(a, problems);
        if (problems.Count > 0) return Valid.Fail<(FittedPipeline, int)>(problems);
        var learner = parsed.OrThrow();
        // The same stages as cv (see Cv), so the fit's stream is the one cv gives its folds.
        var experiment =
            from data in Step.From(() => Read(a, source!, learner))
            from kind in Step.Of(data.Kind)
            from y in Step.From(() => Target(a, data, kind))
            let target = PipelineTarget.Of(a.Target, y)
            from splits in f.CrossValidate ? CvCommand.MakeSplits(split, data.Table, data.Dataset) : Step.Of<IReadOnlyList<TrainTest>>([])
            from fitted in Step.Random(rng => FitRows(f, learner, data, target, rng)
                .Bind(p => !f.CrossValidate ? Valid.Ok(p)
                    : (y is TaskTarget.Classes classes
                        ? GraphCrossValidation.RunClassification(learner, data.Graphs, classes, a.Target, splits, rng).Map(r => (TaskReport)new TaskReport.Classification(r))
                        : GraphCrossValidation.Run(learner, data.Graphs, data.Dataset.Target!, splits, rng).Map(r => (TaskReport)new TaskReport.Regression(r)))
                        .Map(report => (p.Item1.WithMetrics(FitCommand.CvMetrics(report)), p.Item2))))
            select fitted;
        return experiment.Run(a.Seed);
    }

    private static Validation<Problem, (FittedPipeline, int)> FitRows(FitArgs f, GraphLearner learner, GraphData data, PipelineTarget target, Rng rng)
    {
        var rows = FitCommand.TrainingRows(f, data.Dataset, rng);
        if (rows.IsFail) return Valid.Fail<(FittedPipeline, int)>(rows.Problems());
        var (train, stream) = rows.OrThrow();
        var y = data.Dataset.Target!;
        return FittedPipeline.FitGraphs(learner, train.Select(i => data.Graphs[i]).ToArray(), train.Select(i => data.Structures[i].Composition).ToArray(),
                train.Select(i => y[i]).ToArray(), target, stream, f.Cv.Seed, h => Console.WriteLine($"training: {Said(h, f.Cv.TargetUnit, target.Task == TaskKind.Classification)}"))
            .Map(p => (p, train.Length));
    }
}
