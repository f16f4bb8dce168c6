using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Structures;

namespace Pure.Materials.Featurize.Structural;

/// <summary>Chooses a site's nearest neighbours: the closest one at d_min, plus every neighbour closer than <c>(1 + Tolerance) d_min</c>
/// (pymatgen's <c>MinimumDistanceNN</c>).</summary>
/// <param name="Tolerance">Relative distance tolerance, default 0.1, in [0, 10].</param>
/// <param name="Cutoff">Radius searched for the closest neighbour, Angstrom, default 10, in (0, 100].</param>
/// <remarks>Weights: <c>w = d_min / d</c> (1 for the closest). A site with no neighbour within <see cref="Cutoff"/> is the problem
/// <c>featurize.no_neighbors</c> (pymatgen raises on <c>min()</c> of an empty list).
/// Source: pymatgen 2022.11.7 <c>pymatgen/analysis/local_env.py</c> (<c>MinimumDistanceNN.get_nn_info</c>).</remarks>
public sealed record MinimumDistanceNN(double Tolerance = 0.1, double Cutoff = 10.0)
{
    /// <summary>pymatgen's defaults: tolerance 0.1, cutoff 10 Angstrom.</summary>
    public static MinimumDistanceNN Default { get; } = new();

    /// <summary>The chosen neighbours of site <paramref name="site"/> (in search order) with their distances, and d_min;
    /// empty (d_min infinite) when no neighbour lies within <see cref="Cutoff"/>.</summary>
    internal (List<(int Index, Image Image, double Distance)> Chosen, double Nearest) Select(Structure structure, int site)
    {
        var nearest = PeriodicImages.Nearest(structure, site, Cutoff);
        var sink = new ChosenSink { Chosen = [], Limit = (1.0 + Tolerance) * nearest };
        if (double.IsFinite(nearest)) PeriodicImages.Visit(structure, site, Math.Min(Cutoff, sink.Limit), ref sink);
        return (sink.Chosen, nearest);
    }

    private struct ChosenSink : IPairSink
    {
        public List<(int Index, Image Image, double Distance)> Chosen;
        public double Limit;
        public readonly void Add(int j, Image image, double distance) { if (distance < Limit) Chosen.Add((j, image, distance)); }
    }

    internal Problem? Check() =>
        Tolerance is >= 0 and <= 10 && Cutoff is > 0 and <= 100 ? null
            : new Problem("param.out_of_range", string.Create(CultureInfo.InvariantCulture, $"MinimumDistanceNN tolerance {Tolerance:R} and cutoff {Cutoff:R}: give a tolerance in [0, 10] and a cutoff in (0, 100] Angstrom."));
}

/// <summary>A site featurizer that computes every site at once (faster than site by site), with the same values.</summary>
internal interface IAllSitesFeaturizer
{
    /// <summary>Writes site i's features to <c>destination[f * n + i]</c> (feature-major, n sites).</summary>
    void FeaturizeAll(Structure structure, Span<double> destination);
}

/// <summary>Computes features of one site of a structure from its periodic neighbours (matminer's site featurizers).</summary>
public interface ISiteFeaturizer
{
    /// <summary>Feature labels, as matminer spells them (e.g. <c>Average bond length</c>).</summary>
    IReadOnlyList<string> Labels { get; }

    /// <summary>Largest neighbour distance the featurizer looks at, Angstrom.</summary>
    double NeighborCutoff { get; }

    /// <summary>Computes the features of site <paramref name="site"/>.</summary>
    /// <param name="structure">The structure.</param>
    /// <param name="site">Site index, 0..n-1.</param>
    /// <param name="destination">Receives <c>Labels.Count</c> values.</param>
    /// <returns>null, or the problem for this site (e.g. <c>featurize.no_neighbors</c>).</returns>
    Problem? Featurize(Structure structure, int site, Span<double> destination);
}

/// <summary>The weighted mean distance from a site to its nearest neighbours (matminer's <c>AverageBondLength</c>).</summary>
/// <param name="Method">How neighbours are chosen and weighted; matminer's phonons recipe uses <see cref="MinimumDistanceNN.Default"/>.</param>
/// <remarks><c>sum(w_k d_k) / sum(w_k)</c> over the chosen neighbours, d_k recomputed as <c>|r(f_j + m) - r_i|</c> from Cartesian
/// coordinates as matminer does, summed in numpy's order. Angstrom. Source: matminer v0.9.0 <c>matminer/featurizers/site/bonding.py</c>.</remarks>
public sealed record AverageBondLength(MinimumDistanceNN Method) : ISiteFeaturizer
{
    private static readonly string[] LabelList = ["Average bond length"];

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels => LabelList;

