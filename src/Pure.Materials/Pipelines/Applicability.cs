using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Pipelines;

/// <summary>Flags rows that lie outside what a model was trained on (its applicability domain): features outside the training range and
/// elements no training composition contains. A prediction for such a row is an extrapolation: trees predict a constant there, linear
/// and kernel models grow without bound, and descriptors of an unseen element were never tied to any target.</summary>
/// <remarks>Both checks are exact and deterministic. They are necessary conditions only: a row inside every range can still be far from all
/// training rows in combination. Source: the bounding-box and "unseen element" checks common in materials screening, e.g. Sutton et al.,
/// Nat. Commun. 11, 4428 (2020) (domains of applicability).</remarks>
public static class Applicability
{
    /// <summary>Counts, for each row of <paramref name="xNew"/>, the features outside [min, max] of that feature over <paramref name="xTrain"/>.</summary>
    /// <param name="xTrain">Training features, shape (n_train, n_features); NaN entries are ignored.</param>
    /// <param name="xNew">Rows to check, shape (n_new, n_features); a NaN entry never counts as outside.</param>
    /// <returns>Counts, length n_new, each in [0, n_features].</returns>
    /// <exception cref="ArgumentException">The two matrices have different numbers of columns (a programming error).</exception>
    public static int[] FeaturesOutOfRange(Matrix xTrain, Matrix xNew)
    {
        if (xTrain.Cols != xNew.Cols) throw new ArgumentException($"xTrain has {xTrain.Cols} columns, xNew {xNew.Cols}", nameof(xNew));
        var (min, max) = Ranges(xTrain);
        return FeaturesOutOfRange(min, max, xNew);
    }

    /// <summary>Computes each feature's range over the training rows.</summary>
    /// <param name="xTrain">Training features, shape (n_train, n_features); NaN entries are ignored.</param>
    /// <returns>Per-feature minimum and maximum, each of length n_features (+inf and -inf for a column of NaN only).</returns>
    public static (double[] Min, double[] Max) Ranges(Matrix xTrain)
    {
        var p = xTrain.Cols;
        var min = Enumerable.Repeat(double.PositiveInfinity, p).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, p).ToArray();
        for (var i = 0; i < xTrain.Rows; i++)
        {
            var row = xTrain.Row(i);
            for (var j = 0; j < p; j++)
                if (!double.IsNaN(row[j])) { min[j] = Math.Min(min[j], row[j]); max[j] = Math.Max(max[j], row[j]); }
        }
        return (min, max);
    }

    /// <summary>Counts, for each row, the features outside the training range [min, max].</summary>
    /// <param name="min">Per-feature training minimum, length n_features.</param>
    /// <param name="max">Per-feature training maximum, length n_features.</param>
    /// <param name="xNew">Rows to check, shape (n_new, n_features); a NaN entry never counts as outside.</param>
    /// <returns>Counts, length n_new, each in [0, n_features].</returns>
    /// <exception cref="ArgumentException">The lengths disagree (a programming error).</exception>
    public static int[] FeaturesOutOfRange(IReadOnlyList<double> min, IReadOnlyList<double> max, Matrix xNew)
    {
        if (min.Count != xNew.Cols || max.Count != xNew.Cols) throw new ArgumentException($"the ranges have {min.Count} and {max.Count} features, xNew {xNew.Cols}", nameof(xNew));
        var p = xNew.Cols;
        var counts = new int[xNew.Rows];
        for (var i = 0; i < xNew.Rows; i++)
        {
            var row = xNew.Row(i);
            for (var j = 0; j < p; j++)
                if (row[j] < min[j] || row[j] > max[j]) counts[i]++;
        }
        return counts;
    }

    /// <summary>Lists, for each new composition, its elements not in a set of training elements.</summary>
    /// <param name="trainElements">Symbols of the elements the training compositions contain.</param>
    /// <param name="fresh">Compositions to check.</param>
    /// <returns>For each of <paramref name="fresh"/>, the unseen element symbols in the composition's order (empty when all were seen).</returns>
    public static string[][] UnseenElements(IReadOnlyList<string> trainElements, IReadOnlyList<Composition> fresh)
    {
        var seen = trainElements.ToHashSet(StringComparer.Ordinal);
        return fresh.Select(c => c.AtomicNumbers.Select(Elements.Symbol).Where(s => !seen.Contains(s)).ToArray()).ToArray();
    }

    /// <summary>Lists, for each new composition, its elements that no training composition contains.</summary>
    /// <param name="train">Training compositions.</param>
    /// <param name="fresh">Compositions to check.</param>
    /// <returns>For each of <paramref name="fresh"/>, the unseen element symbols in the composition's order (empty when all were seen).</returns>
    public static string[][] UnseenElements(IEnumerable<Composition> train, IReadOnlyList<Composition> fresh)
    {
        var seen = new bool[119];
        foreach (var c in train)
            foreach (var z in c.AtomicNumbers) seen[z] = true;
        return fresh.Select(c => c.AtomicNumbers.Where(z => !seen[z]).Select(Elements.Symbol).ToArray()).ToArray();
    }
}
