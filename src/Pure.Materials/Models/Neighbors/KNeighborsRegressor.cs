using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Neighbors;

/// <summary>How neighbours' votes are weighted (scikit-learn <c>weights</c>).</summary>
public enum NeighborWeights
{
    /// <summary><c>uniform</c>: every neighbour counts the same.</summary>
    Uniform,
    /// <summary><c>distance</c>: weight 1/d; a query at distance 0 from training rows takes only those rows.</summary>
    Distance,
}

/// <summary>Distance between rows (scikit-learn <c>metric="minkowski"</c> with <c>p</c> = 2 or 1).</summary>
public enum NeighborMetric
{
    /// <summary>Euclidean, sqrt(sum_k (a_k - b_k)^2) (<c>p=2</c>).</summary>
    Euclidean,
    /// <summary>Manhattan, sum_k |a_k - b_k| (<c>p=1</c>).</summary>
    Manhattan,
}

/// <summary>Hyper-parameters of k-nearest-neighbour learners (scikit-learn <c>KNeighborsRegressor</c>/<c>KNeighborsClassifier</c> names and defaults).</summary>
public sealed record KNeighborsOptions
{
    /// <summary><c>n_neighbors</c>: k, in [1, n_train]. Default 5.</summary>
    public int NNeighbors { get; init; } = 5;

    /// <summary><c>weights</c>. Default uniform.</summary>
    public NeighborWeights Weights { get; init; } = NeighborWeights.Uniform;

    /// <summary><c>metric</c> (or <c>p</c>: 2 euclidean, 1 manhattan). Default euclidean.</summary>
    public NeighborMetric Metric { get; init; } = NeighborMetric.Euclidean;
}

/// <summary>A fitted k-nearest-neighbour regressor: the training set itself.</summary>
/// <param name="Options">The hyper-parameters it was fitted with.</param>
/// <param name="XFit">Training rows, shape (n_train, n_features).</param>
/// <param name="YFit">Training targets, length n_train.</param>
public sealed record KNeighborsRegressorModel(KNeighborsOptions Options, Matrix XFit, IReadOnlyList<double> YFit)
{
    /// <summary>Training targets, length n_train.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> YFit { get; init => field = Vec.From(value); } = Vec.From(YFit);
}

/// <summary>Predicts a target as the (weighted) mean of the k nearest training rows' targets.</summary>
/// <remarks>
/// yhat(x) = sum_{i in N_k(x)} w_i y_i / sum w_i with w_i = 1 (uniform) or 1/d(x, x_i) (distance; rows at distance 0 take all the weight).
/// Brute-force search, O(n_train n_features) per query. Neighbours at equal distance are ordered by training row index,
/// so a tie at the k-th place keeps the lower index (scikit-learn leaves that order to its search algorithm).
/// Source: scikit-learn 1.2.1 <c>sklearn/neighbors/_regression.py</c>, <c>_base._get_weights</c>.
/// </remarks>
public static class KNeighborsRegressor
{
    /// <summary>Fits (stores) the training set after checking it.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite.</param>
    /// <param name="y">Targets, length n_samples, finite.</param>
    /// <returns>The model, or <c>param.out_of_range</c> (n_neighbors &lt; 1 or &gt; n_samples), and the data problems of <see cref="Checks.Regression"/>.</returns>
    public static Validation<Problem, KNeighborsRegressorModel> Fit(KNeighborsOptions options, Matrix x, IReadOnlyList<double> y)
    {
        var problems = new List<Problem>(Checks.Regression(x, y).Problems());
        problems.AddRange(NeighborSearch.CheckK(options.NNeighbors, x.Rows));
        if (problems.Count > 0) return Valid.Fail<KNeighborsRegressorModel>(problems);
        return Valid.Ok(new KNeighborsRegressorModel(options, x, y.ToArray()));
    }

