using System.Globalization;
using System.Text.RegularExpressions;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Structures;

/// <summary>Reads crystal structures from CIF (Crystallographic Information File) text, as pymatgen's <c>CifParser</c> does.</summary>
public static partial class Cif
{
    /// <summary>Tolerance on fractional coordinates under which two sites are one (pymatgen's <c>site_tolerance</c>, 1e-4).</summary>
    public const double SiteTolerance = 1e-4;

    /// <summary>Largest number of symmetry operations accepted (1024; real space groups have at most 192).</summary>
    public const int MaxSymmetryOperations = 1024;

    /// <summary>Reads the first data block of a CIF that has atom sites; never throws.</summary>
    /// <param name="text">The CIF text (at most 256 Mi characters).</param>
    /// <param name="source">Name used in problems, e.g. the file name.</param>
    /// <returns>The structure (conventional cell, pymatgen's site order), or the problems <see cref="ReadAll"/> finds (in any block).</returns>
    public static Validation<Problem, Structure> Read(string text, string source = "CIF") =>
        ReadAll(text, source).Map(all => all[0]);

    /// <summary>Reads every data block of a CIF that has atom sites (<c>_atom_site_fract_x</c>); never throws.</summary>
    /// <param name="text">The CIF text (at most 256 Mi characters).</param>
    /// <param name="source">Name used in problems, e.g. the file name.</param>
    /// <returns>
    /// One structure per block with sites, in file order, or problems naming the source, line and tag:
    /// syntax (<c>cif.empty</c>, <c>cif.too_large</c>, <c>cif.no_data_block</c>, <c>cif.unterminated_text</c>, <c>cif.unterminated_quote</c>,
    /// <c>cif.empty_loop</c>, <c>cif.loop_mismatch</c>, <c>cif.missing_value</c>, <c>cif.stray_value</c>),
    /// <c>cif.no_sites</c> (no block has <c>_atom_site_fract_x</c>; Cartesian-only sites are not read),
    /// <c>cif.missing_cell</c>, <c>cif.invalid_number</c> (a cell parameter, coordinate or occupancy that is not a finite number),
    /// <c>cif.invalid_symmetry_operation</c>, <c>cif.too_many_operations</c>,
    /// <c>cif.no_symmetry_operations</c> (only a space-group symbol or number is given: there is no symbol table yet),
    /// <c>cif.unknown_element</c>, <c>cif.invalid_occupancy</c> (negative, or a site whose occupancies add up to more than 1),
    /// <c>cif.too_many_sites</c>, and the lattice problems (<c>lattice.degenerate</c>, ...) at the cell tags.
    /// </returns>
    /// <remarks>
    /// Follows pymatgen 2022.11.7's <c>CifParser.get_structures(primitive=False)</c>, so the sites come out in pymatgen's
    /// order and the ten COD CIFs of the reference set read equal to pymatgen (lattice, species, site order, coordinates to
    /// 1e-15 modulo wrapping):
    /// <list type="number">
    /// <item>Numbers lose their uncertainty (<c>5.6402(2)</c> is 5.6402). Fractional coordinates within relative 1e-4 of 1/3
    /// or 2/3 become exactly 1/3 or 2/3.</item>
    /// <item>Cell from <c>_cell_length_a/b/c</c> and <c>_cell_angle_alpha/beta/gamma</c> (<see cref="Lattice.FromParameters"/>).</item>
    /// <item>Operations from <c>_symmetry_equiv_pos_as_xyz</c>, else <c>_space_group_symop_operation_xyz</c> (also the
    /// <c>_space_group_symop.operation_xyz</c> spelling); with neither, a block naming a space group is a problem, and a block
    /// naming none is P1 (the identity), as pymatgen defaults.</item>
    /// <item>Species: from <c>_atom_site_type_symbol</c>, else the label: the first two letters title-cased if an element
    /// (<c>Na1+</c> is Na), else the first letter. Oxidation states from <c>_atom_type_symbol</c>/<c>_atom_type_oxidation_number</c>,
    /// looked up by the type symbol, then by the element (0 when a table exists but has neither, as pymatgen).</item>
    /// <item>Occupancy from <c>_atom_site_occupancy</c> (1 when absent, <c>?</c> or <c>.</c>); sites with occupancy 0 are left out, as pymatgen.</item>
    /// <item>Each row is merged into an earlier row when some operation maps it within 1e-4 (periodically) of it: the two
    /// species then share one disordered site.</item>
    /// <item>Rows are grouped by species and occupancy (pymatgen's composition order); within a group every row is expanded
    /// by every operation in order, wrapped with <c>x - floor(x)</c> and kept when no kept site of the group lies within 1e-4.</item>
    /// <item>Sites are stably sorted by average electronegativity, then by species string (pymatgen's <c>get_sorted_structure</c>).</item>
    /// </list>
    /// Cost: a periodic bucket grid finds matching sites in O(1), so rows x operations work is linear (pymatgen scans every
    /// earlier site); 27,000 rows with two operations read in about a second.
    /// Differences from pymatgen: an unknown element, a stray token or a broken loop is a problem (pymatgen skips or warns);
    /// implicit hydrogens (<c>Wat</c>, <c>OH</c> labels), magnetic CIFs and Pauling-file corrections are not handled; a missing
    /// cell parameter is a problem (pymatgen may guess from the crystal system).
    /// Source: pymatgen <c>pymatgen/io/cif.py</c> (2022.11.7); CIF 1.1 syntax (IUCr).
    /// </remarks>
    public static Validation<Problem, Structure[]> ReadAll(string text, string source = "CIF")
    {
        var ctx = new ReadContext(source);
        var size = ctx.CheckSize(text, "cif");
        if (size.IsFail) return size.Map(_ => Array.Empty<Structure>());
        return from blocks in CifSyntax.Parse(text, ctx)
               from structures in Build(blocks, ctx)
               select structures;
    }

