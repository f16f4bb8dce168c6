using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Models.Explain;
using Pure.Materials.Scale;
using Pure.Materials.Split;
using Pure.Materials.Data;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Evaluate;

/// <summary>Holds the settings of an explanation (inert values).</summary>
/// <param name="Repeats">Permutations per feature for permutation importance, at least 1; default 5 (scikit-learn's <c>n_repeats</c>).</param>
/// <param name="ShapRows">Test rows explained with TreeSHAP: a seeded sample when there are more, 0 for all; default 200.</param>
/// <param name="Scoring">The score whose drop permutation importance measures: a key or scikit-learn scoring name of the task (<see cref="Scoring"/>);
/// null for scikit-learn's default <c>estimator.score</c>: R^2 for a regressor, accuracy for a classifier.</param>
public sealed record ExplainOptions(int Repeats = 5, int ShapRows = 200, string? Scoring = null);

/// <summary>An explanation of a tree model fitted on one split's training rows, on its test rows.</summary>
/// <param name="Ensemble">The fitted model as a tree ensemble (impurity importances where the model has them).</param>
/// <param name="Permutation">Permutation importances on the test rows (drop of <paramref name="Scoring"/>).</param>
/// <param name="Shap">Exact TreeSHAP values of the sampled test rows: in target units for a regressor, in units of the probability of the
/// last class (the positive class of a binary problem) for a classifier.</param>
/// <param name="Scoring">The name of the permutation score (<c>r2</c>, <c>accuracy</c>, ...).</param>
/// <param name="TrainRows">Number of training rows.</param>
/// <param name="TestRows">Number of test rows.</param>
/// <param name="ShapOutput">What a SHAP value is in: the target (regression) or <c>P(label)</c> of the explained class.</param>
public sealed record Explanation(TreeEnsemble Ensemble, PermutationImportances Permutation, ShapValues Shap, string Scoring, int TrainRows, int TestRows, string ShapOutput);

