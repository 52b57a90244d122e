using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using PyCog.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PyCog.Cli.Commands;

/// <summary>
/// What every <c>pycog sweep</c> verb takes: the sweep file. The sweep itself (its runs, the local
/// runner, the Slurm job array, the results table) is the PyCog.Sweeps library; these commands
/// only show it.
/// </summary>
class SweepSettings : CommandSettings
{
    [CommandArgument(0, "<FILE>"), Description("The sweep file (JSON: tasks, seeds, set, grid or runs, out).")]
    public string File { get; init; } = "";

    /// <summary>The sweep, read and checked.</summary>
    public Sweep Load() => Sweep.Load(File);

    public static string Rel(string path) => Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
}

/// <summary><c>pycog sweep plan FILE</c>: the runs a sweep expands to.</summary>
sealed class SweepPlanCommand : Command<SweepSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, SweepSettings settings, CancellationToken cancellation)
    {
        var sweep = settings.Load();
        var table = new Table().Title($"sweep {Markup.Escape(sweep.Name)}: {sweep.Runs.Count} runs").AddColumns("#", "task", "seed", "parameters", "file");
        foreach (var r in sweep.Runs)
            table.AddRow(r.Index.ToString(CultureInfo.InvariantCulture), r.Task, r.Seed.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Describe()), Markup.Escape(SweepSettings.Rel(r.File)));
        AnsiConsole.Write(table);
        return 0;
    }
}

/// <summary><c>pycog sweep run FILE --local|--slurm</c>: the unfinished runs, here or as one Slurm job array.</summary>
sealed class SweepRunCommand : Command<SweepRunCommand.Settings>
{
    /// <summary>The options of <c>pycog sweep run</c>.</summary>
    public sealed class Settings : SweepSettings
    {
        [CommandOption("--local"), Description("Run here, --jobs at a time, each with its share of the cores.")]
        public bool Local { get; init; }

        [CommandOption("--jobs <K>"), Description("Runs at a time with --local (default: one per core).")]
        public string? Jobs { get; init; }

        [CommandOption("--slurm"), Description("Submit one Slurm job array (one array task per unfinished run).")]
        public bool Slurm { get; init; }

        [CommandOption("--cpus <C>"), Description("CPUs per array task with --slurm."), DefaultValue("1")]
        public string Cpus { get; init; } = "1";

        [CommandOption("--time <T>"), Description("Time limit per array task (Slurm's syntax, e.g. 2:00:00).")]
        public string? Time { get; init; }

        [CommandOption("--partition <P>"), Description("Slurm partition.")]
        public string? Partition { get; init; }

        [CommandOption("--sbatch-option <OPTION>"), Description("A further #SBATCH line (repeatable), e.g. --sbatch-option=--mem=4G.")]
        public string[] SbatchOptions { get; init; } = [];

        [CommandOption("--dry-run"), Description("With --slurm: write and print the sbatch script, submit nothing.")]
        public bool DryRun { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        if (settings.Local == settings.Slurm) throw new UsageException("sweep run needs --local or --slurm.");
        int jobs = OptionValues.Int("--jobs", settings.Jobs, Math.Max(1, Environment.ProcessorCount), 1, 256);
        var sweep = settings.Load();
        return settings.Local ? Local(sweep, jobs) : Slurm(sweep, settings);
    }

