using System.Collections.ObjectModel;
using System.Globalization;
using System.Numerics;
using System.Text;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Data;

/// <summary>Holds an immutable chemical composition: distinct elements with positive amounts, in order of first appearance.</summary>
/// <remarks>
/// Amounts are kept as parsed (Fe2O3 holds 2 and 3, not fractions), so featurizers that weight by amount
/// (matminer's <c>ElementProperty</c>) see the same weights as pymatgen's <c>Composition</c>. An element written more
/// than once is merged by summing its amounts (<c>FeOFe</c> holds Fe 2, O 1).
/// Equality is exact on the set of (element, amount) pairs and ignores order, so <c>Fe2O3</c> equals <c>O3Fe2</c> but
/// not <c>Fe4O6</c>; group polymorphs and multiples with <see cref="ReducedFormula"/> instead.
/// </remarks>
/// <example>
/// <code>
/// var c = Composition.Parse("Ag(AuS)2").OrThrow();   // Ag 1, Au 2, S 2
/// c.Formula;                                          // "AgAu2S2"
/// c.FractionOf(79);                                   // 0.4
/// Composition.Parse("Fe4O6").OrThrow().ReducedFormula; // "Fe2O3"
/// </code>
/// </example>
public sealed class Composition : IEquatable<Composition>
{
    private readonly int[] _z;
    private readonly double[] _amounts;
    private string? _formula;
    private string? _reducedFormula;

    /// <summary>Takes ownership of validated arrays (distinct Z in 1..118, positive finite amounts, finite total).</summary>
    internal Composition(int[] atomicNumbers, double[] amounts, double totalAmount)
    {
        _z = atomicNumbers;
        _amounts = amounts;
        TotalAmount = totalAmount;
        AtomicNumbers = new ReadOnlyCollection<int>(atomicNumbers);
        Amounts = new ReadOnlyCollection<double>(amounts);
    }

    /// <summary>Atomic number (1..118) of each distinct element, in order of first appearance; length <see cref="Count"/>.</summary>
    public IReadOnlyList<int> AtomicNumbers { get; }

    /// <summary>Amount of each element of <see cref="AtomicNumbers"/> as written (not normalised), each positive and finite.</summary>
    public IReadOnlyList<double> Amounts { get; }

    /// <summary>Number of distinct elements, at least 1.</summary>
    public int Count => _z.Length;

    /// <summary>Sum of <see cref="Amounts"/> (atoms per formula unit as written), positive and finite.</summary>
    public double TotalAmount { get; }

    /// <summary>Atomic numbers as a span (no copy), for inner loops.</summary>
    internal ReadOnlySpan<int> AtomicNumberSpan => _z;

    /// <summary>Amounts as a span (no copy), for inner loops.</summary>
    internal ReadOnlySpan<double> AmountSpan => _amounts;

