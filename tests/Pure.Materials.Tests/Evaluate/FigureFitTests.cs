using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Pure.Materials.Active;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Pure.Materials.Models.Explain;
using Xunit;

namespace Pure.Materials.Tests.Evaluate;

/// <summary>
/// Paper-ready figures: for every plot kind the library draws, every text element lies inside the SVG's viewBox (its box
/// estimated with <see cref="SvgText"/>'s DejaVu Sans widths, ascent 0.93 em and descent 0.24 em as the font's line box), every numeric axis has ticks,
/// and axis titles carry units when the target has one. Inputs are realistic and long: Matbench names, 4,604 heavy-tailed
/// residuals, long feature labels, long class names.
/// </summary>
public class FigureFitTests
{
    private const string LongTitle = "rf (n_estimators=100) on matbench_expt_is_metal_with_a_long_file_name: out-of-fold predictions";

    private static (double[] Actual, double[] Predicted) Residuals(int n)
    {
        var rng = new Random(7);
        var actual = new double[n];
        var predicted = new double[n];
        for (var i = 0; i < n; i++)
        {
            actual[i] = i % 2 == 0 ? 0 : 0.5 + 6 * rng.NextDouble();
            // Mostly small errors, a few very large ones (as band gaps give).
            var e = rng.NextDouble() < 0.02 ? 8 * (rng.NextDouble() - 0.3) : 0.3 * (rng.NextDouble() - 0.5);
            predicted[i] = actual[i] + e;
        }
        return (actual, predicted);
    }

    /// <summary>Every figure kind, named.</summary>
    public static TheoryData<string> Kinds() =>
        ["parity", "residuals", "residual_histogram", "learning_curve", "validation_curve", "loss", "scatter", "clusters", "confusion",
         "confusion_many", "importance", "best_found", "time_vs_rows"];

