namespace PyCog.Tasks;

/// <summary>Which dataset a trial is generated for (pycog's <c>params['name']</c>).</summary>
public enum TrialKind
{
    /// <summary>Gradient minibatches: random conditions.</summary>
    Gradient,
    /// <summary>Validation: conditions cycled by minibatch index, catch trial at index 0.</summary>
    Validation,
    /// <summary>Analysis trials (usually a longer fixation).</summary>
    Test,
}
