using System.CommandLine;
using System.Globalization;
using Pure.Materials.Core;

namespace Pure.Materials.Cli;

/// <summary>The <c>pure-materials</c> command line: the main job (no arguments), <c>featurize</c> and <c>cv</c>.</summary>
internal static class Cli
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Pure.Materials: machine learning on materials data.\n" +
            "With no arguments: the main job, a cross-validated random forest predicting experimental band gaps (Matbench expt_gap, Magpie features, official 5 folds).");
        var seedOption = new Option<long>("--seed") { Description = "Seed of every random choice (bootstrap, feature sampling, shuffled folds).", DefaultValueFactory = _ => 0 };
        var rootOut = new Option<string?>("--out") { Description = "Directory for report.json, predictions.csv and parity.svg." };
        root.Add(seedOption);
        root.Add(rootOut);
        root.SetAction(r => Run(() => CvCommand.Run(CvArgs.MainJob(r.GetValue(seedOption), r.GetValue(rootOut)))));
        root.Add(FeaturizeCommand());
        root.Add(CvCommandDefinition());
        root.Add(SearchCommand.Definition(Run));
        root.Add(LearningCurveCommand.Definition(Run));
        root.Add(PcaCommand.Definition(Run));
        root.Add(ClusterCommand.Definition(Run));
        root.Add(SelectCommand.Definition(Run));
        root.Add(ReportCommand.Definition(Run));
        root.Add(ActiveCommand.Definition(Run));
        root.Add(ExplainCommand.Definition(Run));
        root.Add(ModelsCommand.Definition(Run));
        return root;
    }

    private static Command FeaturizeCommand()
    {
        var data = new Option<string>("--data") { Description = "CSV file, or a bundled dataset name (matbench_expt_gap, matbench_expt_is_metal, perovskite_dft).", Required = true };
        var formula = new Option<string>("--formula-column") { Description = "Column holding chemical formulas.", DefaultValueFactory = _ => "composition" };
        var featurizers = new Option<string>("--featurizers")
        {
            Description = "Comma-separated featurizer names, columns in this order: " + string.Join(", ", Pure.Materials.Featurize.CompositionFeaturizers.Names) + ".",
            DefaultValueFactory = _ => "magpie",
        };
        var idColumn = new Option<string?>("--id-column") { Description = "Column of row identifiers (default: mbid, id, material_id or Index when present)." };
        var impute = new Option<string>("--element-values") { Description = "Missing element property values: nan (matminer v0.9.0) or table-mean.", DefaultValueFactory = _ => "nan" };
        var output = new Option<string>("--out") { Description = "Output CSV: id and formula columns, then one column per feature.", Required = true };
        var onError = new Option<string>("--on-error") { Description = "A row that cannot be featurized (bad formula, wrong field count): stop (report it, write nothing) or skip (leave it out, list it in the skipped-rows report).", DefaultValueFactory = _ => "stop" };
        var skippedReport = new Option<string?>("--skipped-report") { Description = "With --on-error skip: CSV listing skipped rows (row, id, formula, code, message). Default: OUT.skipped.csv." };
        var chunkSize = new Option<int>("--chunk-size") { Description = "Rows read, featurized in parallel and written per chunk; memory is bounded by about two chunks.", DefaultValueFactory = _ => 4096 };
        var command = new Command("featurize", "Compute composition descriptors for every row of a CSV file, streaming (bounded memory for any file size).")
            { data, formula, featurizers, idColumn, impute, output, onError, skippedReport, chunkSize };
        command.SetAction(r => Run(() => Featurize.Run(new FeaturizeArgs(
            r.GetValue(data)!, r.GetValue(formula)!, r.GetValue(featurizers)!, r.GetValue(idColumn), r.GetValue(impute)!, r.GetValue(output)!,
            r.GetValue(onError)!, r.GetValue(skippedReport), r.GetValue(chunkSize)))));
        return command;
    }

    private static Command CvCommandDefinition()
    {
        var data = new Option<string>("--data") { Description = "CSV file, or a bundled dataset name.", Required = true };
        var target = new Option<string>("--target") { Description = "Target column (numeric).", Required = true };
        var formula = new Option<string?>("--formula-column") { Description = "Column of chemical formulas (needed by --featurizers)." };
        var featurizers = new Option<string?>("--featurizers") { Description = "Comma-separated featurizers: " + string.Join(", ", Pure.Materials.Featurize.CompositionFeaturizers.Names) + ". Default: magpie when --formula-column is given and --feature-columns is not." };
        var featureColumns = new Option<string?>("--feature-columns") { Description = "Comma-separated numeric columns used as features (alone or beside featurizers)." };
        var idColumn = new Option<string?>("--id-column") { Description = "Column of row identifiers." };
        var impute = new Option<string>("--impute") { Description = "Missing feature values: mean (fitted on training rows) or none.", DefaultValueFactory = _ => "mean" };
        var scale = new Option<string?>("--scale") { Description = "standard, minmax or none. Default: standard for ridge, none for trees." };
        var model = new Option<string>("--model") { Description = "Regression: " + string.Join(", ", Pure.Materials.Models.Learners.Names) + ". Classification: " + string.Join(", ", Pure.Materials.Models.Classification.Classifiers.Names) + ". Parameters of each: pure-materials models NAME.", DefaultValueFactory = _ => "rf" };
        var set = new Option<string[]>("--set") { Description = "Model parameter with scikit-learn's name, key=value; repeat per parameter (e.g. --set n_estimators=500); `pure-materials models NAME` lists them.", DefaultValueFactory = _ => [] };
        var folds = new Option<int?>("--folds") { Description = "Seeded shuffled k-fold with K folds." };
        var foldColumn = new Option<string?>("--fold-column") { Description = "Column of predefined test folds 0..K-1 (Matbench: fold)." };
        var testFraction = new Option<double?>("--test-fraction") { Description = "One seeded train/test split with this test fraction." };
        var seed = new Option<long>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Directory for report.json, predictions.csv and parity.svg." };
        var unit = new Option<string>("--target-unit") { Description = "Unit of the target for plot axes (e.g. eV).", DefaultValueFactory = _ => "" };
        var groups = new Option<string?>("--groups") { Description = "Group k-fold: keep rows of one group in one fold; 'reduced-formula' (polymorphs together) or a column name." };
        var stratify = new Option<bool>("--stratify") { Description = "Stratified k-fold for class targets (boolean or whole numbers): each fold keeps the class ratios. With --groups: stratified group k-fold." };
        var loo = new Option<bool>("--loo") { Description = "Leave-one-out cross-validation (one split per row)." };
        var task = new Option<string?>("--task") { Description = "classification (models: logistic, gnb, knn, svc, rf, tree, extra-trees, gbm; confusion matrix, accuracy, ROC-AUC, ...) or regression. Default: classification for a boolean target (True/False) or text labels (e.g. cubic, tetragonal; names kept in the report) when every value is a plausible label (not a decimal comma like 2,1, not a number with a unit like 2.1 eV, not a typo in a True/False column: those are reported at the cell), else regression; whole numbers stay regression unless --task classification (they are usually counts or space-group numbers, not class codes)." };
        var select = new Option<string?>("--select") { Description = "Feature selection refitted inside each training fold: variance[:THRESHOLD], correlation:K, rfe:K or model[:THRESHOLD] (rfe and model rank features with --model)." };
        var (onError, skippedReport) = SearchCommand.OnErrorOptions();
        var command = new Command("cv", "Cross-validate a model on a CSV file and report per-fold and mean metrics.")
            { data, target, formula, featurizers, featureColumns, idColumn, impute, scale, model, set, folds, foldColumn, testFraction, seed, output, unit, groups, stratify, loo, task, select, onError, skippedReport };
        command.SetAction(r => Run(() => CvCommand.Run(new CvArgs(
            r.GetValue(data)!, r.GetValue(target)!, r.GetValue(formula), r.GetValue(featurizers), r.GetValue(featureColumns), r.GetValue(idColumn),
            r.GetValue(impute)!, r.GetValue(scale), r.GetValue(model)!, r.GetValue(set) ?? [], r.GetValue(folds), r.GetValue(foldColumn),
            r.GetValue(testFraction), r.GetValue(seed), r.GetValue(output), r.GetValue(unit)!,
            r.GetValue(groups), r.GetValue(stratify), r.GetValue(loo), r.GetValue(task), r.GetValue(select), r.GetValue(onError)!, r.GetValue(skippedReport)))));
        return command;
    }

    /// <summary>Runs a command body: problems become one line each on stderr and exit code 1.</summary>
    private static int Run(Func<IReadOnlyList<Problem>> body)
    {
        IReadOnlyList<Problem> problems;
        try
        {
            problems = body();
        }
        catch (IOException e)
        {
            problems = [new Problem("io.write_failed", $"could not write output: {e.Message}")];
        }
        catch (UnauthorizedAccessException e)
        {
            problems = [new Problem("io.write_failed", $"could not write output: {e.Message}")];
        }
        foreach (var p in problems.Take(50)) Console.Error.WriteLine($"error: {FlagNames.ToCli(p)}");
        if (problems.Count > 50) Console.Error.WriteLine($"error: ... and {problems.Count - 50} more problems");
        return problems.Count == 0 ? 0 : 1;
    }

    internal static string F(double v, string format = "0.0000") => double.IsNaN(v) ? "undefined" : v.ToString(format, CultureInfo.InvariantCulture);
}
