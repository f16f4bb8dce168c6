using System.CommandLine;
using System.Globalization;

using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize;
using Pure.Materials.Scale;
using Pure.Materials.Select;
using Spectre.Console;

namespace Pure.Materials.Cli;

/// <summary>Input of the unsupervised commands: features from a CSV file (featurizers and/or columns), mean-imputed and optionally standardised.</summary>
internal sealed record UnsupervisedInput(string Data, string? Target, string? FormulaColumn, string? Featurizers, string? FeatureColumns, string? IdColumn, string Scale,
    string? MolecularCations = null);

/// <summary>Declares and loads the inputs shared by <c>pca</c> and <c>cluster</c>.</summary>
internal static class Unsupervised
{
    public static (Command Command, Func<ParseResult, UnsupervisedInput> Args) Declare(string name, string description)
    {
        var data = Options.Data();
        var target = Options.OptionalTarget();
        var formula = Options.FormulaColumn();
        var featurizers = Options.Featurizers();
        var featureColumns = Options.FeatureColumns();
        var idColumn = Options.IdColumn();
        var scale = Options.Scale("standard");
        var cations = Options.MolecularCations();
        var command = new Command(name, description) { data, target, formula, featurizers, featureColumns, idColumn, scale, cations };
        return (command, r => new UnsupervisedInput(r.GetValue(data)!, r.GetValue(target), r.GetValue(formula), r.GetValue(featurizers),
            r.GetValue(featureColumns), r.GetValue(idColumn), r.GetValue(scale)!, r.GetValue(cations)));
    }

    /// <summary>Loads, featurizes, imputes (column means) and scales; returns the dataset, feature labels and the matrix.</summary>
    public static LanguageExt.Validation<Problem, (Dataset Dataset, IReadOnlyList<string> Labels, Matrix X)> Load(UnsupervisedInput a)
    {
        var problems = new List<Problem>();
        var columns = (a.FeatureColumns ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var names = a.Featurizers ?? (a.FormulaColumn is not null && columns.Length == 0 ? "magpie" : "");
        if (names.Length > 0 && a.FormulaColumn is null) problems.Add(new Problem("param.missing", "--featurizers needs --formula-column NAME"));
        if (names.Length == 0 && columns.Length == 0) problems.Add(new Problem("param.missing", "no features: give --formula-column NAME and/or --feature-columns A,B,..."));
        if (a.Scale is not ("standard" or "none")) problems.Add(new Problem("param.invalid_value", $"--scale {a.Scale} is not accepted; use standard or none"));
        var featurizers = names.Length == 0 ? [] : CompositionFeaturizers.Parse(names).Match(f => f, ps => { problems.AddRange(ps); return []; });
        var cations = CvCommand.ParseCations(a.MolecularCations, problems);
        if (a.MolecularCations is not null && a.FormulaColumn is null)
            problems.Add(new Problem("param.missing", "--molecular-cations reads formulas: give --formula-column NAME too"));
        if (problems.Count > 0) return Valid.Fail<(Dataset, IReadOnlyList<string>, Matrix)>(problems);
        var spec = new DatasetSpec { FormulaColumn = a.FormulaColumn, TargetColumn = a.Target, IdColumn = a.IdColumn, FeatureColumns = [.. columns], MolecularCations = cations };
        return from table in BundledData.OpenPathOrName(a.Data)
               from ds in Dataset.FromTable(spec, table)
               from fs in CompositionFeaturizers.Build(featurizers, ds)
               from imputer in MeanImputer.Fit(fs.X)
               let xi = MeanImputer.Transform(imputer, fs.X)
               from xs in a.Scale == "standard" ? StandardScaler.Fit(xi).Map(m => StandardScaler.Transform(m, xi)) : Valid.Ok(xi)
               select (ds, fs.Labels, xs);
    }
}

/// <summary>The <c>pca</c> command: principal components of the features, explained variance, scores and a scatter plot coloured by the target.</summary>
internal static class PcaCommand
{
    public static Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var (command, input) = Unsupervised.Declare("pca", "Principal component analysis of the (imputed, standardised) features: explained variance ratio, scores (pca.csv), axes (pca_components.csv) and a PC1-PC2 scatter coloured by --target (pca.svg).");
        var components = new Option<int>("--components") { Description = "Number of components (at most the number of features and of rows).", DefaultValueFactory = _ => 2 };
        var whiten = new Option<bool>("--whiten") { Description = "Scale each component's scores to unit variance." };
        var output = Options.Out();
        var unit = Options.TargetUnit();
        var tsne = new Option<double?>("--tsne-perplexity") { Description = "Also embed the rows in 2-D with exact t-SNE (O(n^2): up to a few thousand rows) at this perplexity; writes tsne.csv and tsne.svg." };
        var umap = new Option<int?>("--umap-n-neighbors") { Description = "Also embed the rows in 2-D with UMAP (exact nearest neighbours: up to a few thousand rows) with this many neighbours (umap-learn's n_neighbors, typically 15); writes umap.csv and umap.svg." };
        var umapMinDist = new Option<double>("--umap-min-dist") { Description = "UMAP's min_dist: how tightly points may pack in the map (0 to 1).", DefaultValueFactory = _ => 0.1 };
        var seed = Options.Seed(); // t-SNE uses PCA initialisation and is deterministic; UMAP draws its initial noise and negative samples from the seed
        command.Add(tsne);
        command.Add(umap);
        command.Add(umapMinDist);
        command.Add(seed);
        command.Add(components);
        command.Add(whiten);
        command.Add(output);
        command.Add(unit);
        command.SetAction(r => run(() => Run(input(r), r.GetValue(components), r.GetValue(whiten), r.GetValue(output), r.GetValue(unit)!, r.GetValue(tsne), r.GetValue(seed),
            r.GetValue(umap), r.GetValue(umapMinDist))));
        return command;
    }

