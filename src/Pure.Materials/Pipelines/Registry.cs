using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Pipelines;

/// <summary>What a user sees of one hyper-parameter: generated from its declaration, so help text, "accepted:" messages and the
/// parameter lists of reports cannot drift apart.</summary>
/// <param name="Name">scikit-learn's name (<c>n_estimators</c>, <c>alpha</c>).</param>
/// <param name="Type">Value type as written on the command line: <c>int</c>, <c>float</c>, <c>bool</c>, <c>int or None</c>, or the choices.</param>
/// <param name="Default">The default, formatted as in reports.</param>
/// <param name="Range">Valid values (checked by the learner's Fit, which names the parameter when a value is out of range).</param>
/// <param name="Doc">One line of documentation.</param>
/// <param name="Recorded">False for a shorthand that sets other parameters (gbm's <c>preset</c>) or an alias (knn's <c>p</c>): accepted,
/// but reports list the parameters it set instead.</param>
public sealed record ParameterInfo(string Name, string Type, string Default, string Range, string Doc, bool Recorded = true);

/// <summary>One hyper-parameter of a learner whose options record is <typeparamref name="TOptions"/>: its description, how to read it from
/// the options (for reports) and how to set it from text (for <c>--set key=value</c>).</summary>
/// <typeparam name="TOptions">The learner's options record.</typeparam>
public sealed class Parameter<TOptions>
{
    internal Parameter(string name, string type, string range, string doc, Func<TOptions, string> format,
        Func<TOptions, string, List<Problem>, TOptions> set, bool recorded = true, bool first = false)
    {
        (Name, Type, Range, Doc, Format, Set, Recorded, First) = (name, type, range, doc, format, set, recorded, first);
    }

    /// <summary>scikit-learn's name.</summary>
    public string Name { get; }

    internal string Type { get; }
    internal string Range { get; }
    internal string Doc { get; }
    internal bool Recorded { get; }

    /// <summary>Applied before the other settings (a preset that the others then override).</summary>
    internal bool First { get; }

    /// <summary>Reads the value from the options, formatted as in reports (floats round-trip, <c>None</c> for unset).</summary>
    internal Func<TOptions, string> Format { get; }

    /// <summary>Parses a text value into the options; a bad value adds a <c>param.invalid_value</c> problem and leaves the options as they were.</summary>
    internal Func<TOptions, string, List<Problem>, TOptions> Set { get; }

    internal ParameterInfo Info(TOptions defaults) => new(Name, Type, Recorded ? Format(defaults) : "", Range, Doc, Recorded);
}

/// <summary>Declarations of hyper-parameters by value type; each parses text with the same rules and messages.</summary>
public static class Parameter
{
    /// <summary>A finite float parameter.</summary>
    public static Parameter<T> Float<T>(string name, string range, string doc, Func<T, double> get, Func<T, double, T> set) =>
        new(name, "float", range, doc, o => F(get(o)), (o, v, ps) => set(o, Learners.Double(name, v, ps, get(o))));

    /// <summary>An integer parameter.</summary>
    public static Parameter<T> Int<T>(string name, string range, string doc, Func<T, int> get, Func<T, int, T> set) =>
        new(name, "int", range, doc, o => I(get(o)), (o, v, ps) => set(o, Learners.Int(name, v, ps, get(o))));

    /// <summary>A boolean parameter (<c>true</c>/<c>false</c>, <c>True</c>/<c>False</c>, <c>1</c>/<c>0</c>).</summary>
    public static Parameter<T> Bool<T>(string name, string doc, Func<T, bool> get, Func<T, bool, T> set) =>
        new(name, "bool", "true or false", doc, o => B(get(o)), (o, v, ps) => set(o, Learners.Bool(name, v, ps, get(o))));

    /// <summary>An integer parameter that may be <c>None</c>.</summary>
    public static Parameter<T> OptionalInt<T>(string name, string range, string doc, Func<T, int?> get, Func<T, int?, T> set) =>
        new(name, "int or None", range, doc, o => get(o) is { } v ? I(v) : "None",
            (o, v, ps) => set(o, Learners.IsNone(v) ? null : Learners.Int(name, v, ps, 0)));

    /// <summary>A float parameter that may be <c>None</c>.</summary>
    public static Parameter<T> OptionalFloat<T>(string name, string range, string doc, Func<T, double?> get, Func<T, double?, T> set) =>
        new(name, "float or None", range, doc, o => get(o) is { } v ? F(v) : "None",
            (o, v, ps) => set(o, Learners.IsNone(v) ? null : Learners.Double(name, v, ps, 1.0)));

