using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Xunit;

namespace Pure.Materials.Properties;

/// <summary>
/// Invariants of the composition descriptors: element order, scaling all amounts (every feature except <c>compound possible</c>,
/// whose matminer definition uses the amounts as written), fractions summing to 1, ordered statistics, and the exact
/// charge-balance search against brute-force enumeration.
/// </summary>
[Properties(MaxTest = 300)]
public class FeaturizeProperties
{
    /// <summary>Every named featurizer plus every property of both shipped tables with every statistic.</summary>
    private static readonly ICompositionFeaturizer[] Featurizers =
    [
        .. CompositionFeaturizers.Parse(string.Join(",", CompositionFeaturizers.Names)).OrThrow(),
        ElementProperty.Create("magpie", ElementTables.Magpie.Keys.Order(StringComparer.Ordinal), Enum.GetValues<Statistic>()).OrThrow(),
        ElementProperty.Create("pymatgen", ElementTables.Pymatgen.Keys.Order(StringComparer.Ordinal), Enum.GetValues<Statistic>()).OrThrow(),
        ValenceOrbital.Create(["f", "s"], ["frac", "avg"]).OrThrow(),
        Stoichiometry.Create([1, 4, 0]).OrThrow(),
        IonProperty.Create(OxidationStateTable.Magpie),
        IonProperty.Create(fast: true),
    ];

    private static Composition Reorder(Composition c, int[] order) =>
        Composition.FromAmounts(order.Select(k => (c.AtomicNumbers[k], c.Amounts[k]))).OrThrow();

    private static Composition Scale(Composition c, double factor) =>
        Composition.FromAmounts(c.AtomicNumbers.Zip(c.Amounts.Select(a => a * factor))).OrThrow();

    private static bool Same(double a, double b) => a.Equals(b); // NaN equals NaN, bit-level otherwise (0.0 == -0.0 aside)

    /// <summary>Rounding allowance for summing the same terms in another order: relative 1e-9, plus, for element-property
    /// features, 1e-12 of the largest |value| of that property among the composition's elements (deviations of equal values).</summary>
    private static double[] OrderTolerance(ICompositionFeaturizer f, Composition c, double[] x)
    {
        var tol = new double[x.Length];
        for (var j = 0; j < x.Length; j++) tol[j] = 1e-12;
        if (f is ElementProperty ep)
        {
            var ns = ep.Stats.Length;
            for (var p = 0; p < ep.Properties.Length; p++)
            {
                var r = c.AtomicNumbers.Select(z => Math.Abs(ep.Properties[p][z])).Where(double.IsFinite).DefaultIfEmpty(0).Max();
                for (var s = 0; s < ns; s++) tol[p * ns + s] = 1e-12 * r;
            }
        }
        for (var j = 0; j < x.Length; j++) tol[j] += 1e-9 * Math.Abs(x[j]);
        return tol;
    }

    [Property]
    public bool EveryFeaturizer_IsInvariant_ToElementOrder(GridAmounts composition, RngSeed orderSeed)
    {
        var c = composition.Value;
        var shuffled = Reorder(c, Generators.Shuffled(c.Count, orderSeed.Value));
        return Featurizers.All(f =>
        {
            var a = f.Featurize(c);
            var b = f.Featurize(shuffled);
            var tol = OrderTolerance(f, c, a);
            return Enumerable.Range(0, a.Length).All(j => Same(a[j], b[j]) || Math.Abs(a[j] - b[j]) <= tol[j]);
        });
    }

    [Property]
    public bool EveryFeaturizer_IsInvariant_ToScalingAllAmounts_ExceptCompoundPossible(GridAmounts composition, PowerOfTwoFactor factor)
    {
        // Powers of two scale every amount, sum and weight ratio exactly, so the features must be bit-for-bit equal.
        var c = composition.Value;
        var scaled = Scale(c, factor.Value);
        return Featurizers.All(f =>
        {
            var a = f.Featurize(c);
            var b = f.Featurize(scaled);
            return Enumerable.Range(0, a.Length).All(j => f.Labels[j] == "compound possible" || Same(a[j], b[j]));
        });
    }

    [Property]
    public bool CompoundPossible_IsKeptByWholeMultiples(BalancedSmallWholeAmounts composition, SmallMultiple multiple) =>
        // The generator only draws charge-balanced compositions, so every case tests the implication.
        IonProperty.Default.Featurize(Scale(composition.Value, multiple.Value))[0] == 1;

    [Fact]
    public void CompoundPossible_IsNotKeptByReduction()
    {
        // The converse of the property above fails: TlO is not charge balanced with Tl in {1, 3}, Tl2O2 is.
        Assert.Equal(0, IonProperty.Default.Featurize(Composition.Parse("TlO").OrThrow())[0]);
        Assert.Equal(1, IonProperty.Default.Featurize(Composition.Parse("Tl2O2").OrThrow())[0]);
    }

    [Property(MaxTest = 1000)]
    public Property ChargeBalanceSearch_AgreesWithBruteForceEnumeration(SmallWholeAmounts composition) =>
        AgreesWithBruteForce(composition.Value, out var balanced).Classify(balanced, "balanced in at least one table");

    [Property(MaxTest = 200)]
    public Property ChargeBalanceSearch_AgreesWithBruteForceEnumeration_OnBalancedCompositions(BalancedSmallWholeAmounts composition)
    {
        // Drawn compositions are balanced about one time in fourteen; these are all balanced (in the pymatgen table), so the
        // search's "yes" answers are compared with the enumeration in every case.
        var agrees = AgreesWithBruteForce(composition.Value, out var balanced);
        return agrees.Label("the search and the enumeration disagree").And(balanced.Label("drawn as balanced, but the enumeration finds no balance"));
    }

