using System.Diagnostics;
using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;
using Pure.Materials.Models.Graph;
using Pure.Materials.Structures;

/// <summary>Time per epoch of <see cref="Cgcnn.Fit(CgcnnOptions, IReadOnlyList{CrystalGraph}, IReadOnlyList{double}, IReadOnlyList{CrystalGraph}, IReadOnlyList{double}, Rng)"/>
/// on matbench_phonons with the settings of the PyTorch measurement (benchmarks/torch/cgcnn_epoch_timing.py): a random
/// 80/10/10 split of the 1265 structures (seed 0), batch 128, 3 convolutions, CGCNN's defaults otherwise (SGD lr 0.01 momentum 0.9,
/// atom_fea_len 64, h_fea_len 128, n_h 1), the bundled atom_init.json, default graphs (12 neighbours within 8 A, 41 Gaussians).</summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/Pure.Materials.Benchmarks -- cgcnn-timing [EPOCHS] [float32|float64]</c>
/// (defaults 3, float32). Prints the graph-building time, then per epoch training + validation seconds, the training loss (MSE of
/// the normalised target) and the validation MAE (cm^-1), and the test MAE of the best epoch's model.</remarks>
internal static class CgcnnTiming
{
    public static void Timed(int epochs, string dtype)
    {
        var entries = BundledStructures.MatbenchPhonons().OrThrow();
        var clock = Stopwatch.StartNew();
        var graphOptions = new CrystalGraphOptions();
        var graphs = entries.AsParallel().AsOrdered().Select(e => CrystalGraphs.Build(graphOptions, AtomFeatures.Cgcnn, e.Structure).OrThrow()).ToArray();
        var y = entries.Select(e => e.Target!.Value).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"graphs: {graphs.Length} crystals, {graphs.Sum(g => g.SiteCount)} sites, built in {clock.Elapsed.TotalSeconds:F3} s"));
        var order = Enumerable.Range(0, graphs.Length).ToArray();
        new RngCursor(Rng.FromSeed(0)).Shuffle<int>(order);
        int nTrain = (int)(0.8 * order.Length), nVal = (int)(0.1 * order.Length);
        int[] train = order[..nTrain], val = order[nTrain..(nTrain + nVal)], test = order[(nTrain + nVal)..];
        var options = new CgcnnOptions { BatchSize = 128, NConv = 3, Epochs = epochs, Dtype = dtype == "float64" ? DType.Float64 : DType.Float32 };
        clock.Restart();
        var fit = Cgcnn.Fit(options, [.. train.Select(i => graphs[i])], [.. train.Select(i => y[i])], [.. val.Select(i => graphs[i])],
            [.. val.Select(i => y[i])], Rng.FromSeed(1)).OrThrow();
        var total = clock.Elapsed.TotalSeconds;
        for (var e = 0; e < fit.TrainLoss.Count; e++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"EPOCH {e} total {fit.EpochSeconds[e]:F3} s train loss {fit.TrainLoss[e]:F4} val MAE {fit.ValidationScore[e]:F4}"));
        var p = Cgcnn.Predict(fit.Model, [.. test.Select(i => graphs[i])], options.Dtype);
        var mae = test.Select((i, k) => Math.Abs(p[k] - y[i])).Sum() / test.Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"split {train.Length}/{val.Length}/{test.Length}; fit {total:F3} s; best epoch {fit.BestEpoch}; test MAE {mae:F4} cm^-1 ({options.Dtype})"));
    }
}

/// <summary>Where a CGCNN training step's time goes: one batch of 128 phonons crystals, forward and backward timed apart.</summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/Pure.Materials.Benchmarks -- cgcnn-profile [REPS]</c>.</remarks>
internal static class CgcnnProfile
{
    public static void Run(int reps)
    {
        var entries = BundledStructures.MatbenchPhonons().OrThrow();
        var graphs = entries.Take(128).Select(e => CrystalGraphs.Build(new CrystalGraphOptions(), AtomFeatures.Cgcnn, e.Structure).OrThrow()).ToArray();
        var batch = CrystalGraphBatch.Join(graphs);
        var model = Cgcnn.Initialise(new CgcnnOptions(), batch.NodeFeatureLength, batch.EdgeFeatureLength, Rng.FromSeed(0));
        var y = Tensor.From(entries.Take(128).Select(e => e.Target!.Value / 1000).ToArray(), 128, 1).To(DType.Float32);
        double forward = 0, backward = 0, join = 0;
        for (var r = 0; r < reps + 2; r++)
        {
            var clock = Stopwatch.StartNew();
            batch = CrystalGraphBatch.Join(graphs);
            var t0 = clock.Elapsed.TotalSeconds;
            var tape = new Tape();
            var pass = Cgcnn.ForwardTraining(tape, model, batch, DType.Float32, 0, Rng.FromSeed(1));
            var loss = Ops.MseLoss(pass.Output, tape.Constant(y));
            var t1 = clock.Elapsed.TotalSeconds;
            tape.Backward(loss);
            var t2 = clock.Elapsed.TotalSeconds;
            if (r < 2) continue; // warm-up
            join += t0; forward += t1 - t0; backward += t2 - t1;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"batch of 128: {batch.SiteCount} sites, {batch.SiteCount * batch.MaxNeighbors} edges; per step join {1000 * join / reps:F1} ms, forward {1000 * forward / reps:F1} ms, backward {1000 * backward / reps:F1} ms"));
    }
}
