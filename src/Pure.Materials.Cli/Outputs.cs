using System.Collections.Concurrent;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using Pure.Materials.Core;

namespace Pure.Materials.Cli;

/// <summary>Output files of every verb: checked before any work, written under temporary names, renamed at the end, and the
/// temporary files deleted on failure or on Ctrl+C / SIGTERM. A file the run did not create is never opened for writing when it is an
/// input, and never deleted.</summary>
internal static class Outputs
{
    /// <summary>Every file name a verb writes inside an <c>--out</c> directory (checked against the input file).</summary>
    private static readonly string[] DirectoryFiles =
    [
        "report.json", "predictions.csv", "parity.svg", "residuals.svg", "residual_histogram.svg", "loss.svg", "confusion.svg",
        "search.csv", "learning_curve.csv", "learning_curve.svg", "validation_curve.csv", "validation_curve.svg", "history.csv", "best_found.svg", "proposals.csv", "clusters.csv", "cluster.svg",
        "pca.csv", "pca_components.csv", "pca.svg", "tsne.csv", "tsne.svg", "umap.csv", "umap.svg", "selected_features.csv", "importances.csv", "explain.json",
        "shap.svg", "index.html", "skipped_rows.csv",
    ];

    /// <summary>Temporary files the process created and has not yet renamed or deleted.</summary>
    private static readonly ConcurrentDictionary<string, byte> ProcessPending = new();

    /// <summary>The temporary files of one in-process run (<see cref="Scope"/>), so that parallel runs never delete each other's.</summary>
    private static readonly AsyncLocal<ConcurrentDictionary<string, byte>?> ScopePending = new();

    /// <summary>Temporary files this run created and has not yet renamed or deleted.</summary>
    private static ConcurrentDictionary<string, byte> Pending => ScopePending.Value ?? ProcessPending;

