using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Linear;
using Pure.Materials.Models.Trees;
using Pure.Materials.Models;

namespace Pure.Materials.Pipelines;

/// <summary>The regression learners, each declared once as a <see cref="LearnerSpec{TOptions, TLearner}"/>: <c>--set</c> parsing, the
/// parameter lists of reports, "accepted:" messages and help text are generated from the declarations.</summary>
public static partial class Learners
{
    /// <summary>Every regression learner, in the order help lists them.</summary>
    public static IReadOnlyList<ILearnerSpec<Learner>> Registry =>
        [RandomForestSpec, RidgeSpec, LinearRegressionSpec, LassoSpec, ElasticNetSpec, KernelRidgeSpec, KNeighborsSpec, GradientDescentSpec,
         DecisionTreeSpec, ExtraTreesSpec, HistGradientBoostingSpec, GaussianProcessSpec, SvrSpec, MlpSpec, MlpEnsembleSpec, DummySpec];

    /// <summary>The names accepted by <see cref="Parse"/>.</summary>
    public static IReadOnlyList<string> Names => Registry.Select(s => s.Name).ToArray();

    /// <summary>Declares a regression learner from its typed fit and predict functions and, when given, how its fitted models are saved
    /// (<paramref name="write"/>) and loaded (<paramref name="read"/>) in model files.</summary>
    internal static LearnerSpec<TOptions, Learner> Regressor<TOptions, TModel>(string name, string estimator, string doc, TOptions defaults,
        IReadOnlyList<Parameter<TOptions>> parameters, Func<TOptions, Matrix, IReadOnlyList<double>, Rng, Validation<Problem, TModel>> fit,
        Func<TModel, Matrix, double[]> predict, ScaleStrategy defaultScale = ScaleStrategy.Standard,
        Func<TModel, StateNode>? write = null, Func<TOptions, StateReader, Validation<Problem, TModel>>? read = null) where TModel : notnull
    {
        Predictor Wrap(TModel m) => new(name, xs => predict(m, xs), m, m is IPredictsStd withStd ? withStd.PredictWithStd : null);
        var spec = new LearnerSpec<TOptions, Learner>(name, estimator, doc, defaults, parameters,
            (o, list) => new Learner(name, list, (x, y, rng) => fit(o, x, y, rng).Map(Wrap)),
            defaultScale, typeof(IPredictsStd).IsAssignableFrom(typeof(TModel)));
        return write is not null && read is not null ? spec.WithFormat(write, read, (_, m) => Wrap(m)) : spec;
    }

    /// <summary><c>ridge</c>: scikit-learn <c>Ridge</c> (see <see cref="Models.Linear.Ridge"/>).</summary>
    public static LearnerSpec<RidgeOptions, Learner> RidgeSpec { get; } = Regressor("ridge", "Ridge",
        "linear least squares with an L2 penalty, ||y - Xw||^2 + alpha ||w||^2 (closed form)", new RidgeOptions(),
        [
            Parameter.Float<RidgeOptions>("alpha", ">= 0", "L2 penalty strength", o => o.Alpha, (o, v) => o with { Alpha = v }),
            Parameter.Bool<RidgeOptions>("fit_intercept", "fit an unpenalised intercept", o => o.FitIntercept, (o, v) => o with { FitIntercept = v }),
        ],
        (o, x, y, _) => Models.Linear.Ridge.Fit(o, x, y), Models.Linear.Ridge.Predict, ScaleStrategy.Standard,
        m => new StateNode().Floats("coef_", m.Coef.ToArray()).Float("intercept_", m.Intercept),
        (o, r) =>
        {
            var (coef, b) = ModelState.ReadLinear(r);
            return ModelState.Finish(r, () => new Models.Linear.RidgeModel(o, coef, b));
        });

