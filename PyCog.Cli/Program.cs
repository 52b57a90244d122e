using PyCog.Cli;
using PyCog.Cli.Bench;
using PyCog.Cli.Commands;
using PyCog.IO;
using PyCog.Network;
using PyCog.Sweeps;
using PyCog.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

// Redirected output (CI logs, files) gets wide tables instead of Spectre's 80-column default.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("pycog");
    config.SetApplicationVersion(typeof(Program).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
    // Errors are reported below as one line each, with pycog's exit codes.
    config.PropagateExceptions();
    config.UseStrictParsing();   // an unknown option is an error, never silently ignored
    config.Settings.ShowOptionDefaultValues = true;
    config.AddCommand<TrainCommand>("train").WithDescription("Train a network on a task (resumes when --out holds an unfinished run).")
        .WithExample("train", "rdm_fixed", "--seed", "100").WithExample("train", "mante", "--set", "optimizer=adam", "--out", "runs/mante-adam.npz");
    config.AddCommand<InfoCommand>("info").WithDescription("Describe a trained network or checkpoint file.").WithExample("info", "data/rdm_fixed-seed100-fused.npz");
    config.AddCommand<TasksCommand>("tasks").WithDescription("List the tasks.");
    config.AddCommand<TrialCommand>("trial").WithDescription("Print one generated trial as JSON.").WithExample("trial", "rdm_fixed", "--name", "validation", "--index", "3");
    config.AddCommand<TrialsCommand>("trials").WithDescription("Run N test trials per condition with the fast integrator and save them (.npz).")
        .WithExample("trials", "data/rdm_fixed-seed100-fused.npz", "--out", "trials.npz", "-n", "100");
    config.AddCommand<FixedPointsCommand>("fixedpoints").WithDescription("Fixed and slow points under a constant input, with Jacobian eigenvalues and stability.")
        .WithExample("fixedpoints", "data/mante-seed100-fused.npz", "--set", "input=1,0,0.5,0.5,0.5,0.5");
    config.AddBranch("sweep", sweep =>
    {
        sweep.SetDescription("Many training runs from one sweep file: here on every core, or as a Slurm job array.");
        sweep.AddCommand<SweepPlanCommand>("plan").WithDescription("List the runs a sweep file expands to.");
        sweep.AddCommand<SweepRunCommand>("run").WithDescription("Run the unfinished runs here (--local) or submit them to Slurm (--slurm).");
        sweep.AddCommand<SweepStatusCommand>("status").WithDescription("Where every run stands, from its file and the Slurm queue.");
        sweep.AddCommand<SweepCollectCommand>("collect").WithDescription("Gather every run into CSV, JSON and a manifest.");
        sweep.AddCommand<SweepTaskCommand>("task").WithDescription("Run one run of the sweep in this process (what a Slurm array task executes).").IsHidden();
    });
    config.AddCommand<BenchCommand>("bench").WithDescription("Time one training step of each engine, and the integrator, side by side.");
});

// pycog's earlier option --n (one letter after two dashes, which Spectre.Console.Cli does not allow) stays an alias.
args = [.. args.Select(a => a == "--n" ? "--per-condition" : a.StartsWith("--n=", StringComparison.Ordinal) ? "--per-condition=" + a[4..] : a)];

try
{
    if (args.Length == 0)
    {
        app.Run(["--help"]);
        return 2;
    }
    return app.Run(args);
}
catch (CommandAppException e)
{
    // Spectre's parse and validation errors; an unknown word after "sweep" names the sweep verbs.
    string message = e.Message.ReplaceLineEndings(" ").Trim();
    bool unknownCommand = message.StartsWith("Unknown command", StringComparison.Ordinal);
    if (args[0] == "sweep" && unknownCommand)
        message = $"Unknown sweep verb '{(args.Length > 1 ? args[1] : "")}': plan, run, status or collect.";
    // The first word names a command unless Spectre said it does not (an unknown word after "sweep" is a verb).
    Console.Error.WriteLine($"pycog: {message} ({Help(!args[0].StartsWith('-') && (!unknownCommand || args[0] == "sweep"))})");
    return 2;
}
catch (UsageException e)
{
    Console.Error.WriteLine($"pycog: {e.Message} ({Help(commandKnown: true)})");
    return 2;
}
catch (Exception e) when (e is UnknownTaskException or SweepException or SlurmUnavailableException)
{
    Console.Error.WriteLine($"pycog: {e.Message}");
    return 2;
}
catch (ConfigurationException e)
{
    Console.Error.WriteLine($"pycog: invalid parameter {e.Message}");
    return 2;
}
catch (NetworkFileException e)
{
    Console.Error.WriteLine($"pycog: {e.Message}");
    return 1;
}
catch (Exception e) when (e is TaskException or InvalidOperationException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"pycog: {e.Message}");
    return 1;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"pycog: {e.Message}");
    return 2;
}
catch (OutOfMemoryException)
{
    Console.Error.WriteLine("pycog: out of memory; use a smaller network, fewer trials or a larger dt.");
    return 1;
}
catch (Exception e) when (Environment.GetEnvironmentVariable("PYCOG_DEBUG") is null)
{
    // Never a stack trace for a user: one line naming what failed (PYCOG_DEBUG=1 shows the trace).
    Console.Error.WriteLine($"pycog: unexpected {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")} (set PYCOG_DEBUG=1 for details)");
    return 1;
}

// Where to read more: the command's own help when the first word is a command, else the list of commands.
string Help(bool commandKnown) => commandKnown ? $"'pycog {args[0]} --help' lists its options" : "'pycog --help' lists the commands";
