using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pure.Materials.Data;

namespace Pure.Materials.Evaluate;

/// <summary>How the rows were split into training and test sets.</summary>
/// <param name="Kind">The scheme: <c>kfold</c>, <c>fold_column</c>, <c>train_test</c>, <c>group_kfold</c>, <c>stratified_kfold</c>,
/// <c>stratified_group_kfold</c>, <c>leave_one_out</c>.</param>
/// <param name="Parameters">Its parameters in order, e.g. <c>n_splits</c>, <c>shuffle</c>, <c>column</c>, <c>test_fraction</c>, <c>groups</c>.</param>
public sealed record RunSplit(string Kind, IReadOnlyList<KeyValuePair<string, object?>> Parameters);

/// <summary>One metric of a run: its value in each fold and the summary over folds.</summary>
/// <param name="Key">The metric key or scoring name.</param>
/// <param name="PerFold">Value per fold, in fold order (NaN when undefined; written as null).</param>
/// <param name="Summary">Mean and population standard deviation over folds.</param>
/// <param name="Pooled">Cross-validation: the metric of all folds' test predictions taken together (written as <c>pooled</c>); null otherwise.</param>
public sealed record RunMetric(string Key, IReadOnlyList<double> PerFold, MetricSummary Summary, double? Pooled = null);

/// <summary>The record of one run (cross-validation, search or learning curve) of either task, written as <c>report.json</c> with one schema.</summary>
/// <remarks>
/// <para>Schema <c>pure-materials.report/1</c>, keys in this order: <c>schema</c>, <c>tool</c>, <c>version</c> (library assembly version),
/// <c>command</c>, <c>task</c> (<c>regression</c> or <c>classification</c>), <c>target</c> (<c>name</c> and <c>unit</c>, or <c>name</c>,
/// <c>classes</c> (the text labels, in class-code order) and <c>positive_class</c> (binary only)), <c>options</c> (every option of the run as
/// given, then <c>impute</c>, <c>scale</c>, <c>model</c>, <c>parameters</c> (every hyper-parameter, scikit-learn names) and <c>split</c>
/// (<c>kind</c> and its parameters)), <c>seed</c>, <c>n_rows</c>, <c>n_features</c>, <c>n_folds</c>, <c>folds</c> (<c>fold</c>, <c>n_train</c>,
/// <c>n_test</c> each), <c>metrics</c> (per key: <c>per_fold</c>, <c>mean</c>, <c>std</c>, and for cross-validation <c>pooled</c>: the metric
/// of all out-of-fold predictions together), <c>baseline</c> (cross-validation: <c>model</c>, the dummy baseline on the same splits, and its
/// <c>metrics</c>), then per run kind <c>confusion_matrix</c> and
/// <c>confusion_matrix_per_fold</c> (classification cross-validation), <c>search</c>, <c>curve</c>, and last <c>seconds</c> (wall-clock per
/// stage; the only values that change between identical runs). NaN and infinities, which JSON cannot hold, are written as null.</para>
/// <para>What <c>metrics</c> holds: cross-validation: every metric of the task per fold; search: the best candidate's per fold (nested: the outer
/// test scores; with a held-out split: its one test score); learning curve: the test score at the last point per fold.</para>
/// </remarks>
public sealed record RunReport
{
    /// <summary>The schema name and major version written as <c>schema</c>.</summary>
    public const string Schema = "pure-materials.report/1";

    /// <summary>The verb that ran: <c>cv</c>, <c>search</c> or <c>learning-curve</c>.</summary>
    public required string Command { get; init; }

    /// <summary>The run's seed.</summary>
    public required long Seed { get; init; }

    /// <summary>The target column's name.</summary>
    public required string TargetName { get; init; }

    /// <summary>The target (its task, unit or class labels; the values themselves are not written).</summary>
    public required TaskTarget Target { get; init; }

    /// <summary>The pipeline (its model name, hyper-parameters, imputation and scaling are written under <c>options</c>).</summary>
    public required TaskPipeline Pipeline { get; init; }

    /// <summary>Every other option as given, in order: values are text, numbers, booleans, lists of text, or null.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Options { get; init; } = [];

    /// <summary>The split.</summary>
    public required RunSplit Split { get; init; }

    /// <summary>Number of rows.</summary>
    public required int Rows { get; init; }

    /// <summary>Number of features.</summary>
    public required int Features { get; init; }

    /// <summary>Training and test rows per fold.</summary>
    public IReadOnlyList<(int Train, int Test)> Folds { get; init; } = [];

