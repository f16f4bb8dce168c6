using System.Globalization;
using System.Text;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Xunit;

namespace Pure.Materials.Tests.Featurize;

/// <summary>Streaming featurization of CSV files: same values as in memory, any chunk size and thread count, per-row failures.</summary>
public class CsvFeaturizerTests
{
    private static readonly ICompositionFeaturizer All =
        MultipleFeaturizer.Create(CompositionFeaturizers.Parse(string.Join(",", CompositionFeaturizers.Names.Where(n => n != "site-averaged"))).OrThrow()).OrThrow(); // site-averaged: ABX3 perovskites only

    private static string BundledText(string name)
    {
        using var stream = typeof(BundledData).Assembly.GetManifestResourceStream($"data/{name}.csv")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static (LanguageExt.Validation<Problem, CsvFeaturizeReport> Result, string Output, string Skipped) Run(
        string csv, CsvFeaturizeOptions options, ICompositionFeaturizer? featurizer = null)
    {
        var output = new StringWriter { NewLine = "\n" };
        var skipped = new StringWriter();
        var result = CsvFeaturizer.Featurize(featurizer ?? All, new StringReader(csv), "test.csv", output, skipped, options);
        return (result, output.ToString(), skipped.ToString());
    }

    [Fact]
    public void ExptGap_StreamedOutput_EqualsInMemoryFeatures_ForEveryChunkSizeAndThreadCount()
    {
        var text = BundledText("matbench_expt_gap");
        var reference = Run(text, new CsvFeaturizeOptions()).Output;
        foreach (var (chunk, threads) in new[] { (1, (int?)1), (7, 2), (1000, null), (100_000, 1) })
            Assert.Equal(reference, Run(text, new CsvFeaturizeOptions { ChunkSize = chunk, MaxDegreeOfParallelism = threads }).Output);

        var written = Csv.Read(new StringReader(reference), "out").OrThrow();
        var input = BundledData.Open("matbench_expt_gap").OrThrow();
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition" }, input).OrThrow();
        var x = All.FeaturizeMany(ds.Compositions!);
        // The input columns first (as matminer's featurize_dataframe), unchanged, then the features.
        var k = input.Header.Count;
        Assert.Equal([.. input.Header, .. All.Labels], written.Header);
        Assert.Equal(4604, written.Rows.Count);
        for (var i = 0; i < ds.Count; i++)
        {
            Assert.Equal(input.Rows[i], written.Rows[i].Take(k));
            for (var j = 0; j < All.Labels.Count; j++)
            {
                var cell = written.Rows[i][j + k];
                var value = cell.Length == 0 ? double.NaN : double.Parse(cell, CultureInfo.InvariantCulture);
                Assert.Equal(x[i, j], value); // round-trip formatting: bit for bit
            }
        }
    }

    [Fact]
    public void Stop_ReturnsEveryFailingRow_WithItsNumber()
    {
        const string csv = "id,composition\na,Fe2O3\nb,NaCl\nc,Xx2\nd,FeO,extra\ne,Fe\n";
        var (result, _, _) = Run(csv, new CsvFeaturizeOptions { ChunkSize = 2 });
        Assert.Equal([("formula.unknown_element", 3, "composition"), ("csv.bad_row", 4, (string?)null)],
            result.Problems().Select(p => (p.Code, p.Row!.Value, p.Column)));
    }

    /// <summary>A featurizer whose second feature is +infinity for compositions of more than one element (a stand-in for an overflow).</summary>
    private sealed class Overflowing : ICompositionFeaturizer
    {
        public string Name => "overflowing";
        public IReadOnlyList<string> Labels { get; } = ["count", "overflow"];
        public IReadOnlyList<string> Units { get; } = ["", ""];
        public IReadOnlyList<string> Citations { get; } = [];
        public IReadOnlyList<string> Implementors { get; } = [];

        public void Featurize(Composition composition, Span<double> destination)
        {
            destination[0] = composition.Count;
            destination[1] = composition.Count > 1 ? double.PositiveInfinity : 1;
        }
    }

    [Fact]
    public void SharedFeaturization_RefusesAnInfiniteFeature_AtItsRow()
    {
        // The path Build and screen share: an infinite value is a problem at its row, never a value a model sees.
        var compositions = new[] { Composition.Parse("Fe").OrThrow(), Composition.Parse("Fe2O3").OrThrow() };
        var p = Assert.Single(CompositionFeaturizers.Featurize([new Overflowing()], compositions, i => compositions[i].Formula).Problems());
        Assert.Equal(("featurize.non_finite", 2), (p.Code, p.Row!.Value));
        Assert.Contains("'overflow'", p.Message);
    }

    [Fact]
    public void InfiniteFeature_IsAProblemNamingRowAndFeature_NeverAnInfinityCell()
    {
        const string csv = "id,composition\na,Fe\nb,Fe2O3\nc,Cu\n";
        var (stop, _, _) = Run(csv, new CsvFeaturizeOptions(), new Overflowing());
        var p = Assert.Single(stop.Problems());
        Assert.Equal(("featurize.non_finite", 2, "composition"), (p.Code, p.Row!.Value, p.Column!));
        Assert.Contains("'overflow'", p.Message);
        var (skip, output, skipped) = Run(csv, new CsvFeaturizeOptions { OnError = RowErrorPolicy.Skip }, new Overflowing());
        Assert.Equal(new CsvFeaturizeReport(3, 2, 1, 2), skip.OrThrow());
        Assert.DoesNotContain("Infinity", output);
        Assert.Contains("featurize.non_finite", skipped);
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition" }, Csv.Read(new StringReader(csv), "test.csv").OrThrow()).OrThrow();
        var q = Assert.Single(CompositionFeaturizers.Build([new Overflowing()], ds).Problems());
        Assert.Equal(("featurize.non_finite", 2, "overflow"), (q.Code, q.Row!.Value, q.Column!));
    }

    [Fact]
    public void Skip_LeavesBadRowsOut_AndListsEachInTheReport()
    {
        const string csv = "id,composition\na,Fe2O3\nb,Xx2\nc,FeO,extra\nd,\ne,NaCl\n";
        var (result, output, skipped) = Run(csv, new CsvFeaturizeOptions { OnError = RowErrorPolicy.Skip, ChunkSize = 3 }, Stoichiometry.Default);
        Assert.Equal(new CsvFeaturizeReport(5, 2, 3, 6), result.OrThrow());
        var rows = Csv.Read(new StringReader(output), "out").OrThrow().Rows;
        Assert.Equal(["a", "e"], rows.Select(r => r[0]));
        var report = Csv.Read(new StringReader(skipped), "skipped").OrThrow();
        Assert.Equal(["row", "id", "formula", "code", "message"], report.Header);
        Assert.Equal([("2", "formula.unknown_element"), ("3", "csv.bad_row"), ("4", "formula.empty")], report.Rows.Select(r => (r[0], r[3])));
    }

    [Fact]
    public void TextFields_AreQuoted_AndReadBack()
    {
        const string csv = "name,formula\n\"Li, ion \"\"A\"\"\",LiCoO2\n";
        var (result, output, _) = Run(csv, new CsvFeaturizeOptions { FormulaColumn = "formula", IdColumn = "name" }, TMetalFraction.Default);
        result.OrThrow();
        var back = Csv.Read(new StringReader(output), "out").OrThrow();
        Assert.Equal(["name", "formula", "transition metal fraction"], back.Header);
        Assert.Equal(["Li, ion \"A\"", "LiCoO2", "0.25"], back.Rows[0]);
    }

    [Fact]
    public void WithoutKeepInputColumns_IdsDefaultToRowNumbers_WithoutAnIdColumn()
    {
        var (_, output, _) = Run("composition\nFe\nO2\n", new CsvFeaturizeOptions { KeepInputColumns = false }, TMetalFraction.Default);
        Assert.Equal("id,composition,transition metal fraction\n1,Fe,1\n2,O2,0\n", output);
    }

    [Fact]
    public void InputColumns_AreKeptInOrder_BeforeTheFeatures()
    {
        var (result, output, _) = Run("gap,composition,fold,note\n1.5,Fe,0,\"a, b\"\n0,O2,1,\n", new CsvFeaturizeOptions(), TMetalFraction.Default);
        Assert.Equal(new CsvFeaturizeReport(2, 2, 0, 1), result.OrThrow());
        Assert.Equal("gap,composition,fold,note,transition metal fraction\n1.5,Fe,0,\"a, b\",1\n0,O2,1,,0\n", output);
    }

    [Fact]
    public void InputColumnNamedLikeAFeature_IsAProblem()
    {
        var problem = Assert.Single(Run("composition,transition metal fraction\nFe,1\n", new CsvFeaturizeOptions(), TMetalFraction.Default).Result.Problems());
        Assert.Equal("csv.duplicate_column", problem.Code);
        Assert.Equal("transition metal fraction", problem.Column);
    }

    [Fact]
    public void StreamOverload_WritesTheSameUtf8Bytes_AsTheTextWriterOverload_ForEveryChunkSizeAndThreadCount()
    {
        // Rows with quoted fields (comma, quote, newline), non-ASCII text and a NaN-producing formula, through both overloads.
        var csv = "id,composition,note\n1,Fe2O3,\"a, b\"\n2,NaCl,\"say \"\"hi\"\"\"\n3,H,\"two\nlines\"\n4,Ba0.5Sr0.5Co0.8Fe0.2O3,Ångström\n5,Xe,\n";
        var text = Run(csv, new CsvFeaturizeOptions()).Output;
        foreach (var (chunk, threads) in new[] { (1, (int?)1), (2, 2), (4096, null) })
        {
            using var bytes = new MemoryStream();
            var report = CsvFeaturizer.Featurize(All, new StringReader(csv), "t.csv", bytes, null, new CsvFeaturizeOptions { ChunkSize = chunk, MaxDegreeOfParallelism = threads }).OrThrow();
            Assert.Equal(5, report.RowsWritten);
            Assert.Equal(Encoding.UTF8.GetBytes(text), bytes.ToArray());
        }
        Assert.Contains("\"a, b\"", text);
        Assert.Contains("Ångström", text);
    }

    [Fact]
    public void Parquet_HoldsTheSameColumnsAndCells_AsTheCsv_WithNaNAsNull()
    {
        var text = BundledText("matbench_expt_gap");
        var csv = Csv.Read(new StringReader(Run(text, new CsvFeaturizeOptions()).Output), "csv").OrThrow();
        using var parquet = new MemoryStream();
        var report = CsvFeaturizer.Featurize(All, new StringReader(text), "expt_gap", parquet, null,
            new CsvFeaturizeOptions { Format = TableFormat.Parquet, ChunkSize = 1000 }).OrThrow();
        Assert.Equal(4604, report.RowsWritten);
        parquet.Position = 0;
        Assert.Equal("PAR1", Encoding.ASCII.GetString(parquet.ToArray().AsSpan(0, 4)));
        var read = ParquetTables.Read(parquet, "parquet").OrThrow();
        Assert.Equal(csv.Header, read.Header);
        Assert.Equal(csv.Rows.Count, read.Rows.Count);
        var nulls = 0;
        for (var i = 0; i < csv.Rows.Count; i++)
        {
            Assert.Equal(csv.Rows[i], read.Rows[i]); // numbers round-trip bit for bit; NaN (empty in CSV) is null in Parquet
            nulls += read.Rows[i].Count(c => c.Length == 0);
        }
        Assert.True(nulls > 0, "expt_gap has NaN features (matminer's NaN pattern); they must be written as nulls");
    }

    [Fact]
    public void Parquet_ToATextWriter_IsAProblem()
    {
        var result = Run("composition\nFe\n", new CsvFeaturizeOptions { Format = TableFormat.Parquet }).Result;
        Assert.Equal("param.invalid_value", Assert.Single(result.Problems()).Code);
    }

    [Fact]
    public void Progress_IsReportedAfterEveryChunk_WithRowsReadWrittenAndSkipped()
    {
        var reports = new List<CsvFeaturizeProgress>();
        var csv = "composition\nFe\nXx2\nNaCl\nO2\nK\n";
        var options = new CsvFeaturizeOptions { ChunkSize = 2, OnError = RowErrorPolicy.Skip, Progress = new Synchronous<CsvFeaturizeProgress>(reports.Add) };
        var output = new StringWriter();
        CsvFeaturizer.Featurize(All, new StringReader(csv), "t", output, new StringWriter(), options).OrThrow();
        Assert.Equal([new CsvFeaturizeProgress(2, 1, 1), new CsvFeaturizeProgress(4, 3, 1), new CsvFeaturizeProgress(5, 4, 1)], reports);
    }

    /// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class Synchronous<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    [Fact]
    public void FileProblems_AreReported()
    {
        Assert.Equal("csv.missing_column", Assert.Single(Run("id,formula\n1,Fe\n", new CsvFeaturizeOptions()).Result.Problems()).Code);
        Assert.Equal("csv.no_rows", Assert.Single(Run("id,composition\n", new CsvFeaturizeOptions()).Result.Problems()).Code);
        Assert.Equal("csv.empty", Assert.Single(Run("", new CsvFeaturizeOptions()).Result.Problems()).Code);
        Assert.Equal("param.out_of_range", Assert.Single(Run("composition\nFe\n", new CsvFeaturizeOptions { ChunkSize = 0 }).Result.Problems()).Code);
        var noReport = CsvFeaturizer.Featurize(All, new StringReader("composition\nFe\n"), "x", TextWriter.Null, null, new CsvFeaturizeOptions { OnError = RowErrorPolicy.Skip });
        Assert.Equal("param.missing_report", Assert.Single(noReport.Problems()).Code);
    }

    [Fact]
    public void Input_IsStreamed_OutputStartsBeforeTheInputIsRead()
    {
        // 100,000 generated rows; the writer records how much input had been read when the first feature row arrived.
        var input = new GeneratedCsv(100_000);
        var output = new FirstWriteProbe(input);
        var report = CsvFeaturizer.Featurize(ElementProperty.Magpie, input, "generated", output, null, new CsvFeaturizeOptions { ChunkSize = 1000 }).OrThrow();
        Assert.Equal(100_000, report.RowsWritten);
        Assert.True(output.RowsReadAtFirstRow < 5_000, $"first row written after {output.RowsReadAtFirstRow} rows were read");
    }

    /// <summary>A CSV text of n rows made on the fly (never held in memory).</summary>
    private sealed class GeneratedCsv(int rows) : TextReader
    {
        private static readonly string[] Formulas = ["Fe2O3", "NaCl", "Ba0.5Sr0.5Co0.8Fe0.2O3", "Ag(AuS)2", "LiFePO4"];
        private string _line = "id,composition\n";
        private int _position;
        public int RowsProduced { get; private set; }

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            var written = 0;
            while (written < buffer.Length)
            {
                if (_position == _line.Length)
                {
                    if (RowsProduced == rows) break;
                    RowsProduced++;
                    _line = $"{RowsProduced},{Formulas[RowsProduced % Formulas.Length]}\n";
                    _position = 0;
                }
                var n = Math.Min(buffer.Length - written, _line.Length - _position);
                _line.AsSpan(_position, n).CopyTo(buffer[written..]);
                _position += n;
                written += n;
            }
            return written;
        }

        public override int Peek() => -1;

        public override int Read()
        {
            Span<char> one = stackalloc char[1];
            return Read(one) == 0 ? -1 : one[0];
        }
    }

    private sealed class FirstWriteProbe(GeneratedCsv input) : TextWriter
    {
        private int _writes;
        public int RowsReadAtFirstRow { get; private set; } = -1;
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(string? value)
        {
            if (++_writes == 2) RowsReadAtFirstRow = input.RowsProduced; // write 1 is the header
        }

        public override void Write(char value)
        {
        }
    }
}
