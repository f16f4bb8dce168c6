using FsCheck;
using FsCheck.Fluent;
using Pure.Materials.Core;
using Pure.Materials.Data;

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

    /// <summary>Positive hyper-parameter values exp(u), u uniform on a 0.05 grid in [-1, 1].</summary>
    public static Gen<double> KernelValue { get; } = Gen.Choose(-20, 20).Select(k => Math.Exp(k / 20.0));

    /// <summary>Base kernels for inputs with <paramref name="cols"/> features: constant, white, dot product, RBF and Matern
    /// (0.5, 1.5, 2.5; isotropic or ARD), rational quadratic and (only when cols = 1, where it is positive semi-definite) exp-sine-squared.</summary>
    /// <param name="cols">Number of features.</param>
    public static Gen<Pure.Materials.Models.Gaussian.Kernel> KernelLeaf(int cols)
    {
        var ard = Gen.Elements(true, false).SelectMany(a => Gen.ArrayOf(KernelValue, a ? cols : 1));
        var leaves = new List<Gen<Pure.Materials.Models.Gaussian.Kernel>>
        {
            KernelValue.Select(v => (Pure.Materials.Models.Gaussian.Kernel)new Pure.Materials.Models.Gaussian.ConstantKernel { ConstantValue = v }),
            KernelValue.Select(v => (Pure.Materials.Models.Gaussian.Kernel)new Pure.Materials.Models.Gaussian.WhiteKernel { NoiseLevel = v }),
            KernelValue.Select(v => (Pure.Materials.Models.Gaussian.Kernel)new Pure.Materials.Models.Gaussian.DotProductKernel { Sigma0 = v }),
            ard.Select(l => (Pure.Materials.Models.Gaussian.Kernel)new Pure.Materials.Models.Gaussian.RbfKernel { LengthScale = l }),
            ard.SelectMany(l => Gen.Elements(0.5, 1.5, 2.5).Select(nu =>
                (Pure.Materials.Models.Gaussian.Kernel)new Pure.Materials.Models.Gaussian.MaternKernel { LengthScale = l, Nu = nu })),
            KernelValue.Two().Select(t => (Pure.Materials.Models.Gaussian.Kernel)new Pure.Materials.Models.Gaussian.RationalQuadraticKernel { LengthScale = t.Item1, Alpha = t.Item2 }),
        };
        if (cols == 1)
            leaves.Add(KernelValue.Two().Select(t => (Pure.Materials.Models.Gaussian.Kernel)new Pure.Materials.Models.Gaussian.ExpSineSquaredKernel { LengthScale = t.Item1, Periodicity = 1 + t.Item2 }));
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
}
