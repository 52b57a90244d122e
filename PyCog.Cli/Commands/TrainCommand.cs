using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using PyCog.IO;
using PyCog.Network;
using PyCog.Tasks;
using PyCog.Torch;
using PyCog.Training;
using PyCog.Training.Callbacks;
using System.ComponentModel;
using PyCog.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PyCog.Cli.Commands;

/// <summary><c>pycog train</c>: trains a task with a live progress display and optional JSON summary.</summary>
sealed class TrainCommand : Command<TrainCommand.Settings>
{
    /// <summary>The options of <c>pycog train</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<TASK>"), Description("The task ('pycog tasks' lists them).")]
        public string Task { get; init; } = "";

        [CommandOption("--seed <SEED>"), Description("Initialisation seed, pycog's seed (default: 1234, or --set seed=).")]
        public string? Seed { get; init; }

        [CommandOption("--engine <ENGINE>"), Description("fused (hand-written SIMD) or torch (TorchSharp autograd)."), DefaultValue("fused")]
        public string Engine { get; init; } = "fused";

        [CommandOption("--threads <N>"), Description("Engine threads (default: every core; they also draw the minibatches between steps).")]
        public string? Threads { get; init; }

        [CommandOption("--out <FILE>"), Description("Checkpoint and trained network (.npz); an unfinished run there resumes. Default runs/TASK-seedSEED-ENGINE.npz.")]
        public string? Out { get; init; }

        [CommandOption("--summary <FILE>"), Description("Write a JSON summary of the run here at the end.")]
        public string? Summary { get; init; }

