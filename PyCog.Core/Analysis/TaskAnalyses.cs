using PyCog.Simulation;
using PyCog.Tasks;

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
        var withF1 = trials.Where(t => t.Condition is RomoCondition).ToList();
        if (withF1.Count < 3) throw new ArgumentException("F1 tuning needs at least three trials with an f1.");
        int n = withF1[0].N;
        var f1 = withF1.Select(t => (double)t.ConditionAs<RomoCondition>().F1).ToArray();
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
        trials.Where(t => t.Condition is MultisensoryCondition)
            .GroupBy(t => t.ConditionAs<MultisensoryCondition>().Modality)
            .OrderBy(g => g.Key.Length).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var points = Psychometric.Curve(g, t => t.ConditionAs<MultisensoryCondition>().Frequency, choice: 0);
                return (g.Key, points, Psychometric.FitCumulativeGaussian(points));
            }).ToList();

    /// <summary>Lee (Fig. 8): the mean (x, y) output trajectory of each sequence.</summary>
    public static IReadOnlyList<(int Sequence, double[] Time, double[] X, double[] Y)> OutputTrajectories(IReadOnlyList<SimulatedTrial> trials) =>
        trials.Where(t => t.Condition is SequenceCondition && t.Nout >= 2)
            .GroupBy(t => t.ConditionAs<SequenceCondition>().Sequence)
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

    /// <summary>
    /// pycog's analyses plot rdm's coherence as 3.2 coh percent (examples/analysis/rdm.py, SCALE):
    /// the input's deviation from 0.5 is 3.2 coh / 200, so the paper's axis reads 3.2-51.2%.
    /// </summary>
    public const double RdmCoherenceScale = 3.2;
    /// <summary>pycog's analyses plot mante's coherences as 5 coh percent (examples/analysis/mante.py, SCALE).</summary>
    public const double ManteCoherenceScale = 5;

    /// <summary>rdm: the signed coherence in the paper's percent, 3.2 coh in_out (+ is evidence for choice 0).</summary>
    public static double RdmSignedCoherence(SimulatedTrial t) => RdmCoherenceScale * t.ConditionAs<DotsCondition>().SignedCoherence;

    /// <summary>rdm: the (unsigned) coherence in the paper's percent, 3.2 coh.</summary>
    public static double RdmCoherence(SimulatedTrial t) => RdmCoherenceScale * t.ConditionAs<DotsCondition>().Coherence;

    /// <summary>Context task: the signed coherence of stimulus "m" (motion) or "c" (colour), + as evidence for choice 0, in task units.</summary>
    static int SignedCoherence(SimulatedTrial t, string stimulus) =>
        stimulus == "m" ? t.ConditionAs<ContextCondition>().SignedMotion : t.ConditionAs<ContextCondition>().SignedColour;

    /// <summary>
    /// Mante (Figs. 4, 5): per context ("m" motion, "c" colour), the fraction of choice 0 against the
    /// signed motion coherence and against the signed colour coherence (+ is evidence for choice
    /// 0), each with its cumulative-Gaussian fit: steep for the relevant stimulus, flat for the other.
    /// </summary>
    public static IReadOnlyList<ContextPsychometric> ContextPsychometrics(IReadOnlyList<SimulatedTrial> trials)
    {
        var result = new List<ContextPsychometric>();
        foreach (var g in trials.Where(t => t.Condition is ContextCondition)
                     .GroupBy(t => t.ConditionAs<ContextCondition>().Context).OrderByDescending(g => g.Key, StringComparer.Ordinal))
            foreach (var (stimulus, key) in new[] { ("motion", "m"), ("colour", "c") })
            {
                var points = Psychometric.Curve(g, t => ManteCoherenceScale * SignedCoherence(t, key), choice: 0);
                result.Add(new ContextPsychometric(g.Key, stimulus, g.Key == key, points, Psychometric.FitCumulativeGaussian(points)));
            }
        return result;
    }

    /// <summary>
    /// Mante (Fig. 4): the choice, motion, colour and context axes of the targeted dimensionality
    /// reduction over the window [<paramref name="from"/>, <paramref name="to"/>] ms of every
    /// non-catch trial (regressors: choice +1 for choice 0, signed motion and colour coherence
    /// with + as evidence for choice 0, context +1 for motion), and the condition-averaged
    /// trajectories of correct trials projected on them: per context, grouped by choice and signed
    /// motion coherence ("motion") and by choice and signed colour coherence ("colour").
    /// </summary>
    public static (TaskAxes Axes, IReadOnlyList<ContextTrajectory> Trajectories) ContextStateSpace(IReadOnlyList<SimulatedTrial> trials, double from, double to, int components = 12)
    {
        var used = trials.Where(t => t.Condition is ContextCondition && t.Nout >= 2).ToList();
        if (used.Count < 8) throw new ArgumentException("The context state space needs at least eight answered non-catch trials.");
        var windows = used.Select(t => Enumerable.Range(0, t.Count).Where(k => t.Time[k] >= from && t.Time[k] <= to).ToArray()).ToList();
        int length = windows.Min(w => w.Length), n = used[0].N;
        if (length < 2) throw new ArgumentException($"The window [{from}, {to}] ms holds fewer than two recorded time points.");
        var rates = used.Select((t, i) =>
        {
            var m = new double[length, n];
            for (int k = 0; k < length; k++) for (int u = 0; u < n; u++) m[k, u] = t.R[windows[i][k] * n + u];
            return m;
        }).ToList();
        var (mean, sd) = TargetedDimensionalityReduction.ZScoreParameters(rates);
        var z = rates.Select(r => TargetedDimensionalityReduction.ZScore(r, mean, sd)).ToList();
        int Motion(SimulatedTrial t) => SignedCoherence(t, "m");
        int Colour(SimulatedTrial t) => SignedCoherence(t, "c");
        string Context(SimulatedTrial t) => t.ConditionAs<ContextCondition>().Context;
        var regressors = new double[used.Count, 4];
        for (int i = 0; i < used.Count; i++)
        {
            regressors[i, 0] = used[i].Choice == 0 ? 1 : -1;
            regressors[i, 1] = Motion(used[i]);
            regressors[i, 2] = Colour(used[i]);
            regressors[i, 3] = Context(used[i]) == "m" ? 1 : -1;
        }
        List<double[,]> Average(IEnumerable<IGrouping<string, int>> groups) => groups.Select(g =>
        {
            var m = new double[length, n];
            int c = 0;
            foreach (int i in g) { c++; for (int k = 0; k < length; k++) for (int u = 0; u < n; u++) m[k, u] += z[i][k, u]; }
            for (int k = 0; k < length; k++) for (int u = 0; u < n; u++) m[k, u] /= c;
            return m;
        }).ToList();
        var denoise = Average(Enumerable.Range(0, used.Count).GroupBy(i => $"{Context(used[i])} {used[i].Choice} {Motion(used[i])} {Colour(used[i])}"));
        var axes = TargetedDimensionalityReduction.Find(z, regressors, ["choice", "motion", "colour", "context"], [0, 1, 2, 3], denoise, components)
            with { Mean = mean, Sd = sd };
        var correct = Enumerable.Range(0, used.Count).Where(i => used[i].Choice == used[i].Info!.Choice).ToList();
        var result = new List<ContextTrajectory>();
        foreach (var context in correct.Select(i => Context(used[i])).Distinct().Order(StringComparer.Ordinal))
            foreach (var (sortedBy, signed) in new (string, Func<SimulatedTrial, int>)[] { ("motion", Motion), ("colour", Colour) })
                foreach (var g in correct.Where(i => Context(used[i]) == context).GroupBy(i => (Choice: used[i].Choice, Signed: signed(used[i]))).OrderBy(g => g.Key.Choice).ThenBy(g => g.Key.Signed))
                    result.Add(new ContextTrajectory(context, sortedBy, g.Key.Choice, g.Key.Signed, axes.Project(Average(g.GroupBy(_ => ""))[0])));
        return (axes, result);
    }
}

/// <summary>A condition-averaged trajectory on the task axes (time x axes): context, the variable it is sorted by, choice and signed coherence.</summary>
public sealed record ContextTrajectory(string Context, string SortedBy, int Choice, int SignedCoherence, double[,] Projection)
{
    /// <summary>A legend label such as "choice 0, +10".</summary>
    public string Label => $"choice {Choice}, {SignedCoherence:+0;-0;0}";
}

/// <summary>One psychometric curve of the context task: the context, the stimulus on the x axis, whether it is the relevant one, the points and fit.</summary>
public sealed record ContextPsychometric(string Context, string Stimulus, bool Relevant, IReadOnlyList<PsychometricPoint> Points, PsychometricFit Fit)
{
    /// <summary>"motion" or "colour": the context's name.</summary>
    public string ContextName => Context == "m" ? "motion" : "colour";
}
