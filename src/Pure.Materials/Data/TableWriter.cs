using System.Globalization;
using CsvHelper;
using LanguageExt;
using Parquet;
using Parquet.Schema;
using Pure.Materials.Core;

namespace Pure.Materials.Data;

/// <summary>The file format of a table the library writes (features, predictions, screening results).</summary>
public enum TableFormat
{
    /// <summary>RFC 4180 CSV, UTF-8 without a byte-order mark, <c>\n</c> line ends; numbers in shortest round-trip form, NaN as an empty cell.</summary>
    Csv,

    /// <summary>Apache Parquet (written by Parquet.Net, Snappy-compressed): text columns as UTF-8 strings, number columns as
    /// 64-bit floats with NaN written as null (as pandas' <c>to_parquet</c> writes NaN), integer columns as 64-bit integers;
    /// one row group per <see cref="TableWriter.ParquetRowGroupRows"/> rows. Readable by pandas/pyarrow, polars, DuckDB and Spark.</summary>
    Parquet,
}

/// <summary>The kind of values a table column holds.</summary>
public enum ColumnKind
{
    /// <summary>Text (identifiers, formulas, labels); null or empty for none.</summary>
    Text,

    /// <summary>A double; NaN for none.</summary>
    Number,

    /// <summary>A 64-bit integer (ranks, indices, counts).</summary>
    Integer,
}

/// <summary>A column of a table to write: its name and kind.</summary>
/// <param name="Name">Column name as written in the header / schema.</param>
/// <param name="Kind">What its cells hold.</param>
public sealed record OutputColumn(string Name, ColumnKind Kind);

/// <summary>Writes a table row by row to CSV or Parquet with bounded memory: the CSV writer formats each row as it comes; the
/// Parquet writer keeps one row group (<see cref="ParquetRowGroupRows"/> rows) in columns and writes it when full.</summary>
/// <remarks>
/// Usage: <c>using var w = TableWriter.Create(stream, format, columns);</c> then for each row one call per column in order
/// (<see cref="Text"/>, <see cref="Number"/>, <see cref="Integer"/> matching the column's kind) and <see cref="EndRow"/>;
/// finally <see cref="Complete"/> (Parquet's footer is written there: a file without it is unreadable). Disposing without
/// <see cref="Complete"/> leaves an incomplete file; write to a temporary name and rename on success.
/// CSV cells are the strings <see cref="Csv.Write"/> would write (numbers through <see cref="Csv.Format"/>), so a CSV table is the
/// same bytes as before this writer existed. Source: Apache Parquet format (https://parquet.apache.org/docs/file-format/),
/// written by the Parquet.Net library.
/// </remarks>
public abstract class TableWriter : IDisposable
{
    /// <summary>Rows per Parquet row group: 65,536 (memory for one group is about rows x columns x 8 bytes).</summary>
    public const int ParquetRowGroupRows = 1 << 16;

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<OutputColumn> Columns { get; }

    /// <summary>Rows ended so far.</summary>
    public long Rows { get; private set; }

    private int _next;

    private protected TableWriter(IReadOnlyList<OutputColumn> columns) => Columns = columns;