    /// <summary>Parses a chemical formula such as <c>Fe2O3</c>, <c>Ag(W3Br7)2</c> or <c>CuSO4·5H2O</c>; never throws.</summary>
    /// <param name="formula">The formula; any string, including null, empty, very long or non-ASCII text, is answered with a value.</param>
    /// <returns>
    /// The composition, or one problem (positions are 1-based UTF-16 character positions; <c>Row</c> and <c>Column</c>
    /// stay null for the caller to set with <see cref="Problem.At"/>):
    /// <c>formula.empty</c> (null, empty, only spaces, or no element),
    /// <c>formula.too_long</c> (more than 10,000 characters),
    /// <c>formula.unknown_element</c> (e.g. <c>Xx</c> in <c>Fe2Xx3</c>),
    /// <c>formula.unexpected_character</c> (e.g. <c>,</c> <c>#</c> or a lowercase letter where a symbol must start),
    /// <c>formula.unbalanced_parenthesis</c> (unmatched or mismatched <c>()</c> / <c>[]</c>),
    /// <c>formula.invalid_amount</c> (zero, negative, overflowing or underflowing amount, also after multiplying groups),
    /// <c>formula.misplaced_amount</c> (a number not directly after an element, a closing bracket or a separator, e.g. <c>2H2O</c>, <c>Fe 2</c>),
    /// <c>formula.empty_group</c> (<c>()</c>),
    /// <c>formula.dangling_separator</c> (a hydrate separator with nothing before or after it),
    /// <c>formula.ambiguous_dot</c> (a '.' followed by a digit that is neither a decimal point nor a water term, e.g. <c>Fe.5O</c>).
    /// </returns>
    /// <remarks>
    /// Grammar (whitespace may stand between terms, not inside a symbol or a number, nor between a symbol or closing
    /// bracket and its amount):
    /// <code>
    /// formula := term (separator [number] term)*
    /// term    := unit+
    /// unit    := symbol [number] | '(' formula ')' [number] | '[' formula ']' [number]
    /// symbol  := uppercase ASCII letter, then lowercase ASCII letters (the whole run must be one of the 118 symbols)
    /// number  := digits ['.' digits] ['e' ['+'|'-'] digits]
    /// separator := '·' (U+00B7) | '•' (U+2022) | '∙' (U+2219) | '⋅' (U+22C5) | '*' | '.'
    /// </code>
    /// A group's number multiplies every amount inside it (<c>Ag(AuS)2</c> = Ag 1, Au 2, S 2, as pymatgen reads it).
    /// The number after a separator multiplies the term that follows, up to the next separator or closing bracket
    /// (<c>CuSO4·5H2O</c> = Cu 1, S 1, O 9, H 10; <c>CaSO4·0.5H2O</c> works too).
    /// <para>
    /// Decimal point or hydrate dot: a '.' between digits is a decimal point (<c>Fe0.5O</c>, <c>Pb1.75S4</c>, <c>Fe1.5O2</c>),
    /// except when it starts a water term: the digits before it are not all zero, the digits after it are a whole
    /// number without leading zero, and these are followed by exactly <c>H2O</c> that ends the formula or is followed by
    /// a space, a separator or a closing bracket. So <c>CuSO4.5H2O</c> and <c>Na2CO3.10H2O</c> are hydrates, while
    /// <c>Fe0.5H2O</c> and <c>Li1.5H2O2</c> are decimals. A '.' not followed by a digit is a separator (<c>CuSO4.H2O</c>).
    /// Any other '.' followed by a digit is <c>formula.ambiguous_dot</c>: after a letter, a bracket or a space
    /// (<c>Fe.5O</c>, <c>CuCl2 .2NH3</c>) or after a number that already has a '.' or an exponent (<c>CaSO4.0.5H2O</c>).
    /// Use '·' for other hydrates (<c>CuCl2·2NH3</c>, <c>CaSO4·0.5H2O</c>). Caveat: <c>CuCl2.2NH3</c> reads as Cl 2.2,
    /// as pymatgen reads it.
    /// </para>
    /// <para>
    /// Scientific notation: only a lowercase 'e' directly after the digits of an amount, followed by an optional sign
    /// and at least one digit (<c>Fe1e-3Ni</c>, <c>O2.5e+2</c>). Element symbols start with an uppercase letter, so this
    /// never clashes with a symbol; an uppercase 'E' is read as a symbol and reported as unknown.
    /// </para>
    /// Speed: one pass over the characters, no regex, no recursion (any nesting depth); on success only the result is
    /// allocated (about 0.25 microseconds per Matbench formula on the 2-core reference machine).
    /// Source: pymatgen's <c>Composition._parse_formula</c> (2022.11.7): the amounts equal pymatgen's bit for bit on all
    /// 4604 matbench_expt_gap formulas (matminer 0.9.0 ElementFraction). Differences: square brackets and hydrates are
    /// read here; pymatgen's leniencies (a space between a symbol and its amount, '.5', amounts below 1e-8 silently
    /// dropped) are problems or kept values here.
    /// </remarks>
    public static Validation<Problem, Composition> Parse(string formula) => FormulaParser.Parse(formula);

