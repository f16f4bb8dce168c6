using System.CommandLine;
using System.Runtime.InteropServices;
using Pure.Materials.Cli;
using Pure.Materials.Core;

// The outer boundary: problems were already printed by each command. Anything else escaping is a bug in this
// program; it is reported in one line (no stack trace) with exit code 2.
// Ctrl+C and SIGTERM delete the temporary output files this run created and end the process (exit 130 / 143).
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Outputs.Cancel);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Outputs.Cancel);
Terminal.Configure();
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
    var outputs = Outputs.Check(parse);
    if (outputs.Count > 0)
    {
        foreach (var p in outputs) Console.Error.WriteLine($"error: {FlagNames.ToCli(p)}");
        return 1;
    }
    return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
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
}
