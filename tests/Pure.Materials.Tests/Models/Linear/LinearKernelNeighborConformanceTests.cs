using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Models.Linear;

/// <summary>One conformance suite over the linear, kernel, neighbour and classification learners, through their CLI names.</summary>
public class LinearKernelNeighborConformanceTests
{
    private static readonly Matrix X = Matrix.Build(40, 3, (i, j) => Math.Sin(0.7 * i * (j + 1)) + 0.1 * j);
    private static readonly double[] Y = Enumerable.Range(0, 40).Select(i => X[i, 0] - 2 * X[i, 1] + Math.Cos(i)).ToArray();
    private static readonly int[] Labels = Enumerable.Range(0, 40).Select(i => X[i, 0] + X[i, 2] > 0.1 ? 1 : 0).ToArray();

    public static TheoryData<string> Regressors() => new(Learners.LinearKernelNeighborNames);

    public static TheoryData<string> ClassifierNames() => new(Classifiers.Names);

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Regressor_FitsTwiceToTheSamePredictions_LeavesInputsUnchanged_AndReportsShapeProblems(string name)
    {
        var learner = Learners.Parse(name, new Dictionary<string, string>()).OrThrow();
        var xBefore = X.Data.ToArray();
        var yBefore = (double[])Y.Clone();
        var a = learner.Fit(X, Y, Rng.FromSeed(5)).OrThrow();
        var b = learner.Fit(X, Y, Rng.FromSeed(5)).OrThrow();
        Assert.Equal(a.Predict(X), b.Predict(X));
        Assert.All(a.Predict(X), v => Assert.True(double.IsFinite(v)));
        Assert.Equal(xBefore, X.Data.ToArray());
        Assert.Equal(yBefore, Y);
        Assert.Contains(learner.Fit(X, Y[..39], Rng.FromSeed(5)).Problems(), p => p.Code == "shape.rows_mismatch");
        Assert.Contains(learner.Fit(Matrix.Build(0, 3, (_, _) => 0), [], Rng.FromSeed(5)).Problems(), p => p.Code == "data.empty");
    }

    [Theory]
    [MemberData(nameof(ClassifierNames))]
    public void Classifier_FitsTwiceToTheSameProbabilities_RowsSumToOne_AndReportsProblems(string name)
    {
        var learner = Classifiers.Parse(name, new Dictionary<string, string>()).OrThrow();
        var a = learner.Fit(X, Labels, Rng.FromSeed(5)).OrThrow();
        var b = learner.Fit(X, Labels, Rng.FromSeed(5)).OrThrow();
        var p = a.PredictProba(X);
        Assert.Equal(p.Data.ToArray(), b.PredictProba(X).Data.ToArray());
        for (var i = 0; i < p.Rows; i++) Assert.Equal(1.0, p[i, 0] + p[i, 1], 12);
        Assert.Equal(a.Predict(X), ClassifierPredictor.ArgMax(a.Classes, p));
        Assert.Contains(learner.Fit(X, Labels[..39], Rng.FromSeed(5)).Problems(), q => q.Code == "shape.rows_mismatch");
        Assert.Contains(learner.Fit(X, Enumerable.Repeat(1, 40).ToArray(), Rng.FromSeed(5)).Problems(), q => q.Code == "data.single_class");
    }
}
