using System.Buffers;
using System.Globalization;
using System.Text;
using CsvHelper;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Featurize;

/// <summary>What <see cref="CsvFeaturizer"/>'s <c>Featurize</c> does with a row it cannot featurize (bad formula, wrong number of fields).</summary>
/// <remarks>Source: matminer's <c>featurize_dataframe(ignore_errors=False/True)</c>; unlike matminer, skipped rows are listed, never filled silently.</remarks>
public enum RowErrorPolicy
{
    /// <summary>Write nothing more after the first failing row, read on and return every failing row's problem (up to 1,000, in row order); the default.</summary>
    Stop,
    /// <summary>Leave the row out of the output, write it to the skipped-rows report, and go on.</summary>
    Skip,
}

/// <summary>Options of <see cref="CsvFeaturizer"/>'s <c>Featurize</c>.</summary>
/// <remarks>Defaults reproduce the CLI's <c>featurize</c> command. Source: this library.</remarks>
public sealed record CsvFeaturizeOptions
{
    /// <summary>Column of chemical formulas; default <c>composition</c>.</summary>
    public string FormulaColumn { get; init; } = "composition";

    /// <summary>Column of row identifiers; null to use <c>mbid</c>, <c>id</c>, <c>material_id</c> or <c>Index</c> when present, else the row number.</summary>
    public string? IdColumn { get; init; }

    /// <summary>True (default, as matminer's <c>featurize_dataframe</c>): every input column (id, formula, target, fold, any other) is
    /// written first, unchanged and in input order, then the features. False: only an <c>id</c> column (the id column's values, or the
    /// row number when there is none) and the formula column, then the features.</summary>
    public bool KeepInputColumns { get; init; } = true;

    /// <summary>What to do with a failing row; default <see cref="RowErrorPolicy.Stop"/>.</summary>
    public RowErrorPolicy OnError { get; init; } = RowErrorPolicy.Stop;

    /// <summary>Rows read, featurized and written per chunk (at least 1; default 4096). Memory is bounded by about three chunks.</summary>
    public int ChunkSize { get; init; } = 4096;

    /// <summary>Threads for featurizing a chunk; null for all cores. The output does not depend on it.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>Output format of the <see cref="Stream"/> overload: CSV (default) or Parquet (input columns as text, features as
    /// nullable doubles with NaN as null, <see cref="TableWriter.ParquetRowGroupRows"/> rows per row group). The
    /// <see cref="TextWriter"/> overload writes CSV only.</summary>
    public TableFormat Format { get; init; } = TableFormat.Csv;

    /// <summary>Told after each chunk is written (on the reading thread): rows read, written and skipped so far; null for none.</summary>
    public IProgress<CsvFeaturizeProgress>? Progress { get; init; }

    /// <summary>Molecular cations the formulas may hold (e.g. <see cref="MolecularCations.Standard"/>: MA, FA), read as their elements;
    /// default <see cref="MolecularCations.None"/>.</summary>
    public MolecularCations MolecularCations { get; init; } = MolecularCations.None;
}

/// <summary>How far a streaming featurization has got, reported after each chunk.</summary>
/// <param name="RowsRead">Data rows read and processed so far.</param>
/// <param name="RowsWritten">Rows written so far.</param>
/// <param name="RowsSkipped">Rows skipped so far (with <see cref="RowErrorPolicy.Skip"/>).</param>
public sealed record CsvFeaturizeProgress(long RowsRead, long RowsWritten, long RowsSkipped);

/// <summary>What a streaming featurization did.</summary>
/// <remarks>RowsRead = RowsWritten + RowsSkipped on success. Source: this library.</remarks>
/// <param name="RowsRead">Data rows read.</param>
/// <param name="RowsWritten">Rows written to the output (read minus skipped).</param>
/// <param name="RowsSkipped">Rows left out and written to the skipped-rows report (only with <see cref="RowErrorPolicy.Skip"/>).</param>
/// <param name="Features">Feature columns per row.</param>
public sealed record CsvFeaturizeReport(long RowsRead, long RowsWritten, long RowsSkipped, int Features);

