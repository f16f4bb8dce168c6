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
        var lattice = structure.Lattice;
        var (la, lb, lc) = (lattice.A, lattice.B, lattice.C);
        var spacing = lattice.PlaneSpacings;
        var (ra, rb) = (radius / spacing.X + 1e-9, radius / spacing.Y + 1e-9);
        var cc = Vec3.Dot(lc, lc);
        var r2 = radius * radius;
        var cart = structure.CartesianCoordinates;
        var ci = cart[i];
        var fi = structure.Sites[i].Fractional;
        var n = structure.Count;
        for (var j = 0; j < n; j++)
        {
            var fj = structure.Sites[j].Fractional;
            var cj = cart[j];
            int loA = (int)Math.Ceiling(-ra - (fj.X - fi.X)), hiA = (int)Math.Floor(ra - (fj.X - fi.X));
            int loB = (int)Math.Ceiling(-rb - (fj.Y - fi.Y)), hiB = (int)Math.Floor(rb - (fj.Y - fi.Y));
            for (var a = loA; a <= hiA; a++)
                for (var b = loB; b <= hiB; b++)
                {
                    var tab = (double)a * la + (double)b * lb;
                    var p = cj + tab - ci;
                    var pc = Vec3.Dot(p, lc);
                    var disc = pc * pc - cc * (Vec3.Dot(p, p) - r2);
                    if (disc < 0) continue;
                    var root = Math.Sqrt(disc);
                    var loC = (int)Math.Ceiling((-pc - root) / cc - 1e-9);
                    var hiC = (int)Math.Floor((-pc + root) / cc + 1e-9);
                    for (var c = loC; c <= hiC; c++)
                    {
                        if (j == i && a == 0 && b == 0 && c == 0) continue;
                        var t = tab + (double)c * lc;
                        var dx = cj.X + t.X - ci.X;
                        var dy = cj.Y + t.Y - ci.Y;
                        var dz = cj.Z + t.Z - ci.Z;
                        var d = Math.Sqrt(dx * dx + dy * dy + dz * dz);
                        if (d <= radius) sink.Add(j, new Image(a, b, c), d);
                    }
                }
        }
    }

    /// <summary>Visits every unordered neighbour pair within <paramref name="radius"/> once: (i, j, m) for i &lt; j and every image m,
    /// and (i, i, m) for the images m &gt; 0 (lexicographically) only. Site i sees j at d exactly when j sees i at d (image -m),
    /// so a sink adding d to both i and j (twice to i when j = i) gets every ordered pair of <see cref="Visit"/>, with half the
    /// distance evaluations. Same distance formula as <see cref="Visit"/>, with i as the centre.</summary>
    internal static void VisitPairs<TSink>(Structure structure, double radius, ref TSink sink) where TSink : struct, IUnorderedPairSink
    {
        var lattice = structure.Lattice;
        var (la, lb, lc) = (lattice.A, lattice.B, lattice.C);
        var spacing = lattice.PlaneSpacings;
        var (ra, rb) = (radius / spacing.X + 1e-9, radius / spacing.Y + 1e-9);
        var cc = Vec3.Dot(lc, lc);
        var r2 = radius * radius;
        var cart = structure.CartesianCoordinates;
        var n = structure.Count;
        for (var i = 0; i < n; i++)
        {
            var ci = cart[i];
            var fi = structure.Sites[i].Fractional;
            for (var j = i; j < n; j++)
            {
                var fj = structure.Sites[j].Fractional;
                var cj = cart[j];
                int loA = (int)Math.Ceiling(-ra - (fj.X - fi.X)), hiA = (int)Math.Floor(ra - (fj.X - fi.X));
                int loB = (int)Math.Ceiling(-rb - (fj.Y - fi.Y)), hiB = (int)Math.Floor(rb - (fj.Y - fi.Y));
                if (j == i) loA = Math.Max(loA, 0);
                for (var a = loA; a <= hiA; a++)
                    for (var b = j == i && a == 0 ? Math.Max(loB, 0) : loB; b <= hiB; b++)
                    {
                        var tab = (double)a * la + (double)b * lb;
                        var p = cj + tab - ci;
                        var pc = Vec3.Dot(p, lc);
                        var disc = pc * pc - cc * (Vec3.Dot(p, p) - r2);
                        if (disc < 0) continue;
                        var root = Math.Sqrt(disc);
                        var loC = (int)Math.Ceiling((-pc - root) / cc - 1e-9);
                        var hiC = (int)Math.Floor((-pc + root) / cc + 1e-9);
                        if (j == i && a == 0 && b == 0) loC = Math.Max(loC, 1);
                        for (var c = loC; c <= hiC; c++)
                        {
                            var t = tab + (double)c * lc;
                            var dx = cj.X + t.X - ci.X;
                            var dy = cj.Y + t.Y - ci.Y;
                            var dz = cj.Z + t.Z - ci.Z;
                            var d = Math.Sqrt(dx * dx + dy * dy + dz * dz);
                            if (d <= radius) sink.Add(i, j, d);
                        }
                    }
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
