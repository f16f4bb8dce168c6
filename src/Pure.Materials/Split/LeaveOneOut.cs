using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Split;

/// <summary>Builds n splits that each test one row and train on the other n - 1 (leave-one-out cross-validation).</summary>
/// <remarks>Split i tests row i. Deterministic (no randomness). Equal to k-fold with k = n and to scikit-learn 1.2.1's <c>LeaveOneOut</c>.</remarks>
public static class LeaveOneOut
{
    /// <summary>Builds the n leave-one-out splits.</summary>
    /// <param name="nRows">Number of rows n, at least 2.</param>
    /// <returns>n splits, split i testing row i, or <c>param.out_of_range</c> for fewer than 2 rows.</returns>
    public static Validation<Problem, TrainTest[]> Split(int nRows)
    {
        if (nRows < 2)
            return Valid.Fail<TrainTest[]>("param.out_of_range", $"leave-one-out needs at least 2 rows, found {nRows}");
        var foldOfRow = Enumerable.Range(0, nRows).ToArray();
        return Valid.Ok(TrainTest.FromFoldOfRow(foldOfRow, nRows));
    }
}
