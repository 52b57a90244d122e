using PyCog.Simulation;

namespace PyCog.Analysis;

/// <summary>A reaction time (ms from stimulus onset) and the choice it belongs to; both null when no output crossed.</summary>
public sealed record ReactionTimeResult(double? Time, int? Choice);

/// <summary>One point of a chronometric curve: mean reaction time (correct trials) at a stimulus strength.</summary>
public sealed record ChronometricPoint(double Strength, int Trials, double MeanRt, double StandardError);

/// <summary>Reaction times from output threshold crossings and the chronometric curve (rdm_rt, paper Fig. 2).</summary>
public static class ReactionTimes
{
    /// <summary>
    /// pycog's rule (examples/analysis/rdm.py): the choice is the output that first exceeds
    /// <paramref name="threshold"/> (strictly), searching the whole trial from its start; when two
    /// outputs first exceed it at the same step, the later output wins (pycog's tie goes to
    /// output 1). The reaction time is that time minus <paramref name="stimulusOnset"/> (ms).
    /// Uses the crossings the integrator found at every step when it looked for this threshold
    /// (<c>SimulationOptions.CrossingThreshold</c>), else the recorded outputs. Null when no
    /// output crosses.
    /// </summary>
    public static ReactionTimeResult Measure(SimulatedTrial trial, double stimulusOnset, double threshold = 1.0)
    {
        var first = new double?[trial.Nout];
        if (trial.Crossings is { } crossings && trial.CrossingThreshold == threshold) crossings.CopyTo(first, 0);
        else
            for (int o = 0; o < trial.Nout; o++)
                for (int k = 0; k < trial.Count; k++)
                    if (trial.Output(o, k) > threshold) { first[o] = trial.Time[k]; break; }
        int? choice = null;
        for (int o = 0; o < trial.Nout; o++)
            if (first[o] is double t && (choice is null || t <= first[choice.Value]!.Value)) choice = o;
        return choice is int c ? new(first[c]!.Value - stimulusOnset, c) : new(null, null);
    }

    /// <summary>
    /// Mean reaction time of correct trials by unsigned strength. <paramref name="strength"/> gives a
    /// trial's strength (null skips it), <paramref name="start"/> its stimulus onset.
    /// </summary>
    public static IReadOnlyList<ChronometricPoint> Chronometric(IEnumerable<SimulatedTrial> trials, Func<SimulatedTrial, double?> strength,
        Func<SimulatedTrial, double> start, double threshold = 1.0)
    {
        var rows = new List<(double S, double Rt)>();
        foreach (var t in trials)
        {
            if (strength(t) is not double s || t.Info?.Choice is not int correct) continue;
            var rt = Measure(t, start(t), threshold);
            if (rt.Time is double time && rt.Choice == correct) rows.Add((s, time));
        }
        return rows.GroupBy(r => r.S).OrderBy(g => g.Key).Select(g =>
        {
            var v = g.Select(r => r.Rt).ToArray();
            double m = v.Average();
            double se = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Length - 1) / v.Length) : double.NaN;
            return new ChronometricPoint(g.Key, v.Length, m, se);
        }).ToList();
    }
}
