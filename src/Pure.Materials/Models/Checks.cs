using LanguageExt;
using Pure.Materials.Core;
using static LanguageExt.Prelude;

namespace Pure.Materials.Models;

/// <summary>Input checks shared by every learner: shapes, emptiness, non-finite values.</summary>
public static class Checks
{
    /// <summary>Checks a regression training set.</summary>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <param name="y">Targets, length n_samples.</param>
    /// <returns>Unit, or every problem among <c>data.empty</c>, <c>shape.rows_mismatch</c>, <c>data.nan_feature</c> (first offending cell, with the count), <c>data.nan_target</c>.</returns>
    public static Validation<Problem, Unit> Regression(Matrix x, IReadOnlyList<double> y)
    {
        var problems = new List<Problem>();
        if (x.Rows == 0 || x.Cols == 0)
            problems.Add(new Problem("data.empty", $"found an array with {x.Rows} sample(s) and {x.Cols} feature(s); at least 1 of each is required"));
        if (x.Rows != y.Count)
            problems.Add(new Problem("shape.rows_mismatch", $"X has {x.Rows} rows but y has {y.Count} values; they must match"));
        var bad = 0;
        var first = -1;
        var data = x.Data;
        for (var k = 0; k < data.Length; k++)
            if (!double.IsFinite(data[k])) { bad++; if (first < 0) first = k; }
        if (bad > 0)
            problems.Add(new Problem("data.nan_feature",
                $"X has {bad} NaN or infinite value(s), first at sample {first / x.Cols} feature {first % x.Cols}; impute missing values first (PipelineOptions.Impute mean) or drop the column"));
        for (var i = 0; i < y.Count; i++)
            if (!double.IsFinite(y[i]))
            {
                problems.Add(new Problem("data.nan_target", $"y[{i}] is {y[i]}; every target must be a finite number"));
                break;
            }
        return problems.Count == 0 ? Valid.Ok(unit) : Valid.Fail<Unit>(problems);
    }
}
