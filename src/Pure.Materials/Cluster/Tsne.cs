using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Select;

namespace Pure.Materials.Cluster;

/// <summary>How t-SNE places the points before optimising.</summary>
public enum TsneInit
{
    /// <summary>The first principal components, scaled so the first has standard deviation 1e-4 (scikit-learn's default since 1.2; deterministic).</summary>
    Pca,
    /// <summary>Independent normal draws with standard deviation 1e-4 from the given stream.</summary>
    Random,
}

/// <summary>Holds the hyper-parameters of exact t-SNE (inert values).</summary>
/// <param name="Components">Embedding dimension, 1..3; default 2.</param>
/// <param name="Perplexity">Effective number of neighbours, &gt; 0 and below n_samples; default 30.</param>
/// <param name="EarlyExaggeration">Factor on P during the first 250 iterations, at least 1; default 12.</param>
/// <param name="LearningRate">Step size, &gt; 0; null (default) for scikit-learn's "auto": max(n / EarlyExaggeration / 4, 50).</param>
/// <param name="MaxIter">Total iterations, at least 250; default 1000.</param>
/// <param name="Init">Initial placement; default <see cref="TsneInit.Pca"/>.</param>
public sealed record TsneOptions(int Components = 2, double Perplexity = 30, double EarlyExaggeration = 12, double? LearningRate = null, int MaxIter = 1000,
    TsneInit Init = TsneInit.Pca);

/// <summary>A t-SNE embedding.</summary>
/// <param name="Options">The options used.</param>
/// <param name="Embedding">Coordinates, shape (n_samples, Components); only relative positions are meaningful.</param>
/// <param name="KlDivergence">Kullback-Leibler divergence KL(P || Q) after optimisation (nats).</param>
public sealed record TsneModel(TsneOptions Options, Matrix Embedding, double KlDivergence);

/// <summary>Exact t-distributed stochastic neighbour embedding (O(n^2) per iteration: for up to a few thousand rows).</summary>
/// <remarks>
/// p_{j|i} = exp(-beta_i d_ij^2) / sum_k exp(-beta_i d_ik^2) with beta_i found by bisection so that the entropy of row i is
/// ln(perplexity); P = (P_cond + P_cond^T) / sum, floored at 2^-52. q_ij = (1 + |y_i - y_j|^2)^-1 / sum. Minimises KL(P || Q) by
/// gradient descent, grad_i = 4 sum_j (p_ij - q_ij)(1 + |y_i - y_j|^2)^-1 (y_i - y_j), with momentum 0.5 and P multiplied by the
/// early exaggeration for 250 iterations, then momentum 0.8 (update and gains reset at the switch), and per-coordinate gains (+0.2 when the gradient changes sign,
/// times 0.8 otherwise, at least 0.01), as scikit-learn's exact method. Deterministic with PCA initialisation; seeded otherwise.
/// Source: van der Maaten and Hinton, JMLR 9 (2008); scikit-learn 1.2.1 <c>TSNE(method="exact")</c>.
/// </remarks>
public static class Tsne
{
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Embeds the rows.</summary>
    /// <param name="options">Dimension, perplexity, schedule and initialisation.</param>
    /// <param name="x">Data, shape (n_samples, n_features), finite, n_samples &gt;= 4.</param>
    /// <param name="rng">A stream for this embedding alone (used by <see cref="TsneInit.Random"/>).</param>
    /// <returns>The embedding, or <c>param.out_of_range</c> (perplexity &gt;= n_samples or &lt;= 0, components, iterations, rates), <c>data.too_few_rows</c>, <c>data.nan_feature</c>.</returns>
    public static Validation<Problem, TsneModel> Fit(TsneOptions options, Matrix x, Rng rng)
    {
        var n = x.Rows;
        var problems = new List<Problem>();
        if (n < 4) problems.Add(new Problem("data.too_few_rows", $"t-SNE needs at least 4 rows, found {n}"));
        if (!(options.Perplexity > 0 && options.Perplexity < n))
            problems.Add(new Problem("param.out_of_range", $"perplexity {options.Perplexity} must be > 0 and below the number of rows ({n}); typical values are 5 to 50"));
        if (options.Components is < 1 or > 3) problems.Add(new Problem("param.out_of_range", $"t-SNE components = {options.Components}; use 1, 2 or 3"));
        if (options.MaxIter < 250) problems.Add(new Problem("param.out_of_range", $"MaxIter = {options.MaxIter}; use at least 250 (the early-exaggeration phase)"));
        if (!(options.EarlyExaggeration >= 1)) problems.Add(new Problem("param.out_of_range", $"early exaggeration {options.EarlyExaggeration} must be at least 1"));
        if (options.LearningRate is { } lr0 && !(lr0 > 0)) problems.Add(new Problem("param.out_of_range", $"learning rate {lr0} must be > 0"));
        if (x.Data.ToArray().Any(v => !double.IsFinite(v))) problems.Add(new Problem("data.nan_feature", "the data hold NaN or infinite values; impute them first"));
        if (problems.Count == 0 && options.Init == TsneInit.Pca && options.Components > Math.Min(n, x.Cols))
            problems.Add(new Problem("param.out_of_range", $"PCA initialisation needs components <= min(n_samples, n_features) = {Math.Min(n, x.Cols)}; use Init = Random"));
        if (problems.Count > 0) return Valid.Fail<TsneModel>(problems);

        var p = JointProbabilities(x, options.Perplexity);
        var d = options.Components;
        var y = options.Init == TsneInit.Pca ? PcaInit(x, d) : RandomInit(n, d, rng);
        var learningRate = options.LearningRate ?? Math.Max(n / options.EarlyExaggeration / 4, 50);
        var update = new double[n * d];
        var gains = Enumerable.Repeat(1.0, n * d).ToArray();
        var grad = new double[n * d];
        var num = new double[n * n];
        for (var it = 0; it < options.MaxIter; it++)
        {
            var exaggeration = it < 250 ? options.EarlyExaggeration : 1.0;
            var momentum = it < 250 ? 0.5 : 0.8;
            if (it == 250)
            {
                // scikit-learn runs the two phases as two gradient-descent calls: momentum and gains start afresh.
                Array.Clear(update);
                Array.Fill(gains, 1.0);
            }
            Gradient(p, exaggeration, y, n, d, num, grad, withKl: false);
            for (var q = 0; q < n * d; q++)
            {
                gains[q] = update[q] * grad[q] < 0 ? gains[q] + 0.2 : gains[q] * 0.8;
                if (gains[q] < 0.01) gains[q] = 0.01;
                update[q] = momentum * update[q] - learningRate * gains[q] * grad[q];
                y[q] += update[q];
            }
        }
        var kl = Gradient(p, 1.0, y, n, d, num, grad);
        return Valid.Ok(new TsneModel(options, Matrix.Own(n, d, y), kl));
    }

