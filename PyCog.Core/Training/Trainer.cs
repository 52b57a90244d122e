using System.Diagnostics;
using PyCog.IO;
using PyCog.Network;
using PyCog.Tasks;

namespace PyCog.Training;

/// <summary>Why training stopped.</summary>
public enum Termination
{
    /// <summary>Validation RMSE reached min_error.</summary>
    MinError,
    /// <summary>The task's criterion was met.</summary>
    Criterion,
    /// <summary>No new best for <c>patience</c> steps.</summary>
    Patience,
    /// <summary>max_iter steps were taken.</summary>
    MaxIter,
    /// <summary>Cancelled; the checkpoint holds everything to resume.</summary>
    Cancelled,
}

/// <summary>What the trainer reports after each validation.</summary>
public sealed record TrainingProgress(
    long Iteration, long TrialsSeen, double ValidationCost, double Rmse, double? Performance,
    double BestCost, long BestIteration, bool IsNewBest, double? Omega, double? GradientNorm,
    double SpectralRadius, TimeSpan Elapsed);

/// <summary>The outcome of <see cref="Trainer.Train"/>.</summary>
public sealed record TrainingResult(
    Termination Termination, bool CriterionReached, long Iterations, long TrialsSeen, double Seconds,
    double? Performance, double Rmse, SavedRun Run)
{
    /// <summary>The best parameters (what the trained network keeps).</summary>
    public NetworkParameters Parameters => Run.Best;
}

/// <summary>
/// Plain SGD with pycog's schedule: validation every <c>checkfreq</c> steps (cost, RMSE, task
/// performance, best parameters kept, checkpoint written atomically), global-norm gradient
/// clipping, the NaN/inf safeguard, and termination by min_error, the task's criterion,
/// patience or max_iter. The engine only differentiates; this class owns the parameters.
/// </summary>
public sealed class Trainer
{
    readonly CognitiveTask _task;
    readonly NetworkConfig _requested;

    /// <summary>Engine name (fused or torch).</summary>
    public string Engine { get; init; } = "fused";
    /// <summary>Checkpoint file; when it exists, training resumes from it.</summary>
    public string? CheckpointPath { get; init; }
    /// <summary>Receives a report after every validation.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }
    /// <summary>Receives configuration warnings (for example a weakly connected Crec).</summary>
    public Action<string>? Warning { get; init; }
    /// <summary>Extra differentiable cost term (torch engine only).</summary>
    public Func<TorchGraph, TorchSharp.torch.Tensor>? ExtraLoss { get; init; }
    /// <summary>Extra text stored in the file's notes (for example the command line).</summary>
    public IReadOnlyDictionary<string, string>? Notes { get; init; }

    /// <summary>Creates a trainer for <paramref name="task"/>, optionally with a modified configuration.</summary>
    public Trainer(CognitiveTask task, NetworkConfig? config = null)
    {
        _task = task;
        _requested = config ?? task.Network;
    }

