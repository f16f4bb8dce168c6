using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Linear;
using Pure.Materials.Scale;
using Pure.Materials.Select;
using PcaTransform = Pure.Materials.Select.Pca;

namespace Pure.Materials.Pipelines;

/// <summary>An unfitted preprocessing step of a pipeline: a closed set of transforms fitted on training rows only (scikit-learn's
/// <c>Pipeline</c> steps before the final estimator).</summary>
/// <remarks>Each case names the scikit-learn transformer it reproduces. <see cref="Fit"/> sees only the rows it is given, so a pipeline
/// fitted on a fold's training rows cannot leak the fold's test rows into any step.</remarks>
public abstract record PipelineStep
{
    private PipelineStep() { }

    /// <summary>One-hot encodes categorical columns with the categories of the training rows (scikit-learn <c>OneHotEncoder(handle_unknown="ignore")</c>,
    /// see <see cref="Scale.OneHotEncoder"/>); the first step when the input has categorical columns.</summary>
    /// <param name="Options">The categorical columns and their code books.</param>
    public sealed record OneHot(OneHotEncoderOptions Options) : PipelineStep;

    /// <summary>Ordinal-encodes categorical columns in place with the categories of the training rows (scikit-learn
    /// <c>OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-1)</c>, see <see cref="Scale.OrdinalEncoder"/>);
    /// the first step when the input has categorical columns and the ordinal encoding is asked for.</summary>
    /// <param name="Options">The categorical columns and their code books.</param>
    public sealed record Ordinal(OrdinalEncoderOptions Options) : PipelineStep;

    /// <summary>Fills NaN with the column mean of the training rows (scikit-learn <c>SimpleImputer(strategy="mean")</c>).</summary>
    public sealed record MeanImpute : PipelineStep;

    /// <summary>Standardises each column to zero mean and unit variance (<c>StandardScaler</c>).</summary>
    public sealed record StandardScale : PipelineStep;

    /// <summary>Maps each column to a range (<c>MinMaxScaler</c>).</summary>
    /// <param name="Options">The target range and clipping.</param>
    public sealed record MinMaxScale(MinMaxScalerOptions Options) : PipelineStep;

    /// <summary>Expands the columns into their products up to a degree (<c>PolynomialFeatures</c>).</summary>
    /// <param name="Options">Degree, interaction-only, bias column.</param>
    public sealed record Polynomial(PolynomialFeaturesOptions Options) : PipelineStep;

    /// <summary>Projects onto the leading principal components (<c>PCA</c>).</summary>
    /// <param name="Options">Number of components and whitening.</param>
    public sealed record Pca(PcaOptions Options) : PipelineStep;

    /// <summary>Keeps the columns a selector chooses on the training rows (<c>VarianceThreshold</c>, <c>RFE</c>, <c>SelectFromModel</c>, ...).</summary>
    /// <param name="Selector">The unfitted selector.</param>
    public sealed record Select(Selector Selector) : PipelineStep;

    /// <summary>True for steps that draw random numbers (selectors may fit a randomised learner).</summary>
    internal bool IsRandom => this is Select;

    /// <summary>The step's name in reports and model files: <c>one_hot_encoder</c>, <c>ordinal_encoder</c>, <c>mean_imputer</c>, <c>standard_scaler</c>, <c>minmax_scaler</c>,
    /// <c>polynomial_features</c>, <c>pca</c>, <c>select</c>.</summary>
    public string Name => this switch
    {
        OneHot => "one_hot_encoder",
        Ordinal => "ordinal_encoder",
        MeanImpute => "mean_imputer",
        StandardScale => "standard_scaler",
        MinMaxScale => "minmax_scaler",
        Polynomial => "polynomial_features",
        Pca => "pca",
        _ => "select",
    };