    /// <summary>The metrics, in report order.</summary>
    public IReadOnlyList<RunMetric> Metrics { get; init; } = [];

    /// <summary>Classification cross-validation: the confusion matrix over all folds' test rows.</summary>
    public ConfusionMatrix? Confusion { get; init; }

    /// <summary>Classification cross-validation: the confusion matrix of each fold.</summary>
    public IReadOnlyList<ConfusionMatrix>? ConfusionPerFold { get; init; }

    /// <summary>Cross-validation: the dummy baseline scored on the same splits (<see cref="Baselines"/>), written as <c>baseline</c>.</summary>
    public RunBaseline? Baseline { get; init; }

    /// <summary>A search's table.</summary>
    public SearchReport? Search { get; init; }

    /// <summary>A learning or validation curve.</summary>
    public Curve? Curve { get; init; }

    /// <summary>Wall-clock seconds per stage.</summary>
    public IReadOnlyDictionary<string, double> Seconds { get; init; } = new Dictionary<string, double>();

    /// <summary>The metrics of a cross-validation report: every key of its task, per fold and summarised.</summary>
    /// <param name="report">The report.</param>
    /// <returns>One entry per key, in report order.</returns>
    public static IReadOnlyList<RunMetric> FromCrossValidation(TaskReport report) =>
        report.MetricKeys.Select(k => new RunMetric(k, report.PerFold(k), report.Summary[k], report.Pooled(k))).ToArray();

    /// <summary>The metrics of a search: the best candidate's per fold.</summary>
    /// <param name="search">The search.</param>
    /// <returns>One entry per key of the task.</returns>
    public static IReadOnlyList<RunMetric> FromSearch(SearchReport search) =>
        search.Best.PerFold.Select(kv => new RunMetric(kv.Key, kv.Value, search.Best.Summary[kv.Key])).ToArray();

    /// <summary>The metrics of scores on outer test folds (nested search) or one held-out split.</summary>
    /// <param name="kind">The task.</param>
    /// <param name="scores">The scores, one per fold.</param>
    /// <returns>One entry per key of the task.</returns>
    public static IReadOnlyList<RunMetric> FromScores(TaskKind kind, IReadOnlyList<TaskScores> scores) =>
        Scoring.MetricKeys(kind).Select(k =>
        {
            var values = scores.Select(s => s.Metric(k)).ToArray();
            return new RunMetric(k, values, Scoring.Summary(values));
        }).ToArray();

    /// <summary>The metrics of a curve: the test score at its last point, per fold.</summary>
    /// <param name="curve">The curve.</param>
    /// <returns>One entry, named by the curve's metric.</returns>
    public static IReadOnlyList<RunMetric> FromCurve(Curve curve) =>
        curve.Points.Count == 0 ? [] : [new RunMetric(curve.Metric, curve.Points[^1].TestPerFold, curve.Points[^1].Test)];

