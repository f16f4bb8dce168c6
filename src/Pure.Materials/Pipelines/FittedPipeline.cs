using System.Buffers.Binary;
using System.Security.Cryptography;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Featurize.Structural;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Pure.Materials.Scale;
using Pure.Materials.Structures;

namespace Pure.Materials.Pipelines;

/// <summary>Says how raw input rows become the feature matrix: composition featurizers applied to a formula column, then numeric columns;
/// or, for a pipeline fitted on crystal structures, the fitted structure featurizers.</summary>
/// <param name="FormulaColumn">The column holding chemical formulas, or null when only feature columns are used.</param>
/// <param name="Featurizers">Composition featurizer names in column order (see <see cref="CompositionFeaturizers.Names"/>), e.g. <c>magpie</c>.</param>
/// <param name="ElementValues">Missing element property values of the element-property featurizers.</param>
/// <param name="FeatureColumns">Numeric columns of the input used as features after the featurizers' columns, in order.</param>
/// <param name="Structures">For a pipeline fitted on crystal structures: the structure featurizers with their fitted state (e.g. the
/// Coulomb eigenvalue length); the pipeline's features are then the columns of these featurizers named by
/// <see cref="FittedPipeline.FeatureLabels"/> (see <see cref="FittedPipeline.Predict(IReadOnlyList{Structure})"/>), and
/// <paramref name="FormulaColumn"/>, <paramref name="Featurizers"/> and <paramref name="FeatureColumns"/> are empty. Null for rows of a table.</param>
public sealed record PipelineInput(string? FormulaColumn, IReadOnlyList<string> Featurizers, MissingElementValue ElementValues, IReadOnlyList<string> FeatureColumns,
    StructureFeaturization? Structures = null)
{
    /// <summary>Compares every field, lists element by element.</summary>
    /// <param name="other">The other input description.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(PipelineInput? other) => other is not null && FormulaColumn == other.FormulaColumn && ElementValues == other.ElementValues
        && Featurizers.SequenceEqual(other.Featurizers) && FeatureColumns.SequenceEqual(other.FeatureColumns) && Equals(Structures, other.Structures)
        && MolecularCations.Equals(other.MolecularCations) && CategoricalColumns.SequenceEqual(other.CategoricalColumns) && CrystalGraphs == other.CrystalGraphs;

    /// <summary>True for a pipeline whose learner reads crystal graphs built from structures (a graph learner of
    /// <see cref="GraphLearners.Registry"/>, e.g. <c>cgcnn</c>): it has no feature columns, steps or feature labels, and predicts
    /// structures only (<see cref="FittedPipeline.Predict(IReadOnlyList{Structure})"/>). Saved in the model file (format 1.3) only when
    /// true.</summary>
    public bool CrystalGraphs { get; init; }

    /// <summary>The feature columns read as categories (one-hot encoded by the pipeline's <c>one_hot_encoder</c> step), a subset of
    /// <see cref="FeatureColumns"/>; default none. Saved in the model file only when not empty.</summary>
    public IReadOnlyList<string> CategoricalColumns { get; init; } = [];

    /// <summary>Molecular cations the formulas hold (e.g. <c>MA</c>, <c>FA</c>), read as their elements when training and predicting rows;
    /// default <see cref="Data.MolecularCations.None"/>. Saved in the model file only when not empty.</summary>
    public MolecularCations MolecularCations { get; init; } = MolecularCations.None;

    /// <summary>Hashes consistently with equality.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(FormulaColumn, ElementValues, Featurizers.Count, FeatureColumns.Count, Structures);

    /// <summary>Builds the featurizers this input names.</summary>
    /// <returns>The featurizers, or <c>param.unknown_featurizer</c>.</returns>
    public Validation<Problem, ICompositionFeaturizer[]> BuildFeaturizers() =>
        Featurizers.Count == 0 ? Valid.Ok(Array.Empty<ICompositionFeaturizer>()) : CompositionFeaturizers.Parse(string.Join(",", Featurizers), ElementValues);

    /// <summary>The dataset specification that reads this input's columns (and, when given, a target, id and fold column).</summary>
    /// <param name="target">Target column, or null for new materials without targets.</param>
    /// <param name="idColumn">Id column, or null to detect one (mbid, id, material_id, Index).</param>
    /// <returns>The specification.</returns>
    public DatasetSpec Spec(string? target, string? idColumn) => new()
    {
        FormulaColumn = FormulaColumn, TargetColumn = target, IdColumn = idColumn, FeatureColumns = [.. FeatureColumns],
        MolecularCations = MolecularCations, CategoricalColumns = [.. CategoricalColumns],
    };
}

/// <summary>The learner at the end of a pipeline, a closed union: a regressor or a classifier (both convert implicitly).</summary>
public abstract record PipelineLearner
{
    private PipelineLearner() { }

    /// <summary>A regressor from <see cref="Learners.Registry"/>.</summary>
    /// <param name="Learner">The unfitted regressor.</param>
    public sealed record Regressor(Learner Learner) : PipelineLearner;

    /// <summary>A classifier from <see cref="Classifiers.Registry"/>.</summary>
    /// <param name="Learner">The unfitted classifier.</param>
    public sealed record Classifier(ClassifierLearner Learner) : PipelineLearner;

