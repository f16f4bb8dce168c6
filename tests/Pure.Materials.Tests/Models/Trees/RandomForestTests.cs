using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Models.Trees;
using Xunit;

namespace Pure.Materials.Tests.Models.Trees;

public class RandomForestTests
{
    private static readonly RandomForestOptions OneExactTree = new() { NEstimators = 1, Bootstrap = false, MaxFeatures = MaxFeatures.All, NJobs = 1 };

    // ---------------------------------------------------------------- hand-checkable trees

    /// <summary>
    /// x0 = 1 2 3 10 11 12, x1 = 0 1 0 1 0 1, y = 1 1 1 5 5 5. Splitting x0 between 3 and 10 gives pure children:
    /// proxy 3^2/3 + 15^2/3 = 78, against 7^2/3 + 11^2/3 = 56.7 for x1. Threshold (3 + 10)/2 = 6.5; values 1 and 5;
    /// root mean 3, variance (4*3 + 4*3)/6 = 4; all importance on x0.
    /// </summary>
    private static (Matrix X, double[] Y) Steps() => (
        Matrix.FromRows([[1, 0], [2, 1], [3, 0], [10, 1], [11, 0], [12, 1]]),
        [1, 1, 1, 5, 5, 5]);

    [Fact]
    public void SingleTree_Steps_SplitsX0AtMidpoint6_5IntoPureLeaves()
    {
        var (x, y) = Steps();
        var model = RandomForest.Fit(OneExactTree, x, y, Rng.FromSeed(1)).OrThrow();
        var tree = Assert.Single(model.Trees);

        Assert.Equal(3, tree.NodeCount);
        Assert.Equal(1, tree.MaxDepth);
        Assert.Equal([0, RegressionTree.Undefined, RegressionTree.Undefined], tree.Feature.ToArray());
        Assert.Equal([6.5, -2.0, -2.0], tree.Threshold.ToArray());
        Assert.Equal([1, -1, -1], tree.ChildrenLeft.ToArray());
        Assert.Equal([2, -1, -1], tree.ChildrenRight.ToArray());
        Assert.Equal([3.0, 1.0, 5.0], tree.Value.ToArray());
        Assert.Equal([6, 3, 3], tree.NNodeSamples.ToArray());
        Assert.Equal(4.0, tree.Impurity[0], 12);
        Assert.Equal([1.0, 0.0], model.FeatureImportances);

        var xNew = Matrix.FromRows([[0, 7], [6.5, 0], [6.6, 0], [100, 1]]);
        Assert.Equal([1.0, 1.0, 5.0, 5.0], RandomForest.Predict(model, xNew));
    }

    [Fact]
    public void SingleTree_MaxDepth1_IsAStumpPredictingGroupMeans()
    {
        var x = Matrix.FromRows([[1.0], [2.0], [3.0], [10.0], [11.0], [12.0]]);
        double[] y = [1, 2, 3, 10, 11, 12];
        var model = RandomForest.Fit(OneExactTree with { MaxDepth = 1 }, x, y, Rng.FromSeed(1)).OrThrow();

        Assert.Equal([2.0, 11.0], RandomForest.Predict(model, Matrix.FromRows([[0.0], [50.0]])));
        Assert.Equal(6.5, model.Trees[0].Threshold[0]);
    }

    [Fact]
    public void SingleTree_MinSamplesLeafAboveHalf_IsOneLeafPredictingTheMean()
    {
        var (x, y) = Steps();
        var model = RandomForest.Fit(OneExactTree with { MinSamplesLeaf = 4 }, x, y, Rng.FromSeed(1)).OrThrow();

        Assert.Equal(1, model.Trees[0].NodeCount);
        Assert.Equal([3.0], RandomForest.Predict(model, Matrix.FromRows([[1.0, 0.0]])));
        Assert.Equal([0.0, 0.0], model.FeatureImportances);
    }

