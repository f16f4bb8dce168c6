using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Scale;

/// <summary>How a pipeline encodes categorical feature columns before imputation and scaling (fitted on the training rows only).</summary>
public enum CategoricalEncoding
{
    /// <summary>One column per category of the training rows, 1 where the row holds it (<see cref="OneHotEncoder"/>; scikit-learn
    /// <c>OneHotEncoder(handle_unknown="ignore")</c>). Any learner can use it; the output grows by one column per category.</summary>
    OneHot,
    /// <summary>One column of codes 0..k-1, the categories of the training rows in sorted order; unknown and missing cells -1
    /// (<see cref="OrdinalEncoder"/>; scikit-learn <c>OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1,
    /// encoded_missing_value=-1)</c>). Meant for trees: the output keeps the input's width.</summary>
    Ordinal,
}

/// <summary>Which columns of a matrix an <see cref="OrdinalEncoder"/> encodes (inert values).</summary>
/// <param name="Columns">The categorical columns, at distinct indices; every other column passes through unchanged.</param>
public sealed record OrdinalEncoderOptions(IReadOnlyList<OneHotColumn> Columns)
{
    /// <summary>Compares every column.</summary>
    /// <param name="other">The other options.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(OrdinalEncoderOptions? other) => other is not null && Columns.SequenceEqual(other.Columns);

    /// <summary>Hashes consistently with equality.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => Columns.Count;
}

/// <summary>What <see cref="OrdinalEncoder.Fit"/> learned: the categories of each categorical column seen in the training rows.</summary>
/// <param name="NFeaturesIn">Input columns, scikit-learn <c>n_features_in_</c> (also the number of output columns).</param>
/// <param name="Columns">The categorical columns with the code book of the rows they read.</param>
/// <param name="Categories">Per categorical column, scikit-learn <c>categories_</c>: the values seen in the training rows, in code-book
/// order (sorted), then <c>nan</c> when a training cell was missing (as scikit-learn 1.2 lists it; a missing cell is still encoded as
/// <see cref="OrdinalEncoderModel.UnknownValue"/>, never as a code).</param>
public sealed record OrdinalEncoderModel(int NFeaturesIn, IReadOnlyList<OneHotColumn> Columns, IReadOnlyList<IReadOnlyList<string>> Categories)
{
    /// <summary>The code of an unknown category and of a missing cell: scikit-learn's <c>unknown_value=-1</c>, <c>encoded_missing_value=-1</c>.</summary>
    public const double UnknownValue = -1;

    /// <summary>Compares the input width, the columns and every category.</summary>
    /// <param name="other">The other model.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(OrdinalEncoderModel? other) => other is not null && NFeaturesIn == other.NFeaturesIn && Columns.SequenceEqual(other.Columns)
        && Categories.Count == other.Categories.Count && Enumerable.Range(0, Categories.Count).All(c => Categories[c].SequenceEqual(other.Categories[c]));

    /// <summary>Hashes consistently with equality.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(NFeaturesIn, Columns.Count);

    /// <summary>The categories of column <paramref name="c"/> that get a code (every category but <c>nan</c>), in code order.</summary>
    /// <param name="c">Index into <see cref="Columns"/>.</param>
    /// <returns>The coded categories: category k has code k.</returns>
    public IReadOnlyList<string> Coded(int c) => Categories[c].Where(v => v != OneHotEncoderModel.Missing).ToArray();
}

/// <summary>Encodes categorical columns as ordinal codes with categories learned from the training rows only (scikit-learn
/// <c>OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-1)</c> applied to some columns, the
/// others passed through, each column staying in place).</summary>
/// <remarks>
/// <para>Each categorical column j with categories c_0..c_{k-1} (those of the training rows that are not missing, sorted as
/// <see cref="OneHotColumn.Sort"/> sorts them: numerically when every value is a number, so <c>62</c> before <c>221</c>) is replaced in
/// place by z_i = m when row i holds c_m. A tree splits the codes as numbers: a split at m + 0.5 separates the categories sorted before
/// and after c_m, so the sort order (a space-group number's order, an alphabetical crystal system) is what the tree can group cheaply;
/// a category far from its relatives in that order needs more splits than in a one-hot encoding, where each is its own column.</para>
/// <para>A category the training rows never held (in cross-validation: a category only in the test fold; at prediction: a value new
/// to the model) and a missing cell (whether or not a training cell was missing) are both encoded as -1
/// (<see cref="OrdinalEncoderModel.UnknownValue"/>), below every code: a tree sends them where it sends the lowest codes, or, when
/// training cells were missing, where it learned to send those. <see cref="Unknown"/> lists the unknown (and, when no training cell was
/// missing, the missing) cells so a caller can say so. No cell becomes NaN, so the imputer that follows never sees a categorical NaN.</para>
/// <para>The output has the input's width (one column per categorical column, where one-hot has one per category): with the Matbench
/// space group (233-234 categories in mp_e_form's training folds) every copy of the feature matrix stays the size of the numeric
/// features.</para>
/// <para>Determinism: no randomness, no floating-point sums. Source: scikit-learn 1.2.1 <c>sklearn.preprocessing.OrdinalEncoder</c>
/// (<c>categories="auto"</c>, <c>handle_unknown="use_encoded_value"</c>, <c>unknown_value=-1</c>, <c>encoded_missing_value=-1</c>).</para>
/// </remarks>
public static class OrdinalEncoder
{
    /// <summary>Learns the categories of each categorical column from the training rows.</summary>
    /// <param name="options">The categorical columns.</param>
    /// <param name="x">Training rows, shape (n_train, n_features): categorical cells hold a code-book index or NaN.</param>
    /// <returns>The model, or <c>data.empty</c>, <c>param.out_of_range</c> (a column index outside the matrix or given twice),
    /// <c>data.bad_category_code</c> (a cell that is not a code of its column's code book; row and column named).</returns>
    public static Validation<Problem, OrdinalEncoderModel> Fit(OrdinalEncoderOptions options, Matrix x) =>
        // The categories are learned exactly as the one-hot encoder learns them (same checks, same problems, same categories_).
        OneHotEncoder.Fit(new OneHotEncoderOptions(options.Columns), x).Map(m => new OrdinalEncoderModel(m.NFeaturesIn, m.Columns, m.Categories));

