using System.Runtime.CompilerServices;

namespace Pure.Materials.Core;

/// <summary>An immutable, splittable pseudo-random generator (SplitMix64) whose whole state is two printable numbers.</summary>
/// <param name="State">The 64-bit state; printing it (with <paramref name="Gamma"/>) is enough to replay a run.</param>
/// <param name="Gamma">The odd increment of this stream.</param>
/// <remarks>
/// Every draw returns the value and the next generator; nothing is mutated, so the same <see cref="Rng"/>
/// always gives the same draws. <see cref="Split"/> derives an independent stream, so a stage that needs randomness
/// takes its own stream and adding a stage does not change other stages' draws.
/// Source: Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014
/// (java.util.SplittableRandom; FsCheck's Random uses the same scheme).
/// </remarks>
public readonly record struct Rng(ulong State, ulong Gamma)
{
    internal const ulong GoldenGamma = 0x9E3779B97F4A7C15UL;

    /// <summary>Creates the generator for a user seed.</summary>
    /// <param name="seed">Any 64-bit integer; the same seed gives the same stream on every machine.</param>
    /// <returns>The root generator of a run.</returns>
    public static Rng FromSeed(long seed) => new(Mix64(unchecked((ulong)seed)), GoldenGamma);

    /// <summary>Draws 64 uniformly distributed bits.</summary>
    /// <returns>The bits and the generator to use next.</returns>
    public (ulong Value, Rng Next) NextUInt64()
    {
        var s = unchecked(State + Gamma);
        return (Mix64(s), this with { State = s });
    }

    /// <summary>Draws a double uniformly from [0, 1) with 53 random bits.</summary>
    /// <returns>The value and the generator to use next.</returns>
    public (double Value, Rng Next) NextDouble()
    {
        var (u, next) = NextUInt64();
        return ((u >> 11) * (1.0 / (1UL << 53)), next);
    }

    /// <summary>Draws an integer uniformly from [0, <paramref name="n"/>) without modulo bias.</summary>
    /// <param name="n">Exclusive upper bound, at least 1.</param>
    /// <returns>The value and the generator to use next.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="n"/> is below 1 (a programmer error).</exception>
    public (int Value, Rng Next) NextInt(int n)
    {
        var cursor = new RngCursor(this);
        var v = cursor.NextInt(n);
        return (v, cursor.ToRng());
    }

    /// <summary>Splits off an independent stream.</summary>
    /// <returns><c>Left</c>: this stream advanced; <c>Right</c>: a new stream statistically independent of it.</returns>
    public (Rng Left, Rng Right) Split()
    {
        var s1 = unchecked(State + Gamma);
        var s2 = unchecked(s1 + Gamma);
        return (this with { State = s2 }, new Rng(Mix64(s1), MixGamma(s2)));
    }

    /// <summary>Derives <paramref name="count"/> independent streams, one per parallel task (tree, fold, restart).</summary>
    /// <param name="count">Number of streams, at least 0.</param>
    /// <returns>The streams (element i is the same whatever thread later uses it) and the generator to use next.</returns>
    public (Rng[] Streams, Rng Next) SplitMany(int count)
    {
        var streams = new Rng[count];
        var r = this;
        for (var i = 0; i < count; i++) (r, streams[i]) = r.Split();
        return (streams, r);
    }

    /// <summary>Prints the state so that the run can be replayed with <c>new Rng(State, Gamma)</c>.</summary>
    /// <returns>For example <c>Rng(0x1234..., 0x9E37...)</c>.</returns>
    public override string ToString() => $"Rng(0x{State:X16}, 0x{Gamma:X16})";

    internal static ulong Mix64(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    private static ulong MixGamma(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDUL;
            z = (z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53UL;
            z = (z ^ (z >> 33)) | 1UL;
            var transitions = System.Numerics.BitOperations.PopCount(z ^ (z >> 1));
            return transitions < 24 ? z ^ 0xAAAAAAAAAAAAAAAAUL : z;
        }
    }
}

/// <summary>A mutable cursor over an <see cref="Rng"/> stream for tight internal loops (bootstrap, feature sampling).</summary>
/// <remarks>Gives exactly the draws the immutable <see cref="Rng"/> would give; never shared between threads.</remarks>
internal struct RngCursor
{
    private ulong _state;
    private readonly ulong _gamma;

    public RngCursor(Rng rng) { _state = rng.State; _gamma = rng.Gamma; }

    public Rng ToRng() => new(_state, _gamma);

    public ulong NextUInt64()
    {
        _state = unchecked(_state + _gamma);
        return Rng.Mix64(_state);
    }

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Lemire's nearly-divisionless bounded integer with rejection (no bias).</summary>
    /// <remarks>Inlined (the tree builders draw one per candidate feature of every node); the rare rejection path is a call.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var bound = (ulong)n;
        var high = Math.BigMul(NextUInt64(), bound, out var low);
        return low < bound ? Reject(bound, high, low) : (int)high;
    }

    /// <summary>The rejection step of <see cref="NextInt"/>: draws again while the low word is below 2^64 mod bound.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Reject(ulong bound, ulong high, ulong low)
    {
        var threshold = unchecked(0UL - bound) % bound;
        while (low < threshold) high = Math.BigMul(NextUInt64(), bound, out low);
        return (int)high;
    }

    /// <summary>Shuffles a span in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
