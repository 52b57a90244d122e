using PyCog.Numerics;

namespace PyCog.Network;

/// <summary>
/// Initial parameters as pycog draws them: one generator seeded by the initialisation seed
/// (pycog's <c>seed</c>, a training setting) draws Win, Wrec and Wout (plastic entries only, in row-major order), absolute values under
/// Dale's law, then Wrec (and the fixed recurrent weights) rescaled to spectral radius rho0.
/// </summary>
public static class NetworkInitializer
{
    /// <summary>
    /// Draws the initial parameters. Returns them with the configuration whose fixed recurrent
    /// weights were rescaled by the same factor as Wrec (pycog does the same).
    /// </summary>
    public static (NetworkParameters Parameters, ResolvedNetworkConfig Network) Initialize(ResolvedNetworkConfig network, long seed)
    {
        var c = network.Config;
        var rng = new Rng(seed);
        int n = c.N;
        Matrix? win = c.Nin > 0 ? Draw(rng, c.Cin, n, c.Nin, c.DistributionIn!.Value, c.GammaK) : null;
        var wrec = Draw(rng, c.Crec, n, n, c.DistributionRec!.Value, c.GammaK);
        var wout = Draw(rng, c.Cout, c.Nout, n, c.DistributionOut!.Value, c.GammaK);
        if (c.Ei is not null)
        {
            foreach (var m in new[] { win, wrec, wout })
                if (m is not null) for (int k = 0; k < m.Data.Length; k++) m.Data[k] = MathF.Abs(m.Data[k]);
        }
        var probe = new NetworkParameters(win, wrec, wout, new float[n], new float[c.Nout], new float[n]);
        double rho = EffectiveWeights.Compute(network, probe).Wrec.SpectralRadius();
        if (!(rho > 0)) throw new ConfigurationException("Crec", "the initial recurrent matrix has spectral radius 0 and cannot be rescaled to rho0.");
        double scale = c.Rho0!.Value / rho;
        for (int k = 0; k < wrec.Data.Length; k++) wrec.Data[k] = (float)(wrec.Data[k] * scale);
        var scaled = network.WithFixedRecurrentScaled(scale);
        var parameters = new NetworkParameters(win, wrec, wout,
            Enumerable.Repeat((float)c.Brec, n).ToArray(),
            Enumerable.Repeat((float)c.Bout, c.Nout).ToArray(),
            Enumerable.Repeat((float)c.X0, n).ToArray());
        return (parameters, scaled);
    }

    static Matrix Draw(Rng rng, Connectivity? c, int rows, int cols, WeightDistribution dist, double gammaK)
    {
        var w = new Matrix(rows, cols);
        for (int k = 0; k < w.Data.Length; k++)
        {
            double m = c is null ? 1 : c.Plastic.Data[k];
            if (m == 0) continue;
            w.Data[k] = (float)(dist switch
            {
                WeightDistribution.Uniform => 0.1 * rng.Uniform(-m, m),
                WeightDistribution.Normal => rng.Normal(0, m),
                WeightDistribution.Gamma => rng.Gamma(gammaK, 0.1 * m / gammaK),
                WeightDistribution.Lognormal => Lognormal(rng, 0.5 * m, 0.1),
                _ => throw new ConfigurationException("distribution", $"unknown distribution {dist}."),
            });
        }
        return w;
    }

    static double Lognormal(Rng rng, double mean, double variance)
    {
        double mu = Math.Log(mean / Math.Sqrt(1 + variance / (mean * mean)));
        double sigma = Math.Sqrt(Math.Log(1 + variance / (mean * mean)));
        return Math.Exp(mu + sigma * rng.NextGaussian());
    }
}
