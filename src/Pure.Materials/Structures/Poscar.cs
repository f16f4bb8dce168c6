using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Structures;

/// <summary>Reads VASP POSCAR and CONTCAR files (VASP 4 and 5 layouts).</summary>
public static class Poscar
{
    /// <summary>Reads a POSCAR/CONTCAR text into a structure; never throws.</summary>
    /// <param name="text">The file's contents (at most 256 Mi characters).</param>
    /// <param name="source">Name used in problems, e.g. the file name.</param>
    /// <returns>
    /// The structure, sites in file order, or one problem naming the source, line and field:
    /// <c>poscar.empty</c>, <c>poscar.too_large</c>, <c>poscar.truncated</c> (the file ends before a required line),
    /// <c>poscar.invalid_number</c> (a scale, lattice entry or coordinate that is not a finite number),
    /// <c>poscar.invalid_scale</c> (zero, or three scale factors not all positive),
    /// <c>poscar.invalid_count</c> (a count that is not a positive integer, or counts not matching the species),
    /// <c>poscar.too_many_sites</c> (counts adding up to more than <see cref="Structure.MaxSites"/>),
    /// <c>poscar.no_species</c> (VASP 4 file whose comment line does not name the species),
    /// <c>poscar.unknown_element</c>, <c>poscar.invalid_flag</c> (a Selective dynamics flag other than T or F),
    /// and the lattice and site problems (<c>lattice.degenerate</c>, ...) re-stated at their line.
    /// </returns>
    /// <remarks>
    /// Layout: comment; scale (one number: positive = multiplier, negative = target cell volume in Angstrom^3; or three
    /// positive multipliers of the Cartesian x, y and z components); three lattice rows; VASP 5 species line (optional; POTCAR labels such as
    /// <c>Fe_pv</c> or <c>Fe/1a2b</c> keep the element part); counts; optional <c>Selective dynamics</c> line (first letter S);
    /// coordinate mode (first letter C or K = Cartesian, anything else = Direct); one line per site (three numbers, then
    /// T/F flags under Selective dynamics, then anything). Cartesian coordinates are multiplied by the same scale as the
    /// lattice. Velocities and predictor-corrector blocks after the sites are ignored, as is a site's trailing label.
    /// In a VASP 4 file (no species line) the species come from a symbol after each site's coordinates (as pymatgen reads
    /// them), else from the comment line when its first tokens are element symbols, one per count; otherwise the file is
    /// refused (pymatgen 2022.11.7 silently names the species H, He, Li, ... instead). Source: VASP wiki "POSCAR"; pymatgen <c>Poscar.from_string</c>.
    /// </remarks>
    public static Validation<Problem, Structure> Read(string text, string source = "POSCAR")
    {
        var ctx = new ReadContext(source);
        var size = ctx.CheckSize(text, "poscar");
        if (size.IsFail) return size.Map(_ => default(Structure)!);
        var lines = text.Split('\n');
        var at = 0;
        Validation<Problem, string[]> Next(string what)
        {
            while (at < lines.Length)
            {
                var t = lines[at++].Trim();
                if (t.Length > 0 || at == 1) return Valid.Ok(t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            }
            return ctx.Fail<string[]>("poscar.truncated", at + 1, what, $"the file ends where the {what} should be; complete the file (a POSCAR needs comment, scale, 3 lattice rows, counts, coordinate mode and one line per site).");
        }
        Validation<Problem, double> Number(string token, string field) =>
            ReadContext.TryNumber(token, out var v) ? Valid.Ok(v)
            : ctx.Fail<double>("poscar.invalid_number", at, field, $"'{ReadContext.Show(token)}' is not a finite number; write a decimal number such as 5.43.");

        var comment = Next("comment line");
        if (comment.IsFail) return comment.Map(_ => default(Structure)!);
        var commentTokens = comment.OrThrow();

        var scaleLine = Next("scale factor");
        if (scaleLine.IsFail) return scaleLine.Map(_ => default(Structure)!);
        var scaleToks = scaleLine.OrThrow();
        if (scaleToks.Length == 0) return ctx.Fail<Structure>("poscar.truncated", at, "scale factor", "the scale line is empty; write 1.0 (or the cell volume as a negative number).");
        var nScale = scaleToks.Length >= 3 && ReadContext.TryNumber(scaleToks[1], out _) ? 3 : 1;
        var scales = new double[nScale];
        for (var k = 0; k < nScale; k++)
        {
            var v = Number(scaleToks[k], "scale factor");
            if (v.IsFail) return v.Map(_ => default(Structure)!);
            scales[k] = v.OrThrow();
        }
        if (nScale == 1 && scales[0] == 0)
            return ctx.Fail<Structure>("poscar.invalid_scale", at, "scale factor", "the scale factor is 0; write 1.0, a positive multiplier, or the cell volume as a negative number.");
        if (nScale == 3 && scales.Any(s => !(s > 0)))
            return ctx.Fail<Structure>("poscar.invalid_scale", at, "scale factor", "three scale factors must all be positive; write one factor, or three positive ones.");

        var rows = new Vec3[3];
        for (var r = 0; r < 3; r++)
        {
            var name = "lattice vector " + "abc"[r];
            var line = Next(name);
            if (line.IsFail) return line.Map(_ => default(Structure)!);
            var toks = line.OrThrow();
            if (toks.Length < 3) return ctx.Fail<Structure>("poscar.truncated", at, name, $"expected 3 numbers, found {toks.Length}; write the vector's x, y and z in Angstrom.");
            var v = new double[3];
            for (var k = 0; k < 3; k++)
            {
                var x = Number(toks[k], name);
                if (x.IsFail) return x.Map(_ => default(Structure)!);
                v[k] = x.OrThrow();
            }
            rows[r] = new Vec3(v[0], v[1], v[2]);
        }
        var rawLattice = ctx.At(Lattice.Create(rows[0], rows[1], rows[2]), at - 2, "lattice");
        if (rawLattice.IsFail) return rawLattice.Map(_ => default(Structure)!);
        double[] factor = nScale == 3 ? scales
            : scales[0] > 0 ? [scales[0], scales[0], scales[0]]
            : Enumerable.Repeat(Math.Cbrt(-scales[0] / rawLattice.OrThrow().Volume), 3).ToArray();
        Vec3 Scale(Vec3 v) => new(v.X * factor[0], v.Y * factor[1], v.Z * factor[2]);
        var lattice = ctx.At(Lattice.Create(Scale(rows[0]), Scale(rows[1]), Scale(rows[2])), at - 2, "lattice");
        if (lattice.IsFail) return lattice.Map(_ => default(Structure)!);

        var six = Next("species or counts line");
        if (six.IsFail) return six.Map(_ => default(Structure)!);
        var sixToks = six.OrThrow();
        string[] names;
        string[] countToks;
        int countLine;
        if (sixToks.Length > 0 && !int.TryParse(sixToks[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out _) && !char.IsAsciiDigit(sixToks[0][0]))
        {
            names = sixToks.Select(t => t.Split('_', '/')[0]).ToArray();
            var namesLine = at;
            var counts = Next("counts line");
            if (counts.IsFail) return counts.Map(_ => default(Structure)!);
            countToks = counts.OrThrow();
            countLine = at;
            foreach (var nm in names)
                if (!Elements.TryGetAtomicNumber(nm, out _))
                    return ctx.Fail<Structure>("poscar.unknown_element", namesLine, "species line", $"'{ReadContext.Show(nm)}' is not an element symbol; write symbols such as Fe O.");
        }
        else
        {
            countToks = sixToks;
            countLine = at;
            names = [];
        }
        var countList = new List<int>();
        long total = 0;
        foreach (var t in countToks)
        {
            if (!long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var c))
            {
                if (countList.Count > 0) break; // trailing comment on the counts line
                return ctx.Fail<Structure>("poscar.invalid_count", countLine, "counts line", $"'{ReadContext.Show(t)}' is not a whole number of atoms; write one positive count per species.");
            }
            if (c <= 0)
                return ctx.Fail<Structure>("poscar.invalid_count", countLine, "counts line", $"count {c} is not positive; write one positive count per species.");
            total += c;
            if (total > Structure.MaxSites)
                return ctx.Fail<Structure>("poscar.too_many_sites", countLine, "counts line", $"the counts add up to more than {Structure.MaxSites:N0} sites; split the structure.");
            countList.Add((int)c);
        }
        if (countList.Count == 0)
            return ctx.Fail<Structure>("poscar.invalid_count", countLine, "counts line", "no atom counts; write one positive count per species.");
        if (names.Length != 0 && names.Length != countList.Count)
            return ctx.Fail<Structure>("poscar.invalid_count", countLine, "counts line", $"{names.Length} species but {countList.Count} counts; give one count per species.");

        var mode = Next("coordinate mode");
        if (mode.IsFail) return mode.Map(_ => default(Structure)!);
        var modeToks = mode.OrThrow();
        var selective = false;
        if (modeToks.Length > 0 && modeToks[0][0] is 'S' or 's')
        {
            selective = true;
            mode = Next("coordinate mode");
            if (mode.IsFail) return mode.Map(_ => default(Structure)!);
            modeToks = mode.OrThrow();
        }
        var cartesian = modeToks.Length > 0 && modeToks[0][0] is 'C' or 'c' or 'K' or 'k';

        var lat = lattice.OrThrow();
        var siteLines = new List<(string[] Tokens, int Line)>((int)total);
        for (var k = 0; k < total; k++)
        {
            var line = Next($"site {k + 1}");
            if (line.IsFail) return line.Map(_ => default(Structure)!);
            siteLines.Add((line.OrThrow(), at));
        }
        string[] perSite;
        if (names.Length > 0)
            perSite = names.SelectMany((nm, s) => Enumerable.Repeat(nm, countList[s])).ToArray();
        else
        {
            // VASP 4: symbols after the coordinates (as pymatgen reads them), else the comment line's first tokens.
            var ind = selective ? 6 : 3;
            var fromLines = siteLines.Select(l => l.Tokens.Length > ind ? l.Tokens[ind] : "").ToArray();
            var fromComment = commentTokens.Take(countList.Count).ToArray();
            if (fromLines.All(t => Elements.TryGetAtomicNumber(t, out _)))
                perSite = fromLines;
            else if (fromComment.Length == countList.Count && fromComment.All(t => Elements.TryGetAtomicNumber(t, out _)))
                perSite = fromComment.SelectMany((nm, s) => Enumerable.Repeat(nm, countList[s])).ToArray();
            else
                return ctx.Fail<Structure>("poscar.no_species", countLine, "species line",
                    $"the file has counts but no species line (VASP 4), no element symbol after each site's coordinates, and no {countList.Count} element symbol(s) at the start of the comment line; add a line of symbols (e.g. 'Fe O') above the counts.");
        }
        var sites = new List<Site>((int)total);
        for (var k = 0; k < siteLines.Count; k++)
        {
            var (toks, lineNo) = siteLines[k];
            var field = $"site {k + 1} ({perSite[k]})";
            if (toks.Length < 3) return ctx.Fail<Structure>("poscar.truncated", lineNo, field, $"expected 3 coordinates, found {toks.Length}; write three numbers per site.");
            var v = new double[3];
            for (var q = 0; q < 3; q++)
            {
                if (!ReadContext.TryNumber(toks[q], out v[q]))
                    return ctx.Fail<Structure>("poscar.invalid_number", lineNo, field, $"'{ReadContext.Show(toks[q])}' is not a finite number; write a decimal number such as 0.25.");
            }
            if (selective)
            {
                if (toks.Length < 6) return ctx.Fail<Structure>("poscar.invalid_flag", lineNo, field, "Selective dynamics needs three T/F flags after the coordinates; add them (e.g. T T F).");
                for (var q = 3; q < 6; q++)
                    if (toks[q] is not ("T" or "F" or "t" or "f"))
                        return ctx.Fail<Structure>("poscar.invalid_flag", lineNo, field, $"'{ReadContext.Show(toks[q])}' is not a Selective dynamics flag; write T or F.");
            }
            var frac = cartesian
                ? lat.ToFractional(Scale(new Vec3(v[0], v[1], v[2])))
                : new Vec3(v[0], v[1], v[2]);
            Elements.TryGetAtomicNumber(perSite[k], out var z);
            var site = ctx.At(Site.Create(new Species(z), frac), lineNo, field);
            if (site.IsFail) return site.Map(_ => default(Structure)!);
            sites.Add(site.OrThrow());
        }
        return ctx.At(Structure.Create(lat, sites), null, null);
    }
}
