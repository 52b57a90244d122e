using System.Diagnostics;
using PyCog.IO;
using PyCog.Network;
using PyCog.Tasks;
using PyCog.Training.Callbacks;
using PyCog.Training.Optimizers;
using PyCog.Training.Stopping;

namespace PyCog.Training;

/// <summary>What the trainer reports after each validation.</summary>
public sealed record TrainingProgress(
    long Iteration, long TrialsSeen, double ValidationCost, double Rmse, double? Performance,
    double BestCost, long BestIteration, bool IsNewBest, double? Omega, double? GradientNorm,
    double SpectralRadius, TimeSpan Elapsed);

/// <summary>The outcome of <see cref="Trainer.Train"/>.</summary>
public sealed record TrainingResult(
    Termination Termination, long Iterations, long TrialsSeen, double Seconds,
    double? Performance, double Rmse, SavedNetwork Trained)
{
    /// <summary>True when the run reached its goal (the task's criterion or min_error).</summary>
    public bool CriterionReached => Termination.Reached;
    /// <summary>The best parameters (what the trained network keeps).</summary>
    public NetworkParameters Parameters => Trained.Parameters;
}

/// <summary>
/// pycog's training schedule: validation every <c>checkfreq</c> steps (cost, RMSE, task
/// performance, best parameters kept, checkpoint written atomically), global-norm gradient
/// clipping and the NaN/inf safeguard (<see cref="ClippedGradient"/>), a step of the optimiser
/// (<see cref="IOptimizer"/>, pycog's SGD by default), and termination by rules
/// (<see cref="IStoppingRule"/>: min_error, the task's criterion, patience, max_iter). The engine
/// only differentiates; this class owns the parameters. Callbacks (<see cref="ITrainingCallback"/>)
/// see every validation, checkpoint and stop.
/// </summary>
public sealed class Trainer
{
    readonly CognitiveTask _task;
    readonly NetworkConfig _network;
    readonly TrainingConfig _training;

    /// <summary>Makes the engine that differentiates the objective (default: the fused engine).</summary>
    public EngineFactory Engine { get; init; } = FusedEngine.Factory;
    /// <summary>Checkpoint file; when it exists, training resumes from it.</summary>
    public string? CheckpointPath { get; init; }
    /// <summary>Called after every validation and checkpoint, on every warning and when the run stops.</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];
    /// <summary>When to stop (default: pycog's rules, <see cref="StoppingRules.Pycog"/>).</summary>
    public IReadOnlyList<IStoppingRule> StoppingRules { get; init; } = Stopping.StoppingRules.Pycog;
    /// <summary>Extra text stored in the file's notes (for example the command line).</summary>
    public IReadOnlyDictionary<string, string>? Notes { get; init; }

    /// <summary>
    /// Creates a trainer for <paramref name="task"/>: its network and training settings, or
    /// <paramref name="network"/> and <paramref name="training"/> when given (for example
    /// <c>task.Network with { VarRec = 0.01 }</c> and <c>TrainingConfig.For(task) with { Seed = 2 }</c>).
    /// </summary>
    public Trainer(CognitiveTask task, NetworkConfig? network = null, TrainingConfig? training = null)
    {
        _task = task;
        _network = network ?? task.Network;
        _training = training ?? TrainingConfig.For(task);
    }

