using System.Runtime.CompilerServices;

namespace PyCog.Numerics;

/// <summary>
/// Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3",
/// SC 2011; Random123, and the generator behind JAX's and cuRAND's): a counter-based generator.
/// A block of four random 32-bit words is a pure function of a 128-bit counter and a 64-bit
/// key, so any trial's numbers can be drawn on any thread in any order, and a run's random
/// state is just (key, counters): nothing to carry from one draw to the next.
/// </summary>
public static class Philox
{
    const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57;   // round multipliers
    const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85;   // key schedule: the golden ratio and sqrt(3) - 1

    /// <summary>The four words of block (<paramref name="c0"/>, ..., <paramref name="c3"/>) under key (<paramref name="k0"/>, <paramref name="k1"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint X0, uint X1, uint X2, uint X3) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (int round = 0; round < 10; round++)
        {
            if (round > 0) { k0 += W0; k1 += W1; }
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ k1, (uint)p0);
        }
        return (c0, c1, c2, c3);
    }
}
