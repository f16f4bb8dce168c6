using System.Globalization;
using Pure.Materials.Core;

namespace Pure.Materials.Scale;

/// <summary>Input checks and value equality shared by the scalers and the imputer.</summary>
/// <remarks>Problems locate a matrix entry with <see cref="Problem.Row"/> = 0-based row + 1 and <see cref="Problem.Column"/> = the 0-based column index as text.</remarks>
internal static class FeatureChecks
{
    /// <summary>Machine epsilon of binary64, 2^-52 (numpy <c>finfo(float64).eps</c>); <see cref="double.Epsilon"/> is a different number.</summary>
    public const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>A problem when the matrix has no row or no column.</summary>
    public static IEnumerable<Problem> Empty(Matrix x, string estimator)
    {
        if (x.Rows == 0 || x.Cols == 0)
            yield return new Problem("data.empty",
                $"{estimator} found a matrix of shape ({x.Rows}, {x.Cols}) while at least 1 row and 1 column are required; fit on the training rows");
    }

    /// <summary>One problem per column holding NaN (when not allowed) and one per column holding an infinity, naming the first row.</summary>
    public static IEnumerable<Problem> NonFinite(Matrix x, string estimator, bool allowNaN)
    {
        for (var j = 0; j < x.Cols; j++)
        {
            int nan = 0, inf = 0, firstNan = -1, firstInf = -1;
            for (var i = 0; i < x.Rows; i++)
            {
                var v = x[i, j];
                if (double.IsNaN(v)) { if (nan++ == 0) firstNan = i; }
                else if (double.IsInfinity(v)) { if (inf++ == 0) firstInf = i; }
            }
            if (nan > 0 && !allowNaN)
                yield return new Problem("data.nan_feature",
                    $"{estimator} found {nan} NaN value(s) in feature column {j}, the first at row index {firstNan} (0-based); " +
                    "impute first (MeanImputer.Fit on the training rows, then MeanImputer.Transform) or drop the column",
                    firstNan + 1, Name(j));
            if (inf > 0)
                yield return new Problem("data.infinite_feature",
                    $"{estimator} found {inf} infinite value(s) in feature column {j}, the first at row index {firstInf} (0-based); " +
                    "replace them (e.g. by NaN, then impute) or drop the column",
                    firstInf + 1, Name(j));
        }
    }

    /// <summary>Throws when the matrix has a different number of columns from the one the model was fitted on (a programmer error).</summary>
    public static void RequireColumns(Matrix x, int expected, string model)
    {
        if (x.Cols != expected)
            throw new ArgumentException(
                $"{model} was fitted on {expected} feature column(s) but the matrix has {x.Cols}; featurize new rows with the same featurizers and column order.",
                nameof(x));
    }

    /// <summary>The text used as <see cref="Problem.Column"/> for column <paramref name="j"/>.</summary>
    public static string Name(int j) => j.ToString(CultureInfo.InvariantCulture);

    /// <summary>Element-wise equality (NaN equals NaN), for value equality of fitted models.</summary>
    public static bool Same(double[] a, double[] b) => a.AsSpan().SequenceEqual(b);

    /// <summary>A hash consistent with <see cref="Same"/>.</summary>
    public static int Hash(double[] a)
    {
        var h = new HashCode();
        foreach (var v in a) h.Add(v);
        return h.ToHashCode();
    }

    /// <summary>Applies <paramref name="kernel"/> to every row of <paramref name="x"/>, writing a new matrix of the same shape.</summary>
    public static Matrix MapRows(Matrix x, RowKernel kernel)
    {
        var data = new double[x.Rows * x.Cols];
        for (var i = 0; i < x.Rows; i++) kernel(x.Row(i), data.AsSpan(i * x.Cols, x.Cols));
        return Matrix.Own(x.Rows, x.Cols, data);
    }

    /// <summary>Writes the transformed row to the destination span of the same length.</summary>
    public delegate void RowKernel(ReadOnlySpan<double> row, Span<double> destination);
}