    /// <summary>Gives the calling flow (an in-process run) its own list of pending temporary files until disposed.</summary>
    public static IDisposable Scope()
    {
        var previous = ScopePending.Value;
        ScopePending.Value = new ConcurrentDictionary<string, byte>();
        return new Restore(() => ScopePending.Value = previous);
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    /// <summary>The temporary name of an output file (<c>PATH.tmp</c>), registered for deletion on failure or cancel.</summary>
    public static string Temporary(string finalPath)
    {
        var tmp = finalPath + ".tmp";
        Pending[tmp] = 0;
        return tmp;
    }

    /// <summary>The file name that stands for standard input (<c>screen --candidates -</c>) or standard output (<c>screen --out -</c>,
    /// <c>merge --out -</c>).</summary>
    public const string Standard = "-";

    /// <summary>A new scratch file in the temporary directory (<c>$TMPDIR</c>, else <c>/tmp</c>), registered like a temporary output:
    /// deleted when the run ends, whether it succeeds, fails or is cancelled.</summary>
    /// <param name="purpose">A word for the file name, e.g. <c>candidates</c>.</param>
    /// <returns>The path of the (not yet created) file.</returns>
    public static string Scratch(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pure-materials-{purpose}-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        Pending[path] = 0;
        return path;
    }

    /// <summary>Renames finished temporary files to their final names, in order.</summary>
    /// <exception cref="IOException">When a final name is an existing directory; checked for every file before any is renamed, so
    /// that the outputs appear together or not at all.</exception>
    public static void Commit(IEnumerable<(string Tmp, string Final)> files)
    {
        if (_cancelled) return;
        var list = files.ToList();
        foreach (var (_, final) in list)
            if (System.IO.Directory.Exists(final))
                throw new IOException($"'{final}' is a directory; remove it or choose another --out");
        foreach (var (tmp, final) in list)
        {
            if (!File.Exists(tmp)) continue;
            File.Move(tmp, final, overwrite: true);
            Pending.TryRemove(tmp, out _);
        }
    }

    private static volatile bool _cancelled;

    /// <summary>Handles Ctrl+C / SIGTERM: no more renames, the temporary files deleted, one line on stderr, exit 128 + signal.</summary>
    public static void Cancel(PosixSignalContext context)
    {
        context.Cancel = true;
        _cancelled = true;
        DeletePending();
        var (name, code) = context.Signal == PosixSignal.SIGINT ? ("SIGINT", 130) : ("SIGTERM", 143);
        Console.Error.WriteLine($"error: interrupted ({name}); temporary outputs removed, nothing written");
        Environment.Exit(code);
    }

    /// <summary>Deletes the temporary files this run created (never any other file).</summary>
    public static void DeletePending()
    {
        foreach (var tmp in Pending.Keys)
        {
            try { File.Delete(tmp); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            Pending.TryRemove(tmp, out _);
        }
    }

    /// <summary>A directory output: files are written as NAME.tmp inside it and renamed together by <see cref="Commit()"/>;
    /// disposing without committing deletes them.</summary>
    internal sealed class Directory(string path) : IDisposable
    {
        private readonly List<(string Tmp, string Final)> _files = [];

        /// <summary>The directory as given.</summary>
        public string Path { get; } = path;

        /// <summary>The temporary path to write <paramref name="name"/> to; creates the directory.</summary>
        public string File(string name)
        {
            System.IO.Directory.CreateDirectory(Path);
            var final = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, name));
            var tmp = Temporary(final);
            _files.Add((tmp, final));
            return tmp;
        }

        /// <summary>Renames every written file to its final name.</summary>
        public void Commit()
        {
            // --png-dpi: FILE.png beside every FILE.svg, renamed together with the other outputs.
            _files.AddRange(Png.Beside(_files, Temporary));
            Outputs.Commit(_files);
            _files.Clear();
        }

        public void Dispose()
        {
            foreach (var (tmp, _) in _files)
            {
                try { System.IO.File.Delete(tmp); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
                Pending.TryRemove(tmp, out _);
            }
            _files.Clear();
        }
    }

    /// <summary>Checks the output options of the parsed command before it runs: <c>--out</c> (a file for <c>featurize</c>, a
    /// directory elsewhere) and <c>--skipped-report</c> must be non-empty valid paths whose parent can be a directory, and no output
    /// (nor its temporary name) may be the input file given by <c>--data</c>.</summary>
    public static IReadOnlyList<Problem> Check(ParseResult parse)
    {
        var problems = new List<Problem>();
        var command = parse.CommandResult.Command;
        string? Raw(string name)
        {
            var option = command.Options.FirstOrDefault(o => o.Name == name);
            if (option is null || parse.GetResult(option) is not OptionResult r || r.Implicit) return null;
            return r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        }
        var data = Raw("--data");
        var input = data is not null && File.Exists(data) ? Full(data) : null;
        var isFileOutput = command.Name is "featurize" or "fit" or "predict" or "screen" or "merge";
        // "-" is standard output for the verbs that can write there (screen, merge): no file to check.
        var outFile = Raw("--out") == Standard && command.Name is "screen" or "merge" ? null : Raw("--out");
        var skipped = Raw("--skipped-report");
        var outFull = outFile is null ? null : Valid("--out", outFile, isFileOutput ? "a file path (e.g. --out features.csv)" : "a directory path (e.g. --out results)", problems);
        var skippedFull = skipped is null ? null : Valid("--skipped-report", skipped, "a file path (e.g. --skipped-report skipped.csv)", problems);
        if (outFull is not null)
        {
            if (isFileOutput)
            {
                if (System.IO.Directory.Exists(outFull) || Path.EndsInDirectorySeparator(outFile!))
                    problems.Add(new Problem("param.invalid_path", $"--out '{outFile}' is a directory; featurize writes one CSV file, give a file path (e.g. --out features.csv)"));
                SameAsInput("--out", outFile!, outFull, input, data, problems);
                // The other input files of the file-writing verbs: the model file (predict, screen), the candidates (screen) and
                // the structure file (featurize --structures).
                foreach (var other in new[] { "--model", "--candidates", "--structures" })
                    if (Raw(other) is { } path && File.Exists(path) && (SamePath(outFull, Full(path)) || SamePath(outFull + ".tmp", Full(path))))
                        problems.Add(new Problem("param.invalid_path", $"--out '{outFile}' would overwrite the input file '{path}' ({other}); write the output to another path"));
                if (skippedFull is null && command.Options.Any(o => o.Name == "--on-error") && Raw("--on-error") == "skip")
                    SameAsInput("--skipped-report", outFile + ".skipped.csv", outFull + ".skipped.csv", input, data, problems);
            }
            else
            {
                if (File.Exists(outFull))
                    problems.Add(new Problem("param.invalid_path", $"--out '{outFile}' is a file; {command.Name} writes several files into a directory, give a directory path"));
                foreach (var name in DirectoryFiles.Concat(DirectoryFiles.Where(f => f.EndsWith(".svg", StringComparison.Ordinal)).Select(f => f[..^4] + ".png")))
                    SameAsInput("--out", outFile!, Path.Combine(outFull, name), input, data, problems);
            }
        }
        if (skippedFull is not null)
        {
            if (System.IO.Directory.Exists(skippedFull) || Path.EndsInDirectorySeparator(skipped!))
                problems.Add(new Problem("param.invalid_path", $"--skipped-report '{skipped}' is a directory; give a file path"));
            SameAsInput("--skipped-report", skipped!, skippedFull, input, data, problems);
            if (outFull is not null && isFileOutput && SamePath(outFull, skippedFull))
                problems.Add(new Problem("param.invalid_path", $"--skipped-report '{skipped}' is the same file as --out; give the skipped-rows report its own name (default OUT.skipped.csv)"));
        }
        // screen --all: a second file output, never a directory, an input or the --out file.
        if (Raw("--all") == Standard)
            problems.Add(new Problem("param.invalid_path", "--all - : standard output is for --out; write every row to a file (e.g. --all all.csv)"));
        else if (Raw("--all") is { } all && Valid("--all", all, "a file path (e.g. --all all.csv)", problems) is { } allFull)
        {
            if (System.IO.Directory.Exists(allFull) || Path.EndsInDirectorySeparator(all))
                problems.Add(new Problem("param.invalid_path", $"--all '{all}' is a directory; give a file path"));
            if (outFull is not null && SamePath(outFull, allFull))
                problems.Add(new Problem("param.invalid_path", $"--all '{all}' is the same file as --out; give every row its own file"));
            foreach (var other in new[] { "--model", "--candidates" })
                if (Raw(other) is { } path && File.Exists(path) && SamePath(allFull, Full(path)))
                    problems.Add(new Problem("param.invalid_path", $"--all '{all}' would overwrite the input file '{path}' ({other}); write the output to another path"));
        }
        return problems;
    }

    private static string? Valid(string option, string value, string expected, List<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(new Problem("param.invalid_path", $"{option} '{value}' is empty; give {expected}"));
            return null;
        }
        string full;
        try
        {
            full = Full(value);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            problems.Add(new Problem("param.invalid_path", $"{option} '{value}' is not a valid path ({e.Message}); give {expected}"));
            return null;
        }
        if (value.IndexOfAny(['\0']) >= 0)
        {
            problems.Add(new Problem("param.invalid_path", $"{option} holds a NUL character; give {expected}"));
            return null;
        }
        for (var d = Path.GetDirectoryName(full); d is not null; d = Path.GetDirectoryName(d))
            if (File.Exists(d))
            {
                problems.Add(new Problem("param.invalid_path", $"{option} '{value}' cannot be created: '{d}' is a file, not a directory"));
                return null;
            }
        // The nearest existing directory must take new files: probe with a file of our own, deleted on close.
        var existing = System.IO.Directory.Exists(full) ? full : Path.GetDirectoryName(full);
        while (existing is not null && !System.IO.Directory.Exists(existing)) existing = Path.GetDirectoryName(existing);
        if (existing is not null)
        {
            try
            {
                using var probe = new FileStream(Path.Combine(existing, $".pure-materials-probe-{Environment.ProcessId}-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new Problem("param.invalid_path", $"{option} '{value}' cannot be written: no new file can be created in '{existing}' ({e.Message}); choose a writable location"));
                return null;
            }
        }
        return full;
    }

    private static void SameAsInput(string option, string value, string output, string? input, string? data, List<Problem> problems)
    {
        if (input is null) return;
        if (SamePath(output, input) || SamePath(output + ".tmp", input))
            problems.Add(new Problem("param.invalid_path",
                $"{option} '{value}' would overwrite the input file '{data}' (--data); write the output to another path"));
    }

    private static string Full(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            // Follow a symbolic link so that a link to the input counts as the input.
            if (new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target) return target.FullName;
        }
        catch (IOException) { }
        return full;
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(Full(a), Full(b), OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