/// <summary>Explains tree models of either task: seeded permutation importance and exact TreeSHAP, with one code path.</summary>
/// <remarks>
/// The pipeline's imputer is fitted on the training rows and applied to both sides; scaling must be none (SHAP values are reported on the
/// model's input features). The random stream is split into the fit, permutation and SHAP-row streams, in that order.
/// Source: scikit-learn 1.2.1 <c>permutation_importance</c>; Lundberg et al. 2018 (TreeSHAP), see <see cref="TreeShap"/>.
/// </remarks>
public static class Explanations
{
    /// <summary>Fits the pipeline's learner on the split's training rows and explains it on its test rows.</summary>
    /// <param name="options">Repeats, SHAP rows and scoring.</param>
    /// <param name="pipeline">A tree learner with scale none: rf, extra-trees, tree or gbm for a continuous target; rf, extra-trees or tree for classes.</param>
    /// <param name="x">Features of all rows, shape (n, n_features).</param>
    /// <param name="y">The target of all rows, same task as the pipeline.</param>
    /// <param name="split">The training and test rows.</param>
    /// <param name="rng">The explanation's stream.</param>
    /// <returns>The explanation, or <c>param.out_of_range</c> (repeats, SHAP rows), <c>param.conflict</c> (scaling), <c>param.task_mismatch</c>,
    /// <c>param.invalid_value</c> (scoring), <c>explain.unsupported_model</c>, or the fit's problems.</returns>
    public static Validation<Problem, Explanation> Explain(ExplainOptions options, TaskPipeline pipeline, Matrix x, TaskTarget y, TrainTest split, Rng rng)
    {
        var problems = new List<Problem>();
        if (options.Repeats < 1) problems.Add(new Problem("param.out_of_range", $"repeats is {options.Repeats}; expected at least 1"));
        if (options.ShapRows < 0) problems.Add(new Problem("param.out_of_range", $"shap rows is {options.ShapRows}; expected 0 (all) or more"));
        if (pipeline.Scale != ScaleStrategy.None)
            problems.Add(new Problem("param.conflict", $"PipelineOptions.Scale {pipeline.Scale.ToString().ToLowerInvariant()}: SHAP values are reported on the model's input features; use PipelineOptions.Scale none (the default for trees)"));
        if (pipeline.Kind != y.Kind) problems.Add(TaskEvaluation.Mismatch(pipeline, y));
        var scoringName = options.Scoring ?? (y.Kind == TaskKind.Regression ? "r2" : "accuracy");
        var scorer = Scoring.Resolve(scoringName, y.Kind);
        problems.AddRange(scorer.Problems());
        if (problems.Count > 0) return Valid.Fail<Explanation>(problems);

        var (fitRng, rest) = rng.Split();
        var (permRng, rest2) = rest.Split();
        var (rowRng, _) = rest2.Split();
        var xTrain = x.SelectRows(split.Train);
        var xTest = x.SelectRows(split.Test);
        var yTrain = y.Subset(split.Train);
        var yTest = y.Subset(split.Test);
        Validation<Problem, (Matrix, Matrix)> imputed = pipeline.Impute == ImputeStrategy.Mean
            ? MeanImputer.Fit(xTrain).Map(m => (MeanImputer.Transform(m, xTrain), MeanImputer.Transform(m, xTest)))
            : Valid.Ok((xTrain, xTest));
        // The learner alone, on imputed features: its fitted model is what TreeSHAP explains.
        var bare = pipeline switch
        {
            TaskPipeline.Regression r => (TaskPipeline)(r.Options with { Impute = ImputeStrategy.None, Scale = ScaleStrategy.None }),
            TaskPipeline.Classification c => c.Options with { Impute = ImputeStrategy.None, Scale = ScaleStrategy.None },
            _ => throw new ArgumentOutOfRangeException(nameof(pipeline)),
        };
        return imputed.Bind(xs =>
        {
            var (xi, xt) = xs;
            var fitted = (bare, yTrain) switch
            {
                (TaskPipeline.Regression r, TaskTarget.Continuous t) => r.Options.Learner.Fit(xi, t.Values, fitRng).Map(p =>
                    (p.Model, Permute: scoringName == "r2"
                        ? (Func<Validation<Problem, PermutationImportances>>)(() => PermutationImportance.Compute(p.Predict, xt, ((TaskTarget.Continuous)yTest).Values, options.Repeats, permRng))
                        : () => PermutationImportance.Compute(m => Score(scorer.OrThrow(), Metrics.Regression(((TaskTarget.Continuous)yTest).Values.ToArray(), p.Predict(m)).Map(s => (TaskScores)new TaskScores.Regression(s))), xt, options.Repeats, permRng),
                        Output: "target")),
                (TaskPipeline.Classification c, TaskTarget.Classes t) => c.Options.Learner.Fit(xi, t.Codes, fitRng).Map(p =>
                    (p.Model, Permute: (Func<Validation<Problem, PermutationImportances>>)(() => PermutationImportance.Compute(m =>
                    {
                        var proba = TaskEvaluation.Widen(p.PredictProba(m), p.Classes, t.ClassCodes);
                        var pred = p.PredictLabels is { } labels ? labels(m) : Models.Classification.ClassifierPredictor.ArgMax(t.ClassCodes, proba);
                        return Score(scorer.OrThrow(), ClassificationMetrics.Classification(t.ClassCodes, ((TaskTarget.Classes)yTest).Codes, pred, proba).Map(s => (TaskScores)new TaskScores.Classification(s)));
                    }, xt, options.Repeats, permRng)),
                    Output: $"P({t.Label(p.Classes[^1])})")),
                _ => throw new ArgumentOutOfRangeException(nameof(pipeline)),
            };
            var view = (object model) => TreeEnsemble.From(model).MapFail(p => y.Kind == TaskKind.Classification
                ? p with { Message = $"classifier '{pipeline.Name}' ({model.GetType().Name}) cannot be explained by TreeSHAP here; the tree classifiers rf, extra-trees and tree can (in units of the probability of the last class): choose one of these" }
                : p);
            return fitted.Bind(f => view(f.Model).Bind(ensemble => f.Permute().Bind(perm =>
            {
                var rows = Enumerable.Range(0, xt.Rows).ToArray();
                if (options.ShapRows > 0 && options.ShapRows < rows.Length)
                {
                    var r = rowRng;
                    for (var i = rows.Length - 1; i > 0; i--)
                    {
                        (var k, r) = r.NextInt(i + 1);
                        (rows[i], rows[k]) = (rows[k], rows[i]);
                    }
                    rows = rows[..options.ShapRows];
                    Array.Sort(rows);
                }
                return TreeShap.Explain(ensemble, xt.SelectRows(rows))
                    .Map(shap => new Explanation(ensemble, perm, shap, scoringName, split.Train.Length, split.Test.Length, f.Output));
            })));
        });
    }

    /// <summary>A score of permuted predictions; a metric that cannot be computed (a problem) is NaN, so its importance is undefined, not invented.</summary>
    private static double Score(Scorer scorer, Validation<Problem, TaskScores> scores) =>
        scores.Match(s => scorer.Score(s.Metric(scorer.Key)), _ => double.NaN);
}
