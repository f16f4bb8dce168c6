using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pure.Materials.Core;

/// <summary>An immutable vector with structural equality: two vectors are equal when they hold equal elements in the same order.</summary>
/// <typeparam name="T">The element type; equality and hash use <see cref="EqualityComparer{T}.Default"/>.</typeparam>
/// <remarks>
/// <para>
/// Fitted model records hold their learned arrays (coefficients, statistics, support vectors) as <see cref="Vec{T}"/>, so a
/// record's generated <c>Equals</c> compares values, not references: fitting twice with the same options, data and seed
/// gives two records that are <c>Equal</c> and have the same hash code. Nested vectors (<c>Vec&lt;Vec&lt;double&gt;&gt;</c>)
/// compare element by element too; raw arrays as elements would compare by reference, so do not nest arrays.
/// </para>
/// <para>
/// Equality of doubles follows <see cref="double.Equals(double)"/>: NaN equals NaN (a missing value is the same missing
/// value), and 0.0 equals -0.0; the hash code agrees with it (<see cref="double.GetHashCode"/> maps all NaNs and both zeros
/// to one code). Callers cannot change the elements: <see cref="Of(ReadOnlySpan{T})"/> copies its input and the vector
/// exposes only a <see cref="ReadOnlySpan{T}"/>. Inner loops read <see cref="Span"/>, never the indexer through the
/// <see cref="IReadOnlyList{T}"/> interface.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var a = Vec&lt;double&gt;.Of([1.0, double.NaN]);
/// var b = Vec.Of&lt;double&gt;([1.0, double.NaN]);
/// // a.Equals(b) and a.GetHashCode() == b.GetHashCode()
/// </code>
/// </example>
[CollectionBuilder(typeof(Vec), nameof(Vec.Of))]
public sealed class Vec<T> : IReadOnlyList<T>, IEquatable<Vec<T>>
{
    private readonly T[] _items;
    private int _hash; // 0 = not computed yet; cached because the elements never change

    /// <summary>Takes ownership of <paramref name="items"/> without copying; the caller must not write to it afterwards.</summary>
    /// <param name="items">The elements; kept, not copied.</param>
    internal Vec(T[] items) => _items = items;

    /// <summary>The vector with no elements.</summary>
    public static Vec<T> Empty { get; } = new([]);

    /// <summary>Creates a vector by copying <paramref name="items"/>.</summary>
    /// <param name="items">The elements, any length (0 gives <see cref="Empty"/>).</param>
    /// <returns>A vector that owns its copy; later writes to the source do not show through.</returns>
    public static Vec<T> Of(ReadOnlySpan<T> items) => items.Length == 0 ? Empty : new(items.ToArray());

    /// <summary>Returns <paramref name="items"/> itself when it already is a <see cref="Vec{T}"/>, else a copy of it as one.</summary>
    /// <param name="items">Any list (an array, a <see cref="List{T}"/>, a vector).</param>
    /// <returns>An immutable vector with the same elements in the same order.</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="items"/> is null (a programmer error).</exception>
    public static Vec<T> From(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items switch
        {
            Vec<T> v => v,
            T[] a => Of(a),
            List<T> l => Of(CollectionsMarshal.AsSpan(l)),
            _ => Copy(items),
        };

        static Vec<T> Copy(IReadOnlyList<T> items)
        {
            if (items.Count == 0) return Empty;
            var a = new T[items.Count];
            for (var i = 0; i < a.Length; i++) a[i] = items[i];
            return new(a);
        }
    }

    /// <summary>The elements, read-only, without a copy; use this in inner loops.</summary>
    public ReadOnlySpan<T> Span => _items;

    /// <summary>The elements as read-only memory, without a copy (for code that needs them inside a lambda or across awaits).</summary>
    public ReadOnlyMemory<T> Memory => _items;

    /// <summary>The number of elements.</summary>
    public int Count => _items.Length;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <param name="index">0-based, less than <see cref="Count"/>.</param>
    /// <exception cref="IndexOutOfRangeException">When the index is outside [0, Count).</exception>
    public T this[int index] => _items[index];

