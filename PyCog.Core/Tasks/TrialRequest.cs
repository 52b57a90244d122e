using System.Globalization;

namespace PyCog.Tasks;

/// <summary>
/// What the trainer or an analysis asks of a task (pycog's <c>params</c>): the kind of trial,
/// the validation minibatch index, whether targets are wanted, and condition values that
/// override random draws (for example <c>coh=16</c>, <c>in_out=-1</c>, <c>catch=true</c>).
/// </summary>
public sealed record TrialRequest
{
    /// <summary>Gradient, validation or test.</summary>
    public TrialKind Kind { get; init; } = TrialKind.Gradient;
    /// <summary>Index of the trial within its minibatch (validation cycles through conditions with it).</summary>
    public int MinibatchIndex { get; init; }
    /// <summary>Whether target outputs and mask are wanted.</summary>
    public bool TargetOutput { get; init; } = true;
    /// <summary>Condition values that override random draws, by name.</summary>
    public IReadOnlyDictionary<string, string> Fixed { get; init; } = new Dictionary<string, string>();

    /// <summary>A request of the given kind.</summary>
    public static TrialRequest Of(TrialKind kind, int index = 0) => new() { Kind = kind, MinibatchIndex = index };

    /// <summary>A copy with one more fixed condition value.</summary>
    public TrialRequest With(string key, object value) =>
        this with { Fixed = new Dictionary<string, string>(Fixed) { [key] = Convert.ToString(value, CultureInfo.InvariantCulture)! } };

    /// <summary>The fixed value of <paramref name="key"/> parsed as a number, or <paramref name="drawn"/>.</summary>
    public double Get(string key, double drawn) =>
        Fixed.TryGetValue(key, out var s) ? ParseDouble(key, s) : drawn;

    /// <summary>The fixed value of <paramref name="key"/> as an integer, or <paramref name="drawn"/>.</summary>
    public int Get(string key, int drawn) =>
        Fixed.TryGetValue(key, out var s) ? (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw new ArgumentException($"{key}={s} is not an integer.")) : drawn;

    /// <summary>The fixed value of <paramref name="key"/> as a string, or <paramref name="drawn"/>.</summary>
    public string Get(string key, string drawn) => Fixed.TryGetValue(key, out var s) ? s : drawn;

    /// <summary>The fixed value of <paramref name="key"/> as a Boolean, or <paramref name="drawn"/>.</summary>
    public bool Get(string key, bool drawn) =>
        Fixed.TryGetValue(key, out var s) ? s.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new ArgumentException($"{key}={s} is not a Boolean (true/false)."),
        } : drawn;

    static double ParseDouble(string key, string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
        : throw new ArgumentException($"{key}={s} is not a number.");
}
