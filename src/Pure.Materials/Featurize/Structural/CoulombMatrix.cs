using System.Buffers;
using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Structures;

namespace Pure.Materials.Featurize.Structural;

/// <summary>Selects the Coulomb matrix variant: the molecular one with minimum-image distances, or Faber's periodic sine matrix.</summary>
public enum CoulombMatrixKind
{
    /// <summary>matminer's <c>CoulombMatrix</c>: <c>M_ij = Z_i Z_j / d_ij</c>, d_ij the minimum-image distance in Bohr.</summary>
    Coulomb,

    /// <summary>matminer's <c>SineCoulombMatrix</c> (Faber et al. 2015): <c>M_ij = Z_i Z_j / |sum_k sin^2(pi (f_i - f_j)_k) L_k|</c>, in Bohr.</summary>
    Sine,
}

/// <summary>Selects the order of the Coulomb matrix eigenvalue columns.</summary>
public enum EigenvalueOrder
{
    /// <summary>Largest first (the default): invariant to the order of the sites.</summary>
    SortedDescending,

    /// <summary>matminer v0.9.0's order (<c>sort_eigenvalues=false</c> on the command line): the positions in which
    /// <c>numpy.linalg.eig</c> (LAPACK <c>dgeev</c>) leaves the eigenvalues, i.e. the diagonal of the real Schur form found by
    /// Hessenberg reduction and double-shift QR. Not invariant to site order; for parity with matminer's columns.</summary>
    Matminer,
}

/// <summary>Options of a Coulomb matrix featurizer (hyperparameters; the fitted length lives in <see cref="CoulombMatrix"/>).</summary>
/// <param name="Kind">Coulomb or sine Coulomb matrix; default <see cref="CoulombMatrixKind.Coulomb"/>.</param>
/// <param name="DiagonalElements">When true (default) <c>M_ii = 0.5 Z_i^2.4</c>; when false <c>M_ii = 0</c> (matminer's <c>diag_elems</c>).</param>
/// <param name="Order">Column order of the eigenvalues; default <see cref="EigenvalueOrder.SortedDescending"/>.</param>
public sealed record CoulombMatrixOptions(
    CoulombMatrixKind Kind = CoulombMatrixKind.Coulomb,
    bool DiagonalElements = true,
    EigenvalueOrder Order = EigenvalueOrder.SortedDescending);

/// <summary>Describes a structure by the eigenvalues of its Coulomb (or sine Coulomb) matrix, zero-padded to a length fitted on the training set
/// (matminer's <c>CoulombMatrix</c> and <c>SineCoulombMatrix</c> with <c>flatten=True</c>).</summary>
/// <remarks>
/// For sites i, j with atomic numbers Z and the Angstrom-to-Bohr factor <see cref="AngstromToBohr"/>:
/// <list type="bullet">
/// <item>diagonal: <c>M_ii = 0.5 Z_i^2.4</c> (or 0);</item>
/// <item>Coulomb: <c>M_ij = Z_i Z_j / (d_ij x 1.8897543760313331)</c>, d_ij the minimum-image distance (Angstrom) between sites i and
/// j (pymatgen's <c>Structure.get_distance(i, j)</c>; here the exact minimum over all images);</item>
/// <item>sine: <c>M_ij = Z_i Z_j / (|sum_k sin^2(pi (f_i - f_j)_k) L_k| x 1.8897543760313331)</c>, f fractional coordinates, L_k the
/// lattice rows.</item>
/// </list>
/// The n eigenvalues of the symmetric n x n matrix fill the first n of <see cref="Length"/> columns, largest first by default,
/// the rest are 0. matminer leaves them in the order <c>np.linalg.eig</c> returns them (LAPACK <c>dgeev</c>: balancing, which
/// is the identity for these matrices, Hessenberg reduction, double-shift QR with deflation from the bottom);
/// <see cref="EigenvalueOrder.Matminer"/> reproduces that order with the same algorithm (<c>HessenbergQrEigenvalues</c>),
/// for column-by-column parity with matminer's features. That order is an artifact of the QR iteration: it changes when the
/// sites are permuted, and it follows the last bits of the matrix entries, so matminer's entries (numpy's AVX-512 sine,
/// pymatgen's distance search) put 121 (Coulomb) and 135 (sine) of the 1265 phonons rows in another order than ours, with the same values. Sorted, the values equal matminer's sorted ones to 1e-11 relative on all 1265 phonons structures.
/// <see cref="Length"/> is the largest site count of the training structures (<see cref="Fit"/>): it is part of
/// the fitted featurizer and is saved with a model. A structure with more sites than <see cref="Length"/> is the problem
/// <c>featurize.too_many_sites</c> (matminer fails there too); two sites on the same point (modulo the lattice) are
/// <c>featurize.overlapping_sites</c> (an infinite entry; matminer would return inf or NaN eigenvalues). The eigenvalues are invariant to translation, rotation and site
/// order (descending order), but not to the choice of cell: a supercell has more of them (they are extensive).
/// The factor 1.8897543760313331 is matminer's <c>ANG_TO_BOHR = const.value("Angstrom star") / const.value("Bohr radius")</c>
/// (Angstrom star, not the Angstrom: 1.8897261246... would be the true ratio); it is kept for parity.
/// Deterministic: the eigenvalues come from Householder tridiagonalisation and the root-free rational QL iteration (EISPACK
/// <c>tred1</c>/<c>tqlrat</c>), scalar loops whose result does not depend on the CPU or the vector width. The matrix is built
/// on the stack (a pooled array above 48 sites); featurizing allocates nothing.
/// Source: matminer v0.9.0 <c>matminer/featurizers/structure/matrix.py</c>; Rupp et al., PRL 108, 058301 (2012); Faber et al.,
/// Int. J. Quantum Chem. 115, 1094 (2015).
/// </remarks>
public sealed class CoulombMatrix : IStructureFeaturizer, IEquatable<CoulombMatrix>
{
    /// <summary>matminer's Angstrom-to-Bohr factor, <c>scipy.constants.value("Angstrom star") / value("Bohr radius")</c>.</summary>
    public const double AngstromToBohr = 1.8897543760313331;

