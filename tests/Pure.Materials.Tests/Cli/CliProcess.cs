using System.Diagnostics;

namespace Pure.Materials.Tests.Cli;

/// <summary>Runs the built <c>pure-materials</c> command (copied next to the test assembly) as a child process.</summary>
internal static class CliProcess
{
    /// <summary>Runs the command with CI=true (no spinner) and returns its exit code, stdout and stderr.</summary>
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pure-materials.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["CI"] = "true";
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Creates a fresh temporary directory for one test's files.</summary>
    public static string TempDir(string prefix)
    {
        var d = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}
