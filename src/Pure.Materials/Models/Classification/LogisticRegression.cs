using System.Numerics.Tensors;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Classification;

/// <summary>Hyper-parameters of L2-penalised logistic regression (scikit-learn <c>LogisticRegression</c> names and defaults, penalty="l2").</summary>
public sealed record LogisticRegressionOptions
{
    /// <summary><c>C</c>: inverse penalty strength, &gt; 0. Default 1.0.</summary>
    public double C { get; init; } = 1.0;

    /// <summary><c>fit_intercept</c>: fit unpenalised intercepts. Default true.</summary>
    public bool FitIntercept { get; init; } = true;

    /// <summary><c>max_iter</c>: maximum Newton iterations, &gt;= 1. Default 100.</summary>
    public int MaxIter { get; init; } = 100;

    /// <summary><c>tol</c>: stop when max |gradient| &lt;= tol * max(1, objective), &gt; 0. Default 1e-10 (Newton converges quadratically,
    /// so this costs one or two iterations more than a loose tolerance).</summary>
    public double Tol { get; init; } = 1e-10;
}

/// <summary>A fitted logistic regression.</summary>
/// <param name="Options">The hyper-parameters.</param>
/// <param name="Classes"><c>classes_</c>, ascending.</param>
/// <param name="Coef"><c>coef_</c>: shape (1, n_features) for two classes (the log-odds of Classes[1]), (n_classes, n_features) otherwise.</param>
/// <param name="Intercept"><c>intercept_</c>: shape (1,) or (n_classes,) (the multinomial intercepts sum to 0, as scikit-learn's lbfgs path).</param>
/// <param name="NIter"><c>n_iter_</c>: Newton iterations run.</param>
/// <param name="Converged">True when max |gradient| &lt;= tol * max(1, |objective|), or when no step can decrease the objective beyond its rounding
/// noise and the Newton decrement is within that noise too (the optimum as far as float64 resolves it); false when max_iter ended first
/// (e.g. separable data with a large C) or the line search stalled away from the optimum.</param>
public sealed record LogisticRegressionModel(LogisticRegressionOptions Options, IReadOnlyList<int> Classes, IReadOnlyList<double[]> Coef,
    IReadOnlyList<double> Intercept, int NIter, bool Converged)
{
    /// <summary><c>classes_</c>, ascending.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<int> Classes { get; init => field = Vec.From(value); } = Vec.From(Classes);

    /// <summary><c>coef_</c>: shape (1, n_features) for two classes (the log-odds of Classes[1]), (n_classes, n_features) otherwise.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double[]> Coef { get; init => field = Vec.NestedArrays(value); } = Vec.NestedArrays(Coef);

    /// <summary><c>intercept_</c>: shape (1,) or (n_classes,) (the multinomial intercepts sum to 0, as scikit-learn's lbfgs path).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> Intercept { get; init => field = Vec.From(value); } = Vec.From(Intercept);
}

