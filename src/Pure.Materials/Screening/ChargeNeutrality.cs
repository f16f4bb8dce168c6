using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Screening;

/// <summary>Which of pymatgen's oxidation-state lists a charge-neutrality check draws from.</summary>
public enum OxidationStateTable
{
    /// <summary>pymatgen's default for <c>oxi_state_guesses()</c>: an element's ICSD oxidation states (<c>Element.icsd_oxidation_states</c>,
    /// states with at least 10 ICSD entries and 1 % of the element's entries), or all its known states when it has no ICSD state.</summary>
    PymatgenDefault,

    /// <summary><c>oxi_state_guesses(all_oxi_states=True)</c>: every known oxidation state (<c>Element.oxidation_states</c>); very inclusive.</summary>
    PymatgenAll,
}

/// <summary>Decides whether an integer composition can be charge-balanced with tabulated oxidation states, as pymatgen's
/// <c>Composition.oxi_state_guesses</c> does (balanced when it returns at least one guess).</summary>
/// <remarks>
/// Rule: each of the <c>n_e</c> atoms of element e takes one oxidation state from e's list (atoms of one element may take
/// different states, so <c>Fe3O4</c> balances as Fe(2+) Fe(3+)2 O(2-)4); the composition is balanced when some choice sums
/// to 0. Computed exactly with sets of reachable charge sums (bitsets): the set of sums of n_e states of e is the n_e-fold
/// sumset of its list, and the composition is balanced when 0 is in the sumset of the elements' sets. This gives the same
/// answer as pymatgen's enumeration of <c>combinations_with_replacement</c> and <c>product</c> without its cost (pymatgen's
/// probability scores only order the guesses and do not change whether one exists). An element without any state (He, Ne,
/// Ar, Kr, and Z from 110 in pymatgen's table) makes every composition containing it unbalanced.
/// Table: pymatgen 2022.11.7 <c>Element.icsd_oxidation_states</c> and <c>Element.oxidation_states</c>, embedded as
/// <c>Screening/Tables/pymatgen_oxidation_states.csv</c> (see its PROVENANCE.md). Note that pymatgen's docstring says the default
/// uses the "common" oxidation states, but its code (2022.11.7, <c>Composition._get_oxid_state_guesses</c>) uses the ICSD
/// states; the code is followed here, and the tests agree with pymatgen on 400 compositions for both tables.
/// Source: pymatgen 2022.11.7 <c>pymatgen/core/composition.py</c>, <c>Composition._get_oxid_state_guesses</c> (MIT).
/// </remarks>
public sealed record ChargeNeutrality
{
    /// <summary>The largest amount of one element the check accepts (pymatgen would need more than 10^17 combinations beyond it).</summary>
    public const int MaxAmount = 1000;

    private static readonly Lazy<(int[][] Icsd, int[][] All)> Tables = new(LoadTables);

    private ChargeNeutrality(OxidationStateTable table) => Table = table;

    /// <summary>The oxidation-state list in use.</summary>
    public OxidationStateTable Table { get; }

    /// <summary>The check pymatgen's <c>oxi_state_guesses()</c> makes with its defaults (ICSD states, else all states).</summary>
    public static ChargeNeutrality PymatgenDefault { get; } = new(OxidationStateTable.PymatgenDefault);

    /// <summary>The check of <c>oxi_state_guesses(all_oxi_states=True)</c> (every known state).</summary>
    public static ChargeNeutrality PymatgenAll { get; } = new(OxidationStateTable.PymatgenAll);

    /// <summary>Returns the oxidation states element <paramref name="z"/> may take under this table, in pymatgen's order.</summary>
    /// <param name="z">Atomic number, 1..118.</param>
    /// <returns>The states; empty when the element has none (noble gases He, Ne, Ar, Kr and Z from 110).</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="z"/> is outside 1..118 (a programmer error).</exception>
    public IReadOnlyList<int> StatesOf(int z)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(z, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(z, Elements.Count);
        return States(z);
    }

    /// <summary>Tells whether a composition with whole amounts can be charge-balanced.</summary>
    /// <param name="composition">A composition whose amounts are whole numbers from 1 to <see cref="MaxAmount"/>.</param>
    /// <returns><c>true</c> when pymatgen's <c>oxi_state_guesses</c> (with this table) would return a guess; or
    /// <c>charge.non_integer_amount</c> (an amount that is not a whole number: pymatgen raises ValueError too) or
    /// <c>charge.amount_too_large</c> (an amount above <see cref="MaxAmount"/>).</returns>
    public Validation<Problem, bool> IsBalanced(Composition composition)
    {
        ArgumentNullException.ThrowIfNull(composition);
        var z = composition.AtomicNumberSpan;
        var a = composition.AmountSpan;
        var amounts = new int[a.Length];
        for (var k = 0; k < a.Length; k++)
        {
            if (a[k] != Math.Floor(a[k]))
                return Valid.Fail<bool>("charge.non_integer_amount",
                    $"'{composition.Formula}' has {Elements.Symbol(z[k])} {Composition.FormatRoundTrip(a[k])}, not a whole number; charge neutrality needs whole amounts (as in pymatgen), so scale the formula to whole numbers or do not filter by charge");
            if (a[k] > MaxAmount)
                return Valid.Fail<bool>("charge.amount_too_large",
                    $"'{composition.Formula}' has {Composition.FormatRoundTrip(a[k])} atoms of {Elements.Symbol(z[k])}, above {MaxAmount.ToString(CultureInfo.InvariantCulture)}; reduce the formula or do not filter by charge");
            amounts[k] = (int)a[k];
        }
        return Valid.Ok(IsBalanced(z, amounts));
    }

