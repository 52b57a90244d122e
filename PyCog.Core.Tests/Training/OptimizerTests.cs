using System.IO.Compression;
using PyCog.IO;
using PyCog.Network;
using PyCog.Tasks;
using PyCog.Training;
using PyCog.Training.Callbacks;
using PyCog.Training.Optimizers;
using Xunit;

namespace PyCog.Tests.Training;

/// <summary>
/// The optimiser extension point: Adam beside pycog's SGD (the update against a plain
/// double-precision loop, clipping, defaults), and a user-written optimiser whose state the
/// checkpoint saves by name, so that its runs resume bit for bit.
/// </summary>
public class OptimizerTests
{
    static string TempFile() => Path.Combine(Path.GetTempPath(), $"pycog-test-{Guid.NewGuid():N}.npz");

    [Fact]
    public void SgdStaysTheDefaultAndAdamHasItsOwnLearningRate()
    {
        var sgd = new TrainingConfig();
        Assert.Equal("sgd", sgd.Optimizer);
        Assert.Equal(0.01, sgd.EffectiveLearningRate);
        var adam = TrainingConfig.Parameters.Set(sgd, "optimizer", "Adam");
        Assert.Equal("adam", adam.Optimizer);
        Assert.Equal(1e-3, adam.EffectiveLearningRate);
        Assert.Equal(0.02, TrainingConfig.Parameters.Set(adam, "learning_rate", "0.02").EffectiveLearningRate);
        Assert.Throws<ConfigurationException>(() => (adam with { AdamBeta2 = 1 }).Resolve(new NetworkConfig()));
        var unknown = Assert.Throws<ConfigurationException>(() => TrainingConfig.Parameters.Set(sgd, "optimizer", "rmsprop"));
        Assert.Contains("adam, ", unknown.Message);
    }

