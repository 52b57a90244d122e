using System.Globalization;
using Plotly.NET;
using PyCog.Analysis;
using PyCog.IO;
using PyCog.Numerics;
using PyCog.Simulation;
using static PyCog.Plotting.Plot;
using Mode = Plotly.NET.StyleParam.Mode;

namespace PyCog.Plotting;

/// <summary>
/// Chart builders for the paper's figures. Each takes the data an analysis returned and gives a
/// Plotly.NET chart in the paper look (<see cref="PaperStyle"/>) at a journal size: a bare chart
/// displays in a notebook (PyCog.Interactive's formatter), <see cref="ChartExport"/> writes PNG and
/// SVG, and <see cref="PaperFigure"/> lays several out as one figure with panel letters.
/// </summary>
public static class Charts
{
    const string Blue = "#1f77b4", Red = "#d62728";

    static double[] Linspace(double a, double b, int n) => Enumerable.Range(0, n).Select(i => a + (b - a) * i / (n - 1)).ToArray();

    /// <summary>Psychometric curves (one per series), each with its fitted function when given.</summary>
    public static GenericChart Psychometric(IEnumerable<(string Name, IReadOnlyList<PsychometricPoint> Points, PsychometricFit? Fit)> series,
        string xTitle = "signed coherence (%)", string yTitle = "fraction choice 1", string title = "Psychometric function")
    {
        var charts = new List<GenericChart>();
        int k = 0;
        foreach (var (name, points, fit) in series)
        {
            string colour = PaperStyle.Colours[k++ % PaperStyle.Colours.Length];
            charts.Add(WithYErrors(Scatter(points.Select(p => p.Stimulus).ToArray(), points.Select(p => p.ChoiceFraction).ToArray(), name, Mode.Markers, colour: colour),
                points.Select(p => p.StandardError).ToArray()));
            if (fit is not null)
            {
                var xs = Linspace(points.Min(p => p.Stimulus), points.Max(p => p.Stimulus), 200);
                charts.Add(Scatter(xs, xs.Select(fit.Curve).ToArray(), $"{name} fit", Mode.Lines, showLegend: false, colour: colour));
            }
        }
        return Finish(Combine(charts), title, xTitle, yTitle);
    }

    /// <summary>Percent correct against stimulus duration, one line per strength (paper Fig. 2B).</summary>
    public static GenericChart CorrectByDuration(IEnumerable<(double Strength, IReadOnlyList<DurationPoint> Points)> series, string strengthUnit = "%",
        string title = "Percent correct by stimulus duration")
    {
        var chart = Combine(series.Select(s => Scatter(s.Points.Select(p => p.Duration).ToArray(), s.Points.Select(p => p.PercentCorrect).ToArray(),
            $"{s.Strength.ToString("G3", CultureInfo.InvariantCulture)}{strengthUnit}", Mode.Lines_Markers)).ToList());
        return Finish(chart, title, "stimulus duration (ms)", "percent correct");
    }

    /// <summary>Mean reaction time of correct trials against stimulus strength.</summary>
    public static GenericChart Chronometric(IReadOnlyList<ChronometricPoint> points, string xTitle = "coherence (%)", string title = "Chronometric function") =>
        Finish(WithYErrors(Scatter(points.Select(p => p.Strength).ToArray(), points.Select(p => p.MeanRt).ToArray(), "RT", Mode.Lines_Markers, showLegend: false),
            points.Select(p => double.IsNaN(p.StandardError) ? 0 : p.StandardError).ToArray()), title, xTitle, "reaction time (ms)");

    /// <summary>Condition-averaged activity of one unit, one line per condition.</summary>
    public static GenericChart UnitActivity(IReadOnlyList<ConditionAverage> averages, int unit, string title = "") =>
        Finish(Combine(averages.Select(a => Scatter(a.Time, Enumerable.Range(0, a.Time.Length).Select(k => a.Rates[k, unit]).ToArray(), a.Condition, Mode.Lines))),
            title.Length > 0 ? title : $"Unit {unit}", "time (ms)", "rate");

    /// <summary>Network outputs over time for a few trials.</summary>
    public static GenericChart Outputs(IEnumerable<SimulatedTrial> trials, string title = "Outputs") =>
        Finish(Combine(trials.SelectMany((t, i) => Enumerable.Range(0, t.Nout).Select(o =>
            Scatter(t.Time, t.OutputTrace(o).Select(v => (double)v).ToArray(), $"trial {i} z{o}", Mode.Lines)))), title, "time (ms)", "output");

