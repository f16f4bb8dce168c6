using System.Text;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>Names the split criterion of a classification tree (scikit-learn <c>criterion</c>).</summary>
public enum ClassificationCriterion
{
    /// <summary>Gini impurity <c>1 - sum_k p_k^2</c> (<c>"gini"</c>, the default).</summary>
    Gini,

    /// <summary>Entropy <c>-sum_k p_k log p_k</c> (<c>"entropy"</c>); not implemented yet: <see cref="RandomForestClassifier.Fit"/> reports <c>param.unsupported</c>.</summary>
    Entropy,
}

/// <summary>Holds the hyperparameters of a random-forest classifier, with scikit-learn <c>RandomForestClassifier</c> names and defaults.</summary>
/// <remarks>As <see cref="RandomForestOptions"/>, except <see cref="MaxFeatures"/> defaults to <c>sqrt</c> (scikit-learn &gt;= 1.1) and the
/// criterion is Gini. A single tree is <c>NEstimators = 1, Bootstrap = false, MaxFeatures = All</c> (scikit-learn <c>DecisionTreeClassifier</c>).
/// Source: scikit-learn 1.2.1 <c>sklearn.ensemble.RandomForestClassifier</c>.</remarks>
public sealed record RandomForestClassifierOptions
{
    /// <summary>Split criterion (<c>criterion</c>); default <see cref="ClassificationCriterion.Gini"/>.</summary>
    public ClassificationCriterion Criterion { get; init; } = ClassificationCriterion.Gini;

    /// <summary>Number of trees (<c>n_estimators</c>), at least 1; default 100.</summary>
    public int NEstimators { get; init; } = 100;

    /// <summary>Candidate features per node (<c>max_features</c>); default <see cref="MaxFeatures.Sqrt"/>.</summary>
    public MaxFeatures MaxFeatures { get; init; } = MaxFeatures.Sqrt;

    /// <summary>Smallest node that can be split (<c>min_samples_split</c>), at least 2; default 2.</summary>
    public int MinSamplesSplit { get; init; } = 2;

    /// <summary>Smallest leaf (<c>min_samples_leaf</c>), at least 1; default 1.</summary>
    public int MinSamplesLeaf { get; init; } = 1;

    /// <summary>Largest depth (<c>max_depth</c>); <c>null</c> (default) for unlimited.</summary>
    public int? MaxDepth { get; init; } = null;

    /// <summary>Smallest weighted decrease of Gini impurity a split must achieve (<c>min_impurity_decrease</c>), at least 0; default 0.</summary>
    public double MinImpurityDecrease { get; init; } = 0.0;

    /// <summary>Largest number of leaves per tree (<c>max_leaf_nodes</c>); <c>null</c> (default) for unlimited.</summary>
    public int? MaxLeafNodes { get; init; } = null;

    /// <summary>Bootstrap samples per tree (<c>bootstrap</c>); default <c>true</c>.</summary>
    public bool Bootstrap { get; init; } = true;

    /// <summary>Bootstrap size as a fraction of the rows (<c>max_samples</c>); <c>null</c> (default) for n.</summary>
    public double? MaxSamples { get; init; } = null;

    /// <summary>Threads over trees (<c>n_jobs</c>); the model does not depend on it.</summary>
    public int? NJobs { get; init; } = null;
}

