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
        var near = Header.FirstOrDefault(h => string.Equals(h.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase)) ?? Closest(name, Header);
        var hint = near is null ? "" : $" (did you mean '{near}'?)";
        return Valid.Fail<int>("csv.missing_column",
            $"{Source} has no column '{name}'{hint}; its columns are: {string.Join(", ", Header.Select(h => $"'{h}'"))}", column: name);
    }

    /// <summary>The column name closest to a mistyped one: the smallest edit distance (case-insensitive Levenshtein), at most 1 for
    /// names up to 4 characters, 2 up to 8 and 3 beyond; null when none is that close.</summary>
    internal static string? Closest(string name, IEnumerable<string> candidates)
    {
        var target = name.Trim().ToLowerInvariant();
        var limit = target.Length <= 4 ? 1 : target.Length <= 8 ? 2 : 3;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            var d = EditDistance(target, c.Trim().ToLowerInvariant(), limit);
            if (d <= limit && d < bestDistance) (best, bestDistance) = (c, d);
        }
        return best;
    }

    private static int EditDistance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit) return limit + 1;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

/// <summary>Reads and writes CSV through CsvHelper (RFC 4180 quoting, invariant culture).</summary>
public static class Csv
{
    /// <summary>Reads a CSV file with a header row; a path ending in <c>.gz</c> holding gzip data is decompressed as it is read
    /// (<c>data.csv.gz</c>).</summary>
    /// <param name="path">File path.</param>
    /// <returns>The table, or <c>io.not_found</c>, <c>io.read_failed</c> (also a corrupt or truncated gzip file), <c>csv.not_csv</c>
    /// (gzip data under a name not ending in <c>.gz</c>, ZIP, binary, JSON), <c>csv.delimiter</c>
    /// (semicolons or tabs), <c>csv.empty</c>, <c>csv.no_rows</c>, <c>csv.bad_row</c> (one per ragged row).</returns>
    public static Validation<Problem, CsvTable> ReadFile(string path) => ReadFile(path, keepRaggedRows: false);

