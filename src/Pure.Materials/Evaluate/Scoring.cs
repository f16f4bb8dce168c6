using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Pure.Materials.Split;
using Pure.Materials.Data;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Evaluate;

/// <summary>A resolved scoring rule: which metric of the report it reads, and how it is signed and ranked.</summary>
/// <param name="Name">The name as given: a report key (<c>mae</c>, <c>accuracy</c>, ...) or a scikit-learn scoring name
/// (<c>neg_mean_absolute_error</c>, <c>neg_log_loss</c>, ...).</param>
/// <param name="Key">The report metric key it reads (<see cref="Scoring.MetricKeys"/>).</param>
/// <param name="Negated">True for scikit-learn's <c>neg_*</c> names: the score is minus the metric, so greater is better.</param>
/// <param name="GreaterIsBetter">Whether a larger score is better (true for every scikit-learn scoring name, false for error keys such as <c>mae</c>).</param>
public sealed record Scorer(string Name, string Key, bool Negated, bool GreaterIsBetter)
{
    /// <summary>The score of a metric value: the value, or minus it for a <c>neg_*</c> name (scikit-learn's sign convention).</summary>
    /// <param name="metric">The metric's value.</param>
    /// <returns>The score.</returns>
    public double Score(double metric) => Negated ? -metric : metric;
}

/// <summary>Metric keys and scoring names of both tasks.</summary>
/// <remarks>
/// Report keys keep their natural sign: error metrics (<c>mae</c>, <c>rmse</c>, <c>mse</c>, <c>mape</c>, <c>mape_matbench</c>,
/// <c>max_error</c>, <c>log_loss</c>) are better when lower; the others when higher. scikit-learn scoring names follow its convention
/// that greater is better, losses being negated: regression <c>neg_mean_absolute_error</c>, <c>neg_root_mean_squared_error</c>,
/// <c>neg_mean_squared_error</c>, <c>neg_mean_absolute_percentage_error</c>, <c>r2</c>; classification <c>accuracy</c>,
/// <c>balanced_accuracy</c>, <c>precision</c>, <c>recall</c>, <c>f1</c> (binary: positive class; more classes: macro), <c>roc_auc</c>
/// (binary), <c>roc_auc_ovr</c> (macro one-vs-rest), <c>roc_auc_ovr_weighted</c>, <c>neg_log_loss</c>.
/// Source: scikit-learn 1.2.1 <c>sklearn/metrics/_scorer.py</c> (<c>_SCORERS</c>).
/// </remarks>
public static class Scoring
{
    private static readonly string[] LowerIsBetter = ["mae", "rmse", "mse", "mape", "mape_matbench", "max_error", "log_loss"];

    private static readonly Dictionary<string, string> RegressionNames = new()
    {
        ["neg_mean_absolute_error"] = "mae",
        ["neg_root_mean_squared_error"] = "rmse",
        ["neg_mean_squared_error"] = "mse",
        ["neg_mean_absolute_percentage_error"] = "mape",
    };

    private static readonly Dictionary<string, string> ClassificationNames = new()
    {
        ["neg_log_loss"] = "log_loss",
        ["roc_auc_ovr"] = "roc_auc",
        ["roc_auc_ovr_weighted"] = "roc_auc_weighted",
    };

    /// <summary>The metric keys of a task, in report order.</summary>
    /// <param name="kind">The task.</param>
    /// <returns><see cref="CrossValidationReport.MetricKeys"/> or <see cref="ClassificationReport.MetricKeys"/>.</returns>
    public static IReadOnlyList<string> MetricKeys(TaskKind kind) =>
        kind == TaskKind.Regression ? CrossValidationReport.MetricKeys : ClassificationReport.MetricKeys;

