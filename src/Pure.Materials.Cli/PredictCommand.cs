using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Cli;

/// <summary>Arguments of <c>predict</c>.</summary>
internal sealed record PredictArgs(string ModelPath, string? Data, string Out, string? IdColumn, string? FoldColumn, int? Fold, string? FormulaColumn = null, string? Structures = null);

/// <summary>The <c>predict</c> command: load a model file, featurize new rows as the training rows were, and write predictions with
/// their standard deviation (where the learner has one) and applicability flags.</summary>
internal static class PredictCommand
{
    public static Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var model = Options.ModelFile();
        var data = Options.Data();
        data.Required = false; // --data or --structures
        var structures = Options.Structures();
        var idColumn = Options.IdColumn();
        var foldColumn = Options.FoldColumn();
        var formula = Options.FormulaColumn();
        var fold = new System.CommandLine.Option<int?>("--fold") { Description = "Predict only the rows of this fold (with --fold-column), e.g. the fold fit --holdout-fold left out." };
        var output = Options.RequiredOut();
        var command = new Command("predict", "Predict new materials with a model file: featurize, predict with uncertainty, flag rows outside the training domain.")
            { model, data, structures, formula, idColumn, foldColumn, fold, output };
        command.SetAction(r => run(() => Run(new PredictArgs(r.GetValue(model)!, r.GetValue(data), r.GetValue(output)!, r.GetValue(idColumn),
            r.GetValue(foldColumn), r.GetValue(fold), r.GetValue(formula), r.GetValue(structures)))));
        return command;
    }

    public static IReadOnlyList<Problem> Run(PredictArgs a)
    {
        if (a.Fold is not null && a.FoldColumn is null)
            return [new Problem("param.missing", "--fold needs --fold-column NAME (the column of fold labels)")];
        var clock = Stopwatch.StartNew();
        var loaded = ModelFile.Load(a.ModelPath);
        if (loaded.IsFail) return loaded.Problems();
        var (pipeline, header) = loaded.OrThrow();
        if (pipeline.Input.Structures is not null && a.Structures is null)
            return [new Problem("param.missing", $"the model {a.ModelPath} was fitted on crystal structures ({string.Join(",", pipeline.Input.Structures.Names)}); give --structures FILE|DIR instead of --data")];
        if (pipeline.Input.CrystalGraphs && a.Structures is null)
            return [new Problem("param.missing", $"the model {a.ModelPath} ({pipeline.Learner.Name}) predicts crystal structures from their graphs; give --structures FILE|DIR instead of --data")];
        if (pipeline.Input.Structures is null && !pipeline.Input.CrystalGraphs && a.Structures is not null)
            return [new Problem("param.conflict", $"the model {a.ModelPath} was fitted on rows of a CSV, not on crystal structures; give --data FILE instead of --structures")];
        if (a.Structures is null && a.Data is null)
            return [new Problem("param.missing", "predict needs --data FILE (a CSV) or --structures FILE|DIR (crystal structures)")];
        if (a.Structures is not null && a.Data is not null)
            return [new Problem("param.conflict", "give either --data (a CSV) or --structures (crystal structures), not both")];
        if (a.FormulaColumn is not null)
        {
            if (pipeline.Input.FormulaColumn is null)
                return [new Problem("param.conflict", $"--formula-column {a.FormulaColumn}: the model was fitted on feature columns only ({string.Join(", ", pipeline.Input.FeatureColumns.Take(5))}), not on formulas")];
            pipeline = pipeline with { Input = pipeline.Input with { FormulaColumn = a.FormulaColumn } };
        }
        var loadSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();

        var result = a.Structures is { } source ? PredictStructures(pipeline, source, a) : PredictRows(pipeline, a);
        if (result.IsFail) return result.Problems();
        var (ids, formulas, p, cells) = result.OrThrow();
        var predictSeconds = clock.Elapsed.TotalSeconds;
        var classes = pipeline.Target.ClassLabels;
        var y = classes is null && cells is not null ? Numbers(cells) : null;

        var temp = Outputs.Temporary(a.Out);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            var withStd = p.Std is not null;
            List<OutputColumn> columns = [new("id", ColumnKind.Text)];
            if (formulas is not null) columns.Add(new("formula", ColumnKind.Text));
            if (cells is not null) columns.Add(new("y_true", y is not null ? ColumnKind.Number : ColumnKind.Text));
            columns.Add(new("y_pred", p.Labels is not null ? ColumnKind.Text : ColumnKind.Number));
            if (withStd) columns.Add(new("y_std", ColumnKind.Number));
            if (classes is not null) columns.AddRange(classes.Select(c => new OutputColumn("p_" + c, ColumnKind.Number)));
            columns.Add(new("n_features_out_of_range", ColumnKind.Integer));
            columns.Add(new("unseen_elements", ColumnKind.Text));
            using var table = TableWriter.Create(stream, TableWriter.FormatOf(a.Out), columns);
            for (var i = 0; i < ids.Count; i++)
            {
                table.Text(ids[i]);
                if (formulas is { } f) table.Text(f[i]);
                if (y is not null) table.Number(y[i]);
                else if (cells is not null) table.Text(cells[i]);
                if (p.Labels is { } labels) table.Text(labels[i]);
                else table.Number(p.Mean[i]);
                if (withStd) table.Number(p.Std![i]);
                if (p.Probabilities is { } proba)
                    for (var k = 0; k < proba.Cols; k++) table.Number(proba[i, k]);
                table.Integer(p.FeaturesOutOfRange[i]);
                table.Text(string.Join(' ', p.UnseenElements[i]));
                table.EndRow();
            }
            table.Complete();
        }
        Outputs.Commit([(temp, a.Out)]);
        var flagged = Enumerable.Range(0, ids.Count).Count(i => p.FeaturesOutOfRange[i] > 0 || p.UnseenElements[i].Length > 0);
        Console.WriteLine($"loaded {a.ModelPath} ({pipeline.Learner.Name}, {pipeline.Steps.Count} steps, format {header.FormatVersion}, written by {header.LibraryVersion}) in {loadSeconds:0.000} s");
        Console.WriteLine($"predicted {ids.Count} {(a.Structures is null ? "rows" : "structures")} in {predictSeconds:0.000} s; {flagged} outside the training domain (a feature out of range or an unseen element)");
        if (y is not null)
            Metrics.Regression(y, p.Mean.ToArray()).Iter(s =>
                Console.WriteLine($"MAE {s.Mae.ToString("R", CultureInfo.InvariantCulture)}{(pipeline.Target.Unit.Length > 0 ? " " + pipeline.Target.Unit : "")}, RMSE {Cli.F(s.Rmse)}, R2 {Cli.F(s.R2)} against '{pipeline.Target.Name}'"));
        if (classes is not null && cells is not null && p.Labels is { } predicted && cells.All(c => classes.Contains(Label(c, classes))))
            Console.WriteLine($"accuracy {Cli.F(Enumerable.Range(0, cells.Length).Count(i => Label(cells[i], classes) == predicted[i]) / (double)cells.Length)} against '{pipeline.Target.Name}' ({cells.Length} rows)");
        Console.WriteLine($"wrote {a.Out}");
        return [];
    }

    /// <summary>Reads the CSV rows (of one fold when asked), featurizes them as the training rows were and predicts them; the target
    /// cells when the file has the target column.</summary>
    private static Validation<Problem, (IReadOnlyList<string> Ids, IReadOnlyList<string>? Formulas, PipelinePredictions Predictions, string[]? Cells)> PredictRows(
        FittedPipeline pipeline, PredictArgs a) =>
        from table in BundledData.OpenPathOrName(a.Data!)
        // The target is read when the file has it (to score the predictions); rows without a target are predicted all the same.
        let hasTarget = table.Header.Contains(pipeline.Target.Name)
        from rows in a.Fold is { } k ? RowsOfFold(table, a.FoldColumn!, k) : Valid.Ok(Enumerable.Range(0, table.Rows.Count).ToArray())
        from subset in Dataset.FromTable(pipeline.Input.Spec(null, a.IdColumn), table with { Rows = rows.Select(i => table.Rows[i]).ToArray() })
        from predictions in pipeline.Predict(subset)
        from unknown in pipeline.UnknownCategories(subset)
        let warned = WarnUnknown(unknown, subset, rows)
        select ((IReadOnlyList<string>)subset.Ids, (IReadOnlyList<string>?)subset.Formulas, predictions, hasTarget ? TargetCells(table, pipeline.Target.Name, rows) : null);

    /// <summary>Says on stderr which cells hold a category the model never saw (encoded as all zeros): the first 10, then the count.</summary>
    /// <returns>The number of such cells.</returns>
    internal static int WarnUnknown(IReadOnlyList<Problem> unknown, Dataset subset, int[] rows)
    {
        foreach (var p in unknown.Take(10))
            Console.Error.WriteLine($"warning: row {rows[p.Row!.Value - 1] + 1} (id '{subset.Ids[p.Row.Value - 1]}'), column '{p.Column}': {p.Message}");
        if (unknown.Count > 10) Console.Error.WriteLine($"warning: {unknown.Count - 10} more cells hold a category the model never saw (all encoded as zeros)");
        return unknown.Count;
    }

    /// <summary>Reads structures (a file, a directory, or the bundled matbench_phonons; of one fold when asked), featurizes them with
    /// the model's fitted structure featurizers and predicts them; ids as the structure readers give them, each structure's reduced
    /// formula, and the cells of the model's target column when every structure has one (a Matbench file or matbench_phonons).</summary>
    private static Validation<Problem, (IReadOnlyList<string> Ids, IReadOnlyList<string>? Formulas, PipelinePredictions Predictions, string[]? Cells)> PredictStructures(
        FittedPipeline pipeline, string source, PredictArgs a)
    {
        if (a.IdColumn is not null) return Valid.Fail<(IReadOnlyList<string>, IReadOnlyList<string>?, PipelinePredictions, string[]?)>("param.conflict", "--id-column does not apply to --structures: ids come from the structure file (or the file names of a directory)");
        if (a.FormulaColumn is not null) return Valid.Fail<(IReadOnlyList<string>, IReadOnlyList<string>?, PipelinePredictions, string[]?)>("param.conflict", "--formula-column does not apply to --structures");
        return from loaded in StructureFeaturizeCommand.Load(source)
               from rows in a.Fold is { } k ? StructureRowsOfFold(loaded.Folds, a.FoldColumn!, k, source) : Valid.Ok(Enumerable.Range(0, loaded.Rows.Length).ToArray())
               let entries = rows.Select(i => loaded.Rows[i]).ToArray()
               let known = StructureFeaturizeCommand.ColumnCells(loaded, pipeline.Target.Name) is { } column ? rows.Select(i => column[i]).ToArray() : null
               from predictions in pipeline.Predict(entries.Select(e => e.Structure).ToArray())
                   .MapFail(p => p.Row is int r ? p with { Message = $"structure {r} ('{entries[r].Id}' in {source}), {p.Column}: {p.Message}" } : p)
               select ((IReadOnlyList<string>)entries.Select(e => e.Id).ToArray(), (IReadOnlyList<string>?)entries.Select(e => e.Structure.Composition.ReducedFormula).ToArray(),
                   predictions,
                   known is { Length: > 0 } && known.All(c => !Dataset.IsMissing(c)) ? known : null);
    }

    private static Validation<Problem, int[]> StructureRowsOfFold(string[]? folds, string foldColumn, int fold, string source)
    {
        if (folds is null || foldColumn != "fold")
            return Valid.Fail<int[]>("param.invalid_value", $"--fold-column {foldColumn}: the structures in {source} have no such column (the bundled matbench_phonons and Matbench JSON files in the split layout with a column named fold have one)", column: foldColumn);
        var label = fold.ToString(CultureInfo.InvariantCulture);
        var rows = Enumerable.Range(0, folds.Length).Where(i => folds[i].Trim() == label).ToArray();
        return rows.Length > 0 ? Valid.Ok(rows) : Valid.Fail<int[]>("data.empty", $"no structure has fold {fold} in column '{foldColumn}'", column: foldColumn);
    }

    private static Validation<Problem, int[]> RowsOfFold(CsvTable table, string foldColumn, int fold) =>
        from dataset in Dataset.FromTable(new DatasetSpec { FoldColumn = foldColumn }, table)
        let rows = Enumerable.Range(0, dataset.Count).Where(i => dataset.Folds![i] == fold).ToArray()
        from nonEmpty in rows.Length > 0 ? Valid.Ok(rows) : Valid.Fail<int[]>("data.empty", $"no row has fold {fold} in column '{foldColumn}'", column: foldColumn)
        select nonEmpty;

    private static string[] TargetCells(CsvTable table, string target, int[] rows)
    {
        var column = table.Header.ToList().IndexOf(target);
        return rows.Select(r => column < table.Rows[r].Length ? table.Rows[r][column].Trim() : "").ToArray();
    }

    private static double[]? Numbers(string[] cells)
    {
        var values = new double[cells.Length];
        for (var k = 0; k < cells.Length; k++)
            if (!double.TryParse(cells[k], NumberStyles.Float, CultureInfo.InvariantCulture, out values[k]) || !double.IsFinite(values[k])) return null;
        return values;
    }

    /// <summary>A target cell as one of the class labels (booleans read as True/False in any case, as the training data were).</summary>
    private static string Label(string cell, IReadOnlyList<string> classes) =>
        classes.FirstOrDefault(c => string.Equals(c, cell, StringComparison.OrdinalIgnoreCase)) ?? cell;
}
