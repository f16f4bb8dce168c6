namespace Pure.Materials.Models.SupportVector;

/// <summary>The signed kernel matrix Q_ab = s_a s_b K(idx_a, idx_b) of an SMO problem over positions a (libsvm's <c>SVC_Q</c> and
/// <c>SVR_Q</c>): C-SVC has one position per sample with s = y; epsilon-SVR has two per sample (s = +1 then -1).</summary>
internal sealed class SignedKernel
{
    private readonly KernelCache _cache;
    private readonly int[] _index;
    private readonly float[] _signF;
    private readonly float[][] _buffers;
    private int _next;
    private int _lastPosition = -1;
    private int _lastLength;

    internal SignedKernel(KernelCache cache, int[] index, sbyte[] sign)
    {
        _cache = cache;
        _index = index;
        _signF = sign.Select(v => (float)v).ToArray();
        _buffers = [new float[index.Length], new float[index.Length]];
        Diagonal = index.Select(i => cache.Diagonal[i]).ToArray();
    }

    /// <summary>Q_aa in double precision, by position.</summary>
    internal double[] Diagonal { get; }

    /// <summary>Q_a,b for b in [0, len): one of two alternating buffers (valid until the call after next); asking again for the
    /// column just returned (as the solver does for i after selecting the working set) returns the same buffer without recomputing.</summary>
    internal float[] Column(int a, int len)
    {
        if (a == _lastPosition && len <= _lastLength) return _buffers[1 - _next];
        var row = _cache.Row(_index[a]);
        var buffer = _buffers[_next];
        _next = 1 - _next;
        _lastPosition = a;
        _lastLength = len;
        var index = _index;
        var sign = _signF;
        // Q_ab = s_a s_b K: products of signs are exact, so this equals libsvm's (Qfloat) s_a * s_b * K.
        for (var b = 0; b < len; b++) buffer[b] = sign[b] * row[index[b]];
        if (sign[a] < 0) System.Numerics.Tensors.TensorPrimitives.Negate(buffer.AsSpan(0, len), buffer.AsSpan(0, len));
        return buffer;
    }

    internal void Swap(int a, int b)
    {
        _lastPosition = -1;
        (_index[a], _index[b]) = (_index[b], _index[a]);
        (_signF[a], _signF[b]) = (_signF[b], _signF[a]);
        (Diagonal[a], Diagonal[b]) = (Diagonal[b], Diagonal[a]);
    }
}

/// <summary>The result of <see cref="Smo.Solve"/>: alpha by original position, rho, iterations, objective, and the final gradient.</summary>
internal sealed record SmoSolution(double[] Alpha, double Rho, int Iterations, double Objective, bool ReachedMaxIter);

/// <summary>Sequential minimal optimisation with second-order working-set selection, as libsvm's <c>Solver</c>.</summary>
/// <remarks>
/// Solves min_a 0.5 a'Qa + p'a subject to y'a = 0 (y_t = +-1) and 0 &lt;= a_t &lt;= C_t. Each step takes
/// i = argmax { -y_t G_t : t in I_up } and j minimising -(b_ij)^2 / a_ij over t in I_low with -y_t G_t &lt; -y_i G_i
/// (WSS3, a_ij = Q_ii + Q_jj - 2 y_i y_j Q_ij, replaced by tau = 1e-12 when not positive), updates the pair analytically and
/// clips it to the box, and stops when m(a) - M(a) &lt; eps (max over I_up minus min over I_low of -y G). Optional shrinking
/// drops bounded variables that cannot move (every min(l, 1000) iterations) and rebuilds the gradient before stopping.
/// rho is the average of y_t G_t over free variables, else the midpoint of their feasible bounds.
/// Source: Fan, Chen and Lin, JMLR 6 (2005) 1889-1918; Chang and Lin, LIBSVM: a library for support vector machines (2011),
/// sections 4.1-4.2 and libsvm 3.x <c>svm.cpp</c> as shipped in scikit-learn 1.2.1 (max_iter = -1 means no limit).
/// </remarks>
internal sealed class Smo
{
    private const double Tau = 1e-12;
    private const byte Lower = 0, Upper = 1, Free = 2;

