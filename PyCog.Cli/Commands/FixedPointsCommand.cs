using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using PyCog.Analysis;
using PyCog.Plotting;
using PyCog.Simulation;
using PyCog.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PyCog.Cli.Commands;

/// <summary>
/// <c>pycog fixedpoints FILE</c>: fixed and slow points of a trained network under the constant
/// input its task presents in one epoch (or <c>--set input=...</c>), from states its test trials
/// visit, with each point's Jacobian eigenvalues and stability; a table, JSON and a figure.
/// </summary>
sealed class FixedPointsCommand : Command<FixedPointsCommand.Settings>
{
    /// <summary>The options of <c>pycog fixedpoints</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>"), Description("A trained network (.npz).")]
        public string File { get; init; } = "";

        [CommandOption("--epoch <NAME>"), Description("The epoch whose input is held constant, e.g. fixation, stimulus, delay (default: delay if the task has one, else stimulus).")]
        public string? Epoch { get; init; }

        [CommandOption("--condition <KEY=VALUE>"), Description("The trial condition whose input is held (repeatable), e.g. --condition context=c (default: the first test condition, 0% coherence for rdm).")]
        public string[] Condition { get; init; } = [];

        [CommandOption("--set <input=V1,V2,...>"), Description("An explicit constant input instead: Nin values, or one for all.")]
        public string[] Set { get; init; } = [];

        [CommandOption("--out <POINTS.json>"), Description("Write the points, their eigenvalues and stability as JSON.")]
        public string? Out { get; init; }

        [CommandOption("--plot <FILE.png>"), Description("Draw the points on the condition-averaged trajectories (PCA of the visited states); an SVG is written beside it.")]
        public string? Plot { get; init; }

        [CommandOption("--trials <N>"), Description("Test trials per condition whose visited states are the starts."), DefaultValue("1")]
        public string Trials { get; init; } = "1";

        [CommandOption("--every <K>"), Description("Take every K-th visited state (1 ms steps) as a start."), DefaultValue("50")]
        public string Every { get; init; } = "50";

        [CommandOption("--relax-steps <N>"), Description("Euler steps (1 ms) of the first pass, which keeps each start's slowest state."), DefaultValue("300")]
        public string RelaxSteps { get; init; } = "300";

        [CommandOption("--candidates <N>"), Description("The slowest distinct states that BFGS polishes."), DefaultValue("32")]
        public string Candidates { get; init; } = "32";

        [CommandOption("--slow-tolerance <Q>"), Description("Keep points with q = |dx/dt|^2 / 2 below this, (1/ms)^2."), DefaultValue("1e-5")]
        public string SlowTolerance { get; init; } = "1e-5";

        [CommandOption("--min-distance <D>"), Description("Points closer than this (Euclidean, state units) are one."), DefaultValue("0.01")]
        public string MinDistance { get; init; } = "0.01";

