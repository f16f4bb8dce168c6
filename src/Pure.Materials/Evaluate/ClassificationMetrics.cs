using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Evaluate;

/// <summary>A confusion matrix: rows are true classes, columns predicted classes, both in <see cref="Labels"/> order (scikit-learn's layout).</summary>
/// <param name="Labels">The class labels, ascending, shape (n_classes,).</param>
/// <param name="Counts">Counts, shape (n_classes, n_classes): Counts[i][j] = number of samples of true class Labels[i] predicted as Labels[j].</param>
/// <remarks>For two classes [0, 1]: [[TN, FP], [FN, TP]]. Source: scikit-learn 1.2.1 <c>sklearn.metrics.confusion_matrix</c>.</remarks>
public sealed record ConfusionMatrix(IReadOnlyList<int> Labels, IReadOnlyList<int[]> Counts)
{
    /// <summary>Total number of samples.</summary>
    public int Total => Counts.Sum(r => r.Sum());

    /// <summary>Adds two confusion matrices over the same labels (e.g. the folds of a cross-validation).</summary>
    /// <param name="other">The other matrix, same labels.</param>
    /// <returns>The element-wise sum.</returns>
    /// <exception cref="ArgumentException">When the labels differ (a programmer error).</exception>
    public ConfusionMatrix Add(ConfusionMatrix other)
    {
        if (!Labels.SequenceEqual(other.Labels)) throw new ArgumentException("Confusion matrices have different labels.", nameof(other));
        return this with { Counts = Counts.Select((r, i) => r.Select((c, j) => c + other.Counts[i][j]).ToArray()).ToArray() };
    }

    /// <summary>Formats the matrix as a small text table with a header of predicted labels.</summary>
    /// <param name="names">Optional display name per label (same order as <see cref="Labels"/>).</param>
    /// <returns>Lines such as <c>true\pred  0  1</c>.</returns>
    public string ToText(IReadOnlyList<string>? names = null)
    {
        var n = names ?? Labels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var width = Math.Max(n.Max(s => s.Length), Counts.SelectMany(r => r).Max().ToString(System.Globalization.CultureInfo.InvariantCulture).Length) + 2;
        var first = Math.Max("true \\ predicted".Length, n.Max(s => s.Length)) + 2;
        var lines = new List<string> { "true \\ predicted".PadRight(first) + string.Concat(n.Select(s => s.PadLeft(width))) };
        for (var i = 0; i < Labels.Count; i++)
            lines.Add(n[i].PadRight(first) + string.Concat(Counts[i].Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width))));
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>Every classification score of one set of predictions.</summary>
/// <param name="Accuracy">Fraction of correct predictions, in [0, 1].</param>
/// <param name="Precision">TP / (TP + FP) for the positive class (binary) or the macro average over classes; 0 when nothing is predicted positive (scikit-learn's zero_division=0).</param>
/// <param name="Recall">TP / (TP + FN) (binary) or macro average; 0 when there is no positive sample.</param>
/// <param name="Specificity">TN / (TN + FP): the recall of the negative class (binary) or the macro average of per-class specificities.</param>
/// <param name="F1">2 P R / (P + R) (binary) or macro average of per-class F1; 0 when P + R = 0.</param>
/// <param name="BalancedAccuracy">Mean of per-class recalls, in [0, 1].</param>
/// <param name="RocAuc">Area under the ROC curve of the positive-class probability (binary; macro one-vs-rest for more classes); NaN without probabilities.</param>
/// <param name="LogLoss">Mean negative log-likelihood of the true class, probabilities clipped to [eps, 1 - eps] with eps = 2^-52 and renormalised; NaN without probabilities.</param>
/// <param name="Confusion">The confusion matrix.</param>
/// <remarks>Source: scikit-learn 1.2.1 <c>sklearn.metrics</c> (<c>_classification.py</c>, <c>_ranking.py</c>).</remarks>
public sealed record ClassificationScores(double Accuracy, double Precision, double Recall, double Specificity, double F1, double BalancedAccuracy,
    double RocAuc, double LogLoss, ConfusionMatrix Confusion)
{
    /// <summary>ROC-AUC one-vs-rest averaged with each class weighted by its number of true samples (scikit-learn's
    /// <c>roc_auc_score(multi_class="ovr", average="weighted")</c>); equal to <see cref="RocAuc"/> for two classes; NaN without probabilities.</summary>
    public double RocAucWeighted { get; init; } = double.NaN;
}

/// <summary>How the one-vs-rest ROC-AUCs of the classes are averaged (scikit-learn's <c>average</c> of <c>roc_auc_score</c>).</summary>
public enum RocAucAverage
{
    /// <summary>Unweighted mean over the classes (<c>average="macro"</c>).</summary>
    Macro,
    /// <summary>Mean weighted by each class's number of true samples (<c>average="weighted"</c>).</summary>
    Weighted,
}

