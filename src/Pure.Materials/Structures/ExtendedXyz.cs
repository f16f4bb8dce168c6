using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Structures;

/// <summary>Reads the extended XYZ format (ASE, QUIP): a site count, a comment line of <c>key=value</c> pairs with
/// <c>Lattice="..."</c> and <c>Properties=...</c>, then one line per site.</summary>
public static class ExtendedXyz
{
    /// <summary>Reads the first frame of an extended XYZ text; never throws.</summary>
    /// <param name="text">The text (at most 256 Mi characters).</param>
    /// <param name="source">Name used in problems.</param>
    /// <returns>The structure, sites in file order (Cartesian positions converted to fractional), or one problem naming the
    /// source, line and field: <c>xyz.empty</c>, <c>xyz.too_large</c>, <c>xyz.invalid_count</c> (not a positive integer, or more
    /// than <see cref="Structure.MaxSites"/>), <c>xyz.truncated</c> (fewer site lines than the count),
    /// <c>xyz.no_lattice</c> (no <c>Lattice=</c>: a periodic structure needs one), <c>xyz.invalid_lattice</c> (not 9 numbers),
    /// <c>xyz.invalid_properties</c> (no <c>species:S:1</c> and <c>pos:R:3</c> columns, or a malformed spec),
    /// <c>xyz.invalid_number</c>, <c>xyz.unknown_element</c>, <c>xyz.unterminated_quote</c>, and lattice or site problems at their line.</returns>
    /// <remarks>Layout: line 1 = number of sites; line 2 = <c>Lattice="ax ay az bx by bz cx cy cz"</c> (Angstrom, rows a, b, c)
    /// and <c>Properties=name:type:ncols:...</c> (default <c>species:S:1:pos:R:3</c>); other keys (<c>pbc</c>, <c>energy</c>, ...) are
    /// ignored. Each site line holds the property columns in order; <c>species</c> is an element symbol, <c>pos</c> the Cartesian
    /// position in Angstrom. Source: ASE <c>ase.io.extxyz</c> format description.</remarks>
    public static Validation<Problem, Structure> Read(string text, string source = "XYZ")
    {
        var ctx = new ReadContext(source);
        var size = ctx.CheckSize(text, "xyz");
        if (size.IsFail) return size.Map(_ => default(Structure)!);
        var lines = text.Split('\n');
        if (lines.Length < 2 || lines[0].Trim().Length == 0)
            return ctx.Fail<Structure>("xyz.truncated", 1, "site count", "the file needs a site count line and a comment line; write the number of sites, then Lattice=\"...\" Properties=species:S:1:pos:R:3.");
        if (!long.TryParse(lines[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count <= 0)
            return ctx.Fail<Structure>("xyz.invalid_count", 1, "site count", $"'{ReadContext.Show(lines[0].Trim())}' is not a positive whole number of sites; write the count on the first line.");
        if (count > Structure.MaxSites)
            return ctx.Fail<Structure>("xyz.invalid_count", 1, "site count", $"{count:N0} sites, more than {Structure.MaxSites:N0}; split the structure.");
        var kv = KeyValues(lines[1].TrimEnd('\r'), ctx);
        if (kv.IsFail) return kv.Map(_ => default(Structure)!);
        var pairs = kv.OrThrow();
        var latticeText = pairs.FirstOrDefault(p => p.Key.Equals("Lattice", StringComparison.OrdinalIgnoreCase)).Value;
        if (latticeText is null)
            return ctx.Fail<Structure>("xyz.no_lattice", 2, "Lattice", "no Lattice=\"...\" on the comment line; give the 9 numbers of the cell rows a, b, c in Angstrom.");
        var lt = latticeText.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var l = new double[9];
        if (lt.Length != 9 || Enumerable.Range(0, 9).Any(k => !ReadContext.TryNumber(lt[k], out l[k])))
            return ctx.Fail<Structure>("xyz.invalid_lattice", 2, "Lattice", $"Lattice=\"{ReadContext.Show(latticeText)}\" is not 9 finite numbers; write ax ay az bx by bz cx cy cz in Angstrom.");
        var lattice = ctx.At(Lattice.Create(new Vec3(l[0], l[1], l[2]), new Vec3(l[3], l[4], l[5]), new Vec3(l[6], l[7], l[8])), 2, "Lattice");
        if (lattice.IsFail) return lattice.Map(_ => default(Structure)!);
        var props = pairs.FirstOrDefault(p => p.Key.Equals("Properties", StringComparison.OrdinalIgnoreCase)).Value ?? "species:S:1:pos:R:3";
        var spec = props.Split(':');
        if (spec.Length % 3 != 0)
            return ctx.Fail<Structure>("xyz.invalid_properties", 2, "Properties", $"'{ReadContext.Show(props)}' is not a list of name:type:columns triples; write e.g. species:S:1:pos:R:3.");
        int column = 0, speciesCol = -1, posCol = -1, width = 0;
        for (var k = 0; k < spec.Length; k += 3)
        {
            if (!int.TryParse(spec[k + 2], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 64)
                return ctx.Fail<Structure>("xyz.invalid_properties", 2, "Properties", $"'{ReadContext.Show(spec[k + 2])}' is not a column count (1..64) for property '{ReadContext.Show(spec[k])}'.");
            if (spec[k] == "species" && spec[k + 1] == "S" && n == 1) speciesCol = column;
            if (spec[k] == "pos" && spec[k + 1] == "R" && n == 3) posCol = column;
            column += n;
        }
        width = column;
        if (speciesCol < 0 || posCol < 0)
            return ctx.Fail<Structure>("xyz.invalid_properties", 2, "Properties", $"'{ReadContext.Show(props)}' lacks species:S:1 or pos:R:3; both are needed.");
        var lat = lattice.OrThrow();
        var sites = new List<Site>((int)Math.Min(count, 1 << 16));
        for (var i = 0; i < count; i++)
        {
            var lineNo = i + 3;
            var field = $"site {i + 1}";
            if (lineNo > lines.Length || lines[lineNo - 1].Trim().Length == 0)
                return ctx.Fail<Structure>("xyz.truncated", lineNo, field, $"the file ends after {i} of {count} site lines; give one line per site.");
            var toks = lines[lineNo - 1].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (toks.Length < width)
                return ctx.Fail<Structure>("xyz.truncated", lineNo, field, $"{toks.Length} columns, expected {width} ({props}).");
            var species = ctx.At(Species.Parse(toks[speciesCol]), lineNo, field + " species");
            if (species.IsFail) return ctx.Fail<Structure>("xyz.unknown_element", lineNo, field + " species", $"'{ReadContext.Show(toks[speciesCol])}' is not an element symbol; write e.g. Si.");
            var v = new double[3];
            for (var k = 0; k < 3; k++)
                if (!ReadContext.TryNumber(toks[posCol + k], out v[k]))
                    return ctx.Fail<Structure>("xyz.invalid_number", lineNo, field + " pos", $"'{ReadContext.Show(toks[posCol + k])}' is not a finite number; write the Cartesian position in Angstrom.");
            var site = ctx.At(Site.Create(species.OrThrow(), lat.ToFractional(new Vec3(v[0], v[1], v[2]))), lineNo, field);
            if (site.IsFail) return site.Map(_ => default(Structure)!);
            sites.Add(site.OrThrow());
        }
        return ctx.At(Structure.Create(lat, sites), null, null);
    }

    private static Validation<Problem, List<KeyValuePair<string, string>>> KeyValues(string line, ReadContext ctx)
    {
        var result = new List<KeyValuePair<string, string>>();
        var k = 0;
        while (k < line.Length)
        {
            if (char.IsWhiteSpace(line[k])) { k++; continue; }
            var s = k;
            while (k < line.Length && line[k] != '=' && !char.IsWhiteSpace(line[k])) k++;
            var key = line[s..k];
            if (k >= line.Length || line[k] != '=') { result.Add(new(key, "T")); continue; }
            k++;
            string value;
            if (k < line.Length && line[k] is '"' or '\'')
            {
                var q = line[k];
                var end = line.IndexOf(q, k + 1);
                if (end < 0) return ctx.Fail<List<KeyValuePair<string, string>>>("xyz.unterminated_quote", 2, key, $"the value of {key} opens a quote {q} that is never closed; close it.");
                value = line[(k + 1)..end];
                k = end + 1;
            }
            else
            {
                s = k;
                while (k < line.Length && !char.IsWhiteSpace(line[k])) k++;
                value = line[s..k];
            }
            result.Add(new(key, value));
        }
        return Valid.Ok(result);
    }
}