    private static Validation<Problem, Structure[]> Build(List<CifBlock> blocks, ReadContext ctx)
    {
        var withSites = blocks.Where(b => b.Items.ContainsKey("_atom_site_fract_x")).ToList();
        if (withSites.Count == 0)
        {
            var cart = blocks.Any(b => b.Items.ContainsKey("_atom_site_Cartn_x"));
            return ctx.Fail<Structure[]>("cif.no_sites", null, "_atom_site_fract_x",
                cart ? "the sites are given only in Cartesian coordinates (_atom_site_Cartn_x), which are not read; give _atom_site_fract_x/y/z."
                     : "no data block has atom sites; a structure needs a loop of _atom_site_label, _atom_site_fract_x, _atom_site_fract_y, _atom_site_fract_z.");
        }
        return Valid.All(withSites.Select(b => BuildBlock(b, new ReadContext($"{ctx.Source} (data_{b.Name})"))));
    }

    private sealed record Op(double[] R, double[] T)
    {
        public Vec3 Apply(Vec3 f) => new(
            R[0] * f.X + R[1] * f.Y + R[2] * f.Z + T[0],
            R[3] * f.X + R[4] * f.Y + R[5] * f.Z + T[1],
            R[6] * f.X + R[7] * f.Y + R[8] * f.Z + T[2]);
    }

