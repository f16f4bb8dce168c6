using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// labels are <c>"{source label} {statistic} {property}"</c> with source label <c>MagpieData</c> or <c>PymatgenData</c>,
/// e.g. <c>MagpieData mean Number</c>, <c>PymatgenData std_dev X</c>.
/// Presets: <c>magpie</c> (22 Magpie properties x 6 statistics = 132 features) reproduces matminer v0.9.0
/// <c>ElementProperty.from_preset("magpie")</c> to within 1e-9 relative, NaN where matminer gives NaN;
/// <c>matminer</c> (13 pymatgen properties x minimum, maximum, range, mean, std_dev = 65 features) follows
/// <c>from_preset("matminer")</c> to within 1e-9 relative, NaN where matminer gives NaN, with one extension: where a
/// pymatgen value is text (Fr melting point "maybe about 300 K") matminer raises for the whole row, here only that property
/// is NaN (see <c>tests/Pure.Materials.Tests/Reference/matminer-0.9.0/README.md</c>).
/// Statistic formulas and NaN behaviour: <see cref="Statistic"/>; weights are the amounts as parsed, and every statistic
/// is invariant to scaling all amounts by the same factor (up to rounding).
/// Speed: the table is stored Z-major so each element's properties are contiguous; one pass over the elements accumulates
/// min, max, weighted sum, mode and NaN flags for all properties at once with <see cref="Vector{T}"/> lanes (a second pass only
/// for avg_dev / std_dev). Each lane performs the scalar formula's operations in element order (no fused multiply-add), so the
/// result is the same bit for bit; no allocation for up to 256 properties.
/// Thread-safe and immutable.
/// Source: Ward, Agrawal, Choudhary, Wolverton, npj Comput. Mater. 2, 16028 (2016); matminer v0.9.0
/// <c>matminer/featurizers/composition/composite.py</c> and <c>matminer/featurizers/utils/stats.py</c>.
/// </remarks>
/// <example>
/// <code>
/// var fe2o3 = Composition.Parse("Fe2O3").OrThrow();
/// var x = ElementProperty.Magpie.Featurize(fe2o3);   // x[3] = MagpieData mean Number = (2*26 + 3*8)/5 = 15.2
/// var custom = ElementProperty.Create("pymatgen", ["X", "melting_point"], [Statistic.Mean, Statistic.StdDev]).OrThrow();
/// </code>
/// </example>
public sealed class ElementProperty : ICompositionFeaturizer
{
    private const int Stride = ElementTables.MaxAtomicNumber + 1;
    private readonly double[] _byZ; // [Z * stride + property], stride = properties rounded up to whole Vector<double>s
    private readonly int _vectors;  // Vector<double>s per element row
    private readonly Statistic[] _stats;
    private readonly bool _needsSecondPass;

    private ElementProperty(string dataSource, ImmutableArray<ElementPropertyTable> properties, ImmutableArray<Statistic> stats, MissingElementValue missing)
    {
        DataSource = dataSource;
        Properties = properties;
        Stats = stats;
        Missing = missing;
        _stats = [.. stats];
        _needsSecondPass = stats.Contains(Statistic.AvgDev) || stats.Contains(Statistic.StdDev);
        var nf = properties.Length;
        _vectors = (nf + Vector<double>.Count - 1) / Vector<double>.Count;
        var stride = _vectors * Vector<double>.Count;
        _byZ = new double[Stride * stride]; // padding lanes stay 0 and are never output
        for (var f = 0; f < nf; f++)
            for (var z = 0; z < Stride; z++)
            {
                var v = z == 0 ? double.NaN : properties[f][z];
                _byZ[z * stride + f] = double.IsNaN(v) && missing == MissingElementValue.TableMean ? properties[f].MeanOfPresent : v;
            }
        var prefix = SourceLabel(dataSource);
        Labels = [.. from p in properties from s in stats select $"{prefix} {s.Name()} {p.Name}"];
        Units = [.. from p in properties from s in stats select p.Unit];
        Citations = dataSource == "pymatgen" ? PymatgenCitations : MagpieCitations;
    }

