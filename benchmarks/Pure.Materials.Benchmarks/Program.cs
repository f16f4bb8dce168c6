// Benchmarks: dotnet run -c Release --project benchmarks/Pure.Materials.Benchmarks -- --filter '*'
// Each Magpie benchmark featurizes all 4604 matbench_expt_gap compositions; OperationsPerInvoke makes the
// reported Mean the time per composition.
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Models.Trees;
using Pure.Materials.Split;

if (args is ["--compare-linear", var sklearnFitted]) { LinearModelBenchmarks.Compare(sklearnFitted); return; }
// One-shot timings printed with their results (GPR log marginal likelihoods for the scikit-learn side-by-side, issue 6).
if (args is ["gpr-timing", ..]) { GaussianProcessBenchmarks.Timed(args.Length > 1 ? args[1..].Select(int.Parse) : [500, 2000]); return; }
if (args is ["krr-timing"]) { KernelRidgeBenchmarks.Timed(); return; }
if (args is ["cholesky-timing"]) { DenseBenchmarks.Timed(); return; }
if (args is ["mlp-timing", ..]) { MlpBenchmarks.Timed(args.Length > 1 ? int.Parse(args[1]) : 20, args.Length > 2 ? args[2] : "float64"); return; }
if (args is ["mlp-hashes"]) { MlpBenchmarks.Hashes(); return; }
if (args is ["mlp-profile"]) { MlpBenchmarks.Profile(); return; }
if (args is ["hgb-timing", ..]) { HistGradientBoostingTiming.Timed(args.Length > 1 ? int.Parse(args[1]) : 1); return; }
if (args is ["rf-timing", ..]) { RandomForestTiming.Timed(args.Length > 1 ? [.. args[1].Split(',').Select(int.Parse)] : [0], args.Length > 2 ? int.Parse(args[2]) : 10); return; }
if (args is ["cgcnn-profile", ..]) { CgcnnProfile.Run(args.Length > 1 ? int.Parse(args[1]) : 10); return; }
if (args is ["cgcnn-timing", ..]) { CgcnnTiming.Timed(args.Length > 1 ? int.Parse(args[1]) : 3, args.Length > 2 ? args[2] : "float32"); return; }
if (args is ["structure-timing"]) { StructureFeaturizeBenchmarks.Timed(); return; }
if (args is ["coulomb-matrices", var coulombDir]) { StructureFeaturizeBenchmarks.WriteCoulombMatrices(coulombDir); return; }
BenchmarkSwitcher.FromAssembly(typeof(MagpieBenchmarks).Assembly).Run(args);

/// <summary>Magpie featurization of the 4604 expt_gap compositions, per composition.</summary>
[MemoryDiagnoser]
public class MagpieBenchmarks
{
    private const int N = 4604;
    private Composition[] _compositions = [];
    private string[] _formulas = [];
    private double[] _buffer = [];

