using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;
using Pure.Materials.Models.Neural;

namespace Pure.Materials.Models.Graph;

/// <summary>What a CGCNN predicts: a number (regression) or one of two classes (classification).</summary>
public enum CgcnnTask
{
    /// <summary>fc_out has 1 output, trained with the mean squared error of the normalised target (CGCNN's <c>--task regression</c>).</summary>
    Regression,

    /// <summary>fc_out has 2 outputs, log-softmax and the negative log-likelihood of class labels 0/1 (CGCNN's <c>--task classification</c>).</summary>
    Classification,
}

/// <summary>The optimiser of CGCNN training (CGCNN's <c>--optim</c>).</summary>
public enum CgcnnOptimizer
{
    /// <summary>Stochastic gradient descent with (heavy-ball, not Nesterov) momentum and coupled weight decay, as PyTorch's <c>optim.SGD</c>.</summary>
    Sgd,

    /// <summary>Adam with coupled weight decay (an L2 gradient term), as PyTorch's <c>optim.Adam</c>.</summary>
    Adam,
}

/// <summary>Hyper-parameters of CGCNN training; the defaults are the original code's (<c>main.py</c>'s argument defaults).</summary>
/// <remarks>The CLI names (<c>--set key=value</c>) are the original's: atom_fea_len, h_fea_len, n_conv, n_h, optim, lr, momentum,
/// weight_decay, lr_milestones, epochs, batch_size; then this library's lr_gamma, validation_fraction, patience, dropout,
/// batch_norm_momentum, dtype. Source: github.com/txie-93/cgcnn <c>main.py</c> (argparse defaults) and <c>cgcnn/model.py</c>.</remarks>
public sealed record CgcnnOptions
{
    /// <summary>Regression (default) or classification.</summary>
    public CgcnnTask Task { get; init; } = CgcnnTask.Regression;

    /// <summary>atom_fea_len: width A of the atom features in the convolutions, &gt;= 1 (default 64).</summary>
    public int AtomFeaLen { get; init; } = 64;

    /// <summary>h_fea_len: width H of the hidden layers after pooling, &gt;= 1 (default 128).</summary>
    public int HFeaLen { get; init; } = 128;

    /// <summary>n_conv: number of gated convolutions, &gt;= 1 (default 3).</summary>
    public int NConv { get; init; } = 3;

    /// <summary>n_h: number of hidden layers after pooling (conv_to_fc plus n_h - 1 further ones), &gt;= 1 (default 1).</summary>
    public int NH { get; init; } = 1;

    /// <summary>optim: SGD (default) or Adam.</summary>
    public CgcnnOptimizer Optim { get; init; } = CgcnnOptimizer.Sgd;

    /// <summary>lr: initial learning rate, &gt; 0 (default 0.01).</summary>
    public double Lr { get; init; } = 0.01;

    /// <summary>momentum: SGD's momentum in [0, 1] (default 0.9; ignored by Adam, as in CGCNN).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>weight_decay: coupled L2 coefficient &gt;= 0 added to every gradient as λ w (default 0).</summary>
    public double WeightDecay { get; init; } = 0;

    /// <summary>lr_milestones: epochs (from 0) at which the learning rate is multiplied by lr_gamma, each &gt;= 1 (default [100],
    /// beyond the default 30 epochs: a constant rate). PyTorch's <c>MultiStepLR</c> stepped once per epoch.</summary>
    public IReadOnlyList<int> LrMilestones { get; init; } = [100];

    /// <summary>lr_gamma: factor of each milestone, in (0, 1] (default 0.1, CGCNN's fixed value).</summary>
    public double LrGamma { get; init; } = 0.1;

    /// <summary>epochs: passes over the training graphs, &gt;= 1 (default 30).</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>batch_size: crystals per mini-batch, &gt;= 1 (default 256); the last batch of an epoch holds the rest.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>validation_fraction: share of the training graphs held out to pick the best epoch, in [0, 1) (default 0.1,
    /// CGCNN's val_ratio); 0 keeps the last epoch's weights. Ignored when an explicit validation set is given.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>patience: stop after this many epochs without a better validation score, &gt;= 1, or null (default) to run every
    /// epoch as CGCNN does.</summary>
    public int? Patience { get; init; }

    /// <summary>dropout: probability in [0, 1) of dropping a pooled hidden feature after conv_to_fc in training, classification only
    /// (default 0.5, PyTorch's <c>nn.Dropout()</c> as CGCNN's classifier); regression never drops.</summary>
    public double Dropout { get; init; } = 0.5;

    /// <summary>batch_norm_momentum: weight of a batch's statistics in the running mean and variance, in (0, 1] (default 0.1, PyTorch's).</summary>
    public double BatchNormMomentum { get; init; } = 0.1;

    /// <summary>dtype: arithmetic type of training and prediction, float32 (default, as PyTorch) or float64.</summary>
    public DType Dtype { get; init; } = DType.Float32;

    /// <summary>loss (regression only, beyond CGCNN, whose <c>main.py</c> uses <c>nn.MSELoss</c>): the training loss of the normalised
    /// target, squared_error (default, CGCNN's mean squared error, not halved), absolute_error (mean |ŷ - y|, PyTorch's <c>nn.L1Loss</c>:
    /// fits the conditional median, the minimiser of the MAE that Matbench scores) or huber (PyTorch's <c>nn.HuberLoss</c> with
    /// <see cref="HuberDelta"/>). The classification head always uses the NLL.</summary>
    public MlpLoss Loss { get; init; } = MlpLoss.SquaredError;

    /// <summary>huber_delta: the Huber loss's threshold in units of the normalised target (target standard deviations), &gt; 0 (default 1.0).</summary>
    public double HuberDelta { get; init; } = 1.0;
}

