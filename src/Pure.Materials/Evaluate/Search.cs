using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Split;
using Pure.Materials.Pipelines;
using Pure.Materials.Data;

namespace Pure.Materials.Evaluate;

/// <summary>One point of a search space: a label naming its parameter values and the pipeline built from them.</summary>
/// <param name="Label">The candidate's parameter values as <c>key=value</c> pairs, e.g. <c>alpha=0.1</c>; used in tables and problems.</param>
/// <param name="Pipeline">The unfitted pipeline (an immutable options value) of either task; a regression <see cref="PipelineOptions"/> converts implicitly.</param>
public sealed record SearchCandidate(string Label, TaskPipeline Pipeline);

/// <summary>Holds the settings of a model search (inert values).</summary>
/// <param name="Metric">Metric that ranks candidates: a report key of the task (<see cref="Scoring.MetricKeys"/>; lower is better for the error
/// metrics <c>mae</c>, <c>rmse</c>, <c>mse</c>, <c>mape</c>, <c>mape_matbench</c>, <c>max_error</c>, <c>log_loss</c>) or a scikit-learn scoring name
/// (<c>neg_mean_absolute_error</c>, <c>accuracy</c>, <c>roc_auc</c>, <c>neg_log_loss</c>, ...; greater is better), see <see cref="Scoring"/>;
/// default <c>mae</c>.</param>
public sealed record SearchOptions(string Metric = "mae")
{
    /// <summary>Whether a larger value of <paramref name="metric"/> is better.</summary>
    /// <param name="metric">A metric key or scoring name of either task.</param>
    /// <returns>False for the error keys (<c>mae</c>, <c>rmse</c>, <c>log_loss</c>, ...); true for the others and every scikit-learn scoring name.</returns>
    public static bool HigherIsBetter(string metric) =>
        Scoring.Resolve(metric, TaskKind.Regression).Match(s => s.GreaterIsBetter, _ => Scoring.Resolve(metric, TaskKind.Classification).Match(s => s.GreaterIsBetter, _ => false));
}

/// <summary>The cross-validated scores of one candidate.</summary>
/// <param name="Index">0-based position of the candidate in the search space.</param>
/// <param name="Label">Its parameter values, e.g. <c>alpha=0.1</c>.</param>
/// <param name="Pipeline">Its pipeline.</param>
/// <param name="Summary">Mean, std, min, max over folds of every metric key of the task (<see cref="Scoring.MetricKeys"/>).</param>
/// <param name="Rank">1 for the best mean of the search metric; ties share a rank (scikit-learn's <c>rank_test_score</c>, method "min").</param>
public sealed record CandidateResult(int Index, string Label, TaskPipeline Pipeline, IReadOnlyDictionary<string, MetricSummary> Summary, int Rank)
{
    /// <summary>Every metric key's value in each fold, in fold order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> PerFold { get; init; } = new Dictionary<string, IReadOnlyList<double>>();

    /// <summary>scikit-learn's <c>mean_test_score</c>: the mean over folds of the search metric's score (negated for a <c>neg_*</c> name).</summary>
    public double MeanScore { get; init; } = double.NaN;

    /// <summary>scikit-learn's <c>std_test_score</c>: the population standard deviation over folds of the score.</summary>
    public double StdScore { get; init; } = double.NaN;
}

/// <summary>A search's table: every candidate with the mean and std of each metric, and which is best.</summary>
/// <param name="Metric">The ranking metric.</param>
/// <param name="Candidates">Every candidate, in search-space order.</param>
/// <param name="Folds">Number of train/test splits each candidate was scored on.</param>
public sealed record SearchReport(string Metric, IReadOnlyList<CandidateResult> Candidates, int Folds)
{
    /// <summary>The best candidate: rank 1, the first in search-space order on ties (scikit-learn's <c>best_index_</c>).</summary>
    public CandidateResult Best => Candidates.First(c => c.Rank == 1);
}

