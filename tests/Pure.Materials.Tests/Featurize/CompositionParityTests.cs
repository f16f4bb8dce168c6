using System.Globalization;
using System.IO.Compression;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Xunit;
using Xunit.Abstractions;

namespace Pure.Materials.Tests.Featurize;

/// <summary>
/// Every composition featurizer against reference files, at 1e-9 relative (pure relative: no absolute slack), NaN exactly where
/// the reference has NaN:
/// matminer v0.9.0's own outputs for the 249 columns of magpie + stoichiometry + valence-orbital + element-fraction
/// (Reference/matminer-0.9.0), and the independent Python re-implementation for matminer preset, tmetal-fraction, band-center
/// and ion-property (Reference/independent-matminer-0.9.0, not matminer output; see its README).
/// </summary>
public class CompositionParityTests(ITestOutputHelper output)
{
    private const double RelativeTolerance = 1e-9;

    internal static CsvTable ReadReference(string folder, string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", folder, file);
        using var stream = File.OpenRead(path);
        using var reader = file.EndsWith(".gz", StringComparison.Ordinal)
            ? new StreamReader(new GZipStream(stream, CompressionMode.Decompress))
            : new StreamReader(stream);
        return Csv.Read(reader, file).OrThrow();
    }

    /// <summary>Compares every labelled column of the featurizer with the reference table; returns cells compared, NaN cells and the largest relative difference.</summary>
    internal static (int Compared, int NaNs, double MaxRelative) Compare(CsvTable reference, ICompositionFeaturizer featurizer)
    {
        var labels = featurizer.Labels;
        var columns = labels.Select(l => reference.ColumnIndex(l).OrThrow()).ToArray();
        var formula = reference.ColumnIndex("composition").OrThrow();
        var buffer = new double[labels.Count];
        int compared = 0, nans = 0;
        var maxRelative = 0.0;
        var failures = new List<string>();
        foreach (var row in reference.Rows)
        {
            featurizer.Featurize(Composition.Parse(row[formula]).OrThrow(), buffer);
            for (var j = 0; j < labels.Count; j++)
            {
                var cell = row[columns[j]];
                var expected = cell.Length == 0 ? double.NaN : double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
                var actual = buffer[j];
                compared++;
                if (double.IsNaN(expected) || double.IsNaN(actual))
                {
                    if (double.IsNaN(expected)) nans++;
                    if (double.IsNaN(expected) != double.IsNaN(actual)) failures.Add($"{row[formula]} {labels[j]}: expected {expected:R}, got {actual:R}");
                    continue;
                }
                var diff = Math.Abs(actual - expected);
                var relative = diff == 0 ? 0 : diff / Math.Max(Math.Abs(expected), Math.Abs(actual));
                maxRelative = Math.Max(maxRelative, relative);
                if (relative > RelativeTolerance) failures.Add($"{row[formula]} {labels[j]}: expected {expected:R}, got {actual:R}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} mismatches, first: {string.Join("; ", failures.Take(10))}");
        return (compared, nans, maxRelative);
    }

    private static MultipleFeaturizer MatminerReferenceColumns() =>
        MultipleFeaturizer.Create([ElementProperty.Magpie, Stoichiometry.Default, ValenceOrbital.Default, ElementFraction.Default]).OrThrow();

    private static MultipleFeaturizer IndependentReferenceColumns() =>
        MultipleFeaturizer.Create([ElementProperty.Matminer, TMetalFraction.Default, BandCenter.Default, IonProperty.Default]).OrThrow();

    [Fact]
    public void All249Columns_AreMatminersLabels_InOrder()
    {
        var reference = ReadReference("matminer-0.9.0", "composition_small.csv");
        Assert.Equal(reference.Header.Skip(1), MatminerReferenceColumns().Labels);
        Assert.Equal(249, MatminerReferenceColumns().Labels.Count);
    }

    [Theory]
    [InlineData("composition_small.csv", 220)]
    [InlineData("composition_expt_gap.csv.gz", 4604)]
    public void All249Columns_MatchMatminer(string file, int rows)
    {
        var (compared, nans, maxRelative) = Compare(ReadReference("matminer-0.9.0", file), MatminerReferenceColumns());
        output.WriteLine($"{file}: {compared} cells ({rows} rows x 249 columns), {nans} NaN, max relative difference {maxRelative:E2}");
        Assert.Equal(rows * 249, compared);
    }

    [Fact]
    public void IndependentColumns_AreInTheReferenceFile_InOrder()
    {
        var reference = ReadReference("independent-matminer-0.9.0", "composition_small_extra.csv");
        Assert.Equal(reference.Header.Skip(1), IndependentReferenceColumns().Labels);
        Assert.Equal(65 + 1 + 1 + 3, IndependentReferenceColumns().Labels.Count);
    }

    [Theory]
    [InlineData("composition_small_extra.csv", 220)]
    [InlineData("composition_expt_gap_extra.csv.gz", 4604)]
    public void MatminerPreset_TMetal_BandCenter_IonProperty_MatchIndependentReference(string file, int rows)
    {
        var (compared, nans, maxRelative) = Compare(ReadReference("independent-matminer-0.9.0", file), IndependentReferenceColumns());
        output.WriteLine($"{file}: {compared} cells ({rows} rows x 70 columns), {nans} NaN, max relative difference {maxRelative:E2}");
        Assert.Equal(rows * 70, compared);
    }
}
