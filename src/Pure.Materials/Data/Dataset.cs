using System.Collections.Immutable;
using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Data;

/// <summary>The kind of a target column.</summary>
public enum TargetKind
{
    /// <summary>A real number (e.g. a band gap in eV).</summary>
    Numeric,
    /// <summary>True/False (e.g. is_metal), held as 1.0/0.0.</summary>
    Boolean,
    /// <summary>Text class labels (e.g. <c>cubic</c>, <c>tetragonal</c>), held as class indices 0..K-1 into <see cref="Dataset.ClassNames"/>
    /// (names sorted ordinally, as scikit-learn's <c>LabelEncoder</c>); loaded only with <see cref="DatasetSpec.ClassLabels"/>.</summary>
    Label,
}

/// <summary>Which columns of a table make the dataset.</summary>
/// <remarks>Every name is matched exactly (case-sensitive); a missing one is a <c>csv.missing_column</c> problem listing the columns that exist.</remarks>
public sealed record DatasetSpec
{
    /// <summary>Column of chemical formulas (e.g. <c>composition</c>); null when the dataset has none.</summary>
    public string? FormulaColumn { get; init; }

    /// <summary>Column of the target (numeric, or boolean True/False/true/false/yes/no); null to load inputs only.</summary>
    public string? TargetColumn { get; init; }

    /// <summary>Column of row identifiers; null to use <c>mbid</c>, <c>id</c>, <c>material_id</c> or <c>Index</c> when present, else the row number.</summary>
    public string? IdColumn { get; init; }

    /// <summary>Column of predefined test-fold labels 0..K-1 (Matbench's <c>fold</c>); null when none.</summary>
    public string? FoldColumn { get; init; }

    /// <summary>Accept a target of text class labels (<see cref="TargetKind.Label"/>, detected by <see cref="Dataset.DetectTargetKind(IEnumerable{string})"/>).
    /// False (default): a text target is a <c>data.non_numeric_target</c> problem per row, as a regression needs.</summary>
    public bool ClassLabels { get; init; }

    /// <summary>Numeric columns to use as features as they are (empty or NaN/NA cells are missing values, imputed later). A name holding
    /// <c>*</c> or <c>?</c> is a glob pattern expanded against the header by <see cref="ColumnPatterns.Expand"/> (e.g. <c>MagpieData*</c>);
    /// a pattern never matches the target, formula, id or fold column.</summary>
    public ImmutableArray<string> FeatureColumns { get; init; } = [];

    /// <summary>Molecular cations the formulas may hold (<see cref="MolecularCations.Standard"/>: <c>MA</c>, <c>FA</c>), each read as its elements;
    /// default <see cref="MolecularCations.None"/> (element symbols only, as pymatgen).</summary>
    public MolecularCations MolecularCations { get; init; } = MolecularCations.None;

    /// <summary>Feature columns holding categories (e.g. <c>crys_sys</c>, or a space-group number <c>spg_num</c>), read as text and coded
    /// by <see cref="Dataset.Categories"/> for a one-hot encoding fitted later on training rows only; a name not among
    /// <see cref="FeatureColumns"/> is appended to them. Default: none.</summary>
    public ImmutableArray<string> CategoricalColumns { get; init; } = [];

    /// <summary>Also read as categories every feature column whose filled cells are all text (none parses as a number), e.g. <c>crys_sys</c>.
    /// A column mixing numbers and text stays numeric and its text cells are <c>data.non_numeric_feature</c> problems (most likely typos).
    /// Default false: every feature column not in <see cref="CategoricalColumns"/> must be numeric.</summary>
    public bool DetectCategorical { get; init; }
}

/// <summary>A categorical feature column of a dataset and the code book of its cells.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Values">Its distinct filled values (trimmed), sorted as scikit-learn sorts categories (<see cref="Scale.OneHotColumn.Sort"/>):
/// the column's cell holds k in <see cref="Dataset.ColumnFeatures"/> for <c>Values[k]</c>, NaN for a missing cell.</param>
/// <param name="Detected">True when the column was read as categories because its cells are text (<see cref="DatasetSpec.DetectCategorical"/>),
/// false when it was named in <see cref="DatasetSpec.CategoricalColumns"/>.</param>
public sealed record CategoricalColumn(string Name, IReadOnlyList<string> Values, bool Detected)
{
    /// <summary>Compares name, values and how the column was chosen.</summary>
    /// <param name="other">The other column.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(CategoricalColumn? other) => other is not null && Name == other.Name && Detected == other.Detected && Values.SequenceEqual(other.Values);

