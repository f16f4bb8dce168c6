using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.Trees;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Models;

/// <summary>Model files, learner by learner: every fitted model in both registries is written to a <see cref="StateNode"/>, read back
/// through its spec's format, and predicts bit for bit as before; a damaged node is a <c>model.corrupt</c> problem naming the entry.</summary>
public class ModelFormatTests
{
    private static readonly string[] Columns = ["A_ion_rad", "B_ion_rad", "X_ion_rad", "A_En", "B_En", "X_En"];

    /// <summary>Perovskite descriptors (6 columns), standardised on the training rows: 150 training rows, 60 query rows; the
    /// decomposition energy as the regression target and band-gap terciles (3 classes) or halves (2 classes) as labels.</summary>
    private static readonly Lazy<(Matrix XTrain, double[] YTrain, int[] Y3, int[] Y2, Matrix XTest)> Data = new(() =>
    {
        var spec = new DatasetSpec { TargetColumn = "Decomposition Energy", FeatureColumns = [.. Columns] };
        var table = BundledData.Open("perovskite_dft").OrThrow();
        var ds = Dataset.FromTable(spec, table).OrThrow();
        var gap = Dataset.FromTable(new DatasetSpec { TargetColumn = "Band Gap", FeatureColumns = [.. Columns] }, table).OrThrow().Target!.ToArray();
        var x = ds.ColumnFeatures!;
        var train = Enumerable.Range(0, 150).ToArray();
        var test = Enumerable.Range(150, 60).ToArray();
        var xTrain = x.SelectRows(train);
        var scaler = Pure.Materials.Scale.StandardScaler.Fit(xTrain).OrThrow();
        var sorted = train.Select(i => gap[i]).Order().ToArray();
        double t1 = sorted[50], t2 = sorted[100], median = sorted[75];
        return (Pure.Materials.Scale.StandardScaler.Transform(scaler, xTrain), train.Select(i => ds.Target![i]).ToArray(),
            train.Select(i => gap[i] < t1 ? 0 : gap[i] < t2 ? 3 : 7).ToArray(), train.Select(i => gap[i] < median ? 1 : 2).ToArray(),
            Pure.Materials.Scale.StandardScaler.Transform(scaler, x.SelectRows(test)));
    });

    /// <summary>Every regressor with its defaults, and some with settings that store optional state (out-of-bag results, validation
    /// scores, other kernels).</summary>
    public static TheoryData<string, string> Regressors()
    {
        var data = new TheoryData<string, string>();
        foreach (var s in Learners.Registry) data.Add(s.Name, "");
        data.Add("rf", "oob_score=true;n_estimators=20");
        data.Add("extra-trees", "bootstrap=true;oob_score=true;n_estimators=20");
        data.Add("gbm", "early_stopping=true;loss=absolute_error;max_iter=30");
        data.Add("tree", "max_leaf_nodes=8;splitter=random");
        data.Add("knn", "weights=distance;metric=manhattan");
        data.Add("kernel-ridge", "kernel=rbf");
        data.Add("svr", "kernel=poly;degree=2");
        data.Add("gpr", "kernel=constant*rbf+constant*dot**2+white");
        data.Add("gpr", "kernel=constant*matern(nu=2.5)*rq+white;normalize_y=false");
        data.Add("gpr", "kernel=constant*ard+white;optimizer=None");
        data.Add("linear-gd", "batch_size=16;max_iter=50");
        return data;
    }

