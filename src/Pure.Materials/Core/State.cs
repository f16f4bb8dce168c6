using System.Globalization;

namespace Pure.Materials.Core;

/// <summary>Holds a fitted object's learned state as named values (integers, floats, booleans, text, typed arrays, nested nodes): the
/// neutral form that model files store (see <c>Pipelines.ModelFile</c>). Every fitted record that can be saved writes itself into a
/// node and reads itself back from one; the file format never names a .NET type.</summary>
/// <remarks>Names are unique within a node and keep their insertion order, so writing the same record twice gives the same node.
/// Floats are kept bit for bit (NaN and infinities included); arrays are <c>float64</c> or <c>int32</c> with a shape.</remarks>
public sealed class StateNode
{
    private readonly List<KeyValuePair<string, object>> _entries = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    /// <summary>The entries in insertion order: values are <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="string"/>,
    /// <see cref="StateArray"/>, <see cref="StateNode"/> or <see cref="StateNode"/>[].</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Entries => _entries;

    private StateNode Add(string name, object value)
    {
        if (!_index.TryAdd(name, _entries.Count)) throw new ArgumentException($"state entry '{name}' is written twice", nameof(name));
        _entries.Add(KeyValuePair.Create(name, value));
        return this;
    }

    /// <summary>Writes an integer.</summary>
    /// <param name="name">Entry name (unique in this node).</param>
    /// <param name="value">The value.</param>
    /// <returns>This node.</returns>
    public StateNode Int(string name, long value) => Add(name, value);

    /// <summary>Writes a float, bit for bit.</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="value">The value (NaN and infinities allowed).</param>
    /// <returns>This node.</returns>
    public StateNode Float(string name, double value) => Add(name, value);

    /// <summary>Writes a boolean.</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This node.</returns>
    public StateNode Bool(string name, bool value) => Add(name, value);

    /// <summary>Writes a text.</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This node.</returns>
    public StateNode Text(string name, string value) => Add(name, value);

    /// <summary>Writes a float64 vector (copied).</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="values">The values, shape (n,).</param>
    /// <returns>This node.</returns>
    public StateNode Floats(string name, ReadOnlySpan<double> values) => Add(name, new StateArray([values.Length], values.ToArray(), null));

    /// <summary>Writes an int32 vector (copied).</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="values">The values, shape (n,).</param>
    /// <returns>This node.</returns>
    public StateNode Ints(string name, ReadOnlySpan<int> values) => Add(name, new StateArray([values.Length], null, values.ToArray()));

    /// <summary>Adds an array without copying it (readers of model files own what they decode).</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="array">The array.</param>
    /// <returns>This node.</returns>
    internal StateNode Array(string name, StateArray array) => Add(name, array);

    /// <summary>Writes a matrix as a float64 array of shape (rows, cols).</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="matrix">The matrix.</param>
    /// <returns>This node.</returns>
    public StateNode Matrix(string name, Matrix matrix) => Add(name, new StateArray([matrix.Rows, matrix.Cols], matrix.Data.ToArray(), null));

    /// <summary>Writes a nested node.</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="child">The nested node.</param>
    /// <returns>This node.</returns>
    public StateNode Node(string name, StateNode child) => Add(name, child);

    /// <summary>Writes a list of nested nodes (e.g. the trees of a forest).</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="children">The nodes, in order.</param>
    /// <returns>This node.</returns>
    public StateNode Nodes(string name, IEnumerable<StateNode> children) => Add(name, children.ToArray());

    /// <summary>Writes a list of texts as nested nodes' values (e.g. feature labels), in order.</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="texts">The texts.</param>
    /// <returns>This node.</returns>
    public StateNode Texts(string name, IEnumerable<string> texts) => Add(name, texts.Select(t => new StateNode().Text("text", t)).ToArray());

    internal bool TryGet(string name, out object value)
    {
        if (_index.TryGetValue(name, out var i)) { value = _entries[i].Value; return true; }
        value = null!;
        return false;
    }

    /// <summary>Compares two nodes entry by entry (floats and arrays bit for bit).</summary>
    /// <param name="other">The other node.</param>
    /// <returns>True when both hold the same names, in the same order, with the same values.</returns>
    public bool SameAs(StateNode other)
    {
        if (_entries.Count != other._entries.Count) return false;
        for (var i = 0; i < _entries.Count; i++)
        {
            var (a, b) = (_entries[i], other._entries[i]);
            if (a.Key != b.Key || !SameValue(a.Value, b.Value)) return false;
        }
        return true;
    }

    private static bool SameValue(object a, object b) => (a, b) switch
    {
        (double x, double y) => BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y),
        (StateArray x, StateArray y) => x.SameAs(y),
        (StateNode x, StateNode y) => x.SameAs(y),
        (StateNode[] x, StateNode[] y) => x.Length == y.Length && Enumerable.Range(0, x.Length).All(i => x[i].SameAs(y[i])),
        _ => Equals(a, b),
    };
}

