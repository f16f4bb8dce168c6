using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Evaluate;

/// <summary>An unfitted pipeline for either task, a closed union: a regression <see cref="PipelineOptions"/> or a classification
/// <see cref="ClassifierPipelineOptions"/>. Both convert implicitly, so a regression pipeline can be passed wherever this is asked.</summary>
public abstract record TaskPipeline
{
    private TaskPipeline() { }

    /// <summary>The task the learner solves.</summary>
    public abstract TaskKind Kind { get; }

    /// <summary>The learner's short name (e.g. <c>rf</c>, <c>logistic</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Every hyper-parameter with scikit-learn's name and the value used.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

    /// <summary>The missing-value strategy.</summary>
    public abstract ImputeStrategy Impute { get; }

    /// <summary>The scaling strategy.</summary>
    public abstract ScaleStrategy Scale { get; }

    /// <summary>Categorical columns one-hot encoded first (fitted on each fold's training rows), or null.</summary>
    public abstract Scale.OneHotEncoderOptions? OneHot { get; }

    /// <summary>Categorical columns ordinal-encoded first (fitted on each fold's training rows), or null.</summary>
    public abstract Scale.OrdinalEncoderOptions? Ordinal { get; }

    /// <summary>The same pipeline encoding the given categorical columns first (null or none: the pipeline as it is).</summary>
    /// <param name="oneHot">The categorical columns of the feature matrix (see <see cref="Featurize.FeatureSet.OneHot"/>).</param>
    /// <returns>The pipeline.</returns>
    public TaskPipeline WithOneHot(Scale.OneHotEncoderOptions? oneHot) => oneHot is null ? this : this switch
    {
        Regression r => new Regression(r.Options with { OneHot = oneHot }),
        Classification c => new Classification(c.Options with { OneHot = oneHot }),
        _ => throw new InvalidOperationException("unreachable: TaskPipeline is a closed union"),
    };

    /// <summary>The same pipeline encoding the given categorical columns first, one-hot or ordinal (none: the pipeline as it is).</summary>
    /// <param name="columns">The categorical columns of the feature matrix (see <see cref="Featurize.FeatureSet.Categorical"/>).</param>
    /// <param name="encoding">How to encode them (<see cref="Scale.CategoricalEncoding"/>).</param>
    /// <returns>The pipeline.</returns>
    public TaskPipeline WithCategorical(IReadOnlyList<Scale.OneHotColumn> columns, Scale.CategoricalEncoding encoding) =>
        columns.Count == 0 ? this
        : encoding == global::Pure.Materials.Scale.CategoricalEncoding.OneHot ? WithOneHot(new Scale.OneHotEncoderOptions(columns))
        : this switch
        {
            Regression r => new Regression(r.Options with { Ordinal = new Scale.OrdinalEncoderOptions(columns) }),
            Classification c => new Classification(c.Options with { Ordinal = new Scale.OrdinalEncoderOptions(columns) }),
            _ => throw new InvalidOperationException("unreachable: TaskPipeline is a closed union"),
        };

    /// <summary>A regression pipeline.</summary>
    /// <param name="Options">Impute, scale, regressor.</param>
    public sealed record Regression(PipelineOptions Options) : TaskPipeline
    {
        /// <inheritdoc/>
        public override TaskKind Kind => TaskKind.Regression;
        /// <inheritdoc/>
        public override string Name => Options.Learner.Name;
        /// <inheritdoc/>
        public override IReadOnlyList<KeyValuePair<string, string>> Parameters => Options.Learner.Parameters;
        /// <inheritdoc/>
        public override ImputeStrategy Impute => Options.Impute;
        /// <inheritdoc/>
        public override ScaleStrategy Scale => Options.Scale;
        /// <inheritdoc/>
        public override Scale.OneHotEncoderOptions? OneHot => Options.OneHot;
        /// <inheritdoc/>
        public override Scale.OrdinalEncoderOptions? Ordinal => Options.Ordinal;
    }

    /// <summary>A classification pipeline.</summary>
    /// <param name="Options">Impute, scale, classifier.</param>
    public sealed record Classification(ClassifierPipelineOptions Options) : TaskPipeline
    {
        /// <inheritdoc/>
        public override TaskKind Kind => TaskKind.Classification;
        /// <inheritdoc/>
        public override string Name => Options.Learner.Name;
        /// <inheritdoc/>
        public override IReadOnlyList<KeyValuePair<string, string>> Parameters => Options.Learner.Parameters;
        /// <inheritdoc/>
        public override ImputeStrategy Impute => Options.Impute;
        /// <inheritdoc/>
        public override ScaleStrategy Scale => Options.Scale;
        /// <inheritdoc/>
        public override Scale.OneHotEncoderOptions? OneHot => Options.OneHot;
        /// <inheritdoc/>
        public override Scale.OrdinalEncoderOptions? Ordinal => Options.Ordinal;
    }

    /// <summary>Wraps a regression pipeline.</summary>
    /// <param name="options">The pipeline.</param>
    public static implicit operator TaskPipeline(PipelineOptions options) => new Regression(options);

    /// <summary>Wraps a classification pipeline.</summary>
    /// <param name="options">The pipeline.</param>
    public static implicit operator TaskPipeline(ClassifierPipelineOptions options) => new Classification(options);

