using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.SupportVector;

/// <summary>Hyper-parameters of epsilon-support vector regression (scikit-learn <c>SVR</c> names and defaults).</summary>
public sealed record SvrOptions
{
    /// <summary><c>C</c>: the penalty on errors beyond epsilon, &gt; 0. Default 1.0.</summary>
    public double C { get; init; } = 1.0;

    /// <summary><c>epsilon</c>: half-width of the insensitive tube, in target units, &gt;= 0. Default 0.1.</summary>
    public double Epsilon { get; init; } = 0.1;

    /// <summary>The kernel: <c>kernel</c>, <c>gamma</c>, <c>degree</c>, <c>coef0</c>. Default rbf, gamma='scale'.</summary>
    public SvmKernelOptions Kernel { get; init; } = new();

    /// <summary><c>tol</c>: stopping tolerance on the maximal violating pair, &gt; 0. Default 1e-3.</summary>
    public double Tol { get; init; } = 1e-3;

    /// <summary><c>max_iter</c>: SMO iterations, -1 for no limit. Default -1.</summary>
    public int MaxIter { get; init; } = -1;

    /// <summary><c>shrinking</c>: use the shrinking heuristic (changes the path, not the solution beyond tol). Default true.</summary>
    public bool Shrinking { get; init; } = true;

    /// <summary><c>cache_size</c>: memory budget for kernel rows, in MB (the full matrix is kept when n^2*4 bytes fit). Default 200.</summary>
    public double CacheSize { get; init; } = 200;
}

/// <summary>A fitted epsilon-SVR.</summary>
/// <param name="Options">The hyper-parameters it was fitted with.</param>
/// <param name="Support"><c>support_</c>: indices of the support vectors in the training rows, ascending, shape (n_SV,).</param>
/// <param name="SupportVectors"><c>support_vectors_</c>: shape (n_SV, n_features).</param>
/// <param name="DualCoef"><c>dual_coef_</c>: alpha_i - alpha*_i of each support vector, shape (n_SV,) (scikit-learn's (1, n_SV)).</param>
/// <param name="Intercept"><c>intercept_</c> = -rho.</param>
/// <param name="Gamma">The kernel's gamma as resolved on the training rows (<c>_gamma</c>).</param>
/// <param name="NIter"><c>n_iter_</c>: SMO iterations.</param>
/// <param name="ReachedMaxIter">True when <c>max_iter</c> stopped the solver before tol was met.</param>
public sealed record SvrModel(SvrOptions Options, IReadOnlyList<int> Support, Matrix SupportVectors, IReadOnlyList<double> DualCoef,
    double Intercept, double Gamma, int NIter, bool ReachedMaxIter)
{
    /// <summary><c>support_</c>: indices of the support vectors in the training rows, ascending, shape (n_SV,).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<int> Support { get; init => field = Vec.From(value); } = Vec.From(Support);

    /// <summary><c>dual_coef_</c>: alpha_i - alpha*_i of each support vector, shape (n_SV,) (scikit-learn's (1, n_SV)).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> DualCoef { get; init => field = Vec.From(value); } = Vec.From(DualCoef);
}

/// <summary>Fits and applies epsilon-support vector regression by SMO (libsvm's algorithm, as scikit-learn 1.2.1's <c>SVR</c>).</summary>
/// <remarks>
/// Dual: min 0.5 (a - a*)' K (a - a*) + epsilon sum (a_i + a*_i) - sum y_i (a_i - a*_i) subject to sum (a_i - a*_i) = 0 and
/// 0 &lt;= a_i, a*_i &lt;= C, solved as a 2n-variable problem by <see cref="Smo"/> (WSS3, stop when the maximal violation &lt; tol).
/// Prediction f(x) = sum_i (a_i - a*_i) k(x_i, x) - rho. Deterministic: no randomness; same data and options give the same model.
/// Kernel rows are held in single precision as libsvm does. O(n^2) kernel evaluations per pass, memory bounded by cache_size.
/// Source: Smola and Schoelkopf, Statistics and Computing 14 (2004) 199-222; Fan, Chen and Lin, JMLR 6 (2005) 1889-1918;
/// scikit-learn 1.2.1 <c>sklearn/svm/_classes.py</c> (SVR) and its bundled libsvm <c>solve_epsilon_svr</c>.
/// </remarks>
public static class Svr
{
    /// <summary>Checks the hyper-parameters shared by SVR and SVC.</summary>
    internal static List<Problem> CheckCommon(double c, SvmKernelOptions kernel, double tol, int maxIter, double cacheSize)
    {
        var problems = new List<Problem>();
        if (!(c > 0) || !double.IsFinite(c))
            problems.Add(new Problem("param.out_of_range", $"C must be a finite number > 0, found {c.ToString("R", CultureInfo.InvariantCulture)}; try C=1.0"));
        problems.AddRange(SvmKernel.Check(kernel));
        if (!(tol > 0) || !double.IsFinite(tol))
            problems.Add(new Problem("param.out_of_range", $"tol must be a finite number > 0, found {tol.ToString("R", CultureInfo.InvariantCulture)}; try tol=0.001"));
        if (maxIter < -1 || maxIter == 0)
            problems.Add(new Problem("param.out_of_range", $"max_iter must be -1 (no limit) or >= 1, found {maxIter}"));
        if (!(cacheSize > 0) || !double.IsFinite(cacheSize))
            problems.Add(new Problem("param.out_of_range", $"cache_size must be a number of MB > 0, found {cacheSize.ToString("R", CultureInfo.InvariantCulture)}; try cache_size=200"));
        return problems;
    }

