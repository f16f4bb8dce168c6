using Pure.Materials.Data;

namespace Pure.Materials.Featurize;

/// <summary>Which oxidation states <see cref="IonProperty"/> may assign to each element when it checks charge balance.</summary>
/// <remarks>Source: pymatgen 2022.11.7 <c>periodic_table.json</c> ("Common oxidation states"); Magpie <c>OxidationStates.table</c> (matminer v0.9.0).</remarks>
public enum OxidationStateTable
{
    /// <summary>pymatgen 2022.11.7 <c>Element.common_oxidation_states</c> (matminer's default <c>PymatgenData</c>): e.g. Fe {2, 3}, O {-2}, U {6}; none for noble gases.</summary>
    PymatgenCommon,
    /// <summary>Magpie's <c>OxidationStates.table</c> (wider lists, e.g. U {3, 4, 5, 6}); not a matminer v0.9.0 configuration (matminer cannot combine it with electronegativity).</summary>
    Magpie,
}

/// <summary>Computes whether a charge-balanced ionic compound is possible and the maximum and mean ionic character of element pairs (matminer <c>IonProperty</c>).</summary>
/// <remarks>
/// Features (labels as matminer): <c>compound possible</c> (1 or 0), <c>max ionic char</c>, <c>avg ionic char</c>.
/// <para>
/// Ionic character of a pair: I(i, j) = 1 - exp(-(X_i - X_j)^2 / 4) with pymatgen Pauling electronegativities X.
/// <c>max ionic char</c> = max over pairs i &lt; j; <c>avg ionic char</c> = sum over pairs i &lt; j of x_i x_j I(i, j) with atomic
/// fractions x (each pair once, so a binary AB gives x_A x_B I). NaN when an element has no electronegativity (He, Ne, Ar, Z &gt;= 104).
/// A single element gives [1, 0, 0], as matminer.
/// Extension: for non-integer amounts matminer v0.9.0 raises (pymatgen's charge-balance check), losing the ionic character
/// too; here <c>compound possible</c> is NaN and both ionic-character features are given (tested in <c>CompositionParityTests</c>).
/// </para>
/// <para>
/// <c>compound possible</c> (default, matminer <c>fast=False</c>): 1 when every element can be given oxidation states from its
/// list in <see cref="States"/> so that the charges sum to zero, counting each atom separately: with integer amounts n_e,
/// there must be n_e states per element e (repetition allowed, so Fe3O4 = Fe(2)Fe(3)2 O(-2)4 is possible) whose total over all
/// elements is 0. This is exactly the condition under which pymatgen 2022.11.7's
/// <c>Composition.oxi_state_guesses(oxi_states_override=common states)</c> returns a non-empty list, which matminer v0.9.0 tests.
/// Consequences: amounts are used as written, not reduced (AB with A in {1, 3}, B in {-2} is 0 but A2B2 is 1), so this feature
/// is invariant to element order but not to scaling the amounts; an element with no listed state makes it 0.
/// Non-integer amounts give NaN (pymatgen raises "Charge balance analysis requires integer values"), as do searches beyond
/// <see cref="SearchLimit"/> charge units (pymatgen's enumeration of combinations would not finish there).
/// The search is exact and polynomial: writing each state as s = min_e + d (d &gt;= 0), balance needs the extra charges d to sum to
/// V = -sum_e n_e min_e; a dynamic programme over 0..V keeps, per value, the fewest atoms of the current element needed, so it
/// costs O(V x number of states) instead of pymatgen's combinations.
/// </para>
/// <para>
/// With <c>fast</c> (matminer <c>fast=True</c>): each element takes a single state; 1 when some choice s_e gives
/// |sum_e s_e a_e| &lt;= 1e-8 (numpy <c>isclose</c>) with the amounts a_e as written (non-integers allowed); misses mixed-valence
/// compounds such as Fe3O4. More than 10^7 combinations give NaN.
/// </para>
/// Source: Ward, Agrawal, Choudhary, Wolverton, npj Comput. Mater. 2, 16028 (2016); matminer v0.9.0
/// <c>matminer/featurizers/composition/ion.py</c>; pymatgen 2022.11.7 <c>Composition._get_oxid_state_guesses</c>.
/// </remarks>
/// <example>
/// <code>
/// IonProperty.Default.Featurize(Composition.Parse("Fe3O4").OrThrow());   // [1, 0.4769, 0.1168]
/// IonProperty.Default.Featurize(Composition.Parse("Fe0.5O0.5").OrThrow()); // [NaN, 0.4769, 0.1192]
/// </code>
/// </example>
public sealed class IonProperty : ICompositionFeaturizer
{
    /// <summary>Largest charge-balance search (V above, in units of elementary charge) attempted; beyond it <c>compound possible</c> is NaN.</summary>
    public const int SearchLimit = 4_000_000;

