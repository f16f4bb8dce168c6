using Pure.Materials.Structures;

namespace Pure.Materials.Featurize.Structural;

/// <summary>Receives the (neighbour site, distance) pairs found by <see cref="PeriodicImages.Visit"/>.</summary>
internal interface IPairSink
{
    void Add(int j, Image image, double distance);
}

/// <summary>Receives each unordered pair (i, image of j) once, i &lt;= j, found by <see cref="PeriodicImages.VisitPairs"/>.</summary>
internal interface IUnorderedPairSink
{
    void Add(int i, int j, double distance);
}

/// <summary>Enumerates the periodic images of every site around one centre site: a direct search over lattice translations,
/// culled to the sphere (no neighbour list is built), for featurizers that need only counts or sums.</summary>
/// <remarks>Image (j, m) of site j lies at <c>r_j + t</c> with <c>t = (m_a a + m_b b) + m_c c</c>; its distance from centre i is
/// <c>|(r_j + t) - r_i|</c> (components summed x, y, z), the form pymatgen's neighbour search uses. For a radius R, m_a and m_b
/// range over <c>|(f_j - f_i)_k + m_k| &lt;= R / s_k</c> (s_k the lattice plane spacings: exact for any skewed cell), and for each
/// (m_a, m_b) m_c over the roots of the quadratic <c>|p + m_c c|^2 = R^2</c>, widened by 1e-9; the final test <c>d &lt;= R</c>
/// decides. Centre i's own image (0, 0, 0) is skipped. Scalar code in a fixed order: the same distances on every CPU.</remarks>
internal static class PeriodicImages
{
    internal static void Visit<TSink>(Structure structure, int i, double radius, ref TSink sink) where TSink : struct, IPairSink
    {
        var sphere = new Sphere(structure.Lattice, radius);
        var cart = structure.CartesianSpan;
        var sites = structure.SiteSpan;
        var (ci, fi) = (cart[i], sites[i].Fractional);
        var centred = new Centred<TSink> { Inner = sink };
        for (var j = 0; j < structure.Count; j++)
        {
            centred.J = j;
            Images(sphere, ci, fi, cart[j], sites[j].Fractional, j == i ? Self.SkipOrigin : Self.None, ref centred);
        }
        sink = centred.Inner;
    }

    /// <summary>Visits every unordered neighbour pair within <paramref name="radius"/> once: (i, j, m) for i &lt; j and every image m,
    /// and (i, i, m) for the images m &gt; 0 (lexicographically) only. Site i sees j at d exactly when j sees i at d (image -m),
    /// so a sink adding d to both i and j (twice to i when j = i) gets every ordered pair of <see cref="Visit"/>, with half the
    /// distance evaluations. Same distance formula as <see cref="Visit"/>, with i as the centre.</summary>
    internal static void VisitPairs<TSink>(Structure structure, double radius, ref TSink sink) where TSink : struct, IUnorderedPairSink
    {
        var sphere = new Sphere(structure.Lattice, radius);
        var cart = structure.CartesianSpan;
        var sites = structure.SiteSpan;
        var pairs = new Unordered<TSink> { Inner = sink };
        for (var i = 0; i < structure.Count; i++)
        {
            var (ci, fi) = (cart[i], sites[i].Fractional);
            pairs.I = i;
            for (var j = i; j < structure.Count; j++)
            {
                pairs.J = j;
                Images(sphere, ci, fi, cart[j], sites[j].Fractional, j == i ? Self.HalfSpace : Self.None, ref pairs);
            }
        }
        sink = pairs.Inner;
    }

    /// <summary>Which images of the centre itself to visit: all (another site), all but (0, 0, 0), or the lexicographically
    /// positive half (each unordered self pair once).</summary>
    private enum Self { None, SkipOrigin, HalfSpace }

    /// <summary>The lattice rows and the search bounds for one radius: the reach along a and b in cells (radius over the plane
    /// spacing, widened by 1e-9), |c|^2 and radius^2.</summary>
    private readonly struct Sphere(Lattice lattice, double radius)
    {
        public readonly Vec3 A = lattice.A, B = lattice.B, C = lattice.C;
        public readonly double ReachA = radius / lattice.PlaneSpacings.X + 1e-9, ReachB = radius / lattice.PlaneSpacings.Y + 1e-9;
        public readonly double Cc = Vec3.Dot(lattice.C, lattice.C), Radius = radius, R2 = radius * radius;
    }