    private static Validation<Problem, Structure> BuildBlock(CifBlock block, ReadContext ctx)
    {
        // Cell.
        var cell = new double[6];
        var cellTags = new[] { "_cell_length_a", "_cell_length_b", "_cell_length_c", "_cell_angle_alpha", "_cell_angle_beta", "_cell_angle_gamma" };
        for (var k = 0; k < 6; k++)
        {
            if (!block.Items.TryGetValue(cellTags[k], out var item))
                return ctx.Fail<Structure>("cif.missing_cell", block.Line, cellTags[k], "the cell parameter is missing; give all of _cell_length_a/b/c and _cell_angle_alpha/beta/gamma.");
            var v = Number(item.Values[0], item.Lines[0], item.Tag, ctx);
            if (v.IsFail) return v.Map(_ => default(Structure)!);
            cell[k] = v.OrThrow();
            if (double.IsNaN(cell[k]))
                return ctx.Fail<Structure>("cif.missing_cell", item.Lines[0], item.Tag, "the cell parameter is unknown ('?' or '.'); give its value.");
        }
        var lattice = ctx.At(Lattice.FromParameters(cell[0], cell[1], cell[2], cell[3], cell[4], cell[5]), block.Items["_cell_length_a"].Lines[0], "cell parameters");
        if (lattice.IsFail) return lattice.Map(_ => default(Structure)!);

        // Symmetry operations.
        var ops = Operations(block, ctx);
        if (ops.IsFail) return ops.Map(_ => default(Structure)!);
        var operations = ops.OrThrow();

        // Oxidation states.
        Dictionary<string, double>? oxi = null;
        if (block.Items.TryGetValue("_atom_type_symbol", out var typeSym) && block.Items.TryGetValue("_atom_type_oxidation_number", out var typeOx)
            && typeSym.Values.Count == typeOx.Values.Count)
        {
            oxi = new Dictionary<string, double>(StringComparer.Ordinal);
            var ok = true;
            for (var k = 0; k < typeSym.Values.Count && ok; k++)
            {
                var v = Number(typeOx.Values[k], typeOx.Lines[k], typeOx.Tag, ctx);
                if (v.IsFail || double.IsNaN(v.OrThrow())) { ok = false; break; }
                oxi[typeSym.Values[k]] = v.OrThrow();
            }
            if (ok)
                for (var k = 0; k < typeSym.Values.Count; k++)
                    oxi[OxiSuffix().Replace(typeSym.Values[k], "", 1)] = oxi[typeSym.Values[k]];
            else oxi = null; // as pymatgen: an unreadable table means no oxidation states
        }

        // Atom sites.
        var fx = block.Items["_atom_site_fract_x"];
        if (!block.Items.TryGetValue("_atom_site_fract_y", out var fy) || !block.Items.TryGetValue("_atom_site_fract_z", out var fz))
            return ctx.Fail<Structure>("cif.no_sites", fx.TagLine, "_atom_site_fract_y", "_atom_site_fract_x is given without _atom_site_fract_y and _atom_site_fract_z; give all three.");
        block.Items.TryGetValue("_atom_site_type_symbol", out var typeSymbol);
        block.Items.TryGetValue("_atom_site_label", out var label);
        block.Items.TryGetValue("_atom_site_occupancy", out var occupancy);
        var symbolItem = typeSymbol ?? label;
        if (symbolItem is null)
            return ctx.Fail<Structure>("cif.unknown_element", fx.TagLine, "_atom_site_type_symbol", "the sites have neither _atom_site_type_symbol nor _atom_site_label; give one of them.");
        var n = fx.Values.Count;
        foreach (var it in new[] { fy, fz, symbolItem, occupancy })
            if (it is not null && it.Values.Count != n)
                return ctx.Fail<Structure>("cif.loop_mismatch", it.TagLine, it.Tag, $"{it.Values.Count} values but {n} values of _atom_site_fract_x; put the atom-site tags in one loop.");
        if ((long)n * operations.Length > 16L * Structure.MaxSites)
            return ctx.Fail<Structure>("cif.too_many_sites", fx.TagLine, "_atom_site_fract_x", $"{n} sites x {operations.Length} operations is more than this reader expands; split the structure.");

        var keys = new PbcIndex();
        var species = new List<List<SiteSpecies>>();
        for (var i = 0; i < n; i++)
        {
            var rawSymbol = symbolItem.Values[i];
            var element = ParseSymbol(rawSymbol);
            if (element == 0)
                return ctx.Fail<Structure>("cif.unknown_element", symbolItem.Lines[i], symbolItem.Tag, $"'{ReadContext.Show(rawSymbol)}' does not start with an element symbol; write a symbol such as Na or Na1+.");
            double? ox = null;
            if (oxi is not null)
            {
                ox = oxi.GetValueOrDefault(Elements.Symbol(element), 0);
                if (typeSymbol is not null && oxi.TryGetValue(typeSymbol.Values[i], out var byType)) ox = byType;
            }
            var sp = ctx.At(Species.Create(element, ox), symbolItem.Lines[i], symbolItem.Tag);
            if (sp.IsFail) return sp.Map(_ => default(Structure)!);
            var xyz = new double[3];
            var items = new[] { fx, fy, fz };
            for (var k = 0; k < 3; k++)
            {
                var v = Number(items[k].Values[i], items[k].Lines[i], items[k].Tag, ctx);
                if (v.IsFail) return v.Map(_ => default(Structure)!);
                var c = v.OrThrow();
                if (double.IsNaN(c))
                    return ctx.Fail<Structure>("cif.invalid_number", items[k].Lines[i], items[k].Tag, $"the coordinate of site '{ReadContext.Show(label?.Values[i] ?? rawSymbol)}' is unknown ('{items[k].Values[i]}'); give a number.");
                xyz[k] = Snap(c);
            }
            var occ = 1.0;
            if (occupancy is not null)
            {
                var v = Number(occupancy.Values[i], occupancy.Lines[i], occupancy.Tag, ctx);
                if (v.IsFail) return v.Map(_ => default(Structure)!);
                occ = double.IsNaN(v.OrThrow()) ? 1.0 : v.OrThrow();
                if (occ < 0)
                    return ctx.Fail<Structure>("cif.invalid_occupancy", occupancy.Lines[i], occupancy.Tag, $"occupancy {occ.ToString("R", CultureInfo.InvariantCulture)} is negative; give a fraction in (0, 1].");
            }
            if (!(occ > 0)) continue;
            var coord = new Vec3(xyz[0], xyz[1], xyz[2]);
            var match = Matching(coord, keys, operations);
            if (match < 0)
            {
                keys.Add(coord);
                species.Add([new SiteSpecies(sp.OrThrow(), occ)]);
            }
            else
            {
                var list = species[match];
                var k = list.FindIndex(s => s.Species == sp.OrThrow());
                if (k < 0) list.Add(new SiteSpecies(sp.OrThrow(), occ));
                else list[k] = list[k] with { Occupancy = list[k].Occupancy + occ };
            }
        }
        if (keys.Count == 0)
            return ctx.Fail<Structure>("cif.no_sites", fx.TagLine, "_atom_site_occupancy", "every site has occupancy 0; give at least one occupied site.");

        // Group rows by composition (pymatgen's order), expand each group by the operations and de-duplicate within it.
        var rows = Enumerable.Range(0, keys.Count).OrderBy(r => species[r], Comparer<List<SiteSpecies>>.Create(CompareComposition)).ToArray();
        var sites = new List<(List<SiteSpecies> Species, Vec3 Coord)>();
        for (var g = 0; g < rows.Length;)
        {
            var h = g;
            while (h < rows.Length && CompareComposition(species[rows[g]], species[rows[h]]) == 0) h++;
            var comp = species[rows[g]];
            var unique = new PbcIndex();
            for (var r = g; r < h; r++)
                foreach (var op in operations)
                {
                    var c = op.Apply(keys[rows[r]]);
                    c = new Vec3(c.X - Math.Floor(c.X), c.Y - Math.Floor(c.Y), c.Z - Math.Floor(c.Z));
                    if (unique.FirstMatch(c) < 0)
                    {
                        unique.Add(c);
                        if (sites.Count + unique.Count > Structure.MaxSites)
                            return ctx.Fail<Structure>("cif.too_many_sites", fx.TagLine, "_atom_site_fract_x", $"the symmetry operations generate more than {Structure.MaxSites:N0} sites; split the structure.");
                    }
                }
            sites.AddRange(unique.Coordinates.Select(c => (comp, c)));
            g = h;
        }
        var built = new List<Site>(sites.Count);
        foreach (var (sp, c) in sites)
        {
            var s = Site.Create(sp, c);
            if (s.IsFail)
                return ctx.Fail<Structure>("cif.invalid_occupancy", occupancy?.TagLine ?? fx.TagLine, "_atom_site_occupancy", $"site at {c}: {s.Problems()[0].Message}");
            built.Add(s.OrThrow());
        }
        var sorted = built.Select((s, i) => (Site: s, X: AverageElectronegativity(s), Key: s.SpeciesString, I: i))
            .OrderBy(t => t, Comparer<(Site Site, double X, string Key, int I)>.Create((a, b) =>
            {
                if (a.X < b.X) return -1;
                if (a.X > b.X) return 1;
                var c = string.CompareOrdinal(a.Key, b.Key);
                return c != 0 ? c : a.I.CompareTo(b.I);
            }))
            .Select(t => t.Site);
        return ctx.At(Structure.Create(lattice.OrThrow(), sorted), block.Line, null);
    }

