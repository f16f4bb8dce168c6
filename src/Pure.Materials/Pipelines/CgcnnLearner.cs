using System.Globalization;
using System.Text.Json;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;
using Pure.Materials.Models;
using Pure.Materials.Models.Graph;
using Pure.Materials.Models.Neural;

namespace Pure.Materials.Pipelines;

/// <summary>Hyper-parameters of the <c>cgcnn</c> learner: how crystal graphs are built from structures, and the network and its
/// training (<see cref="CgcnnOptions"/>); each with CGCNN's name and default (its <c>main.py</c> arguments).</summary>
/// <param name="Graph">Radius, neighbours and Gaussian expansion (<c>radius</c>, <c>max_num_nbr</c>, <c>dmin</c>, <c>step</c>; the
/// Gaussian width is the step, as CGCNN's <c>GaussianDistance(var=step)</c>).</param>
/// <param name="Network">Network sizes, optimiser, schedule, epochs, batch size, early stopping and arithmetic type (regression).</param>
public sealed record CgcnnLearnerOptions(CrystalGraphOptions Graph, CgcnnOptions Network)
{
    /// <summary>CGCNN's defaults: radius 8, 12 neighbours, Gaussians 0..8 step 0.2; <see cref="CgcnnOptions"/>'s defaults.</summary>
    public CgcnnLearnerOptions() : this(new CrystalGraphOptions(), new CgcnnOptions()) { }
}

