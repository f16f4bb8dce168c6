using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Tests.Evaluate;

namespace Pure.Materials.Tests.Scale;

/// <summary>The scikit-learn reference tables of the categorical encoders (one_hot.csv, ordinal.csv: columns case, quantity,
/// index, value) and the small tables their tests read.</summary>
internal sealed class EncoderReference(string file)
{
    private readonly Lazy<ILookup<(string Case, string Quantity), IReadOnlyDictionary<string, string>>> _rows =
        new(() => SklearnReference.Read(file).ToLookup(r => (r["case"], r["quantity"])));

    /// <summary>The values of one quantity of one case, in index order.</summary>
    public string[] Quantity(string @case, string quantity) =>
        _rows.Value[(@case, quantity)].OrderBy(r => int.Parse(r["index"], CultureInfo.InvariantCulture)).Select(r => r["value"]).ToArray();

    /// <summary>A dataset from CSV text.</summary>
    public static Dataset Load(string csvText, DatasetSpec spec) =>
        Dataset.FromTable(spec, Csv.Read(new StringReader(csvText), "t.csv").OrThrow()).OrThrow();
}