    internal static string Draw(string kind)
    {
        var (a, p) = Residuals(4604);
        var options = new PlotOptions(Title: LongTitle, Quantity: "gap expt", Unit: "eV");
        MetricSummary S(double m) => new(m, 0.1 * m, 0.8 * m, 1.2 * m, 5);
        Curve curve(string xName) => new("mae", xName, [.. new[] { 100.0, 300, 1000, 3000 }.Select((x, i) => new CurvePoint(x, x.ToString(CultureInfo.InvariantCulture), S(0.2 + 0.01 * i), S(0.8 - 0.1 * i)))], 5);
        var labels = Enumerable.Range(0, 30).Select(i => i % 10 == 9 ? -1 : i % 3).ToArray();
        var confusion = new ConfusionMatrix([0, 1], [[2497, 3], [411, 2010]]);
        var many = new ConfusionMatrix([0, 1, 2, 3], [[50, 3, 1, 0], [4, 77, 2, 1], [0, 5, 61, 2], [1, 0, 3, 40]]);
        string[] manyNames = ["orthorhombic", "tetragonal", "cubic", "rhombohedral (trigonal)"];
        return kind switch
        {
            "parity" => ParityPlot.ToSvg(a, p, new ParityPlotOptions(Title: LongTitle, Quantity: "gap expt", Unit: "eV", Folds: [.. a.Select((_, i) => i % 5)])),
            "residuals" => Plots.ResidualsSvg(a, p, options).OrThrow(),
            "residual_histogram" => Plots.ResidualHistogramSvg(a, p, options).OrThrow(),
            "learning_curve" => Plots.CurveSvg(curve("training rows"), options).OrThrow(),
            "validation_curve" => Plots.CurveSvg(curve("min_samples_leaf"), options).OrThrow(),
            "loss" => Plots.LossCurveSvg([([1.0, 0.5, 0.3, 0.25], [1.1, 0.6, 0.45, 0.44])], options).OrThrow(),
            "scatter" => Plots.ScatterSvg(a[..200], p[..200], a[..200], "PC 1 (42.0 % of variance)", "PC 2 (13.5 % of variance)", options).OrThrow(),
            "clusters" => Plots.ClusterScatterSvg([.. a[..30]], [.. p[..30]], labels, [(1.0, 1.0), (2.0, 2.0), (3.0, 3.0)], "PC 1", "PC 2", options).OrThrow(),
            "confusion" => ConfusionMatrixPlot.ToSvg(confusion, ["False", "True"], LongTitle),
            "confusion_many" => ConfusionMatrixPlot.ToSvg(many, manyNames, "crystal system"),
            "importance" => ImportanceChart.ToSvg(
                [.. Enumerable.Range(0, 30).Select(i => $"MagpieData avg_dev GSvolume_pa {i} (a long feature label from a Matbench run)")],
                [.. Enumerable.Range(0, 30).Select(i => 1.0 / (i + 1))], LongTitle, "mean |SHAP value| (eV)"),
            "best_found" => BestFoundPlot.ToSvg(LongTitle, "best decomposition energy found (eV/atom)",
                [("random", [(1.0, 0.5), (10, 0.2), (40, 0.1)]), ("gpr-ei (expected improvement, xi = 0.01)", [(1.0, 0.5), (10, 0.05), (40, 0.0)])], optimum: 0.0),
            "time_vs_rows" => Plots.TimeVsRowsSvg([("expt_gap", 4604, 10.0), ("expt_is_metal", 4921, 6.3), ("perovskites", 18928, 47.8), ("jdft2d", 636, 1.6),
                ("mp_e_form", 132752, 63.1)], options).OrThrow(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>The font size of an element: its own, else its nearest ancestor's, else 16 (the browsers' default).</summary>
    private static double FontSize(XElement e)
    {
        for (var x = e; x is not null; x = x.Parent)
            if (x.Attribute("font-size") is { } a) return double.Parse(a.Value, CultureInfo.InvariantCulture);
        return 16;
    }

    private static double Num(XElement e, string name) => e.Attribute(name) is { } a ? double.Parse(a.Value, CultureInfo.InvariantCulture) : 0;

    /// <summary>The box (x0, y0, x1, y1) of a text element in the SVG's coordinates: anchor, rotation by -90 degrees (as
    /// <c>translate(x,y) rotate(-90)</c> or <c>rotate(-90 cx cy)</c>) and translations of the element and its groups.</summary>
    private static (double X0, double Y0, double X1, double Y1) Box(XElement t)
    {
        var fs = FontSize(t);
        var w = SvgText.Width(t.Value, fs);
        var (x, y) = (Num(t, "x"), Num(t, "y"));
        var anchor = t.Attribute("text-anchor")?.Value ?? t.Ancestors().Select(a => a.Attribute("text-anchor")?.Value).FirstOrDefault(v => v is not null) ?? "start";
        var (lo, hi) = anchor switch { "middle" => (-w / 2, w / 2), "end" => (-w, 0.0), _ => (0.0, w) };
        var (x0, x1, y0, y1) = (x + lo, x + hi, y - 0.93 * fs, y + 0.24 * fs);
        var transform = t.Attribute("transform")?.Value ?? "";
        var (dx, dy) = (0.0, 0.0);
        foreach (var g in t.Ancestors())
            if (g.Attribute("transform")?.Value is string gt && Regex.Match(gt, @"translate\(\s*([-\d.]+)[ ,]+([-\d.]+)\s*\)") is { Success: true } gm)
            {
                dx += double.Parse(gm.Groups[1].Value, CultureInfo.InvariantCulture);
                dy += double.Parse(gm.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        if (transform.Contains("rotate(-90", StringComparison.Ordinal))
        {
            // Rotation by -90 degrees about (cx, cy): (px, py) -> (cx + (py - cy), cy - (px - cx)).
            var (cx, cy) = (0.0, 0.0);
            if (Regex.Match(transform, @"rotate\(-90\s+([-\d.]+)[ ,]+([-\d.]+)\)") is { Success: true } rm)
                (cx, cy) = (double.Parse(rm.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(rm.Groups[2].Value, CultureInfo.InvariantCulture));
            var (rx0, rx1) = (cx + (y0 - cy), cx + (y1 - cy));
            var (ry0, ry1) = (cy - (x1 - cx), cy - (x0 - cx));
            (x0, x1, y0, y1) = (rx0, rx1, ry0, ry1);
            if (Regex.Match(transform, @"translate\(\s*([-\d.]+)[ ,]+([-\d.]+)\s*\)") is { Success: true } tm)
            {
                dx += double.Parse(tm.Groups[1].Value, CultureInfo.InvariantCulture);
                dy += double.Parse(tm.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }
        else if (transform.Contains("rotate(90)", StringComparison.Ordinal))
        {
            // Rotation by +90 degrees about the origin: (px, py) -> (-py, px).
            (x0, x1, y0, y1) = (-y1, -y0, x0, x1);
            if (Regex.Match(transform, @"translate\(\s*([-\d.]+)[ ,]+([-\d.]+)\s*\)") is { Success: true } tm)
            {
                dx += double.Parse(tm.Groups[1].Value, CultureInfo.InvariantCulture);
                dy += double.Parse(tm.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }
        else Assert.True(transform.Length == 0, $"unhandled transform '{transform}' on text '{t.Value}'");
        return (x0 + dx, y0 + dy, x1 + dx, y1 + dy);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryText_LiesInsideTheViewBox(string kind)
    {
        var svg = XElement.Parse(Draw(kind));
        var viewBox = (svg.Attribute("viewBox")?.Value ?? throw new Xunit.Sdk.XunitException($"{kind}: no viewBox"))
            .Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var outside = svg.Descendants().Where(e => e.Name.LocalName == "text" && e.Value.Length > 0)
            .Select(t => (Text: t.Value, Box: Box(t)))
            .Where(b => b.Box.X0 < viewBox[0] - 0.5 || b.Box.Y0 < viewBox[1] - 0.5 || b.Box.X1 > viewBox[0] + viewBox[2] + 0.5 || b.Box.Y1 > viewBox[1] + viewBox[3] + 0.5)
            .Select(b => $"'{b.Text}' at ({b.Box.X0:F0}, {b.Box.Y0:F0})-({b.Box.X1:F0}, {b.Box.Y1:F0})")
            .ToList();
        Assert.True(outside.Count == 0, $"{kind} ({viewBox[2]} x {viewBox[3]}): text outside the viewBox:\n" + string.Join("\n", outside));
    }

    [Theory]
    [InlineData("parity")]
    [InlineData("residuals")]
    [InlineData("residual_histogram")]
    [InlineData("learning_curve")]
    [InlineData("loss")]
    [InlineData("importance")]
    [InlineData("best_found")]
    public void NumericAxes_HaveTicks_AndUnits(string kind)
    {
        var svg = XElement.Parse(Draw(kind));
        var numbers = svg.Descendants().Where(e => e.Name.LocalName == "text")
            .Count(t => double.TryParse(t.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        Assert.True(numbers >= 4, $"{kind}: {numbers} numeric tick labels");
        Assert.Contains(svg.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Value.Contains("(eV", StringComparison.Ordinal));
    }
}
