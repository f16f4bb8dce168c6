using System.Collections.Immutable;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Featurize;

/// <summary>How <see cref="ElementProperty"/> treats an element that has no value in the table.</summary>
public enum MissingElementValue
{
    /// <summary>The statistic becomes NaN (matminer v0.9.0's behaviour; the default). Impute the feature columns afterwards.</summary>
    NaN,
    /// <summary>The element's value is replaced by the mean of the table's values over the elements that have one (Z = 1..118), as newer matminer's <c>impute_nan=True</c>.</summary>
    TableMean,
}

/// <summary>Elemental-property statistics of a composition: for each property, each statistic of the element values weighted by amount (matminer <c>ElementProperty</c>).</summary>
/// <remarks>
/// Features are ordered property-major: for each property in <see cref="Features"/>, each statistic in <see cref="Stats"/>;
/// labels are <c>"{source label} {statistic} {property}"</c>, e.g. <c>MagpieData mean Number</c>.
/// The <c>magpie</c> preset (22 properties x 6 statistics = 132 features) reproduces matminer v0.9.0
/// <c>ElementProperty.from_preset("magpie")</c> to within 1e-9 relative, NaN where matminer gives NaN.
/// Statistic formulas: <see cref="Statistic"/>. Thread-safe and immutable.
/// Source: Ward, Agrawal, Choudhary, Wolverton, npj Comput. Mater. 2, 16028 (2016); matminer v0.9.0
/// <c>matminer/featurizers/composition/composite.py</c>.
/// </remarks>
/// <example>
/// <code>
/// var fe2o3 = Composition.Parse("Fe2O3").OrThrow();
/// var x = ElementProperty.Magpie.Featurize(fe2o3);   // x[3] = MagpieData mean Number = (2*26 + 3*8)/5 = 15.2
/// </code>
/// </example>
public sealed class ElementProperty : ICompositionFeaturizer
{
    private const int Stride = ElementTables.MaxAtomicNumber + 1;
    private readonly double[] _table; // [feature * Stride + Z]

    private ElementProperty(string dataSource, ImmutableArray<ElementPropertyTable> properties, ImmutableArray<Statistic> stats, MissingElementValue missing)
    {
        DataSource = dataSource;
        Properties = properties;
        Stats = stats;
        Missing = missing;
        _table = new double[properties.Length * Stride];
        for (var f = 0; f < properties.Length; f++)
            for (var z = 1; z < Stride; z++)
            {
                var v = properties[f][z];
                _table[f * Stride + z] = double.IsNaN(v) && missing == MissingElementValue.TableMean ? properties[f].MeanOfPresent : v;
            }
        var prefix = dataSource switch { "magpie" => "MagpieData", "pymatgen" => "PymatgenData", _ => dataSource };
        Labels = [.. from p in properties from s in stats select $"{prefix} {s.Name()} {p.Name}"];
        Units = [.. from p in properties from s in stats select p.Unit];
    }

    /// <summary>The data source: <c>magpie</c>.</summary>
    public string DataSource { get; }

    /// <summary>The property tables, in feature order.</summary>
    public ImmutableArray<ElementPropertyTable> Properties { get; }

    /// <summary>The property names, in feature order (matminer's <c>features</c>).</summary>
    public IEnumerable<string> Features => Properties.Select(p => p.Name);

    /// <summary>The statistics computed for every property, in order (matminer's <c>stats</c>).</summary>
    public ImmutableArray<Statistic> Stats { get; }

    /// <summary>What happens when an element has no value for a property (default <see cref="MissingElementValue.NaN"/>).</summary>
    public MissingElementValue Missing { get; }

    /// <inheritdoc />
    public string Name => DataSource == "magpie" && Properties.Select(p => p.Name).SequenceEqual(MagpiePresetFeatures) ? "magpie" : "element-property";