    /// <summary><c>rf</c>: scikit-learn <c>RandomForestRegressor</c> (see <see cref="Models.Trees.RandomForest"/>).</summary>
    public static LearnerSpec<RandomForestOptions, Learner> RandomForestSpec { get; } = Regressor("rf", "RandomForestRegressor",
        "bootstrap-aggregated regression trees with random feature subsets", new RandomForestOptions(),
        [
            Parameter.Int<RandomForestOptions>("n_estimators", ">= 1", "number of trees", o => o.NEstimators, (o, v) => o with { NEstimators = v }),
            MaxFeaturesParameter<RandomForestOptions>(o => o.MaxFeatures, (o, v) => o with { MaxFeatures = v }),
            Parameter.Int<RandomForestOptions>("min_samples_split", ">= 2", "fewest samples a node needs to be split", o => o.MinSamplesSplit, (o, v) => o with { MinSamplesSplit = v }),
            Parameter.Int<RandomForestOptions>("min_samples_leaf", ">= 1", "fewest samples in a leaf", o => o.MinSamplesLeaf, (o, v) => o with { MinSamplesLeaf = v }),
            Parameter.OptionalInt<RandomForestOptions>("max_depth", ">= 1 or None (unlimited)", "largest tree depth", o => o.MaxDepth, (o, v) => o with { MaxDepth = v }),
            Parameter.Bool<RandomForestOptions>("bootstrap", "fit each tree on a bootstrap sample", o => o.Bootstrap, (o, v) => o with { Bootstrap = v }),
            Parameter.OptionalFloat<RandomForestOptions>("max_samples", "(0, 1] or None (n rows)", "bootstrap sample size as a fraction of the rows", o => o.MaxSamples, (o, v) => o with { MaxSamples = v }),
            Parameter.Float<RandomForestOptions>("min_impurity_decrease", ">= 0", "smallest weighted impurity decrease of a split", o => o.MinImpurityDecrease, (o, v) => o with { MinImpurityDecrease = v }),
            Parameter.OptionalInt<RandomForestOptions>("max_leaf_nodes", ">= 2 or None (unlimited)", "most leaves per tree (grown best first)", o => o.MaxLeafNodes, (o, v) => o with { MaxLeafNodes = v }),
            Parameter.Bool<RandomForestOptions>("oob_score", "compute out-of-bag predictions and their R^2", o => o.OobScore, (o, v) => o with { OobScore = v }),
            Parameter.OptionalInt<RandomForestOptions>("n_jobs", ">= 1, or None / -1 (every core)", "trees fitted in parallel (results do not depend on it)", o => o.NJobs, (o, v) => o with { NJobs = v }),
        ],
        (o, x, y, rng) => Models.Trees.RandomForest.Fit(o, x, y.ToArray(), rng), Models.Trees.RandomForest.Predict, ScaleStrategy.None,
        m => m.Write(), RandomForestModel.Read);

    /// <summary>The <c>max_features</c> parameter of the tree learners: <c>sqrt</c>, <c>log2</c>, an int count or a float fraction.</summary>
    internal static Parameter<T> MaxFeaturesParameter<T>(Func<T, MaxFeatures> get, Func<T, MaxFeatures, T> set) =>
        Parameter.Custom<T>("max_features", "sqrt, log2, int or float", "an int in [1, n_features], a float in (0, 1], sqrt or log2",
            "features drawn as split candidates at each node", o => get(o).ToString(),
            (o, v, ps) => MaxFeatures.Parse(v).Match(mf => set(o, mf), problems => { ps.AddRange(problems); return o; }));

    /// <summary>Ridge regression as a learner (see <see cref="Ridge"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner Ridge(RidgeOptions options) => RidgeSpec.Build(options);

    /// <summary>Random-forest regression as a learner (see <see cref="RandomForest"/>).</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <returns>The learner.</returns>
    public static Learner RandomForest(RandomForestOptions options) => RandomForestSpec.Build(options);

    /// <summary>Finds a regression learner's declaration by name.</summary>
    /// <param name="name">A name from <see cref="Names"/>.</param>
    /// <returns>The declaration, or <c>param.unknown_model</c> listing the names, or <c>param.unsupported_input</c> for a graph
    /// learner's name (<see cref="GraphLearners"/>).</returns>
    public static Validation<Problem, ILearnerSpec<Learner>> Find(string name) =>
        GraphLearners.Contains(name)
            ? Valid.Fail<ILearnerSpec<Learner>>("param.unsupported_input",
                $"model '{name}' learns from crystal structures (crystal graphs), not from rows of features; fit it on structures with FittedPipeline.FitStructures")
            : LearnerRegistry.Find(Registry, name, "model");

    /// <summary>Builds a learner from its name and <c>key=value</c> settings with scikit-learn's parameter names.</summary>
    /// <param name="name">A name from <see cref="Names"/>; each learner's parameters are listed by its <see cref="ILearnerSpec.Help"/>.</param>
    /// <param name="settings">Settings; keys not declared for the learner are problems.</param>
    /// <returns>The learner, or <c>param.unknown_model</c>, <c>param.unknown</c> (naming the accepted keys), <c>param.invalid_value</c>, one per bad setting.</returns>
    public static Validation<Problem, Learner> Parse(string name, IReadOnlyDictionary<string, string> settings) =>
        Find(name).Bind(spec => spec.Parse(settings));

    internal static bool IsNone(string v) => v is "None" or "none" or "null";

    internal static double Double(string key, string value, List<Problem> problems, double fallback)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
        problems.Add(new Problem("param.invalid_value", $"{key}={value} is not a finite number (e.g. {key}=0.5)"));
        return fallback;
    }

    internal static int Int(string key, string value, List<Problem> problems, int fallback)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return i;
        problems.Add(new Problem("param.invalid_value", $"{key}={value} is not an integer (e.g. {key}=10)"));
        return fallback;
    }

    internal static bool Bool(string key, string value, List<Problem> problems, bool fallback)
    {
        switch (value)
        {
            case "true" or "True" or "1": return true;
            case "false" or "False" or "0": return false;
            default:
                problems.Add(new Problem("param.invalid_value", $"{key}={value} is not a boolean (use true or false)"));
                return fallback;
        }
    }
}
