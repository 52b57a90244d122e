using PyCog.Numerics;

namespace PyCog.Tasks;

/// <summary>Which dataset a trial is generated for (pycog's <c>params['name']</c>).</summary>
public enum TrialKind
{
    /// <summary>Gradient minibatches: random conditions.</summary>
    Gradient,
    /// <summary>Validation: conditions cycled by minibatch index, catch trial at index 0.</summary>
    Validation,
    /// <summary>Analysis trials (usually a longer fixation).</summary>
    Test,
}

/// <summary>What the trial is about: its condition values and correct choice (empty for catch trials).</summary>
public sealed class TrialInfo
{
    /// <summary>Condition values by name (for example coh and in_out).</summary>
    public IReadOnlyDictionary<string, object> Condition { get; }
    /// <summary>Correct choice (output index), or null for catch trials.</summary>
    public int? Choice { get; }
    /// <summary>True for a catch trial (no stimulus, no decision).</summary>
    public bool IsCatch { get; }

    /// <summary>Creates the info of a trial with a condition (choice null for tasks without a choice).</summary>
    public TrialInfo(IReadOnlyDictionary<string, object> condition, int? choice) { Condition = condition; Choice = choice; }

    TrialInfo() { Condition = new Dictionary<string, object>(); IsCatch = true; }

    /// <summary>The info of a catch trial.</summary>
    public static TrialInfo Catch { get; } = new();
}

/// <summary>
/// One trial: time points <c>dt, 2dt, ..., T</c>, named epochs, inputs (time x Nin), target
/// outputs and mask (time x Nout, when requested), and the trial's condition.
/// </summary>
public sealed class Trial
{
    /// <summary>Time step, ms.</summary>
    public double Dt { get; }
    /// <summary>Duration, ms.</summary>
    public double T { get; }
    /// <summary>Times of the samples, ms: dt, 2 dt, ..., T (int(T/dt) points).</summary>
    public double[] Times { get; }
    /// <summary>Epochs by name: (start, end] in ms.</summary>
    public IReadOnlyDictionary<string, (double Start, double End)> Epochs { get; }
    /// <summary>Inputs, time x Nin (before baseline and noise).</summary>
    public Matrix Inputs { get; }
    /// <summary>Target outputs, time x Nout, or null when not requested.</summary>
    public Matrix? Outputs { get; }
    /// <summary>Target mask, time x Nout, or null (all ones).</summary>
    public Matrix? Mask { get; }
    /// <summary>Condition and correct choice.</summary>
    public TrialInfo Info { get; }

    /// <summary>Creates a trial, checking that array lengths match the time axis.</summary>
    public Trial(double dt, double t, double[] times, IReadOnlyDictionary<string, (double, double)> epochs,
        Matrix inputs, Matrix? outputs, Matrix? mask, TrialInfo info)
    {
        Dt = dt; T = t; Times = times; Epochs = epochs; Inputs = inputs; Outputs = outputs; Mask = mask; Info = info;
        if (inputs.Rows != times.Length) throw new ArgumentException($"inputs have {inputs.Rows} rows, the trial {times.Length} time points.");
        if (outputs is not null && outputs.Rows != times.Length) throw new ArgumentException($"outputs have {outputs.Rows} rows, the trial {times.Length} time points.");
        if (mask is not null && (outputs is null || mask.Rows != outputs.Rows || mask.Cols != outputs.Cols))
            throw new ArgumentException("mask must have the shape of the outputs.");
    }

    /// <summary>Number of time points.</summary>
    public int Length => Times.Length;

    /// <summary>Indices i with start &lt; t_i &lt;= end for the named epoch.</summary>
    public int[] EpochIndices(string epoch) =>
        Epochs.TryGetValue(epoch, out var e) ? TimeGrid.Indices(Times, e.Start, e.End)
        : throw new KeyNotFoundException($"The trial has no epoch '{epoch}' (it has: {string.Join(", ", Epochs.Keys)}).");
}

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