/// <summary>Featurizes a whole CSV file in one call, streaming: rows are read one by one, featurized in parallel chunks and written in input order, so memory stays bounded whatever the file size.</summary>
/// <remarks>
/// Output: a header of the input columns (all of them, in input order, with <see cref="CsvFeaturizeOptions.KeepInputColumns"/>;
/// else <c>id, {formula column}</c>) followed by the featurizer labels, then one row per input row that could be featurized, in
/// input order, its input fields unchanged; numbers in shortest round-trip form (invariant culture), NaN as an empty cell, text fields quoted when they
/// contain a comma, a quote, CR or LF (RFC 4180).
/// Pipeline: while chunk k is parsed, featurized and formatted on the thread pool (<c>Parallel.For</c> over batches of rows),
/// the calling thread writes chunk k-1 and reads chunk k+1, so at most three chunks are in memory whatever the file size
/// (2,000,000 rows x 19 features ran in 79 MB peak RSS: <c>tools/bench/featurize-stream.sh</c>). The output is the same for any thread count and chunk size.
/// Failing rows (<c>formula.*</c> from the parser, <c>csv.bad_row</c> when the field count differs from the header): with
/// <see cref="RowErrorPolicy.Stop"/> all of them (up to 1,000, in row order) are returned as the failure; with
/// <see cref="RowErrorPolicy.Skip"/> each is written to the skipped-rows report (<c>row, id, formula, code, message</c>; row
/// numbers are 1-based data rows, the header being row 0) and counted in the report, never dropped silently.
/// Source: matminer's <c>featurize_dataframe(..., ignore_errors=...)</c> for the stop / skip choice.
/// </remarks>
public static class CsvFeaturizer
{
    private static readonly string[] IdCandidates = ["mbid", "id", "material_id", "Index"];

    /// <summary>Reads CSV rows from <paramref name="input"/>, featurizes each formula and writes the features to <paramref name="output"/> as text.</summary>
    /// <param name="featurizer">The featurizer (use <see cref="MultipleFeaturizer"/> for several).</param>
    /// <param name="input">CSV text with a header row; read once, sequentially.</param>
    /// <param name="source">A name for messages (path or dataset name).</param>
    /// <param name="output">Destination of the feature CSV; not closed. Rows are formatted as UTF-8 in parallel and decoded for
    /// the writer; to write a file, the <see cref="Stream"/> overload avoids the decoding.</param>
    /// <param name="skipped">Destination of the skipped-rows report; required with <see cref="RowErrorPolicy.Skip"/>, ignored otherwise.</param>
    /// <param name="options">Columns, error policy, chunk size, threads.</param>
    /// <returns>The counts, or: <c>param.out_of_range</c> (chunk size), <c>param.missing_report</c> (skip without a report),
    /// <c>csv.empty</c>, <c>csv.missing_column</c>, <c>csv.duplicate_column</c> (an input column named like a feature, with
    /// <see cref="CsvFeaturizeOptions.KeepInputColumns"/>), <c>csv.malformed</c> (quoting broken: the file cannot be read on),
    /// <c>csv.no_rows</c>, or with <see cref="RowErrorPolicy.Stop"/> every failing row's problem (<c>formula.*</c>, <c>csv.bad_row</c>,
    /// <c>featurize.non_finite</c> when a feature comes out infinite), up to 1,000.
    /// What was written before a failure is incomplete; write to a temporary file and keep it only on success.</returns>
    public static Validation<Problem, CsvFeaturizeReport> Featurize(
        ICompositionFeaturizer featurizer, TextReader input, string source, TextWriter output, TextWriter? skipped, CsvFeaturizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (options.Format != TableFormat.Csv)
            return Valid.Fail<CsvFeaturizeReport>("param.invalid_value", $"a text writer receives CSV only, not {options.Format}; pass a stream to write {options.Format}");
        return Run(featurizer, input, source, new CsvSink(bytes => output.Write(Encoding.UTF8.GetString(bytes)), output.Flush), skipped, options);
    }

