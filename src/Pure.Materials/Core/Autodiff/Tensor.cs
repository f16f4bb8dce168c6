using System.Globalization;
using System.Numerics;

namespace Pure.Materials.Core.Autodiff;

/// <summary>The element type of a <see cref="Tensor"/>.</summary>
public enum DType
{
    /// <summary>IEEE 754 binary64 (<see cref="double"/>), the default.</summary>
    Float64,
    /// <summary>IEEE 754 binary32 (<see cref="float"/>): half the memory and about twice the vector lanes; rounds at 6e-8.</summary>
    Float32,
}

/// <summary>A dense tensor of float64 or float32 values: a shape, an element type and the values in row-major (C) order.
/// Immutable to callers; equal when shapes, element types and every value's bits are equal.</summary>
/// <remarks>Rank 0 is a scalar (one value). Shapes are small arrays of non-negative lengths; the number of values is their
/// product. Every operation of <see cref="Ops"/> takes inputs of one element type and gives that type (<see cref="Ops.Cast"/>
/// converts); a float32 operation rounds each step in single precision, with the same operation order as float64.
/// Source: numpy's C-contiguous ndarray layout and dtypes.</remarks>
public sealed class Tensor : IEquatable<Tensor>
{
    private readonly double[]? _f64;
    private readonly float[]? _f32;
    private readonly int[] _shape;

    private Tensor(double[] data, int[] shape)
    {
        _f64 = data;
        _shape = shape;
    }

    private Tensor(float[] data, int[] shape)
    {
        _f32 = data;
        _shape = shape;
    }

    /// <summary>The element type.</summary>
    public DType DType => _f64 is null ? DType.Float32 : DType.Float64;

    /// <summary>The lengths of the axes, outermost first.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Number of axes.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of values (the product of the shape).</summary>
    public int Length => _f64?.Length ?? _f32!.Length;

    /// <summary>The values of a float64 tensor in row-major order.</summary>
    /// <exception cref="InvalidOperationException">The tensor is float32: read <see cref="Float32Span"/>, or <see cref="ToArray"/> for a
    /// float64 copy.</exception>
    public ReadOnlySpan<double> Span => _f64 ?? throw new InvalidOperationException(
        $"a float32 tensor of shape {Describe(_shape)} has no float64 span; read Float32Span, ToArray() (a float64 copy) or To(DType.Float64)");

    /// <summary>The values of a float32 tensor in row-major order.</summary>
    /// <exception cref="InvalidOperationException">The tensor is float64: read <see cref="Span"/>.</exception>
    public ReadOnlySpan<float> Float32Span => _f32 ?? throw new InvalidOperationException(
        $"a float64 tensor of shape {Describe(_shape)} has no float32 span; read Span, or convert with To(DType.Float32)");

    /// <summary>The value at a multi-index (one index per axis), as float64 (a float32 value exactly).</summary>
    /// <param name="index">One index per axis, each within its length.</param>
    public double this[params int[] index] => _f64 is { } d ? d[Offset(index)] : _f32![Offset(index)];

    /// <summary>The only value of a one-value tensor (a scalar or any shape of length 1), as float64 (a float32 value exactly).</summary>
    /// <exception cref="InvalidOperationException">More than one value.</exception>
    public double Single => Length == 1 ? this[new int[_shape.Length]] : throw new InvalidOperationException($"a tensor of shape {Describe(_shape)} has {Length} values, not one");

    /// <summary>A float64 tensor of <paramref name="shape"/> holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">Row-major values, as many as the shape's product.</param>
    /// <param name="shape">Axis lengths (none for a scalar).</param>
    /// <exception cref="ArgumentException">A negative length, or a value count that differs from the shape's product.</exception>
    public static Tensor From(ReadOnlySpan<double> values, params int[] shape)
    {
        CheckCount(values.Length, shape);
        return new Tensor(values.ToArray(), (int[])shape.Clone());
    }

    /// <summary>A float32 tensor of <paramref name="shape"/> holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">Row-major values, as many as the shape's product.</param>
    /// <param name="shape">Axis lengths (none for a scalar).</param>
    /// <exception cref="ArgumentException">A negative length, or a value count that differs from the shape's product.</exception>
    public static Tensor From(ReadOnlySpan<float> values, params int[] shape)
    {
        CheckCount(values.Length, shape);
        return new Tensor(values.ToArray(), (int[])shape.Clone());
    }

    /// <summary>A float64 scalar (rank 0).</summary>
    /// <param name="value">The value.</param>
    public static Tensor Scalar(double value) => new([value], []);

    /// <summary>Float64 zeros of <paramref name="shape"/>.</summary>
    /// <param name="shape">Axis lengths.</param>
    public static Tensor Zeros(params int[] shape) => new(new double[Count(shape)], (int[])shape.Clone());

