using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Linear;

/// <summary>Hyper-parameters of ordinary least squares (scikit-learn <c>LinearRegression</c> names and defaults).</summary>
public sealed record LinearRegressionOptions
{
    /// <summary><c>fit_intercept</c>: fit an intercept by centring X and y. Default true.</summary>
    public bool FitIntercept { get; init; } = true;

    /// <summary>Relative rank tolerance: the design is rank-deficient when a pivot |R_kk| of its QR factorisation is at most
    /// this times the largest column norm. Default 1e-10 (condition numbers up to about 1e10 are accepted).</summary>
    public double RankTolerance { get; init; } = 1e-10;
}

/// <summary>A fitted ordinary-least-squares model.</summary>
/// <param name="Options">The hyper-parameters it was fitted with.</param>
/// <param name="Coef"><c>coef_</c>: weights, shape (n_features,), in target units per feature unit.</param>
/// <param name="Intercept"><c>intercept_</c>: in target units (0 when <c>FitIntercept</c> is false).</param>
public sealed record LinearRegressionModel(LinearRegressionOptions Options, IReadOnlyList<double> Coef, double Intercept) : IHasCoefficients
{
    /// <summary><c>coef_</c>: weights, shape (n_features,), in target units per feature unit.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> Coef { get; init => field = Vec.From(value); } = Vec.From(Coef);

    /// <summary><c>n_features_in_</c>: number of features seen in fit.</summary>
    public int NFeatures => Coef.Count;
}

/// <summary>Fits and applies ordinary least squares by a Householder QR factorisation of the (centred) design.</summary>
/// <remarks>
/// Minimises ||y - X w - b||^2. With centred X_c = Q R (Householder, no pivoting), w solves R w = Q^T y_c and
/// b = mean(y) - mean(X) w. QR avoids squaring the condition number as the normal equations X^T X w = X^T y would.
/// Unlike scikit-learn (which returns the minimum-norm solution of <c>scipy.linalg.lstsq</c> without a word), a
/// rank-deficient design is reported as a problem: there, the coefficients are not identifiable.
/// Source: Golub and Van Loan, Matrix Computations, 4th ed., section 5.3; scikit-learn 1.2.1 <c>sklearn/linear_model/_base.py</c>.
/// </remarks>
public static class LinearRegression
{
    /// <summary>Fits ordinary least squares.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite; n_samples must exceed n_features (+1 with an intercept).</param>
    /// <param name="y">Targets, length n_samples, finite.</param>
    /// <returns>The model, or <c>shape.rows_mismatch</c>, <c>data.empty</c>, <c>data.nan_feature</c>, <c>data.nan_target</c>,
    /// <c>param.out_of_range</c> (rank tolerance not in [0, 1)), <c>linalg.singular</c> (rank-deficient design: a constant, duplicated
    /// or collinear column, or fewer samples than features; it names the first dependent column; use ridge or drop the column).</returns>
    public static Validation<Problem, LinearRegressionModel> Fit(LinearRegressionOptions options, Matrix x, IReadOnlyList<double> y)
    {
        var check = Checks.Regression(x, y);
        if (!(options.RankTolerance >= 0 && options.RankTolerance < 1))
            return Valid.Fail<LinearRegressionModel>("param.out_of_range", $"rank tolerance must be in [0, 1), found {options.RankTolerance}; use 1e-10");
        if (check.IsFail) return check.Map(_ => default(LinearRegressionModel)!);
        var d = LinearData.Centre(x, y, options.FitIntercept);
        int n = d.N, p = d.P;
        var effective = options.FitIntercept ? n - 1 : n;
        if (effective < p)
            return Valid.Fail<LinearRegressionModel>("linalg.singular",
                $"ordinary least squares needs more samples than features: found {n} sample(s) and {p} feature(s){(options.FitIntercept ? " plus an intercept" : "")}; use ridge (alpha > 0) or fewer features");
        var a = (double[])d.Columns.Clone();
        var qty = (double[])d.Y.Clone();
        var maxNorm = 0.0;
        for (var j = 0; j < p; j++) maxNorm = Math.Max(maxNorm, Norm(a.AsSpan(j * n, n)));
        var rdiag = new double[p];
        for (var k = 0; k < p; k++)
        {
            var col = a.AsSpan(k * n + k, n - k);
            var norm = Norm(col);
            if (norm <= options.RankTolerance * maxNorm || norm == 0)
                return Valid.Fail<LinearRegressionModel>("linalg.singular",
                    $"the design is rank-deficient: feature {k} is constant or a linear combination of features 0..{k - 1} (relative pivot {norm / Math.Max(maxNorm, double.Epsilon):G3}); " +
                    "ordinary least squares has no unique solution: use ridge (alpha > 0) or drop that column");
            var alpha = col[0] > 0 ? -norm : norm;
            // v = col - alpha e1, stored in place; H = I - 2 v v^T / (v^T v).
            col[0] -= alpha;
            var vtv = Reduce.SumOfSquares((ReadOnlySpan<double>)col);
            for (var j = k + 1; j < p; j++)
            {
                var other = a.AsSpan(j * n + k, n - k);
                var s = 2 * Reduce.Dot((ReadOnlySpan<double>)col, other) / vtv;
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd((ReadOnlySpan<double>)col, -s, other, other);
            }
            var yk = qty.AsSpan(k, n - k);
            var sy = 2 * Reduce.Dot((ReadOnlySpan<double>)col, yk) / vtv;
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd((ReadOnlySpan<double>)col, -sy, yk, yk);
            rdiag[k] = alpha;
        }
        // Back substitution: R w = (Q^T y)[0..p); R_kj (j > k) is a[j*n + k].
        var w = new double[p];
        for (var k = p - 1; k >= 0; k--)
        {
            var s = qty[k];
            for (var j = k + 1; j < p; j++) s -= a[j * n + k] * w[j];
            w[k] = s / rdiag[k];
        }
        var intercept = options.FitIntercept ? d.YMean - Reduce.Dot(d.XMean, w) : 0.0;
        return Valid.Ok(new LinearRegressionModel(options, Vec.Own(w), intercept));
    }

    /// <summary>Predicts with a fitted model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, model.NFeatures).</param>
    /// <returns>Predictions X w + b, length n_samples.</returns>
    /// <exception cref="ArgumentException">When the number of columns differs from the model's (a programmer error; pipelines check it).</exception>
    public static double[] Predict(LinearRegressionModel model, Matrix x) => LinearData.Predict(model.Coef, model.Intercept, x);

    private static double Norm(ReadOnlySpan<double> v) => Reduce.Norm(v);

    /// <summary>Writes a fitted model's learned state for a model file: <c>coef_</c> and <c>intercept_</c>.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The state.</returns>
    internal static StateNode Write(LinearRegressionModel model) =>
        new StateNode().Floats("coef_", model.Coef.ToArray()).Float("intercept_", model.Intercept);

    /// <summary>Reads a model written by <see cref="Write"/>: finite weights, at least one.</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    internal static Validation<Problem, LinearRegressionModel> Read(LinearRegressionOptions options, StateReader r)
    {
        var (coef, b) = ModelState.ReadLinear(r);
        return ModelState.Finish(r, () => new LinearRegressionModel(options, coef, b));
    }
}