/// <summary>A trained CGCNN and its history.</summary>
/// <param name="Model">The weights of the best validation epoch (or of the last epoch without validation).</param>
/// <param name="TrainLoss">Per epoch run, the mean training loss over the epoch's mini-batches weighted by their crystal counts:
/// the <see cref="CgcnnOptions.Loss"/> of the normalised target (regression; MSE by default) or NLL (classification), as CGCNN's
/// <c>losses.avg</c>.</param>
/// <param name="ValidationScore">Per epoch run, the validation score of the epoch's weights: MAE in the target's unit (regression, as
/// CGCNN's <c>mae_errors</c>) or mean NLL (classification); empty without validation.</param>
/// <param name="BestEpoch">Epoch (from 0) whose weights <see cref="Model"/> holds.</param>
/// <param name="EpochSeconds">Wall time of each epoch (training and validation), seconds; the only non-deterministic field.</param>
/// <param name="Options">The options of the run.</param>
public sealed record CgcnnFit(CgcnnModel Model, IReadOnlyList<double> TrainLoss, IReadOnlyList<double> ValidationScore, int BestEpoch,
    IReadOnlyList<double> EpochSeconds, CgcnnOptions Options)
{
    /// <summary>"mae" (regression) or "nll" (classification): what <see cref="ValidationScore"/> holds; lower is better.</summary>
    public string ValidationMetric => Options.Task == CgcnnTask.Regression ? "mae" : "nll";

    /// <summary>Per epoch run, the validation loss of the epoch's weights in <see cref="TrainLoss"/>'s terms (evaluation mode): the
    /// <see cref="CgcnnOptions.Loss"/> of the normalised target (regression) or mean NLL (classification); empty without validation.
    /// For loss curves.</summary>
    public IReadOnlyList<double> ValidationLoss { get; init; } = [];

    /// <summary>Crystals trained on (the training graphs minus the validation share).</summary>
    public int TrainingRows { get; init; }

    /// <summary>Crystals of the validation share (0 without validation).</summary>
    public int ValidationRows { get; init; }

    /// <summary>What <see cref="TrainLoss"/> and <see cref="ValidationLoss"/> measure, in words: "MSE of the normalised target",
    /// "MAE of the normalised target", "mean Huber loss of the normalised target (huber_delta d)" or "mean NLL, with dropout".</summary>
    public string LossDescription => Options.Task == CgcnnTask.Classification ? "mean NLL, with dropout" : Options.Loss switch
    {
        MlpLoss.AbsoluteError => "MAE of the normalised target",
        MlpLoss.Huber => string.Create(CultureInfo.InvariantCulture, $"mean Huber loss of the normalised target (huber_delta {Options.HuberDelta})"),
        _ => "MSE of the normalised target",
    };
}

/// <summary>One forward pass in training mode (<see cref="Cgcnn.ForwardTraining"/>): the output, the recorded parameters and the
/// batch statistics of every batch norm.</summary>
/// <param name="Output">Shape (C, 1) the normalised prediction, or (C, 2) the class logits.</param>
/// <param name="Parameters">The model's parameters as recorded on the tape, in <see cref="Cgcnn.ParameterNames"/>' order and
/// PyTorch's shapes: ask <see cref="Gradients.Of"/> for each after <see cref="Tape.Backward"/>.</param>
/// <param name="BatchMeans">Per batch norm (bn1 then bn2 of each convolution), the batch mean.</param>
/// <param name="BatchVariances">Per batch norm, the batch's unbiased variance (as PyTorch's running-variance update uses).</param>
/// <param name="Next">The stream after the dropout mask's draws.</param>
public sealed record CgcnnTrainingPass(Var Output, IReadOnlyList<Var> Parameters, IReadOnlyList<Tensor> BatchMeans,
    IReadOnlyList<Tensor> BatchVariances, Rng Next);

public static partial class Cgcnn
{
    /// <summary>The PyTorch state-dict names of the trained parameters, in the order of <see cref="Parameters"/>: embedding.weight,
    /// embedding.bias, per convolution k convs.k.fc_full.weight/bias, convs.k.bn1.weight/bias, convs.k.bn2.weight/bias, then
    /// conv_to_fc.weight/bias, fcs.k.weight/bias, fc_out.weight/bias (batch norm's weight is gamma, its bias beta).</summary>
    public static IReadOnlyList<string> ParameterNames(CgcnnModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var names = new List<string> { "embedding.weight", "embedding.bias" };
        for (var k = 0; k < model.Convs.Count; k++)
            names.AddRange([$"convs.{k}.fc_full.weight", $"convs.{k}.fc_full.bias", $"convs.{k}.bn1.weight", $"convs.{k}.bn1.bias",
                $"convs.{k}.bn2.weight", $"convs.{k}.bn2.bias"]);
        names.AddRange(["conv_to_fc.weight", "conv_to_fc.bias"]);
        for (var k = 0; k < model.Hidden.Count; k++) names.AddRange([$"fcs.{k}.weight", $"fcs.{k}.bias"]);
        names.AddRange(["fc_out.weight", "fc_out.bias"]);
        return names;
    }

    /// <summary>Copies of the trained parameters, in <see cref="ParameterNames"/>' order; weights row-major (out, in), as PyTorch.</summary>
    public static IReadOnlyList<double[]> Parameters(CgcnnModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ParameterArrays(model).Select(a => (double[])a.Clone()).ToArray();
    }

