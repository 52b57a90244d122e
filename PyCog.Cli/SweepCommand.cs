using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using PyCog.Sweeps;
using Spectre.Console;

namespace PyCog.Cli;

/// <summary>
/// <c>pycog sweep plan|run|status|collect FILE</c>: many training runs from one sweep file, on
/// every core of this machine (<c>--local</c>) or as one Slurm job array (<c>--slurm</c>). Each
/// run is an ordinary <c>pycog train</c> on its own checkpoint, so a stopped sweep resumes where
/// it stopped: finished runs are skipped, unfinished ones resume exactly.
/// </summary>
static class SweepCommand
{
    public static readonly HashSet<string> Valued = ["--jobs", "--partition", "--time", "--cpus", "--index", "--threads", "--csv", "--json", "--manifest", "--sbatch-option"];
    public static readonly HashSet<string> Flags = ["--local", "--slurm", "--dry-run"];

    public static int Run(Arguments a)
    {
        if (a.Positional.Count != 2) throw new UsageException("sweep needs a verb (plan, run, status or collect) and a sweep file.");
        var sweep = Sweep.Load(a.Positional[1]);
        return a.Positional[0] switch
        {
            "plan" => Plan(sweep),
            "run" when a.Has("--local") == a.Has("--slurm") => throw new UsageException("sweep run needs --local or --slurm."),
            "run" when a.Has("--local") => Local(sweep, a.Int("--jobs", Math.Max(1, Environment.ProcessorCount), 1, 256)),
            "run" => Slurm(sweep, a),
            "status" => Status(sweep),
            "collect" => Collect(sweep, a),
            "task" => Task(sweep, a.Int("--index", -1, 0, sweep.Runs.Count - 1), a.Get("--threads") is null ? null : a.Int("--threads", 1, 1, 1024)),
            var verb => throw new UsageException($"Unknown sweep verb '{verb}': plan, run, status or collect."),
        };
    }

    static string Rel(string path) => Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
    static string Params(SweepRun r) => r.Parameters.Count == 0 ? "defaults" : string.Join(" ", r.Parameters.Select(p => $"{p.Key}={p.Value}"));

    static int Plan(Sweep sweep)
    {
        var table = new Table().Title($"sweep {Markup.Escape(sweep.Name)}: {sweep.Runs.Count} runs").AddColumns("#", "task", "seed", "parameters", "file");
        foreach (var r in sweep.Runs)
            table.AddRow(r.Index.ToString(CultureInfo.InvariantCulture), r.Task, r.Seed.ToString(CultureInfo.InvariantCulture), Markup.Escape(Params(r)), Markup.Escape(Rel(r.File)));
        AnsiConsole.Write(table);
        return 0;
    }

    /// <summary>The command that runs this program again: the apphost, or dotnet and the dll.</summary>
    static (string File, string[] Prefix) Self()
    {
        string process = Environment.ProcessPath ?? "dotnet";
        string dll = Path.Combine(AppContext.BaseDirectory, "pycog.dll");
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? (process, [dll]) : (process, []);
    }

