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

        [CommandOption("--threads <N>"), Description("Most threads timed (default: every core); the bench runs 1, 2, ... up to it, and torch on it.")]
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
        var counts = ThreadCounts(threads);
        bool avx512 = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;
        double ghz = CpuGhz();
        var peaks = counts.ToDictionary(k => k, k => k == 1 ? 0 : MachinePeak.Measure(k).AllThreads);
        peaks[1] = MachinePeak.Measure(1).OneThread;
        double roundTrip = MachinePeak.CoreRoundTripNs();
        PyCog.Torch.TorchRuntime.EnsureLoaded();
        TorchSharp.torch.set_num_threads(threads);
        AnsiConsole.MarkupLine($"[bold]pycog bench[/]: {Environment.ProcessorCount} cores ({ghz:F2} GHz in /proc/cpuinfo), {(avx512 ? "AVX-512" : "AVX2")}; " +
            "peak measured by a register-only FMA loop: " + string.Join(", ", counts.Select(k => $"{peaks[k]:F0} GFLOP/s on {k} thread{(k > 1 ? "s" : "")}")) +
            " (the most any code can gain from more threads here)");
        AnsiConsole.MarkupLine($"A cache line from one thread to another and back: {roundTrip:F0} ns (about 100-150 ns between cores that share a cache; " +
            "several times that when the cores are far apart; then the many-thread rows, N = 100 most, run slower: docs/performance.md)");
        var training = only == "integrator" ? [] : BenchTraining(counts, peaks, minSteps);
        var minibatches = only == "integrator" ? [] : BenchMinibatches(counts);
        var integration = only == "training" ? [] : BenchIntegrator(a.Random, counts, peaks);
        if (a.Json is string path)
        {
            File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["training_step"] = training,
                ["minibatch"] = minibatches,
                ["integrator"] = integration,
                ["cores"] = Environment.ProcessorCount,
                ["ghz"] = Math.Round(ghz, 3),
                ["peak_gflops"] = counts.ToDictionary(k => k.ToString(CultureInfo.InvariantCulture), k => Math.Round(peaks[k], 1)),
                ["core_round_trip_ns"] = double.IsNaN(roundTrip) ? null : Math.Round(roundTrip, 1),
                ["avx512"] = avx512,
                ["reproducibility"] = new TrainingConfig().Reproducibility,
            }, new JsonSerializerOptions { WriteIndented = true }));
            AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(path)}[/]");
        }
        return 0;
    }

    /// <summary>1, 2, 3, ... up to <paramref name="most"/>; beyond 8, powers of two and the most.</summary>
    static List<int> ThreadCounts(int most) =>
        Enumerable.Range(1, most).Where(k => k <= 8 || (k & (k - 1)) == 0 || k == most).ToList();

    /// <summary>
    /// The serial fraction that speed-up <paramref name="speedup"/> on <paramref name="threads"/>
    /// threads implies (Karp and Flatt's metric): Amdahl's law solved for the serial part. It counts
    /// waiting and imbalance as serial, which is what limits more cores too.
    /// </summary>
    static double SerialFraction(double speedup, int threads) => threads == 1 ? double.NaN : (1 / speedup - 1.0 / threads) / (1 - 1.0 / threads);

    static string F(double v, string f = "F2") => double.IsNaN(v) ? "" : v.ToString(f, CultureInfo.InvariantCulture);

    /// <summary>One training step of the fused engine on every thread count, timed in alternating rounds, and torch on the most.</summary>
    static List<Dictionary<string, object>> BenchTraining(List<int> counts, Dictionary<int, double> peaks, int minSteps)
    {
        int most = counts[^1];
        var config0 = new TrainingConfig();
        AnsiConsole.MarkupLine($"One training step (forward, BPTT, Omega, weight gradients, clipping, update), B = {Trials}, reproducibility contract {config0.Reproducibility}; " +
            $"the thread counts timed in alternating rounds; torch on {most} threads");
        var table = new Table().AddColumns("N", "T", "threads", "fused ms", "GFLOP/s", "% of peak", "speed-up", "serial part", "shared parts' speed-up", "implied serial fraction", "copies' ceiling", "of copies", "torch ms", "torch / fused");
        var results = new List<Dictionary<string, object>>();
        foreach (var (n, t) in Sizes)
        {
            var config = new NetworkConfig { Nin = 2, N = n, Nout = 2, Ei = Connectivity.GenerateEi(n) }.Resolve();
            var (p, resolved) = NetworkInitializer.Initialize(config, config0.Seed);
            var batch = SyntheticBatch(resolved, t);
            var (times, shared, ceiling, ofCopies) = TimeAlternating(counts, resolved, p, batch, config0, minSteps);
            double torch = Time(TorchEngine.Factory().Create(resolved, config0), p, batch, config0, minSteps);
            // The work a step needs: 8 N^2 flops per trial-step (recurrence forward and backward, Omega's
            // product, the Wrec gradient), 4 N (Nin + Nout) for inputs and readout, ~20 N elementwise.
            double gflop = (double)t * Trials * (8.0 * n * n + 4.0 * n * (2 + 2) + 20.0 * n) / 1e9;
            for (int i = 0; i < counts.Count; i++)
            {
                int k = counts[i];
                double ms = times[i], rate = gflop / (ms / 1e3), speedup = times[0] / ms, serial = SerialFraction(speedup, k);
                double sharedSpeedup = times[0] * shared[0] / (ms * shared[i]);
                bool last = k == most;
                table.AddRow(n.ToString(), t.ToString(), k.ToString(), F(ms), F(rate, "F1"), F(100 * rate / peaks[k], "F0") + "%", F(speedup) + "x",
                    F(1 - shared[i], "F3"), k > 1 ? F(sharedSpeedup) + "x" : "", F(serial, "F3"),
                    last && k > 1 ? F(ceiling) + "x" : "", last && k > 1 ? F(100 * ofCopies, "F0") + "%" : "", last ? F(torch) : "", last ? F(torch / ms) + "x" : "");
                var row = new Dictionary<string, object>
                {
                    ["N"] = n, ["T"] = t, ["B"] = Trials, ["threads"] = k, ["gflop_per_step"] = Math.Round(gflop, 4), ["fused_ms"] = Math.Round(ms, 3),
                    ["gflops"] = Math.Round(rate, 2), ["fraction_of_peak"] = Math.Round(rate / peaks[k], 3), ["speedup"] = Math.Round(speedup, 3),
                    ["serial_part"] = Math.Round(1 - shared[i], 4),
                };
                if (k > 1) { row["serial_fraction"] = Math.Round(serial, 4); row["shared_parts_speedup"] = Math.Round(sharedSpeedup, 3); }
                if (last) { row["torch_ms"] = Math.Round(torch, 3); row["torch_over_fused"] = Math.Round(torch / ms, 3); }
                if (last && k > 1) { row["copies_ceiling"] = Math.Round(ceiling, 3); row["of_copies"] = Math.Round(ofCopies, 3); }
                results.Add(row);
            }
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("Serial part: the share of a step spent outside the parts its threads share, timed (on one thread, the serial fraction of Amdahl's law). " +
            "Shared parts' speed-up: those parts' time on one thread over their time on this many, the wait for the slowest thread included. " +
            "Implied serial fraction: Amdahl's law solved for the part that did not speed up (Karp-Flatt), so it also counts imbalance and threads slowing each other. " +
            $"Copies' ceiling: {most} independent one-thread copies of the step at once, sharing only the machine, give this many times one thread's throughput; " +
            "no split of one step can do better on this machine without doing less work per step. " +
            $"Of copies: the {most}-thread step's throughput over the copies' throughput, each round's pair timed back to back (median of the rounds): " +
            "what the split reaches of what the machine gave independent work at that moment.");
        return results;
    }

    /// <summary>
    /// Drawing a gradient minibatch (20 trials) and a validation set (1,100 trials) of rdm_fixed on
    /// every thread count, under the default reproducibility contract (contract 1 draws on one thread),
    /// on a <see cref="WorkerTeam"/> as the trainer does.
    /// </summary>
    static List<Dictionary<string, object>> BenchMinibatches(List<int> counts)
    {
        var task = Tasks.RandomDotMotion.Fixed();
        var network = task.Network.Resolve();
        var config = TrainingConfig.For(task).Resolve(network.Config);
        var table = new Table().AddColumns("rdm_fixed", "trials", "threads", "ms", "speed-up", "serial part", "shared parts' speed-up", "implied serial fraction");
        var rows = new List<Dictionary<string, object>>();
        foreach (var (name, kind, size) in new[] { ("gradient minibatch", Tasks.TrialKind.Gradient, config.NGradient), ("validation set", Tasks.TrialKind.Validation, config.NValidation) })
        {
            // On a team of k threads, as the trainer draws them between steps on the engine's threads.
            var teams = counts.Select(k => new WorkerTeam(k)).ToList();
            var datasets = counts.Select((k, i) => new Dataset(task, network, kind, size, 5) { Contract = config.Reproducibility, Threads = k, Team = teams[i] }).ToList();
            var samples = counts.Select(_ => new List<double>()).ToList();
            var total = Stopwatch.StartNew();
            foreach (var d in datasets) d.Next();   // warm-up
            var sharedBefore = teams.Select(t => t.TimeInParts).ToList();
            // Alternating rounds, at least 5 draws each and half a second in all.
            while (samples[0].Count < 5 || total.Elapsed.TotalSeconds < 0.5)
                for (int i = 0; i < counts.Count; i++)
                {
                    var sw = Stopwatch.StartNew();
                    datasets[i].Next();
                    samples[i].Add(sw.Elapsed.TotalMilliseconds);
                }
            var shared = teams.Select((t, i) => (t.TimeInParts - sharedBefore[i]).TotalMilliseconds / samples[i].Sum()).ToList();
            teams.ForEach(t => t.Dispose());
            var medians = samples.Select(t => Median([.. t])).ToList();
            for (int i = 0; i < counts.Count; i++)
            {
                double speedup = medians[0] / medians[i], serial = SerialFraction(speedup, counts[i]);
                double sharedSpeedup = medians[0] * shared[0] / (medians[i] * shared[i]);
                table.AddRow(name, size.ToString(), counts[i].ToString(), F(medians[i]), F(speedup) + "x", F(1 - shared[i], "F3"), counts[i] > 1 ? F(sharedSpeedup) + "x" : "", F(serial, "F3"));
                var row = new Dictionary<string, object>
                {
                    ["set"] = name, ["trials"] = size, ["threads"] = counts[i], ["ms"] = Math.Round(medians[i], 3), ["speedup"] = Math.Round(speedup, 3),
                    ["serial_part"] = Math.Round(1 - shared[i], 4),
                };
                if (counts[i] > 1) { row["serial_fraction"] = Math.Round(serial, 4); row["shared_parts_speedup"] = Math.Round(sharedSpeedup, 3); }
                rows.Add(row);
            }
        }
        AnsiConsole.MarkupLine($"Drawing trials (condition, inputs, input and recurrent noise), reproducibility contract {config.Reproducibility}");
        AnsiConsole.Write(table);
        return rows;
    }

    /// <summary>
    /// Test trials per second of the integrator against a TorchSharp no-grad loop doing the same
    /// work (batched Euler steps with fresh Gaussian noise), for rdm_fixed (N = 100, 1400 ms) and
    /// romo (N = 500, 4800 ms) at dt = 0.5 ms, and the fraction of the machine's peak FLOP rate.
    /// </summary>
    static List<Dictionary<string, object>> BenchIntegrator(bool random, List<int> counts, Dictionary<int, double> peaks)
    {
        int most = counts[^1];
        var table = new Table().AddColumns("task", "network", "N", "steps/trial", "threads", "integrator trials/s", "speed-up", "serial fraction", "GFLOP/s", "% of peak", "torch no-grad trials/s", "integrator / torch");
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
            var integrators = counts.Select(k => new Simulation.Integrator(net, new Simulation.SimulationOptions { Dt = 0.5, RecordEvery = 10, Threads = k })).ToList();
            kind += integrators[0].IsSparse ? $", {100 * integrators[0].Density:F0}% dense: sparse product" : $", {100 * integrators[0].Density:F0}% dense";
            integrators[^1].Run(task, requests.Take(Math.Min(4, count)).ToList(), 1); // warm-up
            // Alternating rounds, best of three per thread count: the same trials (seed 2) every time.
            var rates = counts.Select(_ => 0.0).ToArray();
            IReadOnlyList<Simulation.SimulatedTrial> sims = [];
            for (int round = 0; round < 3; round++)
                for (int i = 0; i < counts.Count; i++)
                {
                    var sw = Stopwatch.StartNew();
                    sims = integrators[i].Run(task, requests, 2);
                    rates[i] = Math.Max(rates[i], count / sw.Elapsed.TotalSeconds);
                }
            int steps = sims[0].Trial!.Length;
            double torchRate = TorchIntegratorLoop.TrialsPerSecond(net, sims.Select(s => s.Trial!).ToList(), 0.5);
            double flopsPerTrial = steps * (2.0 * config.N * config.N + 2.0 * config.N * config.Nin + 6.0 * config.N);
            for (int i = 0; i < counts.Count; i++)
            {
                int k = counts[i];
                double ours = rates[i], gflops = ours * flopsPerTrial / 1e9, speedup = ours / rates[0], serial = SerialFraction(speedup, k);
                bool last = k == most;
                table.AddRow(task.Name, kind, config.N.ToString(), steps.ToString(), k.ToString(), F(ours, "F1"), F(speedup) + "x", F(serial, "F3"),
                    F(gflops, "F1"), F(100 * gflops / peaks[k], "F0") + "%", last ? F(torchRate, "F1") : "", last ? F(ours / torchRate) + "x" : "");
                var row = new Dictionary<string, object> { ["task"] = task.Name, ["network"] = kind, ["N"] = config.N, ["steps"] = steps, ["threads"] = k,
                    ["integrator_trials_per_s"] = Math.Round(ours, 2), ["speedup"] = Math.Round(speedup, 3), ["gflops"] = Math.Round(gflops, 2),
                    ["peak_gflops"] = Math.Round(peaks[k], 1), ["fraction_of_peak"] = Math.Round(gflops / peaks[k], 3) };
                if (k > 1) row["serial_fraction"] = Math.Round(serial, 4);
                if (last) { row["torch_trials_per_s"] = Math.Round(torchRate, 2); row["integrator_over_torch"] = Math.Round(ours / torchRate, 2); }
                rows.Add(row);
            }
        }
        AnsiConsole.MarkupLine("GFLOP/s counts the dense products (2 N (N + Nin) per step), whatever the integrator skipped.");
        AnsiConsole.MarkupLine($"Integrator at dt = 0.5 ms, test trials in parallel; torch on {most} threads; % of peak against the measured peak of each thread count.");
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
    /// Fused engines on each thread count, and as many independent one-thread copies of the step as
    /// the most threads, timed in alternating rounds (at least <paramref name="minSteps"/> steps and
    /// a second each in all). The load this virtual machine's host puts on its cores changes from
    /// second to second, and a ratio of two runs made at different moments measured that as much as
    /// the engines. Returns each engine's median milliseconds per step; the share of its timed steps
    /// spent in the parts its threads share (<see cref="FusedEngine.TimeInSharedParts"/>); and,
    /// as medians over the rounds, the copies' throughput over one thread's (the machine's ceiling
    /// for the step at that moment) and the most-thread step's throughput over the copies'.
    /// </summary>
    static (List<double> Medians, List<double> Shared, double CopiesCeiling, double OfCopies) TimeAlternating(
        List<int> counts, ResolvedNetworkConfig network, NetworkParameters initial, Batch batch, TrainingConfig c, int minSteps)
    {
        int most = counts[^1];
        var engines = counts.Select(k => new FusedEngine(network, c) { Threads = k }).ToList();
        // The copies share nothing but the machine (its memory system and clock): each has its own
        // engine, parameters and minibatch, and steps on its own participant of a team.
        var copies = most > 1 ? Enumerable.Range(0, most).Select(_ => new FusedEngine(network, c) { Threads = 1 }).ToList() : [];
        var copyParameters = copies.Select(_ => initial.Clone()).ToList();
        var copyBatches = copies.Select(_ => SyntheticBatch(network, batch.Time)).ToList();
        using var copyTeam = new WorkerTeam(Math.Max(most, 1));
        try
        {
            var ps = engines.Select(_ => initial.Clone()).ToList();
            for (int w = 0; w < 2; w++)
            {
                for (int i = 0; i < engines.Count; i++) TimeStep(engines[i], ps[i], batch, c);
                for (int i = 0; i < copies.Count; i++) TimeStep(copies[i], copyParameters[i], copyBatches[i], c);
            }
            var times = engines.Select(_ => new List<double>()).ToList();
            var sharedMs = new double[engines.Count];
            var ceilings = new List<double>();
            var ofCopies = new List<double>();
            const int Rounds = 5;
            for (int round = 0; round < Rounds; round++)
            {
                var roundMedians = new double[engines.Count];
                for (int i = 0; i < engines.Count; i++)
                {
                    var sw = Stopwatch.StartNew();
                    var before = engines[i].TimeInSharedParts;
                    var mine = new List<double>();
                    while ((times[i].Count + mine.Count) * Rounds < minSteps * (round + 1) || sw.Elapsed.TotalSeconds < 1.0 / Rounds) mine.Add(TimeStep(engines[i], ps[i], batch, c));
                    sharedMs[i] += (engines[i].TimeInSharedParts - before).TotalMilliseconds;
                    times[i].AddRange(mine);
                    roundMedians[i] = Median(mine);
                }
                if (copies.Count == 0) continue;
                // Every copy steps for the same fifth of a second (and its share of minSteps), so all run at once throughout.
                var copyTimes = new List<double>[copies.Count];
                copyTeam.For(copies.Count, j =>
                {
                    var sw = Stopwatch.StartNew();
                    var mine = new List<double>();
                    while (mine.Count * Rounds < minSteps || sw.Elapsed.TotalSeconds < 1.0 / Rounds) mine.Add(TimeStep(copies[j], copyParameters[j], copyBatches[j], c));
                    copyTimes[j] = mine;
                });
                double copy = Median(copyTimes.SelectMany(t => t).ToList());
                ceilings.Add(most * roundMedians[0] / copy);
                ofCopies.Add(copy / (most * roundMedians[^1]));
            }
            return (times.Select(t => Median([.. t])).ToList(), times.Select((t, i) => sharedMs[i] / t.Sum()).ToList(),
                copies.Count > 0 ? Median(ceilings) : double.NaN, copies.Count > 0 ? Median(ofCopies) : double.NaN);
        }
        finally
        {
            engines.ForEach(e => e.Dispose());
            copies.ForEach(e => e.Dispose());
        }
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
