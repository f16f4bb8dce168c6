using System.Globalization;
using Xunit;

namespace Pure.Materials.Tests.Evaluate;

/// <summary>Reads the scikit-learn 1.2.1 reference files (Reference/sklearn-1.2.1/README.md) and compares at an explicit tolerance.</summary>
internal static class SklearnReference
{
    /// <summary>Relative tolerance: |actual - expected| &lt;= Rtol * |expected| + Atol.</summary>
    public const double Rtol = 1e-12;

    /// <summary>Absolute floor for values that are 0 in the reference (e.g. a standardised constant column).</summary>
    public const double Atol = 1e-14;

    /// <summary>Reads a reference CSV (plain commas, no quoting) as one dictionary per data row, keyed by header.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", file);
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var cells = l.Split(',');
            Assert.Equal(header.Length, cells.Length);
            return (IReadOnlyDictionary<string, string>)header.Zip(cells, (h, c) => (Key: h, Value: c)).ToDictionary(p => p.Key, p => p.Value);
        }).ToList();
    }

    /// <summary>Parses one round-trip double written by Python's repr (or NaN).</summary>
    public static double Num(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Parses a space-separated vector of doubles.</summary>
    public static double[] Vec(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Num).ToArray();

    /// <summary>Parses a space-separated vector of integers.</summary>
    public static int[] Ints(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Whether <paramref name="actual"/> matches <paramref name="expected"/> (NaN matches NaN only).</summary>
    public static bool Close(double expected, double actual) =>
        double.IsNaN(expected) ? double.IsNaN(actual) : Math.Abs(actual - expected) <= Rtol * Math.Abs(expected) + Atol;

    /// <summary>Asserts <see cref="Close"/>, naming the quantity in the failure.</summary>
    public static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Close(expected, actual), $"{what}: expected {expected:R}, got {actual:R} (rtol {Rtol}, atol {Atol})");
}
