using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Neighbors;
using Pure.Materials.Models.Classification;

using Pure.Materials.Scale;

namespace Pure.Materials.Pipelines;

/// <summary>The classification learners, each declared once as a <see cref="LearnerSpec{TOptions, TLearner}"/> (see <see cref="Learners"/>
/// for the regression ones).</summary>
public static class Classifiers
{
    /// <summary>Every classification learner, in the order help lists them.</summary>
    public static IReadOnlyList<ILearnerSpec<ClassifierLearner>> Registry =>
        [LogisticRegressionSpec, GaussianNaiveBayesSpec, KNeighborsSpec, SupportVectorSettings.SvcSpec, TreeClassifiers.RandomForestSpec,
         TreeClassifiers.DecisionTreeSpec, TreeClassifiers.ExtraTreesSpec, TreeClassifiers.HistGradientBoostingSpec, NeuralClassifiers.MlpSpec];

    /// <summary>The names accepted by <see cref="Parse"/>.</summary>
    public static IReadOnlyList<string> Names => Registry.Select(s => s.Name).ToArray();

    /// <summary>Declares a classification learner from its typed fit function and how a fitted model predicts and, when given, how its
    /// fitted models are saved (<paramref name="write"/>) and loaded (<paramref name="read"/>) in model files.</summary>
    internal static LearnerSpec<TOptions, ClassifierLearner> Classifier<TOptions, TModel>(string name, string estimator, string doc, TOptions defaults,
        IReadOnlyList<Parameter<TOptions>> parameters, Func<TOptions, Matrix, IReadOnlyList<int>, Rng, Validation<Problem, TModel>> fit,
        Func<TOptions, TModel, ClassifierPredictor> predictor, ScaleStrategy defaultScale = ScaleStrategy.Standard,
        Func<TModel, StateNode>? write = null, Func<TOptions, StateReader, Validation<Problem, TModel>>? read = null) where TModel : notnull
    {
        var spec = new LearnerSpec<TOptions, ClassifierLearner>(name, estimator, doc, defaults, parameters,
            (o, list) => new ClassifierLearner(name, list, (x, y, rng) => fit(o, x, y, rng).Map(m => predictor(o, m))), defaultScale);
        return write is not null && read is not null ? spec.WithFormat(write, read, (o, m) => predictor(o, m)) : spec;
    }

    /// <summary><c>logistic</c>: scikit-learn <c>LogisticRegression</c> with an L2 penalty (see <see cref="Models.Classification.LogisticRegression"/>).</summary>
    public static LearnerSpec<LogisticRegressionOptions, ClassifierLearner> LogisticRegressionSpec { get; } = Classifier("logistic", "LogisticRegression",
        "L2-penalised binary or multinomial logistic regression by Newton's method", new LogisticRegressionOptions(),
        [
            Parameter.Float<LogisticRegressionOptions>("C", "> 0", "inverse penalty strength", o => o.C, (o, v) => o with { C = v }),
            Parameter.Bool<LogisticRegressionOptions>("fit_intercept", "fit unpenalised intercepts", o => o.FitIntercept, (o, v) => o with { FitIntercept = v }),
            Parameter.Int<LogisticRegressionOptions>("max_iter", ">= 1", "most Newton iterations", o => o.MaxIter, (o, v) => o with { MaxIter = v }),
            Parameter.Float<LogisticRegressionOptions>("tol", "> 0", "gradient tolerance relative to max(1, objective)", o => o.Tol, (o, v) => o with { Tol = v }),
        ],
        (o, x, y, _) => Models.Classification.LogisticRegression.Fit(o, x, y),
        (_, m) => new ClassifierPredictor("logistic", m.Classes, xs => Models.Classification.LogisticRegression.PredictProba(m, xs), m), ScaleStrategy.Standard,
        Models.Classification.LogisticRegression.Write, Models.Classification.LogisticRegression.Read);

    /// <summary><c>gnb</c>: scikit-learn <c>GaussianNB</c> (see <see cref="Models.Classification.GaussianNaiveBayes"/>).</summary>
    public static LearnerSpec<GaussianNaiveBayesOptions, ClassifierLearner> GaussianNaiveBayesSpec { get; } = Classifier("gnb", "GaussianNB",
        "Gaussian naive Bayes", new GaussianNaiveBayesOptions(),
        [Parameter.Float<GaussianNaiveBayesOptions>("var_smoothing", ">= 0", "share of the largest feature variance added to every variance", o => o.VarSmoothing, (o, v) => o with { VarSmoothing = v })],
        (o, x, y, _) => Models.Classification.GaussianNaiveBayes.Fit(o, x, y),
        (_, m) => new ClassifierPredictor("gnb", m.Classes, xs => Models.Classification.GaussianNaiveBayes.PredictProba(m, xs), m), ScaleStrategy.Standard,
        Models.Classification.GaussianNaiveBayes.Write, Models.Classification.GaussianNaiveBayes.Read);

