using System.Globalization;
using PyCog.Analysis;
using PyCog.IO;
using PyCog.Plotting;
using PyCog.Simulation;
using PyCog.Training;

namespace PyCog.Interactive;

/// <summary>
/// The rich displays of PyCog's objects as HTML: what a notebook shows for a bare expression (the
/// kernel extension registers them as formatters). Plain functions, so they can be used and
/// tested outside a kernel.
/// </summary>
public static class Displays
{
    /// <summary>
    /// A trained network's card: task, size and E/I split, training (trials, best performance or
    /// RMSE, termination), the spectral radius of its effective recurrent weights, and the weight
    /// matrix (excitatory units first).
    /// </summary>
    public static string Network(TrainedNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var c = network.Config;
        var rows = new List<(string, string)>
        {
            ("task", Html.Text(network.Task.Length > 0 ? network.Task : "(none)")),
            ("units", Html.Text(c.Ei is { } ei ? $"{c.N} ({ei.Count(v => v > 0)} excitatory, {ei.Count(v => v < 0)} inhibitory)" : $"{c.N} (no Dale's law)")),
            ("inputs, outputs", $"{c.Nin}, {c.Nout}"),
            ("spectral radius of W_rec", Html.Number(network.Wrec.SpectralRadius(), "F3")),
        };
        if (network.Saved is { } saved) rows.AddRange(Training(saved));
        string matrix = ChartHtml.Render(Charts.WeightMatrix(network.Wrec, c.Ei, "W_rec (effective, E units first)"));
        return Html.Card("Trained network", rows, matrix);
    }

    /// <summary>A saved network's card (see <see cref="Network(TrainedNetwork)"/>).</summary>
    public static string Network(SavedNetwork saved) => Network(TrainedNetwork.FromSaved(saved));

    /// <summary>A training run's outcome with the card of the network it kept.</summary>
    public static string Result(TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string head = Html.Card("Training result",
        [
            ("stopped", Html.Text($"{result.Termination}{(result.CriterionReached ? " (criterion reached)" : "")}")),
            ("trials", result.TrialsSeen.ToString("N0", CultureInfo.InvariantCulture)),
            ("wall time", Html.Number(result.Seconds, "F1") + " s"),
        ]);
        return head + Network(result.Trained);
    }

    static IEnumerable<(string, string)> Training(SavedNetwork saved)
    {
        var best = saved.Best;
        yield return ("trained", Html.Text($"{saved.Trials:N0} trials, {saved.ElapsedSeconds:F0} s, {saved.Engine} engine, seed {saved.Seed}"));
        yield return ("best validation", best.Performance is double p
            ? $"{Html.Number(p, "F1")}% correct (RMSE {Html.Number(best.Rmse, "F4")})"
            : $"RMSE {Html.Number(best.Rmse, "F4")}");
        yield return ("termination", Html.Text(saved.Termination?.ToString() ?? (saved.Finished ? "finished" : "still training (resumable)")));
    }

    /// <summary>A psychometric fit: the function and each parameter with its standard error.</summary>
    public static string Fit(PsychometricFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var rows = fit.Parameters.Select(kv =>
        {
            string se = fit.StandardErrors.TryGetValue(kv.Key, out var e) ? " &plusmn; " + Html.Number(e) : "";
            return (kv.Key, Html.Number(kv.Value) + se);
        });
        return Html.Card($"Psychometric fit: {fit.Function.Replace('_', ' ')} (value ± standard error)", rows);
    }

    /// <summary>
    /// Simulated trials summarised by condition: trials, fraction choosing each output (or
    /// percent correct where the correct choice is known), and the mean reaction time where
    /// threshold crossings were recorded.
    /// </summary>
    public static string Trials(IEnumerable<SimulatedTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var list = trials as IReadOnlyList<SimulatedTrial> ?? trials.ToList();
        if (list.Count == 0) return "<div style=\"font-family:sans-serif\">No simulated trials.</div>";
        bool choices = list.Any(t => t.Info?.Choice is not null);
        bool times = list.Any(t => t.CrossingThreshold is not null);
        var header = new List<string> { "condition", "trials" };
        if (choices) header.Add("% correct");
        if (times) header.Add("mean RT (ms)");
        var groups = list.GroupBy(t => Condition(t)).OrderBy(g => g.Key, StringComparer.Ordinal);
        var rows = groups.Select(g =>
        {
            var row = new List<string> { Html.Text(g.Key), g.Count().ToString(CultureInfo.InvariantCulture) };
            if (choices)
            {
                var known = g.Where(t => t.Info?.Choice is not null).ToList();
                row.Add(known.Count == 0 ? "" : Html.Number(100.0 * known.Count(t => t.Choice == t.Info!.Choice) / known.Count, "F1"));
            }
            if (times)
            {
                var rts = g.Select(ReactionTime).Where(rt => rt is not null).Select(rt => rt!.Value).ToList();
                row.Add(rts.Count == 0 ? "" : Html.Number(rts.Average(), "F0"));
            }
            return (IReadOnlyList<string>)row;
        }).ToList();
        var first = list[0];
        string caption = $"<div style=\"font-family:sans-serif;font-size:13px;margin:4px 0\"><b>{list.Count:N0} simulated trials</b>, {first.N} units, " +
            $"{Html.Number(first.Time[^1], "F0")} ms recorded every {Html.Number(first.Time.Length > 1 ? first.Time[1] - first.Time[0] : 0, "G3")} ms</div>";
        return caption + Html.Table(header, rows);
    }

    static string Condition(SimulatedTrial t) => t.Info is not { IsCatch: false } info ? "catch" :
        string.Join(", ", info.ConditionForJson().Select(kv => $"{kv.Key} = {Format(kv.Value)}"));

    static string Format(object v) => v switch
    {
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        float f => f.ToString("G4", CultureInfo.InvariantCulture),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>pycog's reaction time (from stimulus onset, the trial's "stimulus" epoch, else its start) at the crossings the integrator recorded.</summary>
    static double? ReactionTime(SimulatedTrial t) => t.CrossingThreshold is double threshold
        ? ReactionTimes.Measure(t, t.Trial?.Epochs.TryGetValue("stimulus", out var s) == true ? s.Start : 0, threshold).Time
        : null;
}
