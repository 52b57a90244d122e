using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using MathNet.Numerics.LinearAlgebra;
using PyCog.Numerics;

namespace PyCog.Network;

/// <summary>
/// A noise variance as pycog allows it: one scalar for every unit, one value per unit, or a
/// covariance matrix for correlated noise.
/// </summary>
public sealed class Variance
{
    /// <summary>Scalar variance (when neither per-unit nor covariance is set).</summary>
    public double Scalar { get; }
    /// <summary>Per-unit variances, or null.</summary>
    public double[]? PerUnit { get; }
    /// <summary>Covariance matrix, or null.</summary>
    public double[,]? Covariance { get; }

    Variance(double scalar, double[]? perUnit, double[,]? cov) { Scalar = scalar; PerUnit = perUnit; Covariance = cov; }

    /// <summary>The same variance for every unit.</summary>
    public static Variance Of(double v) => new(v, null, null);
    /// <summary>One variance per unit.</summary>
    public static Variance PerUnitOf(double[] v) => new(double.NaN, (double[])v.Clone(), null);
    /// <summary>Correlated noise with covariance <paramref name="c"/>.</summary>
    public static Variance CovarianceOf(double[,] c) => new(double.NaN, null, (double[,])c.Clone());

    /// <summary>Implicit conversion from a scalar.</summary>
    public static implicit operator Variance(double v) => Of(v);

    /// <summary>True when every variance is zero.</summary>
    public bool IsZero => PerUnit is not null ? PerUnit.All(v => v == 0)
        : Covariance is not null ? Covariance.Cast<double>().All(v => v == 0) : Scalar == 0;

    /// <summary>A readable description.</summary>
    public override string ToString() => PerUnit is not null ? $"per-unit[{PerUnit.Length}]"
        : Covariance is not null ? $"covariance[{Covariance.GetLength(0)}x{Covariance.GetLength(1)}]" : Scalar.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Largest variance accepted: the noise of a step, sqrt(2 tau var / dt), must stay far inside single precision.</summary>
    public const double Max = 1e6;

    internal void Validate(string name, int units)
    {
        if (PerUnit is not null)
        {
            if (PerUnit.Length != units) throw new ConfigurationException(name, $"has {PerUnit.Length} per-unit variances, expected {units}.");
            if (PerUnit.Any(v => !(v >= 0) || v > Max)) throw new ConfigurationException(name, $"variances must be non-negative and at most {Max:G}.");
        }
        else if (Covariance is not null)
        {
            if (Covariance.GetLength(0) != units || Covariance.GetLength(1) != units)
                throw new ConfigurationException(name, $"covariance is {Covariance.GetLength(0)}x{Covariance.GetLength(1)}, expected {units}x{units}.");
            for (int i = 0; i < units; i++)
                for (int j = 0; j < units; j++)
                    if (!(Math.Abs(Covariance[i, j]) <= Max) || Covariance[i, j] != Covariance[j, i])
                        throw new ConfigurationException(name, $"covariance must be symmetric with entries at most {Max:G} in size.");
            try { _ = Matrix<double>.Build.DenseOfArray(Covariance).Cholesky(); }
            catch (ArgumentException) { throw new ConfigurationException(name, "covariance must be positive definite."); }
        }
        else if (!(Scalar >= 0) || Scalar > Max)
            throw new ConfigurationException(name, $"must be non-negative and at most {Max:G}, got {Scalar}.");
    }

    /// <summary>
    /// A sampler that fills rows of <c>units</c> values with noise of covariance
    /// <paramref name="factor"/> times this variance (pycog scales by 2 tau_in/dt or 2/dt).
    /// </summary>
    public NoiseSampler Sampler(int units, double factor) => new(this, units, factor);
}

/// <summary>Draws rows of (possibly correlated) Gaussian noise; see <see cref="Variance.Sampler"/>.</summary>
public sealed class NoiseSampler
{
    readonly float[]? _sd;
    readonly float[]? _chol; // lower Cholesky factor, row-major
    readonly int _units;

