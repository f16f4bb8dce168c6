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

    /// <summary>Accept a target of text class labels (<see cref="TargetKind.Label"/>, detected by <see cref="Dataset.DetectTargetKind"/>).
    /// False (default): a text target is a <c>data.non_numeric_target</c> problem per row, as a regression needs.</summary>
    public bool ClassLabels { get; init; }

    /// <summary>Numeric columns to use as features as they are (empty or NaN/NA cells are missing values, imputed later).</summary>
    public ImmutableArray<string> FeatureColumns { get; init; } = [];
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
/// <param name="ColumnFeatures">Their values, shape (n, ColumnFeatureNames.Count); NaN marks a missing cell.</param>
public sealed record Dataset(
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

    /// <summary>Number of rows.</summary>
    public int Count => Ids.Count;

    /// <summary>The class names of a <see cref="TargetKind.Label"/> target, sorted ordinally: <c>Target[i] = k</c> means row i is
    /// <c>ClassNames[k]</c>; null for other kinds.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Decides what a target column holds, as a materials scientist reads it.</summary>
    /// <param name="cells">The column's cells (trimmed or not).</param>
    /// <returns><see cref="TargetKind.Boolean"/> when every cell is True/False/true/false/yes/no; <see cref="TargetKind.Label"/> when every
    /// non-missing cell is text that is not a number (at least one such cell); else <see cref="TargetKind.Numeric"/>, which includes
    /// whole-number columns and columns mixing numbers and text (most likely a numeric column with typos, reported row by row).</returns>
    /// <remarks>Whole numbers stay numeric on purpose: in materials tables they are far more often quantities (number of atoms,
    /// space-group number, coordination number, a count) than class codes, so treating them as classes must be asked for.
    /// Missing cells (empty, nan, NA, N/A, null) are ignored here and reported when the target is loaded.</remarks>
    public static TargetKind DetectTargetKind(IEnumerable<string> cells)
    {
        var trimmed = cells.Select(c => c.Trim()).ToArray();
        if (trimmed.Length > 0 && trimmed.All(c => ParseBool(c) is not null)) return TargetKind.Boolean;
        var present = trimmed.Where(c => !MissingTokens.Contains(c)).ToArray();
        return present.Length > 0 && present.All(c => !double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            ? TargetKind.Label : TargetKind.Numeric;
    }

    /// <summary>Builds a dataset from a table, checking every row and reporting every bad cell.</summary>
    /// <param name="spec">The columns to use.</param>
    /// <param name="table">The CSV table.</param>
    /// <returns>
    /// The dataset, or all problems found: <c>csv.missing_column</c>; per row (row number = data row, 1-based, and the column):
    /// <c>formula.*</c> from the parser, <c>data.non_numeric_target</c>, <c>data.missing_target</c>,
    /// <c>data.non_numeric_feature</c>, <c>data.bad_fold</c>.
    /// </returns>
    public static Validation<Problem, Dataset> FromTable(DatasetSpec spec, CsvTable table)
    {
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
                Composition.Parse(formulas[r]).Match(
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
            kind = DetectTargetKind(cells);
            if (kind == TargetKind.Label && !spec.ClassLabels) kind = TargetKind.Numeric;
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
                else if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out target[r]) || !double.IsFinite(target[r]))
                {
                    problems.Add(new Problem("data.non_numeric_target", $"the target '{cell}' is not a finite number (use a dot as decimal separator, e.g. 1.25)", r + 1, name));
                }
            }
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
        for (var j = 0; j < nf; j++)
            for (var r = 0; r < n; r++)
            {
                var cell = table.Rows[r][featureCols[j]].Trim();
                if (MissingTokens.Contains(cell)) values[r * nf + j] = double.NaN;
                else if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out values[r * nf + j]) || double.IsInfinity(values[r * nf + j]))
                    problems.Add(new Problem("data.non_numeric_feature", $"'{cell}' is not a number; feature columns must be numeric (leave the cell empty for a missing value)", r + 1, spec.FeatureColumns[j]));
            }

        if (problems.Count > 0) return Valid.Fail<Dataset>(problems);
        return Valid.Ok(new Dataset(table.Source, ids, formulas, compositions, spec.TargetColumn, target, kind, folds,
            [.. spec.FeatureColumns], Matrix.Own(n, nf, values)) { ClassNames = classNames });
    }

    private static bool? ParseBool(string cell) => cell switch
    {
        "True" or "true" or "TRUE" or "yes" or "Yes" => true,
        "False" or "false" or "FALSE" or "no" or "No" => false,
        _ => null,
    };
}
