using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Spectre.Console;

namespace Pure.Materials.Cli;

/// <summary>Arguments of <c>benchmark</c>.</summary>
/// <param name="Tasks">Comma-separated task names, or null for <see cref="BenchmarkCommand.DefaultTasks"/>.</param>
/// <param name="Model">The <c>--model</c> of every run.</param>
/// <param name="Set">The <c>--set k=v</c> settings of every run.</param>
/// <param name="Seed">The seed of every run.</param>
/// <param name="Out">Output directory: benchmark.json, benchmark.csv, benchmark.html, time_vs_rows.svg and one cv output directory per task.</param>
/// <param name="SpaceGroup"><c>--space-group</c>: on the tasks whose table has them, add <c>crys_sys</c> and <c>spg_num</c> as one-hot encoded
/// categorical columns (fitted inside each fold, as <c>cv --feature-columns crys_sys --categorical-columns spg_num</c>); "not available" on the others.</param>
/// <param name="CategoricalEncoding"><c>--categorical-encoding</c> of the space-group columns: <c>onehot</c> or <c>ordinal</c>.</param>
internal sealed record BenchmarkArgs(string? Tasks, string Model, string[] Set, long Seed, string Out, bool SpaceGroup = false,
    string CategoricalEncoding = BenchmarkCommand.DefaultEncoding)
{
    /// <summary>The encoding's word in the table and the page: <c>one-hot</c> or <c>ordinal</c>.</summary>
    public string EncodingWord => CategoricalEncoding == "ordinal" ? "ordinal" : "one-hot";
}

/// <summary>One task's result: what report.json of its cv run says, with wall time and the process's peak RSS so far.</summary>
/// <param name="SpaceGroup">What the run did with the space group: <see cref="BenchmarkCommand.SpaceGroupOneHot"/>, <see cref="BenchmarkCommand.SpaceGroupOrdinal"/>,
/// <see cref="BenchmarkCommand.SpaceGroupNotAvailable"/>
/// (asked for, but the task has no such columns) or <see cref="BenchmarkCommand.SpaceGroupOff"/>.</param>
internal sealed record BenchmarkRow(MatbenchTask Task, int Rows, IReadOnlyList<BenchmarkMetric> Metrics, double Seconds, long PeakRssBytes, string SpaceGroup = "no");

/// <summary>One metric of a task: our per-fold mean and std, the dummy baseline on the same folds, and the published scores (NaN when none).</summary>
internal sealed record BenchmarkMetric(string Key, double Mean, double Std, double[] PerFold, double Dummy, double RfScmMagpie, double BestPublished);

/// <summary>The <c>benchmark</c> command: <c>cv</c> with Magpie features of the composition and the official folds on each Matbench
/// task, one leaderboard-style table beside the dummy baseline and the published RF-SCM/Magpie and best scores.</summary>
internal static class BenchmarkCommand
{
    /// <summary>The tasks run without <c>--tasks</c> (<see cref="Matbench.DefaultTasks"/>).</summary>
    public const string DefaultTasks = Matbench.DefaultTasks;

    /// <summary>The space-group column of a task run with <c>--space-group</c> whose table has <c>crys_sys</c> and <c>spg_num</c>.</summary>
    public const string SpaceGroupOneHot = "one-hot crys_sys, spg_num";

    /// <summary>The space-group column of a task run with <c>--space-group --categorical-encoding ordinal</c> whose table has them.</summary>
    public const string SpaceGroupOrdinal = "ordinal crys_sys, spg_num";

    /// <summary>The default <c>--categorical-encoding</c> of the space-group columns.</summary>
    public const string DefaultEncoding = "onehot";

    /// <summary>The space-group column of a task run with <c>--space-group</c> whose table has no space group (expt_gap, expt_is_metal).</summary>
    public const string SpaceGroupNotAvailable = "not available";

    /// <summary>The space-group column of a run without <c>--space-group</c>.</summary>
    public const string SpaceGroupOff = "no";

