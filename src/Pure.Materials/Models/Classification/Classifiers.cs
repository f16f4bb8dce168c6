using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Neighbors;

namespace Pure.Materials.Models.Classification;

/// <summary>Builds classifiers from option records or from scikit-learn-style <c>key=value</c> settings.</summary>
public static class Classifiers
{
    /// <summary>The names accepted by <see cref="Parse"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["logistic", "gnb", "knn", "svc", "rf", "tree", "extra-trees", "gbm"];

    /// <summary>Logistic regression as a classifier (see <see cref="Classification.LogisticRegression"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static ClassifierLearner LogisticRegression(LogisticRegressionOptions options) => new(
        "logistic",
        [new("C", D(options.C)), new("fit_intercept", options.FitIntercept ? "true" : "false"), new("max_iter", I(options.MaxIter)), new("tol", D(options.Tol))],
        (x, y, _) => Classification.LogisticRegression.Fit(options, x, y)
            .Map(m => new ClassifierPredictor("logistic", m.Classes, xs => Classification.LogisticRegression.PredictProba(m, xs), m)));

    /// <summary>Gaussian naive Bayes as a classifier (see <see cref="GaussianNaiveBayes"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static ClassifierLearner GaussianNaiveBayes(GaussianNaiveBayesOptions options) => new(
        "gnb",
        [new("var_smoothing", D(options.VarSmoothing))],
        (x, y, _) => Classification.GaussianNaiveBayes.Fit(options, x, y)
            .Map(m => new ClassifierPredictor("gnb", m.Classes, xs => Classification.GaussianNaiveBayes.PredictProba(m, xs), m)));

    /// <summary>k-nearest-neighbour classification (see <see cref="Classification.KNeighborsClassifier"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static ClassifierLearner KNeighbors(KNeighborsOptions options) => new(
        "knn",
        [new("n_neighbors", I(options.NNeighbors)), new("weights", options.Weights == NeighborWeights.Distance ? "distance" : "uniform"),
         new("metric", options.Metric == NeighborMetric.Manhattan ? "manhattan" : "euclidean")],
        (x, y, _) => Classification.KNeighborsClassifier.Fit(options, x, y)
            .Map(m => new ClassifierPredictor("knn", m.Classes, xs => Classification.KNeighborsClassifier.PredictProba(m, xs), m)));

    /// <summary>Builds a classifier from its name and <c>key=value</c> settings with scikit-learn's parameter names.</summary>
    /// <param name="name"><c>logistic</c> (C, fit_intercept, max_iter, tol), <c>gnb</c> (var_smoothing), <c>knn</c> (n_neighbors, weights, metric, p),
    /// <c>svc</c> (see <see cref="SupportVectorSettings"/>) or a tree model <c>rf</c>, <c>tree</c>, <c>extra-trees</c>, <c>gbm</c> (see <see cref="Trees.TreeClassifiers"/>).</param>
    /// <param name="settings">Settings; keys not listed for the learner are problems.</param>
    /// <returns>The learner, or <c>param.unknown_model</c>, <c>param.unknown</c>, <c>param.invalid_value</c>, one per bad setting.</returns>
    public static Validation<Problem, ClassifierLearner> Parse(string name, IReadOnlyDictionary<string, string> settings)
    {
        var problems = new List<Problem>();
        ClassifierLearner learner;
        switch (name)
        {
            case "logistic":
            {
                var o = new LogisticRegressionOptions();
                foreach (var (k, v) in settings)
                    o = k switch
                    {
                        "C" => o with { C = Learners.Double(k, v, problems, o.C) },
                        "fit_intercept" => o with { FitIntercept = Learners.Bool(k, v, problems, o.FitIntercept) },
                        "max_iter" => o with { MaxIter = Learners.Int(k, v, problems, o.MaxIter) },
                        "tol" => o with { Tol = Learners.Double(k, v, problems, o.Tol) },
                        _ => Unknown(o, name, k, ["C", "fit_intercept", "max_iter", "tol"], problems),
                    };
                learner = LogisticRegression(o);
                break;
            }
            case "gnb":
            {
                var o = new GaussianNaiveBayesOptions();
                foreach (var (k, v) in settings)
                    o = k switch
                    {
                        "var_smoothing" => o with { VarSmoothing = Learners.Double(k, v, problems, o.VarSmoothing) },
                        _ => Unknown(o, name, k, ["var_smoothing"], problems),
                    };
                learner = GaussianNaiveBayes(o);
                break;
            }
            case "knn":
            {
                var o = new KNeighborsOptions();
                foreach (var (k, v) in settings)
                    o = k switch
                    {
                        "n_neighbors" => o with { NNeighbors = Learners.Int(k, v, problems, o.NNeighbors) },
                        "weights" => Learners.ParseWeights(v, problems) is { } w ? o with { Weights = w } : o,
                        "metric" or "p" => Learners.ParseMetric(k, v, problems) is { } m ? o with { Metric = m } : o,
                        _ => Unknown(o, name, k, ["n_neighbors", "weights", "metric", "p"], problems),
                    };
                learner = KNeighbors(o);
                break;
            }
            default:
                if (Trees.TreeClassifiers.Parse(name, settings) is { } tree) return tree;
                if (SupportVectorSettings.ParseClassifier(name, settings) is { } svc) return svc;
                return Valid.Fail<ClassifierLearner>("param.unknown_model", $"unknown classifier '{name}'; use one of {string.Join(", ", Names)}");
        }
        return problems.Count == 0 ? Valid.Ok(learner) : Valid.Fail<ClassifierLearner>(problems);
    }

    private static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static T Unknown<T>(T o, string model, string key, string[] accepted, List<Problem> problems)
    {
        problems.Add(new Problem("param.unknown", $"classifier '{model}' has no parameter '{key}'; accepted: {string.Join(", ", accepted)}"));
        return o;
    }
}

/// <summary>An unfitted classification pipeline: impute, then scale, then a classifier, each fitted on training rows only.</summary>
/// <param name="Impute">Missing-value strategy.</param>
/// <param name="Scale">Scaling strategy.</param>
/// <param name="Learner">The classifier.</param>
public sealed record ClassifierPipelineOptions(ImputeStrategy Impute, ScaleStrategy Scale, ClassifierLearner Learner);

/// <summary>Fits a <see cref="ClassifierPipelineOptions"/> into a <see cref="ClassifierPredictor"/> for raw features.</summary>
/// <remarks>Same guarantees as <see cref="Pipeline"/>: the imputer and scaler only ever see the training rows.</remarks>
public static class ClassifierPipeline
{
    /// <summary>Fits imputer, scaler and classifier, in that order, on the training rows.</summary>
    /// <param name="options">The pipeline.</param>
    /// <param name="x">Training features, shape (n_train, n_features); NaN allowed when imputing.</param>
    /// <param name="y">Training labels, length n_train.</param>
    /// <param name="rng">The classifier's private random stream.</param>
    /// <returns>A predictor for raw features, or the first failing step's problems.</returns>
    public static Validation<Problem, ClassifierPredictor> Fit(ClassifierPipelineOptions options, Matrix x, IReadOnlyList<int> y, Rng rng) =>
        Pipeline.FitPreprocessing(options.Impute, options.Scale, x).Bind(pre => options.Learner.Fit(pre.Transformed, y, rng)
            .Map(p => p with { PredictProba = a => p.PredictProba(pre.Transform(a)), PredictLabels = p.PredictLabels is { } labels ? a => labels(pre.Transform(a)) : null }));
}
