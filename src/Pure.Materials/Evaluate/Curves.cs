using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Split;
using Pure.Materials.Pipelines;
using Pure.Materials.Data;

namespace Pure.Materials.Evaluate;

/// <summary>Holds the settings of a learning curve (inert values).</summary>
/// <param name="TrainSizes">Training-set sizes as fractions of each fold's training rows, each in (0, 1]; default 0.1, 0.325, 0.55, 0.775, 1.0
/// (scikit-learn's <c>np.linspace(0.1, 1.0, 5)</c>).</param>
/// <param name="Metric">Metric on the y axis: a report key of the task or a scikit-learn scoring name (<see cref="Scoring"/>; a <c>neg_*</c> name
/// plots minus the metric, as scikit-learn's <c>learning_curve</c>); default <c>mae</c>.</param>
/// <param name="Shuffle">Whether each fold's training rows are shuffled (with the fold's own stream) before the first m are taken;
/// default true. False takes the first m training rows in row order, as scikit-learn's default.</param>
public sealed record LearningCurveOptions(IReadOnlyList<double>? TrainSizes = null, string Metric = "mae", bool Shuffle = true)
{
    /// <summary>scikit-learn's default fractions.</summary>
    public static IReadOnlyList<double> DefaultTrainSizes { get; } = [0.1, 0.325, 0.55, 0.775, 1.0];
}

/// <summary>One point of a curve: the x value and the metric on the training rows and on the test rows, summarised over folds.</summary>
/// <param name="X">Training-set size in rows (learning curve) or the parameter value (validation curve).</param>
/// <param name="Label">The x value as text (e.g. <c>alpha=0.1</c> or <c>120 rows</c>).</param>
/// <param name="Train">The metric on the rows each model was fitted on (mean, std over folds).</param>
/// <param name="Test">The metric on each fold's test rows (mean, std over folds).</param>
public sealed record CurvePoint(double X, string Label, MetricSummary Train, MetricSummary Test)
{
    /// <summary>The score on the training rows in each fold, in fold order.</summary>
    public IReadOnlyList<double> TrainPerFold { get; init; } = [];

    /// <summary>The score on the test rows in each fold, in fold order.</summary>
    public IReadOnlyList<double> TestPerFold { get; init; } = [];
}

/// <summary>A learning or validation curve: error against training-set size or against one hyper-parameter.</summary>
/// <param name="Metric">The metric key.</param>
/// <param name="XName">What the x axis is: <c>training rows</c> or a parameter name such as <c>alpha</c>.</param>
/// <param name="Points">Points in increasing x (learning curve) or in the given order (validation curve).</param>
/// <param name="Folds">Number of train/test splits per point.</param>
public sealed record Curve(string Metric, string XName, IReadOnlyList<CurvePoint> Points, int Folds);

/// <summary>Learning curves (error against training-set size) and validation curves (error against one hyper-parameter), seeded.</summary>
/// <remarks>
/// For every point and every split the pipeline is fitted on (a subset of) the split's training rows and scored on those same
/// rows (training error) and on the split's test rows (test error). Split k's model uses the k-th of
/// <c>rng.SplitMany(splits.Count)</c> for every point, so points differ only by size or parameter (common random numbers).
/// Learning-curve sizes: m = floor(fraction * n_train), at least 2 (R2 needs 2 rows), duplicates removed, as scikit-learn.
/// Source: scikit-learn 1.2.1 <c>learning_curve</c>, <c>validation_curve</c>, <c>_translate_train_sizes</c>.
/// </remarks>
public static class Curves
{
    /// <summary>Computes a learning curve (regression).</summary>
    /// <param name="options">Sizes, metric and shuffling.</param>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="x">Features, shape (n, n_features).</param>
    /// <param name="y">Targets, length n.</param>
    /// <param name="splits">Train/test splits.</param>
    /// <param name="rng">The curve's stream.</param>
    /// <returns>The curve with x = training rows, or <c>param.out_of_range</c> (a fraction outside (0, 1], a size under 2 rows),
    /// <c>param.invalid_value</c> (unknown metric), or the first failing fit's problems prefixed with the size and fold.</returns>
    public static Validation<Problem, Curve> Learning(LearningCurveOptions options, PipelineOptions pipeline, Matrix x, IReadOnlyList<double> y,
        IReadOnlyList<TrainTest> splits, Rng rng) => Learning(options, (TaskPipeline)pipeline, x, new TaskTarget.Continuous(y), splits, rng);

