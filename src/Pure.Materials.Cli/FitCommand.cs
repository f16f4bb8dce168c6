using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize;
using Pure.Materials.Models.Linear;
using Pure.Materials.Pipelines;
using Pure.Materials.Select;
using Pure.Materials.Split;

namespace Pure.Materials.Cli;

/// <summary>Arguments of <c>fit</c>: cv's data, feature, preprocessing and learner options, the extra pipeline steps, and the model file.</summary>
/// <param name="Structures">With <c>--structures</c>: the fitted structure featurizers that made <c>Cv.Table</c> (saved as the pipeline's input).</param>
internal sealed record FitArgs(CvArgs Cv, int? HoldoutFold, int? PolynomialDegree, int? PcaComponents, string ModelPath, bool CrossValidate = false,
    Pure.Materials.Featurize.Structural.StructureFeaturization? Structures = null);

/// <summary>The <c>fit</c> command: train the final pipeline on every row (or every row outside one fold) and save it as a model file.</summary>
internal static class FitCommand
{
    public static Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var data = Options.Data();
        data.Required = false; // --data or --structures
        var structures = Options.Structures();
        var target = Options.Target();
        var formula = Options.FormulaColumn();
        var featurizers = Options.Featurizers();
        var featureColumns = Options.FeatureColumns();
        var categorical = Options.CategoricalColumns();
        var encoding = Options.CategoricalEncoding();
        var idColumn = Options.IdColumn();
        var cations = Options.MolecularCations();
        var impute = Options.Impute();
        var scale = Options.Scale();
        var model = Options.Model();
        var set = Options.Set();
        var seed = Options.Seed();
        var unit = Options.TargetUnit();
        var foldColumn = Options.FoldColumn();
        var folds = Options.Folds();
        var cv = new System.CommandLine.Option<bool>("--cv")
        {
            Description = "Also cross-validate the pipeline on the training rows (split by --fold-column, or --folds K) and record each metric's mean and std in the model file; the metrics equal cv's for the same seed and split.",
        };
        var holdout = new System.CommandLine.Option<int?>("--holdout-fold")
        {
            Description = "Leave out the rows of this fold (with --fold-column) and fit exactly the model cv fits for that fold (same rows, same random stream), e.g. to predict the fold later with predict.",
        };
        var task = Options.Task();
        var select = Options.Select();
        var polynomial = new System.CommandLine.Option<int?>("--polynomial-degree") { Description = "Polynomial features step (scikit-learn PolynomialFeatures) of this degree, after scaling." };
        var pca = new System.CommandLine.Option<int?>("--pca") { Description = "PCA step keeping this many components, after scaling (and polynomial features)." };
        var output = Options.RequiredOut();
        var command = new Command("fit", "Fit the final pipeline (featurizers, preprocessing steps, learner) on a CSV file (or on crystal structures, --structures) and save it as a model file for predict.")
            { data, structures, target, formula, featurizers, featureColumns, categorical, encoding, idColumn, cations, impute, scale, model, set, seed, unit, foldColumn, folds, holdout, cv, task, select, polynomial, pca, output };
        command.SetAction(r => run(() =>
        {
            var a = new FitArgs(
                new CvArgs(r.GetValue(data)!, r.GetValue(target)!, r.GetValue(formula), r.GetValue(featurizers), r.GetValue(featureColumns), r.GetValue(idColumn),
                    r.GetValue(impute)!, r.GetValue(scale), r.GetValue(model)!, r.GetValue(set) ?? [], r.GetValue(folds), r.GetValue(foldColumn), null, r.GetValue(seed), null,
                    r.GetValue(unit)!, Task: r.GetValue(task), Select: r.GetValue(select)) { MolecularCations = r.GetValue(cations), CategoricalColumns = r.GetValue(categorical), CategoricalEncoding = r.GetValue(encoding)! },
                r.GetValue(holdout), r.GetValue(polynomial), r.GetValue(pca), r.GetValue(output)!, r.GetValue(cv));
            if (GraphLearners.Contains(a.Cv.Model)) return Run(a, () => GraphCommand.Fit(a, r.GetValue(structures)));
            return r.GetValue(structures) is string source ? RunStructures(a, source)
                : a.Cv.Data is null ? [new Problem("param.missing", "fit needs --data FILE (a CSV) or --structures FILE|DIR|matbench_phonons (crystal structures)")]
                : Run(a);
        }));
        return command;
    }

    /// <summary><c>fit --structures</c>: featurizes the structures (fitting the Coulomb length on all of them, as cv does) into cv's
    /// in-memory table and fits on it, so <c>--holdout-fold k</c> fits exactly cv's fold-k model; the model file keeps the structure
    /// featurizers with their fitted state, and predict featurizes new structures with them.</summary>
    internal static IReadOnlyList<Problem> RunStructures(FitArgs a, string source)
    {
        if (a.Cv.Data is not null) return [new Problem("param.conflict", "give either --data (a CSV) or --structures (crystal structures), not both")];
        if (a.Cv.FormulaColumn is not null)
            return [new Problem("param.conflict", "--formula-column does not apply to --structures: composition featurizers describe each structure's composition; name them in --featurizers")];
        var table = StructureFeaturizeCommand.Table(source, a.Cv.Featurizers ?? "magpie", "nan", a.Cv.Target, a.Cv.Task);
        if (table.IsFail) return table.Problems();
        var (csv, idName, featurization) = table.OrThrow();
        return Run(a with { Cv = Cli.StructureArgs(a.Cv, source, csv, idName), Structures = featurization });
    }

    public static IReadOnlyList<Problem> Run(FitArgs a) => Run(a, () => Fit(a));

    /// <summary>Fits (with <paramref name="fit"/>), saves the pipeline (or reports why none was fitted) and says what was written.</summary>
    internal static IReadOnlyList<Problem> Run(FitArgs a, Func<Validation<Problem, (FittedPipeline Pipeline, int TrainRows)>> fit)
    {
        var clock = Stopwatch.StartNew();
        var fitted = fit();
        if (fitted.IsFail) return fitted.Problems();
        var (pipeline, trainRows) = fitted.OrThrow();
        var fitSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var state = ModelFile.ToState(pipeline);
        if (state.IsFail) return state.Problems();
        var header = ModelFileHeader.Now();
        var temp = Outputs.Temporary(a.ModelPath);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
            ModelFile.Write(stream, state.OrThrow(), header);
        Outputs.Commit([(temp, a.ModelPath)]);
        var saveSeconds = clock.Elapsed.TotalSeconds;
        var bytes = new FileInfo(a.ModelPath).Length;
        Console.WriteLine($"fitted {pipeline.Learner.Name} on {trainRows} {(pipeline.Input.CrystalGraphs ? "crystal graphs" : $"rows x {pipeline.FeatureLabels.Count} features")}" +
                          (a.HoldoutFold is { } k ? $" (fold {k} held out)" : "") +
                          $"; steps: {(pipeline.Steps.Count == 0 ? "none" : string.Join(", ", pipeline.Steps.Select(s => s.Name)))}");
        if (pipeline.Training.Metrics.Count > 0)
            Console.WriteLine("cross-validation (recorded in the model): " + string.Join(", ", pipeline.Training.Metrics.Where(kv => kv.Key.EndsWith("_mean", StringComparison.Ordinal))
                .Select(kv => $"{kv.Key[3..^5]} {Cli.F(kv.Value)}")));
        Console.WriteLine($"wrote {a.ModelPath}: {bytes / 1e6:0.00} MB (format {header.FormatVersion}); fit {fitSeconds:0.00} s, save {saveSeconds:0.00} s");
        if (WriteLossCurve(pipeline.Learner.Model, a) is { } svgPath) Console.WriteLine($"wrote {svgPath}: training loss per epoch");
        return [];
    }

    /// <summary>For a network (mlp), writes MODEL.loss.svg next to the model file: the training loss per epoch (<c>loss_curve_</c>) and,
    /// with early stopping, the held-out error of its validation split (1 - R² for regression, 1 - accuracy for classes).</summary>
    /// <returns>The path written, or null for a learner without epochs (or a history that cannot be drawn).</returns>
    private static string? WriteLossCurve(object model, FitArgs a)
    {
        var curve = model switch
        {
            Models.Neural.MlpRegressorModel m => ((IReadOnlyList<double>)m.LossCurve, m.ValidationScores.Select(v => 1 - v).ToArray(),
                "held-out 1 - R\u00b2 (early-stopping split)", "Loss (training) or 1 - R\u00b2 (held out)"),
            Models.Neural.MlpClassifierModel m => (m.LossCurve, m.ValidationScores.Select(v => 1 - v).ToArray(),
                "held-out error rate, 1 - accuracy (early-stopping split)", "Mean log-loss (training) or error rate (held out)"),
            _ => default((IReadOnlyList<double>, double[], string, string)?),
        };
        if (curve is not { } c) return null;
        var path = Path.ChangeExtension(a.ModelPath, null) + ".loss.svg";
        return Plots.LossCurveSvg([(c.Item1, c.Item2)], new PlotOptions(Title: $"mlp on {Path.GetFileNameWithoutExtension(a.Cv.Data ?? "")}: loss per epoch", Quantity: a.Cv.Target, Unit: a.Cv.TargetUnit),
                c.Item4, c.Item3)
            .Match(svg => { File.WriteAllText(path, svg); Png.Beside([(path, path)], p => p); return (string?)path; }, _ => (string?)null);
    }

    /// <summary>Reads, featurizes and fits; the learner's stream is the one cv gives the fold (or its first fold).</summary>
    internal static Validation<Problem, (FittedPipeline Pipeline, int TrainRows)> Fit(FitArgs a)
    {
        var problems = new List<Problem>();
        if (a.HoldoutFold is not null && a.Cv.FoldColumn is null)
            problems.Add(new Problem("param.missing", "--holdout-fold needs --fold-column NAME (the column of fold labels)"));
        if (a.HoldoutFold is < 0) problems.Add(new Problem("param.out_of_range", $"--holdout-fold {a.HoldoutFold} is negative; folds are numbered 0..K-1"));
        if (a.PolynomialDegree is < 1 or > 6) problems.Add(new Problem("param.out_of_range", $"--polynomial-degree {a.PolynomialDegree} is outside 1..6"));
        if (a.PcaComponents is < 1) problems.Add(new Problem("param.out_of_range", $"--pca {a.PcaComponents} is below 1 component"));
        if (a.CrossValidate && a.Cv.FoldColumn is null && a.Cv.Folds is null)
            problems.Add(new Problem("param.missing", "--cv needs a split: --fold-column NAME or --folds K"));
        if (a.CrossValidate && a.HoldoutFold is not null)
            problems.Add(new Problem("param.conflict", "--cv cross-validates on every row; --holdout-fold fits one fold's model: give one of them"));
        if (!a.CrossValidate && a.Cv.Folds is not null)
            problems.Add(new Problem("param.conflict", "--folds K splits the rows for --cv; add --cv or drop --folds"));
        var parsed = CvCommand.ParseTask(a.Cv with { Select = null });
        problems.AddRange(parsed.Problems());
        if (problems.Count > 0) return Valid.Fail<(FittedPipeline, int)>(problems);
        var (spec, featurizers, taskPipeline, splitKind, kind) = parsed.OrThrow();
        if (CvCommand.FeatureNote(a.Cv) is { } note) Console.Error.WriteLine(note);
        var (impute, scale, learner) = taskPipeline switch
        {
            TaskPipeline.Regression r => (r.Options.Impute, r.Options.Scale, (PipelineLearner)r.Options.Learner),
            TaskPipeline.Classification k => (k.Options.Impute, k.Options.Scale, (PipelineLearner)k.Options.Learner),
            _ => throw new InvalidOperationException("unreachable: TaskPipeline is a closed union"),
        };
        Validation<Problem, PipelineStep[]> selection = (a.Cv.Select, learner) switch
        {
            (null, _) => Valid.Ok(Array.Empty<PipelineStep>()),
            (var text, PipelineLearner.Regressor r) => SelectCommand.ParseSelector(text, r.Learner).Map(s => new PipelineStep[] { new PipelineStep.Select(s) }),
            _ => Valid.Fail<PipelineStep[]>("param.unsupported_task", $"--select ranks features with a regressor; target '{a.Cv.Target}' holds classes (drop --select)"),
        };
        if (selection.IsFail) return Valid.Fail<(FittedPipeline, int)>(selection.Problems());
        IReadOnlyList<PipelineStep> steps =
        [
            .. PipelineSpec.Front(impute, scale),
            .. selection.OrThrow(),
            .. a.PolynomialDegree is { } d ? [new PipelineStep.Polynomial(new PolynomialFeaturesOptions { Degree = d, IncludeBias = false })] : Array.Empty<PipelineStep>(),
            .. a.PcaComponents is { } c ? [new PipelineStep.Pca(new PcaOptions(c))] : Array.Empty<PipelineStep>(),
        ];
        var input = new PipelineInput(spec.FormulaColumn, CvCommand.FeaturizerNames(a.Cv).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), MissingElementValue.NaN, [.. spec.FeatureColumns]) { MolecularCations = spec.MolecularCations };
        var pipelineSpec = new PipelineSpec(input, steps, learner);

        // The same steps as cv's query (load, parse and featurize draw nothing), so the learner's stream below is the one cv gives its folds.
        var experiment =
            from table in Step.From(() => a.Cv.Table is { } inMemory ? Valid.Ok(inMemory) : BundledData.OpenPathOrName(a.Cv.Data))
            from dataset in Step.From(() => Dataset.FromTable(spec, table))
            from target in Step.From(() => TaskTarget.FromDataset(dataset, kind, a.Cv.TargetUnit))
            from features in Step.From(() => CompositionFeaturizers.Build(featurizers, dataset).Bind(f => CvCommand.FiniteUnlessImputed(impute, f, dataset))
                .Map(f => { CvCommand.CategoricalNote(dataset, a.Cv.Encoding); return f; }))
            // With --cv: the split (drawn first when it is random, as in cv) and, from one stream, cv's folds and the fit (whose stream is
            // the one cv gives its first fold), so the recorded metrics are cv's and, for a fold column, the model is the one fit writes without --cv.
            from splits in a.CrossValidate ? CvCommand.MakeSplits(splitKind, table, dataset, CvCommand.SplitFeatures(splitKind, features)) : Step.Of<IReadOnlyList<TrainTest>>([])
            from fitted in Step.Random(rng => FitRows(a, pipelineSpec, dataset, target, features, rng)
                .Bind(f => a.CrossValidate
                    ? TaskEvaluation.CrossValidate(taskPipeline.WithCategorical(features.Categorical, a.Cv.Encoding), features.X, target, splits, rng).Map(report => (f.Item1.WithMetrics(CvMetrics(report)), f.Item2))
                    : Valid.Ok(f)))
            select fitted;
        // Fitted on structures: the input is the structure featurizers (with their fitted state), not the in-memory table's columns.
        return experiment.Run(a.Cv.Seed).Map(f => a.Structures is { } st
            ? (f.Item1 with { Input = new PipelineInput(null, [], MissingElementValue.NaN, [], st) }, f.Item2)
            : f);
    }

    /// <summary>Each metric's mean and population std over the folds, as <c>cv_KEY_mean</c> and <c>cv_KEY_std</c>.</summary>
    internal static IEnumerable<KeyValuePair<string, double>> CvMetrics(TaskReport report) =>
        report.MetricKeys.SelectMany(k => new[]
        {
            KeyValuePair.Create($"cv_{k}_mean", report.Summary[k].Mean),
            KeyValuePair.Create($"cv_{k}_std", report.Summary[k].Std),
        });

    /// <summary>The rows fit trains on and the learner's stream: every row and the first of one stream, or, with <c>--holdout-fold K</c>,
    /// fold K's training rows and the K-th of the folds' streams (so the model is cv's fold-K model).</summary>
    internal static Validation<Problem, (int[] Train, Rng Stream)> TrainingRows(FitArgs a, Dataset ds, Rng rng)
    {
        if (a.HoldoutFold is not { } k)
            return Valid.Ok((Enumerable.Range(0, ds.Count).ToArray(), rng.SplitMany(1).Streams[0]));
        return PredefinedFolds.FromLabels(ds.Folds!).Bind(all => k < all.Length
            ? Valid.Ok((all[k].Train, rng.SplitMany(all.Length).Streams[k]))
            : Valid.Fail<(int[], Rng)>("param.out_of_range", $"--holdout-fold {k}, but column '{a.Cv.FoldColumn}' has folds 0..{all.Length - 1}"));
    }

    private static Validation<Problem, (FittedPipeline, int)> FitRows(FitArgs a, PipelineSpec spec, Dataset ds, TaskTarget target, FeatureSet features, Rng rng)
    {
        var rows = TrainingRows(a, ds, rng);
        if (rows.IsFail) return Valid.Fail<(FittedPipeline, int)>(rows.Problems());
        var (train, stream) = rows.OrThrow();
        var x = features.X.SelectRows(train);
        var compositions = ds.Compositions is { } c ? train.Select(i => c[i]).ToArray() : null;
        // Feature columns as the dataset resolved them (patterns expanded), so predict reads exactly these; categorical columns first
        // encoded (one-hot or ordinal) with the categories of the training rows (the step predict applies with the same code book).
        spec = spec with
        {
            Input = spec.Input with { FeatureColumns = ds.ColumnFeatureNames.ToArray(), CategoricalColumns = ds.Categories.Select(c => c.Name).ToArray() },
            Steps = features.Categorical.Count == 0 ? spec.Steps
                : a.Cv.Encoding == Pure.Materials.Scale.CategoricalEncoding.Ordinal ? [new PipelineStep.Ordinal(new Pure.Materials.Scale.OrdinalEncoderOptions(features.Categorical)), .. spec.Steps]
                : [new PipelineStep.OneHot(features.OneHot!), .. spec.Steps],
        };
        return FittedPipeline.Fit(spec, new FeatureSet(features.Labels, x), target.Subset(train), a.Cv.Target, compositions, stream, a.Cv.Seed)
            .MapFail(p => p.Row is int r && r >= 1 && r <= train.Length ? p with { Row = train[r - 1] + 1 } : p)
            .Map(p => (p, train.Length));
    }
}
