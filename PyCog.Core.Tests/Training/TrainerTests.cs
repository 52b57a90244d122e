using PyCog.IO;
using PyCog.Network;
using PyCog.Tasks;
using PyCog.Training;
using Xunit;

namespace PyCog.Tests.Training;

public class TrainerTests
{
    /// <summary>rdm_fixed with tiny batches and frequent validation, so a test trains in a second.</summary>
    static NetworkConfig Small(RandomDotMotion task) => task.Network with { NGradient = 4, NValidation = 11, CheckFreq = 10, MaxIter = 60 };

    static string TempFile() => Path.Combine(Path.GetTempPath(), $"pycog-test-{Guid.NewGuid():N}.npz");

    [Theory]
    [InlineData("fused")]
    [InlineData("torch")]
    public void DaleInvariantsHoldAfterOneHundredUpdates(string engine)
    {
        var task = RandomDotMotion.Fixed();
        var config = Small(task) with { MaxIter = 100, LearningRate = 0.5 }; // large steps push weights across zero
        var result = new Trainer(task, config) { Engine = engine }.Train();
        Assert.Equal(100, result.Iterations);
        var c = result.Run.Config;
        var eff = EffectiveWeights.Compute(c, result.Run.Current);
        int crossed = result.Run.Current.Wrec.Data.Count(v => v < 0);
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

    [Fact]
    public void ResumingAfterKValidationsGivesTheSameWeightsAsAnUninterruptedRun()
    {
        var task = RandomDotMotion.Fixed();
        var config = Small(task);
        string a = TempFile(), b = TempFile();
        try
        {
            var straight = new Trainer(task, config) { CheckpointPath = a }.Train();

            using var cts = new CancellationTokenSource();
            int validations = 0;
            var interrupted = new Trainer(task, config)
            {
                CheckpointPath = b,
                Progress = new SyncProgress(_ => { if (++validations == 3) cts.Cancel(); }),
            }.Train(cts.Token);
            Assert.Equal(Termination.Cancelled, interrupted.Termination);
            Assert.Equal(20, interrupted.Iterations); // stopped right after the third validation (iteration 21)
            Assert.Equal("training", NetworkFile.Load(b).Status);

            var resumed = new Trainer(task, config) { CheckpointPath = b }.Train();
            Assert.Equal(straight.Termination, resumed.Termination);
            Assert.Equal(straight.Run.Current.Wrec.Data, resumed.Run.Current.Wrec.Data);
            Assert.Equal(straight.Run.Current.X0, resumed.Run.Current.X0);
            Assert.Equal(straight.Run.Best.Wout.Data, resumed.Run.Best.Wout.Data);
            Assert.Equal(straight.Run.History.Select(h => h.Cost), resumed.Run.History.Select(h => h.Cost));
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
            new Trainer(task, Small(task) with { MaxIter = 20 }) { CheckpointPath = path }.Train();
            Assert.True(File.Exists(path));
            Assert.False(File.Exists(path + ".tmp"));
            var run = NetworkFile.Load(path);
            Assert.Equal("finished", run.Status);
            Assert.Equal(2, run.History.Count); // validations at iterations 1 and 11
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void BestParametersAreThoseOfTheLowestValidationCost()
    {
        var task = RandomDotMotion.Fixed();
        var result = new Trainer(task, Small(task)).Train();
        var bestRecord = result.Run.History.MinBy(h => h.Cost)!;
        Assert.Equal(bestRecord.Cost, result.Run.BestCost);
        Assert.Equal(result.Run.History.IndexOf(bestRecord) * 10 + 1, result.Run.BestIteration);
    }

    [Fact]
    public void PatienceStopsARunWithoutProgress()
    {
        var task = RandomDotMotion.Fixed();
        var result = new Trainer(task, Small(task) with { LearningRate = 1e-12, Patience = 15, MaxIter = 1000 }).Train();
        Assert.Equal(Termination.Patience, result.Termination);
        Assert.False(result.CriterionReached);
    }

    [Fact]
    public void MinErrorStopsTraining()
    {
        var task = RandomDotMotion.Fixed();
        var result = new Trainer(task, Small(task) with { MinError = 10 }).Train();
        Assert.Equal(Termination.MinError, result.Termination);
        Assert.Equal(0, result.Iterations);
    }

    [Fact]
    public void ClippingAndSafeguardFollowPycog()
    {
        var c = new NetworkConfig { N = 2, Nout = 1, LearningRate = 1, MaxGradientNorm = 1 }.Resolve();
        var p = NetworkParameters.Zeros(0, 2, 1);
        var g = NetworkParameters.Zeros(0, 2, 1);
        g.Wrec.Data[0] = 3; g.Wout.Data[1] = 4; // norm 5 -> scaled to 1
        double norm = Trainer.Update(p, g, c);
        Assert.Equal(5, norm, 10);
        Assert.Equal(-0.6f, p.Wrec.Data[0], 6);
        Assert.Equal(-0.8f, p.Wout.Data[1], 6);

        p.Wrec.Data[1] = 2; p.X0[0] = 7;
        g.X0[0] = float.NaN;
        Trainer.Update(p, g, c);
        Assert.Equal(2 - 0.02f * 2, p.Wrec.Data[1], 6); // Wrec -= lr * 0.02 Wrec
        Assert.Equal(7f, p.X0[0]);                     // every other gradient is zero
    }

    sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
