using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Data;

// Every [Property] in this assembly runs from one fixed seed (FsCheck's (seed, gamma) pair), so CI and every machine check the
// same cases. On failure FsCheck.Xunit reports this seed, the shrunk counter-example, and "Replay directly at failing step with
// (seed,gamma,size)": paste that into [Property(Replay = "...")] on the failing method to rerun exactly that case. To explore
// other cases, change the seed here (or set Replay on one method) and run the properties again.
[assembly: Properties(Replay = "(20261205,11400714819323198485)", Arbitrary = new[] { typeof(Pure.Materials.Properties.Arbitraries) })]

namespace Pure.Materials.Properties;

/// <summary>FsCheck generators shared by every property file; add new ones here, grouped by src area.</summary>
public static class Generators
{
    // ------------------------------------------------------------------ Data: compositions and formulas

    /// <summary>Atomic numbers 1..118, uniform.</summary>
    public static Gen<int> AtomicNumber { get; } = Gen.Choose(1, Elements.Count);

    /// <summary>Positive finite amounts as they occur in data (small integers, short decimals, tiny fractions) plus
    /// arbitrary positive doubles from 1e-300 to 1e300 (any bit pattern in that range).</summary>
    public static Gen<double> PositiveAmount { get; } = Gen.Frequency(
        (4, Gen.Choose(1, 24).Select(i => (double)i)),
        (3, Gen.Choose(1, 9999).Select(i => i / 1000.0)),
        (1, Gen.Choose(1, 999).Select(i => i * 1e-7)),
        (2, Gen.Choose(int.MinValue, int.MaxValue).Two()
            .Select(t => BitConverter.Int64BitsToDouble(((long)t.Item1 << 32 | (uint)t.Item2) & long.MaxValue))
            .Where(x => x is > 1e-300 and < 1e300)));

    /// <summary>Whole amounts 1..24, for properties about integer formulas (reduction by gcd).</summary>
    public static Gen<int> WholeAmount { get; } = Gen.Choose(1, 24);

    /// <summary>1 to 6 distinct atomic numbers in random order.</summary>
    public static Gen<int[]> DistinctAtomicNumbers { get; } =
        Gen.Choose(1, 6).SelectMany(n => Gen.Shuffle(Enumerable.Range(1, Elements.Count)).Select(all => all.Take(n).ToArray()));

    /// <summary>Valid compositions: 1 to 6 distinct elements with <see cref="PositiveAmount"/>s.</summary>
    public static Gen<Composition> Composition { get; } =
        DistinctAtomicNumbers.SelectMany(zs => Gen.ArrayOf(PositiveAmount, zs.Length).Select(amounts =>
            Pure.Materials.Data.Composition.FromAmounts(zs.Zip(amounts)).OrThrow()));

    /// <summary>Compositions whose amounts are all whole numbers 1..24.</summary>
    public static Gen<Composition> WholeComposition { get; } =
        DistinctAtomicNumbers.SelectMany(zs => Gen.ArrayOf(WholeAmount, zs.Length).Select(amounts =>
            Pure.Materials.Data.Composition.FromAmounts(zs.Zip(amounts.Select(a => (double)a))).OrThrow()));

    /// <summary>Valid formulas with the composition they denote (computed without the parser): elements, nested
    /// '()'/'[]' groups up to depth 3, amounts as plain, decimal and exponent text, hydrate separators '·', '*', '•'
    /// with optional leading numbers, and spaces between terms. Amounts are dyadic so every product is exact.</summary>
    /// <remarks>An O with amount 1 is always written <c>O1</c>, so no <c>H2O</c> water term can follow a decimal
    /// (that reading is covered by the unit tests).</remarks>
    public static Gen<(string Formula, (int AtomicNumber, double Amount)[] Atoms)> ValidFormula { get; } = FormulaOf(3);

    private static readonly (double Value, string Text)[] AmountTexts =
    [
        (1, ""), (1, ""), (1, "1"), (2, "2"), (3, "3"), (4, "4"), (7, "7"), (12, "12"), (0.5, "0.5"), (0.5, "5e-1"),
        (0.25, "0.25"), (0.75, "0.75"), (1.5, "1.5"), (2, "2e0"), (250, "2.5e+2"),
    ];

