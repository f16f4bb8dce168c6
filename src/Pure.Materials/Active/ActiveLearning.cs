using System.Diagnostics;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Gaussian;

namespace Pure.Materials.Active;

/// <summary>How a batch of k candidates is chosen from the scores.</summary>
public enum BatchStrategy
{
    /// <summary>The k highest scores.</summary>
    TopK,
    /// <summary>Greedy local penalisation: each next pick maximises s_i * prod_picked (1 - rho(i, p)), with s the scores
    /// rescaled to [0, 1] and rho the kernel correlation; ties broken by a seeded random order.</summary>
    Diverse,
}

/// <summary>Settings of an active-learning / Bayesian-optimisation loop (inert values).</summary>
public sealed record ActiveLearningOptions
{
    /// <summary>The acquisition function; default expected improvement with xi = 0.01.</summary>
    public Acquisition Acquisition { get; init; } = new Acquisition.ExpectedImprovement();

    /// <summary>Look for the lowest (default) or highest target.</summary>
    public Goal Goal { get; init; } = Goal.Minimize;

    /// <summary>Candidates evaluated per round, &gt;= 1; default 1.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>How a batch is chosen; default <see cref="BatchStrategy.TopK"/>.</summary>
    public BatchStrategy Batch { get; init; } = BatchStrategy.TopK;

    /// <summary>The surrogate model; default constant * RBF + white, normalize_y, optimised. Each round warm-starts the
    /// optimiser from the previous round's hyper-parameters.</summary>
    public GaussianProcessOptions Model { get; init; } = new()
    {
        Kernel = new ConstantKernel() * new RbfKernel() + new WhiteKernel { NoiseLevel = 1e-2 },
        NormalizeY = true,
    };
}

/// <summary>What happened in one round.</summary>
/// <param name="Round">0 for the initial random design, then 1, 2, ...</param>
/// <param name="Evaluations">Labelled candidates after this round.</param>
/// <param name="Picked">Pool rows labelled in this round.</param>
/// <param name="BestFound">Best target value labelled so far.</param>
/// <param name="TestRmse">RMSE of the surrogate fitted before this round's picks, on the test set (NaN without one or for round 0).</param>
/// <param name="Seconds">Wall time of the round (fit, score, pick).</param>
public sealed record RoundRecord(int Round, int Evaluations, IReadOnlyList<int> Picked, double BestFound, double TestRmse, double Seconds);

/// <summary>One proposed candidate: its row, the surrogate's prediction and its acquisition score.</summary>
/// <param name="Row">Row of the candidate matrix.</param>
/// <param name="Mean">Posterior mean of the target (target units).</param>
/// <param name="Std">Posterior standard deviation of the target (target units, including any white-noise term), &gt;= 0.</param>
/// <param name="Acquisition">The acquisition score that ranked it (higher is better); NaN for the random acquisition.</param>
public sealed record Proposal(int Row, double Mean, double Std, double Acquisition);

/// <summary>The state of a pool-based search: who is labelled, who is left, the last model, the history and the random stream.</summary>
/// <param name="Labelled">Rows of the candidate matrix that have been evaluated, in order of evaluation.</param>
/// <param name="LabelledY">Their target values.</param>
/// <param name="Pool">Rows not yet evaluated, ascending.</param>
/// <param name="Model">The surrogate fitted in the last round (null before the first).</param>
/// <param name="History">One record per round.</param>
/// <param name="Rng">The stream for the next round.</param>
public sealed record ActiveState(
    IReadOnlyList<int> Labelled, IReadOnlyList<double> LabelledY, IReadOnlyList<int> Pool, GaussianProcessModel? Model,
    IReadOnlyList<RoundRecord> History, Rng Rng)
{
    /// <summary>Best value labelled so far for a goal.</summary>
    /// <param name="goal">Minimise or maximise.</param>
    /// <returns>The best value, or NaN when nothing is labelled.</returns>
    public double Best(Goal goal) => LabelledY.Count == 0 ? double.NaN : goal == Goal.Minimize ? LabelledY.Min() : LabelledY.Max();
}