/// <summary>The <c>cgcnn</c> learner's declaration: parameters, fit, and its model-file format.</summary>
public static partial class GraphLearners
{
    /// <summary>The <c>cgcnn</c> learner's parameters with CGCNN's names: the crystal graph's first, then the network's and its training's.</summary>
    private static IEnumerable<Parameter<CgcnnLearnerOptions>> CgcnnParameters() =>
    [
        Parameter.Float<CgcnnLearnerOptions>("radius", "> 0 (Angstrom)", "neighbour search radius of the crystal graph", o => o.Graph.Radius, (o, v) => o with { Graph = o.Graph with { Radius = v } }),
        Parameter.Int<CgcnnLearnerOptions>("max_num_nbr", ">= 1", "neighbours kept per site, nearest first (padded as CGCNN when fewer)", o => o.Graph.MaxNeighbors, (o, v) => o with { Graph = o.Graph with { MaxNeighbors = v } }),
        Parameter.Float<CgcnnLearnerOptions>("dmin", "finite (Angstrom)", "first Gaussian centre of the distance expansion", o => o.Graph.GaussianMin, (o, v) => o with { Graph = o.Graph with { GaussianMin = v } }),
        Parameter.Float<CgcnnLearnerOptions>("step", "> 0 (Angstrom)", "spacing of the Gaussian centres, also their width", o => o.Graph.GaussianStep,
            (o, v) => o with { Graph = o.Graph with { GaussianStep = v, GaussianWidth = v } }),
        Net("atom_fea_len", ">= 1", "atom feature length after the embedding", n => n.AtomFeaLen, (n, v) => n with { AtomFeaLen = v }),
        Net("h_fea_len", ">= 1", "hidden feature length after pooling", n => n.HFeaLen, (n, v) => n with { HFeaLen = v }),
        Net("n_conv", ">= 1", "number of gated graph convolutions", n => n.NConv, (n, v) => n with { NConv = v }),
        Net("n_h", ">= 1", "number of hidden layers after pooling", n => n.NH, (n, v) => n with { NH = v }),
        Parameter.Choice<CgcnnLearnerOptions, CgcnnOptimizer>("optim", "optimiser", [("SGD", CgcnnOptimizer.Sgd), ("sgd", CgcnnOptimizer.Sgd), ("Adam", CgcnnOptimizer.Adam), ("adam", CgcnnOptimizer.Adam)],
            o => o.Network.Optim, (o, v) => o with { Network = o.Network with { Optim = v } }),
        NetF("lr", "> 0", "initial learning rate", n => n.Lr, (n, v) => n with { Lr = v }),
        NetF("momentum", "[0, 1]", "SGD momentum (ignored by Adam)", n => n.Momentum, (n, v) => n with { Momentum = v }),
        NetF("weight_decay", ">= 0", "L2 coefficient added to every gradient", n => n.WeightDecay, (n, v) => n with { WeightDecay = v }),
        Parameter.Custom<CgcnnLearnerOptions>("lr_milestones", "ints, comma-separated", "epochs >= 1 (from 0), e.g. 100 or 80,120; empty for none",
            "epochs at which the learning rate is multiplied by lr_gamma (MultiStepLR)", o => string.Join(",", o.Network.LrMilestones.Select(I)),
            (o, v, ps) => Milestones(v, ps) is { } m ? o with { Network = o.Network with { LrMilestones = m } } : o),
        NetF("lr_gamma", "(0, 1]", "factor of each milestone", n => n.LrGamma, (n, v) => n with { LrGamma = v }),
        Net("epochs", ">= 1", "passes over the training graphs", n => n.Epochs, (n, v) => n with { Epochs = v }),
        Net("batch_size", ">= 1", "crystals per mini-batch", n => n.BatchSize, (n, v) => n with { BatchSize = v }),
        NetF("validation_fraction", "[0, 1)", "share of the training graphs held out to keep the best epoch (0: the last epoch)", n => n.ValidationFraction, (n, v) => n with { ValidationFraction = v }),
        Parameter.OptionalInt<CgcnnLearnerOptions>("patience", ">= 1 or None (every epoch)", "stop after this many epochs without a better validation MAE",
            o => o.Network.Patience, (o, v) => o with { Network = o.Network with { Patience = v } }),
        NetF("batch_norm_momentum", "(0, 1]", "weight of a batch's statistics in the running mean and variance", n => n.BatchNormMomentum, (n, v) => n with { BatchNormMomentum = v }),
        Parameter.Choice<CgcnnLearnerOptions, MlpLoss>("loss", "beyond CGCNN (MSE): training loss of the normalised target, regression only",
            [("squared_error", MlpLoss.SquaredError), ("absolute_error", MlpLoss.AbsoluteError), ("huber", MlpLoss.Huber)],
            o => o.Network.Loss, (o, v) => o with { Network = o.Network with { Loss = v } }),
        NetF("huber_delta", "> 0 (target standard deviations)", "threshold of the Huber loss (loss=huber)", n => n.HuberDelta, (n, v) => n with { HuberDelta = v }),
        Parameter.Choice<CgcnnLearnerOptions, DType>("dtype", "arithmetic type of training and prediction", [("float32", DType.Float32), ("float64", DType.Float64)],
            o => o.Network.Dtype, (o, v) => o with { Network = o.Network with { Dtype = v } }),
    ];

    private static Parameter<CgcnnLearnerOptions> Net(string name, string range, string doc, Func<CgcnnOptions, int> get, Func<CgcnnOptions, int, CgcnnOptions> set) =>
        Parameter.Int<CgcnnLearnerOptions>(name, range, doc, o => get(o.Network), (o, v) => o with { Network = set(o.Network, v) });

    private static Parameter<CgcnnLearnerOptions> NetF(string name, string range, string doc, Func<CgcnnOptions, double> get, Func<CgcnnOptions, double, CgcnnOptions> set) =>
        Parameter.Float<CgcnnLearnerOptions>(name, range, doc, o => get(o.Network), (o, v) => o with { Network = set(o.Network, v) });

