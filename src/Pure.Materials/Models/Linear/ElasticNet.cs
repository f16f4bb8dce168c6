using System.Numerics.Tensors;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Linear;

/// <summary>Hyper-parameters of the elastic net (scikit-learn <c>ElasticNet</c> names and defaults; cyclic selection, dense X).</summary>
public sealed record ElasticNetOptions
{
    /// <summary><c>alpha</c>: overall penalty strength, &gt;= 0. Default 1.0.</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary><c>l1_ratio</c>: share of the L1 penalty, in [0, 1]; 1 is the lasso, 0 a ridge penalty. Default 0.5.</summary>
    public double L1Ratio { get; init; } = 0.5;

    /// <summary><c>fit_intercept</c>: fit an unpenalised intercept by centring X and y. Default true.</summary>
    public bool FitIntercept { get; init; } = true;

    /// <summary><c>max_iter</c>: maximum number of passes over the features, &gt;= 1. Default 1000.</summary>
    public int MaxIter { get; init; } = 1000;

    /// <summary><c>tol</c>: stop when the largest coefficient change of a pass is below tol * max|w| and the duality gap is below
    /// tol * ||y_c||^2, &gt;= 0. Default 1e-4.</summary>
    public double Tol { get; init; } = 1e-4;
}

/// <summary>Hyper-parameters of the lasso (scikit-learn <c>Lasso</c>): an elastic net with <c>l1_ratio = 1</c>.</summary>
public sealed record LassoOptions
{
    /// <summary><c>alpha</c>: L1 penalty strength, &gt;= 0. Default 1.0.</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary><c>fit_intercept</c>: fit an unpenalised intercept. Default true.</summary>
    public bool FitIntercept { get; init; } = true;

    /// <summary><c>max_iter</c>: maximum number of passes over the features. Default 1000.</summary>
    public int MaxIter { get; init; } = 1000;

    /// <summary><c>tol</c>: convergence tolerance as in <see cref="ElasticNetOptions.Tol"/>. Default 1e-4.</summary>
    public double Tol { get; init; } = 1e-4;

    /// <summary>The same problem as elastic-net options.</summary>
    /// <returns>Options with <c>L1Ratio = 1</c>.</returns>
    public ElasticNetOptions ToElasticNet() => new() { Alpha = Alpha, L1Ratio = 1.0, FitIntercept = FitIntercept, MaxIter = MaxIter, Tol = Tol };
}

/// <summary>A fitted elastic-net (or lasso) model.</summary>
/// <param name="Options">The hyper-parameters it was fitted with.</param>
/// <param name="Coef"><c>coef_</c>: weights, shape (n_features,); exactly 0 for features the L1 penalty removed.</param>
/// <param name="Intercept"><c>intercept_</c>, in target units.</param>
/// <param name="NIter"><c>n_iter_</c>: passes over the features run, in [1, max_iter].</param>
/// <param name="DualGap"><c>dual_gap_</c>: duality gap of the objective at the end (divided by n_samples, as scikit-learn).</param>
/// <param name="Converged">False when <c>max_iter</c> passes ended without meeting <c>tol</c> (scikit-learn's ConvergenceWarning); the
/// coefficients are then the last iterate: raise max_iter or tol, or scale the features.</param>
public sealed record ElasticNetModel(ElasticNetOptions Options, IReadOnlyList<double> Coef, double Intercept, int NIter, double DualGap, bool Converged) : IHasCoefficients
{
    /// <summary><c>coef_</c>: weights, shape (n_features,); exactly 0 for features the L1 penalty removed.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> Coef { get; init => field = Vec.From(value); } = Vec.From(Coef);

    /// <summary><c>n_features_in_</c>: number of features seen in fit.</summary>
    public int NFeatures => Coef.Count;
}

