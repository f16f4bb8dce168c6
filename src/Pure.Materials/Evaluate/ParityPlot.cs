using System.Globalization;
using System.Numerics.Tensors;
using System.Xml.Linq;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Evaluate;

/// <summary>Holds the presentation settings of a parity plot and the optional fold of each point (inert values).</summary>
/// <param name="Title">Title printed above the plot; default <c>"Parity plot"</c>.</param>
/// <param name="Quantity">Name of the predicted quantity for the axis titles, e.g. <c>"band gap"</c>; default <c>"value"</c>.</param>
/// <param name="Unit">Unit for the axis titles and the MAE, e.g. <c>"eV"</c>; <c>null</c> (default) or empty for none.</param>
/// <param name="Folds">Optional test fold of each point, shape (n_samples,), labels at least 0: points are coloured by fold
/// and the legend lists the folds. <c>null</c> (default) or empty draws every point in one colour.</param>
/// <param name="Width">Width of the SVG in pixels, at least 200; default 520.</param>
/// <param name="Height">Height of the SVG in pixels, at least 200; default 540.</param>
/// <param name="PointRadius">Radius of each point in pixels, in (0, 20]; default 3.</param>
/// <param name="Opacity">Fill opacity of each point, in (0, 1]; default 0.5, so overlapping points show density.</param>
/// <param name="ShowMetrics">Whether to print MAE, R2 and n in the legend box; default true.</param>
public sealed record ParityPlotOptions(
    string Title = "Parity plot",
    string Quantity = "value",
    string? Unit = null,
    IReadOnlyList<int>? Folds = null,
    int Width = 520,
    int Height = 540,
    double PointRadius = 3.0,
    double Opacity = 0.5,
    bool ShowMetrics = true);

