using BenchmarkDotNet.Attributes;
using Pure.Materials.Core;
using Pure.Materials.Structures;

namespace Pure.Materials.Benchmarks;

/// <summary>Periodic neighbours within 8 Angstrom of every site of the 1265 matbench_phonons structures (2 to 48 sites each), per structure.</summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/Pure.Materials.Benchmarks -- --filter '*NeighborBenchmarks*' --job short</c>.
/// OperationsPerInvoke makes the reported Mean the time per structure. For comparison, pymatgen 2022.11.7's
/// <c>Structure.get_all_neighbors(8.0)</c> is what matminer's site featurizers call for each structure.</remarks>
[MemoryDiagnoser]
public class NeighborBenchmarks
{
    private const int N = 1265;
    private Structure[] _structures = [];

    /// <summary>Reads the bundled structures once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _structures = BundledStructures.MatbenchPhonons().OrThrow().Select(e => e.Structure).ToArray();
        if (_structures.Length != N) throw new InvalidOperationException($"expected {N} structures");
    }

    /// <summary>One structure after another on one thread; returns the total neighbour count (2,000,000-odd pairs).</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public long Within8A_SingleThread()
    {
        long total = 0;
        foreach (var s in _structures) total += Neighbors.Within(s, 8.0).OrThrow().TotalCount;
        return total;
    }

    /// <summary>The structures in parallel over all cores.</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public long Within8A_AllCores()
    {
        var counts = new long[N];
        Parallel.For(0, N, i => counts[i] = Neighbors.Within(_structures[i], 8.0).OrThrow().TotalCount);
        return counts.Sum();
    }
}
