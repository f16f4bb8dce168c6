using System.Numerics.Tensors;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Gaussian;

/// <summary>Hyper-parameters of Gaussian-process regression (scikit-learn <c>GaussianProcessRegressor</c> names and defaults).</summary>
public sealed record GaussianProcessOptions
{
    /// <summary><c>kernel</c>: the prior covariance; null (default) is scikit-learn's default
    /// <c>ConstantKernel(1.0, "fixed") * RBF(1.0, "fixed")</c>.</summary>
    public Kernel? Kernel { get; init; }

    /// <summary><c>alpha</c>: value added to the diagonal of K(X, X) during fit (noise variance / jitter), &gt;= 0; default 1e-10.</summary>
    public double Alpha { get; init; } = 1e-10;

    /// <summary><c>normalize_y</c>: centre y by its mean and divide by its (population) std before fitting; predictions are
    /// transformed back. Default false.</summary>
    public bool NormalizeY { get; init; }

    /// <summary><c>optimizer</c>: true (default) maximises the log marginal likelihood over the kernel's log hyper-parameters with
    /// <see cref="BoundedLbfgs"/>; false keeps the kernel as given (scikit-learn's <c>optimizer=None</c>).</summary>
    public bool Optimize { get; init; } = true;

    /// <summary><c>n_restarts_optimizer</c>: extra optimiser runs from starts drawn log-uniformly within the bounds, &gt;= 0; default 0.</summary>
    public int NRestartsOptimizer { get; init; }

    /// <summary>Tolerances of the optimiser (scipy's <c>fmin_l_bfgs_b</c> defaults).</summary>
    public LbfgsOptions Optimizer { get; init; } = new();

    /// <summary>The kernel actually used: <see cref="Kernel"/> or scikit-learn's default.</summary>
    public Kernel KernelOrDefault => Kernel ?? new ProductKernel(
        new ConstantKernel { ConstantValue = 1.0, ConstantValueBounds = Bounds.Fixed },
        new RbfKernel { LengthScale = [1.0], LengthScaleBounds = Bounds.Fixed });
}

/// <summary>One run of the hyper-parameter optimiser.</summary>
/// <param name="Start">Starting log hyper-parameters, shape (n_theta,).</param>
/// <param name="Theta">Log hyper-parameters found, shape (n_theta,).</param>
/// <param name="LogMarginalLikelihood">Log marginal likelihood there (-inf when K could not be factored).</param>
/// <param name="Iterations">Optimiser iterations.</param>
/// <param name="Converged">Whether a tolerance was met.</param>
/// <param name="Message">Why the optimiser stopped.</param>
public sealed record OptimizerRun(IReadOnlyList<double> Start, IReadOnlyList<double> Theta, double LogMarginalLikelihood, int Iterations, bool Converged, string Message)
{
    /// <summary>Starting log hyper-parameters, shape (n_theta,).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> Start { get; init => field = Vec.From(value); } = Vec.From(Start);

    /// <summary>Log hyper-parameters found, shape (n_theta,).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> Theta { get; init => field = Vec.From(value); } = Vec.From(Theta);
}

