using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Models.Graph;
using Pure.Materials.Pipelines;
using Pure.Materials.Structures;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary><c>--model cgcnn</c> as a learner like any other on structures: cv, fit, predict and screen on matbench_phonons with a tiny
/// network (2 epochs, atom_fea_len 8, one convolution: about 1.5 s per fit), fit's held-out fold equal to cv's; the model file round trip
/// bit for bit; the published CGCNN formation-energy model (Reference/cod-cgcnn) given to predict as its exported JSON, against PyTorch's
/// predictions of the ten COD CIFs; and the one-line problems of options and structures a graph learner cannot take.</summary>
public class CgcnnCliTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    private static string Reference(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Reference", "cod-cgcnn", .. parts]);

    /// <summary>A network small enough for tests; every other setting is CGCNN's default (SGD, lr 0.01, batch norm, float32).</summary>
    internal static readonly string[] Tiny =
        ["--set", "epochs=2", "--set", "atom_fea_len=8", "--set", "h_fea_len=16", "--set", "n_conv=1", "--set", "batch_size=64"];

    private static readonly string[] Phonons = ["--structures", "matbench_phonons", "--target", "last phdos peak", "--fold-column", "fold", "--model", "cgcnn"];

    private const string RockSalt = "NaCl\n1.0\n5.64 0 0\n0 5.64 0\n0 0 5.64\nNa Cl\n4 4\nDirect\n0 0 0\n0.5 0.5 0\n0.5 0 0.5\n0 0.5 0.5\n0.5 0 0\n0 0.5 0\n0 0 0.5\n0.5 0.5 0.5\n";

    /// <summary>Mendelevium (Z = 101) has no row in CGCNN's atom_init.json (elements 1-100).</summary>
    private const string MdCl = "MdCl\n1.0\n5 0 0\n0 5 0\n0 0 5\nMd Cl\n1 1\nDirect\n0 0 0\n0.5 0.5 0.5\n";

    /// <summary>The fold-0 model (folds 1-4), fitted once per test class run.</summary>
    private static readonly Lazy<(string Dir, string Model)> Fold0Model = new(() =>
    {
        var dir = CliRun.TempDir("pm-cgcnn-");
        var model = Path.Combine(dir, "cgcnn0.pmm");
        var (exit, stdout, err) = Fit(model);
        Assert.True(exit == 0, err);
        Assert.Contains("fitted cgcnn on 1012 crystal graphs (fold 0 held out)", stdout);
        Assert.Contains("(format 1.4)", stdout);
        Assert.Contains("training: 2 epochs, kept epoch ", stdout);
        return (dir, model);
    });

    private static (int, string, string) Fit(string model) => Run(["fit", .. Phonons, .. Tiny, "--holdout-fold", "0", "--seed", "3", "--out", model]);

    [Fact]
    public void CvThenFitHoldoutFold0ThenPredictFold0_ReproducesCvsFold0Mae_Exactly()
    {
        var (dir, model) = Fold0Model.Value;
        var cvDir = Path.Combine(dir, "cv");
        var (exit, stdout, err) = Run(["cv", .. Phonons, .. Tiny, "--seed", "3", "--out", cvDir]);
        Assert.True(exit == 0, err);
        Assert.Contains("model cgcnn (radius=8, max_num_nbr=12, dmin=0, step=0.2, atom_fea_len=8, h_fea_len=16, n_conv=1, n_h=1, optim=SGD", stdout.Replace("\n", ""));
        Assert.Contains("over 5 folds", stdout);
        Assert.Contains("fold 4: 2 epochs, kept epoch ", stdout);
        // loss.svg: per fold, the training loss and the validation share's loss per epoch.
        var loss = System.Xml.Linq.XElement.Parse(File.ReadAllText(Path.Combine(cvDir, "loss.svg")));
        var lines = loss.Descendants().Where(e => e.Name.LocalName == "polyline").ToArray();
        Assert.Equal(5, lines.Count(e => e.Attribute("class")?.Value == "train"));
        Assert.Equal(5, lines.Count(e => e.Attribute("class")?.Value == "validation"));
        Assert.Contains(loss.Descendants(), e => e.Name.LocalName == "text" && e.Value.Contains("MSE of the normalised target", StringComparison.Ordinal));
        var report = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(cvDir, "report.json")))!;
        Assert.Equal("cgcnn", report["options"]!["model"]!.GetValue<string>());
        Assert.Equal("2", report["options"]!["parameters"]!["epochs"]!.GetValue<string>());
        var cvMae = report["metrics"]!["mae"]!["per_fold"]![0]!.GetValue<double>();
        var cvLines = File.ReadAllLines(Path.Combine(cvDir, "predictions.csv"));
        Assert.Equal("id,formula,fold,y_true,y_pred,n_features_out_of_range,unseen_elements", cvLines[0]);
        Assert.Equal(1266, cvLines.Length);
        Assert.Contains(cvLines, l => l.StartsWith("mb-phonons-0001,BaTe,", StringComparison.Ordinal));

        var preds = Path.Combine(dir, "p0.csv");
        (exit, stdout, err) = Run("predict", "--model", model, "--structures", "matbench_phonons", "--fold-column", "fold", "--fold", "0", "--out", preds);
        Assert.True(exit == 0, err);
        Assert.Contains("predicted 253 structures", stdout);
        Assert.Contains($"MAE {cvMae.ToString("R", CultureInfo.InvariantCulture)}, ", stdout);
        var cvFold0 = cvLines.Skip(1).Select(l => l.Split(',')).Where(c => c[2] == "0").ToDictionary(c => c[0], c => c[4]);
        var predicted = File.ReadAllLines(preds);
        Assert.Equal("id,formula,y_true,y_pred,n_features_out_of_range,unseen_elements", predicted[0]);
        Assert.All(predicted.Skip(1).Select(l => l.Split(',')), c => Assert.Equal(cvFold0[c[0]], c[3]));
    }

    [Fact]
    public void FitTwiceWithTheSeed_SameModelBitForBit_AndTheFileRoundTripsBitForBit()
    {
        var (dir, model) = Fold0Model.Value;
        var again = Path.Combine(dir, "again.pmm");
        var (exit, _, err) = Fit(again);
        Assert.True(exit == 0, err);
        var (a, header) = ModelFile.Load(model).OrThrow();
        var (b, _) = ModelFile.Load(again).OrThrow();
        Assert.Equal("1.4", header.FormatVersion);
        Assert.True(a.Input.CrystalGraphs);
        Assert.Empty(a.FeatureLabels);
        Assert.Equal(a, b);

        // Saved and loaded again: the same state entry by entry (floats bit for bit) and the same predictions, bit for bit.
        var copy = Path.Combine(dir, "copy.pmm");
        ModelFile.Save(a, copy).OrThrow();
        var (c, _) = ModelFile.Load(copy).OrThrow();
        Assert.True(ModelFile.ToState(a).OrThrow().SameAs(ModelFile.ToState(c).OrThrow()));
        Assert.Equal(a, c);
        var structures = BundledStructures.MatbenchPhonons().OrThrow().Take(20).Select(e => e.Structure).ToArray();
        var pa = a.Predict(structures).OrThrow().Mean.Select(BitConverter.DoubleToInt64Bits);
        var pc = c.Predict(structures).OrThrow().Mean.Select(BitConverter.DoubleToInt64Bits);
        Assert.Equal(pa, pc);

        // A different seed trains a different network.
        var other = Path.Combine(dir, "other.pmm");
        (exit, _, err) = Run(["fit", .. Phonons, .. Tiny, "--holdout-fold", "0", "--seed", "4", "--out", other]);
        Assert.True(exit == 0, err);
        Assert.NotEqual(a, ModelFile.Load(other).OrThrow().Pipeline);
    }

    [Fact]
    public void ScreenCandidateStructures_RanksThemWithPredictsValues()
    {
        var (dir, model) = Fold0Model.Value;
        var cifs = Path.Combine(dir, "cifs");
        Directory.CreateDirectory(cifs);
        foreach (var f in Directory.GetFiles(Reference(), "*.cif")) File.Copy(f, Path.Combine(cifs, Path.GetFileName(f)), overwrite: true);
        var all = Path.Combine(dir, "cifs.csv");
        var (exit, _, err) = Run("predict", "--model", model, "--structures", cifs, "--out", all);
        Assert.True(exit == 0, err);
        var predicted = File.ReadAllLines(all).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0], c => c[2]);
        var top = Path.Combine(dir, "top.csv");
        (exit, var stdout, err) = Run("screen", "--model", model, "--candidates-structures", cifs, "--rank", "mean", "--goal", "max", "--top", "3", "--out", top);
        Assert.True(exit == 0, err);
        Assert.Contains("screened 10 candidates", stdout);
        var lines = File.ReadAllLines(top);
        Assert.Equal("rank,index,candidate,y_pred,score,n_features_out_of_range,unseen_elements", lines[0]);
        Assert.Equal(4, lines.Length);
        var highest = predicted.OrderByDescending(kv => double.Parse(kv.Value, CultureInfo.InvariantCulture)).First().Key;
        Assert.Equal(highest, lines[1].Split(',')[2]);
        foreach (var c in lines.Skip(1).Select(l => l.Split(','))) Assert.Equal(predicted[c[2]], c[3]);

        // A model on crystal graphs screens structures only.
        (exit, _, err) = Run("screen", "--model", model, "--elements", "Na,Cl", "--out", Path.Combine(dir, "x.csv"));
        Assert.Equal(1, exit);
        Assert.Contains("--candidates-structures", err);
    }

    [Fact]
    public void PredictWithThePublishedModelJson_TenCodCifs_MatchPyTorchWithin1em4_AndEqualTheLibrarysPredict()
    {
        var dir = CliRun.TempDir("pm-cgcnn-pub-");
        foreach (var f in Directory.GetFiles(Reference(), "*.cif")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        var preds = Path.Combine(dir, "p.csv");
        var (exit, stdout, err) = Run("predict", "--model", Reference("formation_energy_model.json"), "--structures", dir, "--out", preds);
        Assert.True(exit == 0, err);
        Assert.Contains("format cgcnn-json", stdout);
        Assert.Contains("predicted 10 structures", stdout);
        var lines = File.ReadAllLines(preds);
        Assert.Equal("id,formula,y_pred,n_features_out_of_range,unseen_elements", lines[0]);
        var ours = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0][..^4], c => double.Parse(c[2], CultureInfo.InvariantCulture));
        var pytorch = File.ReadAllLines(Reference("formation_energy_predictions_pytorch.csv")).Where(l => l.Length > 0).Select(l => l.Split(','))
            .ToDictionary(c => c[0], c => double.Parse(c[2], CultureInfo.InvariantCulture));
        Assert.Equal(10, pytorch.Count);
        var model = Cgcnn.ReadJson(File.ReadAllText(Reference("formation_energy_model.json"))).OrThrow();
        foreach (var (id, p) in pytorch)
        {
            Assert.True(Math.Abs(ours[id] - p) <= 1e-4, $"{id}: {ours[id]} against PyTorch's {p}");
            var graph = CrystalGraphs.Build(new CrystalGraphOptions(), AtomFeatures.Cgcnn, Cif.Read(File.ReadAllText(Reference(id + ".cif")), id + ".cif").OrThrow()).OrThrow();
            Assert.Equal(Cgcnn.Predict(model, [graph])[0], ours[id]);
        }
        // Every element of the ten CIFs: no unseen-element flag (the published model records no training elements).
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",0,", l));
    }

    [Fact]
    public void PublishedModelJson_SavesAsAModelFile_ThatPredictsTheSame()
    {
        var pipeline = GraphLearners.FromPublishedJson(File.ReadAllText(Reference("formation_energy_model.json")), "formation_energy_model.json").OrThrow();
        Assert.Equal("eV/atom", pipeline.Target.Unit);
        Assert.Contains(KeyValuePair.Create("n_conv", "4"), pipeline.Learner.Parameters);
        Assert.Contains(KeyValuePair.Create("lr_milestones", "800"), pipeline.Learner.Parameters);
        var path = Path.Combine(CliRun.TempDir("pm-cgcnn-pmm-"), "formation_energy.pmm");
        ModelFile.Save(pipeline, path).OrThrow();
        var (loaded, _) = ModelFile.Load(path).OrThrow();
        Assert.Equal(pipeline, loaded);
        var structures = Directory.GetFiles(Reference(), "*.cif").Order(StringComparer.Ordinal).Select(f => Cif.Read(File.ReadAllText(f), f).OrThrow()).ToArray();
        Assert.Equal(pipeline.Predict(structures).OrThrow().Mean, loaded.Predict(structures).OrThrow().Mean);
    }

    [Fact]
    public void AStructureWithAnElementAtomInitLacks_OneLineErrorNamingIt()
    {
        var dir = CliRun.TempDir("pm-cgcnn-md-");
        File.WriteAllText(Path.Combine(dir, "a_NaCl.vasp"), RockSalt);
        File.WriteAllText(Path.Combine(dir, "b_MdCl.vasp"), MdCl);
        var preds = Path.Combine(dir, "p.csv");
        var (exit, _, err) = Run("predict", "--model", Reference("formation_energy_model.json"), "--structures", dir, "--out", preds);
        Assert.Equal(1, exit);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal), err);
        Assert.Contains("b_MdCl.vasp", lines[0]);
        Assert.Contains("Md", lines[0]);
        Assert.EndsWith("[graph.unknown_element]", lines[0].TrimEnd());
        Assert.False(File.Exists(preds));
    }

    [Fact]
    public void AJsonFileThatIsNoCgcnnExport_IsNotAModel_OneLine()
    {
        var dir = CliRun.TempDir("pm-cgcnn-json-");
        var json = Path.Combine(dir, "report.json");
        File.WriteAllText(json, "{\"command\": \"cv\"}");
        var (exit, _, err) = Run("predict", "--model", json, "--structures", Reference("1000041.cif"), "--out", Path.Combine(dir, "p.csv"));
        Assert.Equal(1, exit);
        Assert.Contains("neither a pure-materials model file", err);
        Assert.EndsWith("[model.not_a_model]", err.Trim());
    }

    public static TheoryData<string, string> Tampered => new()
    {
        { "atom table", "atom_features_sha256" },
        { "no crystal_graphs", "feature_labels" },
        { "n_conv", "convs" },
        { "bad variance", "bn1/running_var" },
    };

    /// <summary>A damaged graph model file is a <c>model.corrupt</c> problem naming the entry, never an exception.</summary>
    [Theory]
    [MemberData(nameof(Tampered))]
    public void TamperedGraphModelFile_IsModelCorrupt_NamingTheEntry(string what, string entry)
    {
        var (_, model) = Fold0Model.Value;
        var bytes = StructurePipelineTestsAccess.Edit(File.ReadAllBytes(model), m =>
        {
            var pipeline = m["pipeline"]!;
            var learner = pipeline["learner"]!["node"]!;
            var state = learner["model"]!["node"]!;
            switch (what)
            {
                case "atom table": state["atom_features_sha256"] = new string('0', 64); break;
                case "no crystal_graphs": pipeline["input"]!["node"]!.AsObject().Remove("crystal_graphs"); break;
                case "n_conv":
                    foreach (var p in learner["parameters"]!["nodes"]!.AsArray())
                        if (p!["name"]!.GetValue<string>() == "n_conv") p["value"] = "2";
                    break;
                case "bad variance":
                    // bn1's running variance (2A = 16 values) pointed at bn2's (A = 8): a vector of the wrong length.
                    var conv = state["convs"]!["nodes"]![0]!;
                    conv["bn1"]!["node"]!["running_var"] = conv["bn2"]!["node"]!["running_var"]!.DeepClone();
                    break;
            }
        });
        var loaded = ModelFile.Read(new MemoryStream(bytes));
        Assert.True(loaded.IsFail);
        var problem = loaded.Problems().First();
        Assert.Equal("model.corrupt", problem.Code);
        Assert.Contains(entry, problem.Message);
    }

    public static TheoryData<string[], string, string> Refused => new()
    {
        { ["cv", "--data", "matbench_expt_gap", "--target", "gap expt", "--model", "cgcnn"], "give --structures", "param.missing" },
        { ["cv", .. Phonons, "--featurizers", "magpie"], "--featurizers does not apply to --model cgcnn", "param.conflict" },
        { ["cv", .. Phonons, "--categorical-encoding", "ordinal"], "--categorical-encoding does not apply to --model cgcnn", "param.conflict" },
        { ["cv", .. Phonons, "--set", "loss=quantile"], "loss", "param.invalid_value" },
        { ["cv", .. Phonons, "--set", "n_estimators=5"], "model 'cgcnn' has no parameter 'n_estimators'", "param.unknown" },
        { ["cv", .. Phonons, "--set", "epochs=0"], "epochs", "param.out_of_range" },
        { ["cv", .. Phonons, "--set", "lr_milestones=a,b"], "lr_milestones=a,b is not a list of integers", "param.invalid_value" },
        { ["cv", "--structures", "matbench_phonons", "--target", "band gap", "--fold-column", "fold", "--model", "cgcnn"], "use --target \"last phdos peak\"", "csv.missing_column" },
        { ["fit", .. Phonons, "--pca", "3", "--out", "x.pmm"], "--polynomial-degree and --pca", "param.conflict" },
        { ["search", "--data", "matbench_expt_gap", "--target", "gap expt", "--formula-column", "composition", "--model", "cgcnn"], "learns from crystal structures", "param.unsupported_input" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void OptionsAGraphLearnerCannotTake_OneLineProblemsAndExit1(string[] args, string says, string code)
    {
        var (exit, _, err) = Run(args);
        Assert.Equal(1, exit);
        Assert.Contains(says, err);
        Assert.Contains($"[{code}]", err);
        Assert.DoesNotContain("   at ", err);
    }
}

/// <summary>The manifest editor of <see cref="Pipelines.StructurePipelineTests"/>, for these tests.</summary>
internal static class StructurePipelineTestsAccess
{
    public static byte[] Edit(byte[] file, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        var entries = new List<(string Name, byte[] Bytes)>();
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(file), System.IO.Compression.ZipArchiveMode.Read))
            foreach (var e in zip.Entries)
            {
                using var s = e.Open();
                using var m = new MemoryStream();
                s.CopyTo(m);
                entries.Add((e.FullName, m.ToArray()));
            }
        var k = entries.FindIndex(e => e.Name == "manifest.json");
        var manifest = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(entries[k].Bytes)!;
        edit(manifest);
        entries[k] = ("manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        using var output = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(bytes);
            }
        return output.ToArray();
    }
}
