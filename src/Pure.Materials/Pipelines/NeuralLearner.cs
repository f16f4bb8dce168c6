using System.Globalization;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.Neural;

namespace Pure.Materials.Pipelines;

public static partial class Learners
{
    /// <summary><c>mlp</c>: scikit-learn <c>MLPRegressor</c> (see <see cref="MlpRegressor"/>) on the autodiff core, with dropout and
    /// gradient-norm clipping beyond it.</summary>
    public static LearnerSpec<MlpRegressorOptions, Learner> MlpSpec { get; } = Regressor("mlp", "MLPRegressor",
        "multi-layer perceptron, squared loss + alpha ||W||^2 / (2 n_batch), Adam or SGD on mini-batches", new MlpRegressorOptions(),
        MlpParameters, MlpRegressor.Fit, MlpRegressor.Predict, ScaleStrategy.Standard, MlpRegressor.Write, MlpRegressor.Read);

    /// <summary>The parameters of one network, shared by <c>mlp</c> and <c>mlp-ensemble</c>.</summary>
    internal static Parameter<MlpRegressorOptions>[] MlpParameters =>
        [
            Parameter.Custom<MlpRegressorOptions>("hidden_layer_sizes", "comma-separated ints", "units per hidden layer, each >= 1 (e.g. 256,128,64)",
                "hidden layer widths", o => string.Join(",", o.HiddenLayerSizes),
                (o, v, ps) => o with { HiddenLayerSizes = v.Trim('(', ')', '[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(t => Int("hidden_layer_sizes", t, ps, 1)).ToArray() }),
            Parameter.Choice<MlpRegressorOptions, MlpActivation>("activation", "hidden-layer activation",
                [("relu", MlpActivation.Relu), ("tanh", MlpActivation.Tanh), ("logistic", MlpActivation.Logistic), ("identity", MlpActivation.Identity)],
                o => o.Activation, (o, v) => o with { Activation = v }),
            Parameter.Choice<MlpRegressorOptions, MlpSolver>("solver", "weight optimiser", [("adam", MlpSolver.Adam), ("sgd", MlpSolver.Sgd)],
                o => o.Solver, (o, v) => o with { Solver = v }),
            Parameter.Float<MlpRegressorOptions>("alpha", ">= 0", "L2 penalty strength", o => o.Alpha, (o, v) => o with { Alpha = v }),
            Parameter.Custom<MlpRegressorOptions>("batch_size", "auto or int", "auto (min(200, n_samples)) or an int >= 1", "rows per mini-batch",
                o => o.BatchSize is { } b ? b.ToString(CultureInfo.InvariantCulture) : "auto",
                (o, v, ps) => v == "auto" ? o with { BatchSize = null } : o with { BatchSize = Int("batch_size", v, ps, 200) }),
            Parameter.Choice<MlpRegressorOptions, MlpLearningRate>("learning_rate", "sgd's schedule",
                [("constant", MlpLearningRate.Constant), ("invscaling", MlpLearningRate.InvScaling), ("adaptive", MlpLearningRate.Adaptive)],
                o => o.LearningRate, (o, v) => o with { LearningRate = v }),
            Parameter.Float<MlpRegressorOptions>("learning_rate_init", "> 0", "initial step size", o => o.LearningRateInit, (o, v) => o with { LearningRateInit = v }),
            Parameter.Float<MlpRegressorOptions>("power_t", ">= 0", "exponent of invscaling", o => o.PowerT, (o, v) => o with { PowerT = v }),
            Parameter.Int<MlpRegressorOptions>("max_iter", ">= 1", "most epochs", o => o.MaxIter, (o, v) => o with { MaxIter = v }),
            Parameter.Bool<MlpRegressorOptions>("shuffle", "shuffle the rows every epoch", o => o.Shuffle, (o, v) => o with { Shuffle = v }),
            Parameter.Float<MlpRegressorOptions>("tol", ">= 0", "smallest improvement that counts", o => o.Tol, (o, v) => o with { Tol = v }),
            Parameter.Float<MlpRegressorOptions>("momentum", "[0, 1]", "sgd momentum", o => o.Momentum, (o, v) => o with { Momentum = v }),
            Parameter.Bool<MlpRegressorOptions>("nesterovs_momentum", "Nesterov's momentum for sgd", o => o.NesterovsMomentum, (o, v) => o with { NesterovsMomentum = v }),
            Parameter.Bool<MlpRegressorOptions>("early_stopping", "stop on held-out R^2 and keep the best weights", o => o.EarlyStopping, (o, v) => o with { EarlyStopping = v }),
            Parameter.Float<MlpRegressorOptions>("validation_fraction", "(0, 1)", "share held out for early stopping", o => o.ValidationFraction, (o, v) => o with { ValidationFraction = v }),
            Parameter.Float<MlpRegressorOptions>("beta_1", "[0, 1)", "Adam's first-moment decay", o => o.Beta1, (o, v) => o with { Beta1 = v }),
            Parameter.Float<MlpRegressorOptions>("beta_2", "[0, 1)", "Adam's second-moment decay", o => o.Beta2, (o, v) => o with { Beta2 = v }),
            Parameter.Float<MlpRegressorOptions>("epsilon", "> 0", "Adam's denominator guard", o => o.Epsilon, (o, v) => o with { Epsilon = v }),
            Parameter.Int<MlpRegressorOptions>("n_iter_no_change", ">= 1", "epochs without improvement before stopping", o => o.NIterNoChange, (o, v) => o with { NIterNoChange = v }),
            Parameter.Float<MlpRegressorOptions>("dropout", "[0, 1)", "beyond scikit-learn: dropout on hidden outputs while training", o => o.Dropout, (o, v) => o with { Dropout = v }),
            Parameter.Choice<MlpRegressorOptions, MlpLoss>("loss", "beyond scikit-learn: training loss",
                [("squared_error", MlpLoss.SquaredError), ("huber", MlpLoss.Huber), ("absolute_error", MlpLoss.AbsoluteError)],
                o => o.Loss, (o, v) => o with { Loss = v }),
            Parameter.Float<MlpRegressorOptions>("huber_delta", "> 0", "beyond scikit-learn: threshold of the huber loss (target units)", o => o.HuberDelta, (o, v) => o with { HuberDelta = v }),
            Parameter.Bool<MlpRegressorOptions>("clip_inputs", "beyond scikit-learn: clamp features to the training range (no linear blow-up far outside it)", o => o.ClipInputs, (o, v) => o with { ClipInputs = v }),
            Parameter.Choice<MlpRegressorOptions, MlpDtype>("dtype", "beyond scikit-learn: arithmetic of training (float32 is faster, rounds at 6e-8)",
                [("float64", MlpDtype.Float64), ("float32", MlpDtype.Float32)], o => o.Dtype, (o, v) => o with { Dtype = v }),
            Parameter.OptionalFloat<MlpRegressorOptions>("max_grad_norm", "> 0 or None", "beyond scikit-learn: clip each batch gradient to this norm", o => o.MaxGradNorm, (o, v) => o with { MaxGradNorm = v }),
            Parameter.Float<MlpRegressorOptions>("weight_decay", ">= 0", "beyond scikit-learn: decoupled weight decay of adam (AdamW: w *= 1 - lr weight_decay each step, weights and biases); 0 is scikit-learn's Adam",
                o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
            Parameter.Choice<MlpRegressorOptions, MlpLrSchedule>("lr_schedule", "beyond scikit-learn: adam's learning-rate schedule per epoch (step: lr_step_size, lr_gamma; cosine: over max_iter to lr_min)",
                [("constant", MlpLrSchedule.Constant), ("step", MlpLrSchedule.Step), ("cosine", MlpLrSchedule.Cosine)],
                o => o.LrSchedule, (o, v) => o with { LrSchedule = v }),
            Parameter.Int<MlpRegressorOptions>("lr_step_size", ">= 1", "beyond scikit-learn: epochs per decay of lr_schedule=step", o => o.LrStepSize, (o, v) => o with { LrStepSize = v }),
            Parameter.Float<MlpRegressorOptions>("lr_gamma", "(0, 1]", "beyond scikit-learn: factor per decay of lr_schedule=step", o => o.LrGamma, (o, v) => o with { LrGamma = v }),
            Parameter.Float<MlpRegressorOptions>("lr_min", "[0, learning_rate_init)", "beyond scikit-learn: the rate lr_schedule=cosine ends at", o => o.LrMin, (o, v) => o with { LrMin = v }),
            Parameter.Bool<MlpRegressorOptions>("batch_norm", "beyond scikit-learn: batch normalisation after each hidden layer's x W + b, before its activation (PyTorch's BatchNorm1d: batch statistics in training, running ones in evaluation)",
                o => o.BatchNorm, (o, v) => o with { BatchNorm = v }),
            Parameter.Float<MlpRegressorOptions>("batch_norm_momentum", "[0, 1]", "beyond scikit-learn: update weight of batch_norm's running statistics (PyTorch's momentum)",
                o => o.BatchNormMomentum, (o, v) => o with { BatchNormMomentum = v }),
            Parameter.Float<MlpRegressorOptions>("batch_norm_eps", "> 0", "beyond scikit-learn: added to the batch variance by batch_norm (PyTorch's eps)",
                o => o.BatchNormEpsilon, (o, v) => o with { BatchNormEpsilon = v }),
        ];

    /// <summary><c>mlp-ensemble</c>: a deep ensemble of <c>mlp</c> networks from split seeds (see <see cref="MlpEnsemble"/>); the mean
    /// is the prediction and the members' spread the predictive std (cv writes it as y_std).</summary>
    public static LearnerSpec<MlpEnsembleOptions, Learner> MlpEnsembleSpec { get; } = Regressor("mlp-ensemble", "MLPRegressor x n_ensemble",
        "deep ensemble: mean and spread of n_ensemble mlp networks fitted from independent seeds (bit-identical for any n_jobs)", new MlpEnsembleOptions(),
        [
            Parameter.Int<MlpEnsembleOptions>("n_ensemble", ">= 2", "number of networks", o => o.NEnsemble, (o, v) => o with { NEnsemble = v }),
            Parameter.OptionalInt<MlpEnsembleOptions>("n_jobs", ">= 1, or None / -1 (every core)", "networks trained in parallel (results do not depend on it)",
                o => o.NJobs, (o, v) => o with { NJobs = v }),
            .. MlpParameters.Select(p => new Parameter<MlpEnsembleOptions>(p.Name, p.Type, p.Range, p.Doc, o => p.Format(o.Member),
                (o, v, ps) => o with { Member = p.Set(o.Member, v, ps) }, p.Recorded, p.First)),
        ],
        MlpEnsemble.Fit, MlpEnsemble.Predict, ScaleStrategy.Standard, MlpEnsemble.Write, MlpEnsemble.Read);
}

/// <summary>The neural classifiers as <see cref="ClassifierLearner"/>s: <c>mlp</c> on a class target.</summary>
public static class NeuralClassifiers
{
    /// <summary><c>mlp</c> on classes: scikit-learn <c>MLPClassifier</c> (see <see cref="MlpClassifier"/>), with the network parameters
    /// of the regressor's <c>mlp</c> except its regression losses (loss, huber_delta).</summary>
    public static LearnerSpec<MlpClassifierOptions, ClassifierLearner> MlpSpec { get; } = Classifiers.Classifier("mlp", "MLPClassifier",
        "multi-layer perceptron, log-loss (logistic output for 2 classes, softmax otherwise) + alpha ||W||^2 / (2 n_batch), Adam or SGD on mini-batches",
        new MlpClassifierOptions(),
        Learners.MlpParameters.Where(p => p.Name is not ("loss" or "huber_delta"))
            .Select(p => new Parameter<MlpClassifierOptions>(p.Name, p.Type, p.Range, p.Doc.Replace("held-out R^2", "held-out accuracy"), o => p.Format(o.Network),
                (o, v, ps) => o with { Network = p.Set(o.Network, v, ps) }, p.Recorded, p.First)).ToArray(),
        MlpClassifier.Fit,
        (_, m) => new ClassifierPredictor("mlp", m.Classes, xs => MlpClassifier.PredictProba(m, xs), m, xs => MlpClassifier.Predict(m, xs)),
        ScaleStrategy.Standard, MlpClassifier.Write, MlpClassifier.Read);

    /// <summary>The MLP classifier as a learner (see <see cref="MlpClassifier"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static ClassifierLearner Mlp(MlpClassifierOptions options) => MlpSpec.Build(options);
}