    /// <summary>Copies the elements into a new array the caller may change.</summary>
    /// <returns>A new array of length <see cref="Count"/>.</returns>
    public T[] ToArray() => (T[])_items.Clone();

    /// <summary>Returns an enumerator over the elements, in order, without allocating.</summary>
    /// <returns>A struct enumerator.</returns>
    public ReadOnlySpan<T>.Enumerator GetEnumerator() => Span.GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <summary>Tells whether <paramref name="other"/> holds equal elements in the same order (NaN equals NaN).</summary>
    /// <param name="other">Another vector, or null.</param>
    /// <returns>True when both have the same length and every pair of elements is equal.</returns>
    public bool Equals(Vec<T>? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other._items.Length != _items.Length) return false;
        if (_hash != 0 && other._hash != 0 && _hash != other._hash) return false;
        var a = _items;
        var b = other._items;
        for (var i = 0; i < a.Length; i++)
            if (!EqualityComparer<T>.Default.Equals(a[i], b[i])) return false;
        return true;
    }

    /// <summary>Tells whether <paramref name="obj"/> is a <see cref="Vec{T}"/> with equal elements in the same order.</summary>
    /// <param name="obj">Any object.</param>
    /// <returns>True only for another <see cref="Vec{T}"/> of the same element type with equal elements.</returns>
    public override bool Equals(object? obj) => obj is Vec<T> v && Equals(v);

    /// <summary>Returns a hash code over the length and every element, consistent with <see cref="Equals(Vec{T})"/>.</summary>
    /// <returns>The hash code; computed once and cached.</returns>
    public override int GetHashCode()
    {
        if (_hash != 0) return _hash;
        var h = new HashCode();
        h.Add(_items.Length);
        foreach (var x in _items) h.Add(x, EqualityComparer<T>.Default);
        var code = h.ToHashCode();
        if (code == 0) code = 1;
        _hash = code;
        return code;
    }

    /// <summary>Tells whether two vectors are structurally equal.</summary>
    /// <param name="left">A vector or null.</param>
    /// <param name="right">A vector or null.</param>
    /// <returns>True when both are null or both hold equal elements.</returns>
    public static bool operator ==(Vec<T>? left, Vec<T>? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Tells whether two vectors differ.</summary>
    /// <param name="left">A vector or null.</param>
    /// <param name="right">A vector or null.</param>
    /// <returns>The negation of <c>==</c>.</returns>
    public static bool operator !=(Vec<T>? left, Vec<T>? right) => !(left == right);

    /// <summary>Views the elements as a span, without a copy.</summary>
    /// <param name="vec">A vector; null gives an empty span.</param>
    public static implicit operator ReadOnlySpan<T>(Vec<T>? vec) => vec is null ? default : vec._items;

    /// <summary>Shows the length and up to the first 8 elements, e.g. <c>Vec[3] { 1, 2, 3 }</c>.</summary>
    /// <returns>A short description for logs and record printing.</returns>
    public override string ToString()
    {
        const int shown = 8;
        var head = string.Join(", ", _items.Take(shown).Select(x => x?.ToString() ?? "null"));
        return $"Vec[{_items.Length}] {{ {head}{(_items.Length > shown ? ", ..." : "")} }}";
    }
}

/// <summary>Creates <see cref="Vec{T}"/> values with the element type inferred.</summary>
public static class Vec
{
    /// <summary>Creates a vector by copying <paramref name="items"/>; also the builder of collection expressions (<c>Vec&lt;double&gt; v = [1, 2];</c>).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The elements, any length.</param>
    /// <returns>A vector that owns its copy.</returns>
    public static Vec<T> Of<T>(ReadOnlySpan<T> items) => Vec<T>.Of(items);

    /// <summary>Returns <paramref name="items"/> itself when it already is a <see cref="Vec{T}"/>, else a copy of it as one.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">Any list.</param>
    /// <returns>An immutable vector with the same elements.</returns>
    public static Vec<T> From<T>(IReadOnlyList<T> items) => Vec<T>.From(items);

