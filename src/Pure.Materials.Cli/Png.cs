using System.Buffers.Binary;
using Pure.Materials.Core;
using SkiaSharp;
using Svg.Skia;
using Svg.Skia.TypefaceProviders;

namespace Pure.Materials.Cli;

/// <summary>PNG copies of the SVG figures (<c>--png-dpi N</c>): each FILE.svg a run writes gets FILE.png beside it, drawn by
/// Svg.Skia (SVG to a Skia picture) and SkiaSharp (Skia's raster back end and PNG encoder) at N dots per inch.</summary>
/// <remarks>
/// An SVG user unit is a CSS pixel, 1/96 inch, so a figure W x H units wide becomes round(W N / 96) x round(H N / 96) pixels on a
/// white background; the PNG's pHYs chunk records N (as pixels per metre) so that page layout programs place it at its true size.
/// Text is drawn with the bundled DejaVu Sans (<c>Fonts/DejaVuSans.ttf</c>, whatever font family the SVG names): the figures size
/// their margins with its advance widths (<see cref="SvgText"/>), and a fresh machine may have no fonts at all.
/// </remarks>
internal static class Png
{
    /// <summary>The dots per inch of this run's PNG copies, or null for none (set by <c>--png-dpi</c>; per in-process run).</summary>
    public static readonly AsyncLocal<int?> Dpi = new();

    /// <summary>Accepted values of <c>--png-dpi</c>.</summary>
    public const int MinDpi = 24, MaxDpi = 2400;

    private static readonly Lazy<SKTypeface> Font = new(() =>
    {
        using var stream = typeof(Png).Assembly.GetManifestResourceStream("fonts/DejaVuSans.ttf")
            ?? throw new InvalidOperationException("the bundled font fonts/DejaVuSans.ttf is missing from the assembly");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException("Skia could not read the bundled DejaVu Sans");
    });

    /// <summary>Gives every font family the bundled DejaVu Sans.</summary>
    private sealed class BundledFont : ITypefaceProvider
    {
        public SKTypeface? FromFamilyName(string fontFamily, SKFontStyleWeight fontWeight, SKFontStyleWidth fontWidth, SKFontStyleSlant fontStyle) => Font.Value;
    }

    /// <summary>Draws an SVG document as PNG bytes.</summary>
    /// <param name="svg">The SVG text (with width and height, or a viewBox).</param>
    /// <param name="dpi">Dots per inch, <see cref="MinDpi"/> to <see cref="MaxDpi"/>.</param>
    /// <returns>The PNG file's bytes, or <c>png.render_failed</c> when the SVG cannot be drawn or the native Skia library cannot load.</returns>
    public static LanguageExt.Validation<Problem, byte[]> Render(string svg, int dpi)
    {
        try
        {
            using var document = new SKSvg();
            var providers = document.Settings.TypefaceProviders ?? throw new InvalidOperationException("Svg.Skia has no typeface provider list");
            providers.Clear();
            providers.Add(new BundledFont());
            var picture = document.FromSvg(svg);
            if (picture is null) return Valid.Fail<byte[]>("png.render_failed", "Svg.Skia could not read the SVG figure");
            var bounds = Viewport(svg) ?? picture.CullRect; // the picture's cull rect can exceed the page; the page is what is shown
            var scale = dpi / 96.0;
            var width = (int)Math.Round(bounds.Width * scale);
            var height = (int)Math.Round(bounds.Height * scale);
            if (width < 1 || height < 1) return Valid.Fail<byte[]>("png.render_failed", $"the SVG figure has no size ({bounds.Width} x {bounds.Height} units)");
            using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
            var canvas = surface.Canvas;
            canvas.Clear(SKColors.White);
            canvas.Scale((float)scale);
            canvas.Translate(-bounds.Left, -bounds.Top);
            canvas.ClipRect(bounds);
            canvas.DrawPicture(picture);
            canvas.Flush();
            using var image = surface.Snapshot();
            using var data = image.Encode(SKEncodedImageFormat.Png, 100);
            return Valid.Ok(WithPhysicalSize(data.ToArray(), dpi));
        }
        catch (System.Xml.XmlException e)
        {
            return Valid.Fail<byte[]>("png.render_failed", $"the SVG figure is not well-formed XML: {e.Message}");
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            var cause = e;
            while (cause.InnerException is not null) cause = cause.InnerException;
            // One line: the loader's message lists every path it probed on further lines; its first sentence names the library.
            var first = cause.Message.Split('\n')[0].Trim();
            var sentence = first.IndexOf(". ", StringComparison.Ordinal) is var dot and > 0 ? first[..(dot + 1)] : first;
            return Valid.Fail<byte[]>("png.render_failed",
                $"PNG export needs SkiaSharp's native library, which could not be loaded here ({cause.GetType().Name}: {sentence}); the tool ships it for " +
                "linux-x64, linux-arm64, macOS and Windows x64/arm64; run without --png-dpi to write the SVG figures alone");
        }
    }