    private static Gen<(string Text, (int AtomicNumber, double Amount)[] Atoms)> FormulaOf(int depth)
    {
        Gen<(string Text, (int AtomicNumber, double Amount)[] Atoms)> element =
            Gen.Frequency((3, Gen.Elements(1, 6, 8, 26, 27, 79)), (2, AtomicNumber))
                .SelectMany(z => Gen.Elements(AmountTexts).Select(a =>
                    (Elements.Symbol(z) + (z == 8 && a.Text.Length == 0 ? "1" : a.Text), new (int AtomicNumber, double Amount)[] { (z, a.Value) })));
        var unit = element;
        if (depth > 0)
        {
            var group = FormulaOf(depth - 1).SelectMany(inner => Gen.Elements(("(", ")"), ("[", "]")).SelectMany(b =>
                Gen.Elements(AmountTexts).Select(a =>
                    (Text: b.Item1 + inner.Text + b.Item2 + a.Text,
                     Atoms: inner.Atoms.Select(x => (x.AtomicNumber, x.Amount * a.Value)).ToArray()))));
            unit = Gen.Frequency((4, element), (1, group));
        }
        var spacer = Gen.Frequency((6, Gen.Constant("")), (1, Gen.Elements(" ", "  ", "\t")));
        var term = Gen.Choose(1, 4)
            .SelectMany(n => unit.SelectMany(u => spacer.Select(sp => (Text: u.Text + sp, u.Atoms))).ArrayOf(n))
            .Select(us => (Text: string.Concat(us.Select(u => u.Text)), Atoms: us.SelectMany(u => u.Atoms).ToArray()));
        var hydrate = Gen.Elements("·", "*", "•", " · ").SelectMany(sep => Gen.Elements(AmountTexts).SelectMany(m => term.Select(t =>
            (Text: sep + m.Text + t.Text, Atoms: t.Atoms.Select(x => (x.AtomicNumber, x.Amount * m.Value)).ToArray()))));
        return term.SelectMany(first => Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(1, 2)))
            .SelectMany(k => hydrate.ArrayOf(k))
            .Select(rest => (Text: first.Text + string.Concat(rest.Select(r => r.Text)),
                Atoms: first.Atoms.Concat(rest.SelectMany(r => r.Atoms)).ToArray())));
    }

    /// <summary>Strings over the characters formulas are made of (letters, digits, brackets, dots, separators, signs,
    /// spaces and a few junk characters), up to about 60 characters: mostly invalid, sometimes valid formulas.</summary>
    public static Gen<string> FormulaLikeString { get; } =
        Gen.Elements("ABCFHKLNOSUXZabeilnorsx0123456789()[].·*•e-+ ,#\t\u0000é😀".ToCharArray())
            .ArrayOf()
            .Select(cs => new string(cs));

    /// <summary>Sequences of formula tokens (symbols, amounts, brackets, separators, exponents): more often valid than
    /// <see cref="FormulaLikeString"/>, so they reach deep parser states.</summary>
    public static Gen<string> FormulaTokenString { get; } =
        Gen.Elements(
                "H", "He", "O", "Fe", "Og", "Xx", "E", "2", "0", "10", "0.5", ".", ".5", "1.75", "1e-3", "e", "e5", "5H2O", "H2O",
                "(", ")", "[", "]", "·", "*", " ", "-", "-2", "1e999", "1e-999")
            .ArrayOf()
            .Select(parts => string.Concat(parts));

    // ------------------------------------------------------------------ Split and Scale: seeds, fold labels, feature matrices

    /// <summary>Seeds for <see cref="Rng.FromSeed"/>, spread over about +-7.9e12.</summary>
    public static Gen<long> Seed { get; } = Gen.Choose(-1_000_000_000, 1_000_000_000).Select(i => (long)i * 7919);

    /// <summary>Fold labels 0..K-1 (K in 2..8) with every label present, 0..100 extra rows, in a random order.</summary>
    public static Gen<int[]> FoldLabels { get; } =
        from k in Gen.Choose(2, 8)
        from extra in Gen.Choose(0, 100)
        from rest in Gen.ArrayOf(Gen.Choose(0, k - 1), extra)
        from seed in Seed
        select ShuffledLabels(Enumerable.Range(0, k).Concat(rest).ToArray(), seed);

    /// <summary>Class labels for stratification: 2..4 classes drawn from arbitrary integers, each with 2..80 rows, shuffled.</summary>
    public static Gen<int[]> ClassLabels { get; } =
        from nClasses in Gen.Choose(2, 4)
        from ids in Gen.Shuffle(new[] { -3, 0, 1, 2, 7, 42 })
        from counts in Gen.ArrayOf(Gen.Choose(2, 80), nClasses)
        from seed in Seed
        select ShuffledLabels(counts.SelectMany((c, i) => Enumerable.Repeat(ids[i], c)).ToArray(), seed);

    /// <summary>Group ids (e.g. encoded reduced formulas): 2..40 groups of 1..12 rows each, shuffled.</summary>
    public static Gen<int[]> GroupLabels { get; } =
        from nGroups in Gen.Choose(2, 40)
        from sizes in Gen.ArrayOf(Gen.Choose(1, 12), nGroups)
        from seed in Seed
        select ShuffledLabels(sizes.SelectMany((s, g) => Enumerable.Repeat(g * 3 + 1, s)).ToArray(), seed);

    /// <summary>A permutation of 0..n-1 drawn from <paramref name="seed"/> (Fisher-Yates on <see cref="Rng"/>).</summary>
    /// <param name="n">Length.</param>
    /// <param name="seed">Seed.</param>
    public static int[] Shuffled(int n, long seed) => ShuffledLabels(Enumerable.Range(0, n).ToArray(), seed);

    private static int[] ShuffledLabels(int[] labels, long seed)
    {
        var rng = Rng.FromSeed(seed);
        for (var i = labels.Length - 1; i > 0; i--)
        {
            (var j, rng) = rng.NextInt(i + 1);
            (labels[i], labels[j]) = (labels[j], labels[i]);
        }
        return labels;
    }

    /// <summary>One feature column of n values: spread 10^e (e in -6..6), offset up to 1000 spreads, constant one time in four.</summary>
    /// <param name="n">Number of rows.</param>
    public static Gen<double[]> FeatureColumn(int n) =>
        from exponent in Gen.Choose(-6, 6)
        from offset in Gen.Choose(-1000, 1000)
        from constant in Gen.Elements(false, false, false, true)
        from units in Gen.ArrayOf(Gen.Choose(-1_000_000, 1_000_000), n)
        select units.Select(u => Math.Pow(10, exponent) * ((constant ? 0 : u / 1e6) + offset)).ToArray();

    /// <summary>Finite feature matrices, shape (1..25, 1..6), built from <see cref="FeatureColumn"/>s.</summary>
    public static Gen<Matrix> FeatureMatrix { get; } =
        from rows in Gen.Choose(1, 25)
        from cols in Gen.Choose(1, 6)
        from columns in Gen.ArrayOf(FeatureColumn(rows), cols)
        select Matrix.Build(rows, cols, (i, j) => columns[j][i]);

    /// <summary><see cref="FeatureMatrix"/> with about one entry in three replaced by NaN (a column can be all NaN).</summary>
    public static Gen<Matrix> FeatureMatrixWithMissing { get; } =
        from x in FeatureMatrix
        from mask in Gen.ArrayOf(Gen.Choose(0, 2), x.Rows * x.Cols)
        select Matrix.Build(x.Rows, x.Cols, (i, j) => mask[i * x.Cols + j] == 0 ? double.NaN : x[i, j]);

    // ------------------------------------------------------------------ Featurize: compositions for descriptor invariants

    /// <summary>Amounts k/100 for k = 1..10000 (0.01 to 100): two different amounts differ by far more than the 1e-8 + 1e-5 |w|
    /// tolerance of matminer's <c>mode</c>, so scaling by a power of two keeps the set of most abundant elements.</summary>
    public static Gen<double> GridAmount { get; } = Gen.Choose(1, 10_000).Select(k => k / 100.0);

    /// <summary>Compositions of 1 to 6 distinct elements (any Z 1..118) with <see cref="GridAmount"/>s.</summary>
    public static Gen<Composition> GridComposition { get; } =
        DistinctAtomicNumbers.SelectMany(zs => Gen.ArrayOf(GridAmount, zs.Length).Select(amounts =>
            Pure.Materials.Data.Composition.FromAmounts(zs.Zip(amounts)).OrThrow()));

    /// <summary>Like <see cref="GridComposition"/> but only elements H..Lr (Z 1..103), the range of matminer v0.9.0's tables.</summary>
    public static Gen<Composition> GridCompositionUpToLr { get; } =
        Gen.Choose(1, 6).SelectMany(n => Gen.Shuffle(Enumerable.Range(1, 103)).Select(all => all.Take(n).ToArray()))
            .SelectMany(zs => Gen.ArrayOf(GridAmount, zs.Length).Select(amounts =>
                Pure.Materials.Data.Composition.FromAmounts(zs.Zip(amounts)).OrThrow()));

    /// <summary>Powers of two 2^-8 .. 2^12: scaling amounts by them is exact in binary floating point.</summary>
    public static Gen<double> PowerOfTwo { get; } = Gen.Choose(-8, 12).Where(k => k != 0).Select(k => Math.Pow(2, k));

    /// <summary>2 to 4 distinct elements of Z 1..103 with whole amounts 1..5 (small enough to enumerate oxidation-state choices).</summary>
    public static Gen<Composition> SmallIntegerComposition { get; } =
        Gen.Choose(2, 4).SelectMany(n => Gen.Shuffle(Enumerable.Range(1, 103)).Select(all => all.Take(n).ToArray()))
            .SelectMany(zs => Gen.ArrayOf(Gen.Choose(1, 5), zs.Length).Select(amounts =>
                Pure.Materials.Data.Composition.FromAmounts(zs.Zip(amounts.Select(a => (double)a))).OrThrow()));

    /// <summary>A permutation of 0..n-1.</summary>
    public static Gen<int[]> Permutation(int n) => Gen.Shuffle(Enumerable.Range(0, n)).Select(p => p.ToArray());

    // ------------------------------------------------------------------ Models/Gaussian: kernels and inputs

    /// <summary>Values 10^u with u uniform on a 0.05 grid in [<paramref name="lowDecade"/>, <paramref name="highDecade"/>].</summary>
    /// <param name="lowDecade">log10 of the smallest value.</param>
    /// <param name="highDecade">log10 of the largest value.</param>
    public static Gen<double> LogUniform(int lowDecade, int highDecade) =>
        Gen.Choose(20 * lowDecade, 20 * highDecade).Select(k => Math.Pow(10, k / 20.0));

    /// <summary>Length scales (RBF, Matern, rational quadratic, exp-sine-squared), 1e-2 .. 1e2 on a log grid.</summary>
    public static Gen<double> LengthScale { get; } = LogUniform(-2, 2);

    /// <summary>White-noise levels, 1e-5 .. 1e1 on a log grid.</summary>
    public static Gen<double> NoiseLevel { get; } = LogUniform(-5, 1);

    /// <summary>Amplitudes (constant value, dot-product sigma_0, rational-quadratic alpha), 1e-2 .. 1e2 on a log grid.</summary>
    public static Gen<double> Amplitude { get; } = LogUniform(-2, 2);

    /// <summary>Periodicities of exp-sine-squared, 1e-1 .. 1e1 on a log grid (inputs are 0.1 apart, so whole periods occur).</summary>
    public static Gen<double> Periodicity { get; } = LogUniform(-1, 1);

    /// <summary>Base kernels for inputs with <paramref name="cols"/> features: constant, white, dot product, RBF and Matern
    /// (0.5, 1.5, 2.5; isotropic or ARD), rational quadratic and (only when cols = 1, where it is positive semi-definite) exp-sine-squared,
    /// with hyper-parameters over several decades (<see cref="LengthScale"/>, <see cref="NoiseLevel"/>, <see cref="Amplitude"/>, <see cref="Periodicity"/>).</summary>
    /// <param name="cols">Number of features.</param>
    public static Gen<Pure.Materials.Models.Gaussian.Kernel> KernelLeaf(int cols)
    {
        var ard = Gen.Elements(true, false).SelectMany(a => Gen.ArrayOf(LengthScale, a ? cols : 1));
        var leaves = new List<Gen<Pure.Materials.Models.Gaussian.Kernel>>
        {
            Amplitude.Select(v => (Pure.Materials.Models.Gaussian.Kernel)new Pure.Materials.Models.Gaussian.ConstantKernel { ConstantValue = v }),
            NoiseLevel.Select(v => (Pure.Materials.Models.Gaussian.Kernel)new Pure.Materials.Models.Gaussian.WhiteKernel { NoiseLevel = v }),
            Amplitude.Select(v => (Pure.Materials.Models.Gaussian.Kernel)new Pure.Materials.Models.Gaussian.DotProductKernel { Sigma0 = v }),
            ard.Select(l => (Pure.Materials.Models.Gaussian.Kernel)new Pure.Materials.Models.Gaussian.RbfKernel { LengthScale = l }),
            ard.SelectMany(l => Gen.Elements(0.5, 1.5, 2.5).Select(nu =>
                (Pure.Materials.Models.Gaussian.Kernel)new Pure.Materials.Models.Gaussian.MaternKernel { LengthScale = l, Nu = nu })),
            LengthScale.SelectMany(l => Amplitude.Select(a =>
                (Pure.Materials.Models.Gaussian.Kernel)new Pure.Materials.Models.Gaussian.RationalQuadraticKernel { LengthScale = l, Alpha = a })),
        };
        if (cols == 1)
            leaves.Add(LengthScale.SelectMany(l => Periodicity.Select(p =>
                (Pure.Materials.Models.Gaussian.Kernel)new Pure.Materials.Models.Gaussian.ExpSineSquaredKernel { LengthScale = l, Periodicity = p })));
        return Gen.OneOf(leaves);
    }

    /// <summary>Kernels up to <paramref name="depth"/> levels of sums, products and integer powers (2, 3) of <see cref="KernelLeaf"/>s.</summary>
    /// <param name="cols">Number of features.</param>
    /// <param name="depth">Maximum nesting depth.</param>
    public static Gen<Pure.Materials.Models.Gaussian.Kernel> Kernel(int cols, int depth)
    {
        if (depth == 0) return KernelLeaf(cols);
        var sub = Kernel(cols, depth - 1);
        return Gen.Frequency(
            (3, KernelLeaf(cols)),
            (2, sub.Two().Select(t => t.Item1 + t.Item2)),
            (2, sub.Two().Select(t => t.Item1 * t.Item2)),
            (1, sub.SelectMany(k => Gen.Elements(2.0, 3.0).Select(e => k.Pow(e)))));
    }

    /// <summary>Inputs for kernels: 2..8 rows of 1..3 features on a 0.1 grid in [-2, 2], with a matching kernel of depth &lt;= 2.</summary>
    public static Gen<(Pure.Materials.Models.Gaussian.Kernel Kernel, Matrix X)> KernelAndInputs { get; } =
        from cols in Gen.Choose(1, 3)
        from rows in Gen.Choose(2, 8)
        from values in Gen.ArrayOf(Gen.Choose(-20, 20), rows * cols)
        from kernel in Kernel(cols, 2)
        select (kernel, Matrix.Build(rows, cols, (i, j) => values[i * cols + j] / 10.0));

    // ------------------------------------------------------------------ Models: linear, kernel, classification designs

    /// <summary>Dense designs, shape (4..30, 1..5), entries k/1000 for k in -3000..3000 (standardised-like scale).</summary>
    public static Gen<Matrix> Design { get; } =
        from rows in Gen.Choose(4, 30)
        from cols in Gen.Choose(1, 5)
        from values in Gen.ArrayOf(Gen.Choose(-3000, 3000), rows * cols)
        select Matrix.Build(rows, cols, (i, j) => values[i * cols + j] / 1000.0);

    /// <summary>A vector of n values k/1000 for k in -3000..3000 (targets, weights, perturbations).</summary>
    /// <param name="n">Length.</param>
    public static Gen<double[]> SmallVector(int n) => Gen.ArrayOf(Gen.Choose(-3000, 3000), n).Select(a => a.Select(v => v / 1000.0).ToArray());

    /// <summary>Class indices 0..k-1 for n rows, every class present when n &gt;= k.</summary>
    /// <param name="n">Rows.</param>
    /// <param name="k">Classes, at least 2.</param>
    public static Gen<int[]> ClassIndices(int n, int k) =>
        Gen.ArrayOf(Gen.Choose(0, k - 1), n).Select(a => a.Select((v, i) => i < k ? i : v).ToArray());

    // ------------------------------------------------------------------ Screening: candidate spaces

    /// <summary>Elements with varied oxidation states (one, several, negative, none: He) for candidate spaces.</summary>
    public static string[] ScreeningPool { get; } =
        ["Li", "Na", "K", "Mg", "Ca", "Ba", "Al", "Ga", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Cu", "Zn", "Mo", "Sn", "Pb", "N", "P", "O", "S", "Se", "F", "Cl", "I", "He"];

    /// <summary>Template spaces: 1-3 roles (names A, B, X) with amounts 1-4 and 1-4 elements each, disjoint, from the pool; with or
    /// without a charge filter (either table).</summary>
    public static Gen<CandidateSpaceCase> TemplateSpace { get; } =
        from roles in Gen.Choose(1, 3)
        from amounts in Gen.ArrayOf(Gen.Choose(1, 4), roles)
        from sizes in Gen.ArrayOf(Gen.Choose(1, 4), roles)
        from pool in Gen.Shuffle(ScreeningPool)
        from filter in Gen.Choose(0, 2)
        select CandidateSpaceCase.Template(
            string.Concat(Enumerable.Range(0, roles).Select(r => "ABX"[r] + (amounts[r] == 1 ? "" : amounts[r].ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            [.. Enumerable.Range(0, roles).Select(r => ("ABX"[r].ToString(), pool.Skip(sizes.Take(r).Sum()).Take(sizes[r]).ToArray()))],
            filter);

    /// <summary>n-ary spaces: 1-6 pool elements, arity 1..min(3, elements), amounts up to 1-5; with or without a charge filter.</summary>
    public static Gen<CandidateSpaceCase> NarySpace { get; } =
        from m in Gen.Choose(1, 6)
        from pool in Gen.Shuffle(ScreeningPool)
        from arity in Gen.Choose(1, Math.Min(3, m))
        from max in Gen.Choose(1, 5)
        from filter in Gen.Choose(0, 2)
        select CandidateSpaceCase.Nary([.. pool.Take(m)], arity, max, filter);

    /// <summary>Perovskite site-mixing spaces with 1-3 grid steps per site.</summary>
    public static Gen<CandidateSpaceCase> SiteMixedSpace { get; } =
        from a in Gen.Choose(1, 3)
        from b in Gen.Choose(1, 2)
        from x in Gen.Choose(1, 3)
        select CandidateSpaceCase.Perovskite(a, b, x);
}

// ====================================================================== Parameter types of the [Property] methods
// Each record is one kind of generated case; Arbitraries (below) gives each its generator and shrinker, so a failing case
// shrinks to a small one that still satisfies the generator's invariants (shrink candidates that would break them are dropped).

/// <summary>A seed for <see cref="Rng.FromSeed"/> (<see cref="Generators.Seed"/>); shrinks towards 0.</summary>
public sealed record RngSeed(long Value)
{
    /// <summary>The random stream of this seed.</summary>
    public Rng Rng => Rng.FromSeed(Value);
}

/// <summary>The inputs of one candidate space (<see cref="Generators.TemplateSpace"/>, <see cref="Generators.NarySpace"/>,
/// <see cref="Generators.SiteMixedSpace"/>); <see cref="Build"/> makes the space, <see cref="Text"/> prints the inputs.</summary>
public sealed record CandidateSpaceCase(string Text, Func<Pure.Materials.Screening.CandidateSpace> Build,
    Func<Pure.Materials.Screening.Candidate, bool> Satisfies, Pure.Materials.Screening.ChargeNeutrality? Filter, Func<Pure.Materials.Screening.CandidateSpace>? Unfiltered)
{
    private static Pure.Materials.Screening.ChargeNeutrality? FilterOf(int f) =>
        f == 1 ? Pure.Materials.Screening.ChargeNeutrality.PymatgenDefault : f == 2 ? Pure.Materials.Screening.ChargeNeutrality.PymatgenAll : null;

    /// <summary>A template case; a candidate satisfies it when element k comes from role k's set with the role's amount.</summary>
    public static CandidateSpaceCase Template(string template, (string Role, string[] Elements)[] roles, int filter)
    {
        var dict = roles.ToDictionary(r => r.Role, r => (IReadOnlyList<string>)r.Elements);
        var f = FilterOf(filter);
        var amounts = Pure.Materials.Screening.TemplateSpace.ParseTemplate(template).OrThrow().Select(t => t.Amount).ToArray();
        bool Satisfies(Pure.Materials.Screening.Candidate c) =>
            c.Composition is { } comp && comp.Count == roles.Length
            && Enumerable.Range(0, roles.Length).All(k => roles[k].Elements.Contains(Elements.Symbol(comp.AtomicNumbers[k])) && comp.Amounts[k] == amounts[k])
            && (f is null || f.IsBalanced(comp).OrThrow());
        return new($"template {template} {string.Join("; ", roles.Select(r => $"{r.Role}: {string.Join(" ", r.Elements)}"))} filter {f?.Table.ToString() ?? "none"}",
            () => Pure.Materials.Screening.Candidates.FromTemplate(template, dict, f).OrThrow(), Satisfies, f,
            () => Pure.Materials.Screening.Candidates.FromTemplate(template, dict).OrThrow());
    }

    /// <summary>An n-ary case; a candidate satisfies it with exactly arity distinct listed elements, amounts 1..max, gcd 1.</summary>
    public static CandidateSpaceCase Nary(string[] elements, int arity, int max, int filter)
    {
        var f = FilterOf(filter);
        bool Satisfies(Pure.Materials.Screening.Candidate c) =>
            c.Composition is { } comp && comp.Count == arity && comp.AtomicNumbers.All(z => elements.Contains(Elements.Symbol(z)))
            && comp.Amounts.All(a => a == Math.Floor(a) && a >= 1 && a <= max)
            && comp.Amounts.Select(a => (int)a).Aggregate(0, Gcd) == 1
            && (f is null || f.IsBalanced(comp).OrThrow());
        return new($"{arity}-ary of {string.Join(" ", elements)} up to {max} filter {f?.Table.ToString() ?? "none"}",
            () => Pure.Materials.Screening.Candidates.Nary(elements, arity, max, f).OrThrow(), Satisfies, f,
            () => Pure.Materials.Screening.Candidates.Nary(elements, arity, max).OrThrow());
    }

    /// <summary>A perovskite site-mixing case; a candidate satisfies it when each site's fractions are multiples of 1/steps summing to 1.</summary>
    public static CandidateSpaceCase Perovskite(int a, int b, int x)
    {
        int[] steps = [a, b, x];
        int[] sizes = [5, 6, 3];
        bool Satisfies(Pure.Materials.Screening.Candidate c)
        {
            var at = 0;
            for (var s = 0; s < 3; s++)
            {
                var units = c.Features.Span.Slice(at, sizes[s]).ToArray().Select(v => v * steps[s]).ToArray();
                if (units.Any(u => u < 0 || Math.Abs(u - Math.Round(u)) > 1e-9) || Math.Round(units.Sum()) != steps[s]) return false;
                at += sizes[s];
            }
            return c.Composition is null && c.Features.Count == 50;
        }
        return new($"perovskite site mixing steps {a} {b} {x}", () => Pure.Materials.Screening.Candidates.PerovskiteSiteMixed(a, b, x).OrThrow(), Satisfies, null, null);
    }

    private static int Gcd(int p, int q) => q == 0 ? p : Gcd(q, p % q);

    /// <summary>The inputs.</summary>
    /// <returns><see cref="Text"/>.</returns>
    public override string ToString() => Text;
}

/// <summary>A string over formula characters or formula tokens (<see cref="Generators.FormulaLikeString"/>, <see cref="Generators.FormulaTokenString"/>).</summary>
public sealed record FormulaText(string Value);

/// <summary>A string of up to 20 formula tokens, most of them valid ones (see <see cref="Arbitraries.TokenFormulaText"/>).</summary>
public sealed record TokenFormulaText(string Value);

/// <summary>A token string of up to about 4000 tokens (deep nesting, long amounts).</summary>
public sealed record LongFormulaText(string Value)
{
    /// <inheritdoc/>
    public override string ToString() => $"LongFormulaText {{ Length = {Value.Length}, Value = {Value} }}";
}

/// <summary>A valid formula with the atoms it denotes (<see cref="Generators.ValidFormula"/>).</summary>
public sealed record ValidFormulaCase(string Formula, (int AtomicNumber, double Amount)[] Atoms)
{
    /// <inheritdoc/>
    public override string ToString() => $"ValidFormulaCase {{ Formula = {Formula}, Atoms = {Show.Items(Atoms)} }}";
}

/// <summary>A composition with <see cref="Generators.PositiveAmount"/>s (1e-300 .. 1e300).</summary>
public sealed record AnyComposition(Composition Value);

/// <summary>A composition with whole amounts 1..24.</summary>
public sealed record WholeAmounts(Composition Value);

/// <summary>A composition with amounts k/100, k in 1..10000, elements Z 1..118.</summary>
public sealed record GridAmounts(Composition Value);

/// <summary>A composition with amounts k/100 and elements H..Lr only.</summary>
public sealed record GridAmountsUpToLr(Composition Value);

/// <summary>2 to 4 elements of Z 1..103 with whole amounts 1..5.</summary>
public sealed record SmallWholeAmounts(Composition Value);

/// <summary>A <see cref="SmallWholeAmounts"/> composition that is charge balanced (IonProperty's <c>compound possible</c> = 1).</summary>
public sealed record BalancedSmallWholeAmounts(Composition Value);

/// <summary>A whole multiple 1..50.</summary>
public sealed record WholeMultiple(int Value);

/// <summary>A bracket multiplier 2..9.</summary>
public sealed record GroupMultiple(int Value);

/// <summary>A whole multiple 2..4 (small enough for the charge-balance search).</summary>
public sealed record SmallMultiple(int Value);

/// <summary>A power of two 2^-8 .. 2^12 other than 1.</summary>
public sealed record PowerOfTwoFactor(double Value);

/// <summary>Species fractions k/8 for the perovskite sites' species columns, every site with a positive total.</summary>
public sealed record SiteFractions(double[] Value)
{
    /// <inheritdoc/>
    public override string ToString() => $"SiteFractions {{ {Show.Items(Value)} }}";
}

/// <summary>(n, k, shuffle) with n in 2..300 and 2 &lt;= k &lt;= min(n, 20).</summary>
public sealed record KFoldCase(int N, int K, bool Shuffle);

/// <summary>(n in 0..400, test fraction permille/1000 with permille in 1..999).</summary>
public sealed record TrainTestCase(int N, int Permille)
{
    /// <summary>The test fraction.</summary>
    public double Fraction => Permille / 1000.0;
}

/// <summary>(n in 0..400, permille) such that the test side ceil(n permille / 1000) is empty (n = 0) or everything (permille &gt; 1000 (1 - 1/n)).</summary>
public sealed record EmptySideCase(int N, int Permille)
{
    /// <summary>The test fraction.</summary>
    public double Fraction => Permille / 1000.0;
}

/// <summary>Fold labels 0..K-1 with every label present (<see cref="Generators.FoldLabels"/>).</summary>
public sealed record FoldLabelsCase(int[] Labels)
{
    /// <inheritdoc/>
    public override string ToString() => $"FoldLabelsCase {{ {Show.Items(Labels)} }}";
}

/// <summary>Fold labels and a label 0..7 below the largest one, to be removed.</summary>
public sealed record MissingFoldCase(int[] Labels, int Drop)
{
    /// <inheritdoc/>
    public override string ToString() => $"MissingFoldCase {{ Drop = {Drop}, Labels = {Show.Items(Labels)} }}";
}

/// <summary>Class labels (<see cref="Generators.ClassLabels"/>) and 2 &lt;= k &lt;= min(smallest class, 10).</summary>
public sealed record StratifiedCase(int[] Labels, int K)
{
    /// <inheritdoc/>
    public override string ToString() => $"StratifiedCase {{ K = {K}, Labels = {Show.Items(Labels)} }}";
}

/// <summary>Class labels and k = smallest class + 1..5 &lt;= rows: more folds than a class has rows.</summary>
public sealed record OversizedKCase(int[] Labels, int K)
{
    /// <inheritdoc/>
    public override string ToString() => $"OversizedKCase {{ K = {K}, Labels = {Show.Items(Labels)} }}";
}

/// <summary>Group ids (<see cref="Generators.GroupLabels"/>) and 2 &lt;= k &lt;= min(groups, 8).</summary>
public sealed record GroupCase(int[] Groups, int K)
{
    /// <inheritdoc/>
    public override string ToString() => $"GroupCase {{ K = {K}, Groups = {Show.Items(Groups)} }}";
}

/// <summary>(n in 30..200, k in 2..10, repeats in 1..4).</summary>
public sealed record RepeatedCase(int N, int K, int Repeats);

/// <summary>(n in 20..400, validation and test fractions 5..40 percent).</summary>
public sealed record ThreeWayCase(int N, int ValidationPercent, int TestPercent);

/// <summary>A number of rows 2..60.</summary>
public sealed record LeaveOneOutSize(int N);

/// <summary>Binary labels drawn per group from a per-group class rate, the groups, and 2 &lt;= k &lt;= min(groups, smallest class, 8).</summary>
public sealed record StratifiedGroupCase(int[] Labels, int[] Groups, int K)
{
    /// <inheritdoc/>
    public override string ToString() => $"StratifiedGroupCase {{ K = {K}, Labels = {Show.Items(Labels)}, Groups = {Show.Items(Groups)} }}";
}

/// <summary>A finite feature matrix (<see cref="Generators.FeatureMatrix"/>), shape (1..25, 1..6).</summary>
public sealed record Features(Matrix Value)
{
    /// <inheritdoc/>
    public override string ToString() => $"Features {Show.Matrix(Value)}";
}

/// <summary>A feature matrix with about one entry in three NaN, every column with at least one value.</summary>
public sealed record FeaturesWithMissing(Matrix Value)
{
    /// <inheritdoc/>
    public override string ToString() => $"FeaturesWithMissing {Show.Matrix(Value)}";
}

/// <summary>A feature matrix with missing entries and at least one column with no value at all.</summary>
public sealed record FeaturesWithEmptyColumn(Matrix Value)
{
    /// <inheritdoc/>
    public override string ToString() => $"FeaturesWithEmptyColumn {Show.Matrix(Value)}";
}

/// <summary>A MinMaxScaler feature range (lo in -5..4, hi = lo + 1..5).</summary>
public sealed record FeatureRange(int Lo, int Hi);

/// <summary>Points on a grid of step 1/4 in [-5, 5] (ties and duplicates), shape (4..40, 1..3).</summary>
public sealed record GridPoints(Matrix Value)
{
    /// <inheritdoc/>
    public override string ToString() => $"GridPoints {Show.Matrix(Value)}";
}

/// <summary>Grid points and a number of clusters 1..5 &lt;= rows.</summary>
public sealed record KMeansCase(Matrix X, int K)
{
    /// <inheritdoc/>
    public override string ToString() => $"KMeansCase {{ K = {K}, X = {Show.Matrix(X)} }}";
}

/// <summary>Grid points, eps in 1/4 .. 3 and min_samples 1..6.</summary>
public sealed record DbscanCase(Matrix X, double Eps, int MinSamples)
{
    /// <inheritdoc/>
    public override string ToString() => $"DbscanCase {{ Eps = {Eps}, MinSamples = {MinSamples}, X = {Show.Matrix(X)} }}";
}

/// <summary>An SPD order around block boundaries (never a multiple of 64) and a seed for its entries.</summary>
public sealed record SpdCase(int N, long Seed);

/// <summary>A kernel of depth &lt;= 2 and 2..8 input rows of 1..3 features on a 0.1 grid in [-2, 2].</summary>
public sealed record KernelCase(Pure.Materials.Models.Gaussian.Kernel Kernel, Matrix X)
{
    /// <inheritdoc/>
    public override string ToString() => $"KernelCase {{ Kernel = {Kernel}, X = {Show.Matrix(X)} }}";
}

/// <summary>2..10 distinct training rows of 2 features on a 0.1 grid in [-2, 2], targets, an RBF length scale and normalize_y.</summary>
public sealed record PosteriorCase(Matrix X, double[] Y, double LengthScale, bool NormalizeY)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"PosteriorCase {{ LengthScale = {LengthScale}, NormalizeY = {NormalizeY}, X = {Show.Matrix(X)}, Y = {Show.Items(Y)} }}";
}

/// <summary>A predictive mean, standard deviation (0 one time in five), incumbent, xi and goal.</summary>
public sealed record AcquisitionCase(double Mu, double Sigma, double Best, double Xi, Pure.Materials.Active.Goal Goal);

/// <summary>A design (<see cref="Generators.Design"/>), targets, weights, intercept and penalty alpha in {0, 0.1, 1, 10}.</summary>
public sealed record LinearCase(Matrix X, double[] Y, double[] W, double B, double Alpha)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"LinearCase {{ Alpha = {Alpha}, B = {B}, W = {Show.Items(W)}, Y = {Show.Items(Y)}, X = {Show.Matrix(X)} }}";
}

/// <summary>A design, class indices 0..k-1 (k in 2..4, all present), parameters theta (layout of LogisticRegression.Loss) and C.</summary>
public sealed record LogisticCase(Matrix X, int[] Y, int K, double[] Theta, double C)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"LogisticCase {{ K = {K}, C = {C}, Theta = {Show.Items(Theta)}, Y = {Show.Items(Y)}, X = {Show.Matrix(X)} }}";
}