        [CommandOption("--set <NAME=VALUE>"), Description("Any of pycog's parameters by name (repeatable), e.g. --set var_rec=0.01 --set optimizer=adam.")]
        public string[] Set { get; init; } = [];
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings a, CancellationToken cancellation)
    {
        var task = TaskRegistry.Create(a.Task);
        string engine = a.Engine.ToLowerInvariant();
        int threads = OptionValues.Int("--threads", a.Threads, FusedEngine.TrainingThreads, 1, 1024);
        EngineFactory factory = engine switch
        {
            "fused" => FusedEngine.WithThreads(threads),
            "torch" => TorchEngine.Factory(threads: threads),
            _ => throw new UsageException($"Unknown engine '{engine}'. Engines: fused, torch."),
        };
        var (network, training) = RunParameters.Apply(task.Network, TrainingConfig.For(task), a.Set);
        if (OptionValues.Long("--seed", a.Seed) is long seed) training = training with { Seed = seed };
        string output = a.Out ?? Path.Combine("runs", $"{task.Name}-seed{training.Seed}-{engine}.npz");

        bool resuming = File.Exists(output);
        // A run resumes under the reproducibility contract it was started under, unless one is asked for.
        if (resuming && !a.Set.Any(s => s.TrimStart().StartsWith("reproducibility", StringComparison.OrdinalIgnoreCase)))
            training = training with { Reproducibility = NetworkFile.Load(output).Reproducibility };
        AnsiConsole.MarkupLine(resuming
            ? $"[bold]pycog train[/] {Markup.Escape(task.Name)}: resuming from [blue]{Markup.Escape(output)}[/] with the {engine} engine"
            : $"[bold]pycog train[/] {Markup.Escape(task.Name)} (seed {training.Seed}, {engine} engine) -> [blue]{Markup.Escape(output)}[/]");
        if (!resuming)
        {
            var c = network.Resolve().Config;
            var t = training.Resolve(c);
            AnsiConsole.MarkupLine($"  Nin/N/Nout {c.Nin}/{c.N}/{c.Nout}, dt {c.EffectiveDt} ms, tau {c.Tau} ms, var_rec {c.VarRec}, n_gradient {t.NGradient}, checkfreq {t.CheckFrequency}, criterion: {Markup.Escape(task.Criterion)}");
        }

        // Ctrl+C (SIGINT), a scheduler's SIGTERM before its SIGKILL, and SIGHUP (a closed terminal)
        // all stop after the current step and save: the same command resumes.
        using var cts = new CancellationTokenSource();
        int stopSignal = 0;
        using var signals = new StopSignals(context =>
        {
            if (Interlocked.CompareExchange(ref stopSignal, (int)context.Signal, 0) != 0) return;
            cts.Cancel();
            Console.Error.WriteLine($"pycog: {context.Signal}: stopping after this step; the checkpoint will hold everything to resume.");
        });
        var display = new ProgressDisplay();
        var trainer = new Trainer(task, network, training)
        {
            Engine = factory,
            CheckpointPath = output,
            Callbacks = [display],
            Notes = new Dictionary<string, string> { ["command"] = "pycog train " + string.Join(" ", Environment.GetCommandLineArgs().Skip(2)) },
        };
        TrainingResult result;
        if (display.Live)
        {
            // On a terminal: a live table, redrawn at every validation.
            TrainingResult? live = null;
            AnsiConsole.Live(display.Table).AutoClear(false).Start(ctx =>
            {
                display.Refresh = ctx.Refresh;
                live = trainer.Train(cts.Token);
            });
            result = live!;
        }
        else result = trainer.Train(cts.Token);

        string perf = result.Performance is double p ? $"{p:F1}%" : "n/a";
        AnsiConsole.MarkupLine(result.Termination switch
        {
            var t when t == Termination.Criterion => $"[green]Criterion met[/] after {result.TrialsSeen:N0} trials, {result.Seconds:F1} s: performance {perf}, RMSE {result.Rmse:F4}.",
            var t when t == Termination.MinError => $"[green]Reached min_error[/] after {result.TrialsSeen:N0} trials, {result.Seconds:F1} s: RMSE {result.Rmse:F4}.",
            var t when t == Termination.Cancelled => $"[yellow]Stopped[/] after {result.TrialsSeen:N0} trials; run the same command to resume.",
            var t when t == Termination.Diverged => $"[red]Diverged[/] after {result.TrialsSeen:N0} trials: the weights or the validation cost became NaN or infinite. " +
                $"The best network (iteration {result.Trained.Best.Iteration:N0}, validation cost {result.Trained.Best.Cost:G4}) is kept. " +
                $"Try a smaller learning_rate (now {training.EffectiveLearningRate:G3}) or max_gradient_norm (now {training.MaxGradientNorm:G3}).",
            _ => $"[yellow]Stopped ({result.Termination})[/] after {result.TrialsSeen:N0} trials, {result.Seconds:F1} s without meeting the criterion: performance {perf}, RMSE {result.Rmse:F4}.",
        });
        AnsiConsole.MarkupLine($"Trained network: [blue]{Markup.Escape(output)}[/]");

        if (a.Summary is string summaryPath)
        {
            var summary = new Dictionary<string, object?>
            {
                ["task"] = task.Name,
                ["seed"] = result.Trained.Seed,
                ["engine"] = engine,
                ["reached"] = result.CriterionReached,
                ["termination"] = result.Termination.ToString(),
                ["trials"] = result.TrialsSeen,
                ["seconds"] = Math.Round(result.Seconds, 3),
                ["performance"] = result.Performance,
                ["rmse"] = double.IsFinite(result.Rmse) ? result.Rmse : null,
                ["file"] = output,
            };
            string? dir = Path.GetDirectoryName(Path.GetFullPath(summaryPath));
            if (dir is not null) Directory.CreateDirectory(dir);
            File.WriteAllText(summaryPath, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
        }
        // Stopped by a signal: 128 + its number, as a shell reports it; diverged: 3.
        return result.Termination switch
        {
            var t when t == Termination.Cancelled => 128 + (stopSignal == (int)PosixSignal.SIGTERM ? 15 : stopSignal == (int)PosixSignal.SIGHUP ? 1 : 2),
            var t when t == Termination.Diverged => 3,
            _ => 0,
        };
    }

    /// <summary>
    /// Shows each validation as it happens: on a terminal a live Spectre table (the last 15
    /// validations); when the output is redirected, one plain line per validation.
    /// </summary>
    sealed class ProgressDisplay : ITrainingCallback
    {
        static readonly string[] Columns = ["trials", "val. cost", "RMSE", "perf.", "best?", "best cost", "Omega", "rho", "elapsed"];
        bool _header;

        public bool Live { get; } = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        public Table Table { get; } = new Table().AddColumns(Columns).Title("validations");
        public Action? Refresh { get; set; }

        public void OnWarning(string warning) => AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");

        public void OnValidation(TrainingProgress p, TrainingState state)
        {
            string[] cells =
            [
                p.TrialsSeen.ToString("N0", CultureInfo.InvariantCulture),
                p.ValidationCost.ToString("F6", CultureInfo.InvariantCulture),
                p.Rmse.ToString("F6", CultureInfo.InvariantCulture),
                p.Performance is double v ? v.ToString("F1", CultureInfo.InvariantCulture) + "%" : "n/a",
                p.IsNewBest ? "new" : "",
                p.BestCost.ToString("F6", CultureInfo.InvariantCulture),
                p.Omega is double o ? o.ToString("F4", CultureInfo.InvariantCulture) : "n/a",
                double.IsNaN(p.SpectralRadius) ? "n/a" : p.SpectralRadius.ToString("F3", CultureInfo.InvariantCulture),
                $"{p.Elapsed.TotalSeconds:F1}s",
            ];
            if (Live)
            {
                if (Table.Rows.Count >= 15) Table.Rows.RemoveAt(0);
                Table.AddRow(cells.Select(c => p.IsNewBest ? $"[green]{Markup.Escape(c)}[/]" : Markup.Escape(c)).ToArray());
                Refresh?.Invoke();
                return;
            }
            if (!_header)
            {
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,10} {1,10} {2,10} {3,9} {4,7} {5,10} {6,8} {7,6} {8,9}", Columns));
                _header = true;
            }
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,10} {1,10} {2,10} {3,9} {4,7} {5,10} {6,8} {7,6} {8,9}", cells));
        }
    }
}
