using System.Buffers.Binary;
using System.Text.RegularExpressions;
using Pure.Materials.Cli;
using Pure.Materials.Core;
using Pure.Materials.Tests.Evaluate;
using SkiaSharp;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>PNG export (<c>--png-dpi</c>, Svg.Skia + SkiaSharp): every plot kind decodes, has the pixel size of its SVG page at the
/// chosen dpi, records the dpi, and shows its text (drawn with the bundled DejaVu Sans).</summary>
public class PngExportTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static (int Width, int Height) Page(string svg)
    {
        var m = Regex.Match(svg, "^<svg[^>]* width=\"([0-9.]+)\" height=\"([0-9.]+)\"");
        Assert.True(m.Success, "the SVG root has width and height");
        return ((int)double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            (int)double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Pixels clearly darker than the white background (text, marks, axes) in rows [top, bottom).</summary>
    private static int Ink(SKBitmap bitmap, int top, int bottom)
    {
        var count = 0;
        for (var y = top; y < bottom; y++)
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red + c.Green + c.Blue < 3 * 160) count++;
            }
        return count;
    }

    private static SKBitmap Decode(byte[] png) => SKBitmap.Decode(png) ?? throw new Xunit.Sdk.XunitException("the PNG does not decode");

    [Theory]
    [MemberData(nameof(FigureFitTests.Kinds), MemberType = typeof(FigureFitTests))]
    public void EveryPlotKind_RendersToAPngOfTheRightSize_WithItsText(string kind)
    {
        var svg = FigureFitTests.Draw(kind);
        var (w, h) = Page(svg);
        const int dpi = 150;
        var png = Png.Render(svg, dpi).OrThrow();
        using var bitmap = Decode(png);
        Assert.Equal(((int)Math.Round(w * dpi / 96.0), (int)Math.Round(h * dpi / 96.0)), (bitmap.Width, bitmap.Height));
        // The pHYs chunk right after IHDR: 150 dpi = 5906 pixels per metre on both axes, unit metre, with a correct CRC.
        Assert.Equal("pHYs"u8.ToArray(), png[37..41]);
        Assert.Equal(5906u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(41)));
        Assert.Equal(5906u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(45)));
        Assert.Equal(Png.Crc32(png.AsSpan(37, 13)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(50)));
        // Text is drawn: the same figure without its <text> elements has clearly less ink, and the title band (top 40 units) is not blank.
        var noText = Regex.Replace(svg, "<text[^>]*>.*?</text>", "", RegexOptions.Singleline);
        using var bare = Decode(Png.Render(noText, dpi).OrThrow());
        var titleBand = (int)Math.Round(40 * dpi / 96.0);
        var (ink, inkBare, title, titleBare) = (Ink(bitmap, 0, bitmap.Height), Ink(bare, 0, bare.Height), Ink(bitmap, 0, titleBand), Ink(bare, 0, titleBand));
        output.WriteLine($"{kind}: {bitmap.Width} x {bitmap.Height} px, {png.Length} bytes; dark pixels {ink} ({inkBare} without text), title band {title} ({titleBare} without text)");
        Assert.True(ink - inkBare > 2000, $"text adds only {ink - inkBare} dark pixels");
        Assert.True(title - titleBare > 300, $"the title band has {title} dark pixels, {titleBare} without text");
    }

    [Fact]
    public void Render_IsTheSameForTheSameFigure_AndScalesWithTheDpi()
    {
        var svg = FigureFitTests.Draw("parity");
        var (w, h) = Page(svg);
        Assert.Equal(Png.Render(svg, 300).OrThrow(), Png.Render(svg, 300).OrThrow());
        using var print = Decode(Png.Render(svg, 300).OrThrow());
        Assert.Equal(((int)Math.Round(w * 300 / 96.0), (int)Math.Round(h * 300 / 96.0)), (print.Width, print.Height));
        Assert.Contains(Png.Render("<svg", 96).Problems(), p => p.Code == "png.render_failed");
    }

    [Fact]
    public void PngDpi_WritesAPngBesideEverySvg_AndChecksItsRange()
    {
        var dir = CliRun.TempDir("pm-png-");
        var (exit, _, stderr) = CliRun.Run(["pca", "--data", "perovskite_dft", "--feature-columns", "K,Rb,Cs,MA,FA,Ge,Sn,Pb,Cl,Br,I,B_En,X_En", "--target", "Band Gap",
            "--umap-n-neighbors", "15", "--out", dir, "--png-dpi", "300"]);
        Assert.True(exit == 0, stderr);
        foreach (var name in new[] { "pca", "umap" })
        {
            var (w, h) = Page(File.ReadAllText(Path.Combine(dir, name + ".svg")));
            using var bitmap = Decode(File.ReadAllBytes(Path.Combine(dir, name + ".png")));
            Assert.Equal(((int)Math.Round(w * 300 / 96.0), (int)Math.Round(h * 300 / 96.0)), (bitmap.Width, bitmap.Height));
        }
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        var none = CliRun.TempDir("pm-png-none-");
        Assert.Equal(0, CliRun.Run(["pca", "--data", "perovskite_dft", "--feature-columns", "K,Rb,Cs", "--out", none]).Exit);
        Assert.Empty(Directory.GetFiles(none, "*.png"));
        var bad = CliRun.Run(["pca", "--data", "perovskite_dft", "--feature-columns", "K,Rb,Cs", "--png-dpi", "5"]);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("--png-dpi 5 is outside 24..2400", bad.Err);
    }
}
