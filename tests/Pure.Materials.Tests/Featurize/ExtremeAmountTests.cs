using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Xunit;

namespace Pure.Materials.Tests.Featurize;

/// <summary>Element-property statistics of compositions with extreme amounts: finite, and equal to the same composition on an
/// ordinary scale (every statistic is invariant to scaling all amounts). Found by the fuzz campaign of issue 11.</summary>
public class ExtremeAmountTests
{
    private static double[] Features(ElementProperty f, string formula) => f.Featurize(Composition.Parse(formula).OrThrow());

    [Theory]
    [InlineData("Fe1e305", "Fe")]
    [InlineData("Fe1e305O1e305", "FeO")]
    [InlineData("Fe2e300O3e300", "Fe2O3")]
    [InlineData("Fe1e-300O1e-300", "FeO")]
    public void HugeOrTinyAmounts_GiveTheFeaturesOfTheOrdinaryComposition(string extreme, string ordinary)
    {
        foreach (var f in new[] { ElementProperty.Magpie, ElementProperty.Matminer })
        {
            var x = Features(f, extreme);
            var y = Features(f, ordinary);
            Assert.DoesNotContain(x, double.IsInfinity);
            for (var j = 0; j < x.Length; j++)
                Assert.True(double.IsNaN(x[j]) ? double.IsNaN(y[j]) : Math.Abs(x[j] - y[j]) <= 1e-12 * Math.Max(1, Math.Abs(y[j])),
                    $"{f.Labels[j]}: {extreme} gives {x[j]}, {ordinary} gives {y[j]}");
        }
    }

    [Fact]
    public void StdDev_OfATraceElement_IsFinite_AndTheTwoElementValue()
    {
        // For two elements the reliability-weighted std_dev is |v1 - v2| / sqrt(2) whatever the amounts, so FeO1e-17 must give
        // Fe2O3's value; numpy's W^2 - sum w^2 rounds to 0 there (matminer returns infinity).
        var f = ElementProperty.Matminer;
        var trace = Features(f, "FeO0.00000000000000001");
        var ordinary = Features(f, "Fe2O3");
        for (var j = 0; j < f.Labels.Count; j++)
        {
            if (!f.Labels[j].Contains(" std_dev ", StringComparison.Ordinal) || double.IsNaN(ordinary[j])) continue;
            Assert.True(double.IsFinite(trace[j]), f.Labels[j]);
            Assert.Equal(ordinary[j], trace[j], 1e-9);
        }
    }
}
