using System.CommandLine;
using System.Globalization;
using Pure.Materials.Cluster;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Spectre.Console;

namespace Pure.Materials.Cli;

/// <summary>The <c>cluster</c> command: k-means (seeded k-means++) or DBSCAN on the (imputed, standardised) features.</summary>
internal static class ClusterCommand
{
    public static Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var (command, input) = Unsupervised.Declare("cluster", "Cluster rows by their features with k-means (seeded k-means++) or DBSCAN; writes clusters.csv (id, cluster).");
        var method = Options.Method("kmeans");
        var k = Options.ClusterK();
        var nInit = new Option<int>("--n-init") { Description = "k-means: seeded starts; the lowest inertia is kept.", DefaultValueFactory = _ => 1 };
        var eps = new Option<double>("--eps") { Description = "DBSCAN: neighbourhood radius in (scaled) feature units.", DefaultValueFactory = _ => 0.5 };
        var minSamples = new Option<int>("--min-samples") { Description = "DBSCAN: rows within eps (itself included) that make a core row.", DefaultValueFactory = _ => 5 };
        var seed = Options.Seed();
        var output = Options.Out();
        foreach (var o in new Option[] { method, k, nInit, eps, minSamples, seed, output }) command.Add(o);
        command.SetAction(r => run(() => Run(input(r), r.GetValue(method)!, r.GetValue(k), r.GetValue(nInit), r.GetValue(eps), r.GetValue(minSamples), r.GetValue(seed), r.GetValue(output))));
        return command;
    }

    public static IReadOnlyList<Problem> Run(UnsupervisedInput a, string method, int k, int nInit, double eps, int minSamples, long seed, string? output)
    {
        if (method is not ("kmeans" or "dbscan"))
            return [new Problem("param.invalid_value", $"--method {method} is not accepted; use kmeans or dbscan")];
        var input = Unsupervised.Load(a);
        if (input.IsFail) return input.Problems();
        var (ds, _, x) = input.OrThrow();
        int[] labels;
        string summary;
        Matrix? centres = null;
        if (method == "kmeans")
        {
            var fit = KMeans.Fit(new KMeansOptions(k, nInit), x, Rng.FromSeed(seed));
            if (fit.IsFail) return fit.Problems();
            var m = fit.OrThrow();
            labels = [.. m.Labels];
            centres = m.Centres;
            summary = $"k-means: K = {k}, inertia {m.Inertia.ToString("0.####", CultureInfo.InvariantCulture)}, {m.Iterations} iterations, seed {seed}";
        }
        else
        {
            var fit = Dbscan.Fit(new DbscanOptions(eps, minSamples), x);
            if (fit.IsFail) return fit.Problems();
            var m = fit.OrThrow();
            labels = [.. m.Labels];
            summary = $"DBSCAN: eps = {eps.ToString(CultureInfo.InvariantCulture)}, min_samples = {minSamples}: {m.ClusterCount} clusters, {labels.Count(l => l < 0)} noise rows, {m.CoreRows.Count} core rows";
        }
        var table = new Table().AddColumn("cluster").AddColumn(new TableColumn("rows").RightAligned());
        foreach (var g in labels.GroupBy(l => l).OrderBy(g => g.Key))
            table.AddRow(g.Key < 0 ? "noise" : g.Key.ToString(CultureInfo.InvariantCulture), g.Count().ToString(CultureInfo.InvariantCulture));
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(a.Data)}[/]: {ds.Count} rows, {x.Cols} features (scale {a.Scale})");
        AnsiConsole.Write(table);
        Console.WriteLine(summary);
        if (output is not null)
        {
            using var dir = new Outputs.Directory(output);
            using (var w = new StreamWriter(dir.File("clusters.csv")))
                Csv.Write(w, ["id", "cluster"], Enumerable.Range(0, ds.Count).Select(i => (IEnumerable<string>)[ds.Ids[i], labels[i].ToString(CultureInfo.InvariantCulture)]));
            var written = "clusters.csv";
            if (x.Cols >= 2 && x.Rows >= 2)
            {
                // The map: the first two principal components of the same (scaled) features, centres projected with the same PCA.
                var pca = Pure.Materials.Select.Pca.Fit(new Pure.Materials.Select.PcaOptions(2), x);
                if (pca.IsFail) return pca.Problems();
                var model = pca.OrThrow();
                var scores = Pure.Materials.Select.Pca.Transform(model, x);
                var projected = centres is null ? null : Pure.Materials.Select.Pca.Transform(model, centres);
                string Axis(int c) => $"PC {c + 1} ({(100 * model.ExplainedVarianceRatio[c]).ToString("0.0", CultureInfo.InvariantCulture)} % of variance)";
                var svg = Plots.ClusterScatterSvg(scores.Column(0), scores.Column(1), labels,
                    projected is null ? null : Enumerable.Range(0, projected.Rows).Select(r => (projected[r, 0], projected[r, 1])).ToArray(), Axis(0), Axis(1),
                    new PlotOptions(Title: $"{(method == "kmeans" ? $"k-means clusters (K = {k})" : "DBSCAN clusters")} of {Path.GetFileNameWithoutExtension(a.Data)}, PCA map"));
                if (svg.IsFail) return svg.Problems();
                File.WriteAllText(dir.File("cluster.svg"), svg.OrThrow());
                written += ", cluster.svg";
            }
            dir.Commit();
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(output)}[/]: {written}");
        }
        return [];
    }
}
