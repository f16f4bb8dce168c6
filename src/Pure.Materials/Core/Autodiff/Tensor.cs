using System.Globalization;

namespace Pure.Materials.Core.Autodiff;

/// <summary>A dense float64 tensor: a shape and its values in row-major (C) order. Immutable to callers; equal when shapes and
/// every value's bits are equal.</summary>
/// <remarks>Rank 0 is a scalar (one value). Shapes are small arrays of non-negative lengths; the number of values is their
/// product. Source: numpy's C-contiguous ndarray layout.</remarks>
public sealed class Tensor : IEquatable<Tensor>
{
    private readonly double[] _data;
    private readonly int[] _shape;

    private Tensor(double[] data, int[] shape)
    {
        _data = data;
        _shape = shape;
    }

    /// <summary>The lengths of the axes, outermost first.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Number of axes.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of values (the product of the shape).</summary>
    public int Length => _data.Length;

    /// <summary>The values in row-major order.</summary>
    public ReadOnlySpan<double> Span => _data;

    /// <summary>The value at a multi-index (one index per axis).</summary>
    /// <param name="index">One index per axis, each within its length.</param>
    public double this[params int[] index] => _data[Offset(index)];

    /// <summary>The only value of a one-value tensor (a scalar or any shape of length 1).</summary>
    /// <exception cref="InvalidOperationException">More than one value.</exception>
    public double Single => _data.Length == 1 ? _data[0] : throw new InvalidOperationException($"a tensor of shape {Describe(_shape)} has {_data.Length} values, not one");

    /// <summary>A tensor of <paramref name="shape"/> holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">Row-major values, as many as the shape's product.</param>
    /// <param name="shape">Axis lengths (none for a scalar).</param>
    /// <exception cref="ArgumentException">A negative length, or a value count that differs from the shape's product.</exception>
    public static Tensor From(ReadOnlySpan<double> values, params int[] shape)
    {
        var n = Count(shape);
        if (values.Length != n)
            throw new ArgumentException($"{values.Length} values do not fill a tensor of shape {Describe(shape)} ({n} values)", nameof(values));
        return new Tensor(values.ToArray(), (int[])shape.Clone());
    }

    /// <summary>A scalar (rank 0).</summary>
    /// <param name="value">The value.</param>
    public static Tensor Scalar(double value) => new([value], []);

    /// <summary>Zeros of <paramref name="shape"/>.</summary>
    /// <param name="shape">Axis lengths.</param>
    public static Tensor Zeros(params int[] shape) => new(new double[Count(shape)], (int[])shape.Clone());

    /// <summary>The same values in another shape with the same number of values.</summary>
    /// <param name="shape">The new axis lengths.</param>
    /// <exception cref="ArgumentException">The counts differ.</exception>
    public Tensor Reshape(params int[] shape) =>
        Count(shape) == _data.Length ? new Tensor(_data, (int[])shape.Clone())
            : throw new ArgumentException($"cannot reshape {Describe(_shape)} ({_data.Length} values) to {Describe(shape)}", nameof(shape));

    /// <summary>A copy of the values.</summary>
    public double[] ToArray() => (double[])_data.Clone();

    /// <summary>Wraps an array without copying (the caller gives up the array).</summary>
    internal static Tensor Own(double[] data, int[] shape) => new(data, shape);

    /// <summary>The shape array itself (not to be modified).</summary>
    internal int[] ShapeArray => _shape;

    /// <summary>The values array itself (not to be modified).</summary>
    internal double[] Array => _data;

    internal static int Count(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"axis lengths must be >= 0, got {Describe(shape.ToArray())}", nameof(shape));
            n *= d;
            if (n > System.Array.MaxLength) throw new ArgumentException($"a tensor of shape {Describe(shape.ToArray())} is too large", nameof(shape));
        }
        return (int)n;
    }

    /// <summary>A shape as text, e.g. <c>(3, 4)</c>.</summary>
    internal static string Describe(IReadOnlyList<int> shape) => "(" + string.Join(", ", shape) + (shape.Count == 1 ? ",)" : ")");

    private int Offset(int[] index)
    {
        if (index.Length != _shape.Length) throw new ArgumentException($"{index.Length} indices for a tensor of rank {_shape.Length}", nameof(index));
        var offset = 0;
        for (var a = 0; a < index.Length; a++)
        {
            if ((uint)index[a] >= (uint)_shape[a]) throw new IndexOutOfRangeException($"index {index[a]} on axis {a} of length {_shape[a]}");
            offset = offset * _shape[a] + index[a];
        }
        return offset;
    }

    /// <inheritdoc/>
    public bool Equals(Tensor? other)
    {
        if (other is null || !_shape.AsSpan().SequenceEqual(other._shape)) return false;
        for (var i = 0; i < _data.Length; i++)
            if (BitConverter.DoubleToInt64Bits(_data[i]) != BitConverter.DoubleToInt64Bits(other._data[i])) return false;
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Tensor);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _shape) h.Add(d);
        for (var i = 0; i < Math.Min(_data.Length, 16); i++) h.Add(BitConverter.DoubleToInt64Bits(_data[i]));
        return h.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Tensor{Describe(_shape)} [{string.Join(", ", _data.Take(8).Select(v => v.ToString("G6", CultureInfo.InvariantCulture)))}{(_data.Length > 8 ? ", ..." : "")}]";
}