    /// <summary>Runs the sweep's unfinished runs here, <paramref name="jobs"/> at a time, with a live view.</summary>
    static int Local(Sweep sweep, int jobs)
    {
        var results = SweepResults.Collect(sweep);
        var todo = results.Where(r => r.State != RunState.Finished).Select(r => r.Run).ToList();
        int threads = Math.Max(1, Environment.ProcessorCount / jobs);
        Directory.CreateDirectory(sweep.Out);
        var state = results.ToDictionary(r => r.Run.Index, r => r.State == RunState.Finished ? "finished (skipped)" : "queued");
        var running = new Dictionary<int, (Process Process, StreamWriter Log)>();
        var failed = new List<string>();
        var (exe, prefix) = Self();
        using var cts = new CancellationTokenSource();
        using var signals = new StopSignals(_ => cts.Cancel());
        bool live = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        AnsiConsole.MarkupLine($"[bold]pycog sweep[/] {Markup.Escape(sweep.Name)}: {sweep.Runs.Count} runs, {todo.Count} to do, {jobs} at a time with {threads} threads each -> [blue]{Markup.Escape(Rel(sweep.Out))}[/]");

        Table View()
        {
            var t = new Table().AddColumns("#", "task", "seed", "parameters", "state", "last validation");
            foreach (var r in sweep.Runs)
                t.AddRow(r.Index.ToString(CultureInfo.InvariantCulture), r.Task, r.Seed.ToString(CultureInfo.InvariantCulture), Markup.Escape(Params(r)),
                    Markup.Escape(state[r.Index]), Markup.Escape(state[r.Index] == "running" ? LastValidation(r.Log) : ""));
            return t;
        }
        void Loop(Action? refresh)
        {
            var queue = new Queue<SweepRun>(todo);
            while (queue.Count > 0 || running.Count > 0)
            {
                while (!cts.IsCancellationRequested && running.Count < jobs && queue.Count > 0)
                {
                    var run = queue.Dequeue();
                    var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                    foreach (var arg in prefix.Concat(run.TrainArguments(sweep.Engine, threads))) info.ArgumentList.Add(arg);
                    var p = Process.Start(info)!;
                    var log = new StreamWriter(run.Log, append: true) { AutoFlush = true };
                    p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
                    p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
                    p.BeginOutputReadLine(); p.BeginErrorReadLine();
                    running[run.Index] = (p, log);
                    state[run.Index] = "running";
                    if (refresh is null) Console.WriteLine($"run {run.Index} ({run.Task} seed {run.Seed} {Params(run)}): started");
                }
                if (cts.IsCancellationRequested)
                {
                    // Stopping: every child saves and stops as on its own Ctrl+C; the same command resumes.
                    foreach (var (p, _) in running.Values) Signal(p, 15);
                    queue.Clear();
                }
                foreach (var (index, (p, log)) in running.ToList())
                {
                    if (!p.HasExited) continue;
                    p.WaitForExit();   // also waits until the child's output has reached the log
                    lock (log) log.Dispose();
                    var run = sweep.Runs[index];
                    state[index] = p.ExitCode switch
                    {
                        0 => "finished",
                        3 => "diverged",
                        129 or 130 or 143 => "stopped (resumable)",
                        _ => "failed",
                    };
                    if (state[index] is "failed" or "diverged") failed.Add($"run {index} ({run.Task} seed {run.Seed} {Params(run)}): {state[index]}, exit code {p.ExitCode}; see {Rel(run.Log)}");
                    running.Remove(index);
                    if (refresh is null) Console.WriteLine($"run {index} ({run.Task} seed {run.Seed} {Params(run)}): {state[index]}");
                }
                refresh?.Invoke();
                Thread.Sleep(200);
            }
        }
        if (live)
        {
            var view = View();
            AnsiConsole.Live(view).AutoClear(false).Start(ctx => Loop(() => { ctx.UpdateTarget(View()); ctx.Refresh(); }));
        }
        else Loop(null);
        foreach (var f in failed) Console.Error.WriteLine($"pycog: {f}");
        var final = SweepResults.Collect(sweep);
        AnsiConsole.MarkupLine($"{final.Count(r => r.State == RunState.Finished)} of {final.Count} runs finished; 'pycog sweep collect {Markup.Escape(Rel(sweep.Path))}' gathers them.");
        return cts.IsCancellationRequested ? 130 : failed.Count > 0 ? 1 : 0;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    static void Signal(Process p, int signal)
    {
        try { if (!p.HasExited) kill(p.Id, signal); } catch (InvalidOperationException) { }
    }

    static string LastValidation(string log)
    {
        try
        {
            using var fs = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(fs);
            string? last = null;
            while (reader.ReadLine() is { } line) if (line.Length > 0 && char.IsDigit(line.TrimStart().FirstOrDefault())) last = line.Trim();
            return last is null ? "" : string.Join(" ", last.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        catch (IOException) { return ""; }
    }

    /// <summary>Writes an sbatch script for the unfinished runs and submits it as one job array.</summary>
    static int Slurm(Sweep sweep, Arguments a)
    {
        var todo = SweepResults.Collect(sweep).Where(r => r.State != RunState.Finished).Select(r => r.Run.Index).ToList();
        if (todo.Count == 0) { AnsiConsole.MarkupLine("Every run has finished; nothing to submit."); return 0; }
        int cpus = a.Int("--cpus", 1, 1, 1024);
        string? time = a.Get("--time"), partition = a.Get("--partition");
        var (exe, prefix) = Self();
        string command = string.Join(" ", new[] { exe }.Concat(prefix).Concat(["sweep", "task", sweep.Path, "--index", "\"$SLURM_ARRAY_TASK_ID\"", "--threads", "\"${SLURM_CPUS_PER_TASK:-1}\""]).Select(Shell));
        var lines = new List<string>
        {
            "#!/bin/bash",
            $"# pycog sweep '{sweep.Name}': one array task per unfinished run; written by 'pycog sweep run --slurm'.",
            $"#SBATCH --job-name=pycog-{sweep.Name}",
            $"#SBATCH --array={Ranges(todo)}",
            $"#SBATCH --cpus-per-task={cpus}",
            $"#SBATCH --output={Path.Combine(sweep.Out, "slurm-%A_%a.out")}",
            // SIGTERM to pycog itself shortly before the time limit: it saves, and a resubmission resumes.
            "#SBATCH --signal=B:TERM@120",
        };
        if (time is not null) lines.Add($"#SBATCH --time={time}");
        if (partition is not null) lines.Add($"#SBATCH --partition={partition}");
        lines.AddRange(a.All("--sbatch-option").Select(o => $"#SBATCH {o}"));
        lines.Add($"cd {Shell(Directory.GetCurrentDirectory())}");
        lines.Add("# exec: pycog is the batch process, so Slurm's SIGTERM (scancel, time limit) reaches it and it saves.");
        lines.Add($"exec {command}");
        Directory.CreateDirectory(sweep.Out);
        string script = Path.Combine(sweep.Out, "sweep.sbatch");
        File.WriteAllText(script, string.Join("\n", lines) + "\n");
        AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(Rel(script))}[/] ({todo.Count} array tasks).");
        if (a.Has("--dry-run")) { Console.WriteLine(File.ReadAllText(script)); return 0; }
        var sbatch = FindOnPath("sbatch") ?? throw new UsageException("--slurm needs sbatch, which is not on PATH (is this a Slurm login node?); --dry-run writes the script only.");
        var p = Process.Start(new ProcessStartInfo(sbatch) { ArgumentList = { "--parsable", script }, RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = p.StandardOutput.ReadToEnd().Trim(), error = p.StandardError.ReadToEnd().Trim();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"sbatch failed (exit code {p.ExitCode}): {error.ReplaceLineEndings(" ")}");
        string job = output.Split(';')[0];
        File.AppendAllText(Path.Combine(sweep.Out, "slurm-jobs.txt"), $"{job} {Ranges(todo)} {DateTime.UtcNow:O}\n");
        AnsiConsole.MarkupLine($"Submitted job array [bold]{Markup.Escape(job)}[/] ({todo.Count} runs); 'pycog sweep status {Markup.Escape(Rel(sweep.Path))}' follows it.");
        return 0;
    }

    static string Shell(string s) => s.StartsWith('"') || s.All(c => char.IsLetterOrDigit(c) || "/._-=:+,".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";

    static string Ranges(IReadOnlyList<int> indices)
    {
        var parts = new List<string>();
        for (int i = 0; i < indices.Count;)
        {
            int j = i;
            while (j + 1 < indices.Count && indices[j + 1] == indices[j] + 1) j++;
            parts.Add(i == j ? $"{indices[i]}" : $"{indices[i]}-{indices[j]}");
            i = j + 1;
        }
        return string.Join(",", parts);
    }

    static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>One run of the sweep in this process (what each Slurm array task executes).</summary>
    static int Task(Sweep sweep, int index, int? threads)
    {
        if (index < 0) throw new UsageException("sweep task needs --index I.");
        var run = sweep.Runs[index];
        var args = run.TrainArguments(sweep.Engine, threads).Skip(1);
        return TrainCommand.Run(new Arguments(args, TrainCommand.Valued, new HashSet<string>()));
    }

    /// <summary>Queued, running, finished and failed runs, from the files and from squeue.</summary>
    static int Status(Sweep sweep)
    {
        var results = SweepResults.Collect(sweep);
        var queue = SlurmQueue(sweep);
        var table = new Table().Title($"sweep {Markup.Escape(sweep.Name)}").AddColumns("#", "task", "seed", "parameters", "file", "Slurm", "trials", "performance / RMSE");
        foreach (var r in results)
        {
            string slurm = queue.TryGetValue(r.Run.Index, out var s) ? s : "";
            string measure = r.Performance is double p ? $"{p:F1}%" : r.Rmse is double e && double.IsFinite(e) ? $"{e:F4}" : "";
            string file = r.State switch
            {
                RunState.Finished => r.Reached ? "finished (criterion)" : $"finished ({r.Network!.Termination})",
                RunState.Unfinished => "checkpoint (resumable)",
                RunState.Unreadable => "unreadable",
                _ => "not started",
            };
            table.AddRow(r.Run.Index.ToString(CultureInfo.InvariantCulture), r.Run.Task, r.Run.Seed.ToString(CultureInfo.InvariantCulture), Markup.Escape(Params(r.Run)),
                Markup.Escape(file), Markup.Escape(slurm), r.Trials?.ToString("N0", CultureInfo.InvariantCulture) ?? "", measure);
        }
        AnsiConsole.Write(table);
        var counts = results.GroupBy(r => r.State).Select(g => $"{g.Count()} {ParameterTextOf(g.Key)}");
        AnsiConsole.MarkupLine($"{string.Join(", ", counts)}; in the Slurm queue: {queue.Count}.");
        return 0;
    }

    static string ParameterTextOf(RunState s) => Network.ParameterText.Snake(s).Replace('_', ' ');

    /// <summary>Array index -> Slurm state for this sweep's jobs still in the queue (and, where accounting runs, their end state).</summary>
    static Dictionary<int, string> SlurmQueue(Sweep sweep)
    {
        var states = new Dictionary<int, string>();
        string jobsFile = Path.Combine(sweep.Out, "slurm-jobs.txt");
        if (!File.Exists(jobsFile)) return states;
        var jobs = File.ReadAllLines(jobsFile).Select(l => l.Split(' ')[0]).Where(j => j.Length > 0).ToList();
        foreach (var (tool, args) in new[] { ("sacct", new[] { "-n", "-P", "-X", "-o", "JobID,State", "-j", string.Join(",", jobs) }),
                                              ("squeue", new[] { "-h", "-r", "-o", "%i|%T", "-j", string.Join(",", jobs) }) })
        {
            if (FindOnPath(tool) is not { } path) continue;
            try
            {
                var p = Process.Start(new ProcessStartInfo(path, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                string text = p.StandardOutput.ReadToEnd();
                p.WaitForExit(10_000);
                if (p.ExitCode != 0) continue;
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = line.Split('|');
                    int underscore = parts[0].IndexOf('_');
                    if (parts.Length == 2 && underscore > 0 && int.TryParse(parts[0][(underscore + 1)..], out int index))
                        states[index] = parts[1].Trim();   // squeue (run second) wins over sacct
                }
            }
            catch (System.ComponentModel.Win32Exception) { }
        }
        return states;
    }

    /// <summary>Gathers every run into CSV, JSON and a manifest (defaults: in the sweep's output folder).</summary>
    static int Collect(Sweep sweep, Arguments a)
    {
        var results = SweepResults.Collect(sweep);
        Directory.CreateDirectory(sweep.Out);
        string csv = a.Get("--csv") ?? Path.Combine(sweep.Out, "results.csv");
        string json = a.Get("--json") ?? Path.Combine(sweep.Out, "results.json");
        string manifest = a.Get("--manifest") ?? Path.Combine(sweep.Out, "manifest.json");
        string root = sweep.Out;
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        IO.AtomicFile.Write(csv, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(SweepResults.Csv(results, root)); });
        IO.AtomicFile.Write(json, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(SweepResults.Json(results, root).ToJsonString(options)); });
        IO.AtomicFile.Write(manifest, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(SweepResults.Manifest(sweep, results, root).ToJsonString(options)); });
        Console.Write(SweepResults.Csv(results, root));
        AnsiConsole.MarkupLine($"{results.Count(r => r.State == RunState.Finished)} of {results.Count} runs finished; wrote [blue]{Markup.Escape(Rel(csv))}[/], [blue]{Markup.Escape(Rel(json))}[/], [blue]{Markup.Escape(Rel(manifest))}[/].");
        return 0;
    }
}