/// <summary>A design and kernel-ridge kernel options.</summary>
public sealed record KernelMatrixCase(Matrix X, Pure.Materials.Models.KernelMethods.KernelOptions Options)
{
    /// <inheritdoc/>
    public override string ToString() => $"KernelMatrixCase {{ Options = {Options}, X = {Show.Matrix(X)} }}";
}

/// <summary>k classes (2, 3), true labels (all present when n &gt;= k), predicted labels and raw probability weights 0..1000.</summary>
public sealed record MetricsCase(int K, int[] YTrue, int[] YPred, int[] Raw)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"MetricsCase {{ K = {K}, YTrue = {Show.Items(YTrue)}, YPred = {Show.Items(YPred)}, Raw = {Show.Items(Raw)} }}";
}

/// <summary>An SVM problem: n in 6..40 rows and d in 1..4 features drawn from <paramref name="Seed"/>, a kernel, C, epsilon and shrinking.</summary>
/// <param name="Seed">Seed of the data.</param>
/// <param name="N">Rows.</param>
/// <param name="D">Features.</param>
/// <param name="Kernel">Kernel options.</param>
/// <param name="C">C.</param>
/// <param name="Epsilon">SVR epsilon.</param>
/// <param name="Shrinking">libsvm shrinking heuristic.</param>
public sealed record SvmCase(int Seed, int N, int D, Pure.Materials.Models.SupportVector.SvmKernelOptions Kernel, double C, double Epsilon, bool Shrinking)
{
    /// <summary>Features in [-2, 2) and targets sin(x_0) + noise, from the seed.</summary>
    public (Matrix X, double[] Y) Data()
    {
        var rng = Rng.FromSeed(Seed);
        var data = new double[N * D];
        for (var k = 0; k < data.Length; k++) { (var u, rng) = rng.NextDouble(); data[k] = 4 * u - 2; }
        var y = new double[N];
        for (var i = 0; i < N; i++) { (var u, rng) = rng.NextDouble(); y[i] = Math.Sin(data[i * D]) + 0.5 * (u - 0.5); }
        return (Matrix.FromRowMajor(N, D, data), y);
    }
}

