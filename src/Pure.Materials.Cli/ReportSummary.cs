using System.Globalization;
using System.Text.Json;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;

namespace Pure.Materials.Cli;

/// <summary>What <c>report DIR</c> puts first: the headline of a run's report.json (task, data, model, split, the main metric with its
/// spread and unit beside the dummy baseline and the published Matbench scores), the per-fold table, and the largest errors of its
/// predictions.csv. Numbers are shown with 4 significant digits.</summary>
internal static class ReportSummary
{
    /// <summary>4 significant digits, invariant culture; "undefined" for a null (NaN) metric.</summary>
    public static string N(double? v) => v is double d && double.IsFinite(d) ? d.ToString("G4", CultureInfo.InvariantCulture) : "undefined";

    /// <summary>A mean and its standard deviation to meaningful digits: the std to 2 significant digits, the mean to the same decimal
    /// place (0.4491, 0.0195 -> "0.449 \u00b1 0.020").</summary>
    public static string MeanStd(double? mean, double? std, string unit = "")
    {
        if (mean is not double m || !double.IsFinite(m)) return "undefined";
        var u = unit.Length > 0 ? " " + unit : "";
        if (std is not double s || !double.IsFinite(s) || s <= 0) return N(m) + u;
        var decimals = Math.Clamp(1 - (int)Math.Floor(Math.Log10(s)), 0, 12);
        var f = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        return $"{m.ToString(f, CultureInfo.InvariantCulture)} \u00b1 {s.ToString(f, CultureInfo.InvariantCulture)}{u}";
    }

