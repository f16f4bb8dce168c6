using System.Globalization;
using Pure.Materials.Core;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>The CLI <c>fit --structures</c> and <c>predict --structures</c>: a model fitted with a fold of matbench_phonons held out
/// predicts that fold with cv's fold MAE exactly; new structure files are predicted with the saved featurizers; a structure that
/// does not parse, a disordered structure and one with more sites than the fitted Coulomb length are one-line errors with exit 1.
/// <c>screen --candidates-structures</c> ranks structures with predict's values. Also <c>cv --structures</c> fills predictions.csv's formula column with each structure's reduced formula.</summary>
public class StructureFitPredictCliTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    private const string RockSalt = "NaCl\n1.0\n5.64 0 0\n0 5.64 0\n0 0 5.64\nNa Cl\n4 4\nDirect\n0 0 0\n0.5 0.5 0\n0.5 0 0.5\n0 0.5 0.5\n0.5 0 0\n0 0.5 0\n0 0 0.5\n0.5 0.5 0.5\n";

    private const string Featurizers = "magpie,site-stats-bond-length,coulomb";

    /// <summary>One model per test class run: fit on folds 1-4 of matbench_phonons (Coulomb length fitted on all 1265 structures, as cv does).</summary>
    private static readonly Lazy<(string Dir, string Model)> Fold0Model = new(() =>
    {
        var dir = CliRun.TempDir("pm-sfit-");
        var model = Path.Combine(dir, "phonons0.pmm");
        var (exit, stdout, err) = Run("fit", "--structures", "matbench_phonons", "--featurizers", Featurizers, "--target", "last phdos peak",
            "--fold-column", "fold", "--holdout-fold", "0", "--model", "rf", "--set", "n_estimators=20", "--seed", "0", "--out", model);
        Assert.True(exit == 0, err);
        Assert.Contains("fitted rf on 1012 rows", stdout);
        return (dir, model);
    });

    [Fact]
    public void FitHoldoutFold0_ThenPredictFold0_ReproducesCvsFold0Mae_Exactly_AndCvFillsTheFormulaColumn()
    {
        var (dir, model) = Fold0Model.Value;
        var cvDir = Path.Combine(dir, "cv");
        var (exit, _, err) = Run("cv", "--structures", "matbench_phonons", "--featurizers", Featurizers, "--target", "last phdos peak",
            "--fold-column", "fold", "--model", "rf", "--set", "n_estimators=20", "--seed", "0", "--out", cvDir);
        Assert.True(exit == 0, err);
        var report = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(cvDir, "report.json")))!;
        var cvMae = report["metrics"]!["mae"]!["per_fold"]![0]!.GetValue<double>();

        var preds = Path.Combine(dir, "p0.csv");
        (exit, var stdout, err) = Run("predict", "--model", model, "--structures", "matbench_phonons", "--fold-column", "fold", "--fold", "0", "--out", preds);
        Assert.True(exit == 0, err);
        Assert.Contains("predicted 253 structures", stdout);
        Assert.Contains($"MAE {cvMae.ToString("R", CultureInfo.InvariantCulture)}, ", stdout);
        var lines = File.ReadAllLines(preds);
        Assert.Equal("id,formula,y_true,y_pred,y_std,n_features_out_of_range,unseen_elements", lines[0]);
        Assert.Equal(254, lines.Length);

        // cv's predictions.csv: the reduced formula of each structure (mb-phonons-0001 is BaTe), never empty; fold-0 rows predicted as predict does.
        var cvLines = File.ReadAllLines(Path.Combine(cvDir, "predictions.csv"));
        Assert.StartsWith("id,formula,fold,", cvLines[0]);
        Assert.All(cvLines.Skip(1), l => Assert.NotEqual("", l.Split(',')[1]));
        Assert.Contains(cvLines, l => l.StartsWith("mb-phonons-0001,BaTe,", StringComparison.Ordinal));
        var cvFold0 = cvLines.Skip(1).Select(l => l.Split(',')).Where(c => c[2] == "0").ToDictionary(c => c[0], c => c[4]);
        Assert.All(lines.Skip(1).Select(l => l.Split(',')), c => Assert.Equal(cvFold0[c[0]], c[3]));
    }

    [Fact]
    public void PredictNewStructureFiles_WithoutTargets_WritesIdFormulaAndPrediction()
    {
        var (dir, model) = Fold0Model.Value;
        var newDir = Path.Combine(dir, "new");
        Directory.CreateDirectory(newDir);
        File.WriteAllText(Path.Combine(newDir, "NaCl.vasp"), RockSalt);
        var preds = Path.Combine(dir, "new.csv");
        var (exit, stdout, err) = Run("predict", "--model", model, "--structures", newDir, "--out", preds);
        Assert.True(exit == 0, err);
        Assert.Contains("predicted 1 structures", stdout);
        var lines = File.ReadAllLines(preds);
        Assert.Equal("id,formula,y_pred,y_std,n_features_out_of_range,unseen_elements", lines[0]);
        Assert.Matches(@"^NaCl\.vasp,NaCl,\d+(\.\d+)?(E[+-]?\d+)?,", lines[1]);
    }

    [Fact]
    public void ScreenCandidateStructures_RanksThemWithPredictsValues_Bitwise()
    {
        var (dir, model) = Fold0Model.Value;
        var all = Path.Combine(dir, "all.csv");
        var (exit, _, err) = Run("predict", "--model", model, "--structures", "matbench_phonons", "--out", all);
        Assert.True(exit == 0, err);
        var predicted = File.ReadAllLines(all).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0], c => (Pred: c[3], Std: c[4]));
        var top = Path.Combine(dir, "top.csv");
        (exit, var stdout, err) = Run("screen", "--model", model, "--candidates-structures", "matbench_phonons", "--rank", "mean", "--goal", "min", "--top", "5", "--out", top);
        Assert.True(exit == 0, err);
        Assert.Contains("screened 1,265 candidates", stdout);
        var lines = File.ReadAllLines(top);
        Assert.Equal("rank,index,candidate,y_pred,y_std,score,n_features_out_of_range,unseen_elements", lines[0]);
        Assert.Equal(6, lines.Length);
        var lowest = predicted.OrderBy(kv => double.Parse(kv.Value.Pred, CultureInfo.InvariantCulture)).First();
        Assert.StartsWith($"1,", lines[1]);
        Assert.Equal(lowest.Key, lines[1].Split(',')[2]);
        foreach (var c in lines.Skip(1).Select(l => l.Split(',')))
            Assert.Equal(predicted[c[2]], (c[3], c[4]));

        // A model fitted on structures screens structures only.
        (exit, _, err) = Run("screen", "--model", model, "--elements", "Na,Cl", "--out", Path.Combine(dir, "x.csv"));
        Assert.Equal(1, exit);
        Assert.Contains("--candidates-structures", err);
    }

    public static TheoryData<string, string, string> Hostile => new()
    {
        { "garbage.vasp", "this is not a structure\n1.0\nfoo\n", "" },
        { "disordered.json", """{"lattice": {"matrix": [[4,0,0],[0,4,0],[0,0,4]]}, "sites": [{"species": [{"element": "Fe", "occu": 0.5}, {"element": "Ni", "occu": 0.5}], "abc": [0,0,0]}, {"species": [{"element": "O", "occu": 1}], "abc": [0.5,0.5,0.5]}]}""", "structure.disordered" },
        { "big.vasp", "big NaCl\n1.0\n11.28 0 0\n0 11.28 0\n0 0 11.28\nNa Cl\n32 32\nDirect\n" + BigRockSaltSites(), "featurize.too_many_sites" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void PredictHostileStructures_OneLineErrorAndExit1_NothingWritten(string name, string text, string code)
    {
        var (dir, model) = Fold0Model.Value;
        var file = Path.Combine(dir, name);
        File.WriteAllText(file, text);
        var preds = Path.Combine(dir, name + ".csv");
        var (exit, stdout, err) = Run("predict", "--model", model, "--structures", file, "--out", preds);
        Assert.Equal(1, exit);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal), err);
        if (code.Length > 0) Assert.EndsWith($"[{code}]", lines[0].TrimEnd());
        Assert.Contains(name, lines[0]);
        Assert.False(File.Exists(preds));
        Assert.DoesNotContain("predicted", stdout);
    }

    [Fact]
    public void FitWithoutAFoldColumn_TakesTheFeaturizersColumnsOnly_NotTheBundledFold()
    {
        var dir = CliRun.TempDir("pm-sfit-");
        var model = Path.Combine(dir, "density.pmm");
        var (exit, stdout, err) = Run("fit", "--structures", "matbench_phonons", "--featurizers", "density", "--target", "last phdos peak",
            "--model", "rf", "--set", "n_estimators=5", "--out", model);
        Assert.True(exit == 0, err);
        Assert.Contains("fitted rf on 1265 rows x 3 features", stdout);
        var (pipeline, _) = Pure.Materials.Pipelines.ModelFile.Load(model).OrThrow();
        Assert.Equal(["density", "vpa", "packing fraction"], pipeline.FeatureLabels);
        Assert.Equal(["density"], pipeline.Input.Structures!.Names);
        Assert.Empty(pipeline.Input.FeatureColumns);
    }

    [Fact]
    public void PredictWithTheWrongInputKind_IsOneProblem()
    {
        var (dir, model) = Fold0Model.Value;
        var (exit, _, err) = Run("predict", "--model", model, "--data", "matbench_expt_gap", "--out", Path.Combine(dir, "x.csv"));
        Assert.Equal(1, exit);
        Assert.Contains("fitted on crystal structures", err);
        (exit, _, err) = Run("fit", "--structures", "matbench_phonons", "--data", "matbench_expt_gap", "--target", "last phdos peak", "--out", Path.Combine(dir, "y.pmm"));
        Assert.Equal(1, exit);
        Assert.Contains("not both", err);
        (exit, _, err) = Run("fit", "--structures", "matbench_phonons", "--target", "gap", "--out", Path.Combine(dir, "y.pmm"));
        Assert.Equal(1, exit);
        Assert.Equal("error: column 'gap': the structures in matbench_phonons carry the target 'last phdos peak', not 'gap'; use --target \"last phdos peak\" [csv.missing_column]", err.Trim());
        File.WriteAllText(Path.Combine(dir, "NaCl.vasp"), RockSalt);
        (exit, _, err) = Run("fit", "--structures", Path.Combine(dir, "NaCl.vasp"), "--target", "gap", "--out", Path.Combine(dir, "y.pmm"));
        Assert.Equal(1, exit);
        Assert.Contains("carry no target values", err);
        Assert.False(File.Exists(Path.Combine(dir, "y.pmm")));
    }

    /// <summary>The 64 sites of a 2x2x2 rock-salt supercell (more than any matbench_phonons structure), Na then Cl.</summary>
    private static string BigRockSaltSites()
    {
        var na = new[] { (0.0, 0.0, 0.0), (0.5, 0.5, 0.0), (0.5, 0.0, 0.5), (0.0, 0.5, 0.5) };
        var cl = new[] { (0.5, 0.0, 0.0), (0.0, 0.5, 0.0), (0.0, 0.0, 0.5), (0.5, 0.5, 0.5) };
        var lines = new List<string>();
        foreach (var basis in new[] { na, cl })
            for (var i = 0; i < 2; i++)
                for (var j = 0; j < 2; j++)
                    for (var k = 0; k < 2; k++)
                        foreach (var (x, y, z) in basis)
                            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{(x + i) / 2} {(y + j) / 2} {(z + k) / 2}"));
        return string.Join("\n", lines) + "\n";
    }
}
