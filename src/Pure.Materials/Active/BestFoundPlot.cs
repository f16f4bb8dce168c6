using System.Globalization;
using System.Xml.Linq;

namespace Pure.Materials.Active;

/// <summary>Draws best value found against number of evaluations, one line per strategy, as a self-contained SVG.</summary>
/// <remarks>Same look as <see cref="Evaluate.ParityPlot"/>: white background, grey grid, matplotlib <c>tab10</c> colours, invariant-culture numbers.
/// Each curve is a step line through (evaluations, best found) points; a dashed horizontal line marks the known optimum when given.</remarks>
public static class BestFoundPlot
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];
    private const double Left = 80, Right = 20, Top = 50, Bottom = 60;

    /// <summary>Renders the plot, one run per strategy.</summary>
    /// <param name="title">Title above the plot (fitted to the width: a smaller font, then an ellipsis; the full text is the SVG's <c>title</c>).</param>
    /// <param name="quantity">Axis title of the target with its unit, e.g. <c>best decomposition energy (eV/atom)</c>.</param>
    /// <param name="curves">Named curves of (evaluations, best found) points, each with at least one point and finite values.</param>
    /// <param name="optimum">The known optimum to mark, or null.</param>
    /// <param name="width">Width in pixels; default 640.</param>
    /// <param name="height">Height in pixels; default 420.</param>
    /// <returns>The SVG document: one <c>polyline</c> of class <c>curve</c> per curve and a legend.</returns>
    public static string ToSvg(string title, string quantity, IReadOnlyList<(string Name, IReadOnlyList<(double Evaluations, double Best)> Points)> curves,
        double? optimum = null, int width = 640, int height = 420) =>
        ToSvg(title, quantity, curves.Select(c => (c.Name, (IReadOnlyList<IReadOnlyList<(double, double)>>)[c.Points])).ToArray(), optimum, width, height);

    /// <summary>Renders the plot with several runs (seeds) per strategy: the mean best found over runs at each evaluation count as a
    /// step line, and a band of plus and minus one standard deviation (population) across runs when there are at least two.</summary>
    /// <param name="title">Title above the plot (fitted to the width: a smaller font, then an ellipsis; the full text is the SVG's <c>title</c>).</param>
    /// <param name="quantity">Axis title of the target with its unit, e.g. <c>best decomposition energy (eV/atom)</c>.</param>
    /// <param name="strategies">Per strategy its name and runs; every run of a strategy has the same evaluation counts (the same
    /// initial design size and batch), at least one point, finite values.</param>
    /// <param name="optimum">The known optimum to mark, or null.</param>
    /// <param name="width">Width in pixels; default 640.</param>
    /// <param name="height">Height in pixels; default 420.</param>
    /// <returns>The SVG document: one <c>polyline</c> of class <c>curve</c> per strategy, a <c>polygon</c> of class <c>band</c> per strategy
    /// with two or more runs, and a legend.</returns>
    /// <exception cref="ArgumentException">When the runs of a strategy have different evaluation counts (a programmer error).</exception>
    public static string ToSvg(string title, string quantity,
        IReadOnlyList<(string Name, IReadOnlyList<IReadOnlyList<(double Evaluations, double Best)>> Runs)> strategies,
        double? optimum = null, int width = 640, int height = 420)
    {
        var summaries = strategies.Select(s => (s.Name, s.Runs.Count, Points: Summarise(s.Name, s.Runs))).ToArray();
        var all = summaries.SelectMany(c => c.Points).ToArray();
        var (x0, x1) = (all.Min(p => p.Evaluations), all.Max(p => p.Evaluations));
        var ys = all.SelectMany(p => new[] { p.Mean - p.Std, p.Mean + p.Std }).Concat(optimum is { } o ? [o] : []).ToArray();
        var (y0, y1) = (ys.Min(), ys.Max());
        if (x1 <= x0) x1 = x0 + 1;
        var pad = y1 > y0 ? 0.05 * (y1 - y0) : 1.0;
        (y0, y1) = (y0 - pad, y1 + pad);
        double W = width - Left - Right, H = height - Top - Bottom;
        double Px(double v) => Left + (v - x0) / (x1 - x0) * W;
        double Py(double v) => Top + H - (v - y0) / (y1 - y0) * H;
        var (titleShown, titleSize) = Core.SvgText.Fit(title, 16, width - 20);
        var root = new XElement(Svg + "svg", new XAttribute("width", width), new XAttribute("height", height),
            new XAttribute("viewBox", $"0 0 {width} {height}"), new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", "12"),
            new XElement(Svg + "title", title),
            new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")),
            Text(width / 2.0, Top / 2.0 + 5, titleShown, "middle", F(titleSize)));
        foreach (var (v, horizontal) in Ticks(x0, x1).Select(v => (v, false)).Concat(Ticks(y0, y1).Select(v => (v, true))))
        {
            if (horizontal)
                root.Add(Line(Left, Py(v), Left + W, Py(v), "#e5e5e5"), Line(Left - 5, Py(v), Left, Py(v), "black"), Text(Left - 8, Py(v) + 4, Fmt(v), "end"));
            else
                root.Add(Line(Px(v), Top, Px(v), Top + H, "#e5e5e5"), Line(Px(v), Top + H, Px(v), Top + H + 5, "black"), Text(Px(v), Top + H + 18, Fmt(v), "middle"));
        }
        var (quantityShown, quantitySize) = Core.SvgText.Fit(quantity, 14, H + Top);
        root.Add(new XElement(Svg + "rect", A("x", Left), A("y", Top), A("width", W), A("height", H), new XAttribute("fill", "none"), new XAttribute("stroke", "black")),
            Text(Left + W / 2, Top + H + 42, "evaluations (target values measured)", "middle", "14"),
            new XElement(Svg + "text", A("x", 0), A("y", 0), new XAttribute("text-anchor", "middle"), new XAttribute("font-size", F(quantitySize)),
                new XAttribute("transform", $"translate({F(Left - 58)},{F(Top + H / 2)}) rotate(-90)"), quantityShown));
        if (optimum is { } opt)
            root.Add(new XElement(Svg + "line", new XAttribute("class", "optimum"), A("x1", Left), A("y1", Py(opt)), A("x2", Left + W), A("y2", Py(opt)),
                new XAttribute("stroke", "#444444"), new XAttribute("stroke-dasharray", "6 4")));
        var names = summaries.Select(c => c.Count > 1 ? $"{c.Name} (mean \u00b1 std, {c.Count} seeds)" : c.Name).ToArray();
        var legendWidth = Math.Min(W - 20, names.Max(n => Core.SvgText.Width(n, 12)) + 24);
        for (var c = 0; c < summaries.Length; c++)
        {
            var colour = Palette[c % Palette.Length];
            var pts = summaries[c].Points;
            if (summaries[c].Count > 1)
            {
                // The band follows the same steps as the line: each level holds until the next evaluation count.
                var upper = Steps(pts.Select(p => (p.Evaluations, p.Mean + p.Std)).ToArray());
                var lower = Steps(pts.Select(p => (p.Evaluations, p.Mean - p.Std)).ToArray());
                root.Add(new XElement(Svg + "polygon", new XAttribute("class", "band"),
                    new XAttribute("points", string.Join(" ", upper.Concat(lower.AsEnumerable().Reverse()).Select(p => $"{F(Px(p.X))},{F(Py(p.Y))}"))),
                    new XAttribute("fill", colour), new XAttribute("fill-opacity", "0.15"), new XAttribute("stroke", "none")));
            }
            root.Add(new XElement(Svg + "polyline", new XAttribute("class", "curve"),
                new XAttribute("points", string.Join(" ", Steps(pts.Select(p => (p.Evaluations, p.Mean)).ToArray()).Select(p => $"{F(Px(p.X))},{F(Py(p.Y))}"))),
                new XAttribute("fill", "none"), new XAttribute("stroke", colour), new XAttribute("stroke-width", "2")));
            var name = Core.SvgText.Shorten(names[c], 12, legendWidth - 24);
            root.Add(new XElement(Svg + "rect", A("x", Left + W - 10 - legendWidth), A("y", Top + 10 + 18 * c), A("width", 12), A("height", 12), new XAttribute("fill", colour)),
                Text(Left + W - 10 - legendWidth + 18, Top + 21 + 18 * c, name, "start"));
        }
        return root.ToString();
    }

    /// <summary>Mean and population std of best found over runs, per evaluation count.</summary>
    private static (double Evaluations, double Mean, double Std)[] Summarise(string name, IReadOnlyList<IReadOnlyList<(double Evaluations, double Best)>> runs)
    {
        var first = runs[0];
        if (runs.Any(r => r.Count != first.Count || r.Select(p => p.Evaluations).Zip(first, (e, f) => e != f.Evaluations).Any(d => d)))
            throw new ArgumentException($"the runs of '{name}' have different evaluation counts; give every run the same initial design and batch", nameof(runs));
        return first.Select((p, k) =>
        {
            var values = runs.Select(r => r[k].Best).ToArray();
            var mean = values.Average();
            return (p.Evaluations, mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length));
        }).ToArray();
    }

    /// <summary>A step line through the points: each level holds until the next x.</summary>
    private static List<(double X, double Y)> Steps((double X, double Y)[] points)
    {
        var steps = new List<(double X, double Y)>();
        var previous = points[0].Y;
        foreach (var (x, y) in points)
        {
            steps.Add((x, previous));
            steps.Add((x, y));
            previous = y;
        }
        return steps;
    }

    private static IEnumerable<double> Ticks(double lo, double hi)
    {
        var raw = (hi - lo) / 6;
        var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = (raw / mag) switch { <= 1 => 1, <= 2 => 2, <= 5 => 5, _ => 10 } * mag;
        for (var t = Math.Ceiling(lo / step); t * step <= hi; t++) yield return t * step;
    }

    private static string Fmt(double v) => Math.Abs(v) < 1e-12 ? "0" : v.ToString("G4", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static XAttribute A(string n, double v) => new(n, F(v));

    private static XElement Line(double x1, double y1, double x2, double y2, string stroke) =>
        new(Svg + "line", new XAttribute("class", "grid"), A("x1", x1), A("y1", y1), A("x2", x2), A("y2", y2), new XAttribute("stroke", stroke));

    private static XElement Text(double x, double y, string text, string anchor, string size = "12") =>
        new(Svg + "text", A("x", x), A("y", y), new XAttribute("text-anchor", anchor), new XAttribute("font-size", size), text);
}
