using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Pure.Materials.Core;

namespace Pure.Materials.Benchmarks;

/// <summary>The cost of fixed-order reductions (<see cref="Reduce"/>) against <see cref="TensorPrimitives"/>' width-dependent ones.</summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/Pure.Materials.Benchmarks -- --filter '*ReduceBenchmarks*' --job short</c>,
/// and again with <c>DOTNET_PreferredVectorBitWidth=256</c> in the environment to compare with TensorPrimitives at its 256-bit width.
/// Lengths: 64 (a Cholesky block), 132 (a Magpie row), 4096 (a kernel row), 100,000 (a metric over a large test set).</remarks>
[MemoryDiagnoser]
public class ReduceBenchmarks
{
    private double[] _a = [];
    private double[] _b = [];

    /// <summary>Vector length.</summary>
    [Params(64, 132, 4096, 100_000)]
    public int N { get; set; }

    /// <summary>Seeded data.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var r = Rng.FromSeed(1);
        _a = new double[N];
        _b = new double[N];
        for (var i = 0; i < N; i++) { (_a[i], r) = r.NextDouble(); (_b[i], r) = r.NextDouble(); }
    }

    /// <summary>TensorPrimitives.Dot: as many lanes as the widest vector (order depends on the CPU).</summary>
    [Benchmark(Baseline = true)]
    public double TensorPrimitivesDot() => TensorPrimitives.Dot(_a, _b);

    /// <summary>Reduce.Dot: 16 partial sums in a fixed order (the same bits on every CPU).</summary>
    [Benchmark]
    public double ReduceDot() => Reduce.Dot(_a, _b);

    /// <summary>TensorPrimitives.Sum.</summary>
    [Benchmark]
    public double TensorPrimitivesSum() => TensorPrimitives.Sum(_a);

    /// <summary>Reduce.Sum.</summary>
    [Benchmark]
    public double ReduceSum() => Reduce.Sum(_a);
}
