using FsCheck;
using FsCheck.Fluent;
using Pure.Materials.Core;
using Pure.Materials.Scale;
using Xunit;

namespace Pure.Materials.Properties;

/// <summary>Scalers round-trip, standardise and normalise their training rows, and the imputer fills exactly the missing values.</summary>
public class ScaleProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static bool Near(double expected, double actual, double tolerance) => Math.Abs(actual - expected) <= tolerance;

    [Fact]
    public void StandardScaler_InverseTransformOfTransform_GivesBackTheRows()
    {
        Check.One(Runs, Prop.ForAll(Generators.FeatureMatrix.ToArbitrary(), x =>
        {
            var model = StandardScaler.Fit(x).OrThrow();
            var back = StandardScaler.InverseTransform(model, StandardScaler.Transform(model, x));
            return Enumerable.Range(0, x.Rows).All(i => Enumerable.Range(0, x.Cols).All(j =>
                Near(x[i, j], back[i, j], 1e-12 * (Math.Abs(x[i, j]) + Math.Abs(model.Mean[j])) + 1e-300)));
        }));
    }

    [Fact]
    public void StandardScaler_TrainingColumns_HaveMeanZero_AndStdOne_OrAreConstantWithScaleOne()
    {
        Check.One(Runs, Prop.ForAll(Generators.FeatureMatrix.ToArbitrary(), x =>
        {
            var model = StandardScaler.Fit(x).OrThrow();
            var z = StandardScaler.Transform(model, x);
            return Enumerable.Range(0, x.Cols).All(j =>
            {
                var c = z.Column(j);
                var mean = c.Average();
                var std = Math.Sqrt(c.Select(v => (v - mean) * (v - mean)).Average());
                if (x.Column(j).Distinct().Count() == 1) return model.Scale[j] == 1.0 && std == 0.0;
                // Rounding of the column mean (n ulps) is amplified by |mean| / scale when the offset dwarfs the spread.
                var tolerance = 1e-12 * x.Rows * (1 + Math.Abs(model.Mean[j]) / model.Scale[j]);
                return Near(0.0, mean, tolerance) && Near(1.0, std, tolerance);
            });
        }));
    }

    [Fact]
    public void MinMaxScaler_MapsTrainingRowsIntoTheRange_AndRoundTrips()
    {
        var cases = from x in Generators.FeatureMatrix from lo in Gen.Choose(-5, 4) from width in Gen.Choose(1, 5) select (x, lo, hi: lo + width);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), t =>
        {
            var (x, lo, hi) = t;
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
        }));
    }

    [Fact]
    public void FittingTwice_GivesEqualModels_AndLeavesTheInputUnchanged()
    {
        Check.One(Runs, Prop.ForAll(Generators.FeatureMatrix.ToArbitrary(), x =>
        {
            var before = x.Data.ToArray();
            return StandardScaler.Fit(x).OrThrow() == StandardScaler.Fit(x).OrThrow()
                && MinMaxScaler.Fit(x).OrThrow() == MinMaxScaler.Fit(x).OrThrow()
                && MeanImputer.Fit(x).OrThrow() == MeanImputer.Fit(x).OrThrow()
                && x.Data.SequenceEqual(before);
        }));
    }

    [Fact]
    public void MeanImputer_FillsOnlyTheMissingValues_OrNamesTheColumnsWithNoValue()
    {
        Check.One(Runs, Prop.ForAll(Generators.FeatureMatrixWithMissing.ToArbitrary(), x =>
        {
            var empty = Enumerable.Range(0, x.Cols).Where(j => x.Column(j).All(double.IsNaN)).Select(j => j.ToString()).ToArray();
            var fit = MeanImputer.Fit(x);
            if (empty.Length > 0)
                return fit.Problems().All(p => p.Code == "data.all_missing_column")
                    && fit.Problems().Select(p => p.Column!).SequenceEqual(empty);
            var model = fit.OrThrow();
            var filled = MeanImputer.Transform(model, x);
            return Enumerable.Range(0, x.Rows).All(i => Enumerable.Range(0, x.Cols).All(j =>
                double.IsNaN(x[i, j]) ? filled[i, j] == model.Statistics[j] : filled[i, j] == x[i, j]))
                && Enumerable.Range(0, x.Cols).All(j =>
                {
                    var observed = x.Column(j).Where(v => !double.IsNaN(v)).ToArray();
                    return Near(observed.Average(), model.Statistics[j], 1e-12 * observed.Max(Math.Abs));
                });
        }));
    }
}