    /// <summary>A regressor on crystal graphs from <see cref="GraphLearners.Registry"/> (<c>cgcnn</c>): its input is structures, not a
    /// feature matrix (fitted by <see cref="FittedPipeline.FitStructures"/>).</summary>
    /// <param name="Learner">The unfitted graph learner.</param>
    public sealed record Graph(GraphLearner Learner) : PipelineLearner;

    /// <summary>The learner's registry name.</summary>
    public string Name => this switch { Regressor r => r.Learner.Name, Classifier c => c.Learner.Name, Graph g => g.Learner.Name, _ => "" };

    /// <summary>The learner's recorded parameters.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters => this switch
    {
        Regressor r => r.Learner.Parameters, Classifier c => c.Learner.Parameters, Graph g => g.Learner.Parameters, _ => [],
    };

    /// <summary>The task the learner solves.</summary>
    public TaskKind Task => this is Classifier ? TaskKind.Classification : TaskKind.Regression;

    /// <summary>Wraps a regressor.</summary>
    /// <param name="learner">The regressor.</param>
    public static implicit operator PipelineLearner(Learner learner) => new Regressor(learner);

    /// <summary>Wraps a classifier.</summary>
    /// <param name="learner">The classifier.</param>
    public static implicit operator PipelineLearner(ClassifierLearner learner) => new Classifier(learner);

    /// <summary>Wraps a graph learner.</summary>
    /// <param name="learner">The graph learner.</param>
    public static implicit operator PipelineLearner(GraphLearner learner) => new Graph(learner);
}

/// <summary>An unfitted pipeline: how to build features, the preprocessing steps in order, and the learner at the end.</summary>
/// <param name="Input">How raw rows become features.</param>
/// <param name="Steps">Preprocessing steps, applied in order, each fitted on the training rows only.</param>
/// <param name="Learner">The regressor or classifier fitted on the last step's output.</param>
public sealed record PipelineSpec(PipelineInput Input, IReadOnlyList<PipelineStep> Steps, PipelineLearner Learner)
{
    /// <summary>The steps of the classic front: mean imputation (when asked), then a scaler.</summary>
    /// <param name="impute">Missing-value strategy.</param>
    /// <param name="scale">Scaling strategy.</param>
    /// <returns>The steps, in order.</returns>
    public static IReadOnlyList<PipelineStep> Front(ImputeStrategy impute, ScaleStrategy scale) =>
    [
        .. impute == ImputeStrategy.Mean ? [new PipelineStep.MeanImpute()] : Array.Empty<PipelineStep>(),
        .. scale switch
        {
            ScaleStrategy.Standard => [new PipelineStep.StandardScale()],
            ScaleStrategy.MinMax => [new PipelineStep.MinMaxScale(new Scale.MinMaxScalerOptions())],
            _ => Array.Empty<PipelineStep>(),
        },
    ];
}

/// <summary>The target a pipeline predicts: a continuous quantity with its unit, or classes with their text labels.</summary>
/// <param name="Name">Column name, e.g. <c>gap expt</c>.</param>
/// <param name="Unit">Unit, e.g. <c>eV</c> (empty when unknown or for classes).</param>
/// <param name="ClassCodes">For classification: the class codes (scikit-learn's <c>classes_</c>), ascending; null for regression.</param>
/// <param name="ClassLabels">For classification: the text label of each class, same order (e.g. <c>False</c>, <c>True</c>); null for regression.</param>
public sealed record PipelineTarget(string Name, string Unit, IReadOnlyList<int>? ClassCodes = null, IReadOnlyList<string>? ClassLabels = null)
{
    /// <summary>The task: classification when classes are given.</summary>
    public TaskKind Task => ClassCodes is null ? TaskKind.Regression : TaskKind.Classification;

    /// <summary>Compares name, unit and classes element by element.</summary>
    /// <param name="other">The other target.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(PipelineTarget? other) => other is not null && Name == other.Name && Unit == other.Unit
        && (ClassCodes ?? []).SequenceEqual(other.ClassCodes ?? []) && (ClassLabels ?? []).SequenceEqual(other.ClassLabels ?? [])
        && (ClassCodes is null) == (other.ClassCodes is null);

    /// <summary>Hashes consistently with equality.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(Name, Unit, ClassCodes?.Count ?? -1);

    /// <summary>The target of a task's values.</summary>
    /// <param name="name">Column name.</param>
    /// <param name="target">Continuous values with their unit, or classes with their labels.</param>
    /// <returns>The description.</returns>
    public static PipelineTarget Of(string name, TaskTarget target) => target switch
    {
        TaskTarget.Classes c => new PipelineTarget(name, "", c.ClassCodes.ToArray(), c.Labels.ToArray()),
        TaskTarget.Continuous v => new PipelineTarget(name, v.Unit),
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };
}

/// <summary>The fitted learner at the end of a pipeline: its registry name, the parameters it was fitted with and its model record.</summary>
/// <param name="Name">Registry name (e.g. <c>rf</c>); selects the model format and predictor (never a type name).</param>
/// <param name="Parameters">Every recorded hyper-parameter with scikit-learn's name and value.</param>
/// <param name="Model">The learner's fitted model record (e.g. <c>RandomForestModel</c>), fitted on the last step's output.</param>
/// <param name="Task">Regression (a learner of <see cref="Learners.Registry"/>) or classification (<see cref="Classifiers.Registry"/>).</param>
public sealed record FittedLearner(string Name, IReadOnlyList<KeyValuePair<string, string>> Parameters, object Model, TaskKind Task = TaskKind.Regression)
{
    /// <summary>The learner's declaration in the registry of its task.</summary>
    internal Validation<Problem, (ILearnerSpec Spec, IModelFormat Format)> Declaration => Declare(Name, Task);

