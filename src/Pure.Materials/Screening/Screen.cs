using System.Globalization;
using LanguageExt;
using Pure.Materials.Active;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Screening;

/// <summary>How screened candidates are ranked, a closed union; a higher <see cref="ScoredCandidate.Score"/> ranks first.</summary>
public abstract record Ranking
{
    private Ranking() { }

    /// <summary>By the predicted value: score = mean (<see cref="Goal.Maximize"/>) or -mean (<see cref="Goal.Minimize"/>).</summary>
    /// <param name="Goal">Whether high or low values are wanted.</param>
    public sealed record ByMean(Goal Goal) : Ranking;

    /// <summary>By an acquisition function of mean and standard deviation (UCB, EI, PI; see <see cref="Acquisitions.Score(Acquisition, Goal, double, double, double)"/>),
    /// against the best value known so far (or a target to beat).</summary>
    /// <param name="Acquisition">The acquisition function.</param>
    /// <param name="Goal">Whether high or low values are wanted.</param>
    /// <param name="Best">The value to improve on, in target units (e.g. the best measured band gap).</param>
    public sealed record ByAcquisition(Acquisition Acquisition, Goal Goal, double Best) : Ranking;

    /// <summary>By closeness to a target window [Low, High]: score = -(distance of the mean from the window), 0 inside it; ties inside
    /// the window are broken by the smaller standard deviation, then the index.</summary>
    /// <param name="Low">Lower edge, target units.</param>
    /// <param name="High">Upper edge, target units, at least <paramref name="Low"/>.</param>
    public sealed record InWindow(double Low, double High) : Ranking;

    /// <summary>The score of one prediction.</summary>
    /// <param name="mean">Predicted value.</param>
    /// <param name="std">Its standard deviation (0 when the model has none).</param>
    /// <returns>The score; higher ranks first.</returns>
    public double Score(double mean, double std) => this switch
    {
        ByMean m => m.Goal == Goal.Maximize ? mean : -mean,
        ByAcquisition a => Acquisitions.Score(a.Acquisition, a.Goal, mean, std, a.Best),
        InWindow w => mean < w.Low ? mean - w.Low : mean > w.High ? w.High - mean : 0.0,
        _ => throw new InvalidOperationException("unreachable: Ranking is a closed union"),
    };

    /// <summary>Describes the ranking in one line.</summary>
    /// <returns>For example <c>ei (maximize, best 3.1)</c>.</returns>
    public string Describe() => this switch
    {
        ByMean m => $"mean ({m.Goal.ToString().ToLowerInvariant()})",
        ByAcquisition a => $"{a.Acquisition.Name} ({a.Goal.ToString().ToLowerInvariant()}, best {a.Best.ToString("R", CultureInfo.InvariantCulture)})",
        InWindow w => $"window [{w.Low.ToString("R", CultureInfo.InvariantCulture)}, {w.High.ToString("R", CultureInfo.InvariantCulture)}]",
        _ => "",
    };
}

/// <summary>One screened candidate: its prediction, uncertainty, score and applicability.</summary>
/// <param name="Candidate">The candidate.</param>
/// <param name="Mean">Predicted value, target units.</param>
/// <param name="Std">Standard deviation in target units, or NaN when the model has none.</param>
/// <param name="Score">The ranking's score (higher first).</param>
/// <param name="FeaturesOutOfRange">Features outside the training range.</param>
/// <param name="UnseenElements">Elements no training composition contains.</param>
public sealed record ScoredCandidate(Candidate Candidate, double Mean, double Std, double Score, int FeaturesOutOfRange, IReadOnlyList<string> UnseenElements)
{
    /// <summary>True when every feature is inside its training range and every element was seen in training.</summary>
    public bool InDomain => FeaturesOutOfRange == 0 && UnseenElements.Count == 0;

    /// <summary>The ranking order: higher score first, then (inside a target window) smaller std, then smaller index: a total,
    /// deterministic order, so the top k never depend on how candidates were chunked or sharded.</summary>
    public static IComparer<ScoredCandidate> Order { get; } = Comparer<ScoredCandidate>.Create((a, b) =>
    {
        var c = b.Score.CompareTo(a.Score);
        if (c != 0) return c;
        c = (double.IsNaN(a.Std) ? 0 : a.Std).CompareTo(double.IsNaN(b.Std) ? 0 : b.Std);
        return c != 0 ? c : a.Candidate.Index.CompareTo(b.Candidate.Index);
    });
}

