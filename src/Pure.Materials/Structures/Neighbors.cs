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
    /// d with image m exactly when j sees i at the same d with image -m (the difference vector is negated exactly). The
    /// search pre-filters on wrapped positions with a margin of 5e-7 x cutoff, far above their rounding error for any
    /// ordinary structure; only sites millions of cells from the origin in cells millions of Angstrom long could lose a pair
    /// within that margin of the sphere.
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
        var cart = structure.CartesianSpan;
        // Wrapped fractional coordinates w_j in [0, 1) and integer shifts s_j with f_j ~ w_j + s_j.
        var wrapped = new Vec3[n];
        var shift = new Image[n];
        for (var j = 0; j < n; j++)
        {
            var f = structure.Sites[j].Fractional;
            var (wa, sa) = Wrap(f.X);
            var (wb, sb) = Wrap(f.Y);
            var (wc, sc) = Wrap(f.Z);
            wrapped[j] = new Vec3(wa, wb, wc);
            shift[j] = new Image(sa, sb, sc);
        }
        // Image points (j, t): w_j + t within [-reach_k, 1 + reach_k] along every axis k (a necessary condition for being
        // within the cutoff of a centre in [0, 1)^3). t is the translation relative to the wrapped position.
        const double Slack = 1e-9;
        var ranges = new (int LoA, int HiA, int LoB, int HiB, int LoC, int HiC)[n];
        long count = 0;
        for (var j = 0; j < n; j++)
        {
            var w = wrapped[j];
            var (loA, hiA) = Range(w.X, reach.X + Slack);
            var (loB, hiB) = Range(w.Y, reach.Y + Slack);
            var (loC, hiC) = Range(w.Z, reach.Z + Slack);
            ranges[j] = (loA, hiA, loB, hiB, loC, hiC);
            count += (long)(hiA - loA + 1) * (hiB - loB + 1) * (hiC - loC + 1);
        }
        var points = checked((int)count);
        var pj = new int[points];
        var pt = new Image[points];
        var pos = new Vec3[points];
        double minX = double.MaxValue, minY = double.MaxValue, minZ = double.MaxValue;
        double maxX = double.MinValue, maxY = double.MinValue, maxZ = double.MinValue;
        var q = 0;
        for (var j = 0; j < n; j++)
        {
            var w = wrapped[j];
            var g = ranges[j];
            for (var a = g.LoA; a <= g.HiA; a++)
                for (var b = g.LoB; b <= g.HiB; b++)
                    for (var c = g.LoC; c <= g.HiC; c++)
                    {
                        var p = lattice.ToCartesian(new Vec3(w.X + a, w.Y + b, w.Z + c));
                        pj[q] = j;
                        pt[q] = new Image(a, b, c);
                        pos[q++] = p;
                        minX = Math.Min(minX, p.X); minY = Math.Min(minY, p.Y); minZ = Math.Min(minZ, p.Z);
                        maxX = Math.Max(maxX, p.X); maxY = Math.Max(maxY, p.Y); maxZ = Math.Max(maxZ, p.Z);
                    }
        }
        // Cartesian cell list: cubes of edge slightly above the cutoff, at most 2^20 per axis.
        var extent = Math.Max(maxX - minX, Math.Max(maxY - minY, maxZ - minZ));
        var edge = Math.Max(cutoff * (1 + 1e-9), extent / (1 << 20));
        long nx = (long)Math.Floor((maxX - minX) / edge) + 1, ny = (long)Math.Floor((maxY - minY) / edge) + 1, nz = (long)Math.Floor((maxZ - minZ) / edge) + 1;
        long CubeX(double x) => (long)Math.Floor((x - minX) / edge);
        long CubeY(double y) => (long)Math.Floor((y - minY) / edge);
        long CubeZ(double z) => (long)Math.Floor((z - minZ) / edge);
        long Key(long x, long y, long z) => (x * ny + y) * nz + z;
        var keys = new long[points];
        for (var p = 0; p < points; p++) keys[p] = Key(CubeX(pos[p].X), CubeY(pos[p].Y), CubeZ(pos[p].Z));
        // Points grouped by cube: a counting sort over a dense cube array when it is small, else a sort by key.
        var order = new int[points];
        int[]? dense = null;
        Dictionary<long, (int Start, int Count)>? sparse = null;
        if (nx * ny * nz <= 4L * points + 1024)
        {
            dense = new int[nx * ny * nz + 1];
            foreach (var k in keys) dense[k + 1]++;
            for (var k = 1; k < dense.Length; k++) dense[k] += dense[k - 1];
            var fill = (int[])dense.Clone();
            for (var p = 0; p < points; p++) order[fill[keys[p]]++] = p;
        }
        else
        {
            for (var p = 0; p < points; p++) order[p] = p;
            var sortedKeys = (long[])keys.Clone();
            Array.Sort(sortedKeys, order);
            sparse = [];
            for (var p = 0; p < points;)
            {
                var r = p;
                while (r < points && sortedKeys[r] == sortedKeys[p]) r++;
                sparse[sortedKeys[p]] = (p, r - p);
                p = r;
            }
        }
        var cutoff2 = cutoff * cutoff * (1 + 1e-6); // pre-filter on the binned positions; the exact test follows
        var cartArray = structure.CartesianSpan.ToArray();
        void Centre(int i, List<Neighbor> found)
        {
            var centre = lattice.ToCartesian(wrapped[i]);
            long cx = CubeX(centre.X), cy = CubeY(centre.Y), cz = CubeZ(centre.Z);
            for (var x = Math.Max(cx - 1, 0); x <= Math.Min(cx + 1, nx - 1); x++)
                for (var y = Math.Max(cy - 1, 0); y <= Math.Min(cy + 1, ny - 1); y++)
                    for (var z = Math.Max(cz - 1, 0); z <= Math.Min(cz + 1, nz - 1); z++)
                    {
                        var key = Key(x, y, z);
                        int from, to;
                        if (dense is not null) { from = dense[key]; to = dense[key + 1]; }
                        else if (sparse!.TryGetValue(key, out var range)) { from = range.Start; to = range.Start + range.Count; }
                        else continue;
                        for (var r = from; r < to; r++)
                        {
                            var p = order[r];
                            var v = pos[p] - centre;
                            if (Vec3.Dot(v, v) > cutoff2) continue;
                            var j = pj[p];
                            var t = pt[p];
                            // r_j + m L = L (w_j + t) + (r_i - L w_i) with m = t - s_j + s_i.
                            var m = new Image(t.A - shift[j].A + shift[i].A, t.B - shift[j].B + shift[i].B, t.C - shift[j].C + shift[i].C);
                            if (j == i && m == default) continue;
                            var d = Distance(cartArray[j] - cartArray[i], m, lattice);
                            if (d <= cutoff) found.Add(new Neighbor(j, d, m));
                        }
                    }
            SortByDistanceIndexImage(found);
        }
        var start = new int[n + 1];
        if (n >= ParallelSites)
        {
            var lists = new Neighbor[n][];
            Parallel.For(0, n, () => new List<Neighbor>(), (i, _, found) =>
            {
                found.Clear();
                Centre(i, found);
                lists[i] = [.. found];
                return found;
            }, _ => { });
            for (var i = 0; i < n; i++) start[i + 1] = checked(start[i] + lists[i].Length);
            var all = new Neighbor[start[n]];
            for (var i = 0; i < n; i++) lists[i].CopyTo(all, start[i]);
            return new NeighborList(cutoff, all, start);
        }
        var buffer = new List<Neighbor>();
        var found = new List<Neighbor>();
        for (var i = 0; i < n; i++)
        {
            found.Clear();
            Centre(i, found);
            buffer.AddRange(found);
            start[i + 1] = buffer.Count;
        }
        return new NeighborList(cutoff, [.. buffer], start);
    }

    /// <summary>Sorts by distance with a primitive key sort, then each run of equal distances by (index, image): the same
    /// order as sorting with <see cref="NeighborOrder"/>, a few times faster.</summary>
    private static void SortByDistanceIndexImage(List<Neighbor> found)
    {
        var items = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(found);
        if (items.Length < 2) return;
        var keys = items.Length <= 512 ? stackalloc double[items.Length] : new double[items.Length];
        for (var k = 0; k < items.Length; k++) keys[k] = items[k].Distance;
        keys.Sort(items);
        for (var k = 0; k < items.Length;)
        {
            var e = k + 1;
            while (e < items.Length && keys[e] == keys[k]) e++;
            if (e - k > 1) items[k..e].Sort(NeighborOrder.Instance);
            k = e;
        }
    }

    /// <summary>Orders neighbours by distance, then index, then image.</summary>
    private sealed class NeighborOrder : IComparer<Neighbor>
    {
        public static readonly NeighborOrder Instance = new();

        public int Compare(Neighbor u, Neighbor v)
        {
            var c = u.Distance.CompareTo(v.Distance);
            if (c != 0) return c;
            c = u.Index.CompareTo(v.Index);
            return c != 0 ? c : u.Image.CompareTo(v.Image);
        }
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
