using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Structures;

/// <summary>Names what can sit on a site: an element, with an oxidation state when one is given (pymatgen's <c>Element</c> or <c>Species</c>).</summary>
/// <param name="AtomicNumber">Atomic number, 1..118.</param>
/// <param name="OxidationState">Formal oxidation state (may be fractional, e.g. 2.5), or <c>null</c> when none is given.
/// <c>null</c> and 0 differ, as in pymatgen (<c>Na</c> and <c>Na0+</c>).</param>
/// <remarks>Build with <see cref="Parse"/> or <see cref="Create"/>, which check the atomic number and the oxidation state.</remarks>
public sealed record Species(int AtomicNumber, double? OxidationState = null)
{
    /// <summary>The element symbol, e.g. <c>Fe</c>.</summary>
    public string Symbol => Elements.Symbol(AtomicNumber);

    /// <summary>Formats as pymatgen does: <c>Fe</c>, <c>Fe2+</c>, <c>Na+</c>, <c>O2-</c>, <c>Fe2.5+</c>, <c>Na0+</c>.</summary>
    public override string ToString()
    {
        if (OxidationState is not double ox) return Symbol;
        var mag = Math.Abs(ox);
        var digits = mag == 1 ? "" : mag == Math.Round(mag) ? ((long)mag).ToString(CultureInfo.InvariantCulture) : mag.ToString("R", CultureInfo.InvariantCulture);
        return Symbol + digits + (ox >= 0 ? "+" : "-");
    }

    /// <summary>Builds a species, checking it.</summary>
    /// <param name="atomicNumber">Atomic number, 1..118.</param>
    /// <param name="oxidationState">Oxidation state, finite and within [-10, 10], or null.</param>
    /// <returns>The species, or <c>species.unknown_element</c> or <c>species.invalid_oxidation_state</c>.</returns>
    public static Validation<Problem, Species> Create(int atomicNumber, double? oxidationState = null)
    {
        if (atomicNumber is < 1 or > Elements.Count)
            return Valid.Fail<Species>("species.unknown_element", $"atomic number {atomicNumber} is outside 1..{Elements.Count}; give a real element.");
        if (oxidationState is double ox && !(Math.Abs(ox) <= 10))
            return Valid.Fail<Species>("species.invalid_oxidation_state", string.Create(CultureInfo.InvariantCulture, $"oxidation state {ox:R} is not a finite number in [-10, 10]; give a formal charge such as 2 or -1, or none."));
        return Valid.Ok(new Species(atomicNumber, oxidationState));
    }

    /// <summary>Parses pymatgen's species strings: <c>Fe</c>, <c>Fe2+</c>, <c>Na+</c>, <c>O2-</c>, <c>Fe2.5+</c>; never throws.</summary>
    /// <param name="text">The string; surrounding spaces are ignored.</param>
    /// <returns>The species, or <c>species.unknown_element</c> (not one of the 118 symbols, e.g. <c>Xx</c>, <c>X0+</c>, empty)
    /// or <c>species.invalid_oxidation_state</c> (a sign without a valid number, e.g. <c>Fe..+</c>, or beyond 10).</returns>
    public static Validation<Problem, Species> Parse(string? text)
    {
        var s = (text ?? "").Trim();
        var n = 0;
        if (s.Length > 0 && char.IsAsciiLetterUpper(s[0])) n = s.Length > 1 && char.IsAsciiLetterLower(s[1]) ? 2 : 1;
        if (n == 0 || !Elements.TryGetAtomicNumber(s[..n], out var z))
            return Valid.Fail<Species>("species.unknown_element", $"'{Clip(s)}' is not an element symbol (optionally followed by a charge such as 2+); use one of the 118 symbols, e.g. Fe or O2-.");
        var rest = s[n..];
        if (rest.Length == 0) return Valid.Ok(new Species(z));
        var sign = rest[^1];
        if (sign is not ('+' or '-'))
            return Valid.Fail<Species>("species.unknown_element", $"'{Clip(s)}' is not an element symbol followed by a charge (such as Fe2+ or O2-); write the charge as digits then + or -.");
        var digits = rest[..^1];
        double mag = 1;
        if (digits.Length > 0 && (!digits.All(c => char.IsAsciiDigit(c) || c == '.') || !double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out mag)))
            return Valid.Fail<Species>("species.invalid_oxidation_state", $"'{Clip(s)}' has charge '{Clip(rest)}', not a number followed by + or -; write e.g. Fe2+ or Fe2.5+.");
        return Create(z, sign == '-' ? -mag : mag);
    }

    internal static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "...";

    /// <summary>Pauling electronegativity of the element (pymatgen's <c>X</c>), NaN where pymatgen has none.</summary>
    internal double Electronegativity => Elements.PaulingElectronegativity(AtomicNumber);

    /// <summary>pymatgen's species order: electronegativity (NaN last), then symbol, then oxidation state (none before any).</summary>
    internal static int Compare(Species a, Species b)
    {
        var xa = double.IsNaN(a.Electronegativity) ? double.PositiveInfinity : a.Electronegativity;
        var xb = double.IsNaN(b.Electronegativity) ? double.PositiveInfinity : b.Electronegativity;
        if (xa != xb) return xa < xb ? -1 : 1;
        var c = string.CompareOrdinal(a.Symbol, b.Symbol);
        if (c != 0) return c;
        return (a.OxidationState ?? 0).CompareTo(b.OxidationState ?? 0);
    }
}

/// <summary>Pairs a species with its occupancy on a site.</summary>
/// <param name="Species">The element (and oxidation state).</param>
/// <param name="Occupancy">Fraction of the site it fills, in (0, 1]; 1 for an ordered site.</param>
public readonly record struct SiteSpecies(Species Species, double Occupancy);