/// <summary>Fits and applies random-forest classifiers with the Gini criterion for two classes, as scikit-learn's <c>RandomForestClassifier</c>.</summary>
/// <remarks>
/// <para>For two classes, the Gini impurity of a node is <c>1 - p^2 - (1-p)^2 = 2 p (1 - p)</c>, twice the variance of the 0/1 indicator
/// of the second class, so every weighted Gini decrease is twice the squared-error decrease of a regression tree on that indicator:
/// the trees, thresholds and leaf class fractions are exactly those of <see cref="RandomForest"/> fitted on the indicator (with
/// <c>min_impurity_decrease</c> halved). A tree's probability of the second class is its leaf's weighted class fraction; the forest
/// averages the trees' probabilities (scikit-learn's <c>predict_proba</c>) and predicts the more probable class (the first on a tie).</para>
/// <para>Not yet implemented: more than two classes and the entropy criterion (<c>param.unsupported</c>), out-of-bag scores.</para>
/// <para>Edge cases: a single class in the training labels is <c>data.single_class</c>; NaN features are refused.</para>
/// <para>Source: Breiman, "Random Forests" (2001); scikit-learn 1.2.1 <c>sklearn/tree/_criterion.pyx</c> (<c>Gini</c>), <c>sklearn/ensemble/_forest.py</c>.</para>
/// </remarks>
public static class RandomForestClassifier
{
    /// <summary>Fits a binary random-forest classifier.</summary>
    /// <param name="options">Hyperparameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite.</param>
    /// <param name="y">Class labels, shape (n_samples,), exactly two distinct values.</param>
    /// <param name="rng">The random stream; tree i uses stream i of <c>rng.SplitMany(NEstimators)</c>.</param>
    /// <returns>The model, or the problems of <see cref="RandomForest.Fit"/>, <c>data.single_class</c>, <c>param.unsupported</c>
    /// (more than two classes, or the entropy criterion).</returns>
    public static Validation<Problem, RandomForestClassifierModel> Fit(RandomForestClassifierOptions options, Matrix x, IReadOnlyList<int> y, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var classes = y.Distinct().Order().ToArray();
        var problems = new List<Problem>();
        if (y.Count > 0 && classes.Length < 2)
            problems.Add(new Problem("data.single_class",
                $"the training labels hold a single class ({classes[0]}) in {y.Count} sample(s); a classifier needs 2 classes: use stratified folds or more data"));
        if (classes.Length > 2)
            problems.Add(new Problem("param.unsupported",
                $"the labels hold {classes.Length} classes; this release's tree classifiers handle 2 classes only; fix: use logistic or knn for multi-class data"));
        if (options.Criterion != ClassificationCriterion.Gini)
            problems.Add(new Problem("param.unsupported", "criterion (Criterion) is entropy; only gini is implemented in this release; fix: use criterion=gini"));
        if (problems.Count > 0) return Valid.Fail<RandomForestClassifierModel>(problems);
        var indicator = y.Select(v => v == classes[1] ? 1.0 : 0.0).ToArray();
        var forest = new RandomForestOptions
        {
            NEstimators = options.NEstimators, MaxFeatures = options.MaxFeatures, MinSamplesSplit = options.MinSamplesSplit,
            MinSamplesLeaf = options.MinSamplesLeaf, MaxDepth = options.MaxDepth, MinImpurityDecrease = options.MinImpurityDecrease / 2,
            MaxLeafNodes = options.MaxLeafNodes, Bootstrap = options.Bootstrap, MaxSamples = options.MaxSamples, NJobs = options.NJobs,
        };
        return RandomForest.Fit(forest, x, indicator, rng).Map(m => new RandomForestClassifierModel(options, classes, m));
    }

    /// <summary>Predicts class probabilities: the mean over trees of the leaf class fractions.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, NFeatures), finite.</param>
    /// <returns>Probabilities, shape (n_samples, 2), column k for <c>Classes[k]</c>; rows sum to 1.</returns>
    /// <exception cref="ArgumentException">When <paramref name="x"/> has the wrong shape or holds NaN.</exception>
    public static Matrix PredictProba(RandomForestClassifierModel model, Matrix x)
    {
        ArgumentNullException.ThrowIfNull(model);
        var p = RandomForest.Predict(model.Forest, x);
        var data = new double[p.Length * 2];
        for (var i = 0; i < p.Length; i++)
        {
            data[2 * i] = 1 - p[i];
            data[2 * i + 1] = p[i];
        }
        return Matrix.FromRowMajor(p.Length, 2, data);
    }

    /// <summary>Predicts labels: the class with the larger probability (the first class on a tie).</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, NFeatures), finite.</param>
    /// <returns>Labels, shape (n_samples,).</returns>
    public static int[] Predict(RandomForestClassifierModel model, Matrix x)
    {
        var proba = PredictProba(model, x);
        return Enumerable.Range(0, proba.Rows).Select(i => proba[i, 1] > proba[i, 0] ? model.Classes[1] : model.Classes[0]).ToArray();
    }
}

/// <summary>Holds a fitted binary random-forest classifier.</summary>
/// <param name="Options">The options.</param>
/// <param name="Classes">The two labels, ascending (<c>classes_</c>).</param>
/// <param name="Forest">The underlying forest on the indicator of <c>Classes[1]</c>: its leaf values are class-1 fractions, its
/// importances are the Gini importances (<c>feature_importances_</c>), and it can be explained with TreeSHAP (in probability units).</param>
public sealed record RandomForestClassifierModel(RandomForestClassifierOptions Options, IReadOnlyList<int> Classes, RandomForestModel Forest)
{
    /// <summary>Gini importances (<c>feature_importances_</c>), summing to 1.</summary>
    public double[] FeatureImportances => Forest.FeatureImportances;

    /// <summary>Compares two models structurally.</summary>
    /// <param name="other">The other model.</param>
    /// <returns><c>true</c> when options, classes and forests are equal.</returns>
    public bool Equals(RandomForestClassifierModel? other) =>
        other is not null && Options == other.Options && Classes.SequenceEqual(other.Classes) && Forest.Equals(other.Forest);

    /// <summary>Hashes the options and forest.</summary>
    /// <returns>A hash consistent with equality.</returns>
    public override int GetHashCode() => HashCode.Combine(Options, Forest);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Options = {Options}, Classes = [{string.Join(", ", Classes)}], Forest = {Forest}");
        return true;
    }
}
