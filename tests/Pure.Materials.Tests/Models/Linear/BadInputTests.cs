using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Models.Linear;

/// <summary>The bad inputs of issue 4 (singular or rank-deficient design, NaN/infinite features, a single class, more neighbours than
/// rows, non-positive C or gamma), each a clear <see cref="Problem"/> for every linear, kernel, neighbour and probabilistic learner,
/// never an exception and never a NaN prediction.</summary>
public class BadInputTests
{
    private static readonly Matrix X = Matrix.Build(40, 3, (i, j) => Math.Sin(0.7 * i * (j + 1)) + 0.1 * j);
    private static readonly double[] Y = Enumerable.Range(0, 40).Select(i => X[i, 0] - 2 * X[i, 1] + Math.Cos(i)).ToArray();
    private static readonly int[] Labels = Enumerable.Range(0, 40).Select(i => X[i, 0] + X[i, 2] > 0.1 ? 1 : 0).ToArray();

    public static TheoryData<string, double> RegressorsAndBadValues()
    {
        var data = new TheoryData<string, double>();
        foreach (var name in Learners.LinearKernelNeighborNames.Append("ridge"))
            foreach (var v in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity }) data.Add(name, v);
        return data;
    }

    public static TheoryData<string, double> ClassifiersAndBadValues()
    {
        var data = new TheoryData<string, double>();
        foreach (var name in new[] { "logistic", "gnb", "knn" })
            foreach (var v in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity }) data.Add(name, v);
        return data;
    }

    private static Matrix WithCell(int row, int col, double v) => Matrix.Build(X.Rows, X.Cols, (i, j) => (i, j) == (row, col) ? v : X[i, j]);

    [Theory]
    [MemberData(nameof(RegressorsAndBadValues))]
    public void Regressor_NonFiniteFeatureOrTarget_IsAProblemNamingTheSample(string name, double bad)
    {
        var learner = Learners.Parse(name, new Dictionary<string, string>()).OrThrow();
        var p = Assert.Single(learner.Fit(WithCell(7, 2, bad), Y, Rng.FromSeed(1)).Problems());
        Assert.Equal("data.nan_feature", p.Code);
        Assert.Contains("first at sample 7 feature 2", p.Message);
        var y = (double[])Y.Clone();
        y[3] = bad;
        Assert.Equal("data.nan_target", Assert.Single(learner.Fit(X, y, Rng.FromSeed(1)).Problems()).Code);
    }

    [Theory]
    [MemberData(nameof(ClassifiersAndBadValues))]
    public void Classifier_NonFiniteFeature_IsAProblem(string name, double bad)
    {
        var learner = Classifiers.Parse(name, new Dictionary<string, string>()).OrThrow();
        Assert.Contains(learner.Fit(WithCell(5, 0, bad), Labels, Rng.FromSeed(1)).Problems(), p => p.Code == "data.nan_feature");
    }

    [Theory]
    [InlineData("logistic")]
    [InlineData("gnb")]
    [InlineData("knn")]
    public void Classifier_SingleClass_IsAProblemSayingSo(string name)
    {
        var learner = Classifiers.Parse(name, new Dictionary<string, string>()).OrThrow();
        var p = Assert.Single(learner.Fit(X, Enumerable.Repeat(3, 40).ToArray(), Rng.FromSeed(1)).Problems());
        Assert.Equal("data.single_class", p.Code);
    }

    [Fact]
    public void Neighbours_MoreThanRows_IsAProblem_ForRegressorAndClassifier()
    {
        var settings = new Dictionary<string, string> { ["n_neighbors"] = "41" };
        var r = Assert.Single(Learners.Parse("knn", settings).OrThrow().Fit(X, Y, Rng.FromSeed(1)).Problems());
        Assert.Equal("param.out_of_range", r.Code);
        Assert.Contains("41", r.Message);
        var c = Assert.Single(Classifiers.Parse("knn", settings).OrThrow().Fit(X, Labels, Rng.FromSeed(1)).Problems());
        Assert.Equal("param.out_of_range", c.Code);
        Assert.Contains("41", c.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("-0.5")]
    public void Logistic_NonPositiveC_IsAProblem(string c)
    {
        var fitted = Classifiers.Parse("logistic", new Dictionary<string, string> { ["C"] = c })
            .Bind(l => l.Fit(X, Labels, Rng.FromSeed(1)));
        var p = Assert.Single(fitted.Problems());
        Assert.Equal("param.out_of_range", p.Code);
        Assert.Contains("C must be", p.Message);
    }

    [Theory]
    [InlineData("rbf", "0")]
    [InlineData("rbf", "-2")]
    [InlineData("laplacian", "0")]
    [InlineData("poly", "-1")]
    public void KernelRidge_NonPositiveGamma_IsAProblem(string kernel, string gamma)
    {
        var fitted = Learners.Parse("kernel-ridge", new Dictionary<string, string> { ["kernel"] = kernel, ["gamma"] = gamma })
            .Bind(l => l.Fit(X, Y, Rng.FromSeed(1)));
        var p = Assert.Single(fitted.Problems());
        Assert.Equal("param.out_of_range", p.Code);
        Assert.Contains("gamma", p.Message);
    }

    [Theory]
    [InlineData("linear")]
    [InlineData("ridge", "alpha=0")]
    [InlineData("kernel-ridge", "alpha=0")]
    public void RankDeficientDesign_IsASingularProblem_NotANaN(string name, params string[] settings)
    {
        // Column 2 repeats column 0 (a duplicated descriptor); kernel ridge without penalty also sees duplicated rows.
        var dup = Matrix.Build(40, 3, (i, j) => j == 2 ? X[i, 0] : X[i, j]);
        var dupRows = Matrix.Build(40, 3, (i, j) => X[i % 20, j]);
        var design = name == "kernel-ridge" ? dupRows : dup;
        var learner = Learners.Parse(name, settings.Select(s => s.Split('=')).ToDictionary(kv => kv[0], kv => kv[1])).OrThrow();
        var p = Assert.Single(learner.Fit(design, Y, Rng.FromSeed(1)).Problems());
        Assert.Equal("linalg.singular", p.Code);
    }
}
