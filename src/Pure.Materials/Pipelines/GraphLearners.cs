using System.Security.Cryptography;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;
using Pure.Materials.Models.Graph;
using Pure.Materials.Structures;

namespace Pure.Materials.Pipelines;

/// <summary>A fitted learner on crystal graphs: how it turns structures into graphs (the options it was fitted with) and how it
/// predicts graphs.</summary>
/// <param name="Name">Registry name (<c>cgcnn</c>).</param>
/// <param name="Build">Builds the crystal graphs of structures with the learner's graph options and atom table; the problems name the
/// structure's row (0-based, <see cref="Problem.Row"/>).</param>
/// <param name="Predict">Predicts graphs built by <paramref name="Build"/>, one value per graph in target units.</param>
/// <param name="Model">The fitted model record (for model files).</param>
public sealed record GraphPredictor(string Name, Func<IReadOnlyList<Structure>, Validation<Problem, CrystalGraph[]>> Build,
    Func<IReadOnlyList<CrystalGraph>, double[]> Predict, object Model)
{
    /// <summary>The training history of the fit that made it (null for a model read from a file, which keeps none).</summary>
    public GraphTrainingHistory? History { get; init; }

    /// <summary>For a classifier (CGCNN's 2-output head): per graph [P(class 0), P(class 1)], classes in the order of the training
    /// labels 0/1 (the target's <see cref="PipelineTarget.ClassCodes"/> order); null for a regressor, whose <see cref="Predict"/> gives
    /// values. A classifier's <see cref="Predict"/> gives the index (0 or 1) of the more probable class (class 0 on a tie).</summary>
    public Func<IReadOnlyList<CrystalGraph>, double[][]>? Probabilities { get; init; }
}

/// <summary>What a graph learner's training did, epoch by epoch.</summary>
/// <param name="TrainLoss">Training loss per epoch (CGCNN: mean squared error of the normalised target).</param>
/// <param name="ValidationScore">Score on the held-out share of the training graphs per epoch (CGCNN: MAE in target units); empty
/// without a validation share.</param>
/// <param name="BestEpoch">The epoch (0-based) whose weights were kept.</param>
public sealed record GraphTrainingHistory(IReadOnlyList<double> TrainLoss, IReadOnlyList<double> ValidationScore, int BestEpoch)
{
    /// <summary>Loss on the held-out share per epoch in <see cref="TrainLoss"/>'s terms (CGCNN: MSE of the normalised target); empty
    /// without validation.</summary>
    public IReadOnlyList<double> ValidationLoss { get; init; } = [];

    /// <summary>Structures trained on (the training rows minus the held-out share).</summary>
    public int TrainingRows { get; init; }

    /// <summary>Structures of the held-out share.</summary>
    public int ValidationRows { get; init; }

    /// <summary>What <see cref="TrainLoss"/> measures, for labels (e.g. "MSE of the normalised target", "mean NLL, with dropout").</summary>
    public string LossDescription { get; init; } = "MSE of the normalised target";
}

/// <summary>An unfitted learner whose input is crystal graphs built from structures, not a feature matrix (CGCNN): the counterpart of
/// <see cref="Models.Learner"/> for structures.</summary>
/// <param name="Name">Registry name (<c>cgcnn</c>).</param>
/// <param name="Parameters">Every recorded hyper-parameter (CGCNN's names), graph options included.</param>
/// <param name="Build">Builds crystal graphs from structures with the learner's graph options (see <see cref="GraphPredictor.Build"/>);
/// cross-validation builds every structure's graph once and fits each fold on its rows.</param>
/// <param name="Fit">Fits graphs (built by <paramref name="Build"/>) and their targets with a random stream.</param>
public sealed record GraphLearner(string Name, IReadOnlyList<KeyValuePair<string, string>> Parameters,
    Func<IReadOnlyList<Structure>, Validation<Problem, CrystalGraph[]>> Build,
    Func<IReadOnlyList<CrystalGraph>, IReadOnlyList<double>, Rng, Validation<Problem, GraphPredictor>> Fit)
{
    /// <summary>Fits a binary classifier on graphs and their class indices (0 or 1, the index of each row's class among the target's two
    /// ascending class codes) with a random stream; null when the learner does not classify. The predictor has
    /// <see cref="GraphPredictor.Probabilities"/>.</summary>
    public Func<IReadOnlyList<CrystalGraph>, IReadOnlyList<int>, Rng, Validation<Problem, GraphPredictor>>? Classify { get; init; }
}

