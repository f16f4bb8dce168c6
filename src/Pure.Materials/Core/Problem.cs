using LanguageExt;
using static LanguageExt.Prelude;

namespace Pure.Materials.Core;

/// <summary>Describes one thing wrong with the input, as a value: what, where, and how to fix it.</summary>
/// <param name="Code">Stable dotted code, e.g. <c>formula.unknown_element</c>, <c>csv.missing_column</c>, <c>param.out_of_range</c>.</param>
/// <param name="Message">Human-readable sentence naming what was found, what was expected and the fix.</param>
/// <param name="Row">1-based data row number (the header is row 0) when the problem belongs to one row; otherwise <c>null</c>.</param>
/// <param name="Column">Column name when the problem belongs to one column; otherwise <c>null</c>.</param>
/// <remarks>Problems are data, not exceptions: every stage returns <c>Validation&lt;Problem, T&gt;</c>.</remarks>
public sealed record Problem(string Code, string Message, int? Row = null, string? Column = null)
{
    /// <summary>Formats the problem as one line: location (if any), message and code.</summary>
    /// <returns>For example <c>row 118, column 'composition': 'Fe2Xx3' has an unknown element 'Xx' at position 3 [formula.unknown_element]</c>.</returns>
    public override string ToString()
    {
        var where = (Row, Column) switch
        {
            (int r, string c) => $"row {r}, column '{c}': ",
            (int r, null) => $"row {r}: ",
            (null, string c) => $"column '{c}': ",
            _ => "",
        };
        return $"{where}{Message} [{Code}]";
    }

    /// <summary>Returns the same problem located at a data row and column.</summary>
    /// <param name="row">1-based data row number.</param>
    /// <param name="column">Column name.</param>
    /// <returns>A copy with <see cref="Row"/> and <see cref="Column"/> set.</returns>
    public Problem At(int row, string column) => this with { Row = row, Column = column };
}

/// <summary>Builds <c>Validation&lt;Problem, T&gt;</c> values and combines lists of them.</summary>
public static class Valid
{
    /// <summary>Wraps a value as a success.</summary>
    /// <param name="value">The value.</param>
    /// <returns>A successful validation holding <paramref name="value"/>.</returns>
    public static Validation<Problem, T> Ok<T>(T value) => Success<Problem, T>(value);

    /// <summary>Builds a failure holding one problem.</summary>
    /// <param name="code">Stable dotted code.</param>
    /// <param name="message">What was found, what was expected and how to fix it.</param>
    /// <param name="row">Optional 1-based data row.</param>
    /// <param name="column">Optional column name.</param>
    /// <returns>A failed validation.</returns>
    public static Validation<Problem, T> Fail<T>(string code, string message, int? row = null, string? column = null) =>
        Fail<Problem, T>(new Problem(code, message, row, column));

    /// <summary>Builds a failure from one problem.</summary>
    /// <param name="problem">The problem.</param>
    /// <returns>A failed validation.</returns>
    public static Validation<Problem, T> Fail<T>(Problem problem) => Fail<Problem, T>(problem);

    /// <summary>Builds a failure from several problems (at least one).</summary>
    /// <param name="problems">The problems, in the order found.</param>
    /// <returns>A failed validation holding every problem.</returns>
    public static Validation<Problem, T> Fail<T>(IEnumerable<Problem> problems) =>
        Validation<Problem, T>.Fail(Seq(problems));

    /// <summary>Collects a sequence of validations: success with every value in order, or failure with every problem.</summary>
    /// <param name="items">The validations.</param>
    /// <returns>All values, or all problems of all failed items.</returns>
    public static Validation<Problem, T[]> All<T>(IEnumerable<Validation<Problem, T>> items)
    {
        var values = new List<T>();
        var problems = new List<Problem>();
        foreach (var item in items)
            item.Match(Succ: values.Add, Fail: ps => problems.AddRange(ps));
        return problems.Count == 0 ? Ok(values.ToArray()) : Fail<T[]>(problems);
    }

    /// <summary>Checks a condition, returning unit on success or the given problem on failure.</summary>
    /// <param name="ok">The condition.</param>
    /// <param name="code">Stable dotted code used when the condition fails.</param>
    /// <param name="message">Message used when the condition fails.</param>
    /// <returns>Success or a single problem.</returns>
    public static Validation<Problem, Unit> Require(bool ok, string code, string message) =>
        ok ? Ok(unit) : Fail<Unit>(code, message);

    /// <summary>Returns the success value or throws <see cref="ProblemException"/>; for tests, examples and the CLI boundary only.</summary>
    /// <param name="v">The validation.</param>
    /// <returns>The success value.</returns>
    /// <exception cref="ProblemException">When <paramref name="v"/> failed; the exception carries every problem.</exception>
    public static T OrThrow<T>(this Validation<Problem, T> v) =>
        v.Match(Succ: x => x, Fail: ps => throw new ProblemException(ps.ToArray()));

    /// <summary>Lists the problems of a validation (empty on success).</summary>
    /// <param name="v">The validation.</param>
    /// <returns>The problems in order.</returns>
    public static Problem[] Problems<T>(this Validation<Problem, T> v) =>
        v.Match(Succ: _ => System.Array.Empty<Problem>(), Fail: ps => ps.ToArray());
}

/// <summary>Carries problems across a boundary that needs an exception (tests, examples); never thrown inside the library's own pipelines.</summary>
public sealed class ProblemException : Exception
{
    /// <summary>Creates the exception from the problems it carries.</summary>
    /// <param name="problems">At least one problem.</param>
    public ProblemException(IReadOnlyList<Problem> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => p.ToString()))) => Problems = problems;

    /// <summary>The problems, in the order found.</summary>
    public IReadOnlyList<Problem> Problems { get; }
}
