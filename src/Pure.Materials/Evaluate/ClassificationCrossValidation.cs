using System.Diagnostics;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Classification;
using Pure.Materials.Split;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Evaluate;

/// <summary>The outcome of one classification train/test fold.</summary>
/// <param name="Fold">0-based fold number.</param>
/// <param name="TrainRows">Row indices used for fitting (sorted).</param>
/// <param name="TestRows">Row indices predicted (sorted).</param>
/// <param name="Predictions">Predicted labels for <paramref name="TestRows"/>, same order.</param>
/// <param name="Probabilities">Predicted probabilities, shape (n_test, n_classes), columns in the report's class order (0 for a class absent from the fold's training rows).</param>
/// <param name="Scores">Metrics on the test rows.</param>
/// <param name="FitSeconds">Wall-clock seconds to fit (not deterministic; never used in results).</param>
/// <param name="PredictSeconds">Wall-clock seconds to predict.</param>
public sealed record ClassificationFoldResult(int Fold, IReadOnlyList<int> TrainRows, IReadOnlyList<int> TestRows, IReadOnlyList<int> Predictions,
    Matrix Probabilities, ClassificationScores Scores, double FitSeconds, double PredictSeconds);

/// <summary>A classification cross-validation report.</summary>
/// <param name="Classes">The class labels of the whole data set, ascending.</param>
/// <param name="Folds">Per-fold results, in fold order.</param>
/// <param name="Summary">Per metric key (see <see cref="MetricKeys"/>): summary over folds (population standard deviation).</param>
/// <param name="Confusion">The confusion matrix summed over the folds' test rows.</param>
/// <param name="Pooled">The metrics of all folds' test predictions and probabilities taken together, in fold order (scikit-learn's
/// <c>cross_val_predict</c> then one score; the ROC-AUC of leave-one-out); null when the folds hold fewer than 2 test rows in all.</param>
public sealed record ClassificationReport(IReadOnlyList<int> Classes, IReadOnlyList<ClassificationFoldResult> Folds,
    IReadOnlyDictionary<string, MetricSummary> Summary, ConfusionMatrix Confusion, ClassificationScores? Pooled = null)
{
    /// <summary>The metric keys, in report order.</summary>
    public static IReadOnlyList<string> MetricKeys { get; } = ["accuracy", "balanced_accuracy", "precision", "recall", "specificity", "f1", "roc_auc", "roc_auc_weighted", "log_loss"];

    /// <summary>Reads one metric from a score record by its key.</summary>
    /// <param name="s">The scores.</param>
    /// <param name="key">One of <see cref="MetricKeys"/>.</param>
    /// <returns>The value.</returns>
    public static double Metric(ClassificationScores s, string key) => key switch
    {
        "accuracy" => s.Accuracy,
        "balanced_accuracy" => s.BalancedAccuracy,
        "precision" => s.Precision,
        "recall" => s.Recall,
        "specificity" => s.Specificity,
        "f1" => s.F1,
        "roc_auc" => s.RocAuc,
        "roc_auc_weighted" => s.RocAucWeighted,
        "log_loss" => s.LogLoss,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown metric key."),
    };
}

/// <summary>Runs a classification pipeline over train/test splits: fit on each training side, score on its test side.</summary>
/// <remarks>
/// Fold k uses the k-th stream of <c>rng.SplitMany(folds)</c>, as <see cref="CrossValidation"/>. A fold whose training rows hold a single
/// class fails with <c>data.single_class</c>. Source: Hastie, Tibshirani, Friedman, Elements of Statistical Learning, 2nd ed., section 7.10.
/// </remarks>
public static class ClassificationCrossValidation
{
    /// <summary>Cross-validates a classification pipeline.</summary>
    /// <param name="options">The pipeline.</param>
    /// <param name="x">Features, shape (n, n_features).</param>
    /// <param name="y">Labels, length n, at least 2 distinct values.</param>
    /// <param name="splits">Train/test index sets.</param>
    /// <param name="rng">The run's random stream.</param>
    /// <param name="onFold">Optional callback after each fold; does not affect results.</param>
    /// <returns>The report, or the problems of the first failing fold (prefixed with the fold number).</returns>
    public static Validation<Problem, ClassificationReport> Run(ClassifierPipelineOptions options, Matrix x, IReadOnlyList<int> y,
        IReadOnlyList<TrainTest> splits, Rng rng, Action<ClassificationFoldResult>? onFold = null)
    {
        var classes = y.Distinct().Order().ToArray();
        if (classes.Length < 2)
            return Valid.Fail<ClassificationReport>("data.single_class", $"the labels hold {classes.Length} class(es); classification needs at least 2");
        var (streams, _) = rng.SplitMany(splits.Count);
        var folds = new List<ClassificationFoldResult>();
        // As CrossValidation.Run: what the caller left before the first fold is collected once.
        if ((long)x.Rows * x.Cols >= CrossValidation.CollectAfterFoldValues) GC.Collect();
        for (var k = 0; k < splits.Count; k++)
        {
            var result = RunFold(options, x, y, classes, splits[k], k, streams[k]);
            if (result.IsFail) return Valid.Fail<ClassificationReport>(result.Problems());
            var r = result.OrThrow();
            onFold?.Invoke(r);
            folds.Add(r);
            // As CrossValidation.Run: one full collection per large fold keeps the peak near that of a single fold.
            if ((long)x.Rows * x.Cols >= CrossValidation.CollectAfterFoldValues) GC.Collect();
        }
        return Valid.Ok(Report(classes, folds, y));
    }