/// <summary>Fits binary and multinomial logistic regression by Newton's method with a backtracking line search.</summary>
/// <remarks>
/// Two classes: minimises C sum_i [log(1 + exp(z_i)) - y_i z_i] + ||w||^2 / 2 with z_i = x_i w + b, y_i in {0, 1}.
/// More classes (multinomial, scikit-learn's choice for lbfgs): C sum_i [log sum_k exp(z_ik) - z_i,y_i] + ||W||_F^2 / 2, z_ik = x_i w_k + b_k.
/// Both are strictly convex in the weights; the multinomial intercepts are fixed up to a common shift, resolved by sum_k b_k = 0 (the point
/// scikit-learn's lbfgs reaches from zero). Newton's method with the exact Hessian converges quadratically to this optimum, so it agrees with
/// scikit-learn's lbfgs run to a tight tol; with the default tol=1e-4, lbfgs stops short of the optimum by up to about 1e-3 relative.
/// Probabilities: sigmoid / softmax of z, computed stably. Deterministic.
/// Source: Hastie, Tibshirani, Friedman, Elements of Statistical Learning, 2nd ed., section 4.4; scikit-learn 1.2.1
/// <c>sklearn/linear_model/_logistic.py</c> and <c>_linear_loss.py</c>.
/// </remarks>
public static class LogisticRegression
{
    /// <summary>Fits the model.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite; standardise them.</param>
    /// <param name="y">Labels, length n_samples, at least 2 distinct values.</param>
    /// <returns>The model, or <c>param.out_of_range</c> (C &lt;= 0, max_iter &lt; 1, tol &lt;= 0), the problems of <see cref="ClassifierChecks.Check"/>,
    /// <c>linalg.singular</c> (the Newton system could not be solved).</returns>
    public static Validation<Problem, LogisticRegressionModel> Fit(LogisticRegressionOptions options, Matrix x, IReadOnlyList<int> y)
    {
        var check = ClassifierChecks.Check(x, y);
        var problems = new List<Problem>(check.Problems());
        if (!(options.C > 0) || double.IsInfinity(options.C))
            problems.Add(new Problem("param.out_of_range", $"C must be a finite number > 0, found {options.C}; try C=1.0 (smaller C is a stronger penalty)"));
        if (options.MaxIter < 1) problems.Add(new Problem("param.out_of_range", $"max_iter must be >= 1, found {options.MaxIter}"));
        if (!(options.Tol > 0)) problems.Add(new Problem("param.out_of_range", $"tol must be > 0, found {options.Tol}"));
        if (problems.Count > 0) return Valid.Fail<LogisticRegressionModel>(problems);

        var classes = check.OrThrow();
        var yi = ClassifierChecks.IndexOf(classes, y);
        var k = classes.Length == 2 ? 1 : classes.Length;
        var objective = new Objective(x, yi, k, options.C, options.FitIntercept);
        var d = objective.D;
        var theta = new double[k * d];
        var (f, g) = objective.ValueAndGradient(theta);
        var iter = 0;
        var converged = false;
        while (true)
        {
            if (Math.Abs(TensorPrimitives.MaxMagnitude(g)) <= options.Tol * Math.Max(1, Math.Abs(f))) { converged = true; break; }
            if (iter == options.MaxIter) break;
            iter++;
            var h = objective.Hessian(theta);
            double[] step;
            try
            {
                var hm = Matrix<double>.Build.Dense(k * d, k * d, h);
                step = hm.Cholesky().Solve(Vector<double>.Build.DenseOfArray(g)).ToArray();
            }
            catch (ArgumentException)
            {
                return Valid.Fail<LogisticRegressionModel>("linalg.singular", "the Newton system of logistic regression is not positive definite; scale the features or lower C");
            }
            TensorPrimitives.Negate(step, step);
            var slope = Reduce.Dot(g, step);
            var noise = objective.RoundingNoise(f);
            var t = 1.0;
            var trial = new double[theta.Length];
            double fNew;
            double[] gNew;
            var accepted = false;
            while (true)
            {
                TensorPrimitives.MultiplyAdd(step, t, theta, trial);
                (fNew, gNew) = objective.ValueAndGradient(trial);
                // Armijo's sufficient decrease; or, where the change of the objective is within its rounding noise, a smaller
                // sum of absolute gradients (scikit-learn's NewtonSolver.line_search makes the same exception).
                if (fNew <= f + 1e-4 * t * slope
                    || (Math.Abs(fNew - f) <= noise && Reduce.SumOfMagnitudes(gNew) < Reduce.SumOfMagnitudes(g))) { accepted = true; break; }
                if (t < 1e-12) break;
                t /= 2;
            }
            if (!accepted)
            {
                // No step decreases the objective beyond its rounding noise. The Newton decrement g^T H^-1 g / 2 (= -slope / 2) is the
                // decrease the quadratic model still promises: when that is within the noise too, this is the optimum as far as floating
                // point can resolve it (scikit-learn's newton-cholesky checks the same decrement); otherwise the solver is stuck.
                converged = -0.5 * slope <= noise;
                break;
            }
            (theta, f, g) = (trial, fNew, gNew);
        }
        var coef = Enumerable.Range(0, k).Select(c => theta.AsSpan(c * d, x.Cols).ToArray()).ToArray();
        var intercept = Enumerable.Range(0, k).Select(c => options.FitIntercept ? theta[c * d + x.Cols] : 0.0).ToArray();
        return Valid.Ok(new LogisticRegressionModel(options, classes, coef, intercept, iter, converged));
    }

