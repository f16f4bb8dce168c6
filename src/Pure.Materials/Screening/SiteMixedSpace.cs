using System.Globalization;
using System.Numerics;
using System.Text;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Featurize;

namespace Pure.Materials.Screening;

/// <summary>One site of a site-mixed solid solution and its fraction grid.</summary>
/// <param name="Site">The site: name and the species that may occupy it (e.g. A: K, Rb, Cs, MA, FA).</param>
/// <param name="Steps">Grid resolution n: every species' fraction is a multiple of 1/n, and the fractions of the site sum to 1; 1..1000.</param>
/// <param name="Multiplicity">Sites per formula unit, used only in labels (X in ABX3 has 3: <c>CsPbBr1.5I1.5</c>); positive.</param>
public sealed record SiteGrid(Site Site, int Steps, double Multiplicity = 1);

/// <summary>Site-mixed solid solutions: on each site, fractions of its species on a grid of step 1/n summing to 1; built by
/// <see cref="Candidates.SiteMixed"/> or <see cref="Candidates.PerovskiteSiteMixed"/>.</summary>
/// <remarks>
/// Each candidate has no composition (molecular cations such as MA and FA are not elements) and carries feature values:
/// the fraction of every species of every site (labelled by the species, site by site), then, when a <see cref="SiteAveraged"/>
/// featurizer is given, its site-averaged properties (<c>A_ion_rad</c> ... <c>X_period</c>). For the perovskite space these
/// are the 50 columns of the bundled <c>perovskite_dft</c> data (14 fractions, 36 averages), in the same order, so a model fitted
/// on those columns can score every candidate.
/// Order: sites in the given order, the last site changing fastest; on one site, the tuples (c_1, ..., c_k) of grid units
/// (c_i / n is the fraction) in lexicographic order, from (0, ..., 0, n) to (n, 0, ..., 0).
/// Count (stars and bars): the product over sites of C(n + k - 1, k - 1), k species, n steps. <see cref="At"/> and
/// <see cref="IndexOf"/> map between indices and candidates without enumerating.
/// </remarks>
public sealed record SiteMixedSpace : CandidateSpace
{
    private readonly long[] _siteCounts;
    private readonly long[] _stride;

    internal SiteMixedSpace(Vec<SiteGrid> sites, SiteAveraged? averaged, long count, long[] siteCounts)
    {
        Sites = sites;
        Averaged = averaged;
        Count = count;
        _siteCounts = siteCounts;
        _stride = new long[siteCounts.Length];
        long s = 1;
        for (var i = siteCounts.Length - 1; i >= 0; i--)
        {
            _stride[i] = s;
            s *= siteCounts[i];
        }
        var labels = sites.SelectMany(g => g.Site.Species).ToList();
        if (averaged is not null) labels.AddRange(averaged.Labels);
        FeatureLabels = Vec.Of<string>([.. labels]);
    }

    /// <summary>The sites with their grids, in order.</summary>
    public Vec<SiteGrid> Sites { get; }

    /// <summary>The site-averaged property featurizer whose features follow the fractions, or null for fractions only.</summary>
    public SiteAveraged? Averaged { get; }

    /// <inheritdoc/>
    public override long Count { get; }

    /// <inheritdoc/>
    public override Vec<string> FeatureLabels { get; }

    /// <summary>Tells whether both spaces have the same sites (names, species in order, steps, multiplicities) and the same featurizer instance.</summary>
    /// <param name="other">The other space, or null.</param>
    /// <returns><c>true</c> when equal; equal spaces enumerate the same sequence.</returns>
    public bool Equals(SiteMixedSpace? other) =>
        other is not null && ReferenceEquals(Averaged, other.Averaged) && Sites.Count == other.Sites.Count
        && Sites.Zip(other.Sites).All(p => p.Item1.Site.Name == p.Item2.Site.Name && p.Item1.Site.Species.SequenceEqual(p.Item2.Site.Species)
                                           && p.Item1.Steps == p.Item2.Steps && p.Item1.Multiplicity.Equals(p.Item2.Multiplicity));

    /// <summary>Returns a hash consistent with <see cref="Equals(SiteMixedSpace)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Count, Sites.Count, FeatureLabels);

