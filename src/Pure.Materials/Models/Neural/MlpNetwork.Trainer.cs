using System.Numerics;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;

namespace Pure.Materials.Models.Neural;

internal static partial class MlpNetwork
{
    /// <summary>One mini-batch step of training: gradients, clipping, the optimiser's update of the weights.</summary>
    private interface IBatchTrainer
    {
        /// <summary>Trains on the rows <paramref name="idx"/>; returns the batch objective and the stream after dropout.</summary>
        (double Loss, Rng Next) Step(int[] idx, Rng rng, double learningRate);

        /// <summary>The current weights (and batch-norm state) as float64 (exactly), into the arrays the stopping rules, early stopping
        /// and the model read.</summary>
        void CopyTo(double[][] coefs, double[][] intercepts, BatchNormState? bn);
    }

    /// <summary>The regressor's and the classifier's heads train on <see cref="DenseNetwork{T}"/> in the options' dtype; a head
    /// without a dense loss on the tape in float64.</summary>
    private static IBatchTrainer Trainer(MlpRegressorOptions o, IMlpHead head, List<int> sizes, double[][] coefs, double[][] intercepts, BatchNormState? bn,
        Matrix x) =>
        head.Dense is not { } dense ? bn is null ? new TapeTrainer(o, head, sizes, coefs, intercepts, x)
            : throw new NotSupportedException("batch norm trains on the dense step; the tape trainer is the reference without it")
        : o.Dtype == MlpDtype.Float32 ? new DenseTrainer<float>(o, head, dense.Loss, sizes, coefs, intercepts, bn, x, dense.Targets)
        : new DenseTrainer<double>(o, head, dense.Loss, sizes, coefs, intercepts, bn, x, dense.Targets);

    /// <summary>Training on the autodiff tape (the classifier's former path, kept as the reference the dense trainer is tested
    /// against): the head's loss on the tape's graph of the network, gradient clipping (<see cref="Optimizers.ClipGradientNorm(IReadOnlyList{double[]}, double)"/>)
    /// and <see cref="Adam"/> or <see cref="Sgd"/>, in place on the caller's float64 arrays.</summary>
    private sealed class TapeTrainer(MlpRegressorOptions o, IMlpHead head, List<int> sizes, double[][] coefs, double[][] intercepts, Matrix x) : IBatchTrainer
    {
        private readonly IOptimizer _optimizer = Optimizer(o, coefs.Select(c => c.Length).Concat(intercepts.Select(b => b.Length)).ToArray());

        public (double Loss, Rng Next) Step(int[] idx, Rng rng, double learningRate)
        {
            var (loss, grads, next) = BatchGradients(o, head, sizes, coefs, intercepts, x, idx, rng);
            if (o.MaxGradNorm is { } maxNorm) Optimizers.ClipGradientNorm(grads, maxNorm);
            _optimizer.Step([.. coefs, .. intercepts], grads, learningRate);
            return (loss, next);
        }

        public void CopyTo(double[][] c, double[][] b, BatchNormState? bn) { } // the weights are the caller's arrays
    }

    /// <summary>Training on <see cref="DenseNetwork{T}"/> in float64 or float32: the network's step, gradient clipping, and Adam
    /// (AdamW with weight_decay) or SGD as scikit-learn's <c>AdamOptimizer</c> / <c>SGDOptimizer</c> (<see cref="DenseOptimizer{T}"/>:
    /// the update rules of <see cref="Adam"/> and <see cref="Sgd"/>, generic over the dtype and vectorised, equal to them bit for bit in
    /// float64), on a copy of the training rows made once.</summary>
    /// <remarks>In float64 the weights are the caller's arrays, updated in place, and every value is the one the autodiff tape
    /// gives for the same graph (the step equals the tape bit for bit, <c>tests/.../Core/DenseNetworkTests.cs</c>; the optimiser
    /// <see cref="DenseOptimizer{T}"/> gives <see cref="Adam"/>'s and <see cref="Sgd"/>'s bits). In float32 the same objective, initial weights (rounded), batches and random
    /// draws run in single precision, with Adam's bias-corrected step size computed in float64 and then rounded; the gradient
    /// norm for max_grad_norm is summed in float64.</remarks>
    private sealed class DenseTrainer<T> : IBatchTrainer where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly MlpRegressorOptions _o;
        private readonly Func<double[], int[], double>? _reported;
        private readonly DenseLoss _loss;
        private readonly DenseNetwork<T> _net;
        private readonly T[] _x;
        private readonly T[] _y;
        private readonly int _cols;
        private readonly T[] _batchX;
        private readonly T[] _batchY;
        private readonly DenseOptimizer<T> _optimizer;

