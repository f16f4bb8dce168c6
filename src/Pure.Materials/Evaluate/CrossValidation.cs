using System.Diagnostics;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Split;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Evaluate;

/// <summary>The outcome of one train/test fold.</summary>
/// <param name="Fold">0-based fold number.</param>
/// <param name="TrainRows">Row indices used for fitting (sorted).</param>
/// <param name="TestRows">Row indices predicted (sorted).</param>
/// <param name="Predictions">Predictions for <paramref name="TestRows"/>, same order.</param>
/// <param name="Scores">Metrics on the test rows.</param>
/// <param name="FitSeconds">Wall-clock seconds to fit the pipeline (not deterministic; never used in results).</param>
/// <param name="PredictSeconds">Wall-clock seconds to predict the test rows (with their standard deviations, when there are any).</param>
/// <param name="Std">Standard deviations of <paramref name="Predictions"/> in target units, same order, for learners that have one
/// (<see cref="Predictor.PredictWithStd"/>); null otherwise.</param>
public sealed record FoldResult(int Fold, IReadOnlyList<int> TrainRows, IReadOnlyList<int> TestRows, IReadOnlyList<double> Predictions,
    RegressionScores Scores, double FitSeconds, double PredictSeconds, IReadOnlyList<double>? Std = null);

/// <summary>A cross-validation report: every fold and, per metric, the mean and standard deviation over folds.</summary>
/// <param name="Folds">Per-fold results, in fold order.</param>
/// <param name="Summary">Per metric key (<c>mae</c>, <c>rmse</c>, <c>mse</c>, <c>r2</c>, <c>mape</c> (scikit-learn's), <c>mape_matbench</c> (rows with |y| &gt; 1e-5),
/// <c>max_error</c>, <c>pearson_r</c>): summary over folds (population standard deviation). <c>pearson_r</c> is NaN, in a fold and in the summary, when a
/// fold's predictions are constant (undefined correlation); <c>mape_matbench</c> when a fold has no |y| &gt; 1e-5; <c>r2</c> and <c>pearson_r</c>
/// when a test fold has one row (leave-one-out: use the pooled out-of-fold predictions instead).</param>
/// <param name="Pooled">The metrics of all folds' test predictions taken together (scikit-learn's <c>cross_val_predict</c> then one score:
/// the only meaningful R2 and Pearson r of leave-one-out), over the (row, prediction) pairs in fold order; null when the folds hold fewer
/// than 2 test rows in all. With a single split it equals that split's scores.</param>
public sealed record CrossValidationReport(IReadOnlyList<FoldResult> Folds, IReadOnlyDictionary<string, MetricSummary> Summary,
    RegressionScores? Pooled = null)
{
    /// <summary>The metric keys, in report order.</summary>
    public static IReadOnlyList<string> MetricKeys { get; } = ["mae", "rmse", "mse", "r2", "mape", "mape_matbench", "max_error", "pearson_r"];

    /// <summary>Reads one metric from a score record by its key.</summary>
    /// <param name="scores">The scores.</param>
    /// <param name="key">One of <see cref="MetricKeys"/>.</param>
    /// <returns>The value.</returns>
    public static double Metric(RegressionScores scores, string key) => key switch
    {
        "mae" => scores.Mae,
        "rmse" => scores.Rmse,
        "mse" => scores.Mse,
        "r2" => scores.R2,
        "mape" => scores.Mape,
        "mape_matbench" => scores.MapeMatbench,
        "max_error" => scores.MaxError,
        "pearson_r" => scores.PearsonR,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown metric key."),
    };

    /// <summary>The fold in which each row was a test row, for n rows (-1 for rows never tested, e.g. the train side of a single split).</summary>
    /// <param name="n">Number of rows in the dataset.</param>
    /// <returns>Fold per row.</returns>
    public int[] FoldOfRow(int n)
    {
        var f = Enumerable.Repeat(-1, n).ToArray();
        foreach (var fold in Folds) foreach (var r in fold.TestRows) f[r] = fold.Fold;
        return f;
    }

    /// <summary>Each row's prediction from the fold where it was a test row (NaN for rows never tested).</summary>
    /// <param name="n">Number of rows in the dataset.</param>
    /// <returns>Prediction per row.</returns>
    public double[] OutOfFoldPredictions(int n)
    {
        var p = Enumerable.Repeat(double.NaN, n).ToArray();
        foreach (var fold in Folds)
            for (var k = 0; k < fold.TestRows.Count; k++) p[fold.TestRows[k]] = fold.Predictions[k];
        return p;
    }
}

