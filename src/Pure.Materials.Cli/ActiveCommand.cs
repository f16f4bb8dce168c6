using System.CommandLine;
using System.Globalization;
using LanguageExt;
using Pure.Materials.Active;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Models.Gaussian;
using Spectre.Console;

namespace Pure.Materials.Cli;

internal sealed record ActiveArgs(
    string Data, string Target, string Features, int Initial, int Batch, int Rounds, string Acquisition, string Goal, long Seed, string? Out,
    string? Kernel = null, double Xi = 0.01, double Beta = 2.0, string BatchStrategy = "topk",
    string? FormulaColumn = null, string? Featurizers = null, string? IdColumn = null, string Scale = "standard", int Repeats = 1, string TargetUnit = "",
    string? MolecularCations = null);

/// <summary>The <c>active</c> command. When the target column has empty cells, those rows are the candidates: the surrogate is fitted
/// on the rows with a target and the next batch of candidates is proposed (proposals.csv). When every target is known, a pool-based
/// Bayesian-optimisation benchmark against a random-sampling baseline (history.csv, best_found.svg).</summary>
internal static class ActiveCommand
{
    public static Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var data = Options.Data();
        var target = Options.Target();
        var formula = Options.FormulaColumn();
        var featurizers = Options.Featurizers();
        var features = Options.FeatureColumns();
        var idColumn = Options.IdColumn();
        var scale = Options.Scale("standard");
        // The spelling before issue 12: hidden, still read, with a warning naming the new one.
        var oldFeatures = new System.CommandLine.Option<string?>("--features") { Description = "Deprecated: use --feature-columns.", Hidden = true };
        var initial = new System.CommandLine.Option<int>("--initial") { Description = "Benchmark (every target known): initial random design size.", DefaultValueFactory = _ => 10 };
        var batch = new System.CommandLine.Option<int>("--batch") { Description = "Candidates proposed (empty targets) or evaluated per round (benchmark).", DefaultValueFactory = _ => 1 };
        var rounds = new System.CommandLine.Option<int>("--rounds") { Description = "Benchmark (every target known): rounds after the initial design.", DefaultValueFactory = _ => 20 };
        var acquisition = new System.CommandLine.Option<string>("--acquisition") { Description = "ei, pi, ucb, maxvar or random.", DefaultValueFactory = _ => "ei" };
        var goal = Options.Goal("min");
        var seed = Options.Seed();
        var output = Options.Out();
        var kernel = new System.CommandLine.Option<string?>("--kernel")
        {
            Description = "Surrogate kernel expression (constant, rbf, ard, matern, matern_ard, rq, expsine, white, dot; + * **). " +
                          $"Default: constant*ard+white (one length scale per feature) up to {MaxArdFeatures} features, constant*rbf+white beyond (ARD over 132 Magpie features takes minutes to optimise).",
        };
        var xi = new System.CommandLine.Option<double>("--xi") { Description = "Margin xi of ei and pi (target units).", DefaultValueFactory = _ => 0.01 };
        var beta = Options.Beta();
        var strategy = new System.CommandLine.Option<string>("--batch-strategy") { Description = "topk or diverse (local penalisation).", DefaultValueFactory = _ => "topk" };
        var repeats = new System.CommandLine.Option<int>("--runs")
        {
            Description = "Benchmark (every target known): runs per strategy with seeds --seed, --seed + 1, ...; best_found.svg shows their mean and a band of one std.",
            DefaultValueFactory = _ => 1,
        };
        var unit = Options.TargetUnit();
        var cations = Options.MolecularCations();
        var command = new Command("active",
            "Bayesian optimisation over the rows of a CSV file with a Gaussian-process surrogate. Rows whose target is empty are the candidates: " +
            "the next --batch of them is proposed (proposals.csv: rank, id, formula, mean, std, acquisition), the rows with a target being the training set. " +
            "When every target is known: a pool-based benchmark against random sampling (history.csv, best_found.svg).")
            { data, target, formula, featurizers, features, idColumn, scale, oldFeatures, initial, batch, rounds, acquisition, goal, seed, output, kernel, xi, beta, strategy, repeats, unit, cations };
        command.SetAction(r => run(() => Run(new ActiveArgs(
            r.GetValue(data)!, r.GetValue(target)!, FeatureColumns(r.GetValue(features), r.GetValue(oldFeatures)), r.GetValue(initial), r.GetValue(batch), r.GetValue(rounds),
            r.GetValue(acquisition)!, r.GetValue(goal)!, r.GetValue(seed), r.GetValue(output), r.GetValue(kernel), r.GetValue(xi), r.GetValue(beta),
            r.GetValue(strategy)!, r.GetValue(formula), r.GetValue(featurizers), r.GetValue(idColumn), r.GetValue(scale)!, r.GetValue(repeats), r.GetValue(unit)!, r.GetValue(cations)))));
        return command;
    }

    /// <summary>Most features for which the default kernel has one length scale per feature (ARD).</summary>
    private const int MaxArdFeatures = 20;

    /// <summary><c>--feature-columns</c>, or the deprecated <c>--features</c> with a warning on stderr.</summary>
    private static string FeatureColumns(string? featureColumns, string? deprecated)
    {
        if (deprecated is null) return featureColumns ?? "";
        Console.Error.WriteLine("warning: --features is deprecated and will be removed; use --feature-columns (the name every verb uses)");
        return featureColumns is null ? deprecated : featureColumns + "," + deprecated;
    }

    public static IReadOnlyList<Problem> Run(ActiveArgs a)
    {
        var problems = new List<Problem>();
        var columns = a.Features.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var featurizerNames = a.Featurizers ?? (a.FormulaColumn is not null && columns.Length == 0 ? "magpie" : "");
        if (featurizerNames.Length > 0 && a.FormulaColumn is null)
            problems.Add(new Problem("param.missing", "--featurizers needs --formula-column NAME (the column holding the formulas)"));
        if (featurizerNames.Length == 0 && columns.Length == 0)
            problems.Add(new Problem("param.missing", "no features: give --formula-column NAME (Magpie features by default) and/or --feature-columns A,B,... (e.g. --feature-columns K,Rb,Cs)"));
        var featurizers = featurizerNames.Length == 0 ? [] : CompositionFeaturizers.Parse(featurizerNames).Match(f => f, ps => { problems.AddRange(ps); return []; });
        Acquisition? acq = a.Acquisition switch
        {
            "ei" => new Acquisition.ExpectedImprovement(a.Xi),
            "pi" => new Acquisition.ProbabilityOfImprovement(a.Xi),
            "ucb" => new Acquisition.UpperConfidenceBound(a.Beta),
            "maxvar" => new Acquisition.MaxVariance(),
            "random" => new Acquisition.Random(),
            _ => null,
        };
        if (acq is null) problems.Add(new Problem("param.invalid_value", $"--acquisition {a.Acquisition} is not accepted; use one of: ei, pi, ucb, maxvar, random"));
        Goal? goal = a.Goal switch { "min" => Goal.Minimize, "max" => Goal.Maximize, _ => null };
        if (goal is null) problems.Add(new Problem("param.invalid_value", $"--goal {a.Goal} is not accepted; use min or max"));
        BatchStrategy? strategy = a.BatchStrategy switch { "topk" => Active.BatchStrategy.TopK, "diverse" => Active.BatchStrategy.Diverse, _ => null };
        if (strategy is null) problems.Add(new Problem("param.invalid_value", $"--batch-strategy {a.BatchStrategy} is not accepted; use topk or diverse"));
        if (a.Scale is not ("standard" or "minmax" or "none"))
            problems.Add(new Problem("param.invalid_value", $"--scale {a.Scale} is not accepted; use standard (default), minmax or none"));
        // The kernel's syntax is checked now; its ARD dimension once the features are known (globs, featurizers).
        if (a.Kernel is not null) problems.AddRange(KernelSyntax.Parse(a.Kernel, Math.Max(columns.Length, 1)).Problems());
        var cations = CvCommand.ParseCations(a.MolecularCations, problems);
        if (a.MolecularCations is not null && a.FormulaColumn is null)
            problems.Add(new Problem("param.missing", "--molecular-cations reads formulas: give --formula-column NAME too"));
        if (problems.Count > 0) return problems;

        var loaded = LoadPool(a, [.. columns], featurizers, cations);
        if (loaded.IsFail) return loaded.Problems();
        var (ds, labels, raw, labelled, y, candidates) = loaded.OrThrow();
        if (raw.CountNaN() > 0)
        {
            var j = Enumerable.Range(0, raw.Cols).First(c => Enumerable.Range(0, raw.Rows).Any(r => double.IsNaN(raw[r, c])));
            var i = Enumerable.Range(0, raw.Rows).First(r => double.IsNaN(raw[r, j]));
            return [new Problem("data.nan_feature", $"the features have {raw.CountNaN()} missing values (the first here); a Gaussian process cannot use them: fill the cells in, or leave this feature out", i + 1, labels[j])];
        }
        // The surrogate is a kernel model: features are scaled as cv scales them for gpr (standard by default), here over every row
        // of the pool (features only, no target), training rows and candidates alike.
        var scaled = a.Scale switch
        {
            "standard" => Pure.Materials.Scale.StandardScaler.Fit(raw).Map(m => Pure.Materials.Scale.StandardScaler.Transform(m, raw)),
            "minmax" => Pure.Materials.Scale.MinMaxScaler.Fit(raw).Map(m => Pure.Materials.Scale.MinMaxScaler.Transform(m, raw)),
            _ => Valid.Ok(raw),
        };
        if (scaled.IsFail) return scaled.Problems();
        var x = scaled.OrThrow();
        var kernelValue = KernelSyntax.Parse(a.Kernel ?? (x.Cols <= MaxArdFeatures ? "constant*ard+white" : "constant*rbf+white"), x.Cols);
        if (kernelValue.IsFail) return kernelValue.Problems();
        var options = new ActiveLearningOptions
        {
            Acquisition = acq!,
            Goal = goal!.Value,
            BatchSize = a.Batch,
            Batch = strategy!.Value,
            Model = new GaussianProcessOptions { Kernel = kernelValue.OrThrow(), NormalizeY = true },
        };
        if (candidates.Length > 0) return ProposeNext(a, options, ds, x, labelled, y, candidates);
        var test = ((Matrix, IReadOnlyList<double>)?)(x, y);
        var strategies = acq is Acquisition.Random ? [options] : new[] { options, options with { Acquisition = new Acquisition.Random() } };
        if (a.Repeats is < 1 or > 1000)
            return [new Problem("param.out_of_range", $"--runs {a.Repeats} is outside 1..1000: the number of seeds each strategy runs with")];
        var seeds = Enumerable.Range(0, a.Repeats).Select(r => a.Seed + r).ToArray();
        var results = new List<(string Name, long Seed, ActiveState State)>();
        foreach (var o in strategies)
            foreach (var s in seeds)
            {
                var run = Progress.Wrap($"{o.Acquisition.Name}: {a.Rounds} rounds, seed {s}", () => ActiveLearning.Run(o, x, i => y[i], a.Initial, a.Rounds, s, test));
                if (run.IsFail) return run.Problems();
                results.Add((o.Acquisition.Name, s, run.OrThrow()));
            }
        var optimum = goal == Goal.Minimize ? y.Min() : y.Max();
        var u = a.TargetUnit.Length > 0 ? " " + a.TargetUnit : "";
        foreach (var group in results.GroupBy(r => r.Name))
        {
            var runs = group.ToArray();
            if (runs.Length == 1)
            {
                var (name, _, state) = runs[0];
                var last = state.History[^1];
                var found = state.History.FirstOrDefault(h => h.BestFound == optimum);
                Console.WriteLine($"{name}: best {Cli.F(last.BestFound)}{u} after {last.Evaluations} evaluations (optimum {Cli.F(optimum)}{u}{(found is null ? ", not found" : $", found at evaluation {found.Evaluations}")}), " +
                                  $"last RMSE over all rows {Cli.F(last.TestRmse)}{u}, seed {a.Seed}");
                continue;
            }
            var best = runs.Select(r => r.State.History[^1].BestFound).ToArray();
            var mean = best.Average();
            var std = Math.Sqrt(best.Sum(v => (v - mean) * (v - mean)) / best.Length);
            var foundAt = runs.Select(r => r.State.History.FirstOrDefault(h => h.BestFound == optimum)?.Evaluations).Where(e => e is not null).Select(e => (double)e!.Value).ToArray();
            Console.WriteLine($"{group.Key}: best {Cli.F(mean)}{u} (std {Cli.F(std)}) after {runs[0].State.History[^1].Evaluations} evaluations over {runs.Length} seeds " +
                              $"({a.Seed}..{a.Seed + runs.Length - 1}); optimum {Cli.F(optimum)}{u} found in {foundAt.Length} of {runs.Length} runs" +
                              (foundAt.Length > 0 ? $", after {Cli.F(foundAt.Average(), "0.0")} evaluations on average" : ""));
        }
        if (a.Out is not null)
        {
            using var dir = new Outputs.Directory(a.Out);
            using (var w = new StreamWriter(dir.File("history.csv")))
                Csv.Write(w, ["strategy", "round", "evaluations", "picked_ids", "best_found", "rmse_all_rows", "seconds", "seed"],
                    results.SelectMany(r => r.State.History.Select(h => (IEnumerable<string>)
                    [
                        r.Name, h.Round.ToString(CultureInfo.InvariantCulture), h.Evaluations.ToString(CultureInfo.InvariantCulture),
                        string.Join(" ", h.Picked.Select(i => ds.Ids[i])), Csv.Format(h.BestFound), Csv.Format(h.TestRmse), Csv.Format(h.Seconds),
                        r.Seed.ToString(CultureInfo.InvariantCulture),
                    ])));
            var names = results.Select(r => r.Name).Distinct().ToArray();
            var seedText = a.Repeats == 1 ? $"seed {a.Seed}" : $"{a.Repeats} seeds";
            var svg = BestFoundPlot.ToSvg($"Best {a.Target} found ({string.Join(" vs ", names)}, {seedText})", $"best {a.Target}{(u.Length > 0 ? $" ({a.TargetUnit})" : "")}",
                names.Select(n => (n, (IReadOnlyList<IReadOnlyList<(double, double)>>)results.Where(r => r.Name == n)
                    .Select(r => (IReadOnlyList<(double, double)>)r.State.History.Select(h => ((double)h.Evaluations, h.BestFound)).ToArray()).ToArray())).ToArray(),
                optimum);
            File.WriteAllText(dir.File("best_found.svg"), svg);
            dir.Commit();
            Console.WriteLine($"wrote {a.Out}: history.csv, best_found.svg");
        }
        return [];
    }

    /// <summary>Loads the table: features of every row (featurizers, then feature columns), and the target of the rows that have one.
    /// A row whose target cell is empty (or nan, NA, N/A, null) is a candidate; every other target must be a number.</summary>
    private static Validation<Problem, (Dataset Dataset, IReadOnlyList<string> Labels, Matrix X, int[] Labelled, double[] Y, int[] Candidates)> LoadPool(
        ActiveArgs a, string[] columns, IReadOnlyList<ICompositionFeaturizer> featurizers, MolecularCations cations) =>
        from table in BundledData.OpenPathOrName(a.Data)
        from targetColumn in table.ColumnIndex(a.Target)
        let empty = table.Rows.Select(r => targetColumn < r.Length && Dataset.IsMissing(r[targetColumn])).ToArray()
        let labelled = Enumerable.Range(0, table.Rows.Count).Where(i => !empty[i]).ToArray()
        let candidates = Enumerable.Range(0, table.Rows.Count).Where(i => empty[i]).ToArray()
        from _ in labelled.Length > 0 ? Valid.Ok(true) : Valid.Fail<bool>("data.no_labelled_rows",
            $"every row's '{a.Target}' is empty: the surrogate needs rows with a known target to learn from; fill in the target of a few rows (e.g. a random initial design)",
            column: a.Target)
        from ds in Dataset.FromTable(new DatasetSpec { FormulaColumn = a.FormulaColumn, IdColumn = a.IdColumn, FeatureColumns = [.. columns], MolecularCations = cations }, table)
        from targets in Dataset.FromTable(new DatasetSpec { TargetColumn = a.Target }, new CsvTable(table.Source, table.Header, labelled.Select(i => table.Rows[i]).ToArray()))
            .MapFail(p => p.Row is int r && r >= 1 && r <= labelled.Length ? p with { Row = labelled[r - 1] + 1 } : p)
        from fs in CompositionFeaturizers.Build(featurizers, ds)
        select (ds, (IReadOnlyList<string>)fs.Labels, fs.X, labelled, targets.Target!.ToArray(), candidates);

    /// <summary>Fits the surrogate on the rows with a target and proposes the next batch of candidates; prints them and writes proposals.csv.</summary>
    private static IReadOnlyList<Problem> ProposeNext(ActiveArgs a, ActiveLearningOptions options, Dataset ds, Matrix x, int[] labelled, double[] y, int[] candidates)
    {
        var proposed = Progress.Wrap($"fitting on {labelled.Length} rows, scoring {candidates.Length} candidates",
            () => ActiveLearning.Propose(options, x, labelled, y, candidates, Rng.FromSeed(a.Seed)));
        if (proposed.IsFail) return proposed.Problems();
        var proposals = proposed.OrThrow();
        var best = options.Goal == Goal.Minimize ? y.Min() : y.Max();
        string Formula(int row) => ds.Formulas is { } f ? f[row] : "";
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(a.Data)}[/]: {labelled.Length} rows with '{Markup.Escape(a.Target)}' (training), {candidates.Length} candidates (empty '{Markup.Escape(a.Target)}'), " +
                               $"{x.Cols} features; best known {Cli.F(best)} ({(options.Goal == Goal.Minimize ? "min" : "max")})");
        var table = new Table().AddColumn("rank").AddColumn("row").AddColumn("id");
        if (ds.Formulas is not null) table.AddColumn("formula");
        table.AddColumn(new TableColumn("mean").RightAligned()).AddColumn(new TableColumn("std").RightAligned()).AddColumn(new TableColumn(options.Acquisition.Name).RightAligned());
        for (var k = 0; k < proposals.Count; k++)
        {
            var p = proposals[k];
            string[] cells = [(k + 1).ToString(CultureInfo.InvariantCulture), (p.Row + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(ds.Ids[p.Row]),
                .. ds.Formulas is null ? Array.Empty<string>() : [Markup.Escape(Formula(p.Row))], Cli.F(p.Mean), Cli.F(p.Std), Cli.F(p.Acquisition, "0.######")];
            table.AddRow(cells);
        }
        AnsiConsole.Write(table);
        Console.WriteLine($"proposed {proposals.Count} of {candidates.Length} candidates: {string.Join(" ", proposals.Select(p => ds.Ids[p.Row]))} ({options.Acquisition.Name}, {(options.Batch == BatchStrategy.Diverse ? "diverse" : "topk")}, seed {a.Seed})");
        if (a.Out is not null)
        {
            using var dir = new Outputs.Directory(a.Out);
            using (var w = new StreamWriter(dir.File("proposals.csv")))
                Csv.Write(w, ["rank", "row", "id", "formula", "mean", "std", "acquisition", "acquisition_function", "seed"],
                    proposals.Select((p, k) => (IEnumerable<string>)
                    [
                        (k + 1).ToString(CultureInfo.InvariantCulture), (p.Row + 1).ToString(CultureInfo.InvariantCulture), ds.Ids[p.Row], Formula(p.Row),
                        Csv.Format(p.Mean), Csv.Format(p.Std), Csv.Format(p.Acquisition), options.Acquisition.Name, a.Seed.ToString(CultureInfo.InvariantCulture),
                    ]));
            dir.Commit();
            Console.WriteLine($"wrote {a.Out}: proposals.csv");
        }
        return [];
    }
}
