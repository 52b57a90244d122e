using PyCog.Cli;
using PyCog.IO;
using PyCog.Network;
using PyCog.Tasks;
using Spectre.Console;

const string Usage = """
usage: pycog <command> [options]

commands:
  train <task> [--seed N] [--engine fused|torch] [--threads N] [--out FILE] [--summary FILE.json] [--set name=value ...]
                                 train a network (resumes when --out holds an unfinished run); --threads: engine
                                 threads, default every core but one, which draws the next minibatches
  info <FILE>                    describe a trained network or checkpoint file
  tasks                          list the tasks
  trial <task> [--name gradient|validation|test] [--dt D] [--seed N] [--index B] [--set key=value ...]
                                 print one generated trial as JSON
  trials <FILE> --out OUT.npz [--n N] [--dt D] [--every K] [--seed S] [--set key=value ...] [--save-rates]
                                 run N test trials per condition with the fast integrator and save them
  sweep plan|run|status|collect <FILE> [--local [--jobs K]] [--slurm [--partition P] [--time T] [--cpus C] [--dry-run]]
                                 many runs from one sweep file, here on every core or as a Slurm job array
  fixedpoints <FILE> [--set input=v1,v2,...] [--out POINTS.json] [--trials N] [--every K]
                                 fixed and slow points under a constant input, with Jacobian eigenvalues and stability
  bench [--json FILE] [--steps N] [--threads N] [--only training|integrator]  time one training step of each engine, and the integrator, side by side
""";

// Redirected output (CI logs, files) gets wide tables instead of Spectre's 80-column default.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;

try
{
    if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
    {
        Console.WriteLine(Usage);
        return args.Length == 0 ? 2 : 0;
    }
    var rest = args.Skip(1);
    return args[0] switch
    {
        "train" => TrainCommand.Run(new Arguments(rest, TrainCommand.Valued, new HashSet<string>())),
        "sweep" => SweepCommand.Run(new Arguments(rest, SweepCommand.Valued, SweepCommand.Flags)),
        "fixedpoints" => FixedPointsCommand.Run(new Arguments(rest, FixedPointsCommand.Valued, new HashSet<string>())),
        "info" => InfoCommand.Run(new Arguments(rest, new HashSet<string>(), new HashSet<string>())),
        "tasks" => TasksCommand.Run(),
        "trial" => TrialCommand.Run(new Arguments(rest, new HashSet<string> { "--name", "--dt", "--seed", "--index", "--set" }, new HashSet<string>())),
        "trials" => TrialsCommand.Run(new Arguments(rest, new HashSet<string> { "--out", "--n", "--dt", "--every", "--seed", "--set" }, new HashSet<string> { "--save-rates" })),
        "bench" => BenchCommand.Run(new Arguments(rest, new HashSet<string> { "--json", "--steps", "--only", "--threads" }, new HashSet<string> { "--random" })),
        _ => throw new UsageException($"Unknown command '{args[0]}'."),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"pycog: {e.Message} ('pycog --help' lists the commands and options)");
    return 2;
}
catch (UnknownTaskException e)
{
    Console.Error.WriteLine($"pycog: {e.Message}");
    return 2;
}
catch (ConfigurationException e)
{
    Console.Error.WriteLine($"pycog: invalid parameter {e.Message}");
    return 2;
}
catch (PyCog.Sweeps.SweepException e)
{
    Console.Error.WriteLine($"pycog: {e.Message}");
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

static class TasksCommand
{
    public static int Run()
    {
        var table = new Table().AddColumns("task", "Nin/N/Nout", "conditions", "condition keys", "criterion", "description");
        foreach (var name in TaskRegistry.Names)
        {
            var t = TaskRegistry.Create(name);
            var c = t.Network;
            table.AddRow(Markup.Escape(name), $"{c.Nin}/{c.N}/{c.Nout}", t.Conditions.ToString(), Markup.Escape(string.Join(", ", t.FixedKeys)),
                Markup.Escape(t.Criterion), Markup.Escape(t.Description));
        }
        AnsiConsole.Write(table);
        return 0;
    }
}
