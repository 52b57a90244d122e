using PyCog.IO;

namespace PyCog.Training.Callbacks;

/// <summary>
/// Hooks into a training run, called on the training thread: after every validation, after every
/// checkpoint written, and once when the run stops. The command line's live table and the
/// notebooks' live view are callbacks. Implement only the methods you need.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>After a validation (and its checkpoint).</summary>
    void OnValidation(TrainingProgress progress, TrainingState state) { }

    /// <summary>After the checkpoint file was written atomically.</summary>
    void OnCheckpoint(string path, TrainingState state) { }

    /// <summary>When the run stops, for whatever reason (also cancellation and divergence).</summary>
    void OnStop(TrainingResult result) { }

    /// <summary>A configuration warning (for example a weakly connected Crec), before the first step.</summary>
    void OnWarning(string warning) { }
}

/// <summary>A callback made of delegates, for a notebook cell or a test.</summary>
public sealed class TrainingCallback : ITrainingCallback
{
    /// <summary>Called after each validation.</summary>
    public Action<TrainingProgress, TrainingState>? Validation { get; init; }
    /// <summary>Called after each checkpoint.</summary>
    public Action<string, TrainingState>? Checkpoint { get; init; }
    /// <summary>Called when the run stops.</summary>
    public Action<TrainingResult>? Stop { get; init; }
    /// <summary>Called for each configuration warning.</summary>
    public Action<string>? Warning { get; init; }

    void ITrainingCallback.OnValidation(TrainingProgress progress, TrainingState state) => Validation?.Invoke(progress, state);
    void ITrainingCallback.OnCheckpoint(string path, TrainingState state) => Checkpoint?.Invoke(path, state);
    void ITrainingCallback.OnStop(TrainingResult result) => Stop?.Invoke(result);
    void ITrainingCallback.OnWarning(string warning) => Warning?.Invoke(warning);
}