    /// <summary>Largest accepted <see cref="Length"/> (10,000 sites: a 10,000 x 10,000 matrix is 800 MB).</summary>
    public const int MaxLength = 10_000;

    private CoulombMatrix(CoulombMatrixOptions options, int length)
    {
        Options = options;
        Length = length;
        var prefix = options.Kind == CoulombMatrixKind.Sine ? "sine coulomb matrix eig " : "coulomb matrix eig ";
        Labels = [.. Enumerable.Range(0, length).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture))];
        Units = [.. Enumerable.Repeat("Hartree-like (Z^2/Bohr)", length)];
    }

    /// <summary>The options.</summary>
    public CoulombMatrixOptions Options { get; }

    /// <summary>Number of eigenvalue columns: the largest site count seen in fitting.</summary>
    public int Length { get; }

    /// <inheritdoc/>
    public string Name => Options.Kind == CoulombMatrixKind.Sine ? "sine-coulomb" : "coulomb";

    /// <inheritdoc/>
    public IReadOnlyList<string> Labels { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Units { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Citations => Options.Kind == CoulombMatrixKind.Sine
        ? ["Faber, Lindmaa, von Lilienfeld, Armiento, Crystal structure representations for machine learning models of formation energies, Int. J. Quantum Chem. 115, 1094 (2015), doi:10.1002/qua.24917"]
        : ["Rupp, Tkatchenko, Mueller, von Lilienfeld, Fast and accurate modeling of molecular atomization energies with machine learning, PRL 108, 058301 (2012), doi:10.1103/PhysRevLett.108.058301"];

    /// <inheritdoc/>
    public IReadOnlyList<string> Implementors => Options.Kind == CoulombMatrixKind.Sine
        ? ["Kyle Bystrom, Alex Dunn (matminer)", "Pure.Materials"]
        : ["Nils E. R. Zimmermann, Alex Dunn (matminer)", "Pure.Materials"];

    /// <summary>Fits the padding length: the largest site count among the training structures (matminer's <c>fit</c>).</summary>
    /// <param name="options">The options.</param>
    /// <param name="training">At least one structure.</param>
    /// <returns>The fitted featurizer, or <c>data.empty</c> (no structure) or <c>param.out_of_range</c> (more than <see cref="MaxLength"/> sites).</returns>
    public static Validation<Problem, CoulombMatrix> Fit(CoulombMatrixOptions options, IReadOnlyList<Structure> training)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(training);
        if (training.Count == 0) return Valid.Fail<CoulombMatrix>("data.empty", "no training structure to fit the Coulomb matrix length on; give at least one structure.");
        return Create(options, training.Max(s => s.Count));
    }

    /// <summary>Builds a featurizer with a known length (e.g. read back from a model file).</summary>
    /// <param name="options">The options.</param>
    /// <param name="length">Number of eigenvalue columns, 1..<see cref="MaxLength"/>.</param>
    /// <returns>The featurizer, or <c>param.out_of_range</c>.</returns>
    public static Validation<Problem, CoulombMatrix> Create(CoulombMatrixOptions options, int length)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (length is < 1 or > MaxLength)
            return Valid.Fail<CoulombMatrix>("param.out_of_range", $"Coulomb matrix length {length} is outside 1..{MaxLength}; fit it on structures with at most {MaxLength} sites.");
        if (!Enum.IsDefined(options.Kind) || !Enum.IsDefined(options.Order))
            return Valid.Fail<CoulombMatrix>("param.out_of_range", $"Coulomb matrix options {options} name an unknown kind or order.");
        return Valid.Ok(new CoulombMatrix(options, length));
    }

    /// <inheritdoc/>
    public Problem? Featurize(Structure structure, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(structure);
        StructureFeaturizer.CheckDestination(destination, Length);
        if (StructureFeaturizer.RequireOrdered(structure, Name) is { } p) return p;
        var n = structure.Count;
        if (n > Length)
            return new Problem("featurize.too_many_sites", $"the structure has {n} sites but the {Name} eigenvalues were fitted to {Length} columns (the largest training structure); refit on structures that include one this large.");
        var sites = structure.SiteSpan;
        for (var i = 0; i < n; i++)
        {
            var fi = sites[i].Fractional;
            for (var j = i + 1; j < n; j++)
            {
                var df = sites[j].Fractional - fi;
                if (Math.Abs(df.X - Math.Round(df.X)) <= 1e-12 && Math.Abs(df.Y - Math.Round(df.Y)) <= 1e-12 && Math.Abs(df.Z - Math.Round(df.Z)) <= 1e-12)
                    return Overlapping(i, j);
            }
        }
        // The matrix (lower triangle only: the solver reads no more) lives on the stack up to 48 x 48, else in a pooled array.
        var size = n * n;
        double[]? rented = null;
        var m = size <= StackLimit ? stackalloc double[size] : (rented = ArrayPool<double>.Shared.Rent(size)).AsSpan(0, size);
        try
        {
            if (Options.Kind == CoulombMatrixKind.Sine) SineMatrix(structure, Options.DiagonalElements, m);
            else MinimumImageMatrix(structure, Options.DiagonalElements, m);
            for (var i = 0; i < n; i++)
                for (var j = 0; j <= i; j++)
                    if (!double.IsFinite(m[i * n + j]))
                        return Overlapping(j, i);
            var eig = destination[..n];
            if (Options.Order == EigenvalueOrder.Matminer)
            {
                // The general (nonsymmetric) path reads the whole matrix: mirror the lower triangle.
                for (var i = 0; i < n; i++)
                    for (var j = 0; j < i; j++) m[j * n + i] = m[i * n + j];
                if (!HessenbergQrEigenvalues.Compute(m, n, eig))
                    return new Problem("featurize.no_convergence", $"the QR iteration for the {Name} eigenvalues in matminer's order did not converge within 30 x max(10, {n}) steps; use the default sorted order (leave out sort_eigenvalues=false).");
            }
            else
            {
                SymmetricEigenvalues.Compute(m, n, eig);
                eig.Sort();
                eig.Reverse();
            }
            destination[n..Length].Clear();
            return null;
        }
        finally
        {
            if (rented is not null) ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>Largest n x n matrix built on the stack (48 x 48 doubles, 18 KB).</summary>
    private const int StackLimit = 48 * 48;

    private static Problem Overlapping(int i, int j) =>
        new("featurize.overlapping_sites", $"sites {i} and {j} sit on the same point (or on lattice translations of it: fractional coordinates equal modulo 1 within 1e-12), so their Coulomb interaction is infinite; remove the duplicate site.");

    /// <summary>Fills the lower triangle (j &lt;= i) of <paramref name="m"/> (n x n, row-major) with the Coulomb matrix with minimum-image distances.</summary>
    internal static void MinimumImageMatrix(Structure structure, bool diagonal, Span<double> m)
    {
        var n = structure.Count;
        var sites = structure.SiteSpan;
        var lattice = structure.Lattice;
        var spacing = lattice.PlaneSpacings;
        for (var i = 0; i < n; i++)
        {
            var zi = (double)sites[i].OrderedSpecies!.AtomicNumber;
            var fi = sites[i].Fractional;
            for (var j = 0; j < i; j++)
            {
                var d = MinimumImageDistance(sites[j].Fractional, fi, lattice, spacing) * AngstromToBohr;
                m[i * n + j] = sites[j].OrderedSpecies!.AtomicNumber * zi / d;
            }
            m[i * n + i] = diagonal ? HalfZPow24[(int)zi] : 0;
        }
    }

    /// <summary>The exact minimum over all lattice translations t of |r_j + t - r_i|, Angstrom.</summary>
    /// <remarks>With the fractional difference wrapped into [-0.5, 0.5] the distance D of that image bounds the minimum. Any
    /// image within D has |(f_j - f_i + m)_k| &lt;= D / s_k along a and b (s_k the lattice plane spacings), and for each such
    /// (m_a, m_b) m_c lies between the roots of |p + m_c c|^2 = D^2 (widened by 1e-9): a finite set, searched whole.</remarks>
    internal static double MinimumImageDistance(Vec3 fi, Vec3 fj, Lattice lattice, Vec3 spacing)
    {
        var df = fj - fi;
        df = new Vec3(df.X - Math.Round(df.X), df.Y - Math.Round(df.Y), df.Z - Math.Round(df.Z));
        var v = lattice.ToCartesian(df);
        var best2 = Vec3.Dot(v, v);
        var best = Math.Sqrt(best2) * (1 + 1e-12);
        var (la, lb, lc) = (lattice.A, lattice.B, lattice.C);
        var cc = Vec3.Dot(lc, lc);
        int loA = (int)Math.Ceiling(-best / spacing.X - df.X), hiA = (int)Math.Floor(best / spacing.X - df.X);
        int loB = (int)Math.Ceiling(-best / spacing.Y - df.Y), hiB = (int)Math.Floor(best / spacing.Y - df.Y);
        for (var a = loA; a <= hiA; a++)
            for (var b = loB; b <= hiB; b++)
            {
                var p = v + (double)a * la + (double)b * lb;
                var pc = Vec3.Dot(p, lc);
                var disc = pc * pc - cc * (Vec3.Dot(p, p) - best2);
                if (disc < 0) continue;
                var root = Math.Sqrt(disc);
                int loC = (int)Math.Ceiling((-pc - root) / cc - 1e-9), hiC = (int)Math.Floor((-pc + root) / cc + 1e-9);
                for (var c = loC; c <= hiC; c++)
                {
                    var q = p + (double)c * lc;
                    var d2 = Vec3.Dot(q, q);
                    if (d2 < best2) best2 = d2;
                }
            }
        return Math.Sqrt(best2);
    }

    /// <summary>Fills the lower triangle (j &lt;= i) of <paramref name="m"/> (n x n, row-major) with the sine Coulomb matrix.</summary>
    /// <remarks>sin(pi (f_i - f_j)) is evaluated as sin(pi f_i) cos(pi f_j) - cos(pi f_i) sin(pi f_j) from per-site sines and
    /// cosines (3n <c>Math.SinCos</c> calls instead of 3n^2/2 sines); the entries agree with the direct form to about 1e-16 of the
    /// matrix norm, and the eigenvalues with matminer's to 6e-12 relative on the 1265 phonons structures. The per-site values
    /// sit on the stack up to 256 sites.</remarks>
    internal static void SineMatrix(Structure structure, bool diagonal, Span<double> m)
    {
        var n = structure.Count;
        var sites = structure.SiteSpan;
        var lattice = structure.Lattice;
        var (la, lb, lc) = (lattice.A, lattice.B, lattice.C);
        // Per site: sin and cos of pi f along a, b, c, and Z, packed as 7 doubles.
        var t = n <= 256 ? stackalloc double[7 * n] : new double[7 * n];
        for (var i = 0; i < n; i++)
        {
            var f = sites[i].Fractional;
            var row = t.Slice(7 * i, 7);
            (row[0], row[3]) = Math.SinCos(Math.PI * f.X);
            (row[1], row[4]) = Math.SinCos(Math.PI * f.Y);
            (row[2], row[5]) = Math.SinCos(Math.PI * f.Z);
            row[6] = sites[i].OrderedSpecies!.AtomicNumber;
        }
        for (var i = 0; i < n; i++)
        {
            var ti = t.Slice(7 * i, 7);
            double sx = ti[0], sy = ti[1], sz = ti[2], cx = ti[3], cy = ti[4], cz = ti[5], zi = ti[6];
            for (var j = 0; j < i; j++)
            {
                var tj = t.Slice(7 * j, 7);
                double s0 = Square(tj[0] * cx - tj[3] * sx), s1 = Square(tj[1] * cy - tj[4] * sy), s2 = Square(tj[2] * cz - tj[5] * sz);
                // lattice.ToCartesian(s).Norm, written out with the rows in locals.
                double x = s0 * la.X + s1 * lb.X + s2 * lc.X, y = s0 * la.Y + s1 * lb.Y + s2 * lc.Y, w = s0 * la.Z + s1 * lb.Z + s2 * lc.Z;
                var d = Math.Sqrt(x * x + y * y + w * w) * AngstromToBohr;
                m[i * n + j] = tj[6] * zi / d;
            }
            m[i * n + i] = diagonal ? HalfZPow24[(int)zi] : 0;
        }
    }

    private static double Square(double x) => x * x;

    /// <summary>0.5 Z^2.4 for Z = 0..118 (<c>Math.Pow</c>, computed once: the same bits as computing it each time).</summary>
    private static readonly double[] HalfZPow24 = [.. Enumerable.Range(0, 119).Select(z => 0.5 * Math.Pow(z, 2.4))];

    /// <summary>True when kind, diagonal choice and length are equal.</summary>
    public bool Equals(CoulombMatrix? other) => other is not null && Options == other.Options && Length == other.Length;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as CoulombMatrix);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Options, Length);
}
