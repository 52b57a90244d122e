using PyCog.Numerics;

namespace PyCog.Network;

/// <summary>
/// The raw (trained) parameters of an E/I network. Effective weights, which the dynamics use,
/// follow from these with <see cref="EffectiveWeights"/>.
/// </summary>
public sealed class NetworkParameters
{
    /// <summary>Raw input weights, N x Nin (null when Nin = 0).</summary>
    public Matrix? Win { get; }
    /// <summary>Raw recurrent weights, N x N.</summary>
    public Matrix Wrec { get; }
    /// <summary>Raw output weights, Nout x N.</summary>
    public Matrix Wout { get; }
    /// <summary>Recurrent bias, length N.</summary>
    public float[] Brec { get; }
    /// <summary>Output bias, length Nout.</summary>
    public float[] Bout { get; }
    /// <summary>Initial state, length N.</summary>
    public float[] X0 { get; }

    /// <summary>Creates a parameter set, checking that shapes agree.</summary>
    public NetworkParameters(Matrix? win, Matrix wrec, Matrix wout, float[] brec, float[] bout, float[] x0)
    {
        int n = wrec.Rows;
        if (wrec.Cols != n) throw new ArgumentException($"Wrec must be square, got {wrec.Rows}x{wrec.Cols}.");
        if (win is not null && win.Rows != n) throw new ArgumentException($"Win has {win.Rows} rows, expected N = {n}.");
        if (wout.Cols != n) throw new ArgumentException($"Wout has {wout.Cols} columns, expected N = {n}.");
        if (brec.Length != n) throw new ArgumentException($"brec has {brec.Length} entries, expected N = {n}.");
        if (bout.Length != wout.Rows) throw new ArgumentException($"bout has {bout.Length} entries, expected Nout = {wout.Rows}.");
        if (x0.Length != n) throw new ArgumentException($"x0 has {x0.Length} entries, expected N = {n}.");
        Win = win; Wrec = wrec; Wout = wout; Brec = brec; Bout = bout; X0 = x0;
    }

    /// <summary>Zero parameters of the given sizes.</summary>
    public static NetworkParameters Zeros(int nin, int n, int nout) =>
        new(nin > 0 ? new Matrix(n, nin) : null, new Matrix(n, n), new Matrix(nout, n), new float[n], new float[nout], new float[n]);

    /// <summary>Number of recurrent units.</summary>
    public int N => Wrec.Rows;
    /// <summary>Number of inputs.</summary>
    public int Nin => Win?.Cols ?? 0;
    /// <summary>Number of outputs.</summary>
    public int Nout => Wout.Rows;

    /// <summary>A deep copy.</summary>
    public NetworkParameters Clone() =>
        new(Win?.Clone(), Wrec.Clone(), Wout.Clone(), (float[])Brec.Clone(), (float[])Bout.Clone(), (float[])X0.Clone());

    /// <summary>The parameter arrays by pycog name, in pycog's order (Win, Wrec, Wout, brec, bout, x0).</summary>
    public IEnumerable<(string Name, float[] Values)> Arrays()
    {
        if (Win is not null) yield return ("Win", Win.Data);
        yield return ("Wrec", Wrec.Data);
        yield return ("Wout", Wout.Data);
        yield return ("brec", Brec);
        yield return ("bout", Bout);
        yield return ("x0", X0);
    }

    /// <summary>True when every value is finite.</summary>
    public bool AllFinite() => Arrays().All(a => a.Values.All(float.IsFinite));
}
