using System.Buffers;
using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Data;

/// <summary>Reads chemical formula strings into <see cref="Composition"/>s; the grammar is documented on <see cref="Composition.Parse(string)"/>.</summary>
/// <remarks>
/// A single left-to-right scan over the string with an explicit bracket stack (no regex, no recursion, so nesting depth
/// cannot overflow the call stack). Element occurrences are collected in a scratch buffer (on the stack for short
/// formulas, pooled otherwise); a closing bracket or a hydrate term multiplies the amounts of the occurrences it holds;
/// equal elements are summed at the end in order of first appearance. The only allocations on success are the two
/// result arrays and the <see cref="Composition"/>. The first problem found stops the scan.
/// </remarks>
internal static class FormulaParser
{
    /// <summary>Longest formula accepted, in UTF-16 characters.</summary>
    internal const int MaxLength = 10_000;

    internal const string EmptyCode = "formula.empty";
    internal const string TooLongCode = "formula.too_long";
    internal const string UnknownElementCode = "formula.unknown_element";
    internal const string UnexpectedCharacterCode = "formula.unexpected_character";
    internal const string UnbalancedCode = "formula.unbalanced_parenthesis";
    internal const string InvalidAmountCode = "formula.invalid_amount";
    internal const string MisplacedAmountCode = "formula.misplaced_amount";
    internal const string EmptyGroupCode = "formula.empty_group";
    internal const string DanglingSeparatorCode = "formula.dangling_separator";
    internal const string AmbiguousDotCode = "formula.ambiguous_dot";

    private const int StackScratch = 64;
    private const string Grammar =
        "a formula holds element symbols (e.g. 'Fe'), amounts (e.g. '2', '0.5', '1e-3'), brackets '(' ')' '[' ']', "
        + "spaces and hydrate separators ('·', '*', '.')";

    private struct Entry
    {
        public int Z;
        public double Amount;
        public int Index; // 0-based index of the element symbol in the formula
    }

    private struct Frame
    {
        public int EntryStart;         // first entry inside this bracket level
        public int TermStart;          // first entry of the current hydrate term of this level
        public double TermMultiplier;  // leading number of the current term (1 when none)
        public int Open;               // index of the opening bracket; -1 for the whole formula
        public int Separator;          // index of the separator that started the current term; -1 for the first term
    }

    /// <summary>Parses a formula; see <see cref="Composition.Parse(string)"/> for the grammar and the problem codes.</summary>
    internal static Validation<Problem, Composition> Parse(string? formula) => Parse(formula, null);

    /// <summary>Parses a formula that may hold molecular cations (<see cref="MolecularCations"/>), each read as its elements times its amount.</summary>
    internal static Validation<Problem, Composition> Parse(string? formula, MolecularCations? cations)
    {
        if (cations is not null && cations.Cations.IsEmpty) cations = null;
        if (formula is null)
            return Valid.Fail<Composition>(EmptyCode, "The formula is missing (null); write a chemical formula such as 'Fe2O3'.");
        if (formula.Length > MaxLength)
            return Valid.Fail<Composition>(TooLongCode,
                $"The formula {Quote(formula)} has {formula.Length} characters, more than the {MaxLength} allowed; "
                + "check that the column holds chemical formulas, or split the text into one formula per row.");
        if (string.IsNullOrWhiteSpace(formula))
            return Valid.Fail<Composition>(EmptyCode,
                $"The formula {Quote(formula)} is empty or only spaces; write a chemical formula such as 'Fe2O3'.");

        // Upper bounds: one entry per uppercase letter (a cation's elements per uppercase letter when cations are read),
        // one frame per opening bracket plus the whole formula.
        int maxEntries = 0, maxFrames = 1;
        foreach (var ch in formula)
        {
            if (char.IsAsciiLetterUpper(ch)) maxEntries++;
            else if (ch is '(' or '[') maxFrames++;
        }
        if (cations is not null) maxEntries *= cations.MostElements;
        Entry[]? rentedEntries = null;
        Frame[]? rentedFrames = null;
        try
        {
            var entries = maxEntries <= StackScratch ? stackalloc Entry[maxEntries] : (rentedEntries = ArrayPool<Entry>.Shared.Rent(maxEntries));
            var frames = maxFrames <= StackScratch ? stackalloc Frame[maxFrames] : (rentedFrames = ArrayPool<Frame>.Shared.Rent(maxFrames));
            return Scan(formula, entries, frames, cations);
        }
        finally
        {
            if (rentedEntries is not null) ArrayPool<Entry>.Shared.Return(rentedEntries);
            if (rentedFrames is not null) ArrayPool<Frame>.Shared.Return(rentedFrames);
        }
    }

