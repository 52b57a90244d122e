using PyCog.Numerics;

namespace PyCog.Network;

/// <summary>
/// Structure of one weight matrix: which entries are plastic (trained) and which carry fixed
/// weights. The effective matrix is <c>W_ = Cp * W + Cf</c>, with Cp the binary plastic mask.
/// The values of <see cref="Plastic"/> only scale the initial draws (pycog's convention).
/// </summary>
public sealed class Connectivity
{
    /// <summary>Plastic structure: non-zero entries are trained; their values scale initial weights.</summary>
    public Matrix Plastic { get; }
    /// <summary>Fixed (untrained) weights, zero where absent.</summary>
    public Matrix Fixed { get; }
    /// <summary>Binary mask of the plastic entries.</summary>
    public Matrix PlasticMask { get; }

    /// <summary>Creates a connectivity from a plastic structure and optional fixed weights.</summary>
    public Connectivity(Matrix plastic, Matrix? fixedWeights = null)
    {
        Plastic = plastic.Clone();
        Fixed = fixedWeights?.Clone() ?? new Matrix(plastic.Rows, plastic.Cols);
        if (Fixed.Rows != plastic.Rows || Fixed.Cols != plastic.Cols)
            throw new ArgumentException($"Fixed weights are {Fixed.Rows}x{Fixed.Cols}, the plastic mask {plastic.Rows}x{plastic.Cols}.");
        if (!plastic.AllFinite() || !Fixed.AllFinite()) throw new ArgumentException("Connectivity values must be finite.");
        PlasticMask = new Matrix(plastic.Rows, plastic.Cols);
        for (int i = 0; i < plastic.Data.Length; i++)
        {
            if (plastic.Data[i] != 0 && Fixed.Data[i] != 0)
                throw new ArgumentException($"Entry ({i / plastic.Cols}, {i % plastic.Cols}) is both plastic and fixed.");
            PlasticMask.Data[i] = plastic.Data[i] != 0 ? 1f : 0f;
        }
    }

    /// <summary>The plastic structure's value at (row, col): zero where the entry is not plastic.</summary>
    public float this[int row, int col] => Plastic[row, col];

    /// <summary>Rows of the matrix.</summary>
    public int Rows => Plastic.Rows;
    /// <summary>Columns of the matrix.</summary>
    public int Cols => Plastic.Cols;
    /// <summary>Fraction of entries that are plastic or fixed.</summary>
    public double Density => PlasticMask.Data.Zip(Fixed.Data).Count(p => p.First != 0 || p.Second != 0) / (double)Plastic.Data.Length;

    /// <summary>A copy whose fixed weights are multiplied by <paramref name="factor"/>.</summary>
    public Connectivity WithFixedScaled(double factor)
    {
        var f = Fixed.Clone();
        for (int i = 0; i < f.Data.Length; i++) f.Data[i] = (float)(f.Data[i] * factor);
        return new Connectivity(Plastic, f);
    }