/// <summary>Runs pool-based active learning / Bayesian optimisation as pure functions from state to state.</summary>
/// <remarks>
/// A step fits the surrogate on the labelled rows, predicts mean and std on the pool, scores the pool with the acquisition
/// function and labels a batch by calling the oracle (for a pool-based benchmark, a lookup of the known target).
/// The random baseline picks uniformly from the pool and fits no model (unless a test set asks for its error).
/// Every random choice uses a stream split from the state's, so a run is a pure function of the seed.
/// Source: Lookman, Balachandran, Xue and Yuan, "Active learning in materials science with emphasis on adaptive sampling
/// using uncertainties for targeted design", npj Comput. Mater. 5, 21 (2019); Gonzalez et al., "Batch Bayesian
/// optimization via local penalization", AISTATS 2016 (diverse batches).
/// </remarks>
public static class ActiveLearning
{
    /// <summary>Starts a search with <paramref name="nInitial"/> rows drawn uniformly at random and labelled.</summary>
    /// <param name="x">Candidate features, shape (n_candidates, n_features).</param>
    /// <param name="oracle">Target value of a candidate row (called once per labelled row).</param>
    /// <param name="nInitial">Initial random design size, in [1, n_candidates].</param>
    /// <param name="goal">Minimise or maximise (for the recorded best value).</param>
    /// <param name="rng">The stream of the whole run.</param>
    /// <returns>The state after round 0, or <c>param.out_of_range</c>.</returns>
    public static Validation<Problem, ActiveState> Start(Matrix x, Func<int, double> oracle, int nInitial, Goal goal, Rng rng)
    {
        if (nInitial < 1 || nInitial > x.Rows)
            return Valid.Fail<ActiveState>("param.out_of_range", $"ActiveLearning.Start(nInitial) must be between 1 and the number of candidates ({x.Rows}), found {nInitial}");
        var (rest, mine) = rng.Split();
        var order = Enumerable.Range(0, x.Rows).ToArray();
        new RngCursor(mine).Shuffle(order.AsSpan());
        var picked = order[..nInitial];
        var ys = picked.Select(oracle).ToArray();
        var pool = order[nInitial..].Order().ToArray();
        var state = new ActiveState(picked, ys, pool, null, [], rest);
        return Valid.Ok(state with { History = [new RoundRecord(0, nInitial, picked, state.Best(goal), double.NaN, 0)] });
    }

    /// <summary>Runs one round: fit, score the pool, pick a batch, label it.</summary>
    /// <param name="options">Acquisition, goal, batch size and strategy, surrogate.</param>
    /// <param name="x">Candidate features, shape (n_candidates, n_features).</param>
    /// <param name="oracle">Target value of a candidate row.</param>
    /// <param name="state">The current state (not modified).</param>
    /// <param name="test">Optional test set (features, targets) on which the surrogate's RMSE is recorded.</param>
    /// <returns>The next state (unchanged apart from the history when the pool is empty), or the problems of the fit.</returns>
    public static Validation<Problem, ActiveState> Step(ActiveLearningOptions options, Matrix x, Func<int, double> oracle, ActiveState state,
        (Matrix X, IReadOnlyList<double> Y)? test = null)
    {
        if (options.BatchSize < 1) return Valid.Fail<ActiveState>("param.out_of_range", $"ActiveLearningOptions.BatchSize must be >= 1, found {options.BatchSize}");
        if (state.Pool.Count == 0) return Valid.Ok(state);
        var clock = Stopwatch.StartNew();
        var (rest, mine) = state.Rng.Split();
        var (fitRng, pickRng) = mine.Split();
        var k = Math.Min(options.BatchSize, state.Pool.Count);
        var isRandom = options.Acquisition is Acquisition.Random;
        GaussianProcessModel? model = null;
        if (!isRandom || test is not null)
        {
            var modelOptions = state.Model is { } previous ? options.Model with { Kernel = previous.Kernel } : options.Model;
            var fitted = GaussianProcess.Fit(modelOptions, x.SelectRows(state.Labelled.ToArray()), state.LabelledY, fitRng);
            if (fitted.IsFail) return fitted.Map(_ => state);
            model = fitted.OrThrow();
        }
        var rmse = double.NaN;
        if (test is { } t && model is not null)
        {
            var p = GaussianProcess.Predict(model, t.X);
            rmse = Math.Sqrt(p.Select((v, i) => (v - t.Y[i]) * (v - t.Y[i])).Average());
        }
        int[] picked;
        if (isRandom)
        {
            var order = state.Pool.ToArray();
            new RngCursor(pickRng).Shuffle(order.AsSpan());
            picked = order[..k];
        }
        else
        {
            var xp = x.SelectRows(state.Pool.ToArray());
            var (mu, sigma) = GaussianProcess.PredictWithStd(model!, xp);
            var scores = Acquisitions.Score(options.Acquisition, options.Goal, mu, sigma, state.Best(options.Goal));
            picked = (options.Batch == BatchStrategy.Diverse && k > 1 ? Diverse(model!, xp, scores, k, pickRng) : TopK(scores, k, pickRng))
                .Select(i => state.Pool[i]).ToArray();
        }
        var ys = picked.Select(oracle).ToArray();
        var pickedSet = picked.ToHashSet();
        var next = state with
        {
            Labelled = [.. state.Labelled, .. picked],
            LabelledY = [.. state.LabelledY, .. ys],
            Pool = state.Pool.Where(i => !pickedSet.Contains(i)).ToArray(),
            Model = model ?? state.Model,
            Rng = rest,
        };
        var record = new RoundRecord(state.History.Count, next.Labelled.Count, picked, next.Best(options.Goal), rmse, clock.Elapsed.TotalSeconds);
        return Valid.Ok(next with { History = [.. state.History, record] });
    }

