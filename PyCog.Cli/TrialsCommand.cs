using System.IO.Compression;
using System.Text.Json;
using PyCog.IO;
using PyCog.Simulation;
using PyCog.Tasks;
using Spectre.Console;

namespace PyCog.Cli;

/// <summary>
/// <c>pycog trials</c>: runs a trained network on N test trials per condition with the fast
/// integrator and saves outputs (and optionally rates) to an .npz file.
/// </summary>
static class TrialsCommand
{
    public static int Run(Arguments a)
    {
        if (a.Positional.Count != 1) throw new UsageException("trials needs exactly one network file.");
        string output = a.Get("--out") ?? throw new UsageException("trials needs --out FILE.npz.");
        var net = TrainedNetwork.Load(a.Positional[0]);
        if (!TaskRegistry.Contains(net.Task)) throw new UsageException($"The network was trained on '{net.Task}', which is not a registered task.");
        var task = TaskRegistry.Create(net.Task);
        int perCondition = a.Int("--n", 100, 1, 1_000_000);
        double dt = a.PositiveDouble("--dt", 0.5);
        net.Network.Dynamics(dt); // refuses a dt above tau, as training does
        int every = a.Int("--every", (int)Math.Clamp(Math.Round(5 / dt), 1, int.MaxValue), 1, int.MaxValue);
        long seed = a.Long("--seed") ?? 1;
        bool rates = a.Has("--save-rates");

        var fixedValues = a.Pairs("--set");
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
            r?.Let(arr => trials[i].R.CopyTo(arr, i * count * n));
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

    static void Let<T>(this T value, Action<T> action) => action(value);

    sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
