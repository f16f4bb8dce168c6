using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>Names how a <see cref="MaxFeatures"/> value turns the number of features into a number of split candidates.</summary>
public enum MaxFeaturesKind
{
    /// <summary><c>max(1, floor(sqrt(n_features)))</c>, scikit-learn <c>"sqrt"</c>.</summary>
    Sqrt,

    /// <summary><c>max(1, floor(log2(n_features)))</c>, scikit-learn <c>"log2"</c>.</summary>
    Log2,

    /// <summary>A fixed count, scikit-learn <c>int</c>.</summary>
    Count,

    /// <summary><c>max(1, floor(fraction * n_features))</c>, scikit-learn <c>float</c>.</summary>
    Fraction,
}

/// <summary>Describes how many features a tree draws at each node as split candidates (scikit-learn <c>max_features</c>).</summary>
/// <remarks>
/// The value is inert: the factories accept any number and <see cref="RandomForest.Fit"/> reports an out-of-range one as a
/// <c>param.out_of_range</c> problem, as scikit-learn validates at <c>fit</c>. <see cref="All"/> is <c>Fraction(1.0)</c>, the
/// scikit-learn &gt;= 1.1 default of <c>RandomForestRegressor</c>, so <c>MaxFeatures.All == MaxFeatures.Fraction(1.0)</c>.
/// Source: scikit-learn 1.2.1 <c>sklearn/tree/_classes.py</c>, <c>BaseDecisionTree.fit</c>.
/// </remarks>
public sealed record MaxFeatures
{
    private MaxFeatures(MaxFeaturesKind kind, double value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>How the count is computed.</summary>
    public MaxFeaturesKind Kind { get; }

    /// <summary>The count (<see cref="MaxFeaturesKind.Count"/>) or the fraction (<see cref="MaxFeaturesKind.Fraction"/>); 0 for <c>sqrt</c> and <c>log2</c>.</summary>
    public double Value { get; }

    /// <summary>Every feature at every node (<c>1.0</c>; the default, which makes the forest plain bagging of CART trees).</summary>
    public static MaxFeatures All { get; } = new(MaxFeaturesKind.Fraction, 1.0);

    /// <summary><c>max(1, floor(sqrt(n_features)))</c> features per node (scikit-learn <c>"sqrt"</c>).</summary>
    public static MaxFeatures Sqrt { get; } = new(MaxFeaturesKind.Sqrt, 0);

    /// <summary><c>max(1, floor(log2(n_features)))</c> features per node (scikit-learn <c>"log2"</c>).</summary>
    public static MaxFeatures Log2 { get; } = new(MaxFeaturesKind.Log2, 0);

    /// <summary>Draws a fixed number of features per node (scikit-learn <c>int</c>).</summary>
    /// <param name="count">Number of features, valid in [1, n_features]; checked by <see cref="RandomForest.Fit"/>.</param>
    /// <returns>The value.</returns>
    public static MaxFeatures Count(int count) => new(MaxFeaturesKind.Count, count);

    /// <summary>Draws a fraction of the features per node: <c>max(1, floor(fraction * n_features))</c> (scikit-learn <c>float</c>).</summary>
    /// <param name="fraction">Fraction, valid in (0, 1]; checked by <see cref="RandomForest.Fit"/>.</param>
    /// <returns>The value.</returns>
    public static MaxFeatures Fraction(double fraction) => new(MaxFeaturesKind.Fraction, fraction);

    /// <summary>Computes the number of candidate features per node for a data set with <paramref name="nFeatures"/> columns.</summary>
    /// <param name="nFeatures">Number of features, at least 1.</param>
    /// <returns>
    /// The count: <c>max(1, (int)sqrt(n))</c>, <c>max(1, (int)log2(n))</c>, the fixed count, or <c>max(1, (int)(fraction * n))</c>.
    /// A count above <paramref name="nFeatures"/> is returned as is (<see cref="RandomForest.Fit"/> rejects it).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="nFeatures"/> is below 1 (a programmer error).</exception>
    public int Resolve(int nFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nFeatures, 1);
        return Kind switch
        {
            MaxFeaturesKind.Sqrt => Math.Max(1, (int)Math.Sqrt(nFeatures)),
            MaxFeaturesKind.Log2 => Math.Max(1, (int)Math.Log2(nFeatures)),
            MaxFeaturesKind.Count => (int)Value,
            _ => Math.Max(1, (int)(Value * nFeatures)),
        };
    }

