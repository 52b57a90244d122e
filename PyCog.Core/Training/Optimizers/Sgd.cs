using PyCog.Network;

namespace PyCog.Training.Optimizers;

/// <summary>pycog's plain stochastic gradient descent, w -= lr g (the default: every paper result uses it).</summary>
public sealed class Sgd(double learningRate) : IOptimizer
{
    /// <summary>The registered name.</summary>
    public const string Id = "sgd";

    /// <inheritdoc/>
    public string Name => Id;

    /// <inheritdoc/>
    public void Step(NetworkParameters parameters, ClippedGradient gradient)
    {
        float lr = (float)learningRate;
        if (gradient.Safeguard)
        {
            var wrec = parameters.Wrec.Data;
            for (int k = 0; k < wrec.Length; k++) wrec[k] -= lr * 0.02f * wrec[k];
            return;
        }
        float scale = gradient.Scale;
        foreach (var ((_, w), (_, dw)) in parameters.Arrays().Zip(gradient.Gradient.Arrays()))
            for (int k = 0; k < w.Length; k++) w[k] -= lr * scale * dw[k];
    }

    /// <inheritdoc/>
    public OptimizerState GetState() => OptimizerState.Empty;

    /// <inheritdoc/>
    public void SetState(OptimizerState state) { }
}
