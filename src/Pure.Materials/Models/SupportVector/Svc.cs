using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Classification;

namespace Pure.Materials.Models.SupportVector;

/// <summary>Hyper-parameters of the C-support vector classifier (scikit-learn <c>SVC</c> names and defaults).</summary>
public sealed record SvcOptions
{
    /// <summary><c>C</c>: the penalty on margin violations, &gt; 0. Default 1.0.</summary>
    public double C { get; init; } = 1.0;

    /// <summary>The kernel: <c>kernel</c>, <c>gamma</c>, <c>degree</c>, <c>coef0</c>. Default rbf, gamma='scale'.</summary>
    public SvmKernelOptions Kernel { get; init; } = new();

    /// <summary><c>tol</c>: stopping tolerance on the maximal violating pair, &gt; 0. Default 1e-3.</summary>
    public double Tol { get; init; } = 1e-3;

    /// <summary><c>max_iter</c>: SMO iterations per binary problem, -1 for no limit. Default -1.</summary>
    public int MaxIter { get; init; } = -1;

    /// <summary><c>shrinking</c>: use the shrinking heuristic. Default true.</summary>
    public bool Shrinking { get; init; } = true;

    /// <summary><c>cache_size</c>: memory budget for kernel rows per binary problem, in MB. Default 200.</summary>
    public double CacheSize { get; init; } = 200;

    /// <summary><c>probability</c>: also fit Platt sigmoids (5-fold internal cross-validation on seeded folds) so that
    /// <see cref="Svc.PredictProba"/> is available; 6 fits per class pair instead of 1. Default false.</summary>
    public bool Probability { get; init; }
}

/// <summary>A fitted C-SVC in scikit-learn's layout (one-vs-one for more than two classes).</summary>
/// <param name="Options">The hyper-parameters it was fitted with.</param>
/// <param name="Classes"><c>classes_</c>, ascending, shape (n_classes,).</param>
/// <param name="Support"><c>support_</c>: training-row indices of the support vectors, grouped by class (classes ascending), shape (n_SV,).</param>
/// <param name="SupportVectors"><c>support_vectors_</c>: shape (n_SV, n_features), in the order of <paramref name="Support"/>.</param>
/// <param name="NSupport"><c>n_support_</c>: support vectors per class, shape (n_classes,).</param>
/// <param name="DualCoef"><c>dual_coef_</c>: shape (n_classes - 1, n_SV): y_i alpha_i in libsvm's one-vs-one layout (sign flipped for two classes, as scikit-learn).</param>
/// <param name="Intercept"><c>intercept_</c>: shape (n_classes * (n_classes - 1) / 2,), pairs (0,1), (0,2), ..., (1,2), ...: -rho (rho for two classes).</param>
/// <param name="ProbA"><c>probA_</c>: Platt slopes per pair (libsvm's sign convention), or null without <c>probability</c>.</param>
/// <param name="ProbB"><c>probB_</c>: Platt offsets per pair, or null.</param>
/// <param name="Gamma">The kernel's gamma as resolved on the training rows (<c>_gamma</c>).</param>
/// <param name="NIter"><c>n_iter_</c>: SMO iterations per pair.</param>
public sealed record SvcModel(SvcOptions Options, IReadOnlyList<int> Classes, IReadOnlyList<int> Support, Matrix SupportVectors,
    IReadOnlyList<int> NSupport, Matrix DualCoef, IReadOnlyList<double> Intercept, IReadOnlyList<double>? ProbA, IReadOnlyList<double>? ProbB,
    double Gamma, IReadOnlyList<int> NIter)
{
    /// <summary><c>classes_</c>, ascending, shape (n_classes,).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<int> Classes { get; init => field = Vec.From(value); } = Vec.From(Classes);

    /// <summary><c>support_</c>: training-row indices of the support vectors, grouped by class (classes ascending), shape (n_SV,).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<int> Support { get; init => field = Vec.From(value); } = Vec.From(Support);

    /// <summary><c>n_support_</c>: support vectors per class, shape (n_classes,).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<int> NSupport { get; init => field = Vec.From(value); } = Vec.From(NSupport);

    /// <summary><c>intercept_</c>: shape (n_classes * (n_classes - 1) / 2,), pairs (0,1), (0,2), ..., (1,2), ...: -rho (rho for two classes).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> Intercept { get; init => field = Vec.From(value); } = Vec.From(Intercept);

    /// <summary><c>probA_</c>: Platt slopes per pair (libsvm's sign convention), or null without <c>probability</c>.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double>? ProbA { get; init => field = value is null ? null : Vec.From(value); } = ProbA is null ? null : Vec.From(ProbA);

    /// <summary><c>probB_</c>: Platt offsets per pair, or null.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double>? ProbB { get; init => field = value is null ? null : Vec.From(value); } = ProbB is null ? null : Vec.From(ProbB);

    /// <summary><c>n_iter_</c>: SMO iterations per pair.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<int> NIter { get; init => field = Vec.From(value); } = Vec.From(NIter);
}

