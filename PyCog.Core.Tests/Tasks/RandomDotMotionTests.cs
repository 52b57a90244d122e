using PyCog.Numerics;
using PyCog.Tasks;
using Xunit;

namespace PyCog.Tests.Tasks;

public class RandomDotMotionTests
{
    readonly RandomDotMotion _task = RandomDotMotion.Fixed();

    [Fact]
    public void HandWorkedTrialAtDt20()
    {
        // coh 16 toward choice 1 (in_out = -1): fixation (0,100], stimulus (100,900], decision (900,1200]
        var request = new TrialRequest { Kind = TrialKind.Gradient }.With("coh", 16).With("in_out", -1).With("catch", false);
        var trial = _task.GenerateTrial(new Rng(1), 20, request);
        Assert.Equal(60, trial.Length);
        Assert.Equal(20, trial.Times[0]);
        Assert.Equal(1200, trial.Times[^1]);
        Assert.Equal([0, 1, 2, 3, 4], trial.EpochIndices("fixation"));
        Assert.Equal(Enumerable.Range(5, 40).ToArray(), trial.EpochIndices("stimulus"));
        Assert.Equal(Enumerable.Range(45, 15).ToArray(), trial.EpochIndices("decision"));
        Assert.Equal(1, trial.Info.Choice);
        float hiIn = (float)((1 + 3.2 * 16 / 100) / 2), loIn = (float)((1 - 3.2 * 16 / 100) / 2);
        for (int t = 0; t < 60; t++)
        {
            bool stim = t is >= 5 and < 45, fix = t < 5, dec = t >= 45;
            Assert.Equal(stim ? loIn : 0f, trial.Inputs[t, 0], 6);
            Assert.Equal(stim ? hiIn : 0f, trial.Inputs[t, 1], 6);
            Assert.Equal(fix || dec ? 1f : 0f, trial.Mask![t, 0]);
            Assert.Equal(fix || dec ? 1f : 0f, trial.Mask![t, 1]);
            Assert.Equal(fix ? 0.2f : dec ? 0.2f : 0f, trial.Outputs![t, 0], 6);
            Assert.Equal(fix ? 0.2f : dec ? 1f : 0f, trial.Outputs![t, 1], 6);
        }
    }

    [Fact]
    public void EpochIndicesAtDtHalf()
    {
        var request = new TrialRequest { Kind = TrialKind.Test }.With("coh", 4).With("in_out", 1).With("catch", false);
        var trial = _task.GenerateTrial(new Rng(1), 0.5, request);
        Assert.Equal(2800, trial.Length); // test trials: fixation 300 + 800 + 300 = 1400 ms
        Assert.Equal(600, trial.EpochIndices("fixation").Length);
        Assert.Equal(599, trial.EpochIndices("fixation")[^1]);
        Assert.Equal(1600, trial.EpochIndices("stimulus").Length);
        Assert.Equal(600, trial.EpochIndices("decision").Length);
        Assert.Equal(2200, trial.EpochIndices("decision")[0]);
        Assert.Equal(0, trial.Info.Choice);
    }

