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

    /// <summary>Renders the plot.</summary>
    /// <param name="title">Title above the plot.</param>
    /// <param name="quantity">Axis title of the target, e.g. <c>best decomposition energy (eV)</c>.</param>
    /// <param name="curves">Named curves of (evaluations, best found) points, each with at least one point and finite values.</param>
    /// <param name="optimum">The known optimum to mark, or null.</param>
    /// <param name="width">Width in pixels; default 640.</param>
    /// <param name="height">Height in pixels; default 420.</param>
    /// <returns>The SVG document: one <c>polyline</c> of class <c>curve</c> per curve and a legend.</returns>
    public static string ToSvg(string title, string quantity, IReadOnlyList<(string Name, IReadOnlyList<(double Evaluations, double Best)> Points)> curves,
        double? optimum = null, int width = 640, int height = 420)
    {
        var all = curves.SelectMany(c => c.Points).ToArray();
        var (x0, x1) = (all.Min(p => p.Evaluations), all.Max(p => p.Evaluations));
        var ys = all.Select(p => p.Best).Concat(optimum is { } o ? [o] : []).ToArray();
        var (y0, y1) = (ys.Min(), ys.Max());
        if (x1 <= x0) x1 = x0 + 1;
        var pad = y1 > y0 ? 0.05 * (y1 - y0) : 1.0;
        (y0, y1) = (y0 - pad, y1 + pad);
        double W = width - Left - Right, H = height - Top - Bottom;
        double Px(double v) => Left + (v - x0) / (x1 - x0) * W;
        double Py(double v) => Top + H - (v - y0) / (y1 - y0) * H;
        var root = new XElement(Svg + "svg", new XAttribute("width", width), new XAttribute("height", height),
            new XAttribute("viewBox", $"0 0 {width} {height}"), new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", "12"),
            new XElement(Svg + "title", title),
            new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")),
            Text(width / 2.0, Top / 2.0 + 5, title, "middle", "16"));
        foreach (var (v, horizontal) in Ticks(x0, x1).Select(v => (v, false)).Concat(Ticks(y0, y1).Select(v => (v, true))))
        {
            if (horizontal)
                root.Add(Line(Left, Py(v), Left + W, Py(v), "#e5e5e5"), Text(Left - 8, Py(v) + 4, Fmt(v), "end"));
            else
                root.Add(Line(Px(v), Top, Px(v), Top + H, "#e5e5e5"), Text(Px(v), Top + H + 18, Fmt(v), "middle"));
        }
        root.Add(new XElement(Svg + "rect", A("x", Left), A("y", Top), A("width", W), A("height", H), new XAttribute("fill", "none"), new XAttribute("stroke", "black")),
            Text(Left + W / 2, Top + H + 42, "evaluations", "middle", "14"),
            new XElement(Svg + "text", A("x", 0), A("y", 0), new XAttribute("text-anchor", "middle"), new XAttribute("font-size", "14"),
                new XAttribute("transform", $"translate({F(Left - 58)},{F(Top + H / 2)}) rotate(-90)"), quantity));
        if (optimum is { } opt)
            root.Add(new XElement(Svg + "line", new XAttribute("class", "optimum"), A("x1", Left), A("y1", Py(opt)), A("x2", Left + W), A("y2", Py(opt)),
                new XAttribute("stroke", "#444444"), new XAttribute("stroke-dasharray", "6 4")));
        for (var c = 0; c < curves.Count; c++)
        {
            var pts = new List<string>();
            var prev = curves[c].Points[0];
            foreach (var p in curves[c].Points)
            {
                pts.Add($"{F(Px(p.Evaluations))},{F(Py(prev.Best))}");
                pts.Add($"{F(Px(p.Evaluations))},{F(Py(p.Best))}");
                prev = p;
            }
            var colour = Palette[c % Palette.Length];
            root.Add(new XElement(Svg + "polyline", new XAttribute("class", "curve"), new XAttribute("points", string.Join(" ", pts)),
                new XAttribute("fill", "none"), new XAttribute("stroke", colour), new XAttribute("stroke-width", "2")));
            root.Add(new XElement(Svg + "rect", A("x", Left + W - 150), A("y", Top + 10 + 18 * c), A("width", 12), A("height", 12), new XAttribute("fill", colour)),
                Text(Left + W - 132, Top + 21 + 18 * c, curves[c].Name, "start"));
        }
        return root.ToString();
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