    /// <summary>Reads <c>lr_milestones</c>: integers separated by commas, optionally in brackets as CGCNN's args print them (<c>[800]</c>).</summary>
    private static int[]? Milestones(string text, List<Problem> problems)
    {
        var parts = text.Trim().TrimStart('[').TrimEnd(']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out result[i]))
            {
                problems.Add(new Problem("param.invalid_value", $"lr_milestones={text} is not a list of integers (e.g. lr_milestones=100 or lr_milestones=80,120)"));
                return null;
            }
        return result;
    }

    /// <summary>Checks the options a fit or a model file needs: a valid graph and positive sizes.</summary>
    internal static Validation<Problem, CgcnnLearnerOptions> Check(CgcnnLearnerOptions o)
    {
        var problems = new List<Problem>();
        void Need(bool ok, string name, string value, string range)
        {
            if (!ok) problems.Add(new Problem("param.out_of_range", $"cgcnn: {name}={value} is outside its range ({range})"));
        }
        var g = o.Graph;
        Need(g.Radius > 0 && double.IsFinite(g.Radius), "radius", F(g.Radius), "> 0");
        Need(g.MaxNeighbors >= 1, "max_num_nbr", I(g.MaxNeighbors), ">= 1");
        Need(g.GaussianStep > 0 && double.IsFinite(g.GaussianStep), "step", F(g.GaussianStep), "> 0");
        Need(g.GaussianMin <= g.Radius, "dmin", F(g.GaussianMin), "<= radius");
        var n = o.Network;
        Need(n.AtomFeaLen >= 1, "atom_fea_len", I(n.AtomFeaLen), ">= 1");
        Need(n.HFeaLen >= 1, "h_fea_len", I(n.HFeaLen), ">= 1");
        Need(n.NConv >= 1, "n_conv", I(n.NConv), ">= 1");
        Need(n.NH >= 1, "n_h", I(n.NH), ">= 1");
        return problems.Count == 0 ? Valid.Ok(o) : Valid.Fail<CgcnnLearnerOptions>(problems);
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The graph builder of a learner with these options: the bundled CGCNN atom table, the options' graph.</summary>
    internal static Func<IReadOnlyList<Structures.Structure>, Validation<Problem, CrystalGraph[]>> Builder(CgcnnLearnerOptions o) =>
        structures => Check(o).Bind(c => BuildGraphs(c.Graph, CgcnnAtomFeatures, structures));

    /// <summary>Wraps a fitted network in the learner's predictor.</summary>
    internal static GraphPredictor CgcnnPredictor(CgcnnLearnerOptions o, CgcnnModel m) => m.IsClassification
        ? new("cgcnn", Builder(o), graphs => Cgcnn.PredictProbabilities(m, graphs, o.Network.Dtype).Select(p => p[1] > p[0] ? 1.0 : 0.0).ToArray(), m)
        {
            Probabilities = graphs => Cgcnn.PredictProbabilities(m, graphs, o.Network.Dtype),
        }
        : new("cgcnn", Builder(o), graphs => Cgcnn.Predict(m, graphs, o.Network.Dtype), m);

    /// <summary>Writes a CGCNN network's learned state: every layer as PyTorch stores it (weight (out, in), bias (out)), the batch norms'
    /// affine parameters and running statistics, the target normaliser, and the SHA-256 of the atom table its graphs were built with.</summary>
    /// <param name="m">The network.</param>
    /// <returns>The state.</returns>
    public static StateNode WriteCgcnn(CgcnnModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        static StateNode Linear(CgcnnLinear l) => new StateNode().Matrix("weight", Matrix.FromRowMajor(l.Out, l.In, l.Weight)).Floats("bias", l.Bias);
        static StateNode Bn(CgcnnBatchNorm b) => new StateNode().Floats("weight", b.Gamma).Floats("bias", b.Beta)
            .Floats("running_mean", b.RunningMean).Floats("running_var", b.RunningVariance);
        var node = new StateNode()
            .Text("atom_features", "cgcnn atom_init.json").Text("atom_features_sha256", CgcnnAtomFeaturesSha256)
            .Node("embedding", Linear(m.Embedding))
            .Nodes("convs", m.Convs.Select(c => new StateNode().Node("fc_full", Linear(c.Full)).Node("bn1", Bn(c.Bn1)).Node("bn2", Bn(c.Bn2))))
            .Node("conv_to_fc", Linear(m.ConvToFc))
            .Nodes("fcs", m.Hidden.Select(Linear))
            .Node("fc_out", Linear(m.Output))
            .Float("normalizer_mean", m.TargetMean).Float("normalizer_std", m.TargetStd);
        return m.IsClassification ? node.Text("task", "classification") : node;
    }

    /// <summary>Reads a CGCNN network written by <see cref="WriteCgcnn"/>, checking every shape against the options (atom_fea_len A,
    /// n_conv, h_fea_len H, n_h, the graph's Gaussian count G, the atom table's length F) and the atom table's checksum.</summary>
    /// <param name="o">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The state.</param>
    /// <returns>The network, or <c>model.corrupt</c> problems naming the entry.</returns>
    public static Validation<Problem, CgcnnModel> ReadCgcnn(CgcnnLearnerOptions o, StateReader r)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(r);
        if (Check(o) is { IsFail: true } bad)
        {
            r.Fail("parameters", string.Join("; ", bad.Problems().Select(p => p.Message)));
            return Valid.Fail<CgcnnModel>(r.Problems);
        }
        var sha = r.Text("atom_features_sha256");
        if (r.Ok && sha != CgcnnAtomFeaturesSha256)
            r.Fail("atom_features_sha256", $"is {sha}, but this library's atom_init.json has {CgcnnAtomFeaturesSha256}; the graphs would differ from training: fit the model again with this version");
        int a = o.Network.AtomFeaLen, h = o.Network.HFeaLen, g = o.Graph.GaussianCount, f = CgcnnAtomFeatures.Length;
        CgcnnLinear Linear(StateReader n, int rows, int cols)
        {
            var w = ModelState.Matrix(n, "weight", rows, cols);
            var b = ModelState.Floats(n, "bias", rows);
            return new CgcnnLinear(n.Ok ? w.Data.ToArray() : [], b, rows, cols);
        }
        CgcnnBatchNorm Bn(StateReader n, int width) => new(ModelState.Floats(n, "weight", width), ModelState.Floats(n, "bias", width),
            ModelState.Floats(n, "running_mean", width), ModelState.Floats(n, "running_var", width), width);
        var embedding = Linear(r.Node("embedding"), a, f);
        var convs = r.Nodes("convs", 1024, o.Network.NConv).Select(c => new CgcnnConv(Linear(c.Node("fc_full"), 2 * a, 2 * a + g), Bn(c.Node("bn1"), 2 * a), Bn(c.Node("bn2"), a))).ToArray();
        var toFc = Linear(r.Node("conv_to_fc"), h, a);
        var fcs = r.Nodes("fcs", 1024, o.Network.NH - 1).Select(n => Linear(n, h, h)).ToArray();
        // A classifier (written with task "classification"; files without the entry are regressors) has CGCNN's 2-output head.
        var task = r.Has("task") ? r.Text("task") : "regression";
        if (r.Ok && task is not ("regression" or "classification")) r.Fail("task", $"is '{task}', expected regression or classification");
        var output = Linear(r.Node("fc_out"), task == "classification" ? 2 : 1, h);
        var mean = r.Float("normalizer_mean");
        var std = r.Float("normalizer_std");
        if (r.Ok && !(std > 0)) r.Fail("normalizer_std", $"is {F(std)}, expected > 0");
        if (r.Ok && convs.Any(c => c.Bn1.RunningVariance.Any(v => v < 0) || c.Bn2.RunningVariance.Any(v => v < 0)))
            r.Fail("convs", "a batch norm's running_var holds a negative value");
        return ModelState.Finish(r, () => new CgcnnModel(embedding, convs, toFc, fcs, output, mean, std));
    }

    /// <summary>Builds the pipeline of a published CGCNN regression model exported from its <c>.pth.tar</c> as JSON (the state dict as
    /// {name: {shape, data}}, <c>normalizer</c> {mean, std} and <c>args</c>, as <c>formation_energy_model.json</c>): predicting
    /// structures with it equals <see cref="Cgcnn.Predict(CgcnnModel, IReadOnlyList{CrystalGraph}, DType, int)"/> on graphs built with CGCNN's defaults (radius 8, 12 neighbours, Gaussians
    /// 0..8 step 0.2: <c>predict.py</c> builds its graphs with them whatever the model).</summary>
    /// <param name="json">The exported JSON text.</param>
    /// <param name="source">The file's name, for messages and the training record.</param>
    /// <param name="targetName">What the model predicts (default <c>formation_energy_per_atom</c>, the published model's target).</param>
    /// <param name="unit">Its unit (default <c>eV/atom</c>).</param>
    /// <returns>A fitted pipeline whose learner is <c>cgcnn</c> with the recorded sizes (float32, as PyTorch), its training record holding
    /// <c>args.train_size</c> rows (1 when absent) and the SHA-256 of the JSON text in place of the training data's (which is not
    /// published) and no training elements (so no prediction is flagged for an unseen element); or <c>cgcnn.invalid_model</c> (see <see cref="Cgcnn.ReadJson"/>).</returns>
    public static Validation<Problem, FittedPipeline> FromPublishedJson(string json, string source, string targetName = "formation_energy_per_atom", string unit = "eV/atom")
    {
        ArgumentNullException.ThrowIfNull(json);
        return Cgcnn.ReadJson(json, source).Bind(model =>
        {
            var trainSize = 1;
            using (var doc = JsonDocument.Parse(json))
                if (doc.RootElement.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Object
                    && args.TryGetProperty("train_size", out var ts) && ts.TryGetInt32(out var t) && t >= 1)
                    trainSize = t;
            var options = new CgcnnLearnerOptions(new CrystalGraphOptions(), Published(json) with
            {
                AtomFeaLen = model.Embedding.Out, HFeaLen = model.ConvToFc.Out, NConv = model.Convs.Count, NH = model.Hidden.Count + 1,
            });
            if (model.Embedding.In != CgcnnAtomFeatures.Length || model.Convs[0].Full.In != 2 * options.Network.AtomFeaLen + options.Graph.GaussianCount)
                return Valid.Fail<FittedPipeline>("cgcnn.invalid_model", $"{source}: the network takes node features of length {model.Embedding.In} and edges of length {model.Convs[0].Full.In - 2 * options.Network.AtomFeaLen}; CGCNN's atom_init.json and default graph give {CgcnnAtomFeatures.Length} and {options.Graph.GaussianCount}");
            var learner = CgcnnSpec.Build(options);
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json)));
            return Valid.Ok(new FittedPipeline(new PipelineInput(null, [], Featurize.MissingElementValue.NaN, []) { CrystalGraphs = true },
                new PipelineTarget(targetName, unit), [], [], new FittedLearner(learner.Name, learner.Parameters.ToArray(), model),
                new TrainingRecord(trainSize, sha, null, [], [], [], [])));
        });
    }

    /// <summary>Whether a JSON text is an object with a <c>tensors</c> object (an exported state dict), as CGCNN exports have.</summary>
    /// <param name="json">The text.</param>
    /// <returns>True when it parses and has <c>tensors</c>.</returns>
    public static bool HasTensors(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("tensors", out var t) && t.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Whether a file's first non-blank byte opens a JSON object (a published CGCNN export) rather than a ZIP model file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>True for a JSON object.</returns>
    public static bool LooksLikeJson(string path)
    {
        using var s = File.OpenRead(path);
        int b;
        while ((b = s.ReadByte()) is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF) { }
        return b == '{';
    }
}

