using System.Numerics.Tensors;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Linear;

/// <summary>A training set centred as scikit-learn's <c>_preprocess_data</c> does, stored column by column for coordinate-wise solvers.</summary>
/// <remarks>Internal kernel: X_c = X - mean(X) and y_c = y - mean(y) when fitting an intercept, else the raw values (means 0).</remarks>
internal sealed class LinearData
{
    public required int N { get; init; }
    public required int P { get; init; }
    /// <summary>Centred columns, column-major: column j is Columns[j*N .. (j+1)*N).</summary>
    public required double[] Columns { get; init; }
    public required double[] XMean { get; init; }
    public required double[] Y { get; init; }
    public required double YMean { get; init; }

    public ReadOnlySpan<double> Column(int j) => new(Columns, j * N, N);

    public static LinearData Centre(Matrix x, IReadOnlyList<double> y, bool fitIntercept)
    {
        int n = x.Rows, p = x.Cols;
        var xMean = new double[p];
        double yMean = 0;
        if (fitIntercept)
        {
            for (var i = 0; i < n; i++) TensorPrimitives.Add(xMean, x.Row(i), xMean);
            TensorPrimitives.Divide(xMean, n, xMean);
            for (var i = 0; i < n; i++) yMean += y[i];
            yMean /= n;
        }
        var cols = new double[n * p];
        for (var i = 0; i < n; i++)
        {
            var row = x.Row(i);
            for (var j = 0; j < p; j++) cols[j * n + i] = row[j] - xMean[j];
        }
        var yc = new double[n];
        for (var i = 0; i < n; i++) yc[i] = y[i] - yMean;
        return new LinearData { N = n, P = p, Columns = cols, XMean = xMean, Y = yc, YMean = yMean };
    }

    /// <summary>X w + b for every row.</summary>
    public static double[] Predict(IReadOnlyList<double> coef, double intercept, Matrix x)
    {
        var w = Vec.AsSpan(coef);
        var y = x.Multiply(w);
        TensorPrimitives.Add(y, intercept, y);
        return y;
    }
}