    /// <inheritdoc />
    public IReadOnlyList<string> Labels { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Units { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Citations { get; } =
    [
        "Ward, L.; Agrawal, A.; Choudhary, A.; Wolverton, C. A general-purpose machine learning framework for predicting properties of inorganic materials. npj Comput. Mater. 2, 16028 (2016). doi:10.1038/npjcompumats.2016.28",
        "Ward, L. et al. Matminer: An open source toolkit for materials data mining. Comput. Mater. Sci. 152, 60-69 (2018). doi:10.1016/j.commatsci.2018.05.018",
    ];

    /// <inheritdoc />
    public IReadOnlyList<string> Implementors { get; } = ["Jiming Chen, Logan Ward, Anubhav Jain, Alex Dunn (matminer)", "Pure.Materials (this port)"];

    /// <summary>The 22 Magpie properties of matminer's <c>magpie</c> preset, in matminer's order.</summary>
    public static readonly ImmutableArray<string> MagpiePresetFeatures =
    [
        "Number", "MendeleevNumber", "AtomicWeight", "MeltingT", "Column", "Row", "CovalentRadius", "Electronegativity",
        "NsValence", "NpValence", "NdValence", "NfValence", "NValence", "NsUnfilled", "NpUnfilled", "NdUnfilled", "NfUnfilled",
        "NUnfilled", "GSvolume_pa", "GSbandgap", "GSmagmom", "SpaceGroupNumber",
    ];

    /// <summary>The six statistics of the <c>magpie</c> preset: minimum, maximum, range, mean, avg_dev, mode.</summary>
    public static readonly ImmutableArray<Statistic> MagpiePresetStats =
        [Statistic.Minimum, Statistic.Maximum, Statistic.Range, Statistic.Mean, Statistic.AvgDev, Statistic.Mode];

    /// <summary>matminer's <c>ElementProperty.from_preset("magpie")</c>: 132 features, NaN for missing element values.</summary>
    public static ElementProperty Magpie { get; } =
        new("magpie", [.. MagpiePresetFeatures.Select(f => ElementTables.Magpie[f])], MagpiePresetStats, MissingElementValue.NaN);

    /// <summary>Builds the featurizer of a named preset.</summary>
    /// <param name="preset"><c>magpie</c>.</param>
    /// <param name="missing">Missing-value policy; default NaN as matminer v0.9.0.</param>
    /// <returns>The featurizer, or <c>param.unknown_preset</c> naming the accepted presets.</returns>
    public static Validation<Problem, ElementProperty> FromPreset(string preset, MissingElementValue missing = MissingElementValue.NaN) =>
        preset switch
        {
            "magpie" => Valid.Ok(missing == MissingElementValue.NaN ? Magpie : Magpie.WithMissing(missing)),
            _ => Valid.Fail<ElementProperty>("param.unknown_preset", $"unknown ElementProperty preset '{preset}'; use 'magpie'"),
        };

    /// <summary>Builds a custom featurizer from any properties of a shipped table and any statistics.</summary>
    /// <param name="dataSource"><c>magpie</c>.</param>
    /// <param name="features">Property names of that table (e.g. <c>MeltingT</c>, <c>Electronegativity</c>); at least one.</param>
    /// <param name="stats">Statistics; at least one.</param>
    /// <param name="missing">Missing-value policy.</param>
    /// <returns>The featurizer, or problems <c>param.unknown_source</c>, <c>param.unknown_property</c> (one per unknown name), <c>param.empty</c>.</returns>
    public static Validation<Problem, ElementProperty> Create(string dataSource, IEnumerable<string> features, IEnumerable<Statistic> stats, MissingElementValue missing = MissingElementValue.NaN)
    {
        if (dataSource != "magpie")
            return Valid.Fail<ElementProperty>("param.unknown_source", $"unknown element data source '{dataSource}'; use 'magpie'");
        var names = features.ToArray();
        var statArray = stats.ToImmutableArray();
        var problems = new List<Problem>();
        if (names.Length == 0) problems.Add(new Problem("param.empty", "no properties given; name at least one property of the table"));
        if (statArray.IsEmpty) problems.Add(new Problem("param.empty", "no statistics given; name at least one (e.g. mean)"));
        foreach (var n in names.Where(n => !ElementTables.Magpie.ContainsKey(n)))
            problems.Add(new Problem("param.unknown_property", $"the {dataSource} table has no property '{n}'; available: {string.Join(", ", ElementTables.Magpie.Keys.Order(StringComparer.Ordinal))}"));
        return problems.Count > 0
            ? Valid.Fail<ElementProperty>(problems)
            : Valid.Ok(new ElementProperty(dataSource, [.. names.Select(n => ElementTables.Magpie[n])], statArray, missing));
    }

    /// <summary>Returns the same featurizer with another missing-value policy.</summary>
    /// <param name="missing">The policy.</param>
    /// <returns>A new featurizer.</returns>
    public ElementProperty WithMissing(MissingElementValue missing) => new(DataSource, Properties, Stats, missing);

    /// <inheritdoc />
    public void Featurize(Composition composition, Span<double> destination)
    {
        var nOut = Properties.Length * Stats.Length;
        if (destination.Length < nOut) throw new ArgumentException($"Destination is too short: {destination.Length} < {nOut}.", nameof(destination));
        var m = composition.Count;
        Span<int> z = m <= 64 ? stackalloc int[m] : new int[m];
        Span<double> w = m <= 64 ? stackalloc double[m] : new double[m];
        Span<double> v = m <= 64 ? stackalloc double[m] : new double[m];
        Span<bool> isMode = m <= 64 ? stackalloc bool[m] : new bool[m];
        double total = 0, wMax = double.NegativeInfinity;
        for (var k = 0; k < m; k++)
        {
            z[k] = composition.AtomicNumbers[k];
            w[k] = composition.Amounts[k];
            total += w[k];
            if (w[k] > wMax) wMax = w[k];
        }
        var tol = 1e-8 + 1e-5 * Math.Abs(wMax);
        for (var k = 0; k < m; k++) isMode[k] = Math.Abs(w[k] - wMax) <= tol;

        var o = 0;
        for (var f = 0; f < Properties.Length; f++)
        {
            var row = _table.AsSpan(f * Stride, Stride);
            for (var k = 0; k < m; k++) v[k] = row[z[k]];
            foreach (var s in Stats)
                destination[o++] = Compute(s, v, w, total, isMode);
        }
    }

    /// <summary>Computes one statistic with numpy's NaN propagation (see <see cref="Statistic"/>).</summary>
    internal static double Compute(Statistic s, ReadOnlySpan<double> v, ReadOnlySpan<double> w, double total, ReadOnlySpan<bool> isMode)
    {
        switch (s)
        {
            case Statistic.Minimum:
            case Statistic.Maximum:
            case Statistic.Range:
            {
                double min = double.PositiveInfinity, max = double.NegativeInfinity;
                foreach (var x in v)
                {
                    if (double.IsNaN(x)) return double.NaN;
                    if (x < min) min = x;
                    if (x > max) max = x;
                }
                return s == Statistic.Minimum ? min : s == Statistic.Maximum ? max : max - min;
            }
            case Statistic.Mean:
                return Mean(v, w, total);
            case Statistic.AvgDev:
            {
                var mean = Mean(v, w, total);
                double acc = 0;
                for (var k = 0; k < v.Length; k++) acc += w[k] * Math.Abs(v[k] - mean);
                return acc / total;
            }
            case Statistic.StdDev:
            {
                if (v.Length == 1) return 0.0;
                var mean = Mean(v, w, total);
                double acc = 0;
                double sumW2 = 0;
                for (var k = 0; k < v.Length; k++)
                {
                    acc += w[k] * (v[k] - mean) * (v[k] - mean);
                    sumW2 += w[k] * w[k];
                }
                return Math.Sqrt(total / (total * total - sumW2) * acc);
            }
            case Statistic.Mode:
            {
                var best = double.PositiveInfinity;
                for (var k = 0; k < v.Length; k++)
                {
                    if (!isMode[k]) continue;
                    if (double.IsNaN(v[k])) return double.NaN;
                    if (v[k] < best) best = v[k];
                }
                return best;
            }
            case Statistic.GeometricMean:
            {
                double acc = 1;
                for (var k = 0; k < v.Length; k++) acc *= Math.Pow(v[k], w[k] / total);
                return acc;
            }
            case Statistic.HarmonicMean:
            {
                double acc = 0;
                for (var k = 0; k < v.Length; k++) acc += w[k] / v[k];
                return total / acc;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(s), s, "Unknown statistic.");
        }
    }

    private static double Mean(ReadOnlySpan<double> v, ReadOnlySpan<double> w, double total)
    {
        double acc = 0;
        for (var k = 0; k < v.Length; k++) acc += w[k] * v[k];
        return acc / total;
    }
}
