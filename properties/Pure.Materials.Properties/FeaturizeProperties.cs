using FsCheck;
using FsCheck.Fluent;
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
public class FeaturizeProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

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

    [Fact]
    public void EveryFeaturizer_IsInvariant_ToElementOrder()
    {
        Check.One(Runs, Prop.ForAll(Generators.GridComposition.SelectMany(c => Generators.Permutation(c.Count).Select(p => (c, p))).ToArbitrary(), t =>
        {
            var (c, order) = t;
            var shuffled = Reorder(c, order);
            return Featurizers.All(f =>
            {
                var a = f.Featurize(c);
                var b = f.Featurize(shuffled);
                var tol = OrderTolerance(f, c, a);
                return Enumerable.Range(0, a.Length).All(j => Same(a[j], b[j]) || Math.Abs(a[j] - b[j]) <= tol[j]);
            });
        }));
    }

    [Fact]
    public void EveryFeaturizer_IsInvariant_ToScalingAllAmounts_ExceptCompoundPossible()
    {
        // Powers of two scale every amount, sum and weight ratio exactly, so the features must be bit-for-bit equal.
        Check.One(Runs, Prop.ForAll(Generators.GridComposition.SelectMany(c => Generators.PowerOfTwo.Select(k => (c, k))).ToArbitrary(), t =>
        {
            var (c, factor) = t;
            var scaled = Scale(c, factor);
            return Featurizers.All(f =>
            {
                var a = f.Featurize(c);
                var b = f.Featurize(scaled);
                return Enumerable.Range(0, a.Length).All(j => f.Labels[j] == "compound possible" || Same(a[j], b[j]));
            });
        }));
    }

    [Fact]
    public void CompoundPossible_IsKeptByWholeMultiples_ButNotByReduction()
    {
        Check.One(Runs, Prop.ForAll(Generators.SmallIntegerComposition.SelectMany(c => Gen.Choose(2, 4).Select(k => (c, k))).ToArbitrary(), t =>
        {
            var (c, k) = t;
            var possible = IonProperty.Default.Featurize(c)[0];
            var multiple = IonProperty.Default.Featurize(Scale(c, k))[0];
            return possible == 0 || multiple == 1;
        }));
        // The converse fails: TlO is not charge balanced with Tl in {1, 3}, Tl2O2 is.
        Assert.Equal(0, IonProperty.Default.Featurize(Composition.Parse("TlO").OrThrow())[0]);
        Assert.Equal(1, IonProperty.Default.Featurize(Composition.Parse("Tl2O2").OrThrow())[0]);
    }

    [Fact]
    public void ChargeBalanceSearch_AgreesWithBruteForceEnumeration()
    {
        var tables = new[] { ElementTables.PymatgenCommonOxidationStates, ElementTables.MagpieOxidationStates };
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(Generators.SmallIntegerComposition.ToArbitrary(), c =>
            tables.All(states =>
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
                return IonProperty.ChargeBalance(c.AtomicNumberSpan, c.AmountSpan, states) == expected;
            })));
    }

    [Fact]
    public void ElementFraction_SumsToOne_ForElementsUpToLr()
    {
        Check.One(Runs, Prop.ForAll(Generators.GridCompositionUpToLr.ToArbitrary(), c =>
        {
            var x = ElementFraction.Default.Featurize(c);
            return Math.Abs(x.Sum() - 1) <= 1e-12 && x.All(v => v >= 0) && x.Count(v => v > 0) == c.Count;
        }));
    }

    [Fact]
    public void Statistics_AreOrdered_AndDeviationsNonNegative_ForEveryPropertyOfBothTables()
    {
        var stats = Enum.GetValues<Statistic>();
        var tables = new[]
        {
            ElementProperty.Create("magpie", ElementTables.Magpie.Keys.Order(StringComparer.Ordinal), stats).OrThrow(),
            ElementProperty.Create("pymatgen", ElementTables.Pymatgen.Keys.Order(StringComparer.Ordinal), stats).OrThrow(),
        };
        int I(Statistic s) => Array.IndexOf(stats, s);
        Check.One(Runs, Prop.ForAll(Generators.GridComposition.ToArbitrary(), c => tables.All(f =>
        {
            var x = f.Featurize(c);
            return Enumerable.Range(0, f.Properties.Length).All(p =>
            {
                double S(Statistic s) => x[p * stats.Length + I(s)];
                var (min, max, mean) = (S(Statistic.Minimum), S(Statistic.Maximum), S(Statistic.Mean));
                if (double.IsNaN(min)) return double.IsNaN(max) && double.IsNaN(mean) && double.IsNaN(S(Statistic.Range));
                var slack = 1e-12 * Math.Max(Math.Abs(min), Math.Abs(max));
                var positive = min > 0;
                return min <= max && S(Statistic.Range) == max - min
                    && min - slack <= mean && mean <= max + slack
                    && min <= S(Statistic.Mode) && S(Statistic.Mode) <= max
                    && S(Statistic.AvgDev) >= 0 && S(Statistic.StdDev) >= 0
                    && (!positive || (min - slack <= S(Statistic.GeometricMean) && S(Statistic.GeometricMean) <= max + slack
                                      && min - slack <= S(Statistic.HarmonicMean) && S(Statistic.HarmonicMean) <= max + slack));
            });
        })));
    }

    [Fact]
    public void MultipleFeaturizer_IsTheConcatenationOfItsParts()
    {
        var parts = CompositionFeaturizers.Parse(string.Join(",", CompositionFeaturizers.Names)).OrThrow();
        var all = MultipleFeaturizer.Create(parts).OrThrow();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(Generators.GridComposition.ToArbitrary(), c =>
            all.Featurize(c).Zip(parts.SelectMany(p => p.Featurize(c))).All(t => Same(t.Item1, t.Item2))));
    }

    [Fact]
    public void SiteAverage_LiesBetweenTheSpeciesValues_AndIgnoresTheScaleOfASite()
    {
        var table = SpeciesTable.FromElements("magpie", [("Z", "Number"), ("MP", "MeltingT")]).OrThrow()
            .With("MA", [73, 181]).Bind(t => t.With("FA", [91, 354])).OrThrow();
        var f = SiteAveraged.Create(SiteAveraged.PerovskiteSites, table, [("Z", "Z"), ("MP", "MP")]).OrThrow();
        var fractions = Gen.ArrayOf(Gen.Choose(0, 8).Select(k => k / 8.0), f.SpeciesColumns.Length)
            .Where(fr => SiteAveraged.PerovskiteSites.Select((s, i) => s.Species.Sum(sp => fr[f.SpeciesColumns.IndexOf(sp)])).All(t => t > 0));
        Check.One(Runs, Prop.ForAll(fractions.SelectMany(fr => Generators.PowerOfTwo.Select(k => (fr, k))).ToArbitrary(), t =>
        {
            var (fr, k) = t;
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
        }));
    }
}