    /// <summary>KL(P' || Q) with P' = exaggeration * P, and its gradient into <paramref name="grad"/>.</summary>
    /// <remarks>Rows run in parallel; per-row partial sums are added in row order, so the result does not depend on the thread count.</remarks>
    private static double Gradient(double[] p, double exaggeration, double[] y, int n, int d, double[] num, double[] grad, bool withKl = true)
    {
        var rowSums = new double[n];
        Parallel.For(0, n, i =>
        {
            double rowSum = 0;
            for (var j = 0; j < n; j++)
            {
                if (i == j) { num[i * n + j] = 0; continue; }
                double dist = 0;
                for (var c = 0; c < d; c++) dist += (y[i * d + c] - y[j * d + c]) * (y[i * d + c] - y[j * d + c]);
                num[i * n + j] = 1.0 / (1.0 + dist);
                rowSum += num[i * n + j];
            }
            rowSums[i] = rowSum;
        });
        double sum = 0;
        foreach (var r in rowSums) sum += r;
        var rowKl = new double[n];
        Parallel.For(0, n, i =>
        {
            double kl = 0;
            for (var c = 0; c < d; c++) grad[i * d + c] = 0;
            for (var j = 0; j < n; j++)
            {
                if (i == j) continue;
                var q = Math.Max(num[i * n + j] / sum, MachineEpsilon);
                var pij = exaggeration * p[i * n + j];
                if (withKl) kl += pij * Math.Log(Math.Max(pij, MachineEpsilon) / q);
                var coef = 4.0 * (pij - q) * num[i * n + j];
                for (var c = 0; c < d; c++) grad[i * d + c] += coef * (y[i * d + c] - y[j * d + c]);
            }
            rowKl[i] = kl;
        });
        double total = 0;
        foreach (var k in rowKl) total += k;
        return total;
    }

    /// <summary>Symmetric joint probabilities from a per-row bisection on the Gaussian precision matching the perplexity.</summary>
    internal static double[] JointProbabilities(Matrix x, double perplexity)
    {
        var n = x.Rows;
        var d2 = new double[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) d2[i * n + j] = KMeans.Sq(x.Row(i), x.Row(j));
        var target = Math.Log(perplexity);
        var cond = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            double beta = 1, lo = double.NegativeInfinity, hi = double.PositiveInfinity;
            for (var step = 0; step < 100; step++)
            {
                double sumP = 0, sumDP = 0;
                for (var j = 0; j < n; j++)
                {
                    var v = j == i ? 0 : Math.Exp(-d2[i * n + j] * beta);
                    cond[i * n + j] = v;
                    sumP += v;
                }
                if (sumP == 0) sumP = 1e-8;
                for (var j = 0; j < n; j++)
                {
                    cond[i * n + j] /= sumP;
                    sumDP += d2[i * n + j] * cond[i * n + j];
                }
                var entropy = Math.Log(sumP) + beta * sumDP;
                var diff = entropy - target;
                if (Math.Abs(diff) <= 1e-5) break;
                if (diff > 0)
                {
                    lo = beta;
                    beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2;
                }
                else
                {
                    hi = beta;
                    beta = double.IsNegativeInfinity(lo) ? beta / 2 : (beta + lo) / 2;
                }
            }
        }
        var joint = new double[n * n];
        double total = 0;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) { joint[i * n + j] = cond[i * n + j] + cond[j * n + i]; total += joint[i * n + j]; }
        total = Math.Max(total, MachineEpsilon);
        for (var q = 0; q < joint.Length; q++) joint[q] = Math.Max(joint[q] / total, MachineEpsilon);
        for (var i = 0; i < n; i++) joint[i * n + i] = 0;
        return joint;
    }

    private static double[] PcaInit(Matrix x, int d)
    {
        var scores = Pca.Transform(Pca.Fit(new PcaOptions(d), x).OrThrow(), x);
        var first = scores.Column(0);
        var mean = first.Average();
        var std = Math.Sqrt(first.Sum(v => (v - mean) * (v - mean)) / first.Length);
        var scale = std > 0 ? 1e-4 / std : 1.0;
        return scores.Data.ToArray().Select(v => v * scale).ToArray();
    }

    private static double[] RandomInit(int n, int d, Rng rng)
    {
        var cursor = new RngCursor(rng);
        var y = new double[n * d];
        for (var q = 0; q < y.Length; q++)
        {
            // Box-Muller: one standard normal per pair of uniforms.
            var u1 = 1.0 - cursor.NextDouble();
            var u2 = cursor.NextDouble();
            y[q] = 1e-4 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return y;
    }
}