    /// <summary>Parses a chemical formula that may hold molecular cations (<c>MAPbI3</c>, <c>FA0.5Cs0.5PbBr3</c>), each read as its elements.</summary>
    /// <param name="formula">The formula, in the grammar of <see cref="Parse(string)"/> plus the cations' symbols (e.g. <c>MA</c>, <c>FA</c>).</param>
    /// <param name="cations">The cations to read (<see cref="MolecularCations.Standard"/>: MA = CH3NH3, FA = CH(NH2)2); <see cref="MolecularCations.None"/>
    /// gives exactly <see cref="Parse(string)"/>.</param>
    /// <returns>The composition with each cation expanded (<c>MAPbI3</c> = C 1, H 6, N 1, Pb 1, I 3), or the problems of <see cref="Parse(string)"/>.</returns>
    /// <remarks>Where a cation's symbol is recognised, and why no formula valid without cations changes, is on <see cref="MolecularCations"/>.</remarks>
    public static Validation<Problem, Composition> Parse(string formula, MolecularCations cations) => FormulaParser.Parse(formula, cations);

    /// <summary>Builds a composition from (atomic number, amount) pairs, summing repeated elements.</summary>
    /// <param name="amounts">Pairs with atomic number in 1..118 and positive finite amount; elements keep their order of first appearance.</param>
    /// <returns>
    /// The composition, or every problem found: <c>composition.empty</c> (no pairs),
    /// <c>composition.invalid_atomic_number</c> (outside 1..118), <c>composition.invalid_amount</c> (zero, negative, NaN,
    /// infinite, or a sum that overflows).
    /// </returns>
    /// <exception cref="ArgumentNullException">When <paramref name="amounts"/> is null (a programmer error).</exception>
    public static Validation<Problem, Composition> FromAmounts(IEnumerable<(int AtomicNumber, double Amount)> amounts)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        var problems = new List<Problem>();
        var zs = new List<int>();
        var sums = new List<double>();
        var index = -1;
        foreach (var (z, amount) in amounts)
        {
            index++;
            var ok = true;
            if (z is < 1 or > Elements.Count)
            {
                problems.Add(new Problem("composition.invalid_atomic_number",
                    $"pair {index} has atomic number {z}, outside 1..{Elements.Count}; use the Z of a real element (e.g. 26 for Fe)."));
                ok = false;
            }
            if (!(amount > 0) || double.IsInfinity(amount))
            {
                problems.Add(new Problem("composition.invalid_amount",
                    $"pair {index} has amount {amount.ToString("R", CultureInfo.InvariantCulture)}, expected a positive finite "
                    + "number; drop the element or give it a positive amount."));
                ok = false;
            }
            if (!ok) continue;
            var k = zs.IndexOf(z);
            if (k < 0)
            {
                zs.Add(z);
                sums.Add(amount);
            }
            else
            {
                sums[k] += amount;
            }
        }
        if (problems.Count > 0) return Valid.Fail<Composition>(problems);
        if (zs.Count == 0)
            return Valid.Fail<Composition>("composition.empty", "no (atomic number, amount) pairs were given; give at least one element.");

