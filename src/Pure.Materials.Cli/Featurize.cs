using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;

namespace Pure.Materials.Cli;

internal sealed record FeaturizeArgs(
    string Data, string FormulaColumn, string Featurizers, string? IdColumn, string ElementValues, string Out,
    string OnError = "stop", string? SkippedReport = null, int ChunkSize = 4096)
{
    /// <summary><c>--molecular-cations</c> as given, or null for none.</summary>
    public string? MolecularCations { get; init; }
}

/// <summary>The <c>featurize</c> command: one output row per input row, its input columns first (id, formula, target, fold, any
/// other, unchanged), then the features, as matminer's <c>featurize_dataframe</c>.</summary>
/// <remarks>
/// Streams the input (<see cref="CsvFeaturizer"/>): rows are read one by one, featurized in parallel chunks and written in order,
/// so a file of any length featurizes in bounded memory. The features go to <c>OUT.tmp</c>, renamed to <c>OUT</c> only on
/// success. <c>--on-error stop</c> (default) stops at the first bad row and names it; <c>--on-error skip</c> leaves bad rows out
/// and lists them (row, id, formula, code, message) in the skipped-rows report (default <c>OUT.skipped.csv</c>).
/// </remarks>
internal static class Featurize
{
    public static IReadOnlyList<Problem> Run(FeaturizeArgs a)
    {
        var clock = Stopwatch.StartNew();
        var missing = a.ElementValues switch
        {
            "nan" => MissingElementValue.NaN,
            "table-mean" => MissingElementValue.TableMean,
            _ => (MissingElementValue?)null,
        };
        var policy = a.OnError switch
        {
            "stop" => RowErrorPolicy.Stop,
            "skip" => RowErrorPolicy.Skip,
            _ => (RowErrorPolicy?)null,
        };
        var problems = new List<Problem>();
        if (missing is null) problems.Add(new Problem("param.invalid_value", $"--element-values {a.ElementValues} is not accepted; use nan or table-mean"));
        if (policy is null) problems.Add(new Problem("param.invalid_value", $"--on-error {a.OnError} is not accepted; use stop or skip"));
        if (a.ChunkSize < 1 || a.ChunkSize > MaxChunkSize)
            problems.Add(new Problem("param.out_of_range",
                $"--chunk-size {a.ChunkSize} is not allowed; use 1 to {MaxChunkSize} rows (default 4096; memory grows with about three chunks)"));
        var cations = CvCommand.ParseCations(a.MolecularCations, problems);
        if (problems.Count > 0) return problems;

        var parsed = CompositionFeaturizers.Parse(a.Featurizers, missing!.Value).Bind(fs => MultipleFeaturizer.Create(fs));
        if (parsed.IsFail) return parsed.Problems();
        var featurizer = parsed.OrThrow();

        var opened = OpenInput(a.Data);
        if (opened.IsFail) return opened.Problems();
        var input = opened.OrThrow();

        // Outputs go to temporary names (never to a file the run did not create) and are renamed only on success.
        var outPath = Path.GetFullPath(a.Out);
        var dir = Path.GetDirectoryName(outPath);
        if (dir is not null) Directory.CreateDirectory(dir);
        var tmp = Outputs.Temporary(outPath);
        var skippedPath = policy == RowErrorPolicy.Skip ? Path.GetFullPath(a.SkippedReport ?? outPath + ".skipped.csv") : null;
        var skippedTmp = skippedPath is null ? null : Outputs.Temporary(skippedPath);
        var options = new CsvFeaturizeOptions { FormulaColumn = a.FormulaColumn, IdColumn = a.IdColumn, OnError = policy!.Value, ChunkSize = a.ChunkSize, MolecularCations = cations, Format = TableWriter.FormatOf(a.Out) };
        var utf8 = new UTF8Encoding(false);
        LanguageExt.Validation<Problem, CsvFeaturizeReport> result;
        using (input)
        using (var output = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var skipped = skippedTmp is null ? null : new StreamWriter(skippedTmp, false, utf8))
        {
            // Progress: rows read, and the share of the input's bytes consumed (the reader's position; read on the reading thread).
            var stream = input.BaseStream;
            var total = File.Exists(a.Data) ? new FileInfo(a.Data).Length : stream.CanSeek ? stream.Length : 0;
            result = LiveProgress.Run("featurize", "rows", reporter => CsvFeaturizer.Featurize(featurizer, input, a.Data, output, skipped,
                options with
                {
                    Progress = new CallbackProgress<CsvFeaturizeProgress>(p =>
                        reporter.Report(total > 0 ? (double)stream.Position / total : double.NaN, p.RowsRead)),
                }));
        }
        if (result.IsFail)
        {
            Outputs.DeletePending();
            return result.Problems();
        }
        var report = result.OrThrow();
        if (report.RowsWritten == 0)
        {
            // Nothing featurized: a failure, not an empty success. The skipped-rows report is kept: it says why.
            Outputs.Commit([(skippedTmp!, skippedPath!)]);
            Outputs.DeletePending();
            return [new Problem("featurize.all_rows_skipped",
                $"all {report.RowsRead} rows of {a.Data} failed and were skipped, so nothing was written to {a.Out}; the reasons are listed in {skippedPath} (check --formula-column and the formulas)")];
        }
        Outputs.Commit(skippedPath is null ? [(tmp, outPath)] : [(skippedTmp!, skippedPath), (tmp, outPath)]);
        var seconds = clock.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        Console.WriteLine($"featurized {report.RowsWritten} rows x {report.Features} features in {seconds} s; wrote {a.Out}");
        if (skippedPath is not null)
        {
            var line = $"skipped {report.RowsSkipped} of {report.RowsRead} rows; listed in {skippedPath}";
            if (report.RowsSkipped > 0) Console.Error.WriteLine($"warning: {line}");
            else Console.WriteLine(line);
        }
        return [];
    }

    /// <summary>Largest <c>--chunk-size</c>: 2^20 rows (a chunk holds a few references per row; larger chunks gain nothing).</summary>
    internal const int MaxChunkSize = 1 << 20;

    /// <summary>Opens a CSV file (checked to be CSV text, opened once), or a bundled dataset when no such file exists and the name is bundled.</summary>
    private static LanguageExt.Validation<Problem, StreamReader> OpenInput(string pathOrName)
    {
        if (File.Exists(pathOrName)) return Csv.OpenChecked(pathOrName).Map(s => new StreamReader(s, Encoding.UTF8, true, 1 << 16));
        if (!BundledData.Names.Contains(pathOrName))
            return Valid.Fail<StreamReader>("io.not_found", $"file '{pathOrName}' does not exist; check the path or pass a bundled dataset name ({string.Join(", ", BundledData.Names)})");
        return Valid.Ok(new StreamReader(BundledData.OpenStream(pathOrName), Encoding.UTF8, true, 1 << 16));
    }
}

/// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread (<see cref="Progress{T}"/> posts to the thread pool).</summary>
internal sealed class CallbackProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
