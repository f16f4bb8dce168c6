using Pure.Materials.Data;

namespace Pure.Materials.Featurize;

/// <summary>Computes the atomic fraction of each element H..Lr (Z = 1..103), one column per element in atomic-number order (matminer v0.9.0 <c>ElementFraction</c>).</summary>
/// <remarks>
/// Column Z holds a_Z / sum(a) (0 for absent elements); labels are the element symbols <c>H</c> ... <c>Lr</c> (103 features,
/// as matminer v0.9.0; newer matminer has 118). An element beyond Lr (Z &gt;= 104) has no column but still counts in the
/// denominator, so the columns then sum to less than 1 (matminer v0.9.0 raises an IndexError there).
/// Otherwise the columns sum to 1 (up to rounding). Invariant to element order and to scaling all amounts. Never NaN.
/// Source: matminer v0.9.0 <c>matminer/featurizers/composition/element.py</c>.
/// </remarks>
public sealed class ElementFraction : ICompositionFeaturizer
{
    /// <summary>Number of columns: Z = 1..103.</summary>
    public const int Columns = 103;

    private ElementFraction()
    {
    }

    /// <summary>The featurizer (it has no options).</summary>
    public static ElementFraction Default { get; } = new();

    /// <inheritdoc />
    public string Name => "element-fraction";

    /// <inheritdoc />
    public IReadOnlyList<string> Labels { get; } = [.. Enumerable.Range(1, Columns).Select(Elements.Symbol)];

    /// <inheritdoc />
    public IReadOnlyList<string> Units { get; } = [.. Enumerable.Repeat("", Columns)];

    /// <inheritdoc />
    public IReadOnlyList<string> Citations { get; } = [];

    /// <inheritdoc />
    public IReadOnlyList<string> Implementors { get; } = ["Ashwin Aggarwal", "Logan Ward", "Pure.Materials (this port)"];

    /// <inheritdoc />
    public void Featurize(Composition composition, Span<double> destination)
    {
        if (destination.Length < Columns) throw new ArgumentException($"Destination is too short: {destination.Length} < {Columns}.", nameof(destination));
        destination[..Columns].Clear();
        var z = composition.AtomicNumberSpan;
        var a = composition.AmountSpan;
        var n = composition.TotalAmount;
        for (var k = 0; k < z.Length; k++)
            if (z[k] <= Columns) destination[z[k] - 1] = a[k] / n;
    }
}
