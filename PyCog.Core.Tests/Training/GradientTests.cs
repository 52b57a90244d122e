using PyCog.Network;
using PyCog.Tests.Support;
using PyCog.Torch;
using PyCog.Training;
using TorchSharp;
using Xunit;

namespace PyCog.Tests.Training;

/// <summary>Both engines against central finite differences of an independent double-precision model, and against each other.</summary>
public class GradientTests
{
    static readonly string[] Trainables = ["Win", "Wrec", "Wout", "brec", "bout", "x0"];

    public static IEnumerable<object[]> AllCombinations() =>
        from f in Enum.GetValues<HiddenActivation>()
        from g in Enum.GetValues<OutputActivation>()
        select new object[] { f, g };

    static double[] FiniteDifferences(ReferenceModel model, ReferenceModel.Params p, string name, Batch batch, Func<ReferenceModel.Params, double> objective, double h = 1e-6)
    {
        var (get, set, length) = p.Flat(name);
        var g = new double[length];
        for (int k = 0; k < length; k++)
        {
            double v = get(k);
            set(k, v + h); double plus = objective(p);
            set(k, v - h); double minus = objective(p);
            set(k, v);
            g[k] = (plus - minus) / (2 * h);
        }
        return g;
    }

    static float[] Array(NetworkParameters g, string name) => g.Arrays().Single(a => a.Name == name).Values;

    [Theory]
    [MemberData(nameof(AllCombinations))]
    public void FusedCostGradientMatchesFiniteDifferences(HiddenActivation f, OutputActivation g)
    {
        var config = Fixtures.TinyConfig(f, g);
        AssertFusedCostGradientMatchesFiniteDifferences(config, new TrainingConfig { LambdaOmega = 0 }, Fixtures.RandomBatch(config, oneHotTargets: g == OutputActivation.Softmax), $"{f}/{g}");
    }

    /// <summary>Cost, loss and every trainable's gradient of the fused engine against the reference model.</summary>
    static void AssertFusedCostGradientMatchesFiniteDifferences(ResolvedNetworkConfig config, TrainingConfig training, Batch batch, string label)
    {
        var p = Fixtures.Parameters(config);
        var model = new ReferenceModel(config, training);
        var rp = ReferenceModel.Params.From(p);
        using var engine = new FusedEngine(config, training);
        var result = engine.ComputeGradient(p, batch);
        Assert.Equal(model.Cost(rp, batch).Cost, result.Cost, 5);
        Assert.Equal(model.Cost(rp, batch).Loss, result.Loss, 5);
        foreach (var name in Trainables)
        {
            var fd = FiniteDifferences(model, rp, name, batch, q => model.Cost(q, batch).Cost);
            double err = Fixtures.RelativeError(Array(result.Gradient, name), fd);
            Assert.True(err < 1e-4, $"{label} {name}: relative error {err:E2}");
        }
    }

    [Fact]
    public void FusedGradientIncludesEveryRegulariser()
    {
        var config = Fixtures.TinyConfig();
        var training = new TrainingConfig
        {
            LambdaOmega = 0, Lambda1In = 0.3, Lambda1Rec = 0.2, Lambda1Out = 0.1, Lambda2In = 0.4, Lambda2Rec = 0.5, Lambda2Out = 0.6, Lambda2R = 0.7,
        };
        AssertFusedCostGradientMatchesFiniteDifferences(config, training, Fixtures.RandomBatch(config), "all regularisers");
    }

    [Fact]
    public void FusedBiasGradientsAreRightWhenNFillsWholeVectors()
    {
        // The engine takes the bias gradients from a column of ones past the N units; with N = 16
        // that column is a padding vector of its own, and softplus makes f(0) nonzero there.
        var config = Fixtures.TinyConfig(HiddenActivation.Softplus, n: 16);
        var training = new TrainingConfig { LambdaOmega = 0, Lambda2R = 0.7 };
        AssertFusedCostGradientMatchesFiniteDifferences(config, training, Fixtures.RandomBatch(config), "N = 16");
    }

    [Theory]
    [InlineData(HiddenActivation.Rectify)]
    [InlineData(HiddenActivation.Tanh)]
    [InlineData(HiddenActivation.Sigmoid)]
    [InlineData(HiddenActivation.Softplus)]
    [InlineData(HiddenActivation.RectifyPower)]
    [InlineData(HiddenActivation.Rtanh)]
    [InlineData(HiddenActivation.Linear)]
    public void OmegaImmediateGradientMatchesFiniteDifferences(HiddenActivation f)
    {
        var config = Fixtures.TinyConfig(f);
        var training = new TrainingConfig { LambdaOmega = 1, Lambda2R = 0.3 };
        var p = Fixtures.Parameters(config);
        var batch = Fixtures.RandomBatch(config);
        var model = new ReferenceModel(config, training);
        var rp = ReferenceModel.Params.From(p);
        var d = model.LossGradientWrtStates(rp, batch);
        var x = model.States(rp, batch);
        double omega = model.Omega(rp.Wrec, d, x);
        var fd = FiniteDifferences(model, rp, "Wrec", batch, q => model.Omega(q.Wrec, d, x));

        var noOmega = training with { LambdaOmega = 0 };
        foreach (ITrainingEngine engine in new ITrainingEngine[] { new FusedEngine(config, training), new TorchEngine(config, training, torch.ScalarType.Float64) })
        {
            using var e1 = engine;
            using var e0 = engine is FusedEngine ? (ITrainingEngine)new FusedEngine(config, noOmega) : new TorchEngine(config, noOmega, torch.ScalarType.Float64);
            var with = e1.ComputeGradient(p, batch);
            var without = e0.ComputeGradient(p, batch);
            Assert.True(Math.Abs(with.Omega - omega) <= 1e-4 * Math.Max(1, Math.Abs(omega)), $"{engine.Name}: Omega {with.Omega} vs reference {omega}");
            var diff = with.Gradient.Wrec.Data.Zip(without.Gradient.Wrec.Data, (a, b) => a - b).ToArray();
            double err = Fixtures.RelativeError(diff, fd);
            Assert.True(err < 1e-3, $"{engine.Name} {f}: Omega gradient relative error {err:E2}");
            Assert.True(fd.Any(v => Math.Abs(v) > 1e-6), "the Omega gradient should not vanish in this test");
        }
    }

