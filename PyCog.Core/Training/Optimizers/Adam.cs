using PyCog.Network;

namespace PyCog.Training.Optimizers;

/// <summary>
/// Adam (Kingma and Ba 2015) on the clipped gradient, with PyTorch's arithmetic (bias
/// corrections folded into the step size and epsilon). Its moments m and v and its step count
/// are saved in checkpoints as <c>adam_m_*</c>, <c>adam_v_*</c> and <c>adam_step</c>.
/// </summary>
public sealed class Adam(double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) : IOptimizer
{
    /// <summary>The registered name.</summary>
    public const string Id = "adam";

    NetworkParameters? _m, _v;

    /// <summary>Steps taken (for the bias corrections).</summary>
    public long StepCount { get; private set; }

    /// <summary>First-moment estimates (null before the first step).</summary>
    public NetworkParameters? M => _m;
    /// <summary>Second-moment estimates (null before the first step).</summary>
    public NetworkParameters? V => _v;

    /// <inheritdoc/>
    public string Name => Id;

    /// <inheritdoc/>
    public void Step(NetworkParameters parameters, ClippedGradient gradient)
    {
        _m ??= NetworkParameters.Zeros(parameters.Nin, parameters.N, parameters.Nout);
        _v ??= NetworkParameters.Zeros(parameters.Nin, parameters.N, parameters.Nout);
        StepCount++;
        double correction1 = 1 - Math.Pow(beta1, StepCount), correction2 = 1 - Math.Pow(beta2, StepCount);
        float stepSize = (float)(learningRate / correction1), rootCorrection2 = (float)Math.Sqrt(correction2);
        float fb1 = (float)beta1, fb2 = (float)beta2, eps = (float)epsilon;
        var arrays = parameters.Arrays().Zip(gradient.Gradient.Arrays(), _m.Arrays()).Zip(_v.Arrays());
        foreach (var (((name, w), (_, dw), (_, m)), (_, v)) in arrays)
        {
            bool wrec = name == "Wrec";
            for (int k = 0; k < w.Length; k++)
            {
                float grad = gradient.Value(wrec, w[k], dw[k]);
                m[k] = fb1 * m[k] + (1 - fb1) * grad;
                v[k] = fb2 * v[k] + (1 - fb2) * grad * grad;
                w[k] -= stepSize * m[k] / (MathF.Sqrt(v[k]) / rootCorrection2 + eps);
            }
        }
    }

    /// <inheritdoc/>
    public OptimizerState GetState() => _m is null || _v is null ? OptimizerState.Empty
        : new(new Dictionary<string, NetworkParameters> { ["m"] = _m, ["v"] = _v }, new Dictionary<string, double> { ["step"] = StepCount });

    /// <inheritdoc/>
    public void SetState(OptimizerState state)
    {
        if (state.Arrays.Count == 0) { _m = _v = null; StepCount = 0; return; }
        _m = state.Array(Id, "m").Clone();
        _v = state.Array(Id, "v").Clone();
        StepCount = (long)state.Number(Id, "step");
    }
}
