using System.Globalization;
using System.Xml.Linq;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Evaluate;

/// <summary>Holds the presentation settings of a plot (inert values).</summary>
/// <param name="Title">Title printed above the plot; null for the plot's default title.</param>
/// <param name="Quantity">Name of the target quantity for axis titles, e.g. <c>"band gap"</c>; default <c>"value"</c>.</param>
/// <param name="Unit">Unit of the target, e.g. <c>"eV"</c>; null or empty for none. Error metrics (MAE, RMSE, max error) carry it; MSE carries its square; R2, Pearson r and MAPE have none.</param>
/// <param name="Width">Width in pixels, at least 200; default 560.</param>
/// <param name="Height">Height in pixels, at least 200; default 420.</param>
/// <param name="LogX">Log-scale x axis: null (default) chooses it when every x is positive and they span more than two decades.</param>
public sealed record PlotOptions(string? Title = null, string Quantity = "value", string? Unit = null, int Width = 560, int Height = 420, bool? LogX = null);

/// <summary>Draws learning curves, validation curves, residual plots, residual histograms and coloured scatter plots as self-contained SVG.</summary>
/// <remarks>
/// Same conventions as <see cref="ParityPlot"/>: white background, axes with ticks at 1-2-5 multiples of a power of ten, axis
/// titles with units, a legend box, matplotlib <c>tab10</c> colours, numbers in the invariant culture. Curves draw the mean
/// over folds as a line with a band of plus and minus one standard deviation, as scikit-learn's learning-curve example.
/// Source: scikit-learn 1.2.1 examples <c>plot_learning_curve</c>, <c>plot_validation_curve</c>; matplotlib 3 <c>viridis</c>.
/// </remarks>
public static class Plots
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private const string Blue = "#1f77b4", Orange = "#ff7f0e", Grey = "#444444";

    /// <summary>Renders a learning or validation curve: training and test metric (mean, plus/minus one std band) against x.</summary>
    /// <param name="curve">The curve from <see cref="Curves"/>, at least one point.</param>
    /// <param name="options">Titles and size.</param>
    /// <returns>SVG text with two <c>polyline</c>s (classes <c>train</c>, <c>test</c>), one <c>circle</c> per point and side, bands as <c>polygon</c>s; or
    /// <c>data.empty</c> (no point), <c>data.nan_metric</c> (a NaN mean), <c>param.out_of_range</c> (size).</returns>
    public static Validation<Problem, string> CurveSvg(Curve curve, PlotOptions options)
    {
        var problems = SizeProblems(options).ToList();
        if (curve.Points.Count == 0) problems.Add(new Problem("data.empty", "the curve has no point"));
        if (curve.Points.Any(p => double.IsNaN(p.Train.Mean) || double.IsNaN(p.Test.Mean)))
            problems.Add(new Problem("data.nan_metric", $"metric {curve.Metric} is undefined (NaN) at some point; plot another metric, e.g. mae"));
        if (problems.Count > 0) return Valid.Fail<string>(problems);
        var xs = curve.Points.Select(p => p.X).ToArray();
        var logX = options.LogX ?? (xs.All(v => v > 0) && xs.Max() / xs.Min() > 100);
        if (logX && xs.Any(v => v <= 0)) return Valid.Fail<string>("param.out_of_range", "a log x axis needs positive x values; set LogX = false");
        var ys = curve.Points.SelectMany(p => new[] { p.Train.Mean - p.Train.Std, p.Train.Mean + p.Train.Std, p.Test.Mean - p.Test.Std, p.Test.Mean + p.Test.Std }).ToArray();
        var learning = curve.XName == "training rows";
        var title = options.Title ?? (learning ? "Learning curve" : $"Validation curve: {curve.XName}");
        var xTitle = learning ? "Training-set size (rows)" : curve.XName + (logX ? " (log scale)" : "");
        var frame = new Frame(options, title, xTitle, MetricTitle(curve.Metric, options), xs, ys, logX);
        foreach (var (side, colour, name) in new[] { (0, Blue, "train"), (1, Orange, "test") })
        {
            MetricSummary S(CurvePoint p) => side == 0 ? p.Train : p.Test;
            var upper = curve.Points.Select(p => (frame.Px(p.X), frame.Py(S(p).Mean + S(p).Std)));
            var lower = curve.Points.Reverse().Select(p => (frame.Px(p.X), frame.Py(S(p).Mean - S(p).Std)));
            frame.Root.Add(new XElement(Svg + "polygon", new XAttribute("class", name + "-band"), new XAttribute("points", Points(upper.Concat(lower))),
                new XAttribute("fill", colour), new XAttribute("fill-opacity", "0.15"), new XAttribute("stroke", "none")));
            frame.Root.Add(new XElement(Svg + "polyline", new XAttribute("class", name),
                new XAttribute("points", Points(curve.Points.Select(p => (frame.Px(p.X), frame.Py(S(p).Mean))))),
                new XAttribute("fill", "none"), new XAttribute("stroke", colour), new XAttribute("stroke-width", "2")));
            foreach (var p in curve.Points)
                frame.Root.Add(Circle(frame.Px(p.X), frame.Py(S(p).Mean), 3.5, colour, 1.0));
        }
        frame.Legend([($"training {curve.Metric} (mean \u00b1 std)", Blue), ($"test {curve.Metric} (mean \u00b1 std, {curve.Folds} folds)", Orange)]);
        return Valid.Ok(frame.Root.ToString());
    }

    /// <summary>Renders residuals (actual - predicted) against predicted values, with a dashed zero line.</summary>
    /// <param name="actual">Targets, shape (n,), finite, at least 2.</param>
    /// <param name="predicted">Predictions, shape (n,), finite.</param>
    /// <param name="options">Titles, unit and size.</param>
    /// <returns>SVG text with one <c>circle</c> per point and a <c>line</c> of class <c>zero</c>; or the problems of <see cref="Metrics.Regression"/>.</returns>
    public static Validation<Problem, string> ResidualsSvg(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted, PlotOptions options)
    {
        var problems = SizeProblems(options).Concat(Metrics.Regression(actual, predicted).Problems()).ToArray();
        if (problems.Length > 0) return Valid.Fail<string>(problems);
        var pred = predicted.ToArray();
        var res = actual.ToArray().Zip(pred, (a, p) => a - p).ToArray();
        var unit = UnitSuffix(options.Unit);
        var frame = new Frame(options, options.Title ?? "Residuals against predictions", $"Predicted {options.Quantity}{unit}",
            $"Residual, actual \u2212 predicted{unit}", pred, [.. res, 0.0], false);
        frame.Root.Add(Line(frame.Left, frame.Py(0), frame.Left + frame.W, frame.Py(0), "zero", Grey, ("stroke-dasharray", "6 4")));
        for (var i = 0; i < pred.Length; i++) frame.Root.Add(Circle(frame.Px(pred[i]), frame.Py(res[i]), 3, Blue, 0.5));
        var mean = res.Average();
        frame.Legend([($"mean residual = {G(mean)}{(string.IsNullOrEmpty(options.Unit) ? "" : " " + options.Unit)}", null), ($"n = {pred.Length}", null)]);
        return Valid.Ok(frame.Root.ToString());
    }

    /// <summary>Renders a histogram of residuals (actual - predicted).</summary>
    /// <param name="actual">Targets, shape (n,), finite, at least 2.</param>
    /// <param name="predicted">Predictions, shape (n,), finite.</param>
    /// <param name="options">Titles, unit and size.</param>
    /// <param name="bins">Number of bins, 1..200; null (default) for numpy's <c>bins="auto"</c>: the more bins of Freedman-Diaconis'
    /// rule (width 2 IQR n^(-1/3)) and Sturges' (ceil(log2 n) + 1), at most 200 (residuals are heavy-tailed, so the data-driven
    /// width keeps the central peak from falling into one bin).</param>
    /// <returns>SVG text with one <c>rect</c> of class <c>bar</c> per bin (equal widths over [min, max] of the residuals); or the problems of
    /// <see cref="Metrics.Regression"/> and <c>param.out_of_range</c> for the bin count.</returns>
    public static Validation<Problem, string> ResidualHistogramSvg(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted, PlotOptions options, int? bins = null)
    {
        var problems = SizeProblems(options).Concat(Metrics.Regression(actual, predicted).Problems()).ToList();
        if (bins is { } b && (b < 1 || b > 200)) problems.Add(new Problem("param.out_of_range", $"bins = {b} is outside 1..200"));
        if (problems.Count > 0) return Valid.Fail<string>(problems);
        var res = actual.ToArray().Zip(predicted.ToArray(), (a, p) => a - p).ToArray();
        var nBins = bins ?? AutoBins(res);
        var (lo, hi) = (res.Min(), res.Max());
        if (hi == lo) (lo, hi) = (lo - 0.5, hi + 0.5);
        var width = (hi - lo) / nBins;
        var counts = new int[nBins];
        foreach (var r in res) counts[Math.Min(nBins - 1, (int)((r - lo) / width))]++;
        var unit = UnitSuffix(options.Unit);
        var frame = new Frame(options, options.Title ?? "Residual histogram", $"Residual, actual \u2212 predicted{unit}", "Count (rows)",
            [lo, hi], [0.0, counts.Max()], false, padY: false);
        for (var k = 0; k < nBins; k++)
        {
            var x0 = frame.Px(lo + k * width);
            var x1 = frame.Px(lo + (k + 1) * width);
            frame.Root.Add(new XElement(Svg + "rect", new XAttribute("class", "bar"), A("x", x0), A("y", frame.Py(counts[k])), A("width", Math.Max(0.5, x1 - x0 - 1)),
                A("height", frame.Py(0) - frame.Py(counts[k])), new XAttribute("fill", Blue), new XAttribute("fill-opacity", "0.8")));
        }
        frame.Legend([($"n = {res.Length}, {nBins} bins{(bins is null ? " (Freedman-Diaconis/Sturges, numpy auto)" : "")}", null), ($"std = {G(Std(res))}{(string.IsNullOrEmpty(options.Unit) ? "" : " " + options.Unit)}", null)]);
        return Valid.Ok(frame.Root.ToString());
    }

    /// <summary>Renders a scatter plot of two coordinates coloured by a value (e.g. the first two principal components coloured by the target).</summary>
    /// <param name="x">Horizontal coordinates, shape (n,), finite.</param>
    /// <param name="y">Vertical coordinates, shape (n,), finite.</param>
    /// <param name="colour">Colour value per point, shape (n,), finite (viridis colour map from min to max, with a colour bar), or null for one colour.</param>
    /// <param name="xTitle">Horizontal axis title, e.g. <c>PC 1 (42.0 % of variance)</c>.</param>
    /// <param name="yTitle">Vertical axis title.</param>
    /// <param name="options">Title (<see cref="PlotOptions.Quantity"/> and unit name the colour bar) and size.</param>
    /// <returns>SVG text with one <c>circle</c> per point; or <c>shape.rows_mismatch</c>, <c>data.empty</c>, <c>data.nan_feature</c>.</returns>
    public static Validation<Problem, string> ScatterSvg(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double>? colour,
        string xTitle, string yTitle, PlotOptions options)
    {
        var problems = SizeProblems(options).ToList();
        if (x.Count != y.Count || (colour is not null && colour.Count != x.Count))
            problems.Add(new Problem("shape.rows_mismatch", $"x has {x.Count}, y {y.Count} and colour {colour?.Count ?? x.Count} values; give one per point"));
        if (x.Count == 0) problems.Add(new Problem("data.empty", "no point to plot"));
        if (x.Concat(y).Concat(colour ?? []).Any(v => !double.IsFinite(v)))
            problems.Add(new Problem("data.nan_feature", "a coordinate or colour value is NaN or infinite; impute or drop those rows"));
        if (problems.Count > 0) return Valid.Fail<string>(problems);
        var (cMin, cMax) = colour is null ? (0.0, 1.0) : (colour.Min(), colour.Max());
        // The colour bar's margin: 20 px gap, the 14 px bar, its number labels, then the rotated quantity title (ascent 0.93 em,
        // descent 0.24 em of DejaVu Sans at 12 px) and 6 px to the edge.
        var tickWidth = Math.Max(SvgText.Width(G(cMin), 12), SvgText.Width(G(cMax), 12));
        var barMargin = Math.Ceiling(20 + 14 + 4 + tickWidth + 6 + 1.17 * 12 + 6);
        var frame = new Frame(options with { Width = options.Width + (colour is null ? 0 : (int)barMargin - 20) }, options.Title ?? "Scatter", xTitle, yTitle, [.. x], [.. y], false,
            rightMargin: colour is null ? 20 : barMargin);
        for (var i = 0; i < x.Count; i++)
        {
            var c = colour is null ? Blue : Viridis(cMax > cMin ? (colour[i] - cMin) / (cMax - cMin) : 0.5);
            frame.Root.Add(Circle(frame.Px(x[i]), frame.Py(y[i]), 3, c, 0.7));
        }
        if (colour is not null)
        {
            var barX = frame.Left + frame.W + 20;
            const int steps = 32;
            for (var s = 0; s < steps; s++)
                frame.Root.Add(new XElement(Svg + "rect", new XAttribute("class", "colourbar"), A("x", barX), A("y", frame.Top + frame.H * (steps - 1 - s) / steps),
                    A("width", 14), A("height", frame.H / steps + 0.5), new XAttribute("fill", Viridis(s / (steps - 1.0)))));
            var labelX = barX + 14 + 4 + tickWidth + 6 + 0.24 * 12;
            var (quantity, quantitySize) = SvgText.Fit($"{options.Quantity}{UnitSuffix(options.Unit)}", 12, frame.H + frame.Top);
            frame.Root.Add(Text(barX + 18, frame.Top + 10, G(cMax), "start"), Text(barX + 18, frame.Top + frame.H, G(cMin), "start"),
                Text(0, 0, quantity, "middle", ("font-size", F(quantitySize)), ("transform", $"translate({F(labelX)},{F(frame.Top + frame.H / 2)}) rotate(90)")));
        }
        return Valid.Ok(frame.Root.ToString());
    }

    /// <summary>Renders training and validation loss per epoch: one pair of lines per run (e.g. per cross-validation fold).</summary>
    /// <param name="runs">Per run: training loss and validation loss after each epoch (equal lengths within a run, at least 1 epoch; an
    /// empty validation list draws the training line alone), finite and &gt;= 0.</param>
    /// <param name="options">Title, unit of the target (the loss is in unit squared) and size.</param>
    /// <param name="lossTitle">The y-axis title; null for <c>Loss, half MSE (unit²)</c>, the loss of <c>linear-gd</c>.</param>
    /// <param name="validationLabel">The legend's name of the validation line; null for <c>validation loss (held-out rows)</c>.</param>
    /// <returns>SVG text with <c>polyline</c>s of classes <c>train</c> and <c>validation</c> (one each per run); or <c>data.empty</c> (no run or no epoch),
    /// <c>shape.rows_mismatch</c> (a run whose two histories differ in length), <c>data.nan_metric</c> (a NaN, infinite or negative loss), <c>param.out_of_range</c> (size).</returns>
    /// <remarks>By default the loss is the half mean squared error (1/(2n)) sum (y - y_hat)^2 that gradient descent minimises (without the L2 penalty);
    /// other learners name theirs with <paramref name="lossTitle"/> (the MLP classifier's log-loss).
    /// Source: Goodfellow, Bengio and Courville, "Deep Learning" (2016), figure 7.3.</remarks>
    public static Validation<Problem, string> LossCurveSvg(IReadOnlyList<(IReadOnlyList<double> Training, IReadOnlyList<double> Validation)> runs, PlotOptions options,
        string? lossTitle = null, string? validationLabel = null)
    {
        var problems = SizeProblems(options).ToList();
        if (runs.Count == 0 || runs.Any(r => r.Training.Count == 0)) problems.Add(new Problem("data.empty", "no loss history to plot: each run needs at least 1 epoch"));
        for (var i = 0; i < runs.Count; i++)
            if (runs[i].Validation.Count != 0 && runs[i].Training.Count != runs[i].Validation.Count)
                problems.Add(new Problem("shape.rows_mismatch", $"run {i} has {runs[i].Training.Count} training but {runs[i].Validation.Count} validation losses; give one of each per epoch"));
        if (runs.Any(r => r.Training.Concat(r.Validation).Any(v => !double.IsFinite(v) || v < 0)))
            problems.Add(new Problem("data.nan_metric", "a loss is NaN, infinite or negative; the fit diverged: lower the learning rate"));
        if (problems.Count > 0) return Valid.Fail<string>(problems);
        var epochs = runs.Max(r => r.Training.Count);
        var xs = new double[] { 1, Math.Max(2, epochs) };
        var ys = runs.SelectMany(r => r.Training.Concat(r.Validation)).Append(0.0).ToArray();
        var unit = string.IsNullOrEmpty(options.Unit) ? "" : $" ({options.Unit}\u00b2)";
        // Loss falls fastest in the first epochs: a log epoch axis (from 20 epochs on, unless LogX says otherwise) shows both phases.
        var logX = options.LogX ?? epochs >= 20;
        var frame = new Frame(options, options.Title ?? "Training and validation loss", logX ? "Epoch (log scale)" : "Epoch", lossTitle ?? $"Loss, half MSE{unit}", xs, ys, logX);
        foreach (var (training, validation) in runs)
        {
            if (validation.Count == 0)
            {
                frame.Root.Add(new XElement(Svg + "polyline", new XAttribute("class", "train"), new XAttribute("points", Points(training.Select((v, e) => (frame.Px(e + 1), frame.Py(v))))),
                    new XAttribute("fill", "none"), new XAttribute("stroke", Blue), new XAttribute("stroke-width", "1.5"), new XAttribute("stroke-opacity", "0.8")));
                continue;
            }
            frame.Root.Add(new XElement(Svg + "polyline", new XAttribute("class", "train"), new XAttribute("points", Points(training.Select((v, e) => (frame.Px(e + 1), frame.Py(v))))),
                new XAttribute("fill", "none"), new XAttribute("stroke", Blue), new XAttribute("stroke-width", "1.5"), new XAttribute("stroke-opacity", "0.8")));
            frame.Root.Add(new XElement(Svg + "polyline", new XAttribute("class", "validation"), new XAttribute("points", Points(validation.Select((v, e) => (frame.Px(e + 1), frame.Py(v))))),
                new XAttribute("fill", "none"), new XAttribute("stroke", Orange), new XAttribute("stroke-width", "1.5"), new XAttribute("stroke-opacity", "0.8"), new XAttribute("stroke-dasharray", "6 3")));
        }
        var withValidation = runs.Where(r => r.Validation.Count > 0).ToArray();
        var legend = new List<(string, string?)> { ($"training loss ({runs.Count} run{(runs.Count == 1 ? "" : "s")}), last {G(runs.Average(r => r.Training[^1]))}", Blue) };
        if (withValidation.Length > 0)
            legend.Add(($"{validationLabel ?? "validation loss (held-out rows)"}, last {G(withValidation.Average(r => r.Validation[^1]))}", Orange));
        frame.Legend(legend);
        return Valid.Ok(frame.Root.ToString());
    }

    /// <summary>Renders a 2-D map of rows coloured by cluster label (tab10 colours without grey, cycling after 9; noise, label -1, in light grey) with cluster centres as crosses.</summary>
    /// <param name="x">Horizontal coordinates, shape (n,), finite (e.g. PC 1 scores).</param>
    /// <param name="y">Vertical coordinates, shape (n,), finite.</param>
    /// <param name="labels">Cluster of each row, shape (n,), &gt;= -1 (-1 is DBSCAN noise).</param>
    /// <param name="centres">Optional centres in the same 2-D coordinates (index = cluster label); null for none.</param>
    /// <param name="xTitle">Horizontal axis title.</param>
    /// <param name="yTitle">Vertical axis title.</param>
    /// <param name="options">Title and size.</param>
    /// <returns>SVG text with one <c>circle</c> per row (class <c>cluster-L</c>) and one <c>path</c> of class <c>centre</c> per centre; or <c>shape.rows_mismatch</c>,
    /// <c>data.empty</c>, <c>data.nan_feature</c>, <c>param.out_of_range</c> (a label below -1).</returns>
    public static Validation<Problem, string> ClusterScatterSvg(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int> labels,
        IReadOnlyList<(double X, double Y)>? centres, string xTitle, string yTitle, PlotOptions options)
    {
        var problems = SizeProblems(options).ToList();
        if (x.Count != y.Count || labels.Count != x.Count)
            problems.Add(new Problem("shape.rows_mismatch", $"x has {x.Count}, y {y.Count} and labels {labels.Count} values; give one per row"));
        if (x.Count == 0) problems.Add(new Problem("data.empty", "no point to plot"));
        if (x.Concat(y).Concat(centres?.SelectMany(c => new[] { c.X, c.Y }) ?? []).Any(v => !double.IsFinite(v)))
            problems.Add(new Problem("data.nan_feature", "a coordinate is NaN or infinite; impute or drop those rows"));
        if (labels.Any(l => l < -1)) problems.Add(new Problem("param.out_of_range", "a cluster label is below -1; labels are 0, 1, ... and -1 for noise"));
        if (problems.Count > 0) return Valid.Fail<string>(problems);
        var allX = x.Concat(centres?.Select(c => c.X) ?? []).ToArray();
        var allY = y.Concat(centres?.Select(c => c.Y) ?? []).ToArray();
        var frame = new Frame(options, options.Title ?? "Clusters", xTitle, yTitle, allX, allY, false);
        string Colour(int label) => label < 0 ? "#c7c7c7" : Tab10[label % Tab10.Length];
        for (var i = 0; i < x.Count; i++)
        {
            var c = Circle(frame.Px(x[i]), frame.Py(y[i]), 3, Colour(labels[i]), 0.7);
            c.Add(new XAttribute("class", labels[i] < 0 ? "noise" : $"cluster-{labels[i]}"));
            frame.Root.Add(c);
        }
        if (centres is not null)
            for (var k = 0; k < centres.Count; k++)
            {
                var (cx, cy) = (frame.Px(centres[k].X), frame.Py(centres[k].Y));
                frame.Root.Add(new XElement(Svg + "path", new XAttribute("class", "centre"),
                    new XAttribute("d", $"M{F(cx - 7)},{F(cy - 7)} L{F(cx + 7)},{F(cy + 7)} M{F(cx - 7)},{F(cy + 7)} L{F(cx + 7)},{F(cy - 7)}"),
                    new XAttribute("stroke", "black"), new XAttribute("stroke-width", "3")));
                frame.Root.Add(new XElement(Svg + "path", new XAttribute("d", $"M{F(cx - 6)},{F(cy - 6)} L{F(cx + 6)},{F(cy + 6)} M{F(cx - 6)},{F(cy + 6)} L{F(cx + 6)},{F(cy - 6)}"),
                    new XAttribute("stroke", Colour(k)), new XAttribute("stroke-width", "1.5")));
            }
        var legend = labels.Distinct().Order().Take(12).Select(l => (l < 0 ? $"noise ({labels.Count(v => v == l)} rows)" : $"cluster {l} ({labels.Count(v => v == l)} rows)", (string?)Colour(l))).ToList();
        if (centres is not null) legend.Add(("\u00d7 cluster centre", null));
        frame.Legend(legend);
        return Valid.Ok(frame.Root.ToString());
    }

    /// <summary>Renders run time against data size on log-log axes, one labelled point per run (e.g. a benchmark's tasks), with a dashed
    /// line of linear growth (time proportional to rows) through the smallest run and, given two or more sizes, the least-squares slope
    /// of log10 time on log10 rows (1 = linear, 2 = quadratic).</summary>
    /// <param name="runs">(label, rows, seconds) per run, at least one; rows and seconds finite and positive.</param>
    /// <param name="options">Title and size (Quantity and Unit are unused: the axes are rows and seconds).</param>
    /// <returns>SVG text with one <c>circle</c> of class <c>run</c> and one label per run and a <c>line</c> of class <c>linear</c>; or
    /// <c>data.empty</c> (no run) and <c>param.out_of_range</c> (a size or time that is not positive, naming the run).</returns>
    public static Validation<Problem, string> TimeVsRowsSvg(IReadOnlyList<(string Label, double Rows, double Seconds)> runs, PlotOptions options)
    {
        var problems = SizeProblems(options).ToList();
        if (runs.Count == 0) problems.Add(new Problem("data.empty", "no run to plot; run at least one task"));
        foreach (var r in runs.Where(r => !(double.IsFinite(r.Rows) && r.Rows > 0 && double.IsFinite(r.Seconds) && r.Seconds > 0)))
            problems.Add(new Problem("param.out_of_range", $"run '{r.Label}' has rows = {G(r.Rows)} and seconds = {G(r.Seconds)}; a log-log plot needs both positive"));
        if (problems.Count > 0) return Valid.Fail<string>(problems);
        // Whole decades on both axes, so every tick is a power of ten.
        double[] Decades(IEnumerable<double> v) => [Math.Pow(10, Math.Floor(Math.Log10(v.Min()))), Math.Pow(10, Math.Ceiling(Math.Log10(v.Max())))];
        var frame = new Frame(options, options.Title ?? "Time against rows", "Rows (log scale)", "Time (seconds, log scale)",
            Decades(runs.Select(r => r.Rows)), Decades(runs.Select(r => r.Seconds)), logX: true, logY: true);
        var first = runs.MinBy(r => r.Rows);
        var xs = Decades(runs.Select(r => r.Rows));
        // Linear growth through the smallest run, clipped to the plotted time range.
        var ys = Decades(runs.Select(r => r.Seconds));
        var (x0, x1) = (Math.Max(xs[0], first.Rows * ys[0] / first.Seconds), Math.Min(xs[1], first.Rows * ys[1] / first.Seconds));
        if (x1 > x0)
            frame.Root.Add(Line(frame.Px(x0), frame.Py(first.Seconds * x0 / first.Rows), frame.Px(x1), frame.Py(first.Seconds * x1 / first.Rows), "linear", Grey,
                ("stroke-dasharray", "6 4")));
        foreach (var r in runs)
        {
            var (px, py) = (frame.Px(r.Rows), frame.Py(r.Seconds));
            var c = Circle(px, py, 4.5, Blue, 1.0);
            c.Add(new XAttribute("class", "run"));
            frame.Root.Add(c);
            var text = $"{r.Label} ({r.Seconds.ToString("G3", CultureInfo.InvariantCulture)} s)";
            var right = px + 8 + SvgText.Width(text, 12) <= frame.Left + frame.W - 2;
            frame.Root.Add(Text(right ? px + 8 : px - 8, py - 6, text, right ? "start" : "end"));
        }
        var legend = new List<(string, string?)> { ("\u2013 \u2013 linear growth (time \u221d rows)", null) };
        var lx = runs.Select(r => Math.Log10(r.Rows)).ToArray();
        var ly = runs.Select(r => Math.Log10(r.Seconds)).ToArray();
        if (lx.Distinct().Count() >= 2)
        {
            double mx = 0, my = 0;
            for (var i = 0; i < lx.Length; i++) (mx, my) = (mx + lx[i], my + ly[i]);
            (mx, my) = (mx / lx.Length, my / lx.Length);
            double sxy = 0, sxx = 0;
            for (var i = 0; i < lx.Length; i++) (sxy, sxx) = (sxy + (lx[i] - mx) * (ly[i] - my), sxx + (lx[i] - mx) * (lx[i] - mx));
            legend.Add(($"log-log slope {(sxy / sxx).ToString("0.00", CultureInfo.InvariantCulture)} over {runs.Count} runs (1 = linear)", null));
        }
        frame.Legend(legend, left: true);
        return Valid.Ok(frame.Root.ToString());
    }

    /// <summary>matplotlib's <c>tab10</c> qualitative colours without its grey (light grey marks noise).</summary>
    private static readonly string[] Tab10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf"];

    /// <summary>The y-axis title of a metric with its unit: <c>MAE (eV)</c>, <c>MSE (eV²)</c>, <c>R²</c>.</summary>
    internal static string MetricTitle(string metric, PlotOptions o)
    {
        var unit = string.IsNullOrEmpty(o.Unit) ? "" : o.Unit;
        return metric switch
        {
            "mae" => $"MAE{UnitSuffix(unit)}",
            "rmse" => $"RMSE{UnitSuffix(unit)}",
            "max_error" => $"Max error{UnitSuffix(unit)}",
            "mse" => unit.Length == 0 ? "MSE" : $"MSE ({unit}\u00b2)",
            "r2" => "R\u00b2 (dimensionless)",
            "pearson_r" => "Pearson r (dimensionless)",
            "mape" or "mape_matbench" => "MAPE (fraction)",
            _ => metric,
        };
    }

    private static string UnitSuffix(string? unit) => string.IsNullOrEmpty(unit) ? "" : $" ({unit})";

    private static IEnumerable<Problem> SizeProblems(PlotOptions o)
    {
        if (o.Width < 200 || o.Height < 200)
            yield return new Problem("param.out_of_range", $"plot size {o.Width} x {o.Height} px is too small; use at least 200 x 200");
    }

    /// <summary>numpy's <c>histogram_bin_edges(bins="auto")</c> count: max(Freedman-Diaconis, Sturges), at most 200.</summary>
    internal static int AutoBins(double[] values)
    {
        var n = values.Length;
        var sturges = (int)Math.Ceiling(Math.Log2(n)) + 1;
        var sorted = values.Order().ToArray();
        double Percentile(double q)
        {
            var at = q * (n - 1);
            var lo = (int)Math.Floor(at);
            return lo + 1 < n ? sorted[lo] + (at - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
        }
        var width = 2 * (Percentile(0.75) - Percentile(0.25)) * Math.Pow(n, -1.0 / 3);
        var range = sorted[^1] - sorted[0];
        var fd = width > 0 && range > 0 ? (int)Math.Ceiling(range / width) : 1;
        return Math.Clamp(Math.Max(fd, sturges), 1, 200);
    }

    private static double Std(double[] v)
    {
        var m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / v.Length);
    }

    /// <summary>viridis at t in [0, 1], linear between 9 anchors of matplotlib's table.</summary>
    internal static string Viridis(double t)
    {
        (double R, double G, double B)[] anchors =
        [
            (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141), (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
        ];
        t = Math.Clamp(t, 0, 1) * (anchors.Length - 1);
        var i = Math.Min((int)t, anchors.Length - 2);
        var f = t - i;
        var (a, b) = (anchors[i], anchors[i + 1]);
        int C(double u, double v) => (int)Math.Round(u + f * (v - u));
        return $"#{C(a.R, b.R):x2}{C(a.G, b.G):x2}{C(a.B, b.B):x2}";
    }

    /// <summary>Axes, ticks, grid, titles and the mapping from data to pixels of one plot.</summary>
    private sealed class Frame
    {
        public readonly XElement Root;
        public readonly double Left = 80, Top = 50, W, H;
        private readonly double _xlo, _xhi, _ylo, _yhi;
        private readonly bool _logX, _logY;

        public Frame(PlotOptions o, string title, string xTitle, string yTitle, double[] xs, double[] ys, bool logX, bool padY = true, double rightMargin = 20, bool logY = false)
        {
            _logX = logX;
            _logY = logY;
            W = o.Width - Left - rightMargin;
            H = o.Height - Top - 70;
            var tx = logX ? xs.Select(Math.Log10).ToArray() : xs;
            (_xlo, _xhi) = Range(tx, true);
            (_ylo, _yhi) = Range(logY ? ys.Select(Math.Log10).ToArray() : ys, padY);
            Root = new XElement(Svg + "svg", new XAttribute("width", o.Width), new XAttribute("height", o.Height),
                new XAttribute("viewBox", $"0 0 {o.Width} {o.Height}"), new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", "12"),
                new XElement(Svg + "title", title),
                new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "white")),
                FittedText(o.Width / 2.0, Top / 2.0 + 5, title, 16, o.Width - 20));
            foreach (var v in Ticks(_xlo, _xhi, logX))
                Root.Add(Line(PxT(v), Top, PxT(v), Top + H, "grid", "#e5e5e5"), Line(PxT(v), Top + H, PxT(v), Top + H + 5, "tick", "black"),
                    Text(PxT(v), Top + H + 18, logX ? Math.Pow(10, v).ToString("G6", CultureInfo.InvariantCulture) : Label(v, _xlo, _xhi), "middle"));
            foreach (var v in Ticks(_ylo, _yhi, logY))
                Root.Add(Line(Left, PyT(v), Left + W, PyT(v), "grid", "#e5e5e5"), Line(Left - 5, PyT(v), Left, PyT(v), "tick", "black"),
                    Text(Left - 8, PyT(v) + 4, logY ? Math.Pow(10, v).ToString("G6", CultureInfo.InvariantCulture) : Label(v, _ylo, _yhi), "end"));
            Root.Add(new XElement(Svg + "rect", A("x", Left), A("y", Top), A("width", W), A("height", H), new XAttribute("fill", "none"), new XAttribute("stroke", "black")),
                FittedText(Left + W / 2, Top + H + 45, xTitle, 14, Math.Min(o.Width - 20, 2 * Math.Min(Left + W / 2, o.Width - Left - W / 2) - 10)),
                FittedText(0, 0, yTitle, 14, H + Top - 10, ("transform", $"translate({F(Left - 58)},{F(Top + H / 2)}) rotate(-90)")));
        }

        private double PxT(double t) => Left + (t - _xlo) / (_xhi - _xlo) * W;

        public double Px(double v) => PxT(_logX ? Math.Log10(v) : v);

        private double PyT(double t) => Top + H - (t - _ylo) / (_yhi - _ylo) * H;

        public double Py(double v) => PyT(_logY ? Math.Log10(v) : v);

        /// <summary>The legend box in the top right corner, or the top left with <paramref name="left"/>.</summary>
        public void Legend(IReadOnlyList<(string Text, string? Colour)> lines, bool left = false)
        {
            const double lineHeight = 16;
            var width = 30 + lines.Max(l => SvgText.Width(l.Text, 12));
            var (x, y) = (left ? Left + 10 : Left + W - 10 - width, Top + 10);
            var box = new XElement(Svg + "g", new XAttribute("class", "legend"),
                new XElement(Svg + "rect", A("x", x), A("y", y), A("width", width), A("height", 8 + lineHeight * lines.Count),
                    new XAttribute("fill", "white"), new XAttribute("fill-opacity", "0.85"), new XAttribute("stroke", "#999999")));
            for (var k = 0; k < lines.Count; k++)
            {
                var baseline = y + lineHeight * (k + 1);
                if (lines[k].Colour is string c)
                    box.Add(new XElement(Svg + "rect", A("x", x + 6), A("y", baseline - 9), A("width", 10), A("height", 10), new XAttribute("fill", c)));
                box.Add(Text(x + (lines[k].Colour is null ? 6 : 22), baseline, lines[k].Text, "start"));
            }
            Root.Add(box);
        }

        private static (double, double) Range(double[] v, bool pad)
        {
            var (min, max) = (v.Min(), v.Max());
            if (!pad) return max > min ? (min, max * 1.05 - min * 0.05) : (min - 0.5, max + 0.5);
            var p = max > min ? 0.05 * (max - min) : (min == 0 ? 1.0 : 0.1 * Math.Abs(min));
            return (min - p, max + p);
        }

        private static IEnumerable<double> Ticks(double lo, double hi, bool log)
        {
            var step = log ? Math.Max(1, Math.Floor((hi - lo) / 6) + 0) : Step(lo, hi);
            if (log && hi - lo < 1) step = Step(lo, hi);
            for (var t = Math.Ceiling(lo / step); t * step <= hi; t++) yield return Math.Abs(t * step) < step * 1e-9 ? 0.0 : t * step;
        }

        private static double Step(double lo, double hi)
        {
            var raw = (hi - lo) / 8;
            var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            return (raw / magnitude) switch { <= 1 => 1, <= 2 => 2, <= 5 => 5, _ => 10 } * magnitude;
        }

        private static string Label(double v, double lo, double hi)
        {
            var decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(Step(lo, hi))));
            return v.ToString("F" + decimals, CultureInfo.InvariantCulture);
        }
    }

    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static XAttribute A(string name, double v) => new(name, F(v));

    private static string Points(IEnumerable<(double X, double Y)> pts) => string.Join(" ", pts.Select(p => $"{F(p.X)},{F(p.Y)}"));

    private static XElement Circle(double x, double y, double r, string fill, double opacity) =>
        new(Svg + "circle", A("cx", x), A("cy", y), A("r", r), new XAttribute("fill", fill), new XAttribute("fill-opacity", F(opacity)));

    private static XElement Line(double x1, double y1, double x2, double y2, string cls, string stroke, params (string Name, string Value)[] extra)
    {
        var e = new XElement(Svg + "line", new XAttribute("class", cls), A("x1", x1), A("y1", y1), A("x2", x2), A("y2", y2), new XAttribute("stroke", stroke));
        foreach (var (n, v) in extra) e.Add(new XAttribute(n, v));
        return e;
    }

    /// <summary>A centred text line fitted to <paramref name="maxWidth"/> (smaller font, then an ellipsis: <see cref="SvgText.Fit"/>).</summary>
    private static XElement FittedText(double x, double y, string text, double fontSize, double maxWidth, params (string Name, string Value)[] extra)
    {
        var (shown, size) = SvgText.Fit(text, fontSize, maxWidth);
        return Text(x, y, shown, "middle", [("font-size", F(size)), .. extra]);
    }

    private static XElement Text(double x, double y, string text, string anchor, params (string Name, string Value)[] extra)
    {
        var e = new XElement(Svg + "text", A("x", x), A("y", y), new XAttribute("text-anchor", anchor), text);
        foreach (var (n, v) in extra) e.Add(new XAttribute(n, v));
        return e;
    }
}