    /// <summary>Views a list's elements as a span: without a copy for a <see cref="Vec{T}"/> or an array, else through a copy.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">Any list; model records hold <see cref="Vec{T}"/>, so inner loops read their properties through this.</param>
    /// <returns>The elements, read-only.</returns>
    public static ReadOnlySpan<T> AsSpan<T>(IReadOnlyList<T> items) => items switch
    {
        Vec<T> v => v.Span,
        T[] a => a,
        _ => From(items).Span,
    };

    /// <summary>Takes ownership of <paramref name="items"/> without copying; the caller must not write to it afterwards.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">A freshly built array that no one else holds.</param>
    /// <returns>A vector over the same array.</returns>
    internal static Vec<T> Own<T>(T[] items) => items.Length == 0 ? Vec<T>.Empty : new(items);

    /// <summary>Converts each inner array to a vector (copying), giving a structurally equal vector of vectors.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="rows">Any list of arrays; the arrays are copied.</param>
    /// <returns>A vector of vectors; an inner <see cref="Vec{T}"/> passed through an <see cref="IReadOnlyList{T}"/> is kept as is.</returns>
    public static Vec<Vec<T>> Nested<T>(IEnumerable<IReadOnlyList<T>> rows) => Own(rows.Select(From).ToArray());

    /// <summary>Converts a list of lists to a vector of vectors, reusing the list itself when it already is one.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="rows">A list of arrays, or a <c>Vec&lt;Vec&lt;T&gt;&gt;</c> passed through the interface.</param>
    /// <returns>A structurally equal, immutable list (its indexer returns copies); the same list when it already is one.</returns>
    /// <remarks>Used by model records whose public type stays <c>IReadOnlyList&lt;T[]&gt;</c>.</remarks>
    internal static IReadOnlyList<T[]> NestedArrays<T>(IReadOnlyList<T[]> rows) => rows is ArrayRows<T> r ? r : new ArrayRows<T>(rows);

    /// <summary>Reads row <paramref name="index"/> of a list of arrays without a copy when it was stored by <see cref="NestedArrays{T}"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="rows">A list of arrays (a model record's property).</param>
    /// <param name="index">Row, 0-based.</param>
    /// <returns>The row, read-only.</returns>
    internal static ReadOnlySpan<T> Row<T>(IReadOnlyList<T[]> rows, int index) => rows is ArrayRows<T> r ? r.Row(index) : rows[index];
}

/// <summary>An immutable list of arrays with structural equality over the arrays' elements.</summary>
/// <remarks>
/// Keeps a public <c>IReadOnlyList&lt;T[]&gt;</c> property type for records whose signatures must not change, while the
/// stored value compares by content (NaN equals NaN, as in <see cref="Vec{T}"/>). The input arrays are copied on the way
/// in and the indexer hands out a fresh copy of a row, so no caller can change a model; inner loops read rows without a
/// copy through <see cref="Vec.Row{T}(IReadOnlyList{T[]}, int)"/>.
/// </remarks>
internal sealed class ArrayRows<T> : IReadOnlyList<T[]>, IEquatable<ArrayRows<T>>
{
    private readonly Vec<Vec<T>> _rows;

    internal ArrayRows(IReadOnlyList<T[]> rows)
    {
        var copies = new Vec<T>[rows.Count];
        for (var i = 0; i < copies.Length; i++) copies[i] = Vec<T>.Of(rows[i]);
        _rows = Vec.Own(copies);
    }

    /// <summary>A fresh copy of row <paramref name="index"/>.</summary>
    public T[] this[int index] => _rows[index].ToArray();

    public int Count => _rows.Count;

    /// <summary>Row <paramref name="index"/> without a copy.</summary>
    internal ReadOnlySpan<T> Row(int index) => _rows[index].Span;

    public IEnumerator<T[]> GetEnumerator()
    {
        for (var i = 0; i < _rows.Count; i++) yield return _rows[i].ToArray();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ArrayRows<T>? other) => other is not null && _rows.Equals(other._rows);

    public override bool Equals(object? obj) => obj is ArrayRows<T> r && Equals(r);

    public override int GetHashCode() => _rows.GetHashCode();

    public override string ToString() => $"Rows[{_rows.Count}]";
}