    /// <summary>A writer of <paramref name="format"/> on <paramref name="stream"/> (left open).</summary>
    /// <param name="stream">Destination, written sequentially.</param>
    /// <param name="format">CSV or Parquet.</param>
    /// <param name="columns">At least one column, names distinct.</param>
    /// <returns>The writer; the header (CSV) is written at once.</returns>
    /// <exception cref="ArgumentException">No columns, or two with one name (a programming error: callers build the columns).</exception>
    public static TableWriter Create(Stream stream, TableFormat format, IReadOnlyList<OutputColumn> columns)
    {
        Check(columns);
        return format == TableFormat.Parquet ? new ParquetTableWriter(stream, columns)
            : new CsvTableWriter(new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true), true, columns);
    }

    /// <summary>A CSV writer on <paramref name="writer"/> (left open), e.g. standard output.</summary>
    /// <param name="writer">Destination text.</param>
    /// <param name="columns">At least one column, names distinct.</param>
    /// <returns>The writer; the header is written at once.</returns>
    /// <exception cref="ArgumentException">No columns, or two with one name.</exception>
    public static TableWriter CreateCsv(TextWriter writer, IReadOnlyList<OutputColumn> columns)
    {
        Check(columns);
        return new CsvTableWriter(writer, false, columns);
    }

    private static void Check(IReadOnlyList<OutputColumn> columns)
    {
        if (columns.Count == 0) throw new ArgumentException("a table needs at least one column", nameof(columns));
        if (columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != columns.Count)
            throw new ArgumentException("column names must be distinct", nameof(columns));
    }

    /// <summary>The format a path asks for: Parquet for <c>.parquet</c> / <c>.pq</c> (any case), CSV otherwise.</summary>
    /// <param name="path">An output path.</param>
    /// <returns>The format.</returns>
    public static TableFormat FormatOf(string path) =>
        path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pq", StringComparison.OrdinalIgnoreCase)
            ? TableFormat.Parquet : TableFormat.Csv;

    /// <summary>The next cell, a text column's value.</summary>
    /// <param name="value">The text (null or empty for none).</param>
    public void Text(string? value) => PutText(Next(ColumnKind.Text), value);

    /// <summary>The next cell, a number column's value.</summary>
    /// <param name="value">The number (NaN for none; infinities are written as such).</param>
    public void Number(double value) => PutNumber(Next(ColumnKind.Number), value);

    /// <summary>The next cell, an integer column's value.</summary>
    /// <param name="value">The integer.</param>
    public void Integer(long value) => PutInteger(Next(ColumnKind.Integer), value);

    /// <summary>Ends the row (every column must have had its cell).</summary>
    /// <exception cref="InvalidOperationException">Fewer cells than columns.</exception>
    public void EndRow()
    {
        if (_next != Columns.Count) throw new InvalidOperationException($"row {Rows + 1} has {_next} cells; the table has {Columns.Count} columns");
        _next = 0;
        Rows++;
        RowDone();
    }

    /// <summary>Writes what is buffered and the file's end (Parquet footer); the stream is flushed, not closed.</summary>
    public abstract void Complete();

    private bool _disposed;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases buffers.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing) { }

    private int Next(ColumnKind kind)
    {
        if (_next >= Columns.Count) throw new InvalidOperationException($"row {Rows + 1} has more cells than the table's {Columns.Count} columns");
        if (Columns[_next].Kind != kind)
            throw new InvalidOperationException($"column '{Columns[_next].Name}' holds {Columns[_next].Kind}, not {kind}");
        return _next++;
    }

    private protected abstract void PutText(int column, string? value);
    private protected abstract void PutNumber(int column, double value);
    private protected abstract void PutInteger(int column, long value);
    private protected abstract void RowDone();

    private sealed class CsvTableWriter : TableWriter
    {
        private readonly TextWriter _text;
        private readonly bool _owned;
        private readonly CsvWriter _csv;
        private readonly string[] _row;

        public CsvTableWriter(TextWriter text, bool owned, IReadOnlyList<OutputColumn> columns) : base(columns)
        {
            _text = text;
            _owned = owned;
            _csv = CsvWriter.Create(_text, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture, NewLine = "\n" }, true);
            _row = new string[columns.Count];
            _csv.WriteRecord(columns.Select(c => c.Name).ToArray());
        }

        private protected override void PutText(int column, string? value) => _row[column] = value ?? "";
        private protected override void PutNumber(int column, double value) => _row[column] = Csv.Format(value);
        private protected override void PutInteger(int column, long value) => _row[column] = value.ToString(CultureInfo.InvariantCulture);
        private protected override void RowDone() => _csv.WriteRecord(_row);

        public override void Complete()
        {
            _csv.Flush();
            _text.Flush();
        }

        protected override void Dispose(bool disposing)
        {
            if (!disposing) return;
            _csv.Dispose();
            if (_owned) _text.Dispose();
        }
    }

    private sealed class ParquetTableWriter : TableWriter
    {
        private readonly Stream _stream;
        private readonly DataField[] _fields;
        private readonly string?[][] _texts;
        private readonly double[][] _numbers;
        private readonly long[][] _integers;
        private ParquetWriter? _writer;
        private int _count;

        public ParquetTableWriter(Stream stream, IReadOnlyList<OutputColumn> columns) : base(columns)
        {
            _stream = stream;
            _fields = columns.Select(c => c.Kind switch
            {
                ColumnKind.Text => (DataField)new DataField<string>(c.Name, true),
                ColumnKind.Number => new DataField<double?>(c.Name),
                _ => new DataField<long>(c.Name),
            }).ToArray();
            _texts = columns.Select(c => c.Kind == ColumnKind.Text ? new string?[ParquetRowGroupRows] : []).ToArray();
            _numbers = columns.Select(c => c.Kind == ColumnKind.Number ? new double[ParquetRowGroupRows] : []).ToArray();
            _integers = columns.Select(c => c.Kind == ColumnKind.Integer ? new long[ParquetRowGroupRows] : []).ToArray();
        }

        private protected override void PutText(int column, string? value) => _texts[column][_count] = value;
        private protected override void PutNumber(int column, double value) => _numbers[column][_count] = value;
        private protected override void PutInteger(int column, long value) => _integers[column][_count] = value;

        private protected override void RowDone()
        {
            if (++_count == ParquetRowGroupRows) Flush();
        }

        private void Flush()
        {
            _writer ??= ParquetWriter.CreateAsync(new ParquetSchema(_fields), _stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy })
                .GetAwaiter().GetResult();
            if (_count == 0) return;
            using var group = _writer.CreateRowGroup();
            var nullable = new double?[_count];
            for (var c = 0; c < _fields.Length; c++)
            {
                switch (Columns[c].Kind)
                {
                    case ColumnKind.Text:
                        group.WriteAsync(_fields[c], new ArraySegment<string?>(_texts[c], 0, _count).ToArray()!, null).GetAwaiter().GetResult();
                        Array.Clear(_texts[c], 0, _count);
                        break;
                    case ColumnKind.Number:
                        var values = _numbers[c];
                        for (var i = 0; i < _count; i++) nullable[i] = double.IsNaN(values[i]) ? null : values[i];
                        group.WriteAsync<double>(_fields[c], new ReadOnlyMemory<double?>(nullable, 0, _count)).GetAwaiter().GetResult();
                        break;
                    default:
                        group.WriteAsync<long>(_fields[c], new ReadOnlyMemory<long>(_integers[c], 0, _count)).GetAwaiter().GetResult();
                        break;
                }
            }
            group.CompleteValidate();
            _count = 0;
        }

        public override void Complete()
        {
            if (_count > 0 || _writer is null) Flush();
            _writer!.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _writer = null;
            _stream.Flush();
        }

        protected override void Dispose(bool disposing)
        {
            if (!disposing || _writer is null) return;
            _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _writer = null;
        }
    }
}

