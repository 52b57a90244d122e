using PyCog.Network;
using PyCog.Tasks;

namespace PyCog.Training;

/// <summary>
/// Computes the objective of spec section 4 and its gradient for one minibatch. The trainer
/// owns the parameters, clipping, the safeguard and the SGD update, so engines differ only in
/// how they differentiate: <see cref="FusedEngine"/> by hand-written loops,
/// <see cref="TorchEngine"/> by TorchSharp autograd.
/// </summary>
public interface ITrainingEngine : IDisposable
{
    /// <summary>Engine name (fused or torch).</summary>
    string Name { get; }

    /// <summary>
    /// Gradient of cost = loss + regularisers with respect to every raw parameter, with
    /// lambda_Omega times the immediate derivative of Omega added to the Wrec gradient.
    /// Gradients of untrained parameters are zero.
    /// </summary>
    GradientResult ComputeGradient(NetworkParameters parameters, Batch batch);

    /// <summary>Forward pass only: cost, loss, RMSE and the outputs.</summary>
    Evaluation Evaluate(NetworkParameters parameters, Batch batch);
}

/// <summary>The result of <see cref="ITrainingEngine.ComputeGradient"/>.</summary>
public sealed record GradientResult(double Loss, double Cost, double Rmse, double Omega, double OmegaCount, NetworkParameters Gradient);

/// <summary>The result of <see cref="ITrainingEngine.Evaluate"/>.</summary>
public sealed record Evaluation(double Loss, double Cost, double Rmse, BatchOutputs Outputs);

/// <summary>Creates engines by name.</summary>
public static class Engines
{
    /// <summary>Known engine names.</summary>
    public static readonly IReadOnlyList<string> Names = ["fused", "torch"];

    /// <summary>Creates the named engine for a resolved configuration.</summary>
    public static ITrainingEngine Create(string name, NetworkConfig config) => name.ToLowerInvariant() switch
    {
        "fused" => new FusedEngine(config),
        "torch" => new TorchEngine(config),
        _ => throw new ArgumentException($"Unknown engine '{name}'. Known engines: {string.Join(", ", Names)}."),
    };
}
