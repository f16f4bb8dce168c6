using System.Text.Json.Nodes;
using Pure.Materials.Evaluate;

namespace Pure.Materials.Cli;

/// <summary>JSON pieces shared by the report.json of every command.</summary>
internal static class ReportJson
{
    /// <summary>A finite number, or null for NaN/infinity (an undefined metric), which JSON cannot hold.</summary>
    public static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    /// <summary>Per metric key: the per-fold values, their mean and standard deviation.</summary>
    /// <param name="keys">Metric keys, in report order.</param>
    /// <param name="perFold">The value of a metric in each fold, in fold order.</param>
    /// <param name="summary">The summary of a metric over folds.</param>
    public static JsonObject Metrics(IEnumerable<string> keys, Func<string, IEnumerable<double>> perFold, Func<string, MetricSummary> summary)
    {
        var metrics = new JsonObject();
        foreach (var key in keys)
            metrics[key] = new JsonObject
            {
                ["per_fold"] = new JsonArray([.. perFold(key).Select(Number)]),
                ["mean"] = Number(summary(key).Mean),
                ["std"] = Number(summary(key).Std),
            };
        return metrics;
    }
}
