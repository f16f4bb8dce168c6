using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Structures;

namespace Pure.Materials.Featurize.Structural;

/// <summary>Turns a crystal structure into a fixed-length vector of descriptors (matminer's <c>BaseFeaturizer</c> contract for structures).</summary>
/// <remarks>
/// <see cref="Labels"/>, <see cref="Units"/> and the output of <see cref="Featurize"/> have the same length and order; labels are
/// matminer v0.9.0's. Implementations are immutable and thread-safe; featurizing never changes the featurizer (a featurizer that
/// needs fitting, such as <see cref="CoulombMatrix"/>, is built already fitted, and carries what it learned).
/// </remarks>
public interface IStructureFeaturizer
{
    /// <summary>The short name used on the command line, e.g. <c>density</c>.</summary>
    string Name { get; }

    /// <summary>Feature labels, exactly as matminer v0.9.0 spells them (e.g. <c>packing fraction</c>).</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>The unit of each feature (same length as <see cref="Labels"/>); empty where dimensionless.</summary>
    IReadOnlyList<string> Units { get; }

    /// <summary>Papers to cite when using these features.</summary>
    IReadOnlyList<string> Citations { get; }

    /// <summary>Who wrote the reference implementation and this port.</summary>
    IReadOnlyList<string> Implementors { get; }

    /// <summary>Computes the features of one structure into <paramref name="destination"/>.</summary>
    /// <param name="structure">The structure.</param>
    /// <param name="destination">Receives <c>Labels.Count</c> values.</param>
    /// <returns>null on success, or the problem that stops this structure (no row or column set; the caller adds them):
    /// e.g. <c>structure.disordered</c>, <c>featurize.no_neighbors</c>, <c>featurize.too_many_sites</c>. On a problem the
    /// content of <paramref name="destination"/> is unspecified.</returns>
    /// <exception cref="ArgumentException">When <paramref name="destination"/> is shorter than <c>Labels.Count</c> (a programmer error).</exception>
    Problem? Featurize(Structure structure, Span<double> destination);
}

