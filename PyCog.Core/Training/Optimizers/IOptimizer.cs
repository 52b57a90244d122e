using PyCog.Network;

namespace PyCog.Training.Optimizers;

/// <summary>
/// Turns a clipped gradient into a step on the raw parameters. The trainer clips (pycog's
/// global-norm clipping and NaN/inf safeguard, see <see cref="ClippedGradient"/>) and owns the
/// parameters; an optimiser only updates them and keeps whatever state it needs between steps.
/// Its state goes into every checkpoint by name (<see cref="GetState"/>, <see cref="SetState"/>),
/// so a resumed run takes exactly the steps an uninterrupted one would, for any optimiser.
/// Register a new one with <see cref="OptimizerRegistry.Register"/> and select it by name
/// (<c>--set optimizer=NAME</c>, or <c>TrainingConfig with { Optimizer = "NAME" }</c>).
/// </summary>
public interface IOptimizer
{
    /// <summary>The name under which the optimiser is registered (and its state is saved).</summary>
    string Name { get; }

    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradient"/>.</summary>
    void Step(NetworkParameters parameters, ClippedGradient gradient);

    /// <summary>
    /// The state to save: parameter-shaped arrays and numbers, by name. The arrays may be the
    /// optimiser's own (they are written, not kept). An optimiser without state returns
    /// <see cref="OptimizerState.Empty"/>.
    /// </summary>
    OptimizerState GetState();

    /// <summary>Restores what <see cref="GetState"/> gave (read back from a checkpoint).</summary>
    void SetState(OptimizerState state);
}

/// <summary>
/// An optimiser's saved state: parameter-shaped arrays (moments, velocities) and numbers (step
/// counts), each under a short name. A checkpoint stores the arrays as <c>{optimizer}_{name}_*</c>
/// and the numbers as <c>{optimizer}_{name}</c> in its metadata.
/// </summary>
public sealed record OptimizerState(IReadOnlyDictionary<string, NetworkParameters> Arrays, IReadOnlyDictionary<string, double> Numbers)
{
    /// <summary>No state (plain SGD).</summary>
    public static OptimizerState Empty { get; } = new(new Dictionary<string, NetworkParameters>(), new Dictionary<string, double>());

    /// <summary>The array <paramref name="name"/>, or a clear error naming what is missing.</summary>
    public NetworkParameters Array(string optimizer, string name) =>
        Arrays.TryGetValue(name, out var a) ? a : throw new InvalidOperationException($"The {optimizer} optimiser's state has no array '{name}'.");

    /// <summary>The number <paramref name="name"/>, or a clear error naming what is missing.</summary>
    public double Number(string optimizer, string name) =>
        Numbers.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"The {optimizer} optimiser's state has no number '{name}'.");
}
