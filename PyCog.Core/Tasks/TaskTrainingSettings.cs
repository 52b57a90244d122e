using System.Collections;
using System.Globalization;

namespace PyCog.Tasks;

/// <summary>
/// Training settings a task chooses for itself, under pycog's parameter names, as pycog's model
/// files set them beside the network (a validation set of 100 trials per condition, a larger
/// minibatch, an RMSE at which to stop):
/// <code>public override TaskTrainingSettings Training { get; } = new() { ["n_validation"] = 1100, ["min_error"] = 0.05 };</code>
/// The trainer applies them over its defaults and under the user's own settings; an unknown name
/// fails there, naming the known ones (every paper task is tested).
/// </summary>
public sealed class TaskTrainingSettings : IEnumerable<KeyValuePair<string, string>>
{
    readonly List<KeyValuePair<string, string>> _settings = [];

    /// <summary>No settings of the task's own.</summary>
    public static TaskTrainingSettings None { get; } = new();

    /// <summary>Sets <paramref name="name"/> (pycog's name, for example <c>n_validation</c>) to a number.</summary>
    public double this[string name]
    {
        set
        {
            _settings.RemoveAll(kv => kv.Key == name);
            _settings.Add(new(name, value.ToString("R", CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>The value set for <paramref name="name"/>, as text, or null.</summary>
    public string? Get(string name) => _settings.FirstOrDefault(kv => kv.Key == name).Value;

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _settings.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