/// <summary>A fitted Gaussian process.</summary>
/// <param name="Options">The hyper-parameters it was fitted with.</param>
/// <param name="Kernel"><c>kernel_</c>: the kernel with the optimised hyper-parameters.</param>
/// <param name="XTrain"><c>X_train_</c>, shape (n_samples, n_features).</param>
/// <param name="YTrain">The training targets as given, shape (n_samples,).</param>
/// <param name="YMean"><c>_y_train_mean</c> (0 without normalize_y).</param>
/// <param name="YStd"><c>_y_train_std</c> (1 without normalize_y; 1 when y is constant).</param>
/// <param name="DualCoef"><c>alpha_</c> = (K + alpha I)^{-1} y_normalised, shape (n_samples,).</param>
/// <param name="LogMarginalLikelihood"><c>log_marginal_likelihood_value_</c> at <see cref="Kernel"/>.</param>
/// <param name="Jitter">Extra value added to the diagonal because K + alpha I could not be factored (0 when none was needed).</param>
/// <param name="Warnings">Hyper-parameters close to a bound, jitter used, optimiser runs that did not converge.</param>
/// <param name="Runs">Every optimiser run, the first from the kernel's own hyper-parameters (empty without optimisation).</param>
public sealed record GaussianProcessModel(
    GaussianProcessOptions Options,
    Kernel Kernel,
    Matrix XTrain,
    IReadOnlyList<double> YTrain,
    double YMean,
    double YStd,
    IReadOnlyList<double> DualCoef,
    double LogMarginalLikelihood,
    double Jitter,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<OptimizerRun> Runs) : IPredictsStd
{
    /// <summary>The training targets as given, shape (n_samples,).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> YTrain { get; init => field = Vec.From(value); } = Vec.From(YTrain);

    /// <summary><c>alpha_</c> = (K + alpha I)^{-1} y_normalised, shape (n_samples,).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> DualCoef { get; init => field = Vec.From(value); } = Vec.From(DualCoef);

    /// <summary>Hyper-parameters close to a bound, jitter used, optimiser runs that did not converge.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<string> Warnings { get; init => field = Vec.From(value); } = Vec.From(Warnings);

    /// <summary>Every optimiser run, the first from the kernel's own hyper-parameters (empty without optimisation).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<OptimizerRun> Runs { get; init => field = Vec.From(value); } = Vec.From(Runs);

    /// <inheritdoc/>
    public (double[] Mean, double[] Std) PredictWithStd(Matrix x) => GaussianProcess.PredictWithStd(this, x);

    /// <summary><c>L_</c>: lower Cholesky factor of K + (alpha + jitter) I, row-major (n_samples * n_samples); part of equality.</summary>
    internal Vec<double> FactorVec { get; init; } = Vec<double>.Empty;

    /// <summary><c>L_</c> as an array: a copy of <see cref="FactorVec"/> when read; setting it stores a copy (no backing field, so
    /// record equality compares <see cref="FactorVec"/> by value).</summary>
    internal double[] Factor
    {
        get => FactorVec.ToArray();
        init => FactorVec = Vec.Of<double>(value);
    }

    /// <summary>Number of features seen in fit.</summary>
    public int NFeatures => XTrain.Cols;
}

