using System.Globalization;
using System.Text.Json.Nodes;
using PyCog.IO;
using PyCog.Network;

namespace PyCog.Training;

/// <summary>
/// The trainer's state, everything a run needs to resume exactly where it stopped: the network,
/// its training settings, the latest and the best parameters, the histories, the iteration and
/// the two data generators' states. It is stored in the network file (see <see cref="NetworkFile"/>)
/// next to the trained network, which <see cref="ToSavedNetwork"/> gives as read-only data.
/// </summary>
public sealed class Checkpoint
{
    /// <summary>Task name.</summary>
    public required string Task { get; init; }
    /// <summary>Engine that trains the run.</summary>
    public required string Engine { get; set; }
    /// <summary>The network (fixed recurrent weights already scaled with Wrec).</summary>
    public required ResolvedNetworkConfig Network { get; init; }
    /// <summary>The training settings (validated for <see cref="Network"/>).</summary>
    public required TrainingConfig Training { get; init; }
    /// <summary>Parameters at the latest step.</summary>
    public required NetworkParameters Current { get; set; }
    /// <summary>Parameters with the lowest validation cost (what the trained network keeps).</summary>
    public required NetworkParameters Best { get; set; }
    /// <summary>The best validation so far.</summary>
    public BestValidation BestValidation { get; set; } = BestValidation.None;
    /// <summary>Next gradient step to take (1-based, pycog's convention).</summary>
    public long Iteration { get; set; } = 1;
    /// <summary>Iteration at which the last validation ran (it is not repeated on resume).</summary>
    public long ValidatedAt { get; set; }
    /// <summary>Every validation so far.</summary>
    public List<ValidationRecord> History { get; init; } = new();
    /// <summary>(trials, lambda_Omega * Omega of the last step) at each validation.</summary>
    public List<(long Trials, double Omega)> OmegaHistory { get; init; } = new();
    /// <summary>State of the gradient dataset's generator.</summary>
    public required ulong[] GradientRng { get; set; }
    /// <summary>State of the validation dataset's generator.</summary>
    public required ulong[] ValidationRng { get; set; }
    /// <summary>Trials drawn by the gradient dataset.</summary>
    public long GradientTrials { get; set; }
    /// <summary>Trials drawn by the validation dataset.</summary>
    public long ValidationTrials { get; set; }
    /// <summary>Training wall time so far, seconds.</summary>
    public double ElapsedSeconds { get; set; }
    /// <summary>True once the run stopped for good.</summary>
    public bool Finished { get; set; }
    /// <summary>Why training stopped (also set for a cancelled, resumable run).</summary>
    public Termination? Termination { get; set; }
    /// <summary>Version of the library that wrote the file.</summary>
    public string LibraryVersion { get; set; } = typeof(Checkpoint).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    /// <summary>Adam's moments and step count (null for SGD).</summary>
    public AdamState? Adam { get; set; }
    /// <summary>Extra information (for example the command line) kept with the file.</summary>
    public Dictionary<string, string> Notes { get; init; } = new();

    const string CurrentPrefix = "current_", AdamMPrefix = "adam_m_", AdamVPrefix = "adam_v_";

    /// <summary>The trained network as it stands: best parameters, histories, termination.</summary>
    public SavedNetwork ToSavedNetwork() => new()
    {
        Task = Task, Engine = Engine, Seed = Training.Seed, Network = Network, Parameters = Best,
        Finished = Finished, Termination = Termination, Trials = GradientTrials, ElapsedSeconds = ElapsedSeconds,
        Best = BestValidation, History = History.ToList(), OmegaHistory = OmegaHistory.ToList(),
        TrainingSettings = TrainingConfig.Parameters.Describe(Training).ToDictionary(p => p.Name, p => p.Value),
        Notes = new Dictionary<string, string>(Notes), LibraryVersion = LibraryVersion,
    };

    /// <summary>Writes the checkpoint atomically (the trained network and the state to resume).</summary>
    public void Save(string path)
    {
        static JsonArray Words(ulong[] state) => new(state.Select(v => (JsonNode)v.ToString(CultureInfo.InvariantCulture)).ToArray());
        var state = new JsonObject
        {
            ["iteration"] = Iteration,
            ["validated_at"] = ValidatedAt,
            ["validation_trials"] = ValidationTrials,
            ["rng"] = new JsonObject { ["gradient"] = Words(GradientRng), ["validation"] = Words(ValidationRng) },
        };
        var arrays = new List<(string, NetworkParameters)> { (CurrentPrefix, Current) };
        if (Adam is not null)
        {
            arrays.Add((AdamMPrefix, Adam.M));
            arrays.Add((AdamVPrefix, Adam.V));
            state["adam_step"] = Adam.Step;
        }
        NetworkFile.Save(path, ToSavedNetwork(), arrays, state);
    }

    /// <summary>Reads a checkpoint; a file without the state to resume is a <see cref="NetworkFileException"/>.</summary>
    public static Checkpoint Load(string path)
    {
        var saved = NetworkFile.Load(path, [CurrentPrefix, AdamMPrefix, AdamVPrefix], out var state, out var meta);
        var current = state.GetValueOrDefault(CurrentPrefix);
        ulong[] Rng(string name) =>
            (meta["rng"]?[name] as JsonArray ?? throw new NetworkFileException(path, $"holds a trained network but no {name} generator state, so it cannot be resumed."))
            .Select(v => ulong.TryParse(v?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var word) ? word
                : throw new NetworkFileException(path, $"the {name} generator state is corrupt.")).ToArray();
        if (current is not null && !current.AllFinite())
            throw new NetworkFileException(path, $"its latest parameters are NaN or infinite (the run diverged), so it cannot be resumed; " +
                $"its best network (iteration {saved.Best.Iteration}) is intact. Start a new run with a smaller learning_rate.");
        var training = new TrainingConfig();
        try
        {
            foreach (var (name, value) in saved.TrainingSettings)
                if (value != "auto") training = TrainingConfig.Parameters.Set(training, name, value);
            training = training.Resolve(saved.Config);
        }
        catch (ConfigurationException e) { throw new NetworkFileException(path, $"invalid training settings: {e.Message}", e); }
        var checkpoint = new Checkpoint
        {
            Task = saved.Task, Engine = saved.Engine, Network = saved.Network, Training = training,
            Current = current ?? throw new NetworkFileException(path, "holds a trained network but not its latest parameters (current_*), so it cannot be resumed."),
            Best = saved.Parameters, BestValidation = saved.Best,
            Iteration = (long?)meta["iteration"] ?? 1, ValidatedAt = (long?)meta["validated_at"] ?? 0,
            History = saved.History.ToList(), OmegaHistory = saved.OmegaHistory.ToList(),
            GradientRng = Rng("gradient"), ValidationRng = Rng("validation"),
            GradientTrials = saved.Trials, ValidationTrials = (long?)meta["validation_trials"] ?? 0,
            ElapsedSeconds = saved.ElapsedSeconds, Finished = saved.Finished, Termination = saved.Termination,
            LibraryVersion = saved.LibraryVersion, Notes = new Dictionary<string, string>(saved.Notes),
            Adam = state.TryGetValue(AdamMPrefix, out var m) && state.TryGetValue(AdamVPrefix, out var v)
                ? new AdamState { M = m, V = v, Step = (long?)meta["adam_step"] ?? 0 } : null,
        };
        if (checkpoint.GradientRng.Length != 6 || checkpoint.ValidationRng.Length != 6) throw new NetworkFileException(path, "generator states must have 6 words.");
        return checkpoint;
    }
}
