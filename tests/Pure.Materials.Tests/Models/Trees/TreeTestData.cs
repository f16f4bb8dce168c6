using System.Globalization;
using Pure.Materials.Core;
using Xunit;

namespace Pure.Materials.Tests.Models.Trees;

/// <summary>Synthetic data and scikit-learn reference readers shared by the tree tests.</summary>
internal static class TreeTestData
{
    /// <summary>y = sin(x0) + x1^2 + noise, x uniform in [-2, 2]; extra columns are irrelevant.</summary>
    public static (Matrix X, double[] Y) Synthetic(int n, int p, double noise, long seed)
    {
        var cursor = Rng.FromSeed(seed);
        var data = new double[n * p];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
            {
                (var u, cursor) = cursor.NextDouble();
                data[i * p + j] = 4 * u - 2;
            }
            var e = 0.0;
            for (var k = 0; k < 4; k++)
            {
                (var u, cursor) = cursor.NextDouble();
                e += u - 0.5;
            }
            y[i] = Math.Sin(data[i * p]) + (p > 1 ? data[i * p + 1] * data[i * p + 1] : 0) + noise * e * Math.Sqrt(3);
        }
        return (Matrix.FromRowMajor(n, p, data), y);
    }

    public static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    /// <summary>Asserts |actual - expected| &lt;= rtol |expected| + atol element-wise.</summary>
    public static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what, double rtol = 1e-12, double atol = 1e-13)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= rtol * Math.Abs(expected[i]) + atol,
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (rtol {rtol}, atol {atol})");
    }

    private static IEnumerable<string[]> ReadReference(string file) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", file))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Skip(1).Select(l => l.Split(','));

    private static double Num(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The 80 training rows, their targets and the 40 test rows of <c>random_forest_data.csv</c>.</summary>
    public static (Matrix XTrain, double[] YTrain, Matrix XTest) ReferenceData()
    {
        var rows = ReadReference("random_forest_data.csv").ToList();
        Matrix X(string set) => Matrix.FromRows(rows.Where(r => r[0] == set).Select(r => r.Skip(2).Take(4).Select(Num).ToArray()).ToList());
        return (X("train"), rows.Where(r => r[0] == "train").Select(r => Num(r[6])).ToArray(), X("test"));
    }

    /// <summary>One case of a long-format reference file: quantity name to values by index.</summary>
    public static Dictionary<string, List<double>> ReferenceCase(string file, string name)
    {
        var result = new Dictionary<string, List<double>>();
        foreach (var r in ReadReference(file))
        {
            if (r[0] != name || r[1] == "params") continue;
            if (!result.TryGetValue(r[1], out var list)) result[r[1]] = list = [];
            Assert.Equal(list.Count, int.Parse(r[2], CultureInfo.InvariantCulture));
            list.Add(Num(r[3]));
        }
        Assert.NotEmpty(result);
        return result;
    }
}