    internal NoiseSampler(Variance v, int units, double factor)
    {
        _units = units;
        IsZero = v.IsZero;
        if (v.Covariance is not null)
        {
            var l = Matrix<double>.Build.DenseOfArray(v.Covariance).Multiply(factor).Cholesky().Factor;
            _chol = new float[units * units];
            for (int i = 0; i < units; i++) for (int j = 0; j <= i; j++) _chol[i * units + j] = (float)l[i, j];
        }
        else
        {
            _sd = new float[units];
            for (int i = 0; i < units; i++) _sd[i] = (float)Math.Sqrt(factor * (v.PerUnit?[i] ?? v.Scalar));
        }
    }

    /// <summary>True when the noise is identically zero (no random numbers are drawn then).</summary>
    public bool IsZero { get; }

    /// <summary>Per-unit standard deviations of uncorrelated noise; null when the noise is correlated.</summary>
    public IReadOnlyList<float>? StandardDeviations => _sd;

    /// <summary>Fills consecutive rows of <c>units</c> values, optionally multiplied per unit by <paramref name="unitScale"/>.</summary>
    public void Fill(Rng rng, Span<float> dest, ReadOnlySpan<float> unitScale = default)
    {
        if (dest.Length % _units != 0) throw new ArgumentException("Destination is not a whole number of rows.", nameof(dest));
        if (IsZero) { dest.Clear(); return; }
        Span<float> z = _chol is null ? Span<float>.Empty : new float[_units];
        // The samples are drawn in chunks of whole rows with the generator's bulk method (the same numbers, faster).
        int chunk = Math.Min(dest.Length, Math.Max(1, 4096 / _units) * _units);
        var pool = System.Buffers.ArrayPool<double>.Shared;
        var gaussians = pool.Rent(chunk);
        var narrowed = System.Buffers.ArrayPool<float>.Shared.Rent(chunk);
        try
        {
            for (int start = 0; start < dest.Length; start += chunk)
            {
                int length = Math.Min(chunk, dest.Length - start);
                var g = gaussians.AsSpan(0, length);
                rng.FillGaussian(g);
                var f = narrowed.AsSpan(0, length);
                for (int k = 0; k < length; k++) f[k] = (float)g[k];
                for (int row = 0; row < length; row += _units) FillRow(dest.Slice(start + row, _units), f.Slice(row, _units), z, unitScale);
            }
        }
        finally { pool.Return(gaussians); System.Buffers.ArrayPool<float>.Shared.Return(narrowed); }
    }

    /// <summary>
    /// Fills consecutive rows from a SIMD Gaussian stream (reproducibility contract 2: each trial
    /// draws its noise from its own stream), optionally multiplied per unit by <paramref name="unitScale"/>.
    /// </summary>
    public void Fill(GaussianStream stream, Span<float> dest, ReadOnlySpan<float> unitScale = default)
    {
        if (dest.Length % _units != 0) throw new ArgumentException("Destination is not a whole number of rows.", nameof(dest));
        if (IsZero) { dest.Clear(); return; }
        Span<float> z = _chol is null ? Span<float>.Empty : new float[_units];
        stream.Fill(dest);
        // In place: each row's samples are read (or copied to z) before they are overwritten.
        for (int start = 0; start < dest.Length; start += _units)
            FillRow(dest.Slice(start, _units), dest.Slice(start, _units), z, unitScale);
    }

    void FillRow(Span<float> d, ReadOnlySpan<float> g, Span<float> z, ReadOnlySpan<float> unitScale)
    {
        if (_chol is null) TensorPrimitives.Multiply(_sd, g, d);
        else
        {
            g.CopyTo(z);
            for (int i = 0; i < _units; i++)
            {
                float s = 0;
                for (int j = 0; j <= i; j++) s += _chol[i * _units + j] * z[j];
                d[i] = s;
            }
        }
        if (!unitScale.IsEmpty) TensorPrimitives.Multiply(d, unitScale[.._units], d);
    }
}
