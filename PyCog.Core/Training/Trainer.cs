using System.Diagnostics;
using PyCog.IO;
using PyCog.Network;
using PyCog.Tasks;

namespace PyCog.Training;

/// <summary>What the trainer reports after each validation.</summary>
public sealed record TrainingProgress(
    long Iteration, long TrialsSeen, double ValidationCost, double Rmse, double? Performance,
    double BestCost, long BestIteration, bool IsNewBest, double? Omega, double? GradientNorm,
    double SpectralRadius, TimeSpan Elapsed);

/// <summary>The outcome of <see cref="Trainer.Train"/>.</summary>
public sealed record TrainingResult(
    Termination Termination, bool CriterionReached, long Iterations, long TrialsSeen, double Seconds,
    double? Performance, double Rmse, SavedNetwork Network)
{
    /// <summary>The best parameters (what the trained network keeps).</summary>
    public NetworkParameters Parameters => Network.Parameters;
}

/// <summary>
/// pycog's training schedule (plain SGD by default, Adam as an option, see <see cref="Optimizer"/>): validation every <c>checkfreq</c> steps (cost, RMSE, task
/// performance, best parameters kept, checkpoint written atomically), global-norm gradient
/// clipping, the NaN/inf safeguard, and termination by min_error, the task's criterion,
/// patience or max_iter. The engine only differentiates; this class owns the parameters.
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
    /// <summary>Receives a report after every validation.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }
    /// <summary>Receives configuration warnings (for example a weakly connected Crec).</summary>
    public Action<string>? Warning { get; init; }
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
            if (!string.Equals(run.Task, _task.Name, StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"{CheckpointPath} holds a run of task '{run.Task}', not '{_task.Name}'. Choose another --out file.");
            RequireSameSettings(run, network, training);
        }
        else
        {
            TrainingMemory.Require(_task, network, training, Engine.Name);
            var (parameters, initialised) = NetworkInitializer.Initialize(network, training.Seed);
            run = new Checkpoint
            {
                Task = _task.Name, Engine = Engine.Name, Network = initialised, Training = training,
                Current = parameters, Best = parameters.Clone(),
                GradientRng = new Numerics.Rng(training.GradientSeed).GetState(),
                ValidationRng = new Numerics.Rng(training.ValidationSeed).GetState(),
            };
            startedHere = true;
        }
        foreach (var w in warnings) Warning?.Invoke(w);
        if (Notes is not null) foreach (var (k, v) in Notes) run.Notes[k] = v;
        run.Engine = Engine.Name;
        if (run.Finished) return Result(run, run.Termination ?? Termination.MaxIter);
        long stepsTaken = 0;
        try { return Run(run, cancellation, ref stepsTaken); }
        catch (Exception) when (startedHere && stepsTaken == 0 && CheckpointPath is not null)
        {
            // A start that failed before its first step leaves no checkpoint behind to be resumed by mistake.
            try { File.Delete(CheckpointPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    TrainingResult Run(Checkpoint run, CancellationToken cancellation, ref long stepsTaken)
    {
        var c = run.Training;
        using var engine = Engine.Create(run.Network, c);
        if (engine is FusedEngine fused) fused.SharesCores = true;   // the minibatches are drawn on another thread

        var gradientData = new Dataset(_task, run.Network, TrialKind.Gradient, c.NGradient, c.GradientSeed)
        { Rng = Numerics.Rng.FromState(run.GradientRng), TrialsSeen = run.GradientTrials };
        var validationData = new Dataset(_task, run.Network, TrialKind.Validation, c.NValidation, c.ValidationSeed)
        { Rng = Numerics.Rng.FromState(run.ValidationRng), TrialsSeen = run.ValidationTrials };
        using var minibatches = new Prefetcher(gradientData);
        // The next validation set (1,000 trials or so) is drawn in the background during the steps before it.
        using var validationSets = new Prefetcher(validationData);
        int checkFreq = c.CheckFrequency;
        long patience = c.PatienceSteps;
        var clock = Stopwatch.StartNew();
        double elapsedBefore = run.ElapsedSeconds;
        double? lastOmega = null, lastNorm = null;
        var current = run.Current;
        if (c.Optimizer == OptimizerKind.Adam) run.Adam ??= AdamState.For(current);

        void Store()
        {
            run.Current = current;
            run.GradientRng = minibatches.State;
            run.ValidationRng = validationSets.State;
            run.GradientTrials = minibatches.TrialsSeen;
            run.ValidationTrials = validationSets.TrialsSeen;
            run.ElapsedSeconds = elapsedBefore + clock.Elapsed.TotalSeconds;
            if (CheckpointPath is not null) run.Save(CheckpointPath);
        }

        TrainingResult Finish(Termination reason)
        {
            run.Finished = reason != Termination.Cancelled;
            run.Termination = reason;
            // A diverged run keeps finite latest parameters (its best), so the file loads everywhere.
            if (reason == Termination.Diverged) current = run.Best.Clone();
            Store();
            return Result(run, reason);
        }

        for (long iter = run.Iteration; iter <= c.MaxIter; iter++)
        {
            run.Iteration = iter;
            if ((iter - 1) % checkFreq == 0 && run.ValidatedAt != iter)
            {
                var batch = validationSets.Next();
                var eval = engine.EvaluateInChunks(current, batch);
                if (!double.IsFinite(eval.Cost)) return Finish(Termination.Diverged);
                double? perf = _task.Performance(batch.TrialList, eval.Outputs);
                run.History.Add(new ValidationRecord(minibatches.TrialsSeen, eval.Cost, eval.Rmse, perf));
                if (lastOmega is double om) run.OmegaHistory.Add((minibatches.TrialsSeen, c.LambdaOmega * om));
                bool newBest = eval.Cost < run.BestValidation.Cost;
                if (newBest)
                {
                    run.BestValidation = new BestValidation(iter, eval.Cost, eval.Rmse, perf);
                    run.Best = current.Clone();
                }
                run.ValidatedAt = iter;
                Store();
                double rho = run.Network.N <= 300 ? EffectiveWeights.Compute(run.Network, current).Wrec.SpectralRadius() : double.NaN;
                Progress?.Report(new TrainingProgress(iter, minibatches.TrialsSeen, eval.Cost, eval.Rmse, perf, run.BestValidation.Cost, run.BestValidation.Iteration,
                    newBest, lastOmega, lastNorm, rho, TimeSpan.FromSeconds(run.ElapsedSeconds)));
                if (eval.Rmse <= c.MinError) return Finish(Termination.MinError);
                var perfHistory = run.History.Where(h => h.Performance is not null).Select(h => h.Performance!.Value).ToList();
                if (perfHistory.Count > 0 && _task.Terminate(perfHistory)) return Finish(Termination.Criterion);
            }
            if (iter - run.BestValidation.Iteration > patience) return Finish(Termination.Patience);
            if (cancellation.IsCancellationRequested) return Finish(Termination.Cancelled);

            var gradient = engine.ComputeGradient(current, minibatches.Next());
            lastNorm = Optimizer.Step(current, gradient.Gradient, c, run.Adam);
            lastOmega = gradient.Omega;
            stepsTaken++;
            if (!current.AllFinite()) { run.Iteration = iter + 1; return Finish(Termination.Diverged); }
        }
        run.Iteration = c.MaxIter + 1;
        return Finish(Termination.MaxIter);
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
        if (differences.Count > 0)
            throw new ConfigurationException(differences.Count == 1 ? differences[0].Split(' ')[0] : "checkpoint",
                $"the checkpoint holds a run with other settings: {string.Join(", ", differences)}. " +
                "Resume it with the settings it was started with, or choose another output file.");
    }

    static TrainingResult Result(Checkpoint run, Termination reason)
    {
        var last = run.History.LastOrDefault();
        return new TrainingResult(reason, reason is Termination.MinError or Termination.Criterion, run.Iteration - 1, run.GradientTrials,
            run.ElapsedSeconds, last?.Performance, last?.Rmse ?? double.NaN, run.ToSavedNetwork());
    }
}