    /// <summary>Zeros of <paramref name="shape"/> in the given element type.</summary>
    /// <param name="dtype">Float64 or float32.</param>
    /// <param name="shape">Axis lengths.</param>
    public static Tensor Zeros(DType dtype, params int[] shape) =>
        dtype == DType.Float64 ? Zeros(shape) : new Tensor(new float[Count(shape)], (int[])shape.Clone());

    /// <summary>The same values in another shape with the same number of values.</summary>
    /// <param name="shape">The new axis lengths.</param>
    /// <exception cref="ArgumentException">The counts differ.</exception>
    public Tensor Reshape(params int[] shape)
    {
        if (Count(shape) != Length) throw new ArgumentException($"cannot reshape {Describe(_shape)} ({Length} values) to {Describe(shape)}", nameof(shape));
        var s = (int[])shape.Clone();
        return _f64 is { } d ? new Tensor(d, s) : new Tensor(_f32!, s);
    }

    /// <summary>The values in another element type: float32 to float64 exactly, float64 to float32 rounded to nearest (even on a
    /// tie; beyond float32's range to ±infinity); the tensor itself when the type is already <paramref name="dtype"/>.</summary>
    /// <param name="dtype">The element type wanted.</param>
    public Tensor To(DType dtype)
    {
        if (dtype == DType) return this;
        if (_f64 is { } d)
        {
            var f = new float[d.Length];
            for (var i = 0; i < d.Length; i++) f[i] = (float)d[i];
            return new Tensor(f, _shape);
        }
        var w = new double[_f32!.Length];
        for (var i = 0; i < w.Length; i++) w[i] = _f32[i];
        return new Tensor(w, _shape);
    }

    /// <summary>A float64 copy of the values (float32 values widened exactly).</summary>
    public double[] ToArray() => _f64 is { } d ? (double[])d.Clone() : _f32!.Select(v => (double)v).ToArray();

    /// <summary>Wraps an array without copying (the caller gives up the array).</summary>
    internal static Tensor Own(double[] data, int[] shape) => new(data, shape);

    /// <summary>Wraps a float64 or float32 array without copying (the caller gives up the array).</summary>
    internal static Tensor Own<T>(T[] data, int[] shape) where T : unmanaged, IFloatingPointIeee754<T> =>
        data is double[] d ? new Tensor(d, shape) : data is float[] f ? new Tensor(f, shape)
            : throw new ArgumentException($"tensors hold double or float, not {typeof(T).Name}");

    /// <summary>The element type of <typeparamref name="T"/>.</summary>
    internal static DType DTypeOf<T>() => typeof(T) == typeof(double) ? DType.Float64 : typeof(T) == typeof(float) ? DType.Float32
        : throw new ArgumentException($"tensors hold double or float, not {typeof(T).Name}");

    /// <summary>The shape array itself (not to be modified).</summary>
    internal int[] ShapeArray => _shape;

    /// <summary>The float64 values array itself (not to be modified).</summary>
    internal double[] Array => _f64 ?? throw new InvalidOperationException($"a float32 tensor of shape {Describe(_shape)} where float64 was expected");

    /// <summary>The values array itself in its element type (not to be modified).</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not the tensor's element type.</exception>
    internal T[] Data<T>() => (_f64 as T[]) ?? (_f32 as T[])
        ?? throw new InvalidOperationException($"a {DType.ToString().ToLowerInvariant()} tensor of shape {Describe(_shape)} where {typeof(T).Name} was expected");

    /// <summary>A new zeroed array of this tensor's length and element type (a gradient accumulator).</summary>
    internal System.Array NewZeros() => _f64 is not null ? new double[_f64.Length] : new float[_f32!.Length];

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

    private static void CheckCount(int values, int[] shape)
    {
        var n = Count(shape);
        if (values != n) throw new ArgumentException($"{values} values do not fill a tensor of shape {Describe(shape)} ({n} values)", nameof(values));
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
        if (other is null || other.DType != DType || !_shape.AsSpan().SequenceEqual(other._shape)) return false;
        if (_f64 is { } d)
        {
            for (var i = 0; i < d.Length; i++)
                if (BitConverter.DoubleToInt64Bits(d[i]) != BitConverter.DoubleToInt64Bits(other._f64![i])) return false;
            return true;
        }
        for (var i = 0; i < _f32!.Length; i++)
            if (BitConverter.SingleToInt32Bits(_f32[i]) != BitConverter.SingleToInt32Bits(other._f32![i])) return false;
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Tensor);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(DType);
        foreach (var d in _shape) h.Add(d);
        for (var i = 0; i < Math.Min(Length, 16); i++) h.Add(_f64 is { } v ? BitConverter.DoubleToInt64Bits(v[i]) : BitConverter.SingleToInt32Bits(_f32![i]));
        return h.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Tensor{Describe(_shape)}{(DType == DType.Float32 ? " float32" : "")} [{string.Join(", ", Enumerable.Range(0, Math.Min(Length, 8)).Select(i => (_f64 is { } d ? d[i] : _f32![i]).ToString("G6", CultureInfo.InvariantCulture)))}{(Length > 8 ? ", ..." : "")}]";
}
