using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Scale;

/// <summary>A categorical column of a feature matrix: where it sits and how its cells are coded.</summary>
/// <param name="Index">The column's 0-based index in the matrix.</param>
/// <param name="Name">The column's name (e.g. <c>crys_sys</c>), the prefix of its output names.</param>
/// <param name="Values">The code book: a cell holding the whole number k means <c>Values[k]</c>; NaN means a missing cell. Sorted as
/// scikit-learn sorts categories: numerically when every value is a number (<c>62</c> before <c>221</c>), else ordinally.</param>
public sealed record OneHotColumn(int Index, string Name, IReadOnlyList<string> Values)
{
    /// <summary>Compares index, name and every value.</summary>
    /// <param name="other">The other column.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(OneHotColumn? other) => other is not null && Index == other.Index && Name == other.Name && Values.SequenceEqual(other.Values);

    /// <summary>Hashes consistently with equality.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(Index, Name, Values.Count);

    /// <summary>Sorts distinct category values as scikit-learn's <c>OneHotEncoder</c> does (<c>np.unique</c>): numerically when every
    /// value parses as a number, else in ordinal (byte) order.</summary>
    /// <param name="values">Distinct, non-missing cell texts.</param>
    /// <returns>The sorted values.</returns>
    public static string[] Sort(IEnumerable<string> values)
    {
        var distinct = values.Distinct(StringComparer.Ordinal).ToArray();
        var numbers = new double[distinct.Length];
        var numeric = distinct.Length > 0 && Enumerable.Range(0, distinct.Length)
            .All(i => double.TryParse(distinct[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) && double.IsFinite(numbers[i]));
        return numeric
            ? [.. Enumerable.Range(0, distinct.Length).OrderBy(i => numbers[i]).ThenBy(i => distinct[i], StringComparer.Ordinal).Select(i => distinct[i])]
            : [.. distinct.Order(StringComparer.Ordinal)];
    }
}

/// <summary>Which columns of a matrix a <see cref="OneHotEncoder"/> encodes (inert values).</summary>
/// <param name="Columns">The categorical columns, at distinct indices; every other column passes through unchanged.</param>
public sealed record OneHotEncoderOptions(IReadOnlyList<OneHotColumn> Columns)
{
    /// <summary>Compares every column.</summary>
    /// <param name="other">The other options.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(OneHotEncoderOptions? other) => other is not null && Columns.SequenceEqual(other.Columns);

    /// <summary>Hashes consistently with equality.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => Columns.Count;
}

/// <summary>What <see cref="OneHotEncoder.Fit"/> learned: the categories of each categorical column seen in the training rows.</summary>
/// <param name="NFeaturesIn">Input columns, scikit-learn <c>n_features_in_</c>.</param>
/// <param name="Columns">The categorical columns with the code book of the rows they read.</param>
/// <param name="Categories">Per categorical column, scikit-learn <c>categories_</c>: the values seen in the training rows, in
/// code-book order (sorted), then <c>nan</c> when a training cell was missing (scikit-learn 1.2 keeps a missing value as the last category).</param>
public sealed record OneHotEncoderModel(int NFeaturesIn, IReadOnlyList<OneHotColumn> Columns, IReadOnlyList<IReadOnlyList<string>> Categories)
{
    /// <summary>The category name of missing cells (scikit-learn's <c>nan</c> category, last in <c>categories_</c>).</summary>
    public const string Missing = "nan";

    /// <summary>Number of output columns: every non-categorical column, plus one per category.</summary>
    public int NFeaturesOut => NFeaturesIn - Columns.Count + Categories.Sum(c => c.Count);

    /// <summary>Compares the input width, the columns and every category.</summary>
    /// <param name="other">The other model.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(OneHotEncoderModel? other) => other is not null && NFeaturesIn == other.NFeaturesIn && Columns.SequenceEqual(other.Columns)
        && Categories.Count == other.Categories.Count && Enumerable.Range(0, Categories.Count).All(c => Categories[c].SequenceEqual(other.Categories[c]));

