using System.Globalization;
using System.Reflection;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models;

namespace Pure.Materials.Select;

/// <summary>A fitted feature selection: which columns are kept, and the score that decided it.</summary>
/// <param name="Method">The selector's name, e.g. <c>variance</c>, <c>rfe</c>.</param>
/// <param name="Kept">Indices of the kept columns, ascending, shape (n_kept,), at least one.</param>
/// <param name="Scores">One score per input column, shape (n_features,): the variance, |Pearson r| with the target, the RFE rank
/// (1 = kept, larger = eliminated earlier) or the model importance, as the method defines.</param>
public sealed record FeatureSubset(string Method, IReadOnlyList<int> Kept, IReadOnlyList<double> Scores)
{
    /// <summary>Indices of the kept columns, ascending, shape (n_kept,), at least one.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<int> Kept { get; init => field = Vec.From(value); } = Vec.From(Kept);

    /// <summary>One score per input column, shape (n_features,): the variance, |Pearson r| with the target, the RFE rank (1 = kept, larger = eliminated earlier) or the model importance, as the method defines.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> Scores { get; init => field = Vec.From(value); } = Vec.From(Scores);

    /// <summary>Whether column <paramref name="j"/> is kept (scikit-learn's <c>get_support()</c>).</summary>
    /// <param name="j">Column index.</param>
    /// <returns>True when kept.</returns>
    public bool IsKept(int j) => Kept.Contains(j);

    /// <summary>Keeps the selected columns of <paramref name="x"/>.</summary>
    /// <param name="x">Data, shape (m, n_features).</param>
    /// <returns>Shape (m, n_kept).</returns>
    public Matrix Transform(Matrix x) => x.SelectColumns(Kept.ToArray());
}

/// <summary>An unfitted feature selector: a name, its settings and a pure fit function (training rows in, subset out).</summary>
/// <param name="Name">Short name: <c>variance</c>, <c>correlation</c>, <c>rfe</c>, <c>model</c>.</param>
/// <param name="Parameters">Settings with scikit-learn's names, for reports.</param>
/// <param name="Fit">Fits on (X, y) with a private stream.</param>
public sealed record Selector(string Name, IReadOnlyList<KeyValuePair<string, string>> Parameters,
    Func<Matrix, IReadOnlyList<double>, Rng, Validation<Problem, FeatureSubset>> Fit);

/// <summary>Options of <see cref="Selectors.VarianceThreshold"/>.</summary>
/// <param name="Threshold">Keep columns whose population variance (ddof = 0, NaN ignored) is strictly greater; default 0 (drop constant columns), at least 0.</param>
public sealed record VarianceThresholdOptions(double Threshold = 0.0);

/// <summary>Options of <see cref="Selectors.Correlation"/>.</summary>
/// <param name="MaxPairwise">Drop a column whose |Pearson r| with an already-kept column exceeds this, in (0, 1]; default 0.95 (1 disables the redundancy filter).</param>
/// <param name="K">Then keep the K columns with the largest |r| with the target; null (default) keeps all that pass.</param>
public sealed record CorrelationFilterOptions(double MaxPairwise = 0.95, int? K = null);

/// <summary>Options of <see cref="Selectors.Rfe"/>.</summary>
/// <param name="NFeaturesToSelect">Columns to keep, at least 1; null (default) keeps half, rounded down (at least 1), as scikit-learn.</param>
/// <param name="Step">Columns removed per round, at least 1; default 1.</param>
public sealed record RfeOptions(int? NFeaturesToSelect = null, int Step = 1);

/// <summary>Options of <see cref="Selectors.FromModel"/>.</summary>
/// <param name="Threshold">Keep columns with importance &gt;= threshold: <c>mean</c> (default), <c>median</c>, a number, or <c>F*mean</c> (e.g. <c>1.25*mean</c>).</param>
/// <param name="MaxFeatures">Keep at most this many (the largest importances); null for no limit.</param>
public sealed record SelectFromModelOptions(string Threshold = "mean", int? MaxFeatures = null);

