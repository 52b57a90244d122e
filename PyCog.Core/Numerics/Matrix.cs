namespace PyCog.Numerics;

/// <summary>A dense row-major single-precision matrix (rows x cols).</summary>
public sealed class Matrix
{
    /// <summary>Number of rows.</summary>
    public int Rows { get; }
    /// <summary>Number of columns.</summary>
    public int Cols { get; }
    /// <summary>Row-major storage, length Rows * Cols.</summary>
    public float[] Data { get; }

    /// <summary>A zero matrix.</summary>
    public Matrix(int rows, int cols)
    {
        if (rows < 0 || cols < 0) throw new ArgumentOutOfRangeException(nameof(rows), "Matrix dimensions cannot be negative.");
        Rows = rows; Cols = cols; Data = new float[rows * cols];
    }

    /// <summary>Wraps existing row-major data.</summary>
    public Matrix(int rows, int cols, float[] data)
    {
        if (data.Length != rows * cols)
            throw new ArgumentException($"Data has {data.Length} elements, expected {rows}x{cols} = {rows * cols}.", nameof(data));
        Rows = rows; Cols = cols; Data = data;
    }

    /// <summary>Builds a matrix from a function of (row, col).</summary>
    public static Matrix FromFunction(int rows, int cols, Func<int, int, double> f)
    {
        var m = new Matrix(rows, cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                m[i, j] = (float)f(i, j);
        return m;
    }

    /// <summary>Element access.</summary>
    public float this[int row, int col]
    {
        get => Data[row * Cols + col];
        set => Data[row * Cols + col] = value;
    }

    /// <summary>A view of one row.</summary>
    public Span<float> Row(int row) => Data.AsSpan(row * Cols, Cols);

    /// <summary>A deep copy.</summary>
    public Matrix Clone() => new(Rows, Cols, (float[])Data.Clone());

    /// <summary>The transpose.</summary>
    public Matrix Transpose() => FromFunction(Cols, Rows, (i, j) => this[j, i]);

    /// <summary>True if every element is finite.</summary>
    public bool AllFinite() => Data.All(float.IsFinite);

    /// <summary>Largest absolute eigenvalue (square matrices only), computed in double precision.</summary>
    public double SpectralRadius()
    {
        if (Rows != Cols) throw new InvalidOperationException($"Spectral radius needs a square matrix, got {Rows}x{Cols}.");
        // A matrix with NaN or infinite entries has no spectral radius (MathNet would fail to converge).
        if (!AllFinite()) return double.NaN;
        var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(Rows, Cols, (i, j) => this[i, j]);
        try { return m.Evd().EigenValues.Max(c => c.Magnitude); }
        catch (MathNet.Numerics.NonConvergenceException) { return double.NaN; }
    }

    /// <summary>Rows as jagged arrays (for JSON and display).</summary>
    public float[][] ToJagged() => Enumerable.Range(0, Rows).Select(i => Row(i).ToArray()).ToArray();
}