    /// <summary><c>knn</c>: scikit-learn <c>KNeighborsClassifier</c> (see <see cref="Models.Classification.KNeighborsClassifier"/>).</summary>
    public static LearnerSpec<KNeighborsOptions, ClassifierLearner> KNeighborsSpec { get; } = Classifier("knn", "KNeighborsClassifier",
        "vote of the k nearest training rows", new KNeighborsOptions(), Learners.NeighborParameters,
        (o, x, y, _) => Models.Classification.KNeighborsClassifier.Fit(o, x, y),
        (_, m) => new ClassifierPredictor("knn", m.Classes, xs => Models.Classification.KNeighborsClassifier.PredictProba(m, xs), m), ScaleStrategy.Standard,
        Models.Classification.KNeighborsClassifier.Write, Models.Classification.KNeighborsClassifier.Read);

    /// <summary>Logistic regression as a classifier learner (see <see cref="Models.Classification.LogisticRegression"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static ClassifierLearner LogisticRegression(LogisticRegressionOptions options) => LogisticRegressionSpec.Build(options);

    /// <summary>Gaussian naive Bayes as a classifier learner (see <see cref="Models.Classification.GaussianNaiveBayes"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static ClassifierLearner GaussianNaiveBayes(GaussianNaiveBayesOptions options) => GaussianNaiveBayesSpec.Build(options);

    /// <summary>k-nearest-neighbour classification as a learner (see <see cref="Models.Classification.KNeighborsClassifier"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static ClassifierLearner KNeighbors(KNeighborsOptions options) => KNeighborsSpec.Build(options);

    /// <summary>Finds a classification learner's declaration by name.</summary>
    /// <param name="name">A name from <see cref="Names"/>.</param>
    /// <returns>The declaration, or <c>param.unknown_model</c> listing the names.</returns>
    public static Validation<Problem, ILearnerSpec<ClassifierLearner>> Find(string name) => LearnerRegistry.Find(Registry, name, "classifier");

    /// <summary>Builds a classifier learner from its name and <c>key=value</c> settings with scikit-learn's parameter names.</summary>
    /// <param name="name">A name from <see cref="Names"/>; each learner's parameters are listed by its <see cref="ILearnerSpec.Help"/>.</param>
    /// <param name="settings">Settings; keys not declared for the learner are problems.</param>
    /// <returns>The learner, or <c>param.unknown_model</c>, <c>param.unknown</c> (naming the accepted keys), <c>param.invalid_value</c>, one per bad setting.</returns>
    public static Validation<Problem, ClassifierLearner> Parse(string name, IReadOnlyDictionary<string, string> settings) =>
        Find(name).Bind(spec => spec.Parse(settings));
}

/// <summary>An unfitted classification pipeline: impute, then scale, then a classifier, each fitted on training rows only.</summary>
/// <param name="Impute">Missing-value strategy.</param>
/// <param name="Scale">Scaling strategy.</param>
/// <param name="Learner">The classifier.</param>
public sealed record ClassifierPipelineOptions(ImputeStrategy Impute, ScaleStrategy Scale, ClassifierLearner Learner)
{
    /// <summary>Categorical columns one-hot encoded before imputation and scaling (as <see cref="PipelineOptions.OneHot"/>); null when none.</summary>
    public OneHotEncoderOptions? OneHot { get; init; }

    /// <summary>Categorical columns ordinal-encoded before imputation and scaling (as <see cref="PipelineOptions.Ordinal"/>); null when none.</summary>
    public OrdinalEncoderOptions? Ordinal { get; init; }
}

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
        FitCore(options, x, y, rng, owned: false);

    /// <summary>Fits as <see cref="Fit"/> does on rows that are the caller's private copy (overwritten), which an ordinal encoder codes in
    /// place (as <c>Pipeline.FitOwned</c>).</summary>
    internal static Validation<Problem, ClassifierPredictor> FitOwned(ClassifierPipelineOptions options, Matrix x, IReadOnlyList<int> y, Rng rng) =>
        FitCore(options, x, y, rng, owned: true);

    private static Validation<Problem, ClassifierPredictor> FitCore(ClassifierPipelineOptions options, Matrix x, IReadOnlyList<int> y, Rng rng, bool owned) =>
        Pipeline.FitPreprocessing(options.OneHot, options.Ordinal, options.Impute, options.Scale, x, owned).Bind(pre => options.Learner.Fit(pre.Transformed, y, rng)
            .Map(p => p with { PredictProba = a => p.PredictProba(pre.Transform(a)), PredictLabels = p.PredictLabels is { } labels ? a => labels(pre.Transform(a)) : null }));
}
