using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.SupportVector;
using Xunit;
using static Pure.Materials.Tests.Models.Linear.SklearnReference;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Models.SupportVector;

public class SvmTests
{
    private static readonly Lazy<(Matrix X, double[] Gap)> Magpie = new(() =>
    {
        var (x, gap) = MagpieExptGap(Strings("linear", "magpie", "column"));
        return (x.SelectRows(Enumerable.Range(0, 400).ToArray()), gap[..400]);
    });

    private static int[] Three(double[] gap) => gap.Select(g => g == 0 ? 0 : g <= 2 ? 1 : 2).ToArray();

    private static readonly Matrix Small = Matrix.FromRows([[0.0, 1.0], [1.0, 0.5], [2.0, -1.0], [3.0, 0.0], [4.0, 2.0], [5.0, 1.5]]);
    private static readonly double[] SmallY = [0.1, 0.9, 2.2, 2.8, 4.1, 5.0];
    private static readonly int[] SmallLabels = [0, 0, 0, 1, 1, 1];

    private static string[] Codes<T>(LanguageExt.Validation<Problem, T> v) => v.Problems().Select(p => p.Code).ToArray();

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Fit_Fails_WhenCIsNotPositive(double c)
    {
        Assert.Contains("param.out_of_range", Codes(Svr.Fit(new SvrOptions { C = c }, Small, SmallY)));
        Assert.Contains("param.out_of_range", Codes(Svc.Fit(new SvcOptions { C = c }, Small, SmallLabels, Rng.FromSeed(0))));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.PositiveInfinity)]
    public void Fit_Fails_WhenGammaIsNotPositive(double gamma)
    {
        var kernel = new SvmKernelOptions { Gamma = SvmGamma.Of(gamma) };
        var problems = Svr.Fit(new SvrOptions { Kernel = kernel }, Small, SmallY).Problems();
        Assert.Contains(problems, p => p.Code == "param.out_of_range" && p.Message.Contains("gamma"));
        Assert.Contains("param.out_of_range", Codes(Svc.Fit(new SvcOptions { Kernel = kernel }, Small, SmallLabels, Rng.FromSeed(0))));
    }

    [Fact]
    public void Fit_Fails_WhenEpsilonIsNegative()
    {
        var problems = Svr.Fit(new SvrOptions { Epsilon = -0.1 }, Small, SmallY).Problems();
        Assert.Contains(problems, p => p.Code == "param.out_of_range" && p.Message.Contains("epsilon"));
    }

    [Fact]
    public void Fit_Fails_WhenTheLabelsHoldASingleClass()
    {
        var problems = Svc.Fit(new SvcOptions(), Small, [1, 1, 1, 1, 1, 1], Rng.FromSeed(0)).Problems();
        Assert.Contains(problems, p => p.Code == "data.single_class");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Fit_Fails_WhenAFeatureIsNotFinite(double bad)
    {
        var data = Small.Data.ToArray();
        data[5] = bad;
        var x = Matrix.FromRows(Enumerable.Range(0, 6).Select(i => data[(2 * i)..(2 * i + 2)]).ToArray());
        var svr = Svr.Fit(new SvrOptions(), x, SmallY).Problems();
        Assert.Contains(svr, p => p.Code == "data.nan_feature" && p.Message.Contains("sample 2 feature 1"));
        Assert.Contains("data.nan_feature", Codes(Svc.Fit(new SvcOptions(), x, SmallLabels, Rng.FromSeed(0))));
    }

    [Fact]
    public void Fit_Fails_WhenDegreeOrTolOrMaxIterAreOutOfRange()
    {
        var o = new SvrOptions { Kernel = new SvmKernelOptions { Kind = SvmKernelKind.Poly, Degree = 0 }, Tol = 0, MaxIter = 0 };
        Assert.Equal(3, Svr.Fit(o, Small, SmallY).Problems().Count(p => p.Code == "param.out_of_range"));
    }

    [Fact]
    public void Parse_ReportsUnknownKeysAndBadValues_WithScikitLearnNames()
    {
        var svr = Learners.Parse("svr", new Dictionary<string, string> { ["alpha"] = "1", ["kernel"] = "cubic", ["gamma"] = "wide" }).Problems();
        Assert.Contains(svr, p => p.Code == "param.unknown" && p.Message.Contains("epsilon"));
        Assert.Contains(svr, p => p.Code == "param.invalid_value" && p.Message.Contains("kernel=cubic"));
        Assert.Contains(svr, p => p.Code == "param.invalid_value" && p.Message.Contains("gamma=wide"));
        var svc = Classifiers.Parse("svc", new Dictionary<string, string> { ["epsilon"] = "0.1" }).Problems();
        Assert.Contains(svc, p => p.Code == "param.unknown" && p.Message.Contains("probability"));
        var ok = Learners.Parse("svr", new Dictionary<string, string> { ["C"] = "10", ["epsilon"] = "0.2", ["kernel"] = "poly", ["gamma"] = "auto", ["degree"] = "2", ["coef0"] = "1" }).OrThrow();
        Assert.Equal(["10", "0.2", "poly", "auto", "2", "1"], ok.Parameters.Take(6).Select(kv => kv.Value));
    }

    [Fact]
    public void GammaScale_IsOneOverFeaturesTimesVarianceOfEveryEntry()
    {
        // X entries 0..5 and the six second-column values: population variance over all 12 entries.
        var all = Small.Data.ToArray();
        var mean = all.Average();
        var variance = all.Sum(v => (v - mean) * (v - mean)) / all.Length;
        Assert.Equal(1.0 / (2 * variance), SvmKernel.ResolveGamma(SvmGamma.Scale, Small), 15);
        Assert.Equal(0.5, SvmKernel.ResolveGamma(SvmGamma.Auto, Small));
        Assert.Equal(1.0, SvmKernel.ResolveGamma(SvmGamma.Scale, Matrix.FromRows([[2.0, 2.0], [2.0, 2.0]])));
    }

    [Fact]
    public void SmallKernelCache_GivesTheSameModelAsTheFullMatrix()
    {
        // 400 rows: the full matrix needs 0.64 MB; 0.02 MB holds 13 rows, so rows are dropped and recomputed (LRU path).
        var (x, gap) = Magpie.Value;
        var full = Svr.Fit(new SvrOptions { C = 10 }, x, gap).OrThrow();
        var lru = Svr.Fit(new SvrOptions { C = 10, CacheSize = 0.02 }, x, gap).OrThrow();
        Assert.Equal(full.Support, lru.Support);
        Assert.Equal(full.DualCoef, lru.DualCoef);
        Assert.Equal(full.Intercept, lru.Intercept);
        var y = Three(gap);
        var a = Svc.Fit(new SvcOptions(), x, y, Rng.FromSeed(0)).OrThrow();
        var b = Svc.Fit(new SvcOptions { CacheSize = 0.02 }, x, y, Rng.FromSeed(0)).OrThrow();
        Assert.Equal(a.DualCoef.Data.ToArray(), b.DualCoef.Data.ToArray());
        Assert.Equal(a.Intercept, b.Intercept);
    }

    [Fact]
    public void Shrinking_DoesNotChangeTheSolutionBeyondTol()
    {
        var (x, gap) = Magpie.Value;
        var on = Svr.Fit(new SvrOptions { C = 10 }, x, gap).OrThrow();
        var off = Svr.Fit(new SvrOptions { C = 10, Shrinking = false }, x, gap).OrThrow();
        var pa = Svr.Predict(on, x);
        var pb = Svr.Predict(off, x);
        Assert.True(pa.Zip(pb, (u, v) => Math.Abs(u - v)).Max() < 1e-2, "predictions within 1e-2 eV");
        var y = Three(gap);
        var a = Svc.Fit(new SvcOptions(), x, y, Rng.FromSeed(0)).OrThrow();
        var b = Svc.Fit(new SvcOptions { Shrinking = false }, x, y, Rng.FromSeed(0)).OrThrow();
        var da = Svc.DecisionFunctionOvo(a, x).Data.ToArray();
        var db = Svc.DecisionFunctionOvo(b, x).Data.ToArray();
        Assert.True(da.Zip(db, (u, v) => Math.Abs(u - v)).Max() < 1e-2, "pairwise decision values within 1e-2");
    }

    [Fact]
    public void Fit_IsDeterministic_AndLeavesInputsUnchanged()
    {
        var (x, gap) = Magpie.Value;
        var before = x.Data.ToArray();
        var y = Three(gap);
        var a = Svc.Fit(new SvcOptions { Probability = true }, x, y, Rng.FromSeed(5)).OrThrow();
        var b = Svc.Fit(new SvcOptions { Probability = true }, x, y, Rng.FromSeed(5)).OrThrow();
        Assert.Equal(a.ProbA, b.ProbA);
        Assert.Equal(a.ProbB, b.ProbB);
        Assert.Equal(a.DualCoef.Data.ToArray(), b.DualCoef.Data.ToArray());
        Assert.Equal(before, x.Data.ToArray());
        var c = Svc.Fit(new SvcOptions { Probability = true }, x, y, Rng.FromSeed(6)).OrThrow();
        Assert.NotEqual(a.ProbA, c.ProbA);
        Assert.Equal(a.DualCoef.Data.ToArray(), c.DualCoef.Data.ToArray());
    }

    [Fact]
    public void PredictProba_GivesDistributions_ThatMostlyAgreeWithTheVotes()
    {
        var (x, gap) = Magpie.Value;
        var (train, test) = FiveFoldSplit(x.Rows);
        var y = Three(gap);
        var m = Svc.Fit(new SvcOptions { Probability = true }, x.SelectRows(train), train.Select(i => y[i]).ToArray(), Rng.FromSeed(0)).OrThrow();
        var xt = x.SelectRows(test);
        var proba = Svc.PredictProba(m, xt).OrThrow();
        for (var i = 0; i < proba.Rows; i++)
        {
            var row = proba.Row(i).ToArray();
            Assert.All(row, p => Assert.InRange(p, 0.0, 1.0));
            Assert.Equal(1.0, row.Sum(), 9);
        }
        var byProba = ClassifierPredictor.ArgMax(m.Classes, proba);
        var byVotes = Svc.Predict(m, xt);
        Assert.True(byProba.Zip(byVotes, (u, v) => u == v).Count(same => same) >= 0.9 * test.Length);
        var without = Svc.Fit(new SvcOptions(), x.SelectRows(train), train.Select(i => y[i]).ToArray(), Rng.FromSeed(0)).OrThrow();
        Assert.Equal(["model.no_probability"], Codes(Svc.PredictProba(without, xt)));
    }

    [Fact]
    public void SigmoidTrain_MatchesScikitLearnsPlattFit()
    {
        // Reference: tools/reference/sklearn_svm.py (case platt): scikit-learn's _sigmoid_calibration minimises the same Platt
        // objective by BFGS; libsvm's Newton iteration stops at |gradient| < 1e-5, so (A, B) agree to 1e-4 relative.
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", "svm.csv"))
            .Where(l => l.StartsWith("platt,")).Select(l => l.Split(',')).ToArray();
        double[] Q(string q) => rows.Where(f => f[2] == q).OrderBy(f => int.Parse(f[3], CultureInfo.InvariantCulture))
            .Select(f => double.Parse(f[4], CultureInfo.InvariantCulture)).ToArray();
        var (a, b) = Platt.SigmoidTrain(Q("decision"), Q("label"));
        var ab = Q("ab");
        Close(ab[0], a, 1e-4, "A");
        Assert.True(Math.Abs(ab[1] - b) < 1e-4, $"B: scikit-learn {ab[1]:R}, ours {b:R}");
    }

    [Fact]
    public void MulticlassProbability_OfConsistentPairwiseProbabilities_RecoversTheClassProbabilities()
    {
        // r_ij = p_i / (p_i + p_j) for p = (0.5, 0.3, 0.2): method 2 of Wu, Lin and Weng has p as its exact solution; libsvm stops
        // when max_t |(Qp)_t - p'Qp| < 0.005 / k, which leaves p within about 1e-3 here.
        double[] p = [0.5, 0.3, 0.2];
        var r = new double[3, 3];
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                if (i != j) r[i, j] = p[i] / (p[i] + p[j]);
        var q = Platt.MulticlassProbability(3, r);
        for (var i = 0; i < 3; i++) Assert.True(Math.Abs(p[i] - q[i]) < 2e-3, $"p[{i}]: {q[i]:R}");
        Assert.Equal(1.0, q.Sum(), 12);
    }

    [Fact]
    public void Svc_Predict_OnSeparableData_IsPerfect_AndDecisionSignFollowsClasses()
    {
        var m = Svc.Fit(new SvcOptions { Kernel = new SvmKernelOptions { Kind = SvmKernelKind.Linear }, C = 100 }, Small, SmallLabels, Rng.FromSeed(0)).OrThrow();
        Assert.Equal(SmallLabels, Svc.Predict(m, Small));
        var dec = Svc.DecisionFunction(m, Small).Data.ToArray();
        for (var i = 0; i < dec.Length; i++) Assert.Equal(SmallLabels[i] == 1, dec[i] > 0);
    }

    [Fact]
    public void SvrLearner_FitsTwiceToTheSamePredictions_LeavesInputsUnchanged_AndReportsShapeProblems()
    {
        // The conformance checks of LinearKernelNeighborConformanceTests, for the svr learner (svc is covered there through Classifiers.Names).
        var x = Matrix.Build(40, 3, (i, j) => Math.Sin(0.7 * i * (j + 1)) + 0.1 * j);
        var y = Enumerable.Range(0, 40).Select(i => x[i, 0] - 2 * x[i, 1] + Math.Cos(i)).ToArray();
        var learner = Learners.Parse("svr", new Dictionary<string, string>()).OrThrow();
        var xBefore = x.Data.ToArray();
        var yBefore = (double[])y.Clone();
        var a = learner.Fit(x, y, Rng.FromSeed(5)).OrThrow();
        var b = learner.Fit(x, y, Rng.FromSeed(5)).OrThrow();
        Assert.Equal(a.Predict(x), b.Predict(x));
        Assert.All(a.Predict(x), v => Assert.True(double.IsFinite(v)));
        Assert.Equal(xBefore, x.Data.ToArray());
        Assert.Equal(yBefore, y);
        Assert.Contains(learner.Fit(x, y[..39], Rng.FromSeed(5)).Problems(), p => p.Code == "shape.rows_mismatch");
        Assert.Contains(learner.Fit(Matrix.Build(0, 3, (_, _) => 0), [], Rng.FromSeed(5)).Problems(), p => p.Code == "data.empty");
    }
}
