using System.CommandLine;
using Pure.Materials.Cli;
using Pure.Materials.Core;

// The outer boundary: problems were already printed by each command. Anything else escaping is a bug in this
// program; it is reported in one line (no stack trace) with exit code 2.
try
{
    return Cli.Build().Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (ProblemException e)
{
    foreach (var p in e.Problems) Console.Error.WriteLine($"error: {p}");
    return 1;
}
catch (Exception e)
{
    Console.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message} (this is a bug in pure-materials; please report it with the command line)");
    return 2;
}
