namespace Pure.Materials.Core;

/// <summary>
/// How wide a line of SVG text is drawn, so that plots size their margins and titles to fit their own viewBox.
/// </summary>
/// <remarks>
/// SVG text is laid out by the viewer with whatever font <c>sans-serif</c> resolves to; an SVG writer cannot measure it. The
/// estimate uses the advance widths of DejaVu Sans (the <c>sans-serif</c> of Chromium and Firefox on Linux, and wider than
/// Helvetica and Arial, so text that fits by this estimate also fits in those), in em units rounded up to the hundredth:
/// lower-case letters, digits and capitals by class, narrow punctuation narrower, anything else (symbols, non-Latin) as a capital M.
/// </remarks>
public static class SvgText
{
    /// <summary>The estimated advance width of <paramref name="text"/> in pixels.</summary>
    /// <param name="text">One line of text (no markup).</param>
    /// <param name="fontSize">Font size in pixels (SVG user units), positive.</param>
    /// <returns>Width in pixels, 0 for empty text.</returns>
    public static double Width(string text, double fontSize)
    {
        var em = 0.0;
        foreach (var c in text) em += Advance(c);
        return em * fontSize;
    }

    /// <summary>The largest font size from <paramref name="preferred"/> down to <paramref name="minimum"/> at which the text fits
    /// <paramref name="maxWidth"/>; <paramref name="minimum"/> when none does (then <see cref="Shorten"/> the text).</summary>
    /// <param name="text">One line of text.</param>
    /// <param name="preferred">Font size to use when it fits, pixels.</param>
    /// <param name="maxWidth">Available width, pixels.</param>
    /// <param name="minimum">Smallest acceptable font size, pixels; default 9.</param>
    /// <returns>The font size in pixels, rounded down to a half pixel.</returns>
    public static double FitFontSize(string text, double preferred, double maxWidth, double minimum = 9)
    {
        var perPixel = Width(text, 1);
        if (perPixel <= 0 || perPixel * preferred <= maxWidth) return preferred;
        return Math.Max(minimum, Math.Floor(2 * maxWidth / perPixel) / 2);
    }

    /// <summary>The text itself when it fits <paramref name="maxWidth"/> at <paramref name="fontSize"/>, else its longest prefix that
    /// fits with an ellipsis appended.</summary>
    /// <param name="text">One line of text.</param>
    /// <param name="fontSize">Font size in pixels.</param>
    /// <param name="maxWidth">Available width in pixels.</param>
    /// <returns>The text, possibly shortened.</returns>
    public static string Shorten(string text, double fontSize, double maxWidth)
    {
        if (Width(text, fontSize) <= maxWidth) return text;
        var budget = maxWidth - Width("\u2026", fontSize);
        var used = 0.0;
        var n = 0;
        while (n < text.Length && used + Advance(text[n]) * fontSize <= budget) used += Advance(text[n++]) * fontSize;
        return text[..n].TrimEnd() + "\u2026";
    }

    /// <summary>A title line fitted to <paramref name="maxWidth"/>: the preferred size when it fits, else a smaller size down to
    /// <paramref name="minimum"/>, else shortened with an ellipsis at that size (keep the full text in the SVG's <c>title</c> element).</summary>
    /// <param name="text">The title.</param>
    /// <param name="preferred">Preferred font size, pixels.</param>
    /// <param name="maxWidth">Available width, pixels.</param>
    /// <param name="minimum">Smallest font size, pixels; default 11.</param>
    /// <returns>The text to draw and its font size.</returns>
    public static (string Text, double FontSize) Fit(string text, double preferred, double maxWidth, double minimum = 11)
    {
        var size = FitFontSize(text, preferred, maxWidth, minimum);
        return (Shorten(text, size, maxWidth), size);
    }

    /// <summary>DejaVu Sans advance width of one character, em (rounded up; classes, not the full table).</summary>
    private static double Advance(char c) => c switch
    {
        ' ' => 0.32,
        '.' or ',' or ':' or ';' or '\'' or '!' or '|' => 0.34,
        'i' or 'j' or 'l' or 'I' or 'J' => 0.30,
        'f' or 't' or 'r' or '(' or ')' or '[' or ']' or '-' or '/' or '\\' or '{' or '}' => 0.42,
        'm' => 0.98,
        'w' => 0.82,
        >= 'a' and <= 'z' => 0.64,
        >= '0' and <= '9' => 0.64,
        'M' => 0.87,
        'W' => 0.99,
        >= 'A' and <= 'Z' => 0.79,
        '_' => 0.50,
        '%' => 0.95,
        '=' or '+' or '<' or '>' or '\u00b1' or '\u2212' or '\u00d7' => 0.84,
        '\u00b2' or '\u00b3' => 0.41,
        _ => 1.0,
    };
}
