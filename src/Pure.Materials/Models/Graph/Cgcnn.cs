using System.Globalization;
using System.Text.Json;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;

namespace Pure.Materials.Models.Graph;

/// <summary>A linear layer's weights, stored as PyTorch does: weight (out, in), bias (out).</summary>
/// <param name="Weight">Row-major (Out, In).</param>
/// <param name="Bias">Shape (Out).</param>
/// <param name="Out">Output width.</param>
/// <param name="In">Input width.</param>
public sealed record CgcnnLinear(double[] Weight, double[] Bias, int Out, int In);

/// <summary>A batch normalisation's affine parameters and running statistics, each of shape (Width).</summary>
public sealed record CgcnnBatchNorm(double[] Gamma, double[] Beta, double[] RunningMean, double[] RunningVariance, int Width);

/// <summary>One gated graph convolution: fc_full (2A, 2A + G), bn1 (2A), bn2 (A), A the atom feature width, G the edge width.</summary>
public sealed record CgcnnConv(CgcnnLinear Full, CgcnnBatchNorm Bn1, CgcnnBatchNorm Bn2);

/// <summary>A CGCNN network's learned state and its target normaliser: a regression network (fc_out with 1 output) or a
/// binary classification one (fc_out with 2 outputs, the class logits; normaliser mean 0, std 1 as CGCNN's).</summary>
/// <param name="Embedding">Node features (F) to atom features (A).</param>
/// <param name="Convs">The n_conv gated convolutions.</param>
/// <param name="ConvToFc">Pooled atom features (A) to hidden (H).</param>
/// <param name="Hidden">The n_h - 1 further hidden layers (H, H).</param>
/// <param name="Output">Hidden (H) to the normalised target (1) or to the two class logits (2).</param>
/// <param name="TargetMean">Normaliser mean, target unit (eV/atom for formation energy).</param>
/// <param name="TargetStd">Normaliser standard deviation, target unit.</param>
public sealed record CgcnnModel(CgcnnLinear Embedding, IReadOnlyList<CgcnnConv> Convs, CgcnnLinear ConvToFc, IReadOnlyList<CgcnnLinear> Hidden,
    CgcnnLinear Output, double TargetMean, double TargetStd)
{
    /// <summary>True for a classification network (fc_out has 2 outputs: log-softmax gives the log-probabilities of classes 0 and 1).</summary>
    public bool IsClassification => Output.Out == 2;
}

/// <summary>CGCNN on the autodiff tape: the forward pass (evaluation and training mode), training (<c>Fit</c>, CgcnnTraining.cs),
/// prediction, and a reader of the published pre-trained weights.</summary>
public static partial class Cgcnn
{
    /// <summary>Batch norm epsilon of PyTorch's <c>BatchNorm1d</c> default, used by CGCNN.</summary>
    public const double BatchNormEpsilon = 1e-5;

