using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Structures;

/// <summary>Names one periodic neighbour of a site: which site, which image of it, and how far.</summary>
/// <param name="Index">Index of the neighbouring site in <see cref="Structure.Sites"/>, 0-based.</param>
/// <param name="Distance">Distance from the centre site, Angstrom: <c>|r_j + m L - r_i|</c>.</param>
/// <param name="Image">The lattice translation m applied to the neighbour's stored fractional coordinates.</param>
public readonly record struct Neighbor(int Index, double Distance, Image Image);

/// <summary>Holds every site's periodic neighbours within a cutoff, each list sorted by distance, then index, then image.</summary>
/// <remarks>Shape: <see cref="SiteCount"/> lists, stored back to back (<see cref="TotalCount"/> neighbours in all).
/// Immutable. Built by <see cref="Neighbors.Within"/>.</remarks>
public sealed class NeighborList
{
    private readonly Neighbor[] _all;
    private readonly int[] _start; // length SiteCount + 1

    internal NeighborList(double cutoff, Neighbor[] all, int[] start)
    {
        Cutoff = cutoff;
        _all = all;
        _start = start;
    }

    /// <summary>The cutoff radius the list was built with, Angstrom.</summary>
    public double Cutoff { get; }

    /// <summary>Number of centre sites (the structure's site count).</summary>
    public int SiteCount => _start.Length - 1;

    /// <summary>Total number of (centre, neighbour) pairs, each direction counted.</summary>
    public int TotalCount => _all.Length;

    /// <summary>The neighbours of site <paramref name="site"/>, sorted by (distance, index, image); no copy.</summary>
    /// <param name="site">Centre site index, 0..<see cref="SiteCount"/>-1.</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="site"/> is out of range (a programmer error).</exception>
    public ReadOnlySpan<Neighbor> Of(int site)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(site);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(site, SiteCount);
        return _all.AsSpan(_start[site], _start[site + 1] - _start[site]);
    }
}

/// <summary>Finds periodic neighbours: for every site, every image of every site within a cutoff radius.</summary>
public static class Neighbors
{
    /// <summary>Largest number of (centre, neighbour) pairs, or of periodic image points, a search may produce (50 million).</summary>
    public const long MaxPairs = 50_000_000;

    /// <summary>Structures with at least this many sites search their centres in parallel; smaller ones on the calling thread
    /// (so many small structures are best searched in parallel by the caller). Either way the result is the same.</summary>
    public const int ParallelSites = 256;

