using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Structures;

/// <summary>Holds an immutable periodic lattice: three row vectors a, b, c in Angstrom (the 3x3 matrix <c>L</c>, rows a, b, c).</summary>
/// <remarks>
/// Conventions are pymatgen's (<c>pymatgen.core.lattice.Lattice</c>, 2022.11.7): Cartesian = fractional x <c>L</c>
/// (<c>r = f_a a + f_b b + f_c c</c>); the reciprocal lattice has rows <c>2 pi (L^-1)^T</c>; the crystallographic
/// reciprocal lattice drops the <c>2 pi</c>. The rows may be left- or right-handed (a negative determinant is allowed, as
/// in some Matbench cells); <see cref="Volume"/> is the absolute value. Equality is exact on the nine numbers.
/// A lattice can only be built through <see cref="Create"/> or <see cref="FromParameters"/>, which refuse non-finite
/// entries, entries beyond 1e6 Angstrom and flat (zero-volume) cells, so every method here is total.
/// </remarks>
public sealed class Lattice : IEquatable<Lattice>
{
    /// <summary>Largest accepted absolute value of a lattice-matrix entry, Angstrom.</summary>
    public const double MaxEntry = 1e6;

    /// <summary>Smallest accepted <c>Volume / (|a| |b| |c|)</c>: below it the cell is treated as flat.</summary>
    public const double MinVolumeRatio = 1e-8;

    private readonly Vec3 _ia, _ib, _ic; // columns of L^-1, as rows of (L^-1)^T: the crystallographic reciprocal rows

    private Lattice(Vec3 a, Vec3 b, Vec3 c)
    {
        A = a;
        B = b;
        C = c;
        var det = Vec3.Dot(Vec3.Cross(a, b), c);
        Determinant = det;
        Volume = Math.Abs(det);
        // (L^-1)^T rows: (b x c)/det, (c x a)/det, (a x b)/det.
        _ia = (1 / det) * Vec3.Cross(b, c);
        _ib = (1 / det) * Vec3.Cross(c, a);
        _ic = (1 / det) * Vec3.Cross(a, b);
        Lengths = new Vec3(a.Norm, b.Norm, c.Norm);
        Angles = new Vec3(Angle(b, c), Angle(c, a), Angle(a, b));
    }

    /// <summary>First lattice vector a, Angstrom (row 0 of <c>L</c>).</summary>
    public Vec3 A { get; }

    /// <summary>Second lattice vector b, Angstrom (row 1).</summary>
    public Vec3 B { get; }

    /// <summary>Third lattice vector c, Angstrom (row 2).</summary>
    public Vec3 C { get; }

    /// <summary>Row <paramref name="k"/> of the matrix (0 = a, 1 = b, 2 = c).</summary>
    /// <param name="k">0, 1 or 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="k"/> is not 0, 1 or 2.</exception>
    public Vec3 this[int k] => k switch
    {
        0 => A,
        1 => B,
        2 => C,
        _ => throw new ArgumentOutOfRangeException(nameof(k), k, "a lattice has rows 0, 1 and 2"),
    };

    /// <summary>Lengths (|a|, |b|, |c|), Angstrom.</summary>
    public Vec3 Lengths { get; }

    /// <summary>Angles (alpha = angle(b, c), beta = angle(c, a), gamma = angle(a, b)), degrees, in (0, 180).</summary>
    public Vec3 Angles { get; }

    /// <summary>Signed determinant <c>det L = (a x b) . c</c>, Angstrom^3.</summary>
    public double Determinant { get; }

    /// <summary>Cell volume <c>|(a x b) . c|</c>, Angstrom^3, positive.</summary>
    public double Volume { get; }

    /// <summary>Crystallographic reciprocal lattice (rows of <c>(L^-1)^T</c>, 1/Angstrom, no factor 2 pi).</summary>
    /// <remarks>Row k has length <c>1 / d_k</c>, where <c>d_k</c> is the spacing of the lattice planes spanned by the other two rows.</remarks>
    public Lattice ReciprocalCrystallographic => new(_ia, _ib, _ic);