        double total = 0;
        for (var k = 0; k < zs.Count; k++)
        {
            if (double.IsInfinity(sums[k]))
                problems.Add(new Problem("composition.invalid_amount",
                    $"the amounts of {Elements.Symbol(zs[k])} add up to more than {double.MaxValue.ToString("R", CultureInfo.InvariantCulture)}; use smaller amounts."));
            total += sums[k];
        }
        if (problems.Count == 0 && double.IsInfinity(total))
            problems.Add(new Problem("composition.invalid_amount",
                $"the amounts add up to more than {double.MaxValue.ToString("R", CultureInfo.InvariantCulture)}; use smaller amounts."));
        return problems.Count > 0
            ? Valid.Fail<Composition>(problems)
            : Valid.Ok(new Composition([.. zs], [.. sums], total));
    }

    /// <summary>Returns the amount of element <paramref name="z"/> as written, or 0 when absent.</summary>
    /// <param name="z">Atomic number; any value (outside 1..118 gives 0).</param>
    /// <returns>The amount, or 0.</returns>
    public double AmountOf(int z)
    {
        var k = Array.IndexOf(_z, z);
        return k < 0 ? 0 : _amounts[k];
    }

    /// <summary>Returns the atomic fraction of element <paramref name="z"/>: amount / <see cref="TotalAmount"/>, or 0 when absent.</summary>
    /// <param name="z">Atomic number; any value (outside 1..118 gives 0).</param>
    /// <returns>A fraction in (0, 1], or 0.</returns>
    public double FractionOf(int z) => AmountOf(z) / TotalAmount;

    /// <summary>Canonical formula: elements in stored order, each amount in shortest round-trip form, amount 1 omitted.</summary>
    /// <remarks>
    /// <see cref="Parse(string)"/> reads it back to an equal composition (exact amounts): e.g. <c>Fe2O3</c>, <c>Ag0.5GePb1.75S4</c>,
    /// <c>Nb6.16e-05</c> (exponents use a lowercase 'e'). Where an omitted 1 would turn a decimal into a hydrate dot
    /// (a decimal amount followed by H 2 and a final O 1) the 1 is written: <c>Fe2.5H2O1</c>.
    /// </remarks>
    public string Formula => _formula ??= BuildFormula();

    /// <summary>Reduced formula as pymatgen 2022.11.7 writes it (<c>Composition.reduced_formula</c>): the same for every multiple and element order.</summary>
    /// <remarks>
    /// When every amount is within 1e-8 of a whole number from 1 to 2^53: amounts are rounded, divided by their greatest
    /// common divisor, and written in increasing Pauling electronegativity, ties by symbol (ordinal), amount 1 omitted;
    /// when there are at least 3 elements and the last two differ in electronegativity by less than 1.65, they are
    /// written as a polyanion if their own gcd is above 1 (<c>Ca2B4C4</c> gives <c>Ca(BC)2</c>); the results <c>O</c>,
    /// <c>N</c>, <c>F</c>, <c>Cl</c>, <c>H</c>, <c>LiO</c>, <c>NaO</c>, <c>KO</c>, <c>RbO</c>, <c>CsO</c>, <c>HO</c> become
    /// <c>O2</c>, <c>N2</c>, <c>F2</c>, <c>Cl2</c>, <c>H2</c>, <c>Li2O2</c>, <c>Na2O2</c>, <c>K2O2</c>, <c>Rb2O2</c>,
    /// <c>Cs2O2</c>, <c>H2O2</c>.
    /// Otherwise amounts are kept (not scaled) and written in the same order with pymatgen's number format (1 written,
    /// near-whole amounts as whole numbers, else rounded to 8 decimals: <c>Fe0.5O1</c>, <c>Nb6.16e-05</c>), so
    /// <c>Fe0.5O0.5</c> and <c>FeO</c> are different groups, as in pymatgen.
    /// Differences from pymatgen, for determinism: elements without a Pauling electronegativity (He, Ne, Ar, Z from 104)
    /// sort after all others (pymatgen compares NaN, which leaves their place undefined); ties are broken by symbol in the
    /// non-whole case too; an amount that rounds to 0 or exceeds 2^53 selects the non-whole form, where an amount below
    /// 1e-8 is written in full (<c>Fe1e-09O1</c>) instead of being dropped.
    /// Every string this returns can be read by <see cref="Parse(string)"/>.
    /// Source: pymatgen.core.composition <c>reduce_formula</c>, <c>get_reduced_formula_and_factor</c> and
    /// pymatgen.util.string <c>formula_double_format</c> (pymatgen 2022.11.7, MIT).
    /// </remarks>
    public string ReducedFormula => _reducedFormula ??= ReducedFormulas.Build(_z, _amounts);

    /// <summary>Returns <see cref="Formula"/>.</summary>
    /// <returns>The canonical formula.</returns>
    public override string ToString() => Formula;

    /// <summary>Tells whether both hold the same elements with exactly the same amounts, in any order.</summary>
    /// <param name="other">The other composition, or null.</param>
    /// <returns><c>true</c> when equal.</returns>
    public bool Equals(Composition? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other._z.Length != _z.Length) return false;
        for (var k = 0; k < _z.Length; k++)
        {
            var j = Array.IndexOf(other._z, _z[k]);
            if (j < 0 || other._amounts[j] != _amounts[k]) return false;
        }
        return true;
    }

    /// <summary>Tells whether <paramref name="obj"/> is an equal <see cref="Composition"/>.</summary>
    /// <param name="obj">Any object.</param>
    /// <returns><c>true</c> when equal.</returns>
    public override bool Equals(object? obj) => Equals(obj as Composition);

    /// <summary>Returns a hash that ignores element order and is the same in every process.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        ulong h = 0;
        for (var k = 0; k < _z.Length; k++)
            h += Mix((ulong)_z[k] * 0x9E3779B97F4A7C15UL ^ (ulong)BitConverter.DoubleToInt64Bits(_amounts[k]));
        return (int)(h ^ (h >> 32));
    }

    /// <summary>Tells whether two compositions are equal (see <see cref="Equals(Composition)"/>).</summary>
    /// <param name="left">A composition or null.</param>
    /// <param name="right">A composition or null.</param>
    /// <returns><c>true</c> when equal or both null.</returns>
    public static bool operator ==(Composition? left, Composition? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Tells whether two compositions differ (see <see cref="Equals(Composition)"/>).</summary>
    /// <param name="left">A composition or null.</param>
    /// <param name="right">A composition or null.</param>
    /// <returns><c>true</c> when not equal.</returns>
    public static bool operator !=(Composition? left, Composition? right) => !(left == right);

    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private string BuildFormula()
    {
        var sb = new StringBuilder(_z.Length * 4);
        string? previousAmount = null, beforePrevious = null;
        for (var k = 0; k < _z.Length; k++)
        {
            sb.Append(Elements.Symbol(_z[k]));
            var a = _amounts[k];
            // Keep "O1" where "…2.5H2O" would read as a hydrate dot (see Parse).
            var waterClash = k == _z.Length - 1 && k >= 2 && _z[k] == 8 && a == 1 && _z[k - 1] == 1 && _amounts[k - 1] == 2
                             && beforePrevious is not null && beforePrevious.Contains('.');
            var text = a == 1 && !waterClash ? null : FormatRoundTrip(a);
            sb.Append(text);
            beforePrevious = previousAmount;
            previousAmount = text;
        }
        return sb.ToString();
    }

    /// <summary>Shortest text that parses back to exactly <paramref name="x"/>, with a lowercase exponent.</summary>
    internal static string FormatRoundTrip(double x)
    {
        var r = x.ToString("R", CultureInfo.InvariantCulture);
        return r.Contains('E') ? r.Replace('E', 'e') : r;
    }
}

