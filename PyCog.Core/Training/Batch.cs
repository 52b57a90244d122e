using PyCog.Tasks;

namespace PyCog.Training;

/// <summary>
/// A minibatch ready for the network, time-major (time x trial x channel): inputs with
/// baseline, noise and rectification applied; recurrent noise already multiplied by
/// sqrt(tau) sqrt(2 var_rec / dt); targets and mask zero-padded after each trial's end.
/// </summary>
public sealed class Batch
{
    /// <summary>Time points (of the longest trial).</summary>
    public int Time { get; }
    /// <summary>Trials.</summary>
    public int Trials { get; }
    /// <summary>Input channels.</summary>
    public int Nin { get; }
    /// <summary>Recurrent units.</summary>
    public int N { get; }
    /// <summary>Outputs.</summary>
    public int Nout { get; }
    /// <summary>Inputs u, index (t * Trials + b) * Nin + i.</summary>
    public float[] Inputs { get; }
    /// <summary>Recurrent noise, index (t * Trials + b) * N + i.</summary>
    public float[] RecurrentNoise { get; }
    /// <summary>Targets, index (t * Trials + b) * Nout + o.</summary>
    public float[] Targets { get; }
    /// <summary>Mask, same layout as the targets.</summary>
    public float[] Mask { get; }
    /// <summary>The trials (for performance measures); may be empty for synthetic batches.</summary>
    public IReadOnlyList<Trial> TrialList { get; }

    /// <summary>Wraps arrays, checking their lengths and values.</summary>
    public Batch(int time, int trials, int nin, int n, int nout, float[] inputs, float[] recurrentNoise, float[] targets, float[] mask, IReadOnlyList<Trial>? trialList = null)
    {
        if (time <= 0 || trials <= 0) throw new ArgumentException($"A batch needs at least one time point and one trial, got {time}x{trials}.");
        Check(inputs, time * trials * nin, "inputs");
        Check(recurrentNoise, time * trials * n, "recurrent noise");
        Check(targets, time * trials * nout, "targets");
        Check(mask, time * trials * nout, "mask");
        Time = time; Trials = trials; Nin = nin; N = n; Nout = nout;
        Inputs = inputs; RecurrentNoise = recurrentNoise; Targets = targets; Mask = mask;
        TrialList = trialList ?? Array.Empty<Trial>();
    }

    static void Check(float[] a, int expected, string name)
    {
        if (a.Length != expected) throw new ArgumentException($"Batch {name} have {a.Length} values, expected {expected}.");
        // One vectorised pass (a validation set's noise is tens of megabytes); the scalar loop only to name the index.
        if (System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(a)) return;
        for (int i = 0; i < a.Length; i++)
            if (!float.IsFinite(a[i])) throw new ArgumentException($"Batch {name} contain a NaN or infinite value at flat index {i}.");
    }

    /// <summary>Sum of the mask (the loss normaliser).</summary>
    public double MaskSum()
    {
        double s = 0;
        foreach (var m in Mask) s += m;
        return s;
    }
}