/// <summary>Runs a pipeline over train/test splits: fit on each training side, score on its test side.</summary>
/// <remarks>
/// Fold k is fitted with its own random stream (the k-th of <c>rng.SplitMany(folds)</c>), so every fold's model is the same
/// whatever the order or number of folds run before it. Preprocessing is refitted inside each fold (<see cref="Pipeline"/>).
/// Source: Hastie, Tibshirani, Friedman, The Elements of Statistical Learning, 2nd ed., section 7.10.
/// </remarks>
public static class CrossValidation
{
    /// <summary>Problems raised while fitting on a fold's training rows, with <see cref="Problem.Row"/> (1-based within the training
    /// matrix) mapped back to the data row (1-based) and the fold named.</summary>
    internal static IEnumerable<Problem> FitProblems(IEnumerable<Problem> problems, int fold, TrainTest split) =>
        problems.Select(p => p.Row is int r && r >= 1 && r <= split.Train.Length
            ? p with
            {
                Row = split.Train[r - 1] + 1,
                Message = $"fold {fold}: {p.Message} (the row number is the data row; indices inside the message count within the fold's training rows)",
            }
            : p with { Message = $"fold {fold}: {p.Message}" });

    /// <summary>Feature values (rows times columns, 64 MB of doubles) from which a full garbage collection follows every fold.</summary>
    internal const long CollectAfterFoldValues = 8L << 20;

    /// <summary>Cross-validates a pipeline.</summary>
    /// <param name="options">The pipeline.</param>
    /// <param name="x">Features, shape (n, n_features).</param>
    /// <param name="y">Targets, length n.</param>
    /// <param name="splits">Train/test index sets (k-fold, predefined folds or one train/test split).</param>
    /// <param name="rng">The run's random stream.</param>
    /// <param name="onFold">Optional callback after each fold (progress display); does not affect results.</param>
    /// <returns>The report, or the problems of the first failing fold (prefixed with the fold number).</returns>
    public static Validation<Problem, CrossValidationReport> Run(PipelineOptions options, Matrix x, IReadOnlyList<double> y,
        IReadOnlyList<TrainTest> splits, Rng rng, Action<FoldResult>? onFold = null)
    {
        var (streams, _) = rng.SplitMany(splits.Count);
        var folds = new List<FoldResult>();
        // The same for what the caller left before the first fold (featurizing mp_e_form with the space-group columns leaves the
        // 140 MB Magpie block that was joined to them): collected once, so that it does not add to the first fold's peak.
        if ((long)x.Rows * x.Cols >= CollectAfterFoldValues) GC.Collect();
        for (var k = 0; k < splits.Count; k++)
        {
            var result = RunFold(options, x, y, splits[k], k, streams[k]);
            if (result.IsFail) return Valid.Fail<CrossValidationReport>(result.Problems());
            var r = result.OrThrow();
            onFold?.Invoke(r);
            folds.Add(r);
            // A fold of a large data set leaves hundreds of MB to the collector (its row copies, the fitted model, a forest's
            // presorted columns), all in the large-object heap, which on a machine with much memory may go uncollected for several
            // folds: peak memory then grows by a fold each time (mp_e_form, 132,752 x 132: 1.8 GB after five folds instead of
            // about 0.9). One full collection per large fold keeps the peak near that of a single fold; results do not change.
            if ((long)x.Rows * x.Cols >= CollectAfterFoldValues) GC.Collect();
        }
        return Valid.Ok(Report(folds, y));
    }

    /// <summary>The report of finished folds: each metric's summary over the folds and the pooled scores.</summary>
    internal static CrossValidationReport Report(IReadOnlyList<FoldResult> folds, IReadOnlyList<double> y)
    {
        var summary = new Dictionary<string, MetricSummary>();
        foreach (var key in CrossValidationReport.MetricKeys)
        {
            var values = folds.Select(f => CrossValidationReport.Metric(f.Scores, key)).ToArray();
            // Pearson r (constant predictions) and Matbench's MAPE (no |y| > 1e-5) can be undefined (NaN) in a fold; the
            // summary is then NaN too and reports print it as undefined. Every other metric is defined for a non-empty fold.
            summary[key] = values.Any(double.IsNaN)
                ? new MetricSummary(double.NaN, double.NaN, double.NaN, double.NaN, values.Length)
                : Metrics.Summarize(values).OrThrow();
        }
        return new CrossValidationReport(folds, summary, PooledScores(folds, y));
    }