    /// <summary>Checks the value against a number of features.</summary>
    /// <returns><c>null</c> when valid, otherwise a <c>param.out_of_range</c> problem.</returns>
    internal Problem? Check(int nFeatures)
    {
        const string fix = "use \"sqrt\", \"log2\", a count in [1, n_features] or a fraction in (0, 1] (1.0 = all features, the default)";
        return Kind switch
        {
            MaxFeaturesKind.Count when Value < 1 || (nFeatures > 0 && Value > nFeatures) => new Problem("param.out_of_range",
                $"max_features is the count {ToString()}; expected a count in [1, {nFeatures}] (the number of features); fix: {fix}"),
            MaxFeaturesKind.Fraction when !(Value > 0 && Value <= 1) => new Problem("param.out_of_range",
                $"max_features is the fraction {ToString()}; expected a fraction in (0, 1]; fix: {fix}"),
            _ => null,
        };
    }

    /// <summary>Formats the value as scikit-learn prints it.</summary>
    /// <returns><c>"sqrt"</c>, <c>"log2"</c>, an integer such as <c>5</c>, or a float such as <c>0.33</c> or <c>1.0</c> (<see cref="All"/>).</returns>
    public override string ToString() => Kind switch
    {
        MaxFeaturesKind.Sqrt => "sqrt",
        MaxFeaturesKind.Log2 => "log2",
        MaxFeaturesKind.Count => ((long)Value).ToString(CultureInfo.InvariantCulture),
        _ => PythonFloat(Value),
    };

    /// <summary>Parses a command-line value: <c>sqrt</c>, <c>log2</c>, <c>all</c> (or <c>none</c>), an integer count or a fraction.</summary>
    /// <param name="text">The text; case-insensitive, surrounding spaces ignored. An integer (<c>5</c>) is a count, a number with a
    /// decimal point or exponent (<c>0.33</c>, <c>1.0</c>) a fraction, as in scikit-learn where <c>1</c> means one feature and
    /// <c>1.0</c> all of them.</param>
    /// <returns>The value, or <c>param.invalid</c> (not a recognised form) or <c>param.out_of_range</c> (count below 1, fraction outside (0, 1]).</returns>
    public static Validation<Problem, MaxFeatures> Parse(string text)
    {
        var t = (text ?? "").Trim().ToLowerInvariant();
        const string expected = "expected \"sqrt\", \"log2\", \"all\", an integer count >= 1 or a fraction in (0, 1] such as 0.33";
        switch (t)
        {
            case "sqrt": return Valid.Ok(Sqrt);
            case "log2": return Valid.Ok(Log2);
            case "all" or "none": return Valid.Ok(All);
        }
        if (int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count))
            return count >= 1
                ? Valid.Ok(Count(count))
                : Valid.Fail<MaxFeatures>("param.out_of_range", $"max_features is the count {count}; {expected}; fix: use a count of at least 1");
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) && double.IsFinite(fraction))
            return fraction > 0 && fraction <= 1
                ? Valid.Ok(Fraction(fraction))
                : Valid.Fail<MaxFeatures>("param.out_of_range",
                    $"max_features is the fraction {text!.Trim()}; {expected}; fix: use a fraction in (0, 1], or an integer for a count");
        return Valid.Fail<MaxFeatures>("param.invalid", $"max_features is '{text}'; {expected}; fix: write one of these forms, e.g. sqrt or 0.33");
    }

    /// <summary>Formats a double like Python's <c>repr(float)</c> for ordinary values (<c>1.0</c>, <c>0.33</c>, <c>1e-05</c>).</summary>
    private static string PythonFloat(double v)
    {
        var s = v.ToString("R", CultureInfo.InvariantCulture);
        if (s.Contains('E'))
        {
            var parts = s.Split('E');
            var exp = int.Parse(parts[1], CultureInfo.InvariantCulture);
            return $"{parts[0]}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
        }
        return double.IsFinite(v) && !s.Contains('.') ? s + ".0" : s;
    }
}
