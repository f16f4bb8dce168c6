using BenchmarkDotNet.Attributes;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Models.Gaussian;
using Pure.Materials.Models.KernelMethods;
using Pure.Materials.Split;

/// <summary>Gaussian-process regression fit (with optimisation) and predict at n = 500 and 2000, the same problem as
/// benchmarks/sklearn/gpr_fit_predict.py: X (n, 5) and y from Rng.FromSeed(42), C(1)*RBF(ones(5))+White(0.1),
/// normalize_y, one seeded restart, 1000 test points with standard deviations.</summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/Pure.Materials.Benchmarks -- --filter '*GaussianProcess*' --job Dry</c>,
/// or the one-shot timing with log marginal likelihoods: <c>... -- gpr-timing 500 2000</c>.</remarks>
public class GaussianProcessBenchmarks
{
    private Matrix _x = Matrix.FromRowMajor(0, 0, []);
    private Matrix _xTest = Matrix.FromRowMajor(0, 0, []);
    private double[] _y = [];
    private GaussianProcessModel? _model;

    /// <summary>Training rows.</summary>
    [Params(500, 2000)]
    public int N { get; set; }

    /// <summary>The kernel and options of both sides.</summary>
    public static GaussianProcessOptions Options => new()
    {
        Kernel = new ConstantKernel() * new RbfKernel { LengthScale = [1, 1, 1, 1, 1] } + new WhiteKernel { NoiseLevel = 0.1 },
        NormalizeY = true,
        NRestartsOptimizer = 1,
    };

    /// <summary>X (n, d) row-major, then one noise draw per row, then the test rows, from the SplitMix64 stream of the seed
    /// (replicated bit for bit by the Python script): y = sin(3 x0) + x1^2 - x2 x3 + 0.5 cos(2 x4) + 0.1 (u - 0.5).</summary>
    public static (Matrix X, double[] Y, Matrix XTest) Synthetic(int n, int nTest, int d = 5, long seed = 42)
    {
        var c = new RngCursor(Rng.FromSeed(seed));
        var x = new double[n * d];
        for (var i = 0; i < x.Length; i++) x[i] = c.NextDouble();
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var r = x.AsSpan(i * d, d);
            y[i] = Math.Sin(3 * r[0]) + r[1] * r[1] - r[2] * r[3] + 0.5 * Math.Cos(2 * r[4]) + 0.1 * (c.NextDouble() - 0.5);
        }
        var xt = new double[nTest * d];
        for (var i = 0; i < xt.Length; i++) xt[i] = c.NextDouble();
        return (Matrix.FromRowMajor(n, d, x), y, Matrix.FromRowMajor(nTest, d, xt));
    }

    [GlobalSetup]
    public void Setup()
    {
        (_x, _y, _xTest) = Synthetic(N, 1000);
        _model = GaussianProcess.Fit(Options, _x, _y, Rng.FromSeed(0)).OrThrow();
    }

    [Benchmark]
    public GaussianProcessModel FitWithOptimisation() => GaussianProcess.Fit(Options, _x, _y, Rng.FromSeed(0)).OrThrow();

    [Benchmark]
    public (double[], double[]) PredictWithStd1000() => GaussianProcess.PredictWithStd(_model!, _xTest);

    /// <summary>One timed fit and predict per size, printing seconds and the log marginal likelihood (for the side-by-side table).</summary>
    public static void Timed(IEnumerable<int> sizes)
    {
        foreach (var n in sizes)
        {
            var (x, y, xt) = Synthetic(n, 1000);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var m = GaussianProcess.Fit(Options, x, y, Rng.FromSeed(0)).OrThrow();
            var fit = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var (mean, std) = GaussianProcess.PredictWithStd(m, xt);
            var predict = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"n={n} fit {fit:0.00} s predict(1000, std) {predict:0.000} s LML {m.LogMarginalLikelihood:0.000000} " +
                $"kernel {m.Kernel} mean[0] {mean[0]:0.000000} std[0] {std[0]:0.000000} optimiser iterations {string.Join("+", m.Runs.Select(r => r.Iterations))}");
        }
    }
}

/// <summary>Kernel ridge regression (rbf, alpha 1, gamma 0.01) fit on one fold of expt_gap's Magpie features (3683 x 132),
/// standardised; dominated by the 3683 x 3683 Cholesky factorisation of <see cref="Dense"/>.</summary>
public class KernelRidgeBenchmarks
{
    private Matrix _xTrain = Matrix.FromRowMajor(0, 0, []);
    private double[] _yTrain = [];

