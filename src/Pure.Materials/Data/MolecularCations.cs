using System.Collections.Immutable;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Data;

/// <summary>A molecular cation written in formulas by a short capital-letter symbol (<c>MA</c>, <c>FA</c>) and read as the elements it is made of.</summary>
/// <param name="Symbol">Two or more ASCII capital letters that are not a run of one-letter element symbols (e.g. <c>MA</c>; not <c>CN</c>, which is C + N).</param>
/// <param name="Name">What it is, for messages and reports (e.g. <c>methylammonium</c>).</param>
/// <param name="Formula">Its formula as written by the user (e.g. <c>CH3NH3</c>).</param>
/// <param name="Elements">Its composition, parsed from <paramref name="Formula"/> (MA = C 1, H 6, N 1).</param>
public sealed record MolecularCation(string Symbol, string Name, string Formula, Composition Elements);

/// <summary>Named molecular cations that formulas may hold (<see cref="Composition.Parse(string, MolecularCations)"/>): halide-perovskite
/// formulas such as <c>MAPbI3</c> or <c>FA0.5Cs0.5PbBr3</c> write methylammonium and formamidinium as <c>MA</c> and <c>FA</c>.</summary>
/// <remarks>
/// A symbol is recognised where its capitals stand in the formula and the next character is not a lowercase letter: <c>MA1Ca0.12</c> is
/// MA 1 then Ca 0.12; <c>FAPbI3</c> is FA then Pb; but <c>FAs</c> stays F + As, <c>FAl</c> F + Al, and <c>Ca</c>, <c>Fa</c>, <c>Ma</c> are
/// never a cation (case-sensitive). Every string that was a valid formula without cations reads the same with them: a symbol must
/// contain a capital that is no one-letter element (M, A, ...), so without cations each place where one matches fails as an unknown
/// element (<c>M</c>, <c>A</c>). A cation counts as its elements times its amount: <c>MAPbI3</c> = C 1, H 6, N 1, Pb 1, I 3, which is how
/// matminer users featurize these formulas (they expand <c>MA</c> to <c>CH3NH3</c> before calling pymatgen's <c>Composition</c>, which
/// reads <c>MA</c> as an unknown element). Composition featurizers (Magpie, stoichiometry, ...) therefore see C, H and N: a molecular
/// ion's own properties (ionic radius, ...) need a per-site featurizer with a species table (<c>SiteAveraged</c>, <c>SpeciesTable.With</c>).
/// Immutable; <see cref="None"/> (the default everywhere) keeps pymatgen's grammar.
/// Source: methylammonium CH3NH3+ and formamidinium CH(NH2)2+, the A-site cations of hybrid halide perovskites (e.g. the IMRC 2025
/// perovskite ML tutorial data, bundled as <c>perovskite_dft</c>).
/// </remarks>
public sealed class MolecularCations : IEquatable<MolecularCations>
{
    private MolecularCations(ImmutableArray<MolecularCation> cations) =>
        Cations = [.. cations.OrderByDescending(c => c.Symbol.Length).ThenBy(c => c.Symbol, StringComparer.Ordinal)];

    /// <summary>The cations, longest symbol first (so a longer symbol wins where two could match).</summary>
    public ImmutableArray<MolecularCation> Cations { get; }

    /// <summary>Most elements in one cation (1 when there is none): bounds the parser's scratch space.</summary>
    internal int MostElements => Cations.IsEmpty ? 1 : Cations.Max(c => c.Elements.Count);

    /// <summary>No molecular cation: formulas hold element symbols only (the default).</summary>
    public static MolecularCations None { get; } = new([]);

    /// <summary>Methylammonium, <c>MA</c> = CH3NH3 (C 1, H 6, N 1).</summary>
    public static MolecularCation Methylammonium { get; } = new("MA", "methylammonium", "CH3NH3", Composition.Parse("CH3NH3").OrThrow());

    /// <summary>Formamidinium, <c>FA</c> = CH(NH2)2 (C 1, H 5, N 2).</summary>
    public static MolecularCation Formamidinium { get; } = new("FA", "formamidinium", "CH(NH2)2", Composition.Parse("CH(NH2)2").OrThrow());

    /// <summary>The two cations of hybrid halide perovskites: <c>MA</c> (methylammonium) and <c>FA</c> (formamidinium).</summary>
    public static MolecularCations Standard { get; } = new([Methylammonium, Formamidinium]);

