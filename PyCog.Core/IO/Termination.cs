namespace PyCog.IO;

/// <summary>
/// Why training stopped: one of pycog's rules (<see cref="MinError"/>, <see cref="Criterion"/>,
/// <see cref="Patience"/>, <see cref="MaxIter"/>), a stop from outside (<see cref="Cancelled"/>),
/// <see cref="Diverged"/>, or a user-written stopping rule's own reason (<see cref="Custom"/>).
/// The file records <see cref="Name"/>.
/// </summary>
/// <param name="Name">The reason's name, as the network file records it.</param>
/// <param name="Reached">True when the run reached its goal (criterion or min_error, or a user rule that says so).</param>
public readonly record struct Termination(string Name, bool Reached)
{
    /// <summary>Validation RMSE reached min_error.</summary>
    public static Termination MinError { get; } = new(nameof(MinError), true);
    /// <summary>The task's criterion was met.</summary>
    public static Termination Criterion { get; } = new(nameof(Criterion), true);
    /// <summary>No new best for <c>patience</c> steps.</summary>
    public static Termination Patience { get; } = new(nameof(Patience), false);
    /// <summary>max_iter steps were taken.</summary>
    public static Termination MaxIter { get; } = new(nameof(MaxIter), false);
    /// <summary>Cancelled; the checkpoint holds everything to resume.</summary>
    public static Termination Cancelled { get; } = new(nameof(Cancelled), false);
    /// <summary>The cost or the weights became NaN or infinite; the best network is kept.</summary>
    public static Termination Diverged { get; } = new(nameof(Diverged), false);

    /// <summary>pycog's reasons and the two stops, in the order above.</summary>
    public static IReadOnlyList<Termination> BuiltIn { get; } = [MinError, Criterion, Patience, MaxIter, Cancelled, Diverged];

    /// <summary>A user rule's reason (a name such as "Plateau"), reached or not.</summary>
    public static Termination Custom(string name, bool reached = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new(name, reached);
    }

    /// <summary>The reason a file records as <paramref name="name"/> (a user rule's name stays as it is).</summary>
    public static Termination Parse(string name, bool reached) =>
        BuiltIn.FirstOrDefault(t => t.Name == name) is { Name: not null } known ? known : Custom(name, reached);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