    /// <summary>Finds a learner's declaration and model format in the registry of a task.</summary>
    internal static Validation<Problem, (ILearnerSpec Spec, IModelFormat Format)> Declare(string name, TaskKind task) =>
        (GraphLearners.Contains(name) ? GraphLearners.Find(name).Map(s => (ILearnerSpec)s)
            : task == TaskKind.Classification ? Classifiers.Find(name).Map(s => (ILearnerSpec)s)
            : Learners.Find(name).Map(s => (ILearnerSpec)s))
        .Bind(spec => spec.Format is { } f
            ? Valid.Ok((spec, f))
            : Valid.Fail<(ILearnerSpec, IModelFormat)>("model.not_saveable", $"learner '{name}' has no model format; it cannot be kept in a fitted pipeline"));

    /// <summary>Compares name, parameters and the model's learned state (every number, bit for bit).</summary>
    /// <param name="other">The other learner.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(FittedLearner? other) => other is not null && Name == other.Name && Task == other.Task && Parameters.SequenceEqual(other.Parameters)
        && (ReferenceEquals(Model, other.Model) || Declaration.Match(d => d.Format.Write(Model).SameAs(d.Format.Write(other.Model)), _ => Model.Equals(other.Model)));

    /// <summary>Hashes consistently with equality.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(Name, Parameters.Count);
}

/// <summary>What a pipeline was trained on: enough to re-check the training data and to flag new rows outside it.</summary>
/// <param name="Rows">Training rows.</param>
/// <param name="DataSha256">SHA-256 (hex) of the training feature matrix and targets as little-endian float64, row-major, features then targets.</param>
/// <param name="Seed">The seed of the run that fitted it, when known.</param>
/// <param name="FeatureMin">Per-feature minimum over the training rows (NaN ignored), shape (n_features,), before any step.</param>
/// <param name="FeatureMax">Per-feature maximum over the training rows, shape (n_features,).</param>
/// <param name="Elements">Symbols of the elements in the training compositions, in atomic-number order (empty without formulas).</param>
/// <param name="Metrics">Cross-validation metrics recorded with the model (e.g. <c>cv_mae</c>), possibly none.</param>
public sealed record TrainingRecord(int Rows, string DataSha256, long? Seed, IReadOnlyList<double> FeatureMin, IReadOnlyList<double> FeatureMax,
    IReadOnlyList<string> Elements, IReadOnlyList<KeyValuePair<string, double>> Metrics)
{
    /// <summary>Compares every field (floats bit for bit, NaN equal to NaN).</summary>
    /// <param name="other">The other record.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(TrainingRecord? other) => other is not null && Rows == other.Rows && DataSha256 == other.DataSha256 && Seed == other.Seed
        && FeatureMin.SequenceEqual(other.FeatureMin) && FeatureMax.SequenceEqual(other.FeatureMax) && Elements.SequenceEqual(other.Elements)
        && Metrics.SequenceEqual(other.Metrics);

    /// <summary>Hashes consistently with equality.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(Rows, DataSha256, Seed);
}

/// <summary>Predictions of a fitted pipeline for new rows, with uncertainty and applicability.</summary>
/// <param name="Mean">Predictions in target units, length n.</param>
/// <param name="Std">Standard deviation per row in target units (Gaussian process: posterior std; forests: spread of the trees), or null when the learner has none.</param>
/// <param name="FeaturesOutOfRange">Per row, how many features lie outside the training range (0 = inside every range).</param>
/// <param name="UnseenElements">Per row, the elements no training composition contains (empty arrays without formulas).</param>
/// <param name="Labels">For classification: the predicted class label of each row; null for regression (then <paramref name="Mean"/> holds the predicted class codes).</param>
/// <param name="Probabilities">For classification: the probability of each class per row, shape (n, n_classes), columns in <see cref="PipelineTarget.ClassLabels"/> order; null for regression.</param>
public sealed record PipelinePredictions(IReadOnlyList<double> Mean, IReadOnlyList<double>? Std, IReadOnlyList<int> FeaturesOutOfRange, IReadOnlyList<string[]> UnseenElements,
    IReadOnlyList<string>? Labels = null, Matrix? Probabilities = null);