    /// <summary>Fits the step on training rows.</summary>
    /// <param name="x">Training features, shape (n_train, n_features_in).</param>
    /// <param name="y">Training targets (used by supervised selectors only), length n_train.</param>
    /// <param name="rng">The step's private stream (used by selectors only).</param>
    /// <returns>The fitted step and the transformed training rows, or the transformer's problems (e.g. <c>data.constant_feature</c>,
    /// <c>data.nan_feature</c>, <c>param.out_of_range</c>).</returns>
    public Validation<Problem, (FittedStep Step, Matrix Transformed)> Fit(Matrix x, IReadOnlyList<double> y, Rng rng)
    {
        Validation<Problem, FittedStep> fitted = this switch
        {
            OneHot o => OneHotEncoder.Fit(o.Options, x).Map(m => (FittedStep)new FittedStep.OneHot(m)),
            Ordinal o => OrdinalEncoder.Fit(o.Options, x).Map(m => (FittedStep)new FittedStep.Ordinal(m)),
            MeanImpute => MeanImputer.Fit(x).Map(m => (FittedStep)new FittedStep.MeanImputer(m)),
            StandardScale => StandardScaler.Fit(x).Map(m => (FittedStep)new FittedStep.StandardScaler(m)),
            MinMaxScale s => MinMaxScaler.Fit(s.Options, x).Map(m => (FittedStep)new FittedStep.MinMaxScaler(m)),
            Polynomial p => PolynomialFeatures.Fit(p.Options, x).Map(m => (FittedStep)new FittedStep.Polynomial(m)),
            Pca p => PcaTransform.Fit(p.Options, x).Map(m => (FittedStep)new FittedStep.Pca(m)),
            Select s => s.Selector.Fit(x, y, rng).Map(subset => (FittedStep)new FittedStep.Selection(subset.Method, x.Cols, subset.Kept.ToArray())),
            _ => throw new InvalidOperationException("unreachable: PipelineStep is a closed union"),
        };
        return fitted.Map(f => (f, f.Transform(x)));
    }
}

/// <summary>A fitted preprocessing step: only learned numbers (no functions), so a fitted pipeline can be compared, saved and loaded.</summary>
public abstract record FittedStep
{
    private FittedStep() { }

    /// <summary>A fitted one-hot encoder.</summary>
    /// <param name="Model">The categories of each categorical column in the training rows.</param>
    public sealed record OneHot(OneHotEncoderModel Model) : FittedStep;

    /// <summary>A fitted ordinal encoder.</summary>
    /// <param name="Model">The categories of each categorical column in the training rows.</param>
    public sealed record Ordinal(OrdinalEncoderModel Model) : FittedStep;

    /// <summary>A fitted mean imputer.</summary>
    /// <param name="Model">Column means of the training rows.</param>
    public sealed record MeanImputer(MeanImputerModel Model) : FittedStep;

    /// <summary>A fitted standard scaler.</summary>
    /// <param name="Model">Means and scales of the training rows.</param>
    public sealed record StandardScaler(StandardScalerModel Model) : FittedStep;

    /// <summary>A fitted min-max scaler.</summary>
    /// <param name="Model">Ranges of the training rows.</param>
    public sealed record MinMaxScaler(MinMaxScalerModel Model) : FittedStep;

    /// <summary>Fitted polynomial features.</summary>
    /// <param name="Model">The exponent of every output column.</param>
    public sealed record Polynomial(PolynomialFeaturesModel Model) : FittedStep;

    /// <summary>A fitted PCA.</summary>
    /// <param name="Model">Mean, components and variances of the training rows.</param>
    public sealed record Pca(PcaModel Model) : FittedStep;

    /// <summary>Fitted feature selection: the kept columns.</summary>
    /// <param name="Method">The selector that chose them (e.g. <c>variance</c>, <c>rfe</c>).</param>
    /// <param name="NFeaturesIn">Number of input columns.</param>
    /// <param name="Kept">Kept column indices, ascending, shape (n_kept,).</param>
    public sealed record Selection(string Method, int NFeaturesIn, IReadOnlyList<int> Kept) : FittedStep
    {
        /// <summary>Compares method, input width and kept columns.</summary>
        /// <param name="other">The other step.</param>
        /// <returns>True when equal.</returns>
        public bool Equals(Selection? other) => other is not null && Method == other.Method && NFeaturesIn == other.NFeaturesIn && Kept.SequenceEqual(other.Kept);

        /// <summary>Hashes consistently with equality.</summary>
        /// <returns>The hash.</returns>
        public override int GetHashCode() => HashCode.Combine(Method, NFeaturesIn, Kept.Count);
    }

    /// <summary>Number of input columns.</summary>
    public int FeaturesIn => this switch
    {
        OneHot o => o.Model.NFeaturesIn,
        Ordinal o => o.Model.NFeaturesIn,
        MeanImputer m => m.Model.Features,
        StandardScaler s => s.Model.Features,
        MinMaxScaler s => s.Model.DataMin.Count,
        Polynomial p => p.Model.NFeaturesIn,
        Pca p => p.Model.Mean.Count,
        Selection s => s.NFeaturesIn,
        _ => throw new InvalidOperationException("unreachable: FittedStep is a closed union"),
    };

