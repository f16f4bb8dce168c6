using System.Text.RegularExpressions;
using Xunit;

namespace Pure.Materials.Tests;

/// <summary>The library's layers show in its namespaces: each namespace uses only the layers below it, the composition layer
/// (<c>Pipelines</c>: the pipeline, the learner registry, fitted pipelines and model files) sits above <c>Models</c> and <c>Scale</c>,
/// and the model families under <c>Models</c> use the <c>Models</c> root and a fixed set of siblings, without cycles.</summary>
/// <remarks>Dependencies are read from the source: <c>using Pure.Materials.X;</c> directives and qualified names
/// (<c>Pure.Materials.X.</c>, or <c>Trees.</c>-style names inside <c>Models</c>), outside comments and strings. Code in a child namespace
/// sees its parents' types without a using; that is the allowed direction (a family uses the <c>Models</c> root).</remarks>
public class LayeringTests
{
    /// <summary>Layer of each top-level namespace: a namespace may use strictly lower layers only (so Data and Split, both layer 1, use neither each other, and neither do Scale and Models, both layer 4: scaling is a pipeline step, not part of a learner).
    /// Structures (crystal structures, their readers and periodic neighbours) sits on Core and Data (it reuses <c>Composition</c>) and under Featurize, whose structure featurizers use it.</summary>
    private static readonly Dictionary<string, int> Layer = new()
    {
        ["Core"] = 0,
        ["Data"] = 1,
        ["Split"] = 1,
        ["Structures"] = 2,
        ["Featurize"] = 3,
        ["Scale"] = 4,
        ["Models"] = 4,
        ["Select"] = 5,
        ["Pipelines"] = 6,
        ["Evaluate"] = 7,
        ["Active"] = 8,
        ["Cluster"] = 8,
        ["Screening"] = 9,
    };

    /// <summary>The sibling uses allowed between model families (a DAG: every edge goes one way).</summary>
    private static readonly HashSet<(string From, string To)> Families =
    [
        ("Classification", "Neighbors"),
        ("Trees", "Classification"),
        ("SupportVector", "Classification"),
        ("Neural", "Classification"),
        ("SupportVector", "Gaussian"),
        ("KernelMethods", "Gaussian"),
        ("Explain", "Trees"),
        ("Graph", "Neural"),
    ];

    private static readonly string[] FamilyNames = ["Classification", "Explain", "Gaussian", "Graph", "KernelMethods", "Linear", "Neighbors", "Neural", "SupportVector", "Trees"];

    private static string Source() => Path.Combine(TestPaths.RepositoryRoot(), "src", "Pure.Materials");

    /// <summary>Every (file, its namespace, a namespace it uses) in the library.</summary>
    private static IEnumerable<(string File, string From, string To)> Uses()
    {
        var src = Source();
        var comment = new Regex(@"//.*");
        var strings = new Regex("\\$?@?\"(?:[^\"\\\\\\n]|\\\\.)*\"");
        var usingRe = new Regex(@"^using (?:static )?Pure\.Materials\.([\w.]+);", RegexOptions.Multiline);
        var qualified = new Regex(@"(?<![\w.])Pure\.Materials\.((?:[A-Z]\w*\.)*?[A-Z]\w*)\.[A-Z]");
        // Short family names (Trees.RandomForest) resolve inside Models; Baseline is also a property name (HistGradientBoostingModel.Baseline),
        // so only its qualified form counts.
        var family = new Regex(@"(?<![\w.])(?:Models\.(?:Baseline|" + string.Join("|", FamilyNames) + @")|" + string.Join("|", FamilyNames) + @")\.[A-Z]");
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
            var text = File.ReadAllText(file);
            var ns = Regex.Match(text, @"^namespace Pure\.Materials\.([\w.]+);", RegexOptions.Multiline).Groups[1].Value;
            var code = strings.Replace(comment.Replace(text, ""), "\"\"");
            var rel = Path.GetRelativePath(src, file);
            foreach (Match m in usingRe.Matches(code)) yield return (rel, ns, m.Groups[1].Value);
            foreach (Match m in qualified.Matches(code)) yield return (rel, ns, m.Groups[1].Value);
            if (ns.StartsWith("Models", StringComparison.Ordinal))
                foreach (Match m in family.Matches(code)) yield return (rel, ns, "Models." + m.Value.Replace("Models.", "").Split('.')[0]);
        }
    }

    private static string Top(string ns) => ns.Split('.')[0];

    private static string? Allowed(string from, string to)
    {
        if (from == to) return null;
        var (a, b) = (Top(from), Top(to));
        if (!Layer.ContainsKey(a) || !Layer.ContainsKey(b)) return $"namespace {from} or {to} has no layer; add it to LayeringTests.Layer";
        if (a != b) return Layer[b] < Layer[a] ? null : $"{from} (layer {Layer[a]}) uses {to} (layer {Layer[b]})";
        if (a != "Models") return null;
        // Inside Models: a family may use the root; the root may use no family; families use only the allowed siblings.
        var fromFamily = from.Contains('.') ? from.Split('.')[1] : null;
        var toFamily = to.Contains('.') ? to.Split('.')[1] : null;
        if (toFamily is null || fromFamily == toFamily) return null;
        if (fromFamily is null) return $"the Models root uses the family Models.{toFamily}";
        return Families.Contains((fromFamily, toFamily)) ? null : $"Models.{fromFamily} uses Models.{toFamily}, not an allowed family edge";
    }

    [Fact]
    public void EveryNamespace_UsesOnlyLowerLayers_AndModelFamiliesFormADag()
    {
        var uses = Uses().ToList();
        Assert.True(uses.Count > 200, $"only {uses.Count} uses found: is the source where the test looks?");
        var bad = uses.Select(u => (u.File, Why: Allowed(u.From, u.To))).Where(u => u.Why is not null).Select(u => $"{u.File}: {u.Why}").Distinct().ToList();
        Assert.True(bad.Count == 0, "layering violations:\n" + string.Join("\n", bad));
    }

    [Fact]
    public void TheRegistryAndThePipeline_LiveInTheCompositionLayer()
    {
        var src = Source();
        foreach (var file in new[] { "Registry.cs", "Learners.cs", "Classifiers.cs", "Pipeline.cs", "FittedPipeline.cs", "ModelFile.cs" })
            Assert.True(File.Exists(Path.Combine(src, "Pipelines", file)), $"Pipelines/{file} is missing");
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(src, "Models"), "*.cs", SearchOption.AllDirectories),
            f => File.ReadAllText(f).Contains("partial class Learners", StringComparison.Ordinal));
    }

    [Fact]
    public void TheCheck_CatchesAViolation()
    {
        Assert.NotNull(Allowed("Models", "Models.Trees"));
        Assert.NotNull(Allowed("Models.Trees", "Models.Linear"));
        Assert.NotNull(Allowed("Split", "Data"));
        Assert.NotNull(Allowed("Models", "Scale"));
        Assert.NotNull(Allowed("Pipelines", "Evaluate"));
        Assert.Null(Allowed("Models.Trees", "Models"));
        Assert.Null(Allowed("Pipelines", "Models.Trees"));
        Assert.Null(Allowed("Evaluate", "Pipelines"));
        Assert.Null(Allowed("Structures", "Data"));
        Assert.Null(Allowed("Featurize", "Structures"));
        Assert.NotNull(Allowed("Structures", "Featurize"));
        Assert.NotNull(Allowed("Data", "Structures"));
    }
}
