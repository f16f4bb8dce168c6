using BenchmarkDotNet.Attributes;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Screening;

/// <summary>Candidate enumeration throughput (issue 13): each benchmark streams a whole space once; OperationsPerInvoke makes the
/// reported Mean the time per candidate examined (candidates per second = 1 / Mean).</summary>
/// <remarks>
/// Spaces: all ternaries of 20 elements (Li..Ca, Z = 3..22) with amounts up to 8, reduced (500,460 candidates), without and with
/// the pymatgen-default charge filter (the filtered run examines the same 500,460 and keeps the balanced ones, count printed by
/// <see cref="Setup"/>); and the perovskite site-mixing space with steps 4, 4, 4 (132,300 candidates with 50 features each).
/// </remarks>
[MemoryDiagnoser]
public class ScreeningBenchmarks
{
    private const int Ternaries = 500_460;
    private const int Perovskites = 132_300;
    private CandidateSpace _nary = null!;
    private CandidateSpace _neutral = null!;
    private CandidateSpace _perovskite = null!;

    [GlobalSetup]
    public void Setup()
    {
        string[] elements = [.. Enumerable.Range(3, 20).Select(Elements.Symbol)];
        _nary = Candidates.Nary(elements, 3, 8).OrThrow();
        _neutral = Candidates.Nary(elements, 3, 8, ChargeNeutrality.PymatgenDefault).OrThrow();
        _perovskite = Candidates.PerovskiteSiteMixed(4, 4, 4).OrThrow();
        if (_nary.Count != Ternaries || _perovskite.Count != Perovskites) throw new InvalidOperationException("unexpected space sizes");
        Console.WriteLine($"// {_nary.Describe()}");
        Console.WriteLine($"// {_neutral.Describe()}");
        Console.WriteLine($"// {_perovskite.Describe()}");
    }

    [Benchmark(OperationsPerInvoke = Ternaries)]
    public long NaryTernaries() => Consume(_nary);

    [Benchmark(OperationsPerInvoke = Ternaries)]
    public long NaryTernaries_ChargeNeutral() => Consume(_neutral);

    [Benchmark(OperationsPerInvoke = Perovskites)]
    public long PerovskiteSiteMixed() => Consume(_perovskite);

    private static long Consume(CandidateSpace space)
    {
        long n = 0;
        foreach (var c in space.Enumerate()) n += c.Index & 1;
        return n;
    }
}
