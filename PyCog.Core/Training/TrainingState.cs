using PyCog.IO;
using PyCog.Tasks;

namespace PyCog.Training;

/// <summary>
/// A run as stopping rules and callbacks see it, read-only and current: the iteration about to be
/// taken, trials seen, every validation and the best one. Rules decide from these alone, so a
/// resumed run stops exactly where an uninterrupted one would.
/// </summary>
public sealed class TrainingState
{
    internal TrainingState(CognitiveTask task, TrainingConfig training, Checkpoint run)
    {
        Task = task;
        Training = training;
        Run = run;
    }

    internal Checkpoint Run { get; }

    /// <summary>The task being trained.</summary>
    public CognitiveTask Task { get; }
    /// <summary>The run's training settings.</summary>
    public TrainingConfig Training { get; }
    /// <summary>The gradient step about to be taken (1-based, pycog's convention).</summary>
    public long Iteration => Run.Iteration;
    /// <summary>Gradient trials seen so far.</summary>
    public long TrialsSeen => Run.Trained.Trials;
    /// <summary>Every validation so far (the last one is the newest).</summary>
    public IReadOnlyList<ValidationRecord> History => Run.Trained.History;
    /// <summary>The best validation so far.</summary>
    public BestValidation Best => Run.Trained.Best;
    /// <summary>The newest validation (null before the first).</summary>
    public ValidationRecord? Latest => History.Count > 0 ? History[^1] : null;
}