    /// <summary>A parameter taking one of named values.</summary>
    /// <param name="name">scikit-learn's name.</param>
    /// <param name="doc">One line of documentation.</param>
    /// <param name="choices">Each accepted text (the first spelling of a value is the one reports write) and its value.</param>
    /// <param name="get">Reads the value from the options.</param>
    /// <param name="set">Writes it.</param>
    public static Parameter<T> Choice<T, TValue>(string name, string doc, IReadOnlyList<(string Text, TValue Value)> choices, Func<T, TValue> get, Func<T, TValue, T> set)
    {
        // One spelling per value for help and messages (the first); every listed spelling is accepted.
        var shown = choices.GroupBy(c => c.Value).Select(g => g.First().Text).ToArray();
        return new(name, string.Join(", ", shown), "one of " + string.Join(", ", shown), doc,
            o => choices.First(c => EqualityComparer<TValue>.Default.Equals(c.Value, get(o))).Text,
            (o, v, ps) =>
            {
                foreach (var (text, value) in choices)
                    if (text == v) return set(o, value);
                ps.Add(new Problem("param.invalid_value", $"{name}={v} is not accepted; use {Or(shown)}"));
                return o;
            });
    }

    /// <summary>A parameter with its own syntax (<c>max_features</c>, a GP kernel expression, gbm's <c>preset</c>).</summary>
    /// <param name="name">scikit-learn's name.</param>
    /// <param name="type">Its syntax, as help shows it.</param>
    /// <param name="range">Valid values.</param>
    /// <param name="doc">One line of documentation.</param>
    /// <param name="format">Formats the value for reports.</param>
    /// <param name="set">Parses a text value; adds problems for a bad one.</param>
    /// <param name="recorded">False for a shorthand or alias that reports do not list.</param>
    /// <param name="first">Apply before the other settings (a preset).</param>
    public static Parameter<T> Custom<T>(string name, string type, string range, string doc, Func<T, string> format,
        Func<T, string, List<Problem>, T> set, bool recorded = true, bool first = false) =>
        new(name, type, range, doc, format, set, recorded, first);

    internal static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    internal static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    internal static string B(bool v) => v ? "true" : "false";

    /// <summary>"a", "a or b", "a, b or c".</summary>
    internal static string Or(IReadOnlyList<string> items) =>
        items.Count <= 1 ? string.Join("", items) : string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1];
}

/// <summary>A learner declared once: its name, the estimator it mirrors, its hyper-parameters as data and how to build it.</summary>
public interface ILearnerSpec
{
    /// <summary>Short name used on the command line (<c>rf</c>, <c>ridge</c>).</summary>
    string Name { get; }

    /// <summary>The scikit-learn estimator it follows (<c>RandomForestRegressor</c>).</summary>
    string Estimator { get; }

    /// <summary>One line of documentation.</summary>
    string Doc { get; }

    /// <summary>Every hyper-parameter, in report order.</summary>
    IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>One help line per parameter: <c>name (type, default D; range): doc</c>.</summary>
    string Help { get; }

    /// <summary>The feature scaling a pipeline uses when none is asked for: none for trees (split thresholds do not care), standard otherwise.</summary>
    ScaleStrategy DefaultScale { get; }

    /// <summary>Whether fitted models give a standard deviation with each prediction (<c>PredictWithStd</c>).</summary>
    bool PredictsStd { get; }

    /// <summary>How the learner's fitted model is written to and read from a model file; null for a learner whose models cannot be saved.</summary>
    IModelFormat? Format { get; }
}

/// <summary>Writes a learner's fitted model record into a <see cref="StateNode"/> and reads it back, checking every entry, for model files.</summary>
/// <remarks>The learner's name selects the format (never a type name from the file); the options are rebuilt from the recorded
/// parameter list with the learner's own parser, so they are checked exactly as <c>--set</c> values are.</remarks>
public interface IModelFormat
{
    /// <summary>The fitted model record type.</summary>
    Type ModelType { get; }

    /// <summary>Writes a fitted model's learned state (everything but its options).</summary>
    /// <param name="model">A model of type <see cref="ModelType"/>.</param>
    /// <returns>The state.</returns>
    StateNode Write(object model);

    /// <summary>Reads a fitted model back.</summary>
    /// <param name="parameters">The learner's recorded parameters (scikit-learn names and values).</param>
    /// <param name="reader">The state written by <see cref="Write"/>.</param>
    /// <returns>The model, or <c>param.*</c> problems for bad parameters and <c>model.corrupt</c> problems naming the bad entry.</returns>
    Validation<Problem, object> Read(IReadOnlyDictionary<string, string> parameters, StateReader reader);

