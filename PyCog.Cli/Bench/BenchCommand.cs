using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PyCog.Network;
using PyCog.IO;
using PyCog.Numerics;
using PyCog.Torch;
using PyCog.Training;
using PyCog.Training.Optimizers;
using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PyCog.Cli.Bench;

/// <summary>
/// <c>pycog bench</c>: one full training step (forward, backpropagation through time, Omega,
/// clipping, update) of each engine on the same synthetic minibatch, side by side in one run.
/// </summary>
sealed class BenchCommand : Command<BenchCommand.Settings>
{
    static readonly (int N, int T)[] Sizes = [(100, 100), (100, 250), (500, 225)];
    const int Trials = 20;

    /// <summary>The options of <c>pycog bench</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--json <FILE>"), Description("Also write the results as JSON.")]
        public string? Json { get; init; }

        [CommandOption("--steps <N>"), Description("At least this many timed steps per engine (and at least a second)."), DefaultValue("5")]
        public string Steps { get; init; } = "5";

        [CommandOption("--threads <N>"), Description("Threads of the 'all threads' columns and of torch (default: every core).")]
        public string? Threads { get; init; }

        [CommandOption("--only <PART>"), Description("training or integrator (default: both).")]
        public string? Only { get; init; }

        [CommandOption("--random"), Description("Time the integrator on random networks, not the trained ones in data/.")]
        public bool Random { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings a, CancellationToken cancellation)
    {
        int minSteps = OptionValues.Int("--steps", a.Steps, 5, 1, 100_000);
        int threads = OptionValues.Int("--threads", a.Threads, Environment.ProcessorCount, 1, 1024);
        string only = a.Only ?? "all";
        if (only is not ("all" or "training" or "integrator")) throw new UsageException($"--only takes training or integrator, got '{only}'.");
        bool avx512 = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;
        double ghz = CpuGhz();
        var peak = MachinePeak.Measure(threads);
        double roundTrip = MachinePeak.CoreRoundTripNs();
        PyCog.Torch.TorchRuntime.EnsureLoaded();
        TorchSharp.torch.set_num_threads(threads);
        AnsiConsole.MarkupLine($"[bold]pycog bench[/]: {Environment.ProcessorCount} cores ({ghz:F2} GHz in /proc/cpuinfo), {(avx512 ? "AVX-512" : "AVX2")}; " +
            $"peak measured by a register-only FMA loop: {peak.OneThread:F0} GFLOP/s on one thread, {peak.AllThreads:F0} on {threads} threads together " +
            $"({peak.AllThreads / peak.OneThread:F2}x one thread: the most any {threads}-thread code can gain here)");
        AnsiConsole.MarkupLine($"A cache line from one thread to another and back: {roundTrip:F0} ns (about 100-150 ns between cores that share a cache; " +
            "several times that when the cores are far apart; then the two-thread columns, N = 100 most, run slower: docs/performance.md)");
        if (only != "integrator")
            AnsiConsole.MarkupLine($"One training step (forward, BPTT, Omega, weight gradients, clipping, update), B = {Trials}; {threads} threads for 'all' and for torch");
        var table = new Table().AddColumns("N", "T", "fused 1 thread ms", "GFLOP/s", "% of 1-thread peak", $"fused {threads} threads ms", "speed-up", $"% of {threads}-thread peak", "torch ms", "torch / fused");
        var results = new List<Dictionary<string, object>>();
        foreach (var (n, t) in only == "integrator" ? [] : Sizes)
        {
            var config = new NetworkConfig { Nin = 2, N = n, Nout = 2, Ei = Connectivity.GenerateEi(n) }.Resolve();
            var training = new TrainingConfig();
            var (p, resolved) = NetworkInitializer.Initialize(config, training.Seed);
            var batch = SyntheticBatch(resolved, t);
            var (one, all) = TimePair(FusedEngine.WithThreads(1).Create(resolved, training), FusedEngine.WithThreads(threads).Create(resolved, training),
                p, batch, training, minSteps);
            double torch = Time(TorchEngine.Factory().Create(resolved, training), p, batch, training, minSteps);
            // The work a step needs: 8 N^2 flops per trial-step (recurrence forward and backward, Omega's
            // product, the Wrec gradient), 4 N (Nin + Nout) for inputs and readout, ~20 N elementwise.
            double gflop = (double)t * Trials * (8.0 * n * n + 4.0 * n * (2 + 2) + 20.0 * n) / 1e9;
            double oneRate = gflop / (one / 1e3), allRate = gflop / (all / 1e3);
            string F(double v, string f = "F2") => v.ToString(f, CultureInfo.InvariantCulture);
            table.AddRow(n.ToString(), t.ToString(), F(one), F(oneRate, "F1"), F(100 * oneRate / peak.OneThread, "F0") + "%", F(all), F(one / all) + "x",
                F(100 * allRate / peak.AllThreads, "F0") + "%", F(torch), F(torch / all) + "x");
            results.Add(new()
            {
                ["N"] = n, ["T"] = t, ["B"] = Trials, ["gflop_per_step"] = Math.Round(gflop, 4),
                ["fused_1_thread_ms"] = Math.Round(one, 3), ["fused_1_thread_gflops"] = Math.Round(oneRate, 2), ["fused_1_thread_fraction_of_peak"] = Math.Round(oneRate / peak.OneThread, 3),
                ["threads"] = threads, ["fused_all_threads_ms"] = Math.Round(all, 3), ["fused_all_threads_gflops"] = Math.Round(allRate, 2),
                ["fused_all_threads_fraction_of_peak"] = Math.Round(allRate / peak.AllThreads, 3),
                ["thread_speedup"] = Math.Round(one / all, 3), ["torch_ms"] = Math.Round(torch, 3), ["torch_over_fused"] = Math.Round(torch / all, 3),
            });
        }
        if (only != "integrator") AnsiConsole.Write(table);
        var integration = only == "training" ? [] : BenchIntegrator(a.Random, peak.AllThreads);
        if (a.Json is string path)
        {
            File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["training_step"] = results,
                ["integrator"] = integration,
                ["cores"] = Environment.ProcessorCount,
                ["ghz"] = Math.Round(ghz, 3),
                ["peak_gflops_1_thread"] = Math.Round(peak.OneThread, 1),
                ["peak_gflops_all_threads"] = Math.Round(peak.AllThreads, 1),
                ["peak_threads"] = threads,
                ["core_round_trip_ns"] = double.IsNaN(roundTrip) ? null : Math.Round(roundTrip, 1),
                ["avx512"] = avx512,
            }, new JsonSerializerOptions { WriteIndented = true }));
            AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(path)}[/]");
        }
        return 0;
    }

    /// <summary>
    /// Test trials per second of the integrator against a TorchSharp no-grad loop doing the same
    /// work (batched Euler steps with fresh Gaussian noise), for rdm_fixed (N = 100, 1400 ms) and
    /// romo (N = 500, 4800 ms) at dt = 0.5 ms, and the fraction of the machine's peak FLOP rate.
    /// </summary>
    static List<Dictionary<string, object>> BenchIntegrator(bool random, double peak)
    {
        var table = new Table().AddColumns("task", "network", "N", "steps/trial", "integrator trials/s", "torch no-grad trials/s", "speed-up", "GFLOP/s", "% of peak");
        var rows = new List<Dictionary<string, object>>();
        foreach (var (task, count) in new (Tasks.CognitiveTask, int)[] { (Tasks.RandomDotMotion.Fixed(), 128), (new Tasks.WorkingMemory(), 32) })
        {
            // The integrator's real work: the trained network from data/ when there is one (trained
            // E/I networks hold many exact zeros, which the integrator skips), else a random one.
            string trained = Path.Combine(RepositoryFolder.FindHolding("data/manifest.json") ?? ".", "data", $"{task.Name}-seed100-fused.npz");
            Simulation.TrainedNetwork net;
            string kind;
            if (!random && File.Exists(trained)) { net = Simulation.TrainedNetwork.Load(trained); kind = "trained"; }
            else
            {
                var (p, initial) = NetworkInitializer.Initialize((task.Network with { Rho0 = 0.9 }).Resolve(), new TrainingConfig().Seed);
                net = Simulation.TrainedNetwork.FromParameters(initial, p, task: task.Name);
                kind = "random";
            }
            var config = net.Config;
            var requests = Enumerable.Range(0, count).Select(_ => new Tasks.TrialRequest { Kind = Tasks.TrialKind.Test }.With("catch", false)).ToList();
            var integrator = new Simulation.Integrator(net, new Simulation.SimulationOptions { Dt = 0.5, RecordEvery = 10 });
            kind += integrator.IsSparse ? $", {100 * integrator.Density:F0}% dense: sparse product" : $", {100 * integrator.Density:F0}% dense";
            integrator.Run(task, requests.Take(Math.Min(4, count)).ToList(), 1); // warm-up
            var sw = Stopwatch.StartNew();
            var sims = integrator.Run(task, requests, 2);
            double ours = count / sw.Elapsed.TotalSeconds;
            int steps = sims[0].Trial!.Length;
            double torchRate = TorchIntegratorLoop.TrialsPerSecond(net, sims.Select(s => s.Trial!).ToList(), 0.5);
            double flopsPerTrial = steps * (2.0 * config.N * config.N + 2.0 * config.N * config.Nin + 6.0 * config.N);
            double gflops = ours * flopsPerTrial / 1e9;
            table.AddRow(task.Name, kind, config.N.ToString(), steps.ToString(), ours.ToString("F1", CultureInfo.InvariantCulture),
                torchRate.ToString("F1", CultureInfo.InvariantCulture), (ours / torchRate).ToString("F2", CultureInfo.InvariantCulture) + "x",
                gflops.ToString("F1", CultureInfo.InvariantCulture), (100 * gflops / peak).ToString("F0", CultureInfo.InvariantCulture) + "%");
            rows.Add(new() { ["task"] = task.Name, ["network"] = kind, ["N"] = config.N, ["steps"] = steps, ["integrator_trials_per_s"] = Math.Round(ours, 2),
                ["torch_trials_per_s"] = Math.Round(torchRate, 2), ["speedup"] = Math.Round(ours / torchRate, 2), ["gflops"] = Math.Round(gflops, 2),
                ["peak_gflops"] = Math.Round(peak, 1), ["fraction_of_peak"] = Math.Round(gflops / peak, 3) });
        }
        AnsiConsole.MarkupLine("GFLOP/s counts the dense products (2 N (N + Nin) per step), whatever the integrator skipped.");
        AnsiConsole.MarkupLine($"Integrator at dt = 0.5 ms on every core; % of peak against the measured all-thread peak, {peak:F0} GFLOP/s.");
        AnsiConsole.Write(table);
        return rows;
    }

    static double CpuGhz()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("cpu MHz", StringComparison.Ordinal));
            if (line is not null && double.TryParse(line.Split(':')[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double mhz)) return mhz / 1000;
        }
        catch (IOException) { }
        return 2.5;
    }

    static Batch SyntheticBatch(ResolvedNetworkConfig network, int time)
    {
        var c = network.Config;
        var rng = new Rng(2024);
        int rows = time * Trials;
        var u = new float[rows * c.Nin];
        for (int k = 0; k < u.Length; k++) u[k] = (float)Math.Max(0, 0.2 + 0.5 * rng.NextDouble() + 0.01 * rng.NextGaussian());
        var noise = new float[rows * c.N];
        network.Dynamics().FillRecurrentNoise(rng, noise);
        var y = new float[rows * c.Nout];
        for (int k = 0; k < y.Length; k++) y[k] = rng.NextDouble() < 0.5 ? 0.2f : 1f;
        var m = Enumerable.Repeat(1f, y.Length).ToArray();
        return new Batch(time, Trials, c.Nin, c.N, c.Nout, u, noise, y, m);
    }

    /// <summary>Median milliseconds per step after two warm-up steps, over at least <paramref name="minSteps"/> steps and one second.</summary>
    static double Time(ITrainingEngine engine, NetworkParameters initial, Batch batch, TrainingConfig c, int minSteps)
    {
        using var _ = engine;
        var p = initial.Clone();
        for (int i = 0; i < 2; i++) TimeStep(engine, p, batch, c);
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < minSteps || total.Elapsed.TotalSeconds < 1) times.Add(TimeStep(engine, p, batch, c));
        return Median(times);
    }

    /// <summary>
    /// Median milliseconds per step of two engines, timed in alternating rounds (at least
    /// <paramref name="minSteps"/> steps and a second each in all): the load this virtual machine's
    /// host puts on its cores changes from second to second, and a ratio of two runs made at
    /// different moments measured that as much as the engines.
    /// </summary>
    static (double First, double Second) TimePair(ITrainingEngine first, ITrainingEngine second, NetworkParameters initial, Batch batch, TrainingConfig c, int minSteps)
    {
        using var _ = first;
        using var __ = second;
        var p1 = initial.Clone();
        var p2 = initial.Clone();
        for (int i = 0; i < 2; i++) { TimeStep(first, p1, batch, c); TimeStep(second, p2, batch, c); }
        var times1 = new List<double>();
        var times2 = new List<double>();
        const int Rounds = 5;
        for (int round = 0; round < Rounds; round++)
        {
            var sw = Stopwatch.StartNew();
            while (times1.Count * Rounds < minSteps * (round + 1) || sw.Elapsed.TotalSeconds < 1.0 / Rounds) times1.Add(TimeStep(first, p1, batch, c));
            sw.Restart();
            while (times2.Count * Rounds < minSteps * (round + 1) || sw.Elapsed.TotalSeconds < 1.0 / Rounds) times2.Add(TimeStep(second, p2, batch, c));
        }
        return (Median(times1), Median(times2));
    }

    static double TimeStep(ITrainingEngine engine, NetworkParameters p, Batch batch, TrainingConfig c)
    {
        var sw = Stopwatch.StartNew();
        // A step as the trainer takes it: gradient, clipping, pycog's SGD update.
        new Sgd(c.EffectiveLearningRate).Step(p, ClippedGradient.Of(engine.ComputeGradient(p, batch).Gradient, c.MaxGradientNorm));
        return sw.Elapsed.TotalMilliseconds;
    }

    static double Median(List<double> times)
    {
        times.Sort();
        return times[times.Count / 2];
    }
}