    /// <summary>Every classifier with its defaults on 3 and 2 classes, and some with optional state.</summary>
    public static TheoryData<string, string, int> Classifiers_()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var s in Classifiers.Registry) { data.Add(s.Name, "", 3); data.Add(s.Name, "", 2); }
        data.Add("rf", "oob_score=true;n_estimators=20", 3);
        data.Add("svc", "probability=false", 3);
        data.Add("gbm", "early_stopping=true;max_iter=30", 3);
        data.Add("knn", "weights=distance", 2);
        return data;
    }

    private static Dictionary<string, string> Settings(string text) =>
        text.Length == 0 ? [] : text.Split(';').Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

    /// <summary>The options a model record holds (every model record has <c>Options</c>): the loaded model's, rebuilt from the recorded
    /// parameters, must equal those it was fitted with.</summary>
    private static object? Options(object model) =>
        (model.GetType().GetProperty("Options") ?? throw new ArgumentException($"{model.GetType().Name} has no Options")).GetValue(model);

    private static long[] Bits(IEnumerable<double> values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Fact]
    public void EveryLearner_HasAModelFormat()
    {
        Assert.All(Learners.Registry, s => Assert.True(s.Format is not null, $"regressor '{s.Name}' has no model format"));
        Assert.All(Classifiers.Registry, s => Assert.True(s.Format is not null, $"classifier '{s.Name}' has no model format"));
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Regressor_WrittenAndRead_PredictsBitForBit(string name, string settings)
    {
        var (xTrain, yTrain, _, _, xTest) = Data.Value;
        var spec = Learners.Find(name).OrThrow();
        var format = Assert.IsAssignableFrom<IModelFormat>(spec.Format);
        var learner = spec.Parse(Settings(settings)).OrThrow();
        var original = learner.Fit(xTrain, yTrain, Rng.FromSeed(11)).OrThrow();
        var parameters = learner.Parameters.ToDictionary(kv => kv.Key, kv => kv.Value);

        var node = format.Write(original.Model);
        var loaded = format.Read(parameters, new StateReader(node, "")).OrThrow();
        Assert.IsType(format.ModelType, loaded);
        Assert.Equal(Options(original.Model), Options(loaded));
        Assert.Equal(original.Model, loaded); // every model record compares by content (Vec)
        Assert.Equal(original.Model.GetHashCode(), loaded.GetHashCode());
        var predictor = Assert.IsType<Predictor>(format.Predictor(parameters, loaded).OrThrow());

        Assert.Equal(Bits(original.Predict(xTest)), Bits(predictor.Predict(xTest)));
        Assert.Equal(Bits(original.Predict(xTrain)), Bits(predictor.Predict(xTrain)));
        Assert.Equal(original.PredictWithStd is null, predictor.PredictWithStd is null);
        if (original.PredictWithStd is { } withStd)
        {
            var (mean, std) = withStd(xTest);
            var (mean2, std2) = predictor.PredictWithStd!(xTest);
            Assert.Equal(Bits(mean), Bits(mean2));
            Assert.Equal(Bits(std), Bits(std2));
        }
        Assert.True(format.Write(loaded).SameAs(node), "writing the loaded model gives another state than writing the original");
    }

    [Theory]
    [MemberData(nameof(Classifiers_))]
    public void Classifier_WrittenAndRead_PredictsBitForBit(string name, string settings, int nClasses)
    {
        var (xTrain, _, y3, y2, xTest) = Data.Value;
        var spec = Classifiers.Find(name).OrThrow();
        var format = Assert.IsAssignableFrom<IModelFormat>(spec.Format);
        var learner = spec.Parse(Settings(settings)).OrThrow();
        var original = learner.Fit(xTrain, nClasses == 3 ? y3 : y2, Rng.FromSeed(11)).OrThrow();
        var parameters = learner.Parameters.ToDictionary(kv => kv.Key, kv => kv.Value);

        var node = format.Write(original.Model);
        var loaded = format.Read(parameters, new StateReader(node, "")).OrThrow();
        Assert.IsType(format.ModelType, loaded);
        Assert.Equal(Options(original.Model), Options(loaded));
        Assert.Equal(original.Model, loaded);
        Assert.Equal(original.Model.GetHashCode(), loaded.GetHashCode());
        var predictor = Assert.IsType<ClassifierPredictor>(format.Predictor(parameters, loaded).OrThrow());

        Assert.Equal(original.Classes, predictor.Classes);
        Assert.Equal(Bits(original.PredictProba(xTest).Data.ToArray()), Bits(predictor.PredictProba(xTest).Data.ToArray()));
        Assert.Equal(original.Predict(xTest), predictor.Predict(xTest));
        Assert.Equal(original.Predict(xTrain), predictor.Predict(xTrain));
        Assert.True(format.Write(loaded).SameAs(node), "writing the loaded model gives another state than writing the original");
    }

    // ---- corruption: a damaged node is a model.corrupt problem naming the entry, never an exception ----

    /// <summary>A regressor or classifier, its settings, the entry to damage (a path through nested nodes and list indices), the damage,
    /// and the entry path the problem must name.</summary>
    public static TheoryData<string, string, string, string, string> Corruptions() => new()
    {
        // linear family
        { "regression", "linear", "coef_", "nan-element", "coef_" },
        { "regression", "ridge", "coef_", "empty-floats", "coef_" },
        { "regression", "lasso", "intercept_", "remove", "intercept_" },
        { "regression", "elastic-net", "n_iter_", "huge-int", "n_iter_" },
        { "regression", "linear-gd", "coef_", "int-array", "coef_" },
        { "regression", "kernel-ridge", "X_fit_", "drop-row", "X_fit_" },
        { "regression", "kernel-ridge", "gamma", "negative", "gamma" },
        // neighbours
        { "regression", "knn", "_y", "drop-element", "_fit_X" },
        { "classification", "knn", "_y", "huge-element", "_y" },
        // single trees
        { "regression", "tree", "tree_/children_left", "point-back", "tree_/children_left" },
        { "regression", "tree", "n_features_in_", "huge-int", "n_features_in_" },
        { "classification", "tree", "estimators_/0/feature", "feature-out-of-range", "estimators_/0/children_left" },
        // forests
        { "regression", "extra-trees", "estimators_/3/children_right", "out-of-range-child", "estimators_/3/children_left" },
        { "regression", "extra-trees", "estimators_", "drop-node", "estimators_" },
        { "regression", "rf", "estimators_/0/threshold", "nan-element", "estimators_/0/threshold" },
        { "classification", "rf", "estimators_/1/value", "drop-row", "estimators_/1/value" },
        { "classification", "extra-trees", "n_features_in_", "huge-int", "n_features_in_" },
        // histogram gradient boosting
        { "regression", "gbm", "bin_threshold_counts", "huge-element", "bin_threshold_counts" },
        { "regression", "gbm", "_predictors/5/feature", "feature-out-of-range", "_predictors/5/children_left" },
        { "regression", "gbm", "_baseline_prediction", "nan", "_baseline_prediction" },
        { "regression", "gbm", "_predictors/0/single_precision", "flip", "_predictors/0/single_precision" },
        { "regression", "tree", "tree_/single_precision", "flip", "tree_/single_precision" },
        { "classification", "gbm", "_predictors/2/trees", "drop-node", "_predictors/2/trees" },
        { "classification", "gbm", "_baseline_prediction", "drop-element", "_baseline_prediction" },
        // Gaussian process
        { "regression", "gpr", "kernel_/k1/k2/length_scale", "negative-element", "kernel_/k1/k2/length_scale" },
        { "regression", "gpr", "kernel_/k2/kind", "unknown-kind", "kernel_/k2/kind" },
        { "regression", "gpr", "kernel_/k1", "swap-kernel", "kernel_" },
        { "regression", "gpr", "L_", "zero-diagonal", "L_" },
        { "regression", "gpr", "alpha_", "drop-element", "alpha_" },
        { "regression", "gpr", "_y_train_std", "negative", "_y_train_std" },
        // support vector machines
        { "regression", "svr", "support_vectors_", "drop-row", "support_vectors_" },
        { "regression", "svr", "dual_coef_", "inf-element", "dual_coef_" },
        { "classification", "svc", "n_support_", "huge-element", "n_support_" },
        { "classification", "svc", "probA_", "remove", "probA_" },
        { "classification", "svc", "intercept_", "drop-element", "intercept_" },
        { "classification", "svc", "classes_", "many-classes", "n_support_" }, // 32768 labels: 5e8 pairs, never allocated
        // logistic regression and naive Bayes
        { "classification", "logistic", "classes_", "unsorted", "classes_" },
        { "classification", "logistic", "coef_", "drop-row", "coef_" },
        { "classification", "gnb", "var_", "zero-element", "var_" },
        { "classification", "gnb", "class_prior_", "text", "class_prior_" },
        // the baseline
        { "regression", "dummy", "constant_", "nan", "constant_" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void DamagedEntry_IsAModelCorruptProblemNamingIt(string task, string name, string path, string damage, string named)
    {
        var (xTrain, yTrain, y3, _, _) = Data.Value;
        var spec = task == "regression" ? (ILearnerSpec)Learners.Find(name).OrThrow() : Classifiers.Find(name).OrThrow();
        var settings = name is "rf" or "extra-trees" ? Settings("n_estimators=10") : name == "gbm" ? Settings("max_iter=10") : [];
        object model;
        IReadOnlyList<KeyValuePair<string, string>> recorded;
        if (task == "regression")
        {
            var learner = Learners.Parse(name, settings).OrThrow();
            (model, recorded) = (learner.Fit(xTrain, yTrain, Rng.FromSeed(3)).OrThrow().Model, learner.Parameters);
        }
        else
        {
            var learner = Classifiers.Parse(name, settings).OrThrow();
            (model, recorded) = (learner.Fit(xTrain, y3, Rng.FromSeed(3)).OrThrow().Model, learner.Parameters);
        }
        var format = spec.Format!;
        var parameters = recorded.ToDictionary(kv => kv.Key, kv => kv.Value);
        var node = format.Write(model);
        Assert.True(format.Read(parameters, new StateReader(node, "learner")).IsSuccess);

        var damaged = Mutate(node, path.Split('/'), v => Damage(v, damage));
        var result = format.Read(parameters, new StateReader(damaged, "learner"));
        Assert.True(result.IsFail, $"{name}: {damage} at {path} was read without a problem");
        var problems = result.Problems().ToList();
        Assert.All(problems, p => Assert.Equal("model.corrupt", p.Code));
        Assert.Contains(problems, p => p.Message.Contains($"'learner/{named}'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("regression", "rf", "n_estimators", "0", "model.corrupt", "'learner/estimators_'")]
    [InlineData("regression", "extra-trees", "n_estimators", "0", "model.corrupt", "'learner/estimators_'")]
    [InlineData("classification", "rf", "n_estimators", "0", "model.corrupt", "'learner/estimators_'")]
    [InlineData("regression", "knn", "n_neighbors", "1000", "param.out_of_range", "n_neighbors")]
    [InlineData("classification", "knn", "n_neighbors", "0", "param.out_of_range", "n_neighbors")]
    [InlineData("regression", "gpr", "kernel", "constant*matern+white", "model.corrupt", "'learner/kernel_'")]
    [InlineData("classification", "svc", "probability", "false", "model.corrupt", "'learner/probA_'")]
    public void RecordedParametersThatDoNotFitTheState_AreAProblem(string task, string name, string key, string value, string code, string named)
    {
        // The options are rebuilt from the recorded parameters; a file whose parameters were edited must not load a model that
        // predicts NaN (a forest of no trees), throws (more neighbours than rows) or silently uses another kernel.
        var (xTrain, yTrain, y3, _, _) = Data.Value;
        var settings = name is "rf" or "extra-trees" ? Settings("n_estimators=5") : [];
        var (spec, model, recorded) = task == "regression"
            ? ((ILearnerSpec)Learners.Find(name).OrThrow(), Learners.Parse(name, settings).OrThrow().Fit(xTrain, yTrain, Rng.FromSeed(3)).OrThrow().Model,
                Learners.Parse(name, settings).OrThrow().Parameters)
            : ((ILearnerSpec)Classifiers.Find(name).OrThrow(), Classifiers.Parse(name, settings).OrThrow().Fit(xTrain, y3, Rng.FromSeed(3)).OrThrow().Model,
                Classifiers.Parse(name, settings).OrThrow().Parameters);
        var parameters = recorded.ToDictionary(kv => kv.Key, kv => kv.Value);
        var node = spec.Format!.Write(model);
        parameters[key] = value;
        var result = spec.Format.Read(parameters, new StateReader(node, "learner"));
        Assert.True(result.IsFail);
        var problems = result.Problems().ToList();
        Assert.Contains(problems, p => p.Code == code && p.Message.Contains(named, StringComparison.Ordinal));
    }

    private static object? Damage(object? value, string damage) => (damage, value) switch
    {
        ("remove", _) => null,
        ("nan", double) => double.NaN,
        ("negative", double) => -1.0,
        ("huge-int", long) => (long)int.MaxValue + 7,
        ("flip", bool b) => !b,
        ("text", _) => "0.5",
        ("unknown-kind", string) => "laplace",
        ("nan-element", StateArray { Floats: { } f } a) => a with { Floats = f.Select((v, i) => i == 0 ? double.NaN : v).ToArray() },
        ("inf-element", StateArray { Floats: { } f } a) => a with { Floats = f.Select((v, i) => i == 0 ? double.PositiveInfinity : v).ToArray() },
        ("negative-element", StateArray { Floats: { } f } a) => a with { Floats = f.Select((v, i) => i == 0 ? -v : v).ToArray() },
        ("zero-element", StateArray { Floats: { } f } a) => a with { Floats = f.Select((v, i) => i == 1 ? 0.0 : v).ToArray() },
        ("empty-floats", StateArray) => new StateArray([0], [], null),
        ("int-array", StateArray { Floats: { } f }) => new StateArray([f.Length], null, new int[f.Length]),
        ("drop-element", StateArray { Floats: { } f }) => new StateArray([f.Length - 1], f[..^1], null),
        ("drop-element", StateArray { Ints: { } n }) => new StateArray([n.Length - 1], null, n[..^1]),
        ("drop-row", StateArray { Shape: [var rows, var cols], Floats: { } f }) => new StateArray([rows - 1, cols], f[..((rows - 1) * cols)], null),
        ("huge-element", StateArray { Ints: { } n }) => new StateArray([n.Length], null, n.Select((v, i) => i == 0 ? int.MaxValue : v).ToArray()),
        ("many-classes", StateArray) => new StateArray([32768], null, Enumerable.Range(0, 32768).ToArray()),
        ("unsorted", StateArray { Ints: { } n }) => new StateArray([n.Length], null, n.Reverse().ToArray()),
        ("point-back", StateArray { Ints: { } n }) => new StateArray([n.Length], null, n.Select((v, i) => i == 0 ? 0 : v).ToArray()),
        ("out-of-range-child", StateArray { Ints: { } n }) => new StateArray([n.Length], null, n.Select((v, i) => i == 0 ? n.Length + 5 : v).ToArray()),
        ("feature-out-of-range", StateArray { Ints: { } n }) => new StateArray([n.Length], null, n.Select((v, i) => i == 0 ? 6 : v).ToArray()),
        ("zero-diagonal", StateArray { Shape: [_, var cols], Floats: { } f } a) => a with { Floats = f.Select((v, i) => i == 2 * cols + 2 ? 0.0 : v).ToArray() },
        ("drop-node", StateNode[] nodes) => nodes[..^1],
        ("swap-kernel", StateNode k) => new StateNode().Text("kind", "white").Float("noise_level", 1.0)
            .Node("noise_level_bounds", new StateNode().Bool("fixed", false).Float("lower", 1e-5).Float("upper", 1e5)),
        _ => throw new ArgumentException($"damage '{damage}' does not apply to a {value?.GetType().Name ?? "missing entry"}"),
    };

    /// <summary>Rebuilds a node with the entry at <paramref name="path"/> replaced by <paramref name="change"/> of it (null removes it).</summary>
    private static StateNode Mutate(StateNode node, ReadOnlySpan<string> path, Func<object?, object?> change)
    {
        var copy = new StateNode();
        var found = false;
        foreach (var (key, value) in node.Entries)
        {
            object? v = value;
            if (key == path[0])
            {
                found = true;
                if (path.Length == 1) v = change(value);
                else if (value is StateNode child) v = Mutate(child, path[1..], change);
                else if (value is StateNode[] list)
                {
                    var i = int.Parse(path[1], System.Globalization.CultureInfo.InvariantCulture);
                    var items = (StateNode[])list.Clone();
                    items[i] = path.Length == 2 ? (StateNode)change(items[i])! : Mutate(items[i], path[2..], change);
                    v = items;
                }
                else throw new ArgumentException($"'{key}' is not a node");
            }
            if (v is not null) Add(copy, key, v);
        }
        if (!found) throw new ArgumentException($"no entry '{path[0]}' in the written state; entries: {string.Join(", ", node.Entries.Select(e => e.Key))}");
        return copy;
    }

    private static void Add(StateNode node, string key, object value)
    {
        switch (value)
        {
            case long l: node.Int(key, l); break;
            case double d: node.Float(key, d); break;
            case bool b: node.Bool(key, b); break;
            case string s: node.Text(key, s); break;
            case StateArray { Floats: { } f, Shape: [var rows, var cols] }: node.Matrix(key, Matrix.FromRowMajor(rows, cols, f)); break;
            case StateArray { Floats: { } f }: node.Floats(key, f); break;
            case StateArray { Ints: { } n }: node.Ints(key, n); break;
            case StateNode child: node.Node(key, child); break;
            case StateNode[] list: node.Nodes(key, list); break;
            default: throw new ArgumentException($"cannot write a {value.GetType().Name}");
        }
    }
}
