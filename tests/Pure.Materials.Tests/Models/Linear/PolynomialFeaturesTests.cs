using Pure.Materials.Core;
using Pure.Materials.Models.Linear;
using Xunit;

namespace Pure.Materials.Tests.Models.Linear;

public class PolynomialFeaturesTests
{
    private static readonly Matrix X = Matrix.FromRows([[2.0, 3.0, 5.0]]);

    [Fact]
    public void Degree2_OnThreeFeatures_HasScikitLearnColumnOrder()
    {
        var m = PolynomialFeatures.Fit(new PolynomialFeaturesOptions(), X).OrThrow();
        // sklearn 1.2.1: PolynomialFeatures(2).fit([[2,3,5]]).get_feature_names_out()
        Assert.Equal(["1", "x0", "x1", "x2", "x0^2", "x0 x1", "x0 x2", "x1^2", "x1 x2", "x2^2"], PolynomialFeatures.FeatureNames(m));
        Assert.Equal([1, 2, 3, 5, 4, 6, 10, 9, 15, 25], PolynomialFeatures.Transform(m, X).Data.ToArray());
    }

    [Fact]
    public void InteractionOnly_WithoutBias_Degree3_KeepsProductsOfDistinctFeatures()
    {
        var m = PolynomialFeatures.Fit(new PolynomialFeaturesOptions { Degree = 3, InteractionOnly = true, IncludeBias = false }, X).OrThrow();
        Assert.Equal(["a", "b", "c", "a b", "a c", "b c", "a b c"], PolynomialFeatures.FeatureNames(m, ["a", "b", "c"]));
        Assert.Equal([2, 3, 5, 6, 10, 15, 30], PolynomialFeatures.Transform(m, X).Data.ToArray());
    }

    [Fact]
    public void Count_MatchesBinomial_ForDegree3()
    {
        var x = Matrix.Build(2, 4, (i, j) => i + j);
        var m = PolynomialFeatures.Fit(new PolynomialFeaturesOptions { Degree = 3 }, x).OrThrow();
        Assert.Equal(35, m.NOutputFeatures); // C(4 + 3, 3)
    }

    [Fact]
    public void Fit_Fails_OnDegreeZero()
    {
        Assert.Equal("param.out_of_range", Assert.Single(PolynomialFeatures.Fit(new PolynomialFeaturesOptions { Degree = 0 }, X).Problems()).Code);
    }
}