    /// <summary>Reciprocal lattice (rows of <c>2 pi (L^-1)^T</c>, 1/Angstrom), pymatgen's <c>reciprocal_lattice</c>.</summary>
    public Lattice Reciprocal => new(2 * Math.PI * _ia, 2 * Math.PI * _ib, 2 * Math.PI * _ic);

    /// <summary>Spacing of the lattice planes perpendicular to reciprocal row k: <c>d_k = 1 / |(L^-1)^T row k|</c>, Angstrom.</summary>
    /// <remarks>A sphere of radius r crosses at most <c>ceil(r / d_k)</c> unit cells on either side along axis k; this sets image ranges in <see cref="Neighbors"/>.</remarks>
    public Vec3 PlaneSpacings => new(1 / _ia.Norm, 1 / _ib.Norm, 1 / _ic.Norm);

    /// <summary>Converts fractional coordinates to Cartesian, Angstrom: <c>f_a a + f_b b + f_c c</c>.</summary>
    /// <param name="fractional">Fractional coordinates (any real values; not wrapped).</param>
    /// <returns>The Cartesian position.</returns>
    public Vec3 ToCartesian(Vec3 fractional) => new(
        fractional.X * A.X + fractional.Y * B.X + fractional.Z * C.X,
        fractional.X * A.Y + fractional.Y * B.Y + fractional.Z * C.Y,
        fractional.X * A.Z + fractional.Y * B.Z + fractional.Z * C.Z);

    /// <summary>Converts Cartesian coordinates (Angstrom) to fractional: <c>r L^-1</c>.</summary>
    /// <param name="cartesian">A Cartesian position, Angstrom.</param>
    /// <returns>The fractional coordinates (not wrapped).</returns>
    public Vec3 ToFractional(Vec3 cartesian) => new(Vec3.Dot(cartesian, _ia), Vec3.Dot(cartesian, _ib), Vec3.Dot(cartesian, _ic));

    /// <summary>Builds a lattice from its three row vectors, checking them.</summary>
    /// <param name="a">Vector a, Angstrom.</param>
    /// <param name="b">Vector b, Angstrom.</param>
    /// <param name="c">Vector c, Angstrom.</param>
    /// <returns>The lattice, or one problem: <c>lattice.not_finite</c> (a NaN or infinite entry),
    /// <c>lattice.too_large</c> (an entry beyond <see cref="MaxEntry"/>), <c>lattice.degenerate</c> (a zero-length
    /// vector, or <c>Volume / (|a||b||c|)</c> below <see cref="MinVolumeRatio"/>: the three vectors are (nearly) coplanar).
    /// Problems carry no row or column; readers prefix them with the file, line and field.</returns>
    public static Validation<Problem, Lattice> Create(Vec3 a, Vec3 b, Vec3 c)
    {
        var rows = new[] { ("a", a), ("b", b), ("c", c) };
        foreach (var (name, v) in rows)
        {
            if (!v.IsFinite)
                return Valid.Fail<Lattice>("lattice.not_finite", $"lattice vector {name} = {v} is not finite; give three finite numbers per lattice vector (Angstrom).");
            if (Math.Abs(v.X) > MaxEntry || Math.Abs(v.Y) > MaxEntry || Math.Abs(v.Z) > MaxEntry)
                return Valid.Fail<Lattice>("lattice.too_large", $"lattice vector {name} = {v} has an entry beyond {MaxEntry.ToString(CultureInfo.InvariantCulture)} Angstrom; check the units (Angstrom expected) and the scale factor.");
        }
        foreach (var (name, v) in rows)
            if (!(v.Norm > 0))
                return Valid.Fail<Lattice>("lattice.degenerate", $"lattice vector {name} has zero length; give three non-zero lattice vectors.");
        var ratio = Math.Abs(Vec3.Dot(Vec3.Cross(a, b), c)) / (a.Norm * b.Norm * c.Norm);
        if (!(ratio >= MinVolumeRatio))
            return Valid.Fail<Lattice>("lattice.degenerate",
                string.Create(CultureInfo.InvariantCulture, $"the lattice vectors a = {a}, b = {b}, c = {c} are coplanar (volume {Math.Abs(Vec3.Dot(Vec3.Cross(a, b), c)):G6} Angstrom^3); give three linearly independent vectors."));
        return Valid.Ok(new Lattice(a, b, c));
    }

