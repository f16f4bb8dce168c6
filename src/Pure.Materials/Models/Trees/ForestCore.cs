using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>What forests need of a fitted tree: its node count and normalised impurity importances, shape (n_features,).</summary>
internal interface IFittedTree
{
    int NodeCount { get; }

    ReadOnlySpan<double> FeatureImportances { get; }
}

/// <summary>The parts every tree ensemble shares: growing trees on per-tree streams, averaging, out-of-bag estimates, input checks.</summary>
internal static class ForestCore
{
    public static int DegreeOfParallelism(int? nJobs) =>
        nJobs is int j && j >= 1 ? j : Environment.ProcessorCount;

    /// <summary>The resolved settings of every tree of a forest fitted on <paramref name="n"/> rows and <paramref name="p"/> features
    /// (<c>min_samples_split</c> at least <c>2 min_samples_leaf</c>; <c>max_samples</c> rounded half to even, at least 1).</summary>
    public static TreeSettings Settings(RandomForestOptions options, int n, int p, bool randomSplits) => new(
        MaxFeatures: options.MaxFeatures.Resolve(p),
        MinSamplesSplit: Math.Max(options.MinSamplesSplit, 2 * options.MinSamplesLeaf),
        MinSamplesLeaf: options.MinSamplesLeaf,
        MaxDepth: options.MaxDepth ?? int.MaxValue,
        Bootstrap: options.Bootstrap,
        NBootstrap: options.MaxSamples is double fraction ? Math.Max((int)Math.Round(n * fraction, MidpointRounding.ToEven), 1) : n,
        RandomSplits: randomSplits,
        MinImpurityDecrease: options.MinImpurityDecrease,
        MaxLeafNodes: options.MaxLeafNodes ?? int.MaxValue);

    /// <summary>Grows regression tree i from stream i, one builder per worker; the trees do not depend on <paramref name="dop"/>.</summary>
    /// <remarks>The builders' sorted-list buffers go back to <see cref="ScratchPool{T}"/> at the end.</remarks>
    public static RegressionTree[] Grow(TrainingData data, TreeSettings settings, Rng[] streams, int dop)
    {
        var builders = new System.Collections.Concurrent.ConcurrentBag<TreeBuilder>();
        try
        {
            return Grow<RegressionTree>(streams, dop, () =>
            {
                var builder = new TreeBuilder(data, settings);
                builders.Add(builder);
                return builder.Build;
            });
        }
        finally
        {
            foreach (var builder in builders) builder.Release();
        }
    }

