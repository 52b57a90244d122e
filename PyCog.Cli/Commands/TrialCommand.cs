using System.ComponentModel;
using System.Text.Json;
using Spectre.Console.Cli;
using PyCog.Numerics;
using PyCog.Tasks;

namespace PyCog.Cli.Commands;

/// <summary><c>pycog trial</c>: one generated trial as JSON, for inspecting a task.</summary>
sealed class TrialCommand : Command<TrialCommand.Settings>
{
    const int MaxPrintedSteps = 1_000_000;

    /// <summary>The options of <c>pycog trial</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<TASK>"), Description("The task.")]
        public string Task { get; init; } = "";

        [CommandOption("--name <KIND>"), Description("gradient, validation or test (pycog's trial names)."), DefaultValue("gradient")]
        public string Name { get; init; } = "gradient";

        [CommandOption("--dt <MS>"), Description("Time step, ms (default: the task's dt).")]
        public string? Dt { get; init; }

        [CommandOption("--seed <SEED>"), Description("Seed of the trial's generator."), DefaultValue("1")]
        public string Seed { get; init; } = "1";

        [CommandOption("--index <B>"), Description("Trial index in its minibatch (validation trials cycle through the conditions)."), DefaultValue("0")]
        public string Index { get; init; } = "0";

        [CommandOption("--set <KEY=VALUE>"), Description("Fix a condition (repeatable), e.g. --set coh=16 --set in_out=1.")]
        public string[] Set { get; init; } = [];
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings a, CancellationToken cancellation)
    {
        var task = TaskRegistry.Create(a.Task);
        var kind = a.Name.ToLowerInvariant() switch
        {
            "gradient" => TrialKind.Gradient,
            "validation" => TrialKind.Validation,
            "test" => TrialKind.Test,
            var other => throw new UsageException($"--name must be gradient, validation or test, got '{other}'."),
        };
        double dt = OptionValues.PositiveDouble("--dt", a.Dt, task.Network.EffectiveDt);
        task.Network.Resolve().Dynamics(dt); // refuses a dt above tau, as training does
        long seed = OptionValues.Long("--seed", a.Seed) ?? 1;
        int index = OptionValues.Int("--index", a.Index, 0, 0, int.MaxValue);
        double steps = TrialLength.LongestMs(task, task.Network.Resolve()) / dt;
        if (steps > MaxPrintedSteps) throw new UsageException($"--dt {dt} ms gives about {steps:G3} time steps; trial prints at most {MaxPrintedSteps:N0}.");
        var request = new TrialRequest { Kind = kind, MinibatchIndex = index, Fixed = OptionValues.Pairs("--set", a.Set) };
        try { task.ValidateFixed(request); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        var trial = task.GenerateCheckedTrial(new Rng(seed), dt, request, task.Network);

        var json = new Dictionary<string, object?>
        {
            ["task"] = task.Name,
            ["name"] = kind.ToString().ToLowerInvariant(),
            ["dt"] = dt,
            ["T"] = trial.T,
            ["t"] = trial.Times,
            ["epochs"] = trial.Epochs.ToDictionary(e => e.Key, e => new[] { e.Value.Start, e.Value.End }),
            ["inputs"] = trial.Inputs.ToJagged(),
            ["outputs"] = trial.Outputs?.ToJagged(),
            ["mask"] = trial.Mask?.ToJagged(),
            ["info"] = trial.Info.ConditionForJson(),
        };
        Console.WriteLine(JsonSerializer.Serialize(json));
        return 0;
    }
}