    /// <summary>Reads a CGCNN regression model exported from the original <c>.pth.tar</c> as JSON.</summary>
    /// <param name="json">An object with <c>normalizer</c> {mean, std} and <c>tensors</c>: name -> {shape, data}, the names of
    /// the PyTorch state dict (<c>embedding.weight</c>, <c>convs.K.fc_full.weight</c>, <c>convs.K.bn1.running_mean</c>, ...,
    /// <c>conv_to_fc.weight</c>, <c>fcs.K.weight</c>, <c>fc_out.weight</c>).</param>
    /// <param name="source">Name used in messages.</param>
    /// <returns>The model (regression: fc_out with 1 output; classification: 2 outputs), or one problem <c>cgcnn.invalid_model</c>
    /// naming the missing or malformed tensor, or an fc_out with another number of outputs.</returns>
    public static Validation<Problem, CgcnnModel> ReadJson(string json, string source = "model.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { return Fail($"{source} is not JSON ({e.Message})."); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("tensors", out var tensors) || tensors.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("normalizer", out var norm) || norm.ValueKind != JsonValueKind.Object
                || !norm.TryGetProperty("mean", out var mean) || mean.ValueKind != JsonValueKind.Number
                || !norm.TryGetProperty("std", out var std) || std.ValueKind != JsonValueKind.Number)
                return Fail($"{source} needs an object with 'tensors' (name -> {{shape, data}}) and 'normalizer' {{mean, std}}; export the .pth.tar's state_dict and normalizer.");
            var problems = new List<string>();
            double[]? Get(string name, params int[] shape)
            {
                if (!tensors.TryGetProperty(name, out var t) || t.ValueKind != JsonValueKind.Object
                    || !t.TryGetProperty("shape", out var s) || !t.TryGetProperty("data", out var d) || d.ValueKind != JsonValueKind.Array)
                { problems.Add($"{source}: tensor '{name}' is missing or lacks shape and data"); return null; }
                var got = s.EnumerateArray().Select(x => x.GetInt32()).ToArray();
                if (shape.Length > 0 && !got.SequenceEqual(shape))
                { problems.Add($"{source}: tensor '{name}' has shape ({string.Join(", ", got)}), expected ({string.Join(", ", shape)})"); return null; }
                var v = d.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number ? x.GetDouble() : double.NaN).ToArray();
                var count = got.Aggregate(1, (a, b) => a * b);
                if (v.Length != count || v.Any(x => !double.IsFinite(x)))
                { problems.Add($"{source}: tensor '{name}' holds {v.Length} values for {count} or a value that is not a finite number"); return null; }
                return v;
            }
            int[] ShapeOf(string name) =>
                tensors.TryGetProperty(name, out var t) && t.ValueKind == JsonValueKind.Object && t.TryGetProperty("shape", out var s) && s.ValueKind == JsonValueKind.Array
                    ? s.EnumerateArray().Select(x => x.GetInt32()).ToArray() : [];
            CgcnnLinear? Linear(string name)
            {
                var shape = ShapeOf(name + ".weight");
                if (shape.Length != 2) { problems.Add($"{source}: tensor '{name}.weight' is missing or not a matrix"); return null; }
                var w = Get(name + ".weight", shape[0], shape[1]);
                var b = Get(name + ".bias", shape[0]);
                return w is null || b is null ? null : new CgcnnLinear(w, b, shape[0], shape[1]);
            }
            CgcnnBatchNorm? Bn(string name, int width)
            {
                var g = Get(name + ".weight", width); var b = Get(name + ".bias", width);
                var m = Get(name + ".running_mean", width); var v = Get(name + ".running_var", width);
                return g is null || b is null || m is null || v is null ? null : new CgcnnBatchNorm(g, b, m, v, width);
            }
            var embedding = Linear("embedding");
            if (embedding is null) return Fail(problems[0]);
            var a = embedding.Out;
            var convs = new List<CgcnnConv>();
            for (var k = 0; ShapeOf($"convs.{k}.fc_full.weight").Length > 0; k++)
            {
                var full = Linear($"convs.{k}.fc_full");
                var bn1 = Bn($"convs.{k}.bn1", 2 * a);
                var bn2 = Bn($"convs.{k}.bn2", a);
                if (full is null || bn1 is null || bn2 is null) return Fail(problems[0]);
                if (full.Out != 2 * a || full.In <= 2 * a)
                    return Fail($"{source}: convs.{k}.fc_full.weight is ({full.Out}, {full.In}); expected (2A, 2A + G) with A = {a}.");
                convs.Add(new CgcnnConv(full, bn1, bn2));
            }
            if (convs.Count == 0) return Fail($"{source} has no convs.0.fc_full.weight; a CGCNN model has at least one convolution.");
            var toFc = Linear("conv_to_fc");
            var hidden = new List<CgcnnLinear>();
            for (var k = 0; ShapeOf($"fcs.{k}.weight").Length > 0; k++)
                if (Linear($"fcs.{k}") is { } h) hidden.Add(h);
            var output = Linear("fc_out");
            if (toFc is null || output is null || problems.Count > 0) return Fail(problems[0]);
            if (output.Out is not (1 or 2)) return Fail($"{source}: fc_out has {output.Out} outputs; CGCNN has 1 (regression) or 2 (classification).");
            if (toFc.In != a || output.In != toFc.Out || hidden.Any(h => h.In != toFc.Out || h.Out != toFc.Out))
                return Fail($"{source}: conv_to_fc, fcs and fc_out widths do not chain (A = {a}, H = {toFc.Out}).");
            var sd = std.GetDouble();
            if (!(sd > 0) || !double.IsFinite(mean.GetDouble())) return Fail($"{source}: normalizer std {sd} is not positive or mean is not finite.");
            return Valid.Ok(new CgcnnModel(embedding, convs, toFc, hidden, output, mean.GetDouble(), sd));
        }
    }

    /// <summary>Predicts the target of every crystal in a batch (CGCNN in evaluation mode), denormalised.</summary>
    /// <param name="model">The weights.</param>
    /// <param name="batch">The crystals' graphs, joined (<see cref="CrystalGraphBatch.Join"/>), built with the feature lengths
    /// the model was trained with.</param>
    /// <param name="dtype">Arithmetic type: float32 (as PyTorch) or float64.</param>
    /// <returns>One prediction per crystal, in batch order, target unit (eV/atom for formation energy).</returns>
    /// <exception cref="ArgumentException">When the batch's feature lengths do not match the model, or the model is a classification
    /// one (use <see cref="PredictProbabilities(CgcnnModel, CrystalGraphBatch, DType)"/>; programmer errors).</exception>
    /// <remarks>Runs <see cref="Forward"/> on a fresh tape and returns <c>y std + mean</c>.</remarks>
    public static double[] Predict(CgcnnModel model, CrystalGraphBatch batch, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.IsClassification) throw new ArgumentException("a classification model predicts class probabilities; use PredictProbabilities", nameof(model));
        var tape = new Tape();
        var y = Forward(tape, model, batch, dtype, trainable: false);
        var raw = y.Value.ToArray();
        var result = new double[batch.CrystalCount];
        if (dtype == DType.Float32)
        {
            float sd = (float)model.TargetStd, mu = (float)model.TargetMean;
            for (var c = 0; c < result.Length; c++) result[c] = (float)raw[c] * sd + mu;
        }
        else
            for (var c = 0; c < result.Length; c++) result[c] = raw[c] * model.TargetStd + model.TargetMean;
        return result;
    }

    /// <summary>Records CGCNN's forward pass (evaluation-mode batch norm) on a tape; the output is the normalised target.</summary>
    /// <param name="tape">The tape to record on.</param>
    /// <param name="model">The weights.</param>
    /// <param name="batch">The joined graphs: N sites, M neighbours each, node width F, edge width G.</param>
    /// <param name="dtype">Arithmetic type.</param>
    /// <param name="trainable">True to record the weights as parameters (gradients flow to them), false as constants.</param>
    /// <returns>Shape (C, 1), C crystals: the normalised prediction.</returns>
    /// <remarks>
    /// With v (N, A) the atom features and e_ij (G) the edge features:
    /// <c>v = x W_emb^T + b</c>; per convolution, for every (i, j) among i's M neighbours,
    /// <c>z_ij = bn1([v_i, v_j, e_ij] W_full^T + b)</c> (computed as <c>(v W_c^T)_i + (v W_n^T)_j + e_ij W_e^T + b</c> with W_full's
    /// column blocks, the site products on the N sites), split into filter and core halves (A each),
    /// <c>v_i &lt;- softplus(v_i + bn2(sum_j sigmoid(z_f) * softplus(z_c)))</c>; then the crystal mean of v,
    /// <c>h = softplus(softplus(mean) W_fc^T + b)</c> (CGCNN applies softplus before and after conv_to_fc), each further hidden layer
    /// <c>h = softplus(h W^T + b)</c>, and <c>y = h W_out^T + b</c>.
    /// Batch norm here is <c>(x - running_mean) / sqrt(running_var + 1e-5) gamma + beta</c>. Neighbour sums run in neighbour order
    /// and crystal means in site order (fixed-order, CPU-independent).
    /// Source: Xie &amp; Grossman, Phys. Rev. Lett. 120, 145301 (2018), eqs. 5 and the pooling; github.com/txie-93/cgcnn
    /// <c>cgcnn/model.py</c> (<c>ConvLayer</c>, <c>CrystalGraphConvNet</c>).
    /// </remarks>
    public static Var Forward(Tape tape, CgcnnModel model, CrystalGraphBatch batch, DType dtype, bool trainable)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        var p = Recorded(tape, model, dtype, trainable);
        var (means, variances) = RunningStatistics(model, dtype);
        return ForwardCore(tape, model, p, batch, dtype, means, variances, null, 0, default).Output;
    }

    /// <summary>Every weight of the model on the tape in <paramref name="dtype"/>, in <see cref="ParameterNames"/> order: as parameters
    /// (gradients flow to them) or as constants.</summary>
    private static Var[] Recorded(Tape tape, CgcnnModel model, DType dtype, bool trainable)
    {
        var shapes = ParameterShapes(model);
        return ParameterArrays(model).Select((values, k) =>
        {
            var t = Tensor.From(values, shapes[k]);
            if (dtype == DType.Float32) t = t.To(DType.Float32);
            return trainable ? tape.Parameter(t) : tape.Constant(t);
        }).ToArray();
    }

    /// <summary>The forward pass on recorded parameters <paramref name="p"/> (in <see cref="ParameterNames"/>' order and PyTorch's
    /// shapes). With <paramref name="runningMeans"/> null, batch norm uses the batch's statistics (training mode) and they are added to
    /// <paramref name="batchStatistics"/> (bn1 then bn2 of each convolution); else the running statistics (evaluation mode).
    /// Dropout with probability <paramref name="dropout"/> after conv_to_fc's softplus (classification in training mode only).</summary>
    internal static (Var Output, Rng Next) ForwardCore(Tape tape, CgcnnModel model, IReadOnlyList<Var> p, CrystalGraphBatch batch, DType dtype,
        Tensor[]? runningMeans, Tensor[]? runningVariances, List<(Tensor Mean, Tensor Variance)>? batchStatistics, double dropout, Rng rng)
    {
        var a = model.Embedding.Out;
        if (batch.NodeFeatureLength != model.Embedding.In || model.Convs[0].Full.In != 2 * a + batch.EdgeFeatureLength)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"the batch has node width {batch.NodeFeatureLength} and edge width {batch.EdgeFeatureLength}; the model expects {model.Embedding.In} and {model.Convs[0].Full.In - 2 * a}"), nameof(batch));
        Var Input(double[] data, params int[] shape)
        {
            var t = Tensor.From(data, shape);
            return tape.Constant(dtype == DType.Float32 ? t.To(DType.Float32) : t);
        }
        var next = 0;
        Var Linear(Var x)
        {
            var w = p[next++];
            return Ops.Add(Ops.MatMul(x, Ops.Transpose(w)), p[next++]);
        }
        var bnIndex = 0;
        Var Bn(Var x)
        {
            var (gamma, beta) = (p[next++], p[next++]);
            var k = bnIndex++;
            if (runningMeans is not null) return Ops.BatchNormEval(x, gamma, beta, runningMeans[k], runningVariances![k], BatchNormEpsilon);
            var (y, mean, variance) = Ops.BatchNormTrain(x, gamma, beta, BatchNormEpsilon);
            batchStatistics?.Add((mean, variance));
            return y;
        }

        int n = batch.SiteCount, m = batch.MaxNeighbors, g = batch.EdgeFeatureLength;
        var edges = Input(batch.EdgeFeatures, n * m, g);
        var v = Linear(Input(batch.NodeFeatures, n, batch.NodeFeatureLength));
        foreach (var _ in model.Convs)
        {
            // fc_full([v_i, v_j, e_ij]) = v_i W_c^T + v_j W_n^T + e_ij W_e^T + b with W = [W_c | W_n | W_e] split by columns: the
            // site products run on the N sites and are gathered to the N M edges, instead of multiplying N M concatenated rows by
            // all 2A + G columns (the same function; 2A + G = 169 columns per edge become G = 41 for the defaults).
            var (w, bias) = (p[next++], p[next++]);
            var parts = Ops.Split(w, [a, a, g], axis: 1);
            // The bias joins the centre product on the N sites (each edge row gathers exactly one centre row).
            var centre = Ops.Gather(Ops.Add(Ops.MatMul(v, Ops.Transpose(parts[0])), bias), batch.CenterIndex);
            var neighbour = Ops.Gather(Ops.MatMul(v, Ops.Transpose(parts[1])), batch.NeighborIndex);
            var edge = Ops.MatMul(edges, Ops.Transpose(parts[2]));
            var z = Bn(Ops.Add(Ops.Add(centre, neighbour), edge));
            var summed = Bn(GatedSum(z, n, m, a));
            v = Ops.Softplus(Ops.Add(v, summed));
        }
        var pooled = Ops.SegmentMean(v, batch.CrystalOfSite, batch.CrystalCount);
        var h = Ops.Softplus(Linear(Ops.Softplus(pooled)));
        if (dropout > 0 && runningMeans is null) (h, rng) = Ops.Dropout(h, dropout, rng, training: true);
        foreach (var _ in model.Hidden) h = Ops.Softplus(Linear(h));
        return (Linear(h), rng);
    }

    /// <summary>CGCNN's gated message summed over each site's neighbours: z (N M, 2A) = [z_f | z_c], the M edge rows of site i at rows
    /// i M .. i M + M - 1; output (N, A) row i = sum over k of sigmoid(z_f) * softplus(z_c) of row i M + k, neighbours in order.</summary>
    /// <remarks>One operation for what Split, Sigmoid, Softplus, Mul and SegmentSum over the centre index record, with the same
    /// values in the same order (<see cref="Ops.SigmoidOf{T}"/>, <see cref="Ops.SoftplusOf{T}"/>; the sum from zero in neighbour
    /// order; the backward rule's products in those operations' order: dz_f = ((g softplus(z_c)) s) (1 - s), dz_c = (g s)
    /// sigmoid(z_c), s = sigmoid(z_f)), without their five edge-level intermediate arrays and their gradients. Sites are split over
    /// threads; each output row and each gradient row is computed by one thread, so the bits do not depend on the thread count.</remarks>
    internal static Var GatedSum(Var z, int n, int m, int a) =>
        z.DType == DType.Float64 ? GatedSum<double>(z, n, m, a) : GatedSum<float>(z, n, m, a);

    private static Var GatedSum<T>(Var z, int n, int m, int a) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (z.Shape.Count != 2 || z.Shape[0] != n * m || z.Shape[1] != 2 * a)
            throw new ArgumentException($"GatedSum needs ({n * m}, {2 * a}); got ({string.Join(", ", z.Shape)})", nameof(z));
        var x = z.Value.Data<T>();
        var y = new T[n * a];
        var width = 2 * a;
        void Forward(int lo, int hi)
        {
            for (var i = lo; i < hi; i++)
                for (var k = 0; k < m; k++)
                {
                    var r = (i * m + k) * width;
                    for (var j = 0; j < a; j++) y[i * a + j] += Ops.SigmoidOf(x[r + j]) * Ops.SoftplusOf(x[r + a + j]);
                }
        }
        BySites(n, (long)m * width, Forward);
        return z.Tape.Record<T>(Tensor.Own(y, [n, a]), [z], (g, grads) =>
        {
            var gz = grads[0]!;
            BySites(n, (long)m * width, (lo, hi) =>
            {
                for (var i = lo; i < hi; i++)
                    for (var k = 0; k < m; k++)
                    {
                        var r = (i * m + k) * width;
                        for (var j = 0; j < a; j++)
                        {
                            T gi = g[i * a + j], zf = x[r + j], zc = x[r + a + j];
                            var s = Ops.SigmoidOf(zf);
                            gz[r + j] += gi * Ops.SoftplusOf(zc) * s * (T.One - s);
                            gz[r + a + j] += gi * s * Ops.SigmoidOf(zc);
                        }
                    }
            });
        });
    }

    /// <summary>Runs body over site ranges [lo, hi): on the thread pool in fixed blocks when there is enough work, else inline.</summary>
    private static void BySites(int n, long perSite, Action<int, int> body)
    {
        const int block = 64;
        if (n * perSite < 1 << 16 || n <= block) { body(0, n); return; }
        Parallel.For(0, (n + block - 1) / block, b => body(b * block, Math.Min(n, (b + 1) * block)));
    }

    /// <summary>The model's parameter arrays (no copies), in <see cref="ParameterNames"/>' order.</summary>
    internal static IReadOnlyList<double[]> ParameterArrays(CgcnnModel model)
    {
        var list = new List<double[]> { model.Embedding.Weight, model.Embedding.Bias };
        foreach (var c in model.Convs) list.AddRange([c.Full.Weight, c.Full.Bias, c.Bn1.Gamma, c.Bn1.Beta, c.Bn2.Gamma, c.Bn2.Beta]);
        list.AddRange([model.ConvToFc.Weight, model.ConvToFc.Bias]);
        foreach (var h in model.Hidden) list.AddRange([h.Weight, h.Bias]);
        list.AddRange([model.Output.Weight, model.Output.Bias]);
        return list;
    }

    /// <summary>The PyTorch shapes of the parameters, in <see cref="ParameterNames"/>' order.</summary>
    internal static List<int[]> ParameterShapes(CgcnnModel model)
    {
        var list = new List<int[]>();
        void Lin(CgcnnLinear l) { list.Add([l.Out, l.In]); list.Add([l.Out]); }
        Lin(model.Embedding);
        foreach (var c in model.Convs) { Lin(c.Full); list.AddRange([[c.Bn1.Width], [c.Bn1.Width], [c.Bn2.Width], [c.Bn2.Width]]); }
        Lin(model.ConvToFc);
        foreach (var h in model.Hidden) Lin(h);
        Lin(model.Output);
        return list;
    }

    /// <summary>The running means and variances of bn1 and bn2 of each convolution, in the dtype.</summary>
    internal static (Tensor[] Means, Tensor[] Variances) RunningStatistics(CgcnnModel model, DType dtype)
    {
        Tensor Stat(double[] data) { var t = Tensor.From(data, data.Length); return dtype == DType.Float32 ? t.To(DType.Float32) : t; }
        var bns = model.Convs.SelectMany(c => new[] { c.Bn1, c.Bn2 }).ToArray();
        return (bns.Select(b => Stat(b.RunningMean)).ToArray(), bns.Select(b => Stat(b.RunningVariance)).ToArray());
    }

    private static Validation<Problem, CgcnnModel> Fail(string message) => Valid.Fail<CgcnnModel>("cgcnn.invalid_model", message);
}
