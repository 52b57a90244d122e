using System.Runtime.ExceptionServices;

namespace PyCog.Numerics;

/// <summary>
/// Runs independent trials in parallel on the thread pool. A trial's exception surfaces as itself
/// (a task's <c>TaskException</c> names the task and the trial), not wrapped in an
/// <see cref="AggregateException"/>, so a user sees the same error on one thread as on many.
/// </summary>
public static class TrialParallel
{
    /// <summary>Calls <paramref name="body"/>(i) for i in [0, <paramref name="count"/>) on up to <paramref name="threads"/> threads.</summary>
    public static void For(int count, int threads, Action<int> body, CancellationToken cancellation = default)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellation }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
        }
    }
}
