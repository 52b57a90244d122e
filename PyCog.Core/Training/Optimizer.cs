using PyCog.Network;

namespace PyCog.Training;

/// <summary>How the trainer turns a gradient into a step.</summary>
public enum OptimizerKind
{
    /// <summary>pycog's plain stochastic gradient descent (the default: every paper result uses it).</summary>
    Sgd,
    /// <summary>Adam (Kingma and Ba 2015) on the clipped gradient.</summary>
    Adam,
}

/// <summary>
/// Adam's running moments and step count: part of a checkpoint, so that a resumed run takes
/// exactly the steps an uninterrupted one would.
/// </summary>
public sealed class AdamState
{
    /// <summary>First-moment estimates, one per parameter.</summary>
    public required NetworkParameters M { get; init; }
    /// <summary>Second-moment estimates, one per parameter.</summary>
    public required NetworkParameters V { get; init; }
    /// <summary>Steps taken (for the bias corrections).</summary>
    public long Step { get; set; }

    /// <summary>Zero moments for parameters shaped like <paramref name="p"/>.</summary>
    public static AdamState For(NetworkParameters p) => new()
    {
        M = NetworkParameters.Zeros(p.Nin, p.N, p.Nout), V = NetworkParameters.Zeros(p.Nin, p.N, p.Nout),
    };
}

/// <summary>
/// The update of pycog's <c>sgd.py</c>: global-norm clipping to max_gradient_norm and the
/// NaN/inf safeguard (a NaN, infinite or &gt; 1e10 norm replaces the Wrec gradient by 0.02 Wrec
/// and every other by 0), then a plain SGD step or an Adam step on that gradient.
/// </summary>
public static class Optimizer
{
    /// <summary>
    /// Updates <paramref name="p"/> in place with gradient <paramref name="g"/>; Adam needs
    /// <paramref name="adam"/>. Returns the gradient norm before clipping.
    /// </summary>
    public static double Step(NetworkParameters p, NetworkParameters g, TrainingConfig c, AdamState? adam = null)
    {
        double sq = 0;
        foreach (var (_, values) in g.Arrays())
            foreach (var v in values) sq += (double)v * v;
        double norm = Math.Sqrt(sq);
        bool safeguard = double.IsNaN(norm) || double.IsInfinity(norm) || norm < 0 || norm > 1e10;
        if (c.Optimizer == OptimizerKind.Sgd)
        {
            float lr = (float)c.EffectiveLearningRate;
            if (safeguard)
            {
                for (int k = 0; k < p.Wrec.Data.Length; k++) p.Wrec.Data[k] -= lr * 0.02f * p.Wrec.Data[k];
                return norm;
            }
            float scale = norm > c.MaxGradientNorm ? (float)(c.MaxGradientNorm / norm) : 1f;
            foreach (var ((_, w), (_, dw)) in p.Arrays().Zip(g.Arrays()))
                for (int k = 0; k < w.Length; k++) w[k] -= lr * scale * dw[k];
            return norm;
        }
        if (adam is null) throw new ArgumentNullException(nameof(adam), "Adam needs its state (AdamState.For(parameters)).");
        float clip = safeguard ? 0f : norm > c.MaxGradientNorm ? (float)(c.MaxGradientNorm / norm) : 1f;
        adam.Step++;
        double b1 = c.AdamBeta1, b2 = c.AdamBeta2;
        // Bias corrections folded into the step size and epsilon, as PyTorch's Adam does.
        double correction1 = 1 - Math.Pow(b1, adam.Step), correction2 = 1 - Math.Pow(b2, adam.Step);
        float stepSize = (float)(c.EffectiveLearningRate / correction1), rootCorrection2 = (float)Math.Sqrt(correction2);
        float fb1 = (float)b1, fb2 = (float)b2, eps = (float)c.AdamEpsilon;
        var arrays = p.Arrays().Zip(g.Arrays(), adam.M.Arrays()).Zip(adam.V.Arrays());
        foreach (var (((name, w), (_, dw), (_, m)), (_, v)) in arrays)
        {
            bool wrec = name == "Wrec";
            for (int k = 0; k < w.Length; k++)
            {
                // The safeguard's gradient: 0.02 Wrec for Wrec, nothing for the others.
                float grad = safeguard ? (wrec ? 0.02f * w[k] : 0f) : clip * dw[k];
                m[k] = fb1 * m[k] + (1 - fb1) * grad;
                v[k] = fb2 * v[k] + (1 - fb2) * grad * grad;
                w[k] -= stepSize * m[k] / (MathF.Sqrt(v[k]) / rootCorrection2 + eps);
            }
        }
        return norm;
    }
}
