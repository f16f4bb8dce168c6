using System.Diagnostics;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Graph;
using Pure.Materials.Pipelines;
using Pure.Materials.Split;

namespace Pure.Materials.Evaluate;

/// <summary>Cross-validates a learner on crystal graphs (<c>cgcnn</c>): the same folds, streams and report as
/// <see cref="CrossValidation"/>, with graphs in place of feature rows.</summary>
/// <remarks>Every structure's graph is built once (graphs do not depend on the training rows: the atom table and graph options are
/// fixed), and fold k is fitted on its training graphs with the k-th of <c>rng.SplitMany(splits.Count)</c>, so fitting fold k's
/// training structures with that stream (<see cref="FittedPipeline.FitStructures"/>) gives fold k's model.</remarks>
public static class GraphCrossValidation
{
    /// <summary>Cross-validates a graph learner.</summary>
    /// <param name="learner">The unfitted graph learner.</param>
    /// <param name="graphs">Every structure's graph, n, built with <see cref="GraphLearner.Build"/>.</param>
    /// <param name="y">Targets, length n.</param>
    /// <param name="splits">Train/test index sets.</param>
    /// <param name="rng">The run's stream.</param>
    /// <param name="onFold">Optional callback after each fold (progress); does not affect results.</param>
    /// <param name="onFitted">Optional callback with each fold's number and fitted predictor (its training history); does not affect results.</param>
    /// <returns>The report (<see cref="FoldResult.Std"/> null), or the first failing fold's problems prefixed with the fold.</returns>
    public static Validation<Problem, CrossValidationReport> Run(GraphLearner learner, IReadOnlyList<CrystalGraph> graphs, IReadOnlyList<double> y,
        IReadOnlyList<TrainTest> splits, Rng rng, Action<FoldResult>? onFold = null, Action<int, GraphPredictor>? onFitted = null)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(graphs);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(splits);
        if (graphs.Count != y.Count)
            return Valid.Fail<CrossValidationReport>("shape.rows_mismatch", $"{graphs.Count} graphs but {y.Count} targets; give one target per structure");
        var (streams, _) = rng.SplitMany(splits.Count);
        var folds = new List<FoldResult>();
        for (var k = 0; k < splits.Count; k++)
        {
            var split = splits[k];
            var clock = Stopwatch.StartNew();
            var fitted = learner.Fit(split.Train.Select(i => graphs[i]).ToArray(), split.Train.Select(i => y[i]).ToArray(), streams[k]);
            var fitSeconds = clock.Elapsed.TotalSeconds;
            if (fitted.IsFail) return Valid.Fail<CrossValidationReport>(CrossValidation.FitProblems(fitted.Problems(), k, split));
            clock.Restart();
            onFitted?.Invoke(k, fitted.OrThrow());
            var pred = fitted.OrThrow().Predict(split.Test.Select(i => graphs[i]).ToArray());
            var predictSeconds = clock.Elapsed.TotalSeconds;
            var yTest = split.Test.Select(i => y[i]).ToArray();
            var scores = yTest.Length == 1 ? CrossValidation.SingleRowScores(yTest[0], pred[0]) : Metrics.Regression(yTest, pred);
            if (scores.IsFail) return Valid.Fail<CrossValidationReport>(scores.Problems().Select(p => p with { Message = $"fold {k}: {p.Message}" }));
            var result = new FoldResult(k, split.Train, split.Test, pred, scores.OrThrow(), fitSeconds, predictSeconds);
            onFold?.Invoke(result);
            folds.Add(result);
        }
        return Valid.Ok(CrossValidation.Report(folds, y));
    }
}