    /// <summary>Returns the model with new parameter values (the running statistics and the normaliser unchanged).</summary>
    /// <param name="model">The model whose shapes the values follow.</param>
    /// <param name="values">One array per <see cref="ParameterNames"/> entry, same lengths; copied.</param>
    /// <exception cref="ArgumentException">When the count or a length differs (a programmer error).</exception>
    public static CgcnnModel WithParameters(CgcnnModel model, IReadOnlyList<double[]> values)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(values);
        var current = ParameterArrays(model);
        if (values.Count != current.Count) throw new ArgumentException($"{values.Count} arrays for {current.Count} parameters", nameof(values));
        for (var k = 0; k < values.Count; k++)
            if (values[k].Length != current[k].Length)
                throw new ArgumentException($"parameter {ParameterNames(model)[k]} needs {current[k].Length} values, got {values[k].Length}", nameof(values));
        var next = 0;
        double[] Take() => (double[])values[next++].Clone();
        CgcnnLinear Lin(CgcnnLinear l) { var w = Take(); return l with { Weight = w, Bias = Take() }; }
        CgcnnBatchNorm Bn(CgcnnBatchNorm b) { var g = Take(); return b with { Gamma = g, Beta = Take() }; }
        var embedding = Lin(model.Embedding);
        var convs = model.Convs.Select(c => { var f = Lin(c.Full); var b1 = Bn(c.Bn1); return new CgcnnConv(f, b1, Bn(c.Bn2)); }).ToArray();
        var toFc = Lin(model.ConvToFc);
        var hidden = model.Hidden.Select(Lin).ToArray();
        return model with { Embedding = embedding, Convs = convs, ConvToFc = toFc, Hidden = hidden, Output = Lin(model.Output) };
    }

    /// <summary>Records CGCNN's forward pass in training mode: batch norm with the batch's statistics (PyTorch's <c>BatchNorm1d</c>
    /// in <c>train()</c>), dropout after conv_to_fc for a classification model, every parameter recorded as a tape parameter.</summary>
    /// <param name="tape">The tape to record on.</param>
    /// <param name="model">The current weights.</param>
    /// <param name="batch">The joined graphs (N sites, C crystals).</param>
    /// <param name="dtype">Arithmetic type.</param>
    /// <param name="dropout">Drop probability in [0, 1) after conv_to_fc (applied only when <see cref="CgcnnModel.IsClassification"/>).</param>
    /// <param name="rng">The dropout mask's stream.</param>
    /// <returns>The output (C, 1) or (C, 2), the parameters' tape values, and the batch statistics for
    /// <see cref="WithRunningStatistics"/>.</returns>
    /// <remarks>The forward formula is <see cref="Forward"/>'s with <c>bn(x) = (x - mean_B) / sqrt(var_B + 1e-5) gamma + beta</c>,
    /// mean_B and the biased var_B over the rows of x: the N M edge rows for bn1, the N sites for bn2.</remarks>
    public static CgcnnTrainingPass ForwardTraining(Tape tape, CgcnnModel model, CrystalGraphBatch batch, DType dtype, double dropout, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        var p = Recorded(tape, model, dtype, trainable: true);
        var stats = new List<(Tensor Mean, Tensor Variance)>();
        var (output, next) = ForwardCore(tape, model, p, batch, dtype, null, null, stats, model.IsClassification ? dropout : 0, rng);
        return new CgcnnTrainingPass(output, p, stats.Select(s => s.Mean).ToArray(), stats.Select(s => s.Variance).ToArray(), next);
    }

    /// <summary>Returns the model with its running statistics updated from one training pass, as PyTorch's <c>BatchNorm1d</c>:
    /// <c>running = (1 - momentum) running + momentum batch</c> (the unbiased batch variance for the running variance), computed in the
    /// pass's dtype.</summary>
    /// <param name="model">The model the pass ran.</param>
    /// <param name="pass">Its training pass.</param>
    /// <param name="momentum">In (0, 1], PyTorch's default 0.1.</param>
    public static CgcnnModel WithRunningStatistics(CgcnnModel model, CgcnnTrainingPass pass, double momentum = 0.1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pass);
        var bns = model.Convs.SelectMany(c => new[] { c.Bn1, c.Bn2 }).ToArray();
        if (pass.BatchMeans.Count != bns.Length) throw new ArgumentException($"the pass has {pass.BatchMeans.Count} batch norms, the model {bns.Length}", nameof(pass));
        var updated = new CgcnnBatchNorm[bns.Length];
        for (var k = 0; k < bns.Length; k++)
        {
            var mean = (double[])bns[k].RunningMean.Clone();
            var variance = (double[])bns[k].RunningVariance.Clone();
            if (pass.BatchMeans[k].DType == DType.Float32)
            {
                float[] m32 = [.. mean.Select(x => (float)x)], v32 = [.. variance.Select(x => (float)x)];
                UpdateRunning<float>(m32, pass.BatchMeans[k].Data<float>(), (float)momentum);
                UpdateRunning<float>(v32, pass.BatchVariances[k].Data<float>(), (float)momentum);
                mean = [.. m32.Select(x => (double)x)];
                variance = [.. v32.Select(x => (double)x)];
            }
            else
            {
                UpdateRunning<double>(mean, pass.BatchMeans[k].Data<double>(), momentum);
                UpdateRunning<double>(variance, pass.BatchVariances[k].Data<double>(), momentum);
            }
            updated[k] = bns[k] with { RunningMean = mean, RunningVariance = variance };
        }
        return model with { Convs = model.Convs.Select((c, k) => c with { Bn1 = updated[2 * k], Bn2 = updated[2 * k + 1] }).ToArray() };
    }

    /// <summary>running = (1 - momentum) running + momentum batch, element-wise in T.</summary>
    private static void UpdateRunning<T>(T[] running, ReadOnlySpan<T> batch, T momentum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var keep = T.One - momentum;
        for (var j = 0; j < running.Length; j++) running[j] = keep * running[j] + momentum * batch[j];
    }

    /// <summary>Makes an untrained CGCNN as PyTorch 1.13 initialises the original's modules, from a seeded stream.</summary>
    /// <param name="options">Sizes (atom_fea_len, h_fea_len, n_conv, n_h) and the task (1 or 2 outputs).</param>
    /// <param name="nodeFeatureLength">Node feature length F (92 for CGCNN's atom_init.json).</param>
    /// <param name="edgeFeatureLength">Edge feature length G (41 for the default Gaussians).</param>
    /// <param name="rng">The stream of the initial weights.</param>
    /// <returns>The model with normaliser mean 0, std 1.</returns>
    /// <remarks>Every <c>nn.Linear(in, out)</c>: weight U(-1/sqrt(in), 1/sqrt(in)) (PyTorch's <c>kaiming_uniform_(a = sqrt(5))</c>,
    /// bound gain sqrt(3 / in) with gain sqrt(2 / (1 + 5))) and bias U(-1/sqrt(in), 1/sqrt(in)); every <c>BatchNorm1d</c>: gamma 1,
    /// beta 0, running mean 0, running variance 1. Draws in module order (embedding, convs, conv_to_fc, fcs, fc_out), weight row-major
    /// then bias; the same seed gives the same bits (not PyTorch's numbers: another generator).
    /// Source: PyTorch 1.13 <c>torch/nn/modules/linear.py</c> (<c>Linear.reset_parameters</c>), <c>batchnorm.py</c>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">When a size is below 1 (check the options with <see cref="Fit(CgcnnOptions, IReadOnlyList{CrystalGraph}, IReadOnlyList{double}, Rng)"/>).</exception>
    public static CgcnnModel Initialise(CgcnnOptions options, int nodeFeatureLength, int edgeFeatureLength, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AtomFeaLen < 1 || options.HFeaLen < 1 || options.NConv < 1 || options.NH < 1 || nodeFeatureLength < 1 || edgeFeatureLength < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "sizes must be >= 1");
        var cursor = new RngCursor(rng);
        CgcnnLinear Linear(int input, int output)
        {
            var bound = 1 / Math.Sqrt(input);
            var w = new double[output * input];
            for (var i = 0; i < w.Length; i++) w[i] = -bound + 2 * bound * cursor.NextDouble();
            var b = new double[output];
            for (var i = 0; i < b.Length; i++) b[i] = -bound + 2 * bound * cursor.NextDouble();
            return new CgcnnLinear(w, b, output, input);
        }
        static CgcnnBatchNorm Bn(int width) => new(Filled(width, 1), new double[width], new double[width], Filled(width, 1), width);
        int a = options.AtomFeaLen, h = options.HFeaLen;
        var embedding = Linear(nodeFeatureLength, a);
        var convs = Enumerable.Range(0, options.NConv).Select(_ => new CgcnnConv(Linear(2 * a + edgeFeatureLength, 2 * a), Bn(2 * a), Bn(a))).ToArray();
        var toFc = Linear(a, h);
        var hidden = Enumerable.Range(0, options.NH - 1).Select(_ => Linear(h, h)).ToArray();
        var output = Linear(h, options.Task == CgcnnTask.Classification ? 2 : 1);
        return new CgcnnModel(embedding, convs, toFc, hidden, output, 0, 1);
    }

    private static double[] Filled(int n, double v) { var a = new double[n]; Array.Fill(a, v); return a; }

    /// <summary>Trains a CGCNN on crystal graphs, holding out <see cref="CgcnnOptions.ValidationFraction"/> of them to pick the best epoch.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="graphs">Training crystals (<see cref="CrystalGraphs.Build"/>), all with the same feature lengths.</param>
    /// <param name="targets">One per graph: the target (regression, any unit) or the class 0/1 (classification).</param>
    /// <param name="rng">The run's randomness: initial weights, validation split, batch order, dropout (each its own split stream).</param>
    /// <returns>The fit, or problems: <c>param.out_of_range</c> naming the option, <c>shape.rows_mismatch</c> (targets and graphs
    /// differ in count), <c>cgcnn.too_few_graphs</c>, <c>cgcnn.graph_mismatch</c> (feature lengths differ), <c>target.not_finite</c>
    /// and <c>target.invalid_label</c> (with the 1-based row), <c>target.constant</c> (regression targets all equal: no normaliser).</returns>
    /// <remarks>
    /// The loop of CGCNN's <c>main.py</c>: normaliser mean/std of the training targets (unbiased std, as <c>torch.std</c>; all training
    /// targets, where CGCNN samples 500 of the whole data set); per epoch the training graphs in a fresh random order, in mini-batches of
    /// batch_size; per batch the training-mode forward pass, loss MSE((y - mean) / std, output) (or <see cref="CgcnnOptions.Loss"/>'s
    /// absolute or Huber loss) or NLL(log_softmax(output), label), one
    /// optimiser step, and the running-statistic update; then the validation score in evaluation mode and MultiStepLR's step. The best
    /// epoch (lowest validation MAE, as CGCNN's <c>best_mae_error</c>; lowest NLL for classification, where CGCNN uses the AUC) is kept;
    /// with patience, training stops after that many epochs without improvement (CGCNN has none).
    /// SGD is PyTorch's <c>SGD(momentum)</c>: b &lt;- mu b + g, w &lt;- w - lr b (<see cref="Core.Autodiff.SgdOptions.RateAfterMomentum"/>).
    /// Adam is <see cref="Core.Autodiff.Adam"/> with weight_decay as its
    /// coupled L2 term (as PyTorch's <c>Adam(weight_decay)</c>) in PyTorch's form (<see cref="Core.Autodiff.AdamOptions.EpsilonOnCorrected"/>:
    /// ε added to the bias-corrected sqrt(v)). Deterministic: the same options, data and seed give the same
    /// bits on any CPU.
    /// Source: Xie &amp; Grossman, Phys. Rev. Lett. 120, 145301 (2018); github.com/txie-93/cgcnn <c>main.py</c> (<c>train</c>,
    /// <c>validate</c>, <c>Normalizer</c>).
    /// </remarks>
    public static Validation<Problem, CgcnnFit> Fit(CgcnnOptions options, IReadOnlyList<CrystalGraph> graphs, IReadOnlyList<double> targets, Rng rng) =>
        FitCore(options, graphs, targets, null, null, rng);

    /// <summary>Trains a CGCNN on crystal graphs, picking the best epoch on an explicit validation set (validation_fraction ignored).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="graphs">Training crystals.</param>
    /// <param name="targets">One per training graph.</param>
    /// <param name="validationGraphs">Validation crystals (at least one).</param>
    /// <param name="validationTargets">One per validation graph.</param>
    /// <param name="rng">The run's randomness.</param>
    /// <returns>As <see cref="Fit(CgcnnOptions, IReadOnlyList{CrystalGraph}, IReadOnlyList{double}, Rng)"/>; validation rows are
    /// numbered after the training rows in problems.</returns>
    public static Validation<Problem, CgcnnFit> Fit(CgcnnOptions options, IReadOnlyList<CrystalGraph> graphs, IReadOnlyList<double> targets,
        IReadOnlyList<CrystalGraph> validationGraphs, IReadOnlyList<double> validationTargets, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(validationGraphs);
        ArgumentNullException.ThrowIfNull(validationTargets);
        return FitCore(options, graphs, targets, validationGraphs, validationTargets, rng);
    }

    /// <summary>Predicts the target of every crystal (regression model, evaluation mode), denormalised, in batches.</summary>
    /// <param name="model">A regression model.</param>
    /// <param name="graphs">The crystals, built with the model's feature lengths.</param>
    /// <param name="dtype">Arithmetic type.</param>
    /// <param name="batchSize">Crystals per forward pass (memory only: evaluation-mode results do not depend on it), &gt;= 1.</param>
    /// <returns>One prediction per graph, in order, in the target's unit.</returns>
    /// <exception cref="ArgumentException">A classification model (use <see cref="PredictProbabilities(CgcnnModel, IReadOnlyList{CrystalGraph}, DType, int)"/>) or
    /// mismatched feature lengths (programmer errors).</exception>
    public static double[] Predict(CgcnnModel model, IReadOnlyList<CrystalGraph> graphs, DType dtype = DType.Float32, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        var result = new double[graphs.Count];
        foreach (var (start, chunk) in Chunks(graphs, batchSize)) Predict(model, CrystalGraphBatch.Join(chunk), dtype).CopyTo(result, start);
        return result;
    }

    /// <summary>Predicts the class probabilities of every crystal (classification model, evaluation mode): exp(log_softmax(fc_out)).</summary>
    /// <param name="model">A classification model.</param>
    /// <param name="batch">The joined graphs.</param>
    /// <param name="dtype">Arithmetic type.</param>
    /// <returns>Per crystal [P(class 0), P(class 1)].</returns>
    /// <exception cref="ArgumentException">A regression model or mismatched feature lengths (programmer errors).</exception>
    public static double[][] PredictProbabilities(CgcnnModel model, CrystalGraphBatch batch, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsClassification) throw new ArgumentException("a regression model has no class probabilities; use Predict", nameof(model));
        var tape = new Tape();
        var logp = Ops.LogSoftmax(Forward(tape, model, batch, dtype, trainable: false)).Value.ToArray();
        return Enumerable.Range(0, batch.CrystalCount).Select(c => new[] { Math.Exp(logp[2 * c]), Math.Exp(logp[2 * c + 1]) }).ToArray();
    }

    /// <summary>Predicts the class probabilities of every crystal in batches (memory only: the results do not depend on the size).</summary>
    /// <param name="model">A classification model.</param>
    /// <param name="graphs">The crystals.</param>
    /// <param name="dtype">Arithmetic type.</param>
    /// <param name="batchSize">Crystals per forward pass, &gt;= 1.</param>
    /// <returns>Per graph [P(class 0), P(class 1)], in order.</returns>
    public static double[][] PredictProbabilities(CgcnnModel model, IReadOnlyList<CrystalGraph> graphs, DType dtype = DType.Float32, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        var result = new double[graphs.Count][];
        foreach (var (start, chunk) in Chunks(graphs, batchSize)) PredictProbabilities(model, CrystalGraphBatch.Join(chunk), dtype).CopyTo(result, start);
        return result;
    }

    private static IEnumerable<(int Start, CrystalGraph[] Chunk)> Chunks(IReadOnlyList<CrystalGraph> graphs, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be >= 1");
        for (var s = 0; s < graphs.Count; s += batchSize)
            yield return (s, Enumerable.Range(s, Math.Min(batchSize, graphs.Count - s)).Select(i => graphs[i]).ToArray());
    }

    /// <summary>Checks the options; one <c>param.out_of_range</c> problem per bad option, naming it by its CLI key.</summary>
    internal static List<Problem> Check(CgcnnOptions o)
    {
        var p = new List<Problem>();
        void Need(bool ok, string name, string range, object? value)
        {
            if (!ok) p.Add(new Problem("param.out_of_range", string.Create(CultureInfo.InvariantCulture, $"{name} = {value} is outside {range}"), Column: name));
        }
        Need(o.AtomFeaLen >= 1, "atom_fea_len", "[1, inf)", o.AtomFeaLen);
        Need(o.HFeaLen >= 1, "h_fea_len", "[1, inf)", o.HFeaLen);
        Need(o.NConv >= 1, "n_conv", "[1, inf)", o.NConv);
        Need(o.NH >= 1, "n_h", "[1, inf)", o.NH);
        Need(o.Lr > 0 && double.IsFinite(o.Lr), "lr", "(0, inf)", o.Lr);
        Need(o.Momentum is >= 0 and <= 1, "momentum", "[0, 1]", o.Momentum);
        Need(o.WeightDecay >= 0 && double.IsFinite(o.WeightDecay), "weight_decay", "[0, inf)", o.WeightDecay);
        Need(o.LrMilestones is not null && o.LrMilestones.All(m => m >= 1), "lr_milestones", "epochs >= 1",
            o.LrMilestones is null ? "null" : string.Join(",", o.LrMilestones));
        Need(o.LrGamma is > 0 and <= 1, "lr_gamma", "(0, 1]", o.LrGamma);
        Need(o.Epochs >= 1, "epochs", "[1, inf)", o.Epochs);
        Need(o.BatchSize >= 1, "batch_size", "[1, inf)", o.BatchSize);
        Need(o.ValidationFraction is >= 0 and < 1, "validation_fraction", "[0, 1)", o.ValidationFraction);
        Need(o.Patience is null or >= 1, "patience", "[1, inf) or none", o.Patience);
        Need(o.Dropout is >= 0 and < 1, "dropout", "[0, 1)", o.Dropout);
        Need(o.BatchNormMomentum is > 0 and <= 1, "batch_norm_momentum", "(0, 1]", o.BatchNormMomentum);
        Need(o.Dtype is DType.Float32 or DType.Float64, "dtype", "float32 or float64", o.Dtype);
        Need(Enum.IsDefined(o.Task), "task", "regression or classification", o.Task);
        Need(Enum.IsDefined(o.Optim), "optim", "SGD or Adam", o.Optim);
        Need(Enum.IsDefined(o.Loss), "loss", "squared_error, absolute_error or huber", o.Loss);
        Need(o.Task == CgcnnTask.Regression || o.Loss == MlpLoss.SquaredError, "loss", "the regression losses (classification trains on the NLL; leave loss unset)", o.Loss);
        Need(o.HuberDelta > 0 && double.IsFinite(o.HuberDelta), "huber_delta", "(0, inf)", o.HuberDelta);
        return p;
    }

    /// <summary>Fit starting from given weights and running statistics instead of <see cref="Initialise"/>'s (the normaliser is still
    /// computed from the training targets): the reference test replays the original code's steps from its initial state dict.</summary>
    internal static Validation<Problem, CgcnnFit> FitFrom(CgcnnOptions options, CgcnnModel initial, IReadOnlyList<CrystalGraph> graphs,
        IReadOnlyList<double> targets, Rng rng) => FitCore(options, graphs, targets, null, null, rng, initial);

    private static Validation<Problem, CgcnnFit> FitCore(CgcnnOptions options, IReadOnlyList<CrystalGraph> graphs, IReadOnlyList<double> targets,
        IReadOnlyList<CrystalGraph>? validationGraphs, IReadOnlyList<double>? validationTargets, Rng rng, CgcnnModel? start = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(graphs);
        ArgumentNullException.ThrowIfNull(targets);
        var problems = Check(options);
        if (problems.Count > 0) return Valid.Fail<CgcnnFit>(problems);
        if (graphs.Count != targets.Count)
            return Valid.Fail<CgcnnFit>("shape.rows_mismatch", $"{graphs.Count} graphs but {targets.Count} targets; give one target per graph");
        if (validationGraphs is not null && validationGraphs.Count != validationTargets!.Count)
            return Valid.Fail<CgcnnFit>("shape.rows_mismatch", $"{validationGraphs.Count} validation graphs but {validationTargets.Count} targets; give one target per graph");
        var explicitValidation = validationGraphs is not null;
        var needed = !explicitValidation && options.ValidationFraction > 0 ? 2 : 1;
        if (graphs.Count < needed || (explicitValidation && validationGraphs!.Count < 1))
            return Valid.Fail<CgcnnFit>("cgcnn.too_few_graphs",
                $"{graphs.Count} training and {validationGraphs?.Count ?? 0} validation graphs; training needs at least {needed} (one more to hold out with validation_fraction > 0) and an explicit validation set at least one");
        IReadOnlyList<CrystalGraph> all = explicitValidation ? [.. graphs, .. validationGraphs!] : graphs;
        IReadOnlyList<double> allTargets = explicitValidation ? [.. targets, .. validationTargets!] : targets;
        var first = all[0];
        for (var i = 0; i < all.Count; i++)
        {
            var g = all[i];
            if (g.MaxNeighbors != first.MaxNeighbors || g.NodeFeatureLength != first.NodeFeatureLength || g.EdgeFeatureLength != first.EdgeFeatureLength)
                problems.Add(new Problem("cgcnn.graph_mismatch", $"graph {i + 1} has {g.MaxNeighbors} neighbours, node width {g.NodeFeatureLength}, edge width {g.EdgeFeatureLength}; graph 1 has {first.MaxNeighbors}, {first.NodeFeatureLength}, {first.EdgeFeatureLength}: build every graph with the same options and atom table", Row: i + 1));
            var y = allTargets[i];
            if (!double.IsFinite(y)) problems.Add(new Problem("target.not_finite", $"target {y} is not a finite number; drop the row or fill the target", Row: i + 1));
            else if (options.Task == CgcnnTask.Classification && y is not (0 or 1))
                problems.Add(new Problem("target.invalid_label", string.Create(CultureInfo.InvariantCulture, $"class {y} is not 0 or 1; CGCNN's classifier has two classes"), Row: i + 1));
        }
        if (problems.Count > 0) return Valid.Fail<CgcnnFit>(problems.Take(10));

        var (initStream, r1) = rng.Split();
        var (splitStream, trainStream) = r1.Split();
        int[] train, held;
        if (explicitValidation)
            (train, held) = (Enumerable.Range(0, graphs.Count).ToArray(), Enumerable.Range(graphs.Count, validationGraphs!.Count).ToArray());
        else if (options.ValidationFraction > 0)
        {
            var shuffled = Enumerable.Range(0, graphs.Count).ToArray();
            new RngCursor(splitStream).Shuffle<int>(shuffled);
            var nHeld = Math.Clamp((int)Math.Ceiling(options.ValidationFraction * graphs.Count), 1, graphs.Count - 1);
            (train, held) = (shuffled[nHeld..].Order().ToArray(), shuffled[..nHeld].Order().ToArray());
        }
        else (train, held) = (Enumerable.Range(0, graphs.Count).ToArray(), []);

        double mean = 0, std = 1;
        if (options.Task == CgcnnTask.Regression)
        {
            var ys = train.Select(i => allTargets[i]).ToArray();
            mean = Reduce.Sum(ys) / ys.Length;
            var centred = ys.Select(y => y - mean).ToArray();
            std = ys.Length > 1 ? Math.Sqrt(Reduce.SumOfSquares(centred) / (ys.Length - 1)) : 0;
            if (!(std > 0))
                return Valid.Fail<CgcnnFit>("target.constant", string.Create(CultureInfo.InvariantCulture,
                    $"the {ys.Length} training targets are all {mean}; the normaliser needs a spread: give varied targets or more rows"));
        }
        var initial = (start ?? Initialise(options, first.NodeFeatureLength, first.EdgeFeatureLength, initStream)) with { TargetMean = mean, TargetStd = std };
        return Valid.Ok(options.Dtype == DType.Float32
            ? new Trainer<float>(options, initial).Run(all, allTargets, train, held, trainStream)
            : new Trainer<double>(options, initial).Run(all, allTargets, train, held, trainStream));
    }

    /// <summary>The learning rate of an epoch (from 0) under MultiStepLR: lr gamma^(milestones &lt;= epoch).</summary>
    internal static double LearningRate(CgcnnOptions o, int epoch) => o.Lr * Math.Pow(o.LrGamma, o.LrMilestones.Count(m => m <= epoch));

    /// <summary>The training loop on parameter arrays of type T (PyTorch layout, updated in place by the optimiser).</summary>
    private sealed class Trainer<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly CgcnnOptions _o;
        private readonly CgcnnModel _shape;
        private readonly DType _dtype = Tensor.DTypeOf<T>();
        private readonly T[][] _p;
        private readonly int[][] _shapes;
        private readonly T[][] _runMean;
        private readonly T[][] _runVar;
        private readonly IOptimizer _optimizer;

        public Trainer(CgcnnOptions o, CgcnnModel initial)
        {
            _o = o;
            _shape = initial;
            var arrays = ParameterArrays(initial);
            _p = arrays.Select(Narrow).ToArray();
            _shapes = [.. ParameterShapes(initial)];
            var bns = initial.Convs.SelectMany(c => new[] { c.Bn1, c.Bn2 }).ToArray();
            _runMean = bns.Select(b => Narrow(b.RunningMean)).ToArray();
            _runVar = bns.Select(b => Narrow(b.RunningVariance)).ToArray();
            var lengths = _p.Select(a => a.Length).ToArray();
            _optimizer = o.Optim == CgcnnOptimizer.Adam
                ? new Adam(new AdamOptions(L2: o.WeightDecay, EpsilonOnCorrected: true), lengths)
                : new Sgd(new SgdOptions(o.Momentum, Nesterov: false, L2: o.WeightDecay, RateAfterMomentum: true), lengths);
        }

        /// <summary>Edge-level values (N M x 2A) from which a step's garbage is collected at once.</summary>
        private const long LargeStep = 1L << 20;

        private static T[] Narrow(double[] a) => a.Select(T.CreateTruncating).ToArray();

        private static double[] Widen(T[] a) => a.Select(double.CreateTruncating).ToArray();

        /// <summary>The current weights and statistics as a model (float64 copies).</summary>
        public CgcnnModel Snapshot()
        {
            var model = WithParameters(_shape, _p.Select(Widen).ToArray());
            var k = 0;
            CgcnnBatchNorm Stats(CgcnnBatchNorm b) { var r = b with { RunningMean = Widen(_runMean[k]), RunningVariance = Widen(_runVar[k]) }; k++; return r; }
            return model with { Convs = model.Convs.Select(c => { var b1 = Stats(c.Bn1); return c with { Bn1 = b1, Bn2 = Stats(c.Bn2) }; }).ToArray() };
        }

        /// <summary>One mini-batch: forward in training mode, loss, backward, optimiser step, running statistics. Returns the loss.</summary>
        private double Step(CrystalGraphBatch batch, double[] normalised, double learningRate, Rng dropoutRng)
        {
            var tape = new Tape();
            var vars = _p.Select((a, k) => tape.Parameter(Tensor.Own(a, _shapes[k]))).ToArray();
            var stats = new List<(Tensor Mean, Tensor Variance)>();
            var dropout = _o.Task == CgcnnTask.Classification ? _o.Dropout : 0;
            var (output, _) = ForwardCore(tape, _shape, vars, batch, _dtype, null, null, stats, dropout, dropoutRng);
            Var loss;
            if (_o.Task == CgcnnTask.Classification)
                loss = Ops.CrossEntropyLoss(output, normalised.Select(y => (int)y).ToArray());
            else
            {
                var target = tape.Constant(Tensor.Own(Narrow(normalised), [normalised.Length, 1]));
                loss = _o.Loss switch
                {
                    MlpLoss.AbsoluteError => Ops.MaeLoss(output, target),
                    MlpLoss.Huber => Ops.HuberLoss(output, target, _o.HuberDelta),
                    _ => Ops.MseLoss(output, target),
                };
            }
            var grads = tape.Backward(loss);
            var g = vars.Select(v => grads.ArrayOf<T>(v)).ToArray();
            if (typeof(T) == typeof(float)) _optimizer.Step((float[][])(object)_p, (float[][])(object)g, learningRate);
            else _optimizer.Step((double[][])(object)_p, (double[][])(object)g, learningRate);
            var momentum = T.CreateTruncating(_o.BatchNormMomentum);
            for (var k = 0; k < stats.Count; k++)
            {
                UpdateRunning<T>(_runMean[k], stats[k].Mean.Data<T>(), momentum);
                UpdateRunning<T>(_runVar[k], stats[k].Variance.Data<T>(), momentum);
            }
            return loss.Value.Single;
        }

        public CgcnnFit Run(IReadOnlyList<CrystalGraph> graphs, IReadOnlyList<double> targets, int[] train, int[] held, Rng stream)
        {
            var (mean, std) = (_shape.TargetMean, _shape.TargetStd);
            var heldGraphs = held.Select(i => graphs[i]).ToArray();
            var trainLoss = new List<double>();
            var scores = new List<double>();
            var losses = new List<double>();
            var seconds = new List<double>();
            CgcnnModel? best = null;
            var bestScore = double.PositiveInfinity;
            var bestEpoch = 0;
            var order = (int[])train.Clone();
            for (var epoch = 0; epoch < _o.Epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                Rng shuffle, dropout;
                (stream, shuffle) = stream.Split();
                (stream, dropout) = stream.Split();
                Array.Copy(train, order, train.Length);
                new RngCursor(shuffle).Shuffle<int>(order);
                var lr = LearningRate(_o, epoch);
                double sum = 0;
                for (var s = 0; s < order.Length; s += _o.BatchSize)
                {
                    var idx = order.AsSpan(s, Math.Min(_o.BatchSize, order.Length - s)).ToArray();
                    var batch = CrystalGraphBatch.Join(idx.Select(i => graphs[i]).ToArray());
                    var y = idx.Select(i => _o.Task == CgcnnTask.Regression ? (targets[i] - mean) / std : targets[i]).ToArray();
                    Rng mask;
                    (dropout, mask) = dropout.Split();
                    sum += Step(batch, y, lr, mask) * idx.Length;
                    // A step's tape holds a few hundred MB of large arrays at batch 128 (phonons: ~11k edge rows x 128 per value), all
                    // garbage once the step is done; collecting them here halves the peak memory (1.66 GB -> 0.8 GB on phonons) at no
                    // measurable cost, where the large-object heap would otherwise grow across steps.
                    if (batch.SiteCount * batch.MaxNeighbors * 2L * _shape.Embedding.Out >= LargeStep) GC.Collect();
                }
                trainLoss.Add(sum / order.Length);
                var improved = true;
                if (held.Length > 0)
                {
                    var model = Snapshot();
                    var (score, heldLoss) = Score(model, heldGraphs, held.Select(i => targets[i]).ToArray());
                    scores.Add(score);
                    losses.Add(heldLoss);
                    improved = score < bestScore || best is null;
                    if (improved) { bestScore = score; best = model; bestEpoch = epoch; }
                }
                else { best = null; bestEpoch = epoch; }
                seconds.Add(clock.Elapsed.TotalSeconds);
                if (held.Length > 0 && _o.Patience is { } patience && epoch - bestEpoch >= patience) break;
            }
            return new CgcnnFit(best ?? Snapshot(), trainLoss, scores, bestEpoch, seconds, _o)
            {
                ValidationLoss = losses, TrainingRows = train.Length, ValidationRows = held.Length,
            };
        }

        /// <summary>Validation score, MAE in the target's unit (regression) or mean NLL (classification), and loss, the training loss
        /// of the normalised target (regression) or the same NLL, in evaluation mode.</summary>
        private (double Score, double Loss) Score(CgcnnModel model, CrystalGraph[] graphs, double[] y)
        {
            var err = new double[y.Length];
            if (_o.Task == CgcnnTask.Regression)
            {
                var p = Predict(model, graphs, _dtype, _o.BatchSize);
                var lossTerms = new double[y.Length];
                for (var i = 0; i < y.Length; i++)
                {
                    err[i] = Math.Abs(p[i] - y[i]);
                    var z = (p[i] - y[i]) / model.TargetStd;
                    var a = Math.Abs(z);
                    lossTerms[i] = _o.Loss switch
                    {
                        MlpLoss.AbsoluteError => a,
                        MlpLoss.Huber => a <= _o.HuberDelta ? 0.5 * z * z : _o.HuberDelta * (a - 0.5 * _o.HuberDelta),
                        _ => z * z,
                    };
                }
                return (Reduce.Sum(err) / y.Length, Reduce.Sum(lossTerms) / y.Length);
            }
            var q = PredictProbabilities(model, graphs, _dtype, _o.BatchSize);
            for (var i = 0; i < y.Length; i++) err[i] = -Math.Log(Math.Max(q[i][(int)y[i]], double.Epsilon));
            var nll = Reduce.Sum(err) / y.Length;
            return (nll, nll);
        }
    }
}
