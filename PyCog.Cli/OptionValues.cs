using System.Globalization;

namespace PyCog.Cli;

/// <summary>A command-line usage error: one line on stderr and exit code 2.</summary>
sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Typed reading of option text, each failure one line naming the option and the accepted range.
/// Numbers arrive as text (Spectre's own conversion errors do not name the option) and are read here.
/// </summary>
static class OptionValues
{
    /// <summary>An integer option in [min, max], or <paramref name="fallback"/> when absent.</summary>
    public static int Int(string name, string? text, int fallback, int min, int max)
    {
        if (text is null) return fallback;
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) && v >= min && v <= max
            ? (int)v : throw new UsageException($"{name} expects an integer from {min:N0} to {max:N0}, got '{text}'.");
    }

    /// <summary>A 64-bit integer option, or null when absent.</summary>
    public static long? Long(string name, string? text) =>
        text is null ? null
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v
        : throw new UsageException($"{name} expects an integer, got '{text}'.");

    /// <summary>A positive, finite number option, or <paramref name="fallback"/> when absent.</summary>
    public static double PositiveDouble(string name, string? text, double fallback)
    {
        if (text is null) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v)
            ? v : throw new UsageException($"{name} expects a positive number, got '{text}'.");
    }

    /// <summary>Repeated <c>key=value</c> options as a dictionary (later values win).</summary>
    public static Dictionary<string, string> Pairs(string name, IEnumerable<string>? values)
    {
        var pairs = new Dictionary<string, string>();
        foreach (var s in values ?? [])
        {
            int eq = s.IndexOf('=');
            if (eq <= 0) throw new UsageException($"{name} expects key=value, got '{s}'.");
            pairs[s[..eq].Trim()] = s[(eq + 1)..].Trim();
        }
        return pairs;
    }
}
