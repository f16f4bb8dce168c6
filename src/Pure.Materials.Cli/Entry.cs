using System.CommandLine;
using System.Text;
using Pure.Materials.Core;
using Spectre.Console;

namespace Pure.Materials.Cli;

/// <summary>The outer boundary of <c>pure-materials</c>: parse, check the outputs, run the verb, and turn every problem into one
/// line on stderr and exit code 1; anything else escaping is a bug, reported in one line with exit code 2. The process
/// (<c>Program.cs</c>) and the in-process runner of the tests (<see cref="Invoke"/>) both come here.</summary>
internal static class Entry
{
    /// <summary>Runs the command line on the process's console; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        try
        {
            var parse = Cli.Build().Parse(args);
            if (parse.Errors.Count > 0)
            {
                // One line per error naming the option, the value and what is expected; not the whole help.
                foreach (var line in Terminal.ParseErrors(parse)) Console.Error.WriteLine($"error: {line}");
                Console.Error.WriteLine($"run '{Terminal.CommandPath(parse)} --help' for the options");
                return 1;
            }
            var dpi = parse.GetValue<int?>("--png-dpi");
            if (dpi is { } d && (d < Png.MinDpi || d > Png.MaxDpi))
            {
                Console.Error.WriteLine($"error: --png-dpi {d} is outside {Png.MinDpi}..{Png.MaxDpi}; use e.g. --png-dpi 300 for print or 150 for screens [param.out_of_range]");
                return 1;
            }
            Png.Dpi.Value = dpi;
            var outputs = Outputs.Check(parse);
            if (outputs.Count > 0)
            {
                foreach (var p in outputs) Console.Error.WriteLine($"error: {FlagNames.ToCli(p)}");
                return 1;
            }
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = Console.Out, Error = Console.Error });
        }
        catch (ProblemException e)
        {
            foreach (var p in e.Problems) Console.Error.WriteLine($"error: {FlagNames.ToCli(p)}");
            return 1;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message} (this is a bug in pure-materials; please report it with the command line)");
            return 2;
        }
        finally
        {
            Outputs.DeletePending();
            Png.Dpi.Value = null;
        }
    }

    /// <summary>Runs the command line inside this process with its stdout and stderr captured, as the process would print them
    /// with output redirected (no colours, no spinner, lines not wrapped). Safe to call from parallel tests: each call has its own
    /// writers and its own pending temporary files (<see cref="AsyncLocal{T}"/>), so runs do not see each other's output or files.</summary>
    /// <returns>The exit code and the text written to stdout and stderr.</returns>
    public static (int Exit, string Out, string Err) Invoke(params string[] args) => InvokeWithInput(null, args);

    /// <summary>Runs the command line inside this process as <see cref="Invoke"/> does, with <paramref name="stdin"/> as its standard
    /// input (what <c>--candidates -</c> reads).</summary>
    /// <param name="stdin">The bytes the run reads from standard input, or null for none (an empty input).</param>
    /// <param name="args">The command line, without the program name.</param>
    /// <returns>The exit code and the text written to stdout and stderr.</returns>
    public static (int Exit, string Out, string Err) InvokeWithInput(byte[]? stdin, params string[] args)
    {
        Captured.Install();
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var (previousOut, previousErr, previousIn) = (Captured.Out.Value, Captured.Err.Value, Captured.In.Value);
        Captured.Out.Value = TextWriter.Synchronized(stdout);
        Captured.Err.Value = TextWriter.Synchronized(stderr);
        Captured.In.Value = new MemoryStream(stdin ?? [], writable: false);
        using var scope = Outputs.Scope();
        try
        {
            var exit = Run(args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            (Captured.Out.Value, Captured.Err.Value, Captured.In.Value) = (previousOut, previousErr, previousIn);
        }
    }
}

/// <summary>Console writers that send each in-process run's output to its own capture (<see cref="Entry.Invoke"/>), and
/// everything else to the process's original stdout and stderr.</summary>
internal static class Captured
{
    public static readonly AsyncLocal<TextWriter?> Out = new();
    public static readonly AsyncLocal<TextWriter?> Err = new();
    public static readonly AsyncLocal<Stream?> In = new();
    private static readonly object Gate = new();
    private static bool _installed;

    /// <summary>The standard input of this run: the bytes given to <see cref="Entry.InvokeWithInput"/> in-process, else the process's.</summary>
    public static Stream OpenStandardInput() => In.Value ?? Console.OpenStandardInput();

    /// <summary>True inside <see cref="Entry.Invoke"/>: nobody watches a terminal (no spinner).</summary>
    public static bool Active => Out.Value is not null;

    /// <summary>Routes <see cref="Console.Out"/>, <see cref="Console.Error"/> and Spectre.Console through the captures (once per process).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            var stdout = new Router(Console.Out, Out);
            Console.SetOut(stdout);
            Console.SetError(new Router(Console.Error, Err));
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(stdout),
            });
            AnsiConsole.Profile.Width = 200;
            _installed = true;
        }
    }

    /// <summary>Writes to the current run's capture when there is one, else to the original writer.</summary>
    private sealed class Router : TextWriter
    {
        private readonly TextWriter _original;
        private readonly AsyncLocal<TextWriter?> _current;

        public Router(TextWriter original, AsyncLocal<TextWriter?> current)
        {
            (_original, _current) = (original, current);
            CoreNewLine = ['\n'];
        }

        private TextWriter Target => _current.Value ?? _original;
        public override Encoding Encoding => _original.Encoding;
        public override void Write(char value) => Target.Write(value);
        public override void Write(string? value) => Target.Write(value);
        public override void Write(char[] buffer, int index, int count) => Target.Write(buffer, index, count);
        public override void WriteLine(string? value) => Target.Write(value + "\n");
        public override void WriteLine() => Target.Write('\n');
        public override void Flush() => Target.Flush();
    }
}
