using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.KernelMethods;
using Pure.Materials.Models.Linear;
using Pure.Materials.Models.Neighbors;
using Pure.Materials.Models;

namespace Pure.Materials.Pipelines;

/// <summary>Linear, kernel and neighbour regressors as learners (this part of <see cref="Learners"/>).</summary>
public static partial class Learners
{
    /// <summary>The learner names declared in this part.</summary>
    public static IReadOnlyList<string> LinearKernelNeighborNames { get; } = ["linear", "lasso", "elastic-net", "kernel-ridge", "knn", "linear-gd"];

    /// <summary><c>linear</c>: scikit-learn <c>LinearRegression</c> (see <see cref="Models.Linear.LinearRegression"/>).</summary>
    public static LearnerSpec<LinearRegressionOptions, Learner> LinearRegressionSpec { get; } = Regressor("linear", "LinearRegression",
        "ordinary least squares, ||y - Xw||^2, by Householder QR", new LinearRegressionOptions(),
        [Parameter.Bool<LinearRegressionOptions>("fit_intercept", "fit an intercept", o => o.FitIntercept, (o, v) => o with { FitIntercept = v })],
        (o, x, y, _) => Models.Linear.LinearRegression.Fit(o, x, y), Models.Linear.LinearRegression.Predict, ScaleStrategy.Standard,
        Models.Linear.LinearRegression.Write, Models.Linear.LinearRegression.Read);

    /// <summary><c>lasso</c>: scikit-learn <c>Lasso</c> (see <see cref="Models.Linear.Lasso"/>).</summary>
    public static LearnerSpec<LassoOptions, Learner> LassoSpec { get; } = Regressor("lasso", "Lasso",
        "least squares with an L1 penalty, ||y - Xw||^2 / (2 n) + alpha ||w||_1, by coordinate descent", new LassoOptions(),
        [
            Parameter.Float<LassoOptions>("alpha", ">= 0", "L1 penalty strength", o => o.Alpha, (o, v) => o with { Alpha = v }),
            Parameter.Bool<LassoOptions>("fit_intercept", "fit an unpenalised intercept", o => o.FitIntercept, (o, v) => o with { FitIntercept = v }),
            Parameter.Int<LassoOptions>("max_iter", ">= 1", "most coordinate-descent passes", o => o.MaxIter, (o, v) => o with { MaxIter = v }),
            Parameter.Float<LassoOptions>("tol", "> 0", "duality-gap tolerance (relative to ||y||^2)", o => o.Tol, (o, v) => o with { Tol = v }),
        ],
        (o, x, y, _) => Models.Linear.Lasso.Fit(o, x, y), Models.Linear.Lasso.Predict, ScaleStrategy.Standard,
        Models.Linear.ElasticNet.Write, (o, r) => Models.Linear.ElasticNet.Read(o.ToElasticNet(), r));

    /// <summary><c>elastic-net</c>: scikit-learn <c>ElasticNet</c> (see <see cref="Models.Linear.ElasticNet"/>).</summary>
    public static LearnerSpec<ElasticNetOptions, Learner> ElasticNetSpec { get; } = Regressor("elastic-net", "ElasticNet",
        "least squares with mixed L1 and L2 penalties, by coordinate descent", new ElasticNetOptions(),
        [
            Parameter.Float<ElasticNetOptions>("alpha", ">= 0", "penalty strength", o => o.Alpha, (o, v) => o with { Alpha = v }),
            Parameter.Float<ElasticNetOptions>("l1_ratio", "[0, 1]", "share of the L1 penalty", o => o.L1Ratio, (o, v) => o with { L1Ratio = v }),
            Parameter.Bool<ElasticNetOptions>("fit_intercept", "fit an unpenalised intercept", o => o.FitIntercept, (o, v) => o with { FitIntercept = v }),
            Parameter.Int<ElasticNetOptions>("max_iter", ">= 1", "most coordinate-descent passes", o => o.MaxIter, (o, v) => o with { MaxIter = v }),
            Parameter.Float<ElasticNetOptions>("tol", "> 0", "duality-gap tolerance (relative to ||y||^2)", o => o.Tol, (o, v) => o with { Tol = v }),
        ],
        (o, x, y, _) => Models.Linear.ElasticNet.Fit(o, x, y), Models.Linear.ElasticNet.Predict, ScaleStrategy.Standard,
        Models.Linear.ElasticNet.Write, Models.Linear.ElasticNet.Read);