    /// <summary>The report of scored folds: per-metric summaries over folds, the summed confusion matrix, the pooled scores.</summary>
    internal static ClassificationReport Report(int[] classes, IReadOnlyList<ClassificationFoldResult> folds, IReadOnlyList<int> y)
    {
        var summary = new Dictionary<string, MetricSummary>();
        foreach (var key in ClassificationReport.MetricKeys)
        {
            var values = folds.Select(f => ClassificationReport.Metric(f.Scores, key)).ToArray();
            summary[key] = values.Any(double.IsNaN)
                ? new MetricSummary(double.NaN, double.NaN, double.NaN, double.NaN, values.Length)
                : Metrics.Summarize(values).OrThrow();
        }
        var total = folds.Select(f => f.Scores.Confusion).Aggregate((a, b) => a.Add(b));
        return new ClassificationReport(classes, folds, summary, total, PooledScores(classes, folds, y));
    }

    /// <summary>Fits fold <paramref name="fold"/> and scores its test rows. In a method of its own so that nothing of the fold (its row
    /// copies, the fitted model) outlives it, and the test rows are copied only after the fit (as <see cref="CrossValidation"/>).</summary>
    private static Validation<Problem, ClassificationFoldResult> RunFold(ClassifierPipelineOptions options, Matrix x, IReadOnlyList<int> y,
        int[] classes, TrainTest split, int fold, Rng stream)
    {
        var (fitted, fitSeconds) = FitFold(options, x, y, split, stream);
        if (fitted.IsFail)
            return Valid.Fail<ClassificationFoldResult>(CrossValidation.FitProblems(fitted.Problems(), fold, split));
        var xTest = x.SelectRows(split.Test);
        var yTest = split.Test.Select(i => y[i]).ToArray();
        return fitted.Bind(p =>
        {
            var clock = Stopwatch.StartNew();
            var local = p.PredictProba(xTest);
            var predictSeconds = clock.Elapsed.TotalSeconds;
            var proba = TaskEvaluation.Widen(local, p.Classes, classes);
            var pred = p.PredictLabels is { } labels ? labels(xTest) : ClassifierPredictor.ArgMax(classes, proba);
            return ClassificationMetrics.Classification(classes, yTest, pred, proba)
                .Map(s => new ClassificationFoldResult(fold, split.Train, split.Test, pred, proba, s, fitSeconds, predictSeconds));
        }).MapFail(p => p with { Message = $"fold {fold}: {p.Message}" });
    }

    /// <summary>Fits the pipeline on the fold's training rows (copied here, so that the copy is garbage once the fit returns).</summary>
    private static (Validation<Problem, ClassifierPredictor> Fitted, double Seconds) FitFold(ClassifierPipelineOptions options, Matrix x,
        IReadOnlyList<int> y, TrainTest split, Rng stream)
    {
        var xTrain = x.SelectRows(split.Train);
        var yTrain = split.Train.Select(i => y[i]).ToArray();
        var clock = Stopwatch.StartNew();
        var fitted = ClassifierPipeline.FitOwned(options, xTrain, yTrain, stream);
        return (fitted, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The scores of every fold's test predictions together, in fold order (null for fewer than 2 test rows).</summary>
    private static ClassificationScores? PooledScores(int[] classes, IReadOnlyList<ClassificationFoldResult> folds, IReadOnlyList<int> y)
    {
        var truth = folds.SelectMany(f => f.TestRows.Select(r => y[r])).ToArray();
        if (truth.Length < 2) return null;
        var pred = folds.SelectMany(f => f.Predictions).ToArray();
        var stacked = new double[truth.Length * classes.Length];
        var at = 0;
        foreach (var f in folds)
        {
            f.Probabilities.Data.CopyTo(stacked.AsSpan(at));
            at += f.Probabilities.Data.Length;
        }
        var proba = Matrix.FromRowMajor(truth.Length, classes.Length, stacked);
        return ClassificationMetrics.Classification(classes, truth, pred, proba).Match(s => s, _ => (ClassificationScores?)null);
    }
}