    [Theory]
    [MemberData(nameof(AllCombinations))]
    public void FusedMatchesTorch(HiddenActivation f, OutputActivation g)
    {
        var config = Fixtures.TinyConfig(f, g);
        var training = new TrainingConfig { Lambda2R = 0.1, Lambda1Rec = 0.01, Lambda2Out = 0.02 };
        var p = Fixtures.Parameters(config);
        var batch = Fixtures.RandomBatch(config, time: 9, trials: 4, oneHotTargets: g == OutputActivation.Softmax);
        using var fused = new FusedEngine(config, training);
        using var torchEngine = new TorchEngine(config, training, torch.ScalarType.Float64);
        var a = fused.ComputeGradient(p, batch);
        var b = torchEngine.ComputeGradient(p, batch);
        Assert.Equal(b.Cost, a.Cost, 5);
        Assert.Equal(b.Rmse, a.Rmse, 5);
        Assert.True(Math.Abs(a.Omega - b.Omega) <= 1e-4 * Math.Max(1, b.Omega), $"Omega {a.Omega} vs {b.Omega}");
        foreach (var name in Trainables)
        {
            double err = Fixtures.RelativeError(Array(a.Gradient, name), Array(b.Gradient, name));
            Assert.True(err < 1e-4, $"{f}/{g} {name}: fused vs torch relative error {err:E2}");
        }
        var ea = fused.Evaluate(p, batch);
        var eb = torchEngine.Evaluate(p, batch);
        Assert.Equal(eb.Cost, ea.Cost, 5);
        Assert.True(Fixtures.RelativeError(ea.Outputs.Data, eb.Outputs.Data) < 1e-5);
    }

    [Fact]
    public void FusedMatchesTorchInSinglePrecisionAtPaperSize()
    {
        var task = PyCog.Tasks.RandomDotMotion.Fixed();
        var training = new TrainingConfig();
        var (p, config) = NetworkInitializer.Initialize(task.Network.Resolve(), training.Seed);
        var data = new Dataset(task, config, PyCog.Tasks.TrialKind.Gradient, 20, 11);
        var batch = data.Next();
        using var fused = new FusedEngine(config, training);
        using var torchEngine = new TorchEngine(config, training);
        var a = fused.ComputeGradient(p, batch);
        var b = torchEngine.ComputeGradient(p, batch);
        Assert.Equal(b.Loss, a.Loss, 4);
        foreach (var name in new[] { "Win", "Wrec", "Wout", "x0" })
        {
            double err = Fixtures.RelativeError(Array(a.Gradient, name), Array(b.Gradient, name));
            Assert.True(err < 1e-4, $"{name}: fused vs torch relative error {err:E2}");
        }
    }

    [Fact]
    public void TorchExtraLossIsAddedToTheCost()
    {
        var config = Fixtures.TinyConfig();
        var training = new TrainingConfig { LambdaOmega = 0 };
        var p = Fixtures.Parameters(config);
        var batch = Fixtures.RandomBatch(config);
        using var viaRegulariser = new TorchEngine(config, training with { Lambda2R = 0.5 }, torch.ScalarType.Float64);
        using var viaExtension = new TorchEngine(config, training, torch.ScalarType.Float64) { ExtraLoss = graph => (graph.R * graph.R).mean() * torch.tensor(0.5, torch.ScalarType.Float64) };
        var a = viaRegulariser.ComputeGradient(p, batch);
        var b = viaExtension.ComputeGradient(p, batch);
        Assert.Equal(a.Cost, b.Cost, 10);
        Assert.True(Fixtures.RelativeError(b.Gradient.Wrec.Data, a.Gradient.Wrec.Data) < 1e-6);
    }
}

/// <summary>
/// Regression: TorchSharp passes implicitly created Scalars (tensor + tensor, square()) to libtorch
/// without keeping them alive, so a garbage collection during a step could free one mid-call.
/// </summary>
public class TorchEngineLifetimeTests
{
    [Fact]
    public void TorchStepsSurviveConstantGarbageCollection()
    {
        var task = PyCog.Tasks.RandomDotMotion.Fixed();
        var training = new TrainingConfig { Lambda2R = 0.1, Lambda2Rec = 0.1 };
        var (p, config) = NetworkInitializer.Initialize(task.Network.Resolve(), training.Seed);
        var batch = new Dataset(task, config, PyCog.Tasks.TrialKind.Gradient, 4, 11).Next();
        using var engine = new TorchEngine(config, training);
        bool stop = false;
        var collector = new Thread(() => { while (!Volatile.Read(ref stop)) { GC.Collect(); GC.WaitForPendingFinalizers(); } });
        collector.Start();
        try
        {
            for (int i = 0; i < 120; i++) engine.ComputeGradient(p, batch);
        }
        finally { Volatile.Write(ref stop, true); collector.Join(); }
    }
}
