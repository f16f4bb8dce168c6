using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models;

/// <summary>A fitted regressor as a pure function from features to predictions.</summary>
/// <param name="Name">The learner's name (e.g. <c>rf</c>).</param>
/// <param name="Predict">Maps features, shape (n_samples, n_features), to predictions, length n_samples.</param>
/// <param name="Model">The learner's own fitted model record (e.g. <c>RidgeModel</c>), for inspection. Inside a pipeline it was fitted
/// on imputed and scaled features: the learner's own predict functions give wrong numbers on raw rows, so predict through
/// <paramref name="Predict"/> and <paramref name="PredictWithStd"/>, which transform them first.</param>
/// <param name="PredictWithStd">For learners with an uncertainty (<c>PredictsStd</c>): maps features to the same
/// predictions as <paramref name="Predict"/> (bit for bit) and a standard deviation per row in target units (Gaussian process: the
/// posterior std of y; forests: the spread of the trees' predictions); null otherwise.</param>
public sealed record Predictor(string Name, Func<Matrix, double[]> Predict, object Model, Func<Matrix, (double[] Mean, double[] Std)>? PredictWithStd = null);

/// <summary>An unfitted regressor: a name, its hyper-parameters, and a pure fit function.</summary>
/// <param name="Name">Short name used on the command line: <c>rf</c>, <c>ridge</c>.</param>
/// <param name="Parameters">Every hyper-parameter with scikit-learn's name and the value used (recorded in reports).</param>
/// <param name="Fit">Fits on (X, y) with a private random stream; same inputs and stream give the same predictor.</param>
public sealed record Learner(
    string Name,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    Func<Matrix, IReadOnlyList<double>, Rng, Validation<Problem, Predictor>> Fit);