/// <summary>Fits the elastic net and the lasso by cyclic coordinate descent, step for step as scikit-learn's <c>cd_fast.enet_coordinate_descent</c>.</summary>
/// <remarks>
/// Minimises (1/(2n)) ||y - X w - b||^2 + alpha * l1_ratio * ||w||_1 + alpha * (1 - l1_ratio) / 2 * ||w||_2^2.
/// Each pass updates w_j = S(x_j^T r_j, n alpha l1_ratio) / (||x_j||^2 + n alpha (1 - l1_ratio)) for j = 0..p-1 in order (S the
/// soft-threshold, r_j the residual without feature j) starting from w = 0. After a pass in which max_j |dw_j| &lt; tol * max_j |w_j|
/// (or all w are 0, or at the last pass) the duality gap G is computed; the descent stops when G &lt; tol * ||y_c||^2.
/// Deterministic (no random selection). Constant columns get weight 0.
/// Source: Friedman, Hastie, Tibshirani, J. Stat. Softw. 33 (2010); scikit-learn 1.2.1 <c>sklearn/linear_model/_cd_fast.pyx</c> and <c>_coordinate_descent.py</c>.
/// </remarks>
public static class ElasticNet
{
    /// <summary>Fits the elastic net.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite (standardise them: the penalty treats all features alike).</param>
    /// <param name="y">Targets, length n_samples, finite.</param>
    /// <returns>The model (check <see cref="ElasticNetModel.Converged"/>), or <c>param.out_of_range</c> (alpha &lt; 0, l1_ratio outside [0, 1],
    /// max_iter &lt; 1, tol &lt; 0), <c>shape.rows_mismatch</c>, <c>data.empty</c>, <c>data.nan_feature</c>, <c>data.nan_target</c>.</returns>
    public static Validation<Problem, ElasticNetModel> Fit(ElasticNetOptions options, Matrix x, IReadOnlyList<double> y)
    {
        var problems = new List<Problem>(Checks.Regression(x, y).Problems());
        if (!(options.Alpha >= 0) || double.IsInfinity(options.Alpha))
            problems.Add(new Problem("param.out_of_range", $"alpha must be a finite number >= 0, found {options.Alpha}; try alpha=1.0"));
        if (!(options.L1Ratio >= 0 && options.L1Ratio <= 1))
            problems.Add(new Problem("param.out_of_range", $"l1_ratio must be in [0, 1], found {options.L1Ratio}; 1 is the lasso, 0 ridge"));
        if (options.MaxIter < 1)
            problems.Add(new Problem("param.out_of_range", $"max_iter must be >= 1, found {options.MaxIter}; try max_iter=1000"));
        if (!(options.Tol >= 0))
            problems.Add(new Problem("param.out_of_range", $"tol must be >= 0, found {options.Tol}; try tol=1e-4"));
        if (problems.Count > 0) return Valid.Fail<ElasticNetModel>(problems);

        var d = LinearData.Centre(x, y, options.FitIntercept);
        var (w, gap, nIter, converged) = Descend(d, options.Alpha * options.L1Ratio * d.N, options.Alpha * (1 - options.L1Ratio) * d.N,
            options.MaxIter, options.Tol);
        var intercept = options.FitIntercept ? d.YMean - Reduce.Dot(d.XMean, w) : 0.0;
        return Valid.Ok(new ElasticNetModel(options, w, intercept, nIter, gap / d.N, converged));
    }

    /// <summary>Predicts with a fitted model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, model.NFeatures).</param>
    /// <returns>Predictions X w + b, length n_samples.</returns>
    /// <exception cref="ArgumentException">When the number of columns differs from the model's (a programmer error).</exception>
    public static double[] Predict(ElasticNetModel model, Matrix x) => LinearData.Predict(model.Coef, model.Intercept, x);

    /// <summary>Writes a fitted model's learned state for a model file: <c>coef_</c>, <c>intercept_</c>, <c>n_iter_</c>, <c>dual_gap_</c>, convergence.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The state.</returns>
    internal static StateNode Write(ElasticNetModel model) =>
        new StateNode().Floats("coef_", model.Coef.ToArray()).Float("intercept_", model.Intercept).Int("n_iter_", model.NIter)
            .Float("dual_gap_", model.DualGap).Bool("converged", model.Converged);

    /// <summary>Reads a model written by <see cref="Write"/>.</summary>
    /// <param name="options">The options rebuilt from the recorded parameters (for the lasso, <see cref="LassoOptions.ToElasticNet"/>).</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry (a weight not finite, <c>n_iter_</c> outside [0, max_iter]).</returns>
    internal static Validation<Problem, ElasticNetModel> Read(ElasticNetOptions options, StateReader r)
    {
        var (coef, b) = ModelState.ReadLinear(r);
        var nIter = r.Int("n_iter_", 0, Math.Max(0, options.MaxIter));
        var gap = r.Float("dual_gap_", finite: false);
        var converged = r.Bool("converged");
        return ModelState.Finish(r, () => new ElasticNetModel(options, coef, b, nIter, gap, converged));
    }

