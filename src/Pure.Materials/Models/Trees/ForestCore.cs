using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>The parts every tree ensemble shares: growing trees on per-tree streams, averaging, out-of-bag estimates, input checks.</summary>
internal static class ForestCore
{
    public static int DegreeOfParallelism(int? nJobs) =>
        nJobs is int j && j >= 1 ? j : Environment.ProcessorCount;

    /// <summary>Grows tree i from stream i, one builder per worker; the trees do not depend on <paramref name="dop"/>.</summary>
    public static RegressionTree[] Grow(TrainingData data, TreeSettings settings, Rng[] streams, int dop)
    {
        var nTrees = streams.Length;
        var trees = new RegressionTree[nTrees];
        dop = Math.Min(dop, nTrees);
        if (dop <= 1)
        {
            var builder = new TreeBuilder(data, settings);
            for (var i = 0; i < nTrees; i++) trees[i] = builder.Build(streams[i]);
        }
        else
        {
            Parallel.For(0, nTrees, new ParallelOptions { MaxDegreeOfParallelism = dop },
                () => new TreeBuilder(data, settings),
                (i, _, builder) =>
                {
                    trees[i] = builder.Build(streams[i]);
                    return builder;
                },
                _ => { });
        }
        return trees;
    }

    /// <summary>Mean of the trees' predictions, summed in tree order (bit-identical for every <paramref name="dop"/>).</summary>
    public static double[] PredictMean(IReadOnlyList<RegressionTree> trees, Matrix x, int dop) =>
        PredictSum(trees, x, dop, 1.0 / trees.Count, 0.0, divide: true);

    /// <summary><c>offset + scale * sum_t tree_t(x)</c> (or the sum divided by the tree count when <paramref name="divide"/>), in tree order.</summary>
    public static double[] PredictSum(IReadOnlyList<RegressionTree> trees, Matrix x, int dop, double scale, double offset, bool divide = false)
    {
        int n = x.Rows, p = x.Cols;
        var values = x.Data;
        var xf = new float[(long)n * p];
        for (var i = 0; i < xf.Length; i++) xf[i] = (float)values[i];
        var result = new double[n];
        const int blockRows = 128;
        var nBlocks = (n + blockRows - 1) / blockRows;

        void RunBlock(int b)
        {
            int r0 = b * blockRows, r1 = Math.Min(n, r0 + blockRows);
            var acc = result.AsSpan(r0, r1 - r0);
            for (var t = 0; t < trees.Count; t++)
            {
                var tree = trees[t];
                for (var r = r0; r < r1; r++) acc[r - r0] += tree.PredictRow(xf.AsSpan(r * p, p));
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
        var inBag = new bool[trees.Length][];
        var xf = new float[(long)n * p];
        var values = x.Data;
        for (var i = 0; i < xf.Length; i++) xf[i] = (float)values[i];
        Parallel.For(0, trees.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, dop) }, t =>
        {
            var counts = new int[n];
            BootstrapCounts(streams[t], n, settings.NBootstrap, counts);
            var mask = new bool[n];
            for (var i = 0; i < n; i++) mask[i] = counts[i] > 0;
            inBag[t] = mask;
        });
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
}