    /// <summary>
    /// Two outputs read as a position on a screen (Fig. 8): one path per sequence, with the
    /// targets marked and numbered.
    /// </summary>
    public static GenericChart ScreenPaths(IEnumerable<(string Name, double[] X, double[] Y)> paths, IReadOnlyList<(double X, double Y)> targets, string title = "Output on the screen")
    {
        var marks = With(Scatter(targets.Select(t => t.X).ToArray(), targets.Select(t => t.Y).ToArray(), "targets", Mode.Markers_Text), t =>
        {
            t.SetProperty("text", Enumerable.Range(0, targets.Count).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray());
            t.SetProperty("textposition", "top right");
            t.SetProperty("marker", Obj(("size", 10), ("color", "#bbbbbb")));
        });
        var chart = Combine(paths.Select(p => Scatter(p.X, p.Y, p.Name, Mode.Lines)).Prepend(marks));
        Axis(chart, "yaxis", ("scaleanchor", "x"));   // a screen: equal units on both axes
        return Finish(chart, title, "output x", "output y", PaperStyle.SingleColumnMm, 80);
    }

    /// <summary>Output traces against their targets over time (for example a free-running generator).</summary>
    public static GenericChart OutputVersusTarget(double[] time, double[] output, double[] target, string title = "Output and target") =>
        Finish(Combine([Scatter(time, target, "target", Mode.Lines, colour: "#999999", dash: "dash"), Scatter(time, output, "output", Mode.Lines, colour: Blue)]),
            title, "time (ms)", "output");

    /// <summary>Named lines against a common kind of x (for example a fitted threshold against a parameter).</summary>
    public static GenericChart Lines(IEnumerable<(string Name, double[] X, double[] Y)> series, string title, string xTitle, string yTitle) =>
        Finish(Combine(series.Select(s => Scatter(s.X, s.Y, s.Name, Mode.Lines_Markers))), title, xTitle, yTitle);

    /// <summary>Trajectories projected on two axes (state space), one line per condition.</summary>
    /// <remarks>
    /// <paramref name="points"/> (fixed and slow points, already projected on the same axes) are
    /// drawn on top: stable as filled black circles, saddles as open circles, unstable and
    /// marginal as crosses.
    /// </remarks>
    public static GenericChart StateSpace(IEnumerable<(string Name, double[,] Projection)> trajectories, int xAxis, int yAxis, string xTitle, string yTitle, string title = "State space",
        IEnumerable<(double[] Projection, Stability Stability)>? points = null)
    {
        var charts = trajectories.Select(t => Scatter(
            Enumerable.Range(0, t.Projection.GetLength(0)).Select(k => t.Projection[k, xAxis]).ToArray(),
            Enumerable.Range(0, t.Projection.GetLength(0)).Select(k => t.Projection[k, yAxis]).ToArray(), t.Name, Mode.Lines)).ToList();
        foreach (var group in (points ?? []).GroupBy(p => p.Stability).OrderBy(g => g.Key))
        {
            string symbol = group.Key switch { Stability.Stable => "circle", Stability.Saddle => "circle-open", _ => "x" };
            charts.Add(With(Scatter(group.Select(p => p.Projection[xAxis]).ToArray(), group.Select(p => p.Projection[yAxis]).ToArray(),
                $"{group.Key.ToString().ToLowerInvariant()} points", Mode.Markers), t => t.SetProperty("marker", Obj(("symbol", symbol), ("size", 7), ("color", "black")))));
        }
        return Finish(Combine(charts), title, xTitle, yTitle, PaperStyle.SingleColumnMm, 75);
    }

    /// <summary>
    /// A weight matrix as a heat map with units ordered E then I: excitatory weights blue,
    /// inhibitory red (the signed effective weights make the colour).
    /// </summary>
    public static GenericChart WeightMatrix(Matrix w, int[]? ei, string title, bool rowsAreUnits = true, bool colsAreUnits = true,
        double widthMm = PaperStyle.SingleColumnMm, double heightMm = 75)
    {
        var rowOrder = rowsAreUnits ? ConnectivityAnalysis.EiOrder(ei, w.Rows) : Enumerable.Range(0, w.Rows).ToArray();
        var colOrder = colsAreUnits ? ConnectivityAnalysis.EiOrder(ei, w.Cols) : Enumerable.Range(0, w.Cols).ToArray();
        double max = Math.Max(1e-12, w.Data.Max(v => Math.Abs((double)v)));
        var z = rowOrder.Select(i => colOrder.Select(j => (double)w[i, j]).ToArray()).ToArray();
        var heat = Plotly.NET.CSharp.Chart.Heatmap<double, int, int, string>(z, ShowScale: true);
        With(heat, t =>
        {
            t.SetProperty("zmin", -max);
            t.SetProperty("zmax", max);
            t.SetProperty("colorscale", new object[] { new object[] { 0.0, Red }, new object[] { 0.5, "#ffffff" }, new object[] { 1.0, Blue } });
            t.SetProperty("colorbar", Obj(("thickness", 8), ("outlinewidth", 0)));
        });
        Axis(heat, "yaxis", ("autorange", "reversed"));
        return Finish(heat, title, "from", "to", widthMm, heightMm);
    }