/// <summary>Builds feature selectors, and learners that select features inside their own fit (so cross-validation cannot leak).</summary>
/// <remarks>
/// Importances for <see cref="Rfe"/> and <see cref="FromModel"/> come from the fitted model record: |coef| when it has a
/// <c>Coef</c> property (scikit-learn's <c>coef_</c>: ridge, linear regression, elastic net, ...), else a
/// <c>FeatureImportances</c> property (<c>feature_importances_</c>: forests, trees, boosting); any other learner is a
/// <c>select.no_importances</c> problem. Models are fitted on the columns still in play, with the given stream.
/// Source: scikit-learn 1.2.1 <c>VarianceThreshold</c>, <c>r_regression</c>, <c>RFE</c>, <c>SelectFromModel</c>;
/// Guyon, Weston, Barnhill, Vapnik, Machine Learning 46 (2002) for RFE; Ambroise and McLachlan, PNAS 99 (2002) for selection bias.
/// </remarks>
public static class Selectors
{
    /// <summary>Drops columns whose variance is not above a threshold.</summary>
    /// <param name="options">The threshold.</param>
    /// <returns>The selector; fitting fails with <c>param.out_of_range</c> (negative threshold) or <c>select.none_kept</c> (no column passes, naming the largest variance).</returns>
    public static Selector VarianceThreshold(VarianceThresholdOptions options) => new("variance", [new("threshold", F(options.Threshold))], (x, _, _) =>
    {
        if (!(options.Threshold >= 0)) return Valid.Fail<FeatureSubset>("param.out_of_range", $"variance threshold {options.Threshold} must be >= 0");
        var variances = Enumerable.Range(0, x.Cols).Select(j => Variance(x.Column(j))).ToArray();
        var kept = Enumerable.Range(0, x.Cols).Where(j => variances[j] > options.Threshold).ToArray();
        return kept.Length > 0 ? Valid.Ok(new FeatureSubset("variance", kept, variances))
            : Valid.Fail<FeatureSubset>("select.none_kept",
                $"no feature has variance above {F(options.Threshold)} (largest {F(variances.DefaultIfEmpty(0).Max())}); lower the threshold");
    });

    /// <summary>Drops redundant columns (|r| between columns above a limit, keeping the one more correlated with the target), then keeps the K most target-correlated.</summary>
    /// <param name="options">Pairwise limit and K.</param>
    /// <returns>The selector; scores are |Pearson r| with the target (0 for a constant column, whose r is undefined). Fitting fails with
    /// <c>param.out_of_range</c> (limit outside (0, 1], K &lt; 1) or <c>data.nan_feature</c> (impute first).</returns>
    public static Selector Correlation(CorrelationFilterOptions options) =>
        new("correlation", [new("max_pairwise", F(options.MaxPairwise)), new("k", options.K?.ToString(CultureInfo.InvariantCulture) ?? "all")], (x, y, _) =>
        {
            var problems = new List<Problem>();
            if (!(options.MaxPairwise > 0 && options.MaxPairwise <= 1)) problems.Add(new Problem("param.out_of_range", $"max pairwise |r| {options.MaxPairwise} is outside (0, 1]"));
            if (options.K is < 1) problems.Add(new Problem("param.out_of_range", $"k = {options.K}; keep at least 1 feature"));
            if (x.CountNaN() > 0) problems.Add(new Problem("data.nan_feature", "the features hold NaN; impute them before a correlation filter"));
            if (problems.Count > 0) return Valid.Fail<FeatureSubset>(problems);
            var columns = Enumerable.Range(0, x.Cols).Select(x.Column).ToArray();
            var target = y.ToArray();
            var scores = columns.Select(c => Math.Abs(Pearson(c, target))).ToArray();
            var order = Enumerable.Range(0, x.Cols).OrderByDescending(j => scores[j]).ThenBy(j => j).ToArray();
            var kept = new List<int>();
            foreach (var j in order)
                if (kept.All(q => Math.Abs(Pearson(columns[j], columns[q])) <= options.MaxPairwise)) kept.Add(j);
            var chosen = kept.Take(options.K ?? kept.Count).Order().ToArray();
            return Valid.Ok(new FeatureSubset("correlation", chosen, scores));
        });