    /// <summary>
    /// E/I signature: the first <c>int(pE N)</c> units excitatory (+1), the rest inhibitory (-1).
    /// </summary>
    public static int[] GenerateEi(int n, double pE = 0.8)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), "N must be positive.");
        if (pE < 0 || pE > 1) throw new ArgumentOutOfRangeException(nameof(pE), "pE must lie in [0, 1].");
        int nExc = (int)(pE * n);
        return Enumerable.Range(0, n).Select(i => i < nExc ? 1 : -1).ToArray();
    }

    /// <summary>Indices of excitatory units of an E/I signature.</summary>
    public static int[] Excitatory(int[] ei) => Enumerable.Range(0, ei.Length).Where(i => ei[i] > 0).ToArray();
    /// <summary>Indices of inhibitory units of an E/I signature.</summary>
    public static int[] Inhibitory(int[] ei) => Enumerable.Range(0, ei.Length).Where(i => ei[i] < 0).ToArray();

    /// <summary>
    /// The default recurrent structure with Dale's law: no self-connections, every E column 1,
    /// every I column (#E in row)/(#I in row), each row divided by its Euclidean norm.
    /// </summary>
    public static Matrix DefaultRecurrent(int[] ei) => GenerateCrec(ei, 1, 1, null, allowSelf: false);

    /// <summary>The default recurrent structure without Dale's law: all ones but the diagonal.</summary>
    public static Matrix DefaultRecurrent(int n) => Matrix.FromFunction(n, n, (i, j) => i == j ? 0 : 1);

    /// <summary>
    /// pycog's <c>generate_Crec</c>: each E column present with probability <paramref name="pExc"/>,
    /// each I column with <paramref name="pInh"/>, then balanced and row-normalised like the default.
    /// </summary>
    public static Matrix GenerateCrec(int[] ei, double pExc, double pInh, long? seed, bool allowSelf = false)
    {
        int n = ei.Length;
        var rng = seed is long s ? new Rng(s) : null;
        int[] exc = Excitatory(ei), inh = Inhibitory(ei);
        var c = new Matrix(n, n);
        bool Draw(double p) => rng is null ? p >= 1 : rng.NextDouble() < p;
        for (int i = 0; i < n; i++)
        {
            foreach (int j in exc) c[i, j] = Draw(pExc) ? 1 : 0;
            foreach (int j in inh) c[i, j] = Draw(pInh) ? 1 : 0;
            if (!allowSelf) c[i, i] = 0;
            double sumE = exc.Sum(j => c[i, j]), sumI = inh.Sum(j => c[i, j]);
            if (sumI > 0) foreach (int j in inh) c[i, j] = (float)(c[i, j] * sumE / sumI);
            double norm = Math.Sqrt(c.Row(i).ToArray().Sum(v => (double)v * v));
            if (norm > 0) for (int j = 0; j < n; j++) c[i, j] = (float)(c[i, j] / norm);
        }
        return c;
    }

    /// <summary>
    /// A random binary non-self mask with exactly <c>int(p N (N-1))</c> ones (pycog's
    /// <c>Connectivity(N, p, seed)</c>).
    /// </summary>
    public static Matrix Random(int n, double p, long seed)
    {
        if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), "Density must lie in [0, 1].");
        int total = n * (n - 1), ones = (int)(p * total);
        var bits = Enumerable.Range(0, total).Select(k => k < ones ? 1f : 0f).ToList();
        new Rng(seed).Shuffle(bits);
        var c = new Matrix(n, n);
        int k2 = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) c[i, j] = bits[k2++];
        return c;
    }

    /// <summary>True when every unit reaches every other through non-zero entries (C[i,j] != 0 is an edge j -&gt; i).</summary>
    public static bool IsStronglyConnected(Matrix c)
    {
        if (c.Rows != c.Cols) throw new ArgumentException("Strong connectivity needs a square matrix.");
        int n = c.Rows;
        if (n == 0) return true;
        bool Reach(bool forward)
        {
            var seen = new bool[n];
            var stack = new Stack<int>();
            stack.Push(0); seen[0] = true;
            int count = 1;
            while (stack.Count > 0)
            {
                int u = stack.Pop();
                for (int v = 0; v < n; v++)
                {
                    float w = forward ? c[v, u] : c[u, v];
                    if (w != 0 && !seen[v]) { seen[v] = true; count++; stack.Push(v); }
                }
            }
            return count == n;
        }
        return Reach(true) && Reach(false);
    }

    /// <summary>
    /// An output structure in which every output reads only excitatory units (pycog's readout for
    /// the E/I tasks), with the E/I split of <see cref="GenerateEi"/>.
    /// </summary>
    public static Connectivity ExcitatoryReadout(int n, int nout)
    {
        var ei = GenerateEi(n);
        return new Connectivity(Matrix.FromFunction(nout, n, (o, j) => ei[j] > 0 ? 1 : 0));
    }

    /// <summary>Scales every row of <paramref name="c"/> to unit Euclidean norm in place (zero rows stay zero).</summary>
    public static void NormaliseRows(Matrix c)
    {
        for (int i = 0; i < c.Rows; i++)
        {
            double norm = Math.Sqrt(c.Row(i).ToArray().Sum(v => (double)v * v));
            if (norm > 0) for (int j = 0; j < c.Cols; j++) c[i, j] = (float)(c[i, j] / norm);
        }
    }
}