    /// <summary>A histogram of weights.</summary>
    public static GenericChart WeightHistogram(PyCog.Analysis.Histogram h, string title) =>
        Finish(Plotly.NET.CSharp.Chart.Column<double, double, string>(h.Counts.Select(c => (double)c).ToArray(),
            Keys: h.Edges.Take(h.Counts.Length).Select((e, i) => (e + h.Edges[i + 1]) / 2).ToArray(), Name: "weights"), title, "|weight|", "count");

    /// <summary>Validation performance (or RMSE) against trials seen, one line per run (several seeds on one plot: paper Fig. 9).</summary>
    public static GenericChart TrainingCurves(IEnumerable<(string Name, SavedNetwork Network)> runs, string title = "Training", bool logTrials = false)
    {
        string measure = "performance";
        var charts = runs.Select(r =>
        {
            var (trials, values, m) = ConnectivityAnalysis.TrainingCurve(r.Network);
            measure = m;
            // A log axis cannot show the validation before the first step (0 trials).
            var keep = Enumerable.Range(0, trials.Length).Where(i => !logTrials || trials[i] > 0).ToArray();
            return Scatter(keep.Select(i => (double)trials[i]).ToArray(), keep.Select(i => values[i]).ToArray(), r.Name, Mode.Lines_Markers);
        }).ToList();
        var chart = Combine(charts);
        if (logTrials) Axis(chart, "xaxis", ("type", "log"), ("dtick", 1));   // labels at powers of ten only
        return Finish(chart, title, logTrials ? "trials (log scale)" : "trials", measure);
    }

    /// <summary>
    /// Trials each trained network needed, one marker per network grouped by task on a log axis,
    /// with the task's median as a bar (paper Fig. 9's spread across seeds); networks that did not
    /// reach their criterion are left out and counted in the title. A sweep's networks:
    /// <c>SweepResults.Collect(file).Select(r =&gt; r.Trained)</c>; a run without a file counts as not reached.
    /// </summary>
    public static GenericChart TrialsToCriterion(IEnumerable<SavedNetwork?> networks, string title = "Trials to criterion")
    {
        var all = networks.ToList();
        var reached = all.OfType<SavedNetwork>().Where(n => n.Termination?.Reached == true).ToList();
        var tasks = reached.Select(n => n.Task).Distinct().ToList();
        var medians = tasks.Select(t => { var v = reached.Where(n => n.Task == t).Select(n => (double)n.Trials).Order().ToList(); return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2; }).ToArray();
        var median = With(Plotly.NET.CSharp.Chart.Column<double, string, string>(medians, Keys: tasks, Name: "median"), t => t.SetProperty("opacity", 0.35));
        var runs = With(Plotly.NET.CSharp.Chart.Point<string, double, string>(reached.Select(n => n.Task), reached.Select(n => (double)n.Trials), Name: "runs"),
            t => { t.SetProperty("text", reached.Select(n => $"seed {n.Seed}").ToArray()); t.SetProperty("marker", Obj(("size", 5))); });
        int missing = all.Count - reached.Count;
        string full = missing == 0 ? title : $"{title} ({missing} of {all.Count} runs not reached)";
        var chart = Combine([median, runs]);
        Axis(chart, "yaxis", ("type", "log"), ("dtick", 1));   // labels at powers of ten only
        return Finish(chart, full, "task", "trials (log scale)", PaperStyle.DoubleColumnMm, 70);
    }

    /// <summary>Variance explained by each principal component.</summary>
    public static GenericChart ExplainedVariance(PcaResult pca, int k = 10) =>
        Finish(Plotly.NET.CSharp.Chart.Column<double, int, string>(pca.ExplainedVariance.Take(k).ToArray(),
            Keys: Enumerable.Range(1, Math.Min(k, pca.ExplainedVariance.Length)).ToArray(), Name: "variance"), "PCA", "component", "fraction of variance");
}