/// <summary>Fits and applies the C-support vector classifier by SMO (libsvm's algorithm, as scikit-learn 1.2.1's <c>SVC</c>).</summary>
/// <remarks>
/// For each pair of classes (i &lt; j), with y = +1 for class i and -1 for class j, solves
/// min 0.5 a'Qa - sum a subject to y'a = 0, 0 &lt;= a &lt;= C (Q_st = y_s y_t k(x_s, x_t)) by <see cref="Smo"/>; the pair's decision
/// value is f_ij(x) = sum_s y_s a_s k(x_s, x) - rho_ij. <see cref="Predict"/> votes (f_ij &gt; 0 for i, else j; the smallest class
/// wins a tie), as libsvm and scikit-learn's <c>predict</c>. <see cref="DecisionFunction"/> is scikit-learn's
/// <c>decision_function_shape='ovr'</c>: votes + sum of confidences / (3 (|sum| + 1)); for two classes it is -f_01 (positive for
/// Classes[1]). Probabilities (<see cref="SvcOptions.Probability"/>): libsvm's Platt scaling on decision values of an internal
/// 5-fold cross-validation, then pairwise coupling; the folds are drawn from the given <see cref="Rng"/> (libsvm draws them from its
/// own generator, so probabilities agree with scikit-learn's only statistically, not digit for digit). Everything else is
/// deterministic. Pairs are solved in parallel, each alone, so the model does not depend on the thread count.
/// Source: Chang and Lin, LIBSVM (2011) sections 4 and 7-8; Platt (1999); Lin, Lin and Weng (2007); Wu, Lin and Weng (2004);
/// scikit-learn 1.2.1 <c>sklearn/svm/_base.py</c> (sign conventions, <c>_ovr_decision_function</c>).
/// </remarks>
public static class Svc
{
    /// <summary>Fits a C-SVC.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite (standardise them first).</param>
    /// <param name="y">Labels, length n_samples, at least two distinct values.</param>
    /// <param name="rng">Stream for the probability folds (unused without <see cref="SvcOptions.Probability"/>).</param>
    /// <returns>The model, or <c>param.out_of_range</c> (C &lt;= 0, gamma &lt;= 0, degree &lt; 1, tol &lt;= 0, max_iter 0 or &lt; -1, cache_size &lt;= 0)
    /// and the problems of <see cref="ClassifierChecks.Check"/> (<c>data.empty</c>, <c>shape.rows_mismatch</c>, <c>data.nan_feature</c>, <c>data.single_class</c>).</returns>
    public static Validation<Problem, SvcModel> Fit(SvcOptions options, Matrix x, IReadOnlyList<int> y, Rng rng)
    {
        var check = ClassifierChecks.Check(x, y);
        var problems = new List<Problem>(check.Problems());
        problems.AddRange(Svr.CheckCommon(options.C, options.Kernel, options.Tol, options.MaxIter, options.CacheSize));
        if (problems.Count > 0) return Valid.Fail<SvcModel>(problems);
        var classes = check.OrThrow();
        var nClass = classes.Length;
        var k = options.Kernel;
        var gamma = SvmKernel.ResolveGamma(k.Gamma, x);
        var cls = ClassifierChecks.IndexOf(classes, y);
        // Group rows by class, keeping their order (libsvm's svm_group_classes).
        var grouped = Enumerable.Range(0, x.Rows).OrderBy(i => cls[i]).ToArray();
        var count = new int[nClass];
        foreach (var c in cls) count[c]++;
        var start = new int[nClass];
        for (var c = 1; c < nClass; c++) start[c] = start[c - 1] + count[c - 1];
        var xg = x.SelectRows(grouped);

        var pairs = new List<(int I, int J)>();
        for (var i = 0; i < nClass; i++)
            for (var j = i + 1; j < nClass; j++) pairs.Add((i, j));
        var (streams, _) = rng.SplitMany(pairs.Count);
        var alphas = new double[pairs.Count][];
        var rhos = new double[pairs.Count];
        var iters = new int[pairs.Count];
        var probA = options.Probability ? new double[pairs.Count] : null;
        var probB = options.Probability ? new double[pairs.Count] : null;
        Parallel.For(0, pairs.Count, p =>
        {
            var (i, j) = pairs[p];
            var rows = Enumerable.Range(start[i], count[i]).Concat(Enumerable.Range(start[j], count[j])).ToArray();
            var sub = xg.SelectRows(rows);
            var sign = rows.Select(r => r < start[i] + count[i] ? (sbyte)1 : (sbyte)-1).ToArray();
            if (options.Probability)
                (probA![p], probB![p]) = BinaryProbability(options, gamma, sub, sign, options.C, options.C, streams[p]);
            var s = TrainBinary(options, gamma, sub, sign, options.C, options.C);
            alphas[p] = s.Alpha;
            rhos[p] = s.Rho;
            iters[p] = s.Iterations;
        });

        // Support vectors: rows with a non-zero coefficient in any pair (libsvm's "nonzero").
        var nonzero = new bool[x.Rows];
        for (var p = 0; p < pairs.Count; p++)
        {
            var (i, j) = pairs[p];
            for (var t = 0; t < count[i]; t++) if (Math.Abs(alphas[p][t]) > 0) nonzero[start[i] + t] = true;
            for (var t = 0; t < count[j]; t++) if (Math.Abs(alphas[p][count[i] + t]) > 0) nonzero[start[j] + t] = true;
        }
        var nSupport = new int[nClass];
        var svPositions = new List<int>();
        for (var c = 0; c < nClass; c++)
            for (var t = 0; t < count[c]; t++)
                if (nonzero[start[c] + t]) { nSupport[c]++; svPositions.Add(start[c] + t); }
        var nSv = svPositions.Count;
        var nzStart = new int[nClass];
        for (var c = 1; c < nClass; c++) nzStart[c] = nzStart[c - 1] + nSupport[c - 1];
        var coef = new double[(nClass - 1) * nSv];
        var flip = nClass == 2 ? -1.0 : 1.0;
        for (var p = 0; p < pairs.Count; p++)
        {
            var (i, j) = pairs[p];
            var q = nzStart[i];
            for (var t = 0; t < count[i]; t++) if (nonzero[start[i] + t]) coef[(j - 1) * nSv + q++] = flip * alphas[p][t];
            q = nzStart[j];
            for (var t = 0; t < count[j]; t++) if (nonzero[start[j] + t]) coef[i * nSv + q++] = flip * alphas[p][count[i] + t];
        }
        var intercept = rhos.Select(r => nClass == 2 ? r : -r).Select(v => v == 0 ? 0.0 : v).ToArray();
        return Valid.Ok(new SvcModel(options, classes, svPositions.Select(g => grouped[g]).ToArray(), xg.SelectRows(svPositions.ToArray()),
            nSupport, Matrix.Own(nClass - 1, nSv, coef), intercept, probA, probB, gamma, iters));
    }

