using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Split;

/// <summary>Repeats shuffled k-fold r times with different shuffles: r * k splits, repeat by repeat.</summary>
/// <remarks>
/// Repeat j shuffles with the j-th stream of <c>rng.SplitMany(r)</c>, so repeat j is the same whatever r is.
/// Split index = j * k + fold. Source: scikit-learn 1.2.1 <c>RepeatedKFold</c> (same sizes, different generator).
/// </remarks>
public static class RepeatedKFold
{
    /// <summary>Builds r repeats of shuffled k-fold.</summary>
    /// <param name="nRows">Number of rows n, at least k.</param>
    /// <param name="k">Folds per repeat, 2 &lt;= k &lt;= n.</param>
    /// <param name="repeats">Number of repeats r, at least 1.</param>
    /// <param name="rng">A stream for this split alone; read, not advanced.</param>
    /// <returns>r * k splits, or the problems of <see cref="KFold.Split"/> and <c>param.out_of_range</c> for r &lt; 1.</returns>
    public static Validation<Problem, TrainTest[]> Split(int nRows, int k, int repeats, Rng rng)
    {
        if (repeats < 1)
            return Valid.Fail<TrainTest[]>("param.out_of_range", $"repeated k-fold needs at least 1 repeat, found {repeats}");
        var first = KFold.Split(nRows, k, true, rng);
        if (first.IsFail) return first;
        var (streams, _) = rng.SplitMany(repeats);
        return Valid.All(streams.Select(s => KFold.Split(nRows, k, true, s))).Map(all => all.SelectMany(f => f).ToArray());
    }
}
