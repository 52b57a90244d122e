using PyCog.IO;
using PyCog.Tasks;
using PyCog.Training;
using PyCog.Training.Callbacks;
using PyCog.Training.Stopping;
using Xunit;

namespace PyCog.Tests.Training;

/// <summary>
/// Termination as pluggable rules and the trainer's callbacks: a user-written early-stopping rule
/// (the example the README points to), its reason in the file, and a resume that stops where an
/// uninterrupted run does.
/// </summary>
public class StoppingRuleTests
{
    static string TempFile() => Path.Combine(Path.GetTempPath(), $"pycog-test-{Guid.NewGuid():N}.npz");

    /// <summary>
    /// Early stopping on a plateau: stop when the best validation RMSE of the last
    /// <paramref name="window"/> validations is not at least <paramref name="minImprovement"/>
    /// (relative) below the best before them. It reads only the history, so it resumes exactly.
    /// </summary>
    sealed class PlateauRule(int window, double minImprovement) : IStoppingRule
    {
        public Termination? AfterValidation(TrainingState state)
        {
            var rmse = state.History.Select(h => h.Rmse).ToList();
            if (rmse.Count <= window) return null;
            double before = rmse.Take(rmse.Count - window).Min(), recent = rmse.Skip(rmse.Count - window).Min();
            return recent > before * (1 - minImprovement) ? Termination.Custom("Plateau") : null;
        }
    }

    static TrainingConfig Small(CognitiveTask task) => TrainingConfig.For(task) with { NGradient = 4, NValidation = 11, CheckFreq = 10, MaxIter = 2000 };

    [Fact]
    public void AUserWrittenEarlyStoppingRuleStopsTheRunAndTheFileSaysWhy()
    {
        var task = RandomDotMotion.Fixed();
        string path = TempFile();
        try
        {
            IStoppingRule[] rules = [.. StoppingRules.Pycog, new PlateauRule(window: 2, minImprovement: 0.05)];
            var result = new Trainer(task, training: Small(task)) { CheckpointPath = path, StoppingRules = rules }.Train();
            Assert.Equal("Plateau", result.Termination.Name);
            Assert.False(result.CriterionReached);
            Assert.True(result.Iterations < 2000, "the plateau rule should stop well before max_iter");
            // Independent check of the rule on the recorded history: it held at the end and at no validation before.
            var rmse = result.Trained.History.Select(h => h.Rmse).ToList();
            bool Plateau(int count) => count > 2 && rmse.Skip(count - 2).Take(2).Min() > rmse.Take(count - 2).Min() * 0.95;
            Assert.True(Plateau(rmse.Count));
            Assert.DoesNotContain(Enumerable.Range(1, rmse.Count - 1), Plateau);
            var saved = NetworkFile.Load(path);
            Assert.Equal(Termination.Custom("Plateau"), saved.Termination);
            Assert.True(saved.Finished);
        }
        finally { File.Delete(path); File.Delete(path + ".lock"); }
    }

    [Fact]
    public void ARunWithAUserRuleResumedStopsWhereAnUninterruptedOneStops()
    {
        var task = RandomDotMotion.Fixed();
        IStoppingRule[] rules = [.. StoppingRules.Pycog, new PlateauRule(window: 2, minImprovement: 0.05)];
        string a = TempFile(), b = TempFile();
        try
        {
            var straight = new Trainer(task, training: Small(task)) { CheckpointPath = a, StoppingRules = rules }.Train();
            using var cts = new CancellationTokenSource();
            int validations = 0;
            var stop = new TrainingCallback { Validation = (_, _) => { if (++validations == 2) cts.Cancel(); } };
            new Trainer(task, training: Small(task)) { CheckpointPath = b, StoppingRules = rules, Callbacks = [stop] }.Train(cts.Token);
            var resumed = new Trainer(task, training: Small(task)) { CheckpointPath = b, StoppingRules = rules }.Train();
            Assert.Equal(straight.Termination, resumed.Termination);
            Assert.Equal(straight.Iterations, resumed.Iterations);
            Assert.True(straight.Parameters.Wrec.Data.AsSpan().SequenceEqual(resumed.Parameters.Wrec.Data));
        }
        finally { foreach (var f in new[] { a, b }) { File.Delete(f); File.Delete(f + ".lock"); } }
    }

    [Fact]
    public void WithoutRulesOnlyCancellationStopsAndMaxIterIsARule()
    {
        var task = RandomDotMotion.Fixed();
        var config = Small(task) with { MaxIter = 30 };
        var pycog = new Trainer(task, training: config).Train();
        Assert.Equal(Termination.MaxIter, pycog.Termination);
        Assert.Equal(30, pycog.Iterations);
        using var cts = new CancellationTokenSource();
        int validations = 0;
        var stop = new TrainingCallback { Validation = (_, _) => { if (++validations == 6) cts.Cancel(); } };
        var open = new Trainer(task, training: config) { StoppingRules = [], Callbacks = [stop] }.Train(cts.Token);
        Assert.Equal(Termination.Cancelled, open.Termination);
        Assert.Equal(50, open.Iterations);   // past max_iter: no rule stopped it
    }

    [Fact]
    public void CallbacksSeeEveryValidationCheckpointAndTheStop()
    {
        var task = RandomDotMotion.Fixed();
        var config = Small(task) with { MaxIter = 40 };
        string path = TempFile();
        try
        {
            var progress = new List<TrainingProgress>();
            var checkpoints = new List<long>();
            var stops = new List<TrainingResult>();
            var callback = new TrainingCallback
            {
                Validation = (p, state) => { progress.Add(p); Assert.Equal(p.Iteration, state.Iteration); Assert.Equal(p.Rmse, state.Latest!.Rmse); },
                Checkpoint = (file, state) => { Assert.Equal(path, file); Assert.True(File.Exists(file)); checkpoints.Add(state.Iteration); },
                Stop = stops.Add,
            };
            var result = new Trainer(task, training: config) { CheckpointPath = path, Callbacks = [callback] }.Train();
            Assert.Equal([1L, 11, 21, 31], progress.Select(p => p.Iteration));
            Assert.Equal([1L, 11, 21, 31, 41], checkpoints);   // one per validation and the final save
            Assert.Same(result, Assert.Single(stops));
            Assert.Equal(progress.Count, result.Trained.History.Count);
        }
        finally { File.Delete(path); File.Delete(path + ".lock"); }
    }
}