/// <summary>pymatgen's reduced formula; see <see cref="Composition.ReducedFormula"/>.</summary>
internal static class ReducedFormulas
{
    private const double Tolerance = 1e-8;             // pymatgen Composition.amount_tolerance
    private const double PolyanionThreshold = 1.65;    // pymatgen reduce_formula
    private const double MaxWhole = 9007199254740992;  // 2^53

    private static readonly Dictionary<string, string> Special = new(StringComparer.Ordinal)
    {
        ["LiO"] = "Li2O2", ["NaO"] = "Na2O2", ["KO"] = "K2O2", ["HO"] = "H2O2", ["CsO"] = "Cs2O2", ["RbO"] = "Rb2O2",
        ["O"] = "O2", ["N"] = "N2", ["F"] = "F2", ["Cl"] = "Cl2", ["H"] = "H2",
    };

    internal static string Build(int[] z, double[] amounts)
    {
        var order = new int[z.Length];
        for (var k = 0; k < order.Length; k++) order[k] = k;
        Array.Sort(order, (a, b) =>
        {
            var c = SortKey(z[a]).CompareTo(SortKey(z[b]));
            return c != 0 ? c : string.CompareOrdinal(Elements.Symbol(z[a]), Elements.Symbol(z[b]));
        });

        var whole = new long[z.Length];
        for (var k = 0; k < z.Length; k++)
        {
            var r = Math.Round(amounts[k]);
            if (!(Math.Abs(amounts[k] - r) < Tolerance) || r < 1 || r > MaxWhole) return NonWhole(z, amounts, order);
            whole[k] = (long)r;
        }

        var factor = whole[0];
        for (var k = 1; k < whole.Length; k++) factor = Gcd(factor, whole[k]);

        var sb = new StringBuilder(z.Length * 4);
        var n = order.Length;
        string? polyanion = null;
        if (n >= 3)
        {
            int a = order[n - 2], b = order[n - 1];
            // NaN (no electronegativity) makes the comparison false, as in Python.
            if (Elements.PaulingElectronegativity(z[b]) - Elements.PaulingElectronegativity(z[a]) < PolyanionThreshold)
            {
                long pa = whole[a] / factor, pb = whole[b] / factor;
                var polyFactor = Gcd(pa, pb);
                if (polyFactor != 1)
                    polyanion = $"({Elements.Symbol(z[a])}{WholeAmount(pa / polyFactor)}{Elements.Symbol(z[b])}{WholeAmount(pb / polyFactor)}){polyFactor.ToString(CultureInfo.InvariantCulture)}";
            }
        }
        var shown = polyanion is null ? n : n - 2;
        for (var k = 0; k < shown; k++)
            sb.Append(Elements.Symbol(z[order[k]])).Append(WholeAmount(whole[order[k]] / factor));
        sb.Append(polyanion);
        var reduced = sb.ToString();
        return Special.TryGetValue(reduced, out var special) ? special : reduced;
    }

