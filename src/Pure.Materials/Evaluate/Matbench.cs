using System.Diagnostics;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Featurize.Structural;
using Pure.Materials.Pipelines;
using Pure.Materials.Split;
using Pure.Materials.Structures;

namespace Pure.Materials.Evaluate;

/// <summary>A Matbench v0.1 task bundled with the library, run with its official five folds.</summary>
/// <param name="Name">Short name: <c>expt_gap</c>, <c>expt_is_metal</c>, <c>perovskites</c>, <c>jdft2d</c>, <c>mp_e_form</c>, <c>phonons</c>.</param>
/// <param name="Data">The bundled data set (<see cref="BundledData.Open"/>; <c>matbench_phonons</c>: <see cref="BundledStructures.MatbenchPhonons"/>).</param>
/// <param name="Target">The target column (<c>gap expt</c>).</param>
/// <param name="Unit">The target's unit (empty for a classification task).</param>
/// <param name="Kind">Regression or classification.</param>
/// <param name="HasSpaceGroup">Whether the table holds the crystal system <c>crys_sys</c> and space-group number <c>spg_num</c>.</param>
/// <param name="Featurizers">The features: Magpie statistics of the composition; for the structure task, also the four
/// bond-length statistics of each structure (<c>magpie,site-stats-bond-length</c>, the recipe of this project's phonons benchmark).</param>
public sealed record MatbenchTask(string Name, string Data, string Target, string Unit, TaskKind Kind, bool HasSpaceGroup, string Featurizers = "magpie")
{
    /// <summary>The leaderboard's metrics of the task: <c>mae</c> for regression, <c>accuracy</c> and <c>roc_auc</c> for classification.</summary>
    public IReadOnlyList<string> Metrics => Kind == TaskKind.Regression ? ["mae"] : ["accuracy", "roc_auc"];

    /// <summary>Whether the task's rows are crystal structures (<c>matbench_phonons</c>) rather than compositions.</summary>
    public bool Structures => Data == "matbench_phonons";
}

/// <summary>One metric of a benchmarked task beside the published scores.</summary>
/// <param name="Metric">The metric key (<c>mae</c>, <c>accuracy</c>, <c>roc_auc</c>).</param>
/// <param name="PerFold">Its value on each official test fold, fold order.</param>
/// <param name="Summary">Mean and (population) standard deviation over the folds, as <c>cv</c> reports them.</param>
/// <param name="Dummy">The dummy baseline on the same folds (<see cref="Baselines.CrossValidate"/>).</param>
/// <param name="RfScmMagpie">The Matbench v0.1 leaderboard's RF-SCM/Magpie score (NaN when not published).</param>
/// <param name="BestPublished">The leaderboard's best entry (NaN when not published).</param>
public sealed record MatbenchScore(string Metric, IReadOnlyList<double> PerFold, MetricSummary Summary, double Dummy, double RfScmMagpie, double BestPublished);

/// <summary>The benchmark of one task.</summary>
/// <param name="Task">The task.</param>
/// <param name="Rows">Rows (compositions or structures) cross-validated.</param>
/// <param name="Features">Feature columns before one-hot encoding.</param>
/// <param name="Pipeline">The pipeline cross-validated (learner, imputation, scaling, one-hot step).</param>
/// <param name="Scores">One entry per metric of <see cref="MatbenchTask.Metrics"/>.</param>
/// <param name="Report">The full cross-validation report (every metric, every fold's predictions).</param>
/// <param name="Seconds">Wall time of loading, featurizing and cross-validating (s); the only field that differs between runs of a seed.</param>
public sealed record MatbenchResult(MatbenchTask Task, int Rows, int Features, TaskPipeline Pipeline, IReadOnlyList<MatbenchScore> Scores, TaskReport Report, double Seconds);

