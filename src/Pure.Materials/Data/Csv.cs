using System.Globalization;
using CsvHelper;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Data;

/// <summary>A CSV file read into memory as text: a header and rows of fields, nothing interpreted yet.</summary>
/// <param name="Source">Where it came from (a path or a bundled dataset name), used in messages.</param>
/// <param name="Header">Column names, in file order.</param>
/// <param name="Rows">Data rows; row r (0-based here) is reported to users as row r+1, i.e. line r+2 of the file.</param>
public sealed record CsvTable(string Source, IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows)
{
    /// <summary>Finds a column by exact name.</summary>
    /// <param name="name">The column name.</param>
    /// <returns>Its 0-based index, or <c>csv.missing_column</c> listing the columns that exist.</returns>
    public Validation<Problem, int> ColumnIndex(string name)
    {
        for (var i = 0; i < Header.Count; i++)
            if (Header[i] == name) return Valid.Ok(i);
        var near = Header.FirstOrDefault(h => string.Equals(h.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));
        var hint = near is null ? "" : $" (did you mean '{near}'?)";
        return Valid.Fail<int>("csv.missing_column",
            $"{Source} has no column '{name}'{hint}; its columns are: {string.Join(", ", Header.Select(h => $"'{h}'"))}", column: name);
    }
}

/// <summary>Reads and writes CSV through CsvHelper (RFC 4180 quoting, invariant culture).</summary>
public static class Csv
{
    /// <summary>Reads a CSV file with a header row.</summary>
    /// <param name="path">File path.</param>
    /// <returns>The table, or <c>io.not_found</c>, <c>io.read_failed</c>, <c>csv.empty</c>, <c>csv.no_rows</c>, <c>csv.bad_row</c> (one per ragged row).</returns>
    public static Validation<Problem, CsvTable> ReadFile(string path)
    {
        if (!File.Exists(path))
            return Valid.Fail<CsvTable>("io.not_found", $"file '{path}' does not exist; check the path or pass a bundled dataset name ({string.Join(", ", BundledData.Names)})");
        try
        {
            using var reader = new StreamReader(path);
            return Read(reader, path);
        }
        catch (IOException e)
        {
            return Valid.Fail<CsvTable>("io.read_failed", $"could not read '{path}': {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return Valid.Fail<CsvTable>("io.read_failed", $"could not read '{path}': {e.Message}");
        }
    }

    /// <summary>Reads CSV text with a header row.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="source">A name for messages (path or dataset name).</param>
    /// <returns>The table, or <c>csv.empty</c> (no header), <c>csv.no_rows</c> (header only), <c>csv.bad_row</c> (field count differs from the header; one problem per row), <c>csv.duplicate_column</c>, <c>csv.malformed</c> (for example a quote never closed).</returns>
    public static Validation<Problem, CsvTable> Read(TextReader reader, string source)
    {
        try
        {
            using var csv = CsvReader.Create(reader, ReaderOptions(), true);
            var header = csv.Headers?.ToArray() ?? [];
            if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
                return Valid.Fail<CsvTable>("csv.empty", $"{source} is empty; expected a header row naming the columns, then one row per material");
            var problems = new List<Problem>();
            foreach (var dup in header.GroupBy(h => h).Where(g => g.Count() > 1))
                problems.Add(new Problem("csv.duplicate_column", $"{source} has the column name '{dup.Key}' {dup.Count()} times; rename the duplicates", Column: dup.Key));
            var rows = new List<string[]>();
            while (csv.Read())
            {
                var record = csv.Current.ToArray();
                var rowNumber = rows.Count + 1;
                if (record.Length != header.Length)
                    problems.Add(new Problem("csv.bad_row",
                        $"{source}: row {rowNumber} (line {csv.LineNumber}) has {record.Length} fields, the header has {header.Length}; fix the quoting or the number of commas",
                        Row: rowNumber));
                rows.Add(record);
            }
            if (problems.Count > 0) return Valid.Fail<CsvTable>(problems);
            if (rows.Count == 0)
                return Valid.Fail<CsvTable>("csv.no_rows", $"{source} has a header but no data rows; add one row per material");
            return Valid.Ok(new CsvTable(source, header, rows));
        }
        catch (CsvFormatException e)
        {
            return Valid.Fail<CsvTable>("csv.malformed", $"{source} is not valid CSV at line {e.LineNumber}: {e.Message}; check the quotes on that line");
        }
    }

    /// <summary>The reader settings every CSV input uses: header row, comma, blank lines skipped, ragged rows kept (and reported by the caller), malformed quoting thrown as <see cref="CsvFormatException"/>, line numbers tracked, invariant culture.</summary>
    internal static CsvReaderOptions ReaderOptions() => new()
    {
        HasHeader = true,
        Separator = ',',
        SkipEmptyLines = true,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MalformedData = CsvMalformedDataHandling.Throw,
        TrackLineNumbers = true,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    /// <summary>Writes a header and rows as CSV (fields quoted when needed).</summary>
    /// <param name="writer">Destination; left open.</param>
    /// <param name="header">Column names.</param>
    /// <param name="rows">Rows of fields, each as long as the header.</param>
    public static void Write(TextWriter writer, IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        using var csv = CsvWriter.Create(writer, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture, NewLine = "\n" }, true);
        csv.WriteRecord(header.ToArray());
        foreach (var row in rows) csv.WriteRecord(row.ToArray());
    }

    /// <summary>Formats a double so that it parses back to the same value (round-trip, invariant culture); NaN as empty.</summary>
    /// <param name="value">The value.</param>
    /// <returns>For example <c>0.4461</c>, <c>1E-05</c>, or an empty string for NaN.</returns>
    public static string Format(double value) =>
        double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>The datasets shipped inside the library (see <c>Data/Bundled/PROVENANCE.md</c>).</summary>
public static class BundledData
{
    /// <summary>Names accepted by <see cref="Open"/>: <c>matbench_expt_gap</c>, <c>matbench_expt_is_metal</c>, <c>perovskite_dft</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["matbench_expt_gap", "matbench_expt_is_metal", "perovskite_dft"];

    /// <summary>Opens a bundled dataset.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <returns>The table, or <c>data.unknown_dataset</c> listing the names.</returns>
    public static Validation<Problem, CsvTable> Open(string name)
    {
        if (!Names.Contains(name))
            return Valid.Fail<CsvTable>("data.unknown_dataset", $"no bundled dataset '{name}'; bundled: {string.Join(", ", Names)}");
        using var stream = typeof(BundledData).Assembly.GetManifestResourceStream($"data/{name}.csv")
            ?? throw new InvalidOperationException($"Embedded dataset '{name}' is missing from the library build.");
        using var reader = new StreamReader(stream);
        return Csv.Read(reader, name);
    }

    /// <summary>Opens a file path, or a bundled dataset when the argument is one of <see cref="Names"/> and no such file exists.</summary>
    /// <param name="pathOrName">A CSV path or a bundled dataset name.</param>
    /// <returns>The table or the problems of reading it.</returns>
    public static Validation<Problem, CsvTable> OpenPathOrName(string pathOrName) =>
        !File.Exists(pathOrName) && Names.Contains(pathOrName) ? Open(pathOrName) : Csv.ReadFile(pathOrName);
}