    private readonly int _l;
    private readonly SignedKernel _q;
    private readonly double[] _qd;
    private readonly double[] _p;
    private readonly sbyte[] _y;
    private readonly double[] _alpha;
    private readonly double[] _c;
    private readonly double _eps;
    private readonly byte[] _status;
    private readonly int[] _active;
    private readonly double[] _g;
    private readonly double[] _gBar;
    private int _activeSize;
    private bool _unshrink;

    private Smo(int l, SignedKernel q, double[] p, sbyte[] y, double[] alpha, double[] c, double eps)
    {
        _l = l;
        _q = q;
        _qd = q.Diagonal;
        _p = (double[])p.Clone();
        _y = (sbyte[])y.Clone();
        _alpha = (double[])alpha.Clone();
        _c = (double[])c.Clone();
        _eps = eps;
        _status = new byte[l];
        _active = new int[l];
        _g = new double[l];
        _gBar = new double[l];
    }

    /// <summary>Solves the problem; q's positions are permuted during the solve (it is owned by this call).</summary>
    internal static SmoSolution Solve(SignedKernel q, double[] p, sbyte[] y, double[] alpha, double[] c, double eps, bool shrinking, int maxIter)
    {
        var s = new Smo(p.Length, q, p, y, alpha, c, eps);
        return s.Run(shrinking, maxIter);
    }

    private void UpdateStatus(int i) =>
        _status[i] = _alpha[i] >= _c[i] ? Upper : _alpha[i] <= 0 ? Lower : Free;

    private SmoSolution Run(bool shrinking, int maxIter)
    {
        var l = _l;
        for (var i = 0; i < l; i++) { UpdateStatus(i); _active[i] = i; _g[i] = _p[i]; }
        _activeSize = l;
        for (var i = 0; i < l; i++)
            if (_status[i] != Lower)
            {
                var qi = _q.Column(i, l);
                var ai = _alpha[i];
                for (var j = 0; j < l; j++) _g[j] += ai * qi[j];
                if (_status[i] == Upper)
                    for (var j = 0; j < l; j++) _gBar[j] += _c[i] * qi[j];
            }

        var iter = 0;
        var counter = Math.Min(l, 1000) + 1;
        var reachedMax = false;
        while (true)
        {
            if (maxIter != -1 && iter >= maxIter) { reachedMax = true; break; }
            if (--counter == 0)
            {
                counter = Math.Min(l, 1000);
                if (shrinking) Shrink();
            }
            if (!SelectWorkingSet(out var i, out var j))
            {
                ReconstructGradient();
                _activeSize = l;
                if (!SelectWorkingSet(out i, out j)) break;
                counter = 1;
            }
            iter++;
            Step(i, j);
        }

        var rho = CalculateRho();
        var v = 0.0;
        for (var i = 0; i < l; i++) v += _alpha[i] * (_g[i] + _p[i]);
        var result = new double[l];
        for (var i = 0; i < l; i++) result[_active[i]] = _alpha[i];
        return new SmoSolution(result, rho, iter, v / 2, reachedMax);
    }

