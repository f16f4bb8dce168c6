using System.Collections.Immutable;
using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Featurize;

/// <summary>Computes p-norms of the atomic fractions of a composition (matminer <c>Stoichiometry</c>).</summary>
/// <remarks>
/// With atomic fractions x_i = a_i / sum(a) over the distinct elements: the 0-norm is the number of elements;
/// the p-norm (p &gt; 0) is (sum_i x_i^p)^(1/p). Labels <c>"{p}-norm"</c>; default p = 0, 2, 3, 5, 7, 10 (6 features).
/// Invariant to element order and to scaling all amounts. Never NaN.
/// Not ported: matminer's <c>num_atoms=True</c> column (atoms per pymatgen integer formula unit).
/// Source: Ward et al., npj Comput. Mater. 2, 16028 (2016); matminer v0.9.0 <c>matminer/featurizers/composition/element.py</c>.
/// </remarks>
/// <example>
/// <code>
/// Stoichiometry.Default.Featurize(Composition.Parse("Fe2O3").OrThrow());
/// // [2, sqrt(0.4^2 + 0.6^2) = 0.7211, (0.4^3 + 0.6^3)^(1/3) = 0.6542, ...]
/// </code>
/// </example>
public sealed class Stoichiometry : ICompositionFeaturizer
{
    private readonly int[] _p;

    private Stoichiometry(ImmutableArray<int> pNorms)
    {
        PNorms = pNorms;
        _p = [.. pNorms];
        Labels = [.. pNorms.Select(p => p.ToString(CultureInfo.InvariantCulture) + "-norm")];
        Units = [.. pNorms.Select(_ => "")];
    }

    /// <summary>The norms computed, in feature order.</summary>
    public ImmutableArray<int> PNorms { get; }

    /// <summary>matminer's default: p = 0, 2, 3, 5, 7, 10.</summary>
    public static Stoichiometry Default { get; } = new([0, 2, 3, 5, 7, 10]);

    /// <summary>Builds the featurizer for chosen norms.</summary>
    /// <param name="pNorms">Norm orders, each at least 0; at least one.</param>
    /// <returns>The featurizer, or <c>param.empty</c>, <c>param.out_of_range</c> (one per negative p).</returns>
    public static Validation<Problem, Stoichiometry> Create(IEnumerable<int> pNorms)
    {
        var ps = pNorms.ToImmutableArray();
        var problems = ps.Where(p => p < 0)
            .Select(p => new Problem("param.out_of_range", $"p-norm {p} is not defined; use p >= 0 (0 counts the elements)")).ToList();
        if (ps.IsEmpty) problems.Add(new Problem("param.empty", "no p-norms given; name at least one (matminer uses 0, 2, 3, 5, 7, 10)"));
        return problems.Count > 0 ? Valid.Fail<Stoichiometry>(problems) : Valid.Ok(new Stoichiometry(ps));
    }

    /// <inheritdoc />
    public string Name => "stoichiometry";

    /// <inheritdoc />
    public IReadOnlyList<string> Labels { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Units { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Citations { get; } =
        ["Ward, L.; Agrawal, A.; Choudhary, A.; Wolverton, C. A general-purpose machine learning framework for predicting properties of inorganic materials. npj Comput. Mater. 2, 16028 (2016). doi:10.1038/npjcompumats.2016.28"];

    /// <inheritdoc />
    public IReadOnlyList<string> Implementors { get; } = ["Jiming Chen", "Logan Ward", "Pure.Materials (this port)"];

    /// <inheritdoc />
    public void Featurize(Composition composition, Span<double> destination)
    {
        if (destination.Length < _p.Length) throw new ArgumentException($"Destination is too short: {destination.Length} < {_p.Length}.", nameof(destination));
        var a = composition.AmountSpan;
        var n = composition.TotalAmount;
        for (var i = 0; i < _p.Length; i++)
        {
            var p = _p[i];
            if (p == 0)
            {
                destination[i] = a.Length;
                continue;
            }
            double acc = 0;
            for (var k = 0; k < a.Length; k++) acc += Math.Pow(a[k] / n, p);
            destination[i] = Math.Pow(acc, 1.0 / p);
        }
    }
}