    [Fact]
    public void AdamMatchesAPlainDoublePrecisionLoop()
    {
        var p = NetworkParameters.Zeros(1, 2, 1);
        p.Wrec.Data[0] = 0.5f; p.Wrec.Data[3] = -0.25f; p.Win!.Data[1] = 0.1f;
        var w = p.Arrays().SelectMany(a => a.Values).Select(v => (double)v).ToArray();
        var m = new double[w.Length];
        var v = new double[w.Length];
        var adam = new Adam(0.05);
        var rng = new PyCog.Numerics.Rng(3);
        for (int step = 1; step <= 5; step++)
        {
            var g = NetworkParameters.Zeros(1, 2, 1);
            foreach (var (_, values) in g.Arrays()) for (int k = 0; k < values.Length; k++) values[k] = (float)rng.Normal(0, 0.3);
            var flat = g.Arrays().SelectMany(a => a.Values).Select(x => (double)x).ToArray();
            adam.Step(p, ClippedGradient.Of(g, 100));
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
        Assert.Equal(5, adam.StepCount);
    }

    [Fact]
    public void AdamStepsTheClippedGradient()
    {
        // gradient norm 5, clipped to 1: Adam's first step is lr * sign(g) whatever the scale.
        var p = NetworkParameters.Zeros(0, 2, 1);
        var g = NetworkParameters.Zeros(0, 2, 1);
        g.Wrec.Data[0] = 3; g.Wout.Data[1] = -4;
        var adam = new Adam(0.1);
        var clipped = ClippedGradient.Of(g, 1);
        Assert.Equal(5, clipped.Norm, 10);
        adam.Step(p, clipped);
        Assert.Equal(-0.1f, p.Wrec.Data[0], 5);
        Assert.Equal(0.1f, p.Wout.Data[1], 5);
        Assert.Equal(0.1f * 0.6f, adam.M!.Wrec.Data[0], 6);   // (1 - beta1) times the clipped gradient 0.6
        Assert.Equal(0f, p.Wrec.Data[1]);
    }

    /// <summary>Stops after three validations, resumes, and compares every array with an uninterrupted run.</summary>
    static (Checkpoint Straight, Checkpoint Resumed) StopAndResume(CognitiveTask task, TrainingConfig config)
    {
        string a = TempFile(), b = TempFile();
        try
        {
            new Trainer(task, training: config) { CheckpointPath = a }.Train();
            using var cts = new CancellationTokenSource();
            int validations = 0;
            var stop = new TrainingCallback { Validation = (_, _) => { if (++validations == 3) cts.Cancel(); } };
            var stopped = new Trainer(task, training: config) { CheckpointPath = b, Callbacks = [stop] }.Train(cts.Token);
            Assert.Equal(Termination.Cancelled, stopped.Termination);
            new Trainer(task, training: config) { CheckpointPath = b }.Train();
            var (ca, cb) = (Checkpoint.Load(a), Checkpoint.Load(b));
            foreach (var ((name, x), (_, y)) in ca.Current.Arrays().Zip(cb.Current.Arrays()))
                Assert.True(x.AsSpan().SequenceEqual(y), $"{name} differs after the resume");
            return (ca, cb);
        }
        finally { foreach (var f in new[] { a, b }) { File.Delete(f); File.Delete(f + ".lock"); } }
    }

    [Fact]
    public void AResumedAdamRunEqualsAnUninterruptedOne()
    {
        var task = RandomDotMotion.Fixed();
        var config = TrainingConfig.For(task) with { Optimizer = "adam", NGradient = 4, NValidation = 11, CheckFreq = 10, MaxIter = 60 };
        var (ca, cb) = StopAndResume(task, config);
        var (name, state) = cb.Optimizer!.Value;
        Assert.Equal("adam", name);
        Assert.Equal(60, state.Number("adam", "step"));
        Assert.True(ca.Optimizer!.Value.State.Array("adam", "v").Wrec.Data.AsSpan().SequenceEqual(state.Array("adam", "v").Wrec.Data));
        Assert.Equal("adam", cb.Training.Optimizer);
        Assert.Equal("adam", cb.Trained.TrainingSettings["optimizer"]);
    }

    /// <summary>
    /// SGD with momentum, written as a user would: one class and one registration. Its velocity
    /// and step count are its state.
    /// </summary>
    sealed class Momentum(double learningRate, double mu) : IOptimizer
    {
        public const string Id = "momentum_test";
        NetworkParameters? _velocity;
        long _steps;

        public string Name => Id;

        public void Step(NetworkParameters parameters, ClippedGradient gradient)
        {
            _velocity ??= NetworkParameters.Zeros(parameters.Nin, parameters.N, parameters.Nout);
            _steps++;
            foreach (var ((name, w), (_, dw), (_, v)) in parameters.Arrays().Zip(gradient.Gradient.Arrays(), _velocity.Arrays()))
                for (int k = 0; k < w.Length; k++)
                {
                    v[k] = (float)mu * v[k] + gradient.Value(name == "Wrec", w[k], dw[k]);
                    w[k] -= (float)learningRate * v[k];
                }
        }

        public OptimizerState GetState() => _velocity is null ? OptimizerState.Empty
            : new(new Dictionary<string, NetworkParameters> { ["velocity"] = _velocity }, new Dictionary<string, double> { ["steps"] = _steps });

        public void SetState(OptimizerState state)
        {
            if (state.Arrays.Count == 0) return;
            _velocity = state.Array(Id, "velocity").Clone();
            _steps = (long)state.Number(Id, "steps");
        }
    }

    [Fact]
    public void AUserWrittenOptimizerResumesBitExactly()
    {
        OptimizerRegistry.Register(new OptimizerDefinition(Momentum.Id, 0.005, c => new Momentum(c.EffectiveLearningRate, 0.9)));
        var task = RandomDotMotion.Fixed();
        var config = TrainingConfig.For(task) with { NGradient = 4, NValidation = 11, CheckFreq = 10, MaxIter = 60 };
        var momentum = TrainingConfig.Parameters.Set(config, "optimizer", Momentum.Id);
        var (straight, resumed) = StopAndResume(task, momentum);
        var state = resumed.Optimizer!.Value.State;
        Assert.Equal(60, state.Number(Momentum.Id, "steps"));
        Assert.True(straight.Optimizer!.Value.State.Array(Momentum.Id, "velocity").Wrec.Data.AsSpan()
            .SequenceEqual(state.Array(Momentum.Id, "velocity").Wrec.Data));
        Assert.Equal(0.005, resumed.Training.EffectiveLearningRate);
        // The momentum run differs from SGD's: the optimiser was really used.
        string sgdFile = TempFile();
        try
        {
            new Trainer(task, training: config) { CheckpointPath = sgdFile }.Train();
            Assert.False(Checkpoint.Load(sgdFile).Current.Wrec.Data.AsSpan().SequenceEqual(resumed.Current.Wrec.Data));
        }
        finally { File.Delete(sgdFile); File.Delete(sgdFile + ".lock"); }
    }

    [Fact]
    public void OptimizerStateIsStoredUnderItsNameInTheFile()
    {
        var task = RandomDotMotion.Fixed();
        var config = TrainingConfig.For(task) with { Optimizer = "adam", NGradient = 4, NValidation = 11, CheckFreq = 10, MaxIter = 20 };
        string path = TempFile();
        try
        {
            new Trainer(task, training: config) { CheckpointPath = path }.Train();
            using var zip = ZipFile.OpenRead(path);
            Assert.NotNull(zip.GetEntry("adam_m_Wrec.npy"));
            Assert.NotNull(zip.GetEntry("adam_v_x0.npy"));
            // A resume under another optimiser is refused, naming both.
            var sgd = config with { Optimizer = "sgd", MaxIter = 40 };
            var e = Assert.ThrowsAny<Exception>(() => new Trainer(task, training: sgd) { CheckpointPath = path }.Train());
            Assert.Contains("optimizer", e.Message);
        }
        finally { File.Delete(path); File.Delete(path + ".lock"); }
    }
}