    [Fact]
    public void SingleTree_MinSamplesLeaf2_MovesTheSplitSoEachLeafHasTwoRows()
    {
        // y jumps after the first row; with min_samples_leaf = 2 the first admissible split is after row 2.
        var x = Matrix.FromRows([[1.0], [2.0], [3.0], [4.0], [5.0]]);
        double[] y = [10, 0, 0, 0, 0];
        var model = RandomForest.Fit(OneExactTree with { MinSamplesLeaf = 2 }, x, y, Rng.FromSeed(1)).OrThrow();
        var tree = model.Trees[0];

        Assert.Equal(2.5, tree.Threshold[0]);
        Assert.All(tree.NNodeSamples.ToArray(), n => Assert.True(n >= 2));
        Assert.Equal([5.0, 0.0], RandomForest.Predict(model, Matrix.FromRows([[1.0], [5.0]])));
    }

    [Fact]
    public void SingleTree_ValuesCloserThan1e7_AreNotSplitApart()
    {
        // scikit-learn's FEATURE_THRESHOLD: 0.5 and 0.5 + 5e-8 are distinct in float32 (spacing 6e-8) but closer than 1e-7,
        // so they count as one value and the only split is between them and 1.0.
        var close = (float)(0.5 + 5e-8);
        Assert.NotEqual(0.5f, close);
        var x = Matrix.FromRows([[0.5], [0.5 + 5e-8], [1.0]]);
        double[] y = [0, 10, 20];
        var model = RandomForest.Fit(OneExactTree, x, y, Rng.FromSeed(1)).OrThrow();

        Assert.Equal(3, model.Trees[0].NodeCount);
        Assert.Equal((double)close / 2.0 + 1.0 / 2.0, model.Trees[0].Threshold[0]);
        Assert.Equal([5.0, 5.0, 20.0], RandomForest.Predict(model, x));
    }

    [Fact]
    public void DeepSingleTree_WithoutBootstrap_InterpolatesTrainingDataExactly()
    {
        var (x, y) = Synthetic(200, 3, noise: 0.5, seed: 7);
        var model = RandomForest.Fit(OneExactTree, x, y, Rng.FromSeed(3)).OrThrow();

        Assert.Equal(y, RandomForest.Predict(model, x));
        Assert.Equal(200, model.Trees[0].LeafCount);
    }

    // ---------------------------------------------------------------- scikit-learn reference

    [Theory]
    [InlineData("max_depth_3")]
    [InlineData("min_samples_leaf_5")]
    [InlineData("min_samples_split_12_max_depth_6")]
    public void SingleTree_MatchesScikitLearn121_NodeByNode(string name)
    {
        var (xTrain, yTrain, xTest) = ReferenceData();
        var reference = ReferenceCase(name);
        var model = RandomForest.Fit(CaseOptions(name), xTrain, yTrain, Rng.FromSeed(0)).OrThrow();
        var tree = model.Trees[0];

        Assert.Equal((int)reference["node_count"][0], tree.NodeCount);
        Assert.Equal((int)reference["max_depth"][0], tree.MaxDepth);
        Assert.Equal(reference["children_left"].Select(v => (int)v), tree.ChildrenLeft.ToArray());
        Assert.Equal(reference["children_right"].Select(v => (int)v), tree.ChildrenRight.ToArray());
        Assert.Equal(reference["feature"].Select(v => (int)v), tree.Feature.ToArray());
        Assert.Equal(reference["n_node_samples"].Select(v => (int)v), tree.NNodeSamples.ToArray());
        Assert.Equal(reference["weighted_n_node_samples"], tree.WeightedNNodeSamples.ToArray());
        Assert.Equal(reference["threshold"], tree.Threshold.ToArray()); // midpoints of float32 values: exact
        AssertClose(reference["value"], tree.Value.ToArray(), $"{name} value");
        AssertClose(reference["impurity"], tree.Impurity.ToArray(), $"{name} impurity");
        AssertClose(reference["feature_importances"], model.FeatureImportances, $"{name} feature_importances_");
        AssertClose(reference["predict_test"], RandomForest.Predict(model, xTest), $"{name} predict(X_test)");
        AssertClose(reference["predict_train"], RandomForest.Predict(model, xTrain), $"{name} predict(X_train)");
    }

