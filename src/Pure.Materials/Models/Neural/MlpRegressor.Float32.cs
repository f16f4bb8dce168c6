using System.Numerics;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;

namespace Pure.Materials.Models.Neural;

public static partial class MlpRegressor
{
    /// <summary>Training in float32 (<see cref="MlpDtype.Float32"/>): the network's step on <see cref="DenseNetwork{T}"/>, gradient
    /// clipping and Adam or SGD, all in single precision, on a float32 copy of the training rows made once.</summary>
    /// <remarks>The same objective, initial weights, batches and random draws as the float64 path; only the arithmetic differs
    /// (the weights start as the float64 draws rounded to float32). Adam and SGD follow <see cref="Optimizer"/> operation for
    /// operation in float32, with Adam's bias-corrected step size of step t computed in float64 and then rounded.</remarks>
    private sealed class Float32Trainer
    {
        private readonly MlpRegressorOptions _o;
        private readonly DenseNetwork<float> _net;
        private readonly float[] _x;
        private readonly float[] _y;
        private readonly int _cols;
        private readonly float[] _batchX;
        private readonly float[] _batchY;
        private readonly float[][] _m;
        private readonly float[][] _v;
        private int _t;

        public Float32Trainer(MlpRegressorOptions o, List<int> sizes, double[][] coefs, double[][] intercepts, Matrix x, IReadOnlyList<double> y)
        {
            _o = o;
            static float[] Narrow(double[] a) => a.Select(v => (float)v).ToArray();
            _net = new DenseNetwork<float>([.. sizes], CoreActivation(o.Activation), coefs.Select(Narrow).ToArray(), intercepts.Select(Narrow).ToArray());
            _cols = x.Cols;
            _x = new float[x.Rows * x.Cols];
            for (var i = 0; i < x.Rows; i++)
            {
                var row = x.Row(i);
                for (var j = 0; j < row.Length; j++) _x[i * _cols + j] = (float)row[j];
            }
            _y = y.Select(v => (float)v).ToArray();
            var batch = Math.Min(o.BatchSize ?? 200, x.Rows);
            _batchX = new float[Math.Max(batch, 1) * _cols];
            _batchY = new float[Math.Max(batch, 1)];
            _m = [.. _net.Weights.Select(w => new float[w.Length]), .. _net.Biases.Select(b => new float[b.Length])];
            _v = [.. _m.Select(m => new float[m.Length])];
        }

        /// <summary>One mini-batch: gradients, clipping, the optimiser's step. Returns the batch objective and the stream after dropout.</summary>
        public (double Loss, Rng Next) Step(int[] idx, Rng rng, double learningRate)
        {
            var n = idx.Length;
            for (var r = 0; r < n; r++)
            {
                _x.AsSpan(idx[r] * _cols, _cols).CopyTo(_batchX.AsSpan(r * _cols));
                _batchY[r] = _y[idx[r]];
            }
            var loss = _o.Loss switch { MlpLoss.Huber => DenseLoss.Huber, MlpLoss.AbsoluteError => DenseLoss.Absolute, _ => DenseLoss.HalfSquared };
            var (value, next) = _net.Step(_batchX, _batchY, n, loss, _o.HuberDelta, _o.Alpha, _o.Dropout, rng);
            float[][] parameters = [.. _net.Weights, .. _net.Biases];
            float[][] grads = [.. _net.WeightGradients, .. _net.BiasGradients];
            if (_o.MaxGradNorm is { } maxNorm)
            {
                var sq = 0.0; // the norm in float64, summed in order
                foreach (var g in grads)
                    foreach (var v in g) sq += (double)v * v;
                var norm = Math.Sqrt(sq);
                if (norm > maxNorm)
                {
                    var s = (float)(maxNorm / norm);
                    foreach (var g in grads)
                        for (var i = 0; i < g.Length; i++) g[i] *= s;
                }
            }
            Update(parameters, grads, learningRate);
            return (value, next);
        }

        private void Update(float[][] parameters, float[][] grads, double learningRate)
        {
            _t++;
            if (_o.Solver == MlpSolver.Adam)
            {
                var lr = (float)(learningRate * Math.Sqrt(1 - Math.Pow(_o.Beta2, _t)) / (1 - Math.Pow(_o.Beta1, _t)));
                float b1 = (float)_o.Beta1, b2 = (float)_o.Beta2, c1 = (float)(1 - _o.Beta1), c2 = (float)(1 - _o.Beta2), eps = (float)_o.Epsilon;
                for (var p = 0; p < parameters.Length; p++)
                {
                    var (w, g, m, v) = (parameters[p], grads[p], _m[p], _v[p]);
                    var i = 0;
                    // The same operations lane by lane (IEEE square root and division are correctly rounded at any width).
                    for (; i <= w.Length - Vector<float>.Count; i += Vector<float>.Count)
                    {
                        var gi = new Vector<float>(g, i);
                        var mi = new Vector<float>(b1) * new Vector<float>(m, i) + new Vector<float>(c1) * gi;
                        var vi = new Vector<float>(b2) * new Vector<float>(v, i) + new Vector<float>(c2) * (gi * gi);
                        mi.CopyTo(m, i);
                        vi.CopyTo(v, i);
                        (new Vector<float>(w, i) + new Vector<float>(-lr) * mi / (Vector.SquareRoot(vi) + new Vector<float>(eps))).CopyTo(w, i);
                    }
                    for (; i < w.Length; i++)
                    {
                        m[i] = b1 * m[i] + c1 * g[i];
                        v[i] = b2 * v[i] + c2 * (g[i] * g[i]);
                        w[i] += -lr * m[i] / (MathF.Sqrt(v[i]) + eps);
                    }
                }
                return;
            }
            float rate = (float)learningRate, momentum = (float)_o.Momentum;
            for (var p = 0; p < parameters.Length; p++)
            {
                var (w, g, velocity) = (parameters[p], grads[p], _m[p]);
                for (var i = 0; i < w.Length; i++)
                {
                    velocity[i] = momentum * velocity[i] - rate * g[i];
                    w[i] += _o.NesterovsMomentum ? momentum * velocity[i] - rate * g[i] : velocity[i];
                }
            }
        }

        /// <summary>The current weights, widened to float64 (exactly), for the stopping rules, early stopping and the model.</summary>
        public void CopyTo(double[][] coefs, double[][] intercepts)
        {
            for (var l = 0; l < coefs.Length; l++)
            {
                for (var i = 0; i < coefs[l].Length; i++) coefs[l][i] = _net.Weights[l][i];
                for (var i = 0; i < intercepts[l].Length; i++) intercepts[l][i] = _net.Biases[l][i];
            }
        }
    }
}