    /// <summary>Reads CSV rows from <paramref name="input"/>, featurizes each formula and writes the features to <paramref name="output"/>
    /// as UTF-8 CSV (no byte-order mark; the same bytes as the <see cref="TextWriter"/> overload, formatted in parallel) or, with
    /// <see cref="CsvFeaturizeOptions.Format"/> Parquet, as a Parquet file with the same columns and values.</summary>
    /// <param name="featurizer">The featurizer (use <see cref="MultipleFeaturizer"/> for several).</param>
    /// <param name="input">CSV text with a header row; read once, sequentially.</param>
    /// <param name="source">A name for messages (path or dataset name).</param>
    /// <param name="output">Destination stream; written sequentially, flushed, not closed.</param>
    /// <param name="skipped">Destination of the skipped-rows report; required with <see cref="RowErrorPolicy.Skip"/>, ignored otherwise.</param>
    /// <param name="options">Columns, error policy, chunk size, threads.</param>
    /// <returns>As the <see cref="TextWriter"/> overload.</returns>
    public static Validation<Problem, CsvFeaturizeReport> Featurize(
        ICompositionFeaturizer featurizer, TextReader input, string source, Stream output, TextWriter? skipped, CsvFeaturizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        Sink sink = options.Format == TableFormat.Parquet ? new ParquetSink(output) : new CsvSink(bytes => output.Write(bytes), output.Flush);
        try
        {
            return Run(featurizer, input, source, sink, skipped, options);
        }
        finally
        {
            sink.Dispose();
        }
    }