/// <summary>The outcome of one outer fold of nested cross-validation.</summary>
/// <param name="Fold">0-based outer fold.</param>
/// <param name="Search">The inner search on the outer training rows only.</param>
/// <param name="TestScores">Scores of the selected candidate, refitted on all outer training rows, on the outer test rows.</param>
public sealed record NestedFold(int Fold, SearchReport Search, TaskScores TestScores);

/// <summary>Nested cross-validation: an unbiased estimate of the error of "search, then refit the best".</summary>
/// <param name="Folds">Per outer fold: the inner search and the outer test scores.</param>
/// <param name="Summary">Per metric key of the task: summary of the outer test scores over outer folds.</param>
public sealed record NestedReport(IReadOnlyList<NestedFold> Folds, IReadOnlyDictionary<string, MetricSummary> Summary);

/// <summary>Selection on development rows, then one test: the search report, the selected candidate and its only test score.</summary>
/// <param name="Search">The search over the development rows (never sees the test rows).</param>
/// <param name="Selected">The selected (best) candidate.</param>
/// <param name="TestScores">Scores of the selected candidate refitted on all development rows, on the held-out test rows; computed once.</param>
/// <param name="TestPredictions">Its predictions for the test rows, in the order of the split's test indices (class codes for classification).</param>
public sealed record SelectionThenTest(SearchReport Search, CandidateResult Selected, TaskScores TestScores, IReadOnlyList<double> TestPredictions);

/// <summary>Grid and random search with cross-validation over immutable pipeline options of either task; nested cross-validation; select-then-test.</summary>
/// <remarks>
/// Every candidate is cross-validated on the same splits with the same random stream (common random numbers), so the
/// differences between candidates come from their options alone. Candidates are ranked by the mean over folds of the
/// search metric. A candidate that cannot be fitted (an invalid value, e.g. <c>alpha=-1</c>) makes the search fail with
/// one problem per failing candidate, each prefixed with <c>candidate i (label)</c>. Regression and classification share this code:
/// the target is a <see cref="TaskTarget"/>, each candidate a <see cref="TaskPipeline"/> of the same task, scored through <see cref="TaskEvaluation"/>.
/// Source: scikit-learn 1.2.1 <c>GridSearchCV</c>, <c>RandomizedSearchCV</c> (<c>cv_results_</c>, <c>rank_test_score</c>,
/// <c>best_index_</c>); Cawley and Talbot, "On over-fitting in model selection", JMLR 11 (2010) for nested CV.
/// </remarks>
public static class ModelSearch
{
    /// <summary>Cross-validates every candidate and ranks them (regression target).</summary>
    /// <param name="options">Ranking metric.</param>
    /// <param name="candidates">The search space, e.g. a LINQ query over parameter values (see <see cref="SearchSpace"/>); at least 1.</param>
    /// <param name="x">Features, shape (n, n_features).</param>
    /// <param name="y">Targets, length n.</param>
    /// <param name="splits">Train/test splits shared by every candidate.</param>
    /// <param name="rng">The search's stream; every candidate gets the same one.</param>
    /// <returns>The table, or <c>param.invalid_value</c> (unknown metric), <c>search.empty</c> (no candidate), or each failing candidate's problems.</returns>
    /// <example>
    /// <code>
    /// var space = from alpha in new[] { 0.01, 0.1, 1.0, 10.0 }
    ///             select new SearchCandidate($"alpha={alpha}", pipeline with { Learner = Learners.Ridge(new RidgeOptions { Alpha = alpha }) });
    /// var report = ModelSearch.Run(new SearchOptions("mae"), space, x, y, folds, Rng.FromSeed(0));
    /// </code>
    /// </example>
    public static Validation<Problem, SearchReport> Run(SearchOptions options, IEnumerable<SearchCandidate> candidates, Matrix x, IReadOnlyList<double> y,
        IReadOnlyList<TrainTest> splits, Rng rng) => Run(options, candidates, x, new TaskTarget.Continuous(y), splits, rng);