    [Fact]
    public void DeepSingleTree_MatchesScikitLearn121_OnTrainingRows()
    {
        // Fully grown trees end in two-row nodes that every separating feature splits equally well; scikit-learn breaks such
        // ties by its own random feature order, so only the training predictions (one row per leaf) are comparable.
        var (xTrain, yTrain, _) = ReferenceData();
        var reference = ReferenceCase("deep");
        var model = RandomForest.Fit(CaseOptions("deep"), xTrain, yTrain, Rng.FromSeed(0)).OrThrow();

        Assert.Equal((int)reference["node_count"][0], model.Trees[0].NodeCount);
        AssertClose(reference["predict_train"], RandomForest.Predict(model, xTrain), "deep predict(X_train)");
    }

    // ---------------------------------------------------------------- determinism

    [Fact]
    public void Fit_SameSeed_GivesEqualModelsAndIdenticalPredictions()
    {
        var (x, y) = Synthetic(300, 4, noise: 0.2, seed: 1);
        var options = new RandomForestOptions { NEstimators = 20, MaxFeatures = MaxFeatures.Sqrt };
        var a = RandomForest.Fit(options, x, y, Rng.FromSeed(42)).OrThrow();
        var b = RandomForest.Fit(options, x, y, Rng.FromSeed(42)).OrThrow();

        Assert.Equal(a, b);
        Assert.Equal(RandomForest.Predict(a, x), RandomForest.Predict(b, x));
    }

    [Fact]
    public void Fit_OnPooledBuffersLeftDirtyByOtherFits_GivesTheSameForest()
    {
        // Presorted columns and sorted-list buffers go back to a pool after a fit and come out again holding another fit's values,
        // possibly longer than needed, and a builder switches between two buffers and one as its in-bag count changes: none of it
        // may reach the trees. Fits of other shapes in between (more and fewer rows and features, one and two threads) fill the pool.
        var (x, y) = Synthetic(300, 4, noise: 0.2, seed: 1);
        var options = new RandomForestOptions { NEstimators = 12, NJobs = 2 };
        var reference = RandomForest.Fit(options, x, y, Rng.FromSeed(42)).OrThrow();
        var (xBig, yBig) = Synthetic(900, 7, noise: 0.5, seed: 2);
        var (xSmall, ySmall) = Synthetic(120, 3, noise: 0.1, seed: 3);
        for (var round = 0; round < 3; round++)
        {
            RandomForest.Fit(options, xBig, yBig, Rng.FromSeed(round)).OrThrow();
            RandomForest.Fit(options with { NJobs = 1 }, xSmall, ySmall, Rng.FromSeed(round)).OrThrow();
            var again = RandomForest.Fit(options with { NJobs = 1 + round % 2 }, x, y, Rng.FromSeed(42)).OrThrow();
            Assert.Equal(reference.Trees, again.Trees);
            Assert.Equal(RandomForest.Predict(reference, x), RandomForest.Predict(again, x));
        }
    }

    [Fact]
    public void Fit_DifferentSeed_GivesDifferentForests()
    {
        var (x, y) = Synthetic(300, 4, noise: 0.2, seed: 1);
        var options = new RandomForestOptions { NEstimators = 20 };
        var a = RandomForest.Fit(options, x, y, Rng.FromSeed(42)).OrThrow();
        var b = RandomForest.Fit(options, x, y, Rng.FromSeed(43)).OrThrow();

        Assert.NotEqual(a, b);
        Assert.NotEqual(RandomForest.Predict(a, x), RandomForest.Predict(b, x));
    }

    [Theory]
    [InlineData(true, "1.0")]
    [InlineData(true, "sqrt")]
    [InlineData(false, "2")]
    public void Fit_NJobs1And2And3_GiveBitIdenticalModelsAndPredictions(bool bootstrap, string maxFeatures)
    {
        var (x, y) = Synthetic(400, 6, noise: 0.3, seed: 5);
        var (xTest, _) = Synthetic(100, 6, noise: 0.3, seed: 6);
        var options = new RandomForestOptions
        {
            NEstimators = 24, Bootstrap = bootstrap, MaxFeatures = MaxFeatures.Parse(maxFeatures).OrThrow(),
        };
        var models = new[] { 1, 2, 3 }.Select(j => RandomForest.Fit(options with { NJobs = j }, x, y, Rng.FromSeed(9)).OrThrow()).ToArray();
        var predictions = models.Select(m => RandomForest.Predict(m, xTest)).ToArray();

        for (var k = 1; k < models.Length; k++)
        {
            Assert.Equal(models[0].Trees, models[k].Trees); // the options differ in NJobs only

            Assert.Equal(Bits(predictions[0]), Bits(predictions[k]));
            Assert.Equal(Bits(models[0].FeatureImportances), Bits(models[k].FeatureImportances));
        }
    }