    /// <summary>Solves one binary C-SVC problem (labels +-1, costs Cp for +1 and Cn for -1); alpha returned as y_s a_s.</summary>
    private static SmoSolution TrainBinary(SvcOptions options, double gamma, Matrix x, sbyte[] y, double cp, double cn)
    {
        var n = x.Rows;
        var k = options.Kernel;
        var cache = new KernelCache(x, k.Kind, gamma, k.Degree, k.Coef0, options.CacheSize);
        var q = new SignedKernel(cache, Enumerable.Range(0, n).ToArray(), (sbyte[])y.Clone());
        var p = new double[n];
        Array.Fill(p, -1.0);
        var c = y.Select(v => v > 0 ? cp : cn).ToArray();
        var s = Smo.Solve(q, p, y, new double[n], c, options.Tol, options.Shrinking, options.MaxIter);
        for (var i = 0; i < n; i++) s.Alpha[i] *= y[i];
        return s;
    }

    /// <summary>libsvm's <c>svm_binary_svc_probability</c>: decision values of a 5-fold cross-validation (folds from <paramref name="rng"/>),
    /// then Platt's sigmoid fitted to them.</summary>
    private static (double A, double B) BinaryProbability(SvcOptions options, double gamma, Matrix x, sbyte[] y, double cp, double cn, Rng rng)
    {
        const int folds = 5;
        var l = x.Rows;
        var perm = Enumerable.Range(0, l).ToArray();
        for (var i = 0; i < l; i++)
        {
            (var r, rng) = rng.NextInt(l - i);
            (perm[i], perm[i + r]) = (perm[i + r], perm[i]);
        }
        var dec = new double[l];
        var kernel = options.Kernel;
        for (var f = 0; f < folds; f++)
        {
            var begin = f * l / folds;
            var end = (f + 1) * l / folds;
            var train = perm.Take(begin).Concat(perm.Skip(end)).ToArray();
            var pos = train.Count(i => y[i] > 0);
            var neg = train.Length - pos;
            if (pos == 0 || neg == 0)
            {
                var v = pos == 0 && neg == 0 ? 0.0 : pos > 0 ? 1.0 : -1.0;
                for (var t = begin; t < end; t++) dec[perm[t]] = v;
                continue;
            }
            var xs = x.SelectRows(train);
            var ys = train.Select(i => y[i]).ToArray();
            var s = TrainBinary(options, gamma, xs, ys, cp, cn);
            var sv = Enumerable.Range(0, train.Length).Where(i => Math.Abs(s.Alpha[i]) > 0).ToArray();
            var svx = xs.SelectRows(sv);
            var held = x.SelectRows(perm[begin..end]);
            var kv = SvmKernel.Cross(kernel.Kind, gamma, kernel.Degree, kernel.Coef0, held, svx);
            for (var t = 0; t < end - begin; t++)
            {
                var sum = 0.0;
                for (var m = 0; m < sv.Length; m++) sum += s.Alpha[sv[m]] * kv[t * sv.Length + m];
                dec[perm[begin + t]] = sum - s.Rho;
            }
        }
        return Platt.SigmoidTrain(dec, y.Select(v => (double)v).ToArray());
    }

