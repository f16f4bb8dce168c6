using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Gaussian;

namespace Pure.Materials.Models;

public static partial class Learners
{
    /// <summary>Gaussian-process regression as a learner (see <see cref="Gaussian.GaussianProcess"/>); predictions are posterior means.</summary>
    /// <param name="options">Hyper-parameters; <see cref="GaussianProcessOptions.Kernel"/> is replaced by the kernel built from <paramref name="kernel"/>.</param>
    /// <param name="kernel">Kernel expression (<see cref="KernelSyntax"/>), built at fit time for the number of features;
    /// default <c>constant*ard+white</c>.</param>
    /// <returns>The learner.</returns>
    public static Learner GaussianProcess(GaussianProcessOptions options, string kernel = "constant*ard+white") => new(
        "gpr",
        [
            new("kernel", kernel),
            new("alpha", F(options.Alpha)),
            new("normalize_y", options.NormalizeY ? "true" : "false"),
            new("n_restarts_optimizer", options.NRestartsOptimizer.ToString(CultureInfo.InvariantCulture)),
            new("optimizer", options.Optimize ? "fmin_l_bfgs_b" : "None"),
        ],
        (x, y, rng) => KernelSyntax.Parse(kernel, x.Cols)
            .Bind(k => Gaussian.GaussianProcess.Fit(options with { Kernel = k }, x, y, rng))
            .Map(m => new Predictor("gpr", xs => Gaussian.GaussianProcess.Predict(m, xs), m)));

    /// <summary>Parses <c>gpr</c> settings: kernel (default <c>constant*ard+white</c>), alpha (1e-10), normalize_y (true here),
    /// n_restarts_optimizer (0), optimizer (fmin_l_bfgs_b or None).</summary>
    private static Validation<Problem, Learner>? ParseGaussian(string name, IReadOnlyDictionary<string, string> settings)
    {
        if (name != "gpr") return null;
        var problems = new List<Problem>();
        var o = new GaussianProcessOptions { NormalizeY = true };
        var kernelText = "constant*ard+white";
        foreach (var (k, v) in settings)
            switch (k)
            {
                case "kernel": kernelText = v; break;
                case "alpha": o = o with { Alpha = Double(k, v, problems, o.Alpha) }; break;
                case "normalize_y": o = o with { NormalizeY = Bool(k, v, problems, o.NormalizeY) }; break;
                case "n_restarts_optimizer": o = o with { NRestartsOptimizer = Int(k, v, problems, o.NRestartsOptimizer) }; break;
                case "optimizer": o = o with { Optimize = !IsNone(v) }; break;
                default: Unknown(o, name, k, ["kernel", "alpha", "normalize_y", "n_restarts_optimizer", "optimizer"], problems); break;
            }
        problems.AddRange(KernelSyntax.Parse(kernelText, 1).Problems());
        return problems.Count == 0 ? Valid.Ok(GaussianProcess(o, kernelText)) : Valid.Fail<Learner>(problems);
    }
}
