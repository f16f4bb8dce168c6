using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.Neighbors;
using Xunit;
using static Pure.Materials.Tests.Models.Linear.SklearnReference;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Models.Classification;

public class ClassifierTests
{
    private static readonly Lazy<(string Case, string Params, string Quantity, int Index, double Value)[]> Rows = new(() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", "classifiers.csv"))
            .Where(l => !l.StartsWith('#')).Skip(1).Select(l => l.Split(','))
            .Select(f => (f[0], f[1], f[2], int.Parse(f[3], CultureInfo.InvariantCulture), double.Parse(f[4], CultureInfo.InvariantCulture)))
            .ToArray());

    private static double[] Ref(string model, string p, string quantity) =>
        Rows.Value.Where(r => r.Case == model && r.Params == p && r.Quantity == quantity).OrderBy(r => r.Index).Select(r => r.Value).ToArray();

    private static readonly Lazy<(Matrix X, double[] Gap)> Data = new(() => MagpieExptGap(Strings("linear", "magpie", "column")));

    /// <summary>The script's targets and split: binary (gap == 0) or three classes, train i % 5 != 0, test i % 5 == 0.</summary>
    private static (Matrix XTrain, int[] YTrain, Matrix XTest, int[] YTest) Problem(string target)
    {
        var (x, gap) = Data.Value;
        var y = gap.Select(g => target == "binary" ? (g == 0 ? 1 : 0) : (g == 0 ? 0 : g <= 2 ? 1 : 2)).ToArray();
        var (train, test) = FiveFoldSplit(x.Rows);
        return (x.SelectRows(train), train.Select(i => y[i]).ToArray(), x.SelectRows(test), test.Select(i => y[i]).ToArray());
    }

    [Theory]
    [InlineData("binary", 1.0)]
    [InlineData("binary", 0.01)]
    [InlineData("three", 1.0)]
    [InlineData("three", 0.01)]
    public void LogisticRegression_MatchesScikitLearn121Lbfgs_AtTheOptimum(string target, double c)
    {
        // Reference: tools/reference/sklearn_classification.py: scikit-learn's newton-cg at tol=1e-14 (its lbfgs stops on scipy's
        // ftol 1e-4..5e-3 relative away from the optimum whatever tol is; its objective there is checked to be no better than ours).
        var (xTrain, yTrain, xTest, _) = Problem(target);
        var m = LogisticRegression.Fit(new LogisticRegressionOptions { C = c }, xTrain, yTrain).OrThrow();
        Assert.True(m.Converged);
        var p = $"target={target};C={(c == Math.Floor(c) ? c.ToString("0.0", CultureInfo.InvariantCulture) : c.ToString("R", CultureInfo.InvariantCulture))}";
        var classes = Enumerable.Range(0, target == "binary" ? 2 : 3).ToArray();
        var theta = m.Coef.Zip(m.Intercept, (w, b) => w.Append(b)).SelectMany(v => v).ToArray();
        var (objective, _) = LogisticRegression.Loss(m.Options, xTrain, yTrain, classes.Length, theta);
        Close(Ref("logistic", p, "objective")[0], objective, 1e-12, p + " objective");
        Assert.True(objective <= Ref("logistic", p, "objective_lbfgs")[0], "the optimum is at least as good as scikit-learn's default lbfgs answer");
        AllClose(Ref("logistic", p, "coef"), m.Coef.SelectMany(r => r).ToArray(), 1e-6, p + " coef");
        AllClose(Ref("logistic", p, "intercept"), m.Intercept, 1e-6, p + " intercept");
        AllClose(Ref("logistic", p, "proba"), LogisticRegression.PredictProba(m, xTest).Data.ToArray(), 1e-6, p + " proba");
    }

