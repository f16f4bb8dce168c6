using System.Globalization;
using System.IO.Compression;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Xunit;

namespace Pure.Materials.Tests.Featurize;

/// <summary>ElementProperty.Magpie against matminer v0.9.0 outputs (Reference/matminer-0.9.0/README.md), at 1e-9 relative.</summary>
public class MagpieParityTests
{
    private const double RelativeTolerance = 1e-9;

    internal static CsvTable ReadReference(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", "matminer-0.9.0", file);
        using var stream = File.OpenRead(path);
        using var reader = file.EndsWith(".gz", StringComparison.Ordinal)
            ? new StreamReader(new GZipStream(stream, CompressionMode.Decompress))
            : new StreamReader(stream);
        return Csv.Read(reader, file).OrThrow();
    }

    /// <summary>Compares every Magpie column of a reference file; returns (cells compared, NaN cells).</summary>
    internal static (int Compared, int NaNs) AssertMagpieMatches(CsvTable reference, ICompositionFeaturizer featurizer)
    {
        var labels = featurizer.Labels;
        var columns = labels.Select(l => reference.ColumnIndex(l).OrThrow()).ToArray();
        var formulaColumn = reference.ColumnIndex("composition").OrThrow();
        var buffer = new double[labels.Count];
        int compared = 0, nans = 0;
        var failures = new List<string>();
        for (var r = 0; r < reference.Rows.Count; r++)
        {
            var row = reference.Rows[r];
            var composition = Composition.Parse(row[formulaColumn]).OrThrow();
            featurizer.Featurize(composition, buffer);
            for (var j = 0; j < labels.Count; j++)
            {
                var cell = row[columns[j]];
                var expected = cell.Length == 0 ? double.NaN : double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
                var actual = buffer[j];
                compared++;
                if (double.IsNaN(expected))
                {
                    nans++;
                    if (!double.IsNaN(actual)) failures.Add($"{row[formulaColumn]} {labels[j]}: expected NaN, got {actual:R}");
                }
                else if (!(Math.Abs(actual - expected) <= RelativeTolerance * Math.Abs(expected) + 1e-12))
                {
                    failures.Add($"{row[formulaColumn]} {labels[j]}: expected {expected:R}, got {actual:R}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} mismatches, first: {string.Join("; ", failures.Take(10))}");
        return (compared, nans);
    }

    [Fact]
    public void Magpie_MatchesMatminer_OnEveryRowOfCompositionSmall()
    {
        var (compared, nans) = AssertMagpieMatches(ReadReference("composition_small.csv"), ElementProperty.Magpie);
        Assert.Equal(220 * 132, compared);
        Assert.True(nans > 0, "the edge-case file has NaN-producing elements; NaN must be reproduced");
    }

    [Fact]
    public void Magpie_MatchesMatminer_OnEveryRowOfExptGap()
    {
        var (compared, _) = AssertMagpieMatches(ReadReference("composition_expt_gap.csv.gz"), ElementProperty.Magpie);
        Assert.Equal(4604 * 132, compared);
    }

    [Fact]
    public void Magpie_LabelsAreMatminers_InOrder()
    {
        var reference = ReadReference("composition_small.csv");
        var magpieColumns = reference.Header.Where(h => h.StartsWith("MagpieData ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(magpieColumns, ElementProperty.Magpie.Labels);
        Assert.Equal(132, ElementProperty.Magpie.Labels.Count);
    }

    [Fact]
    public void Magpie_Fe2O3_MeanNumberIs15_2()
    {
        var x = ElementProperty.Magpie.Featurize(Composition.Parse("Fe2O3").OrThrow());
        var label = ElementProperty.Magpie.Labels.ToList();
        Assert.Equal((2 * 26 + 3 * 8) / 5.0, x[label.IndexOf("MagpieData mean Number")], 12);
        Assert.Equal(8.0, x[label.IndexOf("MagpieData minimum Number")]);
        Assert.Equal(26.0, x[label.IndexOf("MagpieData maximum Number")]);
        Assert.Equal(18.0, x[label.IndexOf("MagpieData range Number")]);
        // avg_dev = (2*|26-15.2| + 3*|8-15.2|)/5 = 8.64; mode = value of the most abundant element (O).
        Assert.Equal(8.64, x[label.IndexOf("MagpieData avg_dev Number")], 12);
        Assert.Equal(8.0, x[label.IndexOf("MagpieData mode Number")]);
    }

    [Fact]
    public void Magpie_ModeTie_TakesTheSmallestValue()
    {
        var x = ElementProperty.Magpie.Featurize(Composition.Parse("NaCl").OrThrow());
        var label = ElementProperty.Magpie.Labels.ToList();
        Assert.Equal(11.0, x[label.IndexOf("MagpieData mode Number")]);
    }

    [Fact]
    public void TableMean_ImputesMissingElementValues_AndKeepsPresentOnes()
    {
        // GSbandgap / SpaceGroupNumber etc. are missing for some heavy elements; NaN by default, finite with TableMean.
        var withNaN = ElementProperty.Magpie.Featurize(Composition.Parse("NoO").OrThrow());
        var imputed = ElementProperty.Magpie.WithMissing(MissingElementValue.TableMean).Featurize(Composition.Parse("NoO").OrThrow());
        Assert.Contains(withNaN, double.IsNaN);
        Assert.DoesNotContain(imputed, double.IsNaN);
        for (var j = 0; j < withNaN.Length; j++)
            if (!double.IsNaN(withNaN[j])) Assert.Equal(withNaN[j], imputed[j]);
    }

    [Fact]
    public void Create_ReportsEveryUnknownProperty()
    {
        var result = ElementProperty.Create("magpie", ["MeltingT", "Nope", "AlsoNope"], [Statistic.Mean]);
        var problems = result.Problems();
        Assert.Equal(2, problems.Length);
        Assert.All(problems, p => Assert.Equal("param.unknown_property", p.Code));
    }
}