/// <summary>Computes classification metrics defined as in scikit-learn 1.2.1.</summary>
/// <remarks>
/// Labels are integers; the positive class of binary metrics is the larger of two labels (1 for 0/1 labels, scikit-learn's
/// <c>pos_label=1</c>). With more than two classes, precision, recall, specificity and F1 are macro averages (unweighted mean
/// over the classes of the confusion matrix). Ratios with a zero denominator are 0 (scikit-learn's zero_division behaviour,
/// without its warning). ROC-AUC counts a tie between a positive and a negative score as one half (the trapezoidal area of
/// scikit-learn's ROC curve equals this Mann-Whitney statistic).
/// Source: scikit-learn 1.2.1 <c>confusion_matrix</c>, <c>precision_recall_fscore_support</c>, <c>balanced_accuracy_score</c>,
/// <c>roc_auc_score</c>, <c>log_loss</c>; Fawcett, Pattern Recognit. Lett. 27, 861 (2006).
/// </remarks>
public static class ClassificationMetrics
{
    /// <summary>The clipping epsilon of <see cref="LogLoss"/>: 2^-52 (numpy <c>finfo(float64).eps</c>, scikit-learn's <c>eps="auto"</c>).</summary>
    public const double LogLossEpsilon = 2.220446049250313e-16;

    /// <summary>Counts true against predicted labels.</summary>
    /// <param name="yTrue">True labels, shape (n_samples,).</param>
    /// <param name="yPred">Predicted labels, shape (n_samples,).</param>
    /// <param name="labels">The labels (rows/columns) in order; null for the sorted union of both vectors.</param>
    /// <returns>The matrix; labels outside <paramref name="labels"/> are not counted (as scikit-learn).</returns>
    /// <exception cref="ArgumentException">When the lengths differ.</exception>
    public static ConfusionMatrix Confusion(IReadOnlyList<int> yTrue, IReadOnlyList<int> yPred, IReadOnlyList<int>? labels = null)
    {
        if (yTrue.Count != yPred.Count) throw new ArgumentException($"y_true has {yTrue.Count} values but y_pred has {yPred.Count}.", nameof(yPred));
        var l = labels?.ToArray() ?? yTrue.Concat(yPred).Distinct().Order().ToArray();
        var index = l.Select((v, i) => (v, i)).ToDictionary(t => t.v, t => t.i);
        var counts = l.Select(_ => new int[l.Length]).ToArray();
        for (var s = 0; s < yTrue.Count; s++)
            if (index.TryGetValue(yTrue[s], out var i) && index.TryGetValue(yPred[s], out var j)) counts[i][j]++;
        return new ConfusionMatrix(l, counts);
    }

    /// <summary>Computes accuracy, (TP + TN) / n.</summary>
    /// <param name="c">A confusion matrix.</param>
    /// <returns>In [0, 1]; NaN for an empty matrix.</returns>
    public static double Accuracy(ConfusionMatrix c) => (double)Enumerable.Range(0, c.Labels.Count).Sum(i => c.Counts[i][i]) / c.Total;

    /// <summary>Computes precision of one class: TP / (TP + FP).</summary>
    /// <param name="c">A confusion matrix.</param>
    /// <param name="k">Class index (position in <see cref="ConfusionMatrix.Labels"/>).</param>
    /// <returns>In [0, 1]; 0 when nothing is predicted as class k.</returns>
    public static double Precision(ConfusionMatrix c, int k) => Ratio(c.Counts[k][k], Enumerable.Range(0, c.Labels.Count).Sum(i => c.Counts[i][k]));

    /// <summary>Computes recall (sensitivity) of one class: TP / (TP + FN).</summary>
    /// <param name="c">A confusion matrix.</param>
    /// <param name="k">Class index.</param>
    /// <returns>In [0, 1]; 0 when class k has no sample.</returns>
    public static double Recall(ConfusionMatrix c, int k) => Ratio(c.Counts[k][k], c.Counts[k].Sum());

    /// <summary>Computes specificity of one class: TN / (TN + FP), the recall of "not class k".</summary>
    /// <param name="c">A confusion matrix.</param>
    /// <param name="k">Class index.</param>
    /// <returns>In [0, 1]; 0 when every sample is of class k.</returns>
    public static double Specificity(ConfusionMatrix c, int k)
    {
        var total = c.Total;
        var predictedK = Enumerable.Range(0, c.Labels.Count).Sum(i => c.Counts[i][k]);
        var trueK = c.Counts[k].Sum();
        var tn = total - trueK - predictedK + c.Counts[k][k];
        var fp = predictedK - c.Counts[k][k];
        return Ratio(tn, tn + fp);
    }

