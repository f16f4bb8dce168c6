using System.Numerics.Tensors;

namespace Pure.Materials.Core;

/// <summary>An immutable dense matrix of doubles in row-major order, shape (Rows, Cols).</summary>
/// <remarks>
/// Callers only read it; kernels work on <see cref="Row(int)"/> spans with <see cref="TensorPrimitives"/>.
/// NaN is allowed (it marks a missing feature value) and is never produced silently by this type.
/// Equality is structural: two matrices are equal when they have the same shape and equal values, with NaN equal to
/// NaN and 0.0 equal to -0.0 (as <see cref="double.Equals(double)"/>), so records that hold a matrix compare by content.
/// </remarks>
public sealed class Matrix : IEquatable<Matrix>
{
    private readonly double[] _data;

    private Matrix(int rows, int cols, double[] data)
    {
        Rows = rows;
        Cols = cols;
        _data = data;
    }

    /// <summary>Number of rows (samples).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (features).</summary>
    public int Cols { get; }

    /// <summary>The value at row <paramref name="i"/>, column <paramref name="j"/>.</summary>
    /// <param name="i">Row, 0-based.</param>
    /// <param name="j">Column, 0-based.</param>
    public double this[int i, int j] => _data[i * Cols + j];

    /// <summary>All values, row-major, length Rows*Cols.</summary>
    public ReadOnlySpan<double> Data => _data;

    /// <summary>Row <paramref name="i"/> as a span of length <see cref="Cols"/>.</summary>
    /// <param name="i">Row, 0-based.</param>
    /// <returns>A read-only view (no copy).</returns>
    public ReadOnlySpan<double> Row(int i) => new(_data, i * Cols, Cols);

    /// <summary>Copies column <paramref name="j"/>.</summary>
    /// <param name="j">Column, 0-based.</param>
    /// <returns>A new array of length <see cref="Rows"/>.</returns>
    public double[] Column(int j)
    {
        var c = new double[Rows];
        for (var i = 0; i < Rows; i++) c[i] = _data[i * Cols + j];
        return c;
    }

    /// <summary>Creates a matrix by copying row-major values.</summary>
    /// <param name="rows">Number of rows, at least 0.</param>
    /// <param name="cols">Number of columns, at least 0.</param>
    /// <param name="rowMajor">Values, length rows*cols; copied.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="ArgumentException">When the length does not equal rows*cols (a programmer error).</exception>
    public static Matrix FromRowMajor(int rows, int cols, ReadOnlySpan<double> rowMajor)
    {
        if (rowMajor.Length != rows * cols)
            throw new ArgumentException($"Expected {rows}*{cols} = {rows * cols} values, found {rowMajor.Length}.", nameof(rowMajor));
        return new Matrix(rows, cols, rowMajor.ToArray());
    }

