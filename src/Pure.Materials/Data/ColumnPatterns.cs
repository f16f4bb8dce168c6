using System.Collections.Immutable;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Data;

/// <summary>Column names and glob patterns (<c>*</c> any run of characters, <c>?</c> one character), as in a shell or
/// <c>df.filter(like=...)</c>: <c>"MagpieData*"</c> picks the 132 Magpie columns of a featurized file.</summary>
public static class ColumnPatterns
{
    /// <summary>True when <paramref name="name"/> holds <c>*</c> or <c>?</c> and is matched as a pattern.</summary>
    public static bool IsPattern(string name) => name.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>Returns whether <paramref name="column"/> matches the glob <paramref name="pattern"/> (whole name, case-sensitive).</summary>
    /// <remarks>Iterative matching with one backtrack point per <c>*</c>: O(pattern x column) at worst, no recursion, no regex.</remarks>
    public static bool Matches(string pattern, string column)
    {
        int p = 0, c = 0, star = -1, mark = 0;
        while (c < column.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == column[c])) { p++; c++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = c; }
            else if (star >= 0) { p = star + 1; c = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    /// <summary>Expands names and patterns into column names of <paramref name="header"/>, in the order given; a pattern's columns come in
    /// header order; a column named twice is kept once (first place).</summary>
    /// <param name="names">Exact column names and glob patterns.</param>
    /// <param name="header">The table's column names.</param>
    /// <param name="source">A name of the table for messages (path or dataset name).</param>
    /// <param name="exclude">Columns a pattern never matches (target, formula, id, fold: a pattern such as <c>*</c> must not leak the
    /// target into the features); an exact name is never excluded.</param>
    /// <returns>The names; or <c>csv.no_matching_column</c> per pattern that matches no column, naming the pattern and listing the
    /// first columns. Exact names are passed through (a missing one is reported where it is looked up).</returns>
    public static Validation<Problem, ImmutableArray<string>> Expand(
        IEnumerable<string> names, IReadOnlyList<string> header, string source, IEnumerable<string?>? exclude = null)
    {
        var excluded = (exclude ?? []).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var result = new List<string>();
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        var problems = new List<Problem>();
        foreach (var name in names)
        {
            if (!IsPattern(name))
            {
                if (seen.Add(name)) result.Add(name);
                continue;
            }
            var matched = header.Where(h => !excluded.Contains(h) && Matches(name, h)).ToList();
            if (matched.Count == 0)
            {
                const int shown = 8;
                var list = string.Join(", ", header.Take(shown).Select(h => $"'{h}'")) + (header.Count > shown ? $", ... ({header.Count} columns)" : "");
                problems.Add(new Problem("csv.no_matching_column",
                    $"the feature-column pattern '{name}' matches no column of {source} (* matches any run of characters, ? one character, case-sensitive; " +
                    $"target, formula, id and fold columns are never matched by a pattern); its columns are: {list}", Column: name));
                continue;
            }
            foreach (var m in matched)
                if (seen.Add(m)) result.Add(m);
        }
        return problems.Count > 0 ? Valid.Fail<ImmutableArray<string>>(problems) : Valid.Ok(result.ToImmutableArray());
    }
}