    private static bool AgreesWithBruteForce(Composition c, out bool balancedInSomeTable)
    {
        var tables = new[] { ElementTables.PymatgenCommonOxidationStates, ElementTables.MagpieOxidationStates };
        var balanced = 0;
        var agrees = tables.All(states =>
        {
            // pymatgen's way: the set of sums of n states per element (with repetition), then every combination across elements.
            var totals = new HashSet<int> { 0 };
            for (var k = 0; k < c.Count; k++)
            {
                var sums = new HashSet<int> { 0 };
                for (var i = 0; i < (int)c.Amounts[k]; i++)
                    sums = [.. from s in sums from x in states[c.AtomicNumbers[k]] select s + x];
                totals = [.. from t in totals from s in sums select t + s];
            }
            var expected = totals.Contains(0) ? 1.0 : 0.0;
            if (expected == 1) balanced++;
            return IonProperty.ChargeBalance(c.AtomicNumberSpan, c.AmountSpan, states) == expected;
        });
        balancedInSomeTable = balanced > 0;
        return agrees;
    }

    [Property]
    public bool ElementFraction_SumsToOne_ForElementsUpToLr(GridAmountsUpToLr composition)
    {
        var c = composition.Value;
        var x = ElementFraction.Default.Featurize(c);
        return Math.Abs(x.Sum() - 1) <= 1e-12 && x.All(v => v >= 0) && x.Count(v => v > 0) == c.Count;
    }

    private static readonly Statistic[] Stats = Enum.GetValues<Statistic>();

    private static readonly ElementProperty[] BothTables =
    [
        ElementProperty.Create("magpie", ElementTables.Magpie.Keys.Order(StringComparer.Ordinal), Stats).OrThrow(),
        ElementProperty.Create("pymatgen", ElementTables.Pymatgen.Keys.Order(StringComparer.Ordinal), Stats).OrThrow(),
    ];

    [Property]
    public Property Statistics_AreOrdered_AndDeviationsNonNegative_ForEveryPropertyOfBothTables(GridAmounts composition)
    {
        var c = composition.Value;
        int I(Statistic s) => Array.IndexOf(Stats, s);
        var defined = 0;
        var ok = BothTables.All(f =>
        {
            var x = f.Featurize(c);
            return Enumerable.Range(0, f.Properties.Length).All(p =>
            {
                double S(Statistic s) => x[p * Stats.Length + I(s)];
                var (min, max, mean) = (S(Statistic.Minimum), S(Statistic.Maximum), S(Statistic.Mean));
                // A property missing for an element of c makes every statistic NaN (matminer's behaviour): that is checked, not skipped.
                if (double.IsNaN(min)) return double.IsNaN(max) && double.IsNaN(mean) && double.IsNaN(S(Statistic.Range));
                defined++;
                var slack = 1e-12 * Math.Max(Math.Abs(min), Math.Abs(max));
                var positive = min > 0;
                return min <= max && S(Statistic.Range) == max - min
                    && min - slack <= mean && mean <= max + slack
                    && min <= S(Statistic.Mode) && S(Statistic.Mode) <= max
                    && S(Statistic.AvgDev) >= 0 && S(Statistic.StdDev) >= 0
                    && (!positive || (min - slack <= S(Statistic.GeometricMean) && S(Statistic.GeometricMean) <= max + slack
                                      && min - slack <= S(Statistic.HarmonicMean) && S(Statistic.HarmonicMean) <= max + slack));
            });
        });
        // Non-vacuous: every composition has defined statistics for some property (e.g. Number, defined for every element).
        return ok.And((defined > 0).Label("no property defined for every element"));
    }

    private static readonly ICompositionFeaturizer[] NamedParts = CompositionFeaturizers.Parse(string.Join(",", CompositionFeaturizers.Names)).OrThrow();
    private static readonly MultipleFeaturizer AllNamed = MultipleFeaturizer.Create(NamedParts).OrThrow();

    [Property(MaxTest = 100)]
    public bool MultipleFeaturizer_IsTheConcatenationOfItsParts(GridAmounts composition) =>
        AllNamed.Featurize(composition.Value).Zip(NamedParts.SelectMany(p => p.Featurize(composition.Value))).All(t => Same(t.Item1, t.Item2));

    private static readonly SpeciesTable SiteTable = SpeciesTable.FromElements("magpie", [("Z", "Number"), ("MP", "MeltingT")]).OrThrow()
        .With("MA", [73, 181]).Bind(t => t.With("FA", [91, 354])).OrThrow();

    private static readonly SiteAveraged Sites = SiteAveraged.Create(SiteAveraged.PerovskiteSites, SiteTable, [("Z", "Z"), ("MP", "MP")]).OrThrow();

    [Property]
    public bool SiteAverage_LiesBetweenTheSpeciesValues_AndIgnoresTheScaleOfASite(SiteFractions fractions, PowerOfTwoFactor factor)
    {
        var (f, table, fr, k) = (Sites, SiteTable, fractions.Value, factor.Value);
        var x = new double[f.Labels.Count];
        f.Featurize(fr, x).OrThrow();
        var scaled = fr.Select(v => v * k).ToArray();
        var y = new double[f.Labels.Count];
        f.Featurize(scaled, y).OrThrow();
        var within = SiteAveraged.PerovskiteSites.Select((site, s) => (site, s)).All(p =>
            new[] { "Z", "MP" }.Select((prop, j) => (prop, j)).All(q =>
            {
                var present = p.site.Species.Where(sp => fr[f.SpeciesColumns.IndexOf(sp)] > 0).Select(sp => table[sp, q.prop]).ToArray();
                var v = x[p.s * 2 + q.j];
                return present.Min() - 1e-9 <= v && v <= present.Max() + 1e-9;
            }));
        return within && x.SequenceEqual(y);
    }
}