    [GlobalSetup]
    public void Setup()
    {
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition" }, BundledData.Open("matbench_expt_gap").OrThrow()).OrThrow();
        _compositions = [.. ds.Compositions!];
        _formulas = [.. ds.Formulas!];
        if (_compositions.Length != N) throw new InvalidOperationException($"expected {N} rows");
        _buffer = new double[N * ElementProperty.Magpie.Labels.Count];
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void PreParsed_SingleThread()
    {
        var m = ElementProperty.Magpie.Labels.Count;
        for (var i = 0; i < N; i++) ElementProperty.Magpie.Featurize(_compositions[i], _buffer.AsSpan(i * m, m));
    }

    [Benchmark(OperationsPerInvoke = N)]
    public Matrix PreParsed_AllCores() => ElementProperty.Magpie.FeaturizeMany(_compositions);

    [Benchmark(OperationsPerInvoke = N)]
    public void FromStrings_SingleThread()
    {
        var m = ElementProperty.Magpie.Labels.Count;
        for (var i = 0; i < N; i++)
            ElementProperty.Magpie.Featurize(Composition.Parse(_formulas[i]).OrThrow(), _buffer.AsSpan(i * m, m));
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void FromStrings_AllCores()
    {
        var m = ElementProperty.Magpie.Labels.Count;
        Parallel.For(0, (N + 255) / 256, c =>
        {
            for (var i = c * 256; i < Math.Min(N, (c + 1) * 256); i++)
                ElementProperty.Magpie.Featurize(Composition.Parse(_formulas[i]).OrThrow(), _buffer.AsSpan(i * m, m));
        });
    }
}

/// <summary>Every composition featurizer (magpie, matminer, stoichiometry, valence-orbital, element-fraction, tmetal-fraction,
/// band-center, ion-property: 319 features) on the 4604 expt_gap compositions, per composition; and the streaming CSV path
/// (read, parse, featurize, format, write) of the CLI's featurize command with the 249 matminer reference columns.</summary>
[MemoryDiagnoser]
public class CompositionFeaturizerBenchmarks
{
    private const int N = 4604;
    private Composition[] _compositions = [];
    private string _csv = "";
    private readonly ICompositionFeaturizer _all =
        MultipleFeaturizer.Create(CompositionFeaturizers.Parse(string.Join(",", CompositionFeaturizers.Names)).OrThrow()).OrThrow();
    private readonly ICompositionFeaturizer _reference =
        MultipleFeaturizer.Create(CompositionFeaturizers.Parse("magpie,stoichiometry,valence-orbital,element-fraction").OrThrow()).OrThrow();

    [GlobalSetup]
    public void Setup()
    {
        var table = BundledData.Open("matbench_expt_gap").OrThrow();
        _compositions = [.. Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition" }, table).OrThrow().Compositions!];
        var text = new StringWriter();
        Csv.Write(text, table.Header, table.Rows);
        _csv = text.ToString();
    }

    [Benchmark(OperationsPerInvoke = N)]
    public Matrix AllFeaturizers_PreParsed_AllCores() => _all.FeaturizeMany(_compositions);

    [Benchmark(OperationsPerInvoke = N)]
    public CsvFeaturizeReport Reference249_StreamedCsv_AllCores() =>
        CsvFeaturizer.Featurize(_reference, new StringReader(_csv), "expt_gap", Stream.Null, null, new CsvFeaturizeOptions()).OrThrow();

    [Benchmark(OperationsPerInvoke = N)]
    public CsvFeaturizeReport Reference249_StreamedParquet_AllCores() =>
        CsvFeaturizer.Featurize(_reference, new StringReader(_csv), "expt_gap", Stream.Null, null, new CsvFeaturizeOptions { Format = TableFormat.Parquet }).OrThrow();
}

/// <summary>One fold of the main job: a 100-tree random forest on expt_gap's Magpie features (3683 x 132), fit and predict.</summary>
[MemoryDiagnoser]
public class RandomForestBenchmarks
{
    private Matrix _xTrain = Matrix.FromRowMajor(0, 0, []);
    private Matrix _xTest = Matrix.FromRowMajor(0, 0, []);
    private double[] _yTrain = [];
    private RandomForestModel? _model;

    [GlobalSetup]
    public void Setup()
    {
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "gap expt", FoldColumn = "fold" },
            BundledData.Open("matbench_expt_gap").OrThrow()).OrThrow();
        var x = ElementProperty.Magpie.FeaturizeMany(ds.Compositions!);
        var fold = PredefinedFolds.FromLabels(ds.Folds!).OrThrow()[0];
        var imputer = Pure.Materials.Scale.MeanImputer.Fit(x.SelectRows(fold.Train)).OrThrow();
        _xTrain = Pure.Materials.Scale.MeanImputer.Transform(imputer, x.SelectRows(fold.Train));
        _xTest = Pure.Materials.Scale.MeanImputer.Transform(imputer, x.SelectRows(fold.Test));
        _yTrain = [.. fold.Train.Select(i => ds.Target![i])];
        _model = RandomForest.Fit(new RandomForestOptions(), _xTrain, _yTrain, Rng.FromSeed(0)).OrThrow();
    }

    [Benchmark]
    public RandomForestModel Fit100Trees() => RandomForest.Fit(new RandomForestOptions(), _xTrain, _yTrain, Rng.FromSeed(0)).OrThrow();

    [Benchmark]
    public double[] Predict100Trees() => RandomForest.Predict(_model!, _xTest);
}

/// <summary>scikit-learn's default MLPRegressor architecture (132 -> 100 relu -> 1, Adam, batch 200) on fold 0 of the main job's
/// features (imputed, standard-scaled): time per epoch (the autodiff tape, forward and backward products, Adam).</summary>
[MemoryDiagnoser]
public class MlpBenchmarks
{
    private Matrix _x = Matrix.FromRowMajor(0, 0, []);
    private double[] _y = [];

