using System.Reflection;
using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Models;

/// <summary>One conformance suite over every learner of both registries (scikit-learn's <c>check_estimator</c> idea): a fitted model is
/// a value, so fitting twice with the same options, data and seed gives Equal records with equal hash codes; a randomised learner
/// gives a different model for a different seed; fitting never modifies its inputs.</summary>
public class ConformanceTests
{
    private const int Rows = 60;
    private const int Cols = 4;

    /// <summary>Settings that make a learner use its random stream; learners not listed here are deterministic with their defaults.</summary>
    private static readonly Dictionary<(string Task, string Name), Dictionary<string, string>> Randomised = new()
    {
        [("regression", "rf")] = [],
        [("regression", "extra-trees")] = [],
        [("regression", "linear-gd")] = new() { ["batch_size"] = "8" },
        [("regression", "gbm")] = new() { ["subsample"] = "0.6", ["max_iter"] = "20" },
        [("regression", "gpr")] = new() { ["n_restarts_optimizer"] = "2" },
        [("classification", "rf")] = [],
        [("classification", "extra-trees")] = [],
        [("classification", "gbm")] = new() { ["subsample"] = "0.6", ["max_iter"] = "20" },
        [("classification", "svc")] = new() { ["probability"] = "true" },
    };

    public static TheoryData<string, string> AllLearners()
    {
        var data = new TheoryData<string, string>();
        foreach (var s in Learners.Registry) data.Add("regression", s.Name);
        foreach (var s in Classifiers.Registry) data.Add("classification", s.Name);
        return data;
    }

    public static TheoryData<string, string> RandomisedLearners()
    {
        var data = new TheoryData<string, string>();
        foreach (var (task, name) in Randomised.Keys) data.Add(task, name);
        return data;
    }

    /// <summary>Features in [-1, 1) and a smooth target with noise; 3 classes from the target's terciles.</summary>
    private static (double[] X, double[] Y, int[] Labels) Data()
    {
        var r = new RngCursor(Rng.FromSeed(20261205));
        var x = new double[Rows * Cols];
        for (var i = 0; i < x.Length; i++) x[i] = 2 * r.NextDouble() - 1;
        var y = new double[Rows];
        for (var i = 0; i < Rows; i++)
            y[i] = Math.Sin(2 * x[i * Cols]) + x[i * Cols + 1] * x[i * Cols + 2] - 0.5 * x[i * Cols + 3] + 0.1 * (r.NextDouble() - 0.5);
        var sorted = y.Order().ToArray();
        double t1 = sorted[Rows / 3], t2 = sorted[2 * Rows / 3];
        var labels = y.Select(v => v < t1 ? 0 : v < t2 ? 1 : 2).ToArray();
        return (x, y, labels);
    }

    /// <summary>Fits the named learner with the given settings and seed; returns the fitted model record.</summary>
    private static object Fit(string task, string name, Dictionary<string, string> settings, double[] x, double[] y, int[] labels, long seed)
    {
        var matrix = Matrix.FromRowMajor(Rows, Cols, x);
        return task == "regression"
            ? Learners.Parse(name, settings).OrThrow().Fit(matrix, y, Rng.FromSeed(seed)).OrThrow().Model
            : Classifiers.Parse(name, settings).OrThrow().Fit(matrix, labels, Rng.FromSeed(seed)).OrThrow().Model;
    }

    private static Dictionary<string, string> Settings(string task, string name) =>
        Randomised.TryGetValue((task, name), out var s) ? s : [];

    [Theory]
    [MemberData(nameof(AllLearners))]
    public void FitTwice_SameSeed_GivesEqualModels_WithEqualHashCodes(string task, string name)
    {
        var (x, y, labels) = Data();
        var a = Fit(task, name, Settings(task, name), x, y, labels, 7);
        var b = Fit(task, name, Settings(task, name), x, y, labels, 7);
        Assert.NotSame(a, b);
        Assert.Equal(a.GetType(), b.GetType());
        Assert.True(a.Equals(b), $"{task} {name}: two fits with the same seed gave unequal {a.GetType().Name} records");
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(RandomisedLearners))]
    public void FitTwice_DifferentSeeds_GivesDifferentModels_ForRandomisedLearners(string task, string name)
    {
        var (x, y, labels) = Data();
        var a = Fit(task, name, Settings(task, name), x, y, labels, 7);
        var b = Fit(task, name, Settings(task, name), x, y, labels, 8);
        Assert.False(a.Equals(b), $"{task} {name}: seeds 7 and 8 gave equal models; the learner ignores its random stream");
    }

    [Theory]
    [MemberData(nameof(AllLearners))]
    public void Fit_DoesNotModifyItsInputs(string task, string name)
    {
        var (x, y, labels) = Data();
        var (x0, y0, labels0) = ((double[])x.Clone(), (double[])y.Clone(), (int[])labels.Clone());
        Fit(task, name, Settings(task, name), x, y, labels, 7);
        Assert.Equal(x0, x);
        Assert.Equal(y0, y);
        Assert.Equal(labels0, labels);
    }

    [Theory]
    [MemberData(nameof(AllLearners))]
    public void ModelRecords_StoreImmutableStructuralLists(string task, string name)
    {
        // Every list a model exposes is an immutable, structurally equal vector (Vec<T>, or rows of them), never a raw array or List<T>
        // that a caller could cast back and change.
        var (x, y, labels) = Data();
        var model = Fit(task, name, Settings(task, name), x, y, labels, 7);
        foreach (var p in model.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || !p.PropertyType.IsGenericType
                || p.PropertyType.GetGenericTypeDefinition() != typeof(IReadOnlyList<>)) continue;
            var value = p.GetValue(model);
            if (value is null) continue;
            var t = value.GetType();
            Assert.True(t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(Vec<>) || t.Name.StartsWith("ArrayRows", StringComparison.Ordinal)),
                $"{model.GetType().Name}.{p.Name} holds a {t.Name}, not a Vec<T>");
        }
    }

    [Fact]
    public void Conformance_CoversEveryLearnerOfBothRegistries()
    {
        Assert.Equal(Learners.Registry.Count + Classifiers.Registry.Count, AllLearners().Count);
        Assert.All(Randomised.Keys, k => Assert.Contains(k.Name, (k.Task == "regression" ? Learners.Names : Classifiers.Names)));
    }
}