/// <summary>Fits Gaussian-process regression and predicts means, standard deviations, covariances and posterior samples.</summary>
/// <remarks>
/// Algorithm 2.1 of Rasmussen and Williams: L = cholesky(K + alpha I), a = L^T \ (L \ y), mean f* = k*^T a,
/// v = L \ k*, var f* = k(x*, x*) - v^T v (clipped at 0), log p(y|X) = -y^T a / 2 - sum_i log L_ii - n/2 log(2 pi).
/// Gradient (eq. 5.9): d log p / d theta_k = tr((a a^T - K^{-1}) dK/dtheta_k) / 2, with theta the log hyper-parameters.
/// Hyper-parameters maximise log p(y|X) by <see cref="BoundedLbfgs"/> from the kernel's values and from
/// <see cref="GaussianProcessOptions.NRestartsOptimizer"/> starts drawn uniformly in the log bounds, each from its own
/// split random stream (the result does not depend on thread count); the run with the highest likelihood wins.
/// When K + alpha I cannot be factored at the final hyper-parameters, jitter 10^k * mean(diag K) for k = -10, -9, ..., -4
/// is added in turn; the value used is recorded in <see cref="GaussianProcessModel.Jitter"/> and in the warnings.
/// Source: Rasmussen and Williams, Gaussian Processes for Machine Learning (MIT Press, 2006), Algorithm 2.1 and eq. 5.9;
/// scikit-learn 1.2.1 <c>sklearn/gaussian_process/_gpr.py</c>.
/// </remarks>
public static class GaussianProcess
{
    /// <summary>Fits a Gaussian process.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite.</param>
    /// <param name="y">Targets, length n_samples, finite.</param>
    /// <param name="rng">Stream for the optimiser's restarts (unused without restarts).</param>
    /// <returns>The model, or <c>data.empty</c>, <c>shape.rows_mismatch</c>, <c>data.nan_feature</c>, <c>data.nan_target</c>,
    /// <c>param.out_of_range</c> (alpha &lt; 0, restarts &lt; 0, restarts with infinite bounds, bad kernel values),
    /// <c>shape.kernel_features</c> (ARD length scale of the wrong length), <c>linalg.not_positive_definite</c>
    /// (K + alpha I not factorable even with jitter 1e-4 * mean(diag K): increase alpha or add a WhiteKernel).</returns>
    public static Validation<Problem, GaussianProcessModel> Fit(GaussianProcessOptions options, Matrix x, IReadOnlyList<double> y, Rng rng)
    {
        var problems = new List<Problem>(Checks.Regression(x, y).Problems());
        var kernel = options.KernelOrDefault;
        if (!(options.Alpha >= 0) || double.IsInfinity(options.Alpha))
            problems.Add(new Problem("param.out_of_range", $"alpha must be a finite number >= 0, found {options.Alpha}; try alpha=1e-10"));
        if (options.NRestartsOptimizer < 0)
            problems.Add(new Problem("param.out_of_range", $"n_restarts_optimizer must be >= 0, found {options.NRestartsOptimizer}"));
        if (kernel.RequiredFeatures is int need && need != x.Cols)
            problems.Add(new Problem("shape.kernel_features", $"the kernel has an anisotropic length scale of {need} values but X has {x.Cols} features; give one length scale per feature"));
        foreach (var h in kernel.Hyperparameters)
        {
            if (h.Value.Any(v => !(v > 0) || !double.IsFinite(v)))
                problems.Add(new Problem("param.out_of_range", $"kernel hyper-parameter {h.Name} = {Kernel.Num(h.Value)} must be finite and > 0"));
            if (!h.Bounds.IsFixed && !(h.Bounds.Lower > 0 && h.Bounds.Upper >= h.Bounds.Lower))
                problems.Add(new Problem("param.out_of_range", $"bounds of {h.Name} are {h.Bounds}; they must satisfy 0 < lower <= upper"));
        }
        if (options.Optimize && options.NRestartsOptimizer > 0 && kernel.ThetaBounds.Any(b => !double.IsFinite(b.Lower) || !double.IsFinite(b.Upper)))
            problems.Add(new Problem("param.out_of_range", "n_restarts_optimizer > 0 needs finite bounds on every hyper-parameter"));
        if (problems.Count > 0) return Valid.Fail<GaussianProcessModel>(problems);

        var n = x.Rows;
        double yMean = 0, yStd = 1;
        if (options.NormalizeY)
        {
            yMean = y.Average();
            yStd = Math.Sqrt(y.Sum(v => (v - yMean) * (v - yMean)) / n);
            if (yStd < 10 * 2.220446049250313e-16) yStd = 1.0; // scikit-learn _handle_zeros_in_scale: below 10 machine epsilons
        }
        var yn = y.Select(v => (v - yMean) / yStd).ToArray();

        var warnings = new List<string>();
        var runs = new List<OptimizerRun>();
        if (options.Optimize && kernel.NTheta > 0)
        {
            var bounds = kernel.ThetaBounds;
            var lower = bounds.Select(b => b.Lower).ToArray();
            var upper = bounds.Select(b => b.Upper).ToArray();
            var starts = new List<double[]> { kernel.Theta };
            var (streams, _) = rng.SplitMany(options.NRestartsOptimizer);
            foreach (var s in streams)
            {
                var c = new RngCursor(s);
                starts.Add(lower.Select((lo, k) => lo + c.NextDouble() * (upper[k] - lo)).ToArray());
            }
            var k0 = kernel;
            // Runs are independent (each has its own start), so they run in parallel; results are kept in start order.
            var results = new OptimizerRun[starts.Count];
            Parallel.For(0, starts.Count, s =>
            {
                var r = BoundedLbfgs.Minimize(theta =>
                {
                    var (v, g) = Lml(k0.WithTheta(theta), options.Alpha, x, yn, true);
                    return double.IsFinite(v) ? (-v, g.Select(t => -t).ToArray()) : (double.PositiveInfinity, new double[theta.Length]);
                }, starts[s], lower, upper, options.Optimizer);
                results[s] = new OptimizerRun(starts[s], r.X, -r.F, r.Iterations, r.Converged, r.Message);
            });
            foreach (var run in results)
            {
                runs.Add(run);
                if (!run.Converged) warnings.Add($"optimiser run {runs.Count - 1} stopped without converging: {run.Message}");
            }
            var best = runs.MaxBy(r => r.LogMarginalLikelihood)!;
            kernel = kernel.WithTheta(best.Theta.ToArray());
            var names = kernel.ThetaNames;
            for (var k = 0; k < names.Length; k++)
            {
                var t = best.Theta[k];
                if (IsClose(t, lower[k]))
                    warnings.Add($"The optimal value found for {names[k]} is close to the specified lower bound {Kernel.Num(Math.Exp(lower[k]))}. Decreasing the bound and calling fit again may find a better value.");
                else if (IsClose(t, upper[k]))
                    warnings.Add($"The optimal value found for {names[k]} is close to the specified upper bound {Kernel.Num(Math.Exp(upper[k]))}. Increasing the bound and calling fit again may find a better value.");
            }
        }

        var km = kernel.Gram(x);
        var meanDiag = 0.0;
        for (var i = 0; i < n; i++) meanDiag += km[i * n + i];
        meanDiag = Math.Abs(meanDiag / n);
        var l = new double[n * n];
        var jitter = 0.0;
        var ok = Factor(km, n, options.Alpha, l);
        for (var e = -10; !ok && e <= -4; e++)
        {
            jitter = Math.Pow(10, e) * Math.Max(meanDiag, 1e-300);
            ok = Factor(km, n, options.Alpha + jitter, l);
        }
        if (!ok)
            return Valid.Fail<GaussianProcessModel>("linalg.not_positive_definite",
                $"K(X, X) + alpha I with kernel {kernel} and alpha={options.Alpha} is not positive definite even with jitter 1e-4 * mean(diag K); " +
                "increase alpha, add a WhiteKernel, or remove duplicated rows");
        if (jitter > 0) warnings.Add($"K + alpha I was not positive definite; added jitter {Kernel.Num(jitter)} to its diagonal");
        var a = (double[])yn.Clone();
        Dense.CholeskySolve(l, n, a);
        var lml = LmlFromFactor(l, n, yn, a);
        return Valid.Ok(new GaussianProcessModel(options, kernel, x, y.ToArray(), yMean, yStd, a, lml, jitter, warnings, runs) { FactorVec = Vec.Own(l) });
    }