    /// <inheritdoc/>
    public override string Describe() =>
        $"site-mixed {string.Join(" ", Sites.Select(g => $"{g.Site.Name}: {string.Join(" ", g.Site.Species)} (step 1/{g.Steps})"))}, {FeatureLabels.Count} features, {CountText(Count)}";

    /// <inheritdoc/>
    public override IEnumerable<Candidate> Enumerate()
    {
        var grids = Sites.ToArray();
        var units = grids.Select(g => { var c = new int[g.Site.Species.Length]; c[^1] = g.Steps; return c; }).ToArray();
        for (long index = 0; index < Count; index++)
        {
            yield return Build(index, units);
            var s = grids.Length - 1;
            while (s >= 0 && !NextComposition(units[s]))
            {
                Array.Clear(units[s]);
                units[s][^1] = grids[s].Steps;
                s--;
            }
        }
    }

    /// <summary>Returns the candidate at an index without enumerating the ones before it.</summary>
    /// <param name="index">0..Count-1.</param>
    /// <returns>The same candidate <see cref="Enumerate"/> yields at that position.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="index"/> is outside 0..Count-1 (a programmer error).</exception>
    public Candidate At(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var units = new int[Sites.Count][];
        var rest = index;
        for (var s = 0; s < Sites.Count; s++)
        {
            units[s] = Unrank(rest / _stride[s], Sites[s].Site.Species.Length, Sites[s].Steps);
            rest %= _stride[s];
        }
        return Build(index, units);
    }

    /// <summary>Finds the index of the candidate with the given site fractions.</summary>
    /// <param name="fractions">One fraction per species, in the order of the first part of <see cref="FeatureLabels"/> (site by site).</param>
    /// <returns>The index, or -1 when the fractions are not on the grid (each within 1e-6 of a multiple of 1/n, summing to 1 per site).</returns>
    /// <exception cref="ArgumentException">When the span does not hold one fraction per species (a programmer error).</exception>
    public long IndexOf(ReadOnlySpan<double> fractions)
    {
        var species = Sites.Sum(g => g.Site.Species.Length);
        if (fractions.Length != species) throw new ArgumentException($"Expected {species} fractions, found {fractions.Length}.", nameof(fractions));
        long index = 0;
        var at = 0;
        for (var s = 0; s < Sites.Count; s++)
        {
            var (k, n) = (Sites[s].Site.Species.Length, Sites[s].Steps);
            var units = new int[k];
            var sum = 0;
            for (var i = 0; i < k; i++)
            {
                var u = fractions[at + i] * n;
                var r = Math.Round(u);
                if (!(Math.Abs(u - r) <= 1e-6 * n) || r < 0) return -1;
                units[i] = (int)r;
                sum += units[i];
            }
            if (sum != n) return -1;
            index += Rank(units, n) * _stride[s];
            at += k;
        }
        return index;
    }

    private Candidate Build(long index, int[][] units)
    {
        var m = FeatureLabels.Count;
        var features = new double[m];
        var at = 0;
        var name = new StringBuilder();
        for (var s = 0; s < units.Length; s++)
        {
            var g = Sites[s];
            for (var i = 0; i < units[s].Length; i++)
            {
                var f = (double)units[s][i] / g.Steps;
                features[at++] = f;
                if (units[s][i] == 0) continue;
                var amount = f * g.Multiplicity;
                name.Append(g.Site.Species[i]).Append(amount == 1 ? "" : amount.ToString("R", CultureInfo.InvariantCulture));
            }
        }
        if (Averaged is not null)
        {
            var ok = Averaged.Featurize(features.AsSpan(0, at), features.AsSpan(at));
            if (ok.IsFail) throw new InvalidOperationException("Grid fractions are valid by construction: " + string.Join("; ", ok.Problems().Select(p => p.Message)));
        }
        return new Candidate(index, name.ToString(), null, Vec.Own(features));
    }

    /// <summary>Advances grid units to the next tuple in lexicographic order; false after the last one.</summary>
    private static bool NextComposition(int[] c)
    {
        var k = c.Length;
        var tail = c[k - 1];
        for (var i = k - 2; i >= 0; i--)
        {
            if (tail > 0)
            {
                c[i]++;
                for (var j = i + 1; j < k - 1; j++) c[j] = 0;
                c[k - 1] = tail - 1;
                return true;
            }
            tail += c[i];
        }
        return false;
    }

