using PyCog.IO;
using PyCog.Network;
using PyCog.Numerics;

namespace PyCog.Simulation;

/// <summary>
/// A trained network ready to run outside training: its configuration and the effective
/// weights of its best parameters, with weights smaller than <c>threshold</c> in absolute value
/// set to zero (pycog does this on load).
/// </summary>
public sealed class TrainedNetwork
{
    /// <summary>Task the network was trained on (may be empty).</summary>
    public string Task { get; }
    /// <summary>The network (every default filled).</summary>
    public ResolvedNetworkConfig Network { get; }
    /// <summary>The network's configuration.</summary>
    public NetworkConfig Config => Network.Config;
    /// <summary>Effective input weights N x Nin, or null.</summary>
    public Matrix? Win { get; }
    /// <summary>Effective recurrent weights N x N.</summary>
    public Matrix Wrec { get; }
    /// <summary>Effective output weights Nout x N.</summary>
    public Matrix Wout { get; }
    /// <summary>Recurrent bias.</summary>
    public float[] Brec { get; }
    /// <summary>Output bias.</summary>
    public float[] Bout { get; }
    /// <summary>Initial state.</summary>
    public float[] X0 { get; }
    /// <summary>The file's record (training history, termination), when there is one.</summary>
    public SavedNetwork? Saved { get; }

    TrainedNetwork(string task, ResolvedNetworkConfig network, NetworkParameters p, double threshold, SavedNetwork? saved)
    {
        if (!(threshold >= 0)) throw new ArgumentOutOfRangeException(nameof(threshold), $"The load threshold must be non-negative, got {threshold}.");
        Task = task; Network = network; Saved = saved;
        var eff = EffectiveWeights.Compute(network, p);
        Win = eff.Win is null ? null : Clip(eff.Win, threshold);
        Wrec = Clip(eff.Wrec, threshold);
        Wout = Clip(eff.Wout, threshold);
        Brec = (float[])p.Brec.Clone(); Bout = (float[])p.Bout.Clone(); X0 = (float[])p.X0.Clone();
    }

    static Matrix Clip(Matrix m, double threshold)
    {
        var c = m.Clone();
        for (int k = 0; k < c.Data.Length; k++) if (Math.Abs(c.Data[k]) < threshold) c.Data[k] = 0;
        return c;
    }

    /// <summary>Loads the best parameters of a network file; <paramref name="threshold"/> overrides the file's (default 1e-4).</summary>
    public static TrainedNetwork Load(string path, double? threshold = null) => FromSaved(NetworkFile.Load(path), threshold);

    /// <summary>Wraps parameters directly.</summary>
    public static TrainedNetwork FromParameters(ResolvedNetworkConfig network, NetworkParameters parameters, double? threshold = null, string task = "") =>
        new(task, network, parameters, threshold ?? network.Config.Threshold, null);

    /// <summary>Wraps a trained network's best parameters (from a file or a training result).</summary>
    public static TrainedNetwork FromSaved(SavedNetwork saved, double? threshold = null) =>
        new(saved.Task, saved.Network, saved.Parameters, threshold ?? saved.Config.Threshold, saved);
}
