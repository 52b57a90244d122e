using System.Collections.Concurrent;
using System.Reflection;

namespace PyCog.Tasks;

/// <summary>
/// The pycog name of a condition property (for example <c>coh</c> for <c>Coherence</c>): what
/// <c>--set</c>, the trial JSON and trial files call it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PycogNameAttribute(string name) : Attribute
{
    /// <summary>The pycog name.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// A trial's condition, typed: each task declares a record of its own, for example
/// <code>public sealed record DotsCondition([property: PycogName("coh")] int Coherence, [property: PycogName("in_out")] int InOut) : TrialCondition;</code>
/// Analyses and notebooks read its properties (<c>trial.ConditionAs&lt;DotsCondition&gt;().Coherence</c>);
/// <see cref="Values"/> gives it under pycog's names, in declaration order, for JSON and files.
/// </summary>
public abstract record TrialCondition
{
    static readonly ConcurrentDictionary<Type, (PropertyInfo Property, string Name)[]> Layouts = new();

    /// <summary>The condition's properties and their pycog names, in declaration order.</summary>
    static (PropertyInfo Property, string Name)[] Layout(Type type) => Layouts.GetOrAdd(type, t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.DeclaringType != typeof(TrialCondition) && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<PycogNameAttribute>() is not null)
            .OrderBy(p => p.MetadataToken)
            .Select(p => (p, p.GetCustomAttribute<PycogNameAttribute>()!.Name)).ToArray());

    /// <summary>The condition under pycog's names, in declaration order (numbers, strings, frequency pairs).</summary>
    public IReadOnlyDictionary<string, object> Values =>
        Layout(GetType()).ToDictionary(p => p.Name, p => p.Property.GetValue(this) ?? throw new InvalidOperationException($"{GetType().Name}.{p.Property.Name} is null."));

    /// <summary>
    /// The condition of type <typeparamref name="T"/> from values under pycog's names (a task's
    /// condition axes): each constructor parameter takes the value of the property of its name.
    /// </summary>
    public static T From<T>(IReadOnlyDictionary<string, object> values) where T : TrialCondition
    {
        var layout = Layout(typeof(T)).ToDictionary(p => p.Property.Name, p => p.Name, StringComparer.OrdinalIgnoreCase);
        var constructor = typeof(T).GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(parameter =>
        {
            if (!layout.TryGetValue(parameter.Name!, out var name))
                throw new InvalidOperationException($"{typeof(T).Name}'s parameter {parameter.Name} has no property with a [PycogName].");
            if (!values.TryGetValue(name, out var value))
                throw new KeyNotFoundException($"{typeof(T).Name} needs '{name}'; the condition has {string.Join(", ", values.Keys)}.");
            return parameter.ParameterType.IsInstanceOfType(value) ? value
                : Convert.ChangeType(value, parameter.ParameterType, System.Globalization.CultureInfo.InvariantCulture);
        }).ToArray();
        return (T)constructor.Invoke(arguments);
    }

    /// <summary>The condition of a task whose trials have none (sinewave).</summary>
    public static TrialCondition None { get; } = new NoCondition();

    sealed record NoCondition : TrialCondition;
}