    /// <summary>Writes the report as indented JSON (schema <see cref="Schema"/>).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => ToJsonNode().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Builds the JSON tree of the report (see the remarks of <see cref="RunReport"/> for the keys).</summary>
    /// <returns>The root object.</returns>
    public JsonObject ToJsonNode()
    {
        var classes = Target as TaskTarget.Classes;
        var labels = classes?.Labels.ToArray();
        var target = classes is null
            ? new JsonObject { ["name"] = TargetName, ["unit"] = ((TaskTarget.Continuous)Target).Unit }
            : new JsonObject
            {
                ["name"] = TargetName,
                ["classes"] = Strings(labels!),
                ["positive_class"] = classes.PositiveLabel,
            };
        var options = new JsonObject();
        foreach (var (k, v) in Options) options[k] = Node(v);
        options["impute"] = Pipeline.Impute.ToString().ToLowerInvariant();
        options["scale"] = Pipeline.Scale.ToString().ToLowerInvariant();
        options["model"] = Pipeline.Name;
        options["parameters"] = new JsonObject(Pipeline.Parameters.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        var split = new JsonObject { ["kind"] = Split.Kind };
        foreach (var (k, v) in Split.Parameters) split[k] = Node(v);
        options["split"] = split;
        var root = new JsonObject
        {
            ["schema"] = Schema,
            ["tool"] = "pure-materials",
            ["version"] = typeof(RunReport).Assembly.GetName().Version?.ToString(),
            ["command"] = Command,
            ["task"] = Target.Kind == TaskKind.Regression ? "regression" : "classification",
            ["target"] = target,
            ["options"] = options,
            ["seed"] = Seed,
            ["n_rows"] = Rows,
            ["n_features"] = Features,
            ["n_folds"] = Folds.Count,
            ["folds"] = new JsonArray([.. Folds.Select((f, i) => (JsonNode)new JsonObject { ["fold"] = i, ["n_train"] = f.Train, ["n_test"] = f.Test })]),
            ["metrics"] = MetricsNode(Metrics),
        };
        if (Baseline is { } b) root["baseline"] = new JsonObject { ["model"] = b.Name, ["metrics"] = MetricsNode(b.Metrics) };
        if (Confusion is { } c) root["confusion_matrix"] = ConfusionNode(c, labels);
        if (ConfusionPerFold is { } perFold) root["confusion_matrix_per_fold"] = new JsonArray([.. perFold.Select(m => (JsonNode)ConfusionNode(m, labels))]);
        if (Search is { } s) root["search"] = SearchNode(s);
        if (Curve is { } curve) root["curve"] = CurveNode(curve);
        root["seconds"] = new JsonObject(Seconds.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        return root;
    }

    /// <summary>A finite number, or null for NaN/infinity (an undefined metric), which JSON cannot hold.</summary>
    /// <param name="v">The value.</param>
    /// <returns>The node.</returns>
    public static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static JsonObject MetricsNode(IEnumerable<RunMetric> metrics)
    {
        var o = new JsonObject();
        foreach (var m in metrics)
        {
            var node = new JsonObject
            {
                ["per_fold"] = new JsonArray([.. m.PerFold.Select(Number)]),
                ["mean"] = Number(m.Summary.Mean),
                ["std"] = Number(m.Summary.Std),
            };
            if (m.Pooled is double pooled) node["pooled"] = Number(pooled);
            o[m.Key] = node;
        }
        return o;
    }

    private static JsonObject SummaryNode(IReadOnlyDictionary<string, MetricSummary> summary) =>
        new(summary.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonObject { ["mean"] = Number(kv.Value.Mean), ["std"] = Number(kv.Value.Std) })));

    private static JsonObject SearchNode(SearchReport s) => new()
    {
        ["metric"] = s.Metric,
        ["n_candidates"] = s.Candidates.Count,
        ["n_folds"] = s.Folds,
        ["best_index"] = s.Best.Index,
        ["best"] = s.Best.Label,
        ["best_parameters"] = new JsonObject(s.Best.Pipeline.Parameters.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
        ["candidates"] = new JsonArray([.. s.Candidates.Select(c => (JsonNode)new JsonObject
        {
            ["index"] = c.Index,
            ["label"] = c.Label,
            ["rank"] = c.Rank,
            ["mean_test_score"] = Number(c.MeanScore),
            ["std_test_score"] = Number(c.StdScore),
            ["metrics"] = SummaryNode(c.Summary),
        })]),
    };

    private static JsonObject CurveNode(Curve c) => new()
    {
        ["metric"] = c.Metric,
        ["x"] = c.XName,
        ["n_folds"] = c.Folds,
        ["points"] = new JsonArray([.. c.Points.Select(p => (JsonNode)new JsonObject
        {
            ["x"] = Number(p.X),
            ["label"] = p.Label,
            ["train"] = new JsonObject { ["per_fold"] = new JsonArray([.. p.TrainPerFold.Select(Number)]), ["mean"] = Number(p.Train.Mean), ["std"] = Number(p.Train.Std) },
            ["test"] = new JsonObject { ["per_fold"] = new JsonArray([.. p.TestPerFold.Select(Number)]), ["mean"] = Number(p.Test.Mean), ["std"] = Number(p.Test.Std) },
        })]),
    };

    private static JsonObject ConfusionNode(ConfusionMatrix c, IReadOnlyList<string>? names) => new()
    {
        ["labels"] = Strings(names ?? c.Labels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()),
        ["counts"] = new JsonArray([.. c.Counts.Select(r => (JsonNode)new JsonArray([.. r.Select(v => JsonValue.Create(v))]))]),
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static JsonNode? Node(object? v) => v switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => Number(d),
        IEnumerable<KeyValuePair<string, string>> kvs => new JsonObject(kvs.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
        IEnumerable<string> strings => Strings(strings),
        IEnumerable e => new JsonArray([.. e.Cast<object?>().Select(Node)]),
        _ => JsonValue.Create(v.ToString()),
    };
}
