using System.Collections.Concurrent;
using PyCog.Network;

namespace PyCog.Training.Optimizers;

/// <summary>An optimiser the trainer can select by name: its default learning rate and how to make one.</summary>
/// <param name="Name">The name for <c>--set optimizer=NAME</c> and the checkpoint.</param>
/// <param name="DefaultLearningRate">The learning rate when learning_rate is not set.</param>
/// <param name="Create">Makes a fresh optimiser for a run's (resolved) training settings.</param>
public sealed record OptimizerDefinition(string Name, double DefaultLearningRate, Func<TrainingConfig, IOptimizer> Create);

/// <summary>
/// The optimisers known by name: pycog's <c>sgd</c> (the default) and <c>adam</c>, and any a user
/// registers. Adding an optimiser is one class and one <see cref="Register"/> call.
/// </summary>
public static class OptimizerRegistry
{
    static readonly ConcurrentDictionary<string, OptimizerDefinition> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        [Sgd.Id] = new(Sgd.Id, 0.01, c => new Sgd(c.EffectiveLearningRate)),
        [Adam.Id] = new(Adam.Id, 1e-3, c => new Adam(c.EffectiveLearningRate, c.AdamBeta1, c.AdamBeta2, c.AdamEpsilon)),
    };

    /// <summary>Every registered name, sorted.</summary>
    public static IReadOnlyList<string> Names => Known.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Registers (or replaces) an optimiser under its name.</summary>
    public static void Register(OptimizerDefinition definition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(definition.Name);
        if (!definition.Name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
            throw new ArgumentException($"An optimiser's name is letters, digits and '_' (it prefixes checkpoint arrays), got '{definition.Name}'.");
        Known[definition.Name] = definition;
    }

    /// <summary>The definition registered as <paramref name="name"/>; an unknown name is a <see cref="ConfigurationException"/>.</summary>
    public static OptimizerDefinition Find(string name) =>
        Known.TryGetValue(name, out var d) ? d
        : throw new ConfigurationException("optimizer", $"'{name}' is not one of {string.Join(", ", Names)}.");

    /// <summary>A fresh optimiser for <paramref name="training"/> (its <see cref="TrainingConfig.Optimizer"/>).</summary>
    public static IOptimizer Create(TrainingConfig training)
    {
        var optimizer = Find(training.Optimizer).Create(training);
        if (!string.Equals(optimizer.Name, training.Optimizer, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"The optimiser registered as '{training.Optimizer}' calls itself '{optimizer.Name}'; the names must agree.");
        return optimizer;
    }
}