    /// <summary>Grows tree i from stream i with <c>newBuilder()</c>, one builder per worker (a builder is never shared between threads);
    /// the trees do not depend on <paramref name="dop"/>.</summary>
    /// <remarks>Exactly <c>min(dop, trees)</c> builders are made, each used by one worker that takes the next tree index until none is
    /// left (<c>Parallel.For</c> with thread-local state would make a new one each time it retires and replaces a worker, and a builder
    /// holds memory the size of the data).</remarks>
    public static TTree[] Grow<TTree>(Rng[] streams, int dop, Func<Func<Rng, TTree>> newBuilder)
    {
        var nTrees = streams.Length;
        var trees = new TTree[nTrees];
        dop = Math.Min(dop, nTrees);
        var next = -1;
        void Work()
        {
            var build = newBuilder();
            for (var i = Interlocked.Increment(ref next); i < nTrees; i = Interlocked.Increment(ref next)) trees[i] = build(streams[i]);
        }
        if (dop <= 1)
        {
            Work();
            return trees;
        }
        var workers = new Task[dop - 1];
        for (var w = 0; w < workers.Length; w++) workers[w] = Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning);
        try
        {
            Work();
        }
        finally
        {
            Task.WaitAll(workers);
        }
        return trees;
    }

    /// <summary>Features cast to single precision as in fit (scikit-learn <c>DTYPE = float32</c>), row-major.</summary>
    public static float[] ToFloat(Matrix x)
    {
        var values = x.Data;
        var xf = new float[values.Length];
        for (var i = 0; i < xf.Length; i++) xf[i] = (float)values[i];
        return xf;
    }

    /// <summary>Rows [<paramref name="r0"/>, <paramref name="r1"/>) of <paramref name="x"/> cast to single precision, row-major (a block at a
    /// time, so that prediction never holds a single-precision copy of the whole input).</summary>
    public static float[] ToFloat(Matrix x, int r0, int r1)
    {
        var values = x.Data.Slice(r0 * x.Cols, (r1 - r0) * x.Cols);
        var xf = new float[values.Length];
        for (var i = 0; i < xf.Length; i++) xf[i] = (float)values[i];
        return xf;
    }

    /// <summary>For every tree, whether each of the <paramref name="n"/> rows is in its bootstrap sample (redrawn from its stream).</summary>
    public static bool[][] InBag(TreeSettings settings, Rng[] streams, int n, int dop)
    {
        var inBag = new bool[streams.Length][];
        Parallel.For(0, streams.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, dop) }, t =>
        {
            var counts = new int[n];
            BootstrapCounts(streams[t], n, settings.NBootstrap, counts);
            var mask = new bool[n];
            for (var i = 0; i < n; i++) mask[i] = counts[i] > 0;
            inBag[t] = mask;
        });
        return inBag;
    }

    /// <summary>
    /// scikit-learn <c>BaseForest.feature_importances_</c>: the mean of the normalised importances of the trees with more than one node,
    /// renormalised to sum to 1; all zero when there is no such tree.
    /// </summary>
    public static double[] AverageImportances<TTree>(TTree[] trees, int nFeatures) where TTree : IFittedTree
    {
        var mean = new double[nFeatures];
        var used = 0;
        foreach (var tree in trees)
        {
            if (tree.NodeCount <= 1) continue;
            var imp = tree.FeatureImportances;
            for (var j = 0; j < nFeatures; j++) mean[j] += imp[j];
            used++;
        }
        if (used == 0) return mean;
        var total = 0.0;
        for (var j = 0; j < nFeatures; j++)
        {
            mean[j] /= used;
            total += mean[j];
        }
        if (total > 0)
            for (var j = 0; j < nFeatures; j++) mean[j] /= total;
        return mean;
    }

    /// <summary>Mean of the trees' predictions, summed in tree order (bit-identical for every <paramref name="dop"/>).</summary>
    public static double[] PredictMean(IReadOnlyList<RegressionTree> trees, Matrix x, int dop) =>
        PredictSum(trees, x, dop, 1.0 / trees.Count, 0.0, divide: true);

    /// <summary>The mean of the trees' predictions (bit-identical to <see cref="PredictMean"/>) and their population standard deviation
    /// sqrt(sum_t (tree_t(x) - mean)^2 / T), both summed in tree order (bit-identical for every <paramref name="dop"/>).</summary>
    public static (double[] Mean, double[] Std) PredictMeanAndStd(IReadOnlyList<RegressionTree> trees, Matrix x, int dop)
    {
        int n = x.Rows, p = x.Cols, t = trees.Count;
        var mean = new double[n];
        var std = new double[n];
        const int blockRows = 128;
        var nBlocks = (n + blockRows - 1) / blockRows;

        void RunBlock(int b)
        {
            int r0 = b * blockRows, r1 = Math.Min(n, r0 + blockRows), rows = r1 - r0;
            var each = new double[t * rows]; // tree-major: each[k * rows + r]
            var xf = ToFloat(x, r0, r1);
            for (var k = 0; k < t; k++)
                for (var r = r0; r < r1; r++) each[k * rows + r - r0] = trees[k].PredictRow(xf.AsSpan((r - r0) * p, p));
            for (var r = 0; r < rows; r++)
            {
                var sum = 0.0;
                for (var k = 0; k < t; k++) sum += each[k * rows + r];
                var m = sum / t + 0.0; // the same operations as PredictSum's divide path
                var squares = 0.0;
                for (var k = 0; k < t; k++) { var d = each[k * rows + r] - m; squares += d * d; }
                mean[r0 + r] = m;
                std[r0 + r] = Math.Sqrt(squares / t);
            }
        }

        dop = Math.Min(dop, nBlocks);
        if (dop <= 1)
            for (var b = 0; b < nBlocks; b++) RunBlock(b);
        else
            Parallel.For(0, nBlocks, new ParallelOptions { MaxDegreeOfParallelism = dop }, RunBlock);
        return (mean, std);
    }

    /// <summary><c>offset + scale * sum_t tree_t(x)</c> (or the sum divided by the tree count when <paramref name="divide"/>), in tree order.</summary>
    public static double[] PredictSum(IReadOnlyList<RegressionTree> trees, Matrix x, int dop, double scale, double offset, bool divide = false)
    {
        int n = x.Rows, p = x.Cols;
        var result = new double[n];
        const int blockRows = 128;
        var nBlocks = (n + blockRows - 1) / blockRows;

        void RunBlock(int b)
        {
            int r0 = b * blockRows, r1 = Math.Min(n, r0 + blockRows);
            var acc = result.AsSpan(r0, r1 - r0);
            var xf = ToFloat(x, r0, r1);
            for (var t = 0; t < trees.Count; t++)
            {
                var tree = trees[t];
                for (var r = r0; r < r1; r++) acc[r - r0] += tree.PredictRow(xf.AsSpan((r - r0) * p, p));
            }
            for (var k = 0; k < acc.Length; k++) acc[k] = divide ? acc[k] / trees.Count + offset : offset + scale * acc[k];
        }

        dop = Math.Min(dop, nBlocks);
        if (dop <= 1)
            for (var b = 0; b < nBlocks; b++) RunBlock(b);
        else
            Parallel.For(0, nBlocks, new ParallelOptions { MaxDegreeOfParallelism = dop }, RunBlock);
        return result;
    }

    /// <summary>The bootstrap counts of one tree: the first draws of its stream, exactly as <see cref="TreeBuilder"/> draws them.</summary>
    public static void BootstrapCounts(Rng stream, int n, int nBootstrap, int[] counts)
    {
        var cursor = new RngCursor(stream);
        Array.Clear(counts, 0, n);
        for (var k = 0; k < nBootstrap; k++) counts[cursor.NextInt(n)]++;
    }

    /// <summary>
    /// Out-of-bag predictions (mean over the trees whose bootstrap sample left the row out; NaN for a row in every sample) and
    /// their R^2 over the rows that have one (NaN when fewer than two such rows).
    /// </summary>
    public static (double[] Predictions, double Score)? OutOfBag(RegressionTree[] trees, TreeSettings settings, Rng[] streams, Matrix x, ReadOnlySpan<double> y, int dop)
    {
        int n = x.Rows, p = x.Cols;
        var inBag = InBag(settings, streams, n, dop);
        var xf = ToFloat(x);
        var pred = new double[n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, dop) }, i =>
        {
            double sum = 0;
            var count = 0;
            var row = xf.AsSpan(i * p, p);
            for (var t = 0; t < trees.Length; t++)
            {
                if (inBag[t][i]) continue;
                sum += trees[t].PredictRow(row);
                count++;
            }
            pred[i] = count > 0 ? sum / count : double.NaN;
        });
        double mean = 0;
        var m = 0;
        for (var i = 0; i < n; i++) if (!double.IsNaN(pred[i])) { mean += y[i]; m++; }
        if (m < 2) return (pred, double.NaN);
        mean /= m;
        double ssRes = 0, ssTot = 0;
        for (var i = 0; i < n; i++)
        {
            if (double.IsNaN(pred[i])) continue;
            ssRes += (y[i] - pred[i]) * (y[i] - pred[i]);
            ssTot += (y[i] - mean) * (y[i] - mean);
        }
        return (pred, ssTot > 0 ? 1 - ssRes / ssTot : (ssRes == 0 ? 1.0 : 0.0));
    }

    /// <summary>Checks <c>min_impurity_decrease</c> and <c>max_leaf_nodes</c>.</summary>
    public static void CheckGrowth(double minImpurityDecrease, int? maxLeafNodes, List<Problem> problems)
    {
        if (!(minImpurityDecrease >= 0) || double.IsInfinity(minImpurityDecrease))
            problems.Add(new Problem("param.out_of_range",
                $"min_impurity_decrease (MinImpurityDecrease) is {minImpurityDecrease}; expected a finite number >= 0 (target unit squared); fix: use the default 0"));
        if (maxLeafNodes is int l && l < 2)
            problems.Add(new Problem("param.out_of_range",
                $"max_leaf_nodes (MaxLeafNodes) is {l}; expected an integer >= 2 or null for unlimited; fix: use null (the default) or e.g. 31"));
    }

    /// <summary>Whether two optional out-of-bag prediction arrays are both absent or equal element by element (NaN equals NaN).</summary>
    public static bool SameOob(double[]? a, double[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    /// <summary>Checks the prediction input against the number of features of a fitted model.</summary>
    public static List<Problem> CheckPredictInput(int nFeatures, Matrix x)
    {
        var problems = new List<Problem>();
        if (x.Cols != nFeatures)
        {
            problems.Add(new Problem("shape.cols_mismatch",
                $"x has {x.Cols} feature columns but the model was fitted on {nFeatures}; expected shape (n_samples, {nFeatures}); "
                + "fix: featurize the prediction data exactly as the training data (same featurizers, same column order)"));
            return problems;
        }
        problems.AddRange(NonFiniteFeatures(x, "prediction"));
        return problems;
    }

    internal static void CheckData(Matrix x, ReadOnlySpan<double> y, List<Problem> problems)
    {
        if (x.Rows == 0)
            problems.Add(new Problem("data.empty",
                $"x has 0 rows (shape ({x.Rows}, {x.Cols})); expected at least 1 sample; fix: pass a non-empty training set"));
        if (x.Cols == 0)
            problems.Add(new Problem("data.empty",
                $"x has 0 feature columns (shape ({x.Rows}, {x.Cols})); expected at least 1 feature; fix: featurize the data before fitting"));
        if (x.Rows != y.Length)
            problems.Add(new Problem("shape.rows_mismatch",
                $"x has {x.Rows} rows but y has {y.Length} values; expected one target per row; fix: pass y with {x.Rows} values, aligned with the rows of x"));
        if ((long)x.Rows * x.Cols >= Array.MaxLength)
            problems.Add(new Problem("data.too_large",
                $"x has {x.Rows} * {x.Cols} = {(long)x.Rows * x.Cols} values; expected fewer than {Array.MaxLength}; fix: select fewer features or subsample the rows"));
        problems.AddRange(NonFiniteFeatures(x, "fitting"));

        int badTargets = 0, firstBad = -1;
        for (var i = 0; i < y.Length; i++)
        {
            if (double.IsFinite(y[i])) continue;
            if (badTargets++ == 0) firstBad = i;
        }
        if (badTargets > 0)
            problems.Add(new Problem("data.nan_target",
                $"y[{firstBad}] is {y[firstBad]} ({badTargets} non-finite target value(s) in total, first at row index {firstBad}, 0-based); "
                + "expected finite targets; fix: drop the rows with a missing target before fitting"));
    }


    /// <summary>One problem per column holding NaN or infinity (<c>data.nan_feature</c>) or a value beyond single precision (<c>data.out_of_range</c>).</summary>
    internal static IEnumerable<Problem> NonFiniteFeatures(Matrix x, string stage)
    {
        int rows = x.Rows, cols = x.Cols;
        if (cols == 0 || rows == 0) return [];
        var values = x.Data;
        int[]? nanCount = null, nanFirst = null, bigCount = null, bigFirst = null;
        for (var i = 0; i < rows; i++)
        {
            var row = values.Slice(i * cols, cols);
            for (var j = 0; j < cols; j++)
            {
                var v = row[j];
                if (!double.IsFinite(v))
                {
                    nanCount ??= new int[cols];
                    nanFirst ??= new int[cols];
                    if (nanCount[j]++ == 0) nanFirst[j] = i;
                }
                else if (float.IsInfinity((float)v))
                {
                    bigCount ??= new int[cols];
                    bigFirst ??= new int[cols];
                    if (bigCount[j]++ == 0) bigFirst[j] = i;
                }
            }
        }
        var problems = new List<Problem>();
        for (var j = 0; j < cols; j++)
        {
            if (nanCount is not null && nanCount[j] > 0)
            {
                var i = nanFirst![j];
                problems.Add(new Problem("data.nan_feature",
                    $"x[{i}, {j}] is {x[i, j]} (row index {i}, column index {j}, 0-based; {nanCount[j]} non-finite value(s) in column {j}); "
                    + $"expected finite features for {stage}: trees do not handle missing values; fix: {RandomForest.ImputeFix}"));
            }
            if (bigCount is not null && bigCount[j] > 0)
            {
                var i = bigFirst![j];
                problems.Add(new Problem("data.out_of_range",
                    $"x[{i}, {j}] is {x[i, j]} (row index {i}, column index {j}, 0-based; {bigCount[j]} such value(s) in column {j}); "
                    + $"expected |x| <= {float.MaxValue} because trees compare features in single precision, as scikit-learn; fix: rescale the column (e.g. take its logarithm)"));
            }
        }
        return problems;
    }

    /// <summary>Writes a regression forest for a model file: <c>n_features_in_</c>, <c>_n_samples</c>, out-of-bag results when present and
    /// every tree (<c>estimators_</c>).</summary>
    internal static StateNode WriteForest(int nFeatures, int nSamples, double[]? oobPrediction, double? oobScore, IEnumerable<RegressionTree> trees)
    {
        var node = new StateNode().Int("n_features_in_", nFeatures).Int("_n_samples", nSamples);
        if (oobPrediction is not null) node.Floats("oob_prediction_", oobPrediction);
        if (oobScore is { } s) node.Float("oob_score_", s);
        return node.Nodes("estimators_", trees.Select(t => t.Write()));
    }

    /// <summary>Reads a forest written by <see cref="WriteForest"/>: <paramref name="nEstimators"/> trees over at most
    /// <see cref="ModelState.MaxFeatures"/> features, out-of-bag results present exactly when <paramref name="oob"/>, one per row.</summary>
    /// <returns>The parts, or null after a problem (recorded on <paramref name="r"/>).</returns>
    internal static (int NFeatures, int NSamples, double[]? OobPrediction, double? OobScore, RegressionTree[] Trees)? ReadForest(StateReader r, int nEstimators, bool oob)
    {
        if (nEstimators < 1) r.Fail("estimators_", $"the recorded n_estimators={nEstimators}; a forest has at least one tree");
        var nFeatures = r.Int("n_features_in_", 1, ModelState.MaxFeatures);
        var nSamples = r.Int("_n_samples", 1);
        if (r.Has("oob_prediction_") != oob) r.Fail("oob_prediction_", oob ? "missing (the model was fitted with oob_score=true)" : "present, but the model was fitted with oob_score=false");
        if (r.Has("oob_score_") != oob) r.Fail("oob_score_", oob ? "missing (the model was fitted with oob_score=true)" : "present, but the model was fitted with oob_score=false");
        if (!r.Ok) return null;
        var prediction = oob ? r.Floats("oob_prediction_", finite: false) : null;
        if (r.Ok && prediction is not null && prediction.Length != nSamples) r.Fail("oob_prediction_", $"has {prediction.Length} elements, expected _n_samples = {nSamples}");
        double? score = oob ? r.Float("oob_score_", finite: false) : null;
        if (!r.Ok) return null;
        var trees = r.Nodes("estimators_", nEstimators, nEstimators).Select(t => RegressionTree.Read(t, nFeatures, singlePrecision: true)!).ToArray();
        return r.Ok ? (nFeatures, nSamples, prediction, score, trees) : null;
    }
}
