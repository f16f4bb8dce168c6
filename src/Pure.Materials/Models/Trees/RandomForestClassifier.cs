using System.Text;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Classification;

namespace Pure.Materials.Models.Trees;

/// <summary>Names the split criterion of a classification tree (scikit-learn <c>criterion</c>).</summary>
public enum ClassificationCriterion
{
    /// <summary>Gini impurity <c>1 - sum_k p_k^2</c> (<c>"gini"</c>, the default).</summary>
    Gini,

    /// <summary>Shannon entropy in bits <c>-sum_k p_k log2 p_k</c> (<c>"entropy"</c>, or <c>"log_loss"</c> as scikit-learn 1.2).</summary>
    Entropy,
}

/// <summary>Holds the hyperparameters of a random-forest classifier, with scikit-learn <c>RandomForestClassifier</c> names and defaults.</summary>
/// <remarks>As <see cref="RandomForestOptions"/>, except <see cref="MaxFeatures"/> defaults to <c>sqrt</c> (scikit-learn &gt;= 1.1) and the
/// criterion is Gini or entropy. A single tree is <c>NEstimators = 1, Bootstrap = false, MaxFeatures = All</c> (scikit-learn <c>DecisionTreeClassifier</c>).
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

    /// <summary>Smallest weighted decrease of impurity (Gini, or entropy in bits) a split must achieve (<c>min_impurity_decrease</c>), at least 0; default 0.</summary>
    public double MinImpurityDecrease { get; init; } = 0.0;

    /// <summary>Largest number of leaves per tree (<c>max_leaf_nodes</c>); <c>null</c> (default) for unlimited.</summary>
    public int? MaxLeafNodes { get; init; } = null;

    /// <summary>Bootstrap samples per tree (<c>bootstrap</c>); default <c>true</c>.</summary>
    public bool Bootstrap { get; init; } = true;

    /// <summary>Bootstrap size as a fraction of the rows (<c>max_samples</c>); <c>null</c> (default) for n.</summary>
    public double? MaxSamples { get; init; } = null;

    /// <summary>Whether to compute out-of-bag class probabilities and accuracy (<c>oob_score</c>); default <c>false</c>. Needs <see cref="Bootstrap"/>.</summary>
    public bool OobScore { get; init; } = false;

    /// <summary>Threads over trees (<c>n_jobs</c>); the model does not depend on it.</summary>
    public int? NJobs { get; init; } = null;
}


/// <summary>Fits and applies random-forest (and extra-trees) classifiers for two or more classes, as scikit-learn's <c>RandomForestClassifier</c>
/// and <c>ExtraTreesClassifier</c>.</summary>
/// <remarks>
/// <para>Each tree is a CART classification tree grown on its bootstrap sample (duplicates are integer weights) with the Gini or entropy
/// criterion (<see cref="ClassificationTreeBuilder"/>): a single tree without randomness (<c>NEstimators = 1, Bootstrap = false,
/// MaxFeatures = All</c>) has scikit-learn's splits, thresholds, class counts and probabilities. A tree's probabilities are its leaf's class
/// fractions; the forest sums them over the trees in order and divides by the number of trees (<c>predict_proba</c>) and predicts the most
/// probable class (the smallest label on a tie).</para>
/// <para>Out of bag (<see cref="RandomForestClassifierOptions.OobScore"/>): a row's <c>oob_decision_function_</c> is the mean of the
/// probabilities of the trees whose bootstrap sample left it out; a row in every sample gets all-zero probabilities (scikit-learn 1.2.1
/// warns and does the same), and <c>oob_score_</c> is the accuracy of the arg-max over all rows.</para>
/// <para>Determinism: tree i is grown from stream i of <c>rng.SplitMany(NEstimators)</c>, so the model is bit-identical for any <c>n_jobs</c>.</para>
/// <para>Edge cases: a single class in the training labels is <c>data.single_class</c>; NaN or infinite features are <c>data.nan_feature</c>
/// (impute first); fewer rows than <c>2 min_samples_leaf</c> give a single leaf (the class frequencies).</para>
/// <para>Source: Breiman, "Random Forests" (2001); Geurts et al., "Extremely randomized trees" (2006); scikit-learn 1.2.1
/// <c>sklearn/tree/_criterion.pyx</c> (<c>Gini</c>, <c>Entropy</c>), <c>sklearn/ensemble/_forest.py</c>.</para>
/// </remarks>
public static class RandomForestClassifier
{
    /// <summary>Fits a random-forest classifier.</summary>
    /// <param name="options">Hyperparameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite.</param>
    /// <param name="y">Class labels, shape (n_samples,), at least two distinct values.</param>
    /// <param name="rng">The random stream; tree i uses stream i of <c>rng.SplitMany(NEstimators)</c>.</param>
    /// <returns>The model, or the problems of <see cref="RandomForest.Fit"/> (<c>param.out_of_range</c>, <c>param.conflict</c>,
    /// <c>data.empty</c>, <c>shape.rows_mismatch</c>, <c>data.nan_feature</c>) and <c>data.single_class</c>.</returns>
    public static Validation<Problem, RandomForestClassifierModel> Fit(RandomForestClassifierOptions options, Matrix x, IReadOnlyList<int> y, Rng rng) =>
        FitTrees(options, x, y, rng, randomSplits: false);

