namespace Pure.Materials.Tests;

/// <summary>Where the repository is, seen from a running test.</summary>
internal static class TestPaths
{
    /// <summary>The directory holding <c>Pure.Materials.sln</c>, found upwards from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pure.Materials.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Pure.Materials.sln not found above " + AppContext.BaseDirectory);
    }
}
