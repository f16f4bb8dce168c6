using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Tests.Split;

namespace Pure.Materials.Tests.Select;

/// <summary>Reads unsupervised.csv (tools/reference/sklearn_selection.py, scikit-learn 1.2.1): rows of (case, quantity, row, values).</summary>
internal static class UnsupervisedReference
{
    private static readonly IReadOnlyList<IReadOnlyDictionary<string, string>> Rows = SelectionReference.Read("unsupervised.csv");

    public static double[][] Rows2(string @case, string quantity) =>
        Rows.Where(r => r["case"] == @case && r["quantity"] == quantity)
            .OrderBy(r => int.Parse(r["row"], CultureInfo.InvariantCulture)).Select(r => SelectionReference.Vec(r["values"])).ToArray();

    public static Matrix Matrix(string @case, string quantity) => global::Pure.Materials.Core.Matrix.FromRows(Rows2(@case, quantity));

    public static double[] Vector(string @case, string quantity) => Rows2(@case, quantity).Single();

    public static int[] Ints(string @case, string quantity) =>
        SelectionReference.Ints(Rows.Single(r => r["case"] == @case && r["quantity"] == quantity)["values"]);

    public static IEnumerable<string> Cases(string prefix) => Rows.Select(r => r["case"]).Where(c => c.StartsWith(prefix, StringComparison.Ordinal)).Distinct();
}
