using System.Runtime.ExceptionServices;

namespace PyCog.Numerics;

/// <summary>
/// Runs independent trials in parallel on the thread pool. When trials fail, the exception of the
/// lowest-numbered failing trial surfaces as itself (a task's <c>TaskException</c> names the task
/// and the trial), not wrapped in an <see cref="AggregateException"/>: a user sees the same error
/// on one thread as on many, whichever thread failed first.
/// </summary>
public static class TrialParallel
{
    /// <summary>Calls <paramref name="body"/>(i) for i in [0, <paramref name="count"/>) on up to <paramref name="threads"/> threads.</summary>
    public static void For(int count, int threads, Action<int> body, CancellationToken cancellation = default)
    {
        var gate = new object();
        Exception? error = null;
        int errorTrial = int.MaxValue;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellation }, i =>
        {
            // Trials above a known failure can be skipped; every trial below it still runs, so the
            // lowest failing trial is found on any thread count.
            if (i > Volatile.Read(ref errorTrial)) return;
            try { body(i); }
            catch (Exception e)
            {
                lock (gate)
                    if (i < errorTrial) { error = e; Volatile.Write(ref errorTrial, i); }
            }
        });
        if (error is not null) ExceptionDispatchInfo.Throw(error);
    }
}
