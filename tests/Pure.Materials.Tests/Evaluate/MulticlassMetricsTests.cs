using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Xunit;

namespace Pure.Materials.Tests.Evaluate;

/// <summary>Multi-class ROC-AUC (one-vs-rest, macro and weighted), log loss and macro scores against scikit-learn 1.2.1 on real
/// predictions (logistic regression, Gaussian naive Bayes and 5-NN probabilities on expt_gap Magpie features, 3 and 4 classes).</summary>
public class MulticlassMetricsTests
{
    public static IEnumerable<object[]> Cases()
    {
        // Reference: tools/reference/sklearn_multiclass_metrics.py -> metrics_multiclass.csv.
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", "metrics_multiclass.csv"))
            .Where(l => !l.StartsWith('#')).ToArray();
        return lines.Skip(1).Select(l => new object[] { l.Split(',')[0], l });
    }

    private static (int[] Classes, int[] YTrue, int[] YPred, Matrix Proba, Dictionary<string, string> Row) Parse(string line)
    {
        var header = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", "metrics_multiclass.csv"))
            .First(l => !l.StartsWith('#')).Split(',');
        var row = header.Zip(line.Split(','), (h, c) => (Key: h, Value: c)).ToDictionary(t => t.Key, t => t.Value);
        var k = int.Parse(row["n_classes"], System.Globalization.CultureInfo.InvariantCulture);
        var yTrue = SklearnReference.Ints(row["y_true"]);
        var proba = Matrix.FromRowMajor(yTrue.Length, k, SklearnReference.Vec(row["proba"]));
        return ([.. Enumerable.Range(0, k)], yTrue, SklearnReference.Ints(row["y_pred"]), proba, row);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classification_MulticlassScores_MatchScikitLearn121(string name, string line)
    {
        var (classes, yTrue, yPred, proba, row) = Parse(line);
        var s = ClassificationMetrics.Classification(classes, yTrue, yPred, proba).OrThrow();
        Assert.Equal(SklearnReference.Ints(row["confusion"]), s.Confusion.Counts.SelectMany(r => r).ToArray());
        SklearnReference.AssertClose(SklearnReference.Num(row["roc_auc_ovr_macro"]), s.RocAuc, $"{name} roc_auc ovr macro");
        SklearnReference.AssertClose(SklearnReference.Num(row["roc_auc_ovr_weighted"]), s.RocAucWeighted, $"{name} roc_auc ovr weighted");
        SklearnReference.AssertClose(SklearnReference.Num(row["log_loss"]), s.LogLoss, $"{name} log_loss");
        SklearnReference.AssertClose(SklearnReference.Num(row["accuracy"]), s.Accuracy, $"{name} accuracy");
        SklearnReference.AssertClose(SklearnReference.Num(row["balanced_accuracy"]), s.BalancedAccuracy, $"{name} balanced_accuracy");
        SklearnReference.AssertClose(SklearnReference.Num(row["precision_macro"]), s.Precision, $"{name} precision macro");
        SklearnReference.AssertClose(SklearnReference.Num(row["recall_macro"]), s.Recall, $"{name} recall macro");
        SklearnReference.AssertClose(SklearnReference.Num(row["f1_macro"]), s.F1, $"{name} f1 macro");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RocAucOvr_MatchesScikitLearn121_MacroAndWeighted(string name, string line)
    {
        var (_, yTrue, _, proba, row) = Parse(line);
        SklearnReference.AssertClose(SklearnReference.Num(row["roc_auc_ovr_macro"]), ClassificationMetrics.RocAucOvr(yTrue, proba), $"{name} macro");
        SklearnReference.AssertClose(SklearnReference.Num(row["roc_auc_ovr_weighted"]),
            ClassificationMetrics.RocAucOvr(yTrue, proba, RocAucAverage.Weighted), $"{name} weighted");
    }

    [Fact]
    public void RocAucOvr_IsNaN_WhenAClassHasNoTrueSample()
    {
        // Class 2 never occurs in y_true: its one-vs-rest AUC is undefined (scikit-learn raises), so the average is NaN, never a guess.
        var proba = Matrix.FromRowMajor(4, 3, [0.7, 0.2, 0.1, 0.2, 0.7, 0.1, 0.6, 0.3, 0.1, 0.1, 0.8, 0.1]);
        Assert.True(double.IsNaN(ClassificationMetrics.RocAucOvr([0, 1, 0, 1], proba)));
        Assert.True(double.IsNaN(ClassificationMetrics.RocAucOvr([0, 1, 0, 1], proba, RocAucAverage.Weighted)));
    }

    [Fact]
    public void RocAucOvr_TwoClasses_EqualsTheBinaryAuc()
    {
        int[] y = [0, 1, 1, 0, 1, 0];
        double[] p1 = [0.2, 0.9, 0.4, 0.4, 0.7, 0.1];
        var proba = Matrix.Build(6, 2, (i, j) => j == 1 ? p1[i] : 1 - p1[i]);
        var binary = ClassificationMetrics.RocAuc(y, p1);
        Assert.Equal(binary, ClassificationMetrics.RocAucOvr(y, proba), 14);
        Assert.Equal(binary, ClassificationMetrics.RocAucOvr(y, proba, RocAucAverage.Weighted), 14);
    }
}
