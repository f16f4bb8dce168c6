using BenchmarkDotNet.Attributes;
using Pure.Materials.Active;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Models.Trees;
using Pure.Materials.Pipelines;
using Pure.Materials.Screening;

namespace Pure.Materials.Benchmarks;

/// <summary>The per-candidate cost of screening with the main job's model (Magpie features, mean imputation, a 100-tree forest fitted on
/// all 4604 matbench_expt_gap rows): enumerate, featurize, predict with the trees' spread, score by UCB, keep the best 100.</summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/Pure.Materials.Benchmarks -- --filter '*ScreenBenchmarks*' --job short</c>.
/// The space is the first 100,000 quaternaries of 20 elements with amounts up to 7 (as the README's 11-million-candidate run);
/// OperationsPerInvoke makes the reported Mean the time per candidate.</remarks>
[MemoryDiagnoser]
public class ScreenBenchmarks
{
    private const int N = 100_000;
    private FittedPipeline _model = null!;
    private Candidate[] _candidates = [];

    /// <summary>Fits the forest and enumerates the candidates once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "gap expt" },
            BundledData.OpenPathOrName("matbench_expt_gap").OrThrow()).OrThrow();
        var fs = CompositionFeaturizers.Build([ElementProperty.Magpie], ds).OrThrow();
        var spec = new PipelineSpec(new PipelineInput("composition", ["magpie"], MissingElementValue.NaN, []), [new PipelineStep.MeanImpute()],
            Learners.RandomForest(new RandomForestOptions()));
        _model = FittedPipeline.FitFeatures(spec, fs, ds.Target!, ds.Compositions, new PipelineTarget("gap expt", "eV"), Rng.FromSeed(0), 0).OrThrow();
        var space = Candidates.Nary(["Li", "Na", "K", "Mg", "Ca", "Zn", "Ga", "In", "Al", "Si", "Ge", "Sn", "O", "S", "Se", "N", "P", "F", "Cl", "Br"], 4, 7).OrThrow();
        _candidates = space.Enumerate().Take(N).ToArray();
    }

    /// <summary>Featurize, predict (mean and std), score and keep the best 100, per candidate.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public int ScreenPerCandidate()
    {
        var ranking = new Ranking.ByAcquisition(new Acquisition.UpperConfidenceBound(), Goal.Maximize, 0);
        var top = new SortedSet<ScoredCandidate>(ScoredCandidate.Order);
        foreach (var s in Screen.Score(_model, _candidates, ranking, Vec<string>.Empty))
        {
            top.Add(s.OrThrow());
            if (top.Count > 100) top.Remove(top.Max!);
        }
        return top.Count;
    }
}
