using BenchmarkDotNet.Attributes;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Models;
using Pure.Materials.Models.Trees;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Benchmarks;

/// <summary>Saving and loading the main job's model: Magpie features, mean imputation and a 100-tree random forest fitted on all 4604
/// matbench_expt_gap rows (the model <c>fit --data matbench_expt_gap --target "gap expt" --formula-column composition</c> writes).</summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/Pure.Materials.Benchmarks -- --filter '*ModelFileBenchmarks*' --job short</c>.
/// Save writes the ZIP to memory (no disk); Load reads it back with every check (checksums, tree structure, the width probe).</remarks>
[MemoryDiagnoser]
public class ModelFileBenchmarks
{
    private FittedPipeline _pipeline = null!;
    private StateNode _state = null!;
    private byte[] _file = [];

    /// <summary>Fits the forest once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "gap expt", IdColumn = "mbid" },
            BundledData.OpenPathOrName("matbench_expt_gap").OrThrow()).OrThrow();
        var fs = CompositionFeaturizers.Build([ElementProperty.Magpie], ds).OrThrow();
        var spec = new PipelineSpec(new PipelineInput("composition", ["magpie"], MissingElementValue.NaN, []), [new PipelineStep.MeanImpute()],
            Learners.RandomForest(new RandomForestOptions()));
        _pipeline = FittedPipeline.FitFeatures(spec, fs, ds.Target!, ds.Compositions, new PipelineTarget("gap expt", "eV"), Rng.FromSeed(0), 0).OrThrow();
        _state = ModelFile.ToState(_pipeline).OrThrow();
        using var m = new MemoryStream();
        ModelFile.Write(m, _state, new ModelFileHeader("1.0", ModelFile.LibraryVersion, "2026-01-01T00:00:00Z"));
        _file = m.ToArray();
        Console.WriteLine($"// model file: {_file.Length} bytes, {_pipeline.FeatureLabels.Count} features, {((RandomForestModel)_pipeline.Learner.Model).Trees.Sum(t => t.NodeCount)} tree nodes");
    }

    /// <summary>Pipeline to ZIP bytes (state, JSON manifest, arrays, checksums).</summary>
    [Benchmark]
    public long Save()
    {
        using var m = new MemoryStream();
        ModelFile.Write(m, ModelFile.ToState(_pipeline).OrThrow(), new ModelFileHeader("1.0", ModelFile.LibraryVersion, "2026-01-01T00:00:00Z"));
        return m.Length;
    }

    /// <summary>ZIP bytes to a checked pipeline.</summary>
    [Benchmark]
    public int Load() => ModelFile.Read(new MemoryStream(_file)).OrThrow().Pipeline.FeatureLabels.Count;
}
