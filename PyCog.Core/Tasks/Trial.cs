using PyCog.Numerics;

namespace PyCog.Tasks;

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
