using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Scale;

namespace Pure.Materials.Properties;

/// <summary>Scalers round-trip, standardise and normalise their training rows, and the imputer fills exactly the missing values.</summary>
[Properties(MaxTest = 300)]
public class ScaleProperties
{
    private static bool Near(double expected, double actual, double tolerance) => Math.Abs(actual - expected) <= tolerance;

    /// <summary>One-hot encoding of a random categorical column (codes of m values, some missing) beside a numeric one: on the
    /// training rows every block holds exactly one 1; on other rows at most one, none exactly when the category is unknown; the numeric
    /// column passes through; the names match the output width.</summary>
    [Property]
    public bool OneHotEncoder_TrainingRowsHaveOneOnePerBlock_OtherRowsAtMostOne_NumbersPassThrough(PositiveInt values, NonNegativeInt seed, PositiveInt rows)
    {
        var m = 1 + values.Get % 8;
        var n = 2 + rows.Get % 40;
        var random = new Random(seed.Get);
        var x = Matrix.Build(n, 3, (i, j) => j == 1 ? random.NextDouble() : random.Next(5) == 0 ? double.NaN : random.Next(m));
        var book = Enumerable.Range(0, m).Select(k => "v" + k).ToArray();
        var options = new OneHotEncoderOptions([new OneHotColumn(0, "a", book), new OneHotColumn(2, "b", book)]);
        var train = x.SelectRows([.. Enumerable.Range(0, n / 2 + 1)]);
        var model = OneHotEncoder.Fit(options, train).OrThrow();
        var unknown = OneHotEncoder.Unknown(model, x).Select(u => (u.Row, u.Column)).ToHashSet();
        var z = OneHotEncoder.Transform(model, x);
        var (wa, wb) = (model.Categories[0].Count, model.Categories[1].Count);
        bool Block(int i, int start, int width, string column) =>
            Enumerable.Range(start, width).Sum(j => z[i, j]) is var sum
            && Enumerable.Range(start, width).All(j => z[i, j] is 0.0 or 1.0)
            && (i <= n / 2 ? sum == 1.0 : sum == (unknown.Contains((i, column)) ? 0.0 : 1.0));
        return z.Cols == wa + 1 + wb && OneHotEncoder.FeatureNames(model, ["a", "num", "b"]).Count == z.Cols
            && Enumerable.Range(0, n).All(i => Block(i, 0, wa, "a") && z[i, wa] == x[i, 1] && Block(i, wa + 1, wb, "b"))
            && unknown.All(u => u.Row > n / 2);
    }

    [Property]
    public bool StandardScaler_InverseTransformOfTransform_GivesBackTheRows(Features features)
    {
        var x = features.Value;
        var model = StandardScaler.Fit(x).OrThrow();
        var back = StandardScaler.InverseTransform(model, StandardScaler.Transform(model, x));
        return Enumerable.Range(0, x.Rows).All(i => Enumerable.Range(0, x.Cols).All(j =>
            Near(x[i, j], back[i, j], 1e-12 * (Math.Abs(x[i, j]) + Math.Abs(model.Mean[j])) + 1e-300)));
    }

    [Property]
    public Property StandardScaler_TrainingColumns_HaveMeanZero_AndStdOne_OrAreConstantWithScaleOne(Features features)
    {
        var x = features.Value;
        var model = StandardScaler.Fit(x).OrThrow();
        var z = StandardScaler.Transform(model, x);
        var constantColumns = 0;
        var ok = Enumerable.Range(0, x.Cols).All(j =>
        {
            var c = z.Column(j);
            var mean = c.Average();
            var std = Math.Sqrt(c.Select(v => (v - mean) * (v - mean)).Average());
            // Both outcomes are checked: a constant column (one in four, and every 1-row matrix) has scale 1 and maps to 0.
            if (x.Column(j).Distinct().Count() == 1) { constantColumns++; return model.Scale[j] == 1.0 && std == 0.0; }
            // Rounding of the column mean (n ulps) is amplified by |mean| / scale when the offset dwarfs the spread.
            var tolerance = 1e-12 * x.Rows * (1 + Math.Abs(model.Mean[j]) / model.Scale[j]);
            return Near(0.0, mean, tolerance) && Near(1.0, std, tolerance);
        });
        return ok.Classify(constantColumns == x.Cols, "every column constant");
    }

