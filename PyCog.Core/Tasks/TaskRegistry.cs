namespace PyCog.Tasks;

/// <summary>Finds tasks by name; users may register their own.</summary>
public static class TaskRegistry
{
    static readonly Dictionary<string, Func<CognitiveTask>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["rdm_fixed"] = RandomDotMotion.Fixed,
        ["rdm_dense"] = RandomDotMotion.Dense,
        ["rdm_nodale"] = RandomDotMotion.NoDale,
        ["rdm_varstim"] = RandomDotMotion.VariableStimulus,
        ["rdm_rt"] = RandomDotMotion.ReactionTime,
        ["mante"] = ContextDependentIntegration.Mante,
        ["mante_areas"] = ContextDependentIntegration.ManteAreas,
        ["multisensory"] = () => new MultisensoryIntegration(),
        ["romo"] = () => new WorkingMemory(),
        ["lee"] = () => new SequenceGeneration(),
        ["sinewave"] = () => new SineWave(),
    };

    /// <summary>Names of every registered task, sorted.</summary>
    public static IReadOnlyList<string> Names => Factories.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Registers (or replaces) a task factory under <paramref name="name"/>.</summary>
    public static void Register(string name, Func<CognitiveTask> factory)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A task needs a name.", nameof(name));
        Factories[name] = factory;
    }

    /// <summary>True when a task of that name exists.</summary>
    public static bool Contains(string name) => Factories.ContainsKey(name);

    /// <summary>Creates the named task; an unknown name lists the known ones.</summary>
    public static CognitiveTask Create(string name) =>
        Factories.TryGetValue(name, out var f) ? f()
        : throw new UnknownTaskException(name, Names);
}

/// <summary>No task is registered under a name; the message lists the known ones.</summary>
public sealed class UnknownTaskException(string name, IReadOnlyList<string> known)
    : KeyNotFoundException($"Unknown task '{name}'. Known tasks: {string.Join(", ", known)}.")
{
    /// <summary>The name asked for.</summary>
    public string Name { get; } = name;
}
