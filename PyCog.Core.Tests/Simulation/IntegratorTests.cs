using PyCog.Network;
using PyCog.Numerics;
using PyCog.Simulation;
using PyCog.Tasks;
using PyCog.Training;
using Xunit;

namespace PyCog.Tests.Simulation;

public class IntegratorTests
{
    static (CognitiveTask Task, TrainedNetwork Net) Rdm(double threshold = 0)
    {
        var task = RandomDotMotion.Fixed();
        var (p, config) = NetworkInitializer.Initialize((task.Network with { Rho0 = 0.9 }).Resolve(), 1234);
        return (task, TrainedNetwork.FromParameters(config, p, threshold, task.Name));
    }

    [Fact]
    public void TrialsDrawFromTheStreamsOfTheContractTheirNetworkWasTrainedUnder()
    {
        var (_, fresh) = Rdm();
        var contract1 = TrainedNetwork.Load(Path.Combine(AppContext.BaseDirectory, "Data", "rdm_fixed-seed7-60steps-678b1c3.npz"));
        var contract2 = TrainedNetwork.Load(Path.Combine(AppContext.BaseDirectory, "Data", "rdm_fixed-seed7-60steps-v2-c8ca944.npz"));
        static ulong First(Rng r) => r.NextUInt64();
        var philox = First(PyCog.Numerics.TrialStreams.For(9, PyCog.Numerics.TrialStreams.Simulation, 4, 0));
        var splitMix = First(new Rng(Integrator.TrialSeed(9, 4)));
        Assert.NotEqual(philox, splitMix);
        Assert.Equal(splitMix, First(new Integrator(contract1).TrialGenerator(9, 4)));
        Assert.Equal(philox, First(new Integrator(contract2).TrialGenerator(9, 4)));
        Assert.Equal(philox, First(new Integrator(fresh).TrialGenerator(9, 4)));
    }

    [Fact]
    public void EqualsAPlainReferenceLoopWithTheSameRandomNumbers()
    {
        var (task, net) = Rdm();
        var options = new SimulationOptions { Dt = 0.5 };
        var integrator = new Integrator(net, options);
        var request = new TrialRequest { Kind = TrialKind.Test }.With("catch", false).With("coh", 8).With("in_out", 1);
        var sim = integrator.Run(task, request, seed: 5);

        // Reproduce the documented draw order: the trial, then the trial's Gaussian stream gives,
        // at each step, the input noise (Nin values) and then the recurrent noise (N values).
        var c = net.Config;
        var rng = integrator.TrialGenerator(5, 0);
        var trial = task.GenerateCheckedTrial(rng, 0.5, request, c);
        int steps = trial.Length, n = c.N, nin = c.Nin;
        var stream = new GaussianStream(rng);
        var noiseIn = new float[steps * nin];
        var noiseRec = new float[steps * n];
        for (int t = 0; t < steps; t++)
        {
            stream.Fill(noiseIn.AsSpan(t * nin, nin));
            stream.Fill(noiseRec.AsSpan(t * n, n));
        }
        // A plain scalar loop in the integrator's precision (float): no SIMD, no batching, no blocking.
        float sdIn = (float)Math.Sqrt(2 * c.TauIn / 0.5 * c.VarIn.Scalar), sdRec = (float)Math.Sqrt(c.Tau * 2 / 0.5 * c.VarRec.Scalar);
        float alpha = (float)(0.5 / c.Tau);
        var x = (float[])net.X0.Clone();
        var r = x.Select(v => Math.Max(v, 0f)).ToArray();
        double diff = 0, norm = 0;
        for (int t = 1; t <= steps; t++)
        {
            var u = new float[nin];
            for (int k = 0; k < nin; k++) u[k] = Math.Max(0f, (float)c.BaselineIn + trial.Inputs[t - 1, k] + sdIn * noiseIn[(t - 1) * nin + k]);
            var next = new float[n];
            for (int i = 0; i < n; i++)
            {
                float s = 0;
                for (int k = 0; k < n; k++) s += net.Wrec[i, k] * r[k];
                for (int k = 0; k < nin; k++) s += net.Win![i, k] * u[k];
                s += net.Brec[i] + sdRec * noiseRec[(t - 1) * n + i];
                next[i] = (1 - alpha) * x[i] + alpha * s;
            }
            x = next;
            r = x.Select(v => Math.Max(v, 0f)).ToArray();
            for (int i = 0; i < n; i++) { double d = sim.Rate(i, t) - r[i]; diff += d * d; norm += (double)r[i] * r[i]; }
            for (int o = 0; o < c.Nout; o++)
            {
                float z = net.Bout[o];
                for (int k = 0; k < n; k++) z += net.Wout[o, k] * r[k];
                Assert.True(Math.Abs(sim.Output(o, t) - z) <= 1e-5 * (1 + Math.Abs(z)), $"z[{o}] at step {t}: {sim.Output(o, t)} vs {z}");
            }
        }
        Assert.Equal(steps + 1, sim.Count);
        Assert.True(Math.Sqrt(diff / norm) < 1e-6, $"relative error {Math.Sqrt(diff / norm):E2}");
    }

