using System.Collections.Immutable;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Featurize;

/// <summary>Computes the amount-weighted mean number of s, p, d, f valence electrons and their fractions of all valence electrons (matminer <c>ValenceOrbital</c>).</summary>
/// <remarks>
/// With amounts w_i and Magpie valence counts: <c>avg o valence electrons</c> = sum(w_i N_o,i) / sum(w_i) for o in s, p, d, f
/// (tables <c>NsValence</c> ... <c>NfValence</c>), and <c>frac o valence electrons</c> = avg_o / (sum(w_i NValence_i) / sum(w_i)).
/// Default: both kinds, s, p, d, f: 8 features, labels <c>avg s valence electrons</c> ... <c>frac f valence electrons</c>.
/// NaN when an element has no Magpie valence count (Z above 112) or, for fractions, when the mean total is 0 (0/0).
/// Invariant to element order and to scaling all amounts.
/// Source: Deml, O'Hayre, Wolverton, Stevanovic, Phys. Rev. B 93, 085142 (2016); Ward et al., npj Comput. Mater. 2, 16028 (2016);
/// matminer v0.9.0 <c>matminer/featurizers/composition/orbital.py</c>.
/// </remarks>
public sealed class ValenceOrbital : ICompositionFeaturizer
{
    private const int Stride = ElementTables.MaxAtomicNumber + 1;
    private static readonly string[] AllOrbitals = ["s", "p", "d", "f"];
    private readonly double[][] _orbitalTables;
    private readonly double[] _total;
    private readonly bool _avg, _frac;

    private ValenceOrbital(ImmutableArray<string> orbitals, ImmutableArray<string> props)
    {
        Orbitals = orbitals;
        Props = props;
        _orbitalTables = [.. orbitals.Select(o => Dense(ElementTables.Magpie[$"N{o}Valence"]))];
        _total = Dense(ElementTables.Magpie["NValence"]);
        _avg = props.Contains("avg");
        _frac = props.Contains("frac");
        Labels = [.. from p in props from o in orbitals select $"{p} {o} valence electrons"];
        Units = [.. from p in props from o in orbitals select p == "avg" ? "electrons" : ""];
    }

    private static double[] Dense(ElementPropertyTable t)
    {
        var d = new double[Stride];
        for (var z = 0; z < Stride; z++) d[z] = t[z];
        return d;
    }

    /// <summary>The orbitals, in feature order (subset of s, p, d, f).</summary>
    public ImmutableArray<string> Orbitals { get; }

    /// <summary>The kinds of feature, in order: <c>avg</c> and/or <c>frac</c>.</summary>
    public ImmutableArray<string> Props { get; }

    /// <summary>matminer's default: avg and frac of s, p, d, f (8 features).</summary>
    public static ValenceOrbital Default { get; } = new(["s", "p", "d", "f"], ["avg", "frac"]);

    /// <summary>Builds the featurizer for chosen orbitals and kinds.</summary>
    /// <param name="orbitals">Any of s, p, d, f, in the order wanted; at least one.</param>
    /// <param name="props">Any of avg, frac, in the order wanted; at least one.</param>
    /// <returns>The featurizer, or <c>param.invalid_value</c> per unknown name, <c>param.empty</c>.</returns>
    public static Validation<Problem, ValenceOrbital> Create(IEnumerable<string> orbitals, IEnumerable<string> props)
    {
        var o = orbitals.ToImmutableArray();
        var p = props.ToImmutableArray();
        var problems = new List<Problem>();
        problems.AddRange(o.Where(x => !AllOrbitals.Contains(x)).Select(x => new Problem("param.invalid_value", $"unknown orbital '{x}'; use s, p, d or f")));
        problems.AddRange(p.Where(x => x is not ("avg" or "frac")).Select(x => new Problem("param.invalid_value", $"unknown valence property '{x}'; use avg or frac")));
        if (o.IsEmpty || p.IsEmpty) problems.Add(new Problem("param.empty", "name at least one orbital (s, p, d, f) and one property (avg, frac)"));
        return problems.Count > 0 ? Valid.Fail<ValenceOrbital>(problems) : Valid.Ok(new ValenceOrbital(o, p));
    }

    /// <inheritdoc />
    public string Name => "valence-orbital";

    /// <inheritdoc />
    public IReadOnlyList<string> Labels { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Units { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Citations { get; } =
    [
        "Ward, L.; Agrawal, A.; Choudhary, A.; Wolverton, C. A general-purpose machine learning framework for predicting properties of inorganic materials. npj Comput. Mater. 2, 16028 (2016). doi:10.1038/npjcompumats.2016.28",
        "Deml, A. M.; O'Hayre, R.; Wolverton, C.; Stevanovic, V. Predicting density functional theory total energies and enthalpies of formation of metal-nonmetal compounds by linear regression. Phys. Rev. B 93, 085142 (2016). doi:10.1103/PhysRevB.93.085142",
    ];

    /// <inheritdoc />
    public IReadOnlyList<string> Implementors { get; } = ["Jiming Chen", "Logan Ward", "Pure.Materials (this port)"];

    /// <inheritdoc />
    public void Featurize(Composition composition, Span<double> destination)
    {
        var no = _orbitalTables.Length;
        var nOut = Labels.Count;
        if (destination.Length < nOut) throw new ArgumentException($"Destination is too short: {destination.Length} < {nOut}.", nameof(destination));
        var z = composition.AtomicNumberSpan;
        var w = composition.AmountSpan;
        var total = composition.TotalAmount;
        Span<double> avg = stackalloc double[no];
        for (var i = 0; i < no; i++)
        {
            var table = _orbitalTables[i];
            double acc = 0;
            for (var k = 0; k < z.Length; k++) acc += table[z[k]] * w[k];
            avg[i] = acc / total;
        }
        var meanTotal = double.NaN;
        if (_frac)
        {
            double acc = 0;
            for (var k = 0; k < z.Length; k++) acc += _total[z[k]] * w[k];
            meanTotal = acc / total;
        }
        var o = 0;
        foreach (var p in Props)
            for (var i = 0; i < no; i++)
                destination[o++] = p == "avg" ? avg[i] : avg[i] / meanTotal;
    }
}
