using System.Text.Json;
using PyCog.Numerics;
using PyCog.Tasks;

namespace PyCog.Cli;

/// <summary><c>pycog trial</c>: one generated trial as JSON, for inspecting a task.</summary>
static class TrialCommand
{
    const int MaxPrintedSteps = 1_000_000;

    public static int Run(Arguments a)
    {
        if (a.Positional.Count != 1) throw new UsageException("trial needs exactly one task name.");
        var task = TaskRegistry.Create(a.Positional[0]);
        var kind = (a.Get("--name") ?? "gradient").ToLowerInvariant() switch
        {
            "gradient" => TrialKind.Gradient,
            "validation" => TrialKind.Validation,
            "test" => TrialKind.Test,
            var other => throw new UsageException($"--name must be gradient, validation or test, got '{other}'."),
        };
        double dt = a.PositiveDouble("--dt", task.Network.EffectiveDt);
        task.Network.Resolve().Dynamics(dt); // refuses a dt above tau, as training does
        long seed = a.Long("--seed") ?? 1;
        int index = a.Int("--index", 0, 0, int.MaxValue);
        double steps = TrialLength.LongestMs(task, task.Network.Resolve()) / dt;
        if (steps > MaxPrintedSteps) throw new UsageException($"--dt {dt} ms gives about {steps:G3} time steps; trial prints at most {MaxPrintedSteps:N0}.");
        var request = new TrialRequest { Kind = kind, MinibatchIndex = index, Fixed = a.Pairs("--set") };
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
