using System.Globalization;
using System.Text.Json.Nodes;
using PyCog.IO;
using PyCog.Network;
using PyCog.Training.Optimizers;

namespace PyCog.Training;

/// <summary>
/// The trainer's state, everything a run needs to resume exactly where it stopped: the trained
/// network as it stands (<see cref="Trained"/>: best parameters, histories, termination), the
/// training settings, the latest parameters, the iteration, the two data generators' states and
/// the optimiser's state. It is stored in the network file (see <see cref="NetworkFile"/>), which
/// also loads as a plain <see cref="SavedNetwork"/>.
/// </summary>
public sealed class Checkpoint
{
    /// <summary>The trained network as it stands: best parameters, histories, trials, termination, notes.</summary>
    public required SavedNetwork Trained { get; set; }
    /// <summary>The training settings (validated for the network).</summary>
    public required TrainingConfig Training { get; init; }
    /// <summary>Parameters at the latest step.</summary>
    public required NetworkParameters Current { get; set; }
    /// <summary>Next gradient step to take (1-based, pycog's convention).</summary>
    public long Iteration { get; set; } = 1;
    /// <summary>Iteration at which the last validation ran (it is not repeated on resume).</summary>
    public long ValidatedAt { get; set; }
    /// <summary>State of the gradient dataset's generator.</summary>
    public required ulong[] GradientRng { get; set; }
    /// <summary>State of the validation dataset's generator.</summary>
    public required ulong[] ValidationRng { get; set; }
    /// <summary>Trials drawn by the validation dataset.</summary>
    public long ValidationTrials { get; set; }
    /// <summary>The optimiser's name and saved state (null before the first save of a run).</summary>
    public (string Name, OptimizerState State)? Optimizer { get; set; }

    /// <summary>The network's structure (fixed recurrent weights already scaled with Wrec).</summary>
    public ResolvedNetworkConfig Network => Trained.Network;

    const string CurrentPrefix = "current_";

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
        if (Optimizer is var (name, optimizerState))
        {
            // Stored by name, without knowing the optimiser: {name}_{array}_* and metadata {name}_{number}.
            foreach (var (key, values) in optimizerState.Arrays) arrays.Add(($"{name}_{key}_", values));
            foreach (var (key, value) in optimizerState.Numbers) state[$"{name}_{key}"] = value;
            state["optimizer_state"] = new JsonObject
            {
                ["name"] = name,
                ["arrays"] = new JsonArray(optimizerState.Arrays.Keys.Select(k => (JsonNode)k).ToArray()),
                ["numbers"] = new JsonArray(optimizerState.Numbers.Keys.Select(k => (JsonNode)k).ToArray()),
            };
        }
        NetworkFile.Save(path, Trained, arrays, state);
    }

    /// <summary>The optimiser-state layout a file's metadata declares (files before it: Adam's moments if present).</summary>
    static (string Name, string[] Arrays, string[] Numbers)? OptimizerLayout(JsonObject meta) =>
        meta["optimizer_state"] is JsonObject o
            ? ((string?)o["name"] ?? "", (o["arrays"] as JsonArray ?? []).Select(v => (string?)v ?? "").ToArray(),
               (o["numbers"] as JsonArray ?? []).Select(v => (string?)v ?? "").ToArray())
            : meta["adam_step"] is not null ? (Adam.Id, ["m", "v"], ["step"]) : null;

    /// <summary>Reads a checkpoint; a file without the state to resume is a <see cref="NetworkFileException"/>.</summary>
    public static Checkpoint Load(string path)
    {
        (string Name, string[] Arrays, string[] Numbers)? layout = null;
        var saved = NetworkFile.Load(path, meta =>
        {
            layout = OptimizerLayout(meta);
            return [CurrentPrefix, .. layout is var (name, keys, _) ? keys.Select(k => $"{name}_{k}_") : []];
        }, out var state, out var meta);
        var current = state.GetValueOrDefault(CurrentPrefix);
        ulong[] Rng(string name) =>
            (meta["rng"]?[name] as JsonArray ?? throw new NetworkFileException(path, $"holds a trained network but no {name} generator state, so it cannot be resumed."))
            .Select(v => ulong.TryParse(v?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var word) ? word
                : throw new NetworkFileException(path, $"the {name} generator state is corrupt.")).ToArray();
        if (current is not null && !current.AllFinite())
            throw new NetworkFileException(path, $"its latest parameters are NaN or infinite (the run diverged), so it cannot be resumed; " +
                $"its best network (iteration {saved.Best.Iteration}) is intact. Start a new run with a smaller learning_rate.");
        var training = new TrainingConfig { Reproducibility = saved.Reproducibility };
        try
        {
            foreach (var (name, value) in saved.TrainingSettings)
                if (value != "auto") training = TrainingConfig.Parameters.Set(training, name, value);
            training = training.Resolve(saved.Config);
        }
        catch (ConfigurationException e) { throw new NetworkFileException(path, $"invalid training settings: {e.Message}", e); }
        (string, OptimizerState)? optimizer = null;
        if (layout is var (optimizerName, arrayKeys, numberKeys))
        {
            var arrays = arrayKeys.ToDictionary(k => k, k => state.GetValueOrDefault($"{optimizerName}_{k}_")
                ?? throw new NetworkFileException(path, $"the {optimizerName} optimiser's array '{k}' is missing."));
            var numbers = numberKeys.ToDictionary(k => k, k => (double?)meta[$"{optimizerName}_{k}"]
                ?? throw new NetworkFileException(path, $"the {optimizerName} optimiser's number '{k}' is missing."));
            optimizer = (optimizerName, new OptimizerState(arrays, numbers));
        }
        var checkpoint = new Checkpoint
        {
            Trained = saved, Training = training,
            Current = current ?? throw new NetworkFileException(path, "holds a trained network but not its latest parameters (current_*), so it cannot be resumed."),
            Iteration = (long?)meta["iteration"] ?? 1, ValidatedAt = (long?)meta["validated_at"] ?? 0,
            GradientRng = Rng("gradient"), ValidationRng = Rng("validation"),
            ValidationTrials = (long?)meta["validation_trials"] ?? 0,
            Optimizer = optimizer,
        };
        if (checkpoint.GradientRng.Length != 6 || checkpoint.ValidationRng.Length != 6) throw new NetworkFileException(path, "generator states must have 6 words.");
        return checkpoint;
    }
}