    private void Step(int i, int j)
    {
        var active = _activeSize;
        var qi = _q.Column(i, active);
        var qj = _q.Column(j, active);
        double ci = _c[i], cj = _c[j];
        double oldI = _alpha[i], oldJ = _alpha[j];
        var a = _alpha;
        if (_y[i] != _y[j])
        {
            var quad = _qd[i] + _qd[j] + 2 * qi[j];
            if (quad <= 0) quad = Tau;
            var delta = (-_g[i] - _g[j]) / quad;
            var diff = a[i] - a[j];
            a[i] += delta;
            a[j] += delta;
            if (diff > 0) { if (a[j] < 0) { a[j] = 0; a[i] = diff; } }
            else if (a[i] < 0) { a[i] = 0; a[j] = -diff; }
            if (diff > ci - cj) { if (a[i] > ci) { a[i] = ci; a[j] = ci - diff; } }
            else if (a[j] > cj) { a[j] = cj; a[i] = cj + diff; }
        }
        else
        {
            var quad = _qd[i] + _qd[j] - 2 * qi[j];
            if (quad <= 0) quad = Tau;
            var delta = (_g[i] - _g[j]) / quad;
            var sum = a[i] + a[j];
            a[i] -= delta;
            a[j] += delta;
            if (sum > ci) { if (a[i] > ci) { a[i] = ci; a[j] = sum - ci; } }
            else if (a[j] < 0) { a[j] = 0; a[i] = sum; }
            if (sum > cj) { if (a[j] > cj) { a[j] = cj; a[i] = sum - cj; } }
            else if (a[i] < 0) { a[i] = 0; a[j] = sum; }
        }

        var dI = a[i] - oldI;
        var dJ = a[j] - oldJ;
        var g = _g;
        for (var k = 0; k < active; k++) g[k] += qi[k] * dI + qj[k] * dJ;

        var wasUpperI = _status[i] == Upper;
        var wasUpperJ = _status[j] == Upper;
        UpdateStatus(i);
        UpdateStatus(j);
        if (wasUpperI != (_status[i] == Upper))
        {
            var full = _q.Column(i, _l);
            var f = wasUpperI ? -ci : ci;
            for (var k = 0; k < _l; k++) _gBar[k] += f * full[k];
        }
        if (wasUpperJ != (_status[j] == Upper))
        {
            var full = _q.Column(j, _l);
            var f = wasUpperJ ? -cj : cj;
            for (var k = 0; k < _l; k++) _gBar[k] += f * full[k];
        }
    }

    /// <summary>WSS3; false when already optimal within eps.</summary>
    private bool SelectWorkingSet(out int outI, out int outJ)
    {
        var gmax = double.NegativeInfinity;
        var gmax2 = double.NegativeInfinity;
        var gmaxIdx = -1;
        var gminIdx = -1;
        var objDiffMin = double.PositiveInfinity;
        var active = _activeSize;
        for (var t = 0; t < active; t++)
            if (_y[t] == 1)
            {
                if (_status[t] != Upper && -_g[t] >= gmax) { gmax = -_g[t]; gmaxIdx = t; }
            }
            else if (_status[t] != Lower && _g[t] >= gmax) { gmax = _g[t]; gmaxIdx = t; }

        var i = gmaxIdx;
        float[]? qi = i != -1 ? _q.Column(i, active) : null;
        for (var j = 0; j < active; j++)
        {
            if (_y[j] == 1)
            {
                if (_status[j] == Lower) continue;
                var gradDiff = gmax + _g[j];
                if (_g[j] >= gmax2) gmax2 = _g[j];
                if (gradDiff > 0)
                {
                    var quad = _qd[i] + _qd[j] - 2.0 * _y[i] * qi![j];
                    var objDiff = quad > 0 ? -(gradDiff * gradDiff) / quad : -(gradDiff * gradDiff) / Tau;
                    if (objDiff <= objDiffMin) { gminIdx = j; objDiffMin = objDiff; }
                }
            }
            else
            {
                if (_status[j] == Upper) continue;
                var gradDiff = gmax - _g[j];
                if (-_g[j] >= gmax2) gmax2 = -_g[j];
                if (gradDiff > 0)
                {
                    var quad = _qd[i] + _qd[j] + 2.0 * _y[i] * qi![j];
                    var objDiff = quad > 0 ? -(gradDiff * gradDiff) / quad : -(gradDiff * gradDiff) / Tau;
                    if (objDiff <= objDiffMin) { gminIdx = j; objDiffMin = objDiff; }
                }
            }
        }
        outI = gmaxIdx;
        outJ = gminIdx;
        return !(gmax + gmax2 < _eps || gminIdx == -1);
    }

