using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Models.Baseline;
using Pure.Materials.Models.Classification;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Models;

/// <summary>The learner registries: every learner is declared once, and parsing, reports and help all come from the declaration.</summary>
public class RegistryTests
{
    public static TheoryData<string, string> AllLearners()
    {
        var data = new TheoryData<string, string>();
        foreach (var s in Learners.Registry) data.Add("regression", s.Name);
        foreach (var s in Classifiers.Registry) data.Add("classification", s.Name);
        return data;
    }

    private static ILearnerSpec Spec(string task, string name) =>
        task == "regression" ? Learners.Find(name).OrThrow() : Classifiers.Find(name).OrThrow();

    private static IReadOnlyList<KeyValuePair<string, string>> Parameters(string task, string name, Dictionary<string, string> settings) =>
        task == "regression" ? Learners.Parse(name, settings).OrThrow().Parameters : Classifiers.Parse(name, settings).OrThrow().Parameters;

    [Theory]
    [MemberData(nameof(AllLearners))]
    public void Defaults_AreRecorded_ForEveryDeclaredParameter(string task, string name)
    {
        var spec = Spec(task, name);
        var recorded = Parameters(task, name, []);
        Assert.Equal(spec.Parameters.Where(p => p.Recorded).Select(p => (p.Name, p.Default)), recorded.Select(kv => (kv.Key, kv.Value)));
        Assert.All(spec.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Doc)));
        Assert.Equal(spec.Parameters.Count, spec.Parameters.Select(p => p.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(AllLearners))]
    public void RecordedValues_ParseBackToTheSameLearner(string task, string name)
    {
        // format -> parse -> format is the identity: what a report records can be passed back with --set and gives the same learner.
        var recorded = Parameters(task, name, []);
        var again = Parameters(task, name, recorded.ToDictionary(kv => kv.Key, kv => kv.Value));
        Assert.Equal(recorded, again);
    }

    [Theory]
    [MemberData(nameof(AllLearners))]
    public void UnknownKey_IsAProblemListingEveryAcceptedKey(string task, string name)
    {
        var spec = Spec(task, name);
        var settings = new Dictionary<string, string> { ["no_such_parameter"] = "1" };
        var problems = (task == "regression" ? Learners.Parse(name, settings).Problems() : Classifiers.Parse(name, settings).Problems()).ToList();
        var problem = Assert.Single(problems);
        Assert.Equal("param.unknown", problem.Code);
        Assert.Equal($"model '{name}' has no parameter 'no_such_parameter'; accepted: {string.Join(", ", spec.Parameters.Select(p => p.Name))}", problem.Message);
    }

    [Theory]
    [MemberData(nameof(AllLearners))]
    public void Help_HasOneLinePerParameter(string task, string name)
    {
        var spec = Spec(task, name);
        var lines = spec.Help.Split(Environment.NewLine);
        Assert.Equal(spec.Parameters.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++) Assert.StartsWith($"  {spec.Parameters[i].Name} (", lines[i]);
    }

    [Fact]
    public void RandomForest_RecordsEverySetting_IncludingMaxLeafNodes()
    {
        // Before the registry, rf parsed max_leaf_nodes but left it out of report.json.
        var p = Learners.Parse("rf", new Dictionary<string, string> { ["max_leaf_nodes"] = "50", ["oob_score"] = "true" }).OrThrow().Parameters;
        Assert.Contains(KeyValuePair.Create("max_leaf_nodes", "50"), p);
        Assert.Contains(KeyValuePair.Create("oob_score", "true"), p);
    }

    [Fact]
    public void BadValues_AreAllReported_WithTheAcceptedValues()
    {
        var problems = Classifiers.Parse("rf", new Dictionary<string, string> { ["bootstrap"] = "yes", ["criterion"] = "mse", ["n_estimators"] = "ten" }).Problems().ToList();
        Assert.Equal(3, problems.Count);
        Assert.All(problems, p => Assert.Equal("param.invalid_value", p.Code));
        Assert.Contains(problems, p => p.Message == "criterion=mse is not accepted; use gini or entropy");
        Assert.Contains(problems, p => p.Message == "bootstrap=yes is not a boolean (use true or false)");
    }

    [Fact]
    public void Names_AreUniqueWithinEachRegistry_AndTreesDefaultToNoScaling()
    {
        Assert.Equal(Learners.Names.Count, Learners.Names.Distinct().Count());
        Assert.Equal(Classifiers.Names.Count, Classifiers.Names.Distinct().Count());
        foreach (var tree in new[] { "rf", "extra-trees", "tree", "gbm" })
        {
            Assert.Equal(ScaleStrategy.None, PipelineOptions.DefaultScale(tree));
            Assert.Equal(ScaleStrategy.None, Classifiers.Find(tree).OrThrow().DefaultScale);
        }
        Assert.Equal(ScaleStrategy.Standard, PipelineOptions.DefaultScale("ridge"));
        Assert.Equal(ScaleStrategy.Standard, PipelineOptions.DefaultScale("svc"));
    }

    [Theory]
    [InlineData("mean", null, 4.0)]
    [InlineData("median", null, 3.0)]
    [InlineData("quantile", 0.25, 2.0)]
    [InlineData("quantile", 0.9, 7.6)]
    public void DummyRegressor_PredictsNumpysStatistic(string strategy, double? quantile, double expected)
    {
        // numpy: mean([1, 2, 3, 4, 10]) = 4, median = 3, percentile(.., 25) = 2, percentile(.., 90) = 4 + 0.6 * (10 - 4) = 7.6.
        var y = new[] { 3.0, 1, 10, 2, 4 };
        var x = Matrix.Build(5, 1, (i, _) => i);
        var settings = new Dictionary<string, string> { ["strategy"] = strategy };
        if (quantile is { } q) settings["quantile"] = q.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var predictor = Learners.Parse("dummy", settings).OrThrow().Fit(x, y, Rng.FromSeed(0)).OrThrow();
        Assert.All(predictor.Predict(Matrix.Build(3, 1, (i, _) => 100 + i)), v => Assert.Equal(expected, v, 1e-12));
    }

    [Fact]
    public void DummyRegressor_QuantileWithoutItsValue_IsAProblem()
    {
        var fit = DummyRegressor.Fit(new DummyRegressorOptions { Strategy = DummyStrategy.Quantile }, Matrix.Build(2, 1, (i, _) => i), [1.0, 2.0]);
        Assert.Equal("param.missing", Assert.Single(fit.Problems()).Code);
    }

    [Fact]
    public void Capabilities_AreInterfacesOnTheFittedModels_AndTheRegistryDerivesPredictsStdFromThem()
    {
        var c = new RngCursor(Rng.FromSeed(2));
        var x = Matrix.Build(60, 3, (_, _) => c.NextDouble());
        var y = Enumerable.Range(0, 60).Select(i => x[i, 0] + 2 * x[i, 1] + 0.1 * c.NextDouble()).ToArray();
        var small = new Dictionary<string, Dictionary<string, string>>
        {
            ["rf"] = new() { ["n_estimators"] = "5" }, ["extra-trees"] = new() { ["n_estimators"] = "5" }, ["gbm"] = new() { ["max_iter"] = "5" },
            ["gpr"] = new() { ["optimizer"] = "None" },
        };
        var capabilities = new Dictionary<string, string>();
        foreach (var spec in Learners.Registry)
        {
            var model = Learners.Parse(spec.Name, small.GetValueOrDefault(spec.Name) ?? []).OrThrow().Fit(x, y, Rng.FromSeed(0)).OrThrow().Model;
            var has = new[]
            {
                model is IPredictsStd ? "std" : null, model is IHasFeatureImportances ? "importances" : null,
                model is IHasCoefficients ? "coef" : null, model is IHasLossCurve ? "loss" : null,
            };
            capabilities[spec.Name] = string.Join(",", has.Where(h => h is not null));
            Assert.Equal(model is IPredictsStd, spec.PredictsStd);
            if (model is IHasCoefficients linear)
            {
                var predicted = Learners.Parse(spec.Name, new Dictionary<string, string>()).OrThrow().Fit(x, y, Rng.FromSeed(0)).OrThrow().Predict(x);
                for (var i = 0; i < x.Rows; i++)
                    Assert.Equal(predicted[i], Reduce.Dot(x.Row(i), linear.Coef.ToArray()) + linear.Intercept, 1e-12);
            }
        }
        Assert.Equal("std,importances", capabilities["rf"]);
        Assert.Equal("std,importances", capabilities["extra-trees"]);
        Assert.Equal("importances", capabilities["tree"]);
        Assert.Equal("std", capabilities["gpr"]);
        Assert.Equal("coef,loss", capabilities["linear-gd"]);
        foreach (var linear in new[] { "ridge", "linear", "lasso", "elastic-net" }) Assert.Equal("coef", capabilities[linear]);
    }
}