    private static double SortKey(int z)
    {
        var x = Elements.PaulingElectronegativity(z);
        return double.IsNaN(x) ? double.PositiveInfinity : x;
    }

    private static string NonWhole(int[] z, double[] amounts, int[] order)
    {
        var sb = new StringBuilder(z.Length * 8);
        foreach (var k in order)
        {
            // pymatgen drops amounts below 1e-8 (its tolerance); here they stay, written in full so Parse can read them.
            var a = amounts[k] < Tolerance ? Composition.FormatRoundTrip(amounts[k]) : PythonAmount(amounts[k]);
            sb.Append(Elements.Symbol(z[k])).Append(a);
        }
        return sb.ToString();
    }

    private static string WholeAmount(long a) => a == 1 ? "" : a.ToString(CultureInfo.InvariantCulture);

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return Math.Abs(a);
    }

    /// <summary>pymatgen's <c>formula_double_format(x, ignore_ones=False)</c>: <c>str(int(x))</c> when x is within 1e-8
    /// of its truncation, else Python's <c>str(round(x, 8))</c>.</summary>
    internal static string PythonAmount(double x)
    {
        var t = Math.Truncate(x);
        if (Math.Abs(x - t) < Tolerance)
            return Math.Abs(t) < 9e18 ? ((long)t).ToString(CultureInfo.InvariantCulture) : new BigInteger(t).ToString(CultureInfo.InvariantCulture);
        // "F8" formats the exact binary value correctly rounded to 8 decimals; parsing it gives round(x, 8).
        var rounded = double.Parse(x.ToString("F8", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return PythonRepr(rounded);
    }

    /// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, positional when the decimal exponent is in
    /// [-4, 16) (always with a '.', e.g. <c>2.0</c>), else scientific with at least two exponent digits (<c>6.16e-05</c>).</summary>
    internal static string PythonRepr(double x)
    {
        if (x == 0) return "0.0";
        var r = Math.Abs(x).ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOf('E');
        var exp = e < 0 ? 0 : int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? r : r[..e];
        var dot = mantissa.IndexOf('.');
        var digits = dot < 0 ? mantissa : string.Concat(mantissa.AsSpan(0, dot), mantissa.AsSpan(dot + 1));
        var point = dot < 0 ? mantissa.Length : dot; // digits before the point
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') lead++;
        digits = digits[lead..].TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        var decimalExponent = point - lead - 1 + exp; // x = d.ddd * 10^decimalExponent
        var sign = x < 0 ? "-" : "";
        if (decimalExponent is >= -4 and < 16)
        {
            if (decimalExponent < 0) return $"{sign}0.{new string('0', -decimalExponent - 1)}{digits}";
            var intDigits = decimalExponent + 1;
            return digits.Length <= intDigits
                ? $"{sign}{digits}{new string('0', intDigits - digits.Length)}.0"
                : $"{sign}{digits[..intDigits]}.{digits[intDigits..]}";
        }
        var m = digits.Length == 1 ? digits : $"{digits[0]}.{digits[1..]}";
        return $"{sign}{m}e{(decimalExponent < 0 ? '-' : '+')}{Math.Abs(decimalExponent):00}";
    }
}
