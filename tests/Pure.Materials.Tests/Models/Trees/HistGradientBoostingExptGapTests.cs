using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Models.Trees;
using Pure.Materials.Tests.Featurize;
using Xunit;
using Xunit.Abstractions;

namespace Pure.Materials.Tests.Models.Trees;

/// <summary>
/// `gbm` defaults on the real expt_gap task against scikit-learn 1.2.1's HistGradientBoostingRegressor(random_state=0) on the same
/// data (matminer v0.9.0's Magpie features, official Matbench folds; tools/reference/sklearn_hgb_expt_gap.py writes
/// Reference/sklearn-1.2.1/hgb_expt_gap_*.csv): the 100 trees of fold 0 node by node (splits, thresholds, sample counts and leaf values bit-identical), and the
/// predictions (bit-identical) and MAE of every fold.
/// No NaN in these features, so the mean imputation of the main pipeline is the identity and is left out here.
/// </summary>
public class HistGradientBoostingExptGapTests(ITestOutputHelper output, HistGradientBoostingExptGapTests.Fits fits) : IClassFixture<HistGradientBoostingExptGapTests.Fits>
{
    /// <summary>The data and the five fold models, fitted once for both tests (about 2 s per fold on 2 cores).</summary>
    public sealed class Fits
    {
        private readonly Lazy<HistGradientBoostingModel>[] _models;

        public Fits()
        {
            (X, Y, Fold) = Data();
            _models = Enumerable.Range(0, 5).Select(k => new Lazy<HistGradientBoostingModel>(() => FitFold(X, Y, Fold, k))).ToArray();
        }

        public Matrix X { get; }
        public double[] Y { get; }
        public int[] Fold { get; }
        public HistGradientBoostingModel Model(int fold) => _models[fold].Value;
        public int[] TestRows(int fold) => Enumerable.Range(0, Y.Length).Where(i => Fold[i] == fold).ToArray();
    }

    private static readonly string ReferenceFolder = Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1");

