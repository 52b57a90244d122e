using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace PyCog.Numerics;

/// <summary>
/// A fixed team of threads for the many short parallel regions of a training step: the caller
/// and <c>threads - 1</c> parked workers, which spin for a short while after each region before
/// they sleep. <c>Parallel.For</c> woke a sleeping pool thread for every region, 50-100
/// microseconds each on this project's machine, and a training step at N = 100 has a dozen
/// regions of a few hundred microseconds. Part <c>p</c> always runs on participant
/// <c>p % Threads</c> (the caller is participant 0), so the work each thread does is fixed.
/// One region at a time: a region started while another runs (or from inside one) runs serially
/// on the calling thread. A team with more threads than the machine has cores, or told that other
/// busy threads share the cores, never spins: its workers sleep between parts and the caller yields
/// while it waits (spinning, four threads on two cores made a step 17 times slower than one thread).
/// </summary>
public sealed class WorkerTeam : IDisposable
{
    /// <summary>
    /// How long an idle worker spins before it sleeps: longer than the serial gaps between the
    /// parallel parts of a training step, so that the worker is awake for the next part: on a
    /// virtual machine a wake-up from sleep goes through the host and costs far more than a part.
    /// </summary>
    static readonly long SpinTicks = Stopwatch.Frequency / 500;   // 2 ms
    const int Stride = 16;   // one cache line per worker's "done" flag

    readonly Thread[] _workers;
    readonly int[] _done;
    readonly object _gate = new();
    Action<int>? _body;
    int _parts, _generation, _sleeping, _busy;
    volatile bool _disposed;
    readonly bool _spin;
    Exception? _error;
    int _errorPart;

    /// <summary>
    /// A team of <paramref name="threads"/> participants (the caller counts as one); with
    /// <paramref name="spin"/> false its workers sleep as soon as a part is done.
    /// </summary>
    public WorkerTeam(int threads, bool spin = true)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), $"At least one thread, got {threads}.");
        Threads = threads;
        _spin = spin && threads <= Environment.ProcessorCount;
        _done = new int[threads * Stride];
        _workers = new Thread[threads - 1];
        for (int w = 0; w < _workers.Length; w++)
        {
            int participant = w + 1;
            _workers[w] = new Thread(() => WorkerLoop(participant)) { IsBackground = true, Name = $"pycog worker {participant}" };
            _workers[w].Start();
        }
    }

    /// <summary>Participants, the calling thread included.</summary>
    public int Threads { get; }

    /// <summary>
    /// Runs <paramref name="body"/>(p) for every p in [0, <paramref name="parts"/>), part p on
    /// participant p % <see cref="Threads"/>, and returns when all are done. The exception of the
    /// lowest-numbered part that throws is rethrown here, as a serial loop would throw it.
    /// </summary>
    public void For(int parts, Action<int> body)
    {
        // A region started inside another (or beside it) runs serially, and its time is already counted.
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int p = 0; p < parts; p++) body(p);
            return;
        }
        long start = Stopwatch.GetTimestamp();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (parts <= 1 || _workers.Length == 0)
            {
                for (int p = 0; p < parts; p++) body(p);
                return;
            }
            _body = body;
            _parts = parts;
            _error = null;
            int generation = Interlocked.Increment(ref _generation);
            if (Volatile.Read(ref _sleeping) > 0) lock (_gate) Monitor.PulseAll(_gate);
            RunParts(0);
            for (int w = 1; w < Threads; w++)
                while (Volatile.Read(ref _done[w * Stride]) != generation) if (!_spin) Thread.Yield();
            _body = null;
            if (_error is { } error) ExceptionDispatchInfo.Throw(error);
        }
        finally
        {
            _ticksInParts += Stopwatch.GetTimestamp() - start;
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// Wall-clock time spent so far in <see cref="For"/>, from its call to its return, waiting for
    /// the slowest participant included. On a one-thread team this is the time of the work that
    /// more threads would share: a program's time outside it is its serial part, which no number of
    /// threads shortens (a measured serial fraction, unlike one inferred from speed-ups).
    /// </summary>
    public TimeSpan TimeInParts => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _ticksInParts));

    long _ticksInParts;

    void RunParts(int participant)
    {
        int p = participant;
        try
        {
            for (; p < _parts; p += Threads) _body!(p);
        }
        catch (Exception e)
        {
            // The lowest failing part's exception, whichever thread failed first: the same error on any thread count.
            lock (_gate)
                if (_error is null || p < _errorPart) { _error = e; _errorPart = p; }
        }
    }

    void WorkerLoop(int participant)
    {
        int seen = 0;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _generation) == seen && !_disposed)
            {
                // Spin (no pause instruction, which a hypervisor may take for a spinning lock), then sleep.
                if (_spin && Stopwatch.GetTimestamp() - start < SpinTicks) continue;
                lock (_gate)
                {
                    Interlocked.Increment(ref _sleeping);   // a full fence: For reads _sleeping after publishing the generation
                    while (Volatile.Read(ref _generation) == seen && !_disposed) Monitor.Wait(_gate);
                    Interlocked.Decrement(ref _sleeping);
                }
            }
            if (_disposed) return;
            seen = Volatile.Read(ref _generation);
            RunParts(participant);
            Volatile.Write(ref _done[participant * Stride], seen);
        }
    }

    /// <summary>Stops the workers (they are background threads, so a team never keeps a process alive).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_gate) Monitor.PulseAll(_gate);
        foreach (var w in _workers) w.Join();
    }
}