    [Fact]
    public void Fit_TreeI_DependsOnlyOnStreamI()
    {
        // Tree i uses stream i of rng.SplitMany(n): the first 5 trees of a 5-tree forest equal those of a 9-tree forest.
        var (x, y) = Synthetic(150, 3, noise: 0.3, seed: 2);
        var small = RandomForest.Fit(new RandomForestOptions { NEstimators = 5 }, x, y, Rng.FromSeed(4)).OrThrow();
        var large = RandomForest.Fit(new RandomForestOptions { NEstimators = 9 }, x, y, Rng.FromSeed(4)).OrThrow();

        Assert.Equal(small.Trees, large.Trees.Take(5));
    }

    [Fact]
    public void Fit_DoesNotModifyInputs()
    {
        var (x, y) = Synthetic(100, 3, noise: 0.3, seed: 8);
        var xBefore = x.Data.ToArray();
        var yBefore = y.ToArray();
        var model = RandomForest.Fit(new RandomForestOptions { NEstimators = 5 }, x, y, Rng.FromSeed(1)).OrThrow();
        RandomForest.Predict(model, x);

        Assert.Equal(xBefore, x.Data.ToArray());
        Assert.Equal(yBefore, y);
    }

    [Fact]
    public void TreeBuilder_InPlacePartition_GivesTheSameTreesAsDoubleBuffering()
    {
        // Large inputs partition one buffer in place instead of alternating between two; the trees must not change.
        var (x, y) = Synthetic(300, 5, noise: 0.3, seed: 13);
        var data = TrainingData.Create(x, y, degreeOfParallelism: 1);
        var settings = new TreeSettings(MaxFeatures: 3, MinSamplesSplit: 2, MinSamplesLeaf: 1, MaxDepth: int.MaxValue, Bootstrap: true, NBootstrap: 300);
        var doubleBuffered = new TreeBuilder(data, settings);
        var inPlace = new TreeBuilder(data, settings, doubleBufferLimitBytes: 0);
        var (streams, _) = Rng.FromSeed(8).SplitMany(5);

        foreach (var stream in streams) Assert.Equal(doubleBuffered.Build(stream), inPlace.Build(stream));
    }

    [Fact]
    public void TrainingData_PresortedColumns_AreTheComparisonSortOfValueThenRow()
    {
        // The columns are sorted by radix on the value bits; the order must be exactly (value, row) ascending, as a comparison sort
        // gives it: ties broken by row, -0 equal to +0, negative values, values differing in the lowest bit, a constant column.
        var rng = new Random(21);
        const int n = 3000;
        double[][] columns =
        [
            [.. Enumerable.Range(0, n).Select(_ => (double)rng.Next(-5, 6))],                      // few distinct values, many ties
            [.. Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2e6 - 1e6)],                 // wide range, both signs
            [.. Enumerable.Range(0, n).Select(i => i % 3 == 0 ? -0.0 : i % 3 == 1 ? 0.0 : 1e-30)], // -0 and +0 tie
            [.. Enumerable.Range(0, n).Select(_ => 1.0 + rng.Next(4) * 1.2e-7)],                   // neighbouring floats
            [.. Enumerable.Range(0, n).Select(_ => 7.5)],                                          // constant
        ];
        var x = Matrix.FromRowMajor(n, columns.Length, [.. Enumerable.Range(0, n).SelectMany(i => columns.Select(c => c[i]))]);
        var data = TrainingData.Create(x, new double[n], degreeOfParallelism: 2);