    /// <summary>Computes a learning curve for either task.</summary>
    /// <param name="options">Sizes, metric (a key or scoring name of the target's task) and shuffling.</param>
    /// <param name="pipeline">The pipeline, of the target's task.</param>
    /// <param name="x">Features, shape (n, n_features).</param>
    /// <param name="y">The target, length n.</param>
    /// <param name="splits">Train/test splits.</param>
    /// <param name="rng">The curve's stream.</param>
    /// <returns>As the regression overload; also <c>param.task_mismatch</c>.</returns>
    public static Validation<Problem, Curve> Learning(LearningCurveOptions options, TaskPipeline pipeline, Matrix x, TaskTarget y,
        IReadOnlyList<TrainTest> splits, Rng rng)
    {
        var fractions = options.TrainSizes ?? LearningCurveOptions.DefaultTrainSizes;
        var scorer = Scoring.Resolve(options.Metric, y.Kind);
        var problems = scorer.Problems().ToList();
        problems.AddRange(fractions.Where(f => !(f > 0 && f <= 1)).Select(f =>
            new Problem("param.out_of_range", $"training-set fraction {f} is outside (0, 1]; use e.g. 0.1,0.325,0.55,0.775,1.0")));
        if (splits.Count == 0) problems.Add(new Problem("param.missing", "a learning curve needs at least one train/test split"));
        if (pipeline.Kind != y.Kind) problems.Add(TaskEvaluation.Mismatch(pipeline, y));
        if (problems.Count > 0) return Valid.Fail<Curve>(problems);
        var nMax = splits.Min(s => s.Train.Length);
        var sizes = fractions.Select(f => Math.Clamp((int)(f * nMax), 1, nMax)).Distinct().Order().ToArray();
        if (sizes[0] < 2)
            return Valid.Fail<Curve>("param.out_of_range",
                $"the smallest training-set size is {sizes[0]} row(s) of {nMax}; every size needs at least 2 rows: raise the smallest fraction");
        var (streams, _) = rng.SplitMany(splits.Count);
        var orders = splits.Select((s, k) =>
        {
            var order = s.Train.ToArray();
            if (options.Shuffle) new RngCursor(streams[k].Split().Right).Shuffle(order.AsSpan());
            return order;
        }).ToArray();
        var points = new List<CurvePoint>();
        foreach (var m in sizes)
        {
            var subsets = splits.Select((s, k) => new TrainTest(orders[k][..m], s.Test)).ToArray();
            var point = Point(scorer.OrThrow(), pipeline, x, y, subsets, streams, m, $"{m} rows");
            if (point.IsFail) return Valid.Fail<Curve>(point.Problems().Select(p => p with { Message = $"{m} training rows: {p.Message}" }));
            points.Add(point.OrThrow());
        }
        return Valid.Ok(new Curve(options.Metric, "training rows", points, splits.Count));
    }

