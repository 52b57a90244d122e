using System.Numerics;
using System.Runtime.CompilerServices;

namespace PyCog.Numerics;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64) whose whole
/// state can be saved and restored, so that a resumed training run draws exactly the numbers
/// the uninterrupted run would have drawn. Gaussian samples use the polar Box-Muller method
/// with a cached spare, which is part of the state.
/// </summary>
public sealed class Rng
{
    ulong _s0, _s1, _s2, _s3;
    bool _hasSpare;
    double _spare;

    /// <summary>Creates a generator from a seed; equal seeds give equal streams.</summary>
    public Rng(long seed)
    {
        ulong z = unchecked((ulong)seed);
        _s0 = SplitMix(ref z); _s1 = SplitMix(ref z); _s2 = SplitMix(ref z); _s3 = SplitMix(ref z);
    }

    Rng() { }

    static ulong SplitMix(ref ulong z)
    {
        ulong r = z += 0x9E3779B97F4A7C15UL;
        r = (r ^ (r >> 30)) * 0xBF58476D1CE4E5B9UL;
        r = (r ^ (r >> 27)) * 0x94D049BB133111EBUL;
        return r ^ (r >> 31);
    }

    /// <summary>The complete state (four words, spare flag, spare value), for checkpoints.</summary>
    public ulong[] GetState() =>
        [_s0, _s1, _s2, _s3, _hasSpare ? 1UL : 0UL, unchecked((ulong)BitConverter.DoubleToInt64Bits(_spare))];

    /// <summary>Restores a generator from <see cref="GetState"/>.</summary>
    public static Rng FromState(ulong[] state)
    {
        if (state is null || state.Length != 6) throw new ArgumentException("An Rng state has 6 words.", nameof(state));
        if ((state[0] | state[1] | state[2] | state[3]) == 0) throw new ArgumentException("An Rng state cannot be all zero.", nameof(state));
        return new Rng
        {
            _s0 = state[0], _s1 = state[1], _s2 = state[2], _s3 = state[3],
            _hasSpare = state[4] != 0, _spare = BitConverter.Int64BitsToDouble(unchecked((long)state[5])),
        };
    }

    /// <summary>An independent copy with the same state.</summary>
    public Rng Clone() => FromState(GetState());

    /// <summary>Next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform on [low, high).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), "n must be positive.");
        return (int)((NextUInt64() >> 33) * (ulong)n >> 31);
    }

    /// <summary>One element of a list, chosen uniformly.</summary>
    public T Choice<T>(IReadOnlyList<T> items)
    {
        if (items.Count == 0) throw new ArgumentException("Cannot choose from an empty list.", nameof(items));
        return items[NextInt(items.Count)];
    }

    /// <summary>Standard normal sample.</summary>
    public double NextGaussian()
    {
        if (_hasSpare) { _hasSpare = false; return _spare; }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.Sqrt(-2 * Math.Log(s) / s);
        _spare = v * m; _hasSpare = true;
        return u * m;
    }

    /// <summary>Normal sample with the given mean and standard deviation.</summary>
    public double Normal(double mean, double sd) => mean + sd * NextGaussian();

    /// <summary>Exponential sample with the given mean.</summary>
    public double Exponential(double mean) => -mean * Math.Log(1 - NextDouble());

    /// <summary>Gamma(shape k, scale theta) sample (Marsaglia and Tsang).</summary>
    public double Gamma(double k, double theta)
    {
        if (k <= 0 || theta <= 0) throw new ArgumentOutOfRangeException(nameof(k), "Gamma needs k > 0 and theta > 0.");
        if (k < 1)
        {
            double g = Gamma(k + 1, 1);
            return theta * g * Math.Pow(NextDouble(), 1 / k);
        }
        double d = k - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do { x = NextGaussian(); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v)))
                return theta * d * v;
        }
    }

    /// <summary>In-place Fisher-Yates shuffle.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
