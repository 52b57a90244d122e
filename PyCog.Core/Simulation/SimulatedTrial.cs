using PyCog.Tasks;

namespace PyCog.Simulation;

/// <summary>
/// One simulated trial: recorded times (starting at t = 0, which holds r_0), and for each
/// recorded time the inputs u, rates r and outputs z, stored time-major.
/// </summary>
public sealed class SimulatedTrial
{
    /// <summary>Recorded times, ms (the first is 0).</summary>
    public required double[] Time { get; init; }
    /// <summary>Input channels.</summary>
    public required int Nin { get; init; }
    /// <summary>Units.</summary>
    public required int N { get; init; }
    /// <summary>Outputs.</summary>
    public required int Nout { get; init; }
    /// <summary>Inputs after baseline, noise and rectification, index k * Nin + i (row 0 is zero, as pycog's).</summary>
    public required float[] U { get; init; }
    /// <summary>Rates, index k * N + i.</summary>
    public required float[] R { get; init; }
    /// <summary>Outputs, index k * Nout + o.</summary>
    public required float[] Z { get; init; }
    /// <summary>State x at the trial's last step (where a continuous-mode run resumes).</summary>
    public required float[] FinalState { get; init; }
    /// <summary>The trial that was run (null for a free run).</summary>
    public Trial? Trial { get; init; }
    /// <summary>
    /// Per output, the time (ms) of the first step at which it exceeded <see cref="CrossingThreshold"/>,
    /// found at every step of the run; null when the run did not look (see SimulationOptions.CrossingThreshold).
    /// </summary>
    public double?[]? Crossings { get; init; }
    /// <summary>The threshold of <see cref="Crossings"/>.</summary>
    public double? CrossingThreshold { get; init; }

    /// <summary>The trial's condition (null for a free run).</summary>
    public TrialInfo? Info => Trial?.Info;

    /// <summary>The trial's typed condition (null for a catch trial or a trial run without one).</summary>
    public TrialCondition? Condition => Info?.Condition;

    /// <summary>The condition as the task's condition type <typeparamref name="T"/> (see <see cref="TrialInfo.ConditionAs{T}"/>).</summary>
    public T ConditionAs<T>() where T : TrialCondition =>
        (Info ?? throw new InvalidOperationException("The trial was run without its task's trial, so it has no condition.")).ConditionAs<T>();
    /// <summary>Number of recorded time points.</summary>
    public int Count => Time.Length;

    /// <summary>Rate of unit <paramref name="unit"/> at recorded index <paramref name="k"/>.</summary>
    public float Rate(int unit, int k) => R[k * N + unit];
    /// <summary>Output <paramref name="o"/> at recorded index <paramref name="k"/>.</summary>
    public float Output(int o, int k) => Z[k * Nout + o];
    /// <summary>Time course of one unit's rate.</summary>
    public float[] UnitTrace(int unit) => Enumerable.Range(0, Count).Select(k => R[k * N + unit]).ToArray();
    /// <summary>Time course of one output.</summary>
    public float[] OutputTrace(int o) => Enumerable.Range(0, Count).Select(k => Z[k * Nout + o]).ToArray();
    /// <summary>Outputs at the last recorded time.</summary>
    public float[] FinalOutput => Z.AsSpan((Count - 1) * Nout, Nout).ToArray();
    /// <summary>Index of the largest output at the last recorded time (the 2AFC choice).</summary>
    public int Choice => Performance.Choice(Z.AsSpan((Count - 1) * Nout, Nout));
}