    /// <summary>Creates a matrix from rows of equal length.</summary>
    /// <param name="rows">The rows; each copied.</param>
    /// <returns>The matrix, shape (rows.Count, rows[0].Length), or (0, 0) when empty.</returns>
    /// <exception cref="ArgumentException">When rows have different lengths (a programmer error).</exception>
    public static Matrix FromRows(IReadOnlyList<double[]> rows)
    {
        var cols = rows.Count == 0 ? 0 : rows[0].Length;
        var data = new double[rows.Count * cols];
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != cols) throw new ArgumentException($"Row {i} has {rows[i].Length} values, expected {cols}.", nameof(rows));
            rows[i].CopyTo(data, i * cols);
        }
        return new Matrix(rows.Count, cols, data);
    }

    /// <summary>The values, writable: only for the code that made this matrix as its private copy and that nothing else reads yet
    /// (cross-validation's training rows of a fold, coded in place by an ordinal encoder).</summary>
    internal Span<double> Writable => _data;

    /// <summary>Takes ownership of an array without copying; the caller must not write to it afterwards.</summary>
    internal static Matrix Own(int rows, int cols, double[] data)
    {
        if (data.Length != rows * cols) throw new ArgumentException($"Expected {rows * cols} values, found {data.Length}.", nameof(data));
        return new Matrix(rows, cols, data);
    }

    /// <summary>Creates a matrix whose entry (i, j) is <paramref name="f"/>(i, j).</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    /// <param name="f">The entry function.</param>
    /// <returns>The matrix.</returns>
    public static Matrix Build(int rows, int cols, Func<int, int, double> f)
    {
        var data = new double[rows * cols];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++)
                data[i * cols + j] = f(i, j);
        return new Matrix(rows, cols, data);
    }

    /// <summary>Selects rows by index, in the given order (indices may repeat, as in a bootstrap).</summary>
    /// <param name="indices">0-based row indices.</param>
    /// <returns>A new matrix, shape (indices.Length, Cols).</returns>
    public Matrix SelectRows(ReadOnlySpan<int> indices)
    {
        var data = new double[indices.Length * Cols];
        for (var k = 0; k < indices.Length; k++)
            Row(indices[k]).CopyTo(data.AsSpan(k * Cols, Cols));
        return new Matrix(indices.Length, Cols, data);
    }

    /// <summary>Selects columns by index, in the given order.</summary>
    /// <param name="indices">0-based column indices.</param>
    /// <returns>A new matrix, shape (Rows, indices.Length).</returns>
    public Matrix SelectColumns(ReadOnlySpan<int> indices)
    {
        var m = indices.Length;
        var data = new double[Rows * m];
        for (var i = 0; i < Rows; i++)
        {
            var row = Row(i);
            for (var k = 0; k < m; k++) data[i * m + k] = row[indices[k]];
        }
        return new Matrix(Rows, m, data);
    }

    /// <summary>Places two matrices with the same number of rows side by side.</summary>
    /// <param name="right">The columns to append, shape (Rows, k).</param>
    /// <returns>A new matrix, shape (Rows, Cols + k).</returns>
    /// <exception cref="ArgumentException">When the row counts differ (a programmer error).</exception>
    public Matrix HConcat(Matrix right)
    {
        if (right.Rows != Rows) throw new ArgumentException($"Row counts differ: {Rows} and {right.Rows}.", nameof(right));
        var cols = Cols + right.Cols;
        var data = new double[Rows * cols];
        for (var i = 0; i < Rows; i++)
        {
            Row(i).CopyTo(data.AsSpan(i * cols, Cols));
            right.Row(i).CopyTo(data.AsSpan(i * cols + Cols, right.Cols));
        }
        return new Matrix(Rows, cols, data);
    }

    /// <summary>Transposes the matrix.</summary>
    /// <returns>A new matrix, shape (Cols, Rows).</returns>
    public Matrix Transpose()
    {
        var data = new double[Rows * Cols];
        for (var i = 0; i < Rows; i++)
            for (var j = 0; j < Cols; j++)
                data[j * Rows + i] = _data[i * Cols + j];
        return new Matrix(Cols, Rows, data);
    }

    /// <summary>Multiplies this matrix by a vector.</summary>
    /// <param name="x">Vector of length <see cref="Cols"/>.</param>
    /// <returns>A new vector of length <see cref="Rows"/>: y_i = sum_j A_ij x_j.</returns>
    public double[] Multiply(ReadOnlySpan<double> x)
    {
        if (x.Length != Cols) throw new ArgumentException($"Vector has {x.Length} values, expected {Cols}.", nameof(x));
        var y = new double[Rows];
        for (var i = 0; i < Rows; i++) y[i] = Reduce.Dot(Row(i), x);
        return y;
    }

    /// <summary>Counts the entries that are NaN.</summary>
    /// <returns>The number of NaN entries.</returns>
    public int CountNaN()
    {
        var n = 0;
        foreach (var v in _data) if (double.IsNaN(v)) n++;
        return n;
    }

    /// <summary>Tells whether <paramref name="other"/> has the same shape and equal values (NaN equals NaN).</summary>
    /// <param name="other">Another matrix, or null.</param>
    /// <returns>True when Rows, Cols and every value are equal.</returns>
    public bool Equals(Matrix? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other.Rows != Rows || other.Cols != Cols) return false;
        var a = _data;
        var b = other._data;
        for (var i = 0; i < a.Length; i++)
            if (!a[i].Equals(b[i])) return false;
        return true;
    }

    /// <summary>Tells whether <paramref name="obj"/> is a matrix with the same shape and equal values.</summary>
    /// <param name="obj">Any object.</param>
    /// <returns>True only for an equal <see cref="Matrix"/>.</returns>
    public override bool Equals(object? obj) => obj is Matrix m && Equals(m);

    /// <summary>Returns a hash code over the shape and every value, consistent with <see cref="Equals(Matrix)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Rows);
        h.Add(Cols);
        foreach (var v in _data) h.Add(v);
        return h.ToHashCode();
    }

    /// <summary>Tells whether two matrices are structurally equal.</summary>
    /// <param name="left">A matrix or null.</param>
    /// <param name="right">A matrix or null.</param>
    /// <returns>True when both are null or both have the same shape and values.</returns>
    public static bool operator ==(Matrix? left, Matrix? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Tells whether two matrices differ.</summary>
    /// <param name="left">A matrix or null.</param>
    /// <param name="right">A matrix or null.</param>
    /// <returns>The negation of <c>==</c>.</returns>
    public static bool operator !=(Matrix? left, Matrix? right) => !(left == right);
}
