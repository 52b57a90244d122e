using System.Globalization;
using System.Text.Json;
using PyCog.Analysis;
using PyCog.Simulation;
using PyCog.Tasks;
using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PyCog.Cli.Commands;

/// <summary>
/// <c>pycog fixedpoints FILE [--set input=v1,v2,...] [--out POINTS.json]</c>: fixed and slow
/// points of a trained network under a constant input, from states its test trials visit, with
/// each point's Jacobian eigenvalues and stability, as JSON.
/// </summary>
sealed class FixedPointsCommand : Command<FixedPointsCommand.Settings>
{
    /// <summary>The options of <c>pycog fixedpoints</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>"), Description("A trained network (.npz).")]
        public string File { get; init; } = "";

        [CommandOption("--set <input=V1,V2,...>"), Description("The constant input: Nin values, or one for all (default: all zero).")]
        public string[] Set { get; init; } = [];

        [CommandOption("--out <POINTS.json>"), Description("Write the points, their eigenvalues and stability as JSON.")]
        public string? Out { get; init; }

        [CommandOption("--trials <N>"), Description("Test trials per condition whose visited states are the starts."), DefaultValue("1")]
        public string Trials { get; init; } = "1";

        [CommandOption("--every <K>"), Description("Take every K-th visited state (1 ms steps) as a start."), DefaultValue("200")]
        public string Every { get; init; } = "200";

        [CommandOption("--seed <SEED>"), Description("Seed of the trials."), DefaultValue("1")]
        public string Seed { get; init; } = "1";
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings a, CancellationToken cancellation)
    {
        var net = TrainedNetwork.Load(a.File);
        int nin = net.Config.Nin;
        var set = OptionValues.Pairs("--set", a.Set);
        foreach (var key in set.Keys) if (key != "input") throw new UsageException($"fixedpoints takes --set input=v1,v2,... (Nin = {nin} values, or one for all), not '{key}'.");
        double[] input = new double[nin];
        if (set.TryGetValue("input", out var text))
        {
            var values = text.Split(',').Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d
                : throw new UsageException($"input values must be numbers, got '{v}'.")).ToArray();
            if (values.Length == 1) Array.Fill(input, values[0]);
            else if (values.Length == nin) input = values;
            else throw new UsageException($"input has {values.Length} values; the network has Nin = {nin} (give {nin}, or one for all).");
        }
        int perCondition = OptionValues.Int("--trials", a.Trials, 1, 1, 100);
        int every = OptionValues.Int("--every", a.Every, 200, 1, 1_000_000);
        long seed = OptionValues.Long("--seed", a.Seed) ?? 1;
        if (!TaskRegistry.Contains(net.Task)) throw new UsageException($"The network was trained on '{net.Task}', which is not a registered task.");
        var task = TaskRegistry.Create(net.Task);
        // Starting states: states the network visits on test trials, as in Sussillo and Barak (2013).
        var trials = new Integrator(net, new SimulationOptions { Dt = 1, RecordEvery = 1 }).Run(task, ConditionGrid.TestRequests(task, perCondition), seed);
        var starts = FixedPoints.StartsFrom(trials, every, seed: seed).ToList();
        var points = FixedPoints.Find(net, input, starts);

        var table = new Table().Title(Markup.Escape($"{net.Task}: {points.Count} fixed and slow points from {starts.Count} starts, input ({string.Join(", ", input.Select(v => v.ToString("G3", CultureInfo.InvariantCulture)))})"))
            .AddColumns("#", "kind", "q", "stability", "largest Re(eigenvalue) 1/ms", "mean rate");
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            table.AddRow(i.ToString(CultureInfo.InvariantCulture), p.IsFixed ? "fixed" : "slow", p.Q.ToString("E2", CultureInfo.InvariantCulture), p.Stability.ToString(),
                p.Eigenvalues[0].Real.ToString("G4", CultureInfo.InvariantCulture), p.Rates(net.Config.HiddenActivation).Average().ToString("F3", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        if (a.Out is string output)
        {
            var json = new Dictionary<string, object>
            {
                ["task"] = net.Task, ["input"] = input, ["starts"] = starts.Count,
                ["points"] = points.Select(p => new Dictionary<string, object>
                {
                    ["x"] = p.X, ["q"] = p.Q, ["fixed"] = p.IsFixed, ["stability"] = p.Stability.ToString().ToLowerInvariant(),
                    ["eigenvalues"] = p.Eigenvalues.Select(z => new[] { z.Real, z.Imaginary }).ToArray(),
                }).ToList(),
            };
            IO.AtomicFile.Write(output, s => JsonSerializer.Serialize(s, json, new JsonSerializerOptions { WriteIndented = true }));
            AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(output)}[/]");
        }
        return 0;
    }
}
