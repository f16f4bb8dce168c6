using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Structures;

/// <summary>One CIF data block: every tag with its values (one for a plain item, one per row in a loop) and their lines.</summary>
internal sealed class CifBlock(string name, int line)
{
    public string Name { get; } = name;
    public int Line { get; } = line;
    public Dictionary<string, CifItem> Items { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>A tag's values and the 1-based line of each.</summary>
internal sealed record CifItem(string Tag, int TagLine, List<string> Values, List<int> Lines, bool InLoop);

/// <summary>Splits CIF 1.1 text into data blocks: tokens, quoted strings, <c>;</c> text fields, comments, <c>loop_</c>.</summary>
/// <remarks>As pymatgen's <c>CifBlock.from_string</c>: a quoted string ends at a matching quote followed by white space or
/// the end of the line; a text field runs from a line starting with <c>;</c> to the next such line (its lines joined with a
/// space); <c>#</c> starts a comment outside quotes. Unlike pymatgen, a stray value, an unterminated quote or text field, and a
/// loop whose value count is not a multiple of its tag count are problems, not warnings or silent truncation.</remarks>
internal static class CifSyntax
{
    private readonly record struct Token(string Text, int Line, bool Quoted);

    public static Validation<Problem, List<CifBlock>> Parse(string text, ReadContext ctx)
    {
        var tokens = new List<Token>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.StartsWith(';'))
            {
                var start = i;
                var parts = new List<string> { line[1..].Trim() };
                i++;
                while (i < lines.Length && !lines[i].StartsWith(';')) parts.Add(lines[i++].TrimEnd('\r'));
                if (i >= lines.Length)
                    return ctx.Fail<List<CifBlock>>("cif.unterminated_text", start + 1, "text field", "a text field opened with ';' at the start of this line is never closed; end it with a line starting with ';'.");
                tokens.Add(new Token(string.Join(" ", parts.Where(p => p.Length > 0)), start + 1, true));
                line = lines[i].TrimEnd('\r')[1..];
            }
            var k = 0;
            while (k < line.Length)
            {
                var c = line[k];
                if (char.IsWhiteSpace(c)) { k++; continue; }
                if (c == '#') break;
                if (c is '\'' or '"')
                {
                    var end = -1;
                    for (var q = k + 1; q < line.Length; q++)
                        if (line[q] == c && (q + 1 == line.Length || char.IsWhiteSpace(line[q + 1]))) { end = q; break; }
                    if (end < 0)
                        return ctx.Fail<List<CifBlock>>("cif.unterminated_quote", i + 1, "quoted value", $"the quote {c} opened at column {k + 1} is never closed on this line; close it with {c} followed by a space or the end of the line.");
                    tokens.Add(new Token(line[(k + 1)..end], i + 1, true));
                    k = end + 1;
                    continue;
                }
                var s = k;
                while (k < line.Length && !char.IsWhiteSpace(line[k])) k++;
                tokens.Add(new Token(line[s..k], i + 1, false));
            }
        }
        var blocks = new List<CifBlock>();
        CifBlock? block = null;
        static bool IsTag(Token t) => !t.Quoted && t.Text.StartsWith('_');
        static bool IsKeyword(Token t) => !t.Quoted && (t.Text.StartsWith("data_", StringComparison.OrdinalIgnoreCase) || t.Text.Equals("loop_", StringComparison.OrdinalIgnoreCase)
            || t.Text.StartsWith("save_", StringComparison.OrdinalIgnoreCase) || t.Text.Equals("global_", StringComparison.OrdinalIgnoreCase) || t.Text.Equals("stop_", StringComparison.OrdinalIgnoreCase));
        for (var p = 0; p < tokens.Count;)
        {
            var t = tokens[p];
            if (!t.Quoted && t.Text.StartsWith("data_", StringComparison.OrdinalIgnoreCase))
            {
                block = new CifBlock(t.Text[5..], t.Line);
                blocks.Add(block);
                p++;
                continue;
            }
            if (block is null)
                return ctx.Fail<List<CifBlock>>("cif.no_data_block", t.Line, null, $"'{ReadContext.Show(t.Text)}' comes before any data_ line; start the file with a data_NAME line.");
            if (!t.Quoted && t.Text.Equals("loop_", StringComparison.OrdinalIgnoreCase))
            {
                var loopLine = t.Line;
                p++;
                var tags = new List<Token>();
                while (p < tokens.Count && IsTag(tokens[p])) tags.Add(tokens[p++]);
                if (tags.Count == 0)
                    return ctx.Fail<List<CifBlock>>("cif.empty_loop", loopLine, "loop_", "loop_ is not followed by any _tag; list the loop's tags, then its values.");
                var values = new List<Token>();
                while (p < tokens.Count && !IsTag(tokens[p]) && !IsKeyword(tokens[p])) values.Add(tokens[p++]);
                if (values.Count % tags.Count != 0)
                    return ctx.Fail<List<CifBlock>>("cif.loop_mismatch", loopLine, $"loop of {tags[0].Text}",
                        $"{values.Count} values for {tags.Count} tags ({string.Join(", ", tags.Take(4).Select(x => x.Text))}{(tags.Count > 4 ? ", ..." : "")}), not a whole number of rows; check for a missing or extra value (quote values that contain spaces).");
                var items = tags.Select(tag => new CifItem(tag.Text, tag.Line, [], [], true)).ToArray();
                for (var v = 0; v < values.Count; v++)
                {
                    items[v % tags.Count].Values.Add(values[v].Text);
                    items[v % tags.Count].Lines.Add(values[v].Line);
                }
                foreach (var item in items) block.Items[item.Tag] = item;
                continue;
            }
            if (IsTag(t))
            {
                p++;
                if (p >= tokens.Count || IsTag(tokens[p]) || IsKeyword(tokens[p]))
                    return ctx.Fail<List<CifBlock>>("cif.missing_value", t.Line, t.Text, "the tag has no value; write a value after it, or '?' when unknown.");
                block.Items[t.Text] = new CifItem(t.Text, t.Line, [tokens[p].Text], [tokens[p].Line], false);
                p++;
                continue;
            }
            if (!t.Quoted && (t.Text.StartsWith("save_", StringComparison.OrdinalIgnoreCase) || t.Text.Equals("global_", StringComparison.OrdinalIgnoreCase)))
            {
                p++;
                continue;
            }
            return ctx.Fail<List<CifBlock>>("cif.stray_value", t.Line, null, $"'{ReadContext.Show(t.Text)}' is a value without a tag; put it after its _tag or inside a loop_.");
        }
        if (blocks.Count == 0)
            return ctx.Fail<List<CifBlock>>("cif.no_data_block", null, null, "the text has no data_ block; a CIF starts with a data_NAME line.");
        return Valid.Ok(blocks);
    }
}