    /// <summary>Builds a pipeline for a task from a learner name and <c>key=value</c> settings (scikit-learn's names).</summary>
    /// <param name="kind">The task: the learner is looked up in <see cref="Learners.Registry"/> or <see cref="Classifiers.Registry"/>.</param>
    /// <param name="model">The learner's name.</param>
    /// <param name="settings">Its settings.</param>
    /// <param name="impute">Missing-value strategy.</param>
    /// <param name="scale">Scaling strategy; null for the learner's declared default.</param>
    /// <returns>The pipeline, or the registry's problems (<c>param.unknown_model</c>, <c>param.unknown</c>, <c>param.invalid_value</c>).</returns>
    public static Validation<Problem, TaskPipeline> Parse(TaskKind kind, string model, IReadOnlyDictionary<string, string> settings, ImputeStrategy impute, ScaleStrategy? scale = null) =>
        kind == TaskKind.Regression
            ? Learners.Parse(model, settings).Map(l => (TaskPipeline)new PipelineOptions(impute, scale ?? PipelineOptions.DefaultScale(model), l))
            : Classifiers.Parse(model, settings).Map(l => (TaskPipeline)new ClassifierPipelineOptions(impute,
                scale ?? Classifiers.Registry.FirstOrDefault(s => s.Name == model)?.DefaultScale ?? ScaleStrategy.Standard, l));
}

/// <summary>The scores of one set of predictions for either task, a closed union.</summary>
public abstract record TaskScores
{
    private TaskScores() { }

    /// <summary>Reads one metric by its key (<see cref="Scoring.MetricKeys"/> of the task).</summary>
    /// <param name="key">The key, e.g. <c>mae</c> or <c>accuracy</c>.</param>
    /// <returns>The value (NaN when undefined).</returns>
    public abstract double Metric(string key);

    /// <summary>Regression scores.</summary>
    /// <param name="Scores">The scores.</param>
    public sealed record Regression(RegressionScores Scores) : TaskScores
    {
        /// <inheritdoc/>
        public override double Metric(string key) => CrossValidationReport.Metric(Scores, key);
    }

    /// <summary>Classification scores.</summary>
    /// <param name="Scores">The scores.</param>
    public sealed record Classification(ClassificationScores Scores) : TaskScores
    {
        /// <inheritdoc/>
        public override double Metric(string key) => ClassificationReport.Metric(Scores, key);
    }
}

/// <summary>A cross-validation report for either task, a closed union over <see cref="CrossValidationReport"/> and <see cref="ClassificationReport"/>.</summary>
public abstract record TaskReport
{
    private TaskReport() { }

    /// <summary>The metric keys of the task, in report order.</summary>
    public abstract IReadOnlyList<string> MetricKeys { get; }

    /// <summary>Per metric key, the summary over folds.</summary>
    public abstract IReadOnlyDictionary<string, MetricSummary> Summary { get; }

    /// <summary>Number of folds.</summary>
    public abstract int FoldCount { get; }

    /// <summary>A metric's value in each fold, in fold order.</summary>
    /// <param name="key">One of <see cref="MetricKeys"/>.</param>
    /// <returns>Values per fold.</returns>
    public abstract IReadOnlyList<double> PerFold(string key);

    /// <summary>Training and test row counts of each fold, in fold order.</summary>
    public abstract IReadOnlyList<(int Train, int Test)> FoldSizes { get; }

    /// <summary>A metric of all folds' test predictions taken together (see <see cref="CrossValidationReport.Pooled"/>).</summary>
    /// <param name="key">One of <see cref="MetricKeys"/>.</param>
    /// <returns>The value, or null when the report has no pooled scores (fewer than 2 test rows); NaN when undefined.</returns>
    public abstract double? Pooled(string key);

    /// <summary>A regression report.</summary>
    /// <param name="Report">The report.</param>
    public sealed record Regression(CrossValidationReport Report) : TaskReport
    {
        /// <inheritdoc/>
        public override IReadOnlyList<string> MetricKeys => CrossValidationReport.MetricKeys;
        /// <inheritdoc/>
        public override IReadOnlyDictionary<string, MetricSummary> Summary => Report.Summary;
        /// <inheritdoc/>
        public override int FoldCount => Report.Folds.Count;
        /// <inheritdoc/>
        public override IReadOnlyList<double> PerFold(string key) => Report.Folds.Select(f => CrossValidationReport.Metric(f.Scores, key)).ToArray();
        /// <inheritdoc/>
        public override IReadOnlyList<(int Train, int Test)> FoldSizes => Report.Folds.Select(f => (f.TrainRows.Count, f.TestRows.Count)).ToArray();
        /// <inheritdoc/>
        public override double? Pooled(string key) => Report.Pooled is { } s ? CrossValidationReport.Metric(s, key) : null;
    }

    /// <summary>A classification report.</summary>
    /// <param name="Report">The report.</param>
    public sealed record Classification(ClassificationReport Report) : TaskReport
    {
        /// <inheritdoc/>
        public override IReadOnlyList<string> MetricKeys => ClassificationReport.MetricKeys;
        /// <inheritdoc/>
        public override IReadOnlyDictionary<string, MetricSummary> Summary => Report.Summary;
        /// <inheritdoc/>
        public override int FoldCount => Report.Folds.Count;
        /// <inheritdoc/>
        public override IReadOnlyList<double> PerFold(string key) => Report.Folds.Select(f => ClassificationReport.Metric(f.Scores, key)).ToArray();
        /// <inheritdoc/>
        public override IReadOnlyList<(int Train, int Test)> FoldSizes => Report.Folds.Select(f => (f.TrainRows.Count, f.TestRows.Count)).ToArray();
        /// <inheritdoc/>
        public override double? Pooled(string key) => Report.Pooled is { } s ? ClassificationReport.Metric(s, key) : null;
    }
}
