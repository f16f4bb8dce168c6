using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Classification;

/// <summary>Hyper-parameters of Gaussian naive Bayes (scikit-learn <c>GaussianNB</c> names and defaults).</summary>
public sealed record GaussianNaiveBayesOptions
{
    /// <summary><c>var_smoothing</c>: share of the largest feature variance added to every variance, &gt;= 0. Default 1e-9.</summary>
    public double VarSmoothing { get; init; } = 1e-9;
}

/// <summary>A fitted Gaussian naive Bayes model.</summary>
/// <param name="Options">The hyper-parameters.</param>
/// <param name="Classes"><c>classes_</c>, ascending.</param>
/// <param name="ClassPrior"><c>class_prior_</c>: training frequencies, shape (n_classes,).</param>
/// <param name="Theta"><c>theta_</c>: per-class feature means, shape (n_classes, n_features).</param>
/// <param name="Var"><c>var_</c>: per-class feature variances (population) plus epsilon, shape (n_classes, n_features).</param>
/// <param name="Epsilon"><c>epsilon_</c> = var_smoothing * max_j var(X_j).</param>
public sealed record GaussianNaiveBayesModel(GaussianNaiveBayesOptions Options, IReadOnlyList<int> Classes, IReadOnlyList<double> ClassPrior,
    IReadOnlyList<double[]> Theta, IReadOnlyList<double[]> Var, double Epsilon)
{
    /// <summary><c>classes_</c>, ascending.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<int> Classes { get; init => field = Vec.From(value); } = Vec.From(Classes);

    /// <summary><c>class_prior_</c>: training frequencies, shape (n_classes,).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> ClassPrior { get; init => field = Vec.From(value); } = Vec.From(ClassPrior);

    /// <summary><c>theta_</c>: per-class feature means, shape (n_classes, n_features).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double[]> Theta { get; init => field = Vec.NestedArrays(value); } = Vec.NestedArrays(Theta);

    /// <summary><c>var_</c>: per-class feature variances (population) plus epsilon, shape (n_classes, n_features).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double[]> Var { get; init => field = Vec.NestedArrays(value); } = Vec.NestedArrays(Var);
}

