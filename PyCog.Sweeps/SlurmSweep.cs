using System.Diagnostics;

namespace PyCog.Sweeps;

/// <summary>Slurm settings of a sweep's job array.</summary>
/// <param name="CpusPerTask">CPUs per array task (the run's engine threads).</param>
/// <param name="Time">Time limit per task (Slurm's syntax), or null for the partition's.</param>
/// <param name="Partition">Partition, or null for the default.</param>
/// <param name="ExtraOptions">Further <c>#SBATCH</c> lines, each without the prefix.</param>
public sealed record SlurmOptions(int CpusPerTask = 1, string? Time = null, string? Partition = null, IReadOnlyList<string>? ExtraOptions = null);

/// <summary>
/// A sweep as one Slurm job array: one array task per unfinished run, each running
/// <c>pycog sweep task FILE --index I</c>. Slurm sends SIGTERM two minutes before the time limit
/// (and on <c>scancel</c>); pycog saves, and submitting again resumes the unfinished runs.
/// </summary>
public static class SlurmSweep
{
    /// <summary>The indices of the runs that have not finished.</summary>
    public static IReadOnlyList<int> Unfinished(Sweep sweep) =>
        SweepResults.Collect(sweep).Where(r => r.State != RunState.Finished).Select(r => r.Run.Index).ToList();

    /// <summary>The sbatch script for <paramref name="indices"/>, run from <paramref name="workingDirectory"/>.</summary>
    public static string Script(Sweep sweep, IReadOnlyList<int> indices, SlurmOptions options, PycogCommand pycog, string workingDirectory)
    {
        string command = string.Join(" ", new[] { pycog.Program }.Concat(pycog.Prefix)
            .Concat(["sweep", "task", sweep.Path, "--index", "\"$SLURM_ARRAY_TASK_ID\"", "--threads", "\"${SLURM_CPUS_PER_TASK:-1}\""]).Select(Shell));
        var lines = new List<string>
        {
            "#!/bin/bash",
            $"# pycog sweep '{sweep.Name}': one array task per unfinished run; written by 'pycog sweep run --slurm'.",
            $"#SBATCH --job-name=pycog-{sweep.Name}",
            $"#SBATCH --array={Ranges(indices)}",
            $"#SBATCH --cpus-per-task={options.CpusPerTask}",
            $"#SBATCH --output={Path.Combine(sweep.Out, "slurm-%A_%a.out")}",
            // SIGTERM to pycog itself shortly before the time limit: it saves, and a resubmission resumes.
            "#SBATCH --signal=B:TERM@120",
        };
        if (options.Time is not null) lines.Add($"#SBATCH --time={options.Time}");
        if (options.Partition is not null) lines.Add($"#SBATCH --partition={options.Partition}");
        lines.AddRange((options.ExtraOptions ?? []).Select(o => $"#SBATCH {o}"));
        lines.Add($"cd {Shell(workingDirectory)}");
        lines.Add("# exec: pycog is the batch process, so Slurm's SIGTERM (scancel, time limit) reaches it and it saves.");
        lines.Add($"exec {command}");
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>Writes the script as <c>sweep.sbatch</c> in the sweep's output folder and returns its path.</summary>
    public static string WriteScript(Sweep sweep, IReadOnlyList<int> indices, SlurmOptions options, PycogCommand pycog)
    {
        Directory.CreateDirectory(sweep.Out);
        string script = Path.Combine(sweep.Out, "sweep.sbatch");
        File.WriteAllText(script, Script(sweep, indices, options, pycog, Directory.GetCurrentDirectory()));
        return script;
    }

    /// <summary>
    /// Submits <paramref name="script"/> with sbatch and records the job in the output folder's
    /// <c>slurm-jobs.txt</c>; returns the job id. Without sbatch on PATH it is an
    /// <see cref="InvalidOperationException"/> that says so.
    /// </summary>
    public static string Submit(Sweep sweep, string script, IReadOnlyList<int> indices)
    {
        var sbatch = PycogCommand.FindOnPath("sbatch")
            ?? throw new SlurmUnavailableException("--slurm needs sbatch, which is not on PATH (is this a Slurm login node?); --dry-run writes the script only.");
        var p = Process.Start(new ProcessStartInfo(sbatch) { ArgumentList = { "--parsable", script }, RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = p.StandardOutput.ReadToEnd().Trim(), error = p.StandardError.ReadToEnd().Trim();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"sbatch failed (exit code {p.ExitCode}): {error.ReplaceLineEndings(" ")}");
        string job = output.Split(';')[0];
        File.AppendAllText(Path.Combine(sweep.Out, "slurm-jobs.txt"), $"{job} {Ranges(indices)} {DateTime.UtcNow:O}\n");
        return job;
    }

    /// <summary>Array index -> Slurm state for this sweep's jobs (sacct where accounting runs, then squeue, which wins).</summary>
    public static IReadOnlyDictionary<int, string> Queue(Sweep sweep)
    {
        var states = new Dictionary<int, string>();
        string jobsFile = Path.Combine(sweep.Out, "slurm-jobs.txt");
        if (!File.Exists(jobsFile)) return states;
        var jobs = File.ReadAllLines(jobsFile).Select(l => l.Split(' ')[0]).Where(j => j.Length > 0).ToList();
        foreach (var (tool, args) in new[] { ("sacct", new[] { "-n", "-P", "-X", "-o", "JobID,State", "-j", string.Join(",", jobs) }),
                                              ("squeue", new[] { "-h", "-r", "-o", "%i|%T", "-j", string.Join(",", jobs) }) })
        {
            if (PycogCommand.FindOnPath(tool) is not { } path) continue;
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
                        states[index] = parts[1].Trim();
                }
            }
            catch (System.ComponentModel.Win32Exception) { }
        }
        return states;
    }

    /// <summary>Array indices as Slurm ranges: 0-3,5,7-8.</summary>
    public static string Ranges(IReadOnlyList<int> indices)
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

    static string Shell(string s) => s.StartsWith('"') || s.All(c => char.IsLetterOrDigit(c) || "/._-=:+,".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";
}

/// <summary>Slurm's tools are not on this machine.</summary>
public sealed class SlurmUnavailableException(string message) : Exception(message);