/// <summary>Options of <see cref="Screen.Run"/>.</summary>
/// <param name="Ranking">How candidates are ranked.</param>
/// <param name="Top">How many of the best to keep, at least 1.</param>
/// <param name="ChunkSize">Candidates featurized and predicted together; memory is bounded by about one chunk plus the top list.</param>
/// <param name="InDomainOnly">Keep only candidates inside the training domain (no feature out of range, no unseen element).</param>
/// <param name="MaxStd">Keep only candidates whose std is at most this (target units), or null for no limit.</param>
/// <param name="ShardIndex">This shard, 0..ShardCount-1: the candidates whose index is ShardIndex modulo ShardCount.</param>
/// <param name="ShardCount">How many shards the space is split into (1: no sharding). The shards partition the space, and
/// <see cref="Screen.Merge"/> of every shard's result equals the unsharded result.</param>
public sealed record ScreenOptions(Ranking Ranking, int Top = 100, int ChunkSize = 4096, bool InDomainOnly = false, double? MaxStd = null,
    int ShardIndex = 0, int ShardCount = 1);

/// <summary>What a screen found: the best candidates and how many were seen and kept.</summary>
/// <param name="Top">The best candidates, in rank order, at most <see cref="ScreenOptions.Top"/>.</param>
/// <param name="Screened">Candidates predicted.</param>
/// <param name="Kept">Candidates that passed the filters.</param>
public sealed record ScreenResult(IReadOnlyList<ScoredCandidate> Top, long Screened, long Kept);

/// <summary>Screens candidate materials with a fitted pipeline: featurize as in training, predict with uncertainty, score, rank.</summary>
/// <remarks>
/// <see cref="Score"/> is lazy and streams in chunks (bounded memory for any number of candidates); each chunk is featurized in
/// parallel and predicted by the pipeline as one matrix, so the scores are the pipeline's predictions bit for bit, whatever the
/// chunk size or thread count. <see cref="Run"/> keeps the best <see cref="ScreenOptions.Top"/> in a bounded sorted set under the
/// total order <see cref="ScoredCandidate.Order"/> (ties broken by index), so its result does not depend on chunking or on the
/// order shards are merged in. Composition candidates are featurized with the pipeline's featurizers; site-mixed candidates carry
/// their features, matched to the pipeline's feature columns by name.
/// </remarks>
public static class Screen
{
    /// <summary>Scores candidates lazily, in the order given.</summary>
    /// <param name="model">A fitted regression pipeline (with a std when the ranking is an acquisition), or a binary classifier (ranked by
    /// the probability of its positive class).</param>
    /// <param name="candidates">The candidates (e.g. <see cref="CandidateSpace.Enumerate"/>).</param>
    /// <param name="ranking">How to score.</param>
    /// <param name="featureLabels">The labels of the candidates' <see cref="Candidate.Features"/> (the space's <see cref="CandidateSpace.FeatureLabels"/>); empty for composition candidates.</param>
    /// <param name="chunkSize">Candidates per chunk, at least 1.</param>
    /// <returns>One scored candidate per candidate (for a binary classifier, <see cref="ScoredCandidate.Mean"/> is the probability of its
    /// positive class, the second of <see cref="PipelineTarget.ClassLabels"/>), or the first problem: <c>screen.classifier</c> (the model
    /// classifies into more than 2 classes),
    /// <c>screen.missing_feature</c> (a feature column the candidates lack), <c>screen.no_composition</c>, featurization problems.</returns>
    public static IEnumerable<Validation<Problem, ScoredCandidate>> Score(FittedPipeline model, IEnumerable<Candidate> candidates, Ranking ranking,
        IReadOnlyList<string> featureLabels, int chunkSize = 4096)
    {
        var plan = Plan(model, featureLabels);
        if (plan.IsFail) { yield return Valid.Fail<ScoredCandidate>(plan.Problems()); yield break; }
        var (featurizers, columns) = plan.OrThrow();
        var chunk = new List<Candidate>(Math.Max(1, chunkSize));
        foreach (var c in candidates)
        {
            chunk.Add(c);
            if (chunk.Count < chunkSize) continue;
            foreach (var s in ScoreChunk(model, chunk, ranking, featurizers, columns)) yield return s;
            chunk.Clear();
        }
        if (chunk.Count > 0)
            foreach (var s in ScoreChunk(model, chunk, ranking, featurizers, columns)) yield return s;
    }

