using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pure.Materials.Core;
using Xunit;

namespace Pure.Materials.Properties;

/// <summary>The blocked Cholesky factorisation, triangular solves and inverse of <see cref="Dense"/> equal MathNet.Numerics'
/// within 1e-10 on random SPD matrices whose order is not a multiple of the block size, and are bit-identical whatever the
/// number of threads.</summary>
public class DenseProperties
{
    /// <summary>A = B B^T / n + 0.5 I with B uniform in [-1, 1): SPD with condition number of order 10.</summary>
    private static double[] Spd(int n, long seed)
    {
        var c = new RngCursor(Rng.FromSeed(seed));
        var b = new double[n * n];
        for (var i = 0; i < b.Length; i++) b[i] = 2 * c.NextDouble() - 1;
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j <= i; j++)
            {
                var s = 0.0;
                for (var k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
                a[i * n + j] = a[j * n + i] = s / n + (i == j ? 0.5 : 0.0);
            }
        return a;
    }

    private static MathNet.Numerics.LinearAlgebra.Matrix<double> M(double[] a, int n) =>
        MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) => a[i * n + j]);

    [Property(MaxTest = 12)]
    public bool Cholesky_EqualsMathNet_AndSolvesAndInverseAgree_OnOrdersNotMultiplesOfTheBlockSize(SpdCase c)
    {
        var (n, seed) = (c.N, c.Seed);
        var a = Spd(n, seed);
        var l = new double[n * n];
        if (!Dense.Cholesky(a, n, l)) return false;
        var reference = M(a, n).Cholesky().Factor;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                if (Math.Abs(l[i * n + j] - reference[i, j]) > 1e-10) return false;

        var b = Enumerable.Range(0, n).Select(i => Math.Sin(i + seed)).ToArray();
        var x = (double[])b.Clone();
        Dense.CholeskySolve(l, n, x);
        var expected = M(a, n).Cholesky().Solve(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(b));
        if (Enumerable.Range(0, n).Any(i => Math.Abs(x[i] - expected[i]) > 1e-10 * (1 + Math.Abs(expected[i])))) return false;

        var rows = Enumerable.Range(0, 3 * n).Select(i => Math.Cos(0.37 * i + seed)).ToArray();
        var solved = (double[])rows.Clone();
        Dense.SolveLowerRows(l, n, solved, 3);
        for (var r = 0; r < 3; r++)
        {
            var one = rows.AsSpan(r * n, n).ToArray();
            Dense.SolveLower(l, n, one);
            if (!one.AsSpan().SequenceEqual(solved.AsSpan(r * n, n))) return false;
        }

        var inv = Dense.CholeskyInverse(l, n);
        var refInv = M(a, n).Inverse();
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                if (Math.Abs(inv[i * n + j] - refInv[i, j]) > 1e-10 * (1 + Math.Abs(refInv[i, j]))) return false;
        return true;
    }

    [Fact]
    public void Cholesky_IsBitIdentical_WithOneThreadAndWithMany()
    {
        const int n = 333;
        var a = Spd(n, 5);
        double[] Run(int threads)
        {
            var l = new double[n * n];
            return RunWithParallelism(threads, () =>
            {
                Assert.True(Dense.Cholesky(a, n, l));
                var inv = Dense.CholeskyInverse(l, n);
                return l.Concat(inv).ToArray();
            });
        }
        Assert.True(Run(1).AsSpan().SequenceEqual(Run(8)));
    }

    [Fact]
    public void Cholesky_ReturnsFalse_OnAMatrixThatIsNotPositiveDefinite()
    {
        const int n = 70;
        var a = Spd(n, 1);
        a[69 * n + 69] = -1.0;
        Assert.False(Dense.Cholesky(a, n, new double[n * n]));
    }

    /// <summary>Runs <paramref name="f"/> on a dedicated scheduler that allows at most <paramref name="threads"/> concurrent tasks,
    /// so every Parallel.For inside it runs on that many threads.</summary>
    private static T RunWithParallelism<T>(int threads, Func<T> f)
    {
        var scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, threads).ConcurrentScheduler;
        return Task.Factory.StartNew(f, CancellationToken.None, TaskCreationOptions.None, scheduler).GetAwaiter().GetResult();
    }
}
