using System.Diagnostics;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
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

    /// <summary>Cross-validates a graph learner as a binary classifier (CGCNN's 2-output head): the same folds and streams as
    /// <see cref="Run"/>, and the report of every classifier (<see cref="ClassificationCrossValidation"/>).</summary>
    /// <param name="learner">The unfitted graph learner; it must classify (<see cref="GraphLearner.Classify"/>).</param>
    /// <param name="graphs">Every structure's graph, n.</param>
    /// <param name="y">The class target, length n, exactly 2 classes.</param>
    /// <param name="targetName">The target column, for messages.</param>
    /// <param name="splits">Train/test index sets.</param>
    /// <param name="rng">The run's stream: fold k is fitted with the k-th of <c>rng.SplitMany(splits.Count)</c>, on the class indices 0/1
    /// of its training rows (<see cref="FittedPipeline.GraphClassIndices"/>), so <see cref="FittedPipeline.FitGraphs"/> on fold k's
    /// training rows with that stream gives fold k's model.</param>
    /// <param name="onFold">Optional callback after each fold (progress); does not affect results.</param>
    /// <param name="onFitted">Optional callback with each fold's number and fitted predictor; does not affect results.</param>
    /// <returns>The report (probability columns in <see cref="TaskTarget.Classes.ClassCodes"/> order), or <c>param.unsupported_task</c>
    /// (the learner does not classify, or the target has other than 2 classes: the column and the count named), <c>shape.rows_mismatch</c>,
    /// or the first failing fold's problems prefixed with the fold.</returns>
    public static Validation<Problem, ClassificationReport> RunClassification(GraphLearner learner, IReadOnlyList<CrystalGraph> graphs, TaskTarget.Classes y,
        string targetName, IReadOnlyList<TrainTest> splits, Rng rng, Action<ClassificationFoldResult>? onFold = null, Action<int, GraphPredictor>? onFitted = null)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(graphs);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(splits);
        if (learner.Classify is not { } classify)
            return Valid.Fail<ClassificationReport>("param.unsupported_task", $"graph learner '{learner.Name}' does not classify; the target '{targetName}' has classes");
        if (graphs.Count != y.Count)
            return Valid.Fail<ClassificationReport>("shape.rows_mismatch", $"{graphs.Count} graphs but {y.Count} targets; give one target per structure");
        var indices = FittedPipeline.GraphClassIndices(y.ClassCodes, y.Codes.Select(c => (double)c).ToArray(), targetName);
        if (indices.IsFail) return Valid.Fail<ClassificationReport>(indices.Problems());
        var index = indices.OrThrow();
        var classes = y.ClassCodes.ToArray();
        var (streams, _) = rng.SplitMany(splits.Count);
        var folds = new List<ClassificationFoldResult>();
        for (var k = 0; k < splits.Count; k++)
        {
            var split = splits[k];
            var clock = Stopwatch.StartNew();
            var fitted = classify(split.Train.Select(i => graphs[i]).ToArray(), split.Train.Select(i => index[i]).ToArray(), streams[k]);
            var fitSeconds = clock.Elapsed.TotalSeconds;
            if (fitted.IsFail) return Valid.Fail<ClassificationReport>(CrossValidation.FitProblems(fitted.Problems(), k, split));
            clock.Restart();
            var predictor = fitted.OrThrow();
            onFitted?.Invoke(k, predictor);
            var p = predictor.Probabilities!(split.Test.Select(i => graphs[i]).ToArray());
            var proba = Matrix.Own(p.Length, 2, p.SelectMany(r => r).ToArray());
            var pred = Models.Classification.ClassifierPredictor.ArgMax(classes, proba);
            var predictSeconds = clock.Elapsed.TotalSeconds;
            var scores = ClassificationMetrics.Classification(classes, split.Test.Select(i => y.Codes[i]).ToArray(), pred, proba);
            if (scores.IsFail) return Valid.Fail<ClassificationReport>(scores.Problems().Select(q => q with { Message = $"fold {k}: {q.Message}" }));
            var result = new ClassificationFoldResult(k, split.Train, split.Test, pred, proba, scores.OrThrow(), fitSeconds, predictSeconds);
            onFold?.Invoke(result);
            folds.Add(result);
        }
        return Valid.Ok(ClassificationCrossValidation.Report(classes, folds, y.Codes));
    }
}
