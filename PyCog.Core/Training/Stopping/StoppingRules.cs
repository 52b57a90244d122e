using PyCog.IO;

namespace PyCog.Training.Stopping;

/// <summary>Stops once max_iter steps are taken.</summary>
public sealed class MaxIterRule : IStoppingRule
{
    /// <inheritdoc/>
    public Termination? BeforeIteration(TrainingState state) => state.Iteration > state.Training.MaxIter ? Termination.MaxIter : null;
}

/// <summary>Stops when a validation's RMSE falls to min_error.</summary>
public sealed class MinErrorRule : IStoppingRule
{
    /// <inheritdoc/>
    public Termination? AfterValidation(TrainingState state) => state.Latest?.Rmse <= state.Training.MinError ? Termination.MinError : null;
}

/// <summary>Stops when the task's own criterion holds for its performance history (pycog's <c>terminate</c>).</summary>
public sealed class CriterionRule : IStoppingRule
{
    /// <inheritdoc/>
    public Termination? AfterValidation(TrainingState state)
    {
        var performance = state.History.Where(h => h.Performance is not null).Select(h => h.Performance!.Value).ToList();
        return performance.Count > 0 && state.Task.Terminate(performance) ? Termination.Criterion : null;
    }
}

/// <summary>Stops after <c>patience</c> steps without a new best validation cost.</summary>
public sealed class PatienceRule : IStoppingRule
{
    /// <inheritdoc/>
    public Termination? BeforeStep(TrainingState state) =>
        state.Iteration - state.Best.Iteration > state.Training.PatienceSteps ? Termination.Patience : null;
}

/// <summary>The stopping rules a trainer uses.</summary>
public static class StoppingRules
{
    /// <summary>
    /// pycog's termination, in its order: max_iter, then after each validation min_error and the
    /// task's criterion, then patience before each step. Extend it:
    /// <c>StoppingRules = [.. StoppingRules.Pycog, new MyRule()]</c>.
    /// </summary>
    public static IReadOnlyList<IStoppingRule> Pycog { get; } = [new MaxIterRule(), new MinErrorRule(), new CriterionRule(), new PatienceRule()];
}
