using PyCog.Numerics;

namespace PyCog.Tasks;

/// <summary>
/// The shared shape of the paper's two-alternative forced-choice tasks: a grid of conditions,
/// catch trials with probability <see cref="CatchProbability"/> (gradient and test trials),
/// validation trials that cycle through catch + every condition in Fortran order, targets that
/// hold <c>lo</c> during fixation and raise the chosen output to <see cref="Hi"/> during the
/// decision, a mask on fixation and decision, percent correct at the last time point as
/// performance, and "mean of the last five validations above <see cref="TargetPerformance"/>"
/// as criterion.
/// </summary>
public abstract class TwoAlternativeTask : CognitiveTask
{
    /// <summary>Target of every output at rest.</summary>
    public const double Lo = 0.2;
    /// <summary>Target of the chosen output during the decision epoch.</summary>
    public virtual double Hi => 1;
    /// <summary>Percent correct the criterion requires.</summary>
    public abstract double TargetPerformance { get; }
    /// <summary>Duration of catch trials, ms.</summary>
    public virtual double CatchDuration => 2000;
    /// <summary>Probability of a catch trial among gradient and test trials.</summary>
    public virtual double CatchProbability => 1.0 / (Conditions + 1);

    /// <inheritdoc/>
    public override int Conditions => ConditionAxes.Aggregate(1, (n, a) => n * a.Values.Count);

    /// <inheritdoc/>
    public override IReadOnlyList<string> FixedKeys => ["catch", .. ConditionAxes.Select(a => a.Name)];

    /// <inheritdoc/>
    public override string Criterion => $"mean of last 5 validations > {TargetPerformance}% correct";

    /// <summary>
    /// Picks the trial's condition as pycog does: gradient and test trials draw catch or not, then
    /// each axis (fixed request values override the draws, which are made regardless so the
    /// random stream does not depend on what was fixed); validation trial b is catch when
    /// b mod (conditions + 1) is 0, else condition b - 1 in Fortran order. Null means catch.
    /// </summary>
    /// <summary>
    /// The condition of the next trial as <typeparamref name="T"/>, the task's condition type (null
    /// for a catch trial): drawn for gradient and test trials, the next in the grid for validation.
    /// </summary>
    protected T? SelectCondition<T>(Rng rng, TrialRequest request) where T : TrialCondition =>
        SelectConditionValues(rng, request) is { } values ? TrialCondition.From<T>(values) : null;

    /// <summary>The same under pycog's names, as the condition axes give it (null for a catch trial).</summary>
    protected Dictionary<string, object>? SelectConditionValues(Rng rng, TrialRequest request)
    {
        ValidateFixed(request);
        var axes = ConditionAxes;
        switch (request.Kind)
        {
            case TrialKind.Gradient:
            case TrialKind.Test:
                if (request.Get("catch", rng.NextDouble() < CatchProbability)) return null;
                var drawn = new Dictionary<string, object>();
                foreach (var axis in axes)
                {
                    object v = rng.Choice(axis.Values);
                    drawn[axis.Name] = request.Fixed.TryGetValue(axis.Name, out var s) ? axis.Parse(s) : v;
                }
                return drawn;
            case TrialKind.Validation:
                int b = request.MinibatchIndex % (Conditions + 1);
                if (b == 0) return null;
                var k = TaskTools.UnravelFortran(b - 1, axes.Select(a => a.Values.Count).ToArray());
                return axes.Select((a, i) => (a.Name, a.Values[k[i]])).ToDictionary(p => p.Name, p => p.Item2);
            default:
                throw new ArgumentOutOfRangeException(nameof(request), "Unknown trial kind.");
        }
    }

    /// <summary>A catch trial: no input, every output at lo, mask everywhere.</summary>
    protected Trial CatchTrial(double dt, TrialRequest request) =>
        new TrialBuilder(dt, new Epochs(CatchDuration), Network.Nin, Network.Nout, request)
            .TargetEverywhere(Lo).MaskEverywhere().Build(TrialInfo.Catch);

    /// <summary>
    /// The standard targets: every output lo during fixation, the chosen output hi and the other
    /// lo during the decision, mask on fixation and decision.
    /// </summary>
    protected TrialBuilder DecisionTargets(TrialBuilder b, int choice)
    {
        for (int o = 0; o < Network.Nout; o++) b.Target(o, "fixation", Lo);
        b.Target(choice, "decision", Hi).Target(1 - choice, "decision", Lo);
        return b.Mask("fixation", "decision");
    }

    /// <summary>Trial info from a condition and its correct choice.</summary>
    protected static TrialInfo Info(TrialCondition condition, int choice) => new(condition, choice);

    /// <inheritdoc/>
    public override double? Performance(IReadOnlyList<Trial> trials, BatchOutputs z) => Tasks.Performance.TwoAfc(trials, z);

    /// <inheritdoc/>
    public override bool Terminate(IReadOnlyList<double> performanceHistory) =>
        Tasks.Performance.MeanOfLastExceeds(performanceHistory, TargetPerformance);
}