    /// <summary>The page of the SVG in user units: its root's width and height (plain numbers or px), else its viewBox, else null.</summary>
    private static SKRect? Viewport(string svg)
    {
        var root = System.Xml.Linq.XDocument.Parse(svg).Root;
        if (root is null) return null;
        static float? Number(string? text) =>
            text is not null && float.TryParse(text.EndsWith("px", StringComparison.Ordinal) ? text[..^2] : text, System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;
        if (Number(root.Attribute("width")?.Value) is { } w && Number(root.Attribute("height")?.Value) is { } h) return new SKRect(0, 0, w, h);
        var box = root.Attribute("viewBox")?.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        if (box is { Length: 4 } && box.Select(b => float.TryParse(b, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : float.NaN).ToArray() is var b4
            && b4.All(float.IsFinite) && b4[2] > 0 && b4[3] > 0)
            return new SKRect(b4[0], b4[1], b4[0] + b4[2], b4[1] + b4[3]);
        return null;
    }

    /// <summary>Writes FILE.png beside each FILE.svg of <paramref name="files"/> when <c>--png-dpi</c> is given.</summary>
    /// <param name="files">(path to read the SVG from, final SVG path) pairs; other files are skipped.</param>
    /// <param name="target">Where to write the PNG for a final SVG path (a temporary name for outputs renamed at commit).</param>
    /// <returns>The (written, final) PNG paths.</returns>
    /// <exception cref="ProblemException">When a figure cannot be rendered.</exception>
    public static IReadOnlyList<(string Written, string Final)> Beside(IEnumerable<(string Source, string Final)> files, Func<string, string> target)
    {
        if (Dpi.Value is not { } dpi) return [];
        var written = new List<(string, string)>();
        foreach (var (source, final) in files)
        {
            if (!final.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) || !File.Exists(source)) continue;
            var png = Render(File.ReadAllText(source), dpi);
            if (png.IsFail) throw new ProblemException(png.Problems().Select(p => p with { Message = $"{Path.GetFileName(final)}: {p.Message}" }).ToArray());
            var finalPng = Path.ChangeExtension(final, ".png");
            var path = target(finalPng);
            File.WriteAllBytes(path, png.OrThrow());
            written.Add((path, finalPng));
        }
        return written;
    }

    /// <summary>Inserts a pHYs chunk (pixels per metre for <paramref name="dpi"/>, both axes) after the PNG's IHDR chunk.</summary>
    internal static byte[] WithPhysicalSize(byte[] png, int dpi)
    {
        const int ihdrEnd = 8 + 4 + 4 + 13 + 4; // signature, IHDR length, type, data, CRC
        var chunk = new byte[4 + 4 + 9 + 4];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, 9);
        "pHYs"u8.CopyTo(chunk.AsSpan(4));
        var perMetre = (uint)Math.Round(dpi / 0.0254);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8), perMetre);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(12), perMetre);
        chunk[16] = 1; // unit: metre
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(17), Crc32(chunk.AsSpan(4, 13)));
        return [.. png.AsSpan(0, ihdrEnd), .. chunk, .. png.AsSpan(ihdrEnd)];
    }

    /// <summary>The CRC-32 (ISO 3309, as PNG uses) of <paramref name="bytes"/>.</summary>
    internal static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
