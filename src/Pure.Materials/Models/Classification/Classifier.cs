using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Classification;

/// <summary>A fitted classifier as pure functions from features to class probabilities and labels.</summary>
/// <param name="Name">The learner's name (e.g. <c>logistic</c>).</param>
/// <param name="Classes"><c>classes_</c>: the labels seen in fit, ascending, shape (n_classes,).</param>
/// <param name="PredictProba">Maps features, shape (n_samples, n_features), to probabilities, shape (n_samples, n_classes), column k for Classes[k]; rows sum to 1.</param>
/// <param name="Model">The learner's own fitted model record, for inspection.</param>
/// <param name="PredictLabels">Optional: the model's own labels for features (e.g. SVC's one-vs-one votes, which can differ from the
/// most probable class); null means the class of highest probability.</param>
public sealed record ClassifierPredictor(string Name, IReadOnlyList<int> Classes, Func<Matrix, Matrix> PredictProba, object Model,
    Func<Matrix, int[]>? PredictLabels = null)
{
    /// <summary>Predicts labels: <see cref="PredictLabels"/> when given, else the class of highest probability (the first, i.e. smallest
    /// label, on a tie, as numpy's argmax).</summary>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>Labels, shape (n_samples,).</returns>
    public int[] Predict(Matrix x) => PredictLabels is { } labels ? labels(x) : ArgMax(Classes, PredictProba(x));

    /// <summary>Maps each row of probabilities to the class of its largest entry (first on ties).</summary>
    /// <param name="classes">The classes, one per column.</param>
    /// <param name="proba">Probabilities, shape (n_samples, n_classes).</param>
    /// <returns>Labels, shape (n_samples,).</returns>
    public static int[] ArgMax(IReadOnlyList<int> classes, Matrix proba)
    {
        var labels = new int[proba.Rows];
        for (var i = 0; i < proba.Rows; i++)
        {
            var row = proba.Row(i);
            var best = 0;
            for (var k = 1; k < row.Length; k++) if (row[k] > row[best]) best = k;
            labels[i] = classes[best];
        }
        return labels;
    }
}

/// <summary>An unfitted classifier: a name, its hyper-parameters, and a pure fit function.</summary>
/// <param name="Name">Short name used on the command line: <c>logistic</c>, <c>gnb</c>, <c>knn</c>.</param>
/// <param name="Parameters">Every hyper-parameter with scikit-learn's name and the value used (recorded in reports).</param>
/// <param name="Fit">Fits on (X, labels) with a private random stream; same inputs and stream give the same predictor.</param>
public sealed record ClassifierLearner(
    string Name,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    Func<Matrix, IReadOnlyList<int>, Rng, Validation<Problem, ClassifierPredictor>> Fit);

/// <summary>Input checks shared by the classifiers.</summary>
public static class ClassifierChecks
{
    /// <summary>Checks a classification training set and finds its classes.</summary>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <param name="y">Labels, length n_samples.</param>
    /// <returns>The classes, ascending; or every problem among <c>data.empty</c>, <c>shape.rows_mismatch</c>, <c>data.nan_feature</c>,
    /// <c>data.single_class</c> (fewer than 2 distinct labels: a classifier needs both classes in its training rows).</returns>
    public static Validation<Problem, int[]> Check(Matrix x, IReadOnlyList<int> y)
    {
        var problems = new List<Problem>(Checks.Regression(x, y.Select(v => (double)v).ToArray()).Problems());
        var classes = y.Distinct().Order().ToArray();
        if (y.Count > 0 && classes.Length < 2)
            problems.Add(new Problem("data.single_class",
                $"the training labels hold a single class ({classes[0]}) in {y.Count} sample(s); a classifier needs at least 2 classes: use stratified folds or more data"));
        return problems.Count == 0 ? Valid.Ok(classes) : Valid.Fail<int[]>(problems);
    }

    /// <summary>Most classes a model file may declare (a bound on every array sized by the class count).</summary>
    internal const int MaxClasses = 1 << 15;

    /// <summary>Reads <c>classes_</c> from a model file: at least 2 labels, strictly ascending, at most <see cref="MaxClasses"/>.</summary>
    /// <param name="r">The reader (problems are recorded on it).</param>
    /// <returns>The classes (empty after a problem).</returns>
    internal static int[] ReadClasses(StateReader r)
    {
        var classes = r.Ints("classes_");
        if (!r.Ok) return [];
        if (classes.Length < 2 || classes.Length > MaxClasses) { r.Fail("classes_", $"has {classes.Length} labels, expected 2 to {MaxClasses}"); return []; }
        for (var k = 1; k < classes.Length; k++)
            if (classes[k] <= classes[k - 1]) { r.Fail("classes_", $"element {k} ({classes[k]}) is not above element {k - 1} ({classes[k - 1]}); labels are strictly ascending"); return []; }
        return classes;
    }

    /// <summary>Indexes labels by class: y_i to k with classes[k] = y_i.</summary>
    internal static int[] IndexOf(IReadOnlyList<int> classes, IReadOnlyList<int> y)
    {
        var map = classes.Select((c, k) => (c, k)).ToDictionary(t => t.c, t => t.k);
        return y.Select(v => map[v]).ToArray();
    }
}