    /// <summary>Every name <see cref="Resolve"/> accepts for a task: the report keys, then scikit-learn's scoring names.</summary>
    /// <param name="kind">The task.</param>
    /// <returns>The names.</returns>
    public static IReadOnlyList<string> Names(TaskKind kind) =>
        [.. MetricKeys(kind), .. (kind == TaskKind.Regression ? RegressionNames : ClassificationNames).Keys];

    /// <summary>Resolves a metric key or a scikit-learn scoring name for a task.</summary>
    /// <param name="name">E.g. <c>mae</c>, <c>r2</c>, <c>accuracy</c>, <c>neg_log_loss</c>.</param>
    /// <param name="kind">The task.</param>
    /// <returns>The scorer, or <c>param.invalid_value</c> naming the accepted names of the task.</returns>
    public static Validation<Problem, Scorer> Resolve(string name, TaskKind kind)
    {
        if (MetricKeys(kind).Contains(name)) return Valid.Ok(new Scorer(name, name, false, !LowerIsBetter.Contains(name)));
        var names = kind == TaskKind.Regression ? RegressionNames : ClassificationNames;
        if (names.TryGetValue(name, out var key)) return Valid.Ok(new Scorer(name, key, name.StartsWith("neg_", StringComparison.Ordinal), true));
        var other = kind == TaskKind.Regression ? TaskKind.Classification : TaskKind.Regression;
        var hint = Names(other).Contains(name) ? $" ('{name}' scores {other.ToString().ToLowerInvariant()}, and this target is {(kind == TaskKind.Regression ? "continuous" : "a set of classes")})" : "";
        return Valid.Fail<Scorer>("param.invalid_value", $"metric '{name}' is unknown for {kind.ToString().ToLowerInvariant()}{hint}; use one of {string.Join(", ", Names(kind))}");
    }

    /// <summary>Summarises per-fold values: mean and population std, or NaN throughout when a fold's value is undefined.</summary>
    internal static MetricSummary Summary(IReadOnlyList<double> values) =>
        values.Any(double.IsNaN) ? new MetricSummary(double.NaN, double.NaN, double.NaN, double.NaN, values.Count) : Metrics.Summarize(values.ToArray()).OrThrow();
}

/// <summary>A pipeline fitted on training rows, for either task: predicts and scores new rows.</summary>
/// <param name="Predict">Predictions for raw features: values (regression) or class codes as numbers (classification).</param>
/// <param name="Score">Scores raw features against their true target (a subset of the same task's target).</param>
public sealed record FittedTask(Func<Matrix, double[]> Predict, Func<Matrix, TaskTarget, Validation<Problem, TaskScores>> Score);

/// <summary>Cross-validation, fitting and scoring with one code path for both tasks: the pipeline and the target are unions, and every
/// caller (search, curves, reports) goes through here.</summary>
/// <remarks>Regression runs <see cref="CrossValidation.Run"/> and classification <see cref="ClassificationCrossValidation.Run"/>, so the numbers are
/// those of the task's own cross-validation, bit for bit. A classifier's probabilities are placed in the data set's class columns (0 for a class
/// missing from the training rows) before scoring, as <see cref="ClassificationCrossValidation"/> does.</remarks>
public static class TaskEvaluation
{
    /// <summary>Cross-validates a pipeline on a target of the same task.</summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="x">Features, shape (n, n_features).</param>
    /// <param name="y">The target, length n.</param>
    /// <param name="splits">Train/test splits.</param>
    /// <param name="rng">The run's stream (fold k uses the k-th of <c>rng.SplitMany(splits.Count)</c>).</param>
    /// <param name="onFold">Optional callback with the fold's index after each fold (progress display); does not affect results.</param>
    /// <returns>The report, or <c>param.task_mismatch</c> (a regressor for classes or a classifier for a continuous target), or the first failing fold's problems.</returns>
    public static Validation<Problem, TaskReport> CrossValidate(TaskPipeline pipeline, Matrix x, TaskTarget y, IReadOnlyList<TrainTest> splits, Rng rng,
        Action<int>? onFold = null) =>
        (pipeline, y) switch
        {
            (TaskPipeline.Regression p, TaskTarget.Continuous t) => CrossValidation.Run(p.Options, x, t.Values, splits, rng, onFold is null ? null : f => onFold(f.Fold))
                .Map(r => (TaskReport)new TaskReport.Regression(r)),
            (TaskPipeline.Classification p, TaskTarget.Classes t) => ClassificationCrossValidation.Run(p.Options, x, t.Codes, splits, rng, onFold is null ? null : f => onFold(f.Fold))
                .Map(r => (TaskReport)new TaskReport.Classification(r)),
            _ => Valid.Fail<TaskReport>(Mismatch(pipeline, y)),
        };

