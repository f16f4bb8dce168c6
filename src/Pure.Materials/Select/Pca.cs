using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Pure.Materials.Core;

namespace Pure.Materials.Select;

/// <summary>Holds the hyper-parameters of principal component analysis (inert values).</summary>
/// <param name="Components">Number of components k, 1 &lt;= k &lt;= min(n_samples, n_features); null (default) keeps min(n_samples, n_features).</param>
/// <param name="Whiten">Whether <see cref="Pca.Transform"/> divides each component by its standard deviation sqrt(explained_variance), so projections have unit variance; default false.</param>
public sealed record PcaOptions(int? Components = null, bool Whiten = false);

/// <summary>A fitted PCA: the centring mean and the principal axes with their variances.</summary>
/// <param name="Options">The options it was fitted with.</param>
/// <param name="Mean">Column means of the training data, shape (n_features,).</param>
/// <param name="Components">Principal axes as rows, shape (k, n_features), orthonormal, in decreasing explained variance; signs fixed as scikit-learn's <c>svd_flip</c>.</param>
/// <param name="ExplainedVariance">Variance along each axis, shape (k,): s_i^2 / (n - 1), in the squared unit of the features.</param>
/// <param name="ExplainedVarianceRatio">Fraction of the total variance along each axis, shape (k,), in [0, 1], summing to at most 1.</param>
/// <param name="SingularValues">Singular values s_i of the centred data, shape (k,).</param>
/// <param name="NSamples">Number of training rows n.</param>
public sealed record PcaModel(PcaOptions Options, IReadOnlyList<double> Mean, Matrix Components, IReadOnlyList<double> ExplainedVariance,
    IReadOnlyList<double> ExplainedVarianceRatio, IReadOnlyList<double> SingularValues, int NSamples)
{
    /// <summary>Column means of the training data, shape (n_features,).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> Mean { get; init => field = Vec.From(value); } = Vec.From(Mean);

    /// <summary>Variance along each axis, shape (k,): s_i^2 / (n - 1), in the squared unit of the features.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> ExplainedVariance { get; init => field = Vec.From(value); } = Vec.From(ExplainedVariance);

    /// <summary>Fraction of the total variance along each axis, shape (k,), in [0, 1], summing to at most 1.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> ExplainedVarianceRatio { get; init => field = Vec.From(value); } = Vec.From(ExplainedVarianceRatio);

    /// <summary>Singular values s_i of the centred data, shape (k,).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> SingularValues { get; init => field = Vec.From(value); } = Vec.From(SingularValues);

    /// <summary>Number of components k.</summary>
    public int NComponents => Components.Rows;
}

