// The IMRC 2025 halide-perovskite ML tutorial (Mannodi-Kanakkithodi group) end to end, on the bundled perovskite_dft data read
// from its own formulas (MA1Ca0.12Sn0.75Pb0.12I3, FA1Pb1Cl2.62Br0.38): descriptors, random forest / Gaussian process / neural
// network cross-validated, a representative split, a learning curve and Gaussian-process active learning.
// Run: dotnet run -c Release --project examples/PerovskiteTutorial [seed]     (seed 0 by default; about a minute on 2 cores)
// Its output (seed 0) is in expected-output.txt, with the time of the run in the last line; README.md puts it beside the tutorial.
using System.Diagnostics;
using System.Globalization;
using Pure.Materials.Active;
using Pure.Materials.Cluster;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize;
using Pure.Materials.Models.Gaussian;
using Pure.Materials.Models.Trees;
using Pure.Materials.Pipelines;
using Pure.Materials.Split;

var seed = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 0;
var clock = Stopwatch.StartNew();
string[] fractions = ["K", "Rb", "Cs", "MA", "FA", "Ca", "Sr", "Ba", "Ge", "Sn", "Pb", "Cl", "Br", "I"];
string[] properties = ["ion_rad", "BP", "MP", "dens", "at_wt", "EA", "IE", "hof", "hov", "En", "at_num", "period"];
string[] tabulated = [.. new[] { "A", "B", "X" }.SelectMany(site => properties.Select(p => $"{site}_{p}"))];

// 1. Descriptors. The formulas hold the molecular cations MA (CH3NH3) and FA (CH(NH2)2): read them as their elements, then compute
// the tutorial's 36 site averages (fraction-weighted element properties of the A, B and X sites) from the formulas alone.
var spec = new DatasetSpec
{
    FormulaColumn = "Formula", IdColumn = "Index", TargetColumn = "Decomposition Energy", FeatureColumns = [.. fractions, .. tabulated],
    MolecularCations = MolecularCations.Standard,
};
var loaded = BundledData.Open("perovskite_dft").Bind(t => Dataset.FromTable(spec, t).Map(ds => (Table: t, Data: ds)));
if (loaded.IsFail) return Fail(loaded.Problems());
var (table, data) = loaded.OrThrow();
var gapSpec = spec with { TargetColumn = "Band Gap" };
var gap = Dataset.FromTable(gapSpec, table).OrThrow().Target!;
var energy = data.Target!;
var siteAveraged = CompositionFeaturizers.Build([SiteAveragedFeaturizer.Perovskite], data with { ColumnFeatureNames = [], ColumnFeatures = Matrix.FromRowMajor(data.Count, 0, []) });
if (siteAveraged.IsFail) return Fail(siteAveraged.Problems());
var descriptors = siteAveraged.OrThrow();
var siteFractions = data.ColumnFeatures.SelectColumns([.. Enumerable.Range(0, fractions.Length)]);
// How close the descriptors from the formulas are to the table's own columns (the strings round 1/8 to 0.12 or 0.13).
var worst = Enumerable.Range(0, tabulated.Length).Max(j =>
{
    var column = Enumerable.Range(0, data.Count).Select(i => data.ColumnFeatures[i, fractions.Length + j]).ToArray();
    var range = column.Max() - column.Min();
    return Enumerable.Range(0, data.Count).Max(i => Math.Abs(descriptors.X[i, j] - column[i])) / (range > 0 ? range : 1);
});
Console.WriteLine($"perovskite_dft: {data.Count} ABX3 compounds; descriptors: {descriptors.Labels.Count} site averages from the formulas " +
                  $"({descriptors.Labels[0]} ... {descriptors.Labels[^1]}), within {worst * 100:0.00} % of each column's range of the tutorial's own; 14 site fractions");
Console.WriteLine($"targets: decomposition energy {energy.Min():0.000} .. {energy.Max():0.000} eV, band gap {gap.Min():0.000} .. {gap.Max():0.000} eV");

// 2. Models, cross-validated on the same 5 shuffled folds (seeded): the tutorial's random forest on the descriptors, its Gaussian
// process (constant * RBF + white noise) on the 14 site fractions, and its neural network (two tanh layers of 100, min-max scaled).
var folds = KFold.Split(data.Count, 5, true, Rng.FromSeed(seed)).OrThrow();
var forest = new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.None, Learners.RandomForest(new RandomForestOptions { NEstimators = 100 }));
var gp = new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.Standard, Learners.Parse("gpr", Settings(("kernel", "constant*rbf+white"))).OrThrow());
var mlp = new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.MinMax,
    Learners.Parse("mlp", Settings(("hidden_layer_sizes", "100,100"), ("activation", "tanh"), ("max_iter", "500"))).OrThrow());
