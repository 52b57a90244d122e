using PyCog.Numerics;

namespace PyCog.Network;

/// <summary>
/// The weights the dynamics use: <c>W_ = Cp * W + Cf</c>, then with Dale's law
/// <c>Win_ = pos(W_in)</c>, <c>Wrec_ = pos(W_rec) * ei</c> and <c>Wout_ = pos(W_out) * ei</c>
/// (columns scaled by the sign of the presynaptic unit).
/// </summary>
public sealed class EffectiveWeights
{
    /// <summary>Effective input weights N x Nin, or null.</summary>
    public Matrix? Win { get; }
    /// <summary>Effective recurrent weights N x N.</summary>
    public Matrix Wrec { get; }
    /// <summary>Effective output weights Nout x N.</summary>
    public Matrix Wout { get; }

    EffectiveWeights(Matrix? win, Matrix wrec, Matrix wout) { Win = win; Wrec = wrec; Wout = wout; }

    /// <summary>Computes the effective weights of <paramref name="p"/> under the (resolved) configuration.</summary>
    public static EffectiveWeights Compute(ResolvedNetworkConfig network, NetworkParameters p) => Compute(network.Config, p);

    static EffectiveWeights Compute(NetworkConfig config, NetworkParameters p) => new(
        p.Win is null ? null : Apply(p.Win, config.Cin, config.Ei is not null, null, config.EiPositiveFunc),
        Apply(p.Wrec, config.Crec, config.Ei is not null, config.Ei, config.EiPositiveFunc),
        Apply(p.Wout, config.Cout, config.Ei is not null, config.Ei, config.EiPositiveFunc));

    static Matrix Apply(Matrix w, Connectivity? c, bool dale, int[]? ei, PositiveFunction pos)
    {
        var e = new Matrix(w.Rows, w.Cols);
        for (int i = 0; i < w.Rows; i++)
            for (int j = 0; j < w.Cols; j++)
            {
                int k = i * w.Cols + j;
                float v = c is null ? w.Data[k] : c.PlasticMask.Data[k] * w.Data[k] + c.Fixed.Data[k];
                if (dale)
                {
                    v = pos == PositiveFunction.Abs ? MathF.Abs(v) : MathF.Max(v, 0);
                    if (ei is not null) v *= ei[j];
                }
                e.Data[k] = v;
            }
        return e;
    }

    /// <summary>
    /// Chain rule from a gradient with respect to an effective matrix to the raw matrix
    /// (in place on <paramref name="grad"/>): multiplies by ei, pos'(W_) and the plastic mask.
    /// </summary>
    internal static void BackToRaw(Span<float> grad, Matrix raw, Connectivity? c, bool dale, int[]? ei, PositiveFunction pos)
    {
        int cols = raw.Cols;
        for (int k = 0; k < grad.Length; k++)
        {
            float g = grad[k];
            if (dale)
            {
                float v = c is null ? raw.Data[k] : c.PlasticMask.Data[k] * raw.Data[k] + c.Fixed.Data[k];
                if (ei is not null) g *= ei[k % cols];
                g *= pos == PositiveFunction.Abs ? MathF.Sign(v) : (v > 0 ? 1f : 0f);
            }
            if (c is not null) g *= c.PlasticMask.Data[k];
            grad[k] = g;
        }
    }
}