    /// <summary>Recursive feature elimination: fit, drop the Step least important columns, repeat until NFeaturesToSelect remain.</summary>
    /// <param name="options">How many to keep and how many to drop per round.</param>
    /// <param name="learner">A learner exposing coefficients or importances.</param>
    /// <returns>The selector; scores are scikit-learn's <c>ranking_</c> (1 = kept). Fitting fails with <c>param.out_of_range</c>,
    /// <c>select.no_importances</c> or the learner's problems (prefixed with the round).</returns>
    public static Selector Rfe(RfeOptions options, Learner learner) =>
        new("rfe", [new("n_features_to_select", options.NFeaturesToSelect?.ToString(CultureInfo.InvariantCulture) ?? "half"), new("step", F(options.Step)), new("estimator", learner.Name)],
            (x, y, rng) =>
            {
                var p = x.Cols;
                var target = options.NFeaturesToSelect ?? Math.Max(1, p / 2);
                if (target < 1 || target > p || options.Step < 1)
                    return Valid.Fail<FeatureSubset>("param.out_of_range",
                        $"RFE needs 1 <= n_features_to_select <= {p} and step >= 1, found {target} and {options.Step}");
                var support = Enumerable.Repeat(true, p).ToArray();
                var ranking = Enumerable.Repeat(1.0, p).ToArray();
                var round = 0;
                while (support.Count(s => s) > target)
                {
                    var features = Enumerable.Range(0, p).Where(j => support[j]).ToArray();
                    var weights = learner.Fit(x.SelectColumns(features), y, rng).Bind(Importances);
                    if (weights.IsFail) return Valid.Fail<FeatureSubset>(weights.Problems().Select(pr => pr with { Message = $"RFE round {round}: {pr.Message}" }));
                    var w = weights.OrThrow();
                    var ranks = Enumerable.Range(0, features.Length).OrderBy(i => w[i]).ToArray(); // stable: ties drop the lower index first
                    var remove = Math.Min(options.Step, features.Length - target);
                    foreach (var i in ranks.Take(remove)) support[features[i]] = false;
                    for (var j = 0; j < p; j++) if (!support[j]) ranking[j]++;
                    round++;
                }
                return Valid.Ok(new FeatureSubset("rfe", Enumerable.Range(0, p).Where(j => support[j]).ToArray(), ranking));
            });

    /// <summary>Keeps the columns whose model importance reaches a threshold (scikit-learn's <c>SelectFromModel</c>).</summary>
    /// <param name="options">Threshold and maximum count.</param>
    /// <param name="learner">A learner exposing coefficients or importances.</param>
    /// <returns>The selector; scores are the importances. Fitting fails with <c>param.invalid_value</c> (threshold text),
    /// <c>select.no_importances</c>, <c>select.none_kept</c> or the learner's problems.</returns>
    public static Selector FromModel(SelectFromModelOptions options, Learner learner) =>
        new("model", [new("threshold", options.Threshold), new("max_features", options.MaxFeatures?.ToString(CultureInfo.InvariantCulture) ?? "None"), new("estimator", learner.Name)],
            (x, y, rng) => learner.Fit(x, y, rng).Bind(Importances).Bind(w =>
            {
                var threshold = Threshold(options.Threshold, w);
                if (threshold.IsFail) return Valid.Fail<FeatureSubset>(threshold.Problems());
                var t = threshold.OrThrow();
                var kept = Enumerable.Range(0, w.Length).Where(j => w[j] >= t).OrderByDescending(j => w[j]).ThenBy(j => j)
                    .Take(options.MaxFeatures ?? w.Length).Order().ToArray();
                return kept.Length > 0 ? Valid.Ok(new FeatureSubset("model", kept, w))
                    : Valid.Fail<FeatureSubset>("select.none_kept", $"no feature has importance >= {F(t)}; lower the threshold");
            }));

