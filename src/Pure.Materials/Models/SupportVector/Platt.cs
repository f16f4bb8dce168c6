namespace Pure.Materials.Models.SupportVector;

/// <summary>Platt scaling of binary decision values and pairwise coupling of class probabilities, as libsvm.</summary>
/// <remarks>
/// Sigmoid P(y = 1 | f) = 1 / (1 + exp(A f + B)) fitted by Newton's method with backtracking on the regularised targets
/// (N+ + 1)/(N+ + 2) and 1/(N- + 2) (the improved algorithm of Lin, Lin and Weng, Machine Learning 68 (2007) 267-276);
/// multi-class probabilities from pairwise ones by method 2 of Wu, Lin and Weng, JMLR 5 (2004) 975-1005.
/// Source: libsvm 3.x <c>sigmoid_train</c>, <c>sigmoid_predict</c>, <c>multiclass_probability</c> (as bundled in scikit-learn 1.2.1).
/// </remarks>
internal static class Platt
{
    /// <summary>Fits (A, B) to decision values and labels (&gt; 0 positive).</summary>
    internal static (double A, double B) SigmoidTrain(IReadOnlyList<double> dec, IReadOnlyList<double> labels)
    {
        var l = dec.Count;
        double prior1 = 0, prior0 = 0;
        for (var i = 0; i < l; i++) if (labels[i] > 0) prior1++; else prior0++;
        const int maxIter = 100;
        const double minStep = 1e-10, sigma = 1e-12, eps = 1e-5;
        var hi = (prior1 + 1.0) / (prior1 + 2.0);
        var lo = 1 / (prior0 + 2.0);
        var t = new double[l];
        var a = 0.0;
        var b = Math.Log((prior0 + 1.0) / (prior1 + 1.0));
        var fval = 0.0;
        for (var i = 0; i < l; i++)
        {
            t[i] = labels[i] > 0 ? hi : lo;
            fval += Loss(t[i], dec[i] * a + b);
        }
        for (var iter = 0; iter < maxIter; iter++)
        {
            double h11 = sigma, h22 = sigma, h21 = 0, g1 = 0, g2 = 0;
            for (var i = 0; i < l; i++)
            {
                var f = dec[i] * a + b;
                double p, q;
                if (f >= 0) { p = Math.Exp(-f) / (1.0 + Math.Exp(-f)); q = 1.0 / (1.0 + Math.Exp(-f)); }
                else { p = 1.0 / (1.0 + Math.Exp(f)); q = Math.Exp(f) / (1.0 + Math.Exp(f)); }
                var d2 = p * q;
                h11 += dec[i] * dec[i] * d2;
                h22 += d2;
                h21 += dec[i] * d2;
                var d1 = t[i] - p;
                g1 += dec[i] * d1;
                g2 += d1;
            }
            if (Math.Abs(g1) < eps && Math.Abs(g2) < eps) break;
            var det = h11 * h22 - h21 * h21;
            var dA = -(h22 * g1 - h21 * g2) / det;
            var dB = -(-h21 * g1 + h11 * g2) / det;
            var gd = g1 * dA + g2 * dB;
            var step = 1.0;
            while (step >= minStep)
            {
                double newA = a + step * dA, newB = b + step * dB, newF = 0;
                for (var i = 0; i < l; i++) newF += Loss(t[i], dec[i] * newA + newB);
                if (newF < fval + 0.0001 * step * gd) { a = newA; b = newB; fval = newF; break; }
                step /= 2.0;
            }
            if (step < minStep) break;
        }
        return (a, b);
    }

    private static double Loss(double t, double f) =>
        f >= 0 ? t * f + Math.Log(1 + Math.Exp(-f)) : (t - 1) * f + Math.Log(1 + Math.Exp(f));

    /// <summary>P(y = 1 | f) under the fitted sigmoid.</summary>
    internal static double SigmoidPredict(double dec, double a, double b)
    {
        var f = dec * a + b;
        return f >= 0 ? Math.Exp(-f) / (1.0 + Math.Exp(-f)) : 1.0 / (1 + Math.Exp(f));
    }

    /// <summary>Class probabilities p (length k) from pairwise r[i][j] = P(i | i or j), r[j][i] = 1 - r[i][j].</summary>
    internal static double[] MulticlassProbability(int k, double[,] r)
    {
        var p = new double[k];
        var q = new double[k, k];
        var qp = new double[k];
        var maxIter = Math.Max(100, k);
        var eps = 0.005 / k;
        for (var t = 0; t < k; t++)
        {
            p[t] = 1.0 / k;
            q[t, t] = 0;
            for (var j = 0; j < t; j++) { q[t, t] += r[j, t] * r[j, t]; q[t, j] = q[j, t]; }
            for (var j = t + 1; j < k; j++) { q[t, t] += r[j, t] * r[j, t]; q[t, j] = -r[j, t] * r[t, j]; }
        }
        for (var iter = 0; iter < maxIter; iter++)
        {
            var pqp = 0.0;
            for (var t = 0; t < k; t++)
            {
                qp[t] = 0;
                for (var j = 0; j < k; j++) qp[t] += q[t, j] * p[j];
                pqp += p[t] * qp[t];
            }
            var maxError = 0.0;
            for (var t = 0; t < k; t++) maxError = Math.Max(maxError, Math.Abs(qp[t] - pqp));
            if (maxError < eps) break;
            for (var t = 0; t < k; t++)
            {
                var diff = (-qp[t] + pqp) / q[t, t];
                p[t] += diff;
                pqp = (pqp + diff * (diff * q[t, t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
                for (var j = 0; j < k; j++) { qp[j] = (qp[j] + diff * q[t, j]) / (1 + diff); p[j] /= 1 + diff; }
            }
        }
        return p;
    }
}
