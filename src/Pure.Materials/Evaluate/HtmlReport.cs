using System.Net;
using System.Text;
using System.Xml.Linq;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Evaluate;

/// <summary>One block of an HTML report.</summary>
public abstract record ReportSection(string Title)
{
    /// <summary>A picture: an SVG document placed inline.</summary>
    /// <param name="Title">Heading.</param>
    /// <param name="Svg">SVG text (e.g. from <see cref="ParityPlot"/> or <see cref="Plots"/>); must parse as XML.</param>
    public sealed record Picture(string Title, string Svg) : ReportSection(Title);

    /// <summary>A table.</summary>
    /// <param name="Title">Heading.</param>
    /// <param name="Header">Column names.</param>
    /// <param name="Rows">Cells, each row as long as the header.</param>
    /// <param name="Note">Optional line under the table (e.g. "first 50 of 4604 rows").</param>
    public sealed record Table(string Title, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, string? Note = null) : ReportSection(Title);

    /// <summary>The headline: one sentence with the result, then name-value pairs (task, data, model, split, baseline).</summary>
    /// <param name="Title">Heading.</param>
    /// <param name="Lead">The sentence, shown large.</param>
    /// <param name="Items">The pairs, in order.</param>
    public sealed record Headline(string Title, string Lead, IReadOnlyList<KeyValuePair<string, string>> Items) : ReportSection(Title);

    /// <summary>Name-value pairs (options, seed, summary metrics).</summary>
    /// <param name="Title">Heading.</param>
    /// <param name="Items">The pairs, in order.</param>
    public sealed record Facts(string Title, IReadOnlyList<KeyValuePair<string, string>> Items) : ReportSection(Title);
}

/// <summary>Renders an experiment's pictures and tables as one self-contained HTML page (no scripts, no external files).</summary>
/// <remarks>Every text is HTML-escaped; SVGs are checked to be XML and embedded inline, so the page opens offline and prints.</remarks>
public static class HtmlReport
{
    /// <summary>Renders the page.</summary>
    /// <param name="title">Page title.</param>
    /// <param name="sections">The blocks, in page order, at least one.</param>
    /// <returns>The HTML text, or <c>data.empty</c> (no section), <c>report.bad_svg</c> (a picture that is not XML, naming it) and
    /// <c>shape.columns_mismatch</c> (a table row of the wrong length, naming the table and row).</returns>
    public static Validation<Problem, string> Render(string title, IReadOnlyList<ReportSection> sections)
    {
        var problems = new List<Problem>();
        if (sections.Count == 0) problems.Add(new Problem("data.empty", "the report has no section; write pictures (.svg) or tables (.csv) into the directory first (e.g. a ParityPlot)"));
        foreach (var s in sections)
        {
            if (s is ReportSection.Picture p)
            {
                try { XDocument.Parse(p.Svg); }
                catch (System.Xml.XmlException e) { problems.Add(new Problem("report.bad_svg", $"picture '{p.Title}' is not well-formed SVG: {e.Message}")); }
            }
            if (s is ReportSection.Table t)
                for (var i = 0; i < t.Rows.Count; i++)
                    if (t.Rows[i].Count != t.Header.Count)
                    {
                        problems.Add(new Problem("shape.columns_mismatch", $"table '{t.Title}' row {i + 1} has {t.Rows[i].Count} cells, the header {t.Header.Count}"));
                        break;
                    }
        }
        if (problems.Count > 0) return Valid.Fail<string>(problems);

        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(title)).Append("</title>\n<style>\n")
            .Append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}\n")
            .Append("table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ddd;padding:.25em .6em;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}\n")
            .Append("nav a{margin-right:1em}.note{color:#666;font-size:.85em}figure{margin:0}.lead{font-size:1.25em;line-height:1.4;margin:.6em 0 1em}\n</style>\n</head>\n<body>\n<h1>").Append(E(title)).Append("</h1>\n<nav>");
        for (var i = 0; i < sections.Count; i++) h.Append($"<a href=\"#s{i}\">").Append(E(sections[i].Title)).Append("</a>");
        h.Append("</nav>\n");
        for (var i = 0; i < sections.Count; i++)
        {
            h.Append($"<section id=\"s{i}\">\n<h2>").Append(E(sections[i].Title)).Append("</h2>\n");
            switch (sections[i])
            {
                case ReportSection.Picture p:
                    h.Append("<figure>").Append(XDocument.Parse(p.Svg).Root!.ToString(SaveOptions.DisableFormatting)).Append("</figure>\n");
                    break;
                case ReportSection.Table t:
                    h.Append("<table>\n<tr>");
                    foreach (var c in t.Header) h.Append("<th>").Append(E(c)).Append("</th>");
                    h.Append("</tr>\n");
                    foreach (var row in t.Rows)
                    {
                        h.Append("<tr>");
                        foreach (var c in row) h.Append("<td>").Append(E(c)).Append("</td>");
                        h.Append("</tr>\n");
                    }
                    h.Append("</table>\n");
                    if (t.Note is not null) h.Append("<p class=\"note\">").Append(E(t.Note)).Append("</p>\n");
                    break;
                case ReportSection.Headline hl:
                    h.Append("<p class=\"lead\">").Append(E(hl.Lead)).Append("</p>\n<table>\n");
                    foreach (var (k, v) in hl.Items) h.Append("<tr><th>").Append(E(k)).Append("</th><td>").Append(E(v)).Append("</td></tr>\n");
                    h.Append("</table>\n");
                    break;
                case ReportSection.Facts f:
                    h.Append("<table>\n");
                    foreach (var (k, v) in f.Items) h.Append("<tr><th>").Append(E(k)).Append("</th><td>").Append(E(v)).Append("</td></tr>\n");
                    h.Append("</table>\n");
                    break;
            }
            h.Append("</section>\n");
        }
        h.Append("</body>\n</html>\n");
        return Valid.Ok(h.ToString());
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
