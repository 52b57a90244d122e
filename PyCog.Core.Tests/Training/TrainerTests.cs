using PyCog.IO;
using PyCog.Network;
using PyCog.Tasks;
using PyCog.Torch;
using PyCog.Training;
using PyCog.Training.Callbacks;
using PyCog.Training.Optimizers;
using Xunit;

namespace PyCog.Tests.Training;

public class TrainerTests
{
    /// <summary>rdm_fixed with tiny batches and frequent validation, so a test trains in a second.</summary>
    static TrainingConfig Small(RandomDotMotion task) => TrainingConfig.For(task) with { NGradient = 4, NValidation = 11, CheckFreq = 10, MaxIter = 60 };

    static EngineFactory EngineNamed(string name) => name == "torch" ? TorchEngine.Factory() : FusedEngine.Factory;

    static string TempFile() => Path.Combine(Path.GetTempPath(), $"pycog-test-{Guid.NewGuid():N}.npz");

    [Theory]
    [InlineData("fused")]
    [InlineData("torch")]
    public void DaleInvariantsHoldAfterOneHundredUpdates(string engine)
    {
        var task = RandomDotMotion.Fixed();
        var training = Small(task) with { MaxIter = 100, LearningRate = 0.5 }; // large steps push weights across zero
        string path = TempFile();
        var result = new Trainer(task, training: training) { Engine = EngineNamed(engine), CheckpointPath = path }.Train();
        Assert.Equal(100, result.Iterations);
        var checkpoint = Checkpoint.Load(path);
        File.Delete(path);
        Assert.Equal(engine, checkpoint.Trained.Engine);
        var c = checkpoint.Network.Config;
        var eff = EffectiveWeights.Compute(checkpoint.Network, checkpoint.Current);
        int crossed = checkpoint.Current.Wrec.Data.Count(v => v < 0);
        Assert.True(crossed > 0, "some raw weights should have crossed zero for this test to mean anything");
        for (int i = 0; i < c.N; i++)
            for (int j = 0; j < c.N; j++)
            {
                float w = eff.Wrec[i, j];
                if (c.Crec!.PlasticMask[i, j] == 0 && c.Crec.Fixed[i, j] == 0) Assert.Equal(0f, w);
                else if (c.Ei![j] > 0) Assert.True(w >= 0, $"E column {j} has negative weight {w}");
                else Assert.True(w <= 0, $"I column {j} has positive weight {w}");
            }
        Assert.All(eff.Win!.Data, w => Assert.True(w >= 0));
        for (int k = 0; k < eff.Win!.Data.Length; k++) if (c.Cin!.PlasticMask.Data[k] == 0) Assert.Equal(0f, eff.Win.Data[k]);
        for (int o = 0; o < c.Nout; o++)
            for (int j = 0; j < c.N; j++)
            {
                if (c.Cout!.PlasticMask[o, j] == 0) Assert.Equal(0f, eff.Wout[o, j]);
                else Assert.True(eff.Wout[o, j] * c.Ei![j] >= 0);
            }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ResumingAfterKValidationsGivesTheSameWeightsAsAnUninterruptedRun(int contract)
    {
        var task = RandomDotMotion.Fixed();
        var config = Small(task) with { Reproducibility = contract };
        string a = TempFile(), b = TempFile();
        try
        {
            var straight = new Trainer(task, training: config) { CheckpointPath = a }.Train();

            using var cts = new CancellationTokenSource();
            int validations = 0;
            var interrupted = new Trainer(task, training: config)
            {
                CheckpointPath = b,
                Callbacks = [new TrainingCallback { Validation = (_, _) => { if (++validations == 3) cts.Cancel(); } }],
            }.Train(cts.Token);
            Assert.Equal(Termination.Cancelled, interrupted.Termination);
            Assert.Equal(20, interrupted.Iterations); // stopped right after the third validation (iteration 21)
            Assert.False(NetworkFile.Load(b).Finished);

            var resumed = new Trainer(task, training: config) { CheckpointPath = b }.Train();
            Assert.Equal(straight.Termination, resumed.Termination);
            var (ca, cb) = (Checkpoint.Load(a), Checkpoint.Load(b));
            Assert.Equal(ca.Current.Wrec.Data, cb.Current.Wrec.Data);
            Assert.Equal(ca.Current.X0, cb.Current.X0);
            Assert.Equal(straight.Parameters.Wout.Data, resumed.Parameters.Wout.Data);
            Assert.Equal(straight.Trained.History.Select(h => h.Cost), resumed.Trained.History.Select(h => h.Cost));
            Assert.Equal(straight.TrialsSeen, resumed.TrialsSeen);
        }
        finally { File.Delete(a); File.Delete(b); }
    }

    [Fact]
    public void CheckpointsAreWrittenAtomically()
    {
        var task = RandomDotMotion.Fixed();
        string path = TempFile();
        try
        {
            new Trainer(task, training: Small(task) with { MaxIter = 20 }) { CheckpointPath = path }.Train();
            Assert.True(File.Exists(path));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*.tmp"));
            var run = NetworkFile.Load(path);
            Assert.True(run.Finished);
            Assert.Equal(2, run.History.Count); // validations at iterations 1 and 11
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void BestParametersAreThoseOfTheLowestValidationCost()
    {
        var task = RandomDotMotion.Fixed();
        var result = new Trainer(task, training: Small(task)).Train();
        var history = result.Trained.History.ToList();
        var bestRecord = history.MinBy(h => h.Cost)!;
        Assert.Equal(bestRecord.Cost, result.Trained.Best.Cost);
        Assert.Equal(history.IndexOf(bestRecord) * 10 + 1, result.Trained.Best.Iteration);
    }

    [Fact]
    public void PatienceStopsARunWithoutProgress()
    {
        var task = RandomDotMotion.Fixed();
        var result = new Trainer(task, training: Small(task) with { LearningRate = 1e-12, Patience = 15, MaxIter = 1000 }).Train();
        Assert.Equal(Termination.Patience, result.Termination);
        Assert.False(result.CriterionReached);
    }

    [Fact]
    public void MinErrorStopsTraining()
    {
        var task = RandomDotMotion.Fixed();
        var result = new Trainer(task, training: Small(task) with { MinError = 10 }).Train();
        Assert.Equal(Termination.MinError, result.Termination);
        Assert.Equal(0, result.Iterations);
    }

    [Fact]
    public void ClippingAndSafeguardFollowPycog()
    {
        var c = new TrainingConfig { LearningRate = 1, MaxGradientNorm = 1 };
        var p = NetworkParameters.Zeros(0, 2, 1);
        var g = NetworkParameters.Zeros(0, 2, 1);
        g.Wrec.Data[0] = 3; g.Wout.Data[1] = 4; // norm 5 -> scaled to 1
        var clipped = ClippedGradient.Of(g, c.MaxGradientNorm);
        new Sgd(c.EffectiveLearningRate).Step(p, clipped);
        double norm = clipped.Norm;
        Assert.Equal(5, norm, 10);
        Assert.Equal(-0.6f, p.Wrec.Data[0], 6);
        Assert.Equal(-0.8f, p.Wout.Data[1], 6);

        p.Wrec.Data[1] = 2; p.X0[0] = 7;
        g.X0[0] = float.NaN;
        new Sgd(c.EffectiveLearningRate).Step(p, ClippedGradient.Of(g, c.MaxGradientNorm));
        Assert.Equal(2 - 0.02f * 2, p.Wrec.Data[1], 6); // Wrec -= lr * 0.02 Wrec
        Assert.Equal(7f, p.X0[0]);                     // every other gradient is zero
    }
}