    /// <summary>
    /// Starts (or resumes) training and runs until a termination condition or cancellation.
    /// While it runs, the checkpoint file is locked against other trainers. A run that resumes
    /// must ask for the settings its checkpoint holds; a configuration that cannot fit in memory
    /// is refused before anything is written; a run whose weights or validation cost become NaN
    /// or infinite stops as <see cref="Termination.Diverged"/> and keeps its best network.
    /// </summary>
    public TrainingResult Train(CancellationToken cancellation = default)
    {
        using var fileLock = CheckpointPath is null ? null : CheckpointLock.Acquire(CheckpointPath);
        var warnings = new List<string>();
        var network = _network.Resolve(warnings);
        var training = _training.Resolve(network.Config, warnings);
        Checkpoint run;
        bool startedHere = false;
        if (CheckpointPath is not null && File.Exists(CheckpointPath))
        {
            run = Checkpoint.Load(CheckpointPath);
            if (!string.Equals(run.Trained.Task, _task.Name, StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"{CheckpointPath} holds a run of task '{run.Trained.Task}', not '{_task.Name}'. Choose another --out file.");
            RequireSameSettings(run, network, training);
        }
        else
        {
            TrainingMemory.Require(_task, network, training, Engine.Name);
            var (parameters, initialised) = NetworkInitializer.Initialize(network, training.Seed);
            run = new Checkpoint
            {
                Trained = new SavedNetwork
                {
                    Task = _task.Name, Engine = Engine.Name, Seed = training.Seed, Network = initialised, Parameters = parameters.Clone(),
                    TrainingSettings = TrainingConfig.Parameters.Describe(training).ToDictionary(p => p.Name, p => p.Value),
                },
                Training = training, Current = parameters,
                GradientRng = new Numerics.Rng(training.GradientSeed).GetState(),
                ValidationRng = new Numerics.Rng(training.ValidationSeed).GetState(),
            };
            startedHere = true;
        }
        foreach (var w in warnings)
            foreach (var callback in Callbacks) callback.OnWarning(w);
        var notes = new Dictionary<string, string>(run.Trained.Notes);
        if (Notes is not null) foreach (var (k, v) in Notes) notes[k] = v;
        run.Trained = run.Trained with { Engine = Engine.Name, Notes = notes };
        if (run.Trained.Finished) return Stopped(run, run.Trained.Termination ?? Termination.MaxIter);
        long stepsTaken = 0;
        try { return Stopped(run, Run(run, cancellation, ref stepsTaken)); }
        catch (Exception) when (startedHere && stepsTaken == 0 && CheckpointPath is not null)
        {
            // A start that failed before its first step leaves no checkpoint behind to be resumed by mistake.
            try { File.Delete(CheckpointPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    TrainingResult Stopped(Checkpoint run, Termination reason)
    {
        var result = Result(run, reason);
        foreach (var callback in Callbacks) callback.OnStop(result);
        return result;
    }

    Termination Run(Checkpoint run, CancellationToken cancellation, ref long stepsTaken)
    {
        var c = run.Training;
        using var engine = Engine.Create(run.Network, c);
        // Contract 2 draws a minibatch's trials in parallel: when the engine has every core, the
        // batches are drawn between steps on all of them rather than beside the engine's threads.
        bool inline = c.Reproducibility == 2 && engine is FusedEngine { Threads: var t } && t >= Environment.ProcessorCount;
        var fused = engine as FusedEngine;
        if (fused is not null) fused.SharesCores = !inline;   // otherwise the minibatches are drawn on another thread
        var team = inline ? fused!.Team : null;
        // In the background a dataset draws on one thread: the engine has the other cores (libtorch's
        // spinning threads, or the fused engine's), and more drawing threads only fight them.
        int drawThreads = inline ? fused!.Threads : 1;
        var optimizer = OptimizerRegistry.Create(c);
        if (run.Optimizer is var (savedName, savedState))
        {
            if (!string.Equals(savedName, optimizer.Name, StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"The checkpoint holds the state of optimiser '{savedName}', but the run uses '{optimizer.Name}'.");
            optimizer.SetState(savedState);
        }

        var gradientData = new Dataset(_task, run.Network, TrialKind.Gradient, c.NGradient, c.GradientSeed)
        { Rng = Numerics.Rng.FromState(run.GradientRng), TrialsSeen = run.Trained.Trials, Contract = c.Reproducibility, Team = team, Threads = drawThreads };
        var validationData = new Dataset(_task, run.Network, TrialKind.Validation, c.NValidation, c.ValidationSeed)
        { Rng = Numerics.Rng.FromState(run.ValidationRng), TrialsSeen = run.ValidationTrials, Contract = c.Reproducibility, Team = team, Threads = drawThreads };
        using var minibatches = new Prefetcher(gradientData, inline);
        // The next validation set (1,000 trials or so) is drawn in the background during the steps before it.
        using var validationSets = new Prefetcher(validationData, inline);
        int checkFreq = c.CheckFrequency;
        var clock = Stopwatch.StartNew();
        double elapsedBefore = run.Trained.ElapsedSeconds;
        double? lastOmega = null, lastNorm = null;
        var current = run.Current;
        var state = new TrainingState(_task, c, run);

        void Store()
        {
            run.Current = current;
            run.GradientRng = minibatches.State;
            run.ValidationRng = validationSets.State;
            run.ValidationTrials = validationSets.TrialsSeen;
            run.Optimizer = (optimizer.Name, optimizer.GetState());
            run.Trained = run.Trained with { Trials = minibatches.TrialsSeen, ElapsedSeconds = elapsedBefore + clock.Elapsed.TotalSeconds };
            if (CheckpointPath is null) return;
            run.Save(CheckpointPath);
            foreach (var callback in Callbacks) callback.OnCheckpoint(CheckpointPath, state);
        }

        Termination Finish(Termination reason)
        {
            run.Trained = run.Trained with { Finished = reason != Termination.Cancelled, Termination = reason };
            // A diverged run keeps finite latest parameters (its best), so the file loads everywhere.
            if (reason == Termination.Diverged) current = run.Trained.Parameters.Clone();
            Store();
            return reason;
        }

        // The moments are static lambdas: asked every step, they allocate nothing.
        Termination? Ask(Func<IStoppingRule, TrainingState, Termination?> moment)
        {
            foreach (var rule in StoppingRules)
                if (moment(rule, state) is Termination reason) return reason;
            return null;
        }

        for (long iter = run.Iteration; ; iter++)
        {
            run.Iteration = iter;
            if (Ask(static (r, s) => r.BeforeIteration(s)) is Termination early) return Finish(early);
            if ((iter - 1) % checkFreq == 0 && run.ValidatedAt != iter)
            {
                var batch = validationSets.Next();
                var eval = engine.EvaluateInChunks(current, batch);
                if (!double.IsFinite(eval.Cost)) return Finish(Termination.Diverged);
                double? perf = _task.Performance(batch.TrialList, eval.Outputs);
                var trained = run.Trained;
                bool newBest = eval.Cost < trained.Best.Cost;
                run.Trained = trained with
                {
                    History = [.. trained.History, new ValidationRecord(minibatches.TrialsSeen, eval.Cost, eval.Rmse, perf)],
                    OmegaHistory = lastOmega is double om ? [.. trained.OmegaHistory, (minibatches.TrialsSeen, c.LambdaOmega * om)] : trained.OmegaHistory,
                    Best = newBest ? new BestValidation(iter, eval.Cost, eval.Rmse, perf) : trained.Best,
                    Parameters = newBest ? current.Clone() : trained.Parameters,
                };
                run.ValidatedAt = iter;
                Store();
                double rho = run.Network.N <= 300 ? EffectiveWeights.Compute(run.Network, current).Wrec.SpectralRadius() : double.NaN;
                var best = run.Trained.Best;
                var progress = new TrainingProgress(iter, minibatches.TrialsSeen, eval.Cost, eval.Rmse, perf, best.Cost, best.Iteration,
                    newBest, lastOmega, lastNorm, rho, TimeSpan.FromSeconds(run.Trained.ElapsedSeconds));
                foreach (var callback in Callbacks) callback.OnValidation(progress, state);
                if (Ask(static (r, s) => r.AfterValidation(s)) is Termination done) return Finish(done);
            }
            if (Ask(static (r, s) => r.BeforeStep(s)) is Termination stop) return Finish(stop);
            if (cancellation.IsCancellationRequested) return Finish(Termination.Cancelled);

            var gradient = engine.ComputeGradient(current, minibatches.Next());
            var clipped = ClippedGradient.Of(gradient.Gradient, c.MaxGradientNorm);
            optimizer.Step(current, clipped);
            lastNorm = clipped.Norm;
            lastOmega = gradient.Omega;
            stepsTaken++;
            if (!current.AllFinite()) { run.Iteration = iter + 1; return Finish(Termination.Diverged); }
        }
    }

    /// <summary>
    /// Refuses to resume a checkpoint whose settings differ from those asked for (a corrected
    /// <c>--set</c> or another <c>--seed</c> would otherwise be silently ignored).
    /// </summary>
    static void RequireSameSettings(Checkpoint run, ResolvedNetworkConfig network, TrainingConfig training)
    {
        static IEnumerable<(string Name, string Value)> Effective(ResolvedNetworkConfig n, TrainingConfig t) =>
            NetworkConfig.Parameters.Describe(n.Config)
                .Concat(TrainingConfig.Parameters.Describe(t).Where(p => p.Name is not ("checkfreq" or "patience")))
                .Append(("checkfreq", t.CheckFrequency.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .Append(("patience", t.PatienceSteps.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var saved = Effective(run.Network, run.Training).ToDictionary(p => p.Name, p => p.Value);
        var differences = Effective(network, training).Where(p => saved.GetValueOrDefault(p.Name) != p.Value)
            .Select(p => $"{p.Name} = {saved.GetValueOrDefault(p.Name)} (asked: {p.Value})").ToList();
        if (differences.Count == 1 && run.Training.Reproducibility != training.Reproducibility)
            throw new ConfigurationException("reproducibility",
                $"the checkpoint was written under reproducibility contract {run.Training.Reproducibility}, and this run asks for {training.Reproducibility}. " +
                $"Resume it under its contract (reproducibility={run.Training.Reproducibility}; the CLI does so by itself when --set reproducibility is not given), or choose another output file.");
        if (differences.Count > 0)
            throw new ConfigurationException(differences.Count == 1 ? differences[0].Split(' ')[0] : "checkpoint",
                $"the checkpoint holds a run with other settings: {string.Join(", ", differences)}. " +
                "Resume it with the settings it was started with, or choose another output file.");
    }

    static TrainingResult Result(Checkpoint run, Termination reason)
    {
        var last = run.Trained.History.LastOrDefault();
        return new TrainingResult(reason, run.Iteration - 1, run.Trained.Trials,
            run.Trained.ElapsedSeconds, last?.Performance, last?.Rmse ?? double.NaN, run.Trained);
    }
}
