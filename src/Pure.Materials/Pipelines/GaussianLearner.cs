using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Gaussian;
using Pure.Materials.Models;

namespace Pure.Materials.Pipelines;

/// <summary>The settings of the <c>gpr</c> learner: the Gaussian-process options and the kernel as an expression, parsed when the number of
/// features is known (<c>ard</c> gets one length scale per feature).</summary>
/// <param name="Options">Options; <see cref="GaussianProcessOptions.Kernel"/> is set from <paramref name="Kernel"/> at fit time.</param>
/// <param name="Kernel">Kernel expression (see <see cref="KernelSyntax"/>), e.g. <c>constant*ard+white</c>.</param>
public sealed record GaussianProcessSettings(GaussianProcessOptions Options, string Kernel = "constant*ard+white");

/// <summary>Gaussian-process regression as a learner (this part of <see cref="Learners"/>).</summary>
public static partial class Learners
{
    /// <summary><c>gpr</c>: scikit-learn <c>GaussianProcessRegressor</c> (see <see cref="Models.Gaussian.GaussianProcess"/>); normalize_y defaults to true here.</summary>
    public static LearnerSpec<GaussianProcessSettings, Learner> GaussianProcessSpec { get; } = Regressor("gpr", "GaussianProcessRegressor",
        "Gaussian-process regression, kernel hyper-parameters by maximum marginal likelihood (L-BFGS)",
        new GaussianProcessSettings(new GaussianProcessOptions { NormalizeY = true }),
        [
            Parameter.Custom<GaussianProcessSettings>("kernel", "kernel expression", "e.g. constant*ard+white, rbf+white, constant*dot**2+white",
                "sums and products of constant, rbf, ard, matern, rq, dot and white kernels", o => o.Kernel,
                (o, v, ps) =>
                {
                    var problems = KernelSyntax.Parse(v, 1).Problems().ToList();
                    ps.AddRange(problems);
                    return problems.Count == 0 ? o with { Kernel = v } : o;
                }),
            Parameter.Float<GaussianProcessSettings>("alpha", ">= 0", "value added to the kernel diagonal", o => o.Options.Alpha, (o, v) => o with { Options = o.Options with { Alpha = v } }),
            Parameter.Bool<GaussianProcessSettings>("normalize_y", "centre and scale the targets", o => o.Options.NormalizeY, (o, v) => o with { Options = o.Options with { NormalizeY = v } }),
            Parameter.Int<GaussianProcessSettings>("n_restarts_optimizer", ">= 0", "extra optimiser runs from seeded random starts",
                o => o.Options.NRestartsOptimizer, (o, v) => o with { Options = o.Options with { NRestartsOptimizer = v } }),
            Parameter.Custom<GaussianProcessSettings>("optimizer", "fmin_l_bfgs_b or None", "fmin_l_bfgs_b or None (keep the kernel as given)",
                "optimise the kernel hyper-parameters", o => o.Options.Optimize ? "fmin_l_bfgs_b" : "None",
                (o, v, _) => o with { Options = o.Options with { Optimize = !IsNone(v) } }),
        ],
        (o, x, y, rng) => KernelSyntax.Parse(o.Kernel, x.Cols).Bind(k => Models.Gaussian.GaussianProcess.Fit(o.Options with { Kernel = k }, x, y, rng)),
        Models.Gaussian.GaussianProcess.Predict, ScaleStrategy.Standard,
        Models.Gaussian.GaussianProcess.Write, (o, r) => Models.Gaussian.GaussianProcess.Read(o.Options, p => KernelSyntax.Parse(o.Kernel, p), r));

    /// <summary>Gaussian-process regression as a learner (see <see cref="Models.Gaussian.GaussianProcess"/>).</summary>
    /// <param name="options">Options (their kernel is replaced by <paramref name="kernel"/>, parsed for the data's number of features).</param>
    /// <param name="kernel">Kernel expression (see <see cref="KernelSyntax"/>).</param>
    /// <returns>The learner.</returns>
    public static Learner GaussianProcess(GaussianProcessOptions options, string kernel = "constant*ard+white") =>
        GaussianProcessSpec.Build(new GaussianProcessSettings(options, kernel));
}