    [Fact]
    public void WithoutNoiseAtTheTrainingDtItReproducesTheTrainingForwardPass()
    {
        var (task, net) = Rdm();
        var c = net.Config;
        var integrator = new Integrator(net, new SimulationOptions { Dt = 20, VarIn = 0.0, VarRec = 0.0 });
        var request = new TrialRequest().With("catch", false).With("coh", 16).With("in_out", -1);
        var sim = integrator.Run(task, request, seed: 1);
        var trial = sim.Trial!;
        int steps = trial.Length;
        var inputs = trial.Inputs.Data.Select(v => (float)Math.Max(0, v + c.BaselineIn)).ToArray();
        var batch = new Batch(steps, 1, c.Nin, c.N, c.Nout, inputs, new float[steps * c.N], trial.Outputs!.Data, trial.Mask!.Data);
        var (p, _) = NetworkInitializer.Initialize((task.Network with { Rho0 = 0.9 }).Resolve(), 1234);
        using var engine = new FusedEngine(net.Network, new TrainingConfig());
        var z = engine.Evaluate(p, batch).Outputs;
        for (int t = 0; t < steps; t++)
            for (int o = 0; o < c.Nout; o++)
                Assert.Equal(z[0, t, o], sim.Output(o, t + 1), 5);
    }

    [Theory]
    [InlineData(0.0)]    // rdm_fixed's structured mask: the weights below the threshold give exact zeros too
    [InlineData(0.05)]
    public void TheSparseProductGivesTheDenseProductsResults(double threshold)
    {
        var (task, net) = Rdm(threshold);
        var requests = Enumerable.Range(0, 21).Select(_ => new TrialRequest { Kind = TrialKind.Test }).ToList();
        var dense = new Integrator(net, new SimulationOptions { Dt = 1, SparseBelowDensity = 0 });
        var sparse = new Integrator(net, new SimulationOptions { Dt = 1, SparseBelowDensity = 1 });
        Assert.False(dense.IsSparse);
        Assert.True(sparse.IsSparse);
        Assert.InRange(sparse.Density, 0.01, 0.99);
        var a = dense.Run(task, requests, 3);
        var b = sparse.Run(task, requests, 3);
        // Same sums in the same order: equal up to the sign of zero.
        for (int i = 0; i < requests.Count; i++)
        {
            Assert.Equal(a[i].R.Select(v => v + 0f), b[i].R.Select(v => v + 0f));
            Assert.Equal(a[i].Z, b[i].Z);
            Assert.Equal(a[i].FinalState.Select(v => v + 0f), b[i].FinalState.Select(v => v + 0f));
        }
        Assert.Contains(a, s => s.R.Any(v => v > 0));
    }

    [Fact]
    public void ManyTrialRunsDoNotDependOnThreadsOrBatchSize()
    {
        var (task, net) = Rdm();
        var requests = Enumerable.Range(0, 37).Select(_ => new TrialRequest { Kind = TrialKind.Test }).ToList();
        var a = new Integrator(net, new SimulationOptions { Dt = 2, Threads = 1, BatchSize = 1 }).Run(task, requests, 11);
        // 3 and 8 threads: more than this machine's cores, and counts that split 37 trials unevenly.
        foreach (var (threads, batchSize) in new[] { (2, 16), (3, 5), (8, 32) })
        {
            var b = new Integrator(net, new SimulationOptions { Dt = 2, Threads = threads, BatchSize = batchSize }).Run(task, requests, 11);
            for (int i = 0; i < requests.Count; i++)
            {
                Assert.Equal(a[i].R, b[i].R);
                Assert.Equal(a[i].Z, b[i].Z);
                Assert.Equal(a[i].Condition, b[i].Condition);
            }
        }
        Assert.Contains(a, s => !s.Trial!.Info.IsCatch);
        Assert.Equal(37, a.Select(s => s.Condition is null ? "catch" : string.Join(",", s.Condition.Values.Values)).Count());
    }

    [Fact]
    public void RecordsEveryKthStepAndStartsAtTimeZero()
    {
        var (task, net) = Rdm();
        var sim = new Integrator(net, new SimulationOptions { Dt = 0.5, RecordEvery = 10 }).Run(task, new TrialRequest { Kind = TrialKind.Test }.With("catch", true), 3);
        Assert.Equal(0, sim.Time[0]);
        Assert.Equal(5, sim.Time[1]);
        Assert.Equal(2000, sim.Time[^1]);
        Assert.Equal(401, sim.Count);
    }

    [Fact]
    public void ContinuousModeStartsWhereTheLastRunEnded()
    {
        var task = new SineWave();
        var (p, config) = NetworkInitializer.Initialize(task.Network.Resolve(), 1234);
        var net = TrainedNetwork.FromParameters(config, p, 0);
        var integrator = new Integrator(net, new SimulationOptions { Dt = 1 });
        var first = integrator.RunFree(100, 1);
        Assert.Equal(first.FinalState, integrator.LastState);
        var second = integrator.RunFree(100, 2);
        var r0 = first.FinalState.Select(v => Math.Max(v, 0f)).ToArray();
        Assert.Equal(r0, second.R.AsSpan(0, config.N).ToArray());
    }