    /// <summary>Wraps a model in the learner's predictor (<c>Predictor</c> for regressors, <c>ClassifierPredictor</c> for classifiers).</summary>
    /// <param name="parameters">The learner's recorded parameters.</param>
    /// <param name="model">A model of type <see cref="ModelType"/>.</param>
    /// <returns>The predictor, or the parameters' problems.</returns>
    Validation<Problem, object> Predictor(IReadOnlyDictionary<string, string> parameters, object model);
}

/// <summary>The model-file format of one learner: its typed write, read and predictor functions.</summary>
/// <typeparam name="TOptions">The learner's options record.</typeparam>
/// <typeparam name="TModel">The learner's fitted model record.</typeparam>
public sealed class ModelFormat<TOptions, TModel> : IModelFormat where TModel : notnull
{
    private readonly Func<IReadOnlyDictionary<string, string>, Validation<Problem, TOptions>> _parse;
    private readonly Func<TModel, StateNode> _write;
    private readonly Func<TOptions, StateReader, Validation<Problem, TModel>> _read;
    private readonly Func<TOptions, TModel, object> _predictor;

    internal ModelFormat(Func<IReadOnlyDictionary<string, string>, Validation<Problem, TOptions>> parse, Func<TModel, StateNode> write,
        Func<TOptions, StateReader, Validation<Problem, TModel>> read, Func<TOptions, TModel, object> predictor) =>
        (_parse, _write, _read, _predictor) = (parse, write, read, predictor);

    /// <inheritdoc/>
    public Type ModelType => typeof(TModel);

    /// <inheritdoc/>
    public StateNode Write(object model) => _write((TModel)model);

    /// <inheritdoc/>
    public Validation<Problem, object> Read(IReadOnlyDictionary<string, string> parameters, StateReader reader) =>
        _parse(parameters).Bind(o =>
        {
            var m = _read(o, reader);
            // A reader that found a problem may still have built something from its defaults: the problems win.
            return reader.Ok ? m.Map(x => (object)x) : Valid.Fail<object>(reader.Problems.Concat(m.Problems()).Distinct());
        });

    /// <inheritdoc/>
    public Validation<Problem, object> Predictor(IReadOnlyDictionary<string, string> parameters, object model) =>
        _parse(parameters).Map(o => _predictor(o, (TModel)model));
}

/// <summary>Looks learners up in a registry (<see cref="Learners.Registry"/>, <see cref="Classifiers.Registry"/>).</summary>
public static class LearnerRegistry
{
    /// <summary>Finds a learner's declaration by name.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="name">A learner name.</param>
    /// <param name="kind">What the registry holds, for the message (<c>model</c>, <c>classifier</c>).</param>
    /// <returns>The declaration, or <c>param.unknown_model</c> listing the registry's names.</returns>
    public static Validation<Problem, ILearnerSpec<TLearner>> Find<TLearner>(IReadOnlyList<ILearnerSpec<TLearner>> registry, string name, string kind) =>
        registry.FirstOrDefault(s => s.Name == name) is { } spec
            ? Valid.Ok(spec)
            : Valid.Fail<ILearnerSpec<TLearner>>("param.unknown_model", $"unknown {kind} '{name}'; use one of {string.Join(", ", registry.Select(s => s.Name))}");
}

/// <summary>A learner declaration that builds learners of type <typeparamref name="TLearner"/> from settings.</summary>
/// <typeparam name="TLearner"><c>Learner</c> or <see cref="Models.Classification.ClassifierLearner"/>.</typeparam>
public interface ILearnerSpec<TLearner> : ILearnerSpec
{
    /// <summary>Parses <c>key=value</c> settings (scikit-learn names) over the defaults, then builds the learner.</summary>
    /// <param name="settings">Settings; a key the learner does not declare is a problem listing the accepted ones.</param>
    /// <returns>The learner, or every <c>param.unknown</c> and <c>param.invalid_value</c> problem.</returns>
    Validation<Problem, TLearner> Parse(IReadOnlyDictionary<string, string> settings);
}

/// <summary>A learner declared once (see <see cref="ILearnerSpec"/>) for options <typeparamref name="TOptions"/>, building learners of type
/// <typeparamref name="TLearner"/> (<c>Learner</c> for regression, <see cref="Models.Classification.ClassifierLearner"/> for classification).</summary>
/// <typeparam name="TOptions">The options record.</typeparam>
/// <typeparam name="TLearner">What it builds.</typeparam>
public sealed class LearnerSpec<TOptions, TLearner> : ILearnerSpec<TLearner>
{
    private readonly IReadOnlyList<Parameter<TOptions>> _parameters;
    private readonly Func<TOptions, IReadOnlyList<KeyValuePair<string, string>>, TLearner> _build;

