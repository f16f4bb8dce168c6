using System.Globalization;
using CsvHelper;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Screening;

/// <summary>Candidates read from a CSV file with one formula per row; built by <see cref="Candidates.FromCsv(string, string, string?, ChargeNeutrality?, MolecularCations?)"/>.</summary>
/// <remarks>
/// Count: exact, known when the space is built. Building reads the whole file once with CsvHelper (streaming, bounded memory),
/// parses every formula (about 0.25 microseconds each) and applies the charge filter, so every bad row is reported before any
/// candidate is produced and <see cref="Count"/> is the number of rows that pass (all rows without a filter).
/// <see cref="Enumerate"/> reads the file again, streaming, in file order; candidate k is the k-th row that passes.
/// The file must not change in between: enumeration checks the file's length and modification time (for a path) and every
/// row again, and throws <see cref="ProblemException"/> with <c>candidates.source_changed</c> when the file no longer matches.
/// </remarks>
public sealed record FormulaCsvSpace : CandidateSpace
{
    private readonly Func<TextReader> _open;
    private readonly (long Length, DateTime Written)? _stamp;

    private FormulaCsvSpace(Func<TextReader> open, (long, DateTime)? stamp, string source, string formulaColumn, string? idColumn, ChargeNeutrality? filter, long rows, long count,
        MolecularCations cations)
    {
        Cations = cations;
        _open = open;
        _stamp = stamp;
        Source = source;
        FormulaColumn = formulaColumn;
        IdColumn = idColumn;
        Filter = filter;
        Rows = rows;
        Count = count;
    }

    /// <summary>The file path or source name used in messages.</summary>
    public string Source { get; }

    /// <summary>The column holding formulas.</summary>
    public string FormulaColumn { get; }

    /// <summary>The column whose value becomes <see cref="Candidate.Name"/>, or null to use the formula as written.</summary>
    public string? IdColumn { get; }

    /// <summary>Molecular cations the formulas may hold (e.g. <c>MA</c>, <c>FA</c>), read as their elements; <see cref="MolecularCations.None"/> by default.</summary>
    public MolecularCations Cations { get; }

    /// <summary>The charge-neutrality filter, or null for none.</summary>
    public ChargeNeutrality? Filter { get; }

    /// <summary>Number of data rows in the file (before the filter).</summary>
    public long Rows { get; }

    /// <inheritdoc/>
    public override long Count { get; }

    /// <inheritdoc/>
    public override string Describe() => $"formulas in column '{FormulaColumn}' of {Source} ({Rows.ToString("N0", CultureInfo.InvariantCulture)} rows){FilterText(Filter)}, {CountText(Count)}";

    /// <inheritdoc/>
    /// <exception cref="ProblemException">With <c>candidates.source_changed</c> when the file changed since the space was built.</exception>
    public override IEnumerable<Candidate> Enumerate()
    {
        if (_stamp is { } stamp)
        {
            var info = new FileInfo(Source);
            if (!info.Exists || info.Length != stamp.Length || info.LastWriteTimeUtc != stamp.Written) throw Changed("its size or modification time changed");
        }
        long index = 0;
        foreach (var row in Rows_(_open, Source, FormulaColumn, IdColumn, Filter, Cations))
        {
            if (row.Problem is not null) throw Changed($"row {row.Row} no longer reads: {row.Problem.Message}");
            if (!row.Keep) continue;
            if (index >= Count) throw Changed("it has more candidates than when it was opened");
            yield return new Candidate(index++, row.Name, row.Composition, Vec<double>.Empty);
        }
        if (index != Count) throw Changed($"it has {index} candidates, {Count} when it was opened");
    }

    private ProblemException Changed(string what) =>
        new([new Problem("candidates.source_changed", $"{Source} changed after the candidate space was built ({what}); build the space again from the file")]);

    private readonly record struct RowRead(long Row, string? Name, Composition? Composition, bool Keep, Problem? Problem);