    /// <summary>Lists, for every site, all periodic images of all sites at distance at most <paramref name="cutoff"/>, the site itself at image (0, 0, 0) excluded.</summary>
    /// <param name="structure">The structure (any lattice, skewed or left-handed; sites anywhere, not necessarily in [0, 1)).</param>
    /// <param name="cutoff">Radius, Angstrom, finite and positive.</param>
    /// <returns>The neighbour lists, or one problem: <c>neighbors.invalid_cutoff</c> (NaN, infinite, zero or negative),
    /// <c>neighbors.too_many</c> (the expected pair count <c>n^2 (4/3) pi r^3 / V</c>, or the count of image points to search,
    /// exceeds <see cref="MaxPairs"/>; use a smaller cutoff).</returns>
    /// <remarks>
    /// Neighbour (j, m) of site i is at distance <c>d = |(r_j - r_i) + (m_a a + m_b b + m_c c)|</c> with <c>r</c> the Cartesian
    /// coordinates; it is kept when <c>d &lt;= cutoff</c> (pymatgen keeps up to <c>cutoff + 1e-8</c>) and (j, m) is not (i, (0, 0, 0)).
    /// Two different sites at the same point are neighbours at distance 0. The lists are symmetric bit for bit: i sees j at
    /// d with image m exactly when j sees i at the same d with image -m (the difference vector is negated exactly).
    /// <para>Algorithm (as pymatgen's <c>find_points_in_spheres</c>): sites are wrapped into [0, 1); along axis k the images
    /// reach <c>r |b*_k|</c> cells beyond the unit cell, <c>b*_k</c> the crystallographic reciprocal rows, which is exact for
    /// skewed cells; image points are put in a Cartesian cell list with cubes of edge <c>cutoff</c>, and each site searches only
    /// the 27 cubes around it. Cost: O(points + pairs), not O(n^2 x images). Centres of structures with at least
    /// <see cref="ParallelSites"/> sites are processed in parallel, each into its own list, so the result does not depend on the thread count.</para>
    /// Source: pymatgen 2022.11.7 <c>Structure.get_all_neighbors</c> / <c>pymatgen.optimization.neighbors.find_points_in_spheres</c>;
    /// on the ten COD CIFs of the reference set the distances equal pymatgen's within 1e-12 Angstrom (tests/.../Structures).
    /// </remarks>
    public static Validation<Problem, NeighborList> Within(Structure structure, double cutoff)
    {
        ArgumentNullException.ThrowIfNull(structure);
        if (!(cutoff > 0) || !double.IsFinite(cutoff))
            return Valid.Fail<NeighborList>("neighbors.invalid_cutoff", string.Create(CultureInfo.InvariantCulture, $"cutoff {cutoff:R} is not a positive finite distance; give a radius in Angstrom such as 8."));
        var n = structure.Count;
        var lattice = structure.Lattice;
        var expected = (double)n * n * 4.0 / 3.0 * Math.PI * cutoff * cutoff * cutoff / lattice.Volume;
        var spacing = lattice.PlaneSpacings;
        var reach = new Vec3(cutoff / spacing.X, cutoff / spacing.Y, cutoff / spacing.Z); // r |b*_k|, in cells
        var points = (double)n * (1 + 2 * (reach.X + 1)) * (1 + 2 * (reach.Y + 1)) * (1 + 2 * (reach.Z + 1));
        if (expected > MaxPairs || points > 4 * MaxPairs)
            return Valid.Fail<NeighborList>("neighbors.too_many", string.Create(CultureInfo.InvariantCulture,
                $"a {cutoff:R} Angstrom search over {n} sites in {lattice.Volume:G6} Angstrom^3 would give about {expected:G3} pairs from {points:G3} image points, more than {MaxPairs:N0}; use a smaller cutoff."));
        return Valid.Ok(Search(structure, cutoff, reach));
    }

