using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Structures;

/// <summary>Reads a structure file, choosing the reader from the file name.</summary>
public static class StructureFile
{
    /// <summary>Largest file accepted, bytes (256 MiB).</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    /// <summary>Reads one structure from a file; never throws on bad input or an unreadable file.</summary>
    /// <param name="path">A file: <c>*.cif</c> (<see cref="Cif.Read"/>), <c>POSCAR*</c>, <c>CONTCAR*</c>, <c>*.vasp</c>, <c>*.poscar</c>
    /// (<see cref="Poscar.Read"/>), <c>*.json</c> (a pymatgen dict, <see cref="StructureJson.ReadPymatgen"/>), <c>*.xyz</c>, <c>*.extxyz</c>
    /// (<see cref="ExtendedXyz.Read"/>).</param>
    /// <returns>The structure, or the reader's problems (named by the file name), or <c>file.not_found</c>, <c>file.too_large</c>,
    /// <c>file.unreadable</c> (permissions, I/O error, not UTF-8 text) or <c>file.unknown_format</c> (another extension).</returns>
    public static Validation<Problem, Structure> Read(string path)
    {
        var name = Path.GetFileName(path);
        var lower = name.ToLowerInvariant();
        Func<string, string, Validation<Problem, Structure>>? reader =
            lower.EndsWith(".cif", StringComparison.Ordinal) ? Cif.Read
            : lower.StartsWith("poscar", StringComparison.Ordinal) || lower.StartsWith("contcar", StringComparison.Ordinal)
              || lower.EndsWith(".vasp", StringComparison.Ordinal) || lower.EndsWith(".poscar", StringComparison.Ordinal) ? Poscar.Read
            : lower.EndsWith(".json", StringComparison.Ordinal) ? StructureJson.ReadPymatgen
            : lower.EndsWith(".xyz", StringComparison.Ordinal) || lower.EndsWith(".extxyz", StringComparison.Ordinal) ? ExtendedXyz.Read
            : null;
        if (reader is null)
            return Valid.Fail<Structure>("file.unknown_format", $"{name}: the format is not known from the name; use .cif, POSCAR/CONTCAR/.vasp, .json (pymatgen dict) or .xyz/.extxyz.");
        return Text(path).Bind(text => reader(text, name));
    }

    /// <summary>Reads a text file with the size limit and I/O errors as problems.</summary>
    internal static Validation<Problem, string> Text(string path)
    {
        var name = Path.GetFileName(path);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return Valid.Fail<string>("file.not_found", $"{path}: no such file; check the path.");
            if (info.Length > MaxBytes) return Valid.Fail<string>("file.too_large", $"{name}: {info.Length:N0} bytes, more than {MaxBytes:N0}; split the file.");
            using var reader = new StreamReader(path, new System.Text.UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: false);
            var text = reader.ReadToEnd().TrimStart('\uFEFF');
            if (text.Contains('\0'))
                return Valid.Fail<string>("file.unreadable", $"{name}: holds NUL bytes, so it is binary, not a text structure file; give the text file.");
            return Valid.Ok(text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
        {
            return Valid.Fail<string>("file.unreadable", $"{name}: cannot be read ({e.Message}); check the permissions and that it is a UTF-8 text file.");
        }
    }
}
