using PyCog.IO;
using PyCog.Network;
using PyCog.Numerics;

namespace PyCog.Analysis;

/// <summary>Histogram counts over equal-width bins.</summary>
public sealed record Histogram(double[] Edges, int[] Counts);

/// <summary>Connection density of one matrix: the fraction of non-zero entries, overall and by presynaptic type.</summary>
public sealed record ConnectionDensity(string Matrix, double Overall, double FromExcitatory, double FromInhibitory);

/// <summary>Data for the connectivity figures (paper Fig. 3): signed weights, histograms, densities.</summary>
public static class ConnectivityAnalysis
{
    /// <summary>Units ordered excitatory first, then inhibitory (the order of E/I heat maps).</summary>
    public static int[] EiOrder(int[]? ei, int n) =>
        ei is null ? Enumerable.Range(0, n).ToArray() : Enumerable.Range(0, n).OrderBy(i => ei[i] > 0 ? 0 : 1).ThenBy(i => i).ToArray();

    /// <summary>A histogram of the non-zero entries of <paramref name="m"/> (absolute values when <paramref name="absolute"/>).</summary>
    public static Histogram WeightHistogram(Matrix m, int bins = 50, bool absolute = true)
    {
        var v = m.Data.Where(w => w != 0).Select(w => absolute ? Math.Abs((double)w) : w).ToArray();
        if (v.Length == 0) return new Histogram([0, 1], new int[1]);
        double lo = v.Min(), hi = v.Max();
        if (hi <= lo) hi = lo + 1e-9;
        var edges = Enumerable.Range(0, bins + 1).Select(i => lo + (hi - lo) * i / bins).ToArray();
        var counts = new int[bins];
        foreach (var w in v) counts[Math.Min(bins - 1, (int)((w - lo) / (hi - lo) * bins))]++;
        return new Histogram(edges, counts);
    }

    /// <summary>Densities of Win, Wrec and Wout of a trained network's effective weights.</summary>
    public static IReadOnlyList<ConnectionDensity> Densities(NetworkConfig config, EffectiveWeights w)
    {
        var list = new List<ConnectionDensity>();
        ConnectionDensity D(string name, Matrix m, bool byPresynaptic)
        {
            double all = m.Data.Count(v => v != 0) / (double)m.Data.Length;
            if (!byPresynaptic || config.Ei is null) return new(name, all, double.NaN, double.NaN);
            double Frac(int sign)
            {
                int total = 0, nz = 0;
                for (int i = 0; i < m.Rows; i++) for (int j = 0; j < m.Cols; j++) if (config.Ei[j] == sign) { total++; if (m[i, j] != 0) nz++; }
                return total == 0 ? double.NaN : nz / (double)total;
            }
            return new(name, all, Frac(1), Frac(-1));
        }
        if (w.Win is not null) list.Add(D("Win", w.Win, false));
        list.Add(D("Wrec", w.Wrec, true));
        list.Add(D("Wout", w.Wout, true));
        return list;
    }

    /// <summary>Validation performance (or RMSE when a task has no performance) against trials seen.</summary>
    public static (double[] Trials, double[] Values, string Measure) TrainingCurve(SavedNetwork run)
    {
        bool perf = run.History.Any(h => h.Performance is not null);
        return (run.History.Select(h => (double)h.Trials).ToArray(),
                run.History.Select(h => perf ? h.Performance ?? double.NaN : h.Rmse).ToArray(),
                perf ? "performance (% correct)" : "RMSE");
    }
}