    private static Validation<Problem, CsvFeaturizeReport> Run(
        ICompositionFeaturizer featurizer, TextReader input, string source, Sink sink, TextWriter? skipped, CsvFeaturizeOptions options)
    {
        if (options.ChunkSize < 1 || options.ChunkSize > MaxChunkSize)
            return Valid.Fail<CsvFeaturizeReport>("param.out_of_range", $"chunk size {options.ChunkSize} is not allowed; use 1 to {MaxChunkSize} (default 4096)");
        if (options.OnError == RowErrorPolicy.Skip && skipped is null)
            return Valid.Fail<CsvFeaturizeReport>("param.missing_report", "skipping failing rows needs a report to list them in; pass a writer for the skipped rows");
        try
        {
            using var csv = CsvReader.Create(input, Csv.ReaderOptions(), true);
            var header = csv.Headers?.ToArray() ?? [];
            if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
                return Valid.Fail<CsvFeaturizeReport>("csv.empty", $"{source} is empty; expected a header row naming the columns, then one row per material");
            if (Csv.OtherDelimiter(header, source) is { } delimiter) return Valid.Fail<CsvFeaturizeReport>(delimiter);
            var table = new CsvTable(source, header, []);
            var formulaCol = table.ColumnIndex(options.FormulaColumn);
            var idCol = options.IdColumn is null
                ? Valid.Ok(IdCandidates.Select(c => Array.IndexOf(header, c)).FirstOrDefault(i => i >= 0, -1))
                : table.ColumnIndex(options.IdColumn);
            var columns = Valid.All([formulaCol, idCol]);
            if (columns.IsFail) return Valid.Fail<CsvFeaturizeReport>(columns.Problems());
            var (fc, ic) = (formulaCol.OrThrow(), idCol.OrThrow());

            var labels = featurizer.Labels;
            var m = labels.Count;
            var keep = options.KeepInputColumns;
            if (keep && header.FirstOrDefault(h => labels.Contains(h)) is { } clash)
                return Valid.Fail<CsvFeaturizeReport>(new Problem("csv.duplicate_column",
                    $"{source} already has a column '{clash}', the name of a feature this featurizer writes; featurize the file without feature columns, or drop or rename that column",
                    Column: clash));
            var inputColumns = keep ? header : ["id", options.FormulaColumn];
            sink.Begin(inputColumns, labels);
            skipped?.Write("row,id,formula,code,message\n");

            long read = 0, written = 0, skippedRows = 0;
            var failures = new List<Problem>();
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? -1 };
            Chunk? running = null;
            Task? processing = null;
            while (true)
            {
                var next = ReadChunk(csv, options.ChunkSize, header.Length, fc, ic, keep, ref read);
                var done = running;
                processing?.Wait();
                (running, processing) = next.Count > 0
                    ? (next, Task.Run(() => Process(next, featurizer, options.FormulaColumn, options.MolecularCations, sink, parallel)))
                    : (null, null);
                if (done is not null)
                {
                    Write(done, sink, skipped, options.OnError, failures, ref written, ref skippedRows);
                    options.Progress?.Report(new CsvFeaturizeProgress(done.Row[done.Count - 1], written, skippedRows));
                }
                if (failures.Count >= MaxReported)
                {
                    processing?.Wait();
                    break;
                }
                if (running is null) break;
            }
            // With Stop, every failing row is listed (up to MaxReported), not only the first; nothing valid was produced.
            if (failures.Count > 0) return Valid.Fail<CsvFeaturizeReport>(failures);
            if (read == 0)
                return Valid.Fail<CsvFeaturizeReport>("csv.no_rows", $"{source} has a header but no data rows; add one row per material");
            sink.End();
            skipped?.Flush();
            return Valid.Ok(new CsvFeaturizeReport(read, written, skippedRows, m));
        }
        catch (CsvFormatException e)
        {
            return Valid.Fail<CsvFeaturizeReport>("csv.malformed", $"{source} is not valid CSV at line {e.LineNumber}: {e.Message}; check the quotes on that line");
        }
    }

    /// <summary>Rows per parallel work item (and per formatted block of output bytes).</summary>
    private const int Batch = 64;

    /// <summary>One chunk of rows: the fields read, then (after processing) each row's features, problem and formatted output.</summary>
    private sealed class Chunk(int capacity)
    {
        public readonly long[] Row = new long[capacity];
        public readonly string[] Id = new string[capacity];
        public readonly string[] Formula = new string[capacity];
        /// <summary>The row's input fields (with <see cref="CsvFeaturizeOptions.KeepInputColumns"/>; else id and formula).</summary>
        public readonly string[]?[] Input = new string[capacity][];
        public readonly Problem?[] Problem = new Problem?[capacity];
        /// <summary>Features, row-major (<c>Count x features</c>), allocated when the chunk is processed.</summary>
        public double[] Values = [];
        /// <summary>Per batch of <see cref="Batch"/> rows, the formatted lines of its rows without a problem (rented; returned after writing).</summary>
        public readonly byte[]?[] Bytes = new byte[(capacity + Batch - 1) / Batch][];
        public readonly int[] ByteCount = new int[(capacity + Batch - 1) / Batch];
        public int Count;
    }

    private static Chunk ReadChunk(CsvReader csv, int size, int fields, int formulaCol, int idCol, bool keep, ref long read)
    {
        var chunk = new Chunk(size);
        while (chunk.Count < size && csv.Read())
        {
            read++;
            var i = chunk.Count++;
            chunk.Row[i] = read;
            var count = csv.FieldCount;
            chunk.Formula[i] = formulaCol < count ? csv.GetString(formulaCol) : "";
            chunk.Id[i] = idCol < 0 ? read.ToString(CultureInfo.InvariantCulture) : idCol < count ? csv.GetString(idCol) : "";
            if (count == fields)
            {
                if (keep)
                {
                    var values = new string[count];
                    for (var j = 0; j < count; j++) values[j] = csv.GetString(j);
                    chunk.Input[i] = values;
                }
                else chunk.Input[i] = [chunk.Id[i], chunk.Formula[i]];
            }
            chunk.Problem[i] = count == fields ? null
                : new Problem("csv.bad_row", $"row {read} (line {csv.LineNumber}) has {count} fields, the header has {fields}; fix the quoting or the number of commas", (int)Math.Min(read, int.MaxValue));
        }
        return chunk;
    }

    private static void Process(Chunk chunk, ICompositionFeaturizer featurizer, string formulaColumn, MolecularCations cations, Sink sink, ParallelOptions parallel)
    {
        var m = featurizer.Labels.Count;
        chunk.Values = new double[chunk.Count * m];
        var siteAveraged = featurizer is SiteAveragedFeaturizer || (featurizer is MultipleFeaturizer many && many.Parts.Any(p => p is SiteAveragedFeaturizer));
        Parallel.For(0, (chunk.Count + Batch - 1) / Batch, parallel, b =>
        {
            var end = Math.Min(chunk.Count, (b + 1) * Batch);
            for (var i = b * Batch; i < end; i++)
            {
                if (chunk.Problem[i] is not null) continue;
                var row = (int)Math.Min(chunk.Row[i], int.MaxValue);
                var parsed = Composition.Parse(chunk.Formula[i], cations);
                if (parsed.IsFail)
                {
                    chunk.Problem[i] = parsed.Problems()[0].At(row, formulaColumn);
                    continue;
                }
                var values = chunk.Values.AsSpan(i * m, m);
                featurizer.Featurize(parsed.OrThrow(), values);
                var bad = 0;
                while (bad < m && !double.IsInfinity(values[bad])) bad++;
                if (bad < m) chunk.Problem[i] = NonFinite(featurizer.Labels[bad], chunk.Formula[i], row, formulaColumn);
                else if (siteAveraged) chunk.Problem[i] = SiteAveragedFeaturizer.NotOnSites(featurizer, parsed.OrThrow(), chunk.Formula[i], row, formulaColumn);
            }
            sink.Format(chunk, b, b * Batch, end, m);
        });
    }

    private static void Write(Chunk chunk, Sink sink, TextWriter? skipped, RowErrorPolicy policy, List<Problem> failures, ref long written, ref long skippedRows)
    {
        var ok = 0;
        for (var i = 0; i < chunk.Count; i++)
        {
            if (chunk.Problem[i] is not { } p)
            {
                ok++;
                continue;
            }
            if (policy == RowErrorPolicy.Stop)
            {
                if (failures.Count < MaxReported) failures.Add(p);
                continue;
            }
            skippedRows++;
            skipped!.Write(Line([chunk.Row[i].ToString(CultureInfo.InvariantCulture), Quote(chunk.Id[i]), Quote(chunk.Formula[i]), Quote(p.Code), Quote(p.Message)]));
        }
        // After a failure with Stop, nothing more is written: the remaining chunks only gather problems.
        if (failures.Count == 0)
        {
            sink.Write(chunk);
            written += ok;
        }
        sink.Release(chunk);
    }

    /// <summary>Where featurized rows go: formats a batch of a chunk (on a worker thread), writes a whole chunk in row order
    /// (on the reading thread).</summary>
    private abstract class Sink : IDisposable
    {
        public virtual void Dispose() { }
        public abstract void Begin(IReadOnlyList<string> inputColumns, IReadOnlyList<string> labels);
        public abstract void Format(Chunk chunk, int batch, int start, int end, int features);
        public abstract void Write(Chunk chunk);
        public virtual void Release(Chunk chunk) { }
        public abstract void End();
    }

    /// <summary>UTF-8 CSV: each batch's lines are formatted into a rented buffer in parallel, then copied out in order.</summary>
    private sealed class CsvSink(Action<ReadOnlySpan<byte>> write, Action flush) : Sink
    {
        public override void Begin(IReadOnlyList<string> inputColumns, IReadOnlyList<string> labels) =>
            write(Encoding.UTF8.GetBytes(Line([.. inputColumns.Select(Quote), .. labels.Select(Quote)])));

        public override void Format(Chunk chunk, int batch, int start, int end, int features)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1024, (end - start) * (features * 8 + 64)));
            var n = 0;
            for (var i = start; i < end; i++)
            {
                if (chunk.Problem[i] is not null) continue;
                var fields = chunk.Input[i]!;
                var need = features * MaxNumberBytes + 2;
                foreach (var f in fields) need += Encoding.UTF8.GetMaxByteCount(f.Length) * 2 + 3;
                if (buffer.Length - n < need)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, n + need));
                    buffer.AsSpan(0, n).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                for (var j = 0; j < fields.Length; j++)
                {
                    if (j > 0) buffer[n++] = (byte)',';
                    n += QuoteUtf8(fields[j], buffer.AsSpan(n));
                }
                foreach (var v in chunk.Values.AsSpan(i * features, features))
                {
                    buffer[n++] = (byte)',';
                    n += FormatNumber(v, buffer.AsSpan(n));
                }
                buffer[n++] = (byte)'\n';
            }
            chunk.Bytes[batch] = buffer;
            chunk.ByteCount[batch] = n;
        }

        public override void Write(Chunk chunk)
        {
            for (var b = 0; b < chunk.Bytes.Length; b++)
                if (chunk.Bytes[b] is { } bytes) write(bytes.AsSpan(0, chunk.ByteCount[b]));
        }

        public override void Release(Chunk chunk)
        {
            for (var b = 0; b < chunk.Bytes.Length; b++)
                if (chunk.Bytes[b] is { } bytes)
                {
                    ArrayPool<byte>.Shared.Return(bytes);
                    chunk.Bytes[b] = null;
                }
        }

        public override void End() => flush();
    }

    /// <summary>Parquet: rows go to a <see cref="TableWriter"/> (input fields as text, features as numbers) in row order.</summary>
    private sealed class ParquetSink(Stream stream) : Sink
    {
        private TableWriter? _table;
        private int _features;

        public override void Begin(IReadOnlyList<string> inputColumns, IReadOnlyList<string> labels)
        {
            _features = labels.Count;
            _table = TableWriter.Create(stream, TableFormat.Parquet,
                [.. inputColumns.Select(c => new OutputColumn(c, ColumnKind.Text)), .. labels.Select(l => new OutputColumn(l, ColumnKind.Number))]);
        }

        public override void Format(Chunk chunk, int batch, int start, int end, int features) { }

        public override void Write(Chunk chunk)
        {
            var table = _table!;
            var m = _features;
            for (var i = 0; i < chunk.Count; i++)
            {
                if (chunk.Problem[i] is not null) continue;
                foreach (var field in chunk.Input[i]!) table.Text(field);
                foreach (var v in chunk.Values.AsSpan(i * m, m)) table.Number(v);
                table.EndRow();
            }
        }

        public override void End() => _table!.Complete();

        public override void Dispose() => _table?.Dispose();
    }

    /// <summary>Bytes a formatted number can take: "R" of a double is at most 24 characters ("-1.2345678901234567E-308").</summary>
    private const int MaxNumberBytes = 32;

    /// <summary>A feature as written: nothing for NaN; whole numbers below 1e15 (counts, zeros of element fractions) as integers,
    /// as "R" prints them; otherwise the shortest round-trip form, invariant culture.</summary>
    internal static int FormatNumber(double v, Span<byte> destination)
    {
        if (double.IsNaN(v)) return 0;
        int written;
        if (Math.Abs(v) < 1e15 && v == Math.Floor(v) && !(v == 0 && double.IsNegative(v)))
            ((long)v).TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
        else
            v.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
        return written;
    }

    /// <summary>The field as UTF-8, RFC 4180-quoted when needed (see <see cref="Quote"/>); the destination holds at least twice the field's maximum byte count plus 2.</summary>
    private static int QuoteUtf8(string field, Span<byte> destination)
    {
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0) return Encoding.UTF8.GetBytes(field, destination);
        return Encoding.UTF8.GetBytes(Quote(field), destination);
    }

    /// <summary>Largest chunk size: 2^20 rows.</summary>
    public const int MaxChunkSize = 1 << 20;

    /// <summary>With <see cref="RowErrorPolicy.Stop"/>, failing rows listed before reading stops.</summary>
    private const int MaxReported = 1000;

    /// <summary>The problem of a feature that came out infinite (amounts so large or so small that the statistic overflows).</summary>
    internal static Problem NonFinite(string label, string formula, int row, string formulaColumn) =>
        new("featurize.non_finite",
            $"the feature '{label}' of '{formula}' is infinite (the amounts are too large or too far apart to compute with); write the amounts on an ordinary scale (e.g. Fe2O3, or fractions)",
            row, formulaColumn);

    private static string Line(IEnumerable<string> fields) => string.Join(',', fields) + "\n";

    /// <summary>RFC 4180 quoting: the field in double quotes (inner quotes doubled) when it holds a comma, a quote, CR or LF.</summary>
    internal static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
