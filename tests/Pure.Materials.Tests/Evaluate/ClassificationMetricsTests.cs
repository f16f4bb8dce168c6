using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Xunit;

namespace Pure.Materials.Tests.Evaluate;

public class ClassificationMetricsTests
{
    public static IEnumerable<object[]> Cases() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", "metrics_classification.csv"))
            .Where(l => !l.StartsWith('#')).Skip(1).Select(l => new object[] { l });

    private static int[] Ints(string s) => s.Split(' ').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classification_MatchesScikitLearn121(string line)
    {
        // Reference: tools/reference/sklearn_classification.py -> metrics_classification.csv.
        var f = line.Split(',');
        var yTrue = Ints(f[1]);
        var yPred = Ints(f[2]);
        var score = f[3].Split(' ').Select(D).ToArray();
        var proba = Matrix.Build(score.Length, 2, (i, j) => j == 1 ? score[i] : 1 - score[i]);
        var s = ClassificationMetrics.Classification([0, 1], yTrue, yPred, proba).OrThrow();
        Assert.Equal(Ints(f[4]), s.Confusion.Counts.SelectMany(r => r).ToArray());
        double[] expected = [.. f[5..13].Select(D)];
        double[] actual = [s.Accuracy, s.Precision, s.Recall, s.F1, s.Specificity, s.BalancedAccuracy, s.RocAuc, s.LogLoss];
        string[] names = ["accuracy", "precision", "recall", "f1", "specificity", "balanced_accuracy", "roc_auc", "log_loss"];
        for (var k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-12 * Math.Abs(expected[k]) + 1e-14, $"{f[0]} {names[k]}: expected {expected[k]:R}, got {actual[k]:R}");
    }

    [Fact]
    public void Confusion_HasTrueClassesAsRows()
    {
        var c = ClassificationMetrics.Confusion([0, 0, 1, 1, 1], [0, 1, 1, 1, 0]);
        Assert.Equal([1, 1], c.Counts[0]);
        Assert.Equal([1, 2], c.Counts[1]);
        Assert.Equal(0.6, ClassificationMetrics.Accuracy(c), 15);
    }

    [Fact]
    public void Classification_ReportsUnknownClassAndBadProbability()
    {
        var proba = Matrix.Build(2, 2, (i, j) => i == 0 ? double.NaN : 0.5);
        var codes = ClassificationMetrics.Classification([0, 1], [0, 2], [0, 1], proba).Problems().Select(p => p.Code).ToArray();
        Assert.Contains("data.unknown_class", codes);
        Assert.Contains("data.nan_prediction", codes);
    }

    [Fact]
    public void MulticlassScores_AreMacroAverages()
    {
        int[] yTrue = [0, 1, 2, 2, 1, 0];
        int[] yPred = [0, 2, 2, 2, 1, 1];
        var s = ClassificationMetrics.Classification([0, 1, 2], yTrue, yPred, null).OrThrow();
        // sklearn: precision_score(average="macro") = (1 + 0.5 + 2/3) / 3, recall macro = (0.5 + 0.5 + 1) / 3.
        Assert.Equal((1 + 0.5 + 2.0 / 3) / 3, s.Precision, 14);
        Assert.Equal(2.0 / 3, s.Recall, 14);
        Assert.Equal(2.0 / 3, s.BalancedAccuracy, 14);
        Assert.True(double.IsNaN(s.RocAuc));
    }
}
