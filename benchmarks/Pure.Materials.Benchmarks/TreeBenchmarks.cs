// Tree ensembles beyond the random forest: extra trees and histogram gradient boosting (regressor on expt_gap, classifier on
// expt_is_metal), the tree classifiers, and exact TreeSHAP.
// Run: dotnet run -c Release --project benchmarks/Pure.Materials.Benchmarks -- --filter '*TreeEnsembleBenchmarks*'
using BenchmarkDotNet.Attributes;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Models.Explain;
using Pure.Materials.Models.Trees;
using Pure.Materials.Split;

/// <summary>Fold 0 of the official Matbench folds, Magpie features, mean imputation: expt_gap (3683 x 132 training rows) for the regressors,
/// expt_is_metal (3937 x 132) for the classifiers; fit times of 100-tree extra trees, default gradient boosting, and 100-tree forests;
/// TreeSHAP of 200 test rows through the 100 trees of a random forest.</summary>
[MemoryDiagnoser]
public class TreeEnsembleBenchmarks
{
    private Matrix _xGap = Matrix.FromRowMajor(0, 0, []);
    private double[] _yGap = [];
    private Matrix _xMetal = Matrix.FromRowMajor(0, 0, []);
    private int[] _yMetal = [];
    private TreeEnsemble? _forest;
    private Matrix _xShap = Matrix.FromRowMajor(0, 0, []);

    private static (Matrix Train, Matrix Test, int[] TrainRows) Fold0(Dataset ds)
    {
        var x = ElementProperty.Magpie.FeaturizeMany(ds.Compositions!);
        var fold = PredefinedFolds.FromLabels(ds.Folds!).OrThrow()[0];
        var imputer = Pure.Materials.Scale.MeanImputer.Fit(x.SelectRows(fold.Train)).OrThrow();
        return (Pure.Materials.Scale.MeanImputer.Transform(imputer, x.SelectRows(fold.Train)),
            Pure.Materials.Scale.MeanImputer.Transform(imputer, x.SelectRows(fold.Test)), [.. fold.Train]);
    }

    [GlobalSetup]
    public void Setup()
    {
        var gap = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "gap expt", FoldColumn = "fold" },
            BundledData.Open("matbench_expt_gap").OrThrow()).OrThrow();
        var (xGap, xGapTest, gapRows) = Fold0(gap);
        _xGap = xGap;
        _yGap = [.. gapRows.Select(i => gap.Target![i])];
        var metal = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "is_metal", FoldColumn = "fold" },
            BundledData.Open("matbench_expt_is_metal").OrThrow()).OrThrow();
        var (xMetal, _, metalRows) = Fold0(metal);
        _xMetal = xMetal;
        _yMetal = [.. metalRows.Select(i => (int)metal.Target![i])];
        _forest = TreeEnsemble.From(RandomForest.Fit(new RandomForestOptions(), _xGap, _yGap, Rng.FromSeed(0)).OrThrow()).OrThrow();
        _xShap = xGapTest.SelectRows([.. Enumerable.Range(0, 200)]);
    }

    [Benchmark]
    public ExtraTreesModel ExtraTrees_Fit100Trees_ExptGap() => ExtraTrees.Fit(new ExtraTreesOptions(), _xGap, _yGap, Rng.FromSeed(0)).OrThrow();

    [Benchmark]
    public HistGradientBoostingModel Gbm_FitDefaults_ExptGap() => HistGradientBoosting.Fit(new HistGradientBoostingOptions(), _xGap, _yGap, Rng.FromSeed(0)).OrThrow();

    [Benchmark]
    public HistGradientBoostingClassifierModel GbmClassifier_FitDefaults_ExptIsMetal() =>
        HistGradientBoostingClassifier.Fit(new HistGradientBoostingClassifierOptions(), _xMetal, _yMetal, Rng.FromSeed(0)).OrThrow();

    [Benchmark]
    public RandomForestClassifierModel RandomForestClassifier_Fit100Trees_ExptIsMetal() =>
        RandomForestClassifier.Fit(new RandomForestClassifierOptions(), _xMetal, _yMetal, Rng.FromSeed(0)).OrThrow();

    [Benchmark]
    public RandomForestClassifierModel ExtraTreesClassifier_Fit100Trees_ExptIsMetal() =>
        ExtraTreesClassifier.Fit(ExtraTreesClassifier.Defaults, _xMetal, _yMetal, Rng.FromSeed(0)).OrThrow();

    [Benchmark]
    public ShapValues TreeShap_200Rows_100Trees() => TreeShap.Explain(_forest!, _xShap).OrThrow();
}
