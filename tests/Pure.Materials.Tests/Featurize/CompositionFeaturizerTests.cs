using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Xunit;

namespace Pure.Materials.Tests.Featurize;

/// <summary>Values a person can check by hand, options, the registry and the conformance of every composition featurizer.</summary>
public class CompositionFeaturizerTests
{
    private static Composition C(string formula) => Composition.Parse(formula).OrThrow();

    private static double Feature(ICompositionFeaturizer f, string formula, string label)
    {
        var i = f.Labels.ToList().IndexOf(label);
        Assert.True(i >= 0, $"{f.Name} has no label '{label}'");
        return f.Featurize(C(formula))[i];
    }

    public static TheoryData<string> AllNames() => [.. CompositionFeaturizers.Names];

    [Theory]
    [MemberData(nameof(AllNames))]
    public void EveryFeaturizer_HasMatchingLabelsUnits_CitesOrNames_AndIsDeterministic(string name)
    {
        var f = CompositionFeaturizers.Named(name).OrThrow();
        Assert.Equal(name, f.Name);
        Assert.Equal(f.Labels.Count, f.Units.Count);
        Assert.Equal(f.Labels.Count, f.Labels.Distinct().Count());
        Assert.NotEmpty(f.Implementors);
        var c = C("Ba0.5Sr0.5Co0.8Fe0.2O3");
        var amounts = c.Amounts.ToArray();
        var first = f.Featurize(c);
        Assert.Equal(first, f.Featurize(c));
        Assert.Equal(amounts, c.Amounts);
        Assert.Throws<ArgumentException>(() => f.Featurize(c, new double[f.Labels.Count - 1]));
    }

    [Fact]
    public void Registry_ParsesEveryName_InOrder_WithMatminersFeatureCounts()
    {
        var fs = CompositionFeaturizers.Parse(string.Join(",", CompositionFeaturizers.Names)).OrThrow();
        Assert.Equal(CompositionFeaturizers.Names, fs.Select(f => f.Name));
        Assert.Equal([132, 65, 6, 8, 103, 1, 1, 3, 36], fs.Select(f => f.Labels.Count));
    }

    [Fact]
    public void Registry_ReportsEveryUnknownAndDuplicateName()
    {
        var problems = CompositionFeaturizers.Parse("magpie, nope,stoichiometry,magpie,also-nope").Problems();
        Assert.Equal(["param.duplicate_featurizer", "param.unknown_featurizer", "param.unknown_featurizer"], problems.Select(p => p.Code));
        Assert.Equal("param.empty", Assert.Single(CompositionFeaturizers.Parse(" , ").Problems()).Code);
    }

    [Fact]
    public void Stoichiometry_Fe2O3_NormsOfFractions()
    {
        var x = Stoichiometry.Default.Featurize(C("Fe2O3"));
        Assert.Equal(["0-norm", "2-norm", "3-norm", "5-norm", "7-norm", "10-norm"], Stoichiometry.Default.Labels);
        Assert.Equal(2, x[0]);
        Assert.Equal(Math.Sqrt(0.4 * 0.4 + 0.6 * 0.6), x[1], 14);
        Assert.Equal(Math.Cbrt(0.4 * 0.4 * 0.4 + 0.6 * 0.6 * 0.6), x[2], 14);
        Assert.Equal(["param.out_of_range"], Stoichiometry.Create([2, -1]).Problems().Select(p => p.Code));
    }

    [Fact]
    public void ValenceOrbital_Fe2O3_WeightedValenceCounts()
    {
        // Fe: s2 d6 (8 valence electrons); O: s2 p4 (6). Weights 2 and 3.
        var f = ValenceOrbital.Default;
        Assert.Equal(2.0, Feature(f, "Fe2O3", "avg s valence electrons"), 14);
        Assert.Equal(3 * 4 / 5.0, Feature(f, "Fe2O3", "avg p valence electrons"), 14);
        Assert.Equal(2 * 6 / 5.0, Feature(f, "Fe2O3", "avg d valence electrons"), 14);
        Assert.Equal(2.0 / ((2 * 8 + 3 * 6) / 5.0), Feature(f, "Fe2O3", "frac s valence electrons"), 14);
        var sOnly = ValenceOrbital.Create(["s"], ["frac"]).OrThrow();
        Assert.Equal(["frac s valence electrons"], sOnly.Labels);
        Assert.Equal(2, ValenceOrbital.Create(["x"], ["mean"]).Problems().Length);
    }

