using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;
using Pure.Materials.Models.Graph;
using Pure.Materials.Structures;

namespace Pure.Materials.Properties;

/// <summary>CGCNN on seeded random crystals (<see cref="StructureProperties.Case"/>: skewed cells, 1..10 sites of H, O, Si, Fe, Cs;
/// graphs of 4 neighbours within 4.5 Angstrom, so sites with fewer are padded as CGCNN pads): the whole network's gradient in
/// training mode against central differences, and evaluation-mode predictions that do not depend on the batch a crystal is in.</summary>
public class CgcnnProperties
{
    private static readonly CrystalGraphOptions Small = new(Radius: 4.5, MaxNeighbors: 4);

    private static CrystalGraph[] Crystals(long seed, int count) =>
        Enumerable.Range(0, count).Select(k => CrystalGraphs.Build(Small, AtomFeatures.Cgcnn, StructureProperties.Case(new RngSeed(seed * 31 + k)).Structure).OrThrow()).ToArray();

    /// <summary>Training-mode (batch statistics) loss MSE of 1..3 crystals, float64: 12 random parameter coordinates (any group) against
    /// central differences with h = 1e-6, within 1e-6 (1 + |g|) (truncation ~1e-12, rounding ~1e-10). A one-site crystal without
    /// neighbours gives bn2 a batch of one row: its variance is 0 and the property still holds (eps keeps it finite).</summary>
    [Property(MaxTest = 15)]
    public bool WholeNetworkGradient_EqualsCentralDifferences(RngSeed seed)
    {
        var c = new RngCursor(Rng.FromSeed(seed.Value));
        var graphs = Crystals(seed.Value, 1 + c.NextInt(3));
        var batch = CrystalGraphBatch.Join(graphs);
        var options = new CgcnnOptions { AtomFeaLen = 3, HFeaLen = 4, NConv = 1 + c.NextInt(2), NH = 1 + c.NextInt(2) };
        var model = Cgcnn.Initialise(options, batch.NodeFeatureLength, batch.EdgeFeatureLength, Rng.FromSeed(seed.Value + 1));
        var y = Enumerable.Range(0, graphs.Length).Select(_ => 2 * c.NextDouble() - 1).ToArray();
        double Loss(CgcnnModel m, out Gradients? grads, out CgcnnTrainingPass pass)
        {
            var tape = new Tape();
            pass = Cgcnn.ForwardTraining(tape, m, batch, DType.Float64, 0, Rng.FromSeed(1));
            var loss = Ops.MseLoss(pass.Output, tape.Constant(Tensor.From(y, y.Length, 1)));
            grads = tape.Backward(loss);
            return loss.Value.Single;
        }
        Loss(model, out var g, out var pass0);
        var values = Cgcnn.Parameters(model);
        for (var t = 0; t < 12; t++)
        {
            var k = c.NextInt(values.Count);
            var i = c.NextInt(values[k].Length);
            var analytic = g!.Of(pass0.Parameters[k]).ToArray()[i];
            var plus = values.Select(a => (double[])a.Clone()).ToArray();
            var minus = values.Select(a => (double[])a.Clone()).ToArray();
            plus[k][i] += 1e-6;
            minus[k][i] -= 1e-6;
            var numeric = (Loss(Cgcnn.WithParameters(model, plus), out _, out _) - Loss(Cgcnn.WithParameters(model, minus), out _, out _)) / 2e-6;
            if (!(Math.Abs(numeric - analytic) <= 1e-6 * (1 + Math.Abs(numeric)))) return false;
        }
        return true;
    }

    /// <summary>In evaluation mode a crystal's prediction is the same alone, in a batch, and at another place in the batch (float64,
    /// within 1e-12 (1 + |y|): batching only stacks graphs; the matrix products' row blocks differ, not their sums).</summary>
    [Property(MaxTest = 30)]
    public bool EvaluationPredictions_DoNotDependOnTheBatch(RngSeed seed)
    {
        var graphs = Crystals(seed.Value, 3);
        var model = Cgcnn.Initialise(new CgcnnOptions { AtomFeaLen = 5, HFeaLen = 6, NConv = 2 }, graphs[0].NodeFeatureLength, graphs[0].EdgeFeatureLength,
            Rng.FromSeed(seed.Value));
        var together = Cgcnn.Predict(model, graphs, DType.Float64);
        var reversed = Cgcnn.Predict(model, graphs.Reverse().ToArray(), DType.Float64).Reverse().ToArray();
        var alone = graphs.Select(x => Cgcnn.Predict(model, [x], DType.Float64)[0]).ToArray();
        return Enumerable.Range(0, 3).All(i => Math.Abs(together[i] - alone[i]) <= 1e-12 * (1 + Math.Abs(alone[i]))
            && Math.Abs(reversed[i] - alone[i]) <= 1e-12 * (1 + Math.Abs(alone[i])));
    }
}
