namespace Pure.Materials.Data;

/// <summary>Maps the 118 chemical element symbols (H to Og) to atomic numbers and back.</summary>
/// <remarks>
/// Symbols are the IUPAC ones (2016 names for Z = 113, 115, 117, 118) and are case-sensitive: <c>Co</c> is cobalt,
/// <c>CO</c> is not a symbol. Lookups allocate nothing. Source: pymatgen 2022.11.7 <c>periodic_table.json</c>.
/// </remarks>
public static class Elements
{
    /// <summary>Number of elements known, Z = 1..118.</summary>
    public const int Count = 118;

    private static readonly string[] Symbols =
    [
        "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne",
        "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar", "K", "Ca",
        "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn",
        "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y", "Zr",
        "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn",
        "Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd",
        "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb",
        "Lu", "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg",
        "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th",
        "Pa", "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm",
        "Md", "No", "Lr", "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds",
        "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og",
    ];

    // Pauling electronegativity X by Z - 1, as pymatgen 2022.11.7 Element.X (NaN where pymatgen has none:
    // He, Ne, Ar and Z >= 104). Used only to order elements in reduced formulas, as pymatgen does.
    private static readonly double[] Pauling =
    [
        2.2, double.NaN, 0.98, 1.57, 2.04, 2.55, 3.04, 3.44, 3.98, double.NaN,
        0.93, 1.31, 1.61, 1.9, 2.19, 2.58, 3.16, double.NaN, 0.82, 1.0,
        1.36, 1.54, 1.63, 1.66, 1.55, 1.83, 1.88, 1.91, 1.9, 1.65,
        1.81, 2.01, 2.18, 2.55, 2.96, 3.0, 0.82, 0.95, 1.22, 1.33,
        1.6, 2.16, 1.9, 2.2, 2.28, 2.2, 1.93, 1.69, 1.78, 1.96,
        2.05, 2.1, 2.66, 2.6, 0.79, 0.89, 1.1, 1.12, 1.13, 1.14,
        1.13, 1.17, 1.2, 1.2, 1.1, 1.22, 1.23, 1.24, 1.25, 1.1,
        1.27, 1.3, 1.5, 2.36, 1.9, 2.2, 2.2, 2.28, 2.54, 2.0,
        1.62, 2.33, 2.02, 2.0, 2.2, 2.2, 0.7, 0.9, 1.1, 1.3,
        1.5, 1.38, 1.36, 1.28, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3,
        1.3, 1.3, 1.3, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN,
        double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN,
    ];

    // Z by symbol code: 27 * (first - 'A') + (second == none ? 0 : second - 'a' + 1); 0 when no element.
    private static readonly byte[] ByCode = BuildCodes();

    private static byte[] BuildCodes()
    {
        var codes = new byte[26 * 27];
        for (var i = 0; i < Symbols.Length; i++)
            codes[Code(Symbols[i])] = (byte)(i + 1);
        return codes;
    }

    private static int Code(ReadOnlySpan<char> s) => 27 * (s[0] - 'A') + (s.Length == 2 ? s[1] - 'a' + 1 : 0);

    /// <summary>Returns the symbol of the element with atomic number <paramref name="z"/>.</summary>
    /// <param name="z">Atomic number, 1..118.</param>
    /// <returns>The symbol, e.g. <c>Fe</c> for 26.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="z"/> is outside 1..118 (a programmer error).</exception>
    public static string Symbol(int z) =>
        z is >= 1 and <= Count
            ? Symbols[z - 1]
            : throw new ArgumentOutOfRangeException(nameof(z), z, $"Atomic numbers run from 1 to {Count}.");

    /// <summary>Looks up the atomic number of an exact, case-sensitive element symbol.</summary>
    /// <param name="symbol">A symbol such as <c>Fe</c>; surrounding spaces or other casing do not match.</param>
    /// <param name="z">The atomic number 1..118 when found; otherwise 0.</param>
    /// <returns><c>true</c> when <paramref name="symbol"/> is one of the 118 symbols.</returns>
    public static bool TryGetAtomicNumber(string symbol, out int z) => TryGetAtomicNumber(symbol.AsSpan(), out z);

    /// <summary>Span version of <see cref="TryGetAtomicNumber(string, out int)"/>; allocates nothing.</summary>
    internal static bool TryGetAtomicNumber(ReadOnlySpan<char> symbol, out int z)
    {
        z = 0;
        if (symbol.Length is < 1 or > 2 || !char.IsAsciiLetterUpper(symbol[0])) return false;
        if (symbol.Length == 2 && !char.IsAsciiLetterLower(symbol[1])) return false;
        z = ByCode[Code(symbol)];
        return z != 0;
    }

    /// <summary>Pauling electronegativity as pymatgen 2022.11.7 gives it; NaN for He, Ne, Ar and Z at least 104.</summary>
    internal static double PaulingElectronegativity(int z) => Pauling[z - 1];
}