    /// <summary>The step's name in reports and model files (as <see cref="PipelineStep.Name"/>).</summary>
    public string Name => this switch
    {
        OneHot => "one_hot_encoder",
        Ordinal => "ordinal_encoder",
        MeanImputer => "mean_imputer",
        StandardScaler => "standard_scaler",
        MinMaxScaler => "minmax_scaler",
        Polynomial => "polynomial_features",
        Pca => "pca",
        _ => "select",
    };

    /// <summary>Applies the step to rows.</summary>
    /// <param name="x">Rows, shape (m, <see cref="FeaturesIn"/>).</param>
    /// <returns>The transformed rows, shape (m, n_features_out).</returns>
    /// <exception cref="ArgumentException">When <paramref name="x"/> has another number of columns (a programmer error; <see cref="FittedPipeline"/> checks first).</exception>
    public Matrix Transform(Matrix x) => this switch
    {
        OneHot o => OneHotEncoder.Transform(o.Model, x),
        Ordinal o => OrdinalEncoder.Transform(o.Model, x),
        MeanImputer m => Scale.MeanImputer.Transform(m.Model, x),
        StandardScaler s => Scale.StandardScaler.Transform(s.Model, x),
        MinMaxScaler s => Scale.MinMaxScaler.Transform(s.Model, x),
        Polynomial p => PolynomialFeatures.Transform(p.Model, x),
        Pca p => PcaTransform.Transform(p.Model, x),
        Selection s => x.SelectColumns(s.Kept.ToArray()),
        _ => throw new InvalidOperationException("unreachable: FittedStep is a closed union"),
    };

    /// <summary>The names of the output columns given the input columns' names.</summary>
    /// <param name="input">Input column names, length <see cref="FeaturesIn"/>.</param>
    /// <returns>Output column names (scikit-learn's <c>get_feature_names_out</c> conventions: <c>crys_sys_cubic</c>, <c>pca0</c>, <c>a b</c>, <c>a^2</c>).</returns>
    public IReadOnlyList<string> Labels(IReadOnlyList<string> input) => this switch
    {
        OneHot o => OneHotEncoder.FeatureNames(o.Model, input),
        Polynomial p => PolynomialFeatures.FeatureNames(p.Model, input),
        Pca p => Enumerable.Range(0, p.Model.NComponents).Select(c => "pca" + c.ToString(CultureInfo.InvariantCulture)).ToArray(),
        Selection s => s.Kept.Select(j => input[j]).ToArray(),
        _ => input,
    };

    /// <summary>Writes the step's learned numbers (scikit-learn attribute names) for a model file.</summary>
    /// <returns>The state, with the step's kind in <c>step</c>.</returns>
    public StateNode Write()
    {
        var node = new StateNode().Text("step", Name).Int("n_features_in_", FeaturesIn);
        return this switch
        {
            OneHot o => node.Nodes("columns", o.Model.Columns.Select((c, k) => new StateNode().Int("index", c.Index).Text("name", c.Name)
                .Texts("values", c.Values).Texts("categories_", o.Model.Categories[k]))).Text("handle_unknown", "ignore"),
            Ordinal o => node.Nodes("columns", o.Model.Columns.Select((c, k) => new StateNode().Int("index", c.Index).Text("name", c.Name)
                .Texts("values", c.Values).Texts("categories_", o.Model.Categories[k]))).Text("handle_unknown", "use_encoded_value")
                .Float("unknown_value", OrdinalEncoderModel.UnknownValue).Float("encoded_missing_value", OrdinalEncoderModel.UnknownValue),
            MeanImputer m => node.Floats("statistics_", m.Model.Statistics.ToArray()),
            StandardScaler s => node.Floats("mean_", s.Model.Mean.ToArray()).Floats("var_", s.Model.Var.ToArray())
                .Floats("scale_", s.Model.Scale.ToArray()).Int("n_samples_seen_", s.Model.SamplesSeen),
            MinMaxScaler s => node.Float("feature_range_min", s.Model.Options.FeatureMin).Float("feature_range_max", s.Model.Options.FeatureMax)
                .Bool("clip", s.Model.Options.Clip).Floats("data_min_", s.Model.DataMin.ToArray()).Floats("data_max_", s.Model.DataMax.ToArray())
                .Floats("scale_", s.Model.Scale.ToArray()).Floats("min_", s.Model.Min.ToArray()).Int("n_samples_seen_", s.Model.SamplesSeen),
            Polynomial p => node.Int("degree", p.Model.Options.Degree).Bool("interaction_only", p.Model.Options.InteractionOnly)
                .Bool("include_bias", p.Model.Options.IncludeBias).Ints("powers_", p.Model.Powers.SelectMany(r => r).ToArray())
                .Int("n_output_features_", p.Model.NOutputFeatures),
            Pca p => node.Int("n_components", p.Model.Options.Components ?? 0).Int("n_components_", p.Model.NComponents).Bool("whiten", p.Model.Options.Whiten).Floats("mean_", p.Model.Mean.ToArray())
                .Matrix("components_", p.Model.Components).Floats("explained_variance_", p.Model.ExplainedVariance.ToArray())
                .Floats("explained_variance_ratio_", p.Model.ExplainedVarianceRatio.ToArray()).Floats("singular_values_", p.Model.SingularValues.ToArray())
                .Int("n_samples_", p.Model.NSamples),
            Selection s => node.Text("method", s.Method).Ints("kept", s.Kept.ToArray()),
            _ => throw new InvalidOperationException("unreachable: FittedStep is a closed union"),
        };
    }

