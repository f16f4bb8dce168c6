using System.CommandLine;
using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Cli;

/// <summary>The <c>models</c> command: every learner and its parameters, printed from the registries (nothing here is written by hand).</summary>
internal static class ModelsCommand
{
    public static Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var name = new Argument<string?>("name") { Description = "Show one learner only (e.g. rf).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("models", "List the learners (--model NAME) and their parameters (--set key=value): scikit-learn names, types, defaults, valid ranges.") { name };
        command.SetAction(r => run(() => Run(r.GetValue(name))));
        return command;
    }

    public static IReadOnlyList<Problem> Run(string? only)
    {
        var sections = new (string Task, IEnumerable<ILearnerSpec> Specs)[]
        {
            ("regression (cv --task regression, the default for numeric targets)", Learners.Registry),
            ("classification (cv --task classification)", Classifiers.Registry),
            ("regression or binary classification on crystal structures (cv, fit --structures S: crystal graphs built from the structures, no featurizers)", GraphLearners.Registry),
        };
        var shown = 0;
        foreach (var (task, specs) in sections)
        {
            var list = specs.Where(s => only is null || s.Name == only).ToList();
            if (list.Count == 0) continue;
            Console.WriteLine($"{task}:");
            foreach (var s in list)
            {
                Console.WriteLine($"{s.Name}: {s.Estimator}, {s.Doc}; default scaling {s.DefaultScale.ToString().ToLowerInvariant()}");
                Console.WriteLine(s.Help);
                shown++;
            }
            Console.WriteLine();
        }
        return shown > 0 || only is null
            ? []
            : [new Problem("param.unknown_model", $"unknown model '{only}'; use one of {string.Join(", ", Learners.Names.Concat(Classifiers.Names).Concat(GraphLearners.Names).Distinct())}")];
    }
}
