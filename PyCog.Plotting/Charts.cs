using PyCog.Analysis;
using PyCog.IO;
using PyCog.Numerics;
using PyCog.Simulation;
using XPlot.Plotly;

namespace PyCog.Plotting;

/// <summary>
/// Chart builders for the paper's figures. Each takes the data an analysis returned and gives a
/// Plotly chart (XPlot.Plotly, which displays in .NET Interactive notebooks with
/// <c>display(HTML(chart.GetInlineHtml()))</c>, or use <see cref="ChartExport"/>).
/// </summary>
public static class Charts
{
    const string Blue = "#1f77b4", Red = "#d62728";

    static PlotlyChart Finish(PlotlyChart chart, string title, string xTitle, string yTitle, int width = 700, int height = 450)
    {
        chart.WithTitle(title);
        chart.WithXTitle(xTitle);
        chart.WithYTitle(yTitle);
        chart.WithWidth(width);
        chart.WithHeight(height);
        return chart;
    }

    static double[] Linspace(double a, double b, int n) => Enumerable.Range(0, n).Select(i => a + (b - a) * i / (n - 1)).ToArray();

    /// <summary>Psychometric curves (one per series), each with its fitted function when given.</summary>
    public static PlotlyChart Psychometric(IEnumerable<(string Name, IReadOnlyList<PsychometricPoint> Points, PsychometricFit? Fit)> series,
        string xTitle = "signed coherence (%)", string yTitle = "fraction choice 1", string title = "Psychometric function")
    {
        var traces = new List<Trace>();
        foreach (var (name, points, fit) in series)
        {
            traces.Add(new Scatter
            {
                x = points.Select(p => p.Stimulus).ToArray(), y = points.Select(p => p.ChoiceFraction).ToArray(),
                mode = "markers", name = name,
                error_y = new Error_y { type = "data", array = points.Select(p => p.StandardError).ToArray(), visible = true },
            });
            if (fit is not null)
            {
                var xs = Linspace(points.Min(p => p.Stimulus), points.Max(p => p.Stimulus), 200);
                traces.Add(new Scatter { x = xs, y = xs.Select(fit.Curve).ToArray(), mode = "lines", name = $"{name} fit", showlegend = false });
            }
        }
        return Finish(Chart.Plot(traces), title, xTitle, yTitle);
    }

    /// <summary>Mean reaction time of correct trials against stimulus strength.</summary>
    public static PlotlyChart Chronometric(IReadOnlyList<ChronometricPoint> points, string xTitle = "coherence (%)") =>
        Finish(Chart.Plot(new Scatter
        {
            x = points.Select(p => p.Strength).ToArray(), y = points.Select(p => p.MeanRt).ToArray(), mode = "lines+markers", name = "RT",
            error_y = new Error_y { type = "data", array = points.Select(p => double.IsNaN(p.StandardError) ? 0 : p.StandardError).ToArray(), visible = true },
        }), "Chronometric function", xTitle, "reaction time (ms)");

    /// <summary>Condition-averaged activity of one unit, one line per condition.</summary>
    public static PlotlyChart UnitActivity(IReadOnlyList<ConditionAverage> averages, int unit, string title = "") =>
        Finish(Chart.Plot(averages.Select(a => new Scatter
        {
            x = a.Time, y = Enumerable.Range(0, a.Time.Length).Select(k => a.Rates[k, unit]).ToArray(), mode = "lines", name = a.Condition,
        })), title.Length > 0 ? title : $"Unit {unit}", "time (ms)", "rate");

    /// <summary>Network outputs over time for a few trials.</summary>
    public static PlotlyChart Outputs(IEnumerable<SimulatedTrial> trials, string title = "Outputs") =>
        Finish(Chart.Plot(trials.SelectMany((t, i) => Enumerable.Range(0, t.Nout).Select(o => new Scatter
        {
            x = t.Time, y = t.OutputTrace(o).Select(v => (double)v).ToArray(), mode = "lines", name = $"trial {i} z{o}",
        }))), title, "time (ms)", "output");