/// <summary>Text forms of arrays and matrices for failure reports (round-trip numbers).</summary>
public static class Show
{
    /// <summary>[a, b, ...] with round-trip numbers.</summary>
    public static string Items<T>(IEnumerable<T> items) =>
        "[" + string.Join(", ", items.Select(v => v is IFormattable f ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : v?.ToString())) + "]";

    /// <summary>(rows x cols) [[row 0], [row 1], ...].</summary>
    public static string Matrix(Matrix x) =>
        $"({x.Rows} x {x.Cols}) [" + string.Join(", ", Enumerable.Range(0, x.Rows).Select(i => Items(x.Row(i).ToArray()))) + "]";
}

/// <summary>Shrink candidates shared by the arbitraries.</summary>
public static class Shrinks
{
    /// <summary>target, then values ever closer to v (halving the distance), excluding v.</summary>
    public static IEnumerable<int> Toward(int v, int target)
    {
        for (var d = v - target; d != 0; d /= 2) yield return v - d;
    }

    /// <summary>target, then values ever closer to v (halving the distance), excluding v.</summary>
    public static IEnumerable<long> Toward(long v, long target)
    {
        for (var d = v - target; d != 0; d /= 2) yield return v - d;
    }

    /// <summary>Index sets that drop rows of an n-row table: the second half, then each single row, keeping at least <paramref name="min"/>.</summary>
    public static IEnumerable<int[]> Keep(int n, int min)
    {
        if (n / 2 >= min && n / 2 < n - 1) yield return [.. Enumerable.Range(0, n / 2)];
        if (n - 1 < min) yield break;
        for (var i = n - 1; i >= 0; i--) yield return [.. Enumerable.Range(0, n).Where(r => r != i)];
    }