    /// <summary>libsvm's pairwise decision values f_ij(x), shape (n_samples, n_pairs), pairs (0,1), (0,2), ..., (1,2), ...</summary>
    private static double[] PairValues(SvcModel model, Matrix x)
    {
        var sv = model.SupportVectors;
        if (sv.Rows > 0 && x.Cols != sv.Cols) throw new ArgumentException($"X has {x.Cols} columns; the model was fitted on {sv.Cols}.", nameof(x));
        var k = model.Options.Kernel;
        var nClass = model.Classes.Count;
        var nPairs = nClass * (nClass - 1) / 2;
        var nSv = sv.Rows;
        var kv = SvmKernel.Cross(k.Kind, model.Gamma, k.Degree, k.Coef0, x, sv);
        var flip = nClass == 2 ? -1.0 : 1.0;
        var coef = model.DualCoef.Data;
        var nSupport = Vec.AsSpan(model.NSupport);
        var intercept = Vec.AsSpan(model.Intercept);
        var start = new int[nClass];
        for (var c = 1; c < nClass; c++) start[c] = start[c - 1] + nSupport[c - 1];
        var result = new double[x.Rows * nPairs];
        for (var r = 0; r < x.Rows; r++)
        {
            var p = 0;
            for (var i = 0; i < nClass; i++)
                for (var j = i + 1; j < nClass; j++)
                {
                    var sum = 0.0;
                    for (var t = 0; t < nSupport[i]; t++) sum += flip * coef[(j - 1) * nSv + start[i] + t] * kv[r * nSv + start[i] + t];
                    for (var t = 0; t < nSupport[j]; t++) sum += flip * coef[i * nSv + start[j] + t] * kv[r * nSv + start[j] + t];
                    var rho = nClass == 2 ? intercept[p] : -intercept[p];
                    result[r * nPairs + p] = sum - rho;
                    p++;
                }
        }
        return result;
    }