    private static NeighborList Search(Structure structure, double cutoff, Vec3 reach)
    {
        var n = structure.Count;
        var lattice = structure.Lattice;
        var cart = structure.CartesianSpan.ToArray();
        // Wrapped fractional coordinates w_j in [0, 1) and integer shifts s_j with f_j ~ w_j + s_j.
        var wrapped = new Vec3[n];
        var shift = new (int A, int B, int C)[n];
        for (var j = 0; j < n; j++)
        {
            var f = structure.Sites[j].Fractional;
            var (wa, sa) = Wrap(f.X);
            var (wb, sb) = Wrap(f.Y);
            var (wc, sc) = Wrap(f.Z);
            wrapped[j] = new Vec3(wa, wb, wc);
            shift[j] = (sa, sb, sc);
        }
        // Image points (j, t): w_j + t within [-reach_k, 1 + reach_k] along every axis k (a necessary condition for being
        // within the cutoff of a centre in [0, 1)^3). t is the translation relative to the wrapped position.
        const double Slack = 1e-9;
        var pj = new List<int>();
        var pt = new List<(int A, int B, int C)>();
        var pos = new List<Vec3>();
        for (var j = 0; j < n; j++)
        {
            var w = wrapped[j];
            var (loA, hiA) = Range(w.X, reach.X + Slack);
            var (loB, hiB) = Range(w.Y, reach.Y + Slack);
            var (loC, hiC) = Range(w.Z, reach.Z + Slack);
            for (var a = loA; a <= hiA; a++)
                for (var b = loB; b <= hiB; b++)
                    for (var c = loC; c <= hiC; c++)
                    {
                        pj.Add(j);
                        pt.Add((a, b, c));
                        pos.Add(lattice.ToCartesian(new Vec3(w.X + a, w.Y + b, w.Z + c)));
                    }
        }
        // Cartesian cell list: cubes of edge slightly above the cutoff, at most 2^20 per axis.
        var min = pos.Aggregate(new Vec3(double.MaxValue, double.MaxValue, double.MaxValue), (m, p) => new Vec3(Math.Min(m.X, p.X), Math.Min(m.Y, p.Y), Math.Min(m.Z, p.Z)));
        var max = pos.Aggregate(new Vec3(double.MinValue, double.MinValue, double.MinValue), (m, p) => new Vec3(Math.Max(m.X, p.X), Math.Max(m.Y, p.Y), Math.Max(m.Z, p.Z)));
        var extent = Math.Max(max.X - min.X, Math.Max(max.Y - min.Y, max.Z - min.Z));
        var edge = Math.Max(cutoff * (1 + 1e-9), extent / (1 << 20));
        long nx = (long)Math.Floor((max.X - min.X) / edge) + 1, ny = (long)Math.Floor((max.Y - min.Y) / edge) + 1, nz = (long)Math.Floor((max.Z - min.Z) / edge) + 1;
        (long X, long Y, long Z) Cube(Vec3 p) => ((long)Math.Floor((p.X - min.X) / edge), (long)Math.Floor((p.Y - min.Y) / edge), (long)Math.Floor((p.Z - min.Z) / edge));
        long Key(long x, long y, long z) => (x * ny + y) * nz + z;
        var keys = new long[pos.Count];
        var order = new int[pos.Count];
        for (var p = 0; p < keys.Length; p++)
        {
            var (x, y, z) = Cube(pos[p]);
            keys[p] = Key(x, y, z);
            order[p] = p;
        }
        Array.Sort(keys, order);
        var cubes = new Dictionary<long, (int Start, int Count)>();
        for (var p = 0; p < keys.Length;)
        {
            var q = p;
            while (q < keys.Length && keys[q] == keys[p]) q++;
            cubes[keys[p]] = (p, q - p);
            p = q;
        }
        var lists = new Neighbor[n][];
        void Centre(int i)
        {
            var found = new List<Neighbor>();
            var (cx, cy, cz) = Cube(lattice.ToCartesian(wrapped[i]));
            for (var dx = -1; dx <= 1; dx++)
                for (var dy = -1; dy <= 1; dy++)
                    for (var dz = -1; dz <= 1; dz++)
                    {
                        long x = cx + dx, y = cy + dy, z = cz + dz;
                        if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) continue;
                        if (!cubes.TryGetValue(Key(x, y, z), out var range)) continue;
                        for (var r = range.Start; r < range.Start + range.Count; r++)
                        {
                            var p = order[r];
                            var j = pj[p];
                            var t = pt[p];
                            // r_j + m L = (w_j + t + ...) with m = t - s_j + s_i.
                            var m = new Image(t.A - shift[j].A + shift[i].A, t.B - shift[j].B + shift[i].B, t.C - shift[j].C + shift[i].C);
                            if (j == i && m == default) continue;
                            var d = Distance(cart[j] - cart[i], m, lattice);
                            if (d <= cutoff) found.Add(new Neighbor(j, d, m));
                        }
                    }
            found.Sort(static (u, v) =>
            {
                var c = u.Distance.CompareTo(v.Distance);
                if (c != 0) return c;
                c = u.Index.CompareTo(v.Index);
                return c != 0 ? c : u.Image.CompareTo(v.Image);
            });
            lists[i] = [.. found];
        }
        if (n >= ParallelSites) Parallel.For(0, n, Centre);
        else for (var i = 0; i < n; i++) Centre(i);
        var start = new int[n + 1];
        for (var i = 0; i < n; i++) start[i + 1] = checked(start[i] + lists[i].Length);
        var all = new Neighbor[start[n]];
        for (var i = 0; i < n; i++) lists[i].CopyTo(all, start[i]);
        return new NeighborList(cutoff, all, start);
    }

    /// <summary>|delta + m L|, with <c>m L = (m_a a + m_b b) + m_c c</c>; negating both delta and m negates the sum exactly.</summary>
    private static double Distance(Vec3 delta, Image m, Lattice lattice)
    {
        var t = (double)m.A * lattice.A + (double)m.B * lattice.B + (double)m.C * lattice.C;
        return (delta + t).Norm;
    }

    private static (double W, int S) Wrap(double f)
    {
        var s = Math.Floor(f);
        var w = f - s;
        if (w >= 1) { w = 0; s += 1; } // f a hair below an integer: f - floor(f) rounds to 1
        return (w, (int)s);
    }

    private static (int Lo, int Hi) Range(double w, double reach) =>
        ((int)Math.Ceiling(-reach - w), (int)Math.Floor(1 + reach - w));
}
