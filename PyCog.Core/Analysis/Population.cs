using MathNet.Numerics.LinearAlgebra;
using PyCog.Simulation;

namespace PyCog.Analysis;

/// <summary>Average activity of one condition: time x units, aligned to a common time axis.</summary>
public sealed record ConditionAverage(string Condition, double[] Time, double[,] Rates, int Trials);

/// <summary>Principal components of population activity.</summary>
public sealed record PcaResult(double[,] Components, double[] ExplainedVariance, double[] Mean)
{
    /// <summary>Projects a states x units matrix onto the first <paramref name="k"/> components.</summary>
    public double[,] Project(double[,] states, int k)
    {
        int t = states.GetLength(0), n = states.GetLength(1);
        var p = new double[t, k];
        for (int i = 0; i < t; i++)
            for (int c = 0; c < k; c++)
            {
                double s = 0;
                for (int u = 0; u < n; u++) s += (states[i, u] - Mean[u]) * Components[c, u];
                p[i, c] = s;
            }
        return p;
    }
}

/// <summary>
/// Population analyses of simulated trials: condition-averaged (and sorted) single-unit activity,
/// active units, choice selectivity and d', and PCA.
/// </summary>
public static class Population
{
    /// <summary>
    /// Averages rates over the trials of each condition (the key given by <paramref name="condition"/>;
    /// null skips a trial), over the common recorded time points (trials are cut to the shortest of
    /// their group). Conditions are sorted by key.
    /// </summary>
    public static IReadOnlyList<ConditionAverage> ConditionAverages(IEnumerable<SimulatedTrial> trials, Func<SimulatedTrial, string?> condition)
    {
        var result = new List<ConditionAverage>();
        foreach (var g in trials.Select(t => (Key: condition(t), Trial: t)).Where(p => p.Key is not null).GroupBy(p => p.Key!).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var list = g.Select(p => p.Trial).ToList();
            int count = list.Min(t => t.Count), n = list[0].N;
            var rates = new double[count, n];
            foreach (var t in list)
                for (int k = 0; k < count; k++)
                    for (int i = 0; i < n; i++) rates[k, i] += t.R[k * n + i];
            for (int k = 0; k < count; k++) for (int i = 0; i < n; i++) rates[k, i] /= list.Count;
            result.Add(new ConditionAverage(g.Key, list[0].Time[..count], rates, list.Count));
        }
        return result;
    }

    /// <summary>Units whose time-averaged rate, over every trial, exceeds <paramref name="threshold"/>.</summary>
    public static int[] ActiveUnits(IReadOnlyList<SimulatedTrial> trials, double threshold = 0.05)
    {
        int n = trials[0].N;
        var mean = new double[n];
        long count = 0;
        foreach (var t in trials)
        {
            for (int k = 0; k < t.Count; k++) for (int i = 0; i < n; i++) mean[i] += t.R[k * n + i];
            count += t.Count;
        }
        return Enumerable.Range(0, n).Where(i => mean[i] / count > threshold).ToArray();
    }

    /// <summary>
    /// Choice selectivity of each unit: d' = (m0 - m1) / sqrt((v0 + v1) / 2) of its mean rate in the
    /// window [<paramref name="from"/>, <paramref name="to"/>] ms, between trials whose network choice is 0 and 1.
    /// </summary>
    public static double[] ChoiceDPrime(IReadOnlyList<SimulatedTrial> trials, double from, double to)
    {
        int n = trials[0].N;
        double[] Window(SimulatedTrial t)
        {
            var m = new double[n];
            int c = 0;
            for (int k = 0; k < t.Count; k++)
            {
                if (t.Time[k] < from || t.Time[k] > to) continue;
                for (int i = 0; i < n; i++) m[i] += t.R[k * n + i];
                c++;
            }
            if (c > 0) for (int i = 0; i < n; i++) m[i] /= c;
            return m;
        }
        var g0 = trials.Where(t => t.Choice == 0).Select(Window).ToList();
        var g1 = trials.Where(t => t.Choice == 1).Select(Window).ToList();
        if (g0.Count < 2 || g1.Count < 2) throw new ArgumentException("d' needs at least two trials of each choice.");
        var d = new double[n];
        for (int i = 0; i < n; i++)
        {
            double m0 = g0.Average(v => v[i]), m1 = g1.Average(v => v[i]);
            double v0 = g0.Sum(v => (v[i] - m0) * (v[i] - m0)) / (g0.Count - 1), v1 = g1.Sum(v => (v[i] - m1) * (v[i] - m1)) / (g1.Count - 1);
            double pooled = Math.Sqrt((v0 + v1) / 2);
            d[i] = pooled > 0 ? (m0 - m1) / pooled : 0;
        }
        return d;
    }

    /// <summary>Units ordered by decreasing |d'| (the sorting of single-unit plots).</summary>
    public static int[] SortBySelectivity(double[] dPrime) => Enumerable.Range(0, dPrime.Length).OrderByDescending(i => Math.Abs(dPrime[i])).ToArray();

    /// <summary>PCA of stacked states (rows: time points of every condition; columns: units), via SVD.</summary>
    public static PcaResult Pca(IEnumerable<double[,]> blocks)
    {
        var list = blocks.ToList();
        int n = list[0].GetLength(1), rows = list.Sum(b => b.GetLength(0));
        var x = Matrix<double>.Build.Dense(rows, n);
        int r = 0;
        foreach (var b in list)
            for (int i = 0; i < b.GetLength(0); i++, r++)
                for (int j = 0; j < n; j++) x[r, j] = b[i, j];
        var mean = Enumerable.Range(0, n).Select(j => x.Column(j).Average()).ToArray();
        for (int i = 0; i < rows; i++) for (int j = 0; j < n; j++) x[i, j] -= mean[j];
        var svd = x.Svd(computeVectors: true);
        var s = svd.S.ToArray();
        double total = s.Sum(v => v * v);
        int k = Math.Min(rows, n);
        var comps = new double[k, n];
        for (int c = 0; c < k; c++) for (int j = 0; j < n; j++) comps[c, j] = svd.VT[c, j];
        return new PcaResult(comps, s.Take(k).Select(v => v * v / total).ToArray(), mean);
    }
}