/// <summary>Matbench v0.1 tasks in one call: bundled data, the official folds, Magpie features, any learner of the registries, scores
/// beside the dummy baseline and the leaderboard's RF-SCM/Magpie and best published entries. The library side of the CLI's
/// <c>benchmark</c> verb, which runs the same cross-validation through <c>cv</c> (same numbers for a seed) and also writes each task's
/// <c>cv</c> outputs.</summary>
/// <remarks>Source of the tasks and folds: Dunn et al., npj Comput. Mater. 6, 138 (2020), Matbench v0.1 (matbench.materialsproject.org).</remarks>
public static class Matbench
{
    /// <summary>Every bundled task; <c>mp_e_form</c> has 132,752 rows (about a minute and 1 GB with a 10-tree forest).</summary>
    public static IReadOnlyList<MatbenchTask> Tasks { get; } =
    [
        new("expt_gap", "matbench_expt_gap", "gap expt", "eV", TaskKind.Regression, HasSpaceGroup: false),
        new("expt_is_metal", "matbench_expt_is_metal", "is_metal", "", TaskKind.Classification, HasSpaceGroup: false),
        new("perovskites", "matbench_perovskites", "e_form", "eV/cell", TaskKind.Regression, HasSpaceGroup: true),
        new("jdft2d", "matbench_jdft2d", "exfoliation_en", "meV/atom", TaskKind.Regression, HasSpaceGroup: true),
        new("mp_e_form", "matbench_mp_e_form", "e_form", "eV/atom", TaskKind.Regression, HasSpaceGroup: true),
        new("phonons", "matbench_phonons", "last phdos peak", "cm^-1", TaskKind.Regression, HasSpaceGroup: false, "magpie,site-stats-bond-length"),
    ];

    /// <summary>The tasks run when none are named: the four that take seconds.</summary>
    public const string DefaultTasks = "expt_gap,expt_is_metal,perovskites,jdft2d";

