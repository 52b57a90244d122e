using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PyCog.Network;
using PyCog.Numerics;
using PyCog.Training;
using Spectre.Console;

namespace PyCog.Cli;

/// <summary>
/// <c>pycog bench</c>: one full training step (forward, backpropagation through time, Omega,
/// clipping, update) of each engine on the same synthetic minibatch, side by side in one run.
/// </summary>
static class BenchCommand
{
    static readonly (int N, int T)[] Sizes = [(100, 100), (100, 250), (500, 225)];
    const int Trials = 20;

    public static int Run(Arguments a)
    {
        int minSteps = (int)(a.Long("--steps") ?? 5);
        if (minSteps < 1) throw new UsageException("--steps must be at least 1.");
        AnsiConsole.MarkupLine($"[bold]pycog bench[/]: one training step, B = {Trials}, {Environment.ProcessorCount} cores, " +
            $"{(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "AVX-512" : "AVX2")}, torch threads {TorchSharp.torch.get_num_threads()}");
        var table = new Table().AddColumns("N", "T", "fused ms/step", "torch ms/step", "torch / fused");
        var results = new List<Dictionary<string, object>>();
        foreach (var (n, t) in Sizes)
        {
            var config = new NetworkConfig { Nin = 2, N = n, Nout = 2, Ei = Connectivity.GenerateEi(n) }.Resolve();
            var (p, resolved) = NetworkInitializer.Initialize(config);
            var batch = SyntheticBatch(resolved, t);
            double fused = Time(new FusedEngine(resolved), p, batch, resolved, minSteps);
            double torch = Time(new TorchEngine(resolved), p, batch, resolved, minSteps);
            table.AddRow(n.ToString(), t.ToString(), fused.ToString("F2", CultureInfo.InvariantCulture), torch.ToString("F2", CultureInfo.InvariantCulture),
                (torch / fused).ToString("F2", CultureInfo.InvariantCulture) + "x");
            results.Add(new() { ["N"] = n, ["T"] = t, ["B"] = Trials, ["fused_ms"] = Math.Round(fused, 3), ["torch_ms"] = Math.Round(torch, 3), ["ratio"] = Math.Round(torch / fused, 3) });
        }
        AnsiConsole.Write(table);
        if (a.Get("--json") is string path)
        {
            File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["training_step"] = results,
                ["cores"] = Environment.ProcessorCount,
                ["avx512"] = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated,
            }, new JsonSerializerOptions { WriteIndented = true }));
            AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(path)}[/]");
        }
        return 0;
    }

    static Batch SyntheticBatch(NetworkConfig c, int time)
    {
        var rng = new Rng(2024);
        int rows = time * Trials;
        var u = new float[rows * c.Nin];
        for (int k = 0; k < u.Length; k++) u[k] = (float)Math.Max(0, 0.2 + 0.5 * rng.NextDouble() + 0.01 * rng.NextGaussian());
        var noise = new float[rows * c.N];
        c.VarRec.Sampler(c.N, 2 / c.EffectiveDt).Fill(rng, noise, Enumerable.Repeat((float)Math.Sqrt(c.Tau), c.N).ToArray());
        var y = new float[rows * c.Nout];
        for (int k = 0; k < y.Length; k++) y[k] = rng.NextDouble() < 0.5 ? 0.2f : 1f;
        var m = Enumerable.Repeat(1f, y.Length).ToArray();
        return new Batch(time, Trials, c.Nin, c.N, c.Nout, u, noise, y, m);
    }

    /// <summary>Median milliseconds per step after two warm-up steps, over at least <paramref name="minSteps"/> steps and one second.</summary>
    static double Time(ITrainingEngine engine, NetworkParameters initial, Batch batch, NetworkConfig c, int minSteps)
    {
        using var _ = engine;
        var p = initial.Clone();
        for (int i = 0; i < 2; i++) Trainer.Update(p, engine.ComputeGradient(p, batch).Gradient, c);
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < minSteps || total.Elapsed.TotalSeconds < 1)
        {
            var sw = Stopwatch.StartNew();
            Trainer.Update(p, engine.ComputeGradient(p, batch).Gradient, c);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
