using System.CommandLine;
using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize.Structural;
using Pure.Materials.Pipelines;
using Spectre.Console;

namespace Pure.Materials.Cli;

/// <summary>The <c>pure-materials</c> command line: the main job (no arguments), <c>featurize</c> and <c>cv</c>.</summary>
internal static class Cli
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Pure.Materials: machine learning on materials data.\n" +
            "With no arguments: the main job, a cross-validated random forest predicting experimental band gaps (Matbench expt_gap, Magpie features, official 5 folds).");
        var seedOption = Options.Seed();
        var rootOut = Options.Out();
        var rootQuiet = Options.Quiet();
        var rootJson = Options.Json();
        root.Add(seedOption);
        root.Add(rootOut);
        root.Add(rootQuiet);
        root.Add(rootJson);
        root.Add(Options.PngDpi());
        root.SetAction(r => Run(() => CvCommand.Run(CvArgs.MainJob(r.GetValue(seedOption), r.GetValue(rootOut)) with
        {
            Quiet = r.GetValue(rootQuiet),
            Json = r.GetValue(rootJson),
        })));
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
        root.Add(FitCommand.Definition(Run));
        root.Add(PredictCommand.Definition(Run));
        root.Add(ScreenCommand.Definition(Run));
        root.Add(MergeCommand.Definition(Run));
        root.Add(BenchmarkCommand.Definition(Run));
        return root;
    }

    private static Command FeaturizeCommand()
    {
        var data = Options.Data();
        data.Required = false; // --data or --structures
        var structures = Options.Structures();
        var formula = Options.FormulaColumn("composition");
        var featurizers = Options.Featurizers();
        var idColumn = Options.IdColumn();
        var cations = Options.MolecularCations();
        var impute = new Option<string>("--element-values") { Description = "Missing element property values: nan (matminer v0.9.0) or table-mean.", DefaultValueFactory = _ => "nan" };
        var output = Options.RequiredOut();
        var onError = Options.OnError();
        var skippedReport = Options.SkippedReport();
        var chunkSize = Options.ChunkSize();
        var command = new Command("featurize", "Compute composition descriptors for every row of a CSV file, streaming (bounded memory for any file size): the output keeps every input column (id, formula, target, fold, ...) and adds the features after them, as matminer's featurize_dataframe.")
            { data, structures, formula, featurizers, idColumn, cations, impute, output, onError, skippedReport, chunkSize };
        command.SetAction(r => Run(() => r.GetValue(structures) is string s
            ? r.GetValue(data) is not null
                ? [new Problem("param.conflict", "give either --data (formulas) or --structures (crystal structures), not both")]
                : StructureFeaturizeCommand.Run(new StructureFeaturizeArgs(s, r.GetValue(featurizers) ?? "magpie", r.GetValue(impute)!, r.GetValue(output)!))
            : r.GetValue(data) is null
                ? [new Problem("param.missing", "featurize needs --data FILE (a CSV of formulas) or --structures FILE|DIR|matbench_phonons (crystal structures)")]
                : Featurize.Run(new FeaturizeArgs(
            r.GetValue(data)!, r.GetValue(formula)!, r.GetValue(featurizers) ?? "magpie", r.GetValue(idColumn), r.GetValue(impute)!, r.GetValue(output)!,
            r.GetValue(onError)!, r.GetValue(skippedReport), r.GetValue(chunkSize)) { MolecularCations = r.GetValue(cations) })));
        return command;
    }

    private static Command CvCommandDefinition()
    {
        var options = new SupervisedOptions(cvOnly: true, onError: true);
        options.Data.Required = false; // --data or --structures
        var command = options.AddTo(new Command("cv", "Cross-validate a model on a CSV file (or on crystal structures, --structures) and report per-fold and mean metrics."));
        var structures = Options.Structures();
        command.Add(structures);
        command.SetAction(r => Run(() =>
        {
            var a = options.Read(r);
            // A learner on crystal graphs (cgcnn) builds its own input from the structures.
            if (GraphLearners.Contains(a.Model)) return GraphCommand.Cv(a, r.GetValue(structures));
            if (r.GetValue(structures) is not string source)
                return a.Data is null
                    ? [new Problem("param.missing", "cv needs --data FILE (a CSV) or --structures FILE|DIR|matbench_phonons (crystal structures)")]
                    : CvCommand.Run(a);
            if (a.Data is not null) return [new Problem("param.conflict", "give either --data (a CSV) or --structures (crystal structures), not both")];
            if (a.FormulaColumn is not null) return [new Problem("param.conflict", "--formula-column does not apply to --structures: composition featurizers describe each structure's composition; name them in --featurizers")];
            var table = StructureFeaturizeCommand.Table(source, a.Featurizers ?? "magpie", "nan", a.Target, a.Task);
            if (table.IsFail) return table.Problems();
            var (csv, idName, _) = table.OrThrow();
            return CvCommand.Run(StructureArgs(a, source, csv, idName));
        }));
        return command;
    }

    /// <summary>cv's arguments for the in-memory table of featurized structures (<see cref="StructureFeaturizeCommand.Table"/>):
    /// every feature of the featurizers unless <c>--feature-columns</c> selects some, the reduced-formula column as formulas (for predictions.csv, the
    /// unseen-element check and <c>--groups reduced-formula</c>; no composition featurizer runs on it: they ran on the structures).</summary>
    internal static CvArgs StructureArgs(CvArgs a, string source, Pure.Materials.Data.CsvTable table, string idName) =>
        a with
        {
            Data = source, Table = table, FormulaColumn = StructureFeaturizeCommand.FormulaColumn, Featurizers = "",
            // Every featurizer column by name (not "*", which would also take the bundled fold column when --fold-column is not given).
            FeatureColumns = a.FeatureColumns ?? string.Join(",", table.Header.SkipWhile(h => h != StructureFeaturizeCommand.FormulaColumn).Skip(1)),
            IdColumn = a.IdColumn ?? idName,
        };

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
        catch (InvalidDataException e)
        {
            problems = [new Problem("io.read_failed", $"could not decompress a .gz input: {e.Message}; check it with 'gzip -t'")];
        }
        foreach (var p in problems.Take(50)) Console.Error.WriteLine($"error: {FlagNames.ToCli(p)}");
        if (problems.Count > 50) Console.Error.WriteLine($"error: ... and {problems.Count - 50} more problems");
        return problems.Count == 0 ? 0 : 1;
    }

    /// <summary>The value of an option the user gave, or null when it was left at its default (so a verb can pick a task-dependent default).</summary>
    internal static T? Given<T>(ParseResult r, Option<T> option) where T : class =>
        r.GetResult(option) is System.CommandLine.Parsing.OptionResult { Implicit: false } ? r.GetValue(option) : null;

    /// <summary>Above this many folds (leave-one-out) the console shows the summary rows only; report.json keeps every fold.</summary>
    internal const int MaxFoldRows = 20;

    /// <summary>Prints a cross-validation's fold table: one row per fold (up to <see cref="MaxFoldRows"/> folds), then mean, std and
    /// pooled rows when there are several folds, and a note on what <c>pooled</c> is.</summary>
    /// <param name="report">The report of either task.</param>
    /// <param name="shown">The metric keys shown, in column order.</param>
    /// <param name="header">The column heading of a metric key (e.g. with its unit).</param>
    internal static void PrintFoldTable(TaskReport report, IReadOnlyList<string> shown, Func<string, string> header)
    {
        var table = new Table().AddColumn("fold").AddColumn("n_test");
        foreach (var key in shown) table.AddColumn(new TableColumn(Markup.Escape(header(key))).RightAligned());
        var folds = report.FoldCount;
        var sizes = report.FoldSizes;
        var perFoldRows = folds <= MaxFoldRows;
        if (perFoldRows)
            for (var k = 0; k < folds; k++)
                table.AddRow([k.ToString(CultureInfo.InvariantCulture), sizes[k].Test.ToString(CultureInfo.InvariantCulture), .. shown.Select(m => F(report.PerFold(m)[k]))]);
        var pooled = report.Pooled(shown[0]) is not null;
        if (folds > 1)
        {
            table.AddRow(["mean", "", .. shown.Select(m => F(report.Summary[m].Mean))]);
            table.AddRow(["std", "", .. shown.Select(m => F(report.Summary[m].Std))]);
            if (pooled)
                table.AddRow(["pooled", sizes.Sum(s => s.Test).ToString(CultureInfo.InvariantCulture), .. shown.Select(m => F(report.Pooled(m) ?? double.NaN))]);
        }
        AnsiConsole.Write(table);
        if (!perFoldRows)
            Console.WriteLine($"{folds} folds: per-fold values are in report.json; 'pooled' scores all out-of-fold predictions together");
        else if (folds > 1 && pooled)
            Console.WriteLine("pooled: all out-of-fold predictions scored together (scikit-learn's cross_val_predict habit)");
    }

    internal static string F(double v, string format = "0.0000") => double.IsNaN(v) ? "undefined" : v.ToString(format, CultureInfo.InvariantCulture);
}