    /// <summary><c>kernel-ridge</c>: scikit-learn <c>KernelRidge</c> (see <see cref="Models.KernelMethods.KernelRidge"/>).</summary>
    public static LearnerSpec<KernelRidgeOptions, Learner> KernelRidgeSpec { get; } = Regressor("kernel-ridge", "KernelRidge",
        "ridge regression in a kernel's feature space (dual solution by Cholesky)", new KernelRidgeOptions(),
        [
            Parameter.Float<KernelRidgeOptions>("alpha", "> 0", "L2 penalty strength", o => o.Alpha, (o, v) => o with { Alpha = v }),
            Parameter.Custom<KernelRidgeOptions>("kernel", "linear, poly, rbf or laplacian", "one of linear, poly, rbf, laplacian", "the kernel",
                o => Kernels.Name(o.Kernel.Kind),
                (o, v, ps) => Kernels.Parse(v).Match(kind => o with { Kernel = o.Kernel with { Kind = kind } }, problems => { ps.AddRange(problems); return o; })),
            Parameter.OptionalFloat<KernelRidgeOptions>("gamma", "> 0 or None (1 / n_features)", "rbf, laplacian and poly kernel coefficient",
                o => o.Kernel.Gamma, (o, v) => o with { Kernel = o.Kernel with { Gamma = v } }),
            Parameter.Int<KernelRidgeOptions>("degree", ">= 1", "degree of the poly kernel", o => o.Kernel.Degree, (o, v) => o with { Kernel = o.Kernel with { Degree = v } }),
            Parameter.Float<KernelRidgeOptions>("coef0", "any", "constant of the poly kernel", o => o.Kernel.Coef0, (o, v) => o with { Kernel = o.Kernel with { Coef0 = v } }),
        ],
        (o, x, y, _) => Models.KernelMethods.KernelRidge.Fit(o, x, y), Models.KernelMethods.KernelRidge.Predict, ScaleStrategy.Standard,
        Models.KernelMethods.KernelRidge.Write, Models.KernelMethods.KernelRidge.Read);

    /// <summary><c>knn</c>: scikit-learn <c>KNeighborsRegressor</c> (see <see cref="KNeighborsRegressor"/>).</summary>
    public static LearnerSpec<KNeighborsOptions, Learner> KNeighborsSpec { get; } = Regressor("knn", "KNeighborsRegressor",
        "mean of the k nearest training targets (brute force)", new KNeighborsOptions(), NeighborParameters,
        (o, x, y, _) => KNeighborsRegressor.Fit(o, x, y), KNeighborsRegressor.Predict, ScaleStrategy.Standard,
        KNeighborsRegressorState.Write, KNeighborsRegressorState.Read);

    /// <summary>The hyper-parameters of the neighbour learners (regressor and classifier).</summary>
    internal static Parameter<KNeighborsOptions>[] NeighborParameters =>
    [
        Parameter.Int<KNeighborsOptions>("n_neighbors", ">= 1, at most the training rows", "neighbours averaged", o => o.NNeighbors, (o, v) => o with { NNeighbors = v }),
        Parameter.Choice<KNeighborsOptions, NeighborWeights>("weights", "uniform, or 1 / distance",
            [("uniform", NeighborWeights.Uniform), ("distance", NeighborWeights.Distance)], o => o.Weights, (o, v) => o with { Weights = v }),
        Parameter.Choice<KNeighborsOptions, NeighborMetric>("metric", "distance between rows",
            [("euclidean", NeighborMetric.Euclidean), ("manhattan", NeighborMetric.Manhattan)], o => o.Metric, (o, v) => o with { Metric = v }),
        Parameter.Custom<KNeighborsOptions>("p", "1 or 2", "1 (manhattan) or 2 (euclidean)", "Minkowski power, another way to set metric",
            _ => "", (o, v, ps) => v switch
            {
                "1" => o with { Metric = NeighborMetric.Manhattan },
                "2" => o with { Metric = NeighborMetric.Euclidean },
                _ => Invalid(o, "p", v, "metric=euclidean (p=2) or metric=manhattan (p=1)", ps),
            }, recorded: false),
    ];

