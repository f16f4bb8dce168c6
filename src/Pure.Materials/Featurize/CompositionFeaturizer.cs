using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Featurize;

/// <summary>Turns a composition into a fixed-length vector of descriptors (matminer's <c>BaseFeaturizer</c> contract).</summary>
/// <remarks>
/// <see cref="Labels"/>, <see cref="Units"/> and the output of <see cref="Featurize"/> have the same length and order.
/// Implementations are immutable and thread-safe; featurizing never changes the featurizer.
/// </remarks>
public interface ICompositionFeaturizer
{
    /// <summary>The short name used on the command line, e.g. <c>magpie</c>.</summary>
    string Name { get; }

    /// <summary>Feature labels, exactly as matminer spells them (e.g. <c>MagpieData mean Number</c>).</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>The unit of each feature (same length as <see cref="Labels"/>); empty where dimensionless or undefined.</summary>
    IReadOnlyList<string> Units { get; }

    /// <summary>Papers to cite when using these features (BibTeX or a reference line).</summary>
    IReadOnlyList<string> Citations { get; }

    /// <summary>Who wrote the reference implementation and this port.</summary>
    IReadOnlyList<string> Implementors { get; }

    /// <summary>Computes the features of one composition into <paramref name="destination"/>.</summary>
    /// <param name="composition">The composition (amounts as parsed).</param>
    /// <param name="destination">Receives <c>Labels.Count</c> values; NaN where the featurizer documents a missing value.</param>
    /// <exception cref="ArgumentException">When <paramref name="destination"/> is shorter than <c>Labels.Count</c> (a programmer error).</exception>
    void Featurize(Composition composition, Span<double> destination);
}

/// <summary>Featurizes whole datasets with any <see cref="ICompositionFeaturizer"/>.</summary>
public static class CompositionFeaturizer
{
    /// <summary>Featurizes every composition, in parallel over rows; row i of the result belongs to composition i whatever the thread count.</summary>
    /// <param name="featurizer">The featurizer.</param>
    /// <param name="compositions">n compositions.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; null for all cores. The result does not depend on it.</param>
    /// <returns>A matrix of shape (n, featurizer.Labels.Count).</returns>
    public static Matrix FeaturizeMany(this ICompositionFeaturizer featurizer, IReadOnlyList<Composition> compositions, int? maxDegreeOfParallelism = null)
    {
        var n = compositions.Count;
        var m = featurizer.Labels.Count;
        var data = new double[n * m];
        const int chunk = 256;
        var chunks = (n + chunk - 1) / chunk;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism ?? -1 }, c =>
        {
            var end = Math.Min(n, (c + 1) * chunk);
            for (var i = c * chunk; i < end; i++)
                featurizer.Featurize(compositions[i], data.AsSpan(i * m, m));
        });
        return Matrix.Own(n, m, data);
    }

    /// <summary>Featurizes one composition into a new array.</summary>
    /// <param name="featurizer">The featurizer.</param>
    /// <param name="composition">The composition.</param>
    /// <returns>The features, length <c>Labels.Count</c>.</returns>
    public static double[] Featurize(this ICompositionFeaturizer featurizer, Composition composition)
    {
        var result = new double[featurizer.Labels.Count];
        featurizer.Featurize(composition, result);
        return result;
    }
}