    internal static Validation<Problem, RandomForestClassifierModel> FitTrees(RandomForestClassifierOptions options, Matrix x, IReadOnlyList<int> y, Rng rng, bool randomSplits)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var classes = y.Distinct().Order().ToArray();
        var problems = new List<Problem>();
        var forest = new RandomForestOptions
        {
            NEstimators = options.NEstimators, MaxFeatures = options.MaxFeatures, MinSamplesSplit = options.MinSamplesSplit,
            MinSamplesLeaf = options.MinSamplesLeaf, MaxDepth = options.MaxDepth, MinImpurityDecrease = options.MinImpurityDecrease,
            MaxLeafNodes = options.MaxLeafNodes, Bootstrap = options.Bootstrap, MaxSamples = options.MaxSamples, NJobs = options.NJobs,
            OobScore = options.OobScore,
        };
        RandomForest.CheckOptions(forest, x.Cols, problems);
        ForestCore.CheckData(x, y.Select(v => (double)v).ToArray(), problems);
        if (y.Count > 0 && classes.Length < 2)
            problems.Add(new Problem("data.single_class",
                $"the training labels hold a single class ({classes[0]}) in {y.Count} sample(s); a classifier needs 2 classes: use stratified folds or more data"));
        if (problems.Count > 0) return Valid.Fail<RandomForestClassifierModel>(problems);

        int n = x.Rows, p = x.Cols;
        var index = ClassifierChecks.IndexOf(classes, y);
        var dop = ForestCore.DegreeOfParallelism(options.NJobs);
        var data = ClassificationData.Create(x, index, classes.Length, dop);
        var settings = ForestCore.Settings(forest, n, p, randomSplits);
        var (streams, _) = rng.SplitMany(options.NEstimators);
        var entropy = options.Criterion == ClassificationCriterion.Entropy;
        var trees = ForestCore.Grow<ClassificationTree>(streams, dop, () => new ClassificationTreeBuilder(data, settings, entropy).Build);
        double[]? oob = null;
        double? oobScore = null;
        if (options.OobScore)
        {
            oob = OutOfBag(trees, settings, streams, x, classes.Length, dop);
            var correct = 0;
            for (var i = 0; i < n; i++)
            {
                var best = 0;
                for (var k = 1; k < classes.Length; k++) if (oob[i * classes.Length + k] > oob[i * classes.Length + best]) best = k;
                if (best == index[i]) correct++;
            }
            oobScore = (double)correct / n;
        }
        return Valid.Ok(new RandomForestClassifierModel(options, classes, p, trees,
            oob is null ? null : Matrix.FromRowMajor(n, classes.Length, oob), oobScore));
    }

    private static double[] OutOfBag(ClassificationTree[] trees, TreeSettings settings, Rng[] streams, Matrix x, int nClasses, int dop)
    {
        int n = x.Rows, p = x.Cols;
        var xf = ForestCore.ToFloat(x);
        var inBag = ForestCore.InBag(settings, streams, n, dop);
        var result = new double[n * nClasses];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, dop) }, i =>
        {
            var acc = result.AsSpan(i * nClasses, nClasses);
            var count = 0;
            for (var t = 0; t < trees.Length; t++)
            {
                if (inBag[t][i]) continue;
                var proba = trees[t].NodeProba(trees[t].ApplyRow(xf.AsSpan(i * p, p)));
                for (var k = 0; k < nClasses; k++) acc[k] += proba[k];
                count++;
            }
            if (count > 0) for (var k = 0; k < nClasses; k++) acc[k] /= count;
        });
        return result;
    }

    /// <summary>Predicts class probabilities: the mean over trees of the leaf class fractions, summed in tree order.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, NFeatures), finite.</param>
    /// <returns>Probabilities, shape (n_samples, n_classes), column k for <c>Classes[k]</c>; rows sum to 1 (up to rounding).</returns>
    /// <exception cref="ArgumentException">When <paramref name="x"/> has the wrong shape or holds NaN.</exception>
    public static Matrix PredictProba(RandomForestClassifierModel model, Matrix x)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        var problems = ForestCore.CheckPredictInput(model.NFeatures, x);
        if (problems.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(x));
        int n = x.Rows, p = x.Cols, kc = model.Classes.Count;
        var xf = ForestCore.ToFloat(x);
        var result = new double[n * kc];
        var trees = model.Trees;
        const int blockRows = 128;
        var nBlocks = (n + blockRows - 1) / blockRows;
        Parallel.For(0, nBlocks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Math.Min(nBlocks, ForestCore.DegreeOfParallelism(model.Options.NJobs))) }, b =>
        {
            int r0 = b * blockRows, r1 = Math.Min(n, r0 + blockRows);
            foreach (var tree in trees)
                for (var r = r0; r < r1; r++)
                {
                    var proba = tree.NodeProba(tree.ApplyRow(xf.AsSpan(r * p, p)));
                    var acc = result.AsSpan(r * kc, kc);
                    for (var k = 0; k < kc; k++) acc[k] += proba[k];
                }
            for (var i = r0 * kc; i < r1 * kc; i++) result[i] /= trees.Count;
        });
        return Matrix.FromRowMajor(n, kc, result);
    }

    /// <summary>Predicts labels: the class of largest probability (the smallest label on a tie, as numpy's argmax).</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="x">Features, shape (n_samples, NFeatures), finite.</param>
    /// <returns>Labels, shape (n_samples,).</returns>
    public static int[] Predict(RandomForestClassifierModel model, Matrix x) => ClassifierPredictor.ArgMax(model.Classes, PredictProba(model, x));
}

