using System.Diagnostics;
using System.Globalization;
using Pure.Materials.Cluster;
using Pure.Materials.Core;
using Pure.Materials.Select;
using Pure.Materials.Tests.Models.Linear;
using Pure.Materials.Tests.Split;
using Xunit;

namespace Pure.Materials.Tests.Cluster;

/// <summary>UMAP: a, b against umap-learn's find_ab_params (scipy curve_fit, tools/reference/umap_find_ab.py); structure kept on
/// separated blobs and on real expt_gap Magpie rows (trustworthiness beside PCA and t-SNE); determinism; bad input.</summary>
public class UmapTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly IReadOnlyList<IReadOnlyDictionary<string, string>> Reference = SelectionReference.Read("umap.csv");

    /// <summary>scikit-learn's <c>trustworthiness(X, X_embedded, n_neighbors=k)</c> (Venna and Kaski 2001): 1 - 2 / (n k (2n - 3k - 1))
    /// sum_i sum_{j in the k embedded neighbours of i} max(0, r(i, j) - k), r the rank of j among i's input neighbours; ties by row index.</summary>
    internal static double Trustworthiness(Matrix x, Matrix e, int k)
    {
        var n = x.Rows;
        var total = new double[n];
        Parallel.For(0, n, i =>
        {
            var inputOrder = Enumerable.Range(0, n).Where(j => j != i).OrderBy(j => Reduce.SquaredDistance(x.Row(i), x.Row(j))).ThenBy(j => j).ToArray();
            var rank = new int[n];
            for (var r = 0; r < inputOrder.Length; r++) rank[inputOrder[r]] = r + 1;
            total[i] = Enumerable.Range(0, n).Where(j => j != i).OrderBy(j => Reduce.SquaredDistance(e.Row(i), e.Row(j))).ThenBy(j => j).Take(k)
                .Sum(j => Math.Max(0, rank[j] - k));
        });
        return 1 - total.Sum() * 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0));
    }

    private static Matrix RefRows(string prefix) => Matrix.FromRows(Reference.Where(r => r["case"] == "trust" && r["quantity"].StartsWith(prefix, StringComparison.Ordinal)
            && r["quantity"][1..].All(char.IsDigit))
        .OrderBy(r => int.Parse(r["quantity"][1..], CultureInfo.InvariantCulture)).Select(r => SelectionReference.Vec(r["values"])).ToArray());

    /// <summary>Three 4-D Gaussian blobs of 20 rows (tsne.csv, scikit-learn reference data), blob = row / 20.</summary>
    private static Matrix TsneBlobs() => Matrix.FromRows(SelectionReference.Read("tsne.csv").Where(r => r["quantity"].StartsWith("row", StringComparison.Ordinal))
        .OrderBy(r => int.Parse(r["quantity"][3..], CultureInfo.InvariantCulture)).Select(r => SelectionReference.Vec(r["values"])).ToArray());

    /// <summary>Four 10-D standard-normal blobs of 75 rows with centres 10 apart along the axes (blob = row / 75).</summary>
    private static Matrix Blobs()
    {
        var cursor = new RngCursor(Rng.FromSeed(20261205));
        return Matrix.Build(300, 10, (i, j) =>
        {
            var u1 = 1.0 - cursor.NextDouble();
            var u2 = cursor.NextDouble();
            return (j == i / 75 ? 10.0 : 0.0) + Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        });
    }

    [Fact]
    public void FindAbParams_MatchesUmapLearnsCurveFit()
    {
        foreach (var row in Reference.Where(r => r["case"].StartsWith("ab ", StringComparison.Ordinal)))
        {
            var parts = row["case"].Split(' ');
            var spread = double.Parse(parts[1], CultureInfo.InvariantCulture);
            var minDist = double.Parse(parts[2], CultureInfo.InvariantCulture);
            var expected = SelectionReference.Vec(row["values"]);
            var (a, b) = Umap.FindAbParams(spread, minDist);
            output.WriteLine($"spread {spread}, min_dist {minDist}: a {a:R} (scipy {expected[0]:R}), b {b:R} (scipy {expected[1]:R})");
            // scipy's curve_fit stops at ftol = xtol = 1.49e-8, so the two optima agree to about 1e-7, not to the last bit.
            SklearnReference.Close(expected[0], a, 1e-5, $"a for spread {spread}, min_dist {minDist}");
            SklearnReference.Close(expected[1], b, 1e-5, $"b for spread {spread}, min_dist {minDist}");
        }
    }

    [Fact]
    public void TrustworthinessHelper_MatchesScikitLearn()
    {
        var x = RefRows("x");
        var e = RefRows("e");
        Assert.Equal((80, 6), (x.Rows, x.Cols));
        foreach (var k in new[] { 5, 10 })
        {
            var expected = double.Parse(Reference.Single(r => r["quantity"] == $"trustworthiness_{k}")["values"], CultureInfo.InvariantCulture);
            SklearnReference.Close(expected, Trustworthiness(x, e, k), 1e-12, $"trustworthiness k = {k}");
        }
    }

    [Fact]
    public void FuzzySimplicialSet_MatchesUmapLearnsRestatement()
    {
        var rows = Reference.Where(r => r["case"] == "graph").ToArray();
        var x = Matrix.FromRows(rows.Where(r => r["quantity"].StartsWith('x')).OrderBy(r => int.Parse(r["quantity"][1..], CultureInfo.InvariantCulture))
            .Select(r => SelectionReference.Vec(r["values"])).ToArray());
        Assert.Equal((50, 4), (x.Rows, x.Cols));
        var (idx, dist) = Umap.NearestNeighbours(x, 8, UmapMetric.Euclidean);
        var (sigma, rho) = Umap.SmoothKnnDistances(dist, x.Rows, 8, 1.0);
        SklearnReference.AllClose(SelectionReference.Vec(rows.Single(r => r["quantity"] == "rho")["values"]), rho, 1e-12, "rho");
        SklearnReference.AllClose(SelectionReference.Vec(rows.Single(r => r["quantity"] == "sigma")["values"]), sigma, 1e-10, "sigma");
        var g = Umap.FuzzyUnion(idx, dist, sigma, rho, x.Rows, 8);
        var ours = Enumerable.Range(0, g.Head.Length).Where(e => g.Head[e] < g.Tail[e]).ToDictionary(e => $"w {g.Head[e]} {g.Tail[e]}", e => g.Weight[e]);
        var expected = rows.Where(r => r["quantity"].StartsWith("w ", StringComparison.Ordinal)).ToDictionary(r => r["quantity"], r => double.Parse(r["values"], CultureInfo.InvariantCulture));
        Assert.Equal(expected.Keys.Order(), ours.Keys.Order());
        foreach (var (key, w) in expected) SklearnReference.Close(w, ours[key], 1e-10, key);
        // Symmetric: both directions of every edge, with one weight.
        Assert.Equal(2 * expected.Count, g.Head.Length);
        output.WriteLine($"{expected.Count} undirected edges, sigma {sigma.Min():F4}..{sigma.Max():F4}, rho {rho.Min():F4}..{rho.Max():F4}");
    }

    [Fact]
    public void Umap_DefaultOptionsAreUmapLearns()
    {
        var o = new UmapOptions();
        Assert.Equal((15, 2, 0.1, 1.0, (int?)null, 1.0, 5, 1.0, 1.0, UmapInit.Spectral, UmapMetric.Euclidean),
            (o.NNeighbors, o.NComponents, o.MinDist, o.Spread, o.NEpochs, o.LearningRate, o.NegativeSampleRate, o.RepulsionStrength, o.LocalConnectivity, o.Init, o.Metric));
        var m = Umap.Fit(o, TsneBlobs(), Rng.FromSeed(0)).OrThrow();
        Assert.Equal(500, m.NEpochs);
        Assert.Equal((60, 2), (m.Embedding.Rows, m.Embedding.Cols));
        Assert.All(m.Embedding.Data.ToArray(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Umap_KeepsSeparatedBlobsApart()
    {
        foreach (var (x, size, init) in new[] { (Blobs(), 75, UmapInit.Spectral), (Blobs(), 75, UmapInit.Random) })
        {
            var m = Umap.Fit(new UmapOptions(NNeighbors: 10, Init: init), x, Rng.FromSeed(1)).OrThrow();
            var e = m.Embedding;
            var blobs = x.Rows / size;
            // Every row's nearest embedded neighbour is in its own blob ...
            var same = Enumerable.Range(0, x.Rows).Count(i => Enumerable.Range(0, x.Rows).Where(j => j != i)
                .MinBy(j => Reduce.SquaredDistance(e.Row(i), e.Row(j))) / size == i / size);
            // ... and the blobs' embedded bounding discs do not meet: the gap between any two blob centres exceeds the sum of their radii.
            var centre = Enumerable.Range(0, blobs).Select(c => new[] { Enumerable.Range(c * size, size).Average(i => e[i, 0]), Enumerable.Range(c * size, size).Average(i => e[i, 1]) }).ToArray();
            var radius = Enumerable.Range(0, blobs).Select(c => Enumerable.Range(c * size, size).Max(i => Reduce.Distance(e.Row(i), centre[c]))).ToArray();
            var minGap = double.PositiveInfinity;
            for (var c = 0; c < blobs; c++)
                for (var d = c + 1; d < blobs; d++) minGap = Math.Min(minGap, Reduce.Distance(centre[c], centre[d]) - radius[c] - radius[d]);
            output.WriteLine($"{blobs} blobs of {size}, init {init}: {m.GraphComponents} graph components, {same}/{x.Rows} nearest neighbours in the same blob, smallest gap between blob discs {minGap:F3}");
            Assert.Equal(x.Rows, same);
            Assert.True(minGap > 0, $"blob discs overlap by {-minGap}");
        }
        // Blobs 6 standard deviations apart whose neighbour graphs touch (one component): nearly all nearest neighbours stay in their
        // blob, as t-SNE's test asks of the same data (measured 59 of 60).
        var t = TsneBlobs();
        var te = Umap.Fit(new UmapOptions(NNeighbors: 10), t, Rng.FromSeed(1)).OrThrow().Embedding;
        var sameT = Enumerable.Range(0, 60).Count(i => Enumerable.Range(0, 60).Where(j => j != i).MinBy(j => Reduce.SquaredDistance(te.Row(i), te.Row(j))) / 20 == i / 20);
        Assert.True(sameT >= 57, $"{sameT} of 60 nearest neighbours in the same blob");
    }

    [Fact]
    public async Task Umap_IsDeterministicForASeed_WhateverTheThreadCount()
    {
        var x = Blobs();
        var o = new UmapOptions(NNeighbors: 8, NEpochs: 100);
        var a = Umap.Fit(o, x, Rng.FromSeed(7)).OrThrow();
        // The same fit with every parallel loop on one thread (an exclusive scheduler runs one task at a time).
        var single = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
        var b = await Task.Factory.StartNew(() => Umap.Fit(o, x, Rng.FromSeed(7)).OrThrow(), CancellationToken.None, TaskCreationOptions.None, single);
        Assert.Equal(a.Embedding.Data.ToArray(), b.Embedding.Data.ToArray());
        Assert.Equal(a, Umap.Fit(o, x, Rng.FromSeed(7)).OrThrow());
        Assert.NotEqual(a.Embedding.Data.ToArray(), Umap.Fit(o, x, Rng.FromSeed(8)).OrThrow().Embedding.Data.ToArray());
        var r = o with { Init = UmapInit.Random };
        Assert.Equal(Umap.Fit(r, x, Rng.FromSeed(7)).OrThrow(), Umap.Fit(r, x, Rng.FromSeed(7)).OrThrow());
    }

    [Fact]
    public void Umap_OnExptGapMagpie_IsAsTrustworthyAsTsne_AndMoreThanPca()
    {
        // 400 of expt_gap's rows (every 11th), matminer 0.9.0's 132 Magpie columns standardised over all 4,604 rows.
        using var gz = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Reference", "matminer-0.9.0", "composition_expt_gap.csv.gz")),
            System.IO.Compression.CompressionMode.Decompress);
        var columns = new StreamReader(gz).ReadLine()!.Split(',').Where(c => c.StartsWith("MagpieData ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(132, columns.Length);
        var (all, _) = SklearnReference.MagpieExptGap(columns);
        var rows = Enumerable.Range(0, 400).Select(i => i * 11).ToArray();
        var x = all.SelectRows(rows);
        var watch = Stopwatch.StartNew();
        var umap = Umap.Fit(new UmapOptions(), x, Rng.FromSeed(0)).OrThrow();
        var umapSeconds = watch.Elapsed.TotalSeconds;
        var tsne = Tsne.Fit(new TsneOptions(), x, Rng.FromSeed(0)).OrThrow();
        var pca = Pca.Transform(Pca.Fit(new PcaOptions(2), x).OrThrow(), x);
        var (tu, tt, tp) = (Trustworthiness(x, umap.Embedding, 5), Trustworthiness(x, tsne.Embedding, 5), Trustworthiness(x, pca, 5));
        output.WriteLine($"trustworthiness (k = 5) on {x.Rows} expt_gap rows x {x.Cols} Magpie columns: UMAP {tu:F4} ({umapSeconds:F2} s, {umap.GraphComponents} graph components), " +
            $"t-SNE {tt:F4}, PCA {tp:F4}");
        // Measured: UMAP 0.9585 (1.2 s), t-SNE 0.9723, PCA 0.8239 (seed 0).
        Assert.True(tu > tp + 0.05, $"UMAP {tu} vs PCA {tp}");
        Assert.True(tu > tt - 0.04, $"UMAP {tu} vs t-SNE {tt}");
    }

    [Fact]
    public void SpectralInit_FindsTheLaplaciansSmallestNonTrivialEigenvectors()
    {
        // The fuzzy graph of 300 rows in four touching blobs (one component), its normalised adjacency N = D^-1/2 W D^-1/2 decomposed
        // densely (MathNet): the Lanczos vectors must be N's eigenvectors with the 2nd and 3rd largest eigenvalues, up to sign.
        var x = Matrix.Build(300, 3, (i, j) => Blobs()[i, j] * 0.2 + Math.Sin(i * 0.7 + j));
        var n = x.Rows;
        var (idx, dist) = Umap.NearestNeighbours(x, 15, UmapMetric.Euclidean);
        var (sigma, rho) = Umap.SmoothKnnDistances(dist, n, 15, 1.0);
        var g = Umap.FuzzyUnion(idx, dist, sigma, rho, n, 15);
        Assert.Single(Umap.Components(g, n));
        var w = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n);
        for (var e = 0; e < g.Head.Length; e++) w[g.Head[e], g.Tail[e]] = g.Weight[e];
        var deg = Enumerable.Range(0, n).Select(i => w.Row(i).Sum()).ToArray();
        var nrm = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (i, j) => w[i, j] / Math.Sqrt(deg[i] * deg[j]));
        var evd = nrm.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var lanczos = Umap.ComponentSpectral(g, n, [.. Enumerable.Range(0, n)], 2, Rng.FromSeed(5))!;
        for (var t = 0; t < 2; t++)
        {
            var expected = evd.EigenVectors.Column(n - 2 - t); // ascending eigenvalues: n - 1 is the trivial one
            var ours = Enumerable.Range(0, n).Select(i => lanczos[i * 2 + t]).ToArray();
            var cosine = Math.Abs(expected.DotProduct(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(ours))) / (expected.L2Norm() * Reduce.Norm(ours));
            output.WriteLine($"eigenvector {t + 2}: eigenvalue {evd.EigenValues[n - 2 - t].Real:F6} (next {evd.EigenValues[n - 3 - t].Real:F6}), |cos| {cosine:F9}");
            Assert.True(cosine > 1 - 1e-6, $"eigenvector {t + 2}: |cos| = {cosine}");
        }
    }

    [Fact]
    public void Umap_ReportsBadInput()
    {
        var x = TsneBlobs();
        Assert.Contains(Umap.Fit(new UmapOptions(NNeighbors: 60), x, Rng.FromSeed(0)).Problems(),
            p => p.Code == "param.out_of_range" && p.Message.Contains("UMAP n_neighbors 60 must be at least 2 and below the number of rows (60)"));
        Assert.Contains(Umap.Fit(new UmapOptions(NNeighbors: 1), x, Rng.FromSeed(0)).Problems(), p => p.Code == "param.out_of_range");
        Assert.Contains(Umap.Fit(new UmapOptions(MinDist: 2), x, Rng.FromSeed(0)).Problems(), p => p.Code == "param.out_of_range" && p.Message.Contains("min_dist <= spread"));
        Assert.Contains(Umap.Fit(new UmapOptions(NEpochs: 0), x, Rng.FromSeed(0)).Problems(), p => p.Code == "param.out_of_range");
        Assert.Contains(Umap.Fit(new UmapOptions(NNeighbors: 5), Matrix.Build(30, 4, (i, j) => j * 1.5), Rng.FromSeed(0)).Problems(), p => p.Code == "data.constant");
        var nan = Umap.Fit(new UmapOptions(NNeighbors: 5), Matrix.Build(30, 4, (i, j) => i == 7 && j == 2 ? double.NaN : i + j), Rng.FromSeed(0)).Problems();
        Assert.Contains(nan, p => p.Code == "data.nan_feature" && p.Row == 7 && p.Message.Contains("row 7, column 2"));
        Assert.Contains(Umap.Fit(new UmapOptions(NNeighbors: 2), Matrix.Build(2, 2, (i, j) => i), Rng.FromSeed(0)).Problems(), p => p.Code == "data.too_few_rows");
    }

    [Fact]
    public void Umap_KeepsDuplicateRowsTogether()
    {
        // Ten copies of each of 12 distinct rows: zero distances must neither give NaN nor separate copies.
        var x = Matrix.Build(120, 3, (i, j) => Math.Sin((i % 12) * 1.7 + j) * 5);
        var e = Umap.Fit(new UmapOptions(NNeighbors: 15), x, Rng.FromSeed(3)).OrThrow().Embedding;
        Assert.All(e.Data.ToArray(), v => Assert.True(double.IsFinite(v)));
        var within = Enumerable.Range(0, 120).Max(i => Enumerable.Range(0, 120).Where(j => j % 12 == i % 12).Max(j => Reduce.Distance(e.Row(i), e.Row(j))));
        var spanX = e.Column(0).Max() - e.Column(0).Min();
        output.WriteLine($"largest distance between copies {within:F4}; map width {spanX:F4}");
        Assert.True(within < 0.25 * spanX, $"copies {within} apart in a map {spanX} wide");
    }
}