    /// <summary>
    /// Two outputs read as a position on a screen (Fig. 8): one path per sequence, with the
    /// targets marked and numbered.
    /// </summary>
    public static PlotlyChart ScreenPaths(IEnumerable<(string Name, double[] X, double[] Y)> paths, IReadOnlyList<(double X, double Y)> targets, string title = "Output on the screen")
    {
        var traces = new List<Trace>
        {
            new Scatter
            {
                x = targets.Select(t => t.X).ToArray(), y = targets.Select(t => t.Y).ToArray(), mode = "markers+text", name = "targets",
                text = Enumerable.Range(0, targets.Count).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                textposition = "top right", marker = new Marker { size = 14, color = "#bbbbbb" },
            },
        };
        traces.AddRange(paths.Select(p => new Scatter { x = p.X, y = p.Y, mode = "lines", name = p.Name }));
        return Finish(Chart.Plot(traces), title, "output x", "output y", 650, 600);
    }

    /// <summary>Output traces against their targets over time (for example a free-running generator).</summary>
    public static PlotlyChart OutputVersusTarget(double[] time, double[] output, double[] target, string title = "Output and target") =>
        Finish(Chart.Plot(new[]
        {
            new Scatter { x = time, y = target, mode = "lines", name = "target", line = new Line { dash = "dash", color = "#999999" } },
            new Scatter { x = time, y = output, mode = "lines", name = "output" },
        }), title, "time (ms)", "output");

    /// <summary>Named lines against a common kind of x (for example a fitted threshold against a parameter).</summary>
    public static PlotlyChart Lines(IEnumerable<(string Name, double[] X, double[] Y)> series, string title, string xTitle, string yTitle) =>
        Finish(Chart.Plot(series.Select(s => new Scatter { x = s.X, y = s.Y, mode = "lines+markers", name = s.Name })), title, xTitle, yTitle);

    /// <summary>Trajectories projected on two axes (state space), one line per condition.</summary>
    /// <remarks>
    /// <paramref name="points"/> (fixed and slow points, already projected on the same axes) are
    /// drawn on top: stable as filled black circles, saddles as open circles, unstable and
    /// marginal as crosses.
    /// </remarks>
    public static PlotlyChart StateSpace(IEnumerable<(string Name, double[,] Projection)> trajectories, int xAxis, int yAxis, string xTitle, string yTitle, string title = "State space",
        IEnumerable<(double[] Projection, Stability Stability)>? points = null)
    {
        var traces = trajectories.Select(t => new Scatter
        {
            x = Enumerable.Range(0, t.Projection.GetLength(0)).Select(k => t.Projection[k, xAxis]).ToArray(),
            y = Enumerable.Range(0, t.Projection.GetLength(0)).Select(k => t.Projection[k, yAxis]).ToArray(),
            mode = "lines", name = t.Name,
        }).ToList();
        foreach (var group in (points ?? []).GroupBy(p => p.Stability).OrderBy(g => g.Key))
        {
            string symbol = group.Key switch { Stability.Stable => "circle", Stability.Saddle => "circle-open", _ => "x" };
            traces.Add(new Scatter
            {
                x = group.Select(p => p.Projection[xAxis]).ToArray(), y = group.Select(p => p.Projection[yAxis]).ToArray(),
                mode = "markers", name = $"{group.Key.ToString().ToLowerInvariant()} points",
                marker = new Marker { symbol = symbol, size = 9, color = "black" },
            });
        }
        return Finish(Chart.Plot(traces), title, xTitle, yTitle, 600, 550);
    }

    /// <summary>
    /// A weight matrix as a heat map with units ordered E then I: excitatory weights blue,
    /// inhibitory red (the signed effective weights make the colour).
    /// </summary>
    public static PlotlyChart WeightMatrix(Matrix w, int[]? ei, string title, bool rowsAreUnits = true, bool colsAreUnits = true, int width = 600, int height = 550)
    {
        var rowOrder = rowsAreUnits ? ConnectivityAnalysis.EiOrder(ei, w.Rows) : Enumerable.Range(0, w.Rows).ToArray();
        var colOrder = colsAreUnits ? ConnectivityAnalysis.EiOrder(ei, w.Cols) : Enumerable.Range(0, w.Cols).ToArray();
        double max = Math.Max(1e-12, w.Data.Max(v => Math.Abs((double)v)));
        var z = rowOrder.Select(i => colOrder.Select(j => (double)w[i, j]).ToArray()).ToArray();
        var heat = new Heatmap
        {
            z = z, zmin = -max, zmax = max,
            colorscale = new object[] { new object[] { 0.0, Red }, new object[] { 0.5, "#ffffff" }, new object[] { 1.0, Blue } },
        };
        var chart = Chart.Plot(heat);
        chart.WithLayout(new Layout.Layout { title = title, yaxis = new Yaxis { autorange = "reversed", title = "to" }, xaxis = new Xaxis { title = "from" }, width = width, height = height });
        chart.WithWidth(width);
        chart.WithHeight(height);
        return chart;
    }

