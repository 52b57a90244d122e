using PyCog.IO;
using PyCog.Network;
using PyCog.Tasks;
using PyCog.Training;
using Xunit;

namespace PyCog.Tests.Training;

/// <summary>Adam beside pycog's SGD: the update against a plain double-precision loop, clipping, defaults, and exact resumes.</summary>
public class OptimizerTests
{
    [Fact]
    public void SgdStaysTheDefaultAndAdamHasItsOwnLearningRate()
    {
        var sgd = new TrainingConfig();
        Assert.Equal(OptimizerKind.Sgd, sgd.Optimizer);
        Assert.Equal(0.01, sgd.EffectiveLearningRate);
        var adam = TrainingConfig.Parameters.Set(sgd, "optimizer", "adam");
        Assert.Equal(1e-3, adam.EffectiveLearningRate);
        Assert.Equal(0.02, TrainingConfig.Parameters.Set(adam, "learning_rate", "0.02").EffectiveLearningRate);
        Assert.Throws<ConfigurationException>(() => (adam with { AdamBeta2 = 1 }).Resolve(new NetworkConfig()));
    }

    [Fact]
    public void AdamMatchesAPlainDoublePrecisionLoop()
    {
        var c = new TrainingConfig { Optimizer = OptimizerKind.Adam, LearningRate = 0.05, MaxGradientNorm = 100 };
        var p = NetworkParameters.Zeros(1, 2, 1);
        p.Wrec.Data[0] = 0.5f; p.Wrec.Data[3] = -0.25f; p.Win!.Data[1] = 0.1f;
        var w = p.Arrays().SelectMany(a => a.Values).Select(v => (double)v).ToArray();
        var m = new double[w.Length];
        var v = new double[w.Length];
        var state = AdamState.For(p);
        var rng = new PyCog.Numerics.Rng(3);
        for (int step = 1; step <= 5; step++)
        {
            var g = NetworkParameters.Zeros(1, 2, 1);
            foreach (var (_, values) in g.Arrays()) for (int k = 0; k < values.Length; k++) values[k] = (float)rng.Normal(0, 0.3);
            var flat = g.Arrays().SelectMany(a => a.Values).Select(x => (double)x).ToArray();
            Optimizer.Step(p, g, c, state);
            for (int k = 0; k < w.Length; k++)
            {
                m[k] = 0.9 * m[k] + 0.1 * flat[k];
                v[k] = 0.999 * v[k] + 0.001 * flat[k] * flat[k];
                double mHat = m[k] / (1 - Math.Pow(0.9, step)), vHat = v[k] / (1 - Math.Pow(0.999, step));
                w[k] -= 0.05 * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
        }
        var got = p.Arrays().SelectMany(a => a.Values).ToArray();
        for (int k = 0; k < w.Length; k++) Assert.Equal(w[k], got[k], 1e-5); // single-precision moments: a few ulps a step
        Assert.Equal(5, state.Step);
    }

    [Fact]
    public void AdamStepsTheClippedGradient()
    {
        // gradient norm 5, clipped to 1: Adam's first step is lr * sign(g) whatever the scale.
        var c = new TrainingConfig { Optimizer = OptimizerKind.Adam, LearningRate = 0.1, MaxGradientNorm = 1 };
        var p = NetworkParameters.Zeros(0, 2, 1);
        var g = NetworkParameters.Zeros(0, 2, 1);
        g.Wrec.Data[0] = 3; g.Wout.Data[1] = -4;
        var state = AdamState.For(p);
        Assert.Equal(5, Optimizer.Step(p, g, c, state), 10);
        Assert.Equal(-0.1f, p.Wrec.Data[0], 5);
        Assert.Equal(0.1f, p.Wout.Data[1], 5);
        Assert.Equal(0.1f * 0.6f, state.M.Wrec.Data[0], 6);   // (1 - beta1) times the clipped gradient 0.6
        Assert.Equal(0f, p.Wrec.Data[1]);
    }

    [Fact]
    public void AResumedAdamRunEqualsAnUninterruptedOne()
    {
        var task = RandomDotMotion.Fixed();
        var config = TrainingConfig.For(task) with { Optimizer = OptimizerKind.Adam, NGradient = 4, NValidation = 11, CheckFreq = 10, MaxIter = 60 };
        string a = Path.Combine(Path.GetTempPath(), $"pycog-test-{Guid.NewGuid():N}.npz"), b = a.Replace(".npz", "-b.npz");
        try
        {
            new Trainer(task, training: config) { CheckpointPath = a }.Train();
            using var cts = new CancellationTokenSource();
            int validations = 0;
            new Trainer(task, training: config) { CheckpointPath = b, Progress = new ProgressCallback(() => { if (++validations == 3) cts.Cancel(); }) }.Train(cts.Token);
            var stopped = Checkpoint.Load(b);
            Assert.NotNull(stopped.Adam);
            Assert.Equal(20, stopped.Adam!.Step);
            new Trainer(task, training: config) { CheckpointPath = b }.Train();
            var (ca, cb) = (Checkpoint.Load(a), Checkpoint.Load(b));
            foreach (var ((name, x), (_, y)) in ca.Current.Arrays().Zip(cb.Current.Arrays()))
                Assert.True(x.AsSpan().SequenceEqual(y), $"{name} differs after the resume");
            Assert.True(ca.Adam!.V.Wrec.Data.AsSpan().SequenceEqual(cb.Adam!.V.Wrec.Data));
            Assert.Equal(OptimizerKind.Adam, cb.Training.Optimizer);
            Assert.Equal("adam", NetworkFile.Load(b).TrainingSettings["optimizer"]);
        }
        finally { foreach (var f in new[] { a, b }) { File.Delete(f); File.Delete(f + ".lock"); } }
    }

    sealed class ProgressCallback(Action report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report();
    }
}
