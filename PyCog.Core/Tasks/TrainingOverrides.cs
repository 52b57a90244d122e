namespace PyCog.Tasks;

/// <summary>
/// Training settings a task chooses for itself (pycog's model files set them beside the network:
/// a validation set of 100 trials per condition, a larger minibatch, an RMSE at which to stop).
/// Null keeps the trainer's default. The trainer applies these on top of its defaults and under
/// the user's own settings.
/// </summary>
public sealed record TrainingOverrides
{
    /// <summary>Trials per gradient minibatch.</summary>
    public int? NGradient { get; init; }
    /// <summary>Trials per validation.</summary>
    public int? NValidation { get; init; }
    /// <summary>Gradient steps between validations.</summary>
    public int? CheckFreq { get; init; }
    /// <summary>Steps without a new best before giving up.</summary>
    public long? Patience { get; init; }
    /// <summary>Learning rate.</summary>
    public double? LearningRate { get; init; }
    /// <summary>Maximum number of gradient steps.</summary>
    public long? MaxIter { get; init; }
    /// <summary>Stop when validation RMSE falls to this value.</summary>
    public double? MinError { get; init; }
    /// <summary>Multiplier of the vanishing-gradient regulariser Omega.</summary>
    public double? LambdaOmega { get; init; }
    /// <summary>L2 penalty on firing rates.</summary>
    public double? Lambda2R { get; init; }

    /// <summary>No overrides.</summary>
    public static TrainingOverrides None { get; } = new();
}
