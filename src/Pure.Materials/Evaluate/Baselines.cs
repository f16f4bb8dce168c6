using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Pipelines;
using Pure.Materials.Split;

namespace Pure.Materials.Evaluate;

/// <summary>A baseline scored on the same splits as a run, for its report's headline.</summary>
/// <param name="Name">What the baseline is, e.g. <c>DummyRegressor(strategy="mean")</c>.</param>
/// <param name="Metrics">Its metrics per fold and summarised, the same keys as the run's.</param>
public sealed record RunBaseline(string Name, IReadOnlyList<RunMetric> Metrics);

/// <summary>The baseline every model must beat, cross-validated on the run's own splits: scikit-learn's
/// <c>DummyRegressor(strategy="mean")</c> (the training folds' mean target) for regression and <c>DummyClassifier(strategy="prior")</c>
/// (the training folds' majority class, probabilities equal to the training class shares) for classification.</summary>
/// <remarks>Source: scikit-learn 1.2.1 <c>sklearn/dummy.py</c>; Matbench's "Dummy" leaderboard entry is the regressor's (its classifier
/// entry draws stratified random labels, which this is not).</remarks>
public static class Baselines
{
    /// <summary>Cross-validates the dummy baseline of the target's task on <paramref name="splits"/>.</summary>
    /// <param name="y">The run's target (all rows).</param>
    /// <param name="splits">The run's train/test splits.</param>
    /// <returns>The baseline's metrics, or the problems of scoring it (e.g. a fold with one class in its training rows).</returns>
    public static Validation<Problem, RunBaseline> CrossValidate(TaskTarget y, IReadOnlyList<TrainTest> splits) => y switch
    {
        TaskTarget.Continuous c => Learners.Parse("dummy", new Dictionary<string, string> { ["strategy"] = "mean" })
            .Bind(learner => CrossValidation.Run(new PipelineOptions(ImputeStrategy.None, ScaleStrategy.None, learner),
                Matrix.FromRowMajor(c.Count, 1, new double[c.Count]), c.Values, splits, Rng.FromSeed(0)))
            .Map(r => new RunBaseline("DummyRegressor(strategy=\"mean\")", RunReport.FromCrossValidation(new TaskReport.Regression(r)))),
        TaskTarget.Classes k => Prior(k, splits),
        _ => throw new ArgumentOutOfRangeException(nameof(y)),
    };

    private static Validation<Problem, RunBaseline> Prior(TaskTarget.Classes y, IReadOnlyList<TrainTest> splits)
    {
        var classes = y.ClassCodes;
        var folds = new List<ClassificationScores>();
        foreach (var split in splits)
        {
            var counts = classes.Select(c => split.Train.Count(i => y.Codes[i] == c)).ToArray();
            // The first class with the largest count (numpy's argmax), as DummyClassifier's predict.
            var majority = classes[Array.IndexOf(counts, counts.Max())];
            var prior = counts.Select(n => (double)n / split.Train.Length).ToArray();
            var proba = new double[split.Test.Length * classes.Count];
            for (var r = 0; r < split.Test.Length; r++) prior.CopyTo(proba, r * classes.Count);
            var scores = ClassificationMetrics.Classification(classes, split.Test.Select(i => y.Codes[i]).ToArray(),
                Enumerable.Repeat(majority, split.Test.Length).ToArray(), Matrix.FromRowMajor(split.Test.Length, classes.Count, proba));
            if (scores.IsFail) return Valid.Fail<RunBaseline>(scores.Problems());
            folds.Add(scores.OrThrow());
        }
        var metrics = ClassificationReport.MetricKeys.Select(k =>
        {
            var values = folds.Select(s => ClassificationReport.Metric(s, k)).ToArray();
            return new RunMetric(k, values, Scoring.Summary(values));
        }).ToArray();
        return Valid.Ok(new RunBaseline("DummyClassifier(strategy=\"prior\")", metrics));
    }
}

/// <summary>A published Matbench v0.1 leaderboard score (mean over the official folds).</summary>
/// <param name="Task">The Matbench task, e.g. <c>matbench_expt_gap</c>.</param>
/// <param name="Entry">The leaderboard entry: <c>RF-SCM/Magpie</c> (the baseline) or <c>best published</c>.</param>
/// <param name="Metric">The metric key (<c>mae</c>, <c>accuracy</c>, <c>roc_auc</c>).</param>
/// <param name="Value">Its value.</param>
/// <param name="Unit">The unit (empty for unitless).</param>
public sealed record PublishedScore(string Task, string Entry, string Metric, double Value, string Unit);

/// <summary>The Matbench v0.1 leaderboard's published scores of the RF-SCM/Magpie baseline and the best entry of the tasks this
/// project runs (expt_gap, expt_is_metal, phonons, mp_e_form, perovskites, jdft2d), embedded from <c>Evaluate/Tables</c>
/// (provenance in its PROVENANCE.md; matbench.materialsproject.org).</summary>
public static class MatbenchLeaderboard
{
    private static readonly Lazy<IReadOnlyList<PublishedScore>> Table = new(Load);

    /// <summary>Every published score.</summary>
    public static IReadOnlyList<PublishedScore> Scores => Table.Value;

    /// <summary>The published scores of a data set, matched by its name or file name (e.g. <c>matbench_expt_gap</c> or
    /// <c>data/matbench_expt_gap.csv</c>); empty for a data set that is not a Matbench task.</summary>
    /// <param name="data">The data set's name or path.</param>
    /// <returns>Its scores, in table order.</returns>
    public static IReadOnlyList<PublishedScore> For(string data)
    {
        var name = Path.GetFileName(data);
        foreach (var ext in new[] { ".gz", ".csv", ".json", ".parquet" })
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) name = name[..^ext.Length];
        name = name.Replace("_composition", "", StringComparison.Ordinal).Replace("_structures", "", StringComparison.Ordinal);
        return Scores.Where(s => s.Task == name).ToArray();
    }

    private static IReadOnlyList<PublishedScore> Load()
    {
        using var stream = typeof(MatbenchLeaderboard).Assembly.GetManifestResourceStream("evaluate/matbench_v0.1_leaderboard.csv")
            ?? throw new InvalidOperationException("the embedded Matbench leaderboard table is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(','))
            .Select(c => new PublishedScore(c[0], c[1], c[2], double.Parse(c[3], CultureInfo.InvariantCulture), c[4].Trim()))
            .ToArray();
    }
}