        [CommandOption("--seed <SEED>"), Description("Seed of the trials."), DefaultValue("1")]
        public string Seed { get; init; } = "1";
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings a, CancellationToken cancellation)
    {
        var net = TrainedNetwork.Load(a.File);
        int nin = net.Config.Nin;
        if (!TaskRegistry.Contains(net.Task)) throw new UsageException($"The network was trained on '{net.Task}', which is not a registered task.");
        var task = TaskRegistry.Create(net.Task);
        var set = OptionValues.Pairs("--set", a.Set);
        foreach (var key in set.Keys) if (key != "input") throw new UsageException($"fixedpoints takes --set input=v1,v2,... (Nin = {nin} values, or one for all), not '{key}'.");
        int perCondition = OptionValues.Int("--trials", a.Trials, 1, 1, 100);
        int every = OptionValues.Int("--every", a.Every, 50, 1, 1_000_000);
        long seed = OptionValues.Long("--seed", a.Seed) ?? 1;
        var options = new FixedPointOptions
        {
            RelaxSteps = OptionValues.Int("--relax-steps", a.RelaxSteps, 300, 0, 1_000_000),
            Candidates = OptionValues.Int("--candidates", a.Candidates, 32, 1, 10_000),
            SlowTolerance = OptionValues.PositiveDouble("--slow-tolerance", a.SlowTolerance, 1e-5),
            DuplicateDistance = OptionValues.PositiveDouble("--min-distance", a.MinDistance, 0.01),
        };
        var (input, source) = set.TryGetValue("input", out var text) ? (ExplicitInput(text, nin), "--set input") : TaskInput(task, net, a.Epoch, OptionValues.Pairs("--condition", a.Condition), seed);

        IReadOnlyList<SimulatedTrial> trials = [];
        List<double[]> starts = [];
        IReadOnlyList<FixedPoint> points = [];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        AnsiConsole.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var requests = ConditionGrid.TestRequests(task, perCondition);
                var simulate = ctx.AddTask($"test trials ({requests.Count})", maxValue: requests.Count);
                // Starting states: states the network visits on its test trials (Sussillo and Barak 2013).
                trials = new Integrator(net, new SimulationOptions { Dt = 1, RecordEvery = 1 }).Run(task, requests, seed, new ProgressOf<int>(done => simulate.Value = done));
                simulate.Value = requests.Count;
                starts = FixedPoints.StartsFrom(trials, every, seed: seed).ToList();
                var search = ctx.AddTask($"relax {starts.Count} starts, polish the slowest", maxValue: 1);
                points = FixedPoints.Search(net, input, starts, options, new ProgressOf<double>(f => search.Value = f));
                search.Value = 1;
            });

        string inputText = string.Join(", ", input.Select(v => v.ToString("G3", CultureInfo.InvariantCulture)));
        var table = new Table().Title(Markup.Escape($"{net.Task}: {points.Count} fixed and slow points from {starts.Count} starts in {clock.Elapsed.TotalSeconds:F1} s; input ({inputText}) from {source}"))
            .AddColumns("#", "kind", "q", "stability", "largest Re(eigenvalue) 1/ms", "unstable directions", "mean rate");
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            table.AddRow(i.ToString(CultureInfo.InvariantCulture), p.IsFixed ? "fixed" : "slow", p.Q.ToString("E2", CultureInfo.InvariantCulture), p.Stability.ToString(),
                p.Eigenvalues[0].Real.ToString("G4", CultureInfo.InvariantCulture), p.Eigenvalues.Count(z => z.Real > options.MarginalTolerance).ToString(CultureInfo.InvariantCulture),
                p.Rates(net.Config.HiddenActivation).Average().ToString("F3", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table);
        if (points.Count == 0)
            AnsiConsole.MarkupLine("[yellow]No fixed or slow point below --slow-tolerance.[/] Try another --epoch or --condition, a looser --slow-tolerance (1e-4), " +
                "more starts (--trials 3, --every 20) or a longer first pass (--relax-steps 1000).");
        if (a.Out is string output)
        {
            var json = new Dictionary<string, object>
            {
                ["task"] = net.Task, ["input"] = input, ["input_source"] = source, ["starts"] = starts.Count,
                ["points"] = points.Select(p => new Dictionary<string, object>
                {
                    ["x"] = p.X, ["q"] = p.Q, ["fixed"] = p.IsFixed, ["stability"] = p.Stability.ToString().ToLowerInvariant(),
                    ["eigenvalues"] = p.Eigenvalues.Select(z => new[] { z.Real, z.Imaginary }).ToArray(),
                }).ToList(),
            };
            IO.AtomicFile.Write(output, s => JsonSerializer.Serialize(s, json, new JsonSerializerOptions { WriteIndented = true }));
            AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(output)}[/]");
        }
        if (a.Plot is string plot)
        {
            // The notebooks' state-space figure: condition-averaged trajectories and the points, on two PCs.
            var view = FixedPointProjection.Of(trials, points, net.Config.HiddenActivation);
            var chart = Charts.StateSpace(view.Trajectories, 0, 1, "PC 1", "PC 2", $"{net.Task}: fixed and slow points, input from {source}", view.Points);
            string svg = Path.ChangeExtension(plot, ".svg");
            ChartExport.Save(chart.WithSizeMm(PaperStyle.DoubleColumnMm, 110), plot, svg);
            AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(plot)}[/] and [blue]{Markup.Escape(svg)}[/]");
        }
        return 0;
    }

    static double[] ExplicitInput(string text, int nin)
    {
        var values = text.Split(',').Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d
            : throw new UsageException($"input values must be numbers, got '{v}'.")).ToArray();
        if (values.Length == 1) return Enumerable.Repeat(values[0], nin).ToArray();
        if (values.Length == nin) return values;
        throw new UsageException($"input has {values.Length} values; the network has Nin = {nin} (give {nin}, or one for all).");
    }

    /// <summary>
    /// The task's own input in <paramref name="epoch"/>: the mean over that epoch of a test trial
    /// of the chosen condition (the first test condition where a key is not given), before the
    /// network's input transform, which the fixed-point search applies as the dynamics do.
    /// </summary>
    static (double[] Input, string Source) TaskInput(CognitiveTask task, TrainedNetwork net, string? epoch, Dictionary<string, string> condition, long seed)
    {
        IReadOnlyList<TrialRequest> requests;
        try { requests = ConditionGrid.TestRequests(task, 1, condition); }
        catch (ArgumentException e) { throw new UsageException($"--condition: {e.Message}"); }
        if (net.Config.Nin == 0) return ([], "no inputs (Nin = 0)");
        var trial = task.GenerateCheckedTrial(new PyCog.Numerics.Rng(seed), 1, requests[0], net.Config);
        if (trial.Epochs.Count == 0) throw new UsageException($"{task.Name}'s trials have no named epochs; give the input with --set input=v1,v2,...");
        string name = epoch ?? (trial.Epochs.ContainsKey("delay") ? "delay" : trial.Epochs.ContainsKey("stimulus") ? "stimulus" : trial.Epochs.Keys.First());
        if (!trial.Epochs.ContainsKey(name))
            throw new UsageException($"--epoch: {task.Name}'s trials have no epoch '{name}'; they have {string.Join(", ", trial.Epochs.Keys)}.");
        var steps = trial.EpochIndices(name);
        var input = new double[net.Config.Nin];
        foreach (int k in steps)
            for (int j = 0; j < input.Length; j++) input[j] += trial.Inputs[k, j] / steps.Length;
        string fixedText = string.Join(", ", requests[0].Fixed.Where(kv => kv.Key != "catch").Select(kv => $"{kv.Key}={kv.Value}"));
        return (input, $"the {name} epoch" + (fixedText.Length > 0 ? $" ({fixedText})" : ""));
    }

    sealed class ProgressOf<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
