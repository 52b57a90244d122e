using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PyCog.Numerics;

/// <summary>
/// Fast standard normal samples and the SIMD pieces of <see cref="GaussianStream"/>: xoshiro128+
/// lanes, a logarithm and a sine/cosine of 2 pi u (errors below 1e-7). Tails are cut at 5.8
/// standard deviations (the smallest uniform is 2^-24), which a simulation does not notice.
/// </summary>
public static class FastGaussian
{
    /// <summary>
    /// Fills <paramref name="dest"/> with N(0, 1) samples: a <see cref="GaussianStream"/> seeded
    /// from <paramref name="rng"/>, so the same generator state always gives the same samples.
    /// </summary>
    public static void Fill(Rng rng, Span<float> dest) => new GaussianStream(rng).Fill(dest);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<uint> Next(ref Vector256<uint> s0, ref Vector256<uint> s1, ref Vector256<uint> s2, ref Vector256<uint> s3)
    {
        var result = s0 + s3;
        var t = Vector256.ShiftLeft(s1, 9);
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
        s3 = Vector256.ShiftLeft(s3, 11) | Vector256.ShiftRightLogical(s3, 21);
        return result;
    }

    /// <summary>
    /// Natural logarithm of positive normal floats: x = m 2^e with m in [sqrt(1/2), sqrt(2)),
    /// ln x = e ln 2 + 2 atanh((m - 1) / (m + 1)) by its series to the ninth power (error below 1e-7).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Log(Vector256<float> x)
    {
        var bits = x.AsInt32();
        var e = Vector256.ShiftRightArithmetic(bits, 23) - Vector256.Create(127);
        var m = ((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000)).AsSingle(); // [1, 2)
        var big = Vector256.GreaterThan(m, Vector256.Create(1.41421356f));
        m = Vector256.ConditionalSelect(big, m * 0.5f, m);
        e += big.AsInt32() & Vector256<int>.One;
        var t = (m - Vector256<float>.One) / (m + Vector256<float>.One);
        var t2 = t * t;
        var p = Vector256.Create(1f / 9);
        p = Vector256.FusedMultiplyAdd(t2, p, Vector256.Create(1f / 7)); p = Vector256.FusedMultiplyAdd(t2, p, Vector256.Create(1f / 5));
        p = Vector256.FusedMultiplyAdd(t2, p, Vector256.Create(1f / 3)); p = Vector256.FusedMultiplyAdd(t2, p, Vector256<float>.One);
        return Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(e), Vector256.Create(0.6931471805599453f), 2f * t * p);
    }

    /// <summary>sin and cos of 2 pi u for u in [0, 1): quadrant reduction, then Taylor series on [0, pi/2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void SinCos2Pi(Vector256<float> u, out Vector256<float> sin, out Vector256<float> cos)
    {
        var x = u * 4f;
        var q = Vector256.ConvertToInt32(x);                 // truncation: quadrant 0..3
        var f = (x - Vector256.ConvertToSingle(q)) * (MathF.PI / 2);
        var f2 = f * f;
        static Vector256<float> K(float v) => Vector256.Create(v);
        static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
        // Horner: sin f = f (1 - f^2/3! + f^4/5! - ...), cos f = 1 - f^2/2! + f^4/4! - ...
        var ps = K(-1f / 39916800);
        ps = Fma(f2, ps, K(1f / 362880)); ps = Fma(f2, ps, K(-1f / 5040)); ps = Fma(f2, ps, K(1f / 120)); ps = Fma(f2, ps, K(-1f / 6)); ps = Fma(f2, ps, Vector256<float>.One);
        var s = f * ps;
        var pc = K(1f / 479001600);
        pc = Fma(f2, pc, K(-1f / 3628800)); pc = Fma(f2, pc, K(1f / 40320)); pc = Fma(f2, pc, K(-1f / 720)); pc = Fma(f2, pc, K(1f / 24)); pc = Fma(f2, pc, K(-0.5f));
        var c = Fma(f2, pc, Vector256<float>.One);
        var odd = Vector256.Equals(q & Vector256<int>.One, Vector256<int>.One).AsSingle();
        var sq = Vector256.ConditionalSelect(odd, c, s);
        var cq = Vector256.ConditionalSelect(odd, s, c);
        var sinSign = Vector256.ShiftLeft(q & Vector256.Create(2), 30).AsSingle();                   // q = 2, 3: negative
        var cosSign = Vector256.ShiftLeft((q ^ Vector256.ShiftRightArithmetic(q, 1)) & Vector256<int>.One, 31).AsSingle(); // q = 1, 2
        sin = sq ^ sinSign;
        cos = cq ^ cosSign;
    }
}

