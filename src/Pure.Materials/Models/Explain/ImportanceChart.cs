using System.Globalization;
using System.Net;
using System.Text;

namespace Pure.Materials.Models.Explain;

/// <summary>Draws per-feature importances as a horizontal SVG bar chart, largest first.</summary>
public static class ImportanceChart
{
    /// <summary>Renders the <paramref name="top"/> largest values as bars labelled by feature.</summary>
    /// <param name="labels">Feature labels, length n_features.</param>
    /// <param name="values">Importance per feature (e.g. mean |SHAP| in the target's unit), length n_features; NaN values are skipped.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="axis">Axis label, e.g. <c>mean |SHAP value| (eV)</c>.</param>
    /// <param name="top">Number of bars, at least 1; default 20.</param>
    /// <returns>A standalone SVG document.</returns>
    /// <exception cref="ArgumentException">When the lengths differ (a programmer error).</exception>
    public static string ToSvg(IReadOnlyList<string> labels, IReadOnlyList<double> values, string title, string axis, int top = 20)
    {
        if (labels.Count != values.Count) throw new ArgumentException($"{labels.Count} labels but {values.Count} values.", nameof(values));
        var order = Enumerable.Range(0, values.Count).Where(j => !double.IsNaN(values[j]))
            .OrderByDescending(j => values[j]).ThenBy(j => j).Take(Math.Max(1, top)).ToArray();
        const int barHeight = 18, gap = 6, left = 330, width = 820, plotWidth = width - left - 70, topMargin = 50;
        var height = topMargin + order.Length * (barHeight + gap) + 60;
        var max = order.Length == 0 ? 1.0 : Math.Max(values[order[0]], 1e-300);
        static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        var (titleShown, titleSize) = Core.SvgText.Fit(title, 15, width - 20);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<title>{WebUtility.HtmlEncode(title)}</title>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"{F(titleSize)}\">{WebUtility.HtmlEncode(titleShown)}</text>\n");
        var axisY = topMargin + order.Length * (barHeight + gap) + 5;
        // Ticks at 1-2-5 multiples of a power of ten from 0 to the largest value, with vertical grid lines behind the bars.
        var step = TickStep(max);
        for (var t = 0; t * step <= max * (1 + 1e-9); t++)
        {
            var x = left + t * step / max * plotWidth;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" y1=\"{topMargin - 4}\" x2=\"{F(x)}\" y2=\"{axisY}\" stroke=\"#e5e5e5\"/>\n");
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" y1=\"{axisY}\" x2=\"{F(x)}\" y2=\"{axisY + 5}\" stroke=\"black\"/>\n");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{axisY + 18}\" text-anchor=\"middle\">{(t * step).ToString("G6", CultureInfo.InvariantCulture)}</text>\n");
        }
        for (var k = 0; k < order.Length; k++)
        {
            var j = order[k];
            var y = topMargin + k * (barHeight + gap);
            var w = Math.Max(0.0, values[j] / max * plotWidth);
            // A label wider than the margin is shortened with an ellipsis; the full label is the bar's tooltip.
            var label = Core.SvgText.Shorten(labels[j], 12, left - 16);
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 8}\" y=\"{y + barHeight - 5}\" text-anchor=\"end\">{WebUtility.HtmlEncode(label)}</text>\n");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y}\" width=\"{F(w)}\" height=\"{barHeight}\" fill=\"#1f77b4\"><title>{WebUtility.HtmlEncode(labels[j])}</title></rect>\n");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + w + 4)}\" y=\"{y + barHeight - 5}\">{values[j].ToString("0.####", CultureInfo.InvariantCulture)}</text>\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{axisY}\" x2=\"{left + plotWidth}\" y2=\"{axisY}\" stroke=\"black\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotWidth / 2}\" y=\"{axisY + 42}\" text-anchor=\"middle\" font-size=\"14\">{WebUtility.HtmlEncode(axis)}</text>\n");
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>A 1-2-5 multiple of a power of ten giving about five ticks from 0 to <paramref name="max"/>.</summary>
    private static double TickStep(double max)
    {
        var raw = max / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        return (raw / magnitude) switch { <= 1 => 1, <= 2 => 2, <= 5 => 5, _ => 10 } * magnitude;
    }
}