    /// <summary>Reads a step written by <see cref="Write"/>, checking every entry against the step's input width.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="featuresIn">The number of columns the previous step outputs (the step must take exactly these).</param>
    /// <returns>The step, or <c>model.corrupt</c> problems naming the bad entry.</returns>
    public static Validation<Problem, FittedStep> Read(StateReader r, int featuresIn)
    {
        var kind = r.Text("step");
        var p = r.Int("n_features_in_", featuresIn, featuresIn);
        if (!r.Ok) return Valid.Fail<FittedStep>(r.Problems);
        FittedStep? step = kind switch
        {
            "one_hot_encoder" => ReadOneHot(r, p),
            "ordinal_encoder" => ReadOrdinal(r, p),
            "mean_imputer" => new MeanImputer(new MeanImputerModel(r.Floats("statistics_", p))),
            "standard_scaler" => ReadStandard(r, p),
            "minmax_scaler" => ReadMinMax(r, p),
            "polynomial_features" => ReadPolynomial(r, p),
            "pca" => ReadPca(r, p),
            "select" => r.Text("method") is var method && r.Ints("kept", null, 0, p - 1) is var kept && r.Ok && kept.Length > 0
                && Enumerable.Range(1, Math.Max(0, kept.Length - 1)).All(i => kept[i - 1] < kept[i])
                ? new Selection(method, p, kept) : Failed(r, "kept", "must list at least one column, ascending, each once"),
            _ => Failed(r, "step", $"'{kind}' is not a known step (one_hot_encoder, ordinal_encoder, mean_imputer, standard_scaler, minmax_scaler, polynomial_features, pca, select)"),
        };
        return r.Ok && step is not null ? Valid.Ok(step) : Valid.Fail<FittedStep>(r.Problems);
    }

    private static FittedStep? Failed(StateReader r, string name, string message)
    {
        if (r.Ok) r.Fail(name, message);
        return null;
    }

    private static FittedStep? ReadOneHot(StateReader r, int p)
    {
        if (r.Text("handle_unknown") is var unknown && r.Ok && unknown != "ignore") return Failed(r, "handle_unknown", $"is '{unknown}'; this reader encodes unknown categories as zeros ('ignore') only");
        return ReadCategories(r, p) is { } read ? new OneHot(new OneHotEncoderModel(p, read.Columns, read.Categories)) : null;
    }

    private static FittedStep? ReadOrdinal(StateReader r, int p)
    {
        if (r.Text("handle_unknown") is var unknown && r.Ok && unknown != "use_encoded_value")
            return Failed(r, "handle_unknown", $"is '{unknown}'; this reader encodes unknown categories as -1 ('use_encoded_value') only");
        if (r.Float("unknown_value") is var u && r.Ok && u != OrdinalEncoderModel.UnknownValue) return Failed(r, "unknown_value", $"is {u}; this reader encodes unknown categories as -1 only");
        if (r.Float("encoded_missing_value") is var m && r.Ok && m != OrdinalEncoderModel.UnknownValue) return Failed(r, "encoded_missing_value", $"is {m}; this reader encodes missing cells as -1 only");
        return ReadCategories(r, p) is { } read ? new Ordinal(new OrdinalEncoderModel(p, read.Columns, read.Categories)) : null;
    }

