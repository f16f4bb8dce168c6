using System.CommandLine;
using System.Globalization;
using LanguageExt;
using Pure.Materials.Active;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Models.Gaussian;

namespace Pure.Materials.Cli;

internal sealed record ActiveArgs(
    string Data, string Target, string Features, int Initial, int Batch, int Rounds, string Acquisition, string Goal, long Seed, string? Out,
    string Kernel = "constant*ard+white", double Xi = 0.01, double Beta = 2.0, string BatchStrategy = "topk");

/// <summary>The <c>active</c> command: pool-based Bayesian optimisation on a CSV file with a random-sampling baseline.</summary>
internal static class ActiveCommand
{
    public static Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var data = Options.Data();
        var target = Options.Target();
        var features = Options.FeatureColumns();
        // The spelling before issue 12: hidden, still read, with a warning naming the new one.
        var oldFeatures = new System.CommandLine.Option<string?>("--features") { Description = "Deprecated: use --feature-columns.", Hidden = true };
        var initial = new System.CommandLine.Option<int>("--initial") { Description = "Initial random design size.", DefaultValueFactory = _ => 10 };
        var batch = new System.CommandLine.Option<int>("--batch") { Description = "Candidates evaluated per round.", DefaultValueFactory = _ => 1 };
        var rounds = new System.CommandLine.Option<int>("--rounds") { Description = "Rounds after the initial design.", DefaultValueFactory = _ => 20 };
        var acquisition = new System.CommandLine.Option<string>("--acquisition") { Description = "ei, pi, ucb, maxvar or random.", DefaultValueFactory = _ => "ei" };
        var goal = new System.CommandLine.Option<string>("--goal") { Description = "min or max.", DefaultValueFactory = _ => "min" };
        var seed = Options.Seed();
        var output = Options.Out();
        var kernel = new System.CommandLine.Option<string>("--kernel") { Description = "Surrogate kernel expression (constant, rbf, ard, matern, matern_ard, rq, expsine, white, dot; + * **).", DefaultValueFactory = _ => "constant*ard+white" };
        var xi = new System.CommandLine.Option<double>("--xi") { Description = "Margin xi of ei and pi (target units).", DefaultValueFactory = _ => 0.01 };
        var beta = new System.CommandLine.Option<double>("--beta") { Description = "Weight of sigma in ucb.", DefaultValueFactory = _ => 2.0 };
        var strategy = new System.CommandLine.Option<string>("--batch-strategy") { Description = "topk or diverse (local penalisation).", DefaultValueFactory = _ => "topk" };
        var command = new Command("active", "Bayesian optimisation over the rows of a CSV file (pool-based active learning), against a random-sampling baseline.")
            { data, target, features, oldFeatures, initial, batch, rounds, acquisition, goal, seed, output, kernel, xi, beta, strategy };
        command.SetAction(r => run(() => Run(new ActiveArgs(
            r.GetValue(data)!, r.GetValue(target)!, FeatureColumns(r.GetValue(features), r.GetValue(oldFeatures)), r.GetValue(initial), r.GetValue(batch), r.GetValue(rounds),
            r.GetValue(acquisition)!, r.GetValue(goal)!, r.GetValue(seed), r.GetValue(output), r.GetValue(kernel)!, r.GetValue(xi), r.GetValue(beta),
            r.GetValue(strategy)!))));
        return command;
    }

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
        if (columns.Length == 0) problems.Add(new Problem("param.missing", "--feature-columns needs at least one column, e.g. --feature-columns K,Rb,Cs"));
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
        problems.AddRange(KernelSyntax.Parse(a.Kernel, Math.Max(columns.Length, 1)).Problems());
        if (problems.Count > 0) return problems;

        var loaded = BundledData.OpenPathOrName(a.Data)
            .Bind(t => Dataset.FromTable(new DatasetSpec { TargetColumn = a.Target, FeatureColumns = [.. columns] }, t));
        if (loaded.IsFail) return loaded.Problems();
        var ds = loaded.OrThrow();
        if (ds.ColumnFeatures.CountNaN() > 0)
            return [new Problem("data.nan_feature", $"the feature columns have {ds.ColumnFeatures.CountNaN()} empty cells; fill them in before a search")];
        var x = ds.ColumnFeatures;
        var y = ds.Target!;
        var options = new ActiveLearningOptions
        {
            Acquisition = acq!,
            Goal = goal!.Value,
            BatchSize = a.Batch,
            Batch = strategy!.Value,
            Model = new GaussianProcessOptions { Kernel = KernelSyntax.Parse(a.Kernel, columns.Length).OrThrow(), NormalizeY = true },
        };
        var test = ((Matrix, IReadOnlyList<double>)?)(x, y);
        var strategies = acq is Acquisition.Random ? [options] : new[] { options, options with { Acquisition = new Acquisition.Random() } };
        var results = new List<(string Name, ActiveState State)>();
        foreach (var o in strategies)
        {
            var run = Progress.Wrap($"{o.Acquisition.Name}: {a.Rounds} rounds", () => ActiveLearning.Run(o, x, i => y[i], a.Initial, a.Rounds, a.Seed, test));
            if (run.IsFail) return run.Problems();
            results.Add((o.Acquisition.Name, run.OrThrow()));
        }
        var optimum = goal == Goal.Minimize ? y.Min() : y.Max();
        foreach (var (name, state) in results)
        {
            var last = state.History[^1];
            var found = state.History.FirstOrDefault(h => h.BestFound == optimum);
            Console.WriteLine($"{name}: best {Cli.F(last.BestFound)} after {last.Evaluations} evaluations (optimum {Cli.F(optimum)}{(found is null ? ", not found" : $", found at evaluation {found.Evaluations}")}), " +
                              $"last RMSE over all rows {Cli.F(last.TestRmse)}, seed {a.Seed}");
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
                        a.Seed.ToString(CultureInfo.InvariantCulture),
                    ])));
            var svg = BestFoundPlot.ToSvg($"Best {a.Target} found ({string.Join(" vs ", results.Select(r => r.Name))}, seed {a.Seed})", $"best {a.Target}",
                results.Select(r => (r.Name, (IReadOnlyList<(double, double)>)r.State.History.Select(h => ((double)h.Evaluations, h.BestFound)).ToArray())).ToArray(),
                optimum);
            File.WriteAllText(dir.File("best_found.svg"), svg);
            dir.Commit();
            Console.WriteLine($"wrote {a.Out}: history.csv, best_found.svg");
        }
        return [];
    }
}