    /// <summary>Computes F1 of one class: 2 P R / (P + R).</summary>
    /// <param name="c">A confusion matrix.</param>
    /// <param name="k">Class index.</param>
    /// <returns>In [0, 1]; 0 when P + R = 0.</returns>
    public static double F1(ConfusionMatrix c, int k)
    {
        double p = Precision(c, k), r = Recall(c, k);
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    /// <summary>Computes balanced accuracy, the mean of per-class recalls over the classes that have samples.</summary>
    /// <param name="c">A confusion matrix.</param>
    /// <returns>In [0, 1].</returns>
    public static double BalancedAccuracy(ConfusionMatrix c)
    {
        var present = Enumerable.Range(0, c.Labels.Count).Where(k => c.Counts[k].Sum() > 0).ToArray();
        return present.Average(k => Recall(c, k));
    }

    /// <summary>Computes the area under the ROC curve of binary scores.</summary>
    /// <param name="yTrue">True labels, 1 positive and 0 (or any other value) negative, shape (n_samples,).</param>
    /// <param name="score">Score or probability of the positive class, shape (n_samples,); higher means more likely positive.</param>
    /// <returns>AUC = P(score of a random positive &gt; score of a random negative) + P(equal)/2, in [0, 1]; NaN when one class is absent (scikit-learn raises).</returns>
    /// <exception cref="ArgumentException">When the lengths differ.</exception>
    public static double RocAuc(IReadOnlyList<int> yTrue, IReadOnlyList<double> score)
    {
        if (yTrue.Count != score.Count) throw new ArgumentException($"y_true has {yTrue.Count} values but the score has {score.Count}.", nameof(score));
        var order = Enumerable.Range(0, score.Count).OrderBy(i => score[i]).ToArray();
        // Mid-ranks of tied scores, then the Mann-Whitney U of the positives.
        var rank = new double[order.Length];
        for (var s = 0; s < order.Length;)
        {
            var e = s;
            while (e + 1 < order.Length && score[order[e + 1]] == score[order[s]]) e++;
            for (var t = s; t <= e; t++) rank[order[t]] = (s + e) / 2.0 + 1;
            s = e + 1;
        }
        double nPos = 0, sumRanks = 0;
        for (var i = 0; i < yTrue.Count; i++)
            if (yTrue[i] == 1) { nPos++; sumRanks += rank[i]; }
        var nNeg = yTrue.Count - nPos;
        if (nPos == 0 || nNeg == 0) return double.NaN;
        return (sumRanks - nPos * (nPos + 1) / 2) / (nPos * nNeg);
    }

    /// <summary>Computes the multi-class ROC-AUC one-vs-rest: the binary AUC of each class's probability column against "not this class",
    /// averaged over the classes.</summary>
    /// <param name="yTrueIndex">True class of each sample as a column index into <paramref name="proba"/>, shape (n_samples,).</param>
    /// <param name="proba">Probabilities, shape (n_samples, n_classes), n_classes &gt;= 2.</param>
    /// <param name="average">Macro (unweighted) or weighted by class prevalence.</param>
    /// <returns>In [0, 1]; NaN when some class has no true sample (its AUC is undefined; scikit-learn raises).</returns>
    /// <exception cref="ArgumentException">When the row counts differ.</exception>
    /// <remarks>AUC_k = <see cref="RocAuc"/>(y == k, proba[:, k]); macro = mean_k AUC_k; weighted = sum_k n_k AUC_k / n with n_k the
    /// number of samples of class k. For two classes whose probabilities sum to 1, AUC_0 = AUC_1, so both averages equal the binary AUC
    /// that scikit-learn (and <see cref="Classification"/>) reports. Source: scikit-learn 1.2.1
    /// <c>sklearn/metrics/_ranking.py</c> (<c>_multiclass_roc_auc_score</c>, <c>_average_binary_score</c>); Fawcett (2006), section 10.</remarks>
    public static double RocAucOvr(IReadOnlyList<int> yTrueIndex, Matrix proba, RocAucAverage average = RocAucAverage.Macro)
    {
        if (yTrueIndex.Count != proba.Rows) throw new ArgumentException($"y_true has {yTrueIndex.Count} values but proba has {proba.Rows} rows.", nameof(proba));
        var k = proba.Cols;
        var counts = new double[k];
        foreach (var t in yTrueIndex) if (t >= 0 && t < k) counts[t]++;
        double sum = 0, weights = 0;
        for (var c = 0; c < k; c++)
        {
            var auc = RocAuc(yTrueIndex.Select(t => t == c ? 1 : 0).ToArray(), proba.Column(c));
            var w = average == RocAucAverage.Weighted ? counts[c] : 1.0;
            sum += w * auc;
            weights += w;
        }
        return sum / weights;
    }

    /// <summary>Computes the log loss (cross-entropy) of predicted class probabilities.</summary>
    /// <param name="yTrueIndex">True class of each sample as a column index into <paramref name="proba"/>, shape (n_samples,).</param>
    /// <param name="proba">Probabilities, shape (n_samples, n_classes); each row is clipped to [eps, 1 - eps] and renormalised as scikit-learn.</param>
    /// <returns>-(1/n) sum_i log p_i[y_i], at least 0.</returns>
    /// <exception cref="ArgumentException">When the row counts differ.</exception>
    public static double LogLoss(IReadOnlyList<int> yTrueIndex, Matrix proba)
    {
        if (yTrueIndex.Count != proba.Rows) throw new ArgumentException($"y_true has {yTrueIndex.Count} values but proba has {proba.Rows} rows.", nameof(proba));
        var s = 0.0;
        for (var i = 0; i < proba.Rows; i++)
        {
            var row = proba.Row(i);
            double sum = 0, mine = 0;
            for (var k = 0; k < row.Length; k++)
            {
                var p = Math.Clamp(row[k], LogLossEpsilon, 1 - LogLossEpsilon);
                sum += p;
                if (k == yTrueIndex[i]) mine = p;
            }
            s -= Math.Log(mine / sum);
        }
        return s / proba.Rows;
    }

    /// <summary>Computes every score of a set of predictions, validating the input.</summary>
    /// <param name="classes">The classes, ascending, shape (n_classes,), at least 2; probability column k belongs to classes[k].</param>
    /// <param name="yTrue">True labels, each one of <paramref name="classes"/>, shape (n_samples,).</param>
    /// <param name="yPred">Predicted labels, shape (n_samples,).</param>
    /// <param name="proba">Predicted probabilities, shape (n_samples, n_classes), or null (RocAuc and LogLoss are then NaN).</param>
    /// <returns>The scores, or <c>data.empty</c>, <c>shape.rows_mismatch</c>, <c>data.unknown_class</c> (a true label outside the classes),
    /// <c>data.nan_prediction</c> (a probability that is NaN or outside [0, 1] by more than 1e-12).</returns>
    public static Validation<Problem, ClassificationScores> Classification(IReadOnlyList<int> classes, IReadOnlyList<int> yTrue, IReadOnlyList<int> yPred, Matrix? proba)
    {
        var problems = new List<Problem>();
        if (yTrue.Count == 0) problems.Add(new Problem("data.empty", "y_true is empty; at least one sample is required"));
        if (yTrue.Count != yPred.Count || (proba is not null && (proba.Rows != yTrue.Count || proba.Cols != classes.Count)))
            problems.Add(new Problem("shape.rows_mismatch",
                $"y_true has {yTrue.Count} values, y_pred {yPred.Count}{(proba is null ? "" : $", proba shape ({proba.Rows}, {proba.Cols}) for {classes.Count} classes")}; they must match"));
        var index = classes.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i);
        var unknown = yTrue.FirstOrDefault(v => !index.ContainsKey(v), int.MinValue);
        if (unknown != int.MinValue || yTrue.Any(v => !index.ContainsKey(v)))
            problems.Add(new Problem("data.unknown_class", $"y_true holds label {unknown}, which is not one of the classes {string.Join(", ", classes)}"));
        if (proba is not null)
            foreach (var v in proba.Data)
                if (!(v >= -1e-12 && v <= 1 + 1e-12)) { problems.Add(new Problem("data.nan_prediction", $"a predicted probability is {v}; every probability must be in [0, 1] (rounding up to 1e-12 is accepted)")); break; }
        if (problems.Count > 0) return Valid.Fail<ClassificationScores>(problems);

        var c = Confusion(yTrue, yPred, classes);
        var k = classes.Count;
        var binary = k == 2;
        double Macro(Func<ConfusionMatrix, int, double> f) => binary ? f(c, 1) : Enumerable.Range(0, k).Average(j => f(c, j));
        var auc = double.NaN;
        var aucWeighted = double.NaN;
        var logLoss = double.NaN;
        if (proba is not null)
        {
            var trueIndex = yTrue.Select(v => index[v]).ToArray();
            logLoss = LogLoss(trueIndex, proba);
            auc = binary ? RocAuc(trueIndex, proba.Column(1)) : RocAucOvr(trueIndex, proba, RocAucAverage.Macro);
            aucWeighted = binary ? auc : RocAucOvr(trueIndex, proba, RocAucAverage.Weighted);
        }
        return Valid.Ok(new ClassificationScores(Accuracy(c), Macro(Precision), Macro(Recall), binary ? Specificity(c, 1) : Macro(Specificity), Macro(F1),
            BalancedAccuracy(c), auc, logLoss, c) { RocAucWeighted = aucWeighted });
    }

    private static double Ratio(int a, int b) => b == 0 ? 0.0 : (double)a / b;
}
