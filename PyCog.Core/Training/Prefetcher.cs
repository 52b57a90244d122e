namespace PyCog.Training;

/// <summary>
/// Draws a dataset's next batch (a gradient minibatch, or the next validation set) on another
/// thread while the engine works (generating trials and noise from one generator is sequential
/// work that would otherwise leave the cores idle). The batches and their order are the dataset's
/// own, so results do not change; <see cref="State"/> and <see cref="TrialsSeen"/> describe the
/// dataset as of the last batch handed out, which is what a checkpoint must save: a resumed run
/// draws the prefetched batch again.
/// </summary>
public sealed class Prefetcher : IDisposable
{
    readonly Dataset _data;
    Task<(Batch Batch, ulong[] State, long Trials)>? _next;

    readonly bool _inline;

    /// <summary>
    /// Starts prefetching from <paramref name="data"/> as it stands; with <paramref name="inline"/>,
    /// each batch is drawn when asked for instead, on the caller's thread (and the dataset's own).
    /// </summary>
    public Prefetcher(Dataset data, bool inline = false)
    {
        _data = data;
        _inline = inline;
        State = data.Rng.GetState();
        TrialsSeen = data.TrialsSeen;
    }

    /// <summary>The dataset's generator state after the last minibatch handed out.</summary>
    public ulong[] State { get; private set; }
    /// <summary>Trials drawn up to the last minibatch handed out.</summary>
    public long TrialsSeen { get; private set; }

    (Batch, ulong[], long) Draw()
    {
        var batch = _data.Next();
        return (batch, _data.Rng.GetState(), _data.TrialsSeen);
    }

    /// <summary>The next minibatch; starts drawing the one after it.</summary>
    public Batch Next()
    {
        // GetResult rethrows a task's own exception (a TaskException naming the trial), not an AggregateException.
        var (batch, state, trials) = _next is null ? Draw() : _next.GetAwaiter().GetResult();
        State = state;
        TrialsSeen = trials;
        if (!_inline) _next = Task.Run(Draw);
        return batch;
    }

    /// <summary>Waits for a minibatch still being drawn (its errors no longer matter).</summary>
    public void Dispose()
    {
        try { _next?.Wait(); }
        catch (AggregateException) { }
    }
}
