using System.Globalization;

namespace PyCog.Network;

/// <summary>
/// pycog's flat parameter names (as in its <c>defaults.py</c>) mapped onto the properties of a
/// configuration record: what <c>--set name=value</c> and the network file's <c>config</c> use.
/// <see cref="NetworkConfig.Parameters"/> is the network's table; training has its own.
/// </summary>
public sealed class ParameterTable<T>
{
    readonly Dictionary<string, (Func<T, string> Get, Func<T, string, T> Set)> _entries = new(StringComparer.Ordinal);

    /// <summary>Adds a parameter (used to build the tables).</summary>
    public ParameterTable<T> Add(string name, Func<T, string> get, Func<T, string, T> set)
    {
        _entries.Add(name, (get, set));
        return this;
    }

    /// <summary>Every parameter name, sorted.</summary>
    public IReadOnlyList<string> Names => _entries.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Whether <paramref name="name"/> is a parameter of this table.</summary>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>Returns <paramref name="config"/> with parameter <paramref name="name"/> set from text.</summary>
    public T Set(T config, string name, string value) =>
        _entries.TryGetValue(name, out var e) ? e.Set(config, value)
        : throw new ConfigurationException(name, $"is not a parameter. Known parameters: {string.Join(", ", Names)}.");

    /// <summary>Every parameter with its value as text, by name.</summary>
    public IReadOnlyList<(string Name, string Value)> Describe(T config) =>
        Names.Select(n => (n, _entries[n].Get(config))).ToList();

    /// <summary>Splits "name=value" into its two parts; anything else is a <see cref="ConfigurationException"/>.</summary>
    public static (string Name, string Value) Split(string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ConfigurationException(assignment, "expected name=value.");
        return (assignment[..eq].Trim(), assignment[(eq + 1)..].Trim());
    }
}

/// <summary>Parameter values to and from text, invariant culture; a bad value names its parameter.</summary>
public static class ParameterText
{
    /// <summary>A number as round-trip text.</summary>
    public static string Of(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    /// <summary>An integer as text.</summary>
    public static string Of(long v) => v.ToString(CultureInfo.InvariantCulture);
    /// <summary>A Boolean as <c>true</c> or <c>false</c>.</summary>
    public static string Of(bool v) => v ? "true" : "false";

    /// <summary>An enum value in pycog's snake_case.</summary>
    public static string Snake<TEnum>(TEnum v) where TEnum : struct, System.Enum =>
        string.Concat(v.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) ? "_" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));

    /// <summary>Parses a finite or infinite number (range checks belong to the configuration).</summary>
    public static double Double(string name, string v) =>
        double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d
        : throw new ConfigurationException(name, $"'{v}' is not a number.");

    /// <summary>Parses a 32-bit integer (also written as a whole number such as 1e4); larger values are refused, not wrapped.</summary>
    public static int Int(string name, string v) =>
        int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue ? (int)d
        : throw new ConfigurationException(name, $"'{v}' is not an integer between {int.MinValue} and {int.MaxValue}.");

    /// <summary>Parses a 64-bit integer (also written as a whole number such as 1e6).</summary>
    public static long Long(string name, string v) =>
        long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long i) ? i
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d) && Math.Abs(d) < 9e18 ? (long)d
        : throw new ConfigurationException(name, $"'{v}' is not an integer.");

    /// <summary>Parses true/false (also 1/0, yes/no).</summary>
    public static bool Bool(string name, string v) => v.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new ConfigurationException(name, $"'{v}' is not true or false."),
    };

    /// <summary>Parses an enum value by its snake_case or .NET name.</summary>
    public static TEnum Enum<TEnum>(string name, string v) where TEnum : struct, System.Enum
    {
        foreach (var value in System.Enum.GetValues<TEnum>())
            if (string.Equals(Snake(value), v, StringComparison.OrdinalIgnoreCase) || string.Equals(value.ToString(), v, StringComparison.OrdinalIgnoreCase))
                return value;
        throw new ConfigurationException(name, $"'{v}' is not one of {string.Join(", ", System.Enum.GetValues<TEnum>().Select(Snake))}.");
    }
}
