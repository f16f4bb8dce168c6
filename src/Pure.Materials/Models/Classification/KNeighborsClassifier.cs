using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Neighbors;

namespace Pure.Materials.Models.Classification;

/// <summary>A fitted k-nearest-neighbour classifier: the training set.</summary>
/// <param name="Options">The hyper-parameters.</param>
/// <param name="Classes"><c>classes_</c>, ascending.</param>
/// <param name="XFit">Training rows, shape (n_train, n_features).</param>
/// <param name="ClassIndex">Class index of each training row, into <paramref name="Classes"/>.</param>
public sealed record KNeighborsClassifierModel(KNeighborsOptions Options, IReadOnlyList<int> Classes, Matrix XFit, IReadOnlyList<int> ClassIndex)
{
    /// <summary><c>classes_</c>, ascending.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<int> Classes { get; init => field = Vec.From(value); } = Vec.From(Classes);

    /// <summary>Class index of each training row, into <see cref="Classes"/>.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<int> ClassIndex { get; init => field = Vec.From(value); } = Vec.From(ClassIndex);
}

/// <summary>Classifies by a (weighted) vote of the k nearest training rows.</summary>
/// <remarks>
/// P(k | x) = sum_{i in N_k(x), y_i = k} w_i / sum_{i in N_k(x)} w_i with w_i = 1 or 1/d (rows at distance 0 take all the weight); the label is
/// the most probable class, the smallest label on a tie. Neighbours at equal distance are ordered by training row index.
/// Source: scikit-learn 1.2.1 <c>sklearn/neighbors/_classification.py</c>.
/// </remarks>
public static class KNeighborsClassifier
{
    /// <summary>Fits (stores) the training set after checking it.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite.</param>
    /// <param name="y">Labels, length n_samples, at least 2 distinct values.</param>
    /// <returns>The model, or <c>param.out_of_range</c> (n_neighbors &lt; 1 or &gt; n_samples) and the problems of <see cref="ClassifierChecks.Check"/>.</returns>
    public static Validation<Problem, KNeighborsClassifierModel> Fit(KNeighborsOptions options, Matrix x, IReadOnlyList<int> y)
    {
        var check = ClassifierChecks.Check(x, y);
        var problems = new List<Problem>(check.Problems());
        problems.AddRange(NeighborSearch.CheckK(options.NNeighbors, x.Rows));
        if (problems.Count > 0) return Valid.Fail<KNeighborsClassifierModel>(problems);
        var classes = check.OrThrow();
        return Valid.Ok(new KNeighborsClassifierModel(options, classes, x, ClassifierChecks.IndexOf(classes, y)));
    }

    /// <summary>Predicts class probabilities.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>Probabilities, shape (n_samples, n_classes).</returns>
    public static Matrix PredictProba(KNeighborsClassifierModel model, Matrix x)
    {
        var k = model.Classes.Count;
        var o = model.Options;
        var data = new double[x.Rows * k];
        var classIndex = Vec.AsSpan(model.ClassIndex);
        for (var q = 0; q < x.Rows; q++)
        {
            var (ind, dist) = NeighborSearch.Nearest(model.XFit, x.Row(q), o.NNeighbors, o.Metric);
            var w = NeighborSearch.Weights(dist, o.Weights);
            var row = data.AsSpan(q * k, k);
            for (var m = 0; m < ind.Length; m++) row[classIndex[ind[m]]] += w[m];
            var total = 0.0;
            foreach (var v in row) total += v;
            for (var c = 0; c < k; c++) row[c] = Math.Min(1.0, row[c] / total);
        }
        return Matrix.Own(x.Rows, k, data);
    }

    /// <summary>Predicts labels (highest probability).</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>Labels, shape (n_samples,).</returns>
    public static int[] Predict(KNeighborsClassifierModel model, Matrix x) => ClassifierPredictor.ArgMax(model.Classes, PredictProba(model, x));

    /// <summary>Writes a fitted model for a model file: <c>classes_</c>, the training rows <c>_fit_X</c> and their class indices <c>_y</c>.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The state.</returns>
    internal static StateNode Write(KNeighborsClassifierModel model) =>
        new StateNode().Ints("classes_", model.Classes.ToArray()).Matrix("_fit_X", model.XFit).Ints("_y", model.ClassIndex.ToArray());

    /// <summary>Reads a model written by <see cref="Write"/>: finite rows, one class index in [0, n_classes) per row, at least n_neighbors rows
    /// (else the problem <see cref="Fit"/> would give).</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    internal static Validation<Problem, KNeighborsClassifierModel> Read(KNeighborsOptions options, StateReader r)
    {
        var classes = ClassifierChecks.ReadClasses(r);
        var y = r.Ok ? r.Ints("_y", null, 0, classes.Length - 1) : [];
        var x = r.Ok ? ModelState.Matrix(r, "_fit_X", y.Length) : Matrix.FromRowMajor(0, 0, []);
        if (r.Ok && NeighborSearch.CheckK(options.NNeighbors, y.Length) is { Count: > 0 } bad) return Valid.Fail<KNeighborsClassifierModel>(bad);
        return ModelState.Finish(r, () => new KNeighborsClassifierModel(options, classes, x, y));
    }
}
