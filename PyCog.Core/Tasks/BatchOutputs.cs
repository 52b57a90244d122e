namespace PyCog.Tasks;

/// <summary>
/// Network outputs z for a batch of trials, stored time-major (time x trial x output), the
/// layout in which the network produces them. Trials shorter than the batch are zero-padded.
/// </summary>
public sealed class BatchOutputs
{
    /// <summary>Time points (of the longest trial).</summary>
    public int Time { get; }
    /// <summary>Trials.</summary>
    public int Trials { get; }
    /// <summary>Outputs per time point.</summary>
    public int Nout { get; }
    /// <summary>Values, index (t * Trials + b) * Nout + o.</summary>
    public float[] Data { get; }

    /// <summary>Wraps outputs.</summary>
    public BatchOutputs(int time, int trials, int nout, float[] data)
    {
        if (data.Length != time * trials * nout) throw new ArgumentException($"Expected {time}x{trials}x{nout} outputs, got {data.Length}.");
        Time = time; Trials = trials; Nout = nout; Data = data;
    }

    /// <summary>Output <paramref name="o"/> of trial <paramref name="b"/> at time index <paramref name="t"/>.</summary>
    public float this[int b, int t, int o] => Data[(t * Trials + b) * Nout + o];

    /// <summary>The outputs of trial <paramref name="b"/> at time index <paramref name="t"/>.</summary>
    public ReadOnlySpan<float> At(int b, int t) => Data.AsSpan((t * Trials + b) * Nout, Nout);
}