    /// <summary>Predicts with a fitted model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features of the training rows).</param>
    /// <returns>Predictions, length n_samples.</returns>
    /// <exception cref="ArgumentException">When the number of columns differs from the training rows' (a programmer error).</exception>
    public static double[] Predict(KNeighborsRegressorModel model, Matrix x)
    {
        var o = model.Options;
        var pred = new double[x.Rows];
        var yFit = Vec.AsSpan(model.YFit);
        for (var q = 0; q < x.Rows; q++)
        {
            var (ind, dist) = NeighborSearch.Nearest(model.XFit, x.Row(q), o.NNeighbors, o.Metric);
            var w = NeighborSearch.Weights(dist, o.Weights);
            double s = 0, sw = 0;
            for (var m = 0; m < ind.Length; m++) { s += w[m] * yFit[ind[m]]; sw += w[m]; }
            pred[q] = s / sw;
        }
        return pred;
    }
}

/// <summary>Writes and reads fitted neighbour regressors in model files.</summary>
internal static class KNeighborsRegressorState
{
    /// <summary>Writes the training set: <c>_fit_X</c> and <c>_y</c> (scikit-learn's attribute names).</summary>
    /// <param name="model">The model.</param>
    /// <returns>The state.</returns>
    public static StateNode Write(KNeighborsRegressorModel model) => new StateNode().Matrix("_fit_X", model.XFit).Floats("_y", model.YFit.ToArray());

    /// <summary>Reads a model written by <see cref="Write"/>: finite rows and targets, at least n_neighbors rows (else the problem
    /// <see cref="KNeighborsRegressor.Fit"/> would give).</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    public static Validation<Problem, KNeighborsRegressorModel> Read(KNeighborsOptions options, StateReader r)
    {
        var y = r.Floats("_y");
        var x = r.Ok ? ModelState.Matrix(r, "_fit_X", y.Length) : Matrix.FromRowMajor(0, 0, []);
        if (r.Ok && NeighborSearch.CheckK(options.NNeighbors, y.Length) is { Count: > 0 } bad) return Valid.Fail<KNeighborsRegressorModel>(bad);
        return ModelState.Finish(r, () => new KNeighborsRegressorModel(options, x, y));
    }
}

/// <summary>Brute-force nearest-neighbour search shared by the neighbour learners.</summary>
internal static class NeighborSearch
{
    public static List<Problem> CheckK(int k, int nTrain)
    {
        var problems = new List<Problem>();
        if (k < 1)
            problems.Add(new Problem("param.out_of_range", $"n_neighbors must be >= 1, found {k}; try n_neighbors=5"));
        else if (k > nTrain)
            problems.Add(new Problem("param.out_of_range", $"n_neighbors={k} is more than the {nTrain} training row(s); use n_neighbors <= {nTrain}"));
        return problems;
    }

    public static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b, NeighborMetric metric)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Row lengths differ: {a.Length} and {b.Length}.", nameof(b));
        var s = 0.0;
        if (metric == NeighborMetric.Manhattan)
        {
            for (var k = 0; k < a.Length; k++) s += Math.Abs(a[k] - b[k]);
            return s;
        }
        for (var k = 0; k < a.Length; k++) { var t = a[k] - b[k]; s += t * t; }
        return Math.Sqrt(s);
    }

    /// <summary>The k nearest training rows, nearest first; equal distances in training-row order.</summary>
    public static (int[] Indices, double[] Distances) Nearest(Matrix xFit, ReadOnlySpan<double> query, int k, NeighborMetric metric)
    {
        var n = xFit.Rows;
        var dist = new double[n];
        for (var i = 0; i < n; i++) dist[i] = Distance(query, xFit.Row(i), metric);
        // Keep the k best in a sorted buffer (insertion): O(n k), fine for small k.
        var bestI = new int[k];
        var bestD = new double[k];
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            var d = dist[i];
            if (count == k && !(d < bestD[k - 1])) continue;
            var pos = count < k ? count++ : k - 1;
            while (pos > 0 && bestD[pos - 1] > d) { bestD[pos] = bestD[pos - 1]; bestI[pos] = bestI[pos - 1]; pos--; }
            bestD[pos] = d;
            bestI[pos] = i;
        }
        return (bestI, bestD);
    }

    public static double[] Weights(double[] dist, NeighborWeights weights)
    {
        var w = new double[dist.Length];
        if (weights == NeighborWeights.Uniform) { Array.Fill(w, 1.0); return w; }
        var anyZero = dist.Any(d => d == 0.0);
        for (var m = 0; m < dist.Length; m++) w[m] = anyZero ? (dist[m] == 0.0 ? 1.0 : 0.0) : 1.0 / dist[m];
        return w;
    }
}
