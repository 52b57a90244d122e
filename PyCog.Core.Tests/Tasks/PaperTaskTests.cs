using PyCog.Network;
using PyCog.Numerics;
using PyCog.Tasks;
using Xunit;

namespace PyCog.Tests.Tasks;

/// <summary>Every paper task: hand-worked trials at dt = 20 and 0.5 ms, and validation batches that visit every condition once.</summary>
public class PaperTaskTests
{
    static Trial Make(CognitiveTask task, double dt, TrialKind kind, params (string Key, object Value)[] fixedValues)
    {
        var request = new TrialRequest { Kind = kind };
        foreach (var (k, v) in fixedValues) request = request.With(k, v);
        return task.GenerateCheckedTrial(new Rng(7), dt, request, task.Network);
    }

    static void AssertEpoch(Trial trial, string epoch, int first, int count)
    {
        var idx = trial.EpochIndices(epoch);
        Assert.Equal(count, idx.Length);
        Assert.Equal(first, idx[0]);
        Assert.Equal(Enumerable.Range(first, count), idx);
    }

    static void AssertInput(Trial trial, int channel, string epoch, double value)
    {
        foreach (int i in trial.EpochIndices(epoch)) Assert.Equal(value, trial.Inputs[i, channel], 5);
    }

    static void AssertTarget(Trial trial, int channel, string epoch, double value)
    {
        foreach (int i in trial.EpochIndices(epoch))
        {
            Assert.Equal(value, trial.Outputs![i, channel], 5);
            Assert.Equal(1f, trial.Mask![i, channel]);
        }
    }