    private const long MaxFastCombinations = 10_000_000;
    private static readonly ElementPropertyTable Electronegativity = ElementTables.Pymatgen["X"];

    private IonProperty(OxidationStateTable states, bool fast)
    {
        States = states;
        Fast = fast;
        _states = states == OxidationStateTable.Magpie ? ElementTables.MagpieOxidationStates : ElementTables.PymatgenCommonOxidationStates;
        _steps = StateSteps.For(_states);
    }

    private readonly int[][] _states;
    private readonly StateSteps _steps;

    /// <summary>The oxidation-state lists used for charge balance.</summary>
    public OxidationStateTable States { get; }

    /// <summary>Whether each element takes a single oxidation state (matminer <c>fast=True</c>).</summary>
    public bool Fast { get; }

    /// <summary>matminer's default: pymatgen common oxidation states, exact search (<c>fast=False</c>).</summary>
    public static IonProperty Default { get; } = new(OxidationStateTable.PymatgenCommon, false);

    /// <summary>Builds the featurizer with chosen options.</summary>
    /// <param name="states">Oxidation-state lists; default pymatgen common states.</param>
    /// <param name="fast">Single oxidation state per element (matminer <c>fast=True</c>); default false.</param>
    /// <returns>The featurizer.</returns>
    public static IonProperty Create(OxidationStateTable states = OxidationStateTable.PymatgenCommon, bool fast = false) =>
        states == OxidationStateTable.PymatgenCommon && !fast ? Default : new IonProperty(states, fast);

    /// <inheritdoc />
    public string Name => "ion-property";

    /// <inheritdoc />
    public IReadOnlyList<string> Labels { get; } = ["compound possible", "max ionic char", "avg ionic char"];

    /// <inheritdoc />
    public IReadOnlyList<string> Units { get; } = ["", "", ""];

    /// <inheritdoc />
    public IReadOnlyList<string> Citations { get; } =
        ["Ward, L.; Agrawal, A.; Choudhary, A.; Wolverton, C. A general-purpose machine learning framework for predicting properties of inorganic materials. npj Comput. Mater. 2, 16028 (2016). doi:10.1038/npjcompumats.2016.28"];

    /// <inheritdoc />
    public IReadOnlyList<string> Implementors { get; } = ["Jiming Chen", "Logan Ward", "Pure.Materials (this port)"];

    /// <inheritdoc />
    public void Featurize(Composition composition, Span<double> destination)
    {
        if (destination.Length < 3) throw new ArgumentException($"Destination is too short: {destination.Length} < 3.", nameof(destination));
        var z = composition.AtomicNumberSpan;
        var a = composition.AmountSpan;
        if (z.Length < 2)
        {
            destination[0] = 1;
            destination[1] = 0;
            destination[2] = 0;
            return;
        }
        destination[0] = Fast ? SingleStateBalance(z, a, _states) : ChargeBalance(z, a, _steps);
        var total = composition.TotalAmount;
        double max = double.NegativeInfinity, avg = 0;
        var anyNaN = false;
        for (var i = 0; i < z.Length; i++)
            for (var j = i + 1; j < z.Length; j++)
            {
                var dx = Electronegativity[z[i]] - Electronegativity[z[j]];
                var ionic = 1.0 - Math.Exp(-0.25 * (dx * dx));
                if (double.IsNaN(ionic)) anyNaN = true;
                else if (ionic > max) max = ionic;
                avg += a[i] / total * (a[j] / total) * ionic;
            }
        destination[1] = anyNaN ? double.NaN : max;
        destination[2] = avg;
    }