    /// <summary>Proposes the next batch of candidates to evaluate: fits the surrogate on the rows with a known target and picks
    /// from the pool exactly as <see cref="Step"/> would from the same state (same stream splits, same ties), returning the
    /// prediction and score of each pick instead of calling an oracle.</summary>
    /// <param name="options">Acquisition, goal, batch size and strategy, surrogate.</param>
    /// <param name="x">Candidate features, shape (n_candidates, n_features): training rows and pool rows.</param>
    /// <param name="labelled">Rows with a known target (at least 1).</param>
    /// <param name="labelledY">Their targets, same length.</param>
    /// <param name="pool">Rows to choose from (targets unknown), disjoint from <paramref name="labelled"/>.</param>
    /// <param name="rng">The stream of the proposal (as a state's <see cref="ActiveState.Rng"/>).</param>
    /// <returns>Min(batch size, pool size) proposals in pick order; or <c>param.out_of_range</c> (batch size), <c>data.no_labelled_rows</c>,
    /// <c>shape.rows_mismatch</c>, or the problems of the surrogate's fit.</returns>
    /// <remarks>The random acquisition picks uniformly but still reports the surrogate's mean and std of its picks.</remarks>
    public static Validation<Problem, IReadOnlyList<Proposal>> Propose(ActiveLearningOptions options, Matrix x, IReadOnlyList<int> labelled,
        IReadOnlyList<double> labelledY, IReadOnlyList<int> pool, Rng rng)
    {
        if (options.BatchSize < 1) return Valid.Fail<IReadOnlyList<Proposal>>("param.out_of_range", $"the batch size must be >= 1, found {options.BatchSize}");
        if (labelled.Count == 0)
            return Valid.Fail<IReadOnlyList<Proposal>>("data.no_labelled_rows", "no candidate has a known target; the surrogate needs at least one labelled row to learn from");
        if (labelled.Count != labelledY.Count)
            return Valid.Fail<IReadOnlyList<Proposal>>("shape.rows_mismatch", $"{labelled.Count} labelled rows but {labelledY.Count} targets");
        if (pool.Count == 0) return Valid.Ok<IReadOnlyList<Proposal>>([]);
        var (_, mine) = rng.Split();
        var (fitRng, pickRng) = mine.Split();
        var k = Math.Min(options.BatchSize, pool.Count);
        var fitted = GaussianProcess.Fit(options.Model, x.SelectRows(labelled.ToArray()), labelledY, fitRng);
        if (fitted.IsFail) return Valid.Fail<IReadOnlyList<Proposal>>(fitted.Problems());
        var model = fitted.OrThrow();
        var xp = x.SelectRows(pool.ToArray());
        var (mu, sigma) = GaussianProcess.PredictWithStd(model, xp);
        var best = options.Goal == Goal.Minimize ? labelledY.Min() : labelledY.Max();
        double[]? scores = null;
        int[] picked;
        if (options.Acquisition is Acquisition.Random)
        {
            var order = Enumerable.Range(0, pool.Count).ToArray();
            new RngCursor(pickRng).Shuffle(order.AsSpan());
            picked = order[..k];
        }
        else
        {
            scores = Acquisitions.Score(options.Acquisition, options.Goal, mu, sigma, best);
            picked = options.Batch == BatchStrategy.Diverse && k > 1 ? Diverse(model, xp, scores, k, pickRng) : TopK(scores, k, pickRng);
        }
        return Valid.Ok<IReadOnlyList<Proposal>>(picked.Select(i => new Proposal(pool[i], mu[i], sigma[i], scores is null ? double.NaN : scores[i])).ToArray());
    }

