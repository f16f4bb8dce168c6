namespace Pure.Materials.Models.Trees;

/// <summary>Large scratch arrays handed from one fit to the next through weak references, so that the folds of a cross-validation reuse
/// the presorted columns and sorted-list buffers of the previous fold instead of leaving ~100 MB per array for the garbage collector.</summary>
/// <remarks>A returned array is only weakly held: the next full collection frees it as if it had not been pooled, so the pool never
/// keeps memory alive. A rented array is dirty (it holds a previous fit's values) and may be longer than asked for; its users write
/// every element they read, as they already do between the trees of one fit.</remarks>
internal static class ScratchPool<T> where T : struct
{
    private const int MaxKept = 8;
    private static readonly List<WeakReference<T[]>> Free = [];

    /// <summary>The shortest pooled array of at least <paramref name="minLength"/> elements, or a new one of exactly that length.</summary>
    public static T[] Rent(long minLength)
    {
        lock (Free)
        {
            Free.RemoveAll(w => !w.TryGetTarget(out _));
            var best = -1;
            T[]? found = null;
            for (var i = 0; i < Free.Count; i++)
                if (Free[i].TryGetTarget(out var a) && a.LongLength >= minLength && (found is null || a.LongLength < found.LongLength))
                {
                    best = i;
                    found = a;
                }
            if (found is not null)
            {
                Free.RemoveAt(best);
                return found;
            }
        }
        return new T[minLength];
    }

    /// <summary>Gives an array back (weakly held; the oldest is dropped beyond eight).</summary>
    public static void Return(T[]? array)
    {
        if (array is null) return;
        lock (Free)
        {
            if (Free.Any(w => w.TryGetTarget(out var a) && ReferenceEquals(a, array))) return;
            Free.Add(new WeakReference<T[]>(array));
            if (Free.Count > MaxKept) Free.RemoveAt(0);
        }
    }
}