    private static double AverageElectronegativity(Site s)
    {
        double num = 0, den = 0;
        foreach (var sp in s.Species) { num += sp.Species.Electronegativity * Math.Abs(sp.Occupancy); den += Math.Abs(sp.Occupancy); }
        return num / den;
    }

    /// <summary>pymatgen's <c>Composition.__ge__</c> order: over the union of species in species order, the first whose
    /// amounts differ by at least 1e-8 decides (more of it = greater).</summary>
    private static int CompareComposition(List<SiteSpecies> a, List<SiteSpecies> b)
    {
        var all = a.Select(s => s.Species).Concat(b.Select(s => s.Species)).Distinct().OrderBy(s => s, Comparer<Species>.Create(Species.Compare));
        foreach (var el in all)
        {
            var x = a.FirstOrDefault(s => s.Species == el).Occupancy;
            var y = b.FirstOrDefault(s => s.Species == el).Occupancy;
            if (y - x >= 1e-8) return -1;
            if (x - y >= 1e-8) return 1;
        }
        return 0;
    }

    /// <summary>Index of the first earlier row that some operation (tried in order) maps <paramref name="coord"/> onto, or -1.</summary>
    private static int Matching(Vec3 coord, PbcIndex keys, Op[] operations)
    {
        if (keys.Count == 0) return -1;
        foreach (var op in operations)
        {
            var k = keys.FirstMatch(op.Apply(coord));
            if (k >= 0) return k;
        }
        return -1;
    }

