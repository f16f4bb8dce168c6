using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Pure.Materials.Cli;

/// <summary>What a long run tells its progress display: the fraction done (0..1, NaN when unknown) and a count of work done in
/// the run's unit (rows, candidates, folds). Thread-safe; cheap enough to call per chunk.</summary>
internal interface IProgressReporter
{
    void Report(double fraction, long count);
}

/// <summary>Progress of a long run on standard error, never on standard output (which may be a pipe of results):
/// a Spectre.Console live bar (percentage, rate, time left) when a person watches a terminal; otherwise one plain line every few
/// seconds (<c>featurize: 1,234,567 rows (410,000 rows/s), 42.0% done, about 4 s left</c>), which a log file or a Slurm output keeps readable.</summary>
internal static class LiveProgress
{
    /// <summary>Seconds between plain progress lines.</summary>
    public const double LineInterval = 5;

    /// <summary>Runs <paramref name="body"/> with a reporter: a live display on an interactive terminal (stderr not redirected,
    /// not in CI, not captured in-process), plain lines on stderr every <see cref="LineInterval"/> seconds otherwise.</summary>
    public static T Run<T>(string what, string unit, Func<IProgressReporter, T> body)
    {
        var interactive = !Captured.Active && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null
            && Environment.GetEnvironmentVariable("TERM") != "dumb";
        if (!interactive) return body(new Lines(Console.Error, what, unit, LineInterval, Stopwatch.StartNew()));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(what, maxValue: 1000);
                var reporter = new Bar(task, what, unit, Stopwatch.StartNew());
                var result = body(reporter);
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>The text of one progress report: count, rate, percentage and time left (when the fraction is known).</summary>
    public static string Describe(string what, string unit, double fraction, long count, double seconds)
    {
        var rate = count / Math.Max(seconds, 1e-9);
        var text = string.Create(CultureInfo.InvariantCulture, $"{what}: {count:N0} {unit} ({Rate(rate)} {unit}/s)");
        if (!double.IsFinite(fraction) || fraction <= 0) return text;
        var left = seconds * (1 - fraction) / fraction;
        return text + string.Create(CultureInfo.InvariantCulture, $", {100 * Math.Min(fraction, 1):0.0}% done, about {Duration(left)} left");
    }

    private static string Rate(double rate) =>
        rate.ToString(rate >= 100 ? "N0" : rate >= 1 ? "N1" : "0.###", CultureInfo.InvariantCulture);

    private static string Duration(double seconds) =>
        seconds < 90 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s")
        : seconds < 5400 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} min")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.0} h");

    /// <summary>Plain lines, at most one per interval (the first after one interval has passed).</summary>
    internal sealed class Lines(TextWriter writer, string what, string unit, double interval, Stopwatch clock) : IProgressReporter
    {
        private readonly object _gate = new();
        private double _last;

        public void Report(double fraction, long count)
        {
            lock (_gate)
            {
                var now = clock.Elapsed.TotalSeconds;
                if (now - _last < interval) return;
                _last = now;
                writer.WriteLine(Describe(what, unit, fraction, count, now));
            }
        }
    }

    private sealed class Bar(ProgressTask task, string what, string unit, Stopwatch clock) : IProgressReporter
    {
        public void Report(double fraction, long count)
        {
            var seconds = clock.Elapsed.TotalSeconds;
            task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{what}: {count:N0} {unit} ({Rate(count / Math.Max(seconds, 1e-9))} {unit}/s)"));
            if (double.IsFinite(fraction)) task.Value = Math.Clamp(fraction, 0, 1) * task.MaxValue;
            else task.IsIndeterminate = true;
        }
    }
}
