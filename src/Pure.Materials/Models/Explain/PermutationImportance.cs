using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Explain;

/// <summary>Permutation importances: the drop in the score (R^2 for regressors, or the score given) when one feature's column is shuffled, per feature.</summary>
/// <param name="BaselineScore">The score (R^2 by default) of the unshuffled predictions.</param>
/// <param name="Mean">Mean decrease of R^2 over the repeats, shape (n_features,) (<c>importances_mean</c>).</param>
/// <param name="Std">Population standard deviation of the decrease over the repeats, shape (n_features,) (<c>importances_std</c>).</param>
/// <param name="Repeats">Decrease per feature and repeat, shape (n_features, n_repeats) (<c>importances</c>).</param>
public sealed record PermutationImportances(double BaselineScore, double[] Mean, double[] Std, Matrix Repeats);

/// <summary>Computes seeded permutation importances of any fitted regressor (scikit-learn <c>permutation_importance</c> with the R^2 score).</summary>
/// <remarks>
/// <para><c>importance_j = R^2(y, f(X)) - R^2(y, f(X with column j permuted))</c>, repeated <c>n_repeats</c> times with independent
/// permutations. Use held-out rows: on training rows the importances measure what the model memorised.</para>
/// <para>Determinism: feature j uses stream j of <c>rng.SplitMany(n_features)</c> and its repeats draw from it in order, so results
/// do not depend on the thread count or on which features are computed. The permutations differ from numpy's.</para>
/// <para>Source: Breiman, "Random Forests" (2001), section 10; Fisher, Rudin, Dominici, "All models are wrong, but many are useful",
/// JMLR 20 (2019); scikit-learn 1.2.1 <c>sklearn/inspection/_permutation_importance.py</c>.</para>
/// </remarks>
public static class PermutationImportance
{
    /// <summary>Computes permutation importances.</summary>
    /// <param name="predict">The fitted model's prediction function (e.g. <see cref="Predictor.Predict"/>).</param>
    /// <param name="x">Features, shape (n_samples, n_features), n_samples &gt;= 2. Not modified.</param>
    /// <param name="y">Targets, shape (n_samples,), not all equal.</param>
    /// <param name="nRepeats">Permutations per feature, at least 1 (scikit-learn default 5).</param>
    /// <param name="rng">The random stream.</param>
    /// <returns>The importances, or <c>param.out_of_range</c> (n_repeats &lt; 1), <c>shape.rows_mismatch</c>, <c>data.empty</c>
    /// (fewer than 2 rows), <c>data.constant_target</c> (R^2 undefined).</returns>
    public static Validation<Problem, PermutationImportances> Compute(Func<Matrix, double[]> predict, Matrix x, IReadOnlyList<double> y, int nRepeats, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(predict);
        ArgumentNullException.ThrowIfNull(x);
        var problems = new List<Problem>();
        if (nRepeats < 1) problems.Add(new Problem("param.out_of_range", $"n_repeats is {nRepeats}; expected an integer >= 1; fix: use the default 5"));
        if (x.Rows != y.Count) problems.Add(new Problem("shape.rows_mismatch", $"x has {x.Rows} rows but y has {y.Count} values; they must match"));
        if (x.Rows < 2) problems.Add(new Problem("data.empty", $"x has {x.Rows} rows; permutation importance needs at least 2"));
        else if (y.Count == x.Rows && y.All(v => v == y[0]))
            problems.Add(new Problem("data.constant_target", "every target value is equal, so R^2 is undefined; fix: explain on rows whose targets vary"));
        if (problems.Count > 0) return Valid.Fail<PermutationImportances>(problems);

        var yy = y.ToArray();
        return Compute(m => R2(yy, predict(m)), x, nRepeats, rng);
    }

    /// <summary>Computes permutation importances under any score where greater is better (scikit-learn's <c>scoring</c>; e.g. accuracy for a
    /// classifier, scikit-learn's default <c>estimator.score</c>): <c>importance_j = score(X) - score(X with column j permuted)</c>.</summary>
    /// <param name="score">Scores features against the fixed true targets of the rows, e.g. <c>m =&gt; accuracy(y, classifier.Predict(m))</c>.</param>
    /// <param name="x">Features, shape (n_samples, n_features), n_samples &gt;= 2. Not modified.</param>
    /// <param name="nRepeats">Permutations per feature, at least 1.</param>
    /// <param name="rng">The random stream (feature j uses stream j of <c>rng.SplitMany(n_features)</c>, as the R^2 overload).</param>
    /// <returns>The importances (<see cref="PermutationImportances.BaselineScore"/> is the unpermuted score), or <c>param.out_of_range</c>, <c>data.empty</c>.</returns>
    public static Validation<Problem, PermutationImportances> Compute(Func<Matrix, double> score, Matrix x, int nRepeats, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(x);
        var problems = new List<Problem>();
        if (nRepeats < 1) problems.Add(new Problem("param.out_of_range", $"n_repeats is {nRepeats}; expected an integer >= 1; fix: use the default 5"));
        if (x.Rows < 2) problems.Add(new Problem("data.empty", $"x has {x.Rows} rows; permutation importance needs at least 2"));
        if (problems.Count > 0) return Valid.Fail<PermutationImportances>(problems);
        int n = x.Rows, p = x.Cols;
        var baseline = score(x);
        var (streams, _) = rng.SplitMany(p);
        var repeats = new double[p * nRepeats];
        var data = x.Data.ToArray();
        for (var j = 0; j < p; j++)
        {
            var cursor = new RngCursor(streams[j]);
            var column = x.Column(j);
            var perm = new int[n];
            var copy = (double[])data.Clone();
            for (var r = 0; r < nRepeats; r++)
            {
                for (var i = 0; i < n; i++) perm[i] = i;
                cursor.Shuffle(perm.AsSpan());
                for (var i = 0; i < n; i++) copy[i * p + j] = column[perm[i]];
                repeats[j * nRepeats + r] = baseline - score(Matrix.Own(n, p, (double[])copy.Clone()));
            }
        }
        var mean = new double[p];
        var std = new double[p];
        for (var j = 0; j < p; j++)
        {
            var m = 0.0;
            for (var r = 0; r < nRepeats; r++) m += repeats[j * nRepeats + r];
            m /= nRepeats;
            var v = 0.0;
            for (var r = 0; r < nRepeats; r++) v += (repeats[j * nRepeats + r] - m) * (repeats[j * nRepeats + r] - m);
            mean[j] = m;
            std[j] = Math.Sqrt(v / nRepeats);
        }
        return Valid.Ok(new PermutationImportances(baseline, mean, std, Matrix.Own(p, nRepeats, repeats)));
    }

    private static double R2(double[] y, double[] pred)
    {
        var mean = y.Average();
        double ssRes = 0, ssTot = 0;
        for (var i = 0; i < y.Length; i++)
        {
            ssRes += (y[i] - pred[i]) * (y[i] - pred[i]);
            ssTot += (y[i] - mean) * (y[i] - mean);
        }
        return 1 - ssRes / ssTot;
    }
}