    [Fact]
    public void ContinuousModeTestTrialsEachStartWhereThePreviousEnded()
    {
        // pycog's RNN.run keeps x_last between runs in continuous mode: a list of test trials is a
        // chain, and the integrator is left where the last trial ended.
        var task = new SineWave();
        var (p, config) = NetworkInitializer.Initialize(task.Network.Resolve(), 1234);
        var net = TrainedNetwork.FromParameters(config, p, 0);
        var requests = Enumerable.Repeat(new TrialRequest { Kind = TrialKind.Test }, 3).ToList();
        var integrator = new Integrator(net, new SimulationOptions { Dt = 1 });
        var chained = integrator.Run(task, requests, 5);
        for (int i = 1; i < requests.Count; i++)
        {
            // The first recorded rate of trial i is [x]+ of trial i-1's final state (not of x0).
            var r0 = chained[i - 1].FinalState.Select(v => Math.Max(v, 0f)).ToArray();
            Assert.Equal(r0, chained[i].R.AsSpan(0, config.N).ToArray());
        }
        Assert.NotEqual(p.X0.Select(v => Math.Max(v, 0f)).ToArray(), chained[1].R.AsSpan(0, config.N).ToArray());
        Assert.Equal(chained[^1].FinalState, integrator.LastState);
        // Without chaining, every trial starts from x0.
        var independent = new Integrator(net, new SimulationOptions { Dt = 1, ChainContinuousTrials = false }).Run(task, requests, 5);
        Assert.All(independent, t => Assert.Equal(p.X0.Select(v => Math.Max(v, 0f)).ToArray(), t.R.AsSpan(0, config.N).ToArray()));
    }

    [Fact]
    public void WeightsBelowThresholdAreZeroedOnLoad()
    {
        var task = RandomDotMotion.Fixed();
        var (p, config) = NetworkInitializer.Initialize(task.Network.Resolve(), 1234);
        p.Wrec.Data[1] = 5e-5f; p.Wrec.Data[2] = 2e-4f;
        var net = TrainedNetwork.FromParameters(config, p);
        var eff = EffectiveWeights.Compute(config, p);
        Assert.Equal(0f, net.Wrec.Data[1]);
        Assert.Equal(eff.Wrec.Data[2], net.Wrec.Data[2]);
    }

    [Fact]
    public void FastGaussianMatchesTheNormalDistributionFunctionAndIsDeterministic()
    {
        var x = new float[400_003];
        FastGaussian.Fill(new Rng(9), x);
        foreach (double q in new[] { -2.5, -1.0, -0.3, 0.0, 0.7, 1.5, 3.0 })
        {
            double empirical = x.Count(v => v <= q) / (double)x.Length;
            Assert.InRange(empirical - MathNet.Numerics.Distributions.Normal.CDF(0, 1, q), -0.003, 0.003);
        }
        // the cosine and sine halves of each block are uncorrelated
        double c = 0;
        for (int i = 0; i < 512; i++) c += x[i] * (double)x[512 + i];
        Assert.InRange(c / 512, -0.15, 0.15);
        var again = new float[x.Length];
        FastGaussian.Fill(new Rng(9), again);
        Assert.Equal(x, again);
        foreach (int len in new[] { 1, 2, 3, 17, 1025 })
        {
            var small = new float[len];
            FastGaussian.Fill(new Rng(len), small);
            Assert.All(small, v => Assert.True(float.IsFinite(v) && v != 0));
        }
    }

    [Fact]
    public void AGaussianStreamGivesTheSameSamplesWhateverTheChunking()
    {
        var whole = new float[1000];
        new GaussianStream(new Rng(3)).Fill(whole);
        var pieces = new float[1000];
        var stream = new GaussianStream(new Rng(3));
        int at = 0;
        foreach (int len in new[] { 2, 100, 7, 16, 1, 300, 574 }) { stream.Fill(pieces.AsSpan(at, len)); at += len; }
        Assert.Equal(whole, pieces);
        double mean = whole.Average(v => (double)v), var = whole.Average(v => (v - mean) * (v - mean));
        Assert.InRange(var, 0.85, 1.15);
    }

    [Fact]
    public void FastGaussianHasUnitVarianceAndNormalTails()
    {
        var rng = new Rng(4);
        var x = new float[1_000_001];
        FastGaussian.Fill(rng, x);
        double mean = x.Average(v => (double)v);
        double var = x.Average(v => (v - mean) * (v - mean));
        double kurt = x.Average(v => Math.Pow(v - mean, 4)) / (var * var);
        Assert.InRange(mean, -0.003, 0.003);
        Assert.InRange(var, 0.995, 1.005);
        Assert.InRange(kurt, 2.97, 3.03);
        Assert.InRange(x.Count(v => Math.Abs(v) > 1.96) / (double)x.Length, 0.0485, 0.0515);
    }
}
