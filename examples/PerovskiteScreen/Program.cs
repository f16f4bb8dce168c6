// Screens the perovskite site-mixing space (A: K Rb Cs MA FA; B: Ca Sr Ba Ge Sn Pb; X: Cl Br I, fractions on a grid of 1/4 by default: 132,300 candidates)
// with a Gaussian process fitted on the 14 site fractions of the bundled perovskite_dft data, and lists the 10 candidates with
// the best expected improvement over the most stable compound measured (lowest decomposition energy), with the time it took.
// Run: dotnet run -c Release --project examples/PerovskiteScreen [-- STEPS]   (default 4; seed 0; a GP std costs O(n_train^2) per candidate, so 1/8, 28.7 million candidates, takes hours)
using System.Diagnostics;
using System.Globalization;
using Pure.Materials.Active;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Pipelines;
using Pure.Materials.Screening;

var steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4;
string[] fractions = ["K", "Rb", "Cs", "MA", "FA", "Ca", "Sr", "Ba", "Ge", "Sn", "Pb", "Cl", "Br", "I"];
var clock = Stopwatch.StartNew();
var spec = new DatasetSpec { TargetColumn = "Decomposition Energy", FeatureColumns = [.. fractions] };
var gpr = Learners.Parse("gpr", new Dictionary<string, string> { ["kernel"] = "constant*ard+white" }).OrThrow();
var pipeline = new PipelineSpec(new PipelineInput(null, [], MissingElementValue.NaN, fractions), [new PipelineStep.StandardScale()], gpr);

// One query: load, fit the GP on every measured compound, then screen the whole grid by expected improvement (minimise).
var experiment =
    from table in Step.From(() => BundledData.OpenPathOrName("perovskite_dft"))
    from data in Step.From(() => Dataset.FromTable(spec, table))
    from features in Step.From(() => CompositionFeaturizers.Build([], data))
    from model in Step.Random(rng => FittedPipeline.FitFeatures(pipeline, features, data.Target!, null, new PipelineTarget("Decomposition Energy", "eV"), rng))
    let best = data.Target!.Min()
    from space in Step.From(() => Candidates.PerovskiteSiteMixed(steps, steps, steps))
    from screened in Step.From(() => Screen.Run(model, space, new ScreenOptions(new Ranking.ByAcquisition(new Acquisition.ExpectedImprovement(), Goal.Minimize, best), Top: 10)))
    select (data, best, space, screened);

var (ds, bestMeasured, candidates, result) = experiment.Run(seed: 0).OrThrow();
Console.WriteLine($"fitted gpr on {ds.Count} compounds; most stable measured: {bestMeasured.ToString("0.0000", CultureInfo.InvariantCulture)} eV");
Console.WriteLine($"screened {result.Screened:N0} candidates ({candidates.Describe()}) in {clock.Elapsed.TotalSeconds:0.0} s, fit included");
Console.WriteLine("rank  candidate                                   mean (eV)  std (eV)   EI");
foreach (var (s, k) in result.Top.Select((s, k) => (s, k)))
    Console.WriteLine($"{k + 1,4}  {s.Candidate.Label,-42} {s.Mean,9:0.0000}  {s.Std,8:0.0000}  {s.Score:0.00000}");