    /// <summary>Computes scikit-learn's <c>decision_function</c> with the default <c>decision_function_shape='ovr'</c>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>Two classes: shape (n_samples, 1), positive for Classes[1]; more: shape (n_samples, n_classes),
    /// votes_k + s_k / (3 (|s_k| + 1)) with s_k the sum of the pairwise confidences for class k.</returns>
    public static Matrix DecisionFunction(SvcModel model, Matrix x)
    {
        var nClass = model.Classes.Count;
        var dec = PairValues(model, x);
        if (nClass == 2) return Matrix.Own(x.Rows, 1, dec.Select(v => -v).ToArray());
        var nPairs = nClass * (nClass - 1) / 2;
        var result = new double[x.Rows * nClass];
        var conf = new double[nClass];
        for (var r = 0; r < x.Rows; r++)
        {
            Array.Clear(conf);
            var row = result.AsSpan(r * nClass, nClass);
            var p = 0;
            for (var i = 0; i < nClass; i++)
                for (var j = i + 1; j < nClass; j++)
                {
                    var d = dec[r * nPairs + p++];
                    conf[i] += d;
                    conf[j] -= d;
                    if (d < 0) row[j] += 1; else row[i] += 1;
                }
            for (var c = 0; c < nClass; c++) row[c] += conf[c] / (3 * (Math.Abs(conf[c]) + 1));
        }
        return Matrix.Own(x.Rows, nClass, result);
    }

    /// <summary>Computes scikit-learn's <c>decision_function</c> with <c>decision_function_shape='ovo'</c>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>Shape (n_samples, n_classes (n_classes - 1) / 2): f_ij, positive for class i, pairs (0,1), (0,2), ..., (1,2), ...;
    /// two classes: shape (n_samples, 1), positive for Classes[1], as scikit-learn.</returns>
    public static Matrix DecisionFunctionOvo(SvcModel model, Matrix x)
    {
        if (model.Classes.Count == 2) return DecisionFunction(model, x);
        var nPairs = model.Intercept.Count;
        return Matrix.Own(x.Rows, nPairs, PairValues(model, x));
    }

    /// <summary>Counts one-vs-one votes.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>Votes, shape (n_samples, n_classes); each row sums to n_classes (n_classes - 1) / 2.</returns>
    public static Matrix Votes(SvcModel model, Matrix x)
    {
        var nClass = model.Classes.Count;
        var nPairs = nClass * (nClass - 1) / 2;
        var dec = PairValues(model, x);
        var votes = new double[x.Rows * nClass];
        for (var r = 0; r < x.Rows; r++)
        {
            var p = 0;
            for (var i = 0; i < nClass; i++)
                for (var j = i + 1; j < nClass; j++)
                    votes[r * nClass + (dec[r * nPairs + p++] > 0 ? i : j)] += 1;
        }
        return Matrix.Own(x.Rows, nClass, votes);
    }

    /// <summary>Predicts labels by one-vs-one voting, as libsvm and scikit-learn's <c>SVC.predict</c> (<c>break_ties=False</c>).</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>Labels, shape (n_samples,); on a tie of votes the smallest label.</returns>
    public static int[] Predict(SvcModel model, Matrix x) => ClassifierPredictor.ArgMax(model.Classes, Votes(model, x));

    /// <summary>Predicts class probabilities by Platt scaling and pairwise coupling (libsvm's <c>predict_probability</c>).</summary>
    /// <param name="model">A model fitted with <see cref="SvcOptions.Probability"/>.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>Probabilities, shape (n_samples, n_classes), rows summing to 1; or <c>model.no_probability</c> when the model was
    /// fitted without <c>probability=true</c>.</returns>
    public static Validation<Problem, Matrix> PredictProba(SvcModel model, Matrix x)
    {
        if (model.ProbA is not { } a || model.ProbB is not { } b)
            return Valid.Fail<Matrix>("model.no_probability", "this SVC was fitted with probability=false; refit with probability=true to get predicted probabilities");
        var nClass = model.Classes.Count;
        var nPairs = nClass * (nClass - 1) / 2;
        var dec = PairValues(model, x);
        var result = new double[x.Rows * nClass];
        const double minProb = 1e-7;
        var r2 = new double[nClass, nClass];
        for (var r = 0; r < x.Rows; r++)
        {
            var p = 0;
            for (var i = 0; i < nClass; i++)
                for (var j = i + 1; j < nClass; j++)
                {
                    var v = Math.Min(Math.Max(Platt.SigmoidPredict(dec[r * nPairs + p], a[p], b[p]), minProb), 1 - minProb);
                    r2[i, j] = v;
                    r2[j, i] = 1 - v;
                    p++;
                }
            var probs = Platt.MulticlassProbability(nClass, r2);
            probs.CopyTo(result.AsSpan(r * nClass, nClass));
        }
        return Valid.Ok(Matrix.Own(x.Rows, nClass, result));
    }