    public static IEnumerable<object[]> TaskNames() => TaskRegistry.Names.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(TaskNames))]
    public void AValidationBatchVisitsEveryConditionOnce(string name)
    {
        var task = TaskRegistry.Create(name);
        var rng = new Rng(22);
        int size = Math.Max(task.Conditions, 1) + (task is TwoAlternativeTask ? 1 : 0);
        var trials = Enumerable.Range(0, size)
            .Select(b => task.GenerateCheckedTrial(rng, task.Network.EffectiveDt, TrialRequest.Of(TrialKind.Validation, b), task.Network)).ToList();
        if (task is TwoAlternativeTask)
        {
            Assert.True(trials[0].Info.IsCatch);
            Assert.All(trials.Skip(1), t => Assert.False(t.Info.IsCatch));
        }
        var keys = task.ConditionAxes.Select(a => a.Name).ToList();
        var seen = trials.Where(t => !t.Info.IsCatch).Select(t => string.Join("|", keys.Select(k => ConditionAxis.Text(t.Info.Condition!.Values[k])))).ToList();
        Assert.Equal(task.Conditions == 0 ? 1 : task.Conditions, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TaskNames))]
    public void TrialsHaveTheNetworksWidthsAtEveryKindAndTimeStep(string name)
    {
        var task = TaskRegistry.Create(name);
        foreach (var kind in Enum.GetValues<TrialKind>())
            foreach (double dt in new[] { 20, 0.5 })
            {
                var trial = task.GenerateCheckedTrial(new Rng(3), dt, TrialRequest.Of(kind, 1), task.Network);
                Assert.Equal(task.Network.Nin, trial.Inputs.Cols);
                Assert.Equal(task.Network.Nout, trial.Outputs!.Cols);
                Assert.Equal((int)Math.Round(trial.T / dt), trial.Length);
            }
    }

    [Fact]
    public void RdmVariantsDifferInStructureOnly()
    {
        Assert.Null(RandomDotMotion.NoDale().Network.Ei);
        Assert.Null(RandomDotMotion.NoDale().Network.Cout);
        var dense = RandomDotMotion.Dense().Network;
        Assert.NotNull(dense.Ei);
        Assert.Null(dense.Crec);
        Assert.Equal(80, dense.Cout!.PlasticMask.Data.Take(100).Count(v => v != 0)); // output 0 reads the 80 E units
        var a = Make(RandomDotMotion.Dense(), 20, TrialKind.Gradient, ("coh", 4), ("in_out", 1), ("catch", false));
        var b = Make(RandomDotMotion.Fixed(), 20, TrialKind.Gradient, ("coh", 4), ("in_out", 1), ("catch", false));
        Assert.Equal(b.Inputs.Data, a.Inputs.Data);
        Assert.Equal(b.Outputs!.Data, a.Outputs!.Data);
    }

    [Fact]
    public void RdmVarstimHasAVariableStimulusAndAStartCue()
    {
        var task = RandomDotMotion.VariableStimulus();
        var durations = new HashSet<double>();
        for (int seed = 0; seed < 40; seed++)
        {
            var trial = task.GenerateCheckedTrial(new Rng(seed), 20, new TrialRequest().With("catch", false).With("coh", 8).With("in_out", -1), task.Network);
            var (start, end) = trial.Epochs["stimulus"];
            Assert.Equal(100, start);
            double d = end - start;
            Assert.InRange(d, 60, 1500);
            Assert.Equal(0, d % 20);
            durations.Add(d);
            AssertInput(trial, RandomDotMotion.StartCue, "stimulus", 1);
            AssertInput(trial, 1, "stimulus", RandomDotMotion.InputLevel(8));
            AssertInput(trial, 0, "stimulus", RandomDotMotion.InputLevel(-8));
            AssertTarget(trial, 1, "decision", 1);
            Assert.Equal(300, trial.Epochs["decision"].End - trial.Epochs["decision"].Start);
        }
        Assert.True(durations.Count > 10, "stimulus durations should vary");
        Assert.Equal(500, Make(task, 20, TrialKind.Test, ("catch", false)).Epochs["fixation"].End);
    }

    [Fact]
    public void RdmRtLetsTheDecisionStartDuringTheStimulus()
    {
        var task = RandomDotMotion.ReactionTime();
        var trial = Make(task, 20, TrialKind.Gradient, ("coh", 2), ("in_out", 1), ("catch", false));
        Assert.Equal(900, trial.T);
        AssertEpoch(trial, "fixation", 0, 5);
        AssertEpoch(trial, "stimulus", 5, 40);
        AssertEpoch(trial, "decision", 20, 25);   // from 400 ms to 900 ms
        AssertTarget(trial, 0, "decision", 1.2);
        AssertTarget(trial, 1, "decision", 0.2);
        AssertInput(trial, RandomDotMotion.StartCue, "stimulus", 1);
        Assert.Equal(0f, trial.Mask![10, 0]);      // stimulus before the decision counts: no error
        Assert.Equal(5.0 / 11, task.CatchProbability, 12);
        var test = Make(task, 0.5, TrialKind.Test, ("coh", 2), ("in_out", 1), ("catch", false));
        Assert.Equal(1800, test.T);
        AssertEpoch(test, "fixation", 0, 600);
        AssertEpoch(test, "decision", 1200, 2400);
    }

    [Fact]
    public void ManteHandWorkedTrial()
    {
        var task = ContextDependentIntegration.Mante();
        var trial = Make(task, 20, TrialKind.Gradient, ("catch", false), ("context", "m"), ("coh_m", 10), ("left_right_m", -1), ("coh_c", 3), ("left_right_c", 1));
        Assert.Equal(1, trial.Info.Choice); // motion context: follow the motion evidence, which points to choice 1
        AssertEpoch(trial, "fixation", 0, 5);
        AssertEpoch(trial, "stimulus", 5, 40);
        AssertEpoch(trial, "decision", 45, 15);
        AssertInput(trial, 0, "stimulus", 1);
        AssertInput(trial, 1, "stimulus", 0);
        AssertInput(trial, 3, "stimulus", 0.75);   // (1 + 5 * 10 / 100) / 2
        AssertInput(trial, 2, "stimulus", 0.25);
        AssertInput(trial, 4, "stimulus", 0.575);  // colour evidence for choice 0
        AssertInput(trial, 5, "stimulus", 0.425);
        AssertInput(trial, 0, "decision", 0);
        AssertTarget(trial, 1, "decision", 1);
        AssertTarget(trial, 0, "decision", 0.2);
        AssertTarget(trial, 0, "fixation", 0.2);
        var colour = Make(task, 20, TrialKind.Gradient, ("catch", false), ("context", "c"), ("coh_m", 10), ("left_right_m", -1), ("coh_c", 3), ("left_right_c", 1));
        Assert.Equal(0, colour.Info.Choice);
        var test = Make(task, 0.5, TrialKind.Test, ("catch", false));
        AssertEpoch(test, "fixation", 0, 800);
        AssertEpoch(test, "stimulus", 800, 1600);
        Assert.Equal(50, PyCog.Training.TrainingConfig.For(task).NGradient);
        Assert.Equal(3650, PyCog.Training.TrainingConfig.For(task).NValidation);
    }

    [Fact]
    public void ManteAreasReadsOutTheMotorAreaAndFeedsTheSensoryArea()
    {
        var c = ContextDependentIntegration.ManteAreas().Network;
        var exc = Connectivity.Excitatory(c.Ei!);
        var inh = Connectivity.Inhibitory(c.Ei!);
        int[] excS = exc[..60], excM = exc[60..], inhS = inh[..15];
        Assert.All(excS.Concat(inhS), i => Assert.Equal(1f, c.Cin![i, 0]));
        Assert.All(excM, i => Assert.Equal(0f, c.Cin![i, 0]));
        Assert.All(excM, j => Assert.Equal(1f, c.Cout![0, j]));
        Assert.All(excS, j => Assert.Equal(0f, c.Cout![1, j]));
        double motorToSensory = excS.SelectMany(i => excM.Select(j => c.Crec![i, j] != 0 ? 1.0 : 0)).Average();
        Assert.InRange(motorToSensory, 0.15, 0.25);
        Assert.All(excM, i => Assert.Equal(0f, c.Crec![i, inhS[0]])); // motor units get inhibition from motor I only
    }

    [Fact]
    public void MultisensoryHandWorkedTrial()
    {
        var task = new MultisensoryIntegration();
        var trial = Make(task, 20, TrialKind.Gradient, ("catch", false), ("modality", "a"), ("freq", 14));
        Assert.Equal(0, trial.Info.Choice); // 14 Hz > 12.5 Hz
        AssertEpoch(trial, "stimulus", 5, 50);
        AssertEpoch(trial, "decision", 55, 15);
        AssertInput(trial, 1, "stimulus", 0.4 + 0.8 * 5 / 7);
        AssertInput(trial, 3, "stimulus", 0.4 + 0.8 * 2 / 7);
        AssertInput(trial, 0, "stimulus", 0);
        AssertInput(trial, 2, "stimulus", 0);
        AssertInput(trial, 4, "stimulus", 1);
        AssertInput(trial, 4, "decision", 1);
        AssertInput(trial, 4, "fixation", 0);
        var both = Make(task, 20, TrialKind.Gradient, ("catch", false), ("modality", "va"), ("freq", 9));
        Assert.Equal(1, both.Info.Choice);
        AssertInput(both, 0, "stimulus", 0.4);
        AssertInput(both, 2, "stimulus", 1.2);
        AssertInput(both, 1, "stimulus", 0.4);
        Assert.Equal(2500, Make(task, 20, TrialKind.Gradient, ("catch", true)).T);
        AssertEpoch(Make(task, 0.5, TrialKind.Test, ("catch", false)), "stimulus", 1000, 2000);
        Assert.Equal(5.0 / 25, task.CatchProbability, 12);
    }

    [Fact]
    public void RomoHandWorkedTestTrial()
    {
        var task = new WorkingMemory();
        var trial = Make(task, 20, TrialKind.Test, ("catch", false), ("fpair", "22,14"), ("gt_lt", "<"));
        Assert.Equal(1, trial.Info.Choice);
        Assert.Equal(14, trial.Info.ConditionAs<RomoCondition>().F1);
        Assert.Equal(22, trial.Info.ConditionAs<RomoCondition>().F2);
        Assert.Equal(4800, trial.T);
        AssertEpoch(trial, "fixation", 0, 25);
        AssertEpoch(trial, "f1", 25, 25);
        AssertEpoch(trial, "delay", 50, 150);
        AssertEpoch(trial, "f2", 200, 25);
        AssertEpoch(trial, "decision", 225, 15);
        AssertInput(trial, 0, "f1", 0.4 + 0.8 * 4 / 24);
        AssertInput(trial, 1, "f1", 0.4 + 0.8 * 20 / 24);
        AssertInput(trial, 0, "f2", 0.4 + 0.8 * 12 / 24);
        AssertInput(trial, 0, "delay", 0);
        AssertTarget(trial, 1, "decision", 1);
        var gradient = Make(task, 0.5, TrialKind.Gradient, ("catch", false));
        double delay = gradient.Epochs["delay"].End - gradient.Epochs["delay"].Start;
        Assert.InRange(delay, 2500, 3500);
        Assert.Equal(200, gradient.EpochIndices("fixation").Length);
        Assert.False(task.Terminate([90, 84.9]));
        Assert.True(task.Terminate([10, 85]));
        var crec = task.Network.Crec!;
        Assert.InRange(crec.PlasticMask.Data.Count(v => v != 0) / 250000.0, 0.1 * 0.8 * 0.95, 0.1 * 0.8 + 0.5 * 0.2 + 0.01);
    }

    [Fact]
    public void LeeHandWorkedTrial()
    {
        var task = new SequenceGeneration();
        var trial = Make(task, 20, TrialKind.Gradient, ("seq", 3));
        Assert.Equal(3500, trial.T);
        AssertEpoch(trial, "iti", 0, 50);
        AssertEpoch(trial, "fixation", 50, 50);
        AssertEpoch(trial, "M1", 100, 25);
        for (int i = 0; i < trial.Length; i++) Assert.Equal(1f, trial.Inputs[i, 9 + 2]); // sequence cue 3 throughout
        AssertInput(trial, 4, "fixation", 1);
        foreach (int dot in new[] { 4, 3, 5 }) AssertInput(trial, dot, "M1", 1);
        foreach (int dot in new[] { 3, 1, 7 }) AssertInput(trial, dot, "M2", 1);
        foreach (int dot in new[] { 7, 6, 8 }) AssertInput(trial, dot, "M3", 1);
        AssertInput(trial, 5, "M2", 0);
        AssertTarget(trial, 0, "fixation", 0); AssertTarget(trial, 1, "fixation", 0);
        AssertTarget(trial, 0, "M1", -0.5); AssertTarget(trial, 1, "M1", 0);
        AssertTarget(trial, 0, "M2", 0); AssertTarget(trial, 1, "M2", -0.5);
        AssertTarget(trial, 0, "M3", 0.5); AssertTarget(trial, 1, "M3", -0.5);
        foreach (int i in trial.EpochIndices("iti")) Assert.Equal(0f, trial.Mask![i, 0]);
        Assert.Equal(RunMode.Continuous, task.Network.Mode);
        Assert.Equal(50, task.Network.Tau);
        AssertEpoch(Make(task, 0.5, TrialKind.Test, ("seq", 1)), "M3", 6000, 1000);
    }

    [Fact]
    public void SinewaveTargetsTwoPeriods()
    {
        var task = new SineWave();
        var trial = Make(task, 20, TrialKind.Gradient);
        Assert.Equal(80, trial.Length);
        for (int i = 0; i < trial.Length; i++)
        {
            Assert.Equal(0.9 * Math.Sin(2 * Math.PI * trial.Times[i] / 800), trial.Outputs![i, 0], 5);
            Assert.Equal(1f, trial.Mask![i, 0]);
        }
        Assert.Equal(0, trial.Inputs.Cols);
        var c = task.Network.Resolve().Config;
        Assert.True(c.TrainBrec && c.TrainBout && !c.TrainX0);
        Assert.Equal(1, PyCog.Training.TrainingConfig.For(task).Resolve(c).NGradient);
        Assert.Equal(0.05, PyCog.Training.TrainingConfig.For(task).MinError);
        Assert.Equal(3200, Make(task, 0.5, TrialKind.Test).Length);
    }

    [Fact]
    public void UnknownConditionKeysAndValuesAreRejectedWithTheValidOnes()
    {
        var task = ContextDependentIntegration.Mante();
        var e = Assert.Throws<TaskException>(() => Make(task, 20, TrialKind.Gradient, ("colour", 1)));
        Assert.Contains("valid keys: catch, context, coh_m", e.Message);
        var v = Assert.Throws<TaskException>(() => Make(task, 20, TrialKind.Gradient, ("coh_m", 7), ("catch", false)));
        Assert.Contains("valid values: 1, 3, 10", v.Message);
    }

    [Fact]
    public void LeeStartsFromMinusHalfAsPycogsLeeModelDoes()
    {
        // pycog's examples/models/lee.py sets module-level x0, y0 = -0.5; its loader takes x0 as
        // the network's initial state. In continuous mode x0 is not trained, so every unit starts
        // at -0.5 (rate 0) for good.
        var network = TaskRegistry.Create("lee").Network.Resolve();
        Assert.Equal(-0.5, network.Config.X0);
        Assert.False(network.Config.TrainX0);
        var (p, _) = NetworkInitializer.Initialize(network, 1234);
        Assert.All(p.X0, v => Assert.Equal(-0.5f, v));
    }
}