    /// <summary>Predicts class probabilities.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>Probabilities, shape (n_samples, n_classes), columns in <see cref="LogisticRegressionModel.Classes"/> order.</returns>
    public static Matrix PredictProba(LogisticRegressionModel model, Matrix x)
    {
        var nc = model.Classes.Count;
        var data = new double[x.Rows * nc];
        var z = new double[model.Coef.Count];
        var intercept = Vec.AsSpan(model.Intercept);
        for (var i = 0; i < x.Rows; i++)
        {
            for (var c = 0; c < z.Length; c++) z[c] = Reduce.Dot(x.Row(i), Vec.Row(model.Coef, c)) + intercept[c];
            if (nc == 2)
            {
                var p1 = Sigmoid(z[0]);
                data[i * 2] = 1 - p1;
                data[i * 2 + 1] = p1;
            }
            else Softmax(z, data.AsSpan(i * nc, nc));
        }
        return Matrix.Own(x.Rows, nc, data);
    }

    /// <summary>Predicts labels (highest probability).</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>Labels, shape (n_samples,).</returns>
    public static int[] Predict(LogisticRegressionModel model, Matrix x) => ClassifierPredictor.ArgMax(model.Classes, PredictProba(model, x));

    /// <summary>Computes the penalised objective and its gradient at given parameters (for tests and properties).</summary>
    /// <param name="options">Hyper-parameters (C, fit_intercept).</param>
    /// <param name="x">Features, shape (n, p).</param>
    /// <param name="classIndex">True class index of each row, in [0, n_classes).</param>
    /// <param name="nClasses">Number of classes, at least 2.</param>
    /// <param name="theta">Parameters: for each weight vector (1 for two classes, else n_classes) its p weights then (with an intercept) the intercept.</param>
    /// <returns>The objective and its gradient (same layout as theta).</returns>
    public static (double Value, double[] Gradient) Loss(LogisticRegressionOptions options, Matrix x, IReadOnlyList<int> classIndex, int nClasses, double[] theta) =>
        new Objective(x, classIndex.ToArray(), nClasses == 2 ? 1 : nClasses, options.C, options.FitIntercept).ValueAndGradient(theta);

    /// <summary>Computes the Hessian of the penalised objective of <see cref="Loss"/> at given parameters (for tests and properties).</summary>
    /// <param name="options">Hyper-parameters (C, fit_intercept).</param>
    /// <param name="x">Features, shape (n, p).</param>
    /// <param name="classIndex">True class index of each row, in [0, n_classes).</param>
    /// <param name="nClasses">Number of classes, at least 2.</param>
    /// <param name="theta">Parameters, length k*d, laid out as in <see cref="Loss"/>: k = 1 weight vector for two classes, else
    /// k = n_classes; each has its p weights then (with an intercept) the intercept, so d = p + 1 with fit_intercept, else p.</param>
    /// <returns>The Hessian (symmetric up to rounding), shape (k*d, k*d), rows and columns in the layout of theta: entry (a*d + u, b*d + v) is
    /// d^2 f / (d theta[a*d + u] d theta[b*d + v]). Two classes: C sum_i s_i (1 - s_i) x~_i x~_i^T + diag(1 on weights), with
    /// s_i = sigmoid(z_i) and x~_i = (x_i, 1) with an intercept. Multinomial: block (a, b) is
    /// C sum_i p_ia (delta_ab - p_ib) x~_i x~_i^T, plus 1 on the weight diagonal.</returns>
    /// <remarks>This is the exact second derivative of the objective. The Newton solver factorises the same matrix plus 1/k in every
    /// intercept-intercept entry for the multinomial model with intercepts (the objective is flat along "add t to every intercept";
    /// that rank-one term removes the null direction); this method takes it back out. Deterministic; no validation of the
    /// arguments (shapes must match as documented). Source: Hastie, Tibshirani, Friedman, Elements of Statistical Learning,
    /// 2nd ed., section 4.4.1 (binary); Bohning (1992), Multinomial logistic regression algorithm, Ann. Inst. Statist. Math. 44 (multinomial).</remarks>
    public static Matrix Hessian(LogisticRegressionOptions options, Matrix x, IReadOnlyList<int> classIndex, int nClasses, double[] theta)
    {
        var k = nClasses == 2 ? 1 : nClasses;
        var objective = new Objective(x, classIndex.ToArray(), k, options.C, options.FitIntercept);
        var h = objective.Hessian(theta);
        var m = k * objective.D;
        if (options.FitIntercept && k > 1)
            for (var a = 0; a < k; a++)
                for (var b = 0; b < k; b++) h[(a * objective.D + x.Cols) * m + b * objective.D + x.Cols] -= 1.0 / k;
        return Matrix.FromRowMajor(m, m, h);
    }

