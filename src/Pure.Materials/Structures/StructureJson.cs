using System.Globalization;
using System.Text.Json;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Structures;

/// <summary>Pairs a structure with the id and the other columns it came with in a dataset file.</summary>
/// <param name="Id">Row id (Matbench's <c>mbid</c>, or the pandas index as text).</param>
/// <param name="Target">The number in the row's target column (<see cref="TargetColumn"/>), or null when the file has none or this cell
/// is not a number (a boolean, text, null). Every column, whatever it holds, is in <see cref="Columns"/> by its name.</param>
/// <param name="Structure">The structure.</param>
/// <remarks>Equality compares <see cref="Columns"/> name by name and cell by cell, in order.</remarks>
public sealed record StructureEntry(string Id, double? Target, Structure Structure)
{
    /// <summary>Every column of the row except the structure (and the id), by name, in the file's column order (enumeration keeps
    /// it): the cell as text as pandas would print it: a number in shortest round-trip form (<c>1.5</c>, <c>98.58577122703691</c>,
    /// <c>3</c>), a JSON boolean as <c>True</c>/<c>False</c>, a string as given, another array or object as its JSON text, and null
    /// (or a field a record of the compact layout lacks) as null. Empty for structures read from structure files, which carry no
    /// columns.</summary>
    public IReadOnlyDictionary<string, string?> Columns { get; init; } = NoColumns;

    /// <summary>The column <see cref="Target"/> is read from: the column named <c>target</c> when there is one, else the first column
    /// holding a number in some row (Matbench's regression files have exactly one such column); null when no column holds a number.</summary>
    public string? TargetColumn { get; init; }

    private static readonly IReadOnlyDictionary<string, string?> NoColumns = new OrderedDictionary<string, string?>();

    /// <inheritdoc/>
    public bool Equals(StructureEntry? other) =>
        other is not null && Id == other.Id && Target == other.Target && TargetColumn == other.TargetColumn && Structure.Equals(other.Structure)
        && Columns.SequenceEqual(other.Columns);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Target, Structure, Columns.Count);
}