    /// <summary>Declares a learner.</summary>
    /// <param name="name">Short name (<c>rf</c>).</param>
    /// <param name="estimator">The scikit-learn estimator it follows.</param>
    /// <param name="doc">One line of documentation.</param>
    /// <param name="defaults">The options when nothing is set.</param>
    /// <param name="parameters">Every hyper-parameter, in report order.</param>
    /// <param name="build">Builds the learner from options and their formatted list (name, value) for reports.</param>
    /// <param name="defaultScale">The scaling pipelines use by default (see <see cref="ILearnerSpec.DefaultScale"/>).</param>
    /// <param name="predictsStd">Whether the built learners' predictors have <c>PredictWithStd</c>.</param>
    public LearnerSpec(string name, string estimator, string doc, TOptions defaults, IReadOnlyList<Parameter<TOptions>> parameters,
        Func<TOptions, IReadOnlyList<KeyValuePair<string, string>>, TLearner> build, ScaleStrategy defaultScale = ScaleStrategy.Standard,
        bool predictsStd = false)
    {
        (Name, Estimator, Doc, Defaults, _parameters, _build, DefaultScale, PredictsStd) =
            (name, estimator, doc, defaults, parameters, build, defaultScale, predictsStd);
        if (parameters.Select(p => p.Name).Distinct().Count() != parameters.Count)
            throw new ArgumentException($"learner '{name}' declares a parameter twice", nameof(parameters));
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string Estimator { get; }

    /// <inheritdoc/>
    public string Doc { get; }

    /// <summary>The options when nothing is set.</summary>
    public TOptions Defaults { get; }

    /// <inheritdoc/>
    public ScaleStrategy DefaultScale { get; }

    /// <inheritdoc/>
    public bool PredictsStd { get; }

    /// <inheritdoc/>
    public IModelFormat? Format { get; internal set; }

    /// <inheritdoc/>
    public IReadOnlyList<ParameterInfo> Parameters => _parameters.Select(p => p.Info(Defaults)).ToArray();

    /// <inheritdoc/>
    public string Help => string.Join(Environment.NewLine, Parameters.Select(p =>
        $"  {p.Name} ({p.Type}{(p.Recorded ? $", default {p.Default}" : "")}; {p.Range}): {p.Doc}"));

    /// <summary>Builds the learner for given options; its parameter list holds every recorded parameter.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The learner.</returns>
    public TLearner Build(TOptions options) =>
        _build(options, _parameters.Where(p => p.Recorded).Select(p => KeyValuePair.Create(p.Name, p.Format(options))).ToArray());

    /// <inheritdoc/>
    public Validation<Problem, TLearner> Parse(IReadOnlyDictionary<string, string> settings) => ParseOptions(settings).Map(Build);

    /// <summary>Parses <c>key=value</c> settings into options, exactly as <see cref="Parse"/> does.</summary>
    /// <param name="settings">Settings with scikit-learn's parameter names.</param>
    /// <returns>The options, or <c>param.unknown</c> and <c>param.invalid_value</c> problems, one per bad setting.</returns>
    public Validation<Problem, TOptions> ParseOptions(IReadOnlyDictionary<string, string> settings)
    {
        var problems = new List<Problem>();
        var o = Defaults;
        foreach (var p in _parameters.Where(p => p.First))
            if (settings.TryGetValue(p.Name, out var v)) o = p.Set(o, v, problems);
        foreach (var (key, value) in settings)
        {
            var p = _parameters.FirstOrDefault(q => q.Name == key);
            if (p is null)
                problems.Add(new Problem("param.unknown", $"model '{Name}' has no parameter '{key}'; accepted: {string.Join(", ", _parameters.Select(q => q.Name))}"));
            else if (!p.First) o = p.Set(o, value, problems);
        }
        return problems.Count == 0 ? Valid.Ok(o) : Valid.Fail<TOptions>(problems);
    }

    /// <summary>Declares how this learner's fitted models are saved and loaded (see <see cref="IModelFormat"/>).</summary>
    /// <typeparam name="TModel">The fitted model record.</typeparam>
    /// <param name="write">Writes a model's learned state.</param>
    /// <param name="read">Reads it back, checking every entry.</param>
    /// <param name="predictor">Wraps a model in the learner's predictor.</param>
    /// <returns>This declaration.</returns>
    internal LearnerSpec<TOptions, TLearner> WithFormat<TModel>(Func<TModel, StateNode> write, Func<TOptions, StateReader, Validation<Problem, TModel>> read,
        Func<TOptions, TModel, object> predictor) where TModel : notnull
    {
        Format = new ModelFormat<TOptions, TModel>(ParseOptions, write, read, predictor);
        return this;
    }
}