/// <summary>Fits extremely randomized trees for classification, as scikit-learn's <c>ExtraTreesClassifier</c>: one uniform random threshold
/// per drawn feature, the best of those kept; no bootstrap by default.</summary>
/// <remarks>Uses <see cref="RandomForestClassifierOptions"/>; start from <see cref="Defaults"/> (scikit-learn's defaults: <c>bootstrap=False</c>,
/// <c>max_features="sqrt"</c>, gini). Everything else (probabilities, out of bag, determinism) is as <see cref="RandomForestClassifier"/>.
/// Source: Geurts, Ernst, Wehenkel, "Extremely randomized trees", Machine Learning 63 (2006); scikit-learn 1.2.1 <c>RandomSplitter</c>.</remarks>
public static class ExtraTreesClassifier
{
    /// <summary>scikit-learn 1.2.1 <c>ExtraTreesClassifier</c> defaults: 100 trees, <c>max_features="sqrt"</c>, no bootstrap.</summary>
    public static RandomForestClassifierOptions Defaults { get; } = new() { Bootstrap = false };

    /// <summary>Fits an extra-trees classifier.</summary>
    /// <param name="options">Hyperparameters (see <see cref="Defaults"/>).</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite.</param>
    /// <param name="y">Class labels, shape (n_samples,), at least two distinct values.</param>
    /// <param name="rng">The random stream; tree i uses stream i of <c>rng.SplitMany(NEstimators)</c>.</param>
    /// <returns>The model (predict with <see cref="RandomForestClassifier.PredictProba"/>), or the problems of <see cref="RandomForestClassifier.Fit"/>.</returns>
    public static Validation<Problem, RandomForestClassifierModel> Fit(RandomForestClassifierOptions options, Matrix x, IReadOnlyList<int> y, Rng rng) =>
        RandomForestClassifier.FitTrees(options, x, y, rng, randomSplits: true);
}

/// <summary>Holds a fitted random-forest or extra-trees classifier.</summary>
public sealed record RandomForestClassifierModel : IHasFeatureImportances
{
    IReadOnlyList<double> IHasFeatureImportances.FeatureImportances => _featureImportances;

    private readonly ClassificationTree[] _trees;
    private readonly Vec<double> _featureImportances;

    internal RandomForestClassifierModel(RandomForestClassifierOptions options, int[] classes, int nFeatures, ClassificationTree[] trees,
        Matrix? oobDecisionFunction, double? oobScore)
    {
        Options = options;
        Classes = Vec.Of<int>(classes);
        NFeatures = nFeatures;
        _trees = trees;
        Trees = Vec.Own(trees);
        OobDecisionFunction = oobDecisionFunction;
        OobScore = oobScore;
        _featureImportances = Vec.Own(ForestCore.AverageImportances(trees, nFeatures));
    }

    /// <summary>The options the model was fitted with.</summary>
    public RandomForestClassifierOptions Options { get; }

    /// <summary>The labels, ascending (<c>classes_</c>), shape (n_classes,).</summary>
    public IReadOnlyList<int> Classes { get; }

