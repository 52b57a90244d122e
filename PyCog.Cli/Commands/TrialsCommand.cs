using System.IO.Compression;
using System.Text.Json;
using PyCog.IO;
using PyCog.Simulation;
using PyCog.Tasks;
using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PyCog.Cli.Commands;

/// <summary>
/// <c>pycog trials</c>: runs a trained network on N test trials per condition with the fast
/// integrator and saves outputs (and optionally rates) to an .npz file.
/// </summary>
sealed class TrialsCommand : Command<TrialsCommand.Settings>
{
    /// <summary>The options of <c>pycog trials</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>"), Description("A trained network (.npz).")]
        public string File { get; init; } = "";

        [CommandOption("--out <OUT.npz>"), Description("Where to write the trials (required): t, z, lengths, trials.json, and r with --save-rates.")]
        public string? Out { get; init; }

        [CommandOption("-n|--per-condition <N>"), Description("Trials per condition (also --n)."), DefaultValue("100")]
        public string N { get; init; } = "100";

        [CommandOption("--dt <MS>"), Description("Integration time step, ms."), DefaultValue("0.5")]
        public string Dt { get; init; } = "0.5";

        [CommandOption("--every <K>"), Description("Record every K-th step (default: every 5 ms).")]
        public string? Every { get; init; }

        [CommandOption("--seed <SEED>"), Description("Seed of the trials and their noise."), DefaultValue("1")]
        public string Seed { get; init; } = "1";

        [CommandOption("--set <KEY=VALUE>"), Description("Fix a condition (repeatable), e.g. --set coh=16 or --set catch=true.")]
        public string[] Set { get; init; } = [];

        [CommandOption("--save-rates"), Description("Also save the firing rates r (trials x time x N).")]
        public bool SaveRates { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings a, CancellationToken cancellation)
    {
        string output = a.Out ?? throw new UsageException("trials needs --out FILE.npz.");
        var net = TrainedNetwork.Load(a.File);
        if (!TaskRegistry.Contains(net.Task)) throw new UsageException($"The network was trained on '{net.Task}', which is not a registered task.");
        var task = TaskRegistry.Create(net.Task);
        int perCondition = OptionValues.Int("--n", a.N, 100, 1, 1_000_000);
        double dt = OptionValues.PositiveDouble("--dt", a.Dt, 0.5);
        net.Network.Dynamics(dt); // refuses a dt above tau, as training does
        int every = OptionValues.Int("--every", a.Every, (int)Math.Clamp(Math.Round(5 / dt), 1, int.MaxValue), 1, int.MaxValue);
        long seed = OptionValues.Long("--seed", a.Seed) ?? 1;
        bool rates = a.SaveRates;

        var fixedValues = OptionValues.Pairs("--set", a.Set);
        IReadOnlyList<TrialRequest> requests;
        try { requests = ConditionGrid.TestRequests(task, perCondition, fixedValues); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }

        // Every trial keeps its recorded rates and outputs: refuse a run that cannot fit.
        double records = TrialLength.LongestMs(task, net.Network) / dt / every + 1;
        double need = 4.0 * requests.Count * records * (net.Config.N * (rates ? 2 : 1) + net.Config.Nout * 2 + net.Config.Nin) + 200e6;
        double available = 0.8 * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (need > available)
            throw new UsageException($"{requests.Count:N0} trials of about {records:G3} recorded steps (--n {perCondition}, --dt {dt}, --every {every}) need about {need / 1e9:F1} GB, " +
                $"more than the {available / 1e9:F1} GB this machine allows; use a smaller --n, a larger --dt or --every.");

        var integrator = new Integrator(net, new SimulationOptions { Dt = dt, RecordEvery = every });
        IReadOnlyList<SimulatedTrial> results = [];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask($"{task.Name}: {requests.Count} trials at dt = {dt} ms", maxValue: requests.Count);
                results = integrator.Run(task, requests, seed, new SyncProgress(done => bar.Value = done));
            });
        AnsiConsole.MarkupLine($"{results.Count} trials in {clock.Elapsed.TotalSeconds:F1} s ({results.Count / clock.Elapsed.TotalSeconds:F0} trials/s); " +
            $"percent correct {Analysis.Psychometric.PercentCorrect(results):F1}%");
        Save(output, results, rates, task.Name, dt, every, seed);
        AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(output)}[/]");
        return 0;
    }

    /// <summary>
    /// Writes t (time points of the longest trial), z (trials x time x Nout, NaN after a trial ends),
    /// optionally r (trials x time x N), lengths, and trials.json with each trial's condition.
    /// </summary>
    static void Save(string path, IReadOnlyList<SimulatedTrial> trials, bool rates, string task, double dt, int every, long seed)
    {
        int count = trials.Max(t => t.Count), n = trials[0].N, nout = trials[0].Nout;
        var z = new float[trials.Count * count * nout];
        Array.Fill(z, float.NaN);
        float[]? r = rates ? new float[trials.Count * count * n] : null;
        if (r is not null) Array.Fill(r, float.NaN);
        for (int i = 0; i < trials.Count; i++)
        {
            trials[i].Z.CopyTo(z, i * count * nout);
            if (r is not null) trials[i].R.CopyTo(r, i * count * n);
        }
        AtomicFile.Write(path, fs =>
        {
            using var zip = new ZipArchive(fs, ZipArchiveMode.Create, leaveOpen: true);
            void Put(string name, Action<Stream> write) { using var s = zip.CreateEntry(name, CompressionLevel.Fastest).Open(); write(s); }
            var longest = trials.First(t => t.Count == count);
            Put("t.npy", s => Npy.Write(s, longest.Time, count));
            Put("z.npy", s => Npy.Write(s, z, trials.Count, count, nout));
            if (r is not null) Put("r.npy", s => Npy.Write(s, r, trials.Count, count, n));
            Put("lengths.npy", s => Npy.Write(s, trials.Select(t => t.Count).ToArray(), trials.Count));
            Put("trials.json", s => JsonSerializer.Serialize(s, new
            {
                task, dt, record_every = every, seed,
                trials = trials.Select(t => t.Info?.ConditionForJson() ?? new Dictionary<string, object>()).ToList(),
                choices = trials.Select(t => t.Choice).ToList(),
            }));
        });
    }

    sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