    private static (Matrix X, double[] Y, int[] Fold) Data()
    {
        var features = CompositionParityTests.ReadReference("matminer-0.9.0", "composition_expt_gap.csv.gz");
        var columns = features.Header.Select((h, j) => (h, j)).Where(c => c.h.StartsWith("MagpieData ", StringComparison.Ordinal)).Select(c => c.j).ToArray();
        Assert.Equal(132, columns.Length);
        var n = features.Rows.Count;
        var x = new double[n * columns.Length];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < columns.Length; j++)
                x[i * columns.Length + j] = double.Parse(features.Rows[i][columns[j]], NumberStyles.Float, CultureInfo.InvariantCulture);
        var table = BundledData.Open("matbench_expt_gap").OrThrow();
        int target = table.ColumnIndex("gap expt").OrThrow(), fold = table.ColumnIndex("fold").OrThrow(), formula = table.ColumnIndex("composition").OrThrow();
        Assert.Equal(features.Rows.Select(r => r[0]), table.Rows.Select(r => r[formula]));
        return (Matrix.FromRowMajor(n, columns.Length, x),
            table.Rows.Select(r => double.Parse(r[target], NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray(),
            table.Rows.Select(r => int.Parse(r[fold], CultureInfo.InvariantCulture)).ToArray());
    }

    private static HistGradientBoostingModel FitFold(Matrix x, double[] y, int[] fold, int k)
    {
        var train = Enumerable.Range(0, y.Length).Where(i => fold[i] != k).ToArray();
        return HistGradientBoosting.Fit(new HistGradientBoostingOptions(), x.SelectRows(train), train.Select(i => y[i]).ToArray(), Rng.FromSeed(0)).OrThrow();
    }

    private static List<string[]> ReadRows(string file) =>
        File.ReadLines(Path.Combine(ReferenceFolder, file)).Where(l => l.Length > 0 && l[0] != '#').Skip(1).Select(l => l.Split(',')).ToList();

    private static double D(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public void Fold0_The100Trees_AreScikitLearns_NodeByNode()
    {
        var model = fits.Model(0);
        var nodes = ReadRows("hgb_expt_gap_trees_fold0.csv").GroupBy(r => int.Parse(r[0], CultureInfo.InvariantCulture)).OrderBy(g => g.Key).ToList();
        Assert.Equal(100, nodes.Count);
        Assert.Equal(100, model.Trees.Count);
        int splits = 0, leaves = 0;
        var maxLeafRelative = 0.0;
        for (var t = 0; t < 100; t++)
        {
            var tree = model.Trees[t];
            var reference = nodes[t].ToList();
            Assert.True(reference.Count == tree.NodeCount, $"tree {t}: {tree.NodeCount} nodes, scikit-learn {reference.Count}");
            for (var i = 0; i < reference.Count; i++)
            {
                var r = reference[i];
                if (r[2] == "1")
                {
                    Assert.True(tree.Feature[i] < 0, $"tree {t} node {i}: split here, a leaf in scikit-learn");
                    var expected = D(r[7]);
                    var relative = Math.Abs(tree.Value[i] - expected) / Math.Abs(expected);
                    maxLeafRelative = Math.Max(maxLeafRelative, relative);
                    leaves++;
                }
                else
                {
                    Assert.True(tree.Feature[i] == int.Parse(r[3], CultureInfo.InvariantCulture), $"tree {t} node {i}: feature {tree.Feature[i]}, scikit-learn {r[3]}");
                    Assert.True(tree.Threshold[i] == D(r[4]), $"tree {t} node {i}: threshold {tree.Threshold[i]:R}, scikit-learn {r[4]}");
                    Assert.Equal(int.Parse(r[5], CultureInfo.InvariantCulture), tree.ChildrenLeft[i]);
                    Assert.Equal(int.Parse(r[6], CultureInfo.InvariantCulture), tree.ChildrenRight[i]);
                    splits++;
                }
                Assert.True(tree.NNodeSamples[i] == int.Parse(r[8], CultureInfo.InvariantCulture), $"tree {t} node {i}: {tree.NNodeSamples[i]} samples, scikit-learn {r[8]}");
            }
        }
        output.WriteLine($"fold 0: 100 trees, {splits} splits (feature, threshold, children and sample counts equal), {leaves} leaves, " +
                         $"largest relative leaf-value difference {maxLeafRelative:E2}");
        Assert.True(maxLeafRelative == 0, $"leaf values differ by {maxLeafRelative:E2} relative"); // bit-identical trees
    }

    [Fact]
    public void EveryFold_PredictionsAndMae_AreScikitLearns()
    {
        var (x, y) = (fits.X, fits.Y);
        var reference = ReadRows("hgb_expt_gap_predictions.csv");
        var maeLines = File.ReadLines(Path.Combine(ReferenceFolder, "hgb_expt_gap_predictions.csv")).Where(l => l.StartsWith("# fold ", StringComparison.Ordinal)).ToList();
        var maxRelative = 0.0;
        var maes = new double[5];
        for (var k = 0; k < 5; k++)
        {
            var model = fits.Model(k);
            var test = fits.TestRows(k);
            var predictions = HistGradientBoosting.Predict(model, x.SelectRows(test));
            var expected = reference.Where(r => r[0] == k.ToString(CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(test, expected.Select(r => int.Parse(r[1], CultureInfo.InvariantCulture)));
            for (var i = 0; i < test.Length; i++)
            {
                var e = D(expected[i][2]);
                maxRelative = Math.Max(maxRelative, Math.Abs(predictions[i] - e) / Math.Max(Math.Abs(e), 1e-300));
            }
            maes[k] = test.Select((row, i) => Math.Abs(predictions[i] - y[row])).Average();
            var sklearnMae = D(maeLines[k].Split("MAE ")[1]);
            output.WriteLine($"fold {k}: MAE {maes[k]:R}, scikit-learn {sklearnMae:R}");
            // The predictions are bit-identical; the MAE differs only by summation order (numpy's pairwise mean).
            Assert.True(Math.Abs(maes[k] - sklearnMae) <= 1e-12 * sklearnMae, $"fold {k}: MAE {maes[k]:R}, scikit-learn {sklearnMae:R}");
        }
        output.WriteLine($"mean MAE {maes.Average():F4}; largest relative prediction difference {maxRelative:E2}");
        Assert.True(maxRelative == 0, $"predictions differ by {maxRelative:E2} relative"); // bit-identical
    }
}
