using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Models;
using Pure.Materials.Models.Linear;
using Pure.Materials.Models.Neural;
using Pure.Materials.Models.Classification;
using Pure.Materials.Split;
using Pure.Materials.Pipelines;
using Pure.Materials.Scale;

namespace Pure.Materials.Evaluate;

/// <summary>Training and validation loss per epoch of one fitted model.</summary>
/// <param name="Fold">0-based split the model was fitted on.</param>
/// <param name="Training">The training loss after each epoch, length <paramref name="Epochs"/>: half mean squared error on the split's training
/// rows for <c>linear-gd</c>; scikit-learn's <c>loss_curve_</c> for <c>mlp</c> (the mini-batch losses of the epoch, weighted by batch size, L2 term
/// included).</param>
/// <param name="Validation">The same data loss on the split's held-out rows after each epoch (without any penalty), length <paramref name="Epochs"/>:
/// half mean squared error (linear-gd, mlp with squared_error; Huber or absolute error with those mlp losses), mean log-loss (mlp classifier).</param>
/// <param name="TrainingRows">Number of training rows.</param>
/// <param name="ValidationRows">Number of held-out rows.</param>
/// <param name="Epochs">Epochs run (<c>n_iter_</c>).</param>
/// <param name="Converged">False when max_iter epochs ran while the training loss still improved.</param>
public sealed record LossCurve(int Fold, IReadOnlyList<double> Training, IReadOnlyList<double> Validation, int TrainingRows, int ValidationRows, int Epochs, bool Converged);

/// <summary>Records training and validation loss per epoch for pipelines whose learner trains by epochs (<c>linear-gd</c>, <c>mlp</c> for
/// regression and classification), one curve per split.</summary>
/// <remarks>
/// For split k the pipeline's imputer and scaler are fitted on the split's training rows only (as in <see cref="Pipeline.Fit"/>); the
/// learner is then fitted on them with the k-th of <c>rng.SplitMany(splits.Count)</c>, the stream <see cref="CrossValidation"/> gives
/// fold k, so each curve belongs to the very model cross-validation scored. The held-out rows are only watched: they never steer
/// training or stopping. Source: Goodfellow, Bengio and Courville, "Deep Learning" (2016), section 7.8.
/// </remarks>
public static class LossCurves
{
    /// <summary>Fits the pipeline on each split's training rows and records both losses after every epoch.</summary>
    /// <param name="pipeline">The pipeline; its learner must be <c>linear-gd</c> (<see cref="Learners.GradientDescent"/>) or <c>mlp</c>
    /// (<see cref="MlpRegressor"/>, refitted with <see cref="MlpRegressor.FitWatching"/>: the same model, bit for bit).</param>
    /// <param name="x">Features of all rows, shape (n, n_features).</param>
    /// <param name="y">Targets of all rows, length n.</param>
    /// <param name="splits">Train/held-out splits, at least 1, each side at least 1 row.</param>
    /// <param name="rng">The run's stream (as given to <see cref="CrossValidation.Run"/>).</param>
    /// <returns>One curve per split, or <c>param.invalid_value</c> (a learner without a loss history, naming it), <c>data.empty</c> (no split),
    /// or the first failing split's fit problems prefixed with its number.</returns>
    public static Validation<Problem, LossCurve[]> Run(PipelineOptions pipeline, Matrix x, IReadOnlyList<double> y, IReadOnlyList<TrainTest> splits, Rng rng)
    {
        if (splits.Count == 0) return Valid.Fail<LossCurve[]>("data.empty", "no split to record loss curves on");
        var (streams, _) = rng.SplitMany(splits.Count);
        var curves = new LossCurve[splits.Count];
        for (var k = 0; k < splits.Count; k++)
        {
            var fold = k;
            var split = splits[k];
            var yTrain = split.Train.Select(i => y[i]).ToArray();
            var yValidation = split.Test.Select(i => y[i]).ToArray();
            var curve = pipeline.Learner.Name == "mlp"
                ? Learners.MlpSpec.ParseOptions(Settings(pipeline.Learner.Parameters)).Bind(o => Pipeline.FitPreprocessing(pipeline.OneHot, pipeline.Ordinal, pipeline.Impute, pipeline.Scale, x.SelectRows(split.Train))
                    .Bind(pre => MlpRegressor.FitWatching(o, pre.Transformed, yTrain, pre.Transform(x.SelectRows(split.Test)), yValidation, streams[fold]))
                    .Map(f => new LossCurve(fold, f.Model.LossCurve, f.HeldOutLoss, split.Train.Length, split.Test.Length, f.Model.NIter, f.Model.NIter < o.MaxIter)))
                    .MapFail(p => p with { Message = $"split {fold}: {p.Message}" })
                : Pipeline.FitPreprocessing(pipeline.OneHot, pipeline.Ordinal, pipeline.Impute, pipeline.Scale, x.SelectRows(split.Train)).Bind(pre =>
                pipeline.Learner.Fit(pre.Transformed, yTrain, streams[fold]).Bind(p => p.Model is GradientDescentModel m
                    ? GradientDescent.FitWithValidation(m.Options, pre.Transformed, yTrain, pre.Transform(x.SelectRows(split.Test)), yValidation, streams[fold])
                        .Map(f => new LossCurve(fold, f.TrainingLoss, f.ValidationLoss, split.Train.Length, split.Test.Length, f.Model.NIter, f.Model.Converged))
                    : Valid.Fail<LossCurve>("param.invalid_value",
                        $"model '{pipeline.Learner.Name}' does not train by epochs, so it has no loss per epoch; use PipelineOptions.Learner linear-gd or mlp")))
                .MapFail(p => p with { Message = $"split {fold}: {p.Message}" });
            if (curve.IsFail) return Valid.Fail<LossCurve[]>(curve.Problems());
            curves[k] = curve.OrThrow();
        }
        return Valid.Ok(curves);
    }

