namespace Pure.Materials.Core;

/// <summary>Numbers group keys (a formula, a column value) 0, 1, ... in order of first appearance, for group-aware splits.</summary>
public static class GroupIds
{
    /// <summary>Encodes any keys as 0, 1, ... in order of first appearance.</summary>
    /// <param name="keys">One key per row.</param>
    /// <returns>Group id per row.</returns>
    public static int[] Encode<TKey>(IEnumerable<TKey> keys) where TKey : notnull
    {
        var index = new Dictionary<TKey, int>();
        return keys.Select(key =>
        {
            if (!index.TryGetValue(key, out var id)) index[key] = id = index.Count;
            return id;
        }).ToArray();
    }
}
