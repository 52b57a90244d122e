using PyCog.Network;

namespace PyCog.IO;

/// <summary>One validation: trials seen, validation cost (loss + regularisers), RMSE and task performance.</summary>
public sealed record ValidationRecord(long Trials, double Cost, double Rmse, double? Performance);

/// <summary>The best validation of a run: its iteration, cost, RMSE and task performance (null before the first).</summary>
public sealed record BestValidation(long Iteration, double Cost, double Rmse, double? Performance)
{
    /// <summary>Before any validation.</summary>
    public static BestValidation None { get; } = new(1, double.PositiveInfinity, double.NaN, null);
}

/// <summary>
/// A trained network as its file records it, read-only: what Simulation, Analysis and Plotting
/// read. The parameters are the best ones (lowest validation cost). The state a run needs to
/// resume (latest parameters, generator states) belongs to <c>PyCog.Training.Checkpoint</c>.
/// </summary>
public sealed record SavedNetwork
{
    /// <summary>Task name.</summary>
    public required string Task { get; init; }
    /// <summary>Engine that trained it (fused or torch).</summary>
    public required string Engine { get; init; }
    /// <summary>Initialisation seed.</summary>
    public required long Seed { get; init; }
    /// <summary>The network (fixed recurrent weights already scaled with Wrec at initialisation).</summary>
    public required ResolvedNetworkConfig Network { get; init; }
    /// <summary>The best raw parameters.</summary>
    public required NetworkParameters Parameters { get; init; }
    /// <summary>True once training stopped for good; false while the run may continue.</summary>
    public bool Finished { get; init; }
    /// <summary>Why training stopped; null while it has not.</summary>
    public Termination? Termination { get; init; }
    /// <summary>Gradient trials seen.</summary>
    public long Trials { get; init; }
    /// <summary>Training wall time, seconds.</summary>
    public double ElapsedSeconds { get; init; }
    /// <summary>The best validation.</summary>
    public BestValidation Best { get; init; } = BestValidation.None;
    /// <summary>Every validation.</summary>
    public IReadOnlyList<ValidationRecord> History { get; init; } = [];
    /// <summary>(trials, lambda_Omega * Omega of the last step) at each validation.</summary>
    public IReadOnlyList<(long Trials, double Omega)> OmegaHistory { get; init; } = [];
    /// <summary>Training settings under pycog's names, as text (the network's settings are in <see cref="Network"/>).</summary>
    public IReadOnlyDictionary<string, string> TrainingSettings { get; init; } = new Dictionary<string, string>();
    /// <summary>Extra information (for example the command line).</summary>
    public IReadOnlyDictionary<string, string> Notes { get; init; } = new Dictionary<string, string>();
    /// <summary>Version of the library that wrote the file.</summary>
    public string LibraryVersion { get; init; } = typeof(SavedNetwork).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The network's configuration (every default filled).</summary>
    public NetworkConfig Config => Network.Config;

    /// <summary>
    /// The reproducibility contract the file was written under (its "reproducibility" setting); a
    /// file without one was written before the setting existed, under contract 1.
    /// </summary>
    public int Reproducibility =>
        TrainingSettings.TryGetValue("reproducibility", out var v) && int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int c) ? c : 1;

    /// <summary>Effective weights of the best parameters (what the dynamics use).</summary>
    public EffectiveWeights Effective() => EffectiveWeights.Compute(Network, Parameters);
}