    /// <summary>Computes a validation curve: the metric for each value of one hyper-parameter (regression).</summary>
    /// <param name="metric">Metric key.</param>
    /// <param name="parameter">The parameter's name for the x axis, e.g. <c>alpha</c>.</param>
    /// <param name="points">Each value with the pipeline built from it, e.g. <c>from a in alphas select (a, pipeline with { ... })</c>.</param>
    /// <param name="x">Features.</param>
    /// <param name="y">Targets.</param>
    /// <param name="splits">Train/test splits.</param>
    /// <param name="rng">The curve's stream.</param>
    /// <returns>The curve, or <c>param.invalid_value</c> (unknown metric), or each failing value's problems prefixed with <c>parameter=value</c>.</returns>
    public static Validation<Problem, Curve> Validation(string metric, string parameter, IEnumerable<(double Value, PipelineOptions Pipeline)> points,
        Matrix x, IReadOnlyList<double> y, IReadOnlyList<TrainTest> splits, Rng rng) =>
        Validation(metric, parameter, points.Select(p => (p.Value, (TaskPipeline)p.Pipeline)), x, new TaskTarget.Continuous(y), splits, rng);

    /// <summary>Computes a validation curve for either task.</summary>
    /// <param name="metric">Metric key or scoring name of the target's task.</param>
    /// <param name="parameter">The parameter's name for the x axis.</param>
    /// <param name="points">Each value with the pipeline built from it, of the target's task.</param>
    /// <param name="x">Features.</param>
    /// <param name="y">The target.</param>
    /// <param name="splits">Train/test splits.</param>
    /// <param name="rng">The curve's stream.</param>
    /// <returns>As the regression overload; also <c>param.task_mismatch</c>.</returns>
    public static Validation<Problem, Curve> Validation(string metric, string parameter, IEnumerable<(double Value, TaskPipeline Pipeline)> points,
        Matrix x, TaskTarget y, IReadOnlyList<TrainTest> splits, Rng rng)
    {
        var scorer = Scoring.Resolve(metric, y.Kind);
        if (scorer.IsFail) return Valid.Fail<Curve>(scorer.Problems());
        var (streams, _) = rng.SplitMany(splits.Count);
        var results = points.Select(p =>
        {
            var label = $"{parameter}={p.Value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}";
            return (p.Pipeline.Kind != y.Kind ? Valid.Fail<CurvePoint>(TaskEvaluation.Mismatch(p.Pipeline, y)) : Point(scorer.OrThrow(), p.Pipeline, x, y, splits, streams, p.Value, label))
                .MapFail(pr => pr with { Message = $"{label}: {pr.Message}" });
        });
        return Valid.All(results).Map(ps => new Curve(metric, parameter, ps, splits.Count));
    }

    private static Validation<Problem, CurvePoint> Point(Scorer scorer, TaskPipeline pipeline, Matrix x, TaskTarget y,
        IReadOnlyList<TrainTest> splits, Rng[] streams, double xValue, string label)
    {
        var train = new double[splits.Count];
        var test = new double[splits.Count];
        for (var k = 0; k < splits.Count; k++)
        {
            var s = splits[k];
            var xTrain = x.SelectRows(s.Train);
            var yTrain = y.Subset(s.Train);
            var xTest = x.SelectRows(s.Test);
            var yTest = y.Subset(s.Test);
            var fold = k;
            var fitted = TaskEvaluation.Fit(pipeline, xTrain, yTrain, streams[k]);
            if (fitted.IsFail) return Valid.Fail<CurvePoint>(CrossValidation.FitProblems(fitted.Problems(), fold, s));
            var scored = fitted.Bind(p =>
                from tr in p.Score(xTrain, yTrain)
                from te in p.Score(xTest, yTest)
                select (tr, te));
            if (scored.IsFail) return Valid.Fail<CurvePoint>(scored.Problems().Select(p => p with { Message = $"fold {fold}: {p.Message}" }));
            var (trs, tes) = scored.OrThrow();
            train[k] = scorer.Score(trs.Metric(scorer.Key));
            test[k] = scorer.Score(tes.Metric(scorer.Key));
        }
        return Valid.Ok(new CurvePoint(xValue, label, Scoring.Summary(train), Scoring.Summary(test)) { TrainPerFold = train, TestPerFold = test });
    }
}