/// <summary>The checks a task's trials pass before training, with a user-defined task.</summary>
public class TaskValidationTests
{
    sealed class BrokenTask(Func<TrialBuilder, TrialBuilder> edit, int nin = 1, double epochEnd = 100) : CognitiveTask
    {
        public override string Name => "broken";
        public override NetworkConfig Network => new() { Nin = 1, N = 5, Nout = 1 };
        public override Trial GenerateTrial(Rng rng, double dt, TrialRequest request) =>
            edit(new TrialBuilder(dt, new Epochs(100, ("a", 0, epochEnd)), nin, 1, request)).Build(new TrialInfo(TrialCondition.None, null));
    }

    static string Error(BrokenTask task) =>
        Assert.Throws<TaskException>(() => task.GenerateCheckedTrial(new Rng(1), 10, TrialRequest.Of(TrialKind.Gradient, 3), task.Network)).Message;

    [Fact]
    public void EachProblemIsNamedWithTheTaskAndTheTrial()
    {
        Assert.Contains("zero everywhere", Error(new BrokenTask(b => b)));
        Assert.Contains("outside [0, T = 100]", Error(new BrokenTask(b => b.MaskEverywhere(), epochEnd: 150)));
        Assert.Contains("Nin = 1", Error(new BrokenTask(b => b.MaskEverywhere(), nin: 2)));
        Assert.Contains("NaN", Error(new BrokenTask(b => b.MaskEverywhere().Input(0, "a", double.NaN))));
        var message = Error(new BrokenTask(b => b));
        Assert.StartsWith("Task 'broken', gradient trial 3:", message);
    }

