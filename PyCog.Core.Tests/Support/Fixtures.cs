using PyCog.Network;
using PyCog.Numerics;
using PyCog.Training;

namespace PyCog.Tests.Support;

public static class Fixtures
{
    /// <summary>The initialisation seed of the tiny network.</summary>
    public const long InitSeed = 7;

    /// <summary>A tiny E/I network: Nin 2, N 10 (8 E, 2 I), Nout 2, structured input and output masks.</summary>
    public static ResolvedNetworkConfig TinyConfig(HiddenActivation f = HiddenActivation.Rectify, OutputActivation g = OutputActivation.Linear, bool dale = true, int n = 10)
    {
        var ei = Connectivity.GenerateEi(n);
        var cin = Matrix.FromFunction(n, 2, (i, j) => i < 8 && (i + j) % 3 != 0 ? 1 : 0);
        var cout = Matrix.FromFunction(2, n, (i, j) => (i + j) % 4 != 1 ? 1 : 0);
        return new NetworkConfig
        {
            Nin = 2, N = n, Nout = 2, Ei = dale ? ei : null,
            Cin = new Connectivity(cin), Cout = new Connectivity(cout),
            HiddenActivation = f, OutputActivation = g,
            TrainBrec = true, TrainBout = true,
        }.Resolve();
    }

    /// <summary>Initial parameters nudged away from kinks, biases and x0 made non-trivial.</summary>
    public static NetworkParameters Parameters(ResolvedNetworkConfig config, long seed = 3)
    {
        var (p, _) = NetworkInitializer.Initialize(config, InitSeed);
        var rng = new Rng(seed);
        foreach (var (_, values) in p.Arrays())
            for (int k = 0; k < values.Length; k++) values[k] += (float)(0.05 * rng.NextGaussian());
        // keep Dale-law entries clear of the rectification kink
        foreach (var m in new[] { p.Win, p.Wrec, p.Wout })
            if (m is not null) for (int k = 0; k < m.Data.Length; k++) if (Math.Abs(m.Data[k]) < 0.02f) m.Data[k] = 0.05f;
        return p;
    }

    /// <summary>A random batch with targets in (0, 1), a partial mask and noise.</summary>
    public static Batch RandomBatch(ResolvedNetworkConfig c, int time = 6, int trials = 3, long seed = 5, bool oneHotTargets = false)
    {
        var rng = new Rng(seed);
        int rows = time * trials;
        float[] R(int len, double lo, double hi) => Enumerable.Range(0, len).Select(_ => (float)rng.Uniform(lo, hi)).ToArray();
        var targets = R(rows * c.Nout, 0.1, 0.9);
        if (oneHotTargets)
            for (int s = 0; s < rows; s++)
            {
                int hot = rng.NextInt(c.Nout);
                for (int o = 0; o < c.Nout; o++) targets[s * c.Nout + o] = o == hot ? 1 : 0;
            }
        var mask = Enumerable.Range(0, rows * c.Nout).Select(k => k % 5 == 2 ? 0f : 1f).ToArray();
        return new Batch(time, trials, c.Nin, c.N, c.Nout, R(rows * c.Nin, 0, 1.2), R(rows * c.N, -0.5, 0.5), targets, mask);
    }

    public static double RelativeError(float[] a, double[] b)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < a.Length; i++) { diff += (a[i] - b[i]) * (a[i] - b[i]); norm += b[i] * b[i]; }
        return Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-12);
    }

    public static double RelativeError(float[] a, float[] b) => RelativeError(a, b.Select(v => (double)v).ToArray());
}