    private void ReconstructGradient()
    {
        var l = _l;
        var active = _activeSize;
        if (active == l) return;
        for (var j = active; j < l; j++) _g[j] = _gBar[j] + _p[j];
        var nrFree = 0;
        for (var j = 0; j < active; j++) if (_status[j] == Free) nrFree++;
        if ((long)nrFree * l > 2L * active * (l - active))
        {
            for (var i = active; i < l; i++)
            {
                var qi = _q.Column(i, active);
                var s = _g[i];
                for (var j = 0; j < active; j++) if (_status[j] == Free) s += _alpha[j] * qi[j];
                _g[i] = s;
            }
        }
        else
        {
            for (var i = 0; i < active; i++)
                if (_status[i] == Free)
                {
                    var qi = _q.Column(i, l);
                    var ai = _alpha[i];
                    for (var j = active; j < l; j++) _g[j] += ai * qi[j];
                }
        }
    }

    private bool BeShrunk(int i, double gmax1, double gmax2) => _status[i] switch
    {
        Upper => _y[i] == 1 ? -_g[i] > gmax1 : -_g[i] > gmax2,
        Lower => _y[i] == 1 ? _g[i] > gmax2 : _g[i] > gmax1,
        _ => false,
    };

    private void Shrink()
    {
        var gmax1 = double.NegativeInfinity;
        var gmax2 = double.NegativeInfinity;
        for (var i = 0; i < _activeSize; i++)
        {
            if (_y[i] == 1)
            {
                if (_status[i] != Upper && -_g[i] >= gmax1) gmax1 = -_g[i];
                if (_status[i] != Lower && _g[i] >= gmax2) gmax2 = _g[i];
            }
            else
            {
                if (_status[i] != Upper && -_g[i] >= gmax2) gmax2 = -_g[i];
                if (_status[i] != Lower && _g[i] >= gmax1) gmax1 = _g[i];
            }
        }
        if (!_unshrink && gmax1 + gmax2 <= _eps * 10)
        {
            _unshrink = true;
            ReconstructGradient();
            _activeSize = _l;
        }
        for (var i = 0; i < _activeSize; i++)
            if (BeShrunk(i, gmax1, gmax2))
            {
                _activeSize--;
                while (_activeSize > i)
                {
                    if (!BeShrunk(_activeSize, gmax1, gmax2)) { SwapIndex(i, _activeSize); break; }
                    _activeSize--;
                }
            }
    }

    private void SwapIndex(int i, int j)
    {
        _q.Swap(i, j);
        (_y[i], _y[j]) = (_y[j], _y[i]);
        (_g[i], _g[j]) = (_g[j], _g[i]);
        (_status[i], _status[j]) = (_status[j], _status[i]);
        (_alpha[i], _alpha[j]) = (_alpha[j], _alpha[i]);
        (_p[i], _p[j]) = (_p[j], _p[i]);
        (_active[i], _active[j]) = (_active[j], _active[i]);
        (_gBar[i], _gBar[j]) = (_gBar[j], _gBar[i]);
        (_c[i], _c[j]) = (_c[j], _c[i]);
    }

    private double CalculateRho()
    {
        var nrFree = 0;
        double ub = double.PositiveInfinity, lb = double.NegativeInfinity, sumFree = 0;
        for (var i = 0; i < _activeSize; i++)
        {
            var yG = _y[i] * _g[i];
            if (_status[i] == Upper) { if (_y[i] == -1) ub = Math.Min(ub, yG); else lb = Math.Max(lb, yG); }
            else if (_status[i] == Lower) { if (_y[i] == 1) ub = Math.Min(ub, yG); else lb = Math.Max(lb, yG); }
            else { nrFree++; sumFree += yG; }
        }
        return nrFree > 0 ? sumFree / nrFree : (ub + lb) / 2;
    }
}