/// <summary>
/// A stream of N(0, 1) samples for one simulated trial: eight SIMD xoshiro128+ lanes seeded once
/// from a <see cref="Rng"/>, each step producing 16 samples (8 r cos theta, then 8 r sin theta)
/// by Box-Muller with SIMD logarithm and sine/cosine. Successive <see cref="Fill"/> calls continue
/// the stream, so the samples depend only on the seed and on how many were drawn before.
/// </summary>
public sealed class GaussianStream
{
    Vector256<uint> _s0, _s1, _s2, _s3;
    readonly float[] _buffer = new float[16];
    int _available;

    /// <summary>Seeds the lanes from 16 draws of <paramref name="rng"/>.</summary>
    public GaussianStream(Rng rng)
    {
        Span<uint> seed = stackalloc uint[32];
        for (int i = 0; i < 16; i++) { ulong b = rng.NextUInt64(); seed[2 * i] = (uint)b | 1u; seed[2 * i + 1] = (uint)(b >> 32); }
        _s0 = Vector256.Create<uint>(seed[..8]); _s1 = Vector256.Create<uint>(seed[8..16]);
        _s2 = Vector256.Create<uint>(seed[16..24]); _s3 = Vector256.Create<uint>(seed[24..32]);
    }

    /// <summary>Writes the next <c>dest.Length</c> samples of the stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(Span<float> dest)
    {
        int i = 0;
        while (i < dest.Length && _available > 0) dest[i++] = _buffer[16 - _available--];
        if (i == dest.Length) return;
        // The lane state lives in locals (registers) for the whole fill, not in the object's fields.
        var s0 = _s0; var s1 = _s1; var s2 = _s2; var s3 = _s3;
        var inv = Vector256.Create(1f / (1 << 24));
        for (; i + 16 <= dest.Length; i += 16)
        {
            Generate(inv, ref s0, ref s1, ref s2, ref s3, out var c, out var s);
            c.StoreUnsafe(ref dest[i]);
            s.StoreUnsafe(ref dest[i + 8]);
        }
        if (i < dest.Length)
        {
            Generate(inv, ref s0, ref s1, ref s2, ref s3, out var c, out var s);
            c.StoreUnsafe(ref _buffer[0]);
            s.StoreUnsafe(ref _buffer[8]);
            _available = 16;
            while (i < dest.Length) dest[i++] = _buffer[16 - _available--];
        }
        _s0 = s0; _s1 = s1; _s2 = s2; _s3 = s3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Generate(Vector256<float> inv, ref Vector256<uint> s0, ref Vector256<uint> s1, ref Vector256<uint> s2, ref Vector256<uint> s3,
        out Vector256<float> cos, out Vector256<float> sin)
    {
        var a = FastGaussian.Next(ref s0, ref s1, ref s2, ref s3);
        var b = FastGaussian.Next(ref s0, ref s1, ref s2, ref s3);
        var u1 = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(a, 8).AsInt32() + Vector256<int>.One) * inv;
        var u2 = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(b, 8).AsInt32()) * inv;
        var r = Vector256.Sqrt(FastGaussian.Log(u1) * -2f);
        FastGaussian.SinCos2Pi(u2, out var sn, out var cs);
        cos = r * cs; sin = r * sn;
    }
}