    [GlobalSetup]
    public void Setup() => (_x, _y) = Data();

    private static (Matrix X, double[] Y) Data()
    {
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "gap expt", FoldColumn = "fold" },
            BundledData.Open("matbench_expt_gap").OrThrow()).OrThrow();
        var x = ElementProperty.Magpie.FeaturizeMany(ds.Compositions!);
        var fold = PredefinedFolds.FromLabels(ds.Folds!).OrThrow()[0];
        var imputer = Pure.Materials.Scale.MeanImputer.Fit(x.SelectRows(fold.Train)).OrThrow();
        var train = Pure.Materials.Scale.MeanImputer.Transform(imputer, x.SelectRows(fold.Train));
        var scaler = Pure.Materials.Scale.StandardScaler.Fit(train).OrThrow();
        return (Pure.Materials.Scale.StandardScaler.Transform(scaler, train), [.. fold.Train.Select(i => ds.Target![i])]);
    }

    /// <summary>One epoch (19 mini-batches of 200 rows, the last 83).</summary>
    [Benchmark]
    public Pure.Materials.Models.Neural.MlpRegressorModel OneEpoch() =>
        Pure.Materials.Models.Neural.MlpRegressor.Fit(new Pure.Materials.Models.Neural.MlpRegressorOptions { MaxIter = 1 }, _x, _y, Rng.FromSeed(0)).OrThrow();

    /// <summary>Prints where one epoch's time goes: each part of a mini-batch step (200 rows, 132-100-1 relu) repeated as often as
    /// an epoch runs it (19 batches), timed alone, best of 20 repetitions.</summary>
    public static void Profile()
    {
        var (x, y) = Data();
        Console.WriteLine($"Vector<double>.Count {System.Numerics.Vector<double>.Count}, Vector512 accelerated {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, {Environment.ProcessorCount} processors");
        var rng = new RngCursor(Rng.FromSeed(3));
        double[] R(int n) => Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        int b = 200, f = x.Cols, h = 100;
        var xb = x.Data.ToArray()[..(b * f)];
        var yb = y[..b];
        var (w1, b1, w2, b2) = (R(f * h), R(h), R(h), R(1));
        var (hid, outp, dh, dout) = (R(b * h), R(b), R(b * h), R(b));
        void Time(string name, Action step)
        {
            step();
            var best = double.PositiveInfinity;
            for (var rep = 0; rep < 20; rep++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                for (var i = 0; i < 19; i++) step();
                best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"{name,-48} {best,7:0.00} ms per epoch");
        }
        Time("GEMM forward X W1 (200x132 * 132x100)", () => Pure.Materials.Core.Autodiff.Gemm.MultiplyAdd(xb, false, w1, false, new double[b * h], b, f, h));
        Time("GEMM forward H W2 (200x100 * 100x1)", () => Pure.Materials.Core.Autodiff.Gemm.MultiplyAdd(hid, false, w2, false, new double[b], b, h, 1));
        Time("GEMM backward dW1 = Xt dH (132x200 * 200x100)", () => Pure.Materials.Core.Autodiff.Gemm.MultiplyAdd(xb, true, dh, false, new double[f * h], f, b, h));
        Time("GEMM backward dW2 = Ht dOut (100x200 * 200x1)", () => Pure.Materials.Core.Autodiff.Gemm.MultiplyAdd(hid, true, dout, false, new double[h], h, b, 1));
        Time("GEMM backward dH = dOut W2t (200x1 * 1x100)", () => Pure.Materials.Core.Autodiff.Gemm.MultiplyAdd(dout, false, w2, true, new double[b * h], b, 1, h));
        Time("allocate 200x100 doubles (one tape value)", () => GC.KeepAlive(new double[b * h]));
        var (xf, w1f, dhf) = (xb.Select(v => (float)v).ToArray(), w1.Select(v => (float)v).ToArray(), dh.Select(v => (float)v).ToArray());
        Time("float32 GEMM forward X W1", () => Pure.Materials.Core.Autodiff.Gemm.MultiplyAdd(xf, false, w1f, false, new float[b * h], b, f, h));
        Time("float32 GEMM backward dW1 = Xt dH", () => Pure.Materials.Core.Autodiff.Gemm.MultiplyAdd(xf, true, dhf, false, new float[f * h], f, b, h));
        var net32 = new Pure.Materials.Core.Autodiff.DenseNetwork<float>([f, h, 1], Pure.Materials.Core.Autodiff.Activation.Relu,
            [w1f, w2.Select(v => (float)v).ToArray()], [b1.Select(v => (float)v).ToArray(), b2.Select(v => (float)v).ToArray()]);
        var yf = yb.Select(v => (float)v).ToArray();
        Time("float32 dense-network step (forward, loss, backward)", () => net32.Step(xf, yf, b, Pure.Materials.Core.Autodiff.DenseLoss.HalfSquared, 1, 1e-4, 0, Rng.FromSeed(0)));
        var net64 = new Pure.Materials.Core.Autodiff.DenseNetwork<double>([f, h, 1], Pure.Materials.Core.Autodiff.Activation.Relu, [w1, w2], [b1, b2]);
        Time("float64 dense-network step (same bits as the tape)", () => net64.Step(xb, yb, b, Pure.Materials.Core.Autodiff.DenseLoss.HalfSquared, 1, 1e-4, 0, Rng.FromSeed(0)));
        Time("whole tape step (forward, loss, backward)", () =>
        {
            var tape = new Pure.Materials.Core.Autodiff.Tape();
            var xv = tape.Constant(Pure.Materials.Core.Autodiff.Tensor.From(xb, b, f));
            var pw1 = tape.Parameter(Pure.Materials.Core.Autodiff.Tensor.From(w1, f, h));
            var pb1 = tape.Parameter(Pure.Materials.Core.Autodiff.Tensor.From(b1, h));
            var pw2 = tape.Parameter(Pure.Materials.Core.Autodiff.Tensor.From(w2, h, 1));
            var pb2 = tape.Parameter(Pure.Materials.Core.Autodiff.Tensor.From(b2, 1));
            var hv = Pure.Materials.Core.Autodiff.Ops.Relu(Pure.Materials.Core.Autodiff.Ops.Add(Pure.Materials.Core.Autodiff.Ops.MatMul(xv, pw1), pb1));
            var o = Pure.Materials.Core.Autodiff.Ops.Add(Pure.Materials.Core.Autodiff.Ops.MatMul(hv, pw2), pb2);
            var loss = Pure.Materials.Core.Autodiff.Ops.Scale(Pure.Materials.Core.Autodiff.Ops.MseLoss(o, tape.Constant(Pure.Materials.Core.Autodiff.Tensor.From(yb, b, 1))), 0.5);
            var pen = Pure.Materials.Core.Autodiff.Ops.Add(Pure.Materials.Core.Autodiff.Ops.Sum(Pure.Materials.Core.Autodiff.Ops.Mul(pw1, pw1)), Pure.Materials.Core.Autodiff.Ops.Sum(Pure.Materials.Core.Autodiff.Ops.Mul(pw2, pw2)));
            loss = Pure.Materials.Core.Autodiff.Ops.Add(loss, Pure.Materials.Core.Autodiff.Ops.Scale(pen, 1e-4 / (2.0 * b)));
            var g = tape.Backward(loss);
            GC.KeepAlive(g.Of(pw1).ToArray());
        });
        var m = new double[f * h + h + h + 1];
        var v = new double[m.Length];
        var w = R(m.Length);
        var grad = R(m.Length);
        Time("Adam update (13,401 parameters)", () =>
        {
            for (var i = 0; i < w.Length; i++)
            {
                m[i] = 0.9 * m[i] + (1 - 0.9) * grad[i];
                v[i] = 0.999 * v[i] + (1 - 0.999) * (grad[i] * grad[i]);
                w[i] += -1e-3 * m[i] / (Math.Sqrt(v[i]) + 1e-8);
            }
        });
        Time("batch copy (200 rows of 132)", () => { var rows = new double[b * f]; for (var r = 0; r < b; r++) x.Row(r).CopyTo(rows.AsSpan(r * f)); GC.KeepAlive(rows); });
    }

    /// <summary>Prints a hash of the bits of the fitted weights and loss curve for several configurations (3 epochs each on the
    /// timing data): equal before and after a change to the autodiff core means the change moved no number.</summary>
    public static void Hashes()
    {
        var (x, y) = Data();
        var baseOptions = new Pure.Materials.Models.Neural.MlpRegressorOptions { MaxIter = 3, Tol = 0, NIterNoChange = 3 };
        var configs = new (string Name, Pure.Materials.Models.Neural.MlpRegressorOptions Options)[]
        {
            ("default", baseOptions),
            ("tanh-64-32-b77", baseOptions with { Activation = Pure.Materials.Models.Neural.MlpActivation.Tanh, HiddenLayerSizes = [64, 32], BatchSize = 77 }),
            ("logistic-sgd", baseOptions with { Activation = Pure.Materials.Models.Neural.MlpActivation.Logistic, Solver = Pure.Materials.Models.Neural.MlpSolver.Sgd }),
            ("identity-huber-clip", baseOptions with { Activation = Pure.Materials.Models.Neural.MlpActivation.Identity, Loss = Pure.Materials.Models.Neural.MlpLoss.Huber, MaxGradNorm = 1 }),
            ("preset-256-128-64", baseOptions with { HiddenLayerSizes = [256, 128, 64], EarlyStopping = true, Dropout = 0.1, Loss = Pure.Materials.Models.Neural.MlpLoss.AbsoluteError }),
            ("relu-alpha0-b1000", baseOptions with { Alpha = 0, BatchSize = 1000, HiddenLayerSizes = [300] }),
        };
        foreach (var (name, options) in configs)
        {
            var m = Pure.Materials.Models.Neural.MlpRegressor.Fit(options, x, y, Rng.FromSeed(1)).OrThrow();
            var bits = m.Coefs.SelectMany(c => c.Data.ToArray()).Concat(m.Intercepts.SelectMany(b => b.ToArray())).Concat(m.LossCurve).Concat(m.ValidationScores)
                .Concat(Pure.Materials.Models.Neural.MlpRegressor.Predict(m, x));
            var bytes = bits.SelectMany(BitConverter.GetBytes).ToArray();
            Console.WriteLine($"{name}: {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))[..16]} loss {m.LossCurve[^1]:R}");
        }
    }

    /// <summary>Prints milliseconds per epoch of <paramref name="epochs"/> epochs (tol 0: no early stop), after one warm-up fit.</summary>
    public static void Timed(int epochs, string dtype)
    {
        var (x, y) = Data();
        var options = new Pure.Materials.Models.Neural.MlpRegressorOptions
        {
            MaxIter = epochs, Tol = 0, NIterNoChange = epochs,
            Dtype = dtype == "float32" ? Pure.Materials.Models.Neural.MlpDtype.Float32 : Pure.Materials.Models.Neural.MlpDtype.Float64,
        };
        Pure.Materials.Models.Neural.MlpRegressor.Fit(options with { MaxIter = 2 }, x, y, Rng.FromSeed(0)).OrThrow();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var model = Pure.Materials.Models.Neural.MlpRegressor.Fit(options, x, y, Rng.FromSeed(0)).OrThrow();
        Console.WriteLine($"mlp {options.Dtype.ToString().ToLowerInvariant()} ({Environment.ProcessorCount} processors) (132-100-1, relu, adam, batch 200) on {x.Rows} x {x.Cols}: {model.NIter} epochs in {clock.Elapsed.TotalSeconds:0.000} s, " +
            $"{clock.Elapsed.TotalMilliseconds / model.NIter:0.0} ms per epoch; final loss {model.LossCurve[^1]:0.0000}");
    }
}
