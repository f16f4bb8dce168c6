using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Structures;

/// <summary>Where a reader is: the source name (file name or label), for problems that name file, line and field.</summary>
internal sealed record ReadContext(string Source)
{
    /// <summary>Largest text a reader accepts, in characters (256 Mi).</summary>
    public const int MaxChars = 256 * 1024 * 1024;

    public string Where(int? line, string? field) =>
        $"{Source}{(line is int l ? $" line {l}" : "")}{(field is null ? "" : $", {field}")}";

    public Problem Problem(string code, int? line, string? field, string message) =>
        new(code, $"{Where(line, field)}: {message}");

    public Validation<Problem, T> Fail<T>(string code, int? line, string? field, string message) =>
        Valid.Fail<T>(Problem(code, line, field, message));

    /// <summary>Re-states problems of a lower layer (lattice, site, species) at a place in the file.</summary>
    public Validation<Problem, T> At<T>(Validation<Problem, T> v, int? line, string? field) =>
        v.IsSuccess ? v : Valid.Fail<T>(v.Problems().Select(p => p with { Message = $"{Where(line, field)}: {p.Message}" }));

    public Validation<Problem, Unit> CheckSize(string? text, string format) =>
        text is null ? Valid.Fail<Unit>(Problem($"{format}.empty", null, null, "no text was given; pass the file's contents."))
        : text.Length > MaxChars ? Valid.Fail<Unit>(Problem($"{format}.too_large", null, null, $"the text has {text.Length:N0} characters, more than {MaxChars:N0}; split the file."))
        : Valid.Ok(LanguageExt.Unit.Default);

    /// <summary>Parses a Fortran/C number (a 'D' or 'd' exponent is read as 'E'); NaN and infinities are refused.</summary>
    public static bool TryNumber(string token, out double value)
    {
        var t = token.Replace('D', 'E').Replace('d', 'e');
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
        return double.IsFinite(value);
    }

    public static string Show(string token) => Species.Clip(token);
}