    [Theory]
    [InlineData("binary")]
    [InlineData("three")]
    public void GaussianNaiveBayes_MatchesScikitLearn121(string target)
    {
        var (xTrain, yTrain, xTest, _) = Problem(target);
        var m = GaussianNaiveBayes.Fit(new GaussianNaiveBayesOptions(), xTrain, yTrain).OrThrow();
        var p = $"target={target}";
        AllClose(Ref("gnb", p, "theta"), m.Theta.SelectMany(r => r).ToArray(), 1e-9, "theta");
        AllClose(Ref("gnb", p, "var"), m.Var.SelectMany(r => r).ToArray(), 1e-9, "var");
        var expected = Ref("gnb", p, "proba");
        var actual = GaussianNaiveBayes.PredictProba(m, xTest).Data.ToArray();
        // Probabilities near 0 come from exp of large negative log-likelihood differences: compare absolutely there.
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-9 + 1e-6 * expected[i], $"proba[{i}]: {expected[i]:R} vs {actual[i]:R}");
    }

    [Theory]
    [InlineData("binary", 5, "uniform")]
    [InlineData("binary", 7, "distance")]
    [InlineData("three", 5, "uniform")]
    [InlineData("three", 7, "distance")]
    public void KNeighborsClassifier_MatchesScikitLearn121(string target, int k, string weights)
    {
        var (xTrain, yTrain, xTest, _) = Problem(target);
        var m = KNeighborsClassifier.Fit(new KNeighborsOptions { NNeighbors = k, Weights = weights == "distance" ? NeighborWeights.Distance : NeighborWeights.Uniform }, xTrain, yTrain).OrThrow();
        var p = $"target={target};n_neighbors={k};weights={weights}";
        var kept = Ref("knn", p, "test_row").Select(v => (int)v).ToArray();
        Assert.True(kept.Length > 800, $"only {kept.Length} untied rows");
        var expected = Ref("knn", p, "proba");
        var actual = KNeighborsClassifier.PredictProba(m, xTest.SelectRows(kept)).Data.ToArray();
        // Absolute 1e-12: a test row equal to a training row up to rounding gets weight 1/1e-9 here and exactly all the weight in
        // scikit-learn (its expanded distance formula rounds to 0), leaving 1e-16 on the other classes.
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 + 1e-9 * expected[i], $"{p} proba[{i}]: {expected[i]:R} vs {actual[i]:R}");
    }

    [Fact]
    public void Classifiers_Fail_OnASingleClass()
    {
        var x = Matrix.Build(4, 2, (i, j) => i + j);
        int[] y = [1, 1, 1, 1];
        Assert.Contains(LogisticRegression.Fit(new LogisticRegressionOptions(), x, y).Problems(), p => p.Code == "data.single_class");
        Assert.Contains(GaussianNaiveBayes.Fit(new GaussianNaiveBayesOptions(), x, y).Problems(), p => p.Code == "data.single_class");
        Assert.Contains(KNeighborsClassifier.Fit(new KNeighborsOptions { NNeighbors = 2 }, x, y).Problems(), p => p.Code == "data.single_class");
    }

    [Fact]
    public void LogisticRegression_Fails_OnNonPositiveC_AndNaNFeature()
    {
        var x = Matrix.Build(4, 2, (i, j) => i == 0 && j == 0 ? double.NaN : i - j);
        var codes = LogisticRegression.Fit(new LogisticRegressionOptions { C = 0 }, x, [0, 1, 0, 1]).Problems().Select(p => p.Code).ToArray();
        Assert.Contains("param.out_of_range", codes);
        Assert.Contains("data.nan_feature", codes);
    }

    [Fact]
    public void Parse_BuildsClassifiersWithScikitLearnNames_AndRejectsUnknownKeys()
    {
        var l = Classifiers.Parse("logistic", new Dictionary<string, string> { ["C"] = "0.5" }).OrThrow();
        Assert.Contains(new KeyValuePair<string, string>("C", "0.5"), l.Parameters);
        Assert.Equal("param.unknown", Assert.Single(Classifiers.Parse("gnb", new Dictionary<string, string> { ["alpha"] = "1" }).Problems()).Code);
        Assert.Equal("param.unknown_model", Assert.Single(Classifiers.Parse("svm", new Dictionary<string, string>()).Problems()).Code);
    }
}