    /// <summary>A histogram of weights.</summary>
    public static PlotlyChart WeightHistogram(PyCog.Analysis.Histogram h, string title) =>
        Finish(Chart.Plot(new Bar
        {
            x = h.Edges.Take(h.Counts.Length).Select((e, i) => (e + h.Edges[i + 1]) / 2).ToArray(), y = h.Counts, name = "weights",
        }), title, "|weight|", "count", 600, 400);

    /// <summary>Validation performance (or RMSE) against trials seen, one line per run (several seeds on one plot: paper Fig. 9).</summary>
    public static PlotlyChart TrainingCurves(IEnumerable<(string Name, SavedNetwork Network)> runs, string title = "Training", bool logTrials = false)
    {
        string measure = "performance";
        var traces = runs.Select(r =>
        {
            var (trials, values, m) = ConnectivityAnalysis.TrainingCurve(r.Network);
            measure = m;
            // A log axis cannot show the validation before the first step (0 trials).
            var keep = Enumerable.Range(0, trials.Length).Where(i => !logTrials || trials[i] > 0).ToArray();
            return new Scatter { x = keep.Select(i => trials[i]).ToArray(), y = keep.Select(i => values[i]).ToArray(), mode = "lines+markers", name = r.Name };
        }).ToList();
        var chart = Finish(Chart.Plot(traces), title, logTrials ? "trials (log scale)" : "trials", measure);
        if (logTrials) chart.WithLayout(new Layout.Layout { title = title, xaxis = new Xaxis { type = "log", title = "trials (log scale)" }, yaxis = new Yaxis { title = measure }, width = 700, height = 450 });
        return chart;
    }

    /// <summary>
    /// Trials each trained network needed, one marker per network grouped by task on a log axis,
    /// with the task's median as a bar (paper Fig. 9's spread across seeds); networks that did not
    /// reach their criterion are left out and counted in the title. A sweep's networks:
    /// <c>SweepResults.Collect(file).Select(r =&gt; r.Trained)</c>; a run without a file counts as not reached.
    /// </summary>
    public static PlotlyChart TrialsToCriterion(IEnumerable<SavedNetwork?> networks, string title = "Trials to criterion")
    {
        var all = networks.ToList();
        var reached = all.OfType<SavedNetwork>().Where(n => n.Termination?.Reached == true).ToList();
        var tasks = reached.Select(n => n.Task).Distinct().ToList();
        var median = new Bar
        {
            x = tasks.ToArray(), name = "median", opacity = 0.35,
            y = tasks.Select(t => { var v = reached.Where(n => n.Task == t).Select(n => (double)n.Trials).Order().ToList(); return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2; }).ToArray(),
        };
        var runs = new Scatter
        {
            x = reached.Select(n => n.Task).ToArray(), y = reached.Select(n => (double)n.Trials).ToArray(), mode = "markers", name = "runs",
            text = reached.Select(n => $"seed {n.Seed}").ToArray(),
        };
        int missing = all.Count - reached.Count;
        string full = missing == 0 ? title : $"{title} ({missing} of {all.Count} runs not reached)";
        var chart = Finish(Chart.Plot(new Trace[] { median, runs }), full, "task", "trials (log scale)", 800, 450);
        chart.WithLayout(new Layout.Layout { title = full, yaxis = new Yaxis { type = "log", title = "trials (log scale)" }, xaxis = new Xaxis { title = "task" }, width = 800, height = 450 });
        return chart;
    }

    /// <summary>Variance explained by each principal component.</summary>
    public static PlotlyChart ExplainedVariance(PcaResult pca, int k = 10) =>
        Finish(Chart.Plot(new Bar { x = Enumerable.Range(1, Math.Min(k, pca.ExplainedVariance.Length)).ToArray(), y = pca.ExplainedVariance.Take(k).ToArray() }),
            "PCA", "component", "fraction of variance", 500, 400);
}