    internal static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    internal static void Softmax(ReadOnlySpan<double> z, Span<double> p)
    {
        var max = TensorPrimitives.Max(z);
        var s = 0.0;
        for (var c = 0; c < z.Length; c++) { p[c] = Math.Exp(z[c] - max); s += p[c]; }
        for (var c = 0; c < z.Length; c++) p[c] /= s;
    }

    /// <summary>log(1 + exp(z)) without overflow.</summary>
    private static double Softplus(double z) => z > 0 ? z + double.LogP1(Math.Exp(-z)) : double.LogP1(Math.Exp(z));

    private sealed class Objective(Matrix x, int[] y, int k, double c, bool fitIntercept)
    {
        public int D { get; } = x.Cols + (fitIntercept ? 1 : 0);

        /// <summary>A bound on the rounding error of the objective value f: its data term sums n positive terms one by one
        /// (relative error at most about n eps), each term and the penalty carry a few eps more.</summary>
        public double RoundingNoise(double f) => (x.Rows + 8) * (double.BitIncrement(1.0) - 1.0) * Math.Abs(f);

        private double Z(ReadOnlySpan<double> theta, int i, int cls)
        {
            var w = theta.Slice(cls * D, D);
            var z = Reduce.Dot(x.Row(i), w[..x.Cols]);
            return fitIntercept ? z + w[x.Cols] : z;
        }

        private double Penalty(double[] theta, double[]? g)
        {
            var s = 0.0;
            for (var cls = 0; cls < k; cls++)
                for (var j = 0; j < x.Cols; j++)
                {
                    var v = theta[cls * D + j];
                    s += v * v;
                    if (g is not null) g[cls * D + j] += v;
                }
            return 0.5 * s;
        }

        public (double, double[]) ValueAndGradient(double[] theta)
        {
            var g = new double[theta.Length];
            var f = 0.0;
            var z = new double[k];
            var p = new double[k];
            for (var i = 0; i < x.Rows; i++)
            {
                var row = x.Row(i);
                if (k == 1)
                {
                    var zi = Z(theta, i, 0);
                    f += Softplus(zi) - (y[i] == 1 ? zi : 0);
                    var r = c * (Sigmoid(zi) - (y[i] == 1 ? 1 : 0));
                    TensorPrimitives.MultiplyAdd(row, r, g.AsSpan(0, x.Cols), g.AsSpan(0, x.Cols));
                    if (fitIntercept) g[x.Cols] += r;
                    continue;
                }
                for (var cls = 0; cls < k; cls++) z[cls] = Z(theta, i, cls);
                var max = TensorPrimitives.Max(z);
                var s = 0.0;
                for (var cls = 0; cls < k; cls++) s += Math.Exp(z[cls] - max);
                f += max + Math.Log(s) - z[y[i]];
                Softmax(z, p);
                for (var cls = 0; cls < k; cls++)
                {
                    var r = c * (p[cls] - (y[i] == cls ? 1 : 0));
                    var gs = g.AsSpan(cls * D, x.Cols);
                    TensorPrimitives.MultiplyAdd(row, r, gs, gs);
                    if (fitIntercept) g[cls * D + x.Cols] += r;
                }
            }
            f = c * f + Penalty(theta, g);
            return (f, g);
        }