    /// <summary>Fits epsilon-SVR.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite (standardise them first: the rbf kernel and gamma='scale' assume comparable scales).</param>
    /// <param name="y">Targets, length n_samples, finite.</param>
    /// <returns>The model, or <c>param.out_of_range</c> (C &lt;= 0, epsilon &lt; 0, gamma &lt;= 0, degree &lt; 1, tol &lt;= 0, max_iter 0 or &lt; -1,
    /// cache_size &lt;= 0) and the data problems of <see cref="Checks.Regression"/> (<c>data.empty</c>, <c>shape.rows_mismatch</c>,
    /// <c>data.nan_feature</c>, <c>data.nan_target</c>).</returns>
    public static Validation<Problem, SvrModel> Fit(SvrOptions options, Matrix x, IReadOnlyList<double> y)
    {
        var problems = new List<Problem>(Checks.Regression(x, y).Problems());
        problems.AddRange(CheckCommon(options.C, options.Kernel, options.Tol, options.MaxIter, options.CacheSize));
        if (!(options.Epsilon >= 0) || !double.IsFinite(options.Epsilon))
            problems.Add(new Problem("param.out_of_range", $"epsilon must be a finite number >= 0, found {options.Epsilon.ToString("R", CultureInfo.InvariantCulture)}; try epsilon=0.1"));
        if (problems.Count > 0) return Valid.Fail<SvrModel>(problems);

        var n = x.Rows;
        var k = options.Kernel;
        var gamma = SvmKernel.ResolveGamma(k.Gamma, x);
        var cache = new KernelCache(x, k.Kind, gamma, k.Degree, k.Coef0, options.CacheSize);
        var index = new int[2 * n];
        var sign = new sbyte[2 * n];
        var p = new double[2 * n];
        var c = new double[2 * n];
        for (var i = 0; i < n; i++)
        {
            index[i] = i; index[i + n] = i;
            sign[i] = 1; sign[i + n] = -1;
            p[i] = options.Epsilon - y[i];
            p[i + n] = options.Epsilon + y[i];
            c[i] = c[i + n] = options.C;
        }
        var q = new SignedKernel(cache, index, (sbyte[])sign.Clone());
        var s = Smo.Solve(q, p, sign, new double[2 * n], c, options.Tol, options.Shrinking, options.MaxIter);
        var support = new List<int>();
        var coef = new List<double>();
        for (var i = 0; i < n; i++)
        {
            var a = s.Alpha[i] - s.Alpha[i + n];
            if (Math.Abs(a) > 0) { support.Add(i); coef.Add(a); }
        }
        return Valid.Ok(new SvrModel(options, support, x.SelectRows(support.ToArray()), coef, -s.Rho, gamma, s.Iterations, s.ReachedMaxIter));
    }

    /// <summary>Predicts with a fitted model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features of the training rows).</param>
    /// <returns>Predictions sum_i dual_coef_i k(sv_i, x) + intercept, length n_samples.</returns>
    /// <exception cref="ArgumentException">When the number of columns differs from the training rows' (a programmer error).</exception>
    public static double[] Predict(SvrModel model, Matrix x)
    {
        var sv = model.SupportVectors;
        if (sv.Rows > 0 && x.Cols != sv.Cols) throw new ArgumentException($"X has {x.Cols} columns; the model was fitted on {sv.Cols}.", nameof(x));
        var k = model.Options.Kernel;
        var kv = SvmKernel.Cross(k.Kind, model.Gamma, k.Degree, k.Coef0, x, sv);
        var coef = Vec.AsSpan(model.DualCoef);
        var result = new double[x.Rows];
        for (var i = 0; i < x.Rows; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < coef.Length; j++) sum += coef[j] * kv[i * coef.Length + j];
            result[i] = sum + model.Intercept;
        }
        return result;
    }

    /// <summary>Writes a fitted model for a model file: <c>n_features_in_</c>, <c>support_</c>, <c>support_vectors_</c>, <c>dual_coef_</c>,
    /// <c>intercept_</c>, the resolved <c>_gamma</c>, <c>n_iter_</c> and whether max_iter stopped the solver.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The state.</returns>
    internal static StateNode Write(SvrModel model) => new StateNode()
        .Int("n_features_in_", model.SupportVectors.Cols).Ints("support_", model.Support.ToArray()).Matrix("support_vectors_", model.SupportVectors)
        .Floats("dual_coef_", model.DualCoef.ToArray()).Float("intercept_", model.Intercept).Float("_gamma", model.Gamma)
        .Int("n_iter_", model.NIter).Bool("reached_max_iter", model.ReachedMaxIter);

    /// <summary>Reads a model written by <see cref="Write"/>: one finite dual coefficient and training-row index per finite support vector
    /// of <c>n_features_in_</c> columns, gamma finite and &gt; 0.</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    internal static Validation<Problem, SvrModel> Read(SvrOptions options, StateReader r)
    {
        var p = r.Int("n_features_in_", 1, ModelState.MaxFeatures);
        var support = r.Ints("support_", null, 0);
        var sv = r.Ok ? ModelState.Matrix(r, "support_vectors_", support.Length, p, minRows: 0) : Matrix.FromRowMajor(0, 0, []);
        var coef = r.Ok ? r.Floats("dual_coef_", support.Length) : [];
        var intercept = r.Float("intercept_");
        var gamma = ModelState.Positive(r, "_gamma");
        var nIter = r.Int("n_iter_");
        var reached = r.Bool("reached_max_iter");
        return ModelState.Finish(r, () => new SvrModel(options, support, sv, coef, intercept, gamma, nIter, reached));
    }
}