    private interface IImageSink
    {
        void Add(Image image, double distance);
    }

    private struct Centred<TSink> : IImageSink where TSink : struct, IPairSink
    {
        public TSink Inner;
        public int J;
        public void Add(Image image, double distance) => Inner.Add(J, image, distance);
    }

    private struct Unordered<TSink> : IImageSink where TSink : struct, IUnorderedPairSink
    {
        public TSink Inner;
        public int I, J;
        public void Add(Image image, double distance) => Inner.Add(I, J, distance);
    }

    /// <summary>Every image m of site j (Cartesian cj, fractional fj) within the sphere around centre (ci, fi), with its distance
    /// <c>|(cj + t) - ci|</c>, t = (m_a a + m_b b) + m_c c; the one search both visitors share.</summary>
    private static void Images<TSink>(in Sphere sphere, Vec3 ci, Vec3 fi, Vec3 cj, Vec3 fj, Self self, ref TSink sink) where TSink : struct, IImageSink
    {
        int loA = (int)Math.Ceiling(-sphere.ReachA - (fj.X - fi.X)), hiA = (int)Math.Floor(sphere.ReachA - (fj.X - fi.X));
        int loB = (int)Math.Ceiling(-sphere.ReachB - (fj.Y - fi.Y)), hiB = (int)Math.Floor(sphere.ReachB - (fj.Y - fi.Y));
        var half = self == Self.HalfSpace;
        if (half) loA = Math.Max(loA, 0);
        for (var a = loA; a <= hiA; a++)
            for (var b = half && a == 0 ? Math.Max(loB, 0) : loB; b <= hiB; b++)
            {
                var tab = (double)a * sphere.A + (double)b * sphere.B;
                var p = cj + tab - ci;
                var pc = Vec3.Dot(p, sphere.C);
                var disc = pc * pc - sphere.Cc * (Vec3.Dot(p, p) - sphere.R2);
                if (disc < 0) continue;
                var root = Math.Sqrt(disc);
                var loC = (int)Math.Ceiling((-pc - root) / sphere.Cc - 1e-9);
                var hiC = (int)Math.Floor((-pc + root) / sphere.Cc + 1e-9);
                if (half && a == 0 && b == 0) loC = Math.Max(loC, 1);
                for (var c = loC; c <= hiC; c++)
                {
                    if (self == Self.SkipOrigin && a == 0 && b == 0 && c == 0) continue;
                    var t = tab + (double)c * sphere.C;
                    var dx = cj.X + t.X - ci.X;
                    var dy = cj.Y + t.Y - ci.Y;
                    var dz = cj.Z + t.Z - ci.Z;
                    var d = Math.Sqrt(dx * dx + dy * dy + dz * dz);
                    if (d <= sphere.Radius) sink.Add(new Image(a, b, c), d);
                }
            }
    }

    /// <summary>The distance from site i to its nearest periodic neighbour within <paramref name="cutoff"/>, or +infinity when there is none.</summary>
    internal static double Nearest(Structure structure, int i, double cutoff)
    {
        // An upper bound: the shortest lattice row, and each other site's image nearest in fractional terms.
        var lattice = structure.Lattice;
        var bound = Math.Min(lattice.A.Norm, Math.Min(lattice.B.Norm, lattice.C.Norm));
        var fi = structure.Sites[i].Fractional;
        for (var j = 0; j < structure.Count; j++)
        {
            if (j == i) continue;
            var df = structure.Sites[j].Fractional - fi;
            bound = Math.Min(bound, lattice.ToCartesian(new Vec3(df.X - Math.Round(df.X), df.Y - Math.Round(df.Y), df.Z - Math.Round(df.Z))).Norm);
        }
        var sink = new MinSink { Min = double.PositiveInfinity };
        Visit(structure, i, Math.Min(cutoff, bound * (1 + 1e-9) + 1e-12), ref sink);
        return sink.Min;
    }

    private struct MinSink : IPairSink
    {
        public double Min;
        public void Add(int j, Image image, double distance) { if (distance < Min) Min = distance; }
    }
}
