using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Xunit;

namespace Pure.Materials.Tests.Evaluate;

/// <summary>HTML report: escaping, inline SVG, bad input; the <c>report</c> command over a directory of results.</summary>
public class HtmlReportTests
{
    private const string Svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><circle cx=\"5\" cy=\"5\" r=\"2\"/></svg>";

    [Fact]
    public void Render_EscapesText_AndEmbedsSvgInline()
    {
        var html = HtmlReport.Render("Fe<sub>2</sub>O3 & co", [
            new ReportSection.Picture("parity", Svg),
            new ReportSection.Table("scores", ["metric", "value"], [["mae", "0.4"], ["<b>", "1"]], "note & more"),
            new ReportSection.Facts("run", [new("seed", "7")]),
        ]).OrThrow();
        Assert.Contains("<title>Fe&lt;sub&gt;2&lt;/sub&gt;O3 &amp; co</title>", html);
        Assert.Contains("<circle cx=\"5\" cy=\"5\" r=\"2\"", html);
        Assert.Contains("<td>&lt;b&gt;</td>", html);
        Assert.Contains("<th>seed</th><td>7</td>", html);
        Assert.Contains("note &amp; more", html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void Render_ReportsBadPicturesAndRaggedTables()
    {
        var problems = HtmlReport.Render("t", [
            new ReportSection.Picture("broken", "<svg><g></svg>"),
            new ReportSection.Table("ragged", ["a", "b"], [["1"]]),
        ]).Problems();
        Assert.Equal(["report.bad_svg", "shape.columns_mismatch"], problems.Select(p => p.Code));
        Assert.Contains("'broken'", problems[0].Message);
        Assert.Equal("data.empty", Assert.Single(HtmlReport.Render("t", []).Problems()).Code);
    }

}
