using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PyCog.Sweeps;

/// <summary>What a local sweep did: how many runs finished, which failed, and whether it was stopped.</summary>
/// <param name="Failures">One line per failed or diverged run, naming its log.</param>
/// <param name="Stopped">True when it was cancelled (every running child saved and stopped).</param>
public sealed record LocalSweepOutcome(IReadOnlyList<string> Failures, bool Stopped);

/// <summary>
/// Runs a sweep's unfinished runs on this machine, <see cref="Jobs"/> at a time, each as a
/// <c>pycog train</c> child process with <c>--threads</c> set to its share of the cores and its
/// output in the run's log. Finished runs are skipped and unfinished ones resume, so a stopped
/// sweep continues where it stopped. Cancelling sends every child SIGTERM: each saves and stops.
/// </summary>
public sealed class LocalSweep(Sweep sweep, PycogCommand pycog, int jobs)
{
    readonly Dictionary<int, string> _states = [];
    // Every run's file, read once: what is left to do and where each run starts from.
    readonly IReadOnlyList<SweepResult> _results = SweepResults.Collect(sweep);

    /// <summary>The sweep.</summary>
    public Sweep Sweep => sweep;
    /// <summary>Runs at a time.</summary>
    public int Jobs { get; } = jobs >= 1 ? jobs : throw new ArgumentOutOfRangeException(nameof(jobs), "needs at least one job.");
    /// <summary>Engine threads of each run: the cores shared among the jobs.</summary>
    public int ThreadsPerRun => Math.Max(1, Environment.ProcessorCount / Jobs);

    /// <summary>The runs that had not finished when the runner was made: what <see cref="Run"/> runs.</summary>
    public IReadOnlyList<SweepRun> Unfinished => _results.Where(r => r.State != RunState.Finished).Select(r => r.Run).ToList();

    /// <summary>Raised (on the runner's thread) when a run starts or ends: the run and its new state.</summary>
    public event Action<SweepRun, string>? StateChanged;

    /// <summary>Each run's state: queued, running, finished, diverged, failed, stopped (resumable), finished (skipped).</summary>
    public string StateOf(SweepRun run) { lock (_states) return _states.GetValueOrDefault(run.Index, "queued"); }

    /// <summary>Runs every run in <see cref="Unfinished"/> and waits for them; <paramref name="cancellation"/> stops them all cleanly.</summary>
    public LocalSweepOutcome Run(CancellationToken cancellation = default)
    {
        var todo = Unfinished;
        foreach (var r in _results) Set(r.Run, r.State == RunState.Finished ? "finished (skipped)" : "queued", announce: false);
        Directory.CreateDirectory(sweep.Out);
        var running = new Dictionary<int, (Process Process, StreamWriter Log)>();
        var failures = new List<string>();
        var queue = new Queue<SweepRun>(todo);
        while (queue.Count > 0 || running.Count > 0)
        {
            while (!cancellation.IsCancellationRequested && running.Count < Jobs && queue.Count > 0)
            {
                var run = queue.Dequeue();
                var info = new ProcessStartInfo(pycog.Program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var arg in pycog.With(run.TrainArguments(sweep.Engine, ThreadsPerRun))) info.ArgumentList.Add(arg);
                var p = Process.Start(info)!;
                var log = new StreamWriter(run.Log, append: true) { AutoFlush = true };
                p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
                p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
                p.BeginOutputReadLine(); p.BeginErrorReadLine();
                running[run.Index] = (p, log);
                Set(run, "running");
            }
            if (cancellation.IsCancellationRequested)
            {
                // Stopping: every child saves and stops as on its own Ctrl+C; the same sweep resumes.
                foreach (var (p, _) in running.Values) Terminate(p);
                queue.Clear();
            }
            foreach (var (index, (p, log)) in running.ToList())
            {
                if (!p.HasExited) continue;
                p.WaitForExit();   // also waits until the child's output has reached the log
                lock (log) log.Dispose();
                var run = sweep.Runs[index];
                string state = p.ExitCode switch
                {
                    0 => "finished",
                    3 => "diverged",
                    129 or 130 or 143 => "stopped (resumable)",
                    _ => "failed",
                };
                if (state is "failed" or "diverged")
                    failures.Add($"run {index} ({run.Task} seed {run.Seed} {run.Describe()}): {state}, exit code {p.ExitCode}; see {run.Log}");
                running.Remove(index);
                Set(run, state);
            }
            Thread.Sleep(200);
        }
        return new LocalSweepOutcome(failures, cancellation.IsCancellationRequested);
    }

    void Set(SweepRun run, string state, bool announce = true)
    {
        lock (_states) _states[run.Index] = state;
        if (announce) StateChanged?.Invoke(run, state);
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    static void Terminate(Process p)
    {
        try { if (!p.HasExited) kill(p.Id, 15); } catch (InvalidOperationException) { }
    }

    /// <summary>The last validation line of a run's log (what a live view shows beside a running run).</summary>
    public static string LastValidation(SweepRun run)
    {
        try
        {
            using var fs = new FileStream(run.Log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(fs);
            string? last = null;
            while (reader.ReadLine() is { } line) if (line.Length > 0 && char.IsDigit(line.TrimStart().FirstOrDefault())) last = line.Trim();
            return last is null ? "" : string.Join(" ", last.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        catch (IOException) { return ""; }
    }
}