/// <summary>Draws predicted against actual values as a self-contained SVG parity plot.</summary>
/// <remarks>
/// The plot is square with the same range on both axes, so the dashed y = x line runs at 45 degrees; points on it are
/// perfect predictions. Numbers are written with the invariant culture. Colours follow matplotlib's <c>tab10</c> cycle.
/// Source: the parity plots of Matbench and matminer's <c>PlotlyFig.xy</c> (actual on x, predicted on y).
/// </remarks>
public static class ParityPlot
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly string[] Palette =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ];

    private const double Left = 80, Right = 20, Top = 50, Bottom = 70;

    /// <summary>Renders a parity plot of predicted (y axis) against actual (x axis) values as SVG text, or lists what is wrong with the input.</summary>
    /// <param name="actual">Measured or reference values, shape (n_samples,), finite, in <see cref="ParityPlotOptions.Unit"/>; at least 2.</param>
    /// <param name="predicted">Predictions, shape (n_samples,), finite, same unit.</param>
    /// <param name="options">Title, quantity, unit, folds and drawing settings.</param>
    /// <returns>
    /// An SVG document (no XML declaration) with exactly one <c>circle</c> per point, one <c>line</c> of class <c>parity</c>
    /// for y = x, ticks with numbers on both axes, axis titles with the unit and a legend box with MAE, R2 and n (from
    /// <see cref="Metrics.Regression"/>) and the fold colours. Failures: the problems of <see cref="Metrics.Regression"/>
    /// (<c>shape.rows_mismatch</c>, <c>data.empty</c>, <c>data.too_few_rows</c>, <c>data.nan_target</c>,
    /// <c>data.nan_prediction</c>), <c>shape.rows_mismatch</c> for folds of the wrong length, <c>fold.negative_label</c>,
    /// and <c>param.out_of_range</c> for bad sizes, radius or opacity.
    /// </returns>
    /// <remarks>
    /// Axis range, the same on both axes: [min, max] over both vectors, widened by 5 % on each side (by 10 % of |value|, or
    /// by 1, when all values are equal), as matplotlib's default margins; ticks at the multiples of a step of 1, 2 or 5
    /// times a power of ten (4 to 9 ticks) inside the range. Pixel position: px = left + (v - lo) / (hi - lo) * side,
    /// with y measured upwards.
    /// Numbers are formatted with the invariant culture.
    /// </remarks>
    public static Validation<Problem, string> TryToSvg(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted, ParityPlotOptions options)
    {
        var problems = new List<Problem>(OptionProblems(options));
        var scores = Metrics.Regression(actual, predicted);
        problems.AddRange(scores.Problems());
        var folds = options.Folds ?? [];
        if (folds.Count > 0 && folds.Count != actual.Length)
            problems.Add(new Problem("shape.rows_mismatch",
                $"Folds has {folds.Count} labels but there are {actual.Length} points; pass one fold label per point or none"));
        for (var i = 0; i < folds.Count; i++)
        {
            if (folds[i] >= 0) continue;
            problems.Add(new Problem("fold.negative_label",
                $"fold label {folds[i]} at index {i} (0-based) is negative; fold labels are 0, 1, ..., K-1", i + 1, "fold"));
            break;
        }
        if (problems.Count > 0) return Valid.Fail<string>(problems);
        return Valid.Ok(Render(options, actual, predicted, folds, scores.OrThrow()));
    }

    /// <summary>Renders a parity plot of predicted (y axis) against actual (x axis) values as SVG text, for inputs already validated.</summary>
    /// <param name="actual">Measured or reference values, shape (n_samples,), finite; at least 2.</param>
    /// <param name="predicted">Predictions, shape (n_samples,), finite, same unit.</param>
    /// <param name="options">Title, quantity, unit, folds and drawing settings.</param>
    /// <returns>The SVG document described in <see cref="TryToSvg"/>.</returns>
    /// <exception cref="ArgumentException">When <see cref="TryToSvg"/> would report problems (their text is the message): a
    /// programmer error, since the inputs are predictions that <see cref="Metrics.Regression"/> already scored.</exception>
    /// <example><c>File.WriteAllText("parity.svg", ParityPlot.ToSvg(yTest, yHat, new ParityPlotOptions { Quantity = "band gap", Unit = "eV" }))</c></example>
    public static string ToSvg(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted, ParityPlotOptions options) =>
        TryToSvg(actual, predicted, options).Match(
            Succ: svg => svg,
            Fail: ps => throw new ArgumentException(string.Join(Environment.NewLine, ps.Select(p => p.ToString()))));

    private static IEnumerable<Problem> OptionProblems(ParityPlotOptions o)
    {
        if (o.Width < 200 || o.Height < 200)
            yield return new Problem("param.out_of_range", $"plot size {o.Width} x {o.Height} px is too small; use at least 200 x 200");
        if (!(o.PointRadius > 0 && o.PointRadius <= 20))
            yield return new Problem("param.out_of_range", $"PointRadius {o.PointRadius} is outside (0, 20] px");
        if (!(o.Opacity > 0 && o.Opacity <= 1))
            yield return new Problem("param.out_of_range", $"Opacity {o.Opacity} is outside (0, 1]");
    }

    private static string Render(
        ParityPlotOptions o, ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted, IReadOnlyList<int> folds, RegressionScores scores)
    {
        var side = Math.Min(o.Width - Left - Right, o.Height - Top - Bottom);
        var (lo, hi, step) = AxisRange(actual, predicted);
        double Px(double v) => Left + (v - lo) / (hi - lo) * side;
        double Py(double v) => Top + side - (v - lo) / (hi - lo) * side;
        var unit = string.IsNullOrEmpty(o.Unit) ? "" : $" ({o.Unit})";

        var root = new XElement(Svg + "svg",
            new XAttribute("width", o.Width), new XAttribute("height", o.Height),
            new XAttribute("viewBox", $"0 0 {o.Width} {o.Height}"),
            new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", "12"),
            new XElement(Svg + "title", o.Title),
            new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")),
            TitleText(o.Width / 2.0, Top / 2.0 + 5, o.Title, 16, o.Width - 20));

        var decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step)));
        var first = Math.Ceiling(lo / step);
        for (var t = first; t * step <= hi; t++)
        {
            var v = t * step;
            var label = (Math.Abs(v) < step * 1e-9 ? 0.0 : v).ToString("F" + decimals, CultureInfo.InvariantCulture);
            root.Add(
                Line(Px(v), Top, Px(v), Top + side, "grid", "#e5e5e5"),
                Line(Left, Py(v), Left + side, Py(v), "grid", "#e5e5e5"),
                Line(Px(v), Top + side, Px(v), Top + side + 5, "tick", "black"),
                Line(Left - 5, Py(v), Left, Py(v), "tick", "black"),
                Text(Px(v), Top + side + 18, label, "middle"),
                Text(Left - 8, Py(v) + 4, label, "end"));
        }
        root.Add(
            new XElement(Svg + "rect", Attr("x", Left), Attr("y", Top), Attr("width", side), Attr("height", side),
                new XAttribute("fill", "none"), new XAttribute("stroke", "black")),
            TitleText(Left + side / 2, Top + side + 45, $"Actual {o.Quantity}{unit}", 14, side + 2 * Math.Min(Left, o.Width - Left - side) - 10),
            TitleText(0, 0, $"Predicted {o.Quantity}{unit}", 14, side + 2 * Math.Min(Top, o.Height - Top - side) - 10,
                ("transform", $"translate({F(Left - 55)},{F(Top + side / 2)}) rotate(-90)")),
            Line(Px(lo), Py(lo), Px(hi), Py(hi), "parity", "#444444", ("stroke-dasharray", "6 4")));

        for (var i = 0; i < actual.Length; i++)
        {
            var colour = Palette[folds.Count == 0 ? 0 : folds[i] % Palette.Length];
            root.Add(new XElement(Svg + "circle", Attr("cx", Px(actual[i])), Attr("cy", Py(predicted[i])), Attr("r", o.PointRadius),
                new XAttribute("fill", colour), Attr("fill-opacity", o.Opacity)));
        }

        var lines = new List<(string Text, string? Colour)>();
        if (o.ShowMetrics)
        {
            var mae = scores.Mae.ToString("G4", CultureInfo.InvariantCulture);
            lines.Add(($"MAE = {mae}{(string.IsNullOrEmpty(o.Unit) ? "" : " " + o.Unit)}", null));
            lines.Add(($"R\u00b2 = {scores.R2.ToString("F3", CultureInfo.InvariantCulture)}", null));
            lines.Add(($"n = {actual.Length}", null));
        }
        foreach (var f in folds.Distinct().Order())
            lines.Add(($"fold {f}", Palette[f % Palette.Length]));
        if (lines.Count > 0) root.Add(Legend(lines, Left + 10, Top + 10));
        return root.ToString();
    }

    private static XElement Legend(List<(string Text, string? Colour)> lines, double x, double y)
    {
        const double lineHeight = 16;
        var width = 24 + 7 * lines.Max(l => l.Text.Length);
        var box = new XElement(Svg + "g", new XAttribute("class", "legend"),
            new XElement(Svg + "rect", Attr("x", x), Attr("y", y), Attr("width", width), Attr("height", 8 + lineHeight * lines.Count),
                new XAttribute("fill", "white"), new XAttribute("fill-opacity", "0.85"), new XAttribute("stroke", "#999999")));
        for (var k = 0; k < lines.Count; k++)
        {
            var baseline = y + 4 + lineHeight * (k + 1) - 4;
            if (lines[k].Colour is string c)
                box.Add(new XElement(Svg + "rect", Attr("x", x + 6), Attr("y", baseline - 9), Attr("width", 10), Attr("height", 10),
                    new XAttribute("fill", c)));
            box.Add(Text(x + (lines[k].Colour is null ? 6 : 22), baseline, lines[k].Text, "start"));
        }
        return box;
    }

    /// <summary>Equal axis range for both vectors (data range padded by 5 %) and a 1-2-5 tick step giving 4 to 9 ticks inside it.</summary>
    private static (double Lo, double Hi, double Step) AxisRange(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var min = Math.Min(TensorPrimitives.Min(a), TensorPrimitives.Min(b));
        var max = Math.Max(TensorPrimitives.Max(a), TensorPrimitives.Max(b));
        var pad = max > min ? 0.05 * (max - min) : (min == 0 ? 1.0 : 0.1 * Math.Abs(min));
        var (lo, hi) = (min - pad, max + pad);
        var raw = (hi - lo) / 8;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = (raw / magnitude) switch { <= 1 => 1, <= 2 => 2, <= 5 => 5, _ => 10 } * magnitude;
        return (lo, hi, step);
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static XAttribute Attr(string name, double v) => new(name, F(v));

    private static XElement Line(double x1, double y1, double x2, double y2, string cls, string stroke, params (string Name, string Value)[] extra)
    {
        var e = new XElement(Svg + "line", new XAttribute("class", cls),
            Attr("x1", x1), Attr("y1", y1), Attr("x2", x2), Attr("y2", y2), new XAttribute("stroke", stroke));
        foreach (var (n, v) in extra) e.Add(new XAttribute(n, v));
        return e;
    }

    /// <summary>A centred title line fitted to <paramref name="maxWidth"/> (<see cref="SvgText.Fit"/>).</summary>
    private static XElement TitleText(double x, double y, string text, double fontSize, double maxWidth, params (string Name, string Value)[] extra)
    {
        var (shown, size) = SvgText.Fit(text, fontSize, maxWidth);
        return Text(x, y, shown, "middle", [("font-size", F(size)), .. extra]);
    }

    private static XElement Text(double x, double y, string text, string anchor, params (string Name, string Value)[] extra)
    {
        var e = new XElement(Svg + "text", Attr("x", x), Attr("y", y), new XAttribute("text-anchor", anchor), text);
        foreach (var (n, v) in extra) e.Add(new XAttribute(n, v));
        return e;
    }
}