    /// <summary>Screens a candidate space and keeps the best.</summary>
    /// <param name="model">A fitted regression pipeline.</param>
    /// <param name="space">The candidates.</param>
    /// <param name="options">Ranking, top-k, filters, chunk size.</param>
    /// <param name="onProgress">Called after each chunk with the number screened so far (progress display); does not affect results.</param>
    /// <param name="onKept">Called with every candidate that passes the filters, in the space's order (to stream every row to a file);
    /// does not affect results.</param>
    /// <returns>The best candidates, or the first problem (see <see cref="Score"/>), or <c>param.out_of_range</c> for a bad option.</returns>
    public static Validation<Problem, ScreenResult> Run(FittedPipeline model, CandidateSpace space, ScreenOptions options, Action<long>? onProgress = null,
        Action<ScoredCandidate>? onKept = null)
    {
        if (options.Top < 1) return Valid.Fail<ScreenResult>("param.out_of_range", $"ScreenOptions.Top = {options.Top}; keep at least 1 candidate");
        if (options.ChunkSize < 1) return Valid.Fail<ScreenResult>("param.out_of_range", $"ScreenOptions.ChunkSize = {options.ChunkSize}; use at least 1");
        if (options.ShardCount < 1 || options.ShardIndex < 0 || options.ShardIndex >= options.ShardCount)
            return Valid.Fail<ScreenResult>("param.out_of_range", $"shard {options.ShardIndex}/{options.ShardCount}: give 0 <= ShardIndex < ShardCount");
        if (options.Ranking is Ranking.InWindow { Low: var lo, High: var hi } && !(lo <= hi))
            return Valid.Fail<ScreenResult>("param.out_of_range", $"the target window [{lo}, {hi}] is empty; give Low <= High");
        var top = new SortedSet<ScoredCandidate>(ScoredCandidate.Order);
        long screened = 0, kept = 0;
        var mine = options.ShardCount == 1 ? space.Enumerate() : space.Enumerate().Where(c => c.Index % options.ShardCount == options.ShardIndex);
        foreach (var scored in Score(model, mine, options.Ranking, space.FeatureLabels, options.ChunkSize))
        {
            if (scored.IsFail) return Valid.Fail<ScreenResult>(scored.Problems());
            var s = scored.OrThrow();
            screened++;
            if (screened % options.ChunkSize == 0) onProgress?.Invoke(screened);
            if (options.InDomainOnly && !s.InDomain) continue;
            if (options.MaxStd is { } maxStd && !(s.Std <= maxStd)) continue;
            kept++;
            onKept?.Invoke(s);
            if (top.Count < options.Top) top.Add(s);
            else if (ScoredCandidate.Order.Compare(s, top.Max!) < 0) { top.Remove(top.Max!); top.Add(s); }
        }
        onProgress?.Invoke(screened);
        return Valid.Ok(new ScreenResult(top.ToArray(), screened, kept));
    }

    /// <summary>Merges the results of shards (or of any runs over disjoint candidates) into the best <paramref name="top"/> overall.</summary>
    /// <param name="parts">Each shard's result.</param>
    /// <param name="top">How many to keep, at least 1.</param>
    /// <returns>The merged result: the best under <see cref="ScoredCandidate.Order"/>, with the counts summed. Because that order is total
    /// and each shard kept its own best, the merge of all shards equals the unsharded run's result.</returns>
    public static ScreenResult Merge(IEnumerable<ScreenResult> parts, int top)
    {
        var list = parts.ToList();
        return new ScreenResult(list.SelectMany(p => p.Top).Order(ScoredCandidate.Order).Take(Math.Max(1, top)).ToArray(),
            list.Sum(p => p.Screened), list.Sum(p => p.Kept));
    }

    private static Validation<Problem, (ICompositionFeaturizer[] Featurizers, int[] Columns)> Plan(FittedPipeline model, IReadOnlyList<string> featureLabels)
    {
        // A binary classifier is ranked by the probability of its positive class (the second of its classes, True for a boolean target).
        if (model.Target.Task == TaskKind.Classification && model.Target.ClassCodes!.Count != 2)
            return Valid.Fail<(ICompositionFeaturizer[], int[])>("screen.classifier",
                $"the model classifies '{model.Target.Name}' into {model.Target.ClassCodes.Count} classes; screening ranks one predicted value (a regression, or a binary classifier's probability of its positive class): fit a regression or a binary model");
        // A model on crystal graphs predicts each candidate's structure (a StructureSpace carries them); no feature columns.
        if (model.Input.CrystalGraphs) return Valid.Ok((Array.Empty<ICompositionFeaturizer>(), Array.Empty<int>()));
        // A model fitted on structures takes every feature from its structure featurizers (a StructureSpace carries them, by label).
        var wanted = model.Input.Structures is null ? model.Input.FeatureColumns : model.FeatureLabels;
        var columns = wanted.Select(name => featureLabels.ToList().IndexOf(name)).ToArray();
        if (Array.IndexOf(columns, -1) is var missing and >= 0)
            return Valid.Fail<(ICompositionFeaturizer[], int[])>("screen.missing_feature",
                $"the model takes feature column '{wanted[missing]}', which the candidates do not have (they have {string.Join(", ", featureLabels.Take(8))}{(featureLabels.Count > 8 ? ", ..." : "")})" +
                (model.Input.Structures is null ? "" : "; screen crystal structures with it (a StructureSpace)"));
        return model.Input.BuildFeaturizers().Map(f => (f, columns));
    }