    /// <summary>Writes a fitted model for a model file: <c>classes_</c>, <c>n_features_in_</c>, <c>support_</c>, <c>support_vectors_</c>,
    /// <c>n_support_</c>, <c>dual_coef_</c>, <c>intercept_</c>, Platt's <c>probA_</c>/<c>probB_</c> when fitted with probability, <c>_gamma</c>, <c>n_iter_</c>.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The state.</returns>
    internal static StateNode Write(SvcModel model)
    {
        var node = new StateNode()
            .Ints("classes_", model.Classes.ToArray()).Int("n_features_in_", model.SupportVectors.Cols).Ints("support_", model.Support.ToArray())
            .Matrix("support_vectors_", model.SupportVectors).Ints("n_support_", model.NSupport.ToArray()).Matrix("dual_coef_", model.DualCoef)
            .Floats("intercept_", model.Intercept.ToArray());
        if (model.ProbA is { } a) node.Floats("probA_", a.ToArray());
        if (model.ProbB is { } b) node.Floats("probB_", b.ToArray());
        return node.Float("_gamma", model.Gamma).Ints("n_iter_", model.NIter.ToArray());
    }

    /// <summary>Reads a model written by <see cref="Write"/>: support vectors grouped by class (<c>n_support_</c> sums to their count), dual
    /// coefficients of shape (n_classes - 1, n_SV), one intercept, Platt pair and iteration count per pair of classes (the Platt pair
    /// present exactly when the options ask for probabilities), every value finite.</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    internal static Validation<Problem, SvcModel> Read(SvcOptions options, StateReader r)
    {
        var classes = ClassifierChecks.ReadClasses(r);
        var p = r.Int("n_features_in_", 1, ModelState.MaxFeatures);
        var support = r.Ints("support_", null, 0);
        if (!r.Ok) return Valid.Fail<SvcModel>(r.Problems);
        // Every length below derives from classes_ (up to 32768 labels, so up to 5e8 pairs): read first, compare after, never allocate by it.
        int k = classes.Length, nSv = support.Length, pairs = k * (k - 1) / 2;
        var sv = ModelState.Matrix(r, "support_vectors_", nSv, p, minRows: 0);
        var nSupport = ModelState.Ints(r, "n_support_", k, 0, nSv);
        if (r.Ok && nSupport.Sum(c => (long)c) != nSv) r.Fail("n_support_", $"sums to {nSupport.Sum(c => (long)c)}, expected the {nSv} support vectors");
        var coef = r.Ok ? ModelState.Matrix(r, "dual_coef_", k - 1, nSv, minRows: 0) : Matrix.FromRowMajor(0, 0, []);
        var intercept = r.Ok ? ModelState.Floats(r, "intercept_", pairs) : [];
        foreach (var name in (string[])["probA_", "probB_"])
            if (r.Has(name) != options.Probability)
                r.Fail(name, options.Probability ? "missing (the model was fitted with probability=true)" : "present, but the model was fitted with probability=false");
        var probA = r.Ok && options.Probability ? ModelState.Floats(r, "probA_", pairs) : null;
        var probB = r.Ok && options.Probability ? ModelState.Floats(r, "probB_", pairs) : null;
        var gamma = ModelState.Positive(r, "_gamma");
        var nIter = r.Ok ? ModelState.Ints(r, "n_iter_", pairs, 0) : [];
        return ModelState.Finish(r, () => new SvcModel(options, classes, support, sv, nSupport, coef, intercept, probA, probB, gamma, nIter));
    }
}
