using PyCog.Network;

namespace PyCog.Training.Optimizers;

/// <summary>
/// A minibatch's gradient with pycog's <c>sgd.py</c> treatment decided: global-norm clipping to
/// max_gradient_norm, and the safeguard for a NaN, infinite or &gt; 1e10 norm, which replaces the
/// Wrec gradient by 0.02 Wrec and every other by 0 (<see cref="Safeguard"/>).
/// </summary>
/// <param name="Gradient">The unclipped gradient (left as the engine gave it).</param>
/// <param name="Norm">Its global norm before clipping.</param>
/// <param name="Scale">The clipping factor: max_gradient_norm / norm above the limit, else 1 (0 under the safeguard).</param>
/// <param name="Safeguard">True when the norm is NaN, infinite or above 1e10.</param>
public readonly record struct ClippedGradient(NetworkParameters Gradient, double Norm, float Scale, bool Safeguard)
{
    /// <summary>Decides the clipping of <paramref name="gradient"/> at <paramref name="maxNorm"/>.</summary>
    public static ClippedGradient Of(NetworkParameters gradient, double maxNorm)
    {
        double sq = 0;
        foreach (var (_, values) in gradient.Arrays())
            foreach (var v in values) sq += (double)v * v;
        double norm = Math.Sqrt(sq);
        bool safeguard = double.IsNaN(norm) || double.IsInfinity(norm) || norm < 0 || norm > 1e10;
        float scale = safeguard ? 0f : norm > maxNorm ? (float)(maxNorm / norm) : 1f;
        return new ClippedGradient(gradient, norm, scale, safeguard);
    }

    /// <summary>
    /// One element of the gradient the step follows, for optimisers that transform
    /// it: the clipped value, or under the safeguard 0.02 w for Wrec and 0 for the rest.
    /// </summary>
    public float Value(bool isWrec, float w, float dw) => Safeguard ? (isWrec ? 0.02f * w : 0f) : Scale * dw;
}
