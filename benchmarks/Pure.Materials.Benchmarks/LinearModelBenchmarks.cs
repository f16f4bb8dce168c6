// Linear, kernel and logistic learners against scikit-learn 1.2.1 (benchmarks/sklearn/linear_models_bench.py has the same data and settings).
//   dotnet run -c Release --project benchmarks/Pure.Materials.Benchmarks -- --filter '*LinearModelBenchmarks*'
//   dotnet run -c Release --project benchmarks/Pure.Materials.Benchmarks -- --compare-linear OUT_DIR/sklearn_fitted.csv
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.KernelMethods;
using Pure.Materials.Models.Linear;
using Pure.Materials.Scale;
using Pure.Materials.Split;

/// <summary>Fit and predict of ridge, lasso, kernel ridge (RBF) and logistic regression on standardised Magpie features:
/// expt_gap (train 3683 x 132, test 921) for the regressors, expt_is_metal (train 3936 x 132, test 985) for logistic regression.
/// Training rows are Matbench fold != 0, test rows fold == 0; mean imputation and standard scaling are fitted on the training rows
/// (as the CLI pipeline) and not timed. Like the Python side (median of 5 runs of one call each), the Monitoring strategy times 5
/// single calls after one warm-up call; read the Median column.</summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class LinearModelBenchmarks
{
    private static readonly RidgeOptions RidgeSettings = new() { Alpha = 1.0 };
    private static readonly LassoOptions LassoSettings = new() { Alpha = 0.05 };
    private static readonly KernelRidgeOptions KernelRidgeSettings = new() { Alpha = 1.0, Kernel = new KernelOptions { Kind = KernelKind.Rbf } };
    private static readonly LogisticRegressionOptions LogisticSettings = new() { C = 1.0 };

    private (Matrix Train, double[] Y, Matrix Test) _gap;
    private (Matrix Train, int[] Y, Matrix Test) _metal;
    private RidgeModel? _ridge;
    private ElasticNetModel? _lasso;
    private KernelRidgeModel? _kernelRidge;
    private LogisticRegressionModel? _logistic;

    /// <summary>Standardised Magpie features of a bundled data set's fold != 0 rows (train) and fold == 0 rows (test), and the target.</summary>
    internal static (Matrix Train, double[] Y, Matrix Test) Load(string name, string target)
    {
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = target, FoldColumn = "fold" },
            BundledData.Open(name).OrThrow()).OrThrow();
        var x = ElementProperty.Magpie.FeaturizeMany(ds.Compositions!);
        var fold = PredefinedFolds.FromLabels(ds.Folds!).OrThrow()[0];
        var imputer = MeanImputer.Fit(x.SelectRows(fold.Train)).OrThrow();
        var scaler = StandardScaler.Fit(MeanImputer.Transform(imputer, x.SelectRows(fold.Train))).OrThrow();
        Matrix Prepare(int[] rows) => StandardScaler.Transform(scaler, MeanImputer.Transform(imputer, x.SelectRows(rows)));
        return (Prepare([.. fold.Train]), [.. fold.Train.Select(i => ds.Target![i])], Prepare([.. fold.Test]));
    }

    [GlobalSetup]
    public void Setup()
    {
        _gap = Load("matbench_expt_gap", "gap expt");
        var metal = Load("matbench_expt_is_metal", "is_metal");
        _metal = (metal.Train, [.. metal.Y.Select(v => (int)v)], metal.Test);
        _ridge = FitRidge();
        _lasso = FitLasso();
        _kernelRidge = FitKernelRidge();
        _logistic = FitLogistic();
    }

    [Benchmark] public RidgeModel FitRidge() => Ridge.Fit(RidgeSettings, _gap.Train, _gap.Y).OrThrow();
    [Benchmark] public double[] PredictRidge() => Ridge.Predict(_ridge!, _gap.Test);
    [Benchmark] public ElasticNetModel FitLasso() => Lasso.Fit(LassoSettings, _gap.Train, _gap.Y).OrThrow();
    [Benchmark] public double[] PredictLasso() => Lasso.Predict(_lasso!, _gap.Test);
    [Benchmark] public KernelRidgeModel FitKernelRidge() => KernelRidge.Fit(KernelRidgeSettings, _gap.Train, _gap.Y).OrThrow();
    [Benchmark] public double[] PredictKernelRidge() => KernelRidge.Predict(_kernelRidge!, _gap.Test);
    [Benchmark] public LogisticRegressionModel FitLogistic() => LogisticRegression.Fit(LogisticSettings, _metal.Train, _metal.Y).OrThrow();
    [Benchmark] public Matrix PredictProbaLogistic() => LogisticRegression.PredictProba(_logistic!, _metal.Test);

    /// <summary>Fits every benchmarked model once and prints the largest differences from scikit-learn's fitted values
    /// (the sklearn_fitted.csv written by benchmarks/sklearn/linear_models_bench.py): the check that both sides time the same models.</summary>
    public static void Compare(string sklearnCsv)
    {
        var reference = File.ReadLines(sklearnCsv).Where(l => !l.StartsWith('#')).Skip(1).Select(l => l.Split(','))
            .GroupBy(f => (f[0], f[1])).ToDictionary(g => g.Key, g => g.OrderBy(f => int.Parse(f[2], CultureInfo.InvariantCulture))
                .Select(f => double.Parse(f[3], CultureInfo.InvariantCulture)).ToArray());
        var b = new LinearModelBenchmarks();
        b.Setup();
        Console.WriteLine($"{"model",-18} {"quantity",-12} {"n",5} {"max |ours - sklearn|",22} {"/ max |sklearn|",16}");
        void Row(string model, string quantity, IReadOnlyList<double> ours)
        {
            var theirs = reference[(model, quantity)];
            if (theirs.Length != ours.Count) throw new InvalidOperationException($"{model} {quantity}: {ours.Count} values, scikit-learn {theirs.Length}");
            var maxAbs = 0.0;
            for (var i = 0; i < theirs.Length; i++) maxAbs = Math.Max(maxAbs, Math.Abs(ours[i] - theirs[i]));
            var scale = theirs.Max(Math.Abs);
            Console.WriteLine($"{model,-18} {quantity,-12} {theirs.Length,5} {maxAbs,22:E3} {maxAbs / scale,16:E3}  (max |sklearn| {scale:G4})");
        }
        Row("ridge", "coef", b._ridge!.Coef);
        Row("ridge", "intercept", [b._ridge.Intercept]);
        Row("ridge", "prediction", b.PredictRidge());
        Row("lasso", "coef", b._lasso!.Coef);
        Row("lasso", "intercept", [b._lasso.Intercept]);
        Row("lasso", "prediction", b.PredictLasso());
        Console.WriteLine($"lasso n_iter ours {b._lasso.NIter} (converged {b._lasso.Converged})");
        Row("kernel_ridge_rbf", "dual_coef", b._kernelRidge!.DualCoef);
        Row("kernel_ridge_rbf", "prediction", b.PredictKernelRidge());
        Row("logistic_newton", "coef", b._logistic!.Coef[0]);
        Row("logistic_newton", "intercept", b._logistic.Intercept);
        Row("logistic_newton", "prediction", b.PredictProbaLogistic().Data.ToArray());
        Console.WriteLine($"logistic n_iter ours {b._logistic.NIter} (converged {b._logistic.Converged})");
    }
}
