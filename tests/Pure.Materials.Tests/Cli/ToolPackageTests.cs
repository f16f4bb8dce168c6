using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>
/// The <c>pure-materials</c> .NET tool as a user installs it: <c>dotnet pack</c> of the CLI project (from the build the
/// tests already ran), <c>dotnet tool install --tool-path</c> from that local package folder, then the installed command
/// prints its version and featurizes a formula with the element tables it carries.
/// </summary>
public class ToolPackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pm-tool-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The directory holding the <c>dotnet</c> host that runs this test (…/shared/Microsoft.NETCore.App/10.0.x/ is three levels below it).</summary>
    private static string DotnetRoot() =>
        Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root
            ? root
            : Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    private (int Exit, string Out, string Err) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_ROOT"] = DotnetRoot();
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        using var p = Process.Start(start) ?? throw new InvalidOperationException("could not start " + file);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(entireProcessTree: true); throw new TimeoutException(file + " " + string.Join(' ', args)); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void PackedTool_InstallsIntoAToolPath_AndRuns()
    {
        var cli = typeof(Pure.Materials.Cli.Entry).Assembly;
        var version = cli.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        var packageVersion = version.Split('+')[0];
        // The tests run from bin/<Configuration>/net10.0: pack the CLI built in that configuration, without building again.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dotnet = Path.Combine(DotnetRoot(), "dotnet");
        var project = Path.Combine(TestPaths.RepositoryRoot(), "src", "Pure.Materials.Cli", "Pure.Materials.Cli.csproj");
        var packages = Path.Combine(_dir, "packages");
        var tools = Path.Combine(_dir, "tools");

        var pack = Run(dotnet, "pack", project, "-c", configuration, "--no-build", "-o", packages);
        Assert.True(pack.Exit == 0, "dotnet pack failed:\n" + pack.Out + pack.Err);
        Assert.True(File.Exists(Path.Combine(packages, $"Pure.Materials.Tool.{packageVersion}.nupkg")), "no tool package in " + packages);

        var install = Run(dotnet, "tool", "install", "Pure.Materials.Tool", "--tool-path", tools, "--add-source", packages,
                          "--version", packageVersion, "--ignore-failed-sources");
        Assert.True(install.Exit == 0, "dotnet tool install failed:\n" + install.Out + install.Err);

        var command = Path.Combine(tools, "pure-materials");
        var printed = Run(command, "--version");
        Assert.Equal(0, printed.Exit);
        Assert.Equal(version, printed.Out.Trim());

        // The installed tool carries its element tables: one formula featurized, Magpie's mean atomic number of NaCl is 14.
        File.WriteAllText(Path.Combine(_dir, "one.csv"), "formula\nNaCl\n");
        var featurize = Run(command, "featurize", "--data", "one.csv", "--formula-column", "formula", "--out", "one_features.csv");
        Assert.True(featurize.Exit == 0, "featurize failed:\n" + featurize.Out + featurize.Err);
        var lines = File.ReadAllLines(Path.Combine(_dir, "one_features.csv"));
        var header = lines[0].Split(',');
        var row = lines[1].Split(',');
        Assert.Equal("14", row[Array.IndexOf(header, "MagpieData mean Number")]);
    }
}