    /// <summary>Fits a classification pipeline whose learner is <c>mlp</c> on each split's training rows and records the training loss
    /// (<c>loss_curve_</c>) and the held-out rows' mean log-loss after every epoch.</summary>
    /// <param name="pipeline">The pipeline; its learner must be <c>mlp</c> (<see cref="MlpClassifier"/>, refitted with
    /// <see cref="MlpClassifier.FitWatching"/>: the model cross-validation scores for the same stream, bit for bit).</param>
    /// <param name="x">Features of all rows, shape (n, n_features).</param>
    /// <param name="y">Class labels of all rows, length n.</param>
    /// <param name="splits">Train/held-out splits, at least 1, each side at least 1 row.</param>
    /// <param name="rng">The run's stream (as given to cross-validation).</param>
    /// <returns>One curve per split, or <c>param.invalid_value</c> (another learner), <c>data.empty</c> (no split), or the first failing
    /// split's fit problems prefixed with its number.</returns>
    public static Validation<Problem, LossCurve[]> RunClassifier(ClassifierPipelineOptions pipeline, Matrix x, IReadOnlyList<int> y, IReadOnlyList<TrainTest> splits, Rng rng)
    {
        if (splits.Count == 0) return Valid.Fail<LossCurve[]>("data.empty", "no split to record loss curves on");
        if (pipeline.Learner.Name != "mlp")
            return Valid.Fail<LossCurve[]>("param.invalid_value", $"classifier '{pipeline.Learner.Name}' does not train by epochs, so it has no loss per epoch; use mlp");
        var parsed = NeuralClassifiers.MlpSpec.ParseOptions(Settings(pipeline.Learner.Parameters));
        if (parsed.IsFail) return Valid.Fail<LossCurve[]>(parsed.Problems());
        var o = parsed.OrThrow();
        var (streams, _) = rng.SplitMany(splits.Count);
        var curves = new LossCurve[splits.Count];
        for (var k = 0; k < splits.Count; k++)
        {
            var fold = k;
            var split = splits[k];
            var curve = Pipeline.FitPreprocessing(pipeline.OneHot, pipeline.Ordinal, pipeline.Impute, pipeline.Scale, x.SelectRows(split.Train))
                .Bind(pre => MlpClassifier.FitWatching(o, pre.Transformed, split.Train.Select(i => y[i]).ToArray(), pre.Transform(x.SelectRows(split.Test)),
                    split.Test.Select(i => y[i]).ToArray(), streams[fold]))
                .Map(f => new LossCurve(fold, f.Model.LossCurve, f.HeldOutLoss, split.Train.Length, split.Test.Length, f.Model.NIter, f.Model.NIter < o.Network.MaxIter))
                .MapFail(p => p with { Message = $"split {fold}: {p.Message}" });
            if (curve.IsFail) return Valid.Fail<LossCurve[]>(curve.Problems());
            curves[k] = curve.OrThrow();
        }
        return Valid.Ok(curves);
    }