/// <summary>Reads structures from JSON: pymatgen's <c>Structure.as_dict()</c>, Matbench's dataset files (pandas "split"
/// layout) and the compact layout <c>{records: [{mbid, target, lattice, species, frac_coords}]}</c>.</summary>
/// <remarks>JSON problems name the source, the line for syntax errors (JSON has no NaN or Infinity: Python's <c>json.dump</c>
/// of a NaN is a syntax error here) and the JSON path of the field (<c>records[12].lattice[1][2]</c>). Nesting is limited to
/// 64 levels and text to 256 Mi characters.</remarks>
public static class StructureJson
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>Reads one pymatgen <c>Structure.as_dict()</c> object; never throws.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Name used in problems.</param>
    /// <returns>The structure (sites in the dict's order, fractional coordinates from <c>abc</c>), or problems:
    /// <c>json.syntax</c>, <c>json.empty</c>, <c>json.too_large</c>, <c>json.missing_field</c>, <c>json.wrong_type</c>
    /// (e.g. a string where a number belongs), and the lattice, species and site problems at their path.</returns>
    /// <remarks>Read: <c>lattice.matrix</c> (3x3, rows a, b, c); per site <c>species</c> (list of <c>{element, occu, oxidation_state?}</c>)
    /// and <c>abc</c>. Ignored: <c>xyz</c> (derived), <c>label</c>, <c>properties</c>, <c>charge</c>, <c>@module</c>.
    /// Source: pymatgen 2022.11.7 <c>Structure.as_dict</c> / <c>from_dict</c>.</remarks>
    public static Validation<Problem, Structure> ReadPymatgen(string json, string source = "JSON")
    {
        var ctx = new ReadContext(source);
        var size = ctx.CheckSize(json, "json");
        if (size.IsFail) return size.Map(_ => default(Structure)!);
        var parsed = Parse(json, ctx);
        if (parsed.IsFail) return parsed.Map(_ => default(Structure)!);
        using var doc = parsed.OrThrow();
        return Pymatgen(doc.RootElement, "$", ctx);
    }

    /// <summary>Reads a Matbench dataset file in either layout; never throws.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Name used in problems.</param>
    /// <returns>Every entry in file order, or every problem found (at most 100): pandas "split" layout
    /// <c>{index, columns, data}</c> with a <c>structure</c> column of pymatgen dicts (ids from <c>index</c>); or the compact layout
    /// <c>{records: [{mbid, target, lattice, species, frac_coords}]}</c> (species strings such as <c>Fe</c> or <c>O2-</c>). Every other
    /// column (split layout) or record field (compact layout, in order of first appearance) is kept by name in
    /// <see cref="StructureEntry.Columns"/>, whatever it holds (numbers, booleans such as Matbench's <c>is_metal</c>, text, null);
    /// <see cref="StructureEntry.Target"/> is the number in the column named <c>target</c>, else in the first column holding a number
    /// (<see cref="StructureEntry.TargetColumn"/>). Codes as <see cref="ReadPymatgen"/>, plus <c>json.unknown_layout</c> and <c>json.duplicate_column</c> (a column name
    /// given twice in <c>columns</c>).</returns>
    /// <example>Matbench's <c>matbench_mp_is_metal</c> (<c>columns: ["structure", "is_metal"]</c>, cells <c>true</c>/<c>false</c>) gives
    /// entries with <c>Columns["is_metal"]</c> = <c>"True"</c> or <c>"False"</c> and <c>Target</c> null.</example>
    public static Validation<Problem, StructureEntry[]> ReadMatbench(string json, string source = "JSON")
    {
        var ctx = new ReadContext(source);
        var size = ctx.CheckSize(json, "json");
        if (size.IsFail) return size.Map(_ => Array.Empty<StructureEntry>());
        var parsed = Parse(json, ctx);
        if (parsed.IsFail) return parsed.Map(_ => Array.Empty<StructureEntry>());
        using var doc = parsed.OrThrow();
        return Entries(doc.RootElement, ctx);
    }

    /// <summary>Writes a structure as pymatgen's <c>Structure.as_dict()</c> JSON, which <see cref="ReadPymatgen"/> and
    /// pymatgen's <c>Structure.from_dict</c> read back to the same structure.</summary>
    /// <param name="structure">The structure.</param>
    /// <param name="indented">Indent the JSON (default false: one line).</param>
    /// <returns>The JSON text: <c>@module</c>, <c>@class</c>, <c>charge</c> 0, <c>lattice</c> (<c>matrix</c>, <c>pbc</c>, <c>a</c>,
    /// <c>b</c>, <c>c</c>, <c>alpha</c>, <c>beta</c>, <c>gamma</c>, <c>volume</c>) and per site <c>species</c> (<c>element</c>,
    /// <c>occu</c>, and <c>oxidation_state</c> when given), <c>abc</c>, <c>xyz</c>, <c>label</c> and empty <c>properties</c>.
    /// Numbers are written in shortest round-trip form, so reading back gives exactly the same doubles (checked on all 1265
    /// phonons structures; pymatgen 2022.11.7 reads the written skewed and disordered structures back equal, bit for bit).</returns>
    public static string WritePymatgen(Structure structure, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(structure);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("@module", "pymatgen.core.structure");
            w.WriteString("@class", "Structure");
            w.WriteNumber("charge", 0);
            var l = structure.Lattice;
            w.WriteStartObject("lattice");
            w.WriteStartArray("matrix");
            for (var r = 0; r < 3; r++) WriteTriple(w, l[r]);
            w.WriteEndArray();
            w.WriteStartArray("pbc");
            for (var k = 0; k < 3; k++) w.WriteBooleanValue(true);
            w.WriteEndArray();
            w.WriteNumber("a", l.Lengths.X);
            w.WriteNumber("b", l.Lengths.Y);
            w.WriteNumber("c", l.Lengths.Z);
            w.WriteNumber("alpha", l.Angles.X);
            w.WriteNumber("beta", l.Angles.Y);
            w.WriteNumber("gamma", l.Angles.Z);
            w.WriteNumber("volume", l.Volume);
            w.WriteEndObject();
            w.WriteStartArray("sites");
            for (var i = 0; i < structure.Count; i++)
            {
                var site = structure.Sites[i];
                w.WriteStartObject();
                w.WriteStartArray("species");
                foreach (var sp in site.Species)
                {
                    w.WriteStartObject();
                    w.WriteString("element", sp.Species.Symbol);
                    if (sp.Species.OxidationState is double ox) w.WriteNumber("oxidation_state", ox);
                    w.WriteNumber("occu", sp.Occupancy);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WritePropertyName("abc");
                WriteTriple(w, site.Fractional);
                w.WritePropertyName("xyz");
                WriteTriple(w, structure.CartesianCoordinates[i]);
                w.WriteString("label", site.SpeciesString);
                w.WriteStartObject("properties");
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteTriple(Utf8JsonWriter w, Vec3 v)
    {
        w.WriteStartArray();
        w.WriteNumberValue(v.X);
        w.WriteNumberValue(v.Y);
        w.WriteNumberValue(v.Z);
        w.WriteEndArray();
    }

    private static Validation<Problem, JsonDocument> Parse(string json, ReadContext ctx)
    {
        try
        {
            return Valid.Ok(JsonDocument.Parse(json, Options));
        }
        catch (JsonException e)
        {
            var msg = e.Message.Split(" Path:")[0].Split(" LineNumber:")[0];
            return ctx.Fail<JsonDocument>("json.syntax", (int?)(e.LineNumber + 1), e.BytePositionInLine is long b ? $"byte {b + 1}" : null,
                $"not valid JSON ({msg}); fix the text (JSON has no NaN or Infinity: write null or leave the row out).");
        }
    }

    private static Validation<Problem, StructureEntry[]> Entries(JsonElement root, ReadContext ctx)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("records", out var records))
        {
            if (records.ValueKind != JsonValueKind.Array) return Wrong<StructureEntry[]>(ctx, "$.records", "an array of records");
            var objects = records.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object).ToArray();
            var names = objects.SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Where(n => !CompactFields.Contains(n)).Distinct().ToList();
            var targetCol = TargetColumn(names.Select(n => (n, objects.Select(r => r.TryGetProperty(n, out var v) ? v.ValueKind : JsonValueKind.Undefined))).ToList());
            return Cap(records.EnumerateArray().Select((r, i) => Compact(r, $"$.records[{i}]", names, targetCol < 0 ? null : names[targetCol], ctx)));
        }
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("columns", out var columns) && root.TryGetProperty("data", out var data))
        {
            if (columns.ValueKind != JsonValueKind.Array || columns.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String))
                return Wrong<StructureEntry[]>(ctx, "$.columns", "an array of column names");
            var names = columns.EnumerateArray().Select(c => c.GetString()!).ToList();
            var sCol = names.IndexOf("structure");
            if (sCol < 0) return ctx.Fail<StructureEntry[]>("json.missing_field", null, "$.columns", $"no 'structure' column among {string.Join(", ", names.Take(10))}; a Matbench structure dataset has one.");
            if (names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } dup)
                return ctx.Fail<StructureEntry[]>("json.duplicate_column", null, "$.columns", $"the column name '{dup.Key}' appears {dup.Count()} times; rename the duplicates.");
            if (data.ValueKind != JsonValueKind.Array) return Wrong<StructureEntry[]>(ctx, "$.data", "an array of rows");
            var ids = root.TryGetProperty("index", out var index) && index.ValueKind == JsonValueKind.Array ? index.EnumerateArray().Select(x => x.ToString()).ToList() : null;
            var others = Enumerable.Range(0, names.Count).Where(c => c != sCol).ToArray();
            var rows = data.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Array && r.GetArrayLength() == names.Count).ToArray();
            var targetCol = TargetColumn(others.Select(c => (names[c], rows.Select(r => r[c].ValueKind))).ToList());
            return Cap(data.EnumerateArray().Select((row, i) =>
            {
                var path = $"$.data[{i}]";
                if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != names.Count)
                    return Wrong<StructureEntry>(ctx, path, $"an array of {names.Count} values (one per column)");
                var cells = row.EnumerateArray().ToArray();
                var cols = new OrderedDictionary<string, string?>(others.Length);
                foreach (var c in others) cols.Add(names[c], Cell(cells[c]));
                var target = targetCol >= 0 ? Number(cells[others[targetCol]]) : null;
                var id = ids is not null && i < ids.Count ? ids[i] : i.ToString(CultureInfo.InvariantCulture);
                return Pymatgen(cells[sCol], $"{path}[{sCol}]", ctx).Map(s => new StructureEntry(id, target, s) { Columns = cols, TargetColumn = targetCol >= 0 ? names[others[targetCol]] : null });
            }));
        }
        return ctx.Fail<StructureEntry[]>("json.unknown_layout", null, "$",
            "neither the compact layout {records: [...]} nor pandas' split layout {index, columns, data}; write the dataset with one of them (matbench's load_dataset(...).to_json(orient='split')).");
    }

    private static Validation<Problem, T[]> Cap<T>(IEnumerable<Validation<Problem, T>> items)
    {
        var values = new List<T>();
        var problems = new List<Problem>();
        foreach (var v in items)
        {
            v.Match(Succ: values.Add, Fail: ps => problems.AddRange(ps));
            if (problems.Count >= 100) break;
        }
        return problems.Count == 0 ? Valid.Ok(values.ToArray()) : Valid.Fail<T[]>(problems);
    }

    /// <summary>The index (among the non-structure columns) of the target column: the one named <c>target</c>, else the first with a
    /// number in some row; -1 when none is.</summary>
    private static int TargetColumn(IReadOnlyList<(string Name, IEnumerable<JsonValueKind> Kinds)> columns)
    {
        for (var c = 0; c < columns.Count; c++)
            if (columns[c].Name == "target") return c;
        for (var c = 0; c < columns.Count; c++)
        {
            if (columns[c].Kinds.Contains(JsonValueKind.Number)) return c;
        }
        return -1;
    }

    /// <summary>A cell as text (see <see cref="StructureEntry.Columns"/>): numbers in round-trip form, booleans as pandas prints them.</summary>
    private static string? Cell(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.TryGetDouble(out var v) && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : e.GetRawText(),
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => e.GetRawText(),
    };

    private static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;

    /// <summary>The fields of a compact-layout record that describe its structure or id, not a column.</summary>
    private static readonly string[] CompactFields = ["mbid", "lattice", "species", "frac_coords"];

    private static Validation<Problem, StructureEntry> Compact(JsonElement r, string path, IReadOnlyList<string> columns, string? targetColumn, ReadContext ctx)
    {
        if (r.ValueKind != JsonValueKind.Object) return Wrong<StructureEntry>(ctx, path, "an object {mbid, target, lattice, species, frac_coords}");
        var id = r.TryGetProperty("mbid", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : path;
        double? target = targetColumn is not null && r.TryGetProperty(targetColumn, out var t) ? Number(t) : null;
        var cols = new OrderedDictionary<string, string?>(columns.Count);
        foreach (var c in columns) cols.Add(c, r.TryGetProperty(c, out var v) ? Cell(v) : null);
        if (!r.TryGetProperty("lattice", out var lat)) return Missing<StructureEntry>(ctx, path + ".lattice");
        if (!r.TryGetProperty("species", out var sp)) return Missing<StructureEntry>(ctx, path + ".species");
        if (!r.TryGetProperty("frac_coords", out var fc)) return Missing<StructureEntry>(ctx, path + ".frac_coords");
        var lattice = Matrix(lat, path + ".lattice", ctx);
        if (lattice.IsFail) return lattice.Map(_ => default(StructureEntry)!);
        if (sp.ValueKind != JsonValueKind.Array) return Wrong<StructureEntry>(ctx, path + ".species", "an array of species strings");
        if (fc.ValueKind != JsonValueKind.Array) return Wrong<StructureEntry>(ctx, path + ".frac_coords", "an array of [x, y, z]");
        var n = sp.GetArrayLength();
        if (n > Structure.MaxSites) return ctx.Fail<StructureEntry>("structure.too_many_sites", null, path + ".species", $"{n:N0} sites, more than {Structure.MaxSites:N0}.");
        if (fc.GetArrayLength() != n)
            return ctx.Fail<StructureEntry>("structure.length_mismatch", null, path, $"{n} species but {fc.GetArrayLength()} coordinate triples; give one of each per site.");
        var sites = new List<Site>(n);
        var coords = fc.EnumerateArray().ToArray();
        var k = 0;
        foreach (var s in sp.EnumerateArray())
        {
            var p = $"{path}.species[{k}]";
            if (s.ValueKind != JsonValueKind.String) return Wrong<StructureEntry>(ctx, p, "a species string such as \"Fe\" or \"O2-\"");
            var species = ctx.At(Species.Parse(s.GetString()), null, p);
            if (species.IsFail) return species.Map(_ => default(StructureEntry)!);
            var f = Triple(coords[k], $"{path}.frac_coords[{k}]", ctx);
            if (f.IsFail) return f.Map(_ => default(StructureEntry)!);
            var site = ctx.At(Site.Create(species.OrThrow(), f.OrThrow()), null, $"{path}.frac_coords[{k}]");
            if (site.IsFail) return site.Map(_ => default(StructureEntry)!);
            sites.Add(site.OrThrow());
            k++;
        }
        return ctx.At(Structure.Create(lattice.OrThrow(), sites), null, path).Map(st => new StructureEntry(id, target, st) { Columns = cols, TargetColumn = targetColumn });
    }

    private static Validation<Problem, Structure> Pymatgen(JsonElement d, string path, ReadContext ctx)
    {
        if (d.ValueKind != JsonValueKind.Object) return Wrong<Structure>(ctx, path, "a pymatgen Structure dict {lattice, sites}");
        if (!d.TryGetProperty("lattice", out var lat)) return Missing<Structure>(ctx, path + ".lattice");
        if (lat.ValueKind != JsonValueKind.Object || !lat.TryGetProperty("matrix", out var matrix)) return Missing<Structure>(ctx, path + ".lattice.matrix");
        var lattice = Matrix(matrix, path + ".lattice.matrix", ctx);
        if (lattice.IsFail) return lattice.Map(_ => default(Structure)!);
        if (!d.TryGetProperty("sites", out var sitesEl)) return Missing<Structure>(ctx, path + ".sites");
        if (sitesEl.ValueKind != JsonValueKind.Array) return Wrong<Structure>(ctx, path + ".sites", "an array of sites");
        if (sitesEl.GetArrayLength() > Structure.MaxSites)
            return ctx.Fail<Structure>("structure.too_many_sites", null, path + ".sites", $"{sitesEl.GetArrayLength():N0} sites, more than {Structure.MaxSites:N0}.");
        var sites = new List<Site>();
        var i = 0;
        foreach (var s in sitesEl.EnumerateArray())
        {
            var p = $"{path}.sites[{i++}]";
            if (s.ValueKind != JsonValueKind.Object) return Wrong<Structure>(ctx, p, "a site object {species, abc}");
            if (!s.TryGetProperty("species", out var spEl)) return Missing<Structure>(ctx, p + ".species");
            if (spEl.ValueKind != JsonValueKind.Array || spEl.GetArrayLength() is 0 or > 128) return Wrong<Structure>(ctx, p + ".species", "a non-empty array of {element, occu}");
            var species = new List<SiteSpecies>();
            var j = 0;
            foreach (var e in spEl.EnumerateArray())
            {
                var q = $"{p}.species[{j++}]";
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("element", out var el) || el.ValueKind != JsonValueKind.String)
                    return Wrong<Structure>(ctx, q, "an object with \"element\" (a symbol) and \"occu\"");
                double occu = 1;
                if (e.TryGetProperty("occu", out var oc))
                {
                    if (oc.ValueKind != JsonValueKind.Number) return Wrong<Structure>(ctx, q + ".occu", "a number");
                    occu = oc.GetDouble();
                }
                double? ox = null;
                if (e.TryGetProperty("oxidation_state", out var oxEl) && oxEl.ValueKind != JsonValueKind.Null)
                {
                    if (oxEl.ValueKind != JsonValueKind.Number) return Wrong<Structure>(ctx, q + ".oxidation_state", "a number or null");
                    ox = oxEl.GetDouble();
                }
                var symbol = el.GetString()!;
                var parsed = ctx.At(Species.Parse(symbol), null, q + ".element");
                if (parsed.IsFail) return parsed.Map(_ => default(Structure)!);
                var sp = parsed.OrThrow();
                if (ox is not null) sp = sp with { OxidationState = ox };
                var checkedSp = ctx.At(Species.Create(sp.AtomicNumber, sp.OxidationState), null, q);
                if (checkedSp.IsFail) return checkedSp.Map(_ => default(Structure)!);
                species.Add(new SiteSpecies(checkedSp.OrThrow(), occu));
            }
            if (!s.TryGetProperty("abc", out var abc)) return Missing<Structure>(ctx, p + ".abc");
            var f = Triple(abc, p + ".abc", ctx);
            if (f.IsFail) return f.Map(_ => default(Structure)!);
            var site = ctx.At(Site.Create(species, f.OrThrow()), null, p);
            if (site.IsFail) return site.Map(_ => default(Structure)!);
            sites.Add(site.OrThrow());
        }
        return ctx.At(Structure.Create(lattice.OrThrow(), sites), null, path);
    }

    private static Validation<Problem, Lattice> Matrix(JsonElement m, string path, ReadContext ctx)
    {
        if (m.ValueKind != JsonValueKind.Array || m.GetArrayLength() != 3) return Wrong<Lattice>(ctx, path, "a 3x3 array (rows a, b, c in Angstrom)");
        var rows = new Vec3[3];
        var k = 0;
        foreach (var r in m.EnumerateArray())
        {
            var v = Triple(r, $"{path}[{k}]", ctx);
            if (v.IsFail) return v.Map(_ => default(Lattice)!);
            rows[k++] = v.OrThrow();
        }
        return ctx.At(Lattice.Create(rows[0], rows[1], rows[2]), null, path);
    }

    private static Validation<Problem, Vec3> Triple(JsonElement v, string path, ReadContext ctx)
    {
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != 3) return Wrong<Vec3>(ctx, path, "an array of 3 numbers");
        var x = new double[3];
        var k = 0;
        foreach (var e in v.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out x[k]) || !double.IsFinite(x[k]))
                return Wrong<Vec3>(ctx, $"{path}[{k}]", "a finite number");
            k++;
        }
        return Valid.Ok(new Vec3(x[0], x[1], x[2]));
    }

    private static Validation<Problem, T> Missing<T>(ReadContext ctx, string path) =>
        ctx.Fail<T>("json.missing_field", null, path, "the field is missing; add it (see the layout in the documentation of StructureJson).");

    private static Validation<Problem, T> Wrong<T>(ReadContext ctx, string path, string expected) =>
        ctx.Fail<T>("json.wrong_type", null, path, $"expected {expected}; fix the value.");
}