    /// <summary>Hashes consistently with equality.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(NFeaturesIn, Columns.Count, NFeaturesOut);
}

/// <summary>A cell whose category the training rows never held (encoded as all zeros).</summary>
/// <param name="Row">0-based row of the matrix.</param>
/// <param name="Column">The categorical column's name.</param>
/// <param name="Value">The cell's value (<c>nan</c> for a missing cell when no training cell was missing).</param>
public sealed record UnknownCategory(int Row, string Column, string Value);

/// <summary>One-hot encodes categorical columns with categories learned from the training rows only (scikit-learn
/// <c>OneHotEncoder(handle_unknown="ignore")</c> applied to some columns, the others passed through, as in a <c>ColumnTransformer</c>
/// whose output keeps the input's column order).</summary>
/// <remarks>
/// <para>Each categorical column j with categories c_1..c_m (those of the training rows, sorted; <c>nan</c> last when a training cell
/// was missing) is replaced, in place, by m columns: z_ik = 1 when row i holds c_k, else 0. Output names follow scikit-learn's
/// <c>get_feature_names_out</c>: <c>{column}_{category}</c> (<c>crys_sys_cubic</c>, <c>spg_num_221</c>, <c>crys_sys_nan</c>).</para>
/// <para>A category the training rows never held (in cross-validation: a category only in the test fold; at prediction: a value new
/// to the model) is encoded as all zeros, scikit-learn's <c>handle_unknown="ignore"</c>: "error" would make cross-validation fail on
/// any rare category. <see cref="Unknown"/> lists such cells so a caller can say so. The same holds for a missing cell when no
/// training cell was missing.</para>
/// <para>Determinism: no randomness, no floating-point sums. Source: scikit-learn 1.2.1 <c>sklearn.preprocessing.OneHotEncoder</c>
/// (<c>categories="auto"</c>, <c>drop=None</c>, <c>handle_unknown="ignore"</c>, missing values as a category).</para>
/// </remarks>
public static class OneHotEncoder
{
    /// <summary>Learns the categories of each categorical column from the training rows.</summary>
    /// <param name="options">The categorical columns.</param>
    /// <param name="x">Training rows, shape (n_train, n_features): categorical cells hold a code-book index or NaN.</param>
    /// <returns>The model, or <c>data.empty</c>, <c>param.out_of_range</c> (a column index outside the matrix or given twice),
    /// <c>data.bad_category_code</c> (a cell that is not a code of its column's code book; row and column named).</returns>
    public static Validation<Problem, OneHotEncoderModel> Fit(OneHotEncoderOptions options, Matrix x)
    {
        var problems = FeatureChecks.Empty(x, "OneHotEncoder.Fit").ToList();
        problems.AddRange(CheckColumns(options.Columns, x.Cols));
        if (problems.Count > 0) return Valid.Fail<OneHotEncoderModel>(problems);
        var categories = new List<IReadOnlyList<string>>();
        foreach (var c in options.Columns)
        {
            var seen = new bool[c.Values.Count];
            var missing = false;
            for (var i = 0; i < x.Rows; i++)
            {
                var v = x[i, c.Index];
                if (double.IsNaN(v)) missing = true;
                else if (Code(v, c.Values.Count) is { } k) seen[k] = true;
                else
                {
                    problems.Add(new Problem("data.bad_category_code",
                        $"{v.ToString(CultureInfo.InvariantCulture)} is not a code of column '{c.Name}' (whole numbers 0..{c.Values.Count - 1} index its {c.Values.Count} values; NaN is missing); build the matrix with the column's code book",
                        i + 1, c.Name));
                    break;
                }
            }
            categories.Add([.. Enumerable.Range(0, seen.Length).Where(k => seen[k]).Select(k => c.Values[k]), .. missing ? [OneHotEncoderModel.Missing] : Array.Empty<string>()]);
        }
        return problems.Count > 0 ? Valid.Fail<OneHotEncoderModel>(problems) : Valid.Ok(new OneHotEncoderModel(x.Cols, options.Columns, categories));
    }

    /// <summary>Encodes rows: each categorical column replaced in place by its one-hot block, every other column copied.</summary>
    /// <param name="model">The fitted encoder.</param>
    /// <param name="x">Rows, shape (m, <see cref="OneHotEncoderModel.NFeaturesIn"/>), categorical cells coded by each column's code book.</param>
    /// <returns>Shape (m, <see cref="OneHotEncoderModel.NFeaturesOut"/>); an unknown category or code gives a row of zeros in its block.</returns>
    /// <exception cref="ArgumentException">When <paramref name="x"/> has another number of columns (a programmer error).</exception>
    public static Matrix Transform(OneHotEncoderModel model, Matrix x)
    {
        FeatureChecks.RequireColumns(x, model.NFeaturesIn, "OneHotEncoder");
        var maps = Maps(model);
        var byIndex = new int[x.Cols];
        Array.Fill(byIndex, -1);
        for (var c = 0; c < model.Columns.Count; c++) byIndex[model.Columns[c].Index] = c;
        var outCols = model.NFeaturesOut;
        var data = new double[x.Rows * outCols];
        for (var i = 0; i < x.Rows; i++)
        {
            var o = i * outCols;
            for (var j = 0; j < x.Cols; j++)
            {
                var c = byIndex[j];
                if (c < 0) { data[o++] = x[i, j]; continue; }
                var k = Position(maps[c], x[i, j], model.Columns[c].Values.Count);
                if (k >= 0) data[o + k] = 1.0;
                o += model.Categories[c].Count;
            }
        }
        // The array is this method's own: wrapped, not copied (at 106,201 training rows x 366 columns a copy is 311 MB more per fold).
        return Matrix.Own(x.Rows, outCols, data);
    }

