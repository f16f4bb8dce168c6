using Pure.Materials.Core;
using LanguageExt;

namespace Pure.Materials.Featurize;

/// <summary>A statistic of the element values of a composition, weighted by the element amounts (matminer's <c>PropertyStats</c>).</summary>
/// <remarks>
/// With values v_i and amounts w_i (as parsed, not normalised), W = sum w_i:
/// <list type="bullet">
/// <item><c>minimum</c>, <c>maximum</c>, <c>range</c> = max - min: unweighted.</item>
/// <item><c>mean</c> = sum(w_i v_i) / W.</item>
/// <item><c>avg_dev</c> = sum(w_i |v_i - mean|) / W.</item>
/// <item><c>std_dev</c> = sqrt(beta sum(w_i (v_i - mean)^2)) with beta = W / (W^2 - sum w_i^2) (unbiased, reliability weights); 0 for one element.</item>
/// <item><c>mode</c> = the smallest value among the elements whose amount is close to the largest amount
/// (|w_i - w_max| &lt;= 1e-8 + 1e-5 |w_max|, numpy's <c>isclose</c>).</item>
/// <item><c>geom_mean</c> = prod(v_i^(w_i/W)) (matminer <c>holder_mean::0</c>); <c>harm_mean</c> = W / sum(w_i / v_i) (<c>holder_mean::-1</c>).</item>
/// </list>
/// A NaN value among the elements makes every statistic NaN (numpy semantics), except <c>std_dev</c> of a single element (0, as matminer).
/// Extreme amounts (total above 1e100 or below 1e-100) are first divided by the largest amount (the statistics do not change, they
/// no longer overflow), and when W^2 - sum w_i^2 cancels to below 1e-6 W^2 it is computed as 2 sum_{i&lt;j} w_i w_j: where matminer
/// returns infinity (e.g. <c>FeO1e-17</c>) this gives the finite value; ordinary compositions are computed as before, bit for bit.
/// Source: matminer v0.9.0 <c>matminer/featurizers/utils/stats.py</c>.
/// </remarks>
public enum Statistic
{
    /// <summary>Unweighted minimum (<c>minimum</c>).</summary>
    Minimum,
    /// <summary>Unweighted maximum (<c>maximum</c>).</summary>
    Maximum,
    /// <summary>Maximum minus minimum (<c>range</c>).</summary>
    Range,
    /// <summary>Amount-weighted mean (<c>mean</c>).</summary>
    Mean,
    /// <summary>Amount-weighted mean absolute deviation from the mean (<c>avg_dev</c>).</summary>
    AvgDev,
    /// <summary>Value of the most abundant element, smallest on ties (<c>mode</c>).</summary>
    Mode,
    /// <summary>Amount-weighted unbiased standard deviation (<c>std_dev</c>, matminer's reliability-weight formula).</summary>
    StdDev,
    /// <summary>Amount-weighted geometric mean (<c>geom_mean</c>, matminer <c>holder_mean::0</c>).</summary>
    GeometricMean,
    /// <summary>Amount-weighted harmonic mean (<c>harm_mean</c>, matminer <c>holder_mean::-1</c>).</summary>
    HarmonicMean,
}

/// <summary>Names and parses <see cref="Statistic"/> values with matminer's spelling.</summary>
public static class Statistics
{
    private static readonly string[] Names = ["minimum", "maximum", "range", "mean", "avg_dev", "mode", "std_dev", "geom_mean", "harm_mean"];

    /// <summary>The matminer name of a statistic, used in feature labels (<c>MagpieData avg_dev Number</c>).</summary>
    /// <param name="statistic">The statistic.</param>
    /// <returns>For example <c>avg_dev</c>.</returns>
    public static string Name(this Statistic statistic) => Names[(int)statistic];

    /// <summary>Parses a statistic name.</summary>
    /// <param name="name">One of minimum, maximum, range, mean, avg_dev, mode, std_dev, geom_mean (or holder_mean::0), harm_mean (or holder_mean::-1).</param>
    /// <returns>The statistic, or <c>param.unknown_statistic</c> listing the accepted names.</returns>
    public static Validation<Problem, Statistic> Parse(string name)
    {
        var key = name.Trim() switch { "holder_mean::0" => "geom_mean", "holder_mean::-1" => "harm_mean", var s => s };
        var i = Array.IndexOf(Names, key);
        return i >= 0
            ? Valid.Ok((Statistic)i)
            : Valid.Fail<Statistic>("param.unknown_statistic", $"unknown statistic '{name}'; use one of {string.Join(", ", Names)}");
    }
}