    /// <summary>Fits fold <paramref name="fold"/> and scores its test rows. In a method of its own so that nothing of the fold (its row
    /// copies, the fitted model) outlives it, and the test rows are copied only after the fit: at 100,000 rows each copy is 100 MB.</summary>
    private static Validation<Problem, FoldResult> RunFold(PipelineOptions options, Matrix x, IReadOnlyList<double> y, TrainTest split,
        int fold, Rng stream)
    {
        var (fitted, fitSeconds) = FitFold(options, x, y, split, stream);
        if (fitted.IsFail)
            return Valid.Fail<FoldResult>(FitProblems(fitted.Problems(), fold, split));
        var xTest = x.SelectRows(split.Test);
        var yTest = split.Test.Select(i => y[i]).ToArray();
        return fitted.Bind(p =>
        {
            var clock = Stopwatch.StartNew();
            // A learner with an uncertainty gives its predictions (bit-identical to Predict) and their std in one pass.
            var (pred, std) = p.PredictWithStd is { } withStd ? withStd(xTest) : (p.Predict(xTest), null);
            var predictSeconds = clock.Elapsed.TotalSeconds;
            return (yTest.Length == 1 ? SingleRowScores(yTest[0], pred[0]) : Metrics.Regression(yTest, pred))
                .Map(s => new FoldResult(fold, split.Train, split.Test, pred, s, fitSeconds, predictSeconds, std));
        }).MapFail(p => p with { Message = $"fold {fold}: {p.Message}" });
    }

    /// <summary>Fits the pipeline on the fold's training rows (copied here, so that the copy is garbage once the fit returns).</summary>
    private static (Validation<Problem, Predictor> Fitted, double Seconds) FitFold(PipelineOptions options, Matrix x, IReadOnlyList<double> y,
        TrainTest split, Rng stream)
    {
        var xTrain = x.SelectRows(split.Train);
        var yTrain = split.Train.Select(i => y[i]).ToArray();
        var clock = Stopwatch.StartNew();
        // xTrain is this fold's own copy: an ordinal encoder codes it in place (the same numbers, one copy of the training rows fewer).
        var fitted = Pipeline.FitOwned(options, xTrain, yTrain, stream);
        return (fitted, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The scores of every fold's test predictions together, in fold order (null for fewer than 2 test rows).</summary>
    private static RegressionScores? PooledScores(IReadOnlyList<FoldResult> folds, IReadOnlyList<double> y)
    {
        var truth = folds.SelectMany(f => f.TestRows.Select(r => y[r])).ToArray();
        if (truth.Length < 2) return null;
        var pred = folds.SelectMany(f => f.Predictions).ToArray();
        return Metrics.Regression(truth, pred).Match(s => s, _ => (RegressionScores?)null);
    }

    /// <summary>Scores a one-row test fold (leave-one-out): the error metrics of one residual; R2 and Pearson r are undefined (NaN).</summary>
    internal static Validation<Problem, RegressionScores> SingleRowScores(double yTrue, double yPred)
    {
        if (!double.IsFinite(yTrue) || !double.IsFinite(yPred))
            return Metrics.Regression([yTrue, yTrue], [yPred, yPred]);
        var e = Math.Abs(yTrue - yPred);
        return Valid.Ok(new RegressionScores(e, e, e * e, double.NaN, e / Math.Max(Math.Abs(yTrue), Metrics.MapeEpsilon), e, double.NaN,
            Math.Abs(yTrue) > Metrics.MatbenchMapeThreshold ? e / Math.Abs(yTrue) : double.NaN));
    }

    /// <summary>Cross-validation as a step of a seeded experiment (LINQ).</summary>
    /// <param name="options">The pipeline.</param>
    /// <param name="x">Features.</param>
    /// <param name="y">Targets.</param>
    /// <param name="splits">Splits.</param>
    /// <returns>A step producing the report from its own split stream.</returns>
    public static Step<CrossValidationReport> Step(PipelineOptions options, Matrix x, IReadOnlyList<double> y, IReadOnlyList<TrainTest> splits) =>
        Core.Step.Random(rng => Run(options, x, y, splits, rng));
}