/// <summary>The graph learners (input: crystal structures, turned into crystal graphs inside the pipeline), each declared once as a
/// <see cref="LearnerSpec{TOptions, TLearner}"/> like the regressors of <see cref="Learners"/>.</summary>
public static partial class GraphLearners
{
    /// <summary>Every graph learner, in the order help lists them.</summary>
    public static IReadOnlyList<ILearnerSpec<GraphLearner>> Registry => [CgcnnSpec];

    /// <summary>The names of <see cref="Registry"/>.</summary>
    public static IReadOnlyList<string> Names => Registry.Select(s => s.Name).ToArray();

    /// <summary>Whether a name is a graph learner's.</summary>
    /// <param name="name">A learner name.</param>
    /// <returns>True for <c>cgcnn</c>.</returns>
    public static bool Contains(string name) => Registry.Any(s => s.Name == name);

    /// <summary>Finds a graph learner's declaration by name.</summary>
    /// <param name="name">A name from <see cref="Names"/>.</param>
    /// <returns>The declaration, or <c>param.unknown_model</c>.</returns>
    public static Validation<Problem, ILearnerSpec<GraphLearner>> Find(string name) => LearnerRegistry.Find(Registry, name, "graph learner");

    /// <summary>Builds a graph learner from its name and <c>key=value</c> settings (CGCNN's parameter names).</summary>
    /// <param name="name">A name from <see cref="Names"/>.</param>
    /// <param name="settings">Settings; keys the learner does not declare are problems.</param>
    /// <returns>The learner, or <c>param.unknown_model</c>, <c>param.unknown</c>, <c>param.invalid_value</c>.</returns>
    public static Validation<Problem, GraphLearner> Parse(string name, IReadOnlyDictionary<string, string> settings) =>
        Find(name).Bind(spec => spec.Parse(settings));

    /// <summary>CGCNN's atom features (<c>atom_init.json</c>, 92 values for each of elements 1-100), bundled with the library
    /// (<see cref="AtomFeatures.Cgcnn"/>).</summary>
    public static AtomFeatures CgcnnAtomFeatures => AtomFeatures.Cgcnn;

    /// <summary>SHA-256 (lower-case hex) of the bundled <c>atom_init.json</c> (resource <c>graph/atom_init.json</c>), recorded in model files.</summary>
    public static string CgcnnAtomFeaturesSha256 => BundledSha256.Value;

    private static readonly Lazy<string> BundledSha256 = new(() =>
    {
        using var stream = typeof(AtomFeatures).Assembly.GetManifestResourceStream("graph/atom_init.json")
            ?? throw new InvalidOperationException("the embedded resource graph/atom_init.json is missing from the build");
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    });

    /// <summary>Builds every structure's crystal graph, naming the structure (0-based <see cref="Problem.Row"/>) of each problem.</summary>
    /// <param name="options">Radius, neighbours and Gaussian expansion.</param>
    /// <param name="atoms">Node features.</param>
    /// <param name="structures">The structures.</param>
    /// <returns>The graphs in order, or every structure's problem (<c>graph.unknown_element</c>, <c>graph.disordered_site</c>, ...).</returns>
    public static Validation<Problem, CrystalGraph[]> BuildGraphs(CrystalGraphOptions options, AtomFeatures atoms, IReadOnlyList<Structure> structures)
    {
        ArgumentNullException.ThrowIfNull(structures);
        var graphs = new CrystalGraph[structures.Count];
        var problems = new List<Problem>();
        for (var i = 0; i < structures.Count && problems.Count < 20; i++)
        {
            var g = CrystalGraphs.Build(options, atoms, structures[i]);
            if (g.IsFail) problems.AddRange(g.Problems().Select(p => p with { Row = i, Column = "structure" }));
            else graphs[i] = g.OrThrow();
        }
        return problems.Count == 0 ? Valid.Ok(graphs) : Valid.Fail<CrystalGraph[]>(problems);
    }
}
