using Pure.Materials.Core;
using Pure.Materials.Models.Gaussian;
using Pure.Materials.Models.KernelMethods;
using Pure.Materials.Models.Trees;
using Xunit;

namespace Pure.Materials.Tests.Models.Gaussian;

/// <summary>Parallel fits are bit-identical on one thread and on many.</summary>
/// <remarks>The library's parallel loops run on the thread pool (TaskScheduler.Default) with at most n_jobs workers where a learner
/// has n_jobs, else the processor count. A 2-core machine's pool starts 2 workers and adds more slowly, so these tests raise the
/// pool's minimum to 8 workers first. CI (.ci/run) also runs this class with DOTNET_PROCESSOR_COUNT=8, and .ci/cross-machine runs
/// whole experiments with DOTNET_PROCESSOR_COUNT=1 and =8 (one worker, eight workers) and compares their outputs bit for bit.</remarks>
public class ThreadCountTests
{
    /// <summary>Raises the pool's minimum to at least <paramref name="threads"/> workers (so up to that many run at once without
    /// waiting for the pool to grow), then runs f.</summary>
    private static T OnThreads<T>(int threads, Func<T> f)
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < threads) ThreadPool.SetMinThreads(threads, Math.Max(io, threads));
        return f();
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

    public static TheoryData<string> Learners() => ["rf", "gbm", "kernel-ridge"];

    /// <summary>Forests (trees in parallel), gradient boosting (features in parallel) and kernel ridge (kernel rows and Cholesky in
    /// parallel) give the same bits with n_jobs = 1 and with n_jobs = 8 on a pool of at least 8 workers.</summary>
    [Theory]
    [MemberData(nameof(Learners))]
    public void Fit_IsBitIdentical_OnOneThreadAndOnEight(string learner)
    {
        var c = new RngCursor(Rng.FromSeed(5));
        const int n = 300;
        var x = Matrix.Build(n, 6, (_, _) => c.NextDouble());
        var y = Enumerable.Range(0, n).Select(i => Math.Sin(3 * x[i, 0]) + x[i, 1] * x[i, 2] - x[i, 5] + 0.1 * c.NextDouble()).ToArray();
        double[] FitPredict(int jobs) => learner switch
        {
            "rf" => RandomForest.Predict(RandomForest.Fit(new RandomForestOptions { NEstimators = 24, NJobs = jobs }, x, y, Rng.FromSeed(1)).OrThrow(), x),
            "gbm" => HistGradientBoosting.Predict(HistGradientBoosting.Fit(new HistGradientBoostingOptions { MaxIter = 20, NJobs = jobs }, x, y, Rng.FromSeed(1)).OrThrow(), x),
            _ => KernelRidge.Predict(KernelRidge.Fit(new KernelRidgeOptions { Alpha = 0.1, Kernel = new KernelOptions { Kind = KernelKind.Rbf } }, x, y).OrThrow(), x),
        };
        var one = OnThreads(1, () => FitPredict(1));
        var many = OnThreads(8, () => FitPredict(8));
        Assert.Equal(one.Select(BitConverter.DoubleToInt64Bits), many.Select(BitConverter.DoubleToInt64Bits));
    }
}
