using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Spectre.Console;

namespace Pure.Materials.Cli;

/// <summary>The <c>report</c> command: gathers the pictures (*.svg), tables (*.csv) and report.json in a directory into one index.html.</summary>
internal static class ReportCommand
{
    public static Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var dir = new Argument<string?>("DIR")
        {
            Description = "Directory written by cv, search, learning-curve, explain, pca, cluster, select or active (their --out DIR); index.html is written there.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        // The spelling before issue 12 (report --out DIR): hidden, still read, with a warning naming the new one.
        var oldOut = new Option<string?>("--out") { Description = "Deprecated: give the directory as the argument, report DIR.", Hidden = true };
        var title = new Option<string?>("--title") { Description = "Page title (default: the directory name)." };
        var maxRows = new Option<int>("--max-rows") { Description = "Rows shown per table.", DefaultValueFactory = _ => 50 };
        var command = new Command("report", "Gather an experiment's pictures and tables into one self-contained HTML page (DIR/index.html).") { dir, oldOut, title, maxRows };
        command.SetAction(r => run(() => Directory(r.GetValue(dir), r.GetValue(oldOut)) is var (path, problem) && problem is not null
            ? [problem]
            : Run(path!, r.GetValue(title), r.GetValue(maxRows))));
        return command;
    }

    /// <summary>The directory: the argument, or the deprecated <c>--out</c> (with a warning on stderr); a problem when neither or two different ones are given.</summary>
    private static (string? Dir, Problem? Problem) Directory(string? argument, string? deprecated)
    {
        if (deprecated is not null)
            Console.Error.WriteLine("warning: report --out DIR is deprecated and will be removed; give the directory as the argument: report DIR");
        return (argument, deprecated) switch
        {
            (null, null) => (null, new Problem("param.missing", "report needs the directory to gather: pure-materials report DIR (the --out DIR of an earlier cv, search, pca, ... run)")),
            ({ } a, { } d) when a != d => (null, new Problem("param.conflict", $"two directories given: '{a}' and --out '{d}'; give one: report DIR")),
            _ => (argument ?? deprecated, null),
        };
    }

    /// <summary>Pictures in a fixed reading order first, then any other SVG; then report.json facts; then tables.</summary>
    private static readonly string[] Order =
        ["parity.svg", "residuals.svg", "residual_histogram.svg", "loss.svg", "learning_curve.svg", "validation_curve.svg", "pca.svg", "cluster.svg"];

    public static IReadOnlyList<Problem> Run(string dir, string? title, int maxRows)
    {
        if (!System.IO.Directory.Exists(dir))
            return [new Problem("io.missing_directory", $"directory '{dir}' does not exist; write results there first (e.g. cv --out {dir})")];
        var sections = new List<ReportSection>();
        var json = Path.Combine(dir, "report.json");
        using var report = File.Exists(json) ? JsonDocument.Parse(File.ReadAllText(json)) : null;
        // First what the run found: the headline, the folds and the largest errors; then every picture; then the other tables
        // and, last, every setting of report.json.
        if (report is not null)
        {
            sections.Add(ReportSummary.Headline(report.RootElement));
            if (ReportSummary.PerFold(report.RootElement) is { } perFold) sections.Add(perFold);
        }
        var predictionsFile = Path.Combine(dir, "predictions.csv");
        var summarised = false;
        if (File.Exists(predictionsFile))
        {
            var predictions = Csv.ReadFile(predictionsFile);
            if (predictions.IsFail) return predictions.Problems();
            var unit = report is not null && report.RootElement.TryGetProperty("target", out var t) && t.TryGetProperty("unit", out var u) ? u.GetString() ?? "" : "";
            if (predictions.OrThrow().Rows.Count > 0 && ReportSummary.LargestErrors(predictions.OrThrow(), maxRows, unit) is { } errors)
            {
                sections.Add(errors);
                summarised = true;
            }
        }
        var svgs = System.IO.Directory.GetFiles(dir, "*.svg").Select(Path.GetFileName).OfType<string>()
            .OrderBy(f => Array.IndexOf(Order, f) is var i && i >= 0 ? i : Order.Length).ThenBy(f => f, StringComparer.Ordinal);
        foreach (var f in svgs) sections.Add(new ReportSection.Picture(Pretty(f), File.ReadAllText(Path.Combine(dir, f))));
        foreach (var f in System.IO.Directory.GetFiles(dir, "*.csv").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal))
        {
            if (summarised && f == "predictions.csv") continue;
            var table = Csv.ReadFile(Path.Combine(dir, f));
            if (table.IsFail) return table.Problems();
            var t = table.OrThrow();
            sections.Add(new ReportSection.Table(Pretty(f), t.Header, t.Rows.Take(maxRows).Select(r => (IReadOnlyList<string>)r).ToArray(),
                t.Rows.Count > maxRows ? $"first {maxRows} of {t.Rows.Count} rows; the full table is {f}" : null));
        }
        if (report is not null) sections.Add(Facts(report.RootElement));
        var pageTitle = title ?? (report is not null ? ReportSummary.Title(report.RootElement) : null)
            ?? Path.GetFileName(Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar));
        var html = HtmlReport.Render(pageTitle, sections);
        if (html.IsFail) return html.Problems();
        // Written under a temporary name and renamed when complete, as every other output (no half-written page after an interrupt).
        using (var output = new Outputs.Directory(dir))
        {
            File.WriteAllText(output.File("index.html"), html.OrThrow());
            output.Commit();
        }
        AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(Path.Combine(dir, "index.html"))}[/]: {sections.Count} sections");
        return [];
    }

    private static string Pretty(string file) =>
        CultureInfo.InvariantCulture.TextInfo.ToTitleCase(Path.GetFileNameWithoutExtension(file).Replace('_', ' ')) + $" ({file})";

    /// <summary>Flattens report.json (options, seed, mean, std and pooled value per metric) into name-value pairs, numbers with 4 significant
    /// digits; scikit-learn's MAPE is marked, since it explodes where targets are 0 (mape_matbench skips those rows).</summary>
    private static ReportSection Facts(JsonElement root)
    {
        var items = new List<KeyValuePair<string, string>>();
        void Walk(string prefix, JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                        if (p.Name is not "per_fold") Walk(prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}", p.Value);
                    break;
                case JsonValueKind.Array when e.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.Object):
                    // Per-fold sizes, search candidates, curve points, per-fold confusion matrices: their tables are the run's CSV files.
                    items.Add(KeyValuePair.Create(prefix, $"{e.GetArrayLength()} entries (see report.json)"));
                    break;
                case JsonValueKind.Array:
                    items.Add(KeyValuePair.Create(prefix, string.Join(", ", e.EnumerateArray().Select(v => v.ToString()))));
                    break;
                case JsonValueKind.Number:
                    var shown = e.TryGetInt64(out var whole) ? whole.ToString(CultureInfo.InvariantCulture) : ReportSummary.N(e.GetDouble());
                    items.Add(KeyValuePair.Create(prefix, prefix.Contains(".mape.", StringComparison.Ordinal)
                        ? shown + " (scikit-learn's MAPE: huge when a target is 0; see mape_matbench)" : shown));
                    break;
                default:
                    items.Add(KeyValuePair.Create(prefix, e.ToString()));
                    break;
            }
        }
        Walk("", root);
        return new ReportSection.Facts("Every setting and metric (report.json)", items);
    }
}
