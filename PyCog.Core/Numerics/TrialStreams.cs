namespace PyCog.Numerics;

/// <summary>
/// Per-trial random streams (reproducibility contract 2): trial <c>b</c> of minibatch <c>m</c> of
/// a dataset draws everything (its condition, its input and recurrent noise) from a generator
/// keyed by (seed, purpose, m, b) through <see cref="Philox"/>. No trial's numbers depend on
/// another's, so trials can be drawn on any thread in any order, and a run's random state is just
/// its seed and how many minibatches it has drawn.
/// </summary>
public static class TrialStreams
{
    /// <summary>
    /// The purpose of the integrator's trials (trial i of a run is minibatch i, trial 0); datasets
    /// use their trial kind + 1.
    /// </summary>
    public const int Simulation = 0x53494D;

    /// <summary>The generator of trial <paramref name="trial"/> of minibatch <paramref name="minibatch"/>.</summary>
    public static Rng For(long seed, int purpose, long minibatch, int trial)
    {
        if (minibatch < 0 || trial < 0) throw new ArgumentOutOfRangeException(nameof(minibatch), $"Minibatch and trial are counted from 0, got {minibatch} and {trial}.");
        ulong key = unchecked((ulong)seed);
        var (x0, x1, _, _) = Philox.Block((uint)purpose, (uint)minibatch, (uint)((ulong)minibatch >> 32), (uint)trial, (uint)key, (uint)(key >> 32));
        return new Rng(unchecked((long)((ulong)x1 << 32 | x0)));
    }
}