    /// <summary>Cross-validates every candidate and ranks them, for either task.</summary>
    /// <param name="options">Ranking metric (a key or scikit-learn scoring name of the target's task).</param>
    /// <param name="candidates">The search space; every pipeline of the target's task.</param>
    /// <param name="x">Features, shape (n, n_features).</param>
    /// <param name="y">The target, length n.</param>
    /// <param name="splits">Train/test splits shared by every candidate.</param>
    /// <param name="rng">The search's stream; every candidate gets the same one.</param>
    /// <returns>The table, or <c>param.invalid_value</c> (unknown metric), <c>search.empty</c>, <c>param.task_mismatch</c>, or each failing candidate's problems.</returns>
    public static Validation<Problem, SearchReport> Run(SearchOptions options, IEnumerable<SearchCandidate> candidates, Matrix x, TaskTarget y,
        IReadOnlyList<TrainTest> splits, Rng rng)
    {
        var scorer = Scoring.Resolve(options.Metric, y.Kind).MapFail(p => p with { Message = "search " + p.Message });
        if (scorer.IsFail) return Valid.Fail<SearchReport>(scorer.Problems());
        var list = candidates.ToArray();
        if (list.Length == 0)
            return Valid.Fail<SearchReport>("search.empty", "the search space has no candidate; give at least one value per parameter");
        var results = list.Select((c, i) => TaskEvaluation.CrossValidate(c.Pipeline, x, y, splits, rng)
            .MapFail(p => p with { Message = $"candidate {i} ({c.Label}): {p.Message}" })
            .Map(r => (c, r)));
        return Valid.All(results).Map(rs => Rank(scorer.OrThrow(), rs, splits.Count));
    }

    /// <summary>The search as a step of a seeded experiment (regression target).</summary>
    /// <param name="options">Ranking metric.</param>
    /// <param name="candidates">The search space.</param>
    /// <param name="x">Features.</param>
    /// <param name="y">Targets.</param>
    /// <param name="splits">Splits.</param>
    /// <returns>A step producing the report from its own split stream.</returns>
    public static Step<SearchReport> Step(SearchOptions options, IEnumerable<SearchCandidate> candidates, Matrix x, IReadOnlyList<double> y,
        IReadOnlyList<TrainTest> splits) => Core.Step.Random(rng => Run(options, candidates, x, y, splits, rng));

    /// <summary>The search as a step of a seeded experiment, for either task.</summary>
    /// <param name="options">Ranking metric.</param>
    /// <param name="candidates">The search space.</param>
    /// <param name="x">Features.</param>
    /// <param name="y">The target.</param>
    /// <param name="splits">Splits.</param>
    /// <returns>A step producing the report from its own split stream.</returns>
    public static Step<SearchReport> Step(SearchOptions options, IEnumerable<SearchCandidate> candidates, Matrix x, TaskTarget y,
        IReadOnlyList<TrainTest> splits) => Core.Step.Random(rng => Run(options, candidates, x, y, splits, rng));

    /// <summary>Nested cross-validation: for each outer split, search on its training rows with inner splits, refit the best on them, score on its test rows.</summary>
    /// <param name="options">Ranking metric of the inner searches.</param>
    /// <param name="candidates">The search space.</param>
    /// <param name="x">Features, shape (n, n_features).</param>
    /// <param name="y">Targets, length n.</param>
    /// <param name="outer">Outer train/test splits.</param>
    /// <param name="inner">Builds inner splits of an outer training set from its row count and a private stream (indices relative to it), e.g. <c>(n, r) =&gt; KFold.Split(n, 3, true, r)</c>.</param>
    /// <param name="rng">The run's stream; outer fold k uses the k-th of <c>rng.SplitMany(outer.Count)</c>.</param>
    /// <returns>The report, or the problems of the first failing outer fold (prefixed with its number).</returns>
    public static Validation<Problem, NestedReport> Nested(SearchOptions options, IEnumerable<SearchCandidate> candidates, Matrix x, IReadOnlyList<double> y,
        IReadOnlyList<TrainTest> outer, Func<int, Rng, Validation<Problem, TrainTest[]>> inner, Rng rng)
    {
        var space = candidates.ToArray();
        var target = new TaskTarget.Continuous(y);
        return Nested(target.Kind, outer, (split, r) => SelectThenTest(options, space, x, target, split, inner, r), rng);
    }