    /// <summary>Hashes consistently with equality.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(Name, Values.Count, Detected);
}

/// <summary>A loaded dataset: one entry per data row of the file, in file order, no row dropped.</summary>
/// <param name="Source">Path or bundled name.</param>
/// <param name="Ids">Row identifiers, length n.</param>
/// <param name="Formulas">The formula strings as written, length n, or null without a formula column.</param>
/// <param name="Compositions">Parsed compositions, length n, or null without a formula column.</param>
/// <param name="TargetName">The target column's name, or null.</param>
/// <param name="Target">Target values, length n (booleans as 1/0, text labels as class indices), or null.</param>
/// <param name="TargetKind">Numeric, boolean or text labels (see <see cref="ClassNames"/>).</param>
/// <param name="Folds">Predefined fold labels, length n, or null.</param>
/// <param name="ColumnFeatureNames">Names of the numeric feature columns taken from the file.</param>
/// <param name="ColumnFeatures">Their values, shape (n, ColumnFeatureNames.Count); NaN marks a missing cell; a categorical column
/// (<see cref="Categories"/>) holds the index of the cell's value in its code book.</param>
public sealed partial record Dataset(
    string Source,
    IReadOnlyList<string> Ids,
    IReadOnlyList<string>? Formulas,
    IReadOnlyList<Composition>? Compositions,
    string? TargetName,
    IReadOnlyList<double>? Target,
    TargetKind TargetKind,
    IReadOnlyList<int>? Folds,
    IReadOnlyList<string> ColumnFeatureNames,
    Matrix ColumnFeatures)
{
    private static readonly string[] IdCandidates = ["mbid", "id", "material_id", "Index"];
    private static readonly string[] MissingTokens = ["", "nan", "NaN", "NA", "N/A", "null"];

    /// <summary>Returns whether a cell is a missing value: empty, or <c>nan</c>, <c>NaN</c>, <c>NA</c>, <c>N/A</c>, <c>null</c> (surrounding spaces ignored).</summary>
    public static bool IsMissing(string cell) => MissingTokens.Contains(cell.Trim());

    /// <summary>Number of rows.</summary>
    public int Count => Ids.Count;

    /// <summary>The class names of a <see cref="TargetKind.Label"/> target, sorted ordinally: <c>Target[i] = k</c> means row i is
    /// <c>ClassNames[k]</c>; null for other kinds.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The categorical feature columns (<see cref="DatasetSpec.CategoricalColumns"/>, <see cref="DatasetSpec.DetectCategorical"/>)
    /// with their code books, in <see cref="ColumnFeatureNames"/> order; empty when none.</summary>
    public IReadOnlyList<CategoricalColumn> Categories { get; init; } = [];

    /// <summary>Decides what a target column holds, as a materials scientist reads it, when nobody said (no <c>--task</c>).</summary>
    /// <param name="cells">The column's cells (trimmed or not).</param>
    /// <returns><see cref="TargetKind.Boolean"/> when every cell is True/False/true/false/yes/no; <see cref="TargetKind.Label"/> when every
    /// non-missing cell is a plausible class label (see <see cref="NotALabel"/>: text that is not a number, not a number with a decimal
    /// comma or a unit such as <c>2,1</c> or <c>2.1 eV</c>, in a column that is not mostly True/False); else <see cref="TargetKind.Numeric"/>,
    /// which includes whole-number columns and columns mixing numbers and text (most likely a numeric column with typos, reported row by row).</returns>
    /// <remarks>Whole numbers stay numeric on purpose: in materials tables they are far more often quantities (number of atoms,
    /// space-group number, coordination number, a count) than class codes, so treating them as classes must be asked for.
    /// Text that only looks like labels because of a formatting slip (a decimal comma, a unit in every cell, one typo in a boolean
    /// column) must not silently turn a regression into a classification: such a column is numeric here, and loading it reports
    /// the cell and the fix. Any text is accepted as labels when classification is asked for (<see cref="DatasetSpec.ClassLabels"/>).
    /// Missing cells (empty, nan, NA, N/A, null) are ignored here and reported when the target is loaded.</remarks>
    public static TargetKind DetectTargetKind(IEnumerable<string> cells) => DetectTargetKind(cells, labelsAsked: false);

    /// <summary>As <see cref="DetectTargetKind(IEnumerable{string})"/>; with <paramref name="labelsAsked"/> (classification was asked
    /// for), any column whose non-missing cells are all non-numeric text is <see cref="TargetKind.Label"/>.</summary>
    /// <param name="cells">The column's cells.</param>
    /// <param name="labelsAsked">True when the user asked for classification.</param>
    /// <returns>The kind.</returns>
    public static TargetKind DetectTargetKind(IEnumerable<string> cells, bool labelsAsked)
    {
        var trimmed = cells.Select(c => c.Trim()).ToArray();
        if (trimmed.Length > 0 && trimmed.All(c => ParseBool(c) is not null)) return TargetKind.Boolean;
        var present = trimmed.Where(c => !MissingTokens.Contains(c)).ToArray();
        if (present.Length == 0 || present.Any(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _))) return TargetKind.Numeric;
        if (labelsAsked) return TargetKind.Label;
        return !MostlyBoolean(present) && present.All(c => NotALabel(c) is null) ? TargetKind.Label : TargetKind.Numeric;
    }

    /// <summary>Why a non-numeric cell is not taken as a class label without <c>--task classification</c>, or null when it is plausible.</summary>
    /// <param name="cell">A trimmed, non-missing, non-numeric cell.</param>
    /// <returns>A message with the fix for a decimal comma (<c>2,1</c>) or a number followed by a unit (<c>2.1 eV</c>, <c>2.1eV</c>);
    /// null for other text (<c>cubic</c>, <c>2H</c>, <c>metal</c>).</returns>
    public static string? NotALabel(string cell)
    {
        if (DecimalComma().IsMatch(cell))
            return $"'{cell}' has a decimal comma; write numbers with a dot ({cell.Replace(',', '.')})";
        var unit = NumberWithUnit().Match(cell);
        if (unit.Success)
            return $"'{cell}' is a number with a unit; keep only the number ({unit.Groups["number"].Value}) in the cells and give the unit separately as PlotOptions.Unit {unit.Groups["unit"].Value}";
        return null;
    }

    /// <summary>True when more than half of the non-missing cells are booleans (a boolean column with typos).</summary>
    private static bool MostlyBoolean(string[] present) => present.Count(c => ParseBool(c) is not null) * 2 > present.Length;

    [System.Text.RegularExpressions.GeneratedRegex(@"^[+-]?\d+(,\d+)+$")]
    private static partial System.Text.RegularExpressions.Regex DecimalComma();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<number>[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)(\s+(?<unit>\S.*)|(?<=\.\d*)(?<unit>[A-Za-z%].*))$")]
    private static partial System.Text.RegularExpressions.Regex NumberWithUnit();

    /// <summary>Builds a dataset from a table, checking every row and reporting every bad cell.</summary>
    /// <param name="spec">The columns to use.</param>
    /// <param name="table">The CSV table.</param>
    /// <returns>
    /// The dataset, or all problems found: <c>csv.missing_column</c>, <c>csv.no_matching_column</c> (a feature-column pattern that
    /// matches nothing); per row (row number = data row, 1-based, and the column):
    /// <c>formula.*</c> from the parser, <c>data.non_numeric_target</c>, <c>data.missing_target</c>,
    /// <c>data.non_numeric_feature</c>, <c>data.bad_fold</c>, <c>data.bad_boolean</c> (a typo in a boolean column),
    /// <c>data.too_large</c> (a target or feature value above 1e150 in magnitude; the first per column).
    /// </returns>
    public static Validation<Problem, Dataset> FromTable(DatasetSpec spec, CsvTable table)
    {
        if (spec.FeatureColumns.Any(ColumnPatterns.IsPattern))
        {
            var expanded = ColumnPatterns.Expand(spec.FeatureColumns, table.Header, table.Source,
                [spec.TargetColumn, spec.FormulaColumn, spec.IdColumn ?? IdCandidates.FirstOrDefault(table.Header.Contains), spec.FoldColumn]);
            if (expanded.IsFail) return Valid.Fail<Dataset>(expanded.Problems());
            spec = spec with { FeatureColumns = expanded.OrThrow() };
        }
        if (spec.CategoricalColumns.Any(c => !spec.FeatureColumns.Contains(c)))
            spec = spec with { FeatureColumns = [.. spec.FeatureColumns, .. spec.CategoricalColumns.Where(c => !spec.FeatureColumns.Contains(c)).Distinct()] };
        var problems = new List<Problem>();
        int Column(string? name)
        {
            if (name is null) return -1;
            return table.ColumnIndex(name).Match(Succ: i => i, Fail: ps => { problems.AddRange(ps); return -2; });
        }
        var formulaCol = Column(spec.FormulaColumn);
        var targetCol = Column(spec.TargetColumn);
        var foldCol = Column(spec.FoldColumn);
        var idCol = spec.IdColumn is not null
            ? Column(spec.IdColumn)
            : IdCandidates.Select(c => table.Header.ToList().IndexOf(c)).FirstOrDefault(i => i >= 0, -1);
        var featureCols = spec.FeatureColumns.Select(Column).ToArray();
        if (problems.Count > 0) return Valid.Fail<Dataset>(problems);

        var n = table.Rows.Count;
        var ids = new string[n];
        for (var r = 0; r < n; r++) ids[r] = idCol >= 0 ? table.Rows[r][idCol] : (r + 1).ToString(CultureInfo.InvariantCulture);

        string[]? formulas = null;
        Composition[]? compositions = null;
        if (formulaCol >= 0)
        {
            formulas = new string[n];
            compositions = new Composition[n];
            for (var r = 0; r < n; r++)
            {
                formulas[r] = table.Rows[r][formulaCol];
                var row = r;
                Composition.Parse(formulas[r], spec.MolecularCations).Match(
                    Succ: c => compositions[row] = c,
                    Fail: ps => problems.AddRange(ps.Select(p => p.At(row + 1, spec.FormulaColumn!))));
            }
        }

        double[]? target = null;
        string[]? classNames = null;
        var kind = TargetKind.Numeric;
        if (targetCol >= 0)
        {
            var name = spec.TargetColumn!;
            var cells = table.Rows.Select(row => row[targetCol].Trim()).ToArray();
            kind = DetectTargetKind(cells, spec.ClassLabels);
            if (kind == TargetKind.Label && !spec.ClassLabels) kind = TargetKind.Numeric;
            var present = cells.Where(c => !MissingTokens.Contains(c)).ToArray();
            var boolean = kind == TargetKind.Numeric && MostlyBoolean(present);
            var booleans = present.Count(c => ParseBool(c) is not null);
            int formatted = 0, firstFormatted = -1, tooLarge = 0;
            if (kind == TargetKind.Label)
                classNames = [.. cells.Where(c => !MissingTokens.Contains(c)).Distinct().Order(StringComparer.Ordinal)];
            target = new double[n];
            for (var r = 0; r < n; r++)
            {
                var cell = cells[r];
                if (kind == TargetKind.Label)
                {
                    var k = MissingTokens.Contains(cell) ? -1 : Array.BinarySearch(classNames!, cell, StringComparer.Ordinal);
                    if (k < 0) problems.Add(new Problem("data.missing_target", $"the class label is empty ('{cell}'); fill it in or remove the row", r + 1, name));
                    else target[r] = k;
                }
                else if (kind == TargetKind.Boolean)
                {
                    target[r] = ParseBool(cell)!.Value ? 1.0 : 0.0;
                }
                else if (MissingTokens.Contains(cell))
                {
                    problems.Add(new Problem("data.missing_target", $"the target is empty ('{cell}'); fill it in or remove the row", r + 1, name));
                }
                else if (boolean)
                {
                    // A boolean column with typos: only the cells that are not True/False are wrong.
                    if (ParseBool(cell) is null)
                        problems.Add(new Problem("data.bad_boolean",
                            $"'{cell}' is not True or False, while {booleans} of the {present.Length} filled cells of this column are; correct it (True/False, yes/no), or set DatasetSpec.ClassLabels to take every value as a class label",
                            r + 1, name));
                }
                else if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out target[r]) && double.IsFinite(target[r]) && Math.Abs(target[r]) > MaxMagnitude)
                {
                    if (tooLarge++ == 0)
                        problems.Add(TooLarge(cell, r + 1, name, "target"));
                }
                else if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out target[r]) || !double.IsFinite(target[r]))
                {
                    var why = NotALabel(cell);
                    if (why is not null)
                    {
                        // A formatting habit (decimal comma, unit) repeats in every cell: one problem, at the first cell, with the count.
                        if (formatted++ == 0) firstFormatted = problems.Count;
                        else continue;
                    }
                    problems.Add(new Problem("data.non_numeric_target",
                        why ?? $"the target '{cell}' is not a finite number (use a dot as decimal separator, e.g. 1.25; for text class labels set DatasetSpec.ClassLabels)", r + 1, name));
                }
            }
            if (formatted > 1)
                problems[firstFormatted] = problems[firstFormatted] with
                {
                    Message = problems[firstFormatted].Message + $" ({formatted - 1} more cells of this column are written the same way)",
                };
        }

        int[]? folds = null;
        if (foldCol >= 0)
        {
            folds = new int[n];
            for (var r = 0; r < n; r++)
            {
                var cell = table.Rows[r][foldCol].Trim();
                if (!int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out folds[r]) || folds[r] < 0)
                    problems.Add(new Problem("data.bad_fold", $"the fold label '{cell}' is not a non-negative integer (expected 0..K-1)", r + 1, spec.FoldColumn));
            }
        }

        var nf = featureCols.Length;
        var values = new double[n * nf];
        var categories = new List<CategoricalColumn>();
        for (var j = 0; j < nf; j++)
        {
            var name = spec.FeatureColumns[j];
            var named = spec.CategoricalColumns.Contains(name);
            if (named || (spec.DetectCategorical && AllText(table, featureCols[j])))
            {
                // Categories: each filled cell's index in the column's sorted code book; a missing cell NaN (a category of its own later).
                var book = Scale.OneHotColumn.Sort(table.Rows.Select(row => row[featureCols[j]].Trim()).Where(c => !MissingTokens.Contains(c)));
                var index = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var k = 0; k < book.Length; k++) index[book[k]] = k;
                for (var r = 0; r < n; r++)
                {
                    var cell = table.Rows[r][featureCols[j]].Trim();
                    values[r * nf + j] = MissingTokens.Contains(cell) ? double.NaN : index[cell];
                }
                categories.Add(new CategoricalColumn(name, book, !named));
                continue;
            }
            for (var r = 0; r < n; r++)
            {
                var cell = table.Rows[r][featureCols[j]].Trim();
                if (MissingTokens.Contains(cell)) values[r * nf + j] = double.NaN;
                else if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out values[r * nf + j]) || double.IsInfinity(values[r * nf + j]))
                    problems.Add(new Problem("data.non_numeric_feature", $"'{cell}' is not a number; feature columns must be numeric (leave the cell empty for a missing value{(spec.DetectCategorical ? "; to one-hot encode the column as categories, name it in DatasetSpec.CategoricalColumns" : "")})", r + 1, spec.FeatureColumns[j]));
                else if (Math.Abs(values[r * nf + j]) > MaxMagnitude && problems.All(p => p.Code != "data.too_large" || p.Column != spec.FeatureColumns[j]))
                    problems.Add(TooLarge(cell, r + 1, spec.FeatureColumns[j], "feature"));
            }
        }

        if (problems.Count > 0) return Valid.Fail<Dataset>(problems);
        return Valid.Ok(new Dataset(table.Source, ids, formulas, compositions, spec.TargetColumn, target, kind, folds,
            [.. spec.FeatureColumns], Matrix.Own(n, nf, values)) { ClassNames = classNames, Categories = categories });
    }

    /// <summary>True when a column has at least one filled cell and none of its filled cells parses as a number or is a number with a
    /// decimal comma or a unit (<see cref="NotALabel"/>).</summary>
    private static bool AllText(CsvTable table, int column)
    {
        var any = false;
        foreach (var row in table.Rows)
        {
            var cell = row[column].Trim();
            if (MissingTokens.Contains(cell)) continue;
            // A number written with a decimal comma or a unit (2,1 or 2.1 eV) is a formatting slip, not a category: the column stays
            // numeric and each such cell is reported with its fix.
            if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || NotALabel(cell) is not null) return false;
            any = true;
        }
        return any;
    }

    /// <summary>Largest magnitude accepted in a target or feature column: 1e150, so that squares and sums of squares (variances,
    /// squared errors, kernels) stay finite; larger values are reported instead of overflowing into an unrelated error later.</summary>
    public const double MaxMagnitude = 1e150;

    private static Problem TooLarge(string cell, int row, string column, string what) =>
        new("data.too_large",
            $"the {what} {cell} is too large to compute with (squares overflow above {MaxMagnitude.ToString("0e0", CultureInfo.InvariantCulture)}); rescale the column (other units, or log10 of the values)",
            row, column);

    private static bool? ParseBool(string cell) => cell switch
    {
        "True" or "true" or "TRUE" or "yes" or "Yes" => true,
        "False" or "false" or "FALSE" or "no" or "No" => false,
        _ => null,
    };
}
