namespace PyCog.IO;

/// <summary>Why training stopped.</summary>
public enum Termination
{
    /// <summary>Validation RMSE reached min_error.</summary>
    MinError,
    /// <summary>The task's criterion was met.</summary>
    Criterion,
    /// <summary>No new best for <c>patience</c> steps.</summary>
    Patience,
    /// <summary>max_iter steps were taken.</summary>
    MaxIter,
    /// <summary>Cancelled; the checkpoint holds everything to resume.</summary>
    Cancelled,
    /// <summary>The cost or the weights became NaN or infinite; the best network is kept.</summary>
    Diverged,
}
