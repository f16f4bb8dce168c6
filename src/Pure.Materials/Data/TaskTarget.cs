using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Data;

/// <summary>What a learning task predicts: a continuous quantity (regression) or one of a set of classes (classification).</summary>
public enum TaskKind
{
    /// <summary>A continuous target, scored with <c>MetricKeys</c>.</summary>
    Regression,
    /// <summary>A class target, scored with <c>MetricKeys</c>.</summary>
    Classification,
}

/// <summary>The target of a learning task, a closed union: <see cref="Continuous"/> values with their unit, or <see cref="Classes"/>
/// (integer codes with the text label of every class kept, e.g. <c>False</c>/<c>True</c> or <c>insulator</c>/<c>metal</c>).</summary>
/// <remarks>Built from a <see cref="Dataset"/> by <see cref="FromDataset"/>, after <see cref="Detect"/> decided the task as <c>cv</c> always has:
/// a boolean or text-label column is classification, numbers (whole numbers included) are regression unless classification is asked for.</remarks>
public abstract record TaskTarget
{
    private TaskTarget() { }

    /// <summary>Number of rows.</summary>
    public abstract int Count { get; }

    /// <summary>The task this target belongs to.</summary>
    public abstract TaskKind Kind { get; }

    /// <summary>The target restricted to some rows, in the order given; a class target keeps every class of the whole data set.</summary>
    /// <param name="rows">Row indices (0-based).</param>
    /// <returns>The subset.</returns>
    public abstract TaskTarget Subset(IReadOnlyList<int> rows);

    /// <summary>A continuous target (regression).</summary>
    /// <param name="Values">Target values, length n, finite.</param>
    /// <param name="Unit">The unit, e.g. <c>eV</c>; empty when unknown.</param>
    public sealed record Continuous(IReadOnlyList<double> Values, string Unit = "") : TaskTarget
    {
        /// <inheritdoc/>
        public override int Count => Values.Count;

        /// <inheritdoc/>
        public override TaskKind Kind => TaskKind.Regression;

        /// <inheritdoc/>
        public override TaskTarget Subset(IReadOnlyList<int> rows) => this with { Values = rows.Select(i => Values[i]).ToArray() };
    }

    /// <summary>A class target (classification).</summary>
    /// <param name="Codes">The class code of each row, length n; each one of <paramref name="ClassCodes"/>.</param>
    /// <param name="ClassCodes">The distinct codes of the whole data set, ascending (scikit-learn's <c>classes_</c>), at least 2.</param>
    /// <param name="Labels">The text label of each class, same order as <paramref name="ClassCodes"/> (<c>False</c>, <c>True</c> for a
    /// boolean column; the names for text labels; the numbers as text for whole numbers classified on request).</param>
    public sealed record Classes(IReadOnlyList<int> Codes, IReadOnlyList<int> ClassCodes, IReadOnlyList<string> Labels) : TaskTarget
    {
        /// <inheritdoc/>
        public override int Count => Codes.Count;

        /// <inheritdoc/>
        public override TaskKind Kind => TaskKind.Classification;

        /// <summary>The positive class of binary metrics: the larger of two codes (scikit-learn's <c>pos_label=1</c>); null for more classes.</summary>
        public string? PositiveLabel => Labels.Count == 2 ? Labels[1] : null;

        /// <summary>The text label of a code.</summary>
        /// <param name="code">One of <see cref="ClassCodes"/>.</param>
        /// <returns>Its label.</returns>
        public string Label(int code) => Labels[ClassCodes.ToList().IndexOf(code)];

        /// <inheritdoc/>
        public override TaskTarget Subset(IReadOnlyList<int> rows) => this with { Codes = rows.Select(i => Codes[i]).ToArray() };
    }