public static partial class GraphLearners
{
    /// <summary><c>cgcnn</c>: CGCNN's <c>CrystalGraphConvNet</c> (see <see cref="Cgcnn"/>) on crystal graphs built from the structures
    /// with the bundled <c>atom_init.json</c>.</summary>
    public static LearnerSpec<CgcnnLearnerOptions, GraphLearner> CgcnnSpec { get; } = new LearnerSpec<CgcnnLearnerOptions, GraphLearner>(
        "cgcnn", "CrystalGraphConvNet", "crystal graph convolutional network (Xie & Grossman 2018) on graphs built from crystal structures", new CgcnnLearnerOptions(),
        [.. CgcnnParameters()],
        (o, list) => new GraphLearner("cgcnn", list, Builder(o), (graphs, y, rng) => Check(o).Bind(c => FitCgcnn(c, graphs, y, rng)).Map(f => Fitted(o, f)))
        {
            Classify = (graphs, labels, rng) => Check(o).Bind(c => ClassifyCgcnn(c, graphs, labels, rng)).Map(f => Fitted(o, f)),
        },
        ScaleStrategy.None).WithFormat<CgcnnModel>(WriteCgcnn, ReadCgcnn, (o, m) => CgcnnPredictor(o, m));

    /// <summary>Fits CGCNN on graphs (<see cref="Cgcnn.Fit(CgcnnOptions, IReadOnlyList{CrystalGraph}, IReadOnlyList{double}, Rng)"/>,
    /// regression): the learner's parameters name <see cref="CgcnnOptions"/>' fields with CGCNN's names.</summary>
    private static Validation<Problem, CgcnnFit> FitCgcnn(CgcnnLearnerOptions o, IReadOnlyList<CrystalGraph> graphs, IReadOnlyList<double> y, Rng rng) =>
        Cgcnn.Fit(o.Network with { Task = CgcnnTask.Regression }, graphs, y, rng);

