using System.Globalization;
using System.Net;
using System.Text;
using Pure.Materials.Core;

namespace Pure.Materials.Evaluate;

/// <summary>Draws a confusion matrix as a standalone SVG heat map.</summary>
/// <remarks>
/// Rows are true classes, columns predicted classes (scikit-learn's <c>ConfusionMatrixDisplay</c> layout); each cell shows its count and its
/// share of the true class (row-normalised recall), and is shaded by that share, so the diagonal reads as per-class recall.
/// Deterministic text output: the same matrix gives the same bytes. Source: scikit-learn 1.2.1 <c>sklearn/metrics/_plot/confusion_matrix.py</c>.
/// </remarks>
public static class ConfusionMatrixPlot
{
    /// <summary>Renders the matrix.</summary>
    /// <param name="confusion">The confusion matrix.</param>
    /// <param name="names">Display name per label (same order as the labels); null for the labels themselves.</param>
    /// <param name="title">Title line above the plot.</param>
    /// <returns>An SVG document.</returns>
    public static string ToSvg(ConfusionMatrix confusion, IReadOnlyList<string>? names = null, string title = "Confusion matrix")
    {
        var k = confusion.Labels.Count;
        var n = names ?? confusion.Labels.Select(l => l.ToString(CultureInfo.InvariantCulture)).ToArray();
        const int cell = 110, top = 80;
        var accuracy = confusion.Total == 0 ? double.NaN : ClassificationMetrics.Accuracy(confusion);
        var footer = $"n = {confusion.Total}, accuracy = {accuracy.ToString("0.0000", CultureInfo.InvariantCulture)}; cell shade and % = share of the true class";
        // The row labels' margin fits the longest class name; the canvas is wide enough for the footer and the title (which
        // shrinks, then shortens, past 900 px: the full title stays in the <title> element).
        var left = (int)Math.Ceiling(Math.Max(150, 40 + 10 + n.Max(name => SvgText.Width(name, 13))));
        var width = (int)Math.Ceiling(Math.Max(left + k * cell + 40, Math.Min(900, Math.Max(SvgText.Width(footer, 13), SvgText.Width(title, 16)) + 20)));
        left += (width - (left + k * cell + 40)) / 2; // a canvas widened for the text keeps the grid centred
        var (titleShown, titleSize) = SvgText.Fit(title, 16, width - 20);
        var footerSize = SvgText.FitFontSize(footer, 13, width - 20);
        var height = top + k * cell + 70;
        // Column labels above the cells are centred on them: a name wider than its cell gets a smaller font.
        double ColumnLabelSize(string name) => SvgText.FitFontSize(name, 13, cell - 6, 8);
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<title>{WebUtility.HtmlEncode(title)}</title>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2.0}\" y=\"24\" text-anchor=\"middle\" font-size=\"{F(titleSize)}\">{WebUtility.HtmlEncode(titleShown)}</text>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + k * cell / 2}\" y=\"{top - 30}\" text-anchor=\"middle\" font-size=\"13\">predicted</text>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"20\" y=\"{top + k * cell / 2}\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 20 {top + k * cell / 2})\">true</text>\n");
        for (var i = 0; i < k; i++)
        {
            var rowTotal = confusion.Counts[i].Sum();
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 10}\" y=\"{top + i * cell + cell / 2 + 5}\" text-anchor=\"end\" font-size=\"13\">{WebUtility.HtmlEncode(n[i])}</text>\n");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + i * cell + cell / 2}\" y=\"{top - 8}\" text-anchor=\"middle\" font-size=\"{F(ColumnLabelSize(n[i]))}\">{WebUtility.HtmlEncode(n[i])}</text>\n");
            for (var j = 0; j < k; j++)
            {
                var count = confusion.Counts[i][j];
                var share = rowTotal == 0 ? 0.0 : (double)count / rowTotal;
                // White to dark blue by the row share; text switches to white on dark cells.
                var r = (int)Math.Round(255 - share * (255 - 8));
                var g = (int)Math.Round(255 - share * (255 - 48));
                var b = (int)Math.Round(255 - share * (255 - 107));
                var ink = share > 0.5 ? "white" : "black";
                var x = left + j * cell;
                var y = top + i * cell;
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"rgb({r},{g},{b})\" stroke=\"#444\"/>\n");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + cell / 2}\" y=\"{y + cell / 2}\" text-anchor=\"middle\" font-size=\"20\" fill=\"{ink}\">{count}</text>\n");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + cell / 2}\" y=\"{y + cell / 2 + 22}\" text-anchor=\"middle\" font-size=\"12\" fill=\"{ink}\">{F(100 * share)} %</text>\n");
            }
        }
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2.0}\" y=\"{top + k * cell + 35}\" text-anchor=\"middle\" font-size=\"{F(footerSize)}\">{WebUtility.HtmlEncode(footer)}</text>\n");
        sb.Append("</svg>\n");
        return sb.ToString();
    }
}