    /// <summary>Makes an mlp pipeline whose cross-validation records each fold's loss curve while it fits, so the curves need no
    /// second fit: with the returned pipeline, the fit of split k (recognised by its stream, the k-th of <c>rng.SplitMany(splits.Count)</c>,
    /// which <see cref="CrossValidation"/> and <see cref="ClassificationCrossValidation"/> give fold k) runs
    /// <see cref="MlpRegressor.FitWatching"/> or <see cref="MlpClassifier.FitWatching"/> on the split's held-out rows, preprocessed by
    /// the imputer and scaler fitted on its training rows (as <see cref="Run"/> does). The model, and so every cross-validation number,
    /// is the one the plain learner gives (FitWatching's model is Fit's, bit for bit), and the curves equal <see cref="Run"/>'s and
    /// <see cref="RunClassifier"/>'s for the same stream. Fits with any other stream are the plain learner's.</summary>
    /// <param name="pipeline">The task's pipeline.</param>
    /// <param name="x">Features of all rows, shape (n, n_features).</param>
    /// <param name="target">The targets of all rows.</param>
    /// <param name="splits">The splits cross-validation will run.</param>
    /// <param name="rng">The stream cross-validation will be given.</param>
    /// <returns>The pipeline to cross-validate, and, for an mlp learner, the curves once it has run (per split in order; a split not yet
    /// fitted is a <c>data.empty</c> problem); null curves for any other learner (the pipeline is then the given one).</returns>
    public static (TaskPipeline Pipeline, Func<Validation<Problem, LossCurve[]>>? Curves) Recording(TaskPipeline pipeline, Matrix x, TaskTarget target,
        IReadOnlyList<TrainTest> splits, Rng rng)
    {
        var (streams, _) = rng.SplitMany(splits.Count);
        var curves = new LossCurve?[splits.Count];
        Func<Validation<Problem, LossCurve[]>> result = () => Array.FindIndex(curves, c => c is null) is var missing and >= 0
            ? Valid.Fail<LossCurve[]>("data.empty", $"split {missing} was not fitted, so it has no loss curve; cross-validate the recording pipeline first")
            : Valid.Ok(curves.Select(c => c!).ToArray());
        (Matrix Held, int[] Rows)? HeldOut(OneHotEncoderOptions? oneHot, OrdinalEncoderOptions? ordinal, ImputeStrategy impute, ScaleStrategy scale, Rng stream, out int fold)
        {
            fold = Array.IndexOf(streams, stream);
            if (fold < 0) return null;
            var split = splits[fold];
            return Pipeline.FitPreprocessing(oneHot, ordinal, impute, scale, x.SelectRows(split.Train)).Match(pre => (pre.Transform(x.SelectRows(split.Test)), split.Test),
                _ => ((Matrix, int[])?)null);
        }
        switch (pipeline, target)
        {
            case (TaskPipeline.Regression { Options: var p }, TaskTarget.Continuous t) when p.Learner.Name == "mlp":
            {
                var settings = Settings(p.Learner.Parameters);
                var parsed = Learners.MlpSpec.ParseOptions(settings);
                if (parsed.IsFail) return (pipeline, null);
                var o = parsed.OrThrow();
                var learner = p.Learner with
                {
                    Fit = (xt, yt, stream) => HeldOut(p.OneHot, p.Ordinal, p.Impute, p.Scale, stream, out var k) is not { } held ? p.Learner.Fit(xt, yt, stream)
                        : MlpRegressor.FitWatching(o, xt, yt, held.Held, held.Rows.Select(i => t.Values[i]).ToArray(), stream).Bind(f =>
                        {
                            curves[k] = new LossCurve(k, f.Model.LossCurve, f.HeldOutLoss, splits[k].Train.Length, held.Rows.Length, f.Model.NIter, f.Model.NIter < o.MaxIter);
                            return Learners.MlpSpec.Format!.Predictor(settings, f.Model).Map(m => (Predictor)m);
                        }),
                };
                return (new TaskPipeline.Regression(p with { Learner = learner }), result);
            }
            case (TaskPipeline.Classification { Options: var p }, TaskTarget.Classes t) when p.Learner.Name == "mlp":
            {
                var settings = Settings(p.Learner.Parameters);
                var parsed = NeuralClassifiers.MlpSpec.ParseOptions(settings);
                if (parsed.IsFail) return (pipeline, null);
                var o = parsed.OrThrow();
                var learner = p.Learner with
                {
                    Fit = (xt, yt, stream) => HeldOut(p.OneHot, p.Ordinal, p.Impute, p.Scale, stream, out var k) is not { } held ? p.Learner.Fit(xt, yt, stream)
                        : MlpClassifier.FitWatching(o, xt, yt, held.Held, held.Rows.Select(i => t.Codes[i]).ToArray(), stream).Bind(f =>
                        {
                            curves[k] = new LossCurve(k, f.Model.LossCurve, f.HeldOutLoss, splits[k].Train.Length, held.Rows.Length, f.Model.NIter,
                                f.Model.NIter < o.Network.MaxIter);
                            return NeuralClassifiers.MlpSpec.Format!.Predictor(settings, f.Model).Map(m => (ClassifierPredictor)m);
                        }),
                };
                return (new TaskPipeline.Classification(p with { Learner = learner }), result);
            }
            default:
                return (pipeline, null);
        }
    }

    private static Dictionary<string, string> Settings(IReadOnlyList<KeyValuePair<string, string>> parameters) =>
        parameters.ToDictionary(kv => kv.Key, kv => kv.Value);
}