    /// <summary>Fits CGCNN's classifier (<see cref="CgcnnTask.Classification"/>: 2 outputs, NLL, dropout after conv_to_fc) on graphs
    /// and class indices 0/1: exactly <see cref="Cgcnn.Fit(CgcnnOptions, IReadOnlyList{CrystalGraph}, IReadOnlyList{double}, Rng)"/>
    /// with the indices as targets.</summary>
    private static Validation<Problem, CgcnnFit> ClassifyCgcnn(CgcnnLearnerOptions o, IReadOnlyList<CrystalGraph> graphs, IReadOnlyList<int> labels, Rng rng) =>
        Cgcnn.Fit(o.Network with { Task = CgcnnTask.Classification }, graphs, labels.Select(l => (double)l).ToArray(), rng);

    /// <summary>The predictor of a fit, with its training history.</summary>
    private static GraphPredictor Fitted(CgcnnLearnerOptions o, CgcnnFit f) => CgcnnPredictor(o, f.Model) with
    {
        History = new GraphTrainingHistory(f.TrainLoss, f.ValidationScore, f.BestEpoch)
        {
            ValidationLoss = f.ValidationLoss, TrainingRows = f.TrainingRows, ValidationRows = f.ValidationRows, LossDescription = f.LossDescription,
        },
    };

    /// <summary>The training options CGCNN's exported <c>args</c> record (optim, lr, momentum, weight_decay, lr_milestones, epochs,
    /// batch_size), so a published model's parameters say how it was trained; defaults for what the file lacks.</summary>
    private static CgcnnOptions Published(string json)
    {
        var n = new CgcnnOptions();
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Object) return n;
        double? D(string key) => args.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;
        int? N(string key) => args.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
        if (args.TryGetProperty("optim", out var optim) && optim.ValueKind == JsonValueKind.String)
            n = n with { Optim = optim.GetString() == "Adam" ? CgcnnOptimizer.Adam : CgcnnOptimizer.Sgd };
        if (D("lr") is { } lr) n = n with { Lr = lr };
        if (D("momentum") is { } momentum) n = n with { Momentum = momentum };
        if (D("weight_decay") is { } wd) n = n with { WeightDecay = wd };
        if (N("epochs") is { } epochs) n = n with { Epochs = epochs };
        if (N("batch_size") is { } batch) n = n with { BatchSize = batch };
        if (args.TryGetProperty("lr_milestones", out var ms) && ms.ValueKind == JsonValueKind.String && Milestones(ms.GetString()!, []) is { } m)
            n = n with { LrMilestones = m };
        return n;
    }
}
