using System.Globalization;
using System.Xml.Linq;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Xunit;

namespace Pure.Materials.Tests.Evaluate;

public class ParityPlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static (double[] Actual, double[] Predicted, int[] Folds) Sample(int n)
    {
        var rng = Rng.FromSeed(7);
        var actual = new double[n];
        var predicted = new double[n];
        var folds = new int[n];
        for (var i = 0; i < n; i++)
        {
            (var a, rng) = rng.NextDouble();
            (var e, rng) = rng.NextDouble();
            actual[i] = 4 * a;
            predicted[i] = actual[i] + (e - 0.5);
            folds[i] = i % 5;
        }
        return (actual, predicted, folds);
    }

    [Fact]
    public void ToSvg_ParsesAsXml_WithOneCirclePerPointAndTheParityLine()
    {
        var (actual, predicted, _) = Sample(57);

        var svg = ParityPlot.ToSvg(actual, predicted, new ParityPlotOptions { Quantity = "band gap", Unit = "eV" });

        var doc = XDocument.Parse(svg);
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.Equal(57, doc.Descendants(Svg + "circle").Count());
        var line = Assert.Single(doc.Descendants(Svg + "line"), l => (string?)l.Attribute("class") == "parity");
        // y = x at 45 degrees: equal axis ranges make the line's horizontal and vertical extents equal.
        double X(string a) => double.Parse((string)line.Attribute(a)!, CultureInfo.InvariantCulture);
        Assert.Equal(X("x2") - X("x1"), X("y1") - X("y2"), 6);
        Assert.True(X("x2") > X("x1"));
    }

    [Fact]
    public void ToSvg_HasAxisTitlesWithUnits_NumberedTicks_AndMetricsLegend()
    {
        var (actual, predicted, _) = Sample(20);
        var mae = Metrics.Mae(actual, predicted);

        var doc = XDocument.Parse(ParityPlot.ToSvg(actual, predicted, new ParityPlotOptions { Title = "RF on expt_gap", Quantity = "band gap", Unit = "eV" }));

        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("Actual band gap (eV)", texts);
        Assert.Contains("Predicted band gap (eV)", texts);
        Assert.Contains("RF on expt_gap", texts);
        Assert.Contains($"MAE = {mae.ToString("G4", CultureInfo.InvariantCulture)} eV", texts);
        Assert.Contains(texts, t => t.StartsWith("R\u00b2 = ", StringComparison.Ordinal));
        Assert.Contains("n = 20", texts);
        var ticks = texts.Where(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _)).ToList();
        Assert.True(ticks.Count >= 6, $"expected numbered ticks on both axes, found {ticks.Count}");
        Assert.Equal(ticks.Count / 2, ticks.Distinct().Count()); // the same numbers on both axes
    }

    [Fact]
    public void ToSvg_ColoursPointsByFold_AndListsTheFoldsInTheLegend()
    {
        var (actual, predicted, folds) = Sample(30);

        var doc = XDocument.Parse(ParityPlot.ToSvg(actual, predicted, new ParityPlotOptions { Folds = folds }));

        var circles = doc.Descendants(Svg + "circle").ToList();
        Assert.Equal(30, circles.Count);
        Assert.Equal(5, circles.Select(c => (string)c.Attribute("fill")!).Distinct().Count());
        Assert.All(circles, c => Assert.Equal("0.5", (string)c.Attribute("fill-opacity")!));
        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        for (var f = 0; f < 5; f++) Assert.Contains($"fold {f}", texts);
    }

    [Fact]
    public void ToSvg_EscapesMarkupInTitles()
    {
        var svg = ParityPlot.ToSvg([1.0, 2.0, 3.0], [1.1, 1.9, 3.2], new ParityPlotOptions { Title = "<Fe2O3 & \"co\">", Quantity = "E_f", Unit = "eV/atom" });

        var doc = XDocument.Parse(svg);
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "<Fe2O3 & \"co\">");
    }

    [Fact]
    public void ToSvg_HandlesIdenticalValues()
    {
        var doc = XDocument.Parse(ParityPlot.ToSvg([2.0, 2.0, 2.0], [2.0, 2.0, 2.0], new ParityPlotOptions()));
        Assert.Equal(3, doc.Descendants(Svg + "circle").Count());
    }

    [Fact]
    public void TryToSvg_ReportsBadInput_AsProblems()
    {
        var problems = ParityPlot.TryToSvg([1.0, double.NaN, 3.0], [1.0, 2.0, 3.0],
            new ParityPlotOptions { Folds = [0, 1], Opacity = 0 }).Problems();

        Assert.Contains(problems, p => p.Code == "data.nan_target" && p.Row == 2);
        Assert.Contains(problems, p => p.Code == "shape.rows_mismatch");
        Assert.Contains(problems, p => p.Code == "param.out_of_range");
        Assert.Equal("fold.negative_label",
            Assert.Single(ParityPlot.TryToSvg([1.0, 2.0], [1.0, 2.0], new ParityPlotOptions { Folds = [0, -1] }).Problems()).Code);
    }

    [Fact]
    public void ToSvg_Throws_OnInputThatTryToSvgRejects()
    {
        var e = Assert.Throws<ArgumentException>(() => ParityPlot.ToSvg([1.0, 2.0], [1.0], new ParityPlotOptions()));
        Assert.Contains("shape.rows_mismatch", e.Message);
    }
}
