using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Scale;
using Pure.Materials.Split;

namespace Pure.Materials.Cluster;

/// <summary>Options of a representative split: how many k-means clusters the descriptor space is cut into.</summary>
/// <param name="Clusters">Number of k-means clusters, at least 2 (default 5); every cluster must hold at least 2 rows for a held-out
/// split and at least k rows for k folds.</param>
/// <param name="NInit">k-means++ starts; the one of least inertia is kept (default 4).</param>
public sealed record RepresentativeSplitOptions(int Clusters = 5, int NInit = 4);

/// <summary>Splits rows so that training and test rows are drawn from every region of the descriptor space: the rows are clustered
/// with k-means and each cluster is split in proportion ("cluster analysis for training set randomization").</summary>
/// <remarks>
/// Steps: the features are mean-imputed (NaN cells) and standardised (z-scores, so no descriptor dominates the distances by its unit),
/// clustered by k-means (<see cref="KMeans"/>, k-means++ with <see cref="RepresentativeSplitOptions.NInit"/> starts), then the cluster
/// labels are used as strata: <see cref="HoldOut"/> draws ceil(f n) test rows with each cluster's share kept (largest remainders,
/// as the stratified held-out split of <see cref="SplitScheme.Stratified"/>), <see cref="Folds"/> deals each cluster's shuffled rows to
/// k folds (<see cref="StratifiedKFold"/>). A random split can leave a small region of composition space out of the training rows
/// altogether; this one cannot, so the test error measures interpolation within the explored space (not extrapolation to a new
/// region: group the rows for that). The clustering sees every row's features but never a target, so no target information leaks.
/// Deterministic for a given stream: the clustering and the split each take their own split of the stream given.
/// Source: the Fronzi notes of the IMRC 2025 ML tutorial ("cluster analysis for training set randomization"); k-means as
/// scikit-learn 1.2.1 <c>KMeans</c>; strata as <c>StratifiedShuffleSplit</c> / <c>StratifiedKFold</c>.
/// </remarks>
public static class RepresentativeSplit
{
    /// <summary>Clusters the rows of a feature matrix as the split does (mean-impute, standardise, k-means).</summary>
    /// <param name="options">Number of clusters and starts.</param>
    /// <param name="x">Features, shape (n_rows, n_features); NaN cells are imputed with their column's mean.</param>
    /// <param name="rng">A stream for the clustering alone.</param>
    /// <returns>The cluster of each row (0 .. Clusters - 1), shape (n_rows,), or <c>param.out_of_range</c> (fewer than 2 clusters, or more
    /// than rows), <c>data.nan_feature</c> (a column with no value at all), or the problems of <see cref="KMeans.Fit"/>.</returns>
    public static Validation<Problem, int[]> Clusters(RepresentativeSplitOptions options, Matrix x, Rng rng)
    {
        if (options.Clusters < 2 || options.Clusters > x.Rows)
            return Valid.Fail<int[]>("param.out_of_range",
                $"a representative split needs 2 to {x.Rows} k-means clusters (RepresentativeSplitOptions.Clusters), found {options.Clusters}");
        return from imputer in MeanImputer.Fit(x)
               let filled = MeanImputer.Transform(imputer, x)
               from scaler in StandardScaler.Fit(filled)
               from model in KMeans.Fit(new KMeansOptions(options.Clusters, options.NInit), StandardScaler.Transform(scaler, filled), rng)
               select model.Labels.ToArray();
    }

    /// <summary>Draws one held-out test split with every cluster's share of test rows.</summary>
    /// <param name="options">Number of clusters and starts.</param>
    /// <param name="x">Features, shape (n_rows, n_features).</param>
    /// <param name="testFraction">Fraction in (0, 1) of the rows held out, e.g. 0.2.</param>
    /// <param name="rng">A stream for this split alone.</param>
    /// <returns>The split with ascending indices (ceil(f n) test rows), or the problems of <see cref="Clusters"/>,
    /// <c>split.cluster_too_small</c> (a cluster of 1 row cannot be on both sides: use fewer clusters), <c>param.out_of_range</c>.</returns>
    public static Validation<Problem, TrainTest> HoldOut(RepresentativeSplitOptions options, Matrix x, double testFraction, Rng rng)
    {
        var (clusterStream, splitStream) = rng.Split();
        return from labels in Clusters(options, x, clusterStream)
               from _ in CheckSizes(labels, options.Clusters, 2, "be on both sides of a held-out split")
               from split in new SplitScheme.Stratified(2, labels).HoldOut(x.Rows, testFraction, splitStream)
               select split;
    }

    /// <summary>Makes k folds with every cluster's rows dealt evenly to the folds.</summary>
    /// <param name="options">Number of clusters and starts.</param>
    /// <param name="x">Features, shape (n_rows, n_features).</param>
    /// <param name="k">Number of folds, at least 2.</param>
    /// <param name="rng">A stream for these folds alone.</param>
    /// <returns>k splits with ascending indices, or the problems of <see cref="Clusters"/>, <c>split.cluster_too_small</c> (a cluster
    /// with fewer than k rows), and those of <see cref="StratifiedKFold.Split"/>.</returns>
    public static Validation<Problem, TrainTest[]> Folds(RepresentativeSplitOptions options, Matrix x, int k, Rng rng)
    {
        var (clusterStream, splitStream) = rng.Split();
        return from labels in Clusters(options, x, clusterStream)
               from _ in CheckSizes(labels, options.Clusters, k, $"reach each of the {k} folds")
               from folds in StratifiedKFold.Split(labels, k, true, splitStream)
               select folds;
    }

    private static Validation<Problem, Unit> CheckSizes(int[] labels, int clusters, int least, string why)
    {
        var counts = new int[clusters];
        foreach (var c in labels) counts[c]++;
        var small = Enumerable.Range(0, clusters).Where(c => counts[c] < least).ToArray();
        return small.Length == 0
            ? Valid.Ok(Unit.Default)
            : Valid.Fail<Unit>("split.cluster_too_small",
                $"{small.Length} of the {clusters} k-means clusters hold fewer than {least} rows ({string.Join(", ", small.Take(5).Select(c => $"cluster {c}: {counts[c]}"))}"
                + $"{(small.Length > 5 ? ", ..." : "")}), too few to {why}; use fewer clusters (RepresentativeSplitOptions.Clusters)");
    }
}