    private static Validation<Problem, Composition> Scan(string s, Span<Entry> entries, Span<Frame> frames, MolecularCations? cations)
    {
        var count = 0;
        var depth = 0;
        frames[0] = new Frame { EntryStart = 0, TermStart = 0, TermMultiplier = 1, Open = -1, Separator = -1 };
        var i = 0;
        var plainNumberEnd = -1; // end of the last amount when it was digits only (no '.', no exponent)
        Problem? problem;
        while (true)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            if (i >= s.Length) break;
            var c = s[i];
            if (char.IsAsciiLetterUpper(c) && cations?.At(s, i) is { } cation)
            {
                var start = i;
                i += cation.Symbol.Length;
                problem = ReadAmount(s, ref i, afterUnit: true, out var amount, ref plainNumberEnd);
                if (problem is not null) return Fail(problem);
                var elements = cation.Elements;
                for (var k = 0; k < elements.Count; k++)
                    entries[count++] = new Entry { Z = elements.AtomicNumbers[k], Amount = elements.Amounts[k] * amount, Index = start };
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                var start = i++;
                while (i < s.Length && char.IsAsciiLetterLower(s[i])) i++;
                if (!Elements.TryGetAtomicNumber(s.AsSpan(start, i - start), out var z))
                    return Fail(UnknownElement(s, start, i, cations));
                problem = ReadAmount(s, ref i, afterUnit: true, out var amount, ref plainNumberEnd);
                if (problem is not null) return Fail(problem);
                entries[count++] = new Entry { Z = z, Amount = amount, Index = start };
            }
            else if (c is '(' or '[')
            {
                frames[++depth] = new Frame { EntryStart = count, TermStart = count, TermMultiplier = 1, Open = i, Separator = -1 };
                i++;
            }
            else if (c is ')' or ']')
            {
                if (depth == 0)
                    return Fail(new Problem(UnbalancedCode,
                        $"{Quote(s)} has a '{c}' at position {i + 1} with no matching '{Opening(c)}' before it; "
                        + $"remove it or add the missing '{Opening(c)}'."));
                ref var f = ref frames[depth];
                var open = s[f.Open];
                if (c != Closing(open))
                    return Fail(new Problem(UnbalancedCode,
                        $"{Quote(s)} has a '{c}' at position {i + 1} but the '{open}' at position {f.Open + 1} is still open; "
                        + $"close it with '{Closing(open)}' first."));
                if (count == f.TermStart)
                    return Fail(f.Separator >= 0
                        ? NothingAfterSeparator(s, f.Separator)
                        : new Problem(EmptyGroupCode,
                            $"{Quote(s)} has an empty group '{open}{c}' at position {f.Open + 1}; remove the brackets or put elements inside."));
                Multiply(entries[f.TermStart..count], f.TermMultiplier);
                i++;
                problem = ReadAmount(s, ref i, afterUnit: true, out var amount, ref plainNumberEnd);
                if (problem is not null) return Fail(problem);
                Multiply(entries[f.EntryStart..count], amount);
                depth--;
            }
            else if (IsSeparator(c))
            {
                if (c == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])
                    && (!IsWaterAfterDot(s, i) || (i > 0 && char.IsAsciiDigit(s[i - 1]) && plainNumberEnd != i)))
                    return Fail(new Problem(AmbiguousDotCode,
                        $"{Quote(s)} has a '.' at position {i + 1} followed by a digit that could be a decimal point or a hydrate "
                        + "separator; write decimals with a digit before the point (e.g. 'Fe0.5O') and hydrates with '·' "
                        + "(e.g. 'CuSO4·5H2O')."));
                ref var f = ref frames[depth];
                if (count == f.TermStart)
                    return Fail(f.Separator >= 0
                        ? NothingAfterSeparator(s, f.Separator)
                        : new Problem(DanglingSeparatorCode,
                            $"{Quote(s)} has nothing before the separator '{c}' at position {i + 1}; "
                            + "write the main formula first (e.g. 'CuSO4·5H2O') or remove the separator."));
                Multiply(entries[f.TermStart..count], f.TermMultiplier);
                f.Separator = i++;
                while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
                problem = ReadAmount(s, ref i, afterUnit: false, out f.TermMultiplier, ref plainNumberEnd);
                if (problem is not null) return Fail(problem);
                f.TermStart = count;
            }
            else if (char.IsAsciiDigit(c))
            {
                var end = NumberEnd(s, i);
                return Fail(new Problem(MisplacedAmountCode,
                    $"{Quote(s)} has the number '{s[i..end]}' at position {i + 1} with no element or closing bracket directly "
                    + "before it; write each amount right after the element or bracket it counts (e.g. 'Fe2O3', '(SO4)2') "
                    + "and join hydrates with a separator (e.g. 'CuSO4·5H2O')."));
            }
            else
            {
                return Fail(UnexpectedCharacter(s, i));
            }
        }

        if (depth > 0)
        {
            var open = s[frames[depth].Open];
            return Fail(new Problem(UnbalancedCode,
                $"{Quote(s)} has a '{open}' at position {frames[depth].Open + 1} that is never closed; "
                + $"add the missing '{Closing(open)}' or remove the '{open}'."));
        }
        ref var top = ref frames[0];
        if (count == top.TermStart)
            return Fail(top.Separator >= 0
                ? NothingAfterSeparator(s, top.Separator)
                : new Problem(EmptyCode, $"The formula {Quote(s)} has no element; write a chemical formula such as 'Fe2O3'."));
        Multiply(entries[top.TermStart..count], top.TermMultiplier);
        return Merge(s, entries[..count]);
    }

    /// <summary>Sums equal elements in order of first appearance and checks every total is positive and finite.</summary>
    private static Validation<Problem, Composition> Merge(string s, ReadOnlySpan<Entry> entries)
    {
        Span<byte> slot = stackalloc byte[Elements.Count + 1]; // distinct index + 1; 0 = not seen yet
        slot.Clear();
        var most = Math.Min(entries.Length, Elements.Count);
        Span<int> zs = stackalloc int[most];
        Span<double> amounts = stackalloc double[most];
        Span<int> first = stackalloc int[most];
        var distinct = 0;
        foreach (var e in entries)
        {
            var k = slot[e.Z] - 1;
            if (k < 0)
            {
                k = distinct++;
                slot[e.Z] = (byte)distinct;
                zs[k] = e.Z;
                amounts[k] = 0;
                first[k] = e.Index;
            }
            amounts[k] += e.Amount;
        }

        double total = 0;
        for (var k = 0; k < distinct; k++)
        {
            var a = amounts[k];
            if (!(a > 0) || double.IsInfinity(a))
                return Valid.Fail<Composition>(InvalidAmountCode,
                    $"{Quote(s)} gives '{Elements.Symbol(zs[k])}' (first at position {first[k] + 1}) a total amount of "
                    + $"{a.ToString("R", CultureInfo.InvariantCulture)} after multiplying its groups, which is not a positive finite "
                    + "number; use smaller or larger group multipliers.");
            total += a;
        }
        if (double.IsInfinity(total))
            return Valid.Fail<Composition>(InvalidAmountCode,
                $"{Quote(s)} has amounts that add up to more than {double.MaxValue.ToString("R", CultureInfo.InvariantCulture)}; "
                + "use smaller amounts.");
        return Valid.Ok(new Composition(zs[..distinct].ToArray(), amounts[..distinct].ToArray(), total));
    }

    /// <summary>Reads an optional amount at <paramref name="i"/>: digits, an optional '.' and digits, an optional exponent
    /// 'e' [sign] digits. Leaves <paramref name="amount"/> at 1 when no digit is there.</summary>
    /// <param name="s">The formula.</param>
    /// <param name="i">Index just after the element, bracket or separator; advanced past the amount.</param>
    /// <param name="afterUnit">True after an element or a closing bracket: there a '.' between digits that starts a
    /// water term (see <see cref="IsWaterAfterDot"/>) ends the amount instead of being a decimal point.</param>
    /// <param name="amount">The amount read, or 1.</param>
    /// <param name="plainNumberEnd">Set to the end of the amount when it is digits only, so a following water dot is
    /// accepted only after such a number (<c>CuSO4.5H2O</c>, not <c>CaSO4.0.5H2O</c>).</param>
    private static Problem? ReadAmount(string s, ref int i, bool afterUnit, out double amount, ref int plainNumberEnd)
    {
        amount = 1;
        if (i >= s.Length) return null;
        if (s[i] == '-' && i + 1 < s.Length && (char.IsAsciiDigit(s[i + 1]) || s[i + 1] == '.'))
        {
            var end = NumberEnd(s, i + 1);
            return InvalidAmount(s, i, s[i..end], "negative");
        }
        if (!char.IsAsciiDigit(s[i])) return null;

        var start = i;
        var j = i;
        while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
        if (j + 1 < s.Length && s[j] == '.' && char.IsAsciiDigit(s[j + 1]))
        {
            var waterTerm = afterUnit && HasNonZeroDigit(s.AsSpan(start, j - start)) && IsWaterAfterDot(s, j);
            if (!waterTerm)
            {
                j++;
                while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
            }
        }
        if (j < s.Length && s[j] == 'e')
        {
            var k = j + 1;
            if (k < s.Length && s[k] is '+' or '-') k++;
            if (k < s.Length && char.IsAsciiDigit(s[k]))
            {
                j = k;
                while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
            }
        }

        var text = s.AsSpan(start, j - start);
        if (!text.ContainsAny('.', 'e')) plainNumberEnd = j;
        if (!TryParseShort(text, out amount))
            double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out amount);
        if (amount == 0)
            return InvalidAmount(s, start, text.ToString(), HasNonZeroDigit(text) ? "too small to represent (it rounds to 0)" : "zero");
        if (!double.IsFinite(amount))
            return InvalidAmount(s, start, text.ToString(), "too large to represent");
        i = j;
        return null;
    }

    private static readonly double[] PowersOf10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];

    /// <summary>Reads <c>digits['.'digits]</c> with at most 15 digits exactly as <see cref="double.Parse(string)"/> does:
    /// the digits form an integer below 2^53 and 10^k (k at most 15) is exact, so one correctly rounded division gives
    /// the correctly rounded value (Clinger's fast path). Returns false for anything else (exponents, longer numbers).</summary>
    private static bool TryParseShort(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        if (text.Length > 16) return false;
        long mantissa = 0;
        var digits = 0;
        var fraction = -1;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (fraction >= 0) return false;
                fraction = 0;
                continue;
            }
            if (!char.IsAsciiDigit(c)) return false;
            mantissa = mantissa * 10 + (c - '0');
            digits++;
            if (fraction >= 0) fraction++;
        }
        if (digits > 15) return false;
        value = fraction > 0 ? mantissa / PowersOf10[fraction] : mantissa;
        return true;
    }

    /// <summary>Tells whether the '.' at <paramref name="dot"/> starts a water term: it is followed by a whole number
    /// without leading zero and then by exactly <c>H2O</c>, which ends the formula or is followed by a space, a
    /// separator or a closing bracket (as in <c>CuSO4.5H2O</c>).</summary>
    private static bool IsWaterAfterDot(string s, int dot)
    {
        var j = dot + 1;
        if (j >= s.Length || s[j] is < '1' or > '9') return false;
        while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
        if (j + 3 > s.Length || s[j] != 'H' || s[j + 1] != '2' || s[j + 2] != 'O') return false;
        var k = j + 3;
        return k == s.Length || char.IsWhiteSpace(s[k]) || IsSeparator(s[k]) || s[k] is ')' or ']';
    }

    private static bool IsSeparator(char c) => c is '.' or '*' or '\u00B7' or '\u2022' or '\u2219' or '\u22C5';

    private static bool HasNonZeroDigit(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is 'e') return false;
            if (c is >= '1' and <= '9') return true;
        }
        return false;
    }

    private static void Multiply(Span<Entry> entries, double factor)
    {
        if (factor == 1) return;
        for (var k = 0; k < entries.Length; k++) entries[k].Amount *= factor;
    }

    /// <summary>End of the run of number-like characters starting at <paramref name="i"/>, for messages.</summary>
    private static int NumberEnd(string s, int i)
    {
        var j = i;
        while (j < s.Length && (char.IsAsciiDigit(s[j]) || s[j] == '.' || s[j] == 'e'
                                || (s[j] is '+' or '-' && j > i && s[j - 1] == 'e'))) j++;
        return j;
    }

    private static char Opening(char close) => close == ')' ? '(' : '[';

    private static char Closing(char open) => open == '(' ? ')' : ']';

    private static Validation<Problem, Composition> Fail(Problem p) => Valid.Fail<Composition>(p);

    private static Problem InvalidAmount(string s, int index, string text, string why) =>
        new(InvalidAmountCode,
            $"{Quote(s)} has the amount '{text}' at position {index + 1}, which is {why}; amounts must be positive finite "
            + "numbers (e.g. '2', '0.5', '1e-3'): remove the element or give it a positive amount.");

    private static Problem NothingAfterSeparator(string s, int separator) =>
        new(DanglingSeparatorCode,
            $"{Quote(s)} has nothing after the separator '{s[separator]}' at position {separator + 1}; "
            + "add the group it joins (e.g. 'CuSO4·5H2O') or remove the separator.");

    private static Problem UnknownElement(string s, int start, int end, MolecularCations? cations)
    {
        var symbol = s[start..end];
        var hint = symbol switch
        {
            _ when cations is null && IsMolecularCationPair(s, start) =>
                "; 'MA' (methylammonium, CH3NH3) and 'FA' (formamidinium, CH(NH2)2) are molecular cations, not elements: "
                + "read them with DatasetSpec.MolecularCations = MolecularCations.Standard (expanded into C, H and N)",
            "E" when start > 0 && char.IsAsciiDigit(s[start - 1]) => "; write an exponent with a lowercase 'e' (e.g. '1e-3')",
            "D" or "T" => "; write hydrogen isotopes as 'H'",
            _ when symbol.Length > 2 => "; a symbol is one uppercase letter and at most one lowercase letter",
            _ => "",
        };
        return new Problem(UnknownElementCode,
            $"{Quote(s)} has an unknown element '{symbol}' at position {start + 1}; use one of the 118 symbols H to Og, "
            + $"which are case-sensitive (e.g. 'Co' is cobalt, 'CO' is carbon and oxygen){hint}.");
    }

    /// <summary>Whether the unknown symbol at <paramref name="start"/> is part of a capital pair 'MA' or 'FA' not followed by a lowercase letter.</summary>
    private static bool IsMolecularCationPair(string s, int start)
    {
        static bool PairAt(string s, int k) =>
            k >= 0 && k + 2 <= s.Length && s[k + 1] == 'A' && s[k] is 'M' or 'F' && (k + 2 == s.Length || !char.IsAsciiLetterLower(s[k + 2]));
        return PairAt(s, start) || PairAt(s, start - 1);
    }

    private static Problem UnexpectedCharacter(string s, int i)
    {
        var c = s[i];
        var hint = c switch
        {
            'e' when i > 0 && char.IsAsciiDigit(s[i - 1]) => "; an exponent needs digits after 'e' (e.g. '1e-3')",
            _ when char.IsAsciiLetterLower(c) => "; element symbols start with an uppercase letter (e.g. 'Fe', not 'fe')",
            '+' or '-' => "; charges and signs are not part of a formula",
            _ => "",
        };
        return new Problem(UnexpectedCharacterCode,
            $"{Quote(s)} has an unexpected character {Describe(s, i)} at position {i + 1}; {Grammar}: remove or replace it{hint}.");
    }

    /// <summary>Shows one character for a message: printable ASCII quoted, anything else with its code point.</summary>
    private static string Describe(string s, int i)
    {
        var c = s[i];
        if (c is >= ' ' and <= '~') return $"'{c}'";
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            return $"'{s.Substring(i, 2)}' (U+{char.ConvertToUtf32(c, s[i + 1]):X4})";
        if (char.IsControl(c) || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF') return $"U+{(int)c:X4}";
        return $"'{c}' (U+{(int)c:X4})";
    }

    /// <summary>Quotes a formula for a message: at most 60 characters, control characters shown as '?'.</summary>
    private static string Quote(string s)
    {
        const int max = 60;
        var shown = s.Length <= max ? s : s[..max];
        var needsCleaning = false;
        foreach (var c in shown)
        {
            if (char.IsControl(c) || char.IsSurrogate(c)) { needsCleaning = true; break; }
        }
        if (needsCleaning)
        {
            var chars = shown.ToCharArray();
            for (var k = 0; k < chars.Length; k++)
            {
                if (char.IsControl(chars[k]) || (char.IsSurrogate(chars[k])
                    && !(char.IsHighSurrogate(chars[k]) && k + 1 < chars.Length && char.IsLowSurrogate(chars[k + 1]))
                    && !(char.IsLowSurrogate(chars[k]) && k > 0 && char.IsHighSurrogate(chars[k - 1]))))
                    chars[k] = '?';
            }
            shown = new string(chars);
        }
        return s.Length <= max ? $"'{shown}'" : $"'{shown}...' ({s.Length} characters)";
    }
}