    [Property]
    public bool MinMaxScaler_MapsTrainingRowsIntoTheRange_AndRoundTrips(Features features, FeatureRange range)
    {
        var (x, lo, hi) = (features.Value, range.Lo, range.Hi);
        var model = MinMaxScaler.Fit(new MinMaxScalerOptions(lo, hi), x).OrThrow();
        var s = MinMaxScaler.Transform(model, x);
        var back = MinMaxScaler.InverseTransform(model, s);
        // x * scale_ + min_ cancels two terms of size |data_min * scale_|, and the inverse (s - min_) / scale_ cancels terms
        // of size |feature_range|: rounding is relative to those, not to x (a constant column maps to lo exactly, as sklearn).
        double Tol(int j) => 1e-12 * (1 + Math.Abs(model.DataMin[j] * model.Scale[j]) + Math.Abs(model.DataMax[j] * model.Scale[j]));
        return Enumerable.Range(0, x.Rows).All(i => Enumerable.Range(0, x.Cols).All(j =>
            s[i, j] >= lo - Tol(j) && s[i, j] <= hi + Tol(j)
            && Near(x[i, j], back[i, j], 1e-12 * (Math.Abs(x[i, j]) + Math.Abs(model.DataMin[j]) + model.DataRange[j] + (Math.Abs(lo) + Math.Abs(hi)) / model.Scale[j]))
            && (x[i, j] != model.DataMin[j] || Near(lo, s[i, j], Tol(j)))
            && (x[i, j] != model.DataMax[j] || model.DataRange[j] == 0 || Near(hi, s[i, j], Tol(j)))));
    }

    [Property]
    public bool FittingTwice_GivesEqualModels_AndLeavesTheInputUnchanged(Features features)
    {
        var x = features.Value;
        var before = x.Data.ToArray();
        return StandardScaler.Fit(x).OrThrow() == StandardScaler.Fit(x).OrThrow()
            && MinMaxScaler.Fit(x).OrThrow() == MinMaxScaler.Fit(x).OrThrow()
            && MeanImputer.Fit(x).OrThrow() == MeanImputer.Fit(x).OrThrow()
            && x.Data.SequenceEqual(before);
    }

    [Property]
    public Property MeanImputer_FillsExactlyTheMissingValues_WithTheColumnMeans(FeaturesWithMissing features)
    {
        var x = features.Value;
        var model = MeanImputer.Fit(x).OrThrow();
        var filled = MeanImputer.Transform(model, x);
        var missing = x.Data.ToArray().Count(double.IsNaN);
        return (Enumerable.Range(0, x.Rows).All(i => Enumerable.Range(0, x.Cols).All(j =>
                double.IsNaN(x[i, j]) ? filled[i, j] == model.Statistics[j] : filled[i, j] == x[i, j]))
            && Enumerable.Range(0, x.Cols).All(j =>
            {
                var observed = x.Column(j).Where(v => !double.IsNaN(v)).ToArray();
                return Near(observed.Average(), model.Statistics[j], 1e-12 * observed.Max(Math.Abs));
            }))
            .Classify(missing == 0, "nothing missing");
    }

    [Property(MaxTest = 100)]
    public bool MeanImputer_NamesEveryColumnWithNoValue(FeaturesWithEmptyColumn features)
    {
        var x = features.Value;
        var empty = Enumerable.Range(0, x.Cols).Where(j => x.Column(j).All(double.IsNaN)).Select(j => j.ToString()).ToArray();
        var problems = MeanImputer.Fit(x).Problems();
        return empty.Length > 0 && problems.Length == empty.Length && problems.All(p => p.Code == "data.all_missing_column")
            && problems.Select(p => p.Column!).SequenceEqual(empty);
    }
}