    /// <summary>Fractional coordinates in insertion order with a periodic bucket grid of width <see cref="SiteTolerance"/>, so
    /// that finding the first stored point within the tolerance costs O(1) instead of a scan (pymatgen scans; same answer).</summary>
    private sealed class PbcIndex
    {
        private const int Buckets = 10_000; // 1 / SiteTolerance
        private readonly List<Vec3> _points = [];
        private readonly Dictionary<(int, int, int), List<int>> _grid = [];

        public int Count => _points.Count;

        public IReadOnlyList<Vec3> Coordinates => _points;

        public Vec3 this[int k] => _points[k];

        private static int Bucket(double x)
        {
            var w = x - Math.Floor(x);
            return Math.Clamp((int)(w * Buckets), 0, Buckets - 1);
        }

        public void Add(Vec3 c)
        {
            var key = (Bucket(c.X), Bucket(c.Y), Bucket(c.Z));
            if (!_grid.TryGetValue(key, out var list)) _grid[key] = list = [];
            list.Add(_points.Count);
            _points.Add(c);
        }

        /// <summary>The smallest index k with <c>|d - round(d)| &lt; 1e-4</c> on every axis, d = point k - c; or -1.</summary>
        public int FirstMatch(Vec3 c)
        {
            var (bx, by, bz) = (Bucket(c.X), Bucket(c.Y), Bucket(c.Z));
            var best = -1;
            for (var dx = -1; dx <= 1; dx++)
                for (var dy = -1; dy <= 1; dy++)
                    for (var dz = -1; dz <= 1; dz++)
                    {
                        var key = ((bx + dx + Buckets) % Buckets, (by + dy + Buckets) % Buckets, (bz + dz + Buckets) % Buckets);
                        if (!_grid.TryGetValue(key, out var list)) continue;
                        foreach (var k in list)
                        {
                            if (best >= 0 && k >= best) break; // lists hold increasing indices
                            var d = _points[k] - c;
                            if (Math.Abs(d.X - Math.Round(d.X)) < SiteTolerance && Math.Abs(d.Y - Math.Round(d.Y)) < SiteTolerance
                                && Math.Abs(d.Z - Math.Round(d.Z)) < SiteTolerance)
                                best = k;
                        }
                    }
            return best;
        }
    }

