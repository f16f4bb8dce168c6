using System.Xml.Linq;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Xunit;

namespace Pure.Materials.Tests.Evaluate;

/// <summary>SVG plots: well-formed, one mark per point or bin, axis titles with units, bad input as problems.</summary>
public class PlotsTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static Curve Sample(string xName) => new("mae", xName,
    [
        new CurvePoint(10, "10 rows", new MetricSummary(0.1, 0.01, 0.09, 0.11, 3), new MetricSummary(0.5, 0.05, 0.45, 0.55, 3)),
        new CurvePoint(50, "50 rows", new MetricSummary(0.2, 0.02, 0.18, 0.22, 3), new MetricSummary(0.3, 0.03, 0.27, 0.33, 3)),
        new CurvePoint(90, "90 rows", new MetricSummary(0.22, 0.02, 0.2, 0.24, 3), new MetricSummary(0.25, 0.02, 0.23, 0.27, 3)),
    ], 3);

    private static string[] Texts(XDocument d) => d.Descendants(Svg + "text").Select(t => t.Value).ToArray();

    [Fact]
    public void CurveSvg_DrawsTrainAndTestLines_WithUnitOnTheYAxis()
    {
        var svg = XDocument.Parse(Plots.CurveSvg(Sample("training rows"), new PlotOptions(Quantity: "band gap", Unit: "eV")).OrThrow());
        Assert.Equal(["train", "test"], svg.Descendants(Svg + "polyline").Select(p => (string)p.Attribute("class")!));
        Assert.Equal(6, svg.Descendants(Svg + "circle").Count());
        Assert.Contains("MAE (eV)", Texts(svg));
        Assert.Contains("Training-set size (rows)", Texts(svg));
        Assert.Contains("Learning curve", Texts(svg));
    }

    [Fact]
    public void CurveSvg_UsesALogAxis_ForParametersSpanningDecades()
    {
        var c = Sample("alpha") with { Points = Sample("alpha").Points.Select((p, i) => p with { X = Math.Pow(10, 2 * i - 2) }).ToArray() };
        var svg = XDocument.Parse(Plots.CurveSvg(c, new PlotOptions()).OrThrow());
        Assert.Contains("alpha (log scale)", Texts(svg));
        Assert.Contains("0.01", Texts(svg));
        Assert.Contains("100", Texts(svg));
    }

    [Fact]
    public void ResidualPlots_OneCirclePerPoint_OneBarPerBin()
    {
        double[] actual = [1, 2, 3, 4, 5, 6, 7, 8];
        double[] predicted = [1.1, 1.8, 3.3, 3.9, 5.2, 5.7, 7.4, 8.0];
        var residuals = XDocument.Parse(Plots.ResidualsSvg(actual, predicted, new PlotOptions(Quantity: "gap", Unit: "eV")).OrThrow());
        Assert.Equal(8, residuals.Descendants(Svg + "circle").Count());
        Assert.Single(residuals.Descendants(Svg + "line"), l => (string?)l.Attribute("class") == "zero");
        Assert.Contains("Residual, actual \u2212 predicted (eV)", Texts(residuals));
        var histogram = XDocument.Parse(Plots.ResidualHistogramSvg(actual, predicted, new PlotOptions(Unit: "eV")).OrThrow());
        Assert.Equal(4, histogram.Descendants(Svg + "rect").Count(r => (string?)r.Attribute("class") == "bar")); // Sturges: ceil(log2 8) + 1
        Assert.Contains("Count (rows)", Texts(histogram));
    }

    [Fact]
    public void Plots_ReportBadInput()
    {
        Assert.Contains(Plots.ResidualsSvg([1, 2], [1], new PlotOptions()).Problems(), p => p.Code == "shape.rows_mismatch");
        Assert.Contains(Plots.ResidualHistogramSvg([1, 2], [1, 2], new PlotOptions(), bins: 0).Problems(), p => p.Code == "param.out_of_range");
        Assert.Contains(Plots.CurveSvg(Sample("x"), new PlotOptions(Width: 50)).Problems(), p => p.Code == "param.out_of_range");
        Assert.Contains(Plots.ScatterSvg([1, double.NaN], [1, 2], null, "a", "b", new PlotOptions()).Problems(), p => p.Code == "data.nan_feature");
    }

    [Fact]
    public void ScatterSvg_ColoursByValue_WithAColourBar()
    {
        var svg = XDocument.Parse(Plots.ScatterSvg([0, 1, 2], [2, 1, 0], [0.0, 1.5, 3.0], "PC 1", "PC 2", new PlotOptions(Quantity: "gap", Unit: "eV")).OrThrow());
        var fills = svg.Descendants(Svg + "circle").Select(c => (string)c.Attribute("fill")!).ToArray();
        Assert.Equal("#440154", fills[0]);
        Assert.Equal("#fde725", fills[2]);
        Assert.Contains("gap (eV)", Texts(svg));
    }

    [Fact]
    public void TimeVsRowsSvg_IsLogLog_WithPowerOfTenTicks_AndTheSlopeOfLinearGrowth()
    {
        // Time exactly proportional to rows: slope 1, and every point on the dashed linear line.
        var svg = XDocument.Parse(Plots.TimeVsRowsSvg([("a", 1000, 2.0), ("b", 10000, 20.0), ("c", 100000, 200.0)], new PlotOptions()).OrThrow());
        var texts = Texts(svg);
        Assert.Contains("Rows (log scale)", texts);
        Assert.Contains("Time (seconds, log scale)", texts);
        foreach (var tick in new[] { "1000", "10000", "100000", "1", "10", "100", "1000" }) Assert.Contains(tick, texts);
        Assert.Contains("log-log slope 1.00 over 3 runs (1 = linear)", texts);
        Assert.Contains("b (20 s)", texts);
        var circles = svg.Descendants(Svg + "circle").Where(c => (string?)c.Attribute("class") == "run").ToArray();
        Assert.Equal(3, circles.Length);
        double N(XElement e, string a) => double.Parse((string)e.Attribute(a)!, System.Globalization.CultureInfo.InvariantCulture);
        // Equal steps in log10 rows and log10 seconds: equally spaced points on a straight line.
        Assert.Equal(N(circles[1], "cx") - N(circles[0], "cx"), N(circles[2], "cx") - N(circles[1], "cx"), 0.02);
        Assert.Equal(N(circles[1], "cy") - N(circles[0], "cy"), N(circles[2], "cy") - N(circles[1], "cy"), 0.02);
        var line = Assert.Single(svg.Descendants(Svg + "line"), l => (string?)l.Attribute("class") == "linear");
        var slope = (N(line, "y2") - N(line, "y1")) / (N(line, "x2") - N(line, "x1"));
        Assert.Equal(slope, (N(circles[2], "cy") - N(circles[0], "cy")) / (N(circles[2], "cx") - N(circles[0], "cx")), 0.01);
    }

    [Fact]
    public void TimeVsRowsSvg_RejectsNoRun_AndNonPositiveValues()
    {
        Assert.Equal("data.empty", Assert.Single(Plots.TimeVsRowsSvg([], new PlotOptions()).Problems()).Code);
        var p = Assert.Single(Plots.TimeVsRowsSvg([("jdft2d", 636, 0.0)], new PlotOptions()).Problems());
        Assert.Equal("param.out_of_range", p.Code);
        Assert.Contains("jdft2d", p.Message);
    }
}
