using PyCog.Network;
using PyCog.Numerics;

namespace PyCog.Tasks;

/// <summary>
/// A cognitive task: the network it is trained on (structure and every hyperparameter that
/// differs from pycog's defaults), the training settings it chooses, how one trial is generated, how performance is measured
/// and when training may stop. The equivalent of a pycog <c>examples/models/*.py</c> file.
/// </summary>
public abstract class CognitiveTask
{
    /// <summary>Registry name, for example <c>rdm_fixed</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line on the experiment and the paper it follows.</summary>
    public virtual string Description => Name;

    /// <summary>The network configuration for this task (on top of pycog's defaults).</summary>
    public abstract NetworkConfig Network { get; }

    /// <summary>Training settings this task chooses under pycog's names (n_validation, n_gradient, min_error ...); none by default.</summary>
    public virtual TaskTrainingSettings Training => TaskTrainingSettings.None;

    /// <summary>Number of distinct conditions (validation cycles through them plus one catch trial).</summary>
    public virtual int Conditions => 0;

    /// <summary>The condition grid (empty for tasks without discrete conditions).</summary>
    public virtual IReadOnlyList<ConditionAxis> ConditionAxes => [];

    /// <summary>Names a request may fix (pycog's params keys, for example coh, in_out, catch).</summary>
    public virtual IReadOnlyList<string> FixedKeys => ConditionAxes.Select(a => a.Name).ToList();

    /// <summary>
    /// Rejects fixed values this task does not know, listing the valid keys or values.
    /// </summary>
    public void ValidateFixed(TrialRequest request)
    {
        foreach (var (key, value) in request.Fixed)
        {
            if (!FixedKeys.Contains(key))
                throw new ArgumentException(FixedKeys.Count == 0
                    ? $"Task '{Name}' has no condition values to fix (got {key}={value})."
                    : $"'{key}' is not a condition of task '{Name}'; valid keys: {string.Join(", ", FixedKeys)}.");
            if (key == "catch") request.Get("catch", false);
            else ConditionAxes.FirstOrDefault(a => a.Name == key)?.Parse(value);
        }
    }

    /// <summary>Generates one trial at time step <paramref name="dt"/> (pycog's <c>generate_trial(rng, dt, params)</c>).</summary>
    public abstract Trial GenerateTrial(Rng rng, double dt, TrialRequest request);

    /// <summary>Task performance on a validation batch (for example percent correct), or null if the task has none.</summary>
    public virtual double? Performance(IReadOnlyList<Trial> trials, BatchOutputs z) => null;

    /// <summary>Human-readable criterion, for listings.</summary>
    public virtual string Criterion => "min_error";

    /// <summary>Whether training may stop, given every validation performance so far.</summary>
    public virtual bool Terminate(IReadOnlyList<double> performanceHistory) => false;

    /// <summary>
    /// Generates a trial and checks it against the network: epochs inside [0, T], input width
    /// Nin, target width Nout, finite values, a mask that is not zero everywhere. Errors name
    /// the task and the trial.
    /// </summary>
    public Trial GenerateCheckedTrial(Rng rng, double dt, TrialRequest request, NetworkConfig network)
    {
        Trial trial;
        try { trial = GenerateTrial(rng, dt, request) ?? throw new InvalidOperationException("GenerateTrial returned null."); }
        catch (Exception e) when (e is not (TaskException or OutOfMemoryException or OperationCanceledException))
        {
            // A user's task may throw anything; the message says which task, which trial and what.
            throw new TaskException(Name, request, e is ArgumentException or KeyNotFoundException or InvalidOperationException
                ? e.Message : $"GenerateTrial threw {e.GetType().Name}: {e.Message}", e);
        }
        Validate(trial, request, network);
        return trial;
    }

    void Validate(Trial trial, TrialRequest request, NetworkConfig network)
    {
        void Fail(string message) => throw new TaskException(Name, request, message);
        foreach (var (name, (start, end)) in trial.Epochs)
        {
            if (!double.IsFinite(start) || !double.IsFinite(end)) Fail($"epoch '{name}' ({start}, {end}] ms has a bound that is not a finite number.");
            if (end <= start) Fail($"epoch '{name}' ({start}, {end}] ms is {(end == start ? "empty" : "inverted")}: it must end after it starts.");
            if (start < 0 || end > trial.T + 1e-9)
                Fail($"epoch '{name}' ({start}, {end}] ms lies outside [0, T = {trial.T}] ms.");
        }
        if (trial.Inputs.Cols != network.Nin) Fail($"inputs have {trial.Inputs.Cols} columns, the network has Nin = {network.Nin}.");
        if (!trial.Inputs.AllFinite()) Fail("inputs contain NaN or infinite values.");
        if (trial.Outputs is { } y)
        {
            if (y.Cols != network.Nout) Fail($"target outputs have {y.Cols} columns, the network has Nout = {network.Nout}.");
            if (!y.AllFinite()) Fail("target outputs contain NaN or infinite values.");
            if (trial.Mask is { } m)
            {
                if (!m.AllFinite()) Fail("the mask contains NaN or infinite values.");
                if (m.Data.Any(v => v < 0)) Fail($"the mask has a negative weight ({m.Data.Min()}); mask weights must be non-negative.");
                if (m.Data.All(v => v == 0)) Fail("the mask is zero everywhere, so the trial teaches nothing.");
            }
        }
        else if (request.TargetOutput) Fail("targets were requested but the trial has none.");
    }
}

/// <summary>A task produced an invalid trial; the message names the task and the trial.</summary>
public sealed class TaskException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskException(string task, TrialRequest request, string message, Exception? inner = null)
        : base($"Task '{task}', {request.Kind.ToString().ToLowerInvariant()} trial {request.MinibatchIndex}: {message}", inner) { }
}