    /// <summary>The columns and categories of an encoder step (one-hot or ordinal), each checked against its code book.</summary>
    private static (List<OneHotColumn> Columns, List<IReadOnlyList<string>> Categories)? ReadCategories(StateReader r, int p)
    {
        var columns = new List<OneHotColumn>();
        var categories = new List<IReadOnlyList<string>>();
        foreach (var rc in r.Nodes("columns", p))
        {
            var (index, name, values, cats) = (rc.Int("index", 0, p - 1), rc.Text("name"), rc.Texts("values"), rc.Texts("categories_"));
            if (!r.Ok) return null;
            var book = new System.Collections.Generic.HashSet<string>(values, StringComparer.Ordinal);
            if (book.Count != values.Length) return FailedCategories(r, "columns", $"column '{name}' lists a value twice");
            if (cats.FirstOrDefault(c => c != OneHotEncoderModel.Missing && !book.Contains(c)) is { } stray) return FailedCategories(r, "columns", $"column '{name}' has category '{stray}' outside its values");
            if (cats.Length == 0 || cats.Distinct(StringComparer.Ordinal).Count() != cats.Length) return FailedCategories(r, "columns", $"column '{name}' must have at least one category, each once");
            columns.Add(new OneHotColumn(index, name, values));
            categories.Add(cats);
        }
        if (!r.Ok) return null;
        if (columns.Count == 0 || columns.Select(c => c.Index).Distinct().Count() != columns.Count)
            return FailedCategories(r, "columns", "must list at least one column, each index once");
        return (columns, categories);
    }

    private static (List<OneHotColumn>, List<IReadOnlyList<string>>)? FailedCategories(StateReader r, string name, string message)
    {
        Failed(r, name, message);
        return null;
    }

    private static FittedStep? ReadStandard(StateReader r, int p)
    {
        var (mean, var, scale, n) = (r.Floats("mean_", p), r.Floats("var_", p), r.Floats("scale_", p), r.Int("n_samples_seen_", 1));
        if (r.Ok && Array.FindIndex(scale, s => !(s > 0)) is var j and >= 0) return Failed(r, "scale_", $"element {j} is not positive");
        return r.Ok ? new StandardScaler(new StandardScalerModel(mean, var, scale, n)) : null;
    }

    private static FittedStep? ReadMinMax(StateReader r, int p)
    {
        var options = new MinMaxScalerOptions(r.Float("feature_range_min"), r.Float("feature_range_max"), r.Bool("clip"));
        var (lo, hi, scale, min, n) = (r.Floats("data_min_", p), r.Floats("data_max_", p), r.Floats("scale_", p), r.Floats("min_", p), r.Int("n_samples_seen_", 1));
        if (r.Ok && !(options.FeatureMin < options.FeatureMax)) return Failed(r, "feature_range_max", "is not above feature_range_min");
        return r.Ok ? new MinMaxScaler(new MinMaxScalerModel(options, lo, hi, scale, min, n)) : null;
    }

    private static FittedStep? ReadPolynomial(StateReader r, int p)
    {
        var options = new PolynomialFeaturesOptions { Degree = r.Int("degree", 1, 16), InteractionOnly = r.Bool("interaction_only"), IncludeBias = r.Bool("include_bias") };
        var outputs = r.Int("n_output_features_", 1, 1 << 24);
        if (!r.Ok) return null;
        if ((long)outputs * p > 1 << 28) return Failed(r, "n_output_features_", $"{outputs} outputs of {p} inputs is beyond the size limit");
        var powers = r.Ints("powers_", outputs * p, 0, options.Degree);
        if (!r.Ok) return null;
        var rows = Enumerable.Range(0, outputs).Select(k => powers.AsSpan(k * p, p).ToArray()).ToArray();
        if (Array.FindIndex(rows, row => row.Sum() > options.Degree) is var bad and >= 0) return Failed(r, "powers_", $"output {bad} has a total degree above {options.Degree}");
        return new Polynomial(new PolynomialFeaturesModel(options, p, rows));
    }

    private static FittedStep? ReadPca(StateReader r, int p)
    {
        var requested = r.Int("n_components", 0, p);
        var k = r.Int("n_components_", 1, p);
        var whiten = r.Bool("whiten");
        var mean = r.Floats("mean_", p);
        var components = r.Matrix("components_", k, p);
        var (variance, ratio, singular, n) = (r.Floats("explained_variance_", k), r.Floats("explained_variance_ratio_", k), r.Floats("singular_values_", k), r.Int("n_samples_", 2));
        return r.Ok ? new Pca(new PcaModel(new PcaOptions(requested == 0 ? null : requested, whiten), mean, components, variance, ratio, singular, n)) : null;
    }
}
