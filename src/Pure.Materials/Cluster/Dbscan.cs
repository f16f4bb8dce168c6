using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Cluster;

/// <summary>Holds the hyper-parameters of DBSCAN (inert values).</summary>
/// <param name="Eps">Neighbourhood radius (Euclidean, in feature units), &gt; 0; default 0.5 (scikit-learn's).</param>
/// <param name="MinSamples">Rows within Eps (the row itself included) that make a row a core row, at least 1; default 5.</param>
public sealed record DbscanOptions(double Eps = 0.5, int MinSamples = 5);

/// <summary>A DBSCAN clustering.</summary>
/// <param name="Options">The options it was computed with.</param>
/// <param name="Labels">Cluster of each row, shape (n_samples,): 0, 1, ... in order of discovery, or -1 for noise.</param>
/// <param name="CoreRows">Indices of the core rows, ascending.</param>
public sealed record DbscanModel(DbscanOptions Options, IReadOnlyList<int> Labels, IReadOnlyList<int> CoreRows)
{
    /// <summary>Number of clusters (labels 0..ClusterCount-1).</summary>
    public int ClusterCount => Labels.Count == 0 ? 0 : Labels.Max() + 1;
}

/// <summary>Density-based clustering (DBSCAN): clusters are maximal sets of density-connected rows; the rest is noise.</summary>
/// <remarks>
/// A row is core when at least MinSamples rows (itself included) lie within distance Eps (inclusive). Rows are visited in order;
/// each unlabelled core row starts a new cluster that grows by depth-first search through core rows; a border row joins the
/// first cluster that reaches it. Deterministic; labels equal scikit-learn's <c>DBSCAN(eps, min_samples)</c>. Brute-force
/// neighbourhoods, O(n^2 p) time.
/// Source: scikit-learn 1.2.1 <c>DBSCAN</c>, <c>_dbscan_inner.dbscan_inner</c>; Ester, Kriegel, Sander, Xu, KDD 1996.
/// </remarks>
public static class Dbscan
{
    /// <summary>Clusters the rows.</summary>
    /// <param name="options">Radius and core size.</param>
    /// <param name="x">Data, shape (n_samples, n_features), finite.</param>
    /// <returns>The clustering, or <c>param.out_of_range</c> (Eps &lt;= 0, MinSamples &lt; 1) and <c>data.nan_feature</c>.</returns>
    public static Validation<Problem, DbscanModel> Fit(DbscanOptions options, Matrix x)
    {
        var problems = new List<Problem>();
        if (!(options.Eps > 0) || double.IsInfinity(options.Eps))
            problems.Add(new Problem("param.out_of_range", $"DBSCAN eps = {options.Eps}; use a finite radius > 0 in feature units (scale the features first)"));
        if (options.MinSamples < 1) problems.Add(new Problem("param.out_of_range", $"DBSCAN min_samples = {options.MinSamples}; use at least 1"));
        if (x.Data.ToArray().Any(v => !double.IsFinite(v)))
            problems.Add(new Problem("data.nan_feature", "the data hold NaN or infinite values; impute them before clustering"));
        if (problems.Count > 0) return Valid.Fail<DbscanModel>(problems);

        var n = x.Rows;
        var eps2 = options.Eps * options.Eps;
        var neighbours = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            neighbours[i] = [];
            for (var j = 0; j < n; j++)
                if (KMeans.Sq(x.Row(i), x.Row(j)) <= eps2) neighbours[i].Add(j);
        }
        var core = neighbours.Select(nb => nb.Count >= options.MinSamples).ToArray();
        var labels = Enumerable.Repeat(-1, n).ToArray();
        var label = 0;
        var stack = new Stack<int>();
        for (var start = 0; start < n; start++)
        {
            if (labels[start] != -1 || !core[start]) continue;
            var i = start;
            while (true)
            {
                if (labels[i] == -1)
                {
                    labels[i] = label;
                    if (core[i])
                        foreach (var v in neighbours[i])
                            if (labels[v] == -1) stack.Push(v);
                }
                if (stack.Count == 0) break;
                i = stack.Pop();
            }
            label++;
        }
        return Valid.Ok(new DbscanModel(options, labels, Enumerable.Range(0, n).Where(i => core[i]).ToArray()));
    }
}