    /// <summary>Decides the task of a target column exactly as <c>cv</c> does: the task asked for, or, when none is, classification for a
    /// boolean column (True/False, yes/no) or a column of text labels (every filled cell a plausible label, see
    /// <see cref="Dataset.DetectTargetKind(IEnumerable{string})"/>), regression for numbers (whole numbers included).</summary>
    /// <param name="table">The raw table.</param>
    /// <param name="targetColumn">The target column's name; a missing column is left to <see cref="Dataset.FromTable"/> to report (regression here).</param>
    /// <param name="asked">The task asked for, or null to detect it.</param>
    /// <returns>The task, or <c>data.non_numeric_target</c> (regression asked for a boolean or text target, at its first such cell). Messages name
    /// the API's terms (the asked task, the target column); a command line maps them to its flags.</returns>
    public static Validation<Problem, TaskKind> Detect(CsvTable table, string targetColumn, TaskKind? asked)
    {
        var j = table.Header.ToList().IndexOf(targetColumn);
        if (asked == TaskKind.Classification) return Valid.Ok(TaskKind.Classification);
        if (j < 0) return Valid.Ok(TaskKind.Regression);
        var kind = Dataset.DetectTargetKind(table.Rows.Where(r => j < r.Length).Select(r => r[j]));
        if (asked is null) return Valid.Ok(kind == TargetKind.Numeric ? TaskKind.Regression : TaskKind.Classification);
        if (kind == TargetKind.Numeric) return Valid.Ok(TaskKind.Regression);
        var row = table.Rows.Select((r, i) => (Cell: j < r.Length ? r[j].Trim() : "", Row: i + 1)).First(t => Dataset.DetectTargetKind([t.Cell]) != TargetKind.Numeric);
        return Valid.Fail<TaskKind>(new Problem("data.non_numeric_target",
            $"'{row.Cell}' is a {(kind == TargetKind.Boolean ? "boolean" : "class label")}, not a number: regression (asked) needs a numeric target; leave the task to detection (this target is then classified) or choose a numeric target column",
            row.Row, targetColumn));
    }

    /// <summary>Builds the target of a loaded data set for a task.</summary>
    /// <param name="ds">The data set (with a target column; load it with <see cref="DatasetSpec.ClassLabels"/> for a text-label classification target).</param>
    /// <param name="kind">The task (see <see cref="Detect"/>).</param>
    /// <param name="unit">The unit of a continuous target, e.g. <c>eV</c>; ignored for classes.</param>
    /// <returns>The target; or <c>data.non_numeric_target</c> (regression on a boolean or text target), <c>data.non_label_target</c>
    /// (classification of a value that is not a whole number, at its row), <c>data.single_class</c> (fewer than 2 classes).</returns>
    public static Validation<Problem, TaskTarget> FromDataset(Dataset ds, TaskKind kind, string unit = "")
    {
        ArgumentNullException.ThrowIfNull(ds);
        var t = ds.Target ?? throw new ArgumentException("The data set has no target column.", nameof(ds));
        if (kind == TaskKind.Regression)
            return ds.TargetKind == TargetKind.Numeric
                ? Valid.Ok<TaskTarget>(new Continuous(t, unit))
                : Valid.Fail<TaskTarget>(new Problem("data.non_numeric_target",
                    $"target '{ds.TargetName}' is {(ds.TargetKind == TargetKind.Boolean ? "boolean" : "text labels")}; regression needs a numeric target (classify it instead)", Column: ds.TargetName));
        for (var i = 0; i < t.Count; i++)
            if (!(t[i] == Math.Floor(t[i]) && Math.Abs(t[i]) <= int.MaxValue))
                return Valid.Fail<TaskTarget>(new Problem("data.non_label_target",
                    $"classification needs class labels (a boolean target or whole numbers), found {t[i].ToString(CultureInfo.InvariantCulture)}; regress a continuous target instead",
                    i + 1, ds.TargetName));
        var codes = t.Select(v => (int)v).ToArray();
        var classes = codes.Distinct().Order().ToArray();
        if (classes.Length < 2)
            return Valid.Fail<TaskTarget>("data.single_class", $"the labels hold {classes.Length} class(es); classification needs at least 2", column: ds.TargetName);
        var labels = classes.Select(c => ds.TargetKind switch
        {
            TargetKind.Boolean => c == 1 ? "True" : "False",
            TargetKind.Label => ds.ClassNames![c],
            _ => c.ToString(CultureInfo.InvariantCulture),
        }).ToArray();
        return Valid.Ok<TaskTarget>(new Classes(codes, classes, labels));
    }
}