    [Fact]
    public void ElementFraction_HasMatminerV090sColumns_HToLr()
    {
        var f = ElementFraction.Default;
        Assert.Equal(103, f.Labels.Count);
        Assert.Equal(("H", "Lr"), (f.Labels[0], f.Labels[^1]));
        var x = f.Featurize(C("Fe2O3"));
        Assert.Equal(0.4, x[25]);
        Assert.Equal(0.6, x[7]);
        Assert.Equal(1.0, x.Sum(), 14);
        Assert.Equal(0.5, f.Featurize(C("FeRf"))[25]); // Rf (Z 104) has no column but counts in the total
    }

    [Fact]
    public void TMetalFraction_CountsDemlsMagneticTransitionMetalsOnly()
    {
        Assert.Equal(0.4, Feature(TMetalFraction.Default, "Fe2O3", "transition metal fraction"), 15);
        Assert.Equal(0.0, Feature(TMetalFraction.Default, "ZnO", "transition metal fraction"));
        Assert.Equal(0.5, Feature(TMetalFraction.Default, "NiAl", "transition metal fraction"));
        Assert.Equal(1.0, Feature(TMetalFraction.Default, "NiTi", "transition metal fraction"));
    }

    [Fact]
    public void BandCenter_IsTheGeometricMeanOfMullikenElectronegativity()
    {
        // O: Deml IE1 1313900 J/mol, Magpie EA 141 kJ/mol.
        Assert.Equal(0.5 * (1313.9 + 141) / 96.48, Feature(BandCenter.Default, "O2", "band center"), 13);
        var fe = 0.5 * (762.5 + 15.7) / 96.48;
        var o = 0.5 * (1313.9 + 141) / 96.48;
        Assert.Equal(Math.Pow(fe, 0.4) * Math.Pow(o, 0.6), Feature(BandCenter.Default, "Fe2O3", "band center"), 13);
        Assert.True(double.IsNaN(Feature(BandCenter.Default, "UO2", "band center"))); // no Deml ionization energy beyond Ra
    }

    [Fact]
    public void IonProperty_MaxAndAverageIonicCharacter_NaCl()
    {
        var ionic = 1 - Math.Exp(-0.25 * (3.16 - 0.93) * (3.16 - 0.93));
        var x = IonProperty.Default.Featurize(C("NaCl"));
        Assert.Equal([1, ionic, 0.25 * ionic], x);
        Assert.Equal([1.0, 0, 0], IonProperty.Default.Featurize(C("Fe")));
    }

    [Theory]
    [InlineData("Fe2O3", 1.0)]
    [InlineData("Fe3O4", 1.0)]          // mixed valence: Fe(2) Fe(3)2 O(-2)4
    [InlineData("Mn3O4", 1.0)]          // Mn common states 2, 4, 7: Mn(2)2 Mn(4)
    [InlineData("UO2", 0.0)]            // pymatgen's only common state for U is 6
    [InlineData("TlO", 0.0)]            // Tl 1 or 3, O -2: no single Tl balances one O ...
    [InlineData("Tl2O2", 1.0)]          // ... but Tl(1) Tl(3) O(-2)2 does: amounts are not reduced
    [InlineData("Na2He", 0.0)]          // He has no oxidation state
    [InlineData("Pd40Ni40P20", 0.0)]
    [InlineData("Fe0.5O0.5", double.NaN)] // pymatgen needs integer amounts
    public void IonProperty_CompoundPossible_IsPymatgensChargeBalance(string formula, double expected) =>
        Assert.Equal(expected, Feature(IonProperty.Default, formula, "compound possible"));

    [Fact]
    public void IonProperty_Fast_TakesOneStatePerElement_AndMissesMixedValence()
    {
        var fast = IonProperty.Create(fast: true);
        Assert.Equal(1.0, Feature(fast, "Fe2O3", "compound possible"));
        Assert.Equal(0.0, Feature(fast, "Fe3O4", "compound possible"));
        Assert.Equal(1.0, Feature(fast, "Fe0.5O0.5", "compound possible"));
        Assert.Equal(1.0, Feature(IonProperty.Create(OxidationStateTable.Magpie), "UO2", "compound possible")); // Magpie lists U 4
    }

