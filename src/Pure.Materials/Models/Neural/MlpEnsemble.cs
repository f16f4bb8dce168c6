using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Neural;

/// <summary>Hyper-parameters of <see cref="MlpEnsemble"/>: the members' <see cref="MlpRegressorOptions"/>, how many members, and how many
/// are trained at once.</summary>
public sealed record MlpEnsembleOptions
{
    /// <summary>Options of every member (scikit-learn <c>MLPRegressor</c>'s, plus dropout, gradient clipping and input clipping).</summary>
    public MlpRegressorOptions Member { get; init; } = new();

    /// <summary>Number of members (<c>n_ensemble</c>, default 5, at least 2 so that the spread is defined).</summary>
    public int NEnsemble { get; init; } = 5;

    /// <summary>Members trained in parallel (<c>n_jobs</c>; null or -1: every core). The model does not depend on it.</summary>
    public int? NJobs { get; init; }
}

/// <summary>A fitted deep ensemble: its members, each a fitted <see cref="MlpRegressorModel"/>.</summary>
/// <param name="Options">The options it was fitted with.</param>
/// <param name="Members">The n_ensemble fitted networks, in stream order.</param>
public sealed record MlpEnsembleModel(MlpEnsembleOptions Options, IReadOnlyList<MlpRegressorModel> Members) : IPredictsStd, IHasLossCurve
{
    /// <summary>The fitted networks.</summary>
    public IReadOnlyList<MlpRegressorModel> Members { get; init; } = Vec.From(Members);

    /// <inheritdoc/>
    public (double[] Mean, double[] Std) PredictWithStd(Matrix x) => MlpEnsemble.PredictWithStd(this, x);

    /// <summary>The first member's training loss per epoch.</summary>
    public IReadOnlyList<double> LossHistory => Members[0].LossCurve;
}

/// <summary>A deep ensemble of multi-layer perceptrons (Lakshminarayanan, Pritzel &amp; Blundell, NeurIPS 2017, without the adversarial
/// term and with squared loss): n_ensemble <see cref="MlpRegressor"/> networks fitted on the same rows from independent seeds (their
/// initial weights, shuffles, dropout masks and early-stopping splits all differ); the prediction is their mean and the predictive
/// standard deviation their spread.</summary>
/// <remarks>
/// Member k draws from stream k of <c>rng.SplitMany(n_ensemble)</c> and is fitted alone, so members can be trained on any number of
/// threads and the model is bit-identical for every <see cref="MlpEnsembleOptions.NJobs"/>. Mean = (1/K) Σ_k f_k(x) and
/// std = sqrt((1/K) Σ_k (f_k(x) - mean)²) (population std), both summed in member order.
/// Source: B. Lakshminarayanan, A. Pritzel, C. Blundell, "Simple and Scalable Predictive Uncertainty Estimation using Deep
/// Ensembles", NeurIPS 2017.
/// </remarks>
public static class MlpEnsemble
{
    /// <summary>Fits every member.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite.</param>
    /// <param name="y">Targets, length n_samples, finite.</param>
    /// <param name="rng">The stream split into one stream per member.</param>
    /// <returns>The model, or <c>param.out_of_range</c> (n_ensemble below 2, n_jobs 0 or below -1) and every failure of
    /// <see cref="MlpRegressor.Fit"/> (reported once, from the first member that fails).</returns>
    public static Validation<Problem, MlpEnsembleModel> Fit(MlpEnsembleOptions options, Matrix x, IReadOnlyList<double> y, Rng rng)
    {
        var problems = new List<Problem>();
        if (options.NEnsemble < 2)
            problems.Add(new Problem("param.out_of_range", $"n_ensemble = {options.NEnsemble} is outside [2, inf); an ensemble needs two members for a spread (the mlp learner fits one network)"));
        if (options.NJobs is int j && (j == 0 || j < -1))
            problems.Add(new Problem("param.out_of_range", $"n_jobs = {j} is outside [1, inf) or -1/None (every core)"));
        if (problems.Count > 0) return Valid.Fail<MlpEnsembleModel>(problems);

        var (streams, _) = rng.SplitMany(options.NEnsemble);
        var fits = new Validation<Problem, MlpRegressorModel>[options.NEnsemble];
        var dop = options.NJobs is int n && n >= 1 ? n : Environment.ProcessorCount;
        Parallel.For(0, options.NEnsemble, new ParallelOptions { MaxDegreeOfParallelism = dop },
            k => fits[k] = MlpRegressor.Fit(options.Member, x, y, streams[k]));
        var members = new List<MlpRegressorModel>();
        foreach (var f in fits)
        {
            if (f.IsFail) return Valid.Fail<MlpEnsembleModel>(f.Problems());
            members.Add(f.OrThrow());
        }
        return Valid.Ok(new MlpEnsembleModel(options, members));
    }

    /// <summary>The members' mean prediction.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n, n_features) with the training's n_features.</param>
    /// <returns>n predictions, (1/K) Σ_k f_k(x) summed in member order.</returns>
    public static double[] Predict(MlpEnsembleModel model, Matrix x) => PredictWithStd(model, x).Mean;

    /// <summary>The members' mean prediction and their spread.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n, n_features) with the training's n_features.</param>
    /// <returns>Means (as <see cref="Predict"/>) and population standard deviations over the members, in target units.</returns>
    public static (double[] Mean, double[] Std) PredictWithStd(MlpEnsembleModel model, Matrix x)
    {
        var preds = model.Members.Select(m => MlpRegressor.Predict(m, x)).ToArray();
        var k = preds.Length;
        var mean = new double[x.Rows];
        var std = new double[x.Rows];
        for (var i = 0; i < x.Rows; i++)
        {
            var s = 0.0;
            for (var m = 0; m < k; m++) s += preds[m][i];
            var mu = s / k;
            var ss = 0.0;
            for (var m = 0; m < k; m++) ss += (preds[m][i] - mu) * (preds[m][i] - mu);
            mean[i] = mu;
            std[i] = Math.Sqrt(ss / k);
        }
        return (mean, std);
    }

    /// <summary>The learned state for a model file: one node per member, each as <see cref="MlpRegressor"/> writes it.</summary>
    internal static StateNode Write(MlpEnsembleModel model) =>
        new StateNode().Nodes("members", model.Members.Select(MlpRegressor.Write));

    /// <summary>Reads a model written by <see cref="Write"/>: exactly n_ensemble members, each a valid network of the member options.</summary>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the entry.</returns>
    internal static Validation<Problem, MlpEnsembleModel> Read(MlpEnsembleOptions options, StateReader r)
    {
        var nodes = r.Nodes("members", maxCount: 1024, count: options.NEnsemble);
        var members = new List<MlpRegressorModel>();
        foreach (var node in nodes)
            MlpRegressor.Read(options.Member, node).Match(m => { members.Add(m); return 0; }, _ => 0);
        return ModelState.Finish(r, () => new MlpEnsembleModel(options, members));
    }
}
