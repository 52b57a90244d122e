using PyCog.Network;
using PyCog.Tasks;
using PyCog.Training;
using Xunit;

namespace PyCog.Tests.Training;

/// <summary>The fused engine gives the same bits on 1, 2, 3 or 8 threads, for gradients and whole runs.</summary>
public class ThreadingTests
{
    [Theory]
    [InlineData(20)]
    [InlineData(7)]
    [InlineData(37)]
    public void GradientsAreBitIdenticalForAnyThreadCount(int trials)
    {
        var task = RandomDotMotion.Fixed();
        var training = new TrainingConfig { Lambda2R = 0.1 };  // also the second backward pass
        var (p, network) = NetworkInitializer.Initialize(task.Network.Resolve(), 1234);
        var batch = new Dataset(task, network, TrialKind.Gradient, trials, 11).Next();
        GradientResult Run(int threads)
        {
            using var engine = new FusedEngine(network, training) { Threads = threads };
            return engine.ComputeGradient(p, batch);
        }
        var one = Run(1);
        foreach (int threads in new[] { 2, 3, 8 })
        {
            var many = Run(threads);
            Assert.Equal(one.Cost, many.Cost);
            Assert.Equal(one.Omega, many.Omega);
            foreach (var ((name, a), (_, b)) in one.Gradient.Arrays().Zip(many.Gradient.Arrays()))
                Assert.True(a.AsSpan().SequenceEqual(b), $"{name} differs with {threads} threads ({trials} trials)");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ARunGivesTheSameWeightsOnOneAndEightThreads(int contract)
    {
        var task = ContextDependentIntegration.Mante();
        var training = TrainingConfig.For(task) with { NGradient = 9, NValidation = 30, CheckFreq = 10, MaxIter = 25, Reproducibility = contract };
        var a = new Trainer(task, training: training) { Engine = FusedEngine.WithThreads(1) }.Train();
        var b = new Trainer(task, training: training) { Engine = FusedEngine.WithThreads(8) }.Train();
        foreach (var ((name, x), (_, y)) in a.Parameters.Arrays().Zip(b.Parameters.Arrays()))
            Assert.True(x.AsSpan().SequenceEqual(y), $"{name} differs");
        Assert.Equal(a.Trained.History, b.Trained.History);
    }
}