/// <summary>Principal component analysis by singular value decomposition of the centred data.</summary>
/// <remarks>
/// Xc = X - mean = U S V^T (thin QR, Xc = Q R, then the SVD of R, so memory stays O(n p)); the principal axes are the first k rows
/// of V^T; explained_variance_i = s_i^2 / (n - 1); ratio_i = explained_variance_i / sum_j explained_variance_j over all
/// min(n, p) axes. Signs: each axis is multiplied by the sign of the largest-magnitude entry of its column of U
/// (scikit-learn's <c>svd_flip(u_based_decision=True)</c>), so components equal scikit-learn's except where two singular
/// values tie. Transform: (X - mean) V_k, divided by sqrt(explained_variance) when whitening. No randomness.
/// Source: scikit-learn 1.2.1 <c>PCA(svd_solver="full")</c>; Jolliffe, Principal Component Analysis, 2nd ed. (2002).
/// </remarks>
public static class Pca
{
    /// <summary>Fits PCA.</summary>
    /// <param name="options">Components and whitening.</param>
    /// <param name="x">Training data, shape (n_samples, n_features), finite, n_samples &gt;= 2.</param>
    /// <returns>The model, or <c>data.too_few_rows</c> (fewer than 2 rows), <c>data.nan_feature</c> (a NaN or infinite value: impute first) and
    /// <c>param.out_of_range</c> (components &lt; 1 or more than min(n_samples, n_features), naming both counts).</returns>
    public static Validation<Problem, PcaModel> Fit(PcaOptions options, Core.Matrix x)
    {
        var problems = new List<Problem>();
        int n = x.Rows, p = x.Cols;
        if (n < 2) problems.Add(new Problem("data.too_few_rows", $"PCA needs at least 2 rows, found {n}"));
        if (x.CountNaN() > 0 || x.Data.ToArray().Any(double.IsInfinity))
            problems.Add(new Problem("data.nan_feature", "the features hold NaN or infinite values; impute them (e.g. with MeanImputer) before PCA"));
        var maxK = Math.Min(n, p);
        var k = options.Components ?? maxK;
        if (k < 1 || k > maxK)
            problems.Add(new Problem("param.out_of_range",
                $"PCA components = {k}, but {n} row(s) and {p} feature(s) allow 1 to min(n_samples, n_features) = {maxK}; use Components <= {maxK}"));
        if (problems.Count > 0) return Valid.Fail<PcaModel>(problems);

        var mean = new double[p];
        for (var i = 0; i < n; i++) for (var j = 0; j < p; j++) mean[j] += x[i, j];
        for (var j = 0; j < p; j++) mean[j] /= n;
        var xc = Matrix<double>.Build.Dense(n, p, (i, j) => x[i, j] - mean[j]);
        Matrix<double> u, vt;
        Vector<double> s;
        if (n >= p)
        {
            var qr = xc.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
            var svd = qr.R.Svd(true);
            (u, s, vt) = (qr.Q * svd.U, svd.S, svd.VT);
        }
        else
        {
            var svd = xc.Svd(true);
            (u, s, vt) = (svd.U.SubMatrix(0, n, 0, maxK), svd.S, svd.VT.SubMatrix(0, maxK, 0, p));
        }
        var components = new double[k * p];
        for (var c = 0; c < k; c++)
        {
            var column = u.Column(c);
            var sign = Math.Sign(column[column.AbsoluteMaximumIndex()]);
            if (sign == 0) sign = 1;
            for (var j = 0; j < p; j++) components[c * p + j] = sign * vt[c, j];
        }
        var variance = s.Select(v => v * v / (n - 1)).ToArray();
        var total = variance.Sum();
        return Valid.Ok(new PcaModel(options, mean, Core.Matrix.Own(k, p, components), variance[..k],
            variance[..k].Select(v => total > 0 ? v / total : 0.0).ToArray(), s.Take(k).ToArray(), n));
    }

    /// <summary>Projects rows onto the principal axes.</summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="x">Data, shape (m, n_features) with the model's feature count.</param>
    /// <returns>Scores, shape (m, k); whitened when the options say so (a zero-variance axis is left unscaled).</returns>
    /// <exception cref="ArgumentException">When the feature count differs from the model's (a programmer error).</exception>
    public static Core.Matrix Transform(PcaModel model, Core.Matrix x)
    {
        if (x.Cols != model.Mean.Count) throw new ArgumentException($"x has {x.Cols} features, the model {model.Mean.Count}.", nameof(x));
        int m = x.Rows, p = x.Cols, k = model.NComponents;
        var scores = new double[m * k];
        var centred = new double[p];
        var mean = Vec.AsSpan(model.Mean);
        var variance = Vec.AsSpan(model.ExplainedVariance);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < p; j++) centred[j] = x[i, j] - mean[j];
            for (var c = 0; c < k; c++)
            {
                var v = Reduce.Dot(model.Components.Row(c), centred);
                if (model.Options.Whiten && variance[c] > 0) v /= Math.Sqrt(variance[c]);
                scores[i * k + c] = v;
            }
        }
        return Core.Matrix.Own(m, k, scores);
    }
}