    /// <summary>The columns <paramref name="keep"/> of x.</summary>
    public static Matrix Columns(Matrix x, int[] keep) => Matrix.Build(x.Rows, keep.Length, (i, j) => x[i, keep[j]]);

    /// <summary>x with fewer rows (<see cref="Keep"/>) or one column fewer, as (rows kept, columns kept).</summary>
    public static IEnumerable<(int[] Rows, int[] Cols)> Submatrices(Matrix x, int minRows, int minCols)
    {
        var allCols = Enumerable.Range(0, x.Cols).ToArray();
        foreach (var rows in Keep(x.Rows, minRows)) yield return (rows, allCols);
        var allRows = Enumerable.Range(0, x.Rows).ToArray();
        if (x.Cols > minCols)
            for (var j = x.Cols - 1; j >= 0; j--) yield return (allRows, [.. allCols.Where(c => c != j)]);
    }

    /// <summary>The rows and columns of x named by s.</summary>
    public static Matrix Sub(Matrix x, (int[] Rows, int[] Cols) s) => Columns(x.SelectRows(s.Rows), s.Cols);

    /// <summary>c without one element (keeping at least <paramref name="minCount"/>), then with one amount set to <paramref name="simple"/>.</summary>
    public static IEnumerable<Composition> Composition(Composition c, int minCount, double simple)
    {
        if (c.Count > minCount)
            for (var k = c.Count - 1; k >= 0; k--)
                yield return Pure.Materials.Data.Composition.FromAmounts(
                    Enumerable.Range(0, c.Count).Where(i => i != k).Select(i => (c.AtomicNumbers[i], c.Amounts[i]))).OrThrow();
        for (var k = 0; k < c.Count; k++)
            if (c.Amounts[k] != simple)
                yield return Pure.Materials.Data.Composition.FromAmounts(
                    Enumerable.Range(0, c.Count).Select(i => (c.AtomicNumbers[i], i == k ? simple : c.Amounts[i]))).OrThrow();
    }

    /// <summary>Labels with one row removed, where the row's label keeps at least <paramref name="minPerLabel"/> rows.</summary>
    public static IEnumerable<int[]> DropLabelRows(int[] labels, int minPerLabel)
    {
        var counts = labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var tried = new HashSet<int>();
        for (var i = labels.Length - 1; i >= 0; i--)
            if (counts[labels[i]] > minPerLabel && tried.Add(labels[i]))
                yield return [.. labels.Where((_, r) => r != i)];
    }
}

/// <summary>The arbitraries (generator + shrinker) of every parameter type of the properties, registered for the whole assembly
/// by <c>[assembly: Properties(Arbitrary = ...)]</c>.</summary>
public static class Arbitraries
{
    private static readonly Arbitrary<long> Longs = ArbMap.Default.ArbFor<long>();
    private static readonly Arbitrary<string> Strings = ArbMap.Default.ArbFor<string>();

    /// <summary>Seeds; shrink towards 0.</summary>
    public static Arbitrary<RngSeed> RngSeed() =>
        Arb.From(Generators.Seed.Select(s => new RngSeed(s)), s => Longs.Shrinker(s.Value).Select(v => new RngSeed(v)));

    /// <summary>Caps the size at 100: FsCheck grows the size with every discarded case too, and a property that discards most
    /// cases would otherwise reach sizes in the thousands (strings of that length).</summary>
    private static Gen<T> AtMostSize100<T>(Gen<T> gen) => Gen.Sized(size => gen.Resize(Math.Min(size, 100)));

    /// <summary>Formula-like strings; any string is a valid case, so they shrink as strings do.</summary>
    public static Arbitrary<FormulaText> FormulaText() =>
        Arb.From(AtMostSize100(Generators.FormulaLikeString.Or(Generators.FormulaTokenString)).Select(s => new FormulaText(s)),
            t => Strings.Shrinker(t.Value).Where(s => s is not null).Select(s => new FormulaText(s)));

    /// <summary>Up to 20 tokens of <see cref="Generators.FormulaTokenString"/> without those that always make a formula invalid
    /// (unknown symbols, signs, lone exponents, overflowing amounts), so that many parse; shrink as strings.</summary>
    public static Arbitrary<TokenFormulaText> TokenFormulaText() =>
        Arb.From(Gen.Sized(size => Gen.Elements(
                    "H", "He", "O", "Fe", "Og", "2", "0", "10", "0.5", ".5", "1.75", "1e-3", "5H2O", "H2O", "(", ")", "[", "]", "·", "*", " ")
                .ArrayOf().Resize(Math.Min(size, 20)).Select(parts => string.Concat(parts))).Select(s => new TokenFormulaText(s)),
            t => Strings.Shrinker(t.Value).Where(s => s is not null).Select(s => new TokenFormulaText(s)));

    /// <summary>Long token strings; shrink as strings.</summary>
    public static Arbitrary<LongFormulaText> LongFormulaText() =>
        Arb.From(Generators.FormulaTokenString.Resize(4000).Select(s => new LongFormulaText(s)),
            t => Strings.Shrinker(t.Value).Where(s => s is not null).Select(s => new LongFormulaText(s)));

    /// <summary>Valid formulas; no shrinker (the text and its atoms are built together, and a part of a formula is not one).</summary>
    public static Arbitrary<ValidFormulaCase> ValidFormula() =>
        Arb.From(Generators.ValidFormula.Select(t => new ValidFormulaCase(t.Formula, t.Atoms)));