    /// <summary>The check on validated inputs: distinct elements with whole amounts 1..MaxAmount.</summary>
    internal bool IsBalanced(ReadOnlySpan<int> z, ReadOnlySpan<int> amounts)
    {
        var total = SumSet.Zero;
        for (var k = 0; k < z.Length; k++)
        {
            total = total.Add(Reachable(z[k], amounts[k]));
            if (total.IsEmpty) return false;
        }
        return total.Contains(0);
    }

    /// <summary>The charge sums <paramref name="amount"/> atoms of element <paramref name="z"/> can reach.</summary>
    internal SumSet Reachable(int z, int amount) => SumSet.Fold(States(z), amount);

    private int[] States(int z)
    {
        var (icsd, all) = Tables.Value;
        return Table == OxidationStateTable.PymatgenAll ? all[z - 1] : icsd[z - 1].Length > 0 ? icsd[z - 1] : all[z - 1];
    }

    private static (int[][] Icsd, int[][] All) LoadTables()
    {
        using var stream = typeof(ChargeNeutrality).Assembly.GetManifestResourceStream("screening/pymatgen_oxidation_states.csv")
            ?? throw new InvalidOperationException("Embedded table 'screening/pymatgen_oxidation_states.csv' is missing from the library build.");
        using var reader = new StreamReader(stream);
        var icsd = new int[Elements.Count][];
        var all = new int[Elements.Count][];
        reader.ReadLine();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var f = line.Split(',');
            var z = int.Parse(f[1], CultureInfo.InvariantCulture);
            icsd[z - 1] = Ints(f[2]);
            all[z - 1] = Ints(f[3]);
        }
        if (icsd.Any(x => x is null)) throw new InvalidOperationException("The embedded oxidation-state table does not cover Z = 1..118.");
        return (icsd, all);

        static int[] Ints(string s) => s.Length == 0 ? [] : [.. s.Split(' ').Select(x => int.Parse(x, CultureInfo.InvariantCulture))];
    }
}

/// <summary>An immutable finite set of integers (charge sums) stored as a bitset over [Offset, Offset + Length).</summary>
/// <remarks>Normalised (the lowest and highest bits are set, or the set is empty), so equal sets have equal fields and hash alike.</remarks>
internal sealed class SumSet : IEquatable<SumSet>
{
    private readonly ulong[] _bits;

    private SumSet(int offset, int length, ulong[] bits)
    {
        Offset = offset;
        Length = length;
        _bits = bits;
    }

    public static SumSet Empty { get; } = new(0, 0, []);

    public static SumSet Zero { get; } = new(0, 1, [1UL]);

    public int Offset { get; }

    public int Length { get; }

    public bool IsEmpty => Length == 0;

    public static SumSet Of(IEnumerable<int> values)
    {
        var v = values.Distinct().Order().ToArray();
        if (v.Length == 0) return Empty;
        var length = v[^1] - v[0] + 1;
        var bits = new ulong[(length + 63) >> 6];
        foreach (var x in v) bits[(x - v[0]) >> 6] |= 1UL << ((x - v[0]) & 63);
        return new SumSet(v[0], length, bits);
    }

    /// <summary>The <paramref name="times"/>-fold sumset of <paramref name="values"/> (every sum of that many values, repeats allowed).</summary>
    public static SumSet Fold(IReadOnlyCollection<int> values, int times)
    {
        var one = Of(values);
        var acc = Zero;
        for (var k = 0; k < times && !acc.IsEmpty; k++) acc = acc.Add(one);
        return acc;
    }

    public bool Contains(int x)
    {
        var i = x - Offset;
        return i >= 0 && i < Length && (_bits[i >> 6] & (1UL << (i & 63))) != 0;
    }

    /// <summary>The Minkowski sum {a + b}.</summary>
    public SumSet Add(SumSet other)
    {
        if (IsEmpty || other.IsEmpty) return Empty;
        var (big, small) = Length >= other.Length ? (this, other) : (other, this);
        var length = big.Length + small.Length - 1;
        var words = new ulong[(length + 63) >> 6];
        for (var j = 0; j < small.Length; j++)
            if ((small._bits[j >> 6] & (1UL << (j & 63))) != 0) OrShifted(words, big._bits, j);
        return new SumSet(Offset + other.Offset, length, words);
    }

    private static void OrShifted(ulong[] destination, ulong[] source, int shift)
    {
        var w = shift >> 6;
        var b = shift & 63;
        if (b == 0)
        {
            for (var i = 0; i < source.Length && i + w < destination.Length; i++) destination[i + w] |= source[i];
            return;
        }
        for (var i = 0; i < source.Length; i++)
        {
            if (i + w < destination.Length) destination[i + w] |= source[i] << b;
            if (i + w + 1 < destination.Length) destination[i + w + 1] |= source[i] >> (64 - b);
        }
    }

    public bool Equals(SumSet? other) =>
        other is not null && Offset == other.Offset && Length == other.Length && _bits.AsSpan().SequenceEqual(other._bits);

    public override bool Equals(object? obj) => Equals(obj as SumSet);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Offset);
        h.Add(Length);
        foreach (var w in _bits) h.Add(w);
        return h.ToHashCode();
    }

    public override string ToString() =>
        "{" + string.Join(",", Enumerable.Range(0, Length).Where(i => (_bits[i >> 6] & (1UL << (i & 63))) != 0).Select(i => (i + Offset).ToString(CultureInfo.InvariantCulture))) + "}";
}
