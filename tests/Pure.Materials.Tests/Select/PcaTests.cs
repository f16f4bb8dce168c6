using Pure.Materials.Core;
using Pure.Materials.Select;
using Xunit;

namespace Pure.Materials.Tests.Select;

/// <summary>PCA against scikit-learn 1.2.1 <c>PCA(svd_solver="full")</c>: components (up to sign), variances, transforms; bad input.</summary>
public class PcaTests
{
    private const double Tol = 1e-9;

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tol * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R} (tolerance {Tol} relative)");

    [Theory]
    [InlineData("pca_tall", 3, false)]
    [InlineData("pca_tall", 3, true)]
    [InlineData("pca_wide", null, false)]
    [InlineData("pca_wide", null, true)]
    public void Pca_MatchesScikitLearn_ComponentsUpToSign_VariancesAndTransform(string @case, int? k, bool whiten)
    {
        var x = UnsupervisedReference.Matrix(@case, "X");
        var tag = whiten ? "whiten" : "plain";
        var model = Pca.Fit(new PcaOptions(k, whiten), x).OrThrow();
        var components = UnsupervisedReference.Rows2(@case, $"{tag}_components");
        Assert.Equal(components.Length, model.NComponents);
        var sv = UnsupervisedReference.Vector(@case, $"{tag}_singular_values");
        // Axes with a zero singular value (the centred wide data have rank n - 1 = 5) are arbitrary: only their variance is compared.
        var compared = sv.Count(v => v > 1e-8 * sv[0]);
        var signs = new double[model.NComponents];
        for (var c = 0; c < compared; c++)
        {
            var dot = components[c].Select((v, j) => v * model.Components[c, j]).Sum();
            signs[c] = Math.Sign(dot);
            Assert.True(Math.Abs(Math.Abs(dot) - 1) < 1e-9, $"component {c} is not parallel to scikit-learn's (|dot| = {Math.Abs(dot)})");
            for (var j = 0; j < x.Cols; j++) Close(components[c][j], signs[c] * model.Components[c, j], $"component {c}, feature {j}");
        }
        var ev = UnsupervisedReference.Vector(@case, $"{tag}_explained_variance");
        var ratio = UnsupervisedReference.Vector(@case, $"{tag}_explained_variance_ratio");
        var mean = UnsupervisedReference.Vector(@case, $"{tag}_mean");
        for (var c = 0; c < model.NComponents; c++)
        {
            Assert.True(Math.Abs(ev[c] - model.ExplainedVariance[c]) <= Tol * ev[0], $"explained variance {c}");
            Assert.True(Math.Abs(ratio[c] - model.ExplainedVarianceRatio[c]) <= Tol, $"ratio {c}");
            Assert.True(Math.Abs(sv[c] - model.SingularValues[c]) <= Tol * sv[0], $"singular value {c}");
        }
        for (var j = 0; j < x.Cols; j++) Close(mean[j], model.Mean[j], $"mean {j}");
        var scores = Pca.Transform(model, x);
        var expected = UnsupervisedReference.Rows2(@case, $"{tag}_transform");
        for (var i = 0; i < x.Rows; i++)
            for (var c = 0; c < compared; c++)
                Assert.True(Math.Abs(expected[i][c] - signs[c] * scores[i, c]) <= 1e-8 * Math.Max(1, Math.Abs(expected[i][c])), $"score ({i}, {c})");
    }

    [Fact]
    public void Pca_SignsEqualScikitLearns_OnTheTallCase()
    {
        var x = UnsupervisedReference.Matrix("pca_tall", "X");
        var model = Pca.Fit(new PcaOptions(3), x).OrThrow();
        var components = UnsupervisedReference.Rows2("pca_tall", "plain_components");
        for (var c = 0; c < 3; c++) Assert.True(components[c].Select((v, j) => v * model.Components[c, j]).Sum() > 0, $"component {c} sign");
    }

    [Fact]
    public void Pca_Fails_WhenComponentsExceedFeatures_OrDataHoldNaN()
    {
        var x = Matrix.Build(10, 3, (i, j) => i * j + Math.Sin(i + j));
        var p = Assert.Single(Pca.Fit(new PcaOptions(4), x).Problems());
        Assert.Equal("param.out_of_range", p.Code);
        Assert.Contains("min(n_samples, n_features) = 3", p.Message);
        Assert.Equal("param.out_of_range", Assert.Single(Pca.Fit(new PcaOptions(0), x).Problems()).Code);
        var nan = Matrix.Build(3, 2, (i, j) => i == 1 && j == 1 ? double.NaN : i + j);
        Assert.Equal("data.nan_feature", Assert.Single(Pca.Fit(new PcaOptions(), nan).Problems()).Code);
        Assert.Equal("data.too_few_rows", Assert.Single(Pca.Fit(new PcaOptions(), Matrix.Build(1, 2, (i, j) => j)).Problems()).Code);
    }

    [Fact]
    public void Pca_Whiten_GivesUnitVarianceScores()
    {
        var x = UnsupervisedReference.Matrix("pca_tall", "X");
        var scores = Pca.Transform(Pca.Fit(new PcaOptions(2, Whiten: true), x).OrThrow(), x);
        for (var c = 0; c < 2; c++)
        {
            var col = scores.Column(c);
            Assert.Equal(1.0, col.Sum(v => v * v) / (col.Length - 1), 9);
        }
    }
}