    /// <summary>Compositions; shrink by dropping elements and setting amounts to 1.</summary>
    public static Arbitrary<AnyComposition> AnyComposition() =>
        Arb.From(Generators.Composition.Select(c => new AnyComposition(c)), c => Shrinks.Composition(c.Value, 1, 1).Select(v => new AnyComposition(v)));

    /// <summary>Whole-amount compositions; shrink by dropping elements and setting amounts to 1.</summary>
    public static Arbitrary<WholeAmounts> WholeAmounts() =>
        Arb.From(Generators.WholeComposition.Select(c => new WholeAmounts(c)), c => Shrinks.Composition(c.Value, 1, 1).Select(v => new WholeAmounts(v)));

    /// <summary>Grid compositions; shrink by dropping elements and setting amounts to 1.</summary>
    public static Arbitrary<GridAmounts> GridAmounts() =>
        Arb.From(Generators.GridComposition.Select(c => new GridAmounts(c)), c => Shrinks.Composition(c.Value, 1, 1).Select(v => new GridAmounts(v)));

    /// <summary>Grid compositions up to Lr; shrink by dropping elements and setting amounts to 1.</summary>
    public static Arbitrary<GridAmountsUpToLr> GridAmountsUpToLr() =>
        Arb.From(Generators.GridCompositionUpToLr.Select(c => new GridAmountsUpToLr(c)), c => Shrinks.Composition(c.Value, 1, 1).Select(v => new GridAmountsUpToLr(v)));

    /// <summary>Small whole compositions; shrink by dropping elements (keeping 2) and setting amounts to 1.</summary>
    public static Arbitrary<SmallWholeAmounts> SmallWholeAmounts() =>
        Arb.From(Generators.SmallIntegerComposition.Select(c => new SmallWholeAmounts(c)), c => Shrinks.Composition(c.Value, 2, 1).Select(v => new SmallWholeAmounts(v)));

    /// <summary>The distribution of <see cref="Generators.SmallIntegerComposition"/>, drawn without shuffling all 103 elements
    /// (distinct atomic numbers by rejection), since the balanced arbitrary redraws about fourteen times per case.</summary>
    private static readonly Gen<Composition> SmallWholeDraw =
        from n in Gen.Choose(2, 4)
        from zs in Gen.ArrayOf(Gen.Choose(1, 103), n).Where(zs => zs.Distinct().Count() == zs.Length)
        from amounts in Gen.ArrayOf(Gen.Choose(1, 5), n)
        select Pure.Materials.Data.Composition.FromAmounts(zs.Zip(amounts.Select(a => (double)a))).OrThrow();

    private static bool Balanced(Composition c) => Pure.Materials.Featurize.CompositionFeaturizer.Featurize(Pure.Materials.Featurize.IonProperty.Default, c)[0] == 1;

    /// <summary>Charge-balanced small compositions (about one small composition in twenty is; the rest are redrawn); shrink as
    /// <see cref="SmallWholeAmounts"/> while the composition stays balanced.</summary>
    public static Arbitrary<BalancedSmallWholeAmounts> BalancedSmallWholeAmounts() =>
        Arb.From(SmallWholeDraw.Where(Balanced).Select(c => new BalancedSmallWholeAmounts(c)),
            c => Shrinks.Composition(c.Value, 2, 1).Where(Balanced).Select(v => new BalancedSmallWholeAmounts(v)));

    /// <summary>1..50, shrinks towards 1.</summary>
    public static Arbitrary<WholeMultiple> WholeMultiple() =>
        Arb.From(Gen.Choose(1, 50).Select(k => new WholeMultiple(k)), m => Shrinks.Toward(m.Value, 1).Select(k => new WholeMultiple(k)));

    /// <summary>2..9, shrinks towards 2.</summary>
    public static Arbitrary<GroupMultiple> GroupMultiple() =>
        Arb.From(Gen.Choose(2, 9).Select(k => new GroupMultiple(k)), m => Shrinks.Toward(m.Value, 2).Select(k => new GroupMultiple(k)));

    /// <summary>2..4, shrinks towards 2.</summary>
    public static Arbitrary<SmallMultiple> SmallMultiple() =>
        Arb.From(Gen.Choose(2, 4).Select(k => new SmallMultiple(k)), m => Shrinks.Toward(m.Value, 2).Select(k => new SmallMultiple(k)));

    /// <summary>Powers of two other than 1; shrink towards 2.</summary>
    public static Arbitrary<PowerOfTwoFactor> PowerOfTwoFactor() =>
        Arb.From(Generators.PowerOfTwo.Select(k => new PowerOfTwoFactor(k)), f => f.Value == 2 ? [] : new[] { new PowerOfTwoFactor(2) });

    /// <summary>Perovskite site fractions; shrink by setting a fraction to 0 or to 1 while every site keeps a positive total.</summary>
    public static Arbitrary<SiteFractions> SiteFractions()
    {
        var sites = Pure.Materials.Featurize.SiteAveraged.PerovskiteSites;
        var columns = sites.SelectMany(s => s.Species).ToArray();
        bool Valid(double[] fr) => sites.All(s => s.Species.Sum(sp => fr[Array.IndexOf(columns, sp)]) > 0);
        var gen = Gen.ArrayOf(Gen.Choose(0, 8).Select(k => k / 8.0), columns.Length).Where(Valid).Select(fr => new SiteFractions(fr));
        IEnumerable<SiteFractions> Shrink(SiteFractions f) =>
            from j in Enumerable.Range(0, f.Value.Length)
            from v in new[] { 0.0, 1.0 }
            where f.Value[j] != v && (v == 1.0 || f.Value[j] != 1.0)
            let fr = f.Value.Select((x, i) => i == j ? v : x).ToArray()
            where Valid(fr)
            select new SiteFractions(fr);
        return Arb.From(gen, Shrink);
    }

    /// <summary>k-fold sizes; n shrinks towards k (at least 2), k towards 2, shuffle towards false.</summary>
    public static Arbitrary<KFoldCase> KFold() =>
        Arb.From(
            from n in Gen.Choose(2, 300) from k in Gen.Choose(2, Math.Min(n, 20)) from shuffle in Gen.Elements(true, false) select new KFoldCase(n, k, shuffle),
            c => Shrinks.Toward(c.N, Math.Max(2, c.K)).Select(n => c with { N = n })
                .Concat(Shrinks.Toward(c.K, 2).Select(k => c with { K = k }))
                .Concat(c.Shuffle ? [c with { Shuffle = false }] : []));

    /// <summary>Train/test sizes; n shrinks towards 0, the fraction towards one half.</summary>
    public static Arbitrary<TrainTestCase> TrainTest() =>
        Arb.From(
            from n in Gen.Choose(0, 400) from p in Gen.Choose(1, 999) select new TrainTestCase(n, p),
            c => Shrinks.Toward(c.N, 0).Select(n => c with { N = n }).Concat(Shrinks.Toward(c.Permille, 500).Select(p => c with { Permille = p })));

    /// <summary>Train/test sizes whose test side is empty or everything; n shrinks towards 0 (with permille 999, valid for every n).</summary>
    public static Arbitrary<EmptySideCase> EmptySide() =>
        Arb.From(
            from n in Gen.Choose(0, 400)
            from p in n == 0 ? Gen.Choose(1, 999) : Gen.Choose((int)Math.Floor(1000 - 1000.0 / n) + 1, 999)
            select new EmptySideCase(n, p),
            c => Shrinks.Toward(c.N, 0).Select(n => new EmptySideCase(n, 999)));

    /// <summary>Fold labels; shrink by dropping rows (keeping one of each label) or the largest label.</summary>
    public static Arbitrary<FoldLabelsCase> FoldLabels() =>
        Arb.From(Generators.FoldLabels.Select(l => new FoldLabelsCase(l)), c => ShrinkFoldLabels(c.Labels).Select(l => new FoldLabelsCase(l)));

    private static IEnumerable<int[]> ShrinkFoldLabels(int[] labels)
    {
        var max = labels.Max();
        if (max > 1) yield return [.. labels.Where(l => l != max)];
        foreach (var l in Shrinks.DropLabelRows(labels, 2)) yield return l;
    }

    /// <summary>Fold labels with a label to drop below the largest; shrink the labels (the dropped label stays below the largest).</summary>
    public static Arbitrary<MissingFoldCase> MissingFold() =>
        Arb.From(
            from labels in Generators.FoldLabels from drop in Gen.Choose(0, 7) where drop < labels.Max() select new MissingFoldCase(labels, drop),
            c => ShrinkFoldLabels(c.Labels).Where(l => c.Drop < l.Max()).Select(l => c with { Labels = l })
                .Concat(Shrinks.Toward(c.Drop, 0).Select(d => c with { Drop = d })));

    /// <summary>Class labels with k &lt;= min(smallest class, 10); shrink rows (classes keep max(k, 2) rows) and k towards 2.</summary>
    public static Arbitrary<StratifiedCase> Stratified() =>
        Arb.From(
            from labels in Generators.ClassLabels
            let minCount = labels.GroupBy(l => l).Min(g => g.Count())
            from k in Gen.Choose(2, Math.Min(minCount, 10))
            select new StratifiedCase(labels, k),
            c => Shrinks.DropLabelRows(c.Labels, Math.Max(2, c.K)).Select(l => c with { Labels = l })
                .Concat(Shrinks.Toward(c.K, 2).Select(k => c with { K = k })));