    /// <summary>Nested cross-validation whose inner folds follow a <see cref="SplitScheme"/> (group-aware and/or stratified), drawn from each outer fold's training rows.</summary>
    /// <param name="options">Ranking metric of the inner searches.</param>
    /// <param name="candidates">The search space.</param>
    /// <param name="x">Features, shape (n, n_features).</param>
    /// <param name="y">Targets, length n.</param>
    /// <param name="outer">Outer train/test splits (e.g. from the same scheme's <see cref="SplitScheme.Folds"/> over all rows).</param>
    /// <param name="inner">The scheme of the inner folds: its groups/labels are those of all n rows; each outer fold's training rows are split with it.</param>
    /// <param name="rng">The run's stream; outer fold k uses the k-th of <c>rng.SplitMany(outer.Count)</c>.</param>
    /// <returns>The report, or the problems of the first failing outer fold (prefixed with its number).</returns>
    public static Validation<Problem, NestedReport> Nested(SearchOptions options, IEnumerable<SearchCandidate> candidates, Matrix x, IReadOnlyList<double> y,
        IReadOnlyList<TrainTest> outer, SplitScheme inner, Rng rng) => Nested(options, candidates, x, new TaskTarget.Continuous(y), outer, inner, rng);

    /// <summary>Nested cross-validation for either task, inner folds from a <see cref="SplitScheme"/>.</summary>
    /// <param name="options">Ranking metric of the inner searches.</param>
    /// <param name="candidates">The search space.</param>
    /// <param name="x">Features, shape (n, n_features).</param>
    /// <param name="y">The target, length n.</param>
    /// <param name="outer">Outer train/test splits.</param>
    /// <param name="inner">The scheme of the inner folds.</param>
    /// <param name="rng">The run's stream; outer fold k uses the k-th of <c>rng.SplitMany(outer.Count)</c>.</param>
    /// <returns>The report, or the problems of the first failing outer fold (prefixed with its number).</returns>
    public static Validation<Problem, NestedReport> Nested(SearchOptions options, IEnumerable<SearchCandidate> candidates, Matrix x, TaskTarget y,
        IReadOnlyList<TrainTest> outer, SplitScheme inner, Rng rng)
    {
        var space = candidates.ToArray();
        return Nested(y.Kind, outer, (split, r) => SelectThenTest(options, space, x, y, split, inner, r), rng);
    }

    /// <summary>The outer loop shared by the <c>Nested</c> overloads: outer fold k selects and tests with the k-th stream of <c>rng.SplitMany(outer.Count)</c>.</summary>
    private static Validation<Problem, NestedReport> Nested(TaskKind kind, IReadOnlyList<TrainTest> outer, Func<TrainTest, Rng, Validation<Problem, SelectionThenTest>> selectThenTest, Rng rng)
    {
        var (streams, _) = rng.SplitMany(outer.Count);
        var folds = new List<NestedFold>();
        for (var k = 0; k < outer.Count; k++)
        {
            var fold = k;
            var result = selectThenTest(outer[k], streams[k])
                .Map(s => new NestedFold(fold, s.Search, s.TestScores))
                .MapFail(p => p with { Message = $"outer fold {fold}: {p.Message}" });
            if (result.IsFail) return Valid.Fail<NestedReport>(result.Problems());
            folds.Add(result.OrThrow());
        }
        return Valid.Ok(new NestedReport(folds, Scoring.MetricKeys(kind).ToDictionary(key => key, key => Scoring.Summary(folds.Select(f => f.TestScores.Metric(key)).ToArray()))));
    }

