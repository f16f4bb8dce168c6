using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.SupportVector;
using Pure.Materials.Models;

namespace Pure.Materials.Pipelines;

/// <summary>Support-vector regression as a learner (this part of <see cref="Learners"/>).</summary>
public static partial class Learners
{
    /// <summary><c>svr</c>: scikit-learn <c>SVR</c> (see <see cref="Models.SupportVector.Svr"/>).</summary>
    public static LearnerSpec<SvrOptions, Learner> SvrSpec { get; } = Regressor("svr", "SVR",
        "epsilon-insensitive support-vector regression by SMO (libsvm's solver)", new SvrOptions(),
        [
            Parameter.Float<SvrOptions>("C", "> 0", "inverse penalty strength", o => o.C, (o, v) => o with { C = v }),
            Parameter.Float<SvrOptions>("epsilon", ">= 0", "half-width of the tube inside which errors cost nothing (target units)", o => o.Epsilon, (o, v) => o with { Epsilon = v }),
            .. SupportVectorSettings.Parameters<SvrOptions>(o => o.Kernel, (o, k) => o with { Kernel = k }, o => o.Tol, (o, v) => o with { Tol = v },
                o => o.MaxIter, (o, v) => o with { MaxIter = v }, o => o.Shrinking, (o, v) => o with { Shrinking = v }, o => o.CacheSize, (o, v) => o with { CacheSize = v }),
        ],
        (o, x, y, _) => Models.SupportVector.Svr.Fit(o, x, y), Models.SupportVector.Svr.Predict, ScaleStrategy.Standard,
        Models.SupportVector.Svr.Write, Models.SupportVector.Svr.Read);

    /// <summary>Epsilon-SVR as a learner (see <see cref="Models.SupportVector.Svr"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner Svr(SvrOptions options) => SvrSpec.Build(options);
}

/// <summary>The hyper-parameters support-vector regressors and classifiers share, and the <c>svc</c> classifier.</summary>
public static class SupportVectorSettings
{
    /// <summary>Declares the kernel (<c>kernel</c>, <c>gamma</c>, <c>degree</c>, <c>coef0</c>) and solver (<c>tol</c>, <c>max_iter</c>,
    /// <c>shrinking</c>, <c>cache_size</c>) parameters for an SVM options record, in report order.</summary>
    internal static Parameter<T>[] Parameters<T>(Func<T, SvmKernelOptions> kernel, Func<T, SvmKernelOptions, T> withKernel,
        Func<T, double> tol, Func<T, double, T> withTol, Func<T, int> maxIter, Func<T, int, T> withMaxIter,
        Func<T, bool> shrinking, Func<T, bool, T> withShrinking, Func<T, double> cacheSize, Func<T, double, T> withCacheSize) =>
    [
        Parameter.Custom<T>("kernel", "linear, poly, rbf or sigmoid", "one of linear, poly, rbf, sigmoid", "the kernel", o => SvmKernel.Name(kernel(o).Kind),
            (o, v, ps) => SvmKernel.Parse(v).Match(kind => withKernel(o, kernel(o) with { Kind = kind }), problems => { ps.AddRange(problems); return o; })),
        Parameter.Custom<T>("gamma", "scale, auto or float", "scale (1 / (n_features var(X))), auto (1 / n_features) or a float > 0",
            "rbf, poly and sigmoid kernel coefficient", o => kernel(o).Gamma.ToString(),
            (o, v, ps) => SvmKernel.ParseGamma(v).Match(g => withKernel(o, kernel(o) with { Gamma = g }), problems => { ps.AddRange(problems); return o; })),
        Parameter.Int<T>("degree", ">= 1", "degree of the poly kernel", o => kernel(o).Degree, (o, v) => withKernel(o, kernel(o) with { Degree = v })),
        Parameter.Float<T>("coef0", "any", "constant of the poly and sigmoid kernels", o => kernel(o).Coef0, (o, v) => withKernel(o, kernel(o) with { Coef0 = v })),
        Parameter.Float<T>("tol", "> 0", "stopping tolerance of SMO", tol, withTol),
        Parameter.Int<T>("max_iter", ">= 1 or -1 (no limit)", "most SMO iterations", maxIter, withMaxIter),
        Parameter.Bool<T>("shrinking", "use libsvm's shrinking heuristic", shrinking, withShrinking),
        Parameter.Float<T>("cache_size", "> 0", "kernel cache in MB", cacheSize, withCacheSize),
    ];

    /// <summary><c>svc</c>: scikit-learn <c>SVC</c> (see <see cref="Models.SupportVector.Svc"/>); probability defaults to true here.</summary>
    public static LearnerSpec<SvcOptions, ClassifierLearner> SvcSpec { get; } = Classifiers.Classifier("svc", "SVC",
        "C-support-vector classification by SMO, one-vs-one, Platt probabilities", new SvcOptions { Probability = true },
        [
            Parameter.Float<SvcOptions>("C", "> 0", "inverse penalty strength", o => o.C, (o, v) => o with { C = v }),
            .. Parameters<SvcOptions>(o => o.Kernel, (o, k) => o with { Kernel = k }, o => o.Tol, (o, v) => o with { Tol = v },
                o => o.MaxIter, (o, v) => o with { MaxIter = v }, o => o.Shrinking, (o, v) => o with { Shrinking = v }, o => o.CacheSize, (o, v) => o with { CacheSize = v }),
            Parameter.Bool<SvcOptions>("probability", "Platt-scaled probabilities (else vote shares)", o => o.Probability, (o, v) => o with { Probability = v }),
        ],
        (o, x, y, rng) => Models.SupportVector.Svc.Fit(o, x, y, rng),
        (o, m) => new ClassifierPredictor("svc", m.Classes,
            xs => o.Probability ? Models.SupportVector.Svc.PredictProba(m, xs).OrThrow() : VoteShares(m, xs), m, xs => Models.SupportVector.Svc.Predict(m, xs)),
        ScaleStrategy.Standard, Models.SupportVector.Svc.Write, Models.SupportVector.Svc.Read);

    /// <summary>SVC as a classifier learner (see <see cref="Models.SupportVector.Svc"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static ClassifierLearner Svc(SvcOptions options) => SvcSpec.Build(options);

    private static Matrix VoteShares(SvcModel m, Matrix x)
    {
        var votes = Models.SupportVector.Svc.Votes(m, x);
        var pairs = m.Classes.Count * (m.Classes.Count - 1) / 2.0;
        return Matrix.Own(votes.Rows, votes.Cols, votes.Data.ToArray().Select(v => v / pairs).ToArray());
    }
}