    /// <summary>Computes the log marginal likelihood of normalised targets and its gradient with respect to log hyper-parameters.</summary>
    /// <param name="kernel">The kernel (its <see cref="Kernel.Theta"/> are the variables).</param>
    /// <param name="alpha">Value added to the diagonal, &gt;= 0.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <param name="y">Targets as the model sees them (after normalize_y), length n_samples.</param>
    /// <returns>log p(y | X, theta) and its gradient, shape (n_theta,); (-inf, zeros) when K + alpha I cannot be factored, as scikit-learn.</returns>
    public static (double Value, double[] Gradient) LogMarginalLikelihood(Kernel kernel, double alpha, Matrix x, IReadOnlyList<double> y) =>
        Lml(kernel, alpha, x, y.ToArray(), true);

    /// <summary>Computes the log marginal likelihood of a fitted model's data at other log hyper-parameters (scikit-learn's <c>log_marginal_likelihood(theta, eval_gradient=True)</c>).</summary>
    /// <param name="model">The model (its data, alpha and normalisation are used).</param>
    /// <param name="theta">Log hyper-parameters, length <c>model.Kernel.NTheta</c>.</param>
    /// <returns>The value and gradient.</returns>
    public static (double Value, double[] Gradient) LogMarginalLikelihood(GaussianProcessModel model, ReadOnlySpan<double> theta) =>
        Lml(model.Kernel.WithTheta(theta), model.Options.Alpha, model.XTrain, model.YTrain.Select(v => (v - model.YMean) / model.YStd).ToArray(), true);