    [GlobalSetup]
    public void Setup() => (_xTrain, _yTrain) = Data();

    /// <summary>The training rows of fold 0, mean-imputed and standardised.</summary>
    public static (Matrix X, double[] Y) Data()
    {
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "gap expt", FoldColumn = "fold" },
            BundledData.Open("matbench_expt_gap").OrThrow()).OrThrow();
        var x = ElementProperty.Magpie.FeaturizeMany(ds.Compositions!);
        var fold = PredefinedFolds.FromLabels(ds.Folds!).OrThrow()[0];
        var imputer = Pure.Materials.Scale.MeanImputer.Fit(x.SelectRows(fold.Train)).OrThrow();
        var xt = Pure.Materials.Scale.MeanImputer.Transform(imputer, x.SelectRows(fold.Train));
        var scaler = Pure.Materials.Scale.StandardScaler.Fit(xt).OrThrow();
        return (Pure.Materials.Scale.StandardScaler.Transform(scaler, xt), [.. fold.Train.Select(i => ds.Target![i])]);
    }

    /// <summary>The options timed.</summary>
    public static KernelRidgeOptions Options => new() { Alpha = 1.0, Kernel = new KernelOptions { Kind = KernelKind.Rbf, Gamma = 0.01 } };

    [Benchmark]
    public KernelRidgeModel FitRbf() => KernelRidge.Fit(Options, _xTrain, _yTrain).OrThrow();

    /// <summary>One timed fit (after one warm-up fit), printing seconds.</summary>
    public static void Timed()
    {
        var (x, y) = Data();
        KernelRidge.Fit(Options, x, y).OrThrow();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var m = KernelRidge.Fit(Options, x, y).OrThrow();
        Console.WriteLine($"kernel ridge rbf fit {x.Rows} x {x.Cols}: {clock.Elapsed.TotalSeconds:0.000} s (dual_coef[0] {m.DualCoef[0]:R})");
    }
}

/// <summary>The blocked Cholesky factorisation of <see cref="Dense"/> against MathNet.Numerics' managed one, n = 2000
/// (A = B B^T / n + I with B uniform in [-1, 1) from Rng.FromSeed(1)).</summary>
public class DenseBenchmarks
{
    private double[] _a = [];
    private readonly double[] _l = new double[2000 * 2000];
    private MathNet.Numerics.LinearAlgebra.Matrix<double>? _m;

    [GlobalSetup]
    public void Setup()
    {
        _a = Spd(2000);
        _m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(2000, 2000, (i, j) => _a[i * 2000 + j]);
    }

    /// <summary>An SPD test matrix of order n.</summary>
    public static double[] Spd(int n)
    {
        var c = new RngCursor(Rng.FromSeed(1));
        var b = new double[n * n];
        for (var i = 0; i < b.Length; i++) b[i] = 2 * c.NextDouble() - 1;
        var a = new double[n * n];
        Parallel.For(0, n, i =>
        {
            for (var j = 0; j <= i; j++)
                a[i * n + j] = Reduce.Dot(b.AsSpan(i * n, n), b.AsSpan(j * n, n)) / n + (i == j ? 1.0 : 0.0);
        });
        for (var i = 0; i < n; i++) for (var j = 0; j < i; j++) a[j * n + i] = a[i * n + j];
        return a;
    }

    [Benchmark(Baseline = true)]
    public bool BlockedCholesky2000() => Dense.Cholesky(_a, 2000, _l);

    [Benchmark]
    public object MathNetCholesky2000() => _m!.Cholesky();

    /// <summary>One timed run of each (after a warm-up), printing seconds, for n = 2000.</summary>
    public static void Timed()
    {
        var b = new DenseBenchmarks();
        b.Setup();
        b.BlockedCholesky2000();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        b.BlockedCholesky2000();
        var ours = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var inv = Dense.CholeskyInverse(b._l, 2000);
        var inverse = clock.Elapsed.TotalSeconds;
        clock.Restart();
        b.MathNetCholesky2000();
        var mathNet = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"n=2000 Cholesky: blocked {ours:0.000} s, MathNet {mathNet:0.000} s; inverse from the factor {inverse:0.000} s (inv[0] {inv[0]:R})");
    }
}
