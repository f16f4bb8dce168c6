using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Featurize.Structural;
using Pure.Materials.Models.Trees;
using Pure.Materials.Pipelines;
using Pure.Materials.Structures;
using Xunit;

namespace Pure.Materials.Tests.Pipelines;

/// <summary>A pipeline fitted on crystal structures keeps its structure featurizers and their fitted state (the Coulomb eigenvalue
/// length) in the model file: saved and loaded it predicts matbench_phonons bit for bit as in memory, and refuses a structure with
/// more sites than the fitted length.</summary>
public class StructurePipelineTests
{
    private static readonly Lazy<(FittedPipeline Pipeline, Structure[] Structures)> Phonons = new(() =>
    {
        var entries = BundledStructures.MatbenchPhonons().OrThrow();
        var structures = entries.Select(e => e.Structure).ToArray();
        var fitted = StructureFeaturization.Fit("magpie,site-stats-bond-length,coulomb", structures).OrThrow();
        var features = StructureFeaturizer.Build(fitted.Build().OrThrow(), structures).OrThrow();
        var learner = Learners.RandomForest(new RandomForestOptions { NEstimators = 10 });
        var spec = new PipelineSpec(new PipelineInput(null, [], MissingElementValue.NaN, [], fitted), PipelineSpec.Front(ImputeStrategy.Mean, ScaleStrategy.None), learner);
        var y = entries.Select(e => e.Target!.Value).ToArray();
        var pipeline = FittedPipeline.Fit(spec, features, new TaskTarget.Continuous(y, "cm^-1"), "last phdos peak",
            structures.Select(s => s.Composition).ToArray(), Rng.FromSeed(0), 0).OrThrow();
        return (pipeline, structures);
    });

