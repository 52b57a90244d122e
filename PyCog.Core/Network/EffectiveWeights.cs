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

    static EffectiveWeights Compute(NetworkConfig config, NetworkParameters p)
    {
        var win = p.Win is null ? null : new Matrix(p.Win.Rows, p.Win.Cols);
        var wrec = new Matrix(p.Wrec.Rows, p.Wrec.Cols);
        var wout = new Matrix(p.Wout.Rows, p.Wout.Cols);
        ComputeUnitRows(config, p, 0, p.N, win is null ? default : win.Data, wrec.Data);
        ComputeOutputs(config, p, wout.Data);
        return new(win, wrec, wout);
    }

    /// <summary>
    /// Rows [<paramref name="row0"/>, <paramref name="row1"/>) of Win_ and Wrec_ (a row per unit),
    /// written into the same rows of <paramref name="win"/> and <paramref name="wrec"/> (row-major,
    /// the parameters' shapes; <paramref name="win"/> is ignored without inputs). Rows are
    /// independent, so threads can compute a range each.
    /// </summary>
    public static void ComputeUnitRows(NetworkConfig config, NetworkParameters p, int row0, int row1, Span<float> win, Span<float> wrec)
    {
        if (p.Win is not null) Apply(p.Win, config.Cin, config.Ei is not null, null, config.EiPositiveFunc, win, row0, row1);
        Apply(p.Wrec, config.Crec, config.Ei is not null, config.Ei, config.EiPositiveFunc, wrec, row0, row1);
    }

    /// <summary>All of Wout_, written into <paramref name="wout"/> (row-major, Nout x N).</summary>
    public static void ComputeOutputs(NetworkConfig config, NetworkParameters p, Span<float> wout) =>
        Apply(p.Wout, config.Cout, config.Ei is not null, config.Ei, config.EiPositiveFunc, wout, 0, p.Wout.Rows);

    static void Apply(Matrix w, Connectivity? c, bool dale, int[]? ei, PositiveFunction pos, Span<float> e, int row0, int row1)
    {
        for (int i = row0; i < row1; i++)
            for (int j = 0; j < w.Cols; j++)
            {
                int k = i * w.Cols + j;
                float v = c is null ? w.Data[k] : c.PlasticMask.Data[k] * w.Data[k] + c.Fixed.Data[k];
                if (dale)
                {
                    v = pos == PositiveFunction.Abs ? MathF.Abs(v) : MathF.Max(v, 0);
                    if (ei is not null) v *= ei[j];
                }
                e[k] = v;
            }
    }

    /// <summary>
    /// Chain rule from a gradient with respect to an effective matrix to the raw matrix
    /// (in place on <paramref name="grad"/>): multiplies by ei, pos'(W_) and the plastic mask.
    /// <paramref name="grad"/> holds the matrix's elements from <paramref name="offset"/> on (a
    /// range of rows, so that threads can take a range each).
    /// </summary>
    internal static void BackToRaw(Span<float> grad, Matrix raw, Connectivity? c, bool dale, int[]? ei, PositiveFunction pos, int offset = 0)
    {
        int cols = raw.Cols;
        for (int i = 0; i < grad.Length; i++)
        {
            int k = offset + i;
            float g = grad[i];
            if (dale)
            {
                float v = c is null ? raw.Data[k] : c.PlasticMask.Data[k] * raw.Data[k] + c.Fixed.Data[k];
                if (ei is not null) g *= ei[k % cols];
                g *= pos == PositiveFunction.Abs ? MathF.Sign(v) : (v > 0 ? 1f : 0f);
            }
            if (c is not null) g *= c.PlasticMask.Data[k];
            grad[i] = g;
        }
    }
}
