namespace PyCog.Tasks;

/// <summary>Time grids and epoch index sets (pycog's <c>get_epochs_idx</c>).</summary>
public static class TimeGrid
{
    /// <summary>The times dt, 2dt, ..., T: int(T/dt) points spaced evenly from dt to T.</summary>
    public static double[] Times(double dt, double t)
    {
        if (!(dt > 0)) throw new ArgumentOutOfRangeException(nameof(dt), $"dt must be positive, got {dt}.");
        int n = (int)(t / dt + 1e-9);
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(t), $"T = {t} ms is shorter than one time step dt = {dt} ms.");
        var times = new double[n];
        if (n == 1) { times[0] = dt; return times; }
        // np.linspace(dt, T, n): even spacing from dt to T
        for (int i = 0; i < n; i++) times[i] = dt + (t - dt) * i / (n - 1);
        return times;
    }

    /// <summary>Indices i with start &lt; times[i] &lt;= end.</summary>
    public static int[] Indices(double[] times, double start, double end)
    {
        var idx = new List<int>();
        for (int i = 0; i < times.Length; i++)
            if (start < times[i] && times[i] <= end) idx.Add(i);
        return idx.ToArray();
    }
}