    /// <inheritdoc/>
    public double NeighborCutoff => Method.Cutoff;

    /// <inheritdoc/>
    public Problem? Featurize(Structure structure, int site, Span<double> destination)
    {
        var (chosen, nearest) = Method.Select(structure, site);
        var k = chosen.Count;
        if (k == 0) return SiteStats.NoNeighbors(site, Method.Cutoff);
        Span<double> d = k <= 128 ? stackalloc double[k] : new double[k];
        Span<double> w = k <= 128 ? stackalloc double[k] : new double[k];
        var lattice = structure.Lattice;
        var ci = structure.CartesianCoordinates[site];
        for (var q = 0; q < k; q++)
        {
            var (j, m, dist) = chosen[q];
            var f = structure.Sites[j].Fractional;
            d[q] = (lattice.ToCartesian(new Vec3(f.X + m.A, f.Y + m.B, f.Z + m.C)) - ci).Norm;
            w[q] = nearest / dist;
        }
        destination[0] = NumpySum.Average(d, w);
        return null;
    }
}

/// <summary>The number of nearest neighbours of a site (matminer's <c>CoordinationNumber</c> with <c>use_weights="none"</c>).</summary>
/// <param name="Method">How neighbours are chosen; matminer's recipe uses <see cref="MinimumDistanceNN.Default"/>.</param>
/// <remarks>Label <c>CN_MinimumDistanceNN</c>. Source: matminer v0.9.0 <c>matminer/featurizers/site/misc.py</c>.</remarks>
public sealed record CoordinationNumber(MinimumDistanceNN Method) : ISiteFeaturizer
{
    private static readonly string[] LabelList = ["CN_MinimumDistanceNN"];

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels => LabelList;

    /// <inheritdoc/>
    public double NeighborCutoff => Method.Cutoff;

    /// <inheritdoc/>
    public Problem? Featurize(Structure structure, int site, Span<double> destination)
    {
        var k = Method.Select(structure, site).Chosen.Count;
        if (k == 0) return SiteStats.NoNeighbors(site, Method.Cutoff);
        destination[0] = k;
        return null;
    }
}

/// <summary>A generalised radial distribution function of a site with Gaussian bins (matminer's
/// <c>GeneralizedRadialDistributionFunction.from_preset("gaussian")</c>, mode <c>GRDF</c>).</summary>
/// <param name="Width">Gaussian width w, Angstrom (default 1).</param>
/// <param name="Spacing">Spacing of the centres c_b = b x spacing, b = 0, 1, ... while c_b &lt; cutoff (default 1).</param>
/// <param name="Cutoff">Neighbour radius R, Angstrom (default 10).</param>
/// <remarks>Feature b: <c>sum over neighbours within R of exp(-((d - c_b) / w)^2)</c> divided by the bin's volume
/// <c>pi w (sqrt(pi) (2 c^2 + w^2) (erf((R - c)/w) + erf(c/w)) + 2 w (c g(0) - (c + R) g(R)))</c>, g the Gaussian.
/// Labels <c>Gaussian center=0.0 width=1.0</c>, ... Source: matminer v0.9.0 <c>matminer/featurizers/site/rdf.py</c>,
/// <c>matminer/featurizers/utils/grdf.py</c>.</remarks>
public sealed record GaussianRadialDistribution(double Width = 1.0, double Spacing = 1.0, double Cutoff = 10.0) : ISiteFeaturizer, IAllSitesFeaturizer
{
    private double[]? _centers;
    private double[]? _volumes;

    private double[] Centers => _centers ??= [.. Enumerable.Range(0, (int)Math.Ceiling(Cutoff / Spacing)).Select(b => b * Spacing)];

    private double[] Volumes => _volumes ??= [.. Centers.Select(Volume)];

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels => [.. Centers.Select(c => $"Gaussian center={PythonFloat(c)} width={PythonFloat(Width)}")];

    /// <inheritdoc/>
    public double NeighborCutoff => Cutoff;

    private double Gaussian(double r, double c)
    {
        var x = (r - c) / Width;
        return Math.Exp(-1 * (x * x));
    }