    /// <summary><c>linear-gd</c>: least squares by gradient descent (see <see cref="Models.Linear.GradientDescent"/>).</summary>
    public static LearnerSpec<GradientDescentOptions, Learner> GradientDescentSpec { get; } = Regressor("linear-gd", "SGDRegressor (batch or mini-batch)",
        "least squares (+ alpha ||w||^2 / 2) by batch or mini-batch gradient descent, with a loss curve", new GradientDescentOptions(),
        [
            Parameter.Custom<GradientDescentOptions>("learning_rate", "auto or float", "auto (1 / L, L the largest eigenvalue of X^T X / n + alpha I) or a float > 0",
                "step size", o => o.LearningRate is { } v ? Parameter.F(v) : "auto",
                (o, v, ps) => v == "auto" ? o with { LearningRate = null } : o with { LearningRate = Double("learning_rate", v, ps, 0.1) }),
            Parameter.Int<GradientDescentOptions>("max_iter", ">= 1", "most epochs", o => o.MaxIter, (o, v) => o with { MaxIter = v }),
            Parameter.Float<GradientDescentOptions>("tol", ">= 0", "smallest loss improvement that counts", o => o.Tol, (o, v) => o with { Tol = v }),
            Parameter.Int<GradientDescentOptions>("n_iter_no_change", ">= 1", "epochs without improvement before stopping", o => o.NIterNoChange, (o, v) => o with { NIterNoChange = v }),
            Parameter.OptionalInt<GradientDescentOptions>("batch_size", ">= 1 or None (full batch)", "rows per step", o => o.BatchSize, (o, v) => o with { BatchSize = v }),
            Parameter.Float<GradientDescentOptions>("alpha", ">= 0", "L2 penalty strength", o => o.Alpha, (o, v) => o with { Alpha = v }),
            Parameter.Bool<GradientDescentOptions>("fit_intercept", "fit an unpenalised intercept", o => o.FitIntercept, (o, v) => o with { FitIntercept = v }),
        ],
        (o, x, y, rng) => Models.Linear.GradientDescent.Fit(o, x, y, rng), Models.Linear.GradientDescent.Predict, ScaleStrategy.Standard,
        Models.Linear.GradientDescent.Write, Models.Linear.GradientDescent.Read);

    /// <summary>Ordinary least squares as a learner (see <see cref="Models.Linear.LinearRegression"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner LinearRegression(LinearRegressionOptions options) => LinearRegressionSpec.Build(options);

    /// <summary>Lasso as a learner (see <see cref="Models.Linear.Lasso"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner Lasso(LassoOptions options) => LassoSpec.Build(options);

    /// <summary>Elastic net as a learner (see <see cref="Models.Linear.ElasticNet"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner ElasticNet(ElasticNetOptions options) => ElasticNetSpec.Build(options);

    /// <summary>Kernel ridge as a learner (see <see cref="Models.KernelMethods.KernelRidge"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner KernelRidge(KernelRidgeOptions options) => KernelRidgeSpec.Build(options);

    /// <summary>k-nearest-neighbour regression as a learner (see <see cref="KNeighborsRegressor"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner KNeighbors(KNeighborsOptions options) => KNeighborsSpec.Build(options);

    /// <summary>Gradient-descent least squares as a learner (see <see cref="Models.Linear.GradientDescent"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner GradientDescent(GradientDescentOptions options) => GradientDescentSpec.Build(options);
}
