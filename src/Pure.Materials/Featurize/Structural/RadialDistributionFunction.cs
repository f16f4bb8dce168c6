using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Structures;

namespace Pure.Materials.Featurize.Structural;

/// <summary>Describes a structure by its radial distribution function: neighbour counts in distance bins, divided by the shell volume and the number density
/// (matminer's <c>RadialDistributionFunction</c>).</summary>
/// <remarks>
/// With bin edges <c>e_k = k x BinSize</c> (k = 0..K, K = ceil((Cutoff + BinSize) / BinSize) - 1, numpy's <c>arange(0, cutoff + bin_size, bin_size)</c>),
/// <c>h_k</c> the number of (site i, periodic image of site j) pairs, i's own image excluded, with <c>e_k &lt;= d &lt; e_(k+1)</c>
/// (the last bin also takes <c>d = e_K</c>; numpy's <c>histogram</c>), n sites and cell volume V:
/// <c>rdf_k = h_k / ((4/3) pi (e_(k+1)^3 - e_k^3)) / (n / V)</c>.
/// Every ordered pair counts, so the sum over bins grows with n: matminer does not divide by the number of sites (a true
/// RDF g(r) would be <c>rdf_k / n</c>). So the features are not intensive: a 2x1x1 supercell doubles every bin. Translating,
/// permuting or rotating leaves them unchanged (up to distances landing within rounding of a bin edge).
/// Distances beyond the cutoff are not counted even when the last edge lies beyond it (a bin size that does not divide the
/// cutoff, e.g. 0.3 for 20: the last bin is [19.8, 20.1) but holds distances up to 20 only, as in matminer).
/// Labels: <c>rdf [0.00000 - 0.10000]A</c> ... <c>rdf [19.90000 - 20.00000]A</c> (lower edge, upper edge, the last upper edge the cutoff).
/// A disordered structure is <c>structure.disordered</c>.
/// Source: matminer v0.9.0 <c>matminer/featurizers/structure/rdf.py</c>.
/// </remarks>
public sealed record RadialDistributionFunction : IStructureFeaturizer
{
    private readonly double[] _edges;
    private readonly double[] _shell;

    private RadialDistributionFunction(double cutoff, double binSize)
    {
        Cutoff = cutoff;
        BinSize = binSize;
        var labelCount = (int)Math.Ceiling(cutoff / binSize); // numpy arange(0, cutoff, bin_size)
        var edgeCount = (int)Math.Ceiling((cutoff + binSize) / binSize); // numpy arange(0, cutoff + bin_size, bin_size)
        _edges = new double[edgeCount];
        for (var k = 0; k < edgeCount; k++) _edges[k] = k * binSize;
        _shell = new double[edgeCount - 1];
        for (var k = 0; k < _shell.Length; k++) _shell[k] = 4.0 / 3.0 * Math.PI * (Math.Pow(_edges[k + 1], 3) - Math.Pow(_edges[k], 3));
        var lower = Enumerable.Range(0, labelCount).Select(k => k * binSize).Append(cutoff).ToArray();
        Labels = [.. Enumerable.Range(0, labelCount).Select(k => string.Create(CultureInfo.InvariantCulture, $"rdf [{lower[k]:F5} - {lower[k + 1]:F5}]A"))];
        Units = [.. Enumerable.Repeat("", labelCount)];
    }

    /// <summary>matminer's default: cutoff 20 Angstrom, bins of 0.1 Angstrom (200 features).</summary>
    public static RadialDistributionFunction Default { get; } = new(20.0, 0.1);

    /// <summary>Largest distance counted, Angstrom.</summary>
    public double Cutoff { get; }

    /// <summary>Width of a bin, Angstrom.</summary>
    public double BinSize { get; }

    /// <summary>Builds the featurizer.</summary>
    /// <param name="cutoff">Largest distance, Angstrom, in (0, 100].</param>
    /// <param name="binSize">Bin width, Angstrom, in [1e-3, cutoff], such that numpy's two ranges agree (cutoff/bin_size bins).</param>
    /// <returns>The featurizer, or <c>param.out_of_range</c>.</returns>
    public static Validation<Problem, RadialDistributionFunction> Create(double cutoff = 20.0, double binSize = 0.1)
    {
        if (!(cutoff > 0 && cutoff <= 100) || !(binSize >= 1e-3 && binSize <= cutoff))
            return Valid.Fail<RadialDistributionFunction>("param.out_of_range", string.Create(CultureInfo.InvariantCulture,
                $"RDF cutoff {cutoff:R} and bin size {binSize:R}: give a cutoff in (0, 100] Angstrom and a bin size in [0.001, cutoff]."));
        if ((int)Math.Ceiling(cutoff / binSize) != (int)Math.Ceiling((cutoff + binSize) / binSize) - 1)
            return Valid.Fail<RadialDistributionFunction>("param.out_of_range", string.Create(CultureInfo.InvariantCulture,
                $"RDF cutoff {cutoff:R} is not a whole number of bins of {binSize:R} (matminer would give more values than labels); choose a bin size that divides the cutoff."));
        return Valid.Ok(new RadialDistributionFunction(cutoff, binSize));
    }

    /// <inheritdoc/>
    public string Name => "rdf";

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Units { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Citations { get; } = [];

    /// <inheritdoc/>
    public IReadOnlyList<string> Implementors { get; } = ["Saurabh Bajaj (matminer)", "Pure.Materials"];

    /// <inheritdoc/>
    public Problem? Featurize(Structure structure, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(structure);
        var bins = _shell.Length;
        StructureFeaturizer.CheckDestination(destination, bins);
        if (StructureFeaturizer.RequireOrdered(structure, Name) is { } p) return p;
        var counts = new long[bins];
        var last = Math.Min(Cutoff, _edges[^1]); // matminer's neighbours reach the cutoff; the last edge may lie beyond it
        var sink = new HistogramSink(counts, _edges, BinSize);
        PeriodicImages.VisitPairs(structure, last, ref sink); // each unordered pair once, counted twice
        var density = structure.Count / structure.Volume;
        for (var k = 0; k < bins; k++) destination[k] = counts[k] / _shell[k] / density;
        return null;
    }

    /// <summary>Counts distances into numpy histogram bins: bin k holds e_k &lt;= d &lt; e_(k+1), the last bin also d = e_K.</summary>
    private readonly struct HistogramSink(long[] counts, double[] edges, double binSize) : IUnorderedPairSink
    {
        public void Add(int i, int j, double d)
        {
            var bins = counts.Length;
            if (d > edges[bins]) return;
            var k = (int)(d / binSize);
            if (k >= bins) k = bins - 1;
            while (k > 0 && d < edges[k]) k--;
            while (k + 1 < bins && d >= edges[k + 1]) k++;
            counts[k] += 2;
        }
    }

    /// <summary>True when cutoff and bin size are equal.</summary>
    public bool Equals(RadialDistributionFunction? other) => other is not null && Cutoff == other.Cutoff && BinSize == other.BinSize;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Cutoff, BinSize);
}
