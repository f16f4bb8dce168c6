using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LanguageExt;
using Pure.Materials.Active;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Pipelines;
using Pure.Materials.Screening;

namespace Pure.Materials.Cli;

/// <summary>Arguments of <c>screen</c>.</summary>
internal sealed record ScreenArgs(
    string ModelPath, string? Candidates, string? FormulaColumn, string? IdColumn, string? Template, string[] Roles, string? Elements, int Arity,
    int MaxAmount, int? PerovskiteSteps, string? ChargeNeutral, string Rank, string Goal, double? Best, double Beta, string? Window, int Top,
    bool InDomainOnly, double? MaxStd, int ChunkSize, string Out, string? Shard = null, string? All = null, string? CandidateStructures = null)
{
    /// <summary><c>--molecular-cations</c> as given (e.g. <c>MA,FA</c>), or null: the model's own.</summary>
    public string? MolecularCations { get; init; }
}

/// <summary>The <c>screen</c> command: a model file and a candidate space (a CSV of formulas, a stoichiometry template, an n-ary
/// element space, perovskite site mixing) in, the best candidates by mean, acquisition or target window out, streaming.</summary>
internal static class ScreenCommand
{
    public static Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var model = Options.ModelFile();
        var candidates = new System.CommandLine.Option<string?>("--candidates") { Description = "CSV of candidate formulas (with --formula-column; ids from --id-column); - reads standard input." };
        var structures = new System.CommandLine.Option<string?>("--candidates-structures")
        {
            Description = "Crystal structures to screen with a model fitted on structures (fit --structures): a Matbench/pymatgen JSON file, a CIF/POSCAR/XYZ file, a directory of them, or matbench_phonons; featurized with the model's fitted featurizers.",
        };
        var formula = Options.FormulaColumn();
        var idColumn = Options.IdColumn();
        var cations = Options.MolecularCations();
        var template = new System.CommandLine.Option<string?>("--template") { Description = "Stoichiometry template of roles, e.g. A2BX4, with --role A=Li,Na,K per role." };
        var roles = new System.CommandLine.Option<string[]>("--role") { Description = "Elements of one template role, NAME=El,El,... (repeat per role).", DefaultValueFactory = _ => [] };
        var elements = new System.CommandLine.Option<string?>("--elements") { Description = "Elements of an n-ary space, comma-separated (with --arity and --max-amount)." };
        var arity = new System.CommandLine.Option<int>("--arity") { Description = "Elements per composition in an --elements space.", DefaultValueFactory = _ => 3 };
        var maxAmount = new System.CommandLine.Option<int>("--max-amount") { Description = "Largest integer amount of one element in an --elements space.", DefaultValueFactory = _ => 8 };
        var perovskite = new System.CommandLine.Option<int?>("--perovskite-steps") { Description = "Perovskite site mixing (A: K Rb Cs MA FA; B: Ca Sr Ba Ge Sn Pb; X: Cl Br I) on a grid of 1/N per site, features as perovskite_dft's columns." };
        var charge = new System.CommandLine.Option<string?>("--charge-neutral") { Description = "Keep charge-neutral compositions only: default (pymatgen oxi_state_guesses with ICSD states) or all (every known state)." };
        var rank = new System.CommandLine.Option<string>("--rank") { Description = "mean, ucb, ei, pi (acquisitions need a model with a std: gpr, rf, extra-trees) or window (closeness to --window LOW:HIGH).", DefaultValueFactory = _ => "mean" };
        var goal = Options.Goal("max");
        var best = new System.CommandLine.Option<double?>("--best") { Description = "The value to improve on for ei and pi (target units), e.g. the best measured so far." };
        var beta = Options.Beta();
        var window = new System.CommandLine.Option<string?>("--window") { Description = "Target window LOW:HIGH for --rank window (target units), e.g. 1.1:1.7 for a solar absorber's gap." };
        var top = Options.Top();
        var inDomain = new System.CommandLine.Option<bool>("--in-domain-only") { Description = "Keep only candidates inside the training domain (no feature out of range, no unseen element)." };
        var maxStd = new System.CommandLine.Option<double?>("--max-std") { Description = "Keep only candidates whose standard deviation is at most this (target units)." };
        var chunk = Options.ChunkSize();
        var shard = new System.CommandLine.Option<string?>("--shard") { Description = "k/N: screen only the candidates whose index is k modulo N (k = 0..N-1), e.g. one Slurm array task; merge combines the N outputs into the unsharded result." };
        var all = new System.CommandLine.Option<string?>("--all") { Description = "Also write every candidate that passes the filters to this CSV, streamed in the space's order (index, candidate, y_pred, y_std, score, applicability)." };
        var output = Options.RequiredOut();
        var command = new Command("screen", "Screen candidate materials with a model file: enumerate or read candidates, featurize, predict with uncertainty, rank, write the best (streaming, bounded memory).")
            { model, candidates, structures, formula, idColumn, cations, template, roles, elements, arity, maxAmount, perovskite, charge, rank, goal, best, beta, window, top, inDomain, maxStd, chunk, shard, all, output };
        command.SetAction(r => run(() => Run(new ScreenArgs(r.GetValue(model)!, r.GetValue(candidates), r.GetValue(formula), r.GetValue(idColumn), r.GetValue(template),
            r.GetValue(roles) ?? [], r.GetValue(elements), r.GetValue(arity), r.GetValue(maxAmount), r.GetValue(perovskite), r.GetValue(charge), r.GetValue(rank)!,
            r.GetValue(goal)!, r.GetValue(best), r.GetValue(beta), r.GetValue(window), r.GetValue(top), r.GetValue(inDomain), r.GetValue(maxStd), r.GetValue(chunk), r.GetValue(output)!,
            r.GetValue(shard), r.GetValue(all), r.GetValue(structures)) { MolecularCations = r.GetValue(cations) })));
        return command;
    }

    public static IReadOnlyList<Problem> Run(ScreenArgs a)
    {
        var clock = Stopwatch.StartNew();
        var parsed = from shard in ParseShard(a.Shard)
                     from ranking in ParseRanking(a)
                     from filter in ParseCharge(a.ChargeNeutral)
                     from loaded in ModelFile.Load(a.ModelPath)
                     from space in ParseSpace(a, filter.Filter, loaded.Pipeline)
                     select (ranking, loaded.Pipeline, space, shard);
        if (parsed.IsFail) return parsed.Problems();
        var (rankingValue, pipeline, spaceValue, (shardIndex, shardCount)) = parsed.OrThrow();
        // A binary classifier is ranked by the probability of its positive class; its column is named p_LABEL as in predict.
        var positive = pipeline.Target.ClassLabels is { Count: 2 } classLabels ? classLabels[1] : null;
        var valueColumn = positive is null ? "y_pred" : "p_" + positive;
        Console.Error.WriteLine($"screening {spaceValue.Describe()} with {pipeline.Learner.Name} ({pipeline.Target.Name}), ranked by {rankingValue.Describe()}" +
            (positive is null ? "" : $" of P({pipeline.Target.Name} = {positive})"));
        // --all: every kept row, streamed to a temporary file (CSV, or Parquet for *.parquet) and renamed with the top list at the end.
        var allTemp = a.All is { } allPath ? Outputs.Temporary(allPath) : null;
        var allStream = allTemp is null ? null : new FileStream(allTemp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var allTable = allStream is null ? null : TableWriter.Create(allStream, TableWriter.FormatOf(a.All!),
        [
            new("index", ColumnKind.Integer), new("candidate", ColumnKind.Text), new(valueColumn, ColumnKind.Number), new("y_std", ColumnKind.Number),
            new("score", ColumnKind.Number), new("n_features_out_of_range", ColumnKind.Integer), new("unseen_elements", ColumnKind.Text),
        ]);
        var expected = (spaceValue.Count + shardCount - 1 - shardIndex) / shardCount;
        var result = LiveProgress.Run("screen", "candidates", reporter => Screen.Run(pipeline, spaceValue,
            new ScreenOptions(rankingValue, a.Top, a.ChunkSize, a.InDomainOnly, a.MaxStd, shardIndex, shardCount),
            // The count of the space is known before it starts, so the display has a percentage and the time left.
            done => reporter.Report(expected > 0 ? (double)done / expected : double.NaN, done),
            allTable is null ? null : s =>
            {
                allTable.Integer(s.Candidate.Index);
                allTable.Text(s.Candidate.Label);
                allTable.Number(s.Mean);
                allTable.Number(s.Std);
                allTable.Number(s.Score);
                allTable.Integer(s.FeaturesOutOfRange);
                allTable.Text(string.Join(' ', s.UnseenElements));
                allTable.EndRow();
            }));
        if (!result.IsFail) allTable?.Complete();
        allTable?.Dispose();
        allStream?.Dispose();
        if (result.IsFail) return result.Problems();
        var r = result.OrThrow();
        // --out -: the ranked CSV is the only thing on standard output (a pipe's next stage reads it); every message goes to stderr.
        var toStdout = a.Out == Outputs.Standard;
        var temp = toStdout ? null : Outputs.Temporary(a.Out);
        using (var file = temp is null ? null : new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var withStd = r.Top.Any(s => !double.IsNaN(s.Std));
            List<OutputColumn> columns = [new("rank", ColumnKind.Integer), new("index", ColumnKind.Integer), new("candidate", ColumnKind.Text), new(valueColumn, ColumnKind.Number)];
            if (withStd) columns.Add(new("y_std", ColumnKind.Number));
            columns.AddRange([new("score", ColumnKind.Number), new("n_features_out_of_range", ColumnKind.Integer), new("unseen_elements", ColumnKind.Text)]);
            using var table = file is null ? TableWriter.CreateCsv(Console.Out, columns) : TableWriter.Create(file, TableWriter.FormatOf(a.Out), columns);
            foreach (var (s, k) in r.Top.Select((s, k) => (s, k)))
            {
                table.Integer(k + 1);
                table.Integer(s.Candidate.Index);
                table.Text(s.Candidate.Label);
                table.Number(s.Mean);
                if (withStd) table.Number(s.Std);
                table.Number(s.Score);
                table.Integer(s.FeaturesOutOfRange);
                table.Text(string.Join(' ', s.UnseenElements));
                table.EndRow();
            }
            table.Complete();
        }
        Outputs.Commit(new[] { (temp, a.Out), (allTemp, a.All) }.Where(f => f.Item1 is not null).Select(f => (f.Item1!, f.Item2!)));
        var seconds = clock.Elapsed.TotalSeconds;
        var messages = toStdout ? Console.Error : Console.Out;
        messages.WriteLine($"screened {r.Screened:N0} candidates in {seconds:0.00} s ({r.Screened / Math.Max(seconds, 1e-9) * 60:N0} per minute); {r.Kept:N0} passed the filters; wrote the best {r.Top.Count} to {(toStdout ? "standard output" : a.Out)}");
        foreach (var (s, k) in r.Top.Take(10).Select((s, k) => (s, k)))
            messages.WriteLine($"{k + 1,3}. {s.Candidate.Label,-28} {(positive is null ? pipeline.Target.Name : $"P({pipeline.Target.Name} = {positive})")} {Cli.F(s.Mean)}{(double.IsNaN(s.Std) ? "" : $" +- {Cli.F(s.Std)}")} {pipeline.Target.Unit} (score {Cli.F(s.Score)}){(s.InDomain ? "" : " [outside the training domain]")}");
        return [];
    }

    /// <summary>Opens a named pipe or device (<c>&lt;(zcat c.csv.gz)</c>, <c>/dev/stdin</c>: text that can be read once only) and
    /// returns it open, or null for a regular file (read by path, twice) or a path that cannot be opened (reported by the file reader).</summary>
    private static Stream? OpenIfPipe(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            if (!stream.CanSeek) return stream;
            stream.Dispose();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>Candidates from text that can be read once only (standard input, a pipe): copied to a scratch file in the temporary
    /// directory, deleted when the run ends, then read as a file. The space is counted before screening starts (for the ETA and the
    /// shards), and a stream cannot be read twice.</summary>
    private static Validation<Problem, CandidateSpace> Spooled(Stream opened, string source, string formulaColumn, string? idColumn, ChargeNeutrality? filter, MolecularCations cations)
    {
        var spool = Outputs.Scratch("candidates");
        var head = new byte[4096];
        int n;
        try
        {
            using (var input = opened)
            using (var file = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                input.CopyTo(file, 1 << 16);
            using (var file = File.OpenRead(spool)) n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Valid.Fail<CandidateSpace>("io.read_failed", $"could not copy the candidates from {source} to {spool}: {e.Message}; set TMPDIR to a writable directory with space");
        }
        if (Csv.NotCsv(head.AsSpan(0, n), source) is { } problem) return Valid.Fail<CandidateSpace>(problem);
        return Candidates.FromCsv(() => new StreamReader(spool), source, formulaColumn, idColumn, filter, cations);
    }

    private sealed record ShardChoice(int Index, int Count);

    private static Validation<Problem, ShardChoice> ParseShard(string? text)
    {
        if (text is null) return Valid.Ok(new ShardChoice(0, 1));
        var parts = text.Split('/');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && k < n
            ? Valid.Ok(new ShardChoice(k, n))
            : Valid.Fail<ShardChoice>("param.invalid_value", $"--shard '{text}' is not k/N with 0 <= k < N (e.g. --shard 0/4)");
    }

    private static Validation<Problem, Ranking> ParseRanking(ScreenArgs a)
    {
        Goal? goal = a.Goal switch { "max" => Goal.Maximize, "min" => Goal.Minimize, _ => null };
        if (goal is not { } g) return Valid.Fail<Ranking>("param.invalid_value", $"--goal {a.Goal} is not accepted; use max or min");
        double? Best() => a.Best;
        return a.Rank switch
        {
            "mean" => Valid.Ok<Ranking>(new Ranking.ByMean(g)),
            "ucb" => Valid.Ok<Ranking>(new Ranking.ByAcquisition(new Acquisition.UpperConfidenceBound(a.Beta), g, 0.0)),
            "ei" or "pi" when Best() is null => Valid.Fail<Ranking>("param.missing", $"--rank {a.Rank} improves on a known value: give --best VALUE (target units)"),
            "ei" => Valid.Ok<Ranking>(new Ranking.ByAcquisition(new Acquisition.ExpectedImprovement(), g, a.Best!.Value)),
            "pi" => Valid.Ok<Ranking>(new Ranking.ByAcquisition(new Acquisition.ProbabilityOfImprovement(), g, a.Best!.Value)),
            "window" => ParseWindow(a.Window),
            _ => Valid.Fail<Ranking>("param.invalid_value", $"--rank {a.Rank} is not accepted; use mean, ucb, ei, pi or window"),
        };
    }

    private static Validation<Problem, Ranking> ParseWindow(string? text)
    {
        var parts = (text ?? "").Split(':');
        return parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lo)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var hi) && double.IsFinite(lo) && double.IsFinite(hi) && lo <= hi
            ? Valid.Ok<Ranking>(new Ranking.InWindow(lo, hi))
            : Valid.Fail<Ranking>("param.invalid_value", $"--window '{text}' is not LOW:HIGH with LOW <= HIGH (e.g. --window 1.1:1.7)");
    }

    /// <summary>The charge filter asked for (a Validation cannot hold null, so no filter is a record holding null).</summary>
    private sealed record ChargeChoice(ChargeNeutrality? Filter);

    private static Validation<Problem, ChargeChoice> ParseCharge(string? text) => text switch
    {
        null => Valid.Ok(new ChargeChoice(null)),
        "default" => Valid.Ok(new ChargeChoice(ChargeNeutrality.PymatgenDefault)),
        "all" => Valid.Ok(new ChargeChoice(ChargeNeutrality.PymatgenAll)),
        _ => Valid.Fail<ChargeChoice>("param.invalid_value", $"--charge-neutral {text} is not accepted; use default (ICSD oxidation states) or all"),
    };

    /// <summary>The molecular cations candidate formulas are read with: the model's own (saved by fit --molecular-cations), or
    /// <c>--molecular-cations</c> for a model fitted without them (said on stderr); a flag naming other cations than the model's is a conflict.</summary>
    private static Validation<Problem, MolecularCations> Cations(ScreenArgs a, FittedPipeline model)
    {
        var own = model.Input.MolecularCations;
        if (a.MolecularCations is null) return Valid.Ok(own);
        var problems = new List<Problem>();
        var given = CvCommand.ParseCations(a.MolecularCations, problems);
        if (problems.Count > 0) return Valid.Fail<MolecularCations>(problems);
        if (!own.Cations.IsEmpty && !own.Equals(given))
            return Valid.Fail<MolecularCations>("param.conflict",
                $"--molecular-cations {a.MolecularCations}: the model read its training formulas with {string.Join(",", own.Definitions)}; candidates must be read the same way (drop --molecular-cations: the model's are used)");
        if (own.Cations.IsEmpty)
            Console.Error.WriteLine($"note: the model was fitted on formulas without molecular cations; candidates are read with --molecular-cations {a.MolecularCations} (their C, H and N are elements the featurizers see as such)");
        return Valid.Ok(given);
    }

    private static Validation<Problem, CandidateSpace> ParseSpace(ScreenArgs a, ChargeNeutrality? filter, FittedPipeline model)
    {
        var given = new[] { a.Candidates is not null, a.Template is not null, a.Elements is not null, a.PerovskiteSteps is not null, a.CandidateStructures is not null }.Count(b => b);
        if (given != 1)
            return Valid.Fail<CandidateSpace>("param.missing", "give one candidate source: --candidates FILE, --template T --role ..., --elements E1,E2,..., --perovskite-steps N or --candidates-structures FILE|DIR");
        if (model.Input.Structures is not null && a.CandidateStructures is null)
            return Valid.Fail<CandidateSpace>("param.missing", $"the model was fitted on crystal structures ({string.Join(",", model.Input.Structures.Names)}); screen structures with --candidates-structures FILE|DIR");
        if (model.Input.CrystalGraphs && a.CandidateStructures is null)
            return Valid.Fail<CandidateSpace>("param.missing", $"the model ({model.Learner.Name}) predicts crystal structures from their graphs; screen structures with --candidates-structures FILE|DIR");
        if (a.CandidateStructures is { } structurePath)
        {
            if (filter is not null)
                return Valid.Fail<CandidateSpace>("param.conflict", "--charge-neutral filters enumerated formulas; crystal structures are screened as given (drop --charge-neutral)");
            return StructureFeaturizeCommand.Load(structurePath).Bind(l => StructureSpace.FromStructures(model, l.Rows, structurePath)).Map(s => (CandidateSpace)s);
        }
        if (a.Candidates is { } path)
        {
            var column = a.FormulaColumn ?? model.Input.FormulaColumn ?? "formula";
            var cations = Cations(a, model);
            if (cations.IsFail) return Valid.Fail<CandidateSpace>(cations.Problems());
            var c = cations.OrThrow();
            if (path == Outputs.Standard) return Spooled(Captured.OpenStandardInput(), "standard input", column, a.IdColumn, filter, c);
            if (OpenIfPipe(path) is { } pipe) return Spooled(pipe, path, column, a.IdColumn, filter, c);
            return Candidates.FromCsv(path, column, a.IdColumn, filter, c);
        }
        if (a.Template is { } template)
        {
            var roles = new Dictionary<string, IReadOnlyList<string>>();
            foreach (var role in a.Roles)
            {
                var eq = role.IndexOf('=');
                if (eq <= 0) return Valid.Fail<CandidateSpace>("param.invalid_value", $"--role '{role}' is not NAME=El,El,... (e.g. --role A=Li,Na,K)");
                roles[role[..eq].Trim()] = role[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
            return Candidates.FromTemplate(template, roles, filter);
        }
        if (a.Elements is { } elements)
            return Candidates.Nary(elements.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), a.Arity, a.MaxAmount, filter);
        var steps = a.PerovskiteSteps!.Value;
        return filter is not null
            ? Valid.Fail<CandidateSpace>("param.conflict", "--charge-neutral filters formulas; perovskite site mixing is charge-balanced by construction (drop --charge-neutral)")
            : Candidates.PerovskiteSiteMixed(steps, steps, steps);
    }
}