    /// <summary>Number of features (<c>n_features_in_</c>).</summary>
    public int NFeatures { get; }

    /// <summary>The trees (<c>estimators_</c>), in stream order.</summary>
    public IReadOnlyList<ClassificationTree> Trees { get; }

    /// <summary>Out-of-bag class probabilities, shape (n_samples, n_classes) (<c>oob_decision_function_</c>); <c>null</c> unless
    /// <see cref="RandomForestClassifierOptions.OobScore"/>. A row never out of bag has all-zero probabilities, as scikit-learn.</summary>
    public Matrix? OobDecisionFunction { get; }

    /// <summary>Accuracy of the arg-max of <see cref="OobDecisionFunction"/> over all rows (<c>oob_score_</c>); <c>null</c> unless requested.</summary>
    public double? OobScore { get; }

    /// <summary>Impurity-based importances (<c>feature_importances_</c>): the mean of the trees' normalised importances (trees with more
    /// than one node), renormalised to sum to 1; all zero when every tree is a single leaf.</summary>
    public double[] FeatureImportances => _featureImportances.ToArray();

    /// <summary>The trees viewed as regression trees predicting the probability of class index <paramref name="k"/> (for TreeSHAP).</summary>
    /// <param name="k">Class index in [0, n_classes).</param>
    /// <returns>One regression tree per tree, in order.</returns>
    public IReadOnlyList<RegressionTree> TreesForClass(int k) => _trees.Select(t => t.ForClass(k)).ToArray();

    /// <summary>Compares two models structurally.</summary>
    /// <param name="other">The other model.</param>
    /// <returns><c>true</c> when options, classes, every tree and the out-of-bag estimates are equal (NaN equals NaN).</returns>
    public bool Equals(RandomForestClassifierModel? other) =>
        other is not null && (ReferenceEquals(this, other)
            || (Options == other.Options && Classes.Equals(other.Classes) && NFeatures == other.NFeatures && Trees.Equals(other.Trees)
                && OobDecisionFunction == other.OobDecisionFunction && Nullable.Equals(OobScore, other.OobScore)));

    /// <summary>Hashes the options and shapes.</summary>
    /// <returns>A hash consistent with equality.</returns>
    public override int GetHashCode() => HashCode.Combine(Options, NFeatures, _trees.Length);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Options = {Options}, Classes = [{string.Join(", ", Classes)}], NFeatures = {NFeatures}, TreeCount = {_trees.Length}");
        return true;
    }

    /// <summary>Writes the forest for a model file: <c>classes_</c>, <c>n_features_in_</c>, out-of-bag results when present and every
    /// tree (<c>estimators_</c>).</summary>
    /// <returns>The state.</returns>
    internal StateNode Write()
    {
        var node = new StateNode().Ints("classes_", Classes.ToArray()).Int("n_features_in_", NFeatures);
        if (OobDecisionFunction is { } oob) node.Matrix("oob_decision_function_", oob);
        if (OobScore is { } s) node.Float("oob_score_", s);
        return node.Nodes("estimators_", _trees.Select(t => t.Write()));
    }

    /// <summary>Reads a forest written by <see cref="Write"/>: <c>n_estimators</c> trees over the model's classes and features, each checked
    /// (<see cref="TreeState.ReadLayout"/>); out-of-bag results present exactly when the options ask for them.</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    internal static Validation<Problem, RandomForestClassifierModel> Read(RandomForestClassifierOptions options, StateReader r)
    {
        if (options.NEstimators < 1) r.Fail("estimators_", $"the recorded n_estimators={options.NEstimators}; a forest has at least one tree");
        var classes = ClassifierChecks.ReadClasses(r);
        var p = r.Int("n_features_in_", 1, ModelState.MaxFeatures);
        foreach (var name in (string[])["oob_decision_function_", "oob_score_"])
            if (r.Has(name) != options.OobScore)
                r.Fail(name, options.OobScore ? "missing (the model was fitted with oob_score=true)" : "present, but the model was fitted with oob_score=false");
        if (!r.Ok) return Valid.Fail<RandomForestClassifierModel>(r.Problems);
        var oob = options.OobScore ? ModelState.Matrix(r, "oob_decision_function_", null, classes.Length) : null;
        double? score = options.OobScore ? r.Float("oob_score_") : null;
        var trees = r.Ok ? r.Nodes("estimators_", options.NEstimators, options.NEstimators).Select(t => ClassificationTree.Read(t, p, classes.Length)!).ToArray() : [];
        return ModelState.Finish(r, () => new RandomForestClassifierModel(options, classes, p, trees, oob, score));
    }
}