    private static double Snap(double f)
    {
        foreach (var c in new[] { 1 / 3.0, 2 / 3.0 })
            if (Math.Abs(1 - f / c) < 1e-4) return c;
        return f;
    }

    /// <summary>pymatgen's <c>_parse_symbol</c> without its special water labels: two letters title-cased, else one.</summary>
    private static int ParseSymbol(string sym)
    {
        if (sym.Length == 0) return 0;
        if (sym.StartsWith("Hw", StringComparison.Ordinal)) return 1;
        if (sym.StartsWith("Ow", StringComparison.Ordinal)) return 8;
        if (sym.Length >= 2 && char.IsAsciiLetter(sym[0]) && char.IsAsciiLetter(sym[1])
            && Elements.TryGetAtomicNumber(char.ToUpperInvariant(sym[0]) + sym[1..2].ToLowerInvariant(), out var z2)) return z2;
        if (char.IsAsciiLetter(sym[0]) && Elements.TryGetAtomicNumber(char.ToUpperInvariant(sym[0]).ToString(), out var z1)) return z1;
        return 0;
    }

    /// <summary>A CIF number without its uncertainty; NaN for '?' or '.' (unknown / inapplicable; a NaN written in the file is refused).</summary>
    private static Validation<Problem, double> Number(string text, int line, string tag, ReadContext ctx)
    {
        var t = text.Trim();
        if (t is "?" or ".") return Valid.Ok(double.NaN);
        var paren = t.IndexOf('(');
        if (paren >= 0)
        {
            var close = t.IndexOf(')', paren);
            if (close < 0 || close != t.Length - 1 || !t[(paren + 1)..close].All(char.IsAsciiDigit))
                return ctx.Fail<double>("cif.invalid_number", line, tag, $"'{ReadContext.Show(t)}' is not a number with an uncertainty such as 5.6402(2); fix the value.");
            t = t[..paren];
        }
        if (t.Length == 0 || t.Any(char.IsAsciiLetter) && !t.Contains('e', StringComparison.OrdinalIgnoreCase) || !ReadContext.TryNumber(t, out var v))
            return ctx.Fail<double>("cif.invalid_number", line, tag, $"'{ReadContext.Show(text)}' is not a finite number; write a decimal number such as 5.6402 or 5.6402(2).");
        return Valid.Ok(v);
    }

    private static readonly string[] OperationTags =
        ["_symmetry_equiv_pos_as_xyz", "_space_group_symop_operation_xyz", "_space_group_symop.operation_xyz", "_symmetry_equiv.pos_as_xyz"];

