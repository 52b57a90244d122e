using PyCog.Simulation;

namespace PyCog.Analysis;

/// <summary>A reaction time: when an output first crossed the threshold (after a start time) and which.</summary>
public sealed record ReactionTimeResult(double? Time, int? Choice);

/// <summary>One point of a chronometric curve: mean reaction time (correct trials) at a stimulus strength.</summary>
public sealed record ChronometricPoint(double Strength, int Trials, double MeanRt, double StandardError);

/// <summary>Reaction times from output threshold crossings and the chronometric curve (rdm_rt, paper Fig. 2).</summary>
public static class ReactionTimes
{
    /// <summary>
    /// The first time at or after <paramref name="start"/> (ms) at which any output reaches
    /// <paramref name="threshold"/>; the reaction time is measured from <paramref name="start"/>.
    /// Null when no output crosses.
    /// </summary>
    public static ReactionTimeResult Measure(SimulatedTrial trial, double start, double threshold = 1.0)
    {
        for (int k = 0; k < trial.Count; k++)
        {
            if (trial.Time[k] < start) continue;
            for (int o = 0; o < trial.Nout; o++)
                if (trial.Output(o, k) >= threshold) return new(trial.Time[k] - start, o);
        }
        return new(null, null);
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