    public static System.CommandLine.Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var tasks = new System.CommandLine.Option<string?>("--tasks")
        {
            Description = $"Comma-separated Matbench tasks: {string.Join(", ", Matbench.Tasks.Select(t => t.Name))}. Default {DefaultTasks} (mp_e_form, 132,752 rows, takes about a minute and 1 GB with 10 trees; phonons: 1265 crystal structures, Magpie + bond-length statistics).",
        };
        var model = Options.Model();
        var set = Options.Set();
        var seed = Options.Seed();
        var output = Options.Out();
        var spaceGroup = new System.CommandLine.Option<bool>("--space-group")
        {
            Description = "On tasks whose table has them (perovskites, jdft2d, mp_e_form), add the crystal system crys_sys and the space-group number spg_num as "
                + "categorical columns encoded as --categorical-encoding says, fitted inside each fold (as cv --feature-columns crys_sys --categorical-columns spg_num); "
                + "expt_gap and expt_is_metal have none (\"not available\" in the table).",
        };
        var encoding = Options.CategoricalEncoding(DefaultEncoding);
        var command = new System.CommandLine.Command("benchmark",
            "Run cv on Matbench tasks (bundled, official folds, Magpie features of the composition; phonons: of each structure's composition, with its bond-length statistics) and print one table beside the dummy baseline and the published RF-SCM/Magpie and best scores, with time and peak memory.");
        command.Add(tasks);
        command.Add(model);
        command.Add(set);
        command.Add(seed);
        command.Add(output);
        command.Add(spaceGroup);
        command.Add(encoding);
        command.SetAction(r => run(() => Run(new BenchmarkArgs(r.GetValue(tasks), r.GetValue(model)!, r.GetValue(set) ?? [], r.GetValue(seed), r.GetValue(output) ?? "benchmark",
            r.GetValue(spaceGroup), r.GetValue(encoding)!))));
        return command;
    }

    /// <summary>Parses <c>--tasks</c> (<see cref="Matbench.ParseTasks"/>).</summary>
    public static LanguageExt.Validation<Problem, MatbenchTask[]> ParseTasks(string? tasks) =>
        Matbench.ParseTasks(tasks).MapFail(p => p with { Message = "--tasks: " + p.Message });

    public static IReadOnlyList<Problem> Run(BenchmarkArgs a)
    {
        var parsed = ParseTasks(a.Tasks);
        var encodingProblems = new List<Problem>();
        Options.ParseCategoricalEncoding(a.CategoricalEncoding, encodingProblems);
        if (parsed.IsFail || encodingProblems.Count > 0) return [.. parsed.Problems(), .. encodingProblems];
        var rows = new List<BenchmarkRow>();
        foreach (var task in parsed.OrThrow())
        {
            var dir = Path.Combine(a.Out, task.Name);
            var withSpaceGroup = a.SpaceGroup && task.HasSpaceGroup;
            var cv = new CvArgs(task.Data, task.Target, "composition", task.Featurizers, withSpaceGroup ? "crys_sys" : null, "mbid", "mean", null, a.Model, a.Set, null, "fold", null,
                a.Seed, dir, task.Unit) { Quiet = true, CategoricalColumns = withSpaceGroup ? "spg_num" : null, CategoricalEncoding = a.CategoricalEncoding };
            var clock = Stopwatch.StartNew();
            var problems = task.Structures ? StructureCv(task, cv) : CvCommand.Run(cv);
            var seconds = clock.Elapsed.TotalSeconds;
            if (problems.Count > 0) return problems.Select(p => p with { Message = $"benchmark task {task.Name}: {p.Message}" }).ToArray();
            using var process = Process.GetCurrentProcess();
            var peak = process.PeakWorkingSet64;
            var report = ReadReport(Path.Combine(dir, "report.json"), task);
            if (report.IsFail) return report.Problems();
            var (n, metrics) = report.OrThrow();
            rows.Add(new BenchmarkRow(task, n, metrics, seconds, peak,
                withSpaceGroup ? (a.CategoricalEncoding == "ordinal" ? SpaceGroupOrdinal : SpaceGroupOneHot) : a.SpaceGroup ? SpaceGroupNotAvailable : SpaceGroupOff));
        }
        Print(rows, a);
        var svg = Plots.TimeVsRowsSvg(rows.Select(r => (r.Task.Name, (double)r.Rows, r.Seconds)).ToArray(),
            new PlotOptions(Title: $"cv time against rows, --model {a.Model}"));
        if (svg.IsFail) return svg.Problems();
        var html = HtmlReport.Render("Matbench benchmark", Sections(rows, a, svg.OrThrow()));
        if (html.IsFail) return html.Problems();
        // Written under temporary names and renamed together at the end, as every other output (no half-written table after an interrupt).
        using (var output = new Outputs.Directory(a.Out))
        {
            File.WriteAllText(output.File("benchmark.json"), ToJson(rows, a).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            using (var w = new StreamWriter(output.File("benchmark.csv")))
                Csv.Write(w, ["task", "rows", "metric", "unit", "mean", "std", "per_fold", "dummy", "rf_scm_magpie", "best_published", "seconds", "peak_rss_bytes", "space_group"],
                    rows.SelectMany(r => r.Metrics.Select(m => (IEnumerable<string>)
                    [
                        r.Task.Name, r.Rows.ToString(CultureInfo.InvariantCulture), m.Key, m.Key == "mae" ? r.Task.Unit : "", Csv.Format(m.Mean), Csv.Format(m.Std),
                        string.Join(";", m.PerFold.Select(Csv.Format)), Csv.Format(m.Dummy), Csv.Format(m.RfScmMagpie), Csv.Format(m.BestPublished),
                        Csv.Format(Math.Round(r.Seconds, 3)), r.PeakRssBytes.ToString(CultureInfo.InvariantCulture), r.SpaceGroup,
                    ])));
            File.WriteAllText(output.File("time_vs_rows.svg"), svg.OrThrow());
            File.WriteAllText(output.File("benchmark.html"), html.OrThrow());
            output.Commit();
        }
        Console.WriteLine($"wrote {Path.Combine(a.Out, "benchmark.json")}, benchmark.csv, benchmark.html, time_vs_rows.svg and each task's cv output under {a.Out}/");
        return [];
    }

    /// <summary>The structure task (matbench_phonons): its structures featurized as <c>cv --structures</c> does, then cv on that table.</summary>
    private static IReadOnlyList<Problem> StructureCv(MatbenchTask task, CvArgs cv)
    {
        var table = StructureFeaturizeCommand.Table(task.Data, task.Featurizers, "nan");
        if (table.IsFail) return table.Problems();
        var (csv, idName, _) = table.OrThrow();
        return CvCommand.Run(Cli.StructureArgs(cv, task.Data, csv, idName));
    }

    /// <summary>The HTML page: a headline with the run's settings, the leaderboard-style table, per-fold values and the time-against-rows plot.</summary>
    private static IReadOnlyList<ReportSection> Sections(IReadOnlyList<BenchmarkRow> rows, BenchmarkArgs a, string timeVsRows)
    {
        var settings = string.Concat(a.Set.Select(s => " --set " + s));
        var headline = new ReportSection.Headline("Run",
            $"--model {a.Model}{settings} on {rows.Count} Matbench task{(rows.Count == 1 ? "" : "s")} ({string.Join(", ", rows.Select(r => r.Task.Name))}), official folds, Magpie features of the composition (phonons: with the structures' bond-length statistics){(a.SpaceGroup ? $" and, where the table has them, the {a.EncodingWord} crystal system and space group" : "")}.",
            [
                new("model", a.Model + settings),
                new("seed", a.Seed.ToString(CultureInfo.InvariantCulture)),
                new("features", a.SpaceGroup ? $"magpie (composition) + {a.EncodingWord} crys_sys, spg_num where available" : "magpie (composition)"),
                new("folds", "official Matbench v0.1 (column fold)"),
                new("total time", $"{rows.Sum(r => r.Seconds).ToString("0.0", CultureInfo.InvariantCulture)} s"),
            ]);
        var table = new ReportSection.Table("Leaderboard",
            ["task", "rows", "metric", "ours: mean \u00b1 std over folds", "dummy", "RF-SCM/Magpie", "best published", "seconds", "peak RSS", "space group"],
            rows.SelectMany(r => r.Metrics.Select(m => (IReadOnlyList<string>)
            [
                r.Task.Name, r.Rows.ToString("N0", CultureInfo.InvariantCulture), Label(m.Key) + (m.Key == "mae" ? $" ({r.Task.Unit})" : ""),
                ReportSummary.MeanStd(m.Mean, m.Std), Num(m.Dummy), Num(m.RfScmMagpie), Num(m.BestPublished),
                r.Seconds.ToString("0.0", CultureInfo.InvariantCulture), Bytes(r.PeakRssBytes), r.SpaceGroup,
            ])).ToArray(),
            "seconds: wall time of the task's whole cv run (load, featurize, folds); peak RSS: the process's peak working set so far. "
            + $"RF-SCM/Magpie used structure features on perovskites, jdft2d and mp_e_form; ours sees the composition only (with --space-group also the crystal system and space-group number, {a.EncodingWord} encoded inside each fold). Each task's cv output is in its own directory (<task>/report.json).");
        var folds = rows.SelectMany(r => r.Metrics).Max(m => m.PerFold.Length);
        var perFold = new ReportSection.Table("Per fold",
            ["task", "metric", .. Enumerable.Range(1, folds).Select(k => $"fold {k}")],
            rows.SelectMany(r => r.Metrics.Select(m => (IReadOnlyList<string>)
                [r.Task.Name, Label(m.Key) + (m.Key == "mae" ? $" ({r.Task.Unit})" : ""), .. Enumerable.Range(0, folds).Select(k => k < m.PerFold.Length ? Num(m.PerFold[k]) : "-")])).ToArray());
        return [headline, table, perFold, new ReportSection.Picture("cv time against rows (time_vs_rows.svg)", timeVsRows)];
    }

    /// <summary>Reads a task's metrics from its cv report.json: rows, per-fold values, the dummy baseline, and the published scores.</summary>
    private static LanguageExt.Validation<Problem, (int Rows, BenchmarkMetric[] Metrics)> ReadReport(string path, MatbenchTask task)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var published = MatbenchLeaderboard.For(task.Data);
        var metrics = new List<BenchmarkMetric>();
        foreach (var key in task.Metrics)
        {
            if (!root.GetProperty("metrics").TryGetProperty(key, out var m))
                return Valid.Fail<(int, BenchmarkMetric[])>("report.missing_metric", $"{path} has no metric '{key}'; the task {task.Name} needs it");
            var dummy = root.TryGetProperty("baseline", out var b) && b.ValueKind == JsonValueKind.Object
                && b.GetProperty("metrics").TryGetProperty(key, out var bm) ? bm.GetProperty("mean").GetDouble() : double.NaN;
            double Published(string entry) => published.FirstOrDefault(s => s.Entry == entry && s.Metric == key)?.Value ?? double.NaN;
            metrics.Add(new BenchmarkMetric(key, m.GetProperty("mean").GetDouble(), m.GetProperty("std").GetDouble(),
                m.GetProperty("per_fold").EnumerateArray().Select(v => v.GetDouble()).ToArray(), dummy, Published("RF-SCM/Magpie"), Published("best published")));
        }
        return Valid.Ok((root.GetProperty("n_rows").GetInt32(), metrics.ToArray()));
    }

    private static string Num(double v) => double.IsNaN(v) ? "-" : v.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Bytes(long b) => b >= 1_000_000_000 ? $"{b / 1e9:0.00} GB" : $"{b / 1e6:0} MB";

    private static string Label(string key) => key switch { "mae" => "MAE", "accuracy" => "accuracy", "roc_auc" => "ROC-AUC", _ => key };

    private static void Print(IReadOnlyList<BenchmarkRow> rows, BenchmarkArgs a)
    {
        var table = new Table().Title($"Matbench v0.1, official folds, Magpie features{(a.SpaceGroup ? $" + {a.EncodingWord} space group" : "")}, --model {a.Model}{string.Concat(a.Set.Select(s => " --set " + s))}, seed {a.Seed}");
        foreach (var (h, right) in new[] { ("task", false), ("rows", true), ("metric", false), ("ours: mean ± std over folds", true), ("dummy", true),
                     ("RF-SCM/Magpie", true), ("best published", true), ("seconds", true), ("peak RSS", true), ("space group", false) })
            table.AddColumn(right ? new TableColumn(h).RightAligned() : new TableColumn(h));
        foreach (var r in rows)
            foreach (var m in r.Metrics)
                table.AddRow(Markup.Escape(r.Task.Name), r.Rows.ToString("N0", CultureInfo.InvariantCulture), Markup.Escape(Label(m.Key) + (m.Key == "mae" ? $" ({r.Task.Unit})" : "")),
                    Markup.Escape(ReportSummary.MeanStd(m.Mean, m.Std)), Num(m.Dummy), Num(m.RfScmMagpie), Num(m.BestPublished),
                    r.Seconds.ToString("0.0", CultureInfo.InvariantCulture), Bytes(r.PeakRssBytes), Markup.Escape(r.SpaceGroup));
        AnsiConsole.Write(table);
        Console.WriteLine("seconds: wall time of the task's whole cv run (load, featurize, 5 folds); peak RSS: this process's peak working set so far (after the task).");
        Console.WriteLine("RF-SCM/Magpie: Matbench's published random forest on Magpie (with structure features for mp_e_form, perovskites, jdft2d); best published: the leaderboard's best entry.");
    }

    private static JsonObject ToJson(IReadOnlyList<BenchmarkRow> rows, BenchmarkArgs a) => new()
    {
        ["schema"] = "pure-materials.benchmark/1",
        ["model"] = a.Model,
        ["set"] = new JsonArray(a.Set.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
        ["seed"] = a.Seed,
        ["features"] = "magpie",
        ["space_group"] = a.SpaceGroup,
        ["categorical_encoding"] = a.CategoricalEncoding,
        ["folds"] = "official Matbench v0.1 (column fold)",
        ["peak_rss_note"] = "the process's peak working set so far, read after each task",
        ["tasks"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
        {
            ["task"] = r.Task.Name,
            ["data"] = r.Task.Data,
            ["target"] = r.Task.Target,
            ["unit"] = r.Task.Unit,
            ["featurizers"] = r.Task.Featurizers,
            ["rows"] = r.Rows,
            ["seconds"] = r.Seconds,
            ["peak_rss_bytes"] = r.PeakRssBytes,
            ["space_group"] = r.SpaceGroup,
            ["report"] = Path.Combine(r.Task.Name, "report.json"),
            ["metrics"] = new JsonObject(r.Metrics.Select(m => new KeyValuePair<string, JsonNode?>(m.Key, new JsonObject
            {
                ["mean"] = m.Mean,
                ["std"] = m.Std,
                ["per_fold"] = new JsonArray(m.PerFold.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
                ["dummy"] = Finite(m.Dummy),
                ["rf_scm_magpie"] = Finite(m.RfScmMagpie),
                ["best_published"] = Finite(m.BestPublished),
            }))),
        }).ToArray()),
    };

    private static JsonNode? Finite(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
}