    private double Volume(double c) =>
        Math.PI * Width * (Math.Sqrt(Math.PI) * (2 * c * c + Width * Width) * (MathNet.Numerics.SpecialFunctions.Erf((Cutoff - c) / Width) + MathNet.Numerics.SpecialFunctions.Erf(c / Width))
            + 2 * Width * (c * Gaussian(0, c) - (c + Cutoff) * Gaussian(Cutoff, c)));

    /// <inheritdoc/>
    public Problem? Featurize(Structure structure, int site, Span<double> destination)
    {
        var centers = Centers;
        var volumes = Volumes;
        var sink = new GaussianSink { Sums = new double[centers.Length], Width = Width, Spacing = Spacing, Recurrence = Cutoff / Width * (Cutoff / Width) < 600 };
        PeriodicImages.Visit(structure, site, Cutoff, ref sink);
        for (var b = 0; b < centers.Length; b++) destination[b] = sink.Sums[b] / volumes[b];
        return null;
    }

    /// <inheritdoc/>
    void IAllSitesFeaturizer.FeaturizeAll(Structure structure, Span<double> destination)
    {
        var centers = Centers;
        var volumes = Volumes;
        var n = structure.Count;
        var h = Spacing / Width;
        var sink = new PairGaussianSink { Sums = new double[centers.Length * n], Sites = n, Width = Width, Spacing = Spacing, Recurrence = Cutoff / Width * (Cutoff / Width) < 600, Q = Math.Exp(-2 * h * h) };
        PeriodicImages.VisitPairs(structure, Cutoff, ref sink);
        for (var b = 0; b < centers.Length; b++)
            for (var i = 0; i < n; i++) destination[b * n + i] = sink.Sums[b * n + i] / volumes[b];
    }

    /// <summary>The Gaussians of one unordered pair (i, j) at distance d, added to both sites (twice to i when j = i), by the
    /// recurrence of <see cref="GaussianSink"/> with its constant factor computed once.</summary>
    private struct PairGaussianSink : IUnorderedPairSink
    {
        public double[] Sums; // feature-major: Sums[b * Sites + site]
        public int Sites;
        public double Width;
        public double Spacing;
        public bool Recurrence;
        public double Q; // exp(-2 (s/w)^2)

        public readonly void Add(int i, int j, double d)
        {
            var bins = Sums.Length / Sites;
            if (!Recurrence)
            {
                for (var b = 0; b < bins; b++)
                {
                    var x = (d - b * Spacing) / Width;
                    var v = Math.Exp(-1 * (x * x));
                    Sums[b * Sites + i] += v;
                    Sums[b * Sites + j] += v;
                }
                return;
            }
            var u = d / Width;
            var h = Spacing / Width;
            var g = Math.Exp(-1 * (u * u));
            var ratio = Math.Exp(2 * u * h - h * h);
            for (var b = 0; b < bins; b++)
            {
                Sums[b * Sites + i] += g;
                Sums[b * Sites + j] += g;
                g *= ratio;
                ratio *= Q;
            }
        }
    }

    /// <summary>Adds exp(-((d - c_b)/w)^2) for every centre c_b = b s. With x_b = (d - c_b)/w the ratio g_(b+1)/g_b is
    /// exp(2 x_b s/w - (s/w)^2), itself multiplied by exp(-2 (s/w)^2) per step: two exponentials per neighbour instead of
    /// one per centre (relative error a few ulps; used while exp(-(R/w)^2) cannot underflow).</summary>
    private struct GaussianSink : IPairSink
    {
        public double[] Sums;
        public double Width;
        public double Spacing;
        public bool Recurrence;

        public readonly void Add(int j, Image image, double d)
        {
            if (!Recurrence)
            {
                for (var b = 0; b < Sums.Length; b++) { var x = (d - b * Spacing) / Width; Sums[b] += Math.Exp(-1 * (x * x)); }
                return;
            }
            var u = d / Width;
            var h = Spacing / Width;
            var g = Math.Exp(-1 * (u * u));
            var ratio = Math.Exp(2 * u * h - h * h);
            var q = Math.Exp(-2 * h * h);
            for (var b = 0; b < Sums.Length; b++)
            {
                Sums[b] += g;
                g *= ratio;
                ratio *= q;
            }
        }
    }

