using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;

namespace Pure.Materials.Properties;

/// <summary>The MLP's dense step with batch norm (<c>DenseNetwork</c> with <c>DenseBatchNorm</c>, training mode) has the gradient of
/// its own loss: every weight, bias, gamma and beta of a whole network (9-8-6-1, two batch-normed hidden layers, the L2 term, each
/// activation and regression loss) against float64 central differences of the step's loss.</summary>
public class BatchNormNetworkProperties
{
    /// <summary>Central differences with h = 1e-5 on a loss of order 1 err by O(h²) ≈ 1e-10 of the third derivative plus about
    /// 1e-16 / h ≈ 1e-11 of rounding; asserted within 1e-6 (1 + |g|), as the tape's operation properties. The absolute loss and the
    /// ReLU have kinks, so those cases use the smooth ones (tanh, sigmoid, identity; squared and Huber within its quadratic zone for
    /// most rows): a difference across a kink is not a derivative. A wrong factor in any batch-norm derivative (checked once by hand:
    /// dropping the xhat dgamma term) fails it by orders of magnitude.</summary>
    [Property(MaxTest = 20)]
    public bool DenseStepWithBatchNorm_GradientEqualsCentralDifferences(int seed)
    {
        var c = new RngCursor(Rng.FromSeed(seed));
        Activation[] acts = [Activation.Tanh, Activation.Sigmoid, Activation.Identity];
        DenseLoss[] losses = [DenseLoss.HalfSquared, DenseLoss.Huber];
        var act = acts[(int)(c.NextDouble() * acts.Length)];
        var loss = losses[(int)(c.NextDouble() * losses.Length)];
        int[] sizes = [9, 8, 6, 1];
        const int n = 13;
        double[] D(int len, double s) => Enumerable.Range(0, len).Select(_ => (c.NextDouble() * 2 - 1) * s).ToArray();
        var w = Enumerable.Range(0, 3).Select(l => D(sizes[l] * sizes[l + 1], 0.6)).ToArray();
        var b = Enumerable.Range(0, 3).Select(l => D(sizes[l + 1], 0.3)).ToArray();
        var gamma = Enumerable.Range(0, 2).Select(l => D(sizes[l + 1], 0.5).Select(v => 1 + v).ToArray()).ToArray();
        var beta = Enumerable.Range(0, 2).Select(l => D(sizes[l + 1], 0.3)).ToArray();
        var x = D(n * sizes[0], 2);
        var y = D(n, 1);
        double[][] all = [.. w, .. b, .. gamma, .. beta];

        DenseNetwork<double> Net() => new(sizes, act, all[..3].Select(a => (double[])a.Clone()).ToArray(), all[3..6].Select(a => (double[])a.Clone()).ToArray(),
            new DenseBatchNorm<double>(all[6..8].Select(a => (double[])a.Clone()).ToArray(), all[8..10].Select(a => (double[])a.Clone()).ToArray(),
                [new double[8], new double[6]], [Enumerable.Repeat(1.0, 8).ToArray(), Enumerable.Repeat(1.0, 6).ToArray()], 0.1, 1e-5));
        double Loss() => Net().Step(x, y, n, loss, 0.7, 1e-3, 0, Rng.FromSeed(1)).Loss;

        var net = Net();
        net.Step(x, y, n, loss, 0.7, 1e-3, 0, Rng.FromSeed(1));
        double[][] grads = [.. net.WeightGradients, .. net.BiasGradients, .. net.GammaGradients, .. net.BetaGradients];
        const double h = 1e-5;
        for (var p = 0; p < all.Length; p++)
            for (var i = 0; i < all[p].Length; i++)
            {
                var v = all[p][i];
                all[p][i] = v + h;
                var up = Loss();
                all[p][i] = v - h;
                var down = Loss();
                all[p][i] = v;
                var numeric = (up - down) / (2 * h);
                if (Math.Abs(numeric - grads[p][i]) > 1e-6 * (1 + Math.Abs(numeric))) return false;
            }
        return true;
    }
}