    private static double? Get(JsonElement e, params string[] path)
    {
        foreach (var p in path)
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e)) return null;
        return e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;
    }

    private static string? Text(JsonElement e, params string[] path)
    {
        foreach (var p in path)
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e)) return null;
        return e.ValueKind == JsonValueKind.String ? e.GetString() : e.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : e.ToString();
    }

    private static bool IsRegression(JsonElement root) => Text(root, "task") == "regression";

    /// <summary>The metrics the headline and the per-fold table show, main one first.</summary>
    private static string[] Shown(JsonElement root) =>
        IsRegression(root) ? ["mae", "rmse", "r2", "max_error"] : ["accuracy", "roc_auc", "balanced_accuracy", "f1", "log_loss"];

    /// <summary>A default page title: <c>rf on matbench_expt_gap: gap expt</c>.</summary>
    public static string? Title(JsonElement root) =>
        Text(root, "options", "model") is { } model && Text(root, "options", "data") is { } data && Text(root, "target", "name") is { } target
            ? $"{model} on {Path.GetFileName(data)}: {target}" : null;

    /// <summary>The headline section of a report.json.</summary>
    public static ReportSection Headline(JsonElement root)
    {
        var regression = IsRegression(root);
        var unit = Text(root, "target", "unit") ?? "";
        var u = unit.Length > 0 ? " " + unit : "";
        var main = Shown(root)[0];
        string WithUnit(string key, double? v) => N(v) + (key is "mae" or "rmse" or "max_error" && v is not null ? u : "");
        var model = Text(root, "options", "model") ?? "?";
        var data = Path.GetFileName(Text(root, "options", "data") ?? "?");
        var target = Text(root, "target", "name") ?? "?";
        var folds = (int)(Get(root, "n_folds") ?? 0);
        var split = Split(root);
        var mean = Get(root, "metrics", main, "mean");
        var std = Get(root, "metrics", main, "std");
        var pooled = Get(root, "metrics", main, "pooled");
        string Unit(string key) => key is "mae" or "rmse" or "max_error" ? unit : "";
        var result = folds > 1
            ? $"{MeanStd(mean, std, Unit(main))} (mean \u00b1 std over {folds} folds{(pooled is null ? "" : $"; pooled {WithUnit(main, pooled)}")})"
            : WithUnit(main, mean);
        var lead = $"{model} predicts {target}{(unit.Length > 0 ? $" ({unit})" : "")} of {data} with {Label(main)} {result}.";
        var items = new List<KeyValuePair<string, string>>
        {
            new("task", $"{Text(root, "task")}{(regression ? "" : $" ({Text(root, "target", "classes")?.Trim('[', ']').Replace("\"", "")})")}"),
            new("data", $"{data}: {Get(root, "n_rows")} rows, {Get(root, "n_features")} features"),
            new("model", $"{model} ({Parameters(root)}), impute {Text(root, "options", "impute")}, scale {Text(root, "options", "scale")}"),
            new("split", $"{split}, seed {Text(root, "seed")}"),
        };
        foreach (var key in Shown(root))
            if (root.TryGetProperty("metrics", out var m) && m.TryGetProperty(key, out _))
                items.Add(new(Label(key), folds > 1
                    ? $"{MeanStd(Get(root, "metrics", key, "mean"), Get(root, "metrics", key, "std"), Unit(key))} over folds" +
                      (Get(root, "metrics", key, "pooled") is { } p ? $", pooled {WithUnit(key, p)}" : "")
                    : WithUnit(key, Get(root, "metrics", key, "mean"))));
        if (Text(root, "baseline", "model") is { } baseline)
        {
            var b = Get(root, "baseline", "metrics", main, "mean");
            items.Add(new("baseline", $"{baseline}: {Label(main)} {WithUnit(main, b)} on the same splits"));
            lead += $" A {(regression ? "mean" : "prior")} dummy model scores {WithUnit(main, b)}.";
        }
        var published = MatbenchLeaderboard.For(data);
        if (published.Count > 0)
        {
            items.Add(new("Matbench v0.1", string.Join("; ", published.Select(s => $"{s.Entry} {Label(s.Metric)} {N(s.Value)}{(s.Unit.Length > 0 ? " " + s.Unit : "")}"))));
            var rf = published.FirstOrDefault(s => s.Entry == "RF-SCM/Magpie" && s.Metric == main);
            if (rf is not null) lead += $" Matbench's RF-SCM/Magpie: {N(rf.Value)}{(rf.Unit.Length > 0 ? " " + rf.Unit : "")}.";
        }
        return new ReportSection.Headline("Summary", lead, items);
    }

    /// <summary>The per-fold table: rows per fold, then the shown metrics and the baseline's main metric.</summary>
    public static ReportSection? PerFold(JsonElement root)
    {
        if (!root.TryGetProperty("folds", out var folds) || folds.GetArrayLength() < 2) return null;
        var shown = Shown(root).Where(k => root.GetProperty("metrics").TryGetProperty(k, out _)).ToArray();
        var hasBaseline = root.TryGetProperty("baseline", out var baseline);
        string[] header = ["fold", "n_train", "n_test", .. shown.Select(Label), .. hasBaseline ? [$"dummy {Label(shown[0])}"] : Array.Empty<string>()];
        var unit = Text(root, "target", "unit") ?? "";
        var rows = new List<IReadOnlyList<string>>();
        var k = 0;
        foreach (var f in folds.EnumerateArray())
        {
            double? At(JsonElement metrics, string key) =>
                metrics.TryGetProperty(key, out var m) && m.GetProperty("per_fold")[k] is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;
            rows.Add([f.GetProperty("fold").ToString(), f.GetProperty("n_train").ToString(), f.GetProperty("n_test").ToString(),
                .. shown.Select(s => N(At(root.GetProperty("metrics"), s))),
                .. hasBaseline ? [N(At(baseline.GetProperty("metrics"), shown[0]))] : Array.Empty<string>()]);
            k++;
        }
        return new ReportSection.Table("Per fold", header, rows, unit.Length > 0 ? $"MAE, RMSE and max error in {unit}; 4 significant digits (report.json has every digit)" : "4 significant digits (report.json has every digit)");
    }

    /// <summary>The largest errors of predictions.csv: regression rows by |y_pred - y_true|, classification rows predicted wrong by the
    /// probability they gave the true class (lowest first).</summary>
    public static ReportSection? LargestErrors(CsvTable predictions, int maxRows, string unit)
    {
        var h = predictions.Header.ToList();
        int C(string name) => h.IndexOf(name);
        var (id, formula, fold, truth, pred) = (C("id"), C("formula"), C("fold"), C("y_true"), C("y_pred"));
        if (truth < 0 || pred < 0) return null;
        string Cell(string[] r, int c) => c >= 0 && c < r.Length ? r[c] : "";
        if (double.TryParse(Cell(predictions.Rows[0], truth), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            var rows = predictions.Rows
                .Select(r => (Row: r, Error: double.Parse(Cell(r, pred), CultureInfo.InvariantCulture) - double.Parse(Cell(r, truth), CultureInfo.InvariantCulture)))
                .OrderByDescending(t => Math.Abs(t.Error)).Take(maxRows)
                .Select(t => (IReadOnlyList<string>)[Cell(t.Row, id), Cell(t.Row, formula), Cell(t.Row, fold),
                    N(double.Parse(Cell(t.Row, truth), CultureInfo.InvariantCulture)), N(double.Parse(Cell(t.Row, pred), CultureInfo.InvariantCulture)), N(t.Error)])
                .ToArray();
            var u = unit.Length > 0 ? $" ({unit})" : "";
            return new ReportSection.Table("Largest errors", ["id", "formula", "fold", $"y_true{u}", $"y_pred{u}", $"y_pred \u2212 y_true{u}"], rows,
                $"the {rows.Length} largest of {predictions.Rows.Count} out-of-fold errors; every prediction is in predictions.csv");
        }
        var wrong = predictions.Rows.Where(r => Cell(r, truth) != Cell(r, pred))
            .Select(r => (Row: r, P: C($"p_{Cell(r, truth)}") is var pc && pc >= 0 && double.TryParse(Cell(r, pc), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : double.NaN))
            .OrderBy(t => double.IsNaN(t.P) ? 2 : t.P).Take(maxRows)
            .Select(t => (IReadOnlyList<string>)[Cell(t.Row, id), Cell(t.Row, formula), Cell(t.Row, fold), Cell(t.Row, truth), Cell(t.Row, pred), N(t.P)])
            .ToArray();
        return new ReportSection.Table("Most confident mistakes", ["id", "formula", "fold", "y_true", "y_pred", "p(y_true)"], wrong,
            $"{wrong.Length} of the {predictions.Rows.Count(r => Cell(r, truth) != Cell(r, pred))} wrong predictions (of {predictions.Rows.Count}), lowest probability of the true class first; every prediction is in predictions.csv");
    }

    private static string Parameters(JsonElement root) =>
        root.TryGetProperty("options", out var o) && o.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object
            ? string.Join(", ", p.EnumerateObject().Select(kv => $"{kv.Name}={kv.Value}"))
            : "";

    private static string Split(JsonElement root)
    {
        if (!root.TryGetProperty("options", out var o) || !o.TryGetProperty("split", out var s)) return "?";
        var kind = Text(s, "kind");
        var folds = Get(root, "n_folds");
        return kind switch
        {
            "fold_column" => $"{folds} predefined folds (column '{Text(s, "column")}')",
            "kfold" => $"{folds}-fold, shuffled",
            "train_test" => $"one train/test split (test fraction {Text(s, "test_fraction")})",
            "leave_one_out" => $"leave-one-out ({folds} folds)",
            _ => $"{kind} ({folds} folds)",
        };
    }

    /// <summary>Display names of metric keys.</summary>
    private static string Label(string key) => key switch
    {
        "mae" => "MAE",
        "rmse" => "RMSE",
        "r2" => "R\u00b2",
        "max_error" => "max error",
        "accuracy" => "accuracy",
        "roc_auc" => "ROC-AUC",
        "balanced_accuracy" => "balanced accuracy",
        "f1" => "F1",
        "log_loss" => "log loss",
        _ => key,
    };
}