        for (var f = 0; f < columns.Length; f++)
        {
            var expected = Enumerable.Range(0, n).OrderBy(i => (float)columns[f][i] + 0f).ThenBy(i => i).ToArray();
            var actual = data.Presorted.AsSpan(f * n, n).ToArray();
            Assert.Equal(expected, actual.Select(e => e.Id).ToArray());
            Assert.Equal(expected.Select(i => (float)columns[f][i]).ToArray(), actual.Select(e => e.X).ToArray());
        }
    }

    // ---------------------------------------------------------------- statistical behaviour

    [Fact]
    public void Forest_OnNoisySinPlusSquare_BeatsPredictingTheMeanByAWideMargin()
    {
        var (xTrain, yTrain) = Synthetic(600, 3, noise: 0.2, seed: 11);
        var (xTest, yTest) = Synthetic(300, 3, noise: 0.2, seed: 12);
        var model = RandomForest.Fit(new RandomForestOptions { NEstimators = 60 }, xTrain, yTrain, Rng.FromSeed(5)).OrThrow();
        var yHat = RandomForest.Predict(model, xTest);

        var mean = yTrain.Average();
        var mseMean = yTest.Average(v => (v - mean) * (v - mean));
        var mseForest = yTest.Zip(yHat, (a, b) => (a - b) * (a - b)).Average();
        Assert.True(mseForest < 0.15 * mseMean, $"forest MSE {mseForest:F4} vs mean-predictor MSE {mseMean:F4}");

        // y = sin(x0) + x1^2 + noise: the irrelevant x2 gets the least importance.
        var importances = model.FeatureImportances;
        Assert.Equal(1.0, importances.Sum(), 12);
        Assert.True(importances[2] < importances[0] && importances[2] < importances[1], string.Join(", ", importances));
    }

    [Fact]
    public void Bootstrap_MaxSamplesHalf_DrawsRoundedHalfOfTheRowsPerTree()
    {
        var (x, y) = Synthetic(101, 2, noise: 0.3, seed: 3);
        var model = RandomForest.Fit(new RandomForestOptions { NEstimators = 10, MaxSamples = 0.5 }, x, y, Rng.FromSeed(2)).OrThrow();

        foreach (var tree in model.Trees)
        {
            Assert.Equal(50.0, tree.WeightedNNodeSamples[0]); // round(101 * 0.5) = round(50.5) = 50 (half to even, as Python)
            Assert.True(tree.NNodeSamples[0] < 50, "distinct in-bag rows are fewer than draws");
        }
    }

    [Fact]
    public void MaxFeatures1_WithAConstantFeature_KeepsDrawingUntilANonConstantOne()
    {
        // scikit-learn draws past constant features while every feature drawn so far was constant, so every root splits on x1.
        var x = Matrix.Build(40, 2, (i, j) => j == 0 ? 3.0 : i);
        var y = Enumerable.Range(0, 40).Select(i => i < 20 ? 0.0 : 1.0).ToArray();
        var model = RandomForest.Fit(new RandomForestOptions { NEstimators = 30, MaxFeatures = MaxFeatures.Count(1), Bootstrap = false },
            x, y, Rng.FromSeed(6)).OrThrow();

        Assert.All(model.Trees, t => Assert.Equal(1, t.Feature[0]));
        Assert.All(model.Trees, t => Assert.Equal(19.5, t.Threshold[0]));
    }

    [Fact]
    public void Fit_AllFeaturesConstant_GivesSingleLeafTreesAndZeroImportances()
    {
        var x = Matrix.Build(10, 3, (_, j) => j);
        var y = Enumerable.Range(0, 10).Select(i => (double)i).ToArray();
        var model = RandomForest.Fit(new RandomForestOptions { NEstimators = 3, Bootstrap = false }, x, y, Rng.FromSeed(1)).OrThrow();

        Assert.All(model.Trees, t => Assert.Equal(1, t.NodeCount));
        Assert.Equal([4.5], RandomForest.Predict(model, Matrix.FromRows([[0.0, 1.0, 2.0]])));
        Assert.Equal([0.0, 0.0, 0.0], model.FeatureImportances);
    }

    // ---------------------------------------------------------------- validation

    public static TheoryData<RandomForestOptions, string> BadOptions => new()
    {
        { new RandomForestOptions { NEstimators = 0 }, "n_estimators" },
        { new RandomForestOptions { MinSamplesSplit = 1 }, "min_samples_split" },
        { new RandomForestOptions { MinSamplesLeaf = 0 }, "min_samples_leaf" },
        { new RandomForestOptions { MaxDepth = 0 }, "max_depth" },
        { new RandomForestOptions { MaxSamples = 0.0 }, "max_samples" },
        { new RandomForestOptions { MaxSamples = 1.5 }, "max_samples" },
        { new RandomForestOptions { MaxFeatures = MaxFeatures.Count(4) }, "max_features" },
        { new RandomForestOptions { MaxFeatures = MaxFeatures.Count(0) }, "max_features" },
        { new RandomForestOptions { MaxFeatures = MaxFeatures.Fraction(1.5) }, "max_features" },
        { new RandomForestOptions { MaxFeatures = MaxFeatures.Fraction(0.0) }, "max_features" },
        { new RandomForestOptions { NJobs = 0 }, "n_jobs" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Fit_Fails_WhenAnOptionIsOutOfRange(RandomForestOptions options, string name)
    {
        var (x, y) = Synthetic(20, 3, noise: 0.1, seed: 1);
        var problem = Assert.Single(RandomForest.Fit(options, x, y, Rng.FromSeed(1)).Problems());

        Assert.Equal("param.out_of_range", problem.Code);
        Assert.StartsWith(name, problem.Message);
        Assert.Contains("expected", problem.Message);
        Assert.Contains("fix:", problem.Message);
    }

    [Fact]
    public void Fit_Fails_WhenMaxSamplesIsSetWithoutBootstrap()
    {
        var (x, y) = Synthetic(20, 3, noise: 0.1, seed: 1);
        var problem = Assert.Single(RandomForest.Fit(new RandomForestOptions { Bootstrap = false, MaxSamples = 0.5 }, x, y, Rng.FromSeed(1)).Problems());

        Assert.Equal("param.conflict", problem.Code);
    }

    [Fact]
    public void Fit_Fails_WhenRowsDoNotMatchTargets()
    {
        var (x, _) = Synthetic(20, 3, noise: 0.1, seed: 1);
        var problem = Assert.Single(RandomForest.Fit(new RandomForestOptions(), x, new double[19], Rng.FromSeed(1)).Problems());

        Assert.Equal("shape.rows_mismatch", problem.Code);
        Assert.Contains("20 rows", problem.Message);
        Assert.Contains("19 values", problem.Message);
    }

    [Fact]
    public void Fit_Fails_WhenDataIsEmpty()
    {
        var problems = RandomForest.Fit(new RandomForestOptions(), Matrix.FromRows([]), [], Rng.FromSeed(1)).Problems();

        Assert.Contains(problems, p => p.Code == "data.empty");
    }

    [Fact]
    public void Fit_Fails_WhenAFeatureIsNaN_NamingRowColumnAndMeanImputation()
    {
        var x = Matrix.Build(6, 3, (i, j) => (i, j) is (2, 1) or (4, 1) ? double.NaN : (i, j) is (5, 0) ? double.PositiveInfinity : i + j);
        double[] y = [0, 1, 2, 3, 4, 5];
        var problems = RandomForest.Fit(new RandomForestOptions(), x, y, Rng.FromSeed(1)).Problems();

        Assert.Equal(2, problems.Length); // one per bad column
        Assert.All(problems, p => Assert.Equal("data.nan_feature", p.Code));
        Assert.Contains("row index 5, column index 0", problems[0].Message);
        Assert.Contains("row index 2, column index 1", problems[1].Message);
        Assert.Contains("2 non-finite value(s) in column 1", problems[1].Message);
        Assert.Contains("mean imputation", problems[1].Message);
    }

    [Fact]
    public void Fit_Fails_WhenATargetIsNaN()
    {
        var (x, y) = Synthetic(10, 2, noise: 0.1, seed: 1);
        y[7] = double.NaN;
        var problem = Assert.Single(RandomForest.Fit(new RandomForestOptions(), x, y, Rng.FromSeed(1)).Problems());

        Assert.Equal("data.nan_target", problem.Code);
        Assert.Contains("row index 7", problem.Message);
    }

    [Fact]
    public void Fit_CollectsEveryProblem()
    {
        var x = Matrix.Build(4, 2, (i, j) => i == 1 && j == 1 ? double.NaN : i);
        var problems = RandomForest.Fit(new RandomForestOptions { NEstimators = 0, MinSamplesLeaf = 0 }, x, [0, 1, 2], Rng.FromSeed(1)).Problems();

        Assert.Equal(["param.out_of_range", "param.out_of_range", "shape.rows_mismatch", "data.nan_feature"], problems.Select(p => p.Code));
    }

    [Fact]
    public void Predict_WrongColumnCount_IsAProblemForTryPredictAndAnExceptionForPredict()
    {
        var (x, y) = Synthetic(30, 3, noise: 0.1, seed: 1);
        var model = RandomForest.Fit(new RandomForestOptions { NEstimators = 3 }, x, y, Rng.FromSeed(1)).OrThrow();
        var wrong = Matrix.Build(2, 2, (i, j) => i + j);

        Assert.Equal("shape.cols_mismatch", Assert.Single(RandomForest.TryPredict(model, wrong).Problems()).Code);
        Assert.Throws<ArgumentException>(() => RandomForest.Predict(model, wrong));
        var nan = Matrix.Build(2, 3, (i, j) => i == 1 && j == 2 ? double.NaN : 0);
        Assert.Equal("data.nan_feature", Assert.Single(RandomForest.TryPredict(model, nan).Problems()).Code);
    }

    // ---------------------------------------------------------------- MaxFeatures

    [Theory]
    [InlineData("sqrt", 132, 11, "sqrt")]
    [InlineData("log2", 132, 7, "log2")]
    [InlineData("all", 132, 132, "1.0")]
    [InlineData("1.0", 132, 132, "1.0")]
    [InlineData("0.33", 132, 43, "0.33")]
    [InlineData("5", 132, 5, "5")]
    [InlineData("1", 132, 1, "1")]
    [InlineData(" SQRT ", 3, 1, "sqrt")]
    [InlineData("0.01", 10, 1, "0.01")]
    public void MaxFeatures_Parse_ResolvesAndPrintsAsScikitLearn(string text, int nFeatures, int expected, string printed)
    {
        var mf = MaxFeatures.Parse(text).OrThrow();

        Assert.Equal(expected, mf.Resolve(nFeatures));
        Assert.Equal(printed, mf.ToString());
    }

    [Theory]
    [InlineData("0", "param.out_of_range")]
    [InlineData("-3", "param.out_of_range")]
    [InlineData("1.5", "param.out_of_range")]
    [InlineData("0.0", "param.out_of_range")]
    [InlineData("half", "param.invalid")]
    [InlineData("", "param.invalid")]
    public void MaxFeatures_Parse_Fails_OnInvalidText(string text, string code) =>
        Assert.Equal(code, Assert.Single(MaxFeatures.Parse(text).Problems()).Code);

    [Fact]
    public void MaxFeatures_All_IsTheFraction1AndTheDefault()
    {
        Assert.Equal(MaxFeatures.Fraction(1.0), MaxFeatures.All);
        Assert.Equal(MaxFeatures.All, new RandomForestOptions().MaxFeatures);
    }

    // ---------------------------------------------------------------- helpers

    private static (Matrix X, double[] Y) Synthetic(int n, int p, double noise, long seed) => TreeTestData.Synthetic(n, p, noise, seed);

    private static long[] Bits(double[] values) => TreeTestData.Bits(values);

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what) =>
        TreeTestData.AssertClose(expected, actual, what);

    private static (Matrix XTrain, double[] YTrain, Matrix XTest) ReferenceData() => TreeTestData.ReferenceData();

    private static Dictionary<string, List<double>> ReferenceCase(string name) => TreeTestData.ReferenceCase("random_forest_single_tree.csv", name);

    private static RandomForestOptions CaseOptions(string name) => name switch
    {
        "max_depth_3" => OneExactTree with { MaxDepth = 3 },
        "min_samples_leaf_5" => OneExactTree with { MinSamplesLeaf = 5 },
        "min_samples_split_12_max_depth_6" => OneExactTree with { MinSamplesSplit = 12, MaxDepth = 6 },
        _ => OneExactTree,
    };
}