    /// <summary>The output column names (scikit-learn <c>get_feature_names_out</c>): a categorical column's name joined to each category
    /// by <c>_</c>, every other name unchanged.</summary>
    /// <param name="model">The fitted encoder.</param>
    /// <param name="input">Input names, length <see cref="OneHotEncoderModel.NFeaturesIn"/>.</param>
    /// <returns>Output names, length <see cref="OneHotEncoderModel.NFeaturesOut"/>.</returns>
    public static IReadOnlyList<string> FeatureNames(OneHotEncoderModel model, IReadOnlyList<string> input)
    {
        var names = new List<string>();
        for (var j = 0; j < input.Count; j++)
        {
            var c = model.Columns.ToList().FindIndex(col => col.Index == j);
            if (c < 0) names.Add(input[j]);
            else names.AddRange(model.Categories[c].Select(v => model.Columns[c].Name + "_" + v));
        }
        return names;
    }

    /// <summary>The cells whose category the training rows never held (each is encoded as all zeros by <see cref="Transform"/>).</summary>
    /// <param name="model">The fitted encoder.</param>
    /// <param name="x">Rows, as for <see cref="Transform"/>.</param>
    /// <returns>The unknown cells in row order, then column order.</returns>
    public static IReadOnlyList<UnknownCategory> Unknown(OneHotEncoderModel model, Matrix x)
    {
        FeatureChecks.RequireColumns(x, model.NFeaturesIn, "OneHotEncoder");
        var maps = Maps(model);
        var unknown = new List<UnknownCategory>();
        for (var i = 0; i < x.Rows; i++)
            for (var c = 0; c < model.Columns.Count; c++)
            {
                var col = model.Columns[c];
                var v = x[i, col.Index];
                if (Position(maps[c], v, col.Values.Count) >= 0) continue;
                var value = double.IsNaN(v) ? OneHotEncoderModel.Missing
                    : Code(v, col.Values.Count) is { } k ? col.Values[k] : v.ToString(CultureInfo.InvariantCulture);
                unknown.Add(new UnknownCategory(i, col.Name, value));
            }
        return unknown;
    }

    /// <summary>Per column: the output position of each code (-1 when its value is not a category), and, last, the position of <c>nan</c>.</summary>
    private static int[][] Maps(OneHotEncoderModel model) =>
        [.. model.Columns.Select((col, c) =>
        {
            var positions = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var k = 0; k < model.Categories[c].Count; k++) positions[model.Categories[c][k]] = k;
            return (int[])[.. col.Values.Select(v => positions.TryGetValue(v, out var k) ? k : -1),
                positions.TryGetValue(OneHotEncoderModel.Missing, out var m) ? m : -1];
        })];

    private static int Position(int[] map, double v, int codes) =>
        double.IsNaN(v) ? map[codes] : Code(v, codes) is { } k ? map[k] : -1;

    private static int? Code(double v, int codes) => v >= 0 && v < codes && v == Math.Floor(v) ? (int)v : null;

    private static IEnumerable<Problem> CheckColumns(IReadOnlyList<OneHotColumn> columns, int width)
    {
        var seen = new System.Collections.Generic.HashSet<int>();
        foreach (var c in columns)
        {
            if (c.Index < 0 || c.Index >= width)
                yield return new Problem("param.out_of_range", $"categorical column '{c.Name}' is at index {c.Index}, outside the matrix's {width} columns", null, c.Name);
            else if (!seen.Add(c.Index))
                yield return new Problem("param.out_of_range", $"categorical column index {c.Index} ('{c.Name}') is given twice; give each column once", null, c.Name);
        }
    }
}
