using Pure.Materials.Core;
using Pure.Materials.Models.Gaussian;
using Xunit;

namespace Pure.Materials.Tests.Models.Gaussian;

/// <summary>A Gaussian-process fit with seeded restarts (parallel restarts, blocked parallel Cholesky and inverse, parallel
/// kernel and gradient matrices) is bit-identical on one thread and on many.</summary>
public class ThreadCountTests
{
    private static T OnThreads<T>(int threads, Func<T> f)
    {
        // Parallel.For without options schedules on TaskScheduler.Current, so everything inside f runs on at most `threads` threads.
        var scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, threads).ConcurrentScheduler;
        return Task.Factory.StartNew(f, CancellationToken.None, TaskCreationOptions.None, scheduler).GetAwaiter().GetResult();
    }

    [Fact]
    public void Fit_WithRestarts_IsBitIdentical_OnOneThreadAndOnEight()
    {
        var c = new RngCursor(Rng.FromSeed(11));
        const int n = 150; // more than two Cholesky blocks of 64
        var x = Matrix.Build(n, 3, (_, _) => c.NextDouble());
        var y = Enumerable.Range(0, n).Select(i => Math.Sin(4 * x[i, 0]) + x[i, 1] * x[i, 2] + 0.05 * c.NextDouble()).ToArray();
        var options = new GaussianProcessOptions
        {
            Kernel = new ConstantKernel() * new RbfKernel { LengthScale = [1, 1, 1] } + new WhiteKernel { NoiseLevel = 0.1 },
            NormalizeY = true,
            NRestartsOptimizer = 2,
        };
        GaussianProcessModel Fit() => GaussianProcess.Fit(options, x, y, Rng.FromSeed(3)).OrThrow();
        var one = OnThreads(1, Fit);
        var many = OnThreads(8, Fit);
        Assert.Equal(3, one.Runs.Count);
        Assert.Equal(one.Kernel, many.Kernel);
        Assert.Equal(one.LogMarginalLikelihood, many.LogMarginalLikelihood);
        Assert.True(one.DualCoef.SequenceEqual(many.DualCoef));
        var xs = Matrix.Build(70, 3, (i, j) => (i * 3 + j) / 210.0);
        var (m1, s1) = OnThreads(1, () => GaussianProcess.PredictWithStd(one, xs));
        var (m8, s8) = OnThreads(8, () => GaussianProcess.PredictWithStd(many, xs));
        Assert.True(m1.SequenceEqual(m8) && s1.SequenceEqual(s8));
    }
}