    /// <summary>Encodes rows: each categorical cell replaced in place by its category's code, every other cell copied.</summary>
    /// <param name="model">The fitted encoder.</param>
    /// <param name="x">Rows, shape (m, <see cref="OrdinalEncoderModel.NFeaturesIn"/>), categorical cells coded by each column's code book.</param>
    /// <returns>Shape (m, <see cref="OrdinalEncoderModel.NFeaturesIn"/>): codes 0..k-1 in the categorical columns, -1 for an unknown
    /// category, a missing cell or a cell that is no code of the code book.</returns>
    /// <exception cref="ArgumentException">When <paramref name="x"/> has another number of columns (a programmer error).</exception>
    public static Matrix Transform(OrdinalEncoderModel model, Matrix x)
    {
        FeatureChecks.RequireColumns(x, model.NFeaturesIn, "OrdinalEncoder");
        var data = x.Data.ToArray();
        Encode(model, data, x.Rows, x.Cols);
        return Matrix.Own(x.Rows, x.Cols, data);
    }

    /// <summary>Codes the rows of a matrix the caller owns in place (as <see cref="Transform"/> would code them, without a copy): for
    /// cross-validation's private copy of a fold's training rows, which nothing else reads.</summary>
    /// <param name="model">The fitted encoder.</param>
    /// <param name="x">The caller's private matrix, shape (m, <see cref="OrdinalEncoderModel.NFeaturesIn"/>); overwritten.</param>
    internal static void TransformInPlace(OrdinalEncoderModel model, Matrix x)
    {
        FeatureChecks.RequireColumns(x, model.NFeaturesIn, "OrdinalEncoder");
        Encode(model, x.Writable, x.Rows, x.Cols);
    }

    private static void Encode(OrdinalEncoderModel model, Span<double> data, int rows, int cols)
    {
        var maps = Maps(model);
        for (var c = 0; c < model.Columns.Count; c++)
        {
            var j = model.Columns[c].Index;
            var codes = model.Columns[c].Values.Count;
            for (var i = 0; i < rows; i++)
            {
                var k = Position(maps[c], data[i * cols + j], codes);
                data[i * cols + j] = k >= 0 ? k : OrdinalEncoderModel.UnknownValue;
            }
        }
    }

    /// <summary>The output column names: the input names (each categorical column keeps its name and place).</summary>
    /// <param name="model">The fitted encoder.</param>
    /// <param name="input">Input names, length <see cref="OrdinalEncoderModel.NFeaturesIn"/>.</param>
    /// <returns>The same names.</returns>
    public static IReadOnlyList<string> FeatureNames(OrdinalEncoderModel model, IReadOnlyList<string> input) => input;

    /// <summary>The cells encoded as -1 because their category is not among the training rows' (an unknown value, or a missing cell
    /// when no training cell was missing).</summary>
    /// <param name="model">The fitted encoder.</param>
    /// <param name="x">Rows, as for <see cref="Transform"/>.</param>
    /// <returns>The unknown cells in row order, then column order.</returns>
    public static IReadOnlyList<UnknownCategory> Unknown(OrdinalEncoderModel model, Matrix x) =>
        OneHotEncoder.Unknown(new OneHotEncoderModel(model.NFeaturesIn, model.Columns, model.Categories), x);

    /// <summary>Per column: the code of each code-book index (-1 when its value is not a category of the training rows).</summary>
    private static int[][] Maps(OrdinalEncoderModel model) =>
        [.. model.Columns.Select((col, c) =>
        {
            var positions = new Dictionary<string, int>(StringComparer.Ordinal);
            var coded = model.Coded(c);
            for (var k = 0; k < coded.Count; k++) positions[coded[k]] = k;
            return (int[])[.. col.Values.Select(v => positions.TryGetValue(v, out var k) ? k : -1)];
        })];

    private static int Position(int[] map, double v, int codes) =>
        v >= 0 && v < codes && v == Math.Floor(v) ? map[(int)v] : -1;
}