    /// <summary>Runs the sweep here with a live table (a line per event when the output is redirected).</summary>
    static int Local(Sweep sweep, int jobs)
    {
        var runner = new LocalSweep(sweep, PycogCommand.CurrentProcess(), jobs);
        using var cts = new CancellationTokenSource();
        using var signals = new StopSignals(_ => cts.Cancel());
        bool live = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        int todo = runner.Unfinished.Count;
        AnsiConsole.MarkupLine($"[bold]pycog sweep[/] {Markup.Escape(sweep.Name)}: {sweep.Runs.Count} runs, {todo} to do, {jobs} at a time with {runner.ThreadsPerRun} threads each -> [blue]{Markup.Escape(SweepSettings.Rel(sweep.Out))}[/]");
        Table View()
        {
            var t = new Table().AddColumns("#", "task", "seed", "parameters", "state", "last validation");
            foreach (var r in sweep.Runs)
            {
                string state = runner.StateOf(r);
                t.AddRow(r.Index.ToString(CultureInfo.InvariantCulture), r.Task, r.Seed.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Describe()),
                    Markup.Escape(state), Markup.Escape(state == "running" ? LocalSweep.LastValidation(r) : ""));
            }
            return t;
        }
        LocalSweepOutcome outcome;
        if (live)
        {
            LocalSweepOutcome? result = null;
            AnsiConsole.Live(View()).AutoClear(false).Start(ctx =>
            {
                runner.StateChanged += (_, _) => { ctx.UpdateTarget(View()); ctx.Refresh(); };
                result = runner.Run(cts.Token);
            });
            outcome = result!;
        }
        else
        {
            runner.StateChanged += (r, state) => Console.WriteLine($"run {r.Index} ({r.Task} seed {r.Seed} {r.Describe()}): {state}");
            outcome = runner.Run(cts.Token);
        }
        foreach (var f in outcome.Failures) Console.Error.WriteLine($"pycog: {f}");
        var final = SweepResults.Collect(sweep);
        AnsiConsole.MarkupLine($"{final.Count(r => r.State == RunState.Finished)} of {final.Count} runs finished; 'pycog sweep collect {Markup.Escape(SweepSettings.Rel(sweep.Path))}' gathers them.");
        return outcome.Stopped ? 130 : outcome.Failures.Count > 0 ? 1 : 0;
    }

    /// <summary>Writes the sbatch script for the unfinished runs and submits it as one job array.</summary>
    static int Slurm(Sweep sweep, Settings settings)
    {
        var todo = SlurmSweep.Unfinished(sweep);
        if (todo.Count == 0) { AnsiConsole.MarkupLine("Every run has finished; nothing to submit."); return 0; }
        var options = new SlurmOptions(OptionValues.Int("--cpus", settings.Cpus, 1, 1, 1024), settings.Time, settings.Partition, settings.SbatchOptions);
        string script = SlurmSweep.WriteScript(sweep, todo, options, PycogCommand.CurrentProcess());
        AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(SweepSettings.Rel(script))}[/] ({todo.Count} array tasks).");
        if (settings.DryRun) { Console.WriteLine(File.ReadAllText(script)); return 0; }
        string job = SlurmSweep.Submit(sweep, script, todo);
        AnsiConsole.MarkupLine($"Submitted job array [bold]{Markup.Escape(job)}[/] ({todo.Count} runs); 'pycog sweep status {Markup.Escape(SweepSettings.Rel(sweep.Path))}' follows it.");
        return 0;
    }
}

/// <summary><c>pycog sweep status FILE</c>: queued, running, finished and failed runs, from the files and from Slurm.</summary>
sealed class SweepStatusCommand : Command<SweepSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, SweepSettings settings, CancellationToken cancellation)
    {
        var sweep = settings.Load();
        var results = SweepResults.Collect(sweep);
        var queue = SlurmSweep.Queue(sweep);
        var table = new Table().Title($"sweep {Markup.Escape(sweep.Name)}").AddColumns("#", "task", "seed", "parameters", "file", "Slurm", "trials", "performance / RMSE");
        foreach (var r in results)
        {
            string slurm = queue.TryGetValue(r.Run.Index, out var s) ? s : "";
            string measure = r.Performance is double p ? $"{p:F1}%" : r.Rmse is double e && double.IsFinite(e) ? $"{e:F4}" : "";
            string file = r.State switch
            {
                RunState.Finished => r.Reached ? "finished (criterion)" : $"finished ({r.Trained!.Termination})",
                RunState.Unfinished => "checkpoint (resumable)",
                RunState.Unreadable => "unreadable",
                _ => "not started",
            };
            table.AddRow(r.Run.Index.ToString(CultureInfo.InvariantCulture), r.Run.Task, r.Run.Seed.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Run.Describe()),
                Markup.Escape(file), Markup.Escape(slurm), r.Trials?.ToString("N0", CultureInfo.InvariantCulture) ?? "", measure);
        }
        AnsiConsole.Write(table);
        var counts = results.GroupBy(r => r.State).Select(g => $"{g.Count()} {Network.ParameterText.Snake(g.Key).Replace('_', ' ')}");
        AnsiConsole.MarkupLine($"{string.Join(", ", counts)}; in the Slurm queue: {queue.Count}.");
        return 0;
    }
}