    /// <summary>The exact charge-balance search of <c>compound possible</c> (see the remarks): 1, 0, or NaN for non-integer amounts or a search beyond <see cref="SearchLimit"/>.</summary>
    /// <param name="z">Atomic numbers, at least two distinct.</param>
    /// <param name="amounts">Amounts as written.</param>
    /// <param name="states">Oxidation states by Z.</param>
    internal static double ChargeBalance(ReadOnlySpan<int> z, ReadOnlySpan<double> amounts, int[][] states) =>
        ChargeBalance(z, amounts, StateSteps.For(states));

    private static double ChargeBalance(ReadOnlySpan<int> z, ReadOnlySpan<double> amounts, StateSteps table)
    {
        foreach (var n in amounts)
            if (n != Math.Floor(n)) return double.NaN;
        long baseCharge = 0, maxExtra = 0;
        for (var k = 0; k < z.Length; k++)
        {
            var n = amounts[k];
            if (table.Steps[z[k]] is null) return 0; // no oxidation state at all
            if (n > SearchLimit) return double.NaN;
            baseCharge += (long)n * table.Lowest[z[k]];
            maxExtra += (long)n * table.Span[z[k]];
        }
        var target = -baseCharge;
        if (target < 0 || target > maxExtra) return 0;
        if (target == 0) return 1;
        if (target > SearchLimit) return double.NaN;
        var v = (int)target;
        // reach[u] != 0: the extra charge u (above every atom at its lowest state) is reachable with the elements seen so far.
        // fewest[u]: the fewest atoms of the current element, each raised by one step, to go from a reachable value to u.
        Span<int> fewest = v < 1024 ? stackalloc int[v + 1] : new int[v + 1];
        Span<byte> reach = v < 4096 ? stackalloc byte[v + 1] : new byte[v + 1];
        reach.Clear();
        reach[0] = 1;
        for (var k = 0; k < z.Length; k++)
        {
            var steps = table.Steps[z[k]]!;
            if (steps.Length == 0) continue;
            var n = (int)amounts[k];
            for (var u = 0; u <= v; u++)
            {
                var best = reach[u] != 0 ? 0 : int.MaxValue;
                foreach (var d in steps)
                    if (d <= u && fewest[u - d] < best - 1) best = fewest[u - d] + 1;
                fewest[u] = best;
            }
            for (var u = 0; u <= v; u++) reach[u] = fewest[u] <= n ? (byte)1 : (byte)0;
        }
        return reach[v] != 0 ? 1 : 0;
    }

    /// <summary>Per element: lowest state, highest minus lowest, and the distinct positive steps above the lowest (null when the element has no state).</summary>
    private sealed class StateSteps
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<int[][], StateSteps> Cache = [];

        public readonly int[] Lowest, Span;
        public readonly int[]?[] Steps;

        private StateSteps(int[][] states)
        {
            Lowest = new int[states.Length];
            Span = new int[states.Length];
            Steps = new int[states.Length][];
            for (var z = 0; z < states.Length; z++)
            {
                if (states[z].Length == 0) continue;
                Lowest[z] = states[z].Min();
                Span[z] = states[z].Max() - Lowest[z];
                Steps[z] = [.. states[z].Select(x => x - Lowest[z]).Where(d => d > 0).Distinct().Order()];
            }
        }

        public static StateSteps For(int[][] states) => Cache.GetValue(states, s => new StateSteps(s));
    }

    /// <summary>matminer's <c>fast=True</c> check: some single state per element with |sum s_e a_e| &lt;= 1e-8; NaN past 10^7 combinations.</summary>
    internal static double SingleStateBalance(ReadOnlySpan<int> z, ReadOnlySpan<double> amounts, int[][] states)
    {
        long combinations = 1;
        for (var k = 0; k < z.Length; k++)
        {
            var count = states[z[k]].Length;
            if (count == 0) return 0;
            combinations *= count;
            if (combinations > MaxFastCombinations) return double.NaN;
        }
        var lists = new int[z.Length][];
        for (var k = 0; k < z.Length; k++) lists[k] = states[z[k]];
        var index = new int[z.Length];
        var w = amounts.ToArray();
        for (long c = 0; c < combinations; c++)
        {
            double dot = 0;
            for (var k = 0; k < lists.Length; k++) dot += lists[k][index[k]] * w[k];
            if (Math.Abs(dot) <= 1e-8) return 1;
            for (var k = lists.Length - 1; k >= 0; k--)
            {
                if (++index[k] < lists[k].Length) break;
                index[k] = 0;
            }
        }
        return 0;
    }
}