    /// <summary>The data source: <c>magpie</c> or <c>pymatgen</c>.</summary>
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
    public string Name =>
        DataSource == "magpie" && Features.SequenceEqual(MagpiePresetFeatures) && Stats.SequenceEqual(MagpiePresetStats) ? "magpie"
        : DataSource == "pymatgen" && Features.SequenceEqual(MatminerPresetFeatures) && Stats.SequenceEqual(MatminerPresetStats) ? "matminer"
        : "element-property";

    /// <inheritdoc />
    public IReadOnlyList<string> Labels { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Units { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Citations { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Implementors { get; } = ["Jiming Chen", "Logan Ward", "Anubhav Jain", "Alex Dunn", "Pure.Materials (this port)"];

    private static readonly string[] MagpieCitations =
    [
        "Ward, L.; Agrawal, A.; Choudhary, A.; Wolverton, C. A general-purpose machine learning framework for predicting properties of inorganic materials. npj Comput. Mater. 2, 16028 (2016). doi:10.1038/npjcompumats.2016.28",
        "Ward, L. et al. Matminer: An open source toolkit for materials data mining. Comput. Mater. Sci. 152, 60-69 (2018). doi:10.1016/j.commatsci.2018.05.018",
    ];

    private static readonly string[] PymatgenCitations =
    [
        "Ong, S. P. et al. Python Materials Genomics (pymatgen): A robust, open-source python library for materials analysis. Comput. Mater. Sci. 68, 314-319 (2013). doi:10.1016/j.commatsci.2012.10.028",
        "Ward, L. et al. Matminer: An open source toolkit for materials data mining. Comput. Mater. Sci. 152, 60-69 (2018). doi:10.1016/j.commatsci.2018.05.018",
    ];

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

    /// <summary>The 13 pymatgen properties of matminer's <c>matminer</c> preset, in matminer v0.9.0's order.</summary>
    public static readonly ImmutableArray<string> MatminerPresetFeatures =
    [
        "X", "row", "group", "block", "atomic_mass", "atomic_radius", "mendeleev_no", "electrical_resistivity",
        "velocity_of_sound", "thermal_conductivity", "melting_point", "bulk_modulus", "coefficient_of_linear_thermal_expansion",
    ];

    /// <summary>The five statistics of the <c>matminer</c> preset: minimum, maximum, range, mean, std_dev.</summary>
    public static readonly ImmutableArray<Statistic> MatminerPresetStats =
        [Statistic.Minimum, Statistic.Maximum, Statistic.Range, Statistic.Mean, Statistic.StdDev];

    /// <summary>The preset names accepted by <see cref="FromPreset"/>: <c>magpie</c>, <c>matminer</c>.</summary>
    public static IReadOnlyList<string> Presets { get; } = ["magpie", "matminer"];

    /// <summary>matminer's <c>ElementProperty.from_preset("magpie")</c>: 132 features, NaN for missing element values.</summary>
    public static ElementProperty Magpie { get; } =
        new("magpie", [.. MagpiePresetFeatures.Select(f => ElementTables.Magpie[f])], MagpiePresetStats, MissingElementValue.NaN);

    /// <summary>matminer's <c>ElementProperty.from_preset("matminer")</c>: 65 features (<c>PymatgenData {stat} {property}</c>) from
    /// pymatgen 2022.11.7 data, NaN for missing element values.</summary>
    public static ElementProperty Matminer { get; } =
        new("pymatgen", [.. MatminerPresetFeatures.Select(f => ElementTables.Pymatgen[f])], MatminerPresetStats, MissingElementValue.NaN);

    /// <summary>Builds the featurizer of a named preset.</summary>
    /// <param name="preset"><c>magpie</c> or <c>matminer</c>.</param>
    /// <param name="missing">Missing-value policy; default NaN as matminer v0.9.0.</param>
    /// <returns>The featurizer, or <c>param.unknown_preset</c> naming the accepted presets.</returns>
    public static Validation<Problem, ElementProperty> FromPreset(string preset, MissingElementValue missing = MissingElementValue.NaN) =>
        preset switch
        {
            "magpie" => Valid.Ok(missing == MissingElementValue.NaN ? Magpie : Magpie.WithMissing(missing)),
            "matminer" => Valid.Ok(missing == MissingElementValue.NaN ? Matminer : Matminer.WithMissing(missing)),
            _ => Valid.Fail<ElementProperty>("param.unknown_preset", $"unknown ElementProperty preset '{preset}'; use one of {string.Join(", ", Presets)}"),
        };

    /// <summary>Builds a custom featurizer from any properties of a shipped table and any statistics.</summary>
    /// <param name="dataSource"><c>magpie</c> (properties as <see cref="ElementTables.Magpie"/>, e.g. <c>MeltingT</c>) or
    /// <c>pymatgen</c> (as <see cref="ElementTables.Pymatgen"/>, e.g. <c>X</c>, <c>melting_point</c>).</param>
    /// <param name="features">Property names of that table; at least one; repeats allowed (they give repeated columns).</param>
    /// <param name="stats">Statistics (<see cref="Statistic"/>: minimum, maximum, range, mean, avg_dev, std_dev, mode,
    /// geom_mean, harm_mean); at least one.</param>
    /// <param name="missing">Missing-value policy.</param>
    /// <returns>The featurizer, or every problem: <c>param.unknown_source</c>, <c>param.unknown_property</c> (one per unknown
    /// name, listing the available ones), <c>param.empty</c>.</returns>
    public static Validation<Problem, ElementProperty> Create(string dataSource, IEnumerable<string> features, IEnumerable<Statistic> stats, MissingElementValue missing = MissingElementValue.NaN)
    {
        var source = ElementTables.Source(dataSource);
        if (source.IsFail) return Valid.Fail<ElementProperty>(source.Problems());
        var tables = source.OrThrow();
        var names = features.ToArray();
        var statArray = stats.ToImmutableArray();
        var problems = new List<Problem>();
        if (names.Length == 0) problems.Add(new Problem("param.empty", "no properties given; name at least one property of the table"));
        if (statArray.IsEmpty) problems.Add(new Problem("param.empty", "no statistics given; name at least one (e.g. mean)"));
        foreach (var n in names.Where(n => !tables.ContainsKey(n)))
            problems.Add(new Problem("param.unknown_property", $"the {dataSource} table has no property '{n}'; available: {string.Join(", ", tables.Keys.Order(StringComparer.Ordinal))}"));
        return problems.Count > 0
            ? Valid.Fail<ElementProperty>(problems)
            : Valid.Ok(new ElementProperty(dataSource, [.. names.Select(n => tables[n])], statArray, missing));
    }

    /// <summary>Returns the same featurizer with another missing-value policy.</summary>
    /// <param name="missing">The policy.</param>
    /// <returns>A new featurizer.</returns>
    public ElementProperty WithMissing(MissingElementValue missing) => new(DataSource, Properties, Stats, missing);

    private static string SourceLabel(string source) => source switch { "magpie" => "MagpieData", "pymatgen" => "PymatgenData", _ => source };

    /// <inheritdoc />
    /// <remarks>Compiled fully optimised on first call (no tiering): it is the inner loop of every featurization.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Featurize(Composition composition, Span<double> destination)
    {
        var nf = Properties.Length;
        var ns = _stats.Length;
        if (destination.Length < nf * ns) throw new ArgumentException($"Destination is too short: {destination.Length} < {nf * ns}.", nameof(destination));
        var z = composition.AtomicNumberSpan;
        var w = composition.AmountSpan;
        var m = z.Length;
        var total = composition.TotalAmount;
        ScaleHugeAmounts(ref w, ref total);
        double wMax = double.NegativeInfinity, sumW2 = 0;
        for (var k = 0; k < m; k++)
        {
            if (w[k] > wMax) wMax = w[k];
            sumW2 += w[k] * w[k];
        }
        // numpy isclose(w, w.max()): |w - w_max| <= 1e-8 + 1e-5 |w_max|.
        var tol = 1e-8 + 1e-5 * Math.Abs(wMax);
        // matminer std_dev: beta = W / (W^2 - sum w^2), computed as numpy does (np.sum(w)**2 - np.sum(w**2)), except under cancellation.
        var beta = total / StdDevDenominator(w, total, sumW2);

        // Per-property accumulators, vectorised across properties (the table is Z-major, padded to whole vectors). Each lane
        // does exactly the scalar operations in element order (no fused multiply-add), so results equal the scalar formulas bit for bit.
        var nv = _vectors;
        var stride = nv * Vector<double>.Count;
        Span<double> scratch = stride <= 256 ? stackalloc double[8 * stride] : new double[8 * stride];
        var acc = MemoryMarshal.Cast<double, Vector<double>>(scratch);
        var min = acc[..nv];
        var max = acc.Slice(nv, nv);
        var sum = acc.Slice(2 * nv, nv);
        var mode = acc.Slice(3 * nv, nv);
        var nan = acc.Slice(4 * nv, nv);      // lanes with all bits set where some element's value is NaN
        var modeNaN = acc.Slice(5 * nv, nv);  // ... where a most-abundant element's value is NaN
        var abs = acc.Slice(6 * nv, nv);
        var sq = acc.Slice(7 * nv, nv);
        min.Fill(new Vector<double>(double.PositiveInfinity));
        max.Fill(new Vector<double>(double.NegativeInfinity));
        mode.Fill(new Vector<double>(double.PositiveInfinity));
        var table = MemoryMarshal.Cast<double, Vector<double>>(_byZ.AsSpan());
        for (var k = 0; k < m; k++)
        {
            var row = table.Slice(z[k] * nv, nv);
            var wk = new Vector<double>(w[k]);
            var isMode = Math.Abs(w[k] - wMax) <= tol;
            for (var i = 0; i < nv; i++)
            {
                var v = row[i];
                var isNaN = Vector.OnesComplement(Vector.Equals(v, v)).As<long, double>();
                nan[i] |= isNaN;
                min[i] = Vector.Min(min[i], v);
                max[i] = Vector.Max(max[i], v);
                sum[i] += wk * v;
                if (isMode)
                {
                    mode[i] = Vector.Min(mode[i], v);
                    modeNaN[i] |= isNaN;
                }
            }
        }
        var totalV = new Vector<double>(total);
        for (var i = 0; i < nv; i++) sum[i] /= totalV; // now the means
        if (_needsSecondPass)
        {
            for (var k = 0; k < m; k++)
            {
                var row = table.Slice(z[k] * nv, nv);
                var wk = new Vector<double>(w[k]);
                for (var i = 0; i < nv; i++)
                {
                    var d = row[i] - sum[i];
                    abs[i] += Vector.Abs(d) * wk;
                    sq[i] += d * d * wk;
                }
            }
        }
        var mins = MemoryMarshal.Cast<Vector<double>, double>(min);
        var maxs = MemoryMarshal.Cast<Vector<double>, double>(max);
        var means = MemoryMarshal.Cast<Vector<double>, double>(sum);
        var modes = MemoryMarshal.Cast<Vector<double>, double>(mode);
        var nans = MemoryMarshal.Cast<Vector<double>, double>(nan);
        var modeNaNs = MemoryMarshal.Cast<Vector<double>, double>(modeNaN);
        var abss = MemoryMarshal.Cast<Vector<double>, double>(abs);
        var sqs = MemoryMarshal.Cast<Vector<double>, double>(sq);
        // Statistic-major loops (one switch per statistic), writing the property-major layout f * ns + s.
        var stats = _stats;
        for (var s = 0; s < ns; s++)
        {
            var o = s;
            switch (stats[s])
            {
                case Statistic.Minimum:
                    for (var f = 0; f < nf; f++, o += ns) destination[o] = double.IsNaN(nans[f]) ? double.NaN : mins[f];
                    break;
                case Statistic.Maximum:
                    for (var f = 0; f < nf; f++, o += ns) destination[o] = double.IsNaN(nans[f]) ? double.NaN : maxs[f];
                    break;
                case Statistic.Range:
                    for (var f = 0; f < nf; f++, o += ns) destination[o] = double.IsNaN(nans[f]) ? double.NaN : maxs[f] - mins[f];
                    break;
                case Statistic.Mean:
                    for (var f = 0; f < nf; f++, o += ns) destination[o] = means[f];
                    break;
                case Statistic.AvgDev:
                    for (var f = 0; f < nf; f++, o += ns) destination[o] = abss[f] / total;
                    break;
                case Statistic.StdDev:
                    for (var f = 0; f < nf; f++, o += ns) destination[o] = m == 1 ? 0.0 : Math.Sqrt(beta * sqs[f]);
                    break;
                case Statistic.Mode:
                    for (var f = 0; f < nf; f++, o += ns) destination[o] = double.IsNaN(modeNaNs[f]) ? double.NaN : modes[f];
                    break;
                case Statistic.GeometricMean:
                    for (var f = 0; f < nf; f++, o += ns) destination[o] = GeometricMean(f, z, w, total);
                    break;
                case Statistic.HarmonicMean:
                    for (var f = 0; f < nf; f++, o += ns) destination[o] = HarmonicMean(f, z, w, total);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(composition), stats[s], "Unknown statistic.");
            }
        }
    }

    /// <summary>Replaces amounts whose total is above 1e100 or below 1e-100 (e.g. <c>Fe1e305</c>, where w*v overflows to infinity, or
    /// <c>Fe1e-300O1e-300</c>, where w^2 underflows to 0) by fractions of the largest amount. Every statistic is invariant to scaling
    /// all amounts, so only the rounding changes; ordinary compositions (total within 1e-100..1e100) are untouched, bit for bit.</summary>
    internal static void ScaleHugeAmounts(ref ReadOnlySpan<double> w, ref double total)
    {
        if (total is <= 1e100 and >= 1e-100) return;
        var wMax = 0.0;
        foreach (var x in w) wMax = Math.Max(wMax, x);
        var scaled = new double[w.Length];
        double sum = 0;
        for (var k = 0; k < w.Length; k++) sum += scaled[k] = w[k] / wMax;
        w = scaled;
        total = sum;
    }

    /// <summary>W^2 - sum w_i^2 of matminer's std_dev, as numpy computes it; when that difference is below 1e-6 W^2 (one amount
    /// dominates, e.g. <c>FeO1e-17</c>, where it rounds to 0 and matminer returns infinity), the same quantity is computed without
    /// cancellation as 2 sum_{i&lt;j} w_i w_j.</summary>
    internal static double StdDevDenominator(ReadOnlySpan<double> w, double total, double sumW2)
    {
        var naive = total * total - sumW2;
        if (naive >= 1e-6 * total * total) return naive;
        double pairs = 0, prefix = 0;
        foreach (var x in w)
        {
            pairs += x * prefix;
            prefix += x;
        }
        return 2 * pairs;
    }

    /// <summary>matminer <c>holder_mean::0</c>: prod v_i^(w_i/W), NaN propagating (a negative value gives NaN, as numpy).</summary>
    private double GeometricMean(int f, ReadOnlySpan<int> z, ReadOnlySpan<double> w, double total)
    {
        var stride = _vectors * Vector<double>.Count;
        double acc = 1;
        for (var k = 0; k < z.Length; k++) acc *= Math.Pow(_byZ[z[k] * stride + f], w[k] / total);
        return acc;
    }

    /// <summary>matminer <c>holder_mean::-1</c>: W / sum(w_i / v_i); a zero value gives 0, as matminer's loop.</summary>
    private double HarmonicMean(int f, ReadOnlySpan<int> z, ReadOnlySpan<double> w, double total)
    {
        var stride = _vectors * Vector<double>.Count;
        double acc = 0;
        for (var k = 0; k < z.Length; k++) acc += w[k] / _byZ[z[k] * stride + f];
        return total / acc;
    }

    /// <summary>Computes one statistic of values <paramref name="v"/> with weights <paramref name="w"/> (see <see cref="Statistic"/>),
    /// with numpy's NaN propagation; used by featurizers that build their own value lists.</summary>
    internal static double Compute(Statistic s, ReadOnlySpan<double> v, ReadOnlySpan<double> w, double total, ReadOnlySpan<bool> isMode)
    {
        ScaleHugeAmounts(ref w, ref total);
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
                for (var k = 0; k < v.Length; k++) acc += Math.Abs(v[k] - mean) * w[k];
                return acc / total;
            }
            case Statistic.StdDev:
            {
                if (v.Length == 1) return 0.0;
                var mean = Mean(v, w, total);
                double acc = 0, sumW2 = 0;
                for (var k = 0; k < v.Length; k++)
                {
                    acc += (v[k] - mean) * (v[k] - mean) * w[k];
                    sumW2 += w[k] * w[k];
                }
                return Math.Sqrt(total / StdDevDenominator(w, total, sumW2) * acc);
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

    /// <summary>numpy's <c>np.average(v, weights=w)</c>: sum(v_i w_i) / W.</summary>
    internal static double Mean(ReadOnlySpan<double> v, ReadOnlySpan<double> w, double total)
    {
        double acc = 0;
        for (var k = 0; k < v.Length; k++) acc += v[k] * w[k];
        return acc / total;
    }
}