/// <summary>Fits and applies Gaussian naive Bayes.</summary>
/// <remarks>
/// log P(k | x) = log prior_k - (1/2) sum_j [log(2 pi var_kj) + (x_j - theta_kj)^2 / var_kj] - log Z, features independent given the class;
/// probabilities by a stable log-sum-exp. Deterministic. Source: scikit-learn 1.2.1 <c>sklearn/naive_bayes.py</c> (<c>GaussianNB</c>).
/// </remarks>
public static class GaussianNaiveBayes
{
    /// <summary>Fits the model.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite.</param>
    /// <param name="y">Labels, length n_samples, at least 2 distinct values.</param>
    /// <returns>The model, or <c>param.out_of_range</c> (var_smoothing &lt; 0), the problems of <see cref="ClassifierChecks.Check"/>,
    /// <c>data.zero_variance</c> (a class with zero variance in a feature while var_smoothing is 0 or every feature is constant).</returns>
    public static Validation<Problem, GaussianNaiveBayesModel> Fit(GaussianNaiveBayesOptions options, Matrix x, IReadOnlyList<int> y)
    {
        var check = ClassifierChecks.Check(x, y);
        var problems = new List<Problem>(check.Problems());
        if (!(options.VarSmoothing >= 0) || double.IsInfinity(options.VarSmoothing))
            problems.Add(new Problem("param.out_of_range", $"var_smoothing must be a finite number >= 0, found {options.VarSmoothing}; try 1e-9"));
        if (problems.Count > 0) return Valid.Fail<GaussianNaiveBayesModel>(problems);
        var classes = check.OrThrow();
        var yi = ClassifierChecks.IndexOf(classes, y);
        int n = x.Rows, p = x.Cols, k = classes.Length;
        var maxVar = 0.0;
        for (var j = 0; j < p; j++)
        {
            var col = x.Column(j);
            var mean = col.Average();
            maxVar = Math.Max(maxVar, col.Sum(v => (v - mean) * (v - mean)) / n);
        }
        var epsilon = options.VarSmoothing * maxVar;
        var counts = new int[k];
        foreach (var c in yi) counts[c]++;
        var theta = Enumerable.Range(0, k).Select(_ => new double[p]).ToArray();
        var variance = Enumerable.Range(0, k).Select(_ => new double[p]).ToArray();
        for (var i = 0; i < n; i++)
            for (var j = 0; j < p; j++) theta[yi[i]][j] += x[i, j];
        for (var c = 0; c < k; c++) for (var j = 0; j < p; j++) theta[c][j] /= counts[c];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < p; j++) { var d = x[i, j] - theta[yi[i]][j]; variance[yi[i]][j] += d * d; }
        for (var c = 0; c < k; c++)
            for (var j = 0; j < p; j++)
            {
                variance[c][j] = variance[c][j] / counts[c] + epsilon;
                if (variance[c][j] <= 0)
                    return Valid.Fail<GaussianNaiveBayesModel>("data.zero_variance",
                        $"class {classes[c]} has zero variance in feature {j} and var_smoothing gives no floor; use var_smoothing > 0 or drop constant features");
            }
        var prior = counts.Select(c => (double)c / n).ToArray();
        return Valid.Ok(new GaussianNaiveBayesModel(options, classes, prior, theta, variance, epsilon));
    }

    /// <summary>Predicts class probabilities.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>Probabilities, shape (n_samples, n_classes).</returns>
    public static Matrix PredictProba(GaussianNaiveBayesModel model, Matrix x)
    {
        var k = model.Classes.Count;
        var data = new double[x.Rows * k];
        var jll = new double[k];
        for (var i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            for (var c = 0; c < k; c++)
            {
                var s = Math.Log(model.ClassPrior[c]);
                var th = Vec.Row(model.Theta, c);
                var va = Vec.Row(model.Var, c);
                var logDet = 0.0;
                var quad = 0.0;
                for (var j = 0; j < row.Length; j++)
                {
                    logDet += Math.Log(2 * Math.PI * va[j]);
                    var d = row[j] - th[j];
                    quad += d * d / va[j];
                }
                jll[c] = s - 0.5 * logDet - 0.5 * quad;
            }
            LogisticRegression.Softmax(jll, data.AsSpan(i * k, k));
        }
        return Matrix.Own(x.Rows, k, data);
    }

    /// <summary>Predicts labels (highest probability).</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>Labels, shape (n_samples,).</returns>
    public static int[] Predict(GaussianNaiveBayesModel model, Matrix x) => ClassifierPredictor.ArgMax(model.Classes, PredictProba(model, x));

    /// <summary>Writes a fitted model for a model file: <c>classes_</c>, <c>class_prior_</c>, <c>theta_</c>, <c>var_</c>, <c>epsilon_</c>.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The state.</returns>
    internal static StateNode Write(GaussianNaiveBayesModel model)
    {
        var p = model.Theta.Count > 0 ? model.Theta[0].Length : 0;
        return new StateNode().Ints("classes_", model.Classes.ToArray()).Floats("class_prior_", model.ClassPrior.ToArray())
            .Matrix("theta_", ModelState.FromRows(model.Theta, p)).Matrix("var_", ModelState.FromRows(model.Var, p)).Float("epsilon_", model.Epsilon);
    }

    /// <summary>Reads a model written by <see cref="Write"/>: priors in (0, 1], means finite, variances finite and &gt; 0, one row per class.</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    internal static Validation<Problem, GaussianNaiveBayesModel> Read(GaussianNaiveBayesOptions options, StateReader r)
    {
        var classes = ClassifierChecks.ReadClasses(r);
        var prior = r.Ok ? ModelState.Positives(r, "class_prior_", classes.Length) : [];
        if (r.Ok && Array.FindIndex(prior, v => v > 1) is var bad and >= 0) r.Fail("class_prior_", $"element {bad} is above 1");
        var theta = r.Ok ? ModelState.Matrix(r, "theta_", classes.Length) : Matrix.FromRowMajor(0, 0, []);
        var variance = r.Ok ? ModelState.Matrix(r, "var_", classes.Length, theta.Cols) : theta;
        if (r.Ok && variance.Data.IndexOfAnyExceptInRange(double.Epsilon, double.MaxValue) is var zero and >= 0) r.Fail("var_", $"element {zero} is not > 0");
        var epsilon = r.Float("epsilon_");
        return ModelState.Finish(r, () => new GaussianNaiveBayesModel(options, classes, prior,
            Enumerable.Range(0, theta.Rows).Select(c => theta.Row(c).ToArray()).ToArray(),
            Enumerable.Range(0, variance.Rows).Select(c => variance.Row(c).ToArray()).ToArray(), epsilon));
    }
}