    /// <summary>Number of tuples of <paramref name="parts"/> non-negative integers summing to <paramref name="total"/>.</summary>
    private static long Compositions(int total, int parts) => parts == 0 ? (total == 0 ? 1 : 0) : (long)Combinatorics.Binomial(total + parts - 1, parts - 1);

    private static long Rank(int[] units, int n)
    {
        long rank = 0;
        var left = n;
        for (var i = 0; i < units.Length - 1; i++)
        {
            for (var v = 0; v < units[i]; v++) rank += Compositions(left - v, units.Length - i - 1);
            left -= units[i];
        }
        return rank;
    }

    private static int[] Unrank(long rank, int k, int n)
    {
        var c = new int[k];
        var left = n;
        for (var i = 0; i < k - 1; i++)
        {
            var v = 0;
            while (true)
            {
                var block = Compositions(left - v, k - i - 1);
                if (rank < block) break;
                rank -= block;
                v++;
            }
            c[i] = v;
            left -= v;
        }
        c[k - 1] = left;
        return c;
    }

    /// <summary>Checks the sites and counts the space.</summary>
    internal static Validation<Problem, CandidateSpace> Create(IReadOnlyList<SiteGrid> sites, SiteAveraged? averaged)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var problems = new List<Problem>();
        if (sites.Count == 0) problems.Add(new Problem("param.empty", "no sites given; give at least one site with its species"));
        foreach (var g in sites)
        {
            if (g.Site.Species.IsDefaultOrEmpty) problems.Add(new Problem("param.empty", $"site {g.Site.Name} has no species; give at least one"));
            if (g.Steps is < 1 or > 1000) problems.Add(new Problem("param.out_of_range", $"site {g.Site.Name} has {g.Steps} grid steps; use 1 to 1000 (8 gives fractions in steps of 0.125)"));
            if (!(g.Multiplicity > 0) || double.IsInfinity(g.Multiplicity)) problems.Add(new Problem("param.out_of_range", $"site {g.Site.Name} has multiplicity {g.Multiplicity}; use a positive number (3 for X in ABX3)"));
        }
        foreach (var dup in sites.Where(g => !g.Site.Species.IsDefault).SelectMany(g => g.Site.Species).GroupBy(x => x).Where(x => x.Count() > 1))
            problems.Add(new Problem("param.duplicate_species", $"species '{dup.Key}' is listed {dup.Count()} times; a species (and its fraction column) belongs to one site"));
        if (problems.Count == 0 && averaged is not null)
        {
            var species = sites.SelectMany(g => g.Site.Species).ToArray();
            var same = averaged.Sites.Length == sites.Count && averaged.Sites.Zip(sites).All(p => p.Item1.Name == p.Item2.Site.Name && p.Item1.Species.SequenceEqual(p.Item2.Site.Species));
            if (!same)
                problems.Add(new Problem("param.sites_mismatch",
                    $"the site-averaged featurizer has sites {string.Join(" ", averaged.Sites.Select(s => $"{s.Name}({string.Join(",", s.Species)})"))} but the grid has {string.Join(" ", sites.Select(g => $"{g.Site.Name}({string.Join(",", g.Site.Species)})"))}; build both from the same sites, in the same order"));
            else if (averaged.Labels.FirstOrDefault(species.Contains) is { } clash)
                problems.Add(new Problem("param.duplicate_label", $"'{clash}' is both a species and a site-averaged feature label; rename one"));
        }
        if (problems.Count > 0) return Valid.Fail<CandidateSpace>(problems);
        var counts = sites.Select(g => Combinatorics.Binomial(g.Steps + g.Site.Species.Length - 1, g.Site.Species.Length - 1)).ToArray();
        var total = counts.Aggregate(BigInteger.One, (a, b) => a * b);
        if (total > long.MaxValue) return Valid.Fail<CandidateSpace>(TemplateSpace.TooLarge(total));
        return Valid.Ok<CandidateSpace>(new SiteMixedSpace(Vec.Of<SiteGrid>([.. sites]), averaged, (long)total, [.. counts.Select(c => (long)c)]));
    }
}
