namespace PyCog.Tasks;

/// <summary>What the trial is about: its condition values and correct choice (empty for catch trials).</summary>
public sealed class TrialInfo
{
    /// <summary>Condition values by name (for example coh and in_out).</summary>
    public IReadOnlyDictionary<string, object> Condition { get; }
    /// <summary>Correct choice (output index), or null for catch trials.</summary>
    public int? Choice { get; }
    /// <summary>True for a catch trial (no stimulus, no decision).</summary>
    public bool IsCatch { get; }

    /// <summary>Creates the info of a trial with a condition (choice null for tasks without a choice).</summary>
    public TrialInfo(IReadOnlyDictionary<string, object> condition, int? choice) { Condition = condition; Choice = choice; }

    TrialInfo() { Condition = new Dictionary<string, object>(); IsCatch = true; }

    /// <summary>The info of a catch trial.</summary>
    public static TrialInfo Catch { get; } = new();

    /// <summary>
    /// The condition as plain JSON values (numbers and strings; a frequency pair as "f1-f2"),
    /// empty for a catch trial: what <c>pycog trial</c> and <c>pycog trials</c> write.
    /// </summary>
    public IReadOnlyDictionary<string, object> ConditionForJson() => IsCatch ? new Dictionary<string, object>()
        : Condition.ToDictionary(kv => kv.Key, kv => kv.Value is FrequencyPair pair ? pair.ToString() : kv.Value);
}
