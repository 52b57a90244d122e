using PyCog.Numerics;

namespace PyCog.Network;

/// <summary>
/// A <see cref="NetworkConfig"/> whose derived defaults are filled and every parameter checked:
/// only <see cref="NetworkConfig.Resolve"/> makes one, so code that takes this type never has to
/// guess whether a configuration was resolved. Engines, datasets, the integrator and the network
/// file all take it.
/// </summary>
public sealed class ResolvedNetworkConfig
{
    internal ResolvedNetworkConfig(NetworkConfig config) => Config = config;

    /// <summary>The configuration with every default filled (dt, Crec, rho0, distributions).</summary>
    public NetworkConfig Config { get; }

    /// <summary>Number of inputs.</summary>
    public int Nin => Config.Nin;
    /// <summary>Number of recurrent units.</summary>
    public int N => Config.N;
    /// <summary>Number of outputs.</summary>
    public int Nout => Config.Nout;
    /// <summary>Training time step, ms.</summary>
    public double Dt => Config.Dt!.Value;
    /// <summary>Recurrent structure (the default mask when none was given).</summary>
    public Connectivity Crec => Config.Crec!;
    /// <summary>Initial spectral radius.</summary>
    public double Rho0 => Config.Rho0!.Value;

    /// <summary>
    /// The same network with its fixed recurrent weights multiplied by <paramref name="scale"/>
    /// (initialisation rescales them with Wrec, as pycog does).
    /// </summary>
    public ResolvedNetworkConfig WithFixedRecurrentScaled(double scale) => new(Config with { Crec = Crec.WithFixedScaled(scale) });

    /// <summary>
    /// The dynamics at time step <paramref name="dt"/> (default: the training dt), optionally with
    /// other noise variances (an analysis may run a network with more or less noise).
    /// </summary>
    public NetworkDynamics Dynamics(double? dt = null, Variance? varIn = null, Variance? varRec = null) =>
        new(this, dt ?? Dt, varIn ?? Config.VarIn, varRec ?? Config.VarRec);
}

/// <summary>
/// Everything the Euler step <c>x_t = (1 - alpha) x_{t-1} + alpha (Wrec_ r_{t-1} + Win_ u_t + brec + noise_t)</c>
/// needs besides the weights, computed once for one time step: the per-unit step factor
/// <c>alpha = dt / tau</c>, the recurrent noise <c>sqrt(tau) sqrt(2 var_rec / dt) N(0, 1)</c>, and
/// the input transform <c>u = [input + baseline + sqrt(2 tau_in var_in / dt) N(0, 1)]+</c>
/// (spec section 2). The training datasets, both engines and the integrator all take these
/// numbers from here, so the dynamics are written down once.
/// </summary>
public sealed class NetworkDynamics
{
    internal NetworkDynamics(ResolvedNetworkConfig network, double dt, Variance varIn, Variance varRec)
    {
        if (!(dt > 0) || !double.IsFinite(dt)) throw new ConfigurationException("dt", $"must be positive and finite, got {dt}.");
        var c = network.Config;
        double tauMin = c.MinTau;
        if (dt > tauMin) throw new ConfigurationException("dt", $"{dt} ms exceeds the time constant tau ({tauMin} ms): the Euler step would overshoot.");
        varIn.Validate("var_in", c.Nin);
        varRec.Validate("var_rec", c.N);
        Network = network;
        Dt = dt;
        Alpha = new float[c.N];
        Decay = new float[c.N];
        SqrtTau = new float[c.N];
        for (int i = 0; i < c.N; i++)
        {
            Alpha[i] = (float)(dt / c.TauOf(i));
            Decay[i] = 1 - Alpha[i];
            SqrtTau[i] = (float)Math.Sqrt(c.TauOf(i));
        }
        RecurrentNoise = varRec.Sampler(c.N, 2 / dt);
        InputNoise = varIn.Sampler(c.Nin, 2 * c.TauIn / dt);
        Baseline = (float)c.BaselineIn;
        RectifyInputs = c.RectifyInputs;
    }

    /// <summary>The network these dynamics belong to.</summary>
    public ResolvedNetworkConfig Network { get; }
    /// <summary>Time step, ms.</summary>
    public double Dt { get; }
    /// <summary>Per-unit step factor dt / tau_i.</summary>
    public float[] Alpha { get; }
    /// <summary>Per-unit 1 - alpha_i.</summary>
    public float[] Decay { get; }
    /// <summary>Per-unit sqrt(tau_i), the factor pycog puts on the recurrent noise.</summary>
    public float[] SqrtTau { get; }
    /// <summary>Recurrent noise before the sqrt(tau) factor: covariance 2 var_rec / dt.</summary>
    public NoiseSampler RecurrentNoise { get; }
    /// <summary>Input noise: covariance 2 tau_in var_in / dt.</summary>
    public NoiseSampler InputNoise { get; }
    /// <summary>Added to every input before noise.</summary>
    public float Baseline { get; }
    /// <summary>Whether inputs are rectified after baseline and noise.</summary>
    public bool RectifyInputs { get; }

    /// <summary>One input after the transform: <c>[input + baseline + noise]+</c>.</summary>
    public float Input(float input, float noise)
    {
        float v = input + Baseline + noise;
        return RectifyInputs ? MathF.Max(v, 0) : v;
    }

    /// <summary>Fills rows of N values with recurrent noise, sqrt(tau) included (the draw order pycog uses).</summary>
    public void FillRecurrentNoise(Rng rng, Span<float> dest) => RecurrentNoise.Fill(rng, dest, SqrtTau);

    /// <summary>Fills rows of N values with recurrent noise from a Gaussian stream (one trial's, under reproducibility contract 2).</summary>
    public void FillRecurrentNoise(GaussianStream stream, Span<float> dest) => RecurrentNoise.Fill(stream, dest, SqrtTau);

    /// <summary>
    /// Per-unit scale of a standard normal sample that gives the recurrent noise when it is
    /// uncorrelated (<c>sqrt(2 var_rec / dt)</c> times <c>sqrt(tau)</c>); null for correlated noise.
    /// </summary>
    public float[]? RecurrentNoiseScale() =>
        RecurrentNoise.StandardDeviations is { } sd ? sd.Select((s, i) => s * SqrtTau[i]).ToArray() : null;
}
