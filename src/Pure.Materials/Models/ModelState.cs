using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models;

/// <summary>Helpers the learners' model-file codecs share: finishing a read, and checks of values every codec reads.</summary>
internal static class ModelState
{
    /// <summary>Most features a model file may declare where no stored array gives the count (a tree's <c>n_features</c>): every
    /// loaded tree allocates its importances at this size, so an unbounded count would let a hostile file exhaust memory.</summary>
    public const int MaxFeatures = 1 << 16;

    /// <summary>Reads a matrix of any shape (no fallback sized from another entry) and checks it has at least one column and, when
    /// given, exactly <paramref name="rows"/> rows and <paramref name="cols"/> columns.</summary>
    public static Core.Matrix Matrix(StateReader r, string name, int? rows = null, int? cols = null, int minRows = 1)
    {
        var m = r.Matrix(name, null, null);
        if (!r.Ok) return m;
        if (m.Rows < minRows || m.Cols < 1) r.Fail(name, $"has shape ({m.Rows}, {m.Cols}), expected at least {minRows} row(s) and 1 column");
        else if ((rows is { } n && m.Rows != n) || (cols is { } p && m.Cols != p))
            r.Fail(name, $"has shape ({m.Rows}, {m.Cols}), expected ({rows?.ToString() ?? "any"}, {cols?.ToString() ?? "any"})");
        return m;
    }

    /// <summary>Builds the record when the reader found no problem, else returns its problems (the record is never built from defaults).</summary>
    /// <typeparam name="T">The model record.</typeparam>
    /// <param name="r">The reader.</param>
    /// <param name="build">Builds the record from what was read.</param>
    /// <returns>The record, or every <c>model.corrupt</c> problem found.</returns>
    public static Validation<Problem, T> Finish<T>(StateReader r, Func<T> build) =>
        r.Ok ? Valid.Ok(build()) : Valid.Fail<T>(r.Problems);

    /// <summary>Reads a float vector and checks its length afterwards, so that a wrong length never makes the reader allocate a
    /// fallback of the expected size (which a hostile file could make huge through the entries the size derives from).</summary>
    public static double[] Floats(StateReader r, string name, long length, bool finite = true)
    {
        var v = r.Floats(name, null, finite);
        if (r.Ok && v.Length != length) { r.Fail(name, $"has {v.Length} elements, expected {length}"); return []; }
        return v;
    }

    /// <summary>Reads an int32 vector with elements in [min, max] and checks its length afterwards (see <see cref="Floats"/>).</summary>
    public static int[] Ints(StateReader r, string name, long length, int min = int.MinValue, int max = int.MaxValue)
    {
        var v = r.Ints(name, null, min, max);
        if (r.Ok && v.Length != length) { r.Fail(name, $"has {v.Length} elements, expected {length}"); return []; }
        return v;
    }

    /// <summary>Reads a linear model's <c>coef_</c> (finite, at least one weight) and <c>intercept_</c> (finite).</summary>
    public static (double[] Coef, double Intercept) ReadLinear(StateReader r)
    {
        var coef = r.Floats("coef_");
        if (r.Ok && coef.Length == 0) r.Fail("coef_", "is empty, expected one weight per feature");
        return (coef, r.Float("intercept_"));
    }

    /// <summary>Reads a float that must be finite and &gt; 0 (a kernel coefficient, a length scale, a standard deviation).</summary>
    public static double Positive(StateReader r, string name)
    {
        var v = r.Float(name);
        if (r.Ok && !(v > 0)) r.Fail(name, $"is {v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, expected a finite number > 0");
        return v;
    }

    /// <summary>Reads a float vector of the given length whose elements are all finite and &gt; 0.</summary>
    public static double[] Positives(StateReader r, string name, int? length = null)
    {
        var v = r.Floats(name, length);
        if (r.Ok && Array.FindIndex(v, x => !(x > 0)) is var bad and >= 0) r.Fail(name, $"element {bad} is {v[bad].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, expected a number > 0");
        return v;
    }

    /// <summary>Reads a matrix with exactly the given shape and returns its rows as arrays.</summary>
    public static double[][] Rows(StateReader r, string name, int rows, int cols)
    {
        var m = Matrix(r, name, rows, cols);
        return r.Ok ? Enumerable.Range(0, rows).Select(i => m.Row(i).ToArray()).ToArray() : [];
    }

    /// <summary>Writes rows of equal length as a matrix.</summary>
    public static Core.Matrix FromRows(IReadOnlyList<double[]> rows, int cols) =>
        rows.Count == 0 ? Core.Matrix.FromRowMajor(0, cols, []) : Core.Matrix.FromRows(rows);
}