/// <summary><c>pycog sweep collect FILE</c>: every run into CSV, JSON and a manifest.</summary>
sealed class SweepCollectCommand : Command<SweepCollectCommand.Settings>
{
    /// <summary>The options of <c>pycog sweep collect</c>.</summary>
    public sealed class Settings : SweepSettings
    {
        [CommandOption("--csv <FILE>"), Description("The table as CSV (default: OUT/results.csv).")]
        public string? Csv { get; init; }

        [CommandOption("--json <FILE>"), Description("The table as JSON (default: OUT/results.json).")]
        public string? Json { get; init; }

        [CommandOption("--manifest <FILE>"), Description("A manifest in data/manifest.json's form (default: OUT/manifest.json).")]
        public string? Manifest { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        var sweep = settings.Load();
        var results = SweepResults.Collect(sweep);
        Directory.CreateDirectory(sweep.Out);
        string csv = settings.Csv ?? Path.Combine(sweep.Out, "results.csv");
        string json = settings.Json ?? Path.Combine(sweep.Out, "results.json");
        string manifest = settings.Manifest ?? Path.Combine(sweep.Out, "manifest.json");
        string root = sweep.Out;
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        IO.AtomicFile.Write(csv, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(SweepResults.Csv(results, root)); });
        IO.AtomicFile.Write(json, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(SweepResults.Json(results, root).ToJsonString(options)); });
        IO.AtomicFile.Write(manifest, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(SweepResults.Manifest(sweep, results, root).ToJsonString(options)); });
        Console.Write(SweepResults.Csv(results, root));
        AnsiConsole.MarkupLine($"{results.Count(r => r.State == RunState.Finished)} of {results.Count} runs finished; wrote [blue]{Markup.Escape(SweepSettings.Rel(csv))}[/], [blue]{Markup.Escape(SweepSettings.Rel(json))}[/], [blue]{Markup.Escape(SweepSettings.Rel(manifest))}[/].");
        return 0;
    }
}

/// <summary><c>pycog sweep task FILE --index I</c>: one run in this process (what each Slurm array task executes).</summary>
sealed class SweepTaskCommand : Command<SweepTaskCommand.Settings>
{
    /// <summary>The options of <c>pycog sweep task</c>.</summary>
    public sealed class Settings : SweepSettings
    {
        [CommandOption("--index <I>"), Description("The run's index (Slurm's array task id).")]
        public string? Index { get; init; }

        [CommandOption("--threads <N>"), Description("Engine threads.")]
        public string? Threads { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        var sweep = settings.Load();
        if (settings.Index is null) throw new UsageException("sweep task needs --index I.");
        var run = sweep.Runs[OptionValues.Int("--index", settings.Index, -1, 0, sweep.Runs.Count - 1)];
        int? threads = settings.Threads is null ? null : OptionValues.Int("--threads", settings.Threads, 1, 1, 1024);
        // The run's own `pycog train` arguments, the ones a local sweep starts its processes with.
        var train = new CommandApp<TrainCommand>();
        train.Configure(c => { c.PropagateExceptions(); c.UseStrictParsing(); });
        return train.Run(run.TrainArguments(sweep.Engine, threads).Skip(1));
    }
}