    /// <summary>True when width, spacing and cutoff are equal.</summary>
    public bool Equals(GaussianRadialDistribution? other) => other is not null && Width == other.Width && Spacing == other.Spacing && Cutoff == other.Cutoff;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Width, Spacing, Cutoff);

    internal Problem? Check() =>
        Width is > 0 and <= 100 && Spacing is >= 0.01 and <= 100 && Cutoff is > 0 and <= 100 ? null
            : new Problem("param.out_of_range", string.Create(CultureInfo.InvariantCulture, $"Gaussian GRDF width {Width:R}, spacing {Spacing:R}, cutoff {Cutoff:R}: give a width in (0, 100], a spacing in [0.01, 100] and a cutoff in (0, 100] Angstrom."));

    /// <summary>Formats a double as Python's <c>str(float)</c> does for the values used here (<c>1.0</c>, <c>0.5</c>).</summary>
    internal static string PythonFloat(double v)
    {
        var s = v.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s : s + ".0";
    }
}

/// <summary>Statistics of a site featurizer over all sites of a structure (matminer's <c>SiteStatsFingerprint</c>).</summary>
/// <remarks>
/// For each site feature (in order) and each statistic (in order) one column, labelled <c>{stat} {site label}</c>, e.g.
/// <c>std_dev Average bond length</c>. Statistics are unweighted, over all sites: <c>minimum</c>, <c>maximum</c>, <c>range</c>,
/// <c>mean</c> (<c>np.mean</c>), <c>avg_dev</c> (mean absolute deviation) and <c>std_dev</c>, the population standard deviation
/// (<c>np.std</c>, ddof 0; not the sample one, and 0 for one site), all summed in numpy's order (<see cref="NumpySum"/>).
/// All are intensive: unchanged by a supercell (every site repeats equally), translations, permutations and rotations.
/// Presets: <see cref="BondLength"/>, <see cref="Coordination"/>, <see cref="GaussianGrdf"/>.
/// Source: matminer v0.9.0 <c>matminer/featurizers/structure/sites.py</c> and <c>matminer/featurizers/utils/stats.py</c>.
/// </remarks>
public sealed class SiteStatsFingerprint : IStructureFeaturizer
{
    private static readonly Statistic[] Allowed = [Statistic.Minimum, Statistic.Maximum, Statistic.Range, Statistic.Mean, Statistic.AvgDev, Statistic.StdDev];

    private readonly Statistic[] _stats;

    private SiteStatsFingerprint(string name, ISiteFeaturizer site, Statistic[] stats)
    {
        Name = name;
        Site = site;
        _stats = stats;
        Statistics = stats;
        Labels = [.. site.Labels.SelectMany(l => stats.Select(s => $"{s.Name()} {l}"))];
        Units = [.. Labels.Select(_ => site is AverageBondLength ? "Angstrom" : "")];
    }

    /// <summary><c>SiteStatsFingerprint(AverageBondLength(MinimumDistanceNN()), stats=("minimum","maximum","mean","std_dev"))</c>: 4 columns, Angstrom.</summary>
    public static SiteStatsFingerprint BondLength { get; } =
        new("site-stats-bond-length", new AverageBondLength(MinimumDistanceNN.Default), [Statistic.Minimum, Statistic.Maximum, Statistic.Mean, Statistic.StdDev]);

    /// <summary><c>SiteStatsFingerprint(CoordinationNumber(MinimumDistanceNN()))</c>: mean and std_dev, 2 columns.</summary>
    public static SiteStatsFingerprint Coordination { get; } =
        new("site-stats-cn", new CoordinationNumber(MinimumDistanceNN.Default), [Statistic.Mean, Statistic.StdDev]);

    /// <summary><c>SiteStatsFingerprint(GeneralizedRadialDistributionFunction.from_preset("gaussian"))</c>: mean and std_dev of 10 Gaussian bins, 20 columns.</summary>
    public static SiteStatsFingerprint GaussianGrdf { get; } =
        new("site-stats-grdf", new GaussianRadialDistribution(), [Statistic.Mean, Statistic.StdDev]);