    /// <summary>Starts (or resumes) training and runs until a termination condition or cancellation.</summary>
    public TrainingResult Train(CancellationToken cancellation = default)
    {
        SavedRun run;
        var warnings = new List<string>();
        if (CheckpointPath is not null && File.Exists(CheckpointPath))
        {
            run = NetworkFile.Load(CheckpointPath);
            if (!string.Equals(run.Task, _task.Name, StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"{CheckpointPath} holds a run of task '{run.Task}', not '{_task.Name}'. Choose another --out file.");
            run.Config.Resolve(warnings);
        }
        else
        {
            var resolved = _requested.Resolve(warnings);
            var (parameters, config) = NetworkInitializer.Initialize(resolved);
            run = new SavedRun
            {
                Task = _task.Name, Engine = Engine, Config = config,
                Current = parameters, Best = parameters.Clone(),
                GradientRng = new Numerics.Rng(config.GradientSeed).GetState(),
                ValidationRng = new Numerics.Rng(config.ValidationSeed).GetState(),
            };
        }
        foreach (var w in warnings) Warning?.Invoke(w);
        if (Notes is not null) foreach (var (k, v) in Notes) run.Notes[k] = v;
        run.Engine = Engine;
        if (run.Status == "finished")
            return Result(run, Enum.TryParse<Termination>(run.Termination, out var t) ? t : Termination.MaxIter);

        var c = run.Config;
        using var engine = Engines.Create(Engine, c);
        if (engine is TorchEngine te) te.ExtraLoss = ExtraLoss;
        else if (ExtraLoss is not null) throw new InvalidOperationException("ExtraLoss needs the torch engine.");

        var gradientData = new Dataset(_task, c, TrialKind.Gradient, c.NGradient, c.GradientSeed)
        { Rng = Numerics.Rng.FromState(run.GradientRng), TrialsSeen = run.GradientTrials };
        var validationData = new Dataset(_task, c, TrialKind.Validation, c.NValidation, c.ValidationSeed)
        { Rng = Numerics.Rng.FromState(run.ValidationRng), TrialsSeen = run.ValidationTrials };
        int checkFreq = c.CheckFreq!.Value;
        long patience = c.Patience!.Value;
        var clock = Stopwatch.StartNew();
        double elapsedBefore = run.ElapsedSeconds;
        double? lastOmega = null, lastNorm = null;
        var current = run.Current;

        void Store()
        {
            run.Current = current;
            run.GradientRng = gradientData.Rng.GetState();
            run.ValidationRng = validationData.Rng.GetState();
            run.GradientTrials = gradientData.TrialsSeen;
            run.ValidationTrials = validationData.TrialsSeen;
            run.ElapsedSeconds = elapsedBefore + clock.Elapsed.TotalSeconds;
            if (CheckpointPath is not null) NetworkFile.Save(CheckpointPath, run);
        }

        TrainingResult Finish(Termination reason)
        {
            run.Status = reason == Termination.Cancelled ? "training" : "finished";
            run.Termination = reason.ToString();
            Store();
            return Result(run, reason);
        }

        for (long iter = run.Iteration; iter <= c.MaxIter; iter++)
        {
            run.Iteration = iter;
            if ((iter - 1) % checkFreq == 0 && run.ValidatedAt != iter)
            {
                var batch = validationData.Next(BestOtherCosts(run));
                var eval = Engines.EvaluateInChunks(engine, current, batch);
                double? perf = _task.Performance(batch.TrialList, eval.Outputs);
                run.History.Add(new ValidationRecord(gradientData.TrialsSeen, eval.Cost, eval.Rmse, perf));
                if (lastOmega is double om) run.OmegaHistory.Add((gradientData.TrialsSeen, c.LambdaOmega * om));
                bool newBest = eval.Cost < run.BestCost;
                if (newBest)
                {
                    run.BestCost = eval.Cost; run.BestRmse = eval.Rmse; run.BestPerformance = perf;
                    run.BestIteration = iter; run.Best = current.Clone();
                }
                run.ValidatedAt = iter;
                Store();
                double rho = c.N <= 300 ? EffectiveWeights.Compute(c, current).Wrec.SpectralRadius() : double.NaN;
                Progress?.Report(new TrainingProgress(iter, gradientData.TrialsSeen, eval.Cost, eval.Rmse, perf, run.BestCost, run.BestIteration,
                    newBest, lastOmega, lastNorm, rho, TimeSpan.FromSeconds(run.ElapsedSeconds)));
                if (eval.Rmse <= c.MinError) return Finish(Termination.MinError);
                var perfHistory = run.History.Where(h => h.Performance is not null).Select(h => h.Performance!.Value).ToList();
                if (perfHistory.Count > 0 && _task.Terminate(perfHistory)) return Finish(Termination.Criterion);
            }
            if (iter - run.BestIteration > patience) return Finish(Termination.Patience);
            if (cancellation.IsCancellationRequested) return Finish(Termination.Cancelled);

            var gradient = engine.ComputeGradient(current, gradientData.Next(BestOtherCosts(run)));
            lastNorm = Update(current, gradient.Gradient, c);
            lastOmega = gradient.Omega;
        }
        run.Iteration = c.MaxIter + 1;
        return Finish(Termination.MaxIter);
    }

    static IReadOnlyList<double> BestOtherCosts(SavedRun run) =>
        run.BestPerformance is double p ? [run.BestRmse, p] : double.IsNaN(run.BestRmse) ? [] : [run.BestRmse];

    TrainingResult Result(SavedRun run, Termination reason)
    {
        var last = run.History.LastOrDefault();
        return new TrainingResult(reason, reason is Termination.MinError or Termination.Criterion, run.Iteration - 1, run.GradientTrials,
            run.ElapsedSeconds, last?.Performance, last?.Rmse ?? double.NaN, run);
    }

    /// <summary>
    /// One SGD step in place: global-norm clipping to max_gradient_norm, then pycog's safeguard
    /// (a NaN, infinite, negative or &gt; 1e10 norm replaces the Wrec gradient by 0.02 Wrec and
    /// every other by 0). Returns the gradient norm before clipping.
    /// </summary>
    public static double Update(NetworkParameters p, NetworkParameters g, NetworkConfig c)
    {
        double sq = 0;
        foreach (var (_, values) in g.Arrays())
            foreach (var v in values) sq += (double)v * v;
        double norm = Math.Sqrt(sq);
        float lr = (float)c.LearningRate;
        if (double.IsNaN(norm) || double.IsInfinity(norm) || norm < 0 || norm > 1e10)
        {
            for (int k = 0; k < p.Wrec.Data.Length; k++) p.Wrec.Data[k] -= lr * 0.02f * p.Wrec.Data[k];
            return norm;
        }
        float scale = norm > c.MaxGradientNorm ? (float)(c.MaxGradientNorm / norm) : 1f;
        foreach (var ((_, w), (_, dw)) in p.Arrays().Zip(g.Arrays()))
            for (int k = 0; k < w.Length; k++) w[k] -= lr * scale * dw[k];
        return norm;
    }
}