/// <summary>A typed array in a <see cref="StateNode"/>: float64 or int32 values, row-major, with a shape.</summary>
/// <param name="Shape">Dimensions (one for a vector, two for a matrix); their product is the element count.</param>
/// <param name="Floats">The values when the array is float64, else null.</param>
/// <param name="Ints">The values when the array is int32, else null.</param>
public sealed record StateArray(int[] Shape, double[]? Floats, int[]? Ints)
{
    /// <summary>Number of elements.</summary>
    public int Length => Floats?.Length ?? Ints!.Length;

    /// <summary>The element type's name in model files: <c>float64</c> or <c>int32</c>.</summary>
    public string DType => Floats is not null ? "float64" : "int32";

    internal bool SameAs(StateArray o) =>
        Shape.AsSpan().SequenceEqual(o.Shape) && (Floats is { } f
            ? o.Floats is { } g && f.Length == g.Length && f.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(g.Select(BitConverter.DoubleToInt64Bits))
            : o.Ints is { } h && Ints!.AsSpan().SequenceEqual(h));
}

/// <summary>Reads a <see cref="StateNode"/> back into a fitted record, checking every entry's presence, type, range and shape, and
/// collecting a <see cref="Problem"/> (code <c>model.corrupt</c>, naming the entry's path) for each failure instead of throwing.</summary>
/// <remarks>After a failed read the accessor returns a harmless default (0, an empty array, an empty node; never an allocation sized by the file), so a reader can go on and collect
/// every problem; callers check <see cref="Ok"/> before building a record from what they read.</remarks>
public sealed class StateReader
{
    private readonly StateNode _node;
    private readonly string _path;
    private readonly List<Problem> _problems;

    /// <summary>Starts reading a node.</summary>
    /// <param name="node">The node.</param>
    /// <param name="path">Its path in the file, for messages (e.g. <c>learner/model</c>).</param>
    public StateReader(StateNode node, string path) : this(node, path, []) { }

    private StateReader(StateNode node, string path, List<Problem> problems) => (_node, _path, _problems) = (node, path, problems);

    /// <summary>Every problem found so far (shared with the readers of nested nodes).</summary>
    public IReadOnlyList<Problem> Problems => _problems;

    /// <summary>True while no problem was found.</summary>
    public bool Ok => _problems.Count == 0;

    /// <summary>Records a problem of the record being read (e.g. a tree whose child index points backwards).</summary>
    /// <param name="name">The entry concerned.</param>
    /// <param name="message">What is wrong.</param>
    public void Fail(string name, string message) =>
        _problems.Add(new Problem("model.corrupt", $"model file entry '{Path(name)}': {message}; the file is damaged or was not written by pure-materials: fit the model again"));

    private string Path(string name) => _path.Length == 0 ? name : _path + "/" + name;

    private T Get<T>(string name, string expected, T fallback)
    {
        if (!_node.TryGet(name, out var v)) { Fail(name, $"missing (expected {expected})"); return fallback; }
        if (v is T t) return t;
        Fail(name, $"holds a {Kind(v)}, expected {expected}");
        return fallback;
    }

    private static string Kind(object v) => v switch
    {
        long => "integer",
        double => "float",
        bool => "boolean",
        string => "text",
        StateArray a => $"{a.DType} array",
        StateNode => "node",
        _ => "list of nodes",
    };

    /// <summary>True when the node has an entry of that name.</summary>
    /// <param name="name">Entry name.</param>
    /// <returns>Whether it exists.</returns>
    public bool Has(string name) => _node.TryGet(name, out _);

    /// <summary>Reads an integer in [min, max].</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="min">Smallest accepted value.</param>
    /// <param name="max">Largest accepted value.</param>
    /// <returns>The value, or <paramref name="min"/> after a problem.</returns>
    public int Int(string name, int min = 0, int max = int.MaxValue)
    {
        var v = Get(name, "an integer", (long)min);
        if (v < min || v > max) { Fail(name, $"{v.ToString(CultureInfo.InvariantCulture)} is outside [{min}, {max}]"); return min; }
        return (int)v;
    }

    /// <summary>Reads a 64-bit integer (e.g. a seed).</summary>
    /// <param name="name">Entry name.</param>
    /// <returns>The value, or 0 after a problem.</returns>
    public long Long(string name) => Get(name, "an integer", 0L);

    /// <summary>Reads a float.</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="finite">When true, NaN and infinities are problems.</param>
    /// <returns>The value, or 0 after a problem.</returns>
    public double Float(string name, bool finite = true)
    {
        var v = Get(name, "a float", 0.0);
        if (finite && !double.IsFinite(v)) { Fail(name, $"{v.ToString(CultureInfo.InvariantCulture)} is not finite"); return 0.0; }
        return v;
    }

    /// <summary>Reads a boolean.</summary>
    /// <param name="name">Entry name.</param>
    /// <returns>The value, or false after a problem.</returns>
    public bool Bool(string name) => Get(name, "a boolean", false);

    /// <summary>Reads a text.</summary>
    /// <param name="name">Entry name.</param>
    /// <returns>The value, or "" after a problem.</returns>
    public string Text(string name) => Get(name, "a text", "");

