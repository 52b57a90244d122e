using PyCog.Simulation;

namespace PyCog.Analysis;

/// <summary>Analyses specific to one paper task (Figs. 6-8).</summary>
public static class TaskAnalyses
{
    /// <summary>
    /// Romo (Fig. 7): each unit's tuning to f1 during the delay, as the least-squares slope of its
    /// mean rate in [<paramref name="from"/>, <paramref name="to"/>] ms on f1, and the correlation.
    /// </summary>
    public static (double Slope, double Correlation)[] F1Tuning(IReadOnlyList<SimulatedTrial> trials, double from, double to)
    {
        var withF1 = trials.Where(t => t.Info is { IsCatch: false } && t.Info.Condition.ContainsKey("f1")).ToList();
        if (withF1.Count < 3) throw new ArgumentException("F1 tuning needs at least three trials with an f1.");
        int n = withF1[0].N;
        var f1 = withF1.Select(t => Convert.ToDouble(t.Info!.Condition["f1"], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var rates = withF1.Select(t =>
        {
            var m = new double[n];
            int c = 0;
            for (int k = 0; k < t.Count; k++)
                if (t.Time[k] >= from && t.Time[k] <= to) { c++; for (int i = 0; i < n; i++) m[i] += t.R[k * n + i]; }
            if (c > 0) for (int i = 0; i < n; i++) m[i] /= c;
            return m;
        }).ToArray();
        double fm = f1.Average(), fv = f1.Sum(v => (v - fm) * (v - fm));
        var result = new (double, double)[n];
        for (int i = 0; i < n; i++)
        {
            double rm = rates.Average(r => r[i]);
            double cov = 0, rv = 0;
            for (int k = 0; k < f1.Length; k++) { cov += (f1[k] - fm) * (rates[k][i] - rm); rv += (rates[k][i] - rm) * (rates[k][i] - rm); }
            result[i] = (cov / fv, rv > 0 ? cov / Math.Sqrt(fv * rv) : 0);
        }
        return result;
    }

    /// <summary>
    /// Multisensory (Fig. 6): per modality, the psychometric curve of "high" choices (choice 0)
    /// against frequency and its cumulative-Gaussian fit; the threshold is the fitted sigma.
    /// </summary>
    public static IReadOnlyList<(string Modality, IReadOnlyList<PsychometricPoint> Points, PsychometricFit Fit)> ModalityThresholds(IReadOnlyList<SimulatedTrial> trials) =>
        trials.Where(t => t.Info is { IsCatch: false } && t.Info.Condition.ContainsKey("modality"))
            .GroupBy(t => (string)t.Info!.Condition["modality"])
            .OrderBy(g => g.Key.Length).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var points = Psychometric.Curve(g, t => Convert.ToDouble(t.Info!.Condition["freq"], System.Globalization.CultureInfo.InvariantCulture), choice: 0);
                return (g.Key, points, Psychometric.FitCumulativeGaussian(points));
            }).ToList();

    /// <summary>Lee (Fig. 8): the mean (x, y) output trajectory of each sequence.</summary>
    public static IReadOnlyList<(int Sequence, double[] Time, double[] X, double[] Y)> OutputTrajectories(IReadOnlyList<SimulatedTrial> trials) =>
        trials.Where(t => t.Info is not null && t.Info.Condition.ContainsKey("seq") && t.Nout >= 2)
            .GroupBy(t => Convert.ToInt32(t.Info!.Condition["seq"], System.Globalization.CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                int count = g.Min(t => t.Count);
                var x = new double[count]; var y = new double[count];
                foreach (var t in g) for (int k = 0; k < count; k++) { x[k] += t.Output(0, k); y[k] += t.Output(1, k); }
                int m = g.Count();
                for (int k = 0; k < count; k++) { x[k] /= m; y[k] /= m; }
                return (g.Key, g.First().Time[..count], x, y);
            }).ToList();
}