    public static IReadOnlyList<Problem> Run(UnsupervisedInput a, int components, bool whiten, string? output, string unit, double? tsnePerplexity = null, long seed = 0,
        int? umapNeighbors = null, double umapMinDist = 0.1)
    {
        var result = from input in Unsupervised.Load(a)
                     from fitted in Pca.Fit(new PcaOptions(components, whiten), input.X)
                     select (input, fitted);
        if (result.IsFail) return result.Problems();
        var ((ds, labels, x), model) = result.OrThrow();
        var scores = Pca.Transform(model, x);
        var table = new Table().AddColumn("component").AddColumn(new TableColumn("explained variance").RightAligned())
            .AddColumn(new TableColumn("ratio").RightAligned()).AddColumn(new TableColumn("cumulative").RightAligned()).AddColumn("largest loadings");
        double cumulative = 0;
        for (var c = 0; c < model.NComponents; c++)
        {
            cumulative += model.ExplainedVarianceRatio[c];
            var top = Enumerable.Range(0, labels.Count).OrderByDescending(j => Math.Abs(model.Components[c, j])).Take(3)
                .Select(j => $"{labels[j]} ({model.Components[c, j].ToString("+0.00;-0.00", CultureInfo.InvariantCulture)})");
            table.AddRow($"PC {c + 1}", Cli.F(model.ExplainedVariance[c]), Cli.F(model.ExplainedVarianceRatio[c]), Cli.F(cumulative), Markup.Escape(string.Join(", ", top)));
        }
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(a.Data)}[/]: {ds.Count} rows, {labels.Count} features (scale {a.Scale}), {model.NComponents} components");
        AnsiConsole.Write(table);
        Console.WriteLine($"explained variance ratio: {string.Join(" ", model.ExplainedVarianceRatio.Select(v => Cli.F(v)))} (total {Cli.F(cumulative)})");
        if (output is not null)
        {
            using var dir = new Outputs.Directory(output);
            using (var w = new StreamWriter(dir.File("pca.csv")))
                Csv.Write(w, ["id", .. Enumerable.Range(1, model.NComponents).Select(c => $"PC{c}")],
                    Enumerable.Range(0, ds.Count).Select(i => (IEnumerable<string>)[ds.Ids[i], .. Enumerable.Range(0, model.NComponents).Select(c => Csv.Format(scores[i, c]))]));
            using (var w = new StreamWriter(dir.File("pca_components.csv")))
                Csv.Write(w, ["component", "explained_variance", "explained_variance_ratio", .. labels],
                    Enumerable.Range(0, model.NComponents).Select(c => (IEnumerable<string>)[$"PC{c + 1}", Csv.Format(model.ExplainedVariance[c]),
                        Csv.Format(model.ExplainedVarianceRatio[c]), .. Enumerable.Range(0, labels.Count).Select(j => Csv.Format(model.Components[c, j]))]));
            var written = "pca.csv, pca_components.csv";
            if (model.NComponents >= 2)
            {
                var svg = Plots.ScatterSvg(scores.Column(0), scores.Column(1), ds.Target,
                    $"PC 1 ({(100 * model.ExplainedVarianceRatio[0]).ToString("0.0", CultureInfo.InvariantCulture)} % of variance)",
                    $"PC 2 ({(100 * model.ExplainedVarianceRatio[1]).ToString("0.0", CultureInfo.InvariantCulture)} % of variance)",
                    new PlotOptions(Title: $"PCA of {Path.GetFileNameWithoutExtension(a.Data)}" + (a.Target is null ? "" : $", coloured by {a.Target}"),
                        Quantity: a.Target ?? "", Unit: unit));
                if (svg.IsFail) return svg.Problems();
                File.WriteAllText(dir.File("pca.svg"), svg.OrThrow());
                written += ", pca.svg";
            }
            if (tsnePerplexity is { } perplexity)
            {
                var embedded = Pure.Materials.Cluster.Tsne.Fit(new Pure.Materials.Cluster.TsneOptions(Perplexity: perplexity), x, Rng.FromSeed(seed));
                if (embedded.IsFail) return embedded.Problems();
                var t = embedded.OrThrow();
                Console.WriteLine($"t-SNE (exact, perplexity {perplexity.ToString(CultureInfo.InvariantCulture)}): KL divergence {Cli.F(t.KlDivergence)}");
                using (var w = new StreamWriter(dir.File("tsne.csv")))
                    Csv.Write(w, ["id", "tsne1", "tsne2"], Enumerable.Range(0, ds.Count).Select(i => (IEnumerable<string>)[ds.Ids[i], Csv.Format(t.Embedding[i, 0]), Csv.Format(t.Embedding[i, 1])]));
                var svg = Plots.ScatterSvg(t.Embedding.Column(0), t.Embedding.Column(1), ds.Target, "t-SNE 1 (arbitrary units)", "t-SNE 2 (arbitrary units)",
                    new PlotOptions(Title: $"t-SNE of {Path.GetFileNameWithoutExtension(a.Data)} (perplexity {perplexity.ToString(CultureInfo.InvariantCulture)})", Quantity: a.Target ?? "", Unit: unit));
                if (svg.IsFail) return svg.Problems();
                File.WriteAllText(dir.File("tsne.svg"), svg.OrThrow());
                written += ", tsne.csv, tsne.svg";
            }
            if (umapNeighbors is { } neighbours)
            {
                var options = new Pure.Materials.Cluster.UmapOptions(NNeighbors: neighbours, MinDist: umapMinDist);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var embedded = Pure.Materials.Cluster.Umap.Fit(options, x, Rng.FromSeed(seed));
                if (embedded.IsFail) return embedded.Problems();
                var u = embedded.OrThrow();
                Console.WriteLine($"UMAP (exact {neighbours} nearest neighbours, min_dist {umapMinDist.ToString(CultureInfo.InvariantCulture)}, {u.NEpochs} epochs, " +
                    $"a {Cli.F(u.A)}, b {Cli.F(u.B)}, {u.GraphComponents} graph component(s), seed {seed}): {watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
                using (var w = new StreamWriter(dir.File("umap.csv")))
                    Csv.Write(w, ["id", "umap1", "umap2"], Enumerable.Range(0, ds.Count).Select(i => (IEnumerable<string>)[ds.Ids[i], Csv.Format(u.Embedding[i, 0]), Csv.Format(u.Embedding[i, 1])]));
                var svg = Plots.ScatterSvg(u.Embedding.Column(0), u.Embedding.Column(1), ds.Target, "UMAP 1 (arbitrary units)", "UMAP 2 (arbitrary units)",
                    new PlotOptions(Title: $"UMAP of {Path.GetFileNameWithoutExtension(a.Data)} ({neighbours} neighbours, min_dist {umapMinDist.ToString(CultureInfo.InvariantCulture)})",
                        Quantity: a.Target ?? "", Unit: unit));
                if (svg.IsFail) return svg.Problems();
                File.WriteAllText(dir.File("umap.svg"), svg.OrThrow());
                written += ", umap.csv, umap.svg";
            }
            dir.Commit();
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(output)}[/]: {written}");
        }
        return [];
    }
}
