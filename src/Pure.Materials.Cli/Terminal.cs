using System.CommandLine;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace Pure.Materials.Cli;

/// <summary>What the terminal gets: plain text (no ANSI codes) when <c>NO_COLOR</c> is set or output is redirected, and parse
/// errors as one line each naming the option, the value and what is expected.</summary>
internal static partial class Terminal
{
    /// <summary>Turns ANSI styling off for Spectre.Console when <c>NO_COLOR</c> is set (https://no-color.org) or stdout is not a terminal.</summary>
    public static void Configure()
    {
        var noColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        if (!noColor && !Console.IsOutputRedirected) return;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        // A file or pipe has no width: do not wrap lines and tables at 80 columns there.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
    }

    /// <summary>The command as typed, e.g. <c>pure-materials cv</c>.</summary>
    public static string CommandPath(ParseResult parse) =>
        parse.CommandResult.Command is RootCommand ? "pure-materials" : "pure-materials " + parse.CommandResult.Command.Name;

    /// <summary>Parse errors rewritten without .NET type names: <c>--folds 'abc' is not accepted: expected a whole number (e.g. 5)</c>.</summary>
    public static IEnumerable<string> ParseErrors(ParseResult parse)
    {
        foreach (var e in parse.Errors)
        {
            var m = CannotParse().Match(e.Message);
            yield return m.Success
                ? $"{m.Groups["option"].Value} '{m.Groups["value"].Value}' is not accepted: expected {Expected(m.Groups["type"].Value)}"
                : e.Message;
        }
    }

    private static string Expected(string type) =>
        type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) ? "a whole number (e.g. 5)"
        : type.Contains("Double", StringComparison.Ordinal) ? "a number with a dot as decimal separator (e.g. 0.2)"
        : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false (or no value)"
        : "a value of another form (see --help)";

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']*)' as expected type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex CannotParse();
}