    /// <summary>scikit-learn's <c>enet_coordinate_descent</c> (positive=False, random=False) on centred data;
    /// objective n times the documented one: (1/2)||y - Xw||^2 + l1 ||w||_1 + (l2/2) ||w||^2.</summary>
    internal static (double[] W, double Gap, int NIter, bool Converged) Descend(LinearData d, double l1, double l2, int maxIter, double tol)
    {
        int n = d.N, p = d.P;
        var w = new double[p];
        var r = (double[])d.Y.Clone();
        var norms = new double[p];
        for (var j = 0; j < p; j++) norms[j] = Reduce.SumOfSquares(d.Column(j));
        var dwTol = tol;
        var yNorm2 = Reduce.SumOfSquares(d.Y);
        tol *= yNorm2;
        var gap = tol + 1.0;
        var xtA = new double[p];
        for (var iter = 0; iter < maxIter; iter++)
        {
            double wMax = 0, dwMax = 0;
            for (var j = 0; j < p; j++)
            {
                if (norms[j] == 0.0) continue;
                var col = d.Column(j);
                var wj = w[j];
                if (wj != 0.0) TensorPrimitives.MultiplyAdd(col, wj, r, r);
                var tmp = Reduce.Dot(col, r);
                w[j] = Math.Sign(tmp) * Math.Max(Math.Abs(tmp) - l1, 0) / (norms[j] + l2);
                if (w[j] != 0.0) TensorPrimitives.MultiplyAdd(col, -w[j], r, r);
                dwMax = Math.Max(dwMax, Math.Abs(w[j] - wj));
                wMax = Math.Max(wMax, Math.Abs(w[j]));
            }
            if (wMax == 0.0 || dwMax / wMax < dwTol || iter == maxIter - 1)
            {
                // Duality gap of the current iterate.
                var dualNorm = 0.0;
                for (var j = 0; j < p; j++)
                {
                    xtA[j] = Reduce.Dot(d.Column(j), r) - l2 * w[j];
                    dualNorm = Math.Max(dualNorm, Math.Abs(xtA[j]));
                }
                var rNorm2 = Reduce.SumOfSquares(r);
                var wNorm2 = Reduce.SumOfSquares(w);
                double constant;
                if (dualNorm > l1)
                {
                    constant = l1 / dualNorm;
                    gap = 0.5 * (rNorm2 + rNorm2 * constant * constant);
                }
                else
                {
                    constant = 1.0;
                    gap = rNorm2;
                }
                gap += l1 * Reduce.SumOfMagnitudes(w) - constant * Reduce.Dot(r, d.Y) + 0.5 * l2 * (1 + constant * constant) * wNorm2;
                if (gap < tol) return (w, gap, iter + 1, true);
            }
        }
        return (w, gap, maxIter, false);
    }
}

/// <summary>Fits the lasso: the elastic net with <c>l1_ratio = 1</c> (see <see cref="ElasticNet"/>).</summary>
/// <remarks>Minimises (1/(2n)) ||y - X w - b||^2 + alpha ||w||_1. Source: Tibshirani, J. R. Stat. Soc. B 58, 267 (1996); scikit-learn 1.2.1 <c>Lasso</c>.</remarks>
public static class Lasso
{
    /// <summary>Fits the lasso.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite.</param>
    /// <param name="y">Targets, length n_samples, finite.</param>
    /// <returns>The model or the problems of <see cref="ElasticNet.Fit"/>.</returns>
    public static Validation<Problem, ElasticNetModel> Fit(LassoOptions options, Matrix x, IReadOnlyList<double> y) =>
        ElasticNet.Fit(options.ToElasticNet(), x, y);

    /// <summary>Predicts with a fitted model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, model.NFeatures).</param>
    /// <returns>Predictions X w + b, length n_samples.</returns>
    public static double[] Predict(ElasticNetModel model, Matrix x) => ElasticNet.Predict(model, x);
}