    /// <summary>Reads a comma-separated list of task names (<c>matbench_</c> prefix optional), each once, in the order given.</summary>
    /// <param name="names">The list, or null for <see cref="DefaultTasks"/>.</param>
    /// <returns>The tasks, or <c>param.invalid_value</c> naming each unknown task and the known ones.</returns>
    public static Validation<Problem, MatbenchTask[]> ParseTasks(string? names)
    {
        var list = (names ?? DefaultTasks).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.StartsWith("matbench_", StringComparison.Ordinal) ? n["matbench_".Length..] : n).Distinct().ToArray();
        var known = string.Join(", ", Tasks.Select(t => t.Name));
        if (list.Length == 0) return Valid.Fail<MatbenchTask[]>("param.invalid_value", $"the task list is empty; give one or more of {known}");
        var problems = list.Where(n => Tasks.All(t => t.Name != n))
            .Select(n => new Problem("param.invalid_value", $"no Matbench task '{n}'; known: {known}")).ToArray();
        return problems.Length > 0 ? Valid.Fail<MatbenchTask[]>(problems) : Valid.Ok(list.Select(n => Tasks.First(t => t.Name == n)).ToArray());
    }

    /// <summary>Cross-validates a learner on a task's official folds, as a step of a seeded experiment.</summary>
    /// <param name="task">The task (<see cref="Tasks"/>).</param>
    /// <param name="model">A learner name of the task's registry (<see cref="Learners.Registry"/> for regression,
    /// <see cref="Classifiers.Registry"/> for classification), e.g. <c>rf</c>, <c>gbm</c>.</param>
    /// <param name="settings">Its hyper-parameters by scikit-learn name (<c>n_estimators</c> = <c>100</c>).</param>
    /// <param name="spaceGroup">On a task with <see cref="MatbenchTask.HasSpaceGroup"/>, add <c>crys_sys</c> and <c>spg_num</c> as
    /// categorical columns encoded (as <paramref name="encoding"/> says) by a step fitted inside each fold; ignored on the others.</param>
    /// <param name="encoding">How the space-group columns are encoded: one-hot (default, <see cref="Scale.OneHotEncoder"/>) or ordinal
    /// (<see cref="Scale.OrdinalEncoder"/>: the width and memory of the numeric features).</param>
    /// <returns>A step whose run gives the result: with the seed of <c>pure-materials benchmark --seed</c>, the per-fold scores equal the
    /// verb's to the last bit. Fails with the registry's problems (<c>param.unknown_model</c>, <c>param.unknown</c>,
    /// <c>param.invalid_value</c>) or a fold's.</returns>
    /// <remarks>Features: Magpie statistics of the composition (structures: plus the bond-length statistics), missing values imputed
    /// with the training folds' mean, scaling as the learner declares (none for trees). Time: seconds for the four default tasks
    /// with a 100-tree forest on 2 cores; mp_e_form about a minute with 10 trees.</remarks>
    public static Step<MatbenchResult> Benchmark(MatbenchTask task, string model, IReadOnlyDictionary<string, string> settings, bool spaceGroup = false,
        Scale.CategoricalEncoding encoding = Scale.CategoricalEncoding.OneHot)
    {
        ArgumentNullException.ThrowIfNull(task);
        var clock = new Stopwatch();
        return
            from pipeline in Step.From(() => { clock.Start(); return TaskPipeline.Parse(task.Kind, model, settings, ImputeStrategy.Mean); })
            from input in Step.From(() => task.Structures ? Structures(task) : Compositions(task, spaceGroup && task.HasSpaceGroup))
            let encoded = pipeline.WithCategorical(input.Features.Categorical, encoding)
            from splits in Step.From(() => PredefinedFolds.FromLabels(input.Folds))
            from report in Step.Random(rng => TaskEvaluation.CrossValidate(encoded, input.Features.X, input.Target, splits, rng))
            from chance in Step.From(() => Baselines.CrossValidate(input.Target, splits))
            select Result(task, encoded, input, report, chance, clock.Elapsed.TotalSeconds);
    }

    private static MatbenchResult Result(MatbenchTask task, TaskPipeline pipeline, (FeatureSet Features, TaskTarget Target, IReadOnlyList<int> Folds) input,
        TaskReport report, RunBaseline chance, double seconds)
    {
        var published = MatbenchLeaderboard.For(task.Data);
        double Published(string entry, string key) => published.FirstOrDefault(s => s.Entry == entry && s.Metric == key)?.Value ?? double.NaN;
        var scores = task.Metrics.Select(key => new MatbenchScore(key, report.PerFold(key), report.Summary[key],
            chance.Metrics.FirstOrDefault(m => m.Key == key)?.Summary.Mean ?? double.NaN,
            Published("RF-SCM/Magpie", key), Published("best published", key))).ToArray();
        return new MatbenchResult(task, input.Folds.Count, input.Features.Labels.Count, pipeline, scores, report, seconds);
    }

    /// <summary>A composition task's Magpie features (and space-group columns), target and folds, read as <c>cv</c> reads them.</summary>
    private static Validation<Problem, (FeatureSet Features, TaskTarget Target, IReadOnlyList<int> Folds)> Compositions(MatbenchTask task, bool spaceGroup)
    {
        var spec = new DatasetSpec
        {
            FormulaColumn = "composition", TargetColumn = task.Target, IdColumn = "mbid", FoldColumn = "fold",
            FeatureColumns = spaceGroup ? ["crys_sys"] : [], CategoricalColumns = spaceGroup ? ["spg_num"] : [], DetectCategorical = true,
            ClassLabels = task.Kind == TaskKind.Classification,
        };
        return from table in BundledData.Open(task.Data)
               from dataset in Dataset.FromTable(spec, table)
               from target in TaskTarget.FromDataset(dataset, task.Kind, task.Unit)
               from featurizers in CompositionFeaturizers.Parse(task.Featurizers, MissingElementValue.NaN)
               from features in CompositionFeaturizers.Build(featurizers, dataset)
               select (features, target, (IReadOnlyList<int>)dataset.Folds!);
    }

    /// <summary>matbench_phonons: the structures' features, target (cm^-1) and official folds.</summary>
    private static Validation<Problem, (FeatureSet Features, TaskTarget Target, IReadOnlyList<int> Folds)> Structures(MatbenchTask task) =>
        from entries in BundledStructures.MatbenchPhonons()
        from table in BundledStructures.MatbenchPhononsTable()
        from foldColumn in table.ColumnIndex("fold")
        let structures = entries.Select(e => e.Structure).ToArray()
        from fitted in StructureFeaturization.Fit(task.Featurizers, structures, MissingElementValue.NaN)
        from featurizer in fitted.Build()
        from features in StructureFeaturizer.Build(featurizer, structures)
        select (features, (TaskTarget)new TaskTarget.Continuous(entries.Select(e => e.Target ?? double.NaN).ToArray(), task.Unit),
            (IReadOnlyList<int>)table.Rows.Select(r => int.Parse(r[foldColumn], System.Globalization.CultureInfo.InvariantCulture)).ToArray());
}