    /// <summary>Builds a set of cations from <c>SYMBOL=FORMULA</c> definitions or the known symbols <c>MA</c> and <c>FA</c>.</summary>
    /// <param name="definitions">Each either <c>MA</c> or <c>FA</c>, or <c>SYMBOL=FORMULA</c> for another cation (e.g. <c>GA=C(NH2)3</c>,
    /// guanidinium); empty gives <see cref="None"/>.</param>
    /// <returns>The set, or every problem: <c>param.invalid_value</c> (a symbol that is not two or more capitals, one that only spells
    /// one-letter elements such as <c>CN</c>, an unknown symbol without <c>=FORMULA</c>, a symbol given twice), or the <c>formula.*</c>
    /// problem of a cation's formula.</returns>
    public static Validation<Problem, MolecularCations> Parse(IEnumerable<string> definitions)
    {
        var problems = new List<Problem>();
        var cations = new List<MolecularCation>();
        foreach (var raw in definitions.Select(d => d.Trim()).Where(d => d.Length > 0))
        {
            var eq = raw.IndexOf('=');
            var symbol = (eq < 0 ? raw : raw[..eq]).Trim();
            var problem = CheckSymbol(symbol);
            if (problem is not null) { problems.Add(problem); continue; }
            if (cations.Any(c => c.Symbol == symbol))
            {
                problems.Add(new Problem("param.invalid_value", $"molecular cation '{symbol}' is given twice; give it once"));
                continue;
            }
            if (eq < 0)
            {
                var known = Standard.Cations.FirstOrDefault(c => c.Symbol == symbol);
                if (known is null)
                    problems.Add(new Problem("param.invalid_value",
                        $"molecular cation '{symbol}' is not known; known are MA (methylammonium, CH3NH3) and FA (formamidinium, CH(NH2)2); define others as SYMBOL=FORMULA (e.g. GA=C(NH2)3)"));
                else cations.Add(known);
                continue;
            }
            var formula = raw[(eq + 1)..].Trim();
            Composition.Parse(formula).Match(
                Succ: c => cations.Add(new MolecularCation(symbol, symbol, formula, c)),
                Fail: ps => problems.AddRange(ps.Select(p => p with { Message = $"molecular cation '{symbol}': {p.Message}" })));
        }
        return problems.Count > 0 ? Valid.Fail<MolecularCations>(problems) : Valid.Ok(new MolecularCations([.. cations]));
    }

    /// <summary>Adds a cation (or replaces one with the same symbol).</summary>
    /// <param name="symbol">Two or more capitals, not only one-letter element symbols (e.g. <c>GA</c>).</param>
    /// <param name="name">What it is (e.g. <c>guanidinium</c>).</param>
    /// <param name="formula">Its formula (e.g. <c>C(NH2)3</c>).</param>
    /// <returns>The new set, or <c>param.invalid_value</c>, or the formula's <c>formula.*</c> problem.</returns>
    public Validation<Problem, MolecularCations> With(string symbol, string name, string formula)
    {
        if (CheckSymbol(symbol) is { } p) return Valid.Fail<MolecularCations>(p);
        return Composition.Parse(formula).Map(c => new MolecularCations([.. Cations.Where(x => x.Symbol != symbol), new MolecularCation(symbol, name, formula, c)]));
    }

    /// <summary>The definitions as <see cref="Parse"/> reads them back (<c>MA=CH3NH3</c>, ...), symbols in ordinal order; for model files and reports.</summary>
    public IReadOnlyList<string> Definitions => [.. Cations.OrderBy(c => c.Symbol, StringComparer.Ordinal).Select(c => $"{c.Symbol}={c.Formula}")];

    private static Problem? CheckSymbol(string symbol)
    {
        if (symbol.Length < 2 || !symbol.All(char.IsAsciiLetterUpper))
            return new Problem("param.invalid_value",
                $"molecular cation symbol '{symbol}' is not two or more capital letters (e.g. MA, FA); symbols with lowercase letters would clash with elements");
        if (symbol.All(ch => Data.Elements.TryGetAtomicNumber(ch.ToString(), out _)))
            return new Problem("param.invalid_value",
                $"molecular cation symbol '{symbol}' spells one-letter elements ({string.Join(" + ", symbol.Select(ch => ch.ToString()))}), so formulas holding it would change meaning; choose a symbol with a letter that is no element (e.g. MA, FA)");
        return null;
    }

    /// <summary>The cation whose symbol starts at <paramref name="i"/> of <paramref name="s"/> and is not followed by a lowercase letter, or null.</summary>
    internal MolecularCation? At(string s, int i)
    {
        foreach (var c in Cations)
        {
            var end = i + c.Symbol.Length;
            if (end <= s.Length && string.CompareOrdinal(s, i, c.Symbol, 0, c.Symbol.Length) == 0
                && (end == s.Length || !char.IsAsciiLetterLower(s[end])))
                return c;
        }
        return null;
    }

    /// <summary>Compares the definitions.</summary>
    /// <param name="other">The other set.</param>
    /// <returns>True when both hold the same symbols with equal formulas.</returns>
    public bool Equals(MolecularCations? other) => other is not null && Definitions.SequenceEqual(other.Definitions);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MolecularCations);

    /// <inheritdoc/>
    public override int GetHashCode() => string.Join(";", Definitions).GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString() => Cations.IsEmpty ? "none" : string.Join(",", Definitions);
}