    /// <summary>Selects on the development rows with inner folds from a <see cref="SplitScheme"/> (group-aware and/or stratified), refits the best, and scores it once on the test rows.</summary>
    /// <param name="options">Ranking metric.</param>
    /// <param name="candidates">The search space.</param>
    /// <param name="x">Features of all rows, shape (n, n_features).</param>
    /// <param name="y">Targets of all rows.</param>
    /// <param name="holdOut">Development rows (<c>Train</c>) and held-out test rows (<c>Test</c>), e.g. from <see cref="SplitScheme.HoldOut"/>.</param>
    /// <param name="inner">The scheme of the selection folds; its groups/labels are those of all n rows.</param>
    /// <param name="rng">A stream for this selection alone.</param>
    /// <returns>As the other overload; the inner folds never split a group of the development rows and keep class shares.</returns>
    public static Validation<Problem, SelectionThenTest> SelectThenTest(SearchOptions options, IEnumerable<SearchCandidate> candidates, Matrix x,
        IReadOnlyList<double> y, TrainTest holdOut, SplitScheme inner, Rng rng) =>
        SelectThenTest(options, candidates, x, new TaskTarget.Continuous(y), holdOut, inner, rng);

    /// <summary>As <see cref="SelectThenTest(SearchOptions, IEnumerable{SearchCandidate}, Matrix, IReadOnlyList{double}, TrainTest, SplitScheme, Rng)"/>, for either task.</summary>
    /// <param name="options">Ranking metric.</param>
    /// <param name="candidates">The search space.</param>
    /// <param name="x">Features of all rows.</param>
    /// <param name="y">The target of all rows.</param>
    /// <param name="holdOut">Development and held-out test rows.</param>
    /// <param name="inner">The scheme of the selection folds.</param>
    /// <param name="rng">A stream for this selection alone.</param>
    /// <returns>The search, the selected candidate and its one test score; or the problems of the split, search or refit.</returns>
    public static Validation<Problem, SelectionThenTest> SelectThenTest(SearchOptions options, IEnumerable<SearchCandidate> candidates, Matrix x,
        TaskTarget y, TrainTest holdOut, SplitScheme inner, Rng rng) =>
        SelectThenTest(options, candidates, x, y, holdOut, (_, r) => inner.Folds(holdOut.Train, r)
            .MapFail(p => p with { Message = $"inner folds of the {holdOut.Train.Length} development rows: {p.Message}" }), rng);

    /// <summary>Searches on the development (training) side of a split, refits the best on all of it, and scores it once on the test side.</summary>
    /// <param name="options">Ranking metric.</param>
    /// <param name="candidates">The search space.</param>
    /// <param name="x">Features of all rows, shape (n, n_features).</param>
    /// <param name="y">Targets of all rows.</param>
    /// <param name="holdOut">Development rows (<c>Train</c>) and held-out test rows (<c>Test</c>).</param>
    /// <param name="inner">Builds the selection splits of the development rows from their count and a private stream.</param>
    /// <param name="rng">A stream for this selection alone: split into the inner-split, search and refit streams.</param>
    /// <returns>The search, the selected candidate and its one test score; or the problems of the split, search or refit.</returns>
    public static Validation<Problem, SelectionThenTest> SelectThenTest(SearchOptions options, IEnumerable<SearchCandidate> candidates, Matrix x,
        IReadOnlyList<double> y, TrainTest holdOut, Func<int, Rng, Validation<Problem, TrainTest[]>> inner, Rng rng) =>
        SelectThenTest(options, candidates, x, new TaskTarget.Continuous(y), holdOut, inner, rng);

    /// <summary>As <see cref="SelectThenTest(SearchOptions, IEnumerable{SearchCandidate}, Matrix, IReadOnlyList{double}, TrainTest, Func{int, Rng, Validation{Problem, TrainTest[]}}, Rng)"/>, for either task.</summary>
    /// <param name="options">Ranking metric.</param>
    /// <param name="candidates">The search space.</param>
    /// <param name="x">Features of all rows.</param>
    /// <param name="y">The target of all rows.</param>
    /// <param name="holdOut">Development and held-out test rows.</param>
    /// <param name="inner">Builds the selection splits of the development rows.</param>
    /// <param name="rng">A stream for this selection alone: split into the inner-split, search and refit streams.</param>
    /// <returns>The search, the selected candidate and its one test score; or the problems of the split, search or refit.</returns>
    public static Validation<Problem, SelectionThenTest> SelectThenTest(SearchOptions options, IEnumerable<SearchCandidate> candidates, Matrix x,
        TaskTarget y, TrainTest holdOut, Func<int, Rng, Validation<Problem, TrainTest[]>> inner, Rng rng)
    {
        var (r1, splitStream) = rng.Split();
        var (r2, searchStream) = r1.Split();
        var (_, refitStream) = r2.Split();
        var xDev = x.SelectRows(holdOut.Train);
        var yDev = y.Subset(holdOut.Train);
        var xTest = x.SelectRows(holdOut.Test);
        var yTest = y.Subset(holdOut.Test);
        return inner(holdOut.Train.Length, splitStream)
            .Bind(splits => Run(options, candidates, xDev, yDev, splits, searchStream))
            .Bind(search => TaskEvaluation.Fit(search.Best.Pipeline, xDev, yDev, refitStream).Bind(p =>
                p.Score(xTest, yTest).Map(s => new SelectionThenTest(search, search.Best, s, p.Predict(xTest)))));
    }