    /// <summary>Streams the rows: composition and whether it passes the filter, or the row's problem.</summary>
    private static IEnumerable<RowRead> Rows_(Func<TextReader> open, string source, string formulaColumn, string? idColumn, ChargeNeutrality? filter, MolecularCations cations)
    {
        using var reader = open();
        using var csv = CsvReader.Create(reader, Csv.ReaderOptions(), true);
        var header = csv.Headers?.ToArray() ?? [];
        var table = new CsvTable(source, header, []);
        var fc = table.ColumnIndex(formulaColumn).OrThrow();
        var ic = idColumn is null ? -1 : table.ColumnIndex(idColumn).OrThrow();
        long row = 0;
        while (csv.Read())
        {
            row++;
            var r = (int)Math.Min(row, int.MaxValue);
            var fields = csv.FieldCount;
            if (fields != header.Length)
            {
                yield return new RowRead(row, null, null, false, new Problem("csv.bad_row",
                    $"{source}: row {row} (line {csv.LineNumber}) has {fields} fields, the header has {header.Length}; fix the quoting or the number of commas", r));
                continue;
            }
            var formula = csv.GetString(fc);
            var name = ic < 0 ? formula : csv.GetString(ic);
            var parsed = Composition.Parse(formula, cations);
            if (parsed.IsFail)
            {
                yield return new RowRead(row, name, null, false, parsed.Problems()[0].At(r, formulaColumn));
                continue;
            }
            var c = parsed.OrThrow();
            var keep = true;
            if (filter is not null)
            {
                var balanced = filter.IsBalanced(c);
                if (balanced.IsFail)
                {
                    yield return new RowRead(row, name, c, false, balanced.Problems()[0].At(r, formulaColumn));
                    continue;
                }
                keep = balanced.OrThrow();
            }
            yield return new RowRead(row, name, c, keep, null);
        }
    }

    /// <summary>The most row problems listed before the rest are summarised in one problem.</summary>
    internal const int MaxReported = 1000;

    /// <summary>Reads the file once: header checks, every row's problems, the row count and the filtered count.</summary>
    internal static Validation<Problem, CandidateSpace> Create(Func<TextReader> open, string source, string? path, string formulaColumn, string? idColumn, ChargeNeutrality? filter,
        MolecularCations? cations = null)
    {
        var molecular = cations ?? MolecularCations.None;
        try
        {
            (long, DateTime)? stamp = path is null ? null : (new FileInfo(path).Length, new FileInfo(path).LastWriteTimeUtc);
            using (var reader = open())
            using (var csv = CsvReader.Create(reader, Csv.ReaderOptions(), true))
            {
                var header = csv.Headers?.ToArray() ?? [];
                if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
                    return Valid.Fail<CandidateSpace>("csv.empty", $"{source} is empty; expected a header row naming the columns, then one formula per row");
                if (Csv.OtherDelimiter(header, source) is { } delimiter) return Valid.Fail<CandidateSpace>(delimiter);
                var table = new CsvTable(source, header, []);
                var columns = Valid.All<int>(idColumn is null ? [table.ColumnIndex(formulaColumn)] : [table.ColumnIndex(formulaColumn), table.ColumnIndex(idColumn)]);
                if (columns.IsFail) return Valid.Fail<CandidateSpace>(columns.Problems());
            }
            var problems = new List<Problem>();
            long rows = 0, count = 0, more = 0;
            foreach (var row in Rows_(open, source, formulaColumn, idColumn, filter, molecular))
            {
                rows++;
                if (row.Problem is not null)
                {
                    if (problems.Count < MaxReported) problems.Add(row.Problem);
                    else more++;
                }
                else if (row.Keep) count++;
            }
            if (more > 0)
                problems.Add(new Problem("candidates.more_problems", $"{more} more rows of {source} have problems (the first {MaxReported} are listed); fix these and read the file again"));
            if (problems.Count > 0) return Valid.Fail<CandidateSpace>(problems);
            if (rows == 0) return Valid.Fail<CandidateSpace>("csv.no_rows", $"{source} has a header but no data rows; add one formula per row");
            return Valid.Ok<CandidateSpace>(new FormulaCsvSpace(open, stamp, source, formulaColumn, idColumn, filter, rows, count, molecular));
        }
        catch (CsvFormatException e)
        {
            return Valid.Fail<CandidateSpace>("csv.malformed", $"{source} is not valid CSV at line {e.LineNumber}: {e.Message}; check the quotes on that line");
        }
        catch (IOException e)
        {
            return Valid.Fail<CandidateSpace>("io.read_failed", $"could not read '{source}': {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return Valid.Fail<CandidateSpace>("io.read_failed", $"could not read '{source}': {e.Message}");
        }
    }

    /// <summary>Opens a path: checks that it exists and is CSV text (not gzip, ZIP, binary or JSON), then builds the space.</summary>
    internal static Validation<Problem, CandidateSpace> FromPath(string path, string formulaColumn, string? idColumn, ChargeNeutrality? filter, MolecularCations? cations = null)
    {
        if (!File.Exists(path))
            return Valid.Fail<CandidateSpace>("io.not_found", $"file '{path}' does not exist; check the path");
        try
        {
            var opened = Csv.OpenChecked(path);
            if (opened.IsFail) return Valid.Fail<CandidateSpace>(opened.Problems());
            opened.OrThrow().Dispose();
        }
        catch (IOException e)
        {
            return Valid.Fail<CandidateSpace>("io.read_failed", $"could not read '{path}': {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return Valid.Fail<CandidateSpace>("io.read_failed", $"could not read '{path}': {e.Message}");
        }
        return Create(() => new StreamReader(path), path, path, formulaColumn, idColumn, filter, cations);
    }
}
