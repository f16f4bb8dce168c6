using System.CommandLine;
using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Models;
using Pure.Materials.Select;
using Spectre.Console;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Cli;

/// <summary>The <c>select</c> command: feature selection (variance, correlation, RFE, from a model) on the imputed, standardised features.</summary>
internal static class SelectCommand
{
    public static Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var (command, input) = Unsupervised.Declare("select",
            "Select features on all rows (for inspection; to evaluate a model with selection, selection must be refitted inside each fold, as the library's Selectors.WithSelection does): variance threshold, correlation filter, recursive feature elimination or selection from a model.");
        var method = Options.Method("variance");
        var threshold = new Option<string?>("--threshold") { Description = "variance: minimum variance (default 0, on unscaled features with --scale none); model: mean (default), median, a number or F*mean." };
        var maxCorrelation = new Option<double>("--max-correlation") { Description = "correlation: drop a feature whose |r| with a kept one exceeds this.", DefaultValueFactory = _ => 0.95 };
        var k = Options.SelectK();
        var step = new Option<int>("--step") { Description = "rfe: features removed per round.", DefaultValueFactory = _ => 1 };
        var model = Options.Model("ridge");
        var set = Options.Set();
        var seed = Options.Seed();
        var output = Options.Out();
        foreach (var o in new Option[] { method, threshold, maxCorrelation, k, step, model, set, seed, output }) command.Add(o);
        command.SetAction(r => run(() => Run(input(r), r.GetValue(method)!, r.GetValue(threshold), r.GetValue(maxCorrelation), r.GetValue(k), r.GetValue(step),
            r.GetValue(model)!, r.GetValue(set) ?? [], r.GetValue(seed), r.GetValue(output))));
        return command;
    }

    /// <summary>Parses <c>variance[:T]</c>, <c>correlation:K</c>, <c>rfe:K</c> or <c>model[:THRESHOLD]</c> (cv --select); rfe and model rank with <paramref name="learner"/>.</summary>
    public static LanguageExt.Validation<Problem, Selector> ParseSelector(string text, Learner learner)
    {
        var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        var arg = parts.Length > 1 ? parts[1] : null;
        int? k = int.TryParse(arg, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kk) ? kk : null;
        var bad = new Problem("param.invalid_value", $"--select {text} is not accepted; use variance[:THRESHOLD], correlation:K, rfe:K or model[:THRESHOLD] (e.g. --select rfe:20)");
        return parts[0] switch
        {
            "variance" when arg is null => Valid.Ok(Selectors.VarianceThreshold(new VarianceThresholdOptions())),
            "variance" when double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) => Valid.Ok(Selectors.VarianceThreshold(new VarianceThresholdOptions(t))),
            "correlation" when arg is null || k is not null => Valid.Ok(Selectors.Correlation(new CorrelationFilterOptions(K: k))),
            "rfe" when arg is null || k is not null => Valid.Ok(Selectors.Rfe(new RfeOptions(k), learner)),
            "model" => Valid.Ok(Selectors.FromModel(new SelectFromModelOptions(arg ?? "mean"), learner)),
            _ => Valid.Fail<Selector>(bad),
        };
    }

    public static IReadOnlyList<Problem> Run(UnsupervisedInput a, string method, string? threshold, double maxCorrelation, int? k, int step,
        string model, string[] set, long seed, string? output)
    {
        var problems = new List<Problem>();
        if (method is "correlation" or "rfe" or "model" && a.Target is null)
            problems.Add(new Problem("param.missing", $"--method {method} needs --target COLUMN"));
        var settings = new Dictionary<string, string>();
        foreach (var s in set)
        {
            var eq = s.IndexOf('=');
            if (eq <= 0) problems.Add(new Problem("param.invalid_value", $"--set '{s}' is not key=value"));
            else settings[s[..eq].Trim()] = s[(eq + 1)..].Trim();
        }
        Learner? learner = null;
        if (method is "rfe" or "model")
        {
            var parsed = Learners.Parse(model, settings);
            problems.AddRange(parsed.Problems());
            if (parsed.IsSuccess) learner = parsed.OrThrow();
        }
        double varianceThreshold = 0;
        if (method == "variance" && threshold is not null && !double.TryParse(threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out varianceThreshold))
            problems.Add(new Problem("param.invalid_value", $"--threshold {threshold} is not a number"));
        Selector? selector = method switch
        {
            "variance" => Selectors.VarianceThreshold(new VarianceThresholdOptions(varianceThreshold)),
            "correlation" => Selectors.Correlation(new CorrelationFilterOptions(maxCorrelation, k)),
            "rfe" when learner is not null => Selectors.Rfe(new RfeOptions(k, step), learner),
            "model" when learner is not null => Selectors.FromModel(new SelectFromModelOptions(threshold ?? "mean", k), learner),
            "rfe" or "model" => null,
            _ => null,
        };
        if (method is not ("variance" or "correlation" or "rfe" or "model"))
            problems.Add(new Problem("param.invalid_value", $"--method {method} is not accepted; use variance, correlation, rfe or model"));
        if (problems.Count > 0 || selector is null) return problems;

        var input = Unsupervised.Load(a);
        if (input.IsFail) return input.Problems();
        var (ds, labels, x) = input.OrThrow();
        var y = ds.Target ?? new double[ds.Count];
        var fit = selector.Fit(x, y, Rng.FromSeed(seed));
        if (fit.IsFail) return fit.Problems();
        var subset = fit.OrThrow();
        var scoreName = method switch { "variance" => "variance", "correlation" => "|r| with target", "rfe" => "rank", _ => "importance" };
        var table = new Table().AddColumn("feature").AddColumn(new TableColumn(scoreName).RightAligned()).AddColumn("kept");
        foreach (var j in Enumerable.Range(0, labels.Count).OrderBy(j => subset.IsKept(j) ? 0 : 1).ThenBy(j => method == "rfe" ? subset.Scores[j] : -subset.Scores[j]))
            table.AddRow(Markup.Escape(labels[j]), Cli.F(subset.Scores[j], "0.####"), subset.IsKept(j) ? "yes" : "");
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(a.Data)}[/]: {ds.Count} rows, {labels.Count} features (scale {a.Scale}); {selector.Name} keeps {subset.Kept.Count}");
        AnsiConsole.Write(table);
        Console.WriteLine($"kept {subset.Kept.Count} of {labels.Count} features: {string.Join(", ", subset.Kept.Select(j => labels[j]))}");
        if (output is not null)
        {
            using var dir = new Outputs.Directory(output);
            using (var w = new StreamWriter(dir.File("selected_features.csv")))
                Csv.Write(w, ["feature", "score", "kept"], Enumerable.Range(0, labels.Count).Select(j =>
                    (IEnumerable<string>)[labels[j], Csv.Format(subset.Scores[j]), subset.IsKept(j) ? "true" : "false"]));
            dir.Commit();
        }
        return [];
    }
}