        /// <summary>The Hessian, row-major (k D, k D), symmetric; column-major equals row-major for MathNet.</summary>
        public double[] Hessian(double[] theta)
        {
            var m = k * D;
            var h = new double[m * m];
            var z = new double[k];
            var p = new double[k];
            var xt = new double[D];
            for (var i = 0; i < x.Rows; i++)
            {
                x.Row(i).CopyTo(xt);
                if (fitIntercept) xt[x.Cols] = 1;
                if (k == 1) { var s = Sigmoid(Z(theta, i, 0)); p[0] = s; }
                else { for (var cls = 0; cls < k; cls++) z[cls] = Z(theta, i, cls); Softmax(z, p); }
                for (var a = 0; a < k; a++)
                    for (var b = a; b < k; b++)
                    {
                        var wab = c * (k == 1 ? p[0] * (1 - p[0]) : p[a] * ((a == b ? 1 : 0) - p[b]));
                        if (wab == 0) continue;
                        for (var u = 0; u < D; u++)
                        {
                            var coef = wab * xt[u];
                            if (coef == 0) continue;
                            var rowStart = (a * D + u) * m + b * D;
                            TensorPrimitives.MultiplyAdd(xt, coef, h.AsSpan(rowStart, D), h.AsSpan(rowStart, D));
                        }
                    }
            }
            for (var a = 0; a < k; a++)
                for (var b = 0; b < a; b++)
                    for (var u = 0; u < D; u++)
                        for (var v = 0; v < D; v++)
                            h[(a * D + u) * m + b * D + v] = h[(b * D + v) * m + a * D + u];
            for (var cls = 0; cls < k; cls++)
                for (var j = 0; j < x.Cols; j++) h[(cls * D + j) * m + cls * D + j] += 1;
            if (fitIntercept && k > 1)
                // The objective is flat along "add t to every intercept"; this rank-one term removes that null direction
                // without changing steps orthogonal to it (the gradient always is), so the intercepts keep summing to 0.
                for (var a = 0; a < k; a++)
                    for (var b = 0; b < k; b++) h[(a * D + x.Cols) * m + b * D + x.Cols] += 1.0 / k;
            return h;
        }
    }

    /// <summary>Writes a fitted model for a model file: <c>classes_</c>, <c>coef_</c> (one row for two classes, one per class otherwise),
    /// <c>intercept_</c>, <c>n_iter_</c> and convergence.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The state.</returns>
    internal static StateNode Write(LogisticRegressionModel model) => new StateNode()
        .Ints("classes_", model.Classes.ToArray()).Matrix("coef_", ModelState.FromRows(model.Coef, model.Coef[0].Length))
        .Floats("intercept_", model.Intercept.ToArray()).Int("n_iter_", model.NIter).Bool("converged", model.Converged);

    /// <summary>Reads a model written by <see cref="Write"/>: finite weights of shape (1, n_features) for two classes or (n_classes, n_features).</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    internal static Validation<Problem, LogisticRegressionModel> Read(LogisticRegressionOptions options, StateReader r)
    {
        var classes = ClassifierChecks.ReadClasses(r);
        var k = classes.Length == 2 ? 1 : classes.Length;
        var coef = r.Ok ? ModelState.Matrix(r, "coef_", k) : Matrix.FromRowMajor(0, 0, []);
        var intercept = r.Ok ? r.Floats("intercept_", k) : [];
        var nIter = r.Int("n_iter_", 0, Math.Max(0, options.MaxIter));
        var converged = r.Bool("converged");
        return ModelState.Finish(r, () => new LogisticRegressionModel(options, classes,
            Enumerable.Range(0, coef.Rows).Select(c => coef.Row(c).ToArray()).ToArray(), intercept, nIter, converged));
    }
}
