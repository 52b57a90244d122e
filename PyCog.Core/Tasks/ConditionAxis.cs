using System.Globalization;

namespace PyCog.Tasks;

/// <summary>
/// One dimension of a task's condition grid (for example <c>coh</c> with values 1, 2, 4, 8, 16).
/// Values are matched against fixed request values by their invariant text form.
/// <see cref="TestValues"/> are values that only analyses use (rdm's 0% coherence): training
/// never draws them, test grids include them, and a request may fix them.
/// </summary>
public sealed record ConditionAxis(string Name, IReadOnlyList<object> Values)
{
    /// <summary>Values used by test grids and accepted in requests, but never drawn for training.</summary>
    public IReadOnlyList<object> TestValues { get; init; } = [];

    /// <summary>Creates an axis from values of any type.</summary>
    public static ConditionAxis Of<T>(string name, params T[] values) where T : notnull => new(name, values.Cast<object>().ToArray());

    /// <summary>The text form of a value, as accepted in <c>--set name=value</c>.</summary>
    public static string Text(object value) => Convert.ToString(value, CultureInfo.InvariantCulture)!;

    /// <summary>The value whose text form is <paramref name="text"/>, or an error listing the valid ones.</summary>
    public object Parse(string text) =>
        Values.Concat(TestValues).FirstOrDefault(v => Text(v) == text.Trim())
        ?? throw new ArgumentException($"{Name}={text} is not a valid value; valid values: {string.Join(", ", Values.Concat(TestValues).Select(Text))}.");
}

/// <summary>A pair of vibration frequencies (Hz) in the working-memory task, written "f1,f2".</summary>
public readonly record struct FrequencyPair(int High, int Low)
{
    /// <inheritdoc/>
    public override string ToString() => $"{High},{Low}";
}