    /// <summary>Predicts the posterior mean.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n, model.NFeatures).</param>
    /// <returns>Means in target units, length n.</returns>
    public static double[] Predict(GaussianProcessModel model, Matrix x) => Mean(model, model.Kernel.Cross(x, model.XTrain), x.Rows);

    /// <summary>Posterior means from the cross-kernel rows k(x_i, X_train), row-major (n_new, n_train).</summary>
    private static double[] Mean(GaussianProcessModel model, double[] ks, int rows)
    {
        var n = model.XTrain.Rows;
        var alpha = Vec.AsSpan(model.DualCoef);
        var mean = new double[rows];
        for (var i = 0; i < rows; i++) mean[i] = model.YStd * Reduce.Dot(ks.AsSpan(i * n, n), alpha) + model.YMean;
        return mean;
    }

    /// <summary>Predicts the posterior mean and standard deviation.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n, model.NFeatures).</param>
    /// <returns>Means and standard deviations (of y, i.e. including any <see cref="WhiteKernel"/> noise), length n each, std &gt;= 0.</returns>
    /// <remarks>var = k(x, x) - |L \ k*|^2, set to 0 when rounding makes it negative (scikit-learn does the same, with a warning).</remarks>
    public static (double[] Mean, double[] Std) PredictWithStd(GaussianProcessModel model, Matrix x)
    {
        var ks = model.Kernel.Cross(x, model.XTrain);
        var mean = Mean(model, ks, x.Rows); // before the solve below overwrites ks
        var diag = model.Kernel.Diag(x);
        var n = model.XTrain.Rows;
        var std = new double[x.Rows];
        Dense.SolveLowerRows(model.FactorVec.Memory, n, ks, x.Rows);
        for (var i = 0; i < x.Rows; i++)
        {
            var v = ks.AsSpan(i * n, n);
            var variance = diag[i] - Reduce.Dot(v, v);
            std[i] = Math.Sqrt(Math.Max(variance, 0.0)) * model.YStd;
        }
        return (mean, std);
    }

    /// <summary>Predicts the posterior mean and the full posterior covariance.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (m, model.NFeatures).</param>
    /// <returns>Means, length m, and covariance K(X*, X*) - V^T V scaled by YStd^2, shape (m, m) (not clipped).</returns>
    public static (double[] Mean, Matrix Covariance) PredictWithCovariance(GaussianProcessModel model, Matrix x)
    {
        var mean = Predict(model, x);
        var m = x.Rows;
        var n = model.XTrain.Rows;
        var v = model.Kernel.Cross(x, model.XTrain);
        Dense.SolveLowerRows(model.FactorVec.Memory, n, v, m);
        var cov = model.Kernel.Gram(x);
        var s2 = model.YStd * model.YStd;
        Parallel.For(0, m, i =>
        {
            for (var j = 0; j <= i; j++)
            {
                var c = (cov[i * m + j] - Reduce.Dot(v.AsSpan(i * n, n), v.AsSpan(j * n, n))) * s2;
                cov[i * m + j] = c;
                cov[j * m + i] = c;
            }
        });
        return (mean, Matrix.Own(m, m, cov));
    }

    /// <summary>Draws functions from the posterior at the given points.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (m, model.NFeatures).</param>
    /// <param name="nSamples">Number of draws, &gt;= 1.</param>
    /// <param name="rng">The random stream; same stream, same draws.</param>
    /// <returns>Samples, shape (m, nSamples) (scikit-learn's <c>sample_y</c> layout), or <c>param.out_of_range</c>.</returns>
    /// <remarks>f = mean + U sqrt(max(lambda, 0)) z with the eigen-decomposition cov = U diag(lambda) U^T (robust to the
    /// rank deficiency of posterior covariances) and z standard normal by Box-Muller. The draws differ from numpy's.</remarks>
    public static Validation<Problem, Matrix> SampleY(GaussianProcessModel model, Matrix x, int nSamples, Rng rng)
    {
        if (nSamples < 1) return Valid.Fail<Matrix>("param.out_of_range", $"n_samples must be >= 1, found {nSamples}");
        var (mean, cov) = PredictWithCovariance(model, x);
        var m = x.Rows;
        var c = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(m, m, (i, j) => cov[i, j]);
        var evd = c.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var u = evd.EigenVectors;
        var lambda = evd.EigenValues.Select(z => Math.Sqrt(Math.Max(z.Real, 0))).ToArray();
        var cursor = new RngCursor(rng);
        var result = new double[m * nSamples];
        var z = new double[m];
        for (var s = 0; s < nSamples; s++)
        {
            for (var k = 0; k < m; k++) z[k] = StandardNormal(ref cursor) * lambda[k];
            for (var i = 0; i < m; i++)
            {
                var acc = mean[i];
                for (var k = 0; k < m; k++) acc += u[i, k] * z[k];
                result[i * nSamples + s] = acc;
            }
        }
        return Valid.Ok(Matrix.Own(m, nSamples, result));
    }