    /// <summary>Builds a lattice from lengths (Angstrom) and angles (degrees) in pymatgen's standard orientation.</summary>
    /// <param name="a">Length of a, Angstrom, positive.</param>
    /// <param name="b">Length of b, Angstrom, positive.</param>
    /// <param name="c">Length of c, Angstrom, positive.</param>
    /// <param name="alpha">Angle between b and c, degrees, in (0, 180).</param>
    /// <param name="beta">Angle between c and a, degrees, in (0, 180).</param>
    /// <param name="gamma">Angle between a and b, degrees, in (0, 180).</param>
    /// <returns>The lattice, or <c>lattice.invalid_parameters</c> (a non-positive or non-finite length, an angle outside
    /// (0, 180)) or any problem of <see cref="Create"/> (angles that admit no cell, e.g. 10, 10, 170, are <c>lattice.degenerate</c>).</returns>
    /// <remarks>
    /// Formula (pymatgen 2022.11.7 <c>Lattice.from_parameters</c>, not the VESTA orientation):
    /// <c>gamma* = arccos(clamp((cos alpha cos beta - cos gamma) / (sin alpha sin beta), -1, 1))</c>,
    /// <c>a = (a sin beta, 0, a cos beta)</c>, <c>b = (-b sin alpha cos gamma*, b sin alpha sin gamma*, b cos alpha)</c>,
    /// <c>c = (0, 0, c)</c>. Source: pymatgen <c>pymatgen/core/lattice.py</c>.
    /// </remarks>
    public static Validation<Problem, Lattice> FromParameters(double a, double b, double c, double alpha, double beta, double gamma)
    {
        foreach (var (name, v) in new[] { ("a", a), ("b", b), ("c", c) })
            if (!(v > 0) || !double.IsFinite(v))
                return Valid.Fail<Lattice>("lattice.invalid_parameters", string.Create(CultureInfo.InvariantCulture, $"cell length {name} = {v:R} is not a positive finite number of Angstrom; give a positive length."));
        foreach (var (name, v) in new[] { ("alpha", alpha), ("beta", beta), ("gamma", gamma) })
            if (!(v > 0 && v < 180))
                return Valid.Fail<Lattice>("lattice.invalid_parameters", string.Create(CultureInfo.InvariantCulture, $"cell angle {name} = {v:R} is not in (0, 180) degrees; give the angle in degrees."));
        var (ra, rb, rg) = (alpha * Math.PI / 180, beta * Math.PI / 180, gamma * Math.PI / 180);
        var (ca, cb, cg) = (Math.Cos(ra), Math.Cos(rb), Math.Cos(rg));
        var (sa, sb) = (Math.Sin(ra), Math.Sin(rb));
        var val = Math.Clamp((ca * cb - cg) / (sa * sb), -1.0, 1.0);
        var gammaStar = Math.Acos(val);
        return Create(
            new Vec3(a * sb, 0.0, a * cb),
            new Vec3(-b * sa * Math.Cos(gammaStar), b * sa * Math.Sin(gammaStar), b * ca),
            new Vec3(0.0, 0.0, c));
    }

    private static double Angle(Vec3 u, Vec3 v) =>
        Math.Acos(Math.Clamp(Vec3.Dot(u, v) / (u.Norm * v.Norm), -1.0, 1.0)) * 180 / Math.PI;

    /// <summary>True when the nine entries are exactly equal.</summary>
    public bool Equals(Lattice? other) => other is not null && A == other.A && B == other.B && C == other.C;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Lattice);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(A, B, C);

    /// <summary>Formats the three rows.</summary>
    public override string ToString() => $"[{A}, {B}, {C}]";
}