    /// <summary>Builds a fingerprint.</summary>
    /// <param name="name">Command-line name.</param>
    /// <param name="site">The site featurizer.</param>
    /// <param name="stats">Statistics: minimum, maximum, range, mean, avg_dev, std_dev (at least one, each once).</param>
    /// <returns>The featurizer, or <c>param.unknown_statistic</c>, <c>param.empty</c> or <c>param.out_of_range</c>.</returns>
    public static Validation<Problem, SiteStatsFingerprint> Create(string name, ISiteFeaturizer site, IReadOnlyList<Statistic> stats)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(stats);
        if (stats.Count == 0 || stats.Distinct().Count() != stats.Count)
            return Valid.Fail<SiteStatsFingerprint>("param.empty", "give at least one site statistic, each once.");
        var bad = stats.FirstOrDefault(s => !Allowed.Contains(s), Statistic.Minimum);
        if (!Allowed.Contains(bad))
            return Valid.Fail<SiteStatsFingerprint>("param.unknown_statistic", $"site statistic '{bad.Name()}' is not supported; use {string.Join(", ", Allowed.Select(a => a.Name()))}.");
        var check = site switch
        {
            AverageBondLength a => a.Method.Check(),
            CoordinationNumber c => c.Method.Check(),
            GaussianRadialDistribution g => g.Check(),
            _ => site.NeighborCutoff is > 0 and <= 100 ? null : new Problem("param.out_of_range", "the site featurizer's neighbour cutoff must be in (0, 100] Angstrom."),
        };
        return check is null ? Valid.Ok(new SiteStatsFingerprint(name, site, [.. stats])) : Valid.Fail<SiteStatsFingerprint>(check);
    }

    /// <summary>The site featurizer.</summary>
    public ISiteFeaturizer Site { get; }

    /// <summary>The statistics, in column order within each site feature.</summary>
    public IReadOnlyList<Statistic> Statistics { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Units { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Citations { get; } = [];

    /// <inheritdoc/>
    public IReadOnlyList<string> Implementors { get; } = ["Logan Ward, Nils E. R. Zimmermann, Alex Dunn (matminer)", "Pure.Materials"];

    /// <inheritdoc/>
    public Problem? Featurize(Structure structure, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(structure);
        StructureFeaturizer.CheckDestination(destination, Labels.Count);
        if (StructureFeaturizer.RequireOrdered(structure, Name) is { } p) return p;
        var n = structure.Count;
        var width = Site.Labels.Count;
        var values = new double[width * n]; // feature-major: values[f * n + site]
        if (Site is IAllSitesFeaturizer all)
        {
            all.FeaturizeAll(structure, values);
        }
        else
        {
            Span<double> row = stackalloc double[width];
            for (var i = 0; i < n; i++)
            {
                if (Site.Featurize(structure, i, row) is { } problem) return problem;
                for (var f = 0; f < width; f++) values[f * n + i] = row[f];
            }
        }
        var o = 0;
        for (var f = 0; f < width; f++)
        {
            var v = values.AsSpan(f * n, n);
            foreach (var s in _stats) destination[o++] = SiteStats.Of(s, v);
        }
        return null;
    }
}

internal static class SiteStats
{
    internal static Problem NoNeighbors(int site, double cutoff) =>
        new("featurize.no_neighbors", string.Create(CultureInfo.InvariantCulture, $"site {site} has no neighbour within {cutoff:R} Angstrom, so it has no nearest neighbours; check the lattice (a huge cell or an isolated atom?)."));

    internal static double Of(Statistic s, ReadOnlySpan<double> v)
    {
        switch (s)
        {
            case Statistic.Minimum: return Min(v);
            case Statistic.Maximum: return Max(v);
            case Statistic.Range: return Max(v) - Min(v);
            case Statistic.Mean: return NumpySum.Mean(v);
            case Statistic.StdDev: return v.Length == 1 ? 0 : NumpySum.Std(v);
            case Statistic.AvgDev:
                {
                    var mean = NumpySum.Mean(v);
                    var dev = new double[v.Length];
                    for (var i = 0; i < v.Length; i++) dev[i] = Math.Abs(v[i] - mean);
                    return NumpySum.Mean(dev);
                }
            default: throw new ArgumentOutOfRangeException(nameof(s), s, "statistic not allowed for sites (checked in Create)");
        }
    }

    private static double Min(ReadOnlySpan<double> v)
    {
        var m = v[0];
        foreach (var x in v) { if (double.IsNaN(x)) return double.NaN; if (x < m) m = x; }
        return m;
    }

    private static double Max(ReadOnlySpan<double> v)
    {
        var m = v[0];
        foreach (var x in v) { if (double.IsNaN(x)) return double.NaN; if (x > m) m = x; }
        return m;
    }
}