    private static IEnumerable<Validation<Problem, ScoredCandidate>> ScoreChunk(FittedPipeline model, List<Candidate> chunk, Ranking ranking,
        ICompositionFeaturizer[] featurizers, int[] columns)
    {
        var n = chunk.Count;
        if (model.Input.CrystalGraphs)
        {
            if (chunk.FindIndex(c => c.Structure is null) is var bare and >= 0)
                return [Valid.Fail<ScoredCandidate>("screen.no_structure", $"candidate {chunk[bare].Label} has no crystal structure; the model '{model.Learner.Name}' predicts structures: screen them with a StructureSpace")];
            var graphs = model.Predict(chunk.Select(c => c.Structure!).ToArray());
            if (graphs.IsFail)
                return graphs.Problems().Select(p => Valid.Fail<ScoredCandidate>(p.Row is int r && r >= 0 && r < n
                    ? p with { Row = null, Message = $"candidate {chunk[r].Index} ({chunk[r].Label}): {p.Message}" } : p)).ToArray();
            return Scored(model, chunk, ranking, graphs.OrThrow());
        }
        var width = model.FeatureLabels.Count;
        var x = new double[n * width];
        Composition[]? compositions = null;
        if (featurizers.Length > 0)
        {
            compositions = new Composition[n];
            for (var i = 0; i < n; i++)
            {
                if (chunk[i].Composition is not { } comp)
                    return [Valid.Fail<ScoredCandidate>("screen.no_composition", $"candidate {chunk[i].Label} has no composition; the model featurizes formulas")];
                compositions[i] = comp;
            }
            // The training rows' featurization, infinity check included; a row number becomes the candidate it names.
            var featurized = CompositionFeaturizers.Featurize(featurizers, compositions, i => chunk[i].Label);
            if (featurized.IsFail)
                return featurized.Problems().Select(p => Valid.Fail<ScoredCandidate>(p.Row is int r
                    ? p with { Row = null, Message = $"candidate {chunk[r - 1].Index} ({chunk[r - 1].Label}): {p.Message}" } : p)).ToArray();
            var block = featurized.OrThrow().X;
            for (var i = 0; i < n; i++) block.Row(i).CopyTo(x.AsSpan(i * width, block.Cols));
        }
        // Structure candidates: their compositions for the unseen-element check (their features are already computed).
        if (compositions is null && model.Input.Structures is not null && chunk.TrueForAll(c => c.Composition is not null))
            compositions = chunk.Select(c => c.Composition!).ToArray();
        var start = width - columns.Length;
        for (var i = 0; i < n; i++)
        {
            var features = chunk[i].Features;
            for (var j = 0; j < columns.Length; j++) x[i * width + start + j] = features[columns[j]];
        }
        var predicted = model.Predict(Matrix.Own(n, width, x), compositions);
        if (predicted.IsFail) return [Valid.Fail<ScoredCandidate>(predicted.Problems())];
        return Scored(model, chunk, ranking, predicted.OrThrow());
    }

    private static IEnumerable<Validation<Problem, ScoredCandidate>> Scored(FittedPipeline model, List<Candidate> chunk, Ranking ranking, PipelinePredictions p)
    {
        var n = chunk.Count;
        if (ranking is Ranking.ByAcquisition && p.Std is null)
            return [Valid.Fail<ScoredCandidate>("screen.no_std", $"learner '{model.Learner.Name}' gives no standard deviation; rank by the mean or use gpr, rf or extra-trees")];
        var scored = new Validation<Problem, ScoredCandidate>[n];
        for (var i = 0; i < n; i++)
        {
            var std = p.Std?[i] ?? double.NaN;
            // A binary classifier's value is the probability of its positive class (column 1, the second class).
            var value = p.Probabilities is { } proba ? proba[i, 1] : p.Mean[i];
            var score = ranking.Score(value, double.IsNaN(std) ? 0.0 : std);
            scored[i] = double.IsFinite(value)
                ? Valid.Ok(new ScoredCandidate(chunk[i], value, std, score, p.FeaturesOutOfRange[i], p.UnseenElements[i]))
                : Valid.Fail<ScoredCandidate>("screen.non_finite", $"candidate {chunk[i].Label}: the prediction is {value}; a feature is missing or out of the model's reach");
        }
        return scored;
    }
}