    [Fact]
    public void IonProperty_SearchIsExactForLargeAmounts()
    {
        // Fe1000O1333: 2666 = 2 * 1000 + k needs k = 666 Fe(3) of 1000 -> possible. Fe1000O1501: 3002 > 3 * 1000 -> impossible.
        Assert.Equal(1.0, Feature(IonProperty.Default, "Fe1000O1333", "compound possible"));
        Assert.Equal(0.0, Feature(IonProperty.Default, "Fe1000O1501", "compound possible")); // needs more than 3 per Fe
        Assert.True(double.IsNaN(Feature(IonProperty.Default, "Fe1e9O1e9", "compound possible")));
    }

    [Fact]
    public void MatminerPreset_Has65PymatgenFeatures_AndFe2O3MeanX()
    {
        var f = ElementProperty.Matminer;
        Assert.Equal("matminer", f.Name);
        Assert.Equal(65, f.Labels.Count);
        Assert.Equal("PymatgenData minimum X", f.Labels[0]);
        Assert.Equal("PymatgenData std_dev coefficient_of_linear_thermal_expansion", f.Labels[^1]);
        Assert.Equal((2 * 1.83 + 3 * 3.44) / 5, Feature(f, "Fe2O3", "PymatgenData mean X"), 14);
        // std_dev with matminer's reliability weights: beta = W / (W^2 - sum w^2) = 5 / 12.
        var mean = (2 * 1.83 + 3 * 3.44) / 5;
        var expected = Math.Sqrt(5.0 / 12 * (2 * (1.83 - mean) * (1.83 - mean) + 3 * (3.44 - mean) * (3.44 - mean)));
        Assert.Equal(expected, Feature(f, "Fe2O3", "PymatgenData std_dev X"), 14);
        Assert.Equal(3.0, Feature(f, "Fe2O3", "PymatgenData maximum block")); // d -> 3, p -> 2
    }

    [Fact]
    public void Create_AnyPropertyOfAnyTable_WithAnyStatistics()
    {
        var stats = Enum.GetValues<Statistic>();
        var f = ElementProperty.Create("pymatgen", ["melting_point", "X"], stats).OrThrow();
        Assert.Equal(2 * stats.Length, f.Labels.Count);
        Assert.Equal("element-property", f.Name);
        var x = f.Featurize(C("Fe2O3"));
        var geom = x[f.Labels.ToList().IndexOf("PymatgenData geom_mean X")];
        Assert.Equal(Math.Pow(1.83, 0.4) * Math.Pow(3.44, 0.6), geom, 14);
        var harm = x[f.Labels.ToList().IndexOf("PymatgenData harm_mean X")];
        Assert.Equal(5 / (2 / 1.83 + 3 / 3.44), harm, 14);
        Assert.Equal(["param.unknown_source"], ElementProperty.Create("nope", ["X"], [Statistic.Mean]).Problems().Select(p => p.Code));
        Assert.Equal(["param.unknown_property"], ElementProperty.Create("pymatgen", ["MeltingT"], [Statistic.Mean]).Problems().Select(p => p.Code));
        Assert.Equal("magpie", ElementProperty.Create("magpie", ElementProperty.MagpiePresetFeatures, ElementProperty.MagpiePresetStats).OrThrow().Name);
    }

    [Fact]
    public void MultipleFeaturizer_Concatenates_AndRefusesDuplicateColumns()
    {
        var m = MultipleFeaturizer.Create([Stoichiometry.Default, TMetalFraction.Default]).OrThrow();
        Assert.Equal([.. Stoichiometry.Default.Labels, "transition metal fraction"], m.Labels);
        Assert.Equal([.. Stoichiometry.Default.Featurize(C("Fe2O3")), 0.4], m.Featurize(C("Fe2O3")));
        Assert.Equal(Stoichiometry.Default.Citations.Concat(TMetalFraction.Default.Citations), m.Citations);
        Assert.Equal("param.duplicate_label", Assert.Single(MultipleFeaturizer.Create([BandCenter.Default, BandCenter.Default]).Problems()).Code);
    }
}