    private static SearchReport Rank(Scorer scorer, IReadOnlyList<(SearchCandidate Candidate, TaskReport Report)> results, int folds)
    {
        // NaN (an undefined metric) ranks last.
        double Key(int i)
        {
            var m = results[i].Report.Summary[scorer.Key].Mean;
            return double.IsNaN(m) ? double.PositiveInfinity : scorer.GreaterIsBetter ? -scorer.Score(m) : m;
        }
        var rows = results.Select((r, i) =>
        {
            var rank = 1 + Enumerable.Range(0, results.Count).Count(j => Key(j) < Key(i));
            var scores = r.Report.PerFold(scorer.Key).Select(scorer.Score).ToArray();
            var summary = Scoring.Summary(scores);
            return new CandidateResult(i, r.Candidate.Label, r.Candidate.Pipeline, r.Report.Summary, rank)
            {
                PerFold = r.Report.MetricKeys.ToDictionary(k => k, r.Report.PerFold),
                MeanScore = summary.Mean,
                StdScore = summary.Std,
            };
        }).ToArray();
        return new SearchReport(scorer.Name, rows, folds);
    }
}

/// <summary>One searched parameter: a list of values, or a distribution to draw from in random search.</summary>
/// <param name="Name">scikit-learn's parameter name, e.g. <c>alpha</c>.</param>
/// <param name="Values">The values as text (grid points); empty when <paramref name="Distribution"/> is set.</param>
/// <param name="Distribution">For random search only: <c>loguniform</c>, <c>uniform</c> (reals in [Low, High)) or <c>randint</c> (integers in [Low, High)); null for a value list.</param>
/// <param name="Low">Lower bound of the distribution.</param>
/// <param name="High">Upper bound of the distribution.</param>
public sealed record SearchParameter(string Name, IReadOnlyList<string> Values, string? Distribution = null, double Low = 0, double High = 0);