/// <summary>Featurizes lists of structures, adapts composition featurizers to structures and joins featurizers into one feature set.</summary>
public static class StructureFeaturizer
{
    /// <summary>Featurizes every structure, in parallel over rows; row i of the result belongs to structure i whatever the thread count.</summary>
    /// <param name="featurizer">The featurizer.</param>
    /// <param name="structures">n structures.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; null for all cores. The result does not depend on it.</param>
    /// <returns>A matrix of shape (n, featurizer.Labels.Count), or every structure's problem with its row (0-based) and the
    /// featurizer's name as column.</returns>
    public static Validation<Problem, Matrix> FeaturizeMany(this IStructureFeaturizer featurizer, IReadOnlyList<Structure> structures, int? maxDegreeOfParallelism = null)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(structures);
        var n = structures.Count;
        var m = featurizer.Labels.Count;
        var data = new double[n * m];
        var problems = new Problem?[n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism ?? -1 }, i =>
            problems[i] = featurizer.Featurize(structures[i], data.AsSpan(i * m, m)));
        var failed = problems.Select((p, i) => p is null ? null : p with { Row = i, Column = p.Column ?? featurizer.Name }).OfType<Problem>().ToList();
        return failed.Count > 0 ? Valid.Fail<Matrix>(failed) : Valid.Ok(Matrix.Own(n, m, data));
    }

    /// <summary>Featurizes one structure into a new array.</summary>
    /// <param name="featurizer">The featurizer.</param>
    /// <param name="structure">The structure.</param>
    /// <returns>The features, length <c>Labels.Count</c>, or the featurizer's problem.</returns>
    public static Validation<Problem, double[]> Featurize(this IStructureFeaturizer featurizer, Structure structure)
    {
        var result = new double[featurizer.Labels.Count];
        var problem = featurizer.Featurize(structure, result);
        return problem is null ? Valid.Ok(result) : Valid.Fail<double[]>(problem);
    }

    /// <summary>Describes a structure by its composition with a composition featurizer (matminer's <c>StructureToComposition</c>
    /// followed by the featurizer): e.g. Magpie of the cell's composition.</summary>
    /// <param name="featurizer">A composition featurizer (e.g. <see cref="ElementProperty.Magpie"/>).</param>
    /// <returns>A structure featurizer with the same name, labels and units.</returns>
    /// <remarks>The composition is <see cref="Structure.Composition"/>: each element's summed occupancy over the cell's sites
    /// (4 Na, 4 Cl for conventional rock salt; amounts as in pymatgen's <c>Structure.composition</c>, not reduced).</remarks>
    public static IStructureFeaturizer FromComposition(ICompositionFeaturizer featurizer) => new OfComposition(featurizer);

    /// <summary>Joins featurizers into one: their labels in order, each featurizer's block of columns after the previous one's.</summary>
    /// <param name="featurizers">At least one featurizer, e.g. <c>[FromComposition(Magpie), SiteStatsFingerprint.BondLength]</c>.</param>
    /// <returns>The joined featurizer, or <c>param.empty</c> (none given) or <c>param.duplicate_label</c> (a label produced twice).</returns>
    public static Validation<Problem, IStructureFeaturizer> Join(IReadOnlyList<IStructureFeaturizer> featurizers)
    {
        ArgumentNullException.ThrowIfNull(featurizers);
        if (featurizers.Count == 0) return Valid.Fail<IStructureFeaturizer>("param.empty", "no structure featurizer given; give at least one.");
        if (featurizers.Count == 1) return Valid.Ok(featurizers[0]);
        var duplicates = featurizers.SelectMany(f => f.Labels).GroupBy(l => l, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            return Valid.Fail<IStructureFeaturizer>("param.duplicate_label", $"the featurizers give the label '{duplicates[0]}' ({duplicates.Count} labels in all) twice; name each featurizer once.");
        return Valid.Ok<IStructureFeaturizer>(new Joined([.. featurizers]));
    }

    /// <summary>Builds the feature set of a list of structures: the labels and the (n, features) matrix.</summary>
    /// <param name="featurizer">The featurizer (use <see cref="Join"/> for several).</param>
    /// <param name="structures">n structures.</param>
    /// <returns>The feature set, or every structure's problem (row and featurizer named); <c>featurize.non_finite</c> (row, label)
    /// where a feature comes out infinite.</returns>
    public static Validation<Problem, FeatureSet> Build(IStructureFeaturizer featurizer, IReadOnlyList<Structure> structures) =>
        featurizer.FeaturizeMany(structures).Bind(x =>
        {
            for (var i = 0; i < x.Rows; i++)
                for (var j = 0; j < x.Cols; j++)
                    if (double.IsInfinity(x[i, j]))
                        return Valid.Fail<FeatureSet>("featurize.non_finite", string.Create(CultureInfo.InvariantCulture,
                            $"structure {i}: feature '{featurizer.Labels[j]}' is {x[i, j]}; check the structure (overlapping sites?) or leave this featurizer out."), i, featurizer.Labels[j]);
            return Valid.Ok(new FeatureSet(featurizer.Labels, x));
        });

    private sealed class OfComposition(ICompositionFeaturizer inner) : IStructureFeaturizer
    {
        public string Name => inner.Name;
        public IReadOnlyList<string> Labels => inner.Labels;
        public IReadOnlyList<string> Units => inner.Units;
        public IReadOnlyList<string> Citations => inner.Citations;
        public IReadOnlyList<string> Implementors => inner.Implementors;

        public Problem? Featurize(Structure structure, Span<double> destination)
        {
            inner.Featurize(structure.Composition, destination);
            return null;
        }
    }

    private sealed class Joined : IStructureFeaturizer
    {
        private readonly IStructureFeaturizer[] _parts;

        public Joined(IStructureFeaturizer[] parts)
        {
            _parts = parts;
            Name = string.Join(",", parts.Select(p => p.Name));
            Labels = [.. parts.SelectMany(p => p.Labels)];
            Units = [.. parts.SelectMany(p => p.Units)];
            Citations = [.. parts.SelectMany(p => p.Citations).Distinct()];
            Implementors = [.. parts.SelectMany(p => p.Implementors).Distinct()];
        }

        public string Name { get; }
        public IReadOnlyList<string> Labels { get; }
        public IReadOnlyList<string> Units { get; }
        public IReadOnlyList<string> Citations { get; }
        public IReadOnlyList<string> Implementors { get; }

        public Problem? Featurize(Structure structure, Span<double> destination)
        {
            var offset = 0;
            foreach (var part in _parts)
            {
                var width = part.Labels.Count;
                var problem = part.Featurize(structure, destination.Slice(offset, width));
                if (problem is not null) return problem with { Column = problem.Column ?? part.Name };
                offset += width;
            }
            return null;
        }
    }

    /// <summary>Checks that a structure is ordered, as matminer's featurizers require.</summary>
    internal static Problem? RequireOrdered(Structure structure, string featurizer)
    {
        if (structure.IsOrdered) return null;
        var k = structure.Sites.Select((s, i) => (s, i)).First(t => !t.s.IsOrdered).i;
        return new Problem("structure.disordered", $"{featurizer} needs an ordered structure, but site {k} holds {structure.Sites[k].SpeciesString}; give one element with occupancy 1 per site (an ordered approximation), or leave {featurizer} out.");
    }

    internal static void CheckDestination(Span<double> destination, int count)
    {
        if (destination.Length < count) throw new ArgumentException($"Destination is too short: {destination.Length} < {count} features.", nameof(destination));
    }
}
