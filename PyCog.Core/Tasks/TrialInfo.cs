namespace PyCog.Tasks;

/// <summary>What the trial is about: its typed condition and correct choice (neither for catch trials).</summary>
public sealed class TrialInfo
{
    /// <summary>The condition (the task's own record type), or null for a catch trial.</summary>
    public TrialCondition? Condition { get; }
    /// <summary>Correct choice (output index), or null for catch trials and trials without one.</summary>
    public int? Choice { get; }
    /// <summary>True for a catch trial (no stimulus, no decision).</summary>
    public bool IsCatch => Condition is null;

    /// <summary>Creates the info of a trial with a condition (choice null for tasks without a choice).</summary>
    public TrialInfo(TrialCondition condition, int? choice) { Condition = condition; Choice = choice; }

    TrialInfo() { }

    /// <summary>The info of a catch trial.</summary>
    public static TrialInfo Catch { get; } = new();

    /// <summary>
    /// The condition as <typeparamref name="T"/>, the task's condition type; a catch trial or a
    /// trial of another task is an <see cref="InvalidOperationException"/> that says which.
    /// </summary>
    public T ConditionAs<T>() where T : TrialCondition =>
        Condition as T ?? throw new InvalidOperationException(IsCatch
            ? $"A catch trial has no {typeof(T).Name}; skip catch trials first (IsCatch)."
            : $"The trial's condition is a {Condition!.GetType().Name}, not a {typeof(T).Name}.");

    /// <summary>
    /// The condition as plain JSON values under pycog's names (numbers and strings; a frequency
    /// pair as "f1,f2"), with the correct choice; empty for a catch trial: what <c>pycog trial</c>
    /// and <c>pycog trials</c> write.
    /// </summary>
    public IReadOnlyDictionary<string, object> ConditionForJson()
    {
        if (Condition is null) return new Dictionary<string, object>();
        var values = Condition.Values.ToDictionary(kv => kv.Key, kv => kv.Value is FrequencyPair pair ? pair.ToString() : kv.Value);
        if (Choice is int choice) values["choice"] = choice;
        return values;
    }
}
