using System.Numerics.Tensors;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Linear;

/// <summary>Hyper-parameters of ridge regression (scikit-learn <c>Ridge</c> names and defaults).</summary>
public sealed record RidgeOptions
{
    /// <summary><c>alpha</c>: L2 penalty strength, &gt;= 0 (0 is ordinary least squares and needs a full-rank design). Default 1.0.</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary><c>fit_intercept</c>: fit an unpenalised intercept by centring X and y. Default true.</summary>
    public bool FitIntercept { get; init; } = true;
}

/// <summary>A fitted ridge model.</summary>
/// <param name="Options">The hyper-parameters it was fitted with.</param>
/// <param name="Coef"><c>coef_</c>: weights, shape (n_features,), in target units per feature unit.</param>
/// <param name="Intercept"><c>intercept_</c>: in target units (0 when <c>FitIntercept</c> is false).</param>
public sealed record RidgeModel(RidgeOptions Options, IReadOnlyList<double> Coef, double Intercept) : IHasCoefficients
{
    /// <summary><c>coef_</c>: weights, shape (n_features,), in target units per feature unit.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> Coef { get; init => field = Vec.From(value); } = Vec.From(Coef);

    /// <summary><c>n_features_in_</c>: number of features seen in fit.</summary>
    public int NFeatures => Coef.Count;
}

/// <summary>Fits and applies ridge regression in closed form.</summary>
/// <remarks>
/// Minimises ||y - X w - b||^2 + alpha ||w||^2 (intercept b not penalised): with centred X_c and y_c,
/// w = (X_c^T X_c + alpha I)^{-1} X_c^T y_c by a Cholesky factorisation (MathNet.Numerics), b = mean(y) - mean(X) w.
/// Matches scikit-learn's <c>Ridge(solver="cholesky")</c>.
/// Source: Hoerl and Kennard, Technometrics 12, 55 (1970); scikit-learn 1.2.1 <c>sklearn/linear_model/_ridge.py</c>.
/// </remarks>
public static class Ridge
{
    /// <summary>Fits ridge regression.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite.</param>
    /// <param name="y">Targets, length n_samples, finite.</param>
    /// <returns>The model, or <c>param.out_of_range</c> (alpha &lt; 0 or not finite), <c>shape.rows_mismatch</c>, <c>data.empty</c>,
    /// <c>data.nan_feature</c>, <c>data.nan_target</c>, <c>linalg.singular</c> (X^T X + alpha I not positive definite: use alpha &gt; 0 or drop constant/duplicate columns).</returns>
    public static Validation<Problem, RidgeModel> Fit(RidgeOptions options, Matrix x, IReadOnlyList<double> y)
    {
        var check = Checks.Regression(x, y);
        if (!(options.Alpha >= 0) || double.IsInfinity(options.Alpha))
            return Valid.Fail<RidgeModel>("param.out_of_range", $"alpha must be a finite number >= 0, found {options.Alpha}; try alpha=1.0");
        if (check.IsFail) return check.Map(_ => default(RidgeModel)!);

        int n = x.Rows, p = x.Cols;
        var xMean = new double[p];
        double yMean = 0;
        if (options.FitIntercept)
        {
            for (var i = 0; i < n; i++) TensorPrimitives.Add(xMean, x.Row(i), xMean);
            TensorPrimitives.Divide(xMean, n, xMean);
            for (var i = 0; i < n; i++) yMean += y[i];
            yMean /= n;
        }
        var gram = new double[p * p];
        var xty = new double[p];
        var centred = new double[p];
        for (var i = 0; i < n; i++)
        {
            TensorPrimitives.Subtract(x.Row(i), xMean, centred);
            var yc = y[i] - yMean;
            for (var a = 0; a < p; a++)
            {
                var ca = centred[a];
                if (ca == 0) continue;
                TensorPrimitives.MultiplyAdd(centred.AsSpan(a), ca, gram.AsSpan(a * p + a, p - a), gram.AsSpan(a * p + a, p - a));
                xty[a] += ca * yc;
            }
        }
        for (var a = 0; a < p; a++)
        {
            gram[a * p + a] += options.Alpha;
            for (var b = 0; b < a; b++) gram[a * p + b] = gram[b * p + a];
        }
        var g = Matrix<double>.Build.Dense(p, p, (i, j) => gram[i * p + j]);
        var singular = Valid.Fail<RidgeModel>("linalg.singular",
            $"the normal equations are singular with alpha={options.Alpha} (a constant, duplicated or collinear feature); use alpha > 0 or drop those columns");
        MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> cholesky;
        try
        {
            cholesky = g.Cholesky();
        }
        catch (ArgumentException)
        {
            return singular; // MathNet reports a matrix that is not positive definite this way
        }
        var maxDiag = Enumerable.Range(0, p).Max(i => g[i, i]);
        if (Enumerable.Range(0, p).Any(i => cholesky.Factor[i, i] * cholesky.Factor[i, i] <= 1e-12 * maxDiag))
            return singular;
        var w = cholesky.Solve(Vector<double>.Build.DenseOfArray(xty)).ToArray();
        if (w.Any(v => !double.IsFinite(v)))
            return Valid.Fail<RidgeModel>("linalg.singular", $"the ridge solution is not finite with alpha={options.Alpha}; use a larger alpha or scale the features");
        var intercept = options.FitIntercept ? yMean - Reduce.Dot(xMean, w) : 0.0;
        return Valid.Ok(new RidgeModel(options, Vec.Own(w), intercept));
    }

    /// <summary>Predicts with a fitted ridge model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, model.NFeatures).</param>
    /// <returns>Predictions X w + b, length n_samples.</returns>
    /// <exception cref="ArgumentException">When the number of columns differs from the model's (a programmer error; pipelines check it).</exception>
    public static double[] Predict(RidgeModel model, Matrix x)
    {
        var w = Vec.AsSpan(model.Coef);
        var y = x.Multiply(w);
        TensorPrimitives.Add(y, model.Intercept, y);
        return y;
    }
}
