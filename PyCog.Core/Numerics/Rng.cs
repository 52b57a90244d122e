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
    public ulong NextUInt64() => Step(ref _s0, ref _s1, ref _s2, ref _s3);

    /// <summary>One xoshiro256** step on a state held anywhere (fields, or locals in a tight loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ulong Step(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        ulong result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
        s3 = BitOperations.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => Unit(NextUInt64());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Unit(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

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

    /// <summary>
    /// Fills <paramref name="dest"/> with exactly the samples that as many <see cref="NextGaussian"/>
    /// calls would return, leaving the same state behind, several times faster: candidate pairs are
    /// drawn and screened in one tight branch-free loop, then the accepted pairs are transformed in
    /// a second loop with the same expression, whose iterations do not wait on each other.
    /// </summary>
    public void FillGaussian(Span<double> dest)
    {
        int i = 0;
        if (dest.IsEmpty) return;
        if (_hasSpare) { dest[i++] = _spare; _hasSpare = false; }
        const int Block = 256;
        Span<double> us = stackalloc double[Block + 1], vs = stackalloc double[Block + 1], ss = stackalloc double[Block + 1];
        while (i < dest.Length)
        {
            int want = Math.Min((dest.Length - i + 1) / 2, Block);
            int got = DrawAcceptedPairs(us, vs, ss, want);
            for (int k = 0; k < got; k++) ss[k] = Math.Sqrt(-2 * Math.Log(ss[k]) / ss[k]);
            for (int k = 0; k < got; k++)
            {
                double m = ss[k];
                dest[i++] = us[k] * m;
                // As NextGaussian, the last pair's second sample stays in _spare (consumed or not): it is part of the state.
                _spare = vs[k] * m;
                if (i < dest.Length) dest[i++] = _spare;
                else _hasSpare = true;
            }
        }
    }

    /// <summary>Draws candidate pairs as <see cref="NextGaussian"/> does until <paramref name="want"/> lie inside the unit disc.</summary>
    int DrawAcceptedPairs(Span<double> us, Span<double> vs, Span<double> ss, int want)
    {
        // The state in locals (registers) for the whole loop; acceptance advances the index without a branch.
        ulong s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        int got = 0;
        while (got < want)
        {
            double u = 2 * Unit(Step(ref s0, ref s1, ref s2, ref s3)) - 1;
            double v = 2 * Unit(Step(ref s0, ref s1, ref s2, ref s3)) - 1;
            double s = u * u + v * v;
            us[got] = u; vs[got] = v; ss[got] = s;
            got += (s < 1) & (s != 0) ? 1 : 0;
        }
        _s0 = s0; _s1 = s1; _s2 = s2; _s3 = s3;
        return got;
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
