using System.Globalization;
using System.IO.Compression;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Xunit;

namespace Pure.Materials.Tests.Models.Linear;

/// <summary>Reads tools/reference/sklearn_linear.py's long-format reference file and the data sets it was computed on.</summary>
internal static class SklearnReference
{
    private static readonly Lazy<(string Case, string Params, string Quantity, int Index, string Value)[]> Rows = new(() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", "linear_models.csv"))
            .Where(l => !l.StartsWith('#')).Skip(1)
            .Select(l => l.Split(','))
            .Select(f => (f[0], f[1], f[2], int.Parse(f[3], CultureInfo.InvariantCulture), f[4]))
            .ToArray());

    public static string[] ParamSets(string model) => Rows.Value.Where(r => r.Case == model).Select(r => r.Params).Distinct().ToArray();

    public static Dictionary<string, string> Params(string text) =>
        text.Split(';').Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);

    public static string[] Strings(string model, string parameters, string quantity) =>
        Rows.Value.Where(r => r.Case == model && r.Params == parameters && r.Quantity == quantity).OrderBy(r => r.Index).Select(r => r.Value).ToArray();

    public static double[] Values(string model, string parameters, string quantity) =>
        Strings(model, parameters, quantity).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Perovskite: 36 standardised descriptors (StandardScaler on all rows) and Decomposition Energy.</summary>
    public static (Matrix X, double[] Y) Perovskite()
    {
        var table = BundledData.Open("perovskite_dft").OrThrow();
        var cols = table.Header.Where(h => h.StartsWith("A_") || h.StartsWith("B_") || h.StartsWith("X_")).ToArray();
        var ds = Dataset.FromTable(new DatasetSpec { TargetColumn = "Decomposition Energy", FeatureColumns = [.. cols] }, table).OrThrow();
        var scaler = Pure.Materials.Scale.StandardScaler.Fit(ds.ColumnFeatures).OrThrow();
        return (Pure.Materials.Scale.StandardScaler.Transform(scaler, ds.ColumnFeatures), ds.Target!.ToArray());
    }

    /// <summary>The script's split: train rows with index % 5 != 0, test rows with index % 5 == 0.</summary>
    public static (int[] Train, int[] Test) FiveFoldSplit(int n) =>
        (Enumerable.Range(0, n).Where(i => i % 5 != 0).ToArray(), Enumerable.Range(0, n).Where(i => i % 5 == 0).ToArray());

    /// <summary>expt_gap Magpie columns (matminer 0.9.0 reference file), standardised, and the gap.</summary>
    public static (Matrix X, double[] Y) MagpieExptGap(string[] columns)
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Reference", "matminer-0.9.0", "composition_expt_gap.csv.gz"));
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        var table = Csv.Read(reader, "composition_expt_gap.csv.gz").OrThrow();
        var idx = columns.Select(c => Array.IndexOf(table.Header.ToArray(), c)).ToArray();
        Assert.DoesNotContain(-1, idx);
        var rows = table.Rows.Select(r => idx.Select(j => double.Parse(r[j], CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var x = Matrix.FromRows(rows);
        var gap = BundledData.Open("matbench_expt_gap").OrThrow();
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "gap expt" }, gap).OrThrow();
        var scaler = Pure.Materials.Scale.StandardScaler.Fit(x).OrThrow();
        return (Pure.Materials.Scale.StandardScaler.Transform(scaler, x), ds.Target!.ToArray());
    }

    public static void Close(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(Math.Abs(expected), 1e-8),
            $"{what}: expected {expected:R}, got {actual:R} (relative tolerance {relative})");

    public static void AllClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relative, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++) Close(expected[i], actual[i], relative, $"{what}[{i}]");
    }
}
