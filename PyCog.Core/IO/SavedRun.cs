using PyCog.Network;

namespace PyCog.IO;

/// <summary>One validation: trials seen, validation cost (loss + regularisers), RMSE and task performance.</summary>
public sealed record ValidationRecord(long Trials, double Cost, double Rmse, double? Performance);

/// <summary>
/// Everything a training run needs to resume and everything an analysis needs to run the
/// trained network: configuration, current and best parameters, histories, generator states.
/// Stored by <see cref="NetworkFile"/>.
/// </summary>
public sealed class SavedRun
{
    /// <summary>Task name.</summary>
    public required string Task { get; init; }
    /// <summary>Engine that produced the run.</summary>
    public required string Engine { get; set; }
    /// <summary>Resolved configuration (fixed recurrent weights already scaled with Wrec).</summary>
    public required NetworkConfig Config { get; init; }
    /// <summary>Parameters at the latest step.</summary>
    public required NetworkParameters Current { get; set; }
    /// <summary>Parameters with the lowest validation cost (what the trained network keeps).</summary>
    public required NetworkParameters Best { get; set; }
    /// <summary>Iteration of the best parameters.</summary>
    public long BestIteration { get; set; } = 1;
    /// <summary>Best validation cost (infinite before the first validation).</summary>
    public double BestCost { get; set; } = double.PositiveInfinity;
    /// <summary>Validation RMSE of the best parameters.</summary>
    public double BestRmse { get; set; } = double.NaN;
    /// <summary>Validation performance of the best parameters.</summary>
    public double? BestPerformance { get; set; }
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
    /// <summary>"training" while the run may continue, "finished" once it stopped for good.</summary>
    public string Status { get; set; } = "training";
    /// <summary>Why training stopped (when finished).</summary>
    public string? Termination { get; set; }
    /// <summary>Version of the library that wrote the file.</summary>
    public string LibraryVersion { get; set; } = typeof(SavedRun).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    /// <summary>Extra information (for example the command line) kept with the file.</summary>
    public Dictionary<string, string> Notes { get; init; } = new();

    /// <summary>Effective weights of the best parameters (what the dynamics use).</summary>
    public EffectiveWeights BestEffective() => EffectiveWeights.Compute(Config, Best);
}