    /// <summary>Fits a pipeline on training rows.</summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="x">Training features, shape (n_train, n_features).</param>
    /// <param name="y">Training target, same task, length n_train.</param>
    /// <param name="rng">The learner's stream.</param>
    /// <returns>The fitted pipeline, or <c>param.task_mismatch</c>, or the fit's problems.</returns>
    public static Validation<Problem, FittedTask> Fit(TaskPipeline pipeline, Matrix x, TaskTarget y, Rng rng) =>
        (pipeline, y) switch
        {
            (TaskPipeline.Regression p, TaskTarget.Continuous t) => Pipeline.Fit(p.Options, x, t.Values, rng).Map(f => new FittedTask(f.Predict,
                (xs, ys) => Metrics.Regression(((TaskTarget.Continuous)ys).Values.ToArray(), f.Predict(xs)).Map(s => (TaskScores)new TaskScores.Regression(s)))),
            (TaskPipeline.Classification p, TaskTarget.Classes t) => ClassifierPipeline.Fit(p.Options, x, t.Codes, rng).Map(f =>
            {
                (int[] Pred, Matrix Proba) Run(Matrix xs)
                {
                    var proba = Widen(f.PredictProba(xs), f.Classes, t.ClassCodes);
                    return (f.PredictLabels is { } labels ? labels(xs) : ClassifierPredictor.ArgMax(t.ClassCodes, proba), proba);
                }
                return new FittedTask(xs => Run(xs).Pred.Select(c => (double)c).ToArray(), (xs, ys) =>
                {
                    var (pred, proba) = Run(xs);
                    return ClassificationMetrics.Classification(t.ClassCodes, ((TaskTarget.Classes)ys).Codes, pred, proba).Map(s => (TaskScores)new TaskScores.Classification(s));
                });
            }),
            _ => Valid.Fail<FittedTask>(Mismatch(pipeline, y)),
        };

    /// <summary>The problem of a pipeline and a target of different tasks.</summary>
    internal static Problem Mismatch(TaskPipeline pipeline, TaskTarget y) => new("param.task_mismatch",
        $"model '{pipeline.Name}' is a {(pipeline.Kind == TaskKind.Regression ? "regressor" : "classifier")} but the target is {(y.Kind == TaskKind.Regression ? "continuous" : "a set of classes")}; " +
        $"choose a {(y.Kind == TaskKind.Regression ? "regression" : "classification")} model ({string.Join(", ", y.Kind == TaskKind.Regression ? Learners.Names : Classifiers.Names)})");

    /// <summary>Places a fold model's probability columns (its own classes) into the data set's class columns.</summary>
    internal static Matrix Widen(Matrix proba, IReadOnlyList<int> local, IReadOnlyList<int> global)
    {
        if (local.SequenceEqual(global)) return proba;
        var map = local.Select(c => global.ToList().IndexOf(c)).ToArray();
        var data = new double[proba.Rows * global.Count];
        for (var i = 0; i < proba.Rows; i++)
            for (var c = 0; c < local.Count; c++) data[i * global.Count + map[c]] = proba[i, c];
        return Matrix.Own(proba.Rows, global.Count, data);
    }
}