    private static double StandardNormal(ref RngCursor c)
    {
        var u1 = 1.0 - c.NextDouble(); // (0, 1]
        var u2 = c.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static bool IsClose(double a, double b) => Math.Abs(a - b) <= 1e-8 + 1e-5 * Math.Abs(b);

    private static bool Factor(double[] k, int n, double add, double[] l)
    {
        k.CopyTo(l, 0);
        for (var i = 0; i < n; i++) l[i * n + i] += add;
        return Dense.CholeskyInPlace(l, n, 0.0);
    }

    private static double LmlFromFactor(double[] l, int n, double[] y, double[] a)
    {
        var logDet = 0.0;
        for (var i = 0; i < n; i++) logDet += Math.Log(l[i * n + i]);
        return -0.5 * Reduce.Dot(y, a) - logDet - n / 2.0 * Math.Log(2 * Math.PI);
    }

    internal static (double Value, double[] Gradient) Lml(Kernel kernel, double alpha, Matrix x, double[] y, bool gradient)
    {
        var n = x.Rows;
        var nTheta = kernel.NTheta;
        var km = kernel.Gram(x);
        var l = new double[n * n];
        if (!Factor(km, n, alpha, l)) return (double.NegativeInfinity, new double[nTheta]);
        var a = (double[])y.Clone();
        Dense.CholeskySolve(l, n, a);
        var value = LmlFromFactor(l, n, y, a);
        var grad = new double[nTheta];
        if (!gradient || nTheta == 0) return (value, grad);
        // W = a a^T - K^{-1}; dlogp/dtheta_k = 0.5 sum_ij W_ij dK_ij/dtheta_k.
        var w = Dense.CholeskyInverse(l, n);
        Parallel.For(0, n, i =>
        {
            for (var j = 0; j < n; j++) w[i * n + j] = a[i] * a[j] - w[i * n + j];
        });
        var k = 0;
        foreach (var g in kernel.Gradients(x)) grad[k++] = 0.5 * Reduce.Dot(w, g);
        return (value, grad);
    }

    /// <summary>Writes a fitted model for a model file: <c>kernel_</c> (a tree by kind, see <see cref="KernelState"/>), <c>X_train_</c>,
    /// <c>y_train_</c>, the target normalisation, <c>alpha_</c>, the Cholesky factor <c>L_</c>, the likelihood, jitter, warnings and every
    /// optimiser run: everything predictions, standard deviations and covariances use, so they are bit-identical after loading.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The state.</returns>
    internal static StateNode Write(GaussianProcessModel model)
    {
        var n = model.XTrain.Rows;
        return new StateNode()
            .Node("kernel_", KernelState.Write(model.Kernel)).Matrix("X_train_", model.XTrain).Floats("y_train_", model.YTrain.ToArray())
            .Float("_y_train_mean", model.YMean).Float("_y_train_std", model.YStd).Floats("alpha_", model.DualCoef.ToArray())
            .Matrix("L_", Matrix.FromRowMajor(n, n, model.Factor)).Float("log_marginal_likelihood_value_", model.LogMarginalLikelihood)
            .Float("jitter", model.Jitter).Texts("warnings", model.Warnings)
            .Nodes("optimizer_runs", model.Runs.Select(run => new StateNode()
                .Floats("start", run.Start.ToArray()).Floats("theta", run.Theta.ToArray()).Float("log_marginal_likelihood", run.LogMarginalLikelihood)
                .Int("iterations", run.Iterations).Bool("converged", run.Converged).Text("message", run.Message)));
    }

    /// <summary>Reads a model written by <see cref="Write"/>. The fitted kernel must have the structure of <paramref name="initial"/> (the
    /// recorded kernel expression parsed for the training rows' features: same hyper-parameters, sizes and bounds); <c>X_train_</c>,
    /// <c>y_train_</c>, <c>alpha_</c> and <c>L_</c> must agree in size and be finite, <c>L_</c>'s diagonal positive, the target std &gt; 0.</summary>
    /// <param name="options">The options rebuilt from the recorded parameters, without their kernel.</param>
    /// <param name="initial">Parses the recorded kernel expression for a number of features.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    internal static Validation<Problem, GaussianProcessModel> Read(GaussianProcessOptions options, Func<int, Validation<Problem, Kernel>> initial, StateReader r)
    {
        var x = ModelState.Matrix(r, "X_train_");
        if (!r.Ok) return Valid.Fail<GaussianProcessModel>(r.Problems);
        int n = x.Rows, p = x.Cols;
        var y = r.Floats("y_train_", n);
        var yMean = r.Float("_y_train_mean");
        var yStd = ModelState.Positive(r, "_y_train_std");
        var alpha = r.Floats("alpha_", n);
        var l = ModelState.Matrix(r, "L_", n, n);
        if (r.Ok)
            for (var i = 0; i < n; i++)
                if (!(l[i, i] > 0)) { r.Fail("L_", $"diagonal element {i} is {Kernel.Num(l[i, i])}; a Cholesky factor has a positive diagonal"); break; }
        var lml = r.Float("log_marginal_likelihood_value_", finite: false);
        var jitter = r.Float("jitter");
        if (r.Ok && !(jitter >= 0)) r.Fail("jitter", $"is {Kernel.Num(jitter)}, expected a number >= 0");
        var warnings = r.Texts("warnings");
        if (!r.Ok) return Valid.Fail<GaussianProcessModel>(r.Problems);

        var kernelReader = r.Node("kernel_");
        var kernel = KernelState.Read(kernelReader);
        var start = initial(p);
        if (start.IsFail) { r.Fail("kernel_", "the recorded kernel expression does not parse for " + p + " features: " + string.Join("; ", start.Problems().Select(q => q.Message))); return Valid.Fail<GaussianProcessModel>(r.Problems); }
        var startKernel = start.OrThrow();
        if (kernel is not null && !SameStructure(kernel, startKernel))
            r.Fail("kernel_", $"{kernel} does not have the hyper-parameters of the recorded kernel {startKernel}");
        var nTheta = startKernel.NTheta;
        var runs = r.Ok
            ? r.Nodes("optimizer_runs", options.Optimize ? (int)Math.Min(int.MaxValue, Math.Max(0L, options.NRestartsOptimizer) + 1) : 0).Select(run => new OptimizerRun(
                run.Floats("start", nTheta), run.Floats("theta", nTheta), run.Float("log_marginal_likelihood", finite: false),
                run.Int("iterations"), run.Bool("converged"), run.Text("message"))).ToArray()
            : [];
        return ModelState.Finish(r, () => new GaussianProcessModel(options with { Kernel = startKernel }, kernel!, x, y, yMean, yStd, alpha, lml, jitter, warnings, runs)
        {
            Factor = l.Data.ToArray(),
        });
    }

    /// <summary>True when both kernels have the same composition and list the same hyper-parameters (names with composite prefixes, sizes, bounds) in the same order.</summary>
    private static bool SameStructure(Kernel a, Kernel b)
    {
        var (ha, hb) = (a.Hyperparameters, b.Hyperparameters);
        return KernelState.Shape(a) == KernelState.Shape(b) && ha.Count == hb.Count && Enumerable.Range(0, ha.Count).All(i => ha[i].Name == hb[i].Name && ha[i].NElements == hb[i].NElements && ha[i].Bounds.Equals(hb[i].Bounds));
    }
}