    [Fact]
    public void FitOnPhonons_SaveLoad_PredictsBitIdentically_AndKeepsTheFittedCoulombLength()
    {
        var (pipeline, structures) = Phonons.Value;
        var maxSites = structures.Max(s => s.Count);
        Assert.Equal(["magpie", "site-stats-bond-length", "coulomb"], pipeline.Input.Structures!.Names);
        Assert.Equal([0, 0, maxSites], pipeline.Input.Structures.Lengths);
        Assert.Equal(132 + 4 + maxSites, pipeline.FeatureLabels.Count);
        var path = Path.Combine(Path.GetTempPath(), $"pm-structures-{Guid.NewGuid():N}.pmm");
        try
        {
            var header = ModelFile.Save(pipeline, path).OrThrow();
            Assert.Equal("1.4", header.FormatVersion);
            var (loaded, _) = ModelFile.Load(path).OrThrow();
            Assert.Equal(pipeline, loaded);
            Assert.Equal(pipeline.Input.Structures, loaded.Input.Structures);
            var before = pipeline.Predict(structures).OrThrow();
            var after = loaded.Predict(structures).OrThrow();
            Assert.Equal(1265, after.Mean.Count);
            Assert.Equal(before.Mean.Select(BitConverter.DoubleToInt64Bits), after.Mean.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(before.Std!.Select(BitConverter.DoubleToInt64Bits), after.Std!.Select(BitConverter.DoubleToInt64Bits));
            // The training structures themselves lie inside every training range and contain only training elements.
            Assert.All(after.FeaturesOutOfRange, n => Assert.Equal(0, n));
            Assert.All(after.UnseenElements, e => Assert.Empty(e));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AStructureWithMoreSitesThanTheFittedLength_IsTooManySites_NamingTheRow()
    {
        var (pipeline, structures) = Phonons.Value;
        var largest = structures.MaxBy(s => s.Count)!;
        var big = largest.Supercell(2, 1, 1).OrThrow();
        var result = pipeline.Predict([structures[0], big]);
        var problem = Assert.Single(result.Problems());
        Assert.Equal("featurize.too_many_sites", problem.Code);
        Assert.Equal(1, problem.Row);
        Assert.Equal("coulomb", problem.Column);
        Assert.Contains($"{2 * largest.Count} sites", problem.Message);
    }

    [Fact]
    public void APipelineOfTableRows_RefusesStructures()
    {
        var (pipeline, structures) = Phonons.Value;
        var rows = pipeline with { Input = new PipelineInput(null, [], MissingElementValue.NaN, ["x"]) };
        Assert.Equal("param.conflict", Assert.Single(rows.Predict(structures.Take(1).ToArray()).Problems()).Code);
    }

    [Fact]
    public void Featurization_Build_RefusesInconsistentLengths()
    {
        var matminerOrder = new StructureFeaturization(["sine-coulomb:sort_eigenvalues=false"], [48], MissingElementValue.NaN).Build().OrThrow();
        Assert.Equal(EigenvalueOrder.Matminer, Assert.IsType<CoulombMatrix>(matminerOrder).Options.Order);
        Assert.Equal("param.unknown_option", new StructureFeaturization(["coulomb:sort=false"], [4], MissingElementValue.NaN).Build().Problems()[0].Code);
        Assert.Equal("param.out_of_range", new StructureFeaturization(["magpie"], [3], MissingElementValue.NaN).Build().Problems()[0].Code);
        Assert.Equal("param.out_of_range", new StructureFeaturization(["coulomb"], [0], MissingElementValue.NaN).Build().Problems()[0].Code);
        Assert.Equal("shape.length_mismatch", new StructureFeaturization(["coulomb", "density"], [4], MissingElementValue.NaN).Build().Problems()[0].Code);
        Assert.Equal("param.unknown_featurizer", new StructureFeaturization(["nope"], [0], MissingElementValue.NaN).Build().Problems()[0].Code);
        Assert.Equal(7, new StructureFeaturization(["density", "coulomb"], [0, 4], MissingElementValue.NaN).Build().OrThrow().Labels.Count);
    }

    [Fact]
    public void AFileWithATamperedFittedLength_IsCorrupt_AndA10FileWithoutStructuresStillLoads()
    {
        var (pipeline, _) = Phonons.Value;
        var path = Path.Combine(Path.GetTempPath(), $"pm-structures-{Guid.NewGuid():N}.pmm");
        try
        {
            ModelFile.Save(pipeline, path).OrThrow();
            var bytes = File.ReadAllBytes(path);
            // The Coulomb length recorded for magpie instead (a forged file): one model.corrupt problem naming the entry.
            var forged = Edit(bytes, m => ((JsonObject)m["pipeline"]!["input"]!["node"]!["structures"]!["node"]!)["featurizers"] =
                JsonNode.Parse("""{"nodes": [{"text": "coulomb"}, {"text": "site-stats-bond-length"}, {"text": "magpie"}]}"""));
            var problem = Assert.Single(ModelFile.Read(new MemoryStream(forged)).Problems());
            Assert.Equal("model.corrupt", problem.Code);
            Assert.Contains("structures/featurizers", problem.Message);

            // A format 1.0 file (no structures node: a pipeline of table rows) still reads.
            var rows = pipeline with { Input = new PipelineInput(null, [], MissingElementValue.NaN, [.. pipeline.FeatureLabels]) };
            ModelFile.Save(rows, path).OrThrow();
            var old = Edit(File.ReadAllBytes(path), m => m["format_version"] = "1.0");
            var (loaded, header) = ModelFile.Read(new MemoryStream(old)).OrThrow();
            Assert.Equal("1.0", header.FormatVersion);
            Assert.Null(loaded.Input.Structures);
            Assert.Equal(rows, loaded);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] Edit(byte[] file, Action<JsonObject> edit)
    {
        var entries = new List<(string Name, byte[] Bytes)>();
        using (var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read))
            foreach (var e in zip.Entries)
            {
                using var s = e.Open();
                using var m = new MemoryStream();
                s.CopyTo(m);
                entries.Add((e.FullName, m.ToArray()));
            }
        var k = entries.FindIndex(e => e.Name == "manifest.json");
        var manifest = (JsonObject)JsonNode.Parse(entries[k].Bytes)!;
        edit(manifest);
        entries[k] = ("manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(bytes);
            }
        return output.ToArray();
    }
}