    /// <summary>Wraps a learner so that it first fits the selector on its own training rows, then fits on the kept columns only.</summary>
    /// <param name="selector">The selection to fit inside every fit.</param>
    /// <param name="learner">The learner fitted on the kept columns.</param>
    /// <returns>A learner named <c>select+name</c>; its predictor keeps the same columns of new rows; its <see cref="Predictor.Model"/> is a
    /// <see cref="SelectedModel"/>. Inside <c>Pipeline</c> and cross-validation, selection therefore sees training rows only.</returns>
    /// <remarks>The selector and the learner get independent streams split from the fit's stream.</remarks>
    public static Learner WithSelection(Selector selector, Learner learner) => new(
        $"{selector.Name}+{learner.Name}",
        [.. selector.Parameters.Select(kv => KeyValuePair.Create("select__" + kv.Key, kv.Value)), .. learner.Parameters],
        (x, y, rng) =>
        {
            var (left, right) = rng.Split();
            return selector.Fit(x, y, right).Bind(subset =>
                learner.Fit(subset.Transform(x), y, left).Map(p => new Predictor(learner.Name, xs => p.Predict(subset.Transform(xs)), new SelectedModel(subset, p.Model))));
        });

    /// <summary>Reads |coef_| or feature_importances_ from a fitted predictor's model record.</summary>
    /// <param name="predictor">A fitted predictor.</param>
    /// <returns>One non-negative importance per feature, or <c>select.no_importances</c> naming the learner.</returns>
    public static Validation<Problem, double[]> Importances(Predictor predictor)
    {
        var model = predictor.Model is SelectedModel s ? s.Model : predictor.Model;
        var type = model.GetType();
        if (type.GetProperty("Coef", BindingFlags.Public | BindingFlags.Instance)?.GetValue(model) is IEnumerable<double> coef)
            return Valid.Ok(coef.Select(Math.Abs).ToArray());
        if (type.GetProperty("FeatureImportances", BindingFlags.Public | BindingFlags.Instance)?.GetValue(model) is IEnumerable<double> importances)
            return Valid.Ok(importances.ToArray());
        return Valid.Fail<double[]>("select.no_importances",
            $"learner '{predictor.Name}' ({type.Name}) exposes neither coefficients (coef_) nor feature importances; use ridge, a linear model or a tree ensemble");
    }

    private static Validation<Problem, double> Threshold(string text, double[] w)
    {
        var t = text.Trim();
        double factor = 1;
        var star = t.IndexOf('*');
        if (star > 0 && double.TryParse(t[..star], NumberStyles.Float, CultureInfo.InvariantCulture, out var f)) (factor, t) = (f, t[(star + 1)..].Trim());
        if (t == "mean") return Valid.Ok(factor * w.Average());
        if (t == "median")
        {
            var sorted = w.Order().ToArray();
            var m = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
            return Valid.Ok(factor * m);
        }
        if (star < 0 && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return Valid.Ok(v);
        return Valid.Fail<double>("param.invalid_value", $"threshold '{text}' is not mean, median, a number or F*mean (e.g. 1.25*mean)");
    }

    private static double Variance(double[] column)
    {
        var values = column.Where(v => !double.IsNaN(v)).ToArray();
        if (values.Length == 0) return 0;
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / values.Length;
    }

    /// <summary>Pearson r; 0 when either column is constant (undefined correlation treated as none).</summary>
    internal static double Pearson(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var (da, db) = (a[i] - ma, b[i] - mb);
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return saa > 0 && sbb > 0 ? sab / Math.Sqrt(saa * sbb) : 0.0;
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>The fitted model of a learner built with <see cref="Selectors.WithSelection"/>: the columns kept and the inner model.</summary>
/// <param name="Subset">The features selected on the training rows.</param>
/// <param name="Model">The inner learner's model record, fitted on the kept columns.</param>
public sealed record SelectedModel(FeatureSubset Subset, object Model);