    /// <summary>Class labels with k = smallest class + 1..5 &lt;= rows; shrink rows keeping k above the smallest class and at most the rows.</summary>
    public static Arbitrary<OversizedKCase> OversizedK() =>
        Arb.From(
            from labels in Generators.ClassLabels
            let minCount = labels.GroupBy(l => l).Min(g => g.Count())
            from extra in Gen.Choose(1, 5)
            where minCount + extra <= labels.Length
            select new OversizedKCase(labels, minCount + extra),
            c => Shrinks.DropLabelRows(c.Labels, 1).Where(l => l.Distinct().Count() >= 2 && l.Length >= c.K).Select(l => c with { Labels = l })
                .Concat(Shrinks.Toward(c.K, 2).Select(k => c with { K = k }))
                .Where(s => s.K > s.Labels.GroupBy(l => l).Min(g => g.Count())));

    /// <summary>Groups with k &lt;= min(groups, 8); shrink rows (keeping at least k groups) and k towards 2.</summary>
    public static Arbitrary<GroupCase> Group() =>
        Arb.From(
            from groups in Generators.GroupLabels
            let nGroups = groups.Distinct().Count()
            from k in Gen.Choose(2, Math.Min(nGroups, 8))
            select new GroupCase(groups, k),
            c => Shrinks.Keep(c.Groups.Length, 2).Select(rows => c with { Groups = [.. rows.Select(i => c.Groups[i])] })
                .Where(s => s.Groups.Distinct().Count() >= s.K)
                .Concat(Shrinks.Toward(c.K, 2).Select(k => c with { K = k })));

    /// <summary>Repeated k-fold sizes; shrink towards (30, 2, 1).</summary>
    public static Arbitrary<RepeatedCase> Repeated() =>
        Arb.From(
            from n in Gen.Choose(30, 200) from k in Gen.Choose(2, 10) from r in Gen.Choose(1, 4) select new RepeatedCase(n, k, r),
            c => Shrinks.Toward(c.N, 30).Select(n => c with { N = n }).Concat(Shrinks.Toward(c.K, 2).Select(k => c with { K = k }))
                .Concat(Shrinks.Toward(c.Repeats, 1).Select(r => c with { Repeats = r })));

    /// <summary>Three-way split sizes; shrink towards (20, 5 %, 5 %).</summary>
    public static Arbitrary<ThreeWayCase> ThreeWay() =>
        Arb.From(
            from n in Gen.Choose(20, 400) from v in Gen.Choose(5, 40) from t in Gen.Choose(5, 40) select new ThreeWayCase(n, v, t),
            c => Shrinks.Toward(c.N, 20).Select(n => c with { N = n }).Concat(Shrinks.Toward(c.ValidationPercent, 5).Select(v => c with { ValidationPercent = v }))
                .Concat(Shrinks.Toward(c.TestPercent, 5).Select(t => c with { TestPercent = t })));

    /// <summary>2..60 rows, shrinks towards 2.</summary>
    public static Arbitrary<LeaveOneOutSize> LeaveOneOut() =>
        Arb.From(Gen.Choose(2, 60).Select(n => new LeaveOneOutSize(n)), s => Shrinks.Toward(s.N, 2).Select(n => new LeaveOneOutSize(n)));

    private static bool ValidStratifiedGroups(StratifiedGroupCase c)
    {
        var counts = c.Labels.GroupBy(l => l).Select(g => g.Count()).ToArray();
        return counts.Length >= 2 && c.K <= counts.Min() && c.K <= c.Groups.Distinct().Count();
    }

    /// <summary>Grouped binary labels; shrink rows (labels and groups together) and k towards 2, keeping both classes and k feasible.</summary>
    public static Arbitrary<StratifiedGroupCase> StratifiedGroup()
    {
        var gen =
            from groups in Generators.GroupLabels
            from labelSeed in Generators.Seed
            let labels = GroupedLabels(groups, labelSeed)
            let nGroups = groups.Distinct().Count()
            let minClass = labels.GroupBy(l => l).Min(g => g.Count())
            where labels.Distinct().Count() >= 2
            from k in Gen.Choose(2, Math.Max(2, Math.Min(Math.Min(nGroups, minClass), 8)))
            select new StratifiedGroupCase(labels, groups, k);
        return Arb.From(gen.Where(ValidStratifiedGroups), c =>
            Shrinks.Keep(c.Labels.Length, 2).Select(rows => c with { Labels = [.. rows.Select(i => c.Labels[i])], Groups = [.. rows.Select(i => c.Groups[i])] })
                .Concat(Shrinks.Toward(c.K, 2).Select(k => c with { K = k }))
                .Where(ValidStratifiedGroups));
    }

    private static int[] GroupedLabels(int[] groups, long seed)
    {
        var cursor = new RngCursor(Rng.FromSeed(seed));
        var rate = groups.Distinct().ToDictionary(g => g, _ => cursor.NextDouble());
        return groups.Select(g => cursor.NextDouble() < rate[g] ? 1 : 0).ToArray();
    }

    /// <summary>Feature matrices; shrink rows (keeping 1) and columns (keeping 1).</summary>
    public static Arbitrary<Features> Features() =>
        Arb.From(Generators.FeatureMatrix.Select(x => new Features(x)),
            f => Shrinks.Submatrices(f.Value, 1, 1).Select(s => new Features(Shrinks.Sub(f.Value, s))));

    private static bool EveryColumnObserved(Matrix x) => Enumerable.Range(0, x.Cols).All(j => x.Column(j).Any(v => !double.IsNaN(v)));

    /// <summary>Matrices with missing values and no empty column; shrink rows and columns while every column keeps a value.</summary>
    public static Arbitrary<FeaturesWithMissing> FeaturesWithMissing() =>
        Arb.From(Generators.FeatureMatrixWithMissing.Where(EveryColumnObserved).Select(x => new FeaturesWithMissing(x)),
            f => Shrinks.Submatrices(f.Value, 1, 1).Select(s => Shrinks.Sub(f.Value, s)).Where(EveryColumnObserved).Select(x => new FeaturesWithMissing(x)));

    /// <summary>Matrices with missing values and one to all columns empty (one chosen column is blanked); shrink rows and columns
    /// while a column stays empty.</summary>
    public static Arbitrary<FeaturesWithEmptyColumn> FeaturesWithEmptyColumn() =>
        Arb.From(
            from x in Generators.FeatureMatrixWithMissing
            from blank in Gen.Choose(0, x.Cols - 1)
            select new FeaturesWithEmptyColumn(Matrix.Build(x.Rows, x.Cols, (i, j) => j == blank ? double.NaN : x[i, j])),
            f => Shrinks.Submatrices(f.Value, 1, 1).Select(s => Shrinks.Sub(f.Value, s)).Where(x => !EveryColumnObserved(x))
                .Select(x => new FeaturesWithEmptyColumn(x)));

    /// <summary>Feature ranges; shrink towards [0, 1].</summary>
    public static Arbitrary<FeatureRange> FeatureRange() =>
        Arb.From(from lo in Gen.Choose(-5, 4) from width in Gen.Choose(1, 5) select new FeatureRange(lo, lo + width),
            r => Shrinks.Toward(r.Lo, 0).Select(lo => new FeatureRange(lo, lo + r.Hi - r.Lo))
                .Concat(Shrinks.Toward(r.Hi - r.Lo, 1).Select(w => new FeatureRange(r.Lo, r.Lo + w))));

    private static readonly Gen<Matrix> Points =
        from rows in Gen.Choose(4, 40)
        from cols in Gen.Choose(1, 3)
        from values in Gen.ArrayOf(Gen.Choose(-20, 20), rows * cols)
        select Matrix.Build(rows, cols, (i, j) => values[i * cols + j] / 4.0);

    /// <summary>Grid points; shrink rows (keeping 4) and columns.</summary>
    public static Arbitrary<GridPoints> GridPoints() =>
        Arb.From(Points.Select(x => new GridPoints(x)), p => Shrinks.Submatrices(p.Value, 4, 1).Select(s => new GridPoints(Shrinks.Sub(p.Value, s))));

    /// <summary>k-means cases; shrink rows (keeping k and 4), columns and k towards 1.</summary>
    public static Arbitrary<KMeansCase> KMeans() =>
        Arb.From(from x in Points from k in Gen.Choose(1, Math.Min(5, x.Rows)) select new KMeansCase(x, k),
            c => Shrinks.Submatrices(c.X, Math.Max(4, c.K), 1).Select(s => c with { X = Shrinks.Sub(c.X, s) })
                .Concat(Shrinks.Toward(c.K, 1).Select(k => c with { K = k })));

    /// <summary>DBSCAN cases; shrink rows (keeping 4), columns, eps towards 1 and min_samples towards 1.</summary>
    public static Arbitrary<DbscanCase> Dbscan() =>
        Arb.From(from x in Points from eps in Gen.Choose(1, 12) from minSamples in Gen.Choose(1, 6) select new DbscanCase(x, eps / 4.0, minSamples),
            c => Shrinks.Submatrices(c.X, 4, 1).Select(s => c with { X = Shrinks.Sub(c.X, s) })
                .Concat(Shrinks.Toward((int)(c.Eps * 4), 4).Select(e => c with { Eps = e / 4.0 }))
                .Concat(Shrinks.Toward(c.MinSamples, 1).Select(m => c with { MinSamples = m })));

    private static readonly int[] SpdOrders = [1, 2, 7, 63, 65, 100, 129, 191, 300];

    /// <summary>SPD orders around the block boundaries; shrink to the smaller orders of the list.</summary>
    public static Arbitrary<SpdCase> Spd() =>
        Arb.From(from n in Gen.Elements(SpdOrders) from seed in Gen.Choose(0, 1_000_000) select new SpdCase(n, seed),
            c => SpdOrders.Where(n => n < c.N).Select(n => c with { N = n }));