    /// <summary>Reads a float64 vector of the given length (any length when null).</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="length">Required length, or null.</param>
    /// <param name="finite">When true, NaN and infinities are problems.</param>
    /// <returns>The values, or an empty array after a problem (never sized by a number from the file).</returns>
    public double[] Floats(string name, int? length = null, bool finite = true)
    {
        var a = Array(name, "a float64 vector", length);
        if (a is null || a.Floats is null) { if (a is not null) Fail(name, "holds int32 values, expected float64"); return []; }
        if (finite && System.Array.FindIndex(a.Floats, v => !double.IsFinite(v)) is var bad and >= 0)
        {
            Fail(name, $"element {bad} is {a.Floats[bad].ToString(CultureInfo.InvariantCulture)}, expected a finite number");
            return [];
        }
        return a.Floats;
    }

    /// <summary>Reads an int32 vector of the given length (any when null) with every element in [min, max].</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="length">Required length, or null.</param>
    /// <param name="min">Smallest accepted element.</param>
    /// <param name="max">Largest accepted element.</param>
    /// <returns>The values, or an empty array after a problem.</returns>
    public int[] Ints(string name, int? length = null, int min = int.MinValue, int max = int.MaxValue)
    {
        var a = Array(name, "an int32 vector", length);
        int[] fallback = [];
        if (a is null || a.Ints is null) { if (a is not null) Fail(name, "holds float64 values, expected int32"); return fallback; }
        if (System.Array.FindIndex(a.Ints, v => v < min || v > max) is var bad and >= 0)
        {
            Fail(name, $"element {bad} is {a.Ints[bad]}, outside [{min}, {max}]");
            return fallback;
        }
        return a.Ints;
    }

    /// <summary>Reads a float64 matrix, checking its shape.</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="rows">Required rows, or null.</param>
    /// <param name="cols">Required columns, or null.</param>
    /// <param name="finite">When true, NaN and infinities are problems.</param>
    /// <returns>The matrix, or an empty (0, 0) matrix after a problem.</returns>
    public Matrix Matrix(string name, int? rows = null, int? cols = null, bool finite = true)
    {
        var fallback = Core.Matrix.FromRowMajor(0, 0, []);
        if (!_node.TryGet(name, out var v) || v is not StateArray { Floats: not null, Shape.Length: 2 } a)
        {
            Fail(name, "missing or not a two-dimensional float64 array");
            return fallback;
        }
        if ((rows is { } r && a.Shape[0] != r) || (cols is { } c && a.Shape[1] != c))
        {
            Fail(name, $"has shape ({a.Shape[0]}, {a.Shape[1]}), expected ({rows?.ToString(CultureInfo.InvariantCulture) ?? "any"}, {cols?.ToString(CultureInfo.InvariantCulture) ?? "any"})");
            return fallback;
        }
        if (finite && System.Array.FindIndex(a.Floats, x => !double.IsFinite(x)) is var bad and >= 0)
        {
            Fail(name, $"element {bad} is not finite");
            return fallback;
        }
        return Core.Matrix.FromRowMajor(a.Shape[0], a.Shape[1], a.Floats);
    }

    private StateArray? Array(string name, string expected, int? length)
    {
        if (!_node.TryGet(name, out var v)) { Fail(name, $"missing (expected {expected})"); return null; }
        if (v is not StateArray a || a.Shape.Length != 1) { Fail(name, $"holds a {Kind(v)}, expected {expected}"); return null; }
        if (length is { } n && a.Length != n) { Fail(name, $"has {a.Length} elements, expected {n}"); return null; }
        return a;
    }

    /// <summary>Reads a nested node.</summary>
    /// <param name="name">Entry name.</param>
    /// <returns>A reader of the nested node (an empty one after a problem).</returns>
    public StateReader Node(string name) => new(Get(name, "a node", new StateNode()), Path(name), _problems);

    /// <summary>Reads a list of nested nodes with at most <paramref name="maxCount"/> elements.</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="maxCount">Largest accepted count.</param>
    /// <param name="count">Required count, or null.</param>
    /// <returns>Readers of the nested nodes (none after a problem).</returns>
    public IReadOnlyList<StateReader> Nodes(string name, int maxCount = int.MaxValue, int? count = null)
    {
        var nodes = Get(name, "a list of nodes", System.Array.Empty<StateNode>());
        if (nodes.Length > maxCount || (count is { } n && nodes.Length != n))
        {
            Fail(name, $"has {nodes.Length} nodes, expected {(count is { } k ? k.ToString(CultureInfo.InvariantCulture) : $"at most {maxCount}")}");
            return [];
        }
        return nodes.Select((c, i) => new StateReader(c, $"{Path(name)}/{i}", _problems)).ToArray();
    }

    /// <summary>Reads a list of texts written by <see cref="StateNode.Texts"/>.</summary>
    /// <param name="name">Entry name.</param>
    /// <param name="count">Required count, or null.</param>
    /// <returns>The texts (none after a problem).</returns>
    public string[] Texts(string name, int? count = null) => Nodes(name, int.MaxValue, count).Select(r => r.Text("text")).ToArray();
}
