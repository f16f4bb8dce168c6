using System.Globalization;
using System.Text.Json;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;
using Pure.Materials.Models.Graph;
using Pure.Materials.Structures;
using Xunit;
using Xunit.Abstractions;

namespace Pure.Materials.Tests.Models.Graph;

/// <summary>Crystal graphs and the published CGCNN formation-energy model against the original PyTorch code
/// (Reference/cod-cgcnn: the ten COD CIFs, atom_init.json, formation_energy_model.json and
/// formation_energy_predictions_pytorch.csv; provenance in its README).</summary>
public sealed class CgcnnParityTests(ITestOutputHelper output)
{
    private static string Dir(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Reference", "cod-cgcnn", .. parts]);

    private static readonly Lazy<AtomFeatures> Atoms = new(() => AtomFeatures.Parse(File.ReadAllText(Dir("atom_init.json"))).OrThrow());

    private static Structure Read(string id) => Cif.Read(File.ReadAllText(Dir(id + ".cif")), id + ".cif").OrThrow();

    private static (string Id, double Prediction)[] PyTorch() =>
        [.. File.ReadAllLines(Dir("formation_energy_predictions_pytorch.csv")).Where(l => l.Length > 0).Select(l => l.Split(','))
            .Select(p => (p[0], double.Parse(p[2], CultureInfo.InvariantCulture)))];

    [Fact]
    public void PublishedFormationEnergyModel_TenCifs_MatchPyTorchWithin1em4()
    {
        var model = Cgcnn.ReadJson(File.ReadAllText(Dir("formation_energy_model.json")), "formation_energy_model.json").OrThrow();
        Assert.Equal(4, model.Convs.Count);
        Assert.Equal(64, model.Embedding.Out);
        Assert.Equal(32, model.ConvToFc.Out);
        var reference = PyTorch();
        Assert.Equal(10, reference.Length);
        var graphs = reference.Select(r => CrystalGraphs.Build(new CrystalGraphOptions(), Atoms.Value, Read(r.Id)).OrThrow()).ToArray();
        var batch = CrystalGraphBatch.Join(graphs);
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var predicted = Cgcnn.Predict(model, batch, dtype);
            // The same crystals one at a time give the same numbers: batching only stacks graphs.
            var single = graphs.Select(g => Cgcnn.Predict(model, CrystalGraphBatch.Join([g]), dtype)[0]).ToArray();
            var max = 0.0;
            for (var c = 0; c < reference.Length; c++)
            {
                var d = Math.Abs(predicted[c] - reference[c].Prediction);
                max = Math.Max(max, d);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{dtype} {reference[c].Id}: C# {predicted[c]:R}  PyTorch {reference[c].Prediction:R}  |diff| {d:E2}"));
                Assert.Equal(predicted[c], single[c], 1e-6);
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{dtype}: max |C# - PyTorch| = {max:E3} eV/atom"));
            Assert.True(max <= 1e-4, $"{dtype}: max difference {max:E3} eV/atom exceeds 1e-4");
        }
    }

    [Fact]
    public void Build_NaCl_Keeps12NearestSortedAsPymatgen_WithGaussians()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Dir("pymatgen_reference.json")));
        var options = new CrystalGraphOptions();
        Assert.Equal(41, options.GaussianCount);
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            var id = Path.GetFileNameWithoutExtension(entry.Name);
            var g = CrystalGraphs.Build(options, Atoms.Value, Read(id)).OrThrow();
            var reference = entry.Value.GetProperty("neighbor_distances_8A").EnumerateArray()
                .Select(s => s.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();
            Assert.Equal(reference.Length, g.SiteCount);
            Assert.Equal(0, g.PaddedCount); // every site of these ten has more than 12 neighbours within 8 A
            var ties = 0;
            for (var i = 0; i < g.SiteCount; i++)
            {
                for (var k = 0; k < 12; k++) Assert.Equal(reference[i][k], g.Distances[i * 12 + k], 1e-9);
                for (var k = 1; k < 12; k++) Assert.True(g.Distances[i * 12 + k] >= g.Distances[i * 12 + k - 1]);
                if (Math.Abs(reference[i][12] - reference[i][11]) < 1e-6) ties++;
            }
            output.WriteLine($"{id}: {g.SiteCount} sites, {ties} with a tie across the 12th/13th neighbour (|d12 - d13| < 1e-6 A)");
        }
        // Node features are atom_init.json's rows; edge features are the Gaussians by hand.
        var nacl = CrystalGraphs.Build(options, Atoms.Value, Read("1000041")).OrThrow();
        Assert.Equal(92, nacl.NodeFeatureLength);
        Assert.Equal(Atoms.Value.Of(11).ToArray(), nacl.NodeFeatures.AsSpan(0, 92).ToArray());
        Assert.Equal(Atoms.Value.Of(17).ToArray(), nacl.NodeFeatures.AsSpan(4 * 92, 92).ToArray());
        var d0 = nacl.Distances[0]; // 2.81 A, Na-Cl
        Assert.Equal(2.81, d0, 1e-12);
        for (var k = 0; k < 41; k++)
            Assert.Equal(Math.Exp(-Math.Pow(d0 - 0.2 * k, 2) / 0.04), nacl.EdgeFeatures[k], 1e-15);
        Assert.Equal(Math.Exp(-Math.Pow(2.81 - 2.8, 2) / 0.04), nacl.EdgeFeatures[14], 1e-15); // centre 2.8: exp(-0.0025) = 0.9975
    }

    [Fact]
    public void Build_PadsWithSiteZeroAtRadiusPlusOne_WhenFewerNeighbours()
    {
        // NaCl within 3 A: each site has its 6 nearest (2.81 A) only; CGCNN pads the other 6 with index 0 at radius + 1.
        var options = new CrystalGraphOptions(Radius: 3.0);
        var g = CrystalGraphs.Build(options, Atoms.Value, Read("1000041")).OrThrow();
        Assert.Equal(16, options.GaussianCount); // arange(0, 3.2, 0.2): 0, 0.2, ..., 3.0
        Assert.Equal(8 * 6, g.PaddedCount);
        for (var i = 0; i < g.SiteCount; i++)
            for (var k = 6; k < 12; k++)
            {
                Assert.Equal(0, g.NeighborIndex[i * 12 + k]);
                Assert.Equal(4.0, g.Distances[i * 12 + k]);
            }
    }

    [Fact]
    public void Build_Fails_WhenAnElementHasNoFeatures()
    {
        var atoms = AtomFeatures.Parse("{\"11\": [1, 0], \"12\": [0, 1]}").OrThrow();
        var problem = Assert.Single(CrystalGraphs.Build(new CrystalGraphOptions(), atoms, Read("1000041")).Problems());
        Assert.Equal("graph.unknown_element", problem.Code);
        Assert.Contains("Cl", problem.Message);
    }

    [Fact]
    public void ReadJson_Fails_WhenATensorIsMissing()
    {
        var problem = Assert.Single(Cgcnn.ReadJson("{\"normalizer\": {\"mean\": 0, \"std\": 1}, \"tensors\": {}}").Problems());
        Assert.Equal("cgcnn.invalid_model", problem.Code);
        Assert.Contains("embedding.weight", problem.Message);
    }
}
