using System.CommandLine;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace Pure.Materials.Cli;

/// <summary>What the terminal gets: plain text (no ANSI codes) when <c>NO_COLOR</c> is set or output is redirected, and parse
/// errors as one line each naming the option, the value and what is expected.</summary>
internal static partial class Terminal
{
    /// <summary>Turns ANSI styling off for Spectre.Console when <c>NO_COLOR</c> is set (https://no-color.org) or stdout is not a terminal,
    /// and sets the table width: <c>COLUMNS</c> when set (a whole number from 20 to 1000), else the terminal's width, else (a file or a
    /// pipe, which have no width) 200 columns so that tables are not cut.</summary>
    public static void Configure()
    {
        var noColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        if (noColor || Console.IsOutputRedirected)
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(Console.Out),
            });
        if (Width(Environment.GetEnvironmentVariable("COLUMNS"), Console.IsOutputRedirected) is int width) AnsiConsole.Profile.Width = width;
    }

    /// <summary>The console width to use: <c>COLUMNS</c> when it is a whole number from 20 to 1000, else 200 for a redirected stdout,
    /// else null (Spectre.Console's own terminal width).</summary>
    internal static int? Width(string? columns, bool redirected) =>
        int.TryParse(columns, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var c) && c is >= 20 and <= 1000
            ? c
            : redirected ? 200 : null;

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
