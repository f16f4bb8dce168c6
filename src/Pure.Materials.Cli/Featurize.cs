using System.Diagnostics;
using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;

namespace Pure.Materials.Cli;

internal sealed record FeaturizeArgs(string Data, string FormulaColumn, string Featurizers, string? IdColumn, string ElementValues, string Out);

/// <summary>The <c>featurize</c> command: one output row per input row, id and formula first, then the features.</summary>
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
        if (missing is null)
            return [new Problem("param.invalid_value", $"--element-values {a.ElementValues} is not accepted; use nan or table-mean")];
        var run =
            from featurizers in CompositionFeaturizers.Parse(a.Featurizers, missing.Value)
            from table in BundledData.OpenPathOrName(a.Data)
            from dataset in Dataset.FromTable(new DatasetSpec { FormulaColumn = a.FormulaColumn, IdColumn = a.IdColumn }, table)
            from features in CompositionFeaturizers.Build(featurizers, dataset)
            select (dataset, features);
        if (run.IsFail) return run.Problems();
        var (ds, fs) = run.OrThrow();
        var featurizeSeconds = clock.Elapsed.TotalSeconds;
        var dir = Path.GetDirectoryName(Path.GetFullPath(a.Out));
        if (dir is not null) Directory.CreateDirectory(dir);
        using (var writer = new StreamWriter(a.Out))
        {
            Csv.Write(writer, ["id", a.FormulaColumn, .. fs.Labels],
                Enumerable.Range(0, ds.Count).Select(i => (IEnumerable<string>)[ds.Ids[i], ds.Formulas![i], .. ToStrings(fs.X.Row(i))]));
        }
        Console.WriteLine($"featurized {ds.Count} rows x {fs.Labels.Count} features in {featurizeSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s (total {clock.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s); wrote {a.Out}");
        return [];
    }

    private static string[] ToStrings(ReadOnlySpan<double> row)
    {
        var s = new string[row.Length];
        for (var j = 0; j < row.Length; j++) s[j] = Csv.Format(row[j]);
        return s;
    }
}
