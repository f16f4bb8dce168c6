using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Featurize.Structural;
using Pure.Materials.Pipelines;
using Pure.Materials.Structures;

namespace Pure.Materials.Screening;

/// <summary>Crystal structures as candidates for a pipeline fitted on structures: each candidate is one structure, featurized up front with
/// the pipeline's fitted structure featurizers; built by <see cref="FromStructures"/>.</summary>
/// <remarks>
/// Each candidate has the structure's composition (for the unseen-element check) and carries the features the pipeline takes, labelled
/// with <see cref="FittedPipeline.FeatureLabels"/>, so <see cref="Screen"/> predicts each exactly as
/// <see cref="FittedPipeline.Predict(IReadOnlyList{Structure})"/> does. Order: the structures in the given order; candidate k is
/// structure k, named by its id. Unlike the enumerated spaces, every candidate's features are held in memory (n x n_features values).
/// </remarks>
public sealed record StructureSpace : CandidateSpace
{
    private readonly Candidate[] _candidates;
    private readonly string _source;

    private StructureSpace(Candidate[] candidates, Vec<string> labels, string source)
    {
        _candidates = candidates;
        FeatureLabels = labels;
        _source = source;
    }

    /// <inheritdoc/>
    public override long Count => _candidates.Length;

    /// <inheritdoc/>
    public override Vec<string> FeatureLabels { get; }

    /// <inheritdoc/>
    public override string Describe() => $"structures from {_source}, {CountText(Count)}";

    /// <inheritdoc/>
    public override IEnumerable<Candidate> Enumerate() => _candidates;

    /// <summary>Featurizes structures with a pipeline's fitted structure featurizers (nothing refitted) into a candidate space.</summary>
    /// <param name="model">A pipeline fitted on structures (<see cref="PipelineInput.Structures"/> set, or a learner on crystal graphs,
    /// <see cref="PipelineInput.CrystalGraphs"/>, whose candidates carry their structures and whose graphs are built when screened).</param>
    /// <param name="structures">The candidates with their ids (the target, when given, is ignored).</param>
    /// <param name="source">Where they came from, for <see cref="CandidateSpace.Describe"/> and problems.</param>
    /// <returns>The space, or <c>param.conflict</c> (a pipeline of table rows), <c>data.empty</c>, or every structure's featurization
    /// problem naming it (e.g. <c>featurize.too_many_sites</c>, <c>structure.disordered</c>).</returns>
    public static Validation<Problem, StructureSpace> FromStructures(FittedPipeline model, IReadOnlyList<StructureEntry> structures, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(structures);
        if (model.Input.Structures is null && !model.Input.CrystalGraphs)
            return Valid.Fail<StructureSpace>("param.conflict", "the model was fitted on rows of a table, not on crystal structures; screen formulas or feature columns with it");
        if (structures.Count == 0) return Valid.Fail<StructureSpace>("data.empty", $"{source} holds no structure to screen");
        // A pipeline on crystal graphs (cgcnn) predicts the structures themselves: each candidate carries its structure, no features.
        if (model.Input.CrystalGraphs)
            return Valid.Ok(new StructureSpace(
                structures.Select((s, i) => new Candidate(i, s.Id, s.Structure.Composition, Vec.Own(Array.Empty<double>())) { Structure = s.Structure }).ToArray(),
                Vec.From(Array.Empty<string>()), source));
        var labels = model.FeatureLabels;
        return from featurizer in model.Input.Structures!.Build()
               from set in StructureFeaturizer.Build(featurizer, structures.Select(s => s.Structure).ToArray())
                   .MapFail(p => p.Row is int r ? p with { Row = null, Message = $"candidate {r} ('{structures[r].Id}' in {source}), {p.Column}: {p.Message}" } : p)
               from columns in Columns(featurizer.Labels, labels)
               select new StructureSpace(
                   structures.Select((s, i) => new Candidate(i, s.Id, s.Structure.Composition, Vec.Own(columns.Select(j => set.X[i, j]).ToArray()))).ToArray(),
                   Vec.From(labels), source);
    }

    private static Validation<Problem, int[]> Columns(IReadOnlyList<string> featurizerLabels, IReadOnlyList<string> wanted)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j < featurizerLabels.Count; j++) index.TryAdd(featurizerLabels[j], j);
        var missing = wanted.FirstOrDefault(l => !index.ContainsKey(l));
        return missing is null ? Valid.Ok(wanted.Select(l => index[l]).ToArray())
            : Valid.Fail<int[]>("shape.columns_mismatch", $"the model's structure featurizers give no feature '{missing}' it was fitted on; the model file is inconsistent: fit it again");
    }
}