Console.WriteLine($"5-fold cross-validation (seed {seed}), mean over folds (std):");
var runs = new (string Name, PipelineOptions Pipeline, Matrix X, IReadOnlyList<double> Y, string Target)[]
{
    ("random forest (100 trees), 36 site averages", forest, descriptors.X, energy, "decomposition energy"),
    ("random forest (100 trees), 36 site averages", forest, descriptors.X, gap, "band gap"),
    ("Gaussian process (constant*rbf+white), 14 site fractions", gp, siteFractions, energy, "decomposition energy"),
    ("neural network (100,100 tanh, min-max), 36 site averages", mlp, descriptors.X, gap, "band gap"),
};
foreach (var run in runs)
{
    var cv = CrossValidation.Run(run.Pipeline, run.X, run.Y, folds, Rng.FromSeed(seed));
    if (cv.IsFail) return Fail(cv.Problems());
    var s = cv.OrThrow().Summary;
    Console.WriteLine($"  {run.Name,-58} {run.Target,-20}: MAE {s["mae"].Mean:0.0000} ({s["mae"].Std:0.0000}) eV, RMSE {s["rmse"].Mean:0.0000} eV, R2 {s["r2"].Mean:0.0000}");
}

// 3. Training-set randomization by cluster analysis: an 80/20 split drawn from every k-means cluster of the descriptors, beside a
// plain random 80/20 split, random forest on the decomposition energy.
Console.WriteLine("training-set randomization, random forest, decomposition energy:");
var plainSplit = TrainTestSplit.Split(data.Count, 0.2, Rng.FromSeed(seed)).OrThrow();
var representative = RepresentativeSplit.HoldOut(new RepresentativeSplitOptions(5), descriptors.X, 0.2, Rng.FromSeed(seed)).OrThrow();
foreach (var (name, split) in new[] { ("random 80/20 split", plainSplit), ("representative 80/20 split (5 k-means clusters)", representative) })
{
    var test = CrossValidation.Run(forest, descriptors.X, energy, [split], Rng.FromSeed(seed)).OrThrow().Folds[0].Scores;
    Console.WriteLine($"  {name,-48} decomposition energy: test MAE {test.Mae:0.0000} eV, RMSE {test.Rmse:0.0000} eV ({split.Test.Length} test rows)");
}

// 4. Learning curve: test MAE of the random forest against the number of training rows, on the same folds.
var curve = Curves.Learning(new LearningCurveOptions([0.1, 0.25, 0.5, 0.75, 1.0]), forest, descriptors.X, energy, folds, Rng.FromSeed(seed));
if (curve.IsFail) return Fail(curve.Problems());
Console.WriteLine("learning curve, random forest, decomposition energy (training rows: test MAE over 5 folds):");
Console.WriteLine("  " + string.Join(", ", curve.OrThrow().Points.Select(p => $"{p.Label}: {p.Test.Mean:0.0000} eV")));

// 5. Active learning with a Gaussian process: from 10 random compounds, label 5 at a time by expected improvement (or at random)
// until the most stable compound (lowest decomposition energy) is found; evaluations needed, over 10 seeds, budget 150.
var best = energy.Min();
var bestRow = Enumerable.Range(0, energy.Count).MinBy(i => energy[i]);
var model = new GaussianProcessOptions { Kernel = KernelSyntax.Parse("constant*rbf+white", fractions.Length).OrThrow(), NormalizeY = true };
const int Budget = 150, Batch = 5, Seeds = 10;
Console.WriteLine($"active learning, Gaussian process on the 14 site fractions: find the most stable compound, {data.Formulas![bestRow]} ({best:0.0000} eV), from 10 random ones, {Batch} per round, budget {Budget}, {Seeds} seeds:");
foreach (var (name, acquisition) in new (string, Acquisition)[] { ("expected improvement", new Acquisition.ExpectedImprovement(0.01)), ("random", new Acquisition.Random()) })
{
    var options = new ActiveLearningOptions { Acquisition = acquisition, Goal = Goal.Minimize, BatchSize = Batch, Model = model };
    var needed = new List<int>();
    for (var s = 0; s < Seeds; s++)
    {
        var run = ActiveLearning.Run(options, siteFractions, i => energy[i], 10, (Budget - 10) / Batch, seed + s, stop: st => st.Best(Goal.Minimize) == best);
        if (run.IsFail) return Fail(run.Problems());
        var found = run.OrThrow().History.FirstOrDefault(h => h.BestFound == best);
        // Evaluations until the best compound is labelled; a run that exhausts the budget counts as the budget.
        needed.Add(found is null ? Budget : Math.Min(Budget, found.Evaluations - found.Picked.Count + 1 + found.Picked.ToList().IndexOf(bestRow)));
    }
    Console.WriteLine($"  {name,-20}: evaluations to find it: mean {needed.Average():0.0}, median {needed.Order().ElementAt(needed.Count / 2)}, found within the budget {needed.Count(n => n < Budget)}/{Seeds}");
}
Console.WriteLine($"total {clock.Elapsed.TotalSeconds:0} s");
return 0;

static IReadOnlyDictionary<string, string> Settings(params (string Key, string Value)[] settings) => settings.ToDictionary(s => s.Key, s => s.Value);

static int Fail(IEnumerable<Problem> problems)
{
    foreach (var p in problems) Console.Error.WriteLine($"error: {p}");
    return 1;
}