    /// <summary>Reads a CSV file with a header row; with <paramref name="keepRaggedRows"/>, rows whose field count differs from the
    /// header are kept as read (not reported) for a caller that skips and lists them itself.</summary>
    /// <param name="path">File path.</param>
    /// <param name="keepRaggedRows">Keep ragged rows in the table instead of failing with <c>csv.bad_row</c>.</param>
    /// <returns>The table or the problems of <see cref="ReadFile(string)"/>.</returns>
    public static Validation<Problem, CsvTable> ReadFile(string path, bool keepRaggedRows)
    {
        if (!File.Exists(path))
            return Valid.Fail<CsvTable>("io.not_found", $"file '{path}' does not exist; check the path or pass a bundled dataset name ({string.Join(", ", BundledData.Names)})");
        try
        {
            var opened = OpenChecked(path);
            if (opened.IsFail) return Valid.Fail<CsvTable>(opened.Problems());
            using var reader = new StreamReader(opened.OrThrow());
            return Read(reader, path, keepRaggedRows);
        }
        catch (IOException e)
        {
            return Valid.Fail<CsvTable>("io.read_failed", $"could not read '{path}': {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return Valid.Fail<CsvTable>("io.read_failed", $"could not read '{path}': {e.Message}");
        }
        catch (InvalidDataException e)
        {
            return Valid.Fail<CsvTable>("io.read_failed", $"could not decompress '{path}': {e.Message}; check it with 'gzip -t'");
        }
    }

    /// <summary>Reads CSV text with a header row.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="source">A name for messages (path or dataset name).</param>
    /// <returns>The table, or <c>csv.empty</c> (no header), <c>csv.no_rows</c> (header only), <c>csv.bad_row</c> (field count differs from the header; one problem per row), <c>csv.duplicate_column</c>, <c>csv.malformed</c> (for example a quote never closed).</returns>
    public static Validation<Problem, CsvTable> Read(TextReader reader, string source) => Read(reader, source, keepRaggedRows: false);

    private static Validation<Problem, CsvTable> Read(TextReader reader, string source, bool keepRaggedRows)
    {
        try
        {
            using var csv = CsvReader.Create(reader, ReaderOptions(), true);
            var header = csv.Headers?.ToArray() ?? [];
            if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
                return Valid.Fail<CsvTable>("csv.empty", $"{source} is empty; expected a header row naming the columns, then one row per material");
            if (OtherDelimiter(header, source) is { } delimiter) return Valid.Fail<CsvTable>(delimiter);
            var problems = new List<Problem>();
            foreach (var dup in header.GroupBy(h => h).Where(g => g.Count() > 1))
                problems.Add(new Problem("csv.duplicate_column", $"{source} has the column name '{dup.Key}' {dup.Count()} times; rename the duplicates", Column: dup.Key));
            var rows = new List<string[]>();
            while (csv.Read())
            {
                var record = csv.Current.ToArray();
                var rowNumber = rows.Count + 1;
                if (record.Length != header.Length && !keepRaggedRows)
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

    /// <summary>A header read with commas that is one field holding semicolons, tabs or pipes: the file uses another delimiter.</summary>
    /// <param name="header">The header fields, split at commas.</param>
    /// <param name="source">A name for messages.</param>
    /// <returns><c>csv.delimiter</c> naming the delimiter found and the fix, or null.</returns>
    public static Problem? OtherDelimiter(IReadOnlyList<string> header, string source)
    {
        if (header.Count != 1) return null;
        foreach (var (c, name) in new[] { (';', "semicolons"), ('\t', "tabs"), ('|', "'|' characters") })
            if (header[0].Contains(c))
                return new Problem("csv.delimiter",
                    $"{source} separates its columns with {name}, not commas (header '{Short(header[0].Replace("\t", "\\t"))}'); save it as comma-separated CSV with a dot as decimal separator (e.g. in pandas: pd.read_csv(path, sep='{(c == '\t' ? "\\t" : c.ToString())}').to_csv(new_path, index=False))");
        return null;
    }

    /// <summary>Opens a file for reading after checking its first bytes (<see cref="NotCsv(ReadOnlySpan{byte}, string)"/>); the file is
    /// opened once, so a named pipe or process substitution (<c>&lt;(zcat data.csv.gz)</c>) works too. A path ending in <c>.gz</c>
    /// whose bytes are gzip data is decompressed as it is read, and the decompressed text is checked the same way.</summary>
    /// <param name="path">An existing file.</param>
    /// <returns>A stream of the whole (decompressed) file, or <c>csv.not_csv</c>. A corrupt gzip file throws
    /// <see cref="InvalidDataException"/> when read.</returns>
    public static Validation<Problem, Stream> OpenChecked(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var head = new byte[4096];
        var n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b && path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            uint? trailerSize = null; // ISIZE: the uncompressed size mod 2^32, the gzip file's last 4 bytes (RFC 1952)
            if (file.CanSeek && file.Length >= 18)
            {
                var at = file.Position;
                var tail = new byte[4];
                file.Seek(-4, SeekOrigin.End);
                file.ReadExactly(tail);
                file.Position = at;
                trailerSize = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(tail);
            }
            var gzip = new System.IO.Compression.GZipStream(new PrefixedStream(head, n, file), System.IO.Compression.CompressionMode.Decompress);
            var inner = new byte[4096];
            var m = gzip.ReadAtLeast(inner, inner.Length, throwOnEndOfStream: false);
            if (NotCsv(inner.AsSpan(0, m), path) is { } innerProblem)
            {
                gzip.Dispose();
                return Valid.Fail<Stream>(innerProblem with { Message = innerProblem.Message.Replace($"'{path}' is ", $"'{path}' decompressed is ") });
            }
            return Valid.Ok<Stream>(new PrefixedStream(inner, m, new SizeCheckedStream(gzip, m, trailerSize, file)));
        }
        if (NotCsv(head.AsSpan(0, n), path) is { } problem)
        {
            file.Dispose();
            return Valid.Fail<Stream>(problem);
        }
        return Valid.Ok<Stream>(new PrefixedStream(head, n, file));
    }

    /// <summary>Recognises data that is not CSV text from its first bytes: gzip, ZIP (xlsx), zstd, bzip2, other binary data (NUL bytes), JSON.</summary>
    /// <param name="head">The first bytes of the file (up to 4096).</param>
    /// <param name="path">The file, for the message.</param>
    /// <returns><c>csv.not_csv</c> saying what the file looks like and what to do, or null for text that may be CSV.</returns>
    public static Problem? NotCsv(ReadOnlySpan<byte> head, string path)
    {
        var n = head.Length;
        string? what = null;
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) what = "gzip-compressed but its name does not end in .gz; name it .csv.gz (read as it is decompressed) or decompress it (gunzip)";
        else if (n >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4) what = "a ZIP archive (an Excel .xlsx workbook?); export the sheet as CSV";
        else if (n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd) what = "zstd-compressed; decompress it first";
        else if (n >= 3 && head[0] == (byte)'B' && head[1] == (byte)'Z' && head[2] == (byte)'h') what = "bzip2-compressed; decompress it first (bunzip2 FILE)";
        else if (head.IndexOf((byte)0) >= 0) what = "binary data, not text (NUL bytes near the start); pass a CSV text file";
        else
        {
            var text = System.Text.Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            if (text.StartsWith('{') || (text.StartsWith('[') && text.Length > 1 && text[1..].TrimStart().FirstOrDefault() is '{' or '[' or '"' or ']'))
                what = "JSON, not CSV; convert it (e.g. in pandas: pd.read_json(path).to_csv(new_path, index=False))";
        }
        return what is null ? null : new Problem("csv.not_csv", $"'{path}' is {what}");
    }

    /// <summary>The bytes already read for sniffing, then the rest of the file.</summary>
    private sealed class PrefixedStream(byte[] head, int count, Stream rest) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        /// <summary>The file's length (for progress displays); not seekable all the same.</summary>
        public override long Length => rest is SizeCheckedStream z ? z.CompressedLength : rest.CanSeek ? rest.Length : throw new NotSupportedException();
        /// <summary>Bytes delivered so far (for progress displays; of a gzip file, the compressed bytes read so far).</summary>
        public override long Position
        {
            get => rest is SizeCheckedStream z ? z.CompressedPosition : rest.CanSeek ? rest.Position - (count - _position) : throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int length) => Read(buffer.AsSpan(offset, length));

        public override int Read(Span<byte> buffer)
        {
            if (_position < count)
            {
                var k = Math.Min(buffer.Length, count - _position);
                head.AsSpan(_position, k).CopyTo(buffer);
                _position += k;
                return k;
            }
            return rest.Read(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>Decompressed gzip data that throws <see cref="InvalidDataException"/> at its end when the number of bytes read differs
    /// from the size in the gzip trailer (.NET's <see cref="System.IO.Compression.GZipStream"/> ends a truncated file silently, which
    /// would lose rows).</summary>
    private sealed class SizeCheckedStream(Stream rest, long alreadyRead, uint? expected, FileStream compressed) : Stream
    {
        private long _total = alreadyRead;

        /// <summary>The compressed file's length and read position (for progress displays, against the file's size on disk).</summary>
        public long CompressedLength => compressed.CanSeek ? compressed.Length : throw new NotSupportedException();
        public long CompressedPosition => compressed.CanSeek ? compressed.Position : throw new NotSupportedException();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int length) => Read(buffer.AsSpan(offset, length));

        public override int Read(Span<byte> buffer)
        {
            var k = rest.Read(buffer);
            _total += k;
            if (k == 0 && buffer.Length > 0 && expected is { } size && (uint)_total != size)
                throw new InvalidDataException(
                    $"it decompresses to {_total} bytes but its gzip trailer says {size} (mod 2^32): the file is truncated or corrupt, " +
                    "or holds several gzip members (then decompress it with gunzip and pass the .csv)");
            return k;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }

    private static string Short(string s) => s.Length <= 60 ? s : s[..57] + "...";

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
    /// <summary>Names accepted by <see cref="Open"/>: <c>matbench_expt_gap</c> (4,604 rows), <c>matbench_expt_is_metal</c> (4,921),
    /// <c>perovskite_dft</c> (512), and the composition-only Matbench v0.1 tasks <c>matbench_mp_e_form</c> (132,752 rows, e_form in
    /// eV/atom), <c>matbench_perovskites</c> (18,928, e_form in eV per cell) and <c>matbench_jdft2d</c> (636, exfoliation_en in meV/atom),
    /// each with <c>mbid</c>, the target, <c>composition</c>, <c>spg_num</c>, <c>crys_sys</c> and the official <c>fold</c> (0-4);
    /// the last three are stored gzip-compressed.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["matbench_expt_gap", "matbench_expt_is_metal", "perovskite_dft", "matbench_mp_e_form", "matbench_perovskites", "matbench_jdft2d"];

    /// <summary>The decompressed CSV text of a bundled dataset as a stream (the caller disposes it).</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <returns>A readable stream of CSV text.</returns>
    /// <exception cref="InvalidOperationException">The name is not bundled or the resource is missing from the build.</exception>
    public static Stream OpenStream(string name)
    {
        var assembly = typeof(BundledData).Assembly;
        if (Names.Contains(name) && assembly.GetManifestResourceStream($"data/{name}.csv") is { } plain) return plain;
        if (Names.Contains(name) && assembly.GetManifestResourceStream($"data/{name}.csv.gz") is { } packed)
            return new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionMode.Decompress);
        throw new InvalidOperationException($"Embedded dataset '{name}' is missing from the library build.");
    }

    /// <summary>Opens a bundled dataset.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <returns>The table, or <c>data.unknown_dataset</c> listing the names.</returns>
    public static Validation<Problem, CsvTable> Open(string name)
    {
        if (!Names.Contains(name))
            return Valid.Fail<CsvTable>("data.unknown_dataset", $"no bundled dataset '{name}'; bundled: {string.Join(", ", Names)}");
        using var reader = new StreamReader(OpenStream(name), System.Text.Encoding.UTF8, true, 1 << 16);
        return Csv.Read(reader, name);
    }

    /// <summary>Opens a file path, or a bundled dataset when the argument is one of <see cref="Names"/> and no such file exists.</summary>
    /// <param name="pathOrName">A CSV path or a bundled dataset name.</param>
    /// <returns>The table or the problems of reading it.</returns>
    public static Validation<Problem, CsvTable> OpenPathOrName(string pathOrName) => OpenPathOrName(pathOrName, keepRaggedRows: false);

    /// <summary>As <see cref="OpenPathOrName(string)"/>; with <paramref name="keepRaggedRows"/> a file's rows with the wrong number of
    /// fields are kept for the caller to skip and list (<see cref="Csv.ReadFile(string, bool)"/>).</summary>
    /// <param name="pathOrName">A CSV path or a bundled dataset name.</param>
    /// <param name="keepRaggedRows">Keep ragged rows instead of failing.</param>
    /// <returns>The table or the problems of reading it.</returns>
    public static Validation<Problem, CsvTable> OpenPathOrName(string pathOrName, bool keepRaggedRows) =>
        !File.Exists(pathOrName) && Names.Contains(pathOrName) ? Open(pathOrName) : Csv.ReadFile(pathOrName, keepRaggedRows);
}