    /// <summary>Runs a whole search: a random start, then rounds until the budget of rounds, the pool, or a stop condition ends it.</summary>
    /// <param name="options">Loop settings.</param>
    /// <param name="x">Candidate features, shape (n_candidates, n_features).</param>
    /// <param name="oracle">Target value of a candidate row.</param>
    /// <param name="nInitial">Initial random design size.</param>
    /// <param name="rounds">Maximum number of rounds after the initial design, &gt;= 0.</param>
    /// <param name="seed">The seed of the run (recorded by callers).</param>
    /// <param name="test">Optional test set for the per-round RMSE.</param>
    /// <param name="stop">Optional early stop, e.g. "the best compound was found"; checked after each round.</param>
    /// <returns>The final state with its history, or the problems of the first failing round.</returns>
    public static Validation<Problem, ActiveState> Run(ActiveLearningOptions options, Matrix x, Func<int, double> oracle, int nInitial, int rounds, long seed,
        (Matrix X, IReadOnlyList<double> Y)? test = null, Func<ActiveState, bool>? stop = null)
    {
        if (rounds < 0) return Valid.Fail<ActiveState>("param.out_of_range", $"ActiveLearning.Run(rounds) must be >= 0, found {rounds}");
        var start = Start(x, oracle, nInitial, options.Goal, Rng.FromSeed(seed));
        if (start.IsFail) return start;
        var state = start.OrThrow();
        for (var r = 0; r < rounds && state.Pool.Count > 0 && !(stop?.Invoke(state) ?? false); r++)
        {
            var next = Step(options, x, oracle, state, test);
            if (next.IsFail) return next;
            state = next.OrThrow();
        }
        return Valid.Ok(state);
    }

    private static int[] TopK(double[] scores, int k, Rng rng)
    {
        var c = new RngCursor(rng);
        var tie = scores.Select(_ => c.NextDouble()).ToArray();
        return Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => tie[i]).Take(k).ToArray();
    }

    private static int[] Diverse(GaussianProcessModel model, Matrix xp, double[] scores, int k, Rng rng)
    {
        var c = new RngCursor(rng);
        var tie = scores.Select(_ => c.NextDouble() * 1e-12).ToArray();
        var (lo, hi) = (scores.Min(), scores.Max());
        var s = scores.Select((v, i) => (hi > lo ? (v - lo) / (hi - lo) : 1.0) + tie[i]).ToArray();
        var diag = model.Kernel.Diag(xp);
        var picked = new List<int>();
        for (var b = 0; b < k; b++)
        {
            var i = Enumerable.Range(0, s.Length).Where(j => !picked.Contains(j)).MaxBy(j => s[j]);
            picked.Add(i);
            var row = model.Kernel.Of(xp.SelectRows([i]), xp);
            for (var j = 0; j < s.Length; j++)
            {
                var rho = row[0, j] / Math.Sqrt(Math.Max(diag[i] * diag[j], 1e-300));
                s[j] *= 1 - Math.Clamp(rho, 0, 1);
            }
        }
        return picked.ToArray();
    }
}
