using System.Globalization;

namespace Pure.Materials.Structures;

/// <summary>Holds a 3-vector of doubles: a Cartesian position in Angstrom, a fractional coordinate triple, or a lattice row.</summary>
/// <param name="X">First component (Cartesian x, or fractional coordinate along a).</param>
/// <param name="Y">Second component (Cartesian y, or along b).</param>
/// <param name="Z">Third component (Cartesian z, or along c).</param>
/// <remarks>Equality is exact on the three doubles (record semantics). Arithmetic is written out term by term in a fixed
/// order, so results do not depend on the CPU's vector width.</remarks>
public readonly record struct Vec3(double X, double Y, double Z)
{
    /// <summary>The zero vector.</summary>
    public static Vec3 Zero => default;

    /// <summary>Component <paramref name="k"/> (0 = X, 1 = Y, 2 = Z).</summary>
    /// <param name="k">0, 1 or 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="k"/> is not 0, 1 or 2 (a programmer error).</exception>
    public double this[int k] => k switch
    {
        0 => X,
        1 => Y,
        2 => Z,
        _ => throw new ArgumentOutOfRangeException(nameof(k), k, "a Vec3 has components 0, 1 and 2"),
    };

    /// <summary>Adds two vectors component-wise.</summary>
    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    /// <summary>Subtracts two vectors component-wise.</summary>
    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    /// <summary>Negates a vector.</summary>
    public static Vec3 operator -(Vec3 a) => new(-a.X, -a.Y, -a.Z);

    /// <summary>Scales a vector.</summary>
    public static Vec3 operator *(double s, Vec3 a) => new(s * a.X, s * a.Y, s * a.Z);

    /// <summary>Dot product, summed as <c>(x1 x2 + y1 y2) + z1 z2</c>.</summary>
    public static double Dot(Vec3 a, Vec3 b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;

    /// <summary>Cross product <c>a x b</c>.</summary>
    public static Vec3 Cross(Vec3 a, Vec3 b) => new(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

    /// <summary>Euclidean length, <c>sqrt(x^2 + y^2 + z^2)</c>.</summary>
    public double Norm => Math.Sqrt(Dot(this, this));

    /// <summary>True when all three components are finite (not NaN, not infinite).</summary>
    public bool IsFinite => double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    /// <summary>Formats as <c>(x, y, z)</c> with round-trip digits.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"({X:R}, {Y:R}, {Z:R})");
}

/// <summary>Names a periodic image: the integer lattice translation <c>(A, B, C)</c> added to a site's fractional coordinates.</summary>
/// <param name="A">Translation along lattice vector a.</param>
/// <param name="B">Translation along lattice vector b.</param>
/// <param name="C">Translation along lattice vector c.</param>
/// <remarks>Image (1, 0, -1) of site j sits at Cartesian <c>(f_j + (1, 0, -1)) L</c>, with <c>f_j</c> the site's stored
/// fractional coordinates (not wrapped) and <c>L</c> the lattice rows, as pymatgen's <c>PeriodicNeighbor.image</c>.</remarks>
public readonly record struct Image(int A, int B, int C) : IComparable<Image>
{
    /// <summary>The opposite translation.</summary>
    public static Image operator -(Image m) => new(-m.A, -m.B, -m.C);

    /// <summary>Orders lexicographically by A, then B, then C.</summary>
    public int CompareTo(Image other)
    {
        var c = A.CompareTo(other.A);
        if (c != 0) return c;
        c = B.CompareTo(other.B);
        return c != 0 ? c : C.CompareTo(other.C);
    }

    /// <summary>Formats as <c>(a, b, c)</c>.</summary>
    public override string ToString() => $"({A}, {B}, {C})";
}