    [Fact]
    public void AUserDefinedTaskTrainsWithTheSameTrainer()
    {
        var task = new TwoChoiceExample();
        var result = new PyCog.Training.Trainer(task, training: PyCog.Training.TrainingConfig.For(task) with { MaxIter = 30, CheckFreq = 10, NGradient = 8, NValidation = 20 }).Train();
        Assert.Equal(30, result.Iterations);
        Assert.NotNull(result.Performance);
    }

    /// <summary>The README's example task's condition: which choice is right.</summary>
    sealed record ChoiceCondition([property: PycogName("choice")] int Choice) : TrialCondition;

    /// <summary>The README's example task.</summary>
    sealed class TwoChoiceExample : CognitiveTask
    {
        public override string Name => "two_choice";
        public override NetworkConfig Network { get; } = new() { Nin = 2, N = 20, Nout = 2, Ei = Connectivity.GenerateEi(20) };
        public override Trial GenerateTrial(Rng rng, double dt, TrialRequest request)
        {
            int choice = request.Get("choice", rng.NextInt(2));
            var epochs = Epochs.Sequence(("fixation", 100), ("stimulus", 800), ("decision", 300));
            return new TrialBuilder(dt, epochs, nin: 2, nout: 2, request)
                .Input(choice, "stimulus", 0.6).Input(1 - choice, "stimulus", 0.4)
                .Target(0, "fixation", 0.2).Target(1, "fixation", 0.2)
                .Target(choice, "decision", 1).Target(1 - choice, "decision", 0.2)
                .Mask("fixation", "decision")
                .Build(new TrialInfo(new ChoiceCondition(choice), choice));
        }
        public override double? Performance(IReadOnlyList<Trial> trials, BatchOutputs z) => PyCog.Tasks.Performance.TwoAfc(trials, z);
    }
}
