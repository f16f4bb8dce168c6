using System.Diagnostics;

namespace Pure.Materials.Tests.Cli;

/// <summary>Runs the <c>pure-materials</c> command line for tests: in-process by default (<see cref="Run"/>), or as a child process
/// where the process itself is under test (signals, the working directory): <see cref="Process"/>.</summary>
internal static class CliRun
{
    /// <summary>Runs the command line in this process (the same entry point as the executable, <c>Entry.Run</c>) with stdout and
    /// stderr captured as the process prints them when redirected; returns its exit code, stdout and stderr. Parallel calls are
    /// independent (each has its own output capture and temporary files).</summary>
    public static (int Exit, string Out, string Err) Run(params string[] args) => global::Pure.Materials.Cli.Entry.Invoke(args);

    /// <summary>Runs the command line in this process as <see cref="Run"/> does, with <paramref name="stdin"/> (UTF-8) as its standard input.</summary>
    public static (int Exit, string Out, string Err) RunWithInput(string stdin, params string[] args) =>
        global::Pure.Materials.Cli.Entry.InvokeWithInput(System.Text.Encoding.UTF8.GetBytes(stdin), args);

    /// <summary>Runs the built command (copied next to the test assembly) as a child process with CI=true (no spinner), optionally in
    /// <paramref name="workingDirectory"/>; returns its exit code, stdout and stderr.</summary>
    public static (int Exit, string Out, string Err) Process(string? workingDirectory, params string[] args)
    {
        using var p = Start(workingDirectory, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs the built command as a child process with <paramref name="stdin"/> written to its standard input (then closed);
    /// returns its exit code, stdout and stderr.</summary>
    public static (int Exit, string Out, string Err) ProcessWithInput(string stdin, params string[] args)
    {
        using var p = Start(null, args, redirectInput: true);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the built command as a child process with redirected stdout and stderr and CI=true.</summary>
    public static System.Diagnostics.Process Start(string? workingDirectory, params string[] args) => Start(workingDirectory, args, redirectInput: false);

    private static System.Diagnostics.Process Start(string? workingDirectory, string[] args, bool redirectInput)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput, UseShellExecute = false };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pure-materials.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["CI"] = "true";
        return System.Diagnostics.Process.Start(info)!;
    }

    /// <summary>Creates a fresh temporary directory for one test's files.</summary>
    public static string TempDir(string prefix)
    {
        var d = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}
