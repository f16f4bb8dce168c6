using Pure.Materials.Core;

namespace Pure.Materials.Cli;

/// <summary>Maps the API parameters that library problems name (<c>DatasetSpec.FormulaColumn</c>) to this program's flags
/// (<c>--formula-column</c>), so a message printed by the CLI tells the user what to type.</summary>
/// <remarks>The library never names a flag (FlagNamesTests scans its string literals for <c>--word</c>): its messages name the record
/// property or method parameter to set. Each such name used in a library message is listed here once, with the flag that sets it.</remarks>
internal static class FlagNames
{
    /// <summary>API text in library messages and the flag text that replaces it, longest API text first.</summary>
    internal static IReadOnlyList<(string Api, string Flag)> Map { get; } = new (string Api, string Flag)[]
    {
        ("DatasetSpec.MolecularCations = MolecularCations.Standard", "--molecular-cations MA,FA"),
        ("DatasetSpec.FormulaColumn", "--formula-column"),
        ("RepresentativeSplitOptions.Clusters", "--representative K"),
        ("DatasetSpec.FeatureColumns", "--feature-columns"),
        ("DatasetSpec.CategoricalColumns", "--categorical-columns"),
        ("DatasetSpec.ClassLabels", "--task classification"),
        ("FeatureSet.Build(featurizers)", "--featurizers"),
        ("PlotOptions.Unit", "--target-unit"),
        ("UMAP n_neighbors", "--umap-n-neighbors"),
        ("UMAP min_dist", "--umap-min-dist"),
        ("SplitScheme.Stratified", "--stratify"),
        ("PipelineOptions.Learner", "--model"),
        ("PipelineOptions.Impute", "--impute"),
        ("PipelineOptions.Scale", "--scale"),
        ("ModelFile.Save", "fit --out"),
        ("fit it on structures with FittedPipeline.FitStructures", "give cv, fit, predict or screen --structures (crystal structures)"),
        ("SearchSpace.ParseParameter(text)", "--grid"),
        ("SearchSpace.Random(count)", "--random N"),
        ("ActiveLearning.Start(nInitial)", "--initial"),
        ("ActiveLearningOptions.BatchSize", "--batch"),
        ("ActiveLearning.Run(rounds)", "--rounds"),
    }.OrderByDescending(e => e.Api.Length).ToArray();

    /// <summary>Replaces every API parameter name in a message by its flag.</summary>
    /// <param name="message">A library message.</param>
    /// <returns>The message as the CLI prints it.</returns>
    internal static string ToCli(string message)
    {
        foreach (var (api, flag) in Map)
            if (message.Contains(api, StringComparison.Ordinal)) message = message.Replace(api, flag, StringComparison.Ordinal);
        return message;
    }

    /// <summary>The problem with its message mapped to flags (code, row and column unchanged).</summary>
    /// <param name="problem">A library problem.</param>
    /// <returns>The problem as the CLI prints it.</returns>
    internal static Problem ToCli(Problem problem) => problem with { Message = ToCli(problem.Message) };
}
