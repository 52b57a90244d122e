using PyCog.Analysis;
using PyCog.Network;
using PyCog.Numerics;
using PyCog.Simulation;
using PyCog.Tasks;
using Xunit;

namespace PyCog.Tests.Analysis;

/// <summary>pycog's examples/analysis rules on hand-computed cases: coherence units, 0% coherence, reaction times.</summary>
public class PaperRuleTests
{
    static SimulatedTrial Sim(TrialCondition condition, int? choice, float[] z, int nout = 2, double dt = 10) => new()
    {
        Time = Enumerable.Range(0, z.Length / nout).Select(k => k * dt).ToArray(), Nin = 0, N = 1, Nout = nout, U = [],
        R = new float[z.Length / nout], Z = z, FinalState = [0],
        Trial = new Trial(dt, dt * Math.Max(1, z.Length / nout - 1), TimeGrid.Times(dt, dt * Math.Max(1, z.Length / nout - 1)),
            new Dictionary<string, (double, double)> { ["stimulus"] = (20, dt * Math.Max(1, z.Length / nout - 1)) },
            new Matrix(Math.Max(1, z.Length / nout - 1), 0), null, null, new TrialInfo(condition, choice)),
    };

    [Fact]
    public void RdmCoherenceIsInThePapersUnits()
    {
        var t = Sim(new DotsCondition(4, -1), 1, [0, 0, 0, 0]);
        Assert.Equal(-12.8, TaskAnalyses.RdmSignedCoherence(t), 12);
        Assert.Equal(12.8, TaskAnalyses.RdmCoherence(t), 12);
        // the largest coherence, 16, is 51.2% on the paper's axis
        Assert.Equal(51.2, TaskAnalyses.RdmCoherenceScale * RandomDotMotion.Cohs.Max(), 12);
    }

    [Fact]
    public void ManteCurvesAreInFiveTimesCoherence()
    {
        var trials = new List<SimulatedTrial>();
        foreach (int coh in ContextDependentIntegration.Cohs)
            foreach (int lr in new[] { 1, -1 })
                foreach (int cohC in ContextDependentIntegration.Cohs)
                    trials.Add(Sim(new ContextCondition("m", coh, cohC, lr, -lr), lr > 0 ? 0 : 1,
                        lr > 0 ? [1f, 0f] : [0f, 1f], dt: 10));
        var motion = TaskAnalyses.ContextPsychometrics(trials).Single(c => c.Stimulus == "motion");
        Assert.Equal(ContextDependentIntegration.Cohs.SelectMany(c => new[] { -5.0 * c, 5.0 * c }).Order(), motion.Points.Select(p => p.Stimulus));
    }

    [Fact]
    public void RdmTestSetsHoldZeroCoherenceTrialsWithNoCorrectChoice()
    {
        var task = RandomDotMotion.Fixed();
        var requests = ConditionGrid.TestRequests(task, 3);
        Assert.Equal(3 * 2 * (RandomDotMotion.Cohs.Length + 1), requests.Count);
        var zero = requests.Where(r => r.Fixed["coh"] == "0").ToList();
        Assert.Equal(6, zero.Count);
        var trial = task.GenerateTrial(new Rng(1), 20, zero[0]);
        Assert.Null(trial.Info.Choice);                       // neither answer is wrong, so percent correct skips it
        Assert.False(trial.Info.IsCatch);
        int stimulus = TimeGrid.Indices(trial.Times, trial.Epochs["stimulus"].Start, trial.Epochs["stimulus"].End)[0];
        Assert.Equal(trial.Inputs[stimulus, 0], trial.Inputs[stimulus, 1]);   // 0.5 each: no evidence
        // training never draws 0%, the command line accepts it
        var rng = new Rng(2);
        for (int i = 0; i < 500; i++)
            Assert.NotEqual(0, task.GenerateTrial(rng, 20, new TrialRequest { Kind = TrialKind.Gradient }.With("catch", false)).Info.ConditionAs<DotsCondition>().Coherence);
        Assert.Equal(0, task.ConditionAxes[0].Parse("0"));
    }

    [Fact]
    public void ReactionTimesFollowPycogsRule()
    {
        // outputs every 10 ms: output 1 exceeds 1 at t = 40, output 0 at t = 50; stimulus onset 20 ms
        var z = new float[] { 0, 0, 0.5f, 0.6f, 0.8f, 0.9f, 0.9f, 1f, 0.95f, 1.2f, 1.1f, 1.3f };
        var rt = ReactionTimes.Measure(Sim(new DotsCondition(1, 1), 0, z), 20);
        Assert.Equal((20.0, 1), (rt.Time!.Value, rt.Choice!.Value));   // z = 1 exactly at 30 ms is not a crossing
        // a tie at the same step goes to the later output, as pycog's w0[0] < w1[0] test does
        var tie = ReactionTimes.Measure(Sim(new DotsCondition(1, 1), 0, [0, 0, 2, 2]), 20);
        Assert.Equal(1, tie.Choice);
        Assert.Equal(-10, tie.Time);    // the search starts at the trial's start, so an early crossing is negative
        Assert.Null(ReactionTimes.Measure(Sim(new DotsCondition(1, 1), 0, [0, 0, 0.5f, 0.5f]), 20).Time);
        // crossings found by the integrator at every step take precedence over recorded samples
        var fine = Sim(new DotsCondition(1, 1), 0, z);
        var withCrossings = new SimulatedTrial
        {
            Time = fine.Time, Nin = 0, N = 1, Nout = 2, U = [], R = fine.R, Z = fine.Z, FinalState = [0], Trial = fine.Trial,
            Crossings = [33.5, 41.0], CrossingThreshold = 1,
        };
        Assert.Equal((13.5, 0), (ReactionTimes.Measure(withCrossings, 20).Time!.Value, ReactionTimes.Measure(withCrossings, 20).Choice!.Value));
    }

    [Fact]
    public void TheIntegratorFindsCrossingsAtEveryStep()
    {
        var net = TrainedNetwork.Load(Path.Combine(PyCog.IO.RepositoryFolder.Root()!, "data", "rdm_rt-seed100-fused.npz"));
        var task = RandomDotMotion.ReactionTime();
        var request = new TrialRequest { Kind = TrialKind.Test }.With("catch", false).With("coh", 16).With("in_out", 1);
        var coarse = new Integrator(net, new SimulationOptions { Dt = 0.5, RecordEvery = 40, CrossingThreshold = 1 }).Run(task, request, seed: 3);
        var every = new Integrator(net, new SimulationOptions { Dt = 0.5, RecordEvery = 1 }).Run(task, request, seed: 3);
        var fromEveryStep = ReactionTimes.Measure(every, 0);
        Assert.NotNull(fromEveryStep.Time);
        Assert.Equal(fromEveryStep.Time, ReactionTimes.Measure(coarse, 0).Time);   // same answer at 1/40 of the recording
        Assert.Equal(fromEveryStep.Choice, ReactionTimes.Measure(coarse, 0).Choice);
        Assert.NotEqual(0, fromEveryStep.Time!.Value % 20);   // not on the coarse recording grid
    }
}