    private static readonly string[] SymbolTags =
        ["_symmetry_space_group_name_H-M", "_space_group_name_H-M_alt", "_space_group_name_Hall", "_symmetry_space_group_name_Hall",
         "_space_group_IT_number", "_symmetry_Int_Tables_number", "_space_group.name_H-M_alt", "_space_group.IT_number"];

    private static Validation<Problem, Op[]> Operations(CifBlock block, ReadContext ctx)
    {
        var item = OperationTags.Select(t => block.Items.GetValueOrDefault(t)).FirstOrDefault(i => i is not null);
        if (item is null)
        {
            var named = SymbolTags.Select(t => block.Items.GetValueOrDefault(t)).FirstOrDefault(i => i is not null && i.Values.Any(v => v is not ("?" or ".")));
            if (named is not null)
                return ctx.Fail<Op[]>("cif.no_symmetry_operations", named.Lines[0], named.Tag,
                    $"the block names space group '{ReadContext.Show(named.Values[0])}' but lists no symmetry operations, and this reader has no space-group table yet; add a loop of _symmetry_equiv_pos_as_xyz (or _space_group_symop_operation_xyz), or expand the sites to P1.");
            return Valid.Ok(new[] { new Op([1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, 0]) });
        }
        if (item.Values.Count > MaxSymmetryOperations)
            return ctx.Fail<Op[]>("cif.too_many_operations", item.TagLine, item.Tag, $"{item.Values.Count} symmetry operations, more than {MaxSymmetryOperations}; a space group has at most 192.");
        var ops = new Op[item.Values.Count];
        for (var k = 0; k < ops.Length; k++)
        {
            var op = ParseOperation(item.Values[k]);
            if (op is null)
                return ctx.Fail<Op[]>("cif.invalid_symmetry_operation", item.Lines[k], item.Tag, $"'{ReadContext.Show(item.Values[k])}' is not a symmetry operation; write three comma-separated terms such as -y,x-y,z+1/3.");
            ops[k] = op;
        }
        return Valid.Ok(ops);
    }

    /// <summary>Parses <c>x,1/2+y,-z</c>-style operations: each part a sum of terms <c>[+-][n[/m]][x|y|z]</c>.</summary>
    private static Op? ParseOperation(string text)
    {
        var parts = text.Replace(" ", "").ToLowerInvariant().Split(',');
        if (parts.Length != 3) return null;
        var r = new double[9];
        var t = new double[3];
        for (var i = 0; i < 3; i++)
        {
            var s = parts[i];
            if (s.Length == 0) return null;
            var p = 0;
            while (p < s.Length)
            {
                var sign = 1.0;
                if (s[p] is '+' or '-') { sign = s[p] == '-' ? -1 : 1; p++; }
                var q = p;
                while (q < s.Length && (char.IsAsciiDigit(s[q]) || s[q] == '.')) q++;
                double? num = null;
                if (q > p)
                {
                    if (!double.TryParse(s[p..q], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var a)) return null;
                    num = a;
                    p = q;
                    if (p < s.Length && s[p] == '/')
                    {
                        p++;
                        q = p;
                        while (q < s.Length && (char.IsAsciiDigit(s[q]) || s[q] == '.')) q++;
                        if (q == p || !double.TryParse(s[p..q], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var b) || b == 0) return null;
                        num = a / b;
                        p = q;
                    }
                }
                if (p < s.Length && s[p] is 'x' or 'y' or 'z')
                {
                    r[3 * i + (s[p] - 'x')] += sign * (num ?? 1.0);
                    p++;
                }
                else if (num is double c) t[i] += sign * c;
                else return null;
                if (p < s.Length && s[p] is not ('+' or '-')) return null;
            }
        }
        return r.All(double.IsFinite) && t.All(double.IsFinite) ? new Op(r, t) : null;
    }

    [GeneratedRegex(@"\d?[\+,\-]?$")]
    private static partial Regex OxiSuffix();
}