    /// <summary>Kernels with inputs; shrink a sum, product or power to its operands, and drop input rows (keeping 2).</summary>
    public static Arbitrary<KernelCase> Kernel() =>
        Arb.From(Generators.KernelAndInputs.Select(t => new KernelCase(t.Kernel, t.X)),
            c => KernelParts(c.Kernel).Select(k => c with { Kernel = k })
                .Concat(Shrinks.Keep(c.X.Rows, 2).Select(rows => c with { X = c.X.SelectRows(rows) })));

    private static IEnumerable<Pure.Materials.Models.Gaussian.Kernel> KernelParts(Pure.Materials.Models.Gaussian.Kernel k) => k switch
    {
        Pure.Materials.Models.Gaussian.SumKernel s => [s.K1, s.K2],
        Pure.Materials.Models.Gaussian.ProductKernel p => [p.K1, p.K2],
        Pure.Materials.Models.Gaussian.ExponentiationKernel e => [e.Kernel],
        _ => [],
    };

    /// <summary>Distinct training points on the 0.1 grid; shrink rows (keeping 2) and the length scale towards 1.</summary>
    public static Arbitrary<PosteriorCase> Posterior()
    {
        var gen =
            from rows in Gen.Choose(2, 10)
            from cells in Gen.Shuffle(Enumerable.Range(0, 41 * 41))
            from ys in Gen.ArrayOf(Gen.Choose(-100, 100), rows)
            from ls in Generators.LengthScale
            from normalize in Gen.Elements(true, false)
            let chosen = cells.Take(rows).ToArray()
            select new PosteriorCase(Matrix.Build(rows, 2, (i, j) => ((j == 0 ? chosen[i] / 41 : chosen[i] % 41) - 20) / 10.0),
                ys.Select(v => v / 10.0).ToArray(), ls, normalize);
        return Arb.From(gen, c =>
            Shrinks.Keep(c.X.Rows, 2).Select(rows => c with { X = c.X.SelectRows(rows), Y = [.. rows.Select(i => c.Y[i])] })
                .Concat(c.LengthScale == 1 ? [] : new[] { c with { LengthScale = 1 } }));
    }

    /// <summary>Acquisition inputs on grids; shrink sigma, mu, best and xi towards 0.</summary>
    public static Arbitrary<AcquisitionCase> Acquisition() =>
        Arb.From(
            from mu in Gen.Choose(-1000, 1000)
            from sigma in Gen.Frequency((1, Gen.Constant(0)), (4, Gen.Choose(0, 1000)))
            from best in Gen.Choose(-1000, 1000)
            from xi in Gen.Choose(0, 100)
            from max in Gen.Elements(true, false)
            select new AcquisitionCase(mu / 100.0, sigma / 100.0, best / 100.0, xi / 1000.0, max ? Pure.Materials.Active.Goal.Maximize : Pure.Materials.Active.Goal.Minimize),
            c => Shrinks.Toward((int)Math.Round(c.Sigma * 100), 0).Select(s => c with { Sigma = s / 100.0 })
                .Concat(Shrinks.Toward((int)Math.Round(c.Mu * 100), 0).Select(m => c with { Mu = m / 100.0 }))
                .Concat(Shrinks.Toward((int)Math.Round(c.Best * 100), 0).Select(b => c with { Best = b / 100.0 }))
                .Concat(Shrinks.Toward((int)Math.Round(c.Xi * 1000), 0).Select(x => c with { Xi = x / 1000.0 })));

    /// <summary>Linear least-squares cases; shrink rows (keeping 4) and columns (keeping 1) with their targets and weights.</summary>
    public static Arbitrary<LinearCase> Linear() =>
        Arb.From(
            from x in Generators.Design
            from y in Generators.SmallVector(x.Rows)
            from w in Generators.SmallVector(x.Cols)
            from b in Gen.Choose(-3000, 3000)
            from alpha in Gen.Elements(0.0, 0.1, 1.0, 10.0)
            select new LinearCase(x, y, w, b / 1000.0, alpha),
            c => Shrinks.Submatrices(c.X, 4, 1).Select(s => c with
            {
                X = Shrinks.Sub(c.X, s), Y = [.. s.Rows.Select(i => c.Y[i])], W = [.. s.Cols.Select(j => c.W[j])],
            }));

    /// <summary>Logistic cases; shrink rows (keeping every class present) and columns (dropping their weights from theta).</summary>
    public static Arbitrary<LogisticCase> Logistic() =>
        Arb.From(
            from x in Generators.Design
            from k in Gen.Elements(2, 3, 4)
            from y in Generators.ClassIndices(x.Rows, k)
            from theta in Generators.SmallVector((k == 2 ? 1 : k) * (x.Cols + 1))
            from c in Gen.Elements(0.01, 1.0, 10.0)
            select new LogisticCase(x, y, k, theta, c),
            c =>
            {
                var vectors = c.K == 2 ? 1 : c.K;
                var d = c.X.Cols + 1;
                return Shrinks.Submatrices(c.X, 4, 1)
                    .Where(s => s.Rows.Select(i => c.Y[i]).Distinct().Count() == c.K)
                    .Select(s => c with
                    {
                        X = Shrinks.Sub(c.X, s),
                        Y = [.. s.Rows.Select(i => c.Y[i])],
                        Theta = [.. Enumerable.Range(0, vectors).SelectMany(v => s.Cols.Select(j => c.Theta[v * d + j]).Append(c.Theta[v * d + d - 1]))],
                    });
            });

    /// <summary>Kernel-matrix cases; shrink rows and columns of the design.</summary>
    public static Arbitrary<KernelMatrixCase> KernelMatrix() =>
        Arb.From(
            from x in Generators.Design
            from kind in Gen.Elements(Pure.Materials.Models.KernelMethods.KernelKind.Linear, Pure.Materials.Models.KernelMethods.KernelKind.Polynomial,
                Pure.Materials.Models.KernelMethods.KernelKind.Rbf, Pure.Materials.Models.KernelMethods.KernelKind.Laplacian)
            from gamma in Gen.Elements<double?>(null, 0.01, 0.5, 3.0)
            from degree in Gen.Choose(1, 4)
            from coef0 in Gen.Elements(0.0, 1.0, 2.5)
            select new KernelMatrixCase(x, new Pure.Materials.Models.KernelMethods.KernelOptions { Kind = kind, Gamma = gamma, Degree = degree, Coef0 = coef0 }),
            c => Shrinks.Submatrices(c.X, 1, 1).Select(s => c with { X = Shrinks.Sub(c.X, s) }));

    /// <summary>Classification-metric cases; shrink rows (keeping 2 and, when there were, every class).</summary>
    public static Arbitrary<MetricsCase> Metrics() =>
        Arb.From(
            from n in Gen.Choose(2, 60)
            from k in Gen.Elements(2, 3)
            from yTrue in Generators.ClassIndices(n, k)
            from yPred in Gen.ArrayOf(Gen.Choose(0, k - 1), n)
            from raw in Gen.ArrayOf(Gen.Choose(0, 1000), n * k)
            select new MetricsCase(k, yTrue, yPred, raw),
            c => Shrinks.Keep(c.YTrue.Length, 2)
                .Where(rows => rows.Select(i => c.YTrue[i]).Distinct().Count() == c.YTrue.Distinct().Count())
                .Select(rows => c with
                {
                    YTrue = [.. rows.Select(i => c.YTrue[i])], YPred = [.. rows.Select(i => c.YPred[i])],
                    Raw = [.. rows.SelectMany(i => c.Raw.Skip(i * c.K).Take(c.K))],
                }));

    /// <summary>SVM problems; shrink n towards 6, d towards 1, shrinking towards false.</summary>
    public static Arbitrary<SvmCase> Svm() =>
        Arb.From(
            from seed in Gen.Choose(0, int.MaxValue)
            from n in Gen.Choose(6, 40)
            from d in Gen.Choose(1, 4)
            from kind in Gen.Elements(Pure.Materials.Models.SupportVector.SvmKernelKind.Linear, Pure.Materials.Models.SupportVector.SvmKernelKind.Poly,
                Pure.Materials.Models.SupportVector.SvmKernelKind.Rbf, Pure.Materials.Models.SupportVector.SvmKernelKind.Sigmoid)
            from c in Gen.Elements(0.05, 1.0, 10.0)
            from eps in Gen.Elements(0.0, 0.05, 0.3)
            from gamma in Gen.Elements(Pure.Materials.Models.SupportVector.SvmGamma.Scale, Pure.Materials.Models.SupportVector.SvmGamma.Auto,
                Pure.Materials.Models.SupportVector.SvmGamma.Of(0.3))
            from shrinking in Gen.Elements(true, false)
            select new SvmCase(seed, n, d, new Pure.Materials.Models.SupportVector.SvmKernelOptions
            {
                Kind = kind, Gamma = gamma, Degree = 2, Coef0 = kind == Pure.Materials.Models.SupportVector.SvmKernelKind.Sigmoid ? 0.0 : 1.0,
            }, c, eps, shrinking),
            c => Shrinks.Toward(c.N, 6).Select(n => c with { N = n }).Concat(Shrinks.Toward(c.D, 1).Select(d => c with { D = d }))
                .Concat(c.Shrinking ? [c with { Shrinking = false }] : []));

    /// <summary>Candidate spaces of every kind (template, n-ary, site-mixed); not shrunk (every case is small).</summary>
    public static Arbitrary<CandidateSpaceCase> CandidateSpace() =>
        Arb.From(Gen.OneOf(Generators.TemplateSpace, Generators.NarySpace, Generators.SiteMixedSpace));
}