/// <summary>A fitted pipeline as a value: the input description, every fitted step's numbers, the learner's model record and what it was
/// trained on. It holds no functions, compares by every learned number, and is saved and loaded by <see cref="ModelFile"/>.</summary>
/// <param name="Input">How raw rows become features.</param>
/// <param name="Target">The predicted quantity.</param>
/// <param name="FeatureLabels">Labels of the features the first step takes, length n_features.</param>
/// <param name="Steps">Fitted preprocessing steps, in order.</param>
/// <param name="Learner">The fitted learner.</param>
/// <param name="Training">What it was trained on.</param>
/// <remarks>Predicting applies the steps and the learner exactly as fitting did, so a pipeline fitted on a fold's training rows with that fold's
/// random stream predicts the fold's test rows exactly as cross-validation does (see <see cref="FitFeatures"/>).</remarks>
public sealed record FittedPipeline(PipelineInput Input, PipelineTarget Target, IReadOnlyList<string> FeatureLabels, IReadOnlyList<FittedStep> Steps,
    FittedLearner Learner, TrainingRecord Training)
{
    /// <summary>Fits a regression pipeline on a featurized training set (see <see cref="Fit"/>).</summary>
    /// <param name="spec">The unfitted pipeline (its learner a regressor).</param>
    /// <param name="features">Training features with their labels, shape (n_train, n_features); NaN allowed when a step imputes.</param>
    /// <param name="y">Training targets, length n_train, in <paramref name="target"/>'s unit.</param>
    /// <param name="compositions">Training compositions (for the unseen-element check), or null.</param>
    /// <param name="target">The target's name and unit.</param>
    /// <param name="rng">The learner's stream (see <see cref="Fit"/>).</param>
    /// <param name="seed">The run's seed, recorded with the model.</param>
    /// <returns>The fitted pipeline, or the problems of <see cref="Fit"/>.</returns>
    public static Validation<Problem, FittedPipeline> FitFeatures(PipelineSpec spec, FeatureSet features, IReadOnlyList<double> y,
        IReadOnlyList<Composition>? compositions, PipelineTarget target, Rng rng, long? seed = null) =>
        Fit(spec, features, new TaskTarget.Continuous(y, target.Unit), target.Name, compositions, rng, seed);

    /// <summary>Fits a pipeline for either task on a featurized training set.</summary>
    /// <param name="spec">The unfitted pipeline; its learner must solve the target's task.</param>
    /// <param name="features">Training features with their labels, shape (n_train, n_features); NaN allowed when a step imputes.</param>
    /// <param name="target">Training targets, length n_train: continuous values with their unit, or class codes with their labels.</param>
    /// <param name="targetName">The target column's name.</param>
    /// <param name="compositions">Training compositions (for the unseen-element check), or null.</param>
    /// <param name="rng">The learner's stream: the learner draws from it exactly as inside <c>Pipeline.Fit</c> (and <c>ClassifierPipeline.Fit</c>);
    /// when a step is random (a selector), the learner gets the left and the steps the right stream of <c>rng.Split()</c>, as
    /// <c>Selectors.WithSelection</c> does. Cross-validation gives fold k the k-th of <c>rng.SplitMany(folds)</c>: fitting fold k's
    /// training rows with that stream gives fold k's model.</param>
    /// <param name="seed">The run's seed, recorded with the model.</param>
    /// <returns>The fitted pipeline, or the first failing step's problems, <c>model.not_saveable</c> for a learner without a model
    /// format, <c>param.unsupported_task</c> when the learner does not solve the target's task, <c>param.out_of_range</c> for a
    /// one-hot step that is not the first step.</returns>
    public static Validation<Problem, FittedPipeline> Fit(PipelineSpec spec, FeatureSet features, TaskTarget target, string targetName,
        IReadOnlyList<Composition>? compositions, Rng rng, long? seed = null)
    {
        if (spec.Learner.Task != target.Kind)
            return Valid.Fail<FittedPipeline>("param.unsupported_task",
                $"learner '{spec.Learner.Name}' is a {(spec.Learner.Task == TaskKind.Regression ? "regressor" : "classifier")}, the target '{targetName}' needs a {(target.Kind == TaskKind.Regression ? "regressor" : "classifier")}");
        if (spec.Learner is PipelineLearner.Graph)
            return Valid.Fail<FittedPipeline>("param.conflict",
                $"learner '{spec.Learner.Name}' reads crystal graphs, not a feature matrix; fit it on structures (FittedPipeline.FitStructures)");
        if (spec.Steps.Skip(1).Any(s => s is PipelineStep.OneHot or PipelineStep.Ordinal))
            return Valid.Fail<FittedPipeline>("param.out_of_range",
                "the one-hot or ordinal encoder reads the raw category codes of the features, so it must be the pipeline's first step (PipelineSpec.Steps[0])");
        var declared = FittedLearner.Declare(spec.Learner.Name, spec.Learner.Task);
        if (declared.IsFail) return Valid.Fail<FittedPipeline>(declared.Problems());
        var (learnerRng, stepRng) = spec.Steps.Any(s => s.IsRandom) ? rng.Split() : (rng, rng);
        var y = target switch
        {
            TaskTarget.Continuous c => c.Values,
            TaskTarget.Classes c => c.Codes.Select(v => (double)v).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(target)),
        };
        var x = features.X;
        var fitted = new List<FittedStep>();
        foreach (var step in spec.Steps)
        {
            var r = step.Fit(x, y, stepRng);
            if (r.IsFail) return Valid.Fail<FittedPipeline>(r.Problems());
            (var f, x) = r.OrThrow();
            fitted.Add(f);
        }
        Validation<Problem, object> model = spec.Learner switch
        {
            PipelineLearner.Regressor r => r.Learner.Fit(x, y, learnerRng).Map(p => p.Model),
            PipelineLearner.Classifier c => c.Learner.Fit(x, ((TaskTarget.Classes)target).Codes, learnerRng).Map(p => p.Model),
            _ => throw new ArgumentOutOfRangeException(nameof(spec)),
        };
        return model.Map(m => new FittedPipeline(spec.Input, PipelineTarget.Of(targetName, target), features.Labels.ToArray(), fitted,
            new FittedLearner(spec.Learner.Name, spec.Learner.Parameters.ToArray(), m, spec.Learner.Task),
            Record(features.X, y, compositions, seed)));
    }

    /// <summary>Fits a pipeline whose learner reads crystal graphs (<c>cgcnn</c>) on structures: builds each structure's graph with the
    /// learner's options, then fits the learner on the graphs and targets.</summary>
    /// <param name="learner">The unfitted graph learner (see <see cref="GraphLearners.Parse"/>).</param>
    /// <param name="structures">Training structures, n_train, each ordered.</param>
    /// <param name="y">Training targets, length n_train, in <paramref name="target"/>'s unit.</param>
    /// <param name="target">The target's name and unit.</param>
    /// <param name="rng">The learner's stream (cross-validation gives fold k the k-th of <c>rng.SplitMany(folds)</c>; fitting fold k's
    /// training structures with it gives fold k's model).</param>
    /// <param name="seed">The run's seed, recorded with the model.</param>
    /// <returns>The fitted pipeline (input <see cref="PipelineInput.CrystalGraphs"/>, no steps, no feature labels; the training record's
    /// hash is over the graphs' node features, neighbour indices and distances, then the targets), or the graph problems naming the
    /// structure (<see cref="Problem.Row"/> 0-based), <c>shape.rows_mismatch</c>, or the learner's problems.</returns>
    public static Validation<Problem, FittedPipeline> FitStructures(GraphLearner learner, IReadOnlyList<Structure> structures, IReadOnlyList<double> y,
        PipelineTarget target, Rng rng, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(structures);
        ArgumentNullException.ThrowIfNull(y);
        if (structures.Count != y.Count)
            return Valid.Fail<FittedPipeline>("shape.rows_mismatch", $"{structures.Count} structures but {y.Count} targets; give one target per structure");
        return learner.Build(structures).Bind(graphs => FitGraphs(learner, graphs, structures.Select(s => s.Composition).ToArray(), y, target, rng, seed));
    }

    /// <summary>Fits a graph learner on graphs already built with its <see cref="GraphLearner.Build"/> (as <see cref="FitStructures"/>,
    /// without building them again).</summary>
    /// <param name="learner">The unfitted graph learner.</param>
    /// <param name="graphs">Training graphs.</param>
    /// <param name="compositions">Their structures' compositions (for the unseen-element check).</param>
    /// <param name="y">Targets, one per graph.</param>
    /// <param name="target">The target's name and unit.</param>
    /// <param name="rng">The learner's stream.</param>
    /// <param name="seed">The run's seed, recorded.</param>
    /// <param name="onTrained">Optional callback with the fit's training history (epochs, losses); does not affect the result.</param>
    /// <returns>The fitted pipeline, or the learner's problems.</returns>
    public static Validation<Problem, FittedPipeline> FitGraphs(GraphLearner learner, IReadOnlyList<Models.Graph.CrystalGraph> graphs, IReadOnlyList<Composition> compositions,
        IReadOnlyList<double> y, PipelineTarget target, Rng rng, long? seed = null, Action<GraphTrainingHistory>? onTrained = null)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(target);
        var declared = FittedLearner.Declare(learner.Name, target.Task);
        if (declared.IsFail) return Valid.Fail<FittedPipeline>(declared.Problems());
        Validation<Problem, GraphPredictor> fitted;
        if (target.ClassCodes is { } codes)
        {
            if (learner.Classify is not { } classify)
                return Valid.Fail<FittedPipeline>("param.unsupported_task", $"graph learner '{learner.Name}' does not classify; the target '{target.Name}' has classes");
            var index = GraphClassIndices(codes, y, target.Name);
            if (index.IsFail) return Valid.Fail<FittedPipeline>(index.Problems());
            fitted = classify(graphs, index.OrThrow(), rng);
        }
        else fitted = learner.Fit(graphs, y, rng);
        return fitted.Map(p =>
        {
            if (p.History is { } history) onTrained?.Invoke(history);
            var seen = new SortedSet<int>();
            foreach (var c in compositions) foreach (var z in c.AtomicNumbers) seen.Add(z);
            return new FittedPipeline(new PipelineInput(null, [], MissingElementValue.NaN, []) { CrystalGraphs = true }, target, [], [],
                new FittedLearner(learner.Name, learner.Parameters.ToArray(), p.Model, target.Task),
                new TrainingRecord(graphs.Count, GraphSha256(graphs, y), seed, [], [], seen.Select(Elements.Symbol).ToArray(), []));
        });
    }

    /// <summary>The class index (0 or 1) of each row for a graph classifier (CGCNN's head has two outputs): the position of the row's
    /// class code among the target's two ascending codes.</summary>
    /// <param name="classCodes">The target's class codes, ascending.</param>
    /// <param name="codes">Each row's class code.</param>
    /// <param name="targetName">The target column, for messages.</param>
    /// <returns>The indices, or <c>param.unsupported_task</c> for more than two classes (naming the column and the count),
    /// <c>target.invalid_label</c> for a code that is not one of the classes (naming the row, 1-based).</returns>
    public static Validation<Problem, int[]> GraphClassIndices(IReadOnlyList<int> classCodes, IReadOnlyList<double> codes, string targetName)
    {
        ArgumentNullException.ThrowIfNull(classCodes);
        ArgumentNullException.ThrowIfNull(codes);
        if (classCodes.Count != 2)
            return Valid.Fail<int[]>(new Problem("param.unsupported_task",
                $"target '{targetName}' has {classCodes.Count} classes; CGCNN's classification head has 2 outputs (binary only): merge the classes into two or choose a classifier on features",
                Column: targetName));
        var index = new int[codes.Count];
        for (var i = 0; i < codes.Count; i++)
        {
            index[i] = codes[i] == classCodes[0] ? 0 : codes[i] == classCodes[1] ? 1 : -1;
            if (index[i] < 0)
                return Valid.Fail<int[]>(new Problem("target.invalid_label",
                    $"class {codes[i].ToString(System.Globalization.CultureInfo.InvariantCulture)} is not one of the target's classes {classCodes[0]} and {classCodes[1]}", i + 1, targetName));
        }
        return Valid.Ok(index);
    }

    /// <summary>SHA-256 of crystal graphs and targets: per graph its node features, neighbour indices and distances (little-endian
    /// float64, indices as float64), then the targets.</summary>
    /// <param name="graphs">The graphs.</param>
    /// <param name="y">The targets.</param>
    /// <returns>Lower-case hex digest.</returns>
    public static string GraphSha256(IReadOnlyList<Models.Graph.CrystalGraph> graphs, IReadOnlyList<double> y)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[8];
        void Add(double v) { BinaryPrimitives.WriteDoubleLittleEndian(buffer, v); hash.AppendData(buffer); }
        foreach (var g in graphs)
        {
            foreach (var v in g.NodeFeatures) Add(v);
            foreach (var k in g.NeighborIndex) Add(k);
            foreach (var d in g.Distances) Add(d);
        }
        foreach (var v in y) Add(v);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static TrainingRecord Record(Matrix x, IReadOnlyList<double> y, IReadOnlyList<Composition>? compositions, long? seed)
    {
        var (min, max) = Applicability.Ranges(x);
        var seen = new SortedSet<int>();
        foreach (var c in compositions ?? []) foreach (var z in c.AtomicNumbers) seen.Add(z);
        return new TrainingRecord(x.Rows, Sha256(x, y), seed, min, max, seen.Select(Elements.Symbol).ToArray(), []);
    }

    /// <summary>SHA-256 of a feature matrix and targets: every value as little-endian float64, the matrix row-major, then the targets.</summary>
    /// <param name="x">Features.</param>
    /// <param name="y">Targets.</param>
    /// <returns>Lower-case hex digest.</returns>
    public static string Sha256(Matrix x, IReadOnlyList<double> y)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[8];
        foreach (var v in x.Data) { BinaryPrimitives.WriteDoubleLittleEndian(buffer, v); hash.AppendData(buffer); }
        foreach (var v in y) { BinaryPrimitives.WriteDoubleLittleEndian(buffer, v); hash.AppendData(buffer); }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Records cross-validation metrics with the model (e.g. <c>cv_mae</c>), replacing any recorded before.</summary>
    /// <param name="metrics">Metric names and values.</param>
    /// <returns>The pipeline with the metrics recorded.</returns>
    public FittedPipeline WithMetrics(IEnumerable<KeyValuePair<string, double>> metrics) => this with { Training = Training with { Metrics = metrics.ToArray() } };

    /// <summary>Applies the fitted steps to feature rows.</summary>
    /// <param name="x">Features, shape (m, n_features) in <see cref="FeatureLabels"/> order.</param>
    /// <returns>The learner's input, or <c>shape.columns_mismatch</c>.</returns>
    public Validation<Problem, Matrix> Transform(Matrix x)
    {
        if (x.Cols != FeatureLabels.Count)
            return Valid.Fail<Matrix>("shape.columns_mismatch", $"the rows have {x.Cols} features, the pipeline was fitted on {FeatureLabels.Count} ({string.Join(", ", FeatureLabels.Take(3))}, ...); featurize them as the training rows were");
        foreach (var s in Steps) x = s.Transform(x);
        return Valid.Ok(x);
    }

    /// <summary>Predicts feature rows: the learner's prediction, its standard deviation where it has one, and the applicability flags.</summary>
    /// <param name="x">Features, shape (m, n_features) in <see cref="FeatureLabels"/> order; NaN only where the pipeline imputes.</param>
    /// <param name="compositions">The rows' compositions for the unseen-element check, or null.</param>
    /// <returns>The predictions, or <c>shape.columns_mismatch</c>, or the learner's input problems.</returns>
    public Validation<Problem, PipelinePredictions> Predict(Matrix x, IReadOnlyList<Composition>? compositions = null) =>
        Input.CrystalGraphs
            ? Valid.Fail<PipelinePredictions>("param.conflict", $"the pipeline's learner '{Learner.Name}' reads crystal graphs; give it structures (Predict(IReadOnlyList<Structure>))")
            : from d in Learner.Declaration
        from input in Transform(x)
        from predictor in d.Format.Predictor(Parameters(Learner), Learner.Model)
        let outOfRange = Applicability.FeaturesOutOfRange(Training.FeatureMin, Training.FeatureMax, x)
        let unseen = compositions is null ? Enumerable.Repeat(Array.Empty<string>(), x.Rows).ToArray() : Applicability.UnseenElements(Training.Elements, compositions)
        select predictor switch
        {
            Predictor { PredictWithStd: { } withStd } => WithStd(withStd(input), outOfRange, unseen),
            Predictor p => new PipelinePredictions(p.Predict(input), null, outOfRange, unseen),
            ClassifierPredictor c => Classify(c, input, outOfRange, unseen),
            _ => throw new InvalidOperationException("unreachable: a model format gives a Predictor or a ClassifierPredictor"),
        };

    private static PipelinePredictions WithStd((double[] Mean, double[] Std) p, int[] outOfRange, string[][] unseen) =>
        new(p.Mean, p.Std, outOfRange, unseen);

    private PipelinePredictions Classify(ClassifierPredictor c, Matrix input, int[] outOfRange, string[][] unseen)
    {
        var proba = c.PredictProba(input);
        var codes = c.Predict(input);
        var codeList = Target.ClassCodes!.ToList();
        var labels = codes.Select(k => codeList.IndexOf(k) is var i and >= 0 ? Target.ClassLabels![i] : k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new PipelinePredictions(codes.Select(k => (double)k).ToArray(), null, outOfRange, unseen, labels, proba);
    }

    /// <summary>Featurizes a dataset as the training rows were and predicts it.</summary>
    /// <param name="dataset">New rows read with <see cref="PipelineInput.Spec"/> (formula and feature columns as in training).</param>
    /// <returns>The predictions, or featurization problems (row and column named), or <c>shape.columns_mismatch</c>.</returns>
    public Validation<Problem, PipelinePredictions> Predict(Dataset dataset) =>
        from x in Features(dataset)
        from predictions in Predict(x, dataset.Compositions)
        select predictions;

    /// <summary>Featurizes a dataset as the training rows were: the featurizers' columns, then the feature columns, with each categorical
    /// column coded by the code book of the fitted <c>one_hot_encoder</c> step (a value the model never saw gets code -1: all zeros).</summary>
    /// <param name="dataset">New rows read with <see cref="PipelineInput.Spec"/>.</param>
    /// <returns>The features, shape (n, n_features) in <see cref="FeatureLabels"/> order, or featurization problems, or
    /// <c>shape.columns_mismatch</c>.</returns>
    public Validation<Problem, Matrix> Features(Dataset dataset) =>
        from featurizers in Input.BuildFeaturizers()
        from features in CompositionFeaturizers.Build(featurizers, dataset)
        from labels in features.Labels.SequenceEqual(FeatureLabels)
            ? Valid.Ok(features.Labels)
            : Valid.Fail<IReadOnlyList<string>>("shape.columns_mismatch", $"the new rows give features ({string.Join(", ", features.Labels.Take(3))}, ...), the pipeline was fitted on ({string.Join(", ", FeatureLabels.Take(3))}, ...)")
        from x in Recode(features)
        select x;

    /// <summary>The cells of new rows whose category the model never saw: each is encoded as all zeros by a one-hot encoder (scikit-learn
    /// <c>handle_unknown="ignore"</c>) or as -1 by an ordinal encoder (<c>unknown_value=-1</c>), which a caller should say.</summary>
    /// <param name="dataset">New rows read with <see cref="PipelineInput.Spec"/>.</param>
    /// <returns>One <c>data.unknown_category</c> problem per such cell (row 1-based, column named, the value and the known categories
    /// in the message), or the featurization problems; empty without categorical columns.</returns>
    public Validation<Problem, IReadOnlyList<Problem>> UnknownCategories(Dataset dataset) =>
        Encoder() is not { } e ? Valid.Ok<IReadOnlyList<Problem>>([])
        : Features(dataset).Map(x => (IReadOnlyList<Problem>)OneHotEncoder.Unknown(e, x).Select(u => new Problem("data.unknown_category",
            $"'{u.Value}' is not among the {Known(u.Column).Count} categories of '{u.Column}' in the training rows ({string.Join(", ", Known(u.Column).Take(8))}{(Known(u.Column).Count > 8 ? ", ..." : "")}); " +
            (Steps[0] is FittedStep.Ordinal ? "it is encoded as -1 (handle_unknown=\"use_encoded_value\", unknown_value=-1)" : "it is encoded as all zeros (handle_unknown=\"ignore\")") +
            ", so the prediction rests on the other features: check the spelling, or refit with rows of this category",
            u.Row + 1, u.Column)).ToArray());

    /// <summary>The first step's categorical columns and categories (one-hot or ordinal encoder, as a one-hot model: both learn the same), or null.</summary>
    private OneHotEncoderModel? Encoder() => Steps.FirstOrDefault() switch
    {
        FittedStep.OneHot o => o.Model,
        FittedStep.Ordinal o => new OneHotEncoderModel(o.Model.NFeaturesIn, o.Model.Columns, o.Model.Categories),
        _ => null,
    };

    private IReadOnlyList<string> Known(string column) =>
        Encoder() is { } e ? e.Categories[e.Columns.ToList().FindIndex(c => c.Name == column)] : [];

    /// <summary>Re-codes the categorical columns of freshly built features from the dataset's code books to the fitted encoder's.</summary>
    private Validation<Problem, Matrix> Recode(FeatureSet features)
    {
        if (features.Categorical.Count == 0) return Valid.Ok(features.X);
        if (Encoder() is not { } o)
            return Valid.Fail<Matrix>("shape.columns_mismatch", $"column '{features.Categorical[0].Name}' is read as categories, but the pipeline has no one-hot or ordinal encoder for it; read the rows with PipelineInput.Spec");
        var data = features.X.Data.ToArray();
        var cols = features.X.Cols;
        foreach (var c in features.Categorical)
        {
            var fitted = o.Columns.FirstOrDefault(f => f.Index == c.Index);
            if (fitted is null)
                return Valid.Fail<Matrix>("shape.columns_mismatch", $"column '{c.Name}' is read as categories, but the pipeline's {Steps[0].Name} does not encode it; read the rows with PipelineInput.Spec");
            var book = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var k = 0; k < fitted.Values.Count; k++) book[fitted.Values[k]] = k;
            for (var i = 0; i < features.X.Rows; i++)
            {
                var v = data[i * cols + c.Index];
                if (!double.IsNaN(v)) data[i * cols + c.Index] = book.TryGetValue(c.Values[(int)v], out var k) ? k : -1;
            }
        }
        return Valid.Ok(Matrix.Own(features.X.Rows, cols, data));
    }

    /// <summary>Featurizes crystal structures as the training structures were (the fitted structure featurizers of
    /// <see cref="PipelineInput.Structures"/>, nothing refitted) and predicts them.</summary>
    /// <param name="structures">n new structures.</param>
    /// <returns>The predictions (unseen elements from each structure's composition), or <c>param.conflict</c> when the pipeline was
    /// not fitted on structures, or every structure's featurization problem with its row (0-based) and featurizer, e.g.
    /// <c>featurize.too_many_sites</c> (more sites than the fitted Coulomb length), <c>structure.disordered</c>, <c>featurize.non_finite</c>;
    /// for a pipeline on crystal graphs (<see cref="PipelineInput.CrystalGraphs"/>): each structure's graph is built with the learner's
    /// options and predicted (no feature ranges: <see cref="PipelinePredictions.FeaturesOutOfRange"/> is 0), or the graph problems naming
    /// the structure's row, e.g. <c>graph.unknown_element</c> (an element atom_init.json lacks) or <c>graph.disordered_site</c>.</returns>
    public Validation<Problem, PipelinePredictions> Predict(IReadOnlyList<Structure> structures)
    {
        ArgumentNullException.ThrowIfNull(structures);
        if (Input.CrystalGraphs)
            return from d in Learner.Declaration
                   from predictor in d.Format.Predictor(Parameters(Learner), Learner.Model)
                   let graph = (GraphPredictor)predictor
                   from graphs in graph.Build(structures)
                   let compositions = structures.Select(s => s.Composition).ToArray()
                   // A published model (GraphLearners.FromPublishedJson) records no training elements: none is flagged then.
                   let unseen = Training.Elements.Count == 0 ? compositions.Select(_ => Array.Empty<string>()).ToArray() : Applicability.UnseenElements(Training.Elements, compositions)
                   select graph.Probabilities is { } proba && Target.ClassCodes is { } codes
                       ? ClassifyGraphs(proba(graphs), codes, new int[structures.Count], unseen)
                       : new PipelinePredictions(graphs.Length == 0 ? [] : graph.Predict(graphs), null, new int[structures.Count], unseen);
        if (Input.Structures is not { } fitted)
            return Valid.Fail<PipelinePredictions>("param.conflict", "the pipeline was fitted on rows of a table, not on crystal structures; give it the rows (Predict(Dataset))");
        return from featurizer in fitted.Build()
               from columns in ColumnsOf(featurizer.Labels)
               from set in StructureFeaturizer.Build(featurizer, structures)
               from predictions in Predict(set.X.SelectColumns(columns), structures.Select(s => s.Composition).ToArray())
               select predictions;
    }

    /// <summary>A graph classifier's predictions: the probabilities in the target's class order, the more probable class (the first on a
    /// tie, as <see cref="ClassifierPredictor.ArgMax"/>), its code and label.</summary>
    private PipelinePredictions ClassifyGraphs(double[][] p, IReadOnlyList<int> codes, int[] outOfRange, string[][] unseen)
    {
        var proba = Matrix.Own(p.Length, 2, p.SelectMany(r => r).ToArray());
        var predicted = ClassifierPredictor.ArgMax(codes, proba);
        var labels = predicted.Select(k => Target.ClassLabels![codes.ToList().IndexOf(k)]).ToArray();
        return new PipelinePredictions(predicted.Select(k => (double)k).ToArray(), null, outOfRange, unseen, labels, proba);
    }

    /// <summary>Where each of <see cref="FeatureLabels"/> sits among a featurizer's labels.</summary>
    private Validation<Problem, int[]> ColumnsOf(IReadOnlyList<string> labels)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j < labels.Count; j++) index.TryAdd(labels[j], j);
        var missing = FeatureLabels.FirstOrDefault(l => !index.ContainsKey(l));
        return missing is null
            ? Valid.Ok(FeatureLabels.Select(l => index[l]).ToArray())
            : Valid.Fail<int[]>("shape.columns_mismatch", $"the structure featurizers ({string.Join(",", Input.Structures!.Names)}) give no feature '{missing}' the pipeline was fitted on; the model file is inconsistent: fit it again");
    }

    internal static IReadOnlyDictionary<string, string> Parameters(FittedLearner learner) =>
        learner.Parameters.ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>Compares every part of the pipeline: input, target, labels, every step's numbers, the learner's model (bit for bit) and the training record.</summary>
    /// <param name="other">The other pipeline.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(FittedPipeline? other) => other is not null && Input.Equals(other.Input) && Target == other.Target
        && FeatureLabels.SequenceEqual(other.FeatureLabels) && Steps.Count == other.Steps.Count
        && Enumerable.Range(0, Steps.Count).All(i => Steps[i].Write().SameAs(other.Steps[i].Write())) && Learner.Equals(other.Learner) && Training.Equals(other.Training);

    /// <summary>Hashes consistently with equality.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(Input, Target, FeatureLabels.Count, Steps.Count, Learner, Training);
}
