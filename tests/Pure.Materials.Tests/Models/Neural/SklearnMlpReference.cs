using System.Text.Json;
using Pure.Materials.Models.Neural;

namespace Pure.Materials.Tests.Models.Neural;

/// <summary>The scikit-learn 1.2.1 MLP reference files (written by tools/reference/sklearn_mlp.py and sklearn_mlp_classifier.py) and
/// their parameters as our options: what the regressor's and the classifier's parity tests share.</summary>
internal static class SklearnMlpReference
{
    /// <summary>Parses <c>Reference/sklearn-1.2.1/<paramref name="file"/></c>.</summary>
    public static JsonDocument Load(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", file)));

    /// <summary>A JSON array of arrays of numbers.</summary>
    public static double[][] Arrays(JsonElement e) => e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    /// <summary>A JSON matrix, row-major.</summary>
    public static double[] Flat(JsonElement matrix) => matrix.EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();

    /// <summary>A configuration's scikit-learn parameters as our network options, with shuffle and clip_inputs off (the parity
    /// mode: scikit-learn's batches in order and unclamped inputs); parameters a configuration does not name keep scikit-learn's
    /// defaults.</summary>
    public static MlpRegressorOptions Options(JsonElement p) => new()
    {
        HiddenLayerSizes = p.GetProperty("hidden_layer_sizes").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
        Activation = p.GetProperty("activation").GetString() switch { "relu" => MlpActivation.Relu, "tanh" => MlpActivation.Tanh, "logistic" => MlpActivation.Logistic, _ => MlpActivation.Identity },
        Solver = p.GetProperty("solver").GetString() == "adam" ? MlpSolver.Adam : MlpSolver.Sgd,
        Alpha = p.GetProperty("alpha").GetDouble(),
        BatchSize = p.GetProperty("batch_size").GetInt32(),
        LearningRateInit = p.GetProperty("learning_rate_init").GetDouble(),
        MaxIter = p.GetProperty("max_iter").GetInt32(),
        Tol = p.GetProperty("tol").GetDouble(),
        NIterNoChange = p.GetProperty("n_iter_no_change").GetInt32(),
        Momentum = p.TryGetProperty("momentum", out var m) ? m.GetDouble() : 0.9,
        NesterovsMomentum = !p.TryGetProperty("nesterovs_momentum", out var n) || n.GetBoolean(),
        LearningRate = p.TryGetProperty("learning_rate", out var lr) ? lr.GetString() switch { "invscaling" => MlpLearningRate.InvScaling, "adaptive" => MlpLearningRate.Adaptive, _ => MlpLearningRate.Constant } : MlpLearningRate.Constant,
        PowerT = p.TryGetProperty("power_t", out var pt) ? pt.GetDouble() : 0.5,
        EarlyStopping = p.TryGetProperty("early_stopping", out var es) && es.GetBoolean(),
        ValidationFraction = p.TryGetProperty("validation_fraction", out var vf) ? vf.GetDouble() : 0.1,
        Shuffle = false,
        ClipInputs = false,
    };
}
