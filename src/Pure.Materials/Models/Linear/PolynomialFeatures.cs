using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Linear;

/// <summary>Hyper-parameters of the polynomial feature expansion (scikit-learn <c>PolynomialFeatures</c> names and defaults).</summary>
public sealed record PolynomialFeaturesOptions
{
    /// <summary><c>degree</c>: highest total degree, in [1, 10]. Default 2.</summary>
    public int Degree { get; init; } = 2;

    /// <summary><c>interaction_only</c>: keep only products of distinct features (no x_j^2). Default false.</summary>
    public bool InteractionOnly { get; init; }

    /// <summary><c>include_bias</c>: add the constant column 1 first. Default true.</summary>
    public bool IncludeBias { get; init; } = true;
}

/// <summary>A fitted expansion: the exponents of every output column.</summary>
/// <param name="Options">The options it was built with.</param>
/// <param name="NFeaturesIn"><c>n_features_in_</c>.</param>
/// <param name="Powers"><c>powers_</c>: one row per output column, length n_features_in, the exponent of each input feature.</param>
public sealed record PolynomialFeaturesModel(PolynomialFeaturesOptions Options, int NFeaturesIn, IReadOnlyList<int[]> Powers)
{
    /// <summary><c>powers_</c>: one row per output column, length n_features_in, the exponent of each input feature.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<int[]> Powers { get; init => field = Vec.NestedArrays(value); } = Vec.NestedArrays(Powers);

    /// <summary><c>n_output_features_</c>.</summary>
    public int NOutputFeatures => Powers.Count;
}

/// <summary>Expands features into all monomials up to a degree, in scikit-learn's column order.</summary>
/// <remarks>
/// Output columns, for d = 0 (bias, when included), 1, ..., degree: every multiset {j_1 &lt;= ... &lt;= j_d} of input features in
/// lexicographic order (<c>itertools.combinations_with_replacement</c>; <c>combinations</c> when interaction_only), the column being
/// prod_k x_{j_k}. For 2 features and degree 2: 1, x0, x1, x0^2, x0 x1, x1^2. NaN in an input gives NaN in every column using it.
/// Source: scikit-learn 1.2.1 <c>sklearn/preprocessing/_polynomial.py</c>.
/// </remarks>
public static class PolynomialFeatures
{
    /// <summary>Builds the expansion for a number of input features.</summary>
    /// <param name="options">Options.</param>
    /// <param name="x">Training features, shape (n_samples, n_features); only the column count is used.</param>
    /// <returns>The model, or <c>param.out_of_range</c> (degree outside [1, 10], or more than 100 000 output columns) or <c>data.empty</c> (no columns).</returns>
    public static Validation<Problem, PolynomialFeaturesModel> Fit(PolynomialFeaturesOptions options, Matrix x)
    {
        if (options.Degree < 1 || options.Degree > 10)
            return Valid.Fail<PolynomialFeaturesModel>("param.out_of_range", $"degree must be in [1, 10], found {options.Degree}; try degree=2");
        if (x.Cols == 0)
            return Valid.Fail<PolynomialFeaturesModel>("data.empty", "X has 0 features; at least 1 is required");
        var powers = new List<int[]>();
        if (options.IncludeBias) powers.Add(new int[x.Cols]);
        for (var d = 1; d <= options.Degree; d++)
        {
            var combo = new int[d];
            if (!Enumerate(combo, 0, 0, x.Cols, options.InteractionOnly, powers))
                return Valid.Fail<PolynomialFeaturesModel>("param.out_of_range",
                    $"degree {options.Degree} on {x.Cols} features gives more than 100000 columns; lower the degree or use interaction_only");
        }
        return Valid.Ok(new PolynomialFeaturesModel(options, x.Cols, powers));
    }

    private static bool Enumerate(int[] combo, int position, int start, int p, bool distinct, List<int[]> powers)
    {
        if (position == combo.Length)
        {
            var row = new int[p];
            foreach (var j in combo) row[j]++;
            powers.Add(row);
            return powers.Count <= 100_000;
        }
        for (var j = start; j < p; j++)
        {
            combo[position] = j;
            if (!Enumerate(combo, position + 1, distinct ? j + 1 : j, p, distinct, powers)) return false;
        }
        return true;
    }

    /// <summary>Expands features.</summary>
    /// <param name="model">The expansion.</param>
    /// <param name="x">Features, shape (n_samples, model.NFeaturesIn).</param>
    /// <returns>Shape (n_samples, model.NOutputFeatures).</returns>
    /// <exception cref="ArgumentException">When the column count differs from the model's (a programmer error).</exception>
    public static Matrix Transform(PolynomialFeaturesModel model, Matrix x)
    {
        if (x.Cols != model.NFeaturesIn) throw new ArgumentException($"X has {x.Cols} columns, expected {model.NFeaturesIn}.", nameof(x));
        var m = model.NOutputFeatures;
        var data = new double[x.Rows * m];
        for (var i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            for (var c = 0; c < m; c++)
            {
                var v = 1.0;
                var pw = Vec.Row(model.Powers, c);
                for (var j = 0; j < pw.Length; j++)
                    for (var e = 0; e < pw[j]; e++) v *= row[j];
                data[i * m + c] = v;
            }
        }
        return Matrix.Own(x.Rows, m, data);
    }

    /// <summary>Names the output columns as scikit-learn's <c>get_feature_names_out</c>.</summary>
    /// <param name="model">The expansion.</param>
    /// <param name="inputNames">Input names, length n_features_in; null for x0, x1, ...</param>
    /// <returns>For example <c>1</c>, <c>x0</c>, <c>x0^2</c>, <c>x0 x1</c>.</returns>
    public static string[] FeatureNames(PolynomialFeaturesModel model, IReadOnlyList<string>? inputNames = null)
    {
        var names = inputNames ?? Enumerable.Range(0, model.NFeaturesIn).Select(j => $"x{j}").ToArray();
        return model.Powers.Select(pw =>
        {
            var parts = pw.Select((e, j) => e switch { 0 => null, 1 => names[j], _ => $"{names[j]}^{e}" }).Where(s => s is not null).ToArray();
            return parts.Length == 0 ? "1" : string.Join(" ", parts);
        }).ToArray();
    }
}