        public DenseTrainer(MlpRegressorOptions o, IMlpHead head, DenseLoss loss, List<int> sizes, double[][] coefs, double[][] intercepts, BatchNormState? bn,
            Matrix x, IReadOnlyList<double> y)
        {
            _o = o;
            _reported = head.Reported;
            _loss = loss;
            static T[] Own(double[] a) => typeof(T) == typeof(double) ? (T[])(object)a : a.Select(T.CreateTruncating).ToArray();
            var batchNorm = bn is null ? null : new DenseBatchNorm<T>(bn.Gamma.Select(Own).ToArray(), bn.Beta.Select(Own).ToArray(),
                bn.RunningMean.Select(Own).ToArray(), bn.RunningVariance.Select(Own).ToArray(), T.CreateTruncating(o.BatchNormMomentum),
                T.CreateTruncating(o.BatchNormEpsilon));
            _net = new DenseNetwork<T>([.. sizes], CoreActivation(o.Activation), coefs.Select(Own).ToArray(), intercepts.Select(Own).ToArray(), batchNorm);
            _cols = x.Cols;
            _x = new T[x.Rows * x.Cols];
            for (var i = 0; i < x.Rows; i++)
            {
                var row = x.Row(i);
                for (var j = 0; j < row.Length; j++) _x[i * _cols + j] = T.CreateTruncating(row[j]);
            }
            _y = y.Select(T.CreateTruncating).ToArray();
            var batch = Math.Clamp(o.BatchSize ?? 200, 1, Math.Max(1, x.Rows)); // the largest batch Train makes
            _batchX = new T[batch * _cols];
            _batchY = new T[batch];
            int[] lengths = [.. Parameters.Select(p => p.Length)];
            _optimizer = o.Solver == MlpSolver.Adam
                ? DenseOptimizer<T>.Adam(new AdamOptions(o.Beta1, o.Beta2, o.Epsilon, WeightDecay: o.WeightDecay), lengths)
                : DenseOptimizer<T>.Sgd(new SgdOptions(o.Momentum, o.NesterovsMomentum), lengths);
        }

        public (double Loss, Rng Next) Step(int[] idx, Rng rng, double learningRate)
        {
            var n = idx.Length;
            for (var r = 0; r < n; r++)
            {
                _x.AsSpan(idx[r] * _cols, _cols).CopyTo(_batchX.AsSpan(r * _cols));
                _batchY[r] = _y[idx[r]];
            }
            var (value, next) = _net.Step(_batchX, _batchY, n, _loss, _o.HuberDelta, _o.Alpha, _o.Dropout, rng);
            if (_reported is not null) value = _reported(Widen(_net.Output), idx) + _net.Penalty; // the tape's r0 + penalty
            T[][] grads = [.. _net.WeightGradients, .. _net.BiasGradients, .. _net.GammaGradients, .. _net.BetaGradients];
            if (_o.MaxGradNorm is { } maxNorm)
            {
                if (grads is double[][] g64) Optimizers.ClipGradientNorm(g64, maxNorm);
                else Optimizers.ClipGradientNorm((float[][])(object)grads, maxNorm);
            }
            _optimizer.Step(Parameters, grads, learningRate);
            return (value, next);
        }

        /// <summary>Every trained array in the optimiser's order: weights, biases, then (batch norm) gammas and betas.</summary>
        private T[][] Parameters => [.. _net.Weights, .. _net.Biases, .. _net.BatchNorm?.Gamma ?? [], .. _net.BatchNorm?.Beta ?? []];

        private static void Widen(T[][] from, double[][] to)
        {
            for (var l = 0; l < to.Length; l++)
                if (!ReferenceEquals(from[l], to[l]))
                    for (var i = 0; i < to[l].Length; i++) to[l][i] = double.CreateTruncating(from[l][i]);
        }

        private static double[] Widen(ReadOnlySpan<T> values)
        {
            var d = new double[values.Length];
            for (var i = 0; i < d.Length; i++) d[i] = double.CreateTruncating(values[i]);
            return d;
        }

        public void CopyTo(double[][] coefs, double[][] intercepts, BatchNormState? bn)
        {
            if (bn is not null && _net.BatchNorm is { } b)
            {
                Widen(b.Gamma, bn.Gamma);
                Widen(b.Beta, bn.Beta);
                Widen(b.RunningMean, bn.RunningMean);
                Widen(b.RunningVariance, bn.RunningVariance);
            }
            for (var l = 0; l < coefs.Length; l++)
            {
                if (ReferenceEquals(coefs[l], _net.Weights[l])) continue; // float64: the same arrays
                for (var i = 0; i < coefs[l].Length; i++) coefs[l][i] = double.CreateTruncating(_net.Weights[l][i]);
                for (var i = 0; i < intercepts[l].Length; i++) intercepts[l][i] = double.CreateTruncating(_net.Biases[l][i]);
            }
        }
    }
}