    [Fact]
    public void CatchTrialsHoldLowEverywhereWithFullMask()
    {
        var trial = _task.GenerateTrial(new Rng(1), 20, new TrialRequest { Kind = TrialKind.Gradient }.With("catch", true));
        Assert.True(trial.Info.IsCatch);
        Assert.Equal(100, trial.Length);
        Assert.All(trial.Outputs!.Data, v => Assert.Equal(0.2f, v));
        Assert.All(trial.Mask!.Data, v => Assert.Equal(1f, v));
        Assert.All(trial.Inputs.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ValidationBatchVisitsEveryConditionOncePlusACatchTrialInFortranOrder()
    {
        var trials = Enumerable.Range(0, _task.Conditions + 1)
            .Select(b => _task.GenerateTrial(new Rng(1), 20, TrialRequest.Of(TrialKind.Validation, b))).ToList();
        Assert.True(trials[0].Info.IsCatch);
        var conditions = trials.Skip(1).Select(t => (t.Info.ConditionAs<DotsCondition>().Coherence, t.Info.ConditionAs<DotsCondition>().InOut)).ToList();
        Assert.Equal(10, conditions.Distinct().Count());
        // Fortran order: the first index (coh) varies fastest
        Assert.Equal((1, 1), conditions[0]);
        Assert.Equal((2, 1), conditions[1]);
        Assert.Equal((1, -1), conditions[5]);
        Assert.Equal((16, -1), conditions[9]);
        Assert.True(_task.GenerateTrial(new Rng(1), 20, TrialRequest.Of(TrialKind.Validation, 11)).Info.IsCatch);
    }

    [Fact]
    public void GradientTrialsDrawCatchTrialsAtOneInEleven()
    {
        var rng = new Rng(3);
        int catches = Enumerable.Range(0, 11000).Count(_ => _task.GenerateTrial(rng, 20, TrialRequest.Of(TrialKind.Gradient)).Info.IsCatch);
        Assert.InRange(catches, 900, 1100);
    }

    [Fact]
    public void InvalidFixedValuesAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => _task.GenerateTrial(new Rng(1), 20, new TrialRequest().With("coh", 3).With("catch", false)));
        Assert.Contains("coh=3", e.Message);
    }

    [Fact]
    public void PerformanceCountsTheArgmaxAtTheLastTimeOfEachNonCatchTrial()
    {
        var trials = new[]
        {
            _task.GenerateTrial(new Rng(1), 20, new TrialRequest().With("coh", 8).With("in_out", 1).With("catch", false)),
            _task.GenerateTrial(new Rng(1), 20, new TrialRequest().With("coh", 8).With("in_out", -1).With("catch", false)),
            _task.GenerateTrial(new Rng(1), 20, new TrialRequest().With("catch", true)),
        };
        int time = 100;
        var z = new float[time * 3 * 2];
        void Set(int b, int t, float o0, float o1) { z[(t * 3 + b) * 2] = o0; z[(t * 3 + b) * 2 + 1] = o1; }
        Set(0, 59, 1, 0.2f);   // correct (choice 0)
        Set(1, 59, 1, 0.2f);   // wrong (choice 1)
        Set(1, 58, 0, 1f);     // not the last time point: ignored
        var outputs = new BatchOutputs(time, 3, 2, z);
        Assert.Equal(50, Performance.TwoAfc(trials, outputs));
        Assert.False(_task.Terminate([90, 90, 90, 90, 60])); // mean 84
        Assert.True(_task.Terminate([50, 86, 86, 86, 86, 86]));
    }
}

public class TaskToolsTests
{
    [Fact]
    public void UnravelFortranMatchesNumpy()
    {
        // np.unravel_index(7, (5, 2), order='F') == (2, 1)
        Assert.Equal([2, 1], TaskTools.UnravelFortran(7, 5, 2));
        Assert.Equal([0, 0, 1], TaskTools.UnravelFortran(6, 2, 3, 2));
    }

    [Fact]
    public void DurationsAreMultiplesOfDtInsideTheirBounds()
    {
        var rng = new Rng(5);
        for (int i = 0; i < 1000; i++)
        {
            double e = TaskTools.TruncatedExponential(rng, 20, 330, 80, 1500);
            Assert.InRange(e, 80 - 20, 1500);
            Assert.Equal(0, e % 20);
            double u = TaskTools.Uniform(rng, 20, 2500, 3500);
            Assert.InRange(u, 2500, 3500);
            Assert.Equal(0, u % 20);
        }
    }

    [Fact]
    public void VonMisesPeaksAtThePreferredAngle()
    {
        Assert.Equal(1, TaskTools.VonMises(30, 30), 12);
        Assert.Equal(Math.Exp(5 * (Math.Cos(Math.PI / 2) - 1)), TaskTools.VonMises(120, 30), 12);
    }
}