/// <summary>Builds search spaces: the grid of all combinations, seeded random samples, and parsing of <c>name=v1,v2</c> text.</summary>
/// <remarks>
/// The grid is the Cartesian product in the order given (the last parameter varies fastest, as scikit-learn's
/// <c>ParameterGrid</c> with sorted keys varies its last key fastest). Random search draws without replacement from the
/// grid when every parameter is a value list (scikit-learn's <c>ParameterSampler</c> does the same), and otherwise draws
/// each parameter independently: value lists uniformly, <c>loguniform(a,b)</c> as exp(U(ln a, ln b)), <c>uniform(a,b)</c>
/// as U(a, b), <c>randint(a,b)</c> as an integer in [a, b).
/// Source: scikit-learn 1.2.1 <c>ParameterGrid</c>, <c>ParameterSampler</c>; scipy.stats <c>loguniform</c>.
/// </remarks>
public static class SearchSpace
{
    /// <summary>Parses <c>name=v1,v2,...</c> or <c>name=loguniform(a,b)</c> (also <c>uniform</c>, <c>randint</c>).</summary>
    /// <param name="text">One parameter specification, as given to <c>--grid</c>.</param>
    /// <returns>The parameter, or <c>param.invalid_value</c> naming the text and the accepted forms.</returns>
    public static Validation<Problem, SearchParameter> ParseParameter(string text)
    {
        var eq = text.IndexOf('=');
        if (eq <= 0 || eq == text.Length - 1)
            return Valid.Fail<SearchParameter>("param.invalid_value", $"SearchSpace.ParseParameter(text) '{text}' is not name=v1,v2,... (e.g. alpha=0.01,0.1,1) or name=loguniform(a,b)");
        var name = text[..eq].Trim();
        var rest = text[(eq + 1)..].Trim();
        foreach (var d in new[] { "loguniform", "uniform", "randint" })
        {
            if (!rest.StartsWith(d + "(", StringComparison.Ordinal) || !rest.EndsWith(')')) continue;
            var args = rest[(d.Length + 1)..^1].Split(',', StringSplitOptions.TrimEntries);
            if (args.Length == 2
                && double.TryParse(args[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lo)
                && double.TryParse(args[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var hi)
                && double.IsFinite(lo) && double.IsFinite(hi) && lo < hi && (d != "loguniform" || lo > 0))
                return Valid.Ok(new SearchParameter(name, [], d, lo, hi));
            return Valid.Fail<SearchParameter>("param.invalid_value",
                $"SearchSpace.ParseParameter(text) '{text}': {d}(a,b) needs two finite numbers a < b{(d == "loguniform" ? " with a > 0" : "")}");
        }
        var values = rest.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return values.Length == 0
            ? Valid.Fail<SearchParameter>("param.invalid_value", $"SearchSpace.ParseParameter(text) '{text}' lists no value")
            : Valid.Ok(new SearchParameter(name, values));
    }

    /// <summary>Lists every combination of the parameters' values (the grid).</summary>
    /// <param name="parameters">Value-list parameters; a distribution is a problem.</param>
    /// <returns>Settings per grid point (name to value text), or <c>param.invalid_value</c> for a distribution (use random search).</returns>
    public static Validation<Problem, IReadOnlyDictionary<string, string>[]> Grid(IReadOnlyList<SearchParameter> parameters)
    {
        var bad = parameters.Where(p => p.Distribution is not null).Select(p => new Problem("param.invalid_value",
            $"parameter '{p.Name}' is a {p.Distribution} distribution, which a grid cannot enumerate; list values or use SearchSpace.Random(count)")).ToArray();
        if (bad.Length > 0) return Valid.Fail<IReadOnlyDictionary<string, string>[]>(bad);
        IEnumerable<IEnumerable<KeyValuePair<string, string>>> grid = [[]];
        foreach (var p in parameters)
        {
            var parameter = p;
            grid = from point in grid from v in parameter.Values select point.Append(KeyValuePair.Create(parameter.Name, v));
        }
        return Valid.Ok(grid.Select(point => (IReadOnlyDictionary<string, string>)point.ToDictionary(kv => kv.Key, kv => kv.Value)).ToArray());
    }

    /// <summary>Draws <paramref name="count"/> seeded settings for random search.</summary>
    /// <param name="parameters">Value lists and distributions.</param>
    /// <param name="count">Number of candidates, at least 1; with only value lists, at most the grid size (fewer when the grid is smaller).</param>
    /// <param name="rng">A stream for this draw alone.</param>
    /// <returns>The settings, or <c>param.out_of_range</c> for count &lt; 1.</returns>
    public static Validation<Problem, IReadOnlyDictionary<string, string>[]> Random(IReadOnlyList<SearchParameter> parameters, int count, Rng rng)
    {
        if (count < 1)
            return Valid.Fail<IReadOnlyDictionary<string, string>[]>("param.out_of_range", $"random search needs at least 1 candidate, found {count}");
        var cursor = new RngCursor(rng);
        if (parameters.All(p => p.Distribution is null))
        {
            var grid = Grid(parameters).OrThrow();
            var order = Enumerable.Range(0, grid.Length).ToArray();
            cursor.Shuffle(order.AsSpan());
            return Valid.Ok(order.Take(Math.Min(count, grid.Length)).Select(i => grid[i]).ToArray());
        }
        var draws = new IReadOnlyDictionary<string, string>[count];
        for (var c = 0; c < count; c++)
        {
            var point = new Dictionary<string, string>();
            foreach (var p in parameters)
                point[p.Name] = p.Distribution switch
                {
                    null => p.Values[cursor.NextInt(p.Values.Count)],
                    "loguniform" => G(Math.Exp(Math.Log(p.Low) + cursor.NextDouble() * (Math.Log(p.High) - Math.Log(p.Low)))),
                    "uniform" => G(p.Low + cursor.NextDouble() * (p.High - p.Low)),
                    _ => ((long)Math.Ceiling(p.Low) + cursor.NextInt(Math.Max(1, (int)(Math.Ceiling(p.High) - Math.Ceiling(p.Low))))).ToString(CultureInfo.InvariantCulture),
                };
            draws[c] = point;
        }
        return Valid.Ok(draws);
    }

    /// <summary>Builds one candidate per settings with <see cref="Learners.Parse"/>: fixed settings plus the searched ones.</summary>
    /// <param name="model">Learner name (<c>ridge</c>, <c>rf</c>, ...).</param>
    /// <param name="fixedSettings">Settings shared by every candidate (e.g. <c>n_estimators=100</c>).</param>
    /// <param name="points">Searched settings per candidate.</param>
    /// <param name="pipeline">Builds the pipeline around each learner (imputation and scaling).</param>
    /// <returns>The candidates, labelled by their searched settings; or every candidate's problems, each prefixed with <c>candidate i (label)</c>.</returns>
    public static Validation<Problem, SearchCandidate[]> Candidates(string model, IReadOnlyDictionary<string, string> fixedSettings,
        IEnumerable<IReadOnlyDictionary<string, string>> points, Func<Learner, PipelineOptions> pipeline) =>
        Valid.All(points.Select((point, i) =>
        {
            var label = Label(point);
            var settings = new Dictionary<string, string>(fixedSettings);
            foreach (var (k, v) in point) settings[k] = v;
            return Learners.Parse(model, settings)
                .Map(l => new SearchCandidate(label, pipeline(l)))
                .MapFail(p => p with { Message = $"candidate {i} ({label}): {p.Message}" });
        }));

    /// <summary>Builds one candidate per settings for either task with <see cref="TaskPipeline.Parse"/>: fixed settings plus the searched ones.</summary>
    /// <param name="kind">The task: the learner is a regressor (<see cref="Learners"/>) or a classifier (<c>Classifiers</c>).</param>
    /// <param name="model">Learner name (<c>ridge</c>, <c>rf</c>, <c>logistic</c>, ...).</param>
    /// <param name="fixedSettings">Settings shared by every candidate.</param>
    /// <param name="points">Searched settings per candidate.</param>
    /// <param name="impute">Missing-value strategy of every candidate.</param>
    /// <param name="scale">Scaling of every candidate; null for the learner's declared default.</param>
    /// <returns>The candidates, labelled by their searched settings; or every candidate's problems, each prefixed with <c>candidate i (label)</c>.</returns>
    public static Validation<Problem, SearchCandidate[]> Candidates(TaskKind kind, string model, IReadOnlyDictionary<string, string> fixedSettings,
        IEnumerable<IReadOnlyDictionary<string, string>> points, ImputeStrategy impute, ScaleStrategy? scale) =>
        Valid.All(points.Select((point, i) =>
        {
            var label = Label(point);
            var settings = new Dictionary<string, string>(fixedSettings);
            foreach (var (k, v) in point) settings[k] = v;
            return TaskPipeline.Parse(kind, model, settings, impute, scale)
                .Map(p => new SearchCandidate(label, p))
                .MapFail(p => p with { Message = $"candidate {i} ({label}): {p.Message}" });
        }));

    /// <summary>Writes settings as <c>k1=v1, k2=v2</c>.</summary>
    /// <param name="point">The settings.</param>
    /// <returns>The label.</returns>
    public static string Label(IReadOnlyDictionary<string, string> point) => string.Join(", ", point.Select(kv => $"{kv.Key}={kv.Value}"));

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