/// <summary>Reads back what <see cref="TableWriter"/> wrote as Parquet: column names and every cell as text, numbers in
/// shortest round-trip form and nulls as empty cells, so a Parquet table can be compared with its CSV twin.</summary>
/// <remarks>Used by tests and by anyone who wants the rows back in .NET. Source: Parquet.Net's reader.</remarks>
public static class ParquetTables
{
    /// <summary>Reads a whole Parquet file written by <see cref="TableWriter"/> (or any flat file of string, double and long columns).</summary>
    /// <param name="stream">A seekable stream holding the file.</param>
    /// <param name="source">A name for messages.</param>
    /// <returns>Header and rows as text, or <c>parquet.unreadable</c> naming the source.</returns>
    public static Validation<Problem, CsvTable> Read(Stream stream, string source)
    {
        try
        {
            var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
            try
            {
                var fields = reader.Schema.GetDataFields();
                var rows = new List<string[]>();
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    using var group = reader.OpenRowGroupReader(g);
                    var n = checked((int)group.RowCount);
                    var cells = new string[fields.Length][];
                    for (var c = 0; c < fields.Length; c++) cells[c] = ReadColumn(group, fields[c], n);
                    for (var i = 0; i < n; i++) rows.Add(fields.Select((_, c) => cells[c][i]).ToArray());
                }
                return Valid.Ok(new CsvTable(source, fields.Select(f => f.Name).ToArray(), rows));
            }
            finally
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return Valid.Fail<CsvTable>("parquet.unreadable", $"{source} is not a readable Parquet file ({e.Message}); write it again as Parquet (TableWriter with TableFormat.Parquet), or read the CSV twin");
        }
    }

    private static string[] ReadColumn(ParquetRowGroupReader group, DataField field, int n)
    {
        if (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
        {
            var text = new string?[n];
            group.ReadAsync(field, text.AsMemory()).GetAwaiter().GetResult();
            return text.Select(t => t ?? "").ToArray();
        }
        if (field.ClrType == typeof(double) && field.IsNullable)
        {
            var values = new double?[n];
            group.ReadAsync<double>(field, values.AsMemory()).GetAwaiter().GetResult();
            return values.Select(v => v is { } d ? Csv.Format(d) : "").ToArray();
        }
        if (field.ClrType == typeof(double))
        {
            var values = new double[n];
            group.ReadAsync<double>(field, values.AsMemory()).GetAwaiter().GetResult();
            return values.Select(Csv.Format).ToArray();
        }
        if (field.ClrType == typeof(long) && !field.IsNullable)
        {
            var values = new long[n];
            group.ReadAsync<long>(field, values.AsMemory()).GetAwaiter().GetResult();
            return values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
        }
        throw new NotSupportedException($"column '{field.Name}' holds {field.ClrType.Name}{(field.IsNullable ? " (nullable)" : "")}, which this reader does not read");
    }
}
