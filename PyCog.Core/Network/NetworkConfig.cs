using PyCog.Numerics;
using Text = PyCog.Network.ParameterText;

namespace PyCog.Network;

/// <summary>
/// What a network is, with pycog's defaults (its <c>defaults.py</c>): structure, dynamics, noise,
/// biases, initial state and how its weights are first drawn. How it is trained (optimiser,
/// minibatches, regularisers, seeds, termination) is <c>PyCog.Training.TrainingConfig</c>.
/// A task sets only what differs. Names follow .NET casing; <see cref="Parameters"/> maps
/// pycog's names (<c>var_rec</c>, <c>tau</c> ...) onto them.
/// <see cref="Resolve"/> fills derived defaults, validates (every check names the parameter it
/// rejects) and returns a <see cref="ResolvedNetworkConfig"/>, which is what the library runs.
/// </summary>
public sealed record NetworkConfig
{
    // ---- structure ----
    /// <summary>Number of inputs (0 allowed: no Win).</summary>
    public int Nin { get; init; }
    /// <summary>Number of recurrent units.</summary>
    public int N { get; init; } = 100;
    /// <summary>Number of outputs.</summary>
    public int Nout { get; init; } = 1;
    /// <summary>E/I signature (+1 excitatory, -1 inhibitory) for Dale's law; null: no Dale's law.</summary>
    public int[]? Ei { get; init; }
    /// <summary>Input structure (N x Nin), or null for all plastic.</summary>
    public Connectivity? Cin { get; init; }
    /// <summary>Recurrent structure (N x N); null gives the default mask on <see cref="Resolve"/>.</summary>
    public Connectivity? Crec { get; init; }
    /// <summary>Output structure (Nout x N), or null for all plastic.</summary>
    public Connectivity? Cout { get; init; }
    /// <summary>Function keeping Dale's-law weights non-negative.</summary>
    public PositiveFunction EiPositiveFunc { get; init; } = PositiveFunction.Rectify;
    /// <summary>Hidden activation.</summary>
    public HiddenActivation HiddenActivation { get; init; } = HiddenActivation.Rectify;
    /// <summary>Output activation (and loss).</summary>
    public OutputActivation OutputActivation { get; init; } = OutputActivation.Linear;

    // ---- dynamics ----
    /// <summary>Time constant of every unit, ms (ignored when <see cref="TauPerUnit"/> is set).</summary>
    public double Tau { get; init; } = 100;
    /// <summary>Per-unit time constants, ms, or null.</summary>
    public double[]? TauPerUnit { get; init; }
    /// <summary>Input noise time constant, ms.</summary>
    public double TauIn { get; init; } = 100;
    /// <summary>Training time step, ms; null means min(tau)/5.</summary>
    public double? Dt { get; init; }
    /// <summary>Batch or continuous mode.</summary>
    public RunMode Mode { get; init; } = RunMode.Batch;
    /// <summary>Added to every input before noise.</summary>
    public double BaselineIn { get; init; } = 0.2;
    /// <summary>Input noise variance.</summary>
    public Variance VarIn { get; init; } = 0.01 * 0.01;
    /// <summary>Recurrent noise variance.</summary>
    public Variance VarRec { get; init; } = 0.15 * 0.15;
    /// <summary>Rectify inputs after baseline and noise.</summary>
    public bool RectifyInputs { get; init; } = true;

    // ---- biases and initial state ----
    /// <summary>Train the recurrent bias.</summary>
    public bool TrainBrec { get; init; }
    /// <summary>Initial recurrent bias.</summary>
    public double Brec { get; init; }
    /// <summary>Train the output bias.</summary>
    public bool TrainBout { get; init; }
    /// <summary>Initial output bias.</summary>
    public double Bout { get; init; }
    /// <summary>Train the initial state x0 (forced off in continuous mode).</summary>
    public bool TrainX0 { get; init; } = true;
    /// <summary>Initial value of x0 for every unit.</summary>
    public double X0 { get; init; } = 0.1;

    // ---- initialisation (the seed is a training setting) ----
    /// <summary>Initial spectral radius; null: 1.5 with Dale's law, 1.1 without (pycog's constants).</summary>
    public double? Rho0 { get; init; }
    /// <summary>Distribution of initial Win; null: uniform.</summary>
    public WeightDistribution? DistributionIn { get; init; }
    /// <summary>Distribution of initial Wrec; null: gamma with Dale's law, normal without.</summary>
    public WeightDistribution? DistributionRec { get; init; }
    /// <summary>Distribution of initial Wout; null: uniform.</summary>
    public WeightDistribution? DistributionOut { get; init; }
    /// <summary>Shape k of the gamma distribution.</summary>
    public double GammaK { get; init; } = 2;

    // ---- running trained networks ----
    /// <summary>Weights smaller than this in absolute value are zeroed when a trained network is run.</summary>
    public double Threshold { get; init; } = 1e-4;

    /// <summary>The effective time step (training).</summary>
    public double EffectiveDt => Dt ?? MinTau / 5;

    /// <summary>The smallest time constant, ms (the Euler step must not exceed it).</summary>
    public double MinTau => TauPerUnit is { Length: > 0 } t ? t.Min() : Tau;

    /// <summary>Time constant of unit <paramref name="i"/>.</summary>
    public double TauOf(int i) => TauPerUnit?[i] ?? Tau;

    /// <summary>True when Dale's law applies.</summary>
    public bool HasDale => Ei is not null;

    /// <summary>
    /// Fills every derived default (dt, distributions, the default recurrent mask, rho0, the
    /// continuous-mode override of x0 training), validates every parameter and returns the
    /// result. Warnings (for example a recurrent mask that is not strongly connected) are added
    /// to <paramref name="warnings"/> when given.
    /// </summary>
    public ResolvedNetworkConfig Resolve(ICollection<string>? warnings = null)
    {
        Check(N > 0, "N", $"must be positive, got {N}.");
        Check(Nin >= 0, "Nin", $"cannot be negative, got {Nin}.");
        Check(Nout > 0, "Nout", $"must be positive, got {Nout}.");
        // Every weight matrix is one float array, so N x N (and N x Nin, Nout x N) must fit in one.
        Check(N <= MaxUnits, "N", $"must be at most {MaxUnits} (an N x N weight matrix must fit in one array), got {N}.");
        Check((long)N * Nin <= MaxUnits * (long)MaxUnits, "Nin", $"N x Nin = {(long)N * Nin} weights do not fit in one array.");
        Check((long)N * Nout <= MaxUnits * (long)MaxUnits, "Nout", $"Nout x N = {(long)N * Nout} weights do not fit in one array.");
        if (Ei is not null)
        {
            Check(Ei.Length == N, "ei", $"has {Ei.Length} entries, expected N = {N}.");
            Check(Ei.All(e => e == 1 || e == -1), "ei", "entries must be +1 (excitatory) or -1 (inhibitory).");
        }
        Check(TauPerUnit is null ? Tau > 0 && Tau <= MaxMagnitude : TauPerUnit.Length == N && TauPerUnit.All(t => t > 0 && t <= MaxMagnitude),
            "tau", TauPerUnit is null ? $"must be positive and at most {MaxMagnitude:G} ms, got {Tau}." : $"needs {N} positive per-unit values of at most {MaxMagnitude:G} ms.");
        Check(TauIn > 0 && TauIn <= MaxMagnitude, "tau_in", $"must be positive and at most {MaxMagnitude:G} ms, got {TauIn}.");
        double dt = EffectiveDt;
        double tauMin = MinTau;
        Check(dt > 0 && double.IsFinite(dt), "dt", $"must be positive, got {dt}.");
        Check(dt <= tauMin, "dt", $"{dt} ms exceeds the time constant tau ({tauMin} ms): the Euler step would overshoot.");
        CheckShape(Cin, N, Nin, "Cin");
        CheckShape(Crec, N, N, "Crec");
        CheckShape(Cout, Nout, N, "Cout");
        VarIn.Validate("var_in", Nin);
        VarRec.Validate("var_rec", N);
        Check(Math.Abs(BaselineIn) <= MaxMagnitude, "baseline_in", $"must be finite and at most {MaxMagnitude:G} in size, got {BaselineIn}.");
        Check(GammaK > 0 && GammaK <= MaxMagnitude, "gamma_k", $"must be positive and at most {MaxMagnitude:G}, got {GammaK}.");
        Check(Rho0 is null or (> 0 and <= MaxRho0), "rho0", $"must be positive and at most {MaxRho0} (weights scaled further overflow single precision), got {Rho0}.");
        Check(Threshold >= 0 && double.IsFinite(Threshold), "threshold", $"must be finite and non-negative, got {Threshold}.");
        foreach (var (name, v) in new[] { ("x0", X0), ("brec", Brec), ("bout", Bout) })
            Check(Math.Abs(v) <= MaxMagnitude, name, $"must be finite and at most {MaxMagnitude:G} in size, got {v}.");

        // Resolving and training hold about a dozen N x N float matrices (masks, weights, gradients):
        // refuse an N that cannot fit before allocating the first one.
        double matrices = 12 * 4.0 * N * ((double)N + Nin + Nout), available = 0.8 * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        Check(matrices <= available, "N", $"N = {N} needs about {matrices / 1e9:F1} GB for its weight matrices alone, more than the {available / 1e9:F1} GB it may use on this machine.");
        var crec = Crec ?? new Connectivity(Ei is not null ? Connectivity.DefaultRecurrent(Ei) : Connectivity.DefaultRecurrent(N));
        if (warnings is not null)
        {
            var structure = new Matrix(N, N);
            for (int k = 0; k < structure.Data.Length; k++)
                structure.Data[k] = crec.PlasticMask.Data[k] != 0 || crec.Fixed.Data[k] != 0 ? 1 : 0;
            if (!Connectivity.IsStronglyConnected(structure))
                warnings.Add("Crec: the recurrent connection matrix is not strongly connected (some units cannot reach others).");
        }
        return new ResolvedNetworkConfig(this with
        {
            Dt = dt,
            Crec = crec,
            DistributionIn = DistributionIn ?? WeightDistribution.Uniform,
            DistributionRec = DistributionRec ?? (Ei is not null ? WeightDistribution.Gamma : WeightDistribution.Normal),
            DistributionOut = DistributionOut ?? WeightDistribution.Uniform,
            Rho0 = Rho0 ?? (Ei is not null ? 1.5 : 1.1),
            TrainX0 = Mode != RunMode.Continuous && TrainX0,
        });
    }

    /// <summary>Largest N: an N x N float matrix must fit in one .NET array.</summary>
    public const int MaxUnits = 46_340;
    /// <summary>Largest time constant (ms), bias, baseline or initial state accepted: beyond it single precision overflows.</summary>
    public const double MaxMagnitude = 1e6;
    /// <summary>Largest initial spectral radius accepted.</summary>
    public const double MaxRho0 = 1000;

    static void CheckShape(Connectivity? c, int rows, int cols, string name)
    {
        if (c is not null && (c.Rows != rows || c.Cols != cols))
            throw new ConfigurationException(name, $"is {c.Rows}x{c.Cols}, expected {rows}x{cols}.");
    }

    static void Check(bool ok, string parameter, string message) => ConfigurationException.Require(ok, parameter, message);

    /// <summary>pycog's names for every network parameter, for <c>--set name=value</c> and the network file.</summary>
    public static ParameterTable<NetworkConfig> Parameters { get; } = new ParameterTable<NetworkConfig>()
        .Add("N", c => Text.Of(c.N), (c, v) => c with { N = Text.Int("N", v) })
        .Add("Nin", c => Text.Of(c.Nin), (c, v) => c with { Nin = Text.Int("Nin", v) })
        .Add("Nout", c => Text.Of(c.Nout), (c, v) => c with { Nout = Text.Int("Nout", v) })
        .Add("tau", c => c.TauPerUnit is null ? Text.Of(c.Tau) : "per-unit", (c, v) => c with { Tau = Text.Double("tau", v), TauPerUnit = null })
        .Add("tau_in", c => Text.Of(c.TauIn), (c, v) => c with { TauIn = Text.Double("tau_in", v) })
        .Add("dt", c => Text.Of(c.EffectiveDt), (c, v) => c with { Dt = Text.Double("dt", v) })
        .Add("mode", c => Text.Snake(c.Mode), (c, v) => c with { Mode = Text.Enum<RunMode>("mode", v) })
        .Add("baseline_in", c => Text.Of(c.BaselineIn), (c, v) => c with { BaselineIn = Text.Double("baseline_in", v) })
        .Add("var_in", c => c.VarIn.ToString(), (c, v) => c with { VarIn = Text.Double("var_in", v) })
        .Add("var_rec", c => c.VarRec.ToString(), (c, v) => c with { VarRec = Text.Double("var_rec", v) })
        .Add("rectify_inputs", c => Text.Of(c.RectifyInputs), (c, v) => c with { RectifyInputs = Text.Bool("rectify_inputs", v) })
        .Add("train_brec", c => Text.Of(c.TrainBrec), (c, v) => c with { TrainBrec = Text.Bool("train_brec", v) })
        .Add("brec", c => Text.Of(c.Brec), (c, v) => c with { Brec = Text.Double("brec", v) })
        .Add("train_bout", c => Text.Of(c.TrainBout), (c, v) => c with { TrainBout = Text.Bool("train_bout", v) })
        .Add("bout", c => Text.Of(c.Bout), (c, v) => c with { Bout = Text.Double("bout", v) })
        .Add("train_x0", c => Text.Of(c.TrainX0), (c, v) => c with { TrainX0 = Text.Bool("train_x0", v) })
        .Add("x0", c => Text.Of(c.X0), (c, v) => c with { X0 = Text.Double("x0", v) })
        .Add("ei_positive_func", c => Text.Snake(c.EiPositiveFunc), (c, v) => c with { EiPositiveFunc = Text.Enum<PositiveFunction>("ei_positive_func", v) })
        .Add("hidden_activation", c => Text.Snake(c.HiddenActivation), (c, v) => c with { HiddenActivation = Text.Enum<HiddenActivation>("hidden_activation", v) })
        .Add("output_activation", c => Text.Snake(c.OutputActivation), (c, v) => c with { OutputActivation = Text.Enum<OutputActivation>("output_activation", v) })
        .Add("rho0", c => c.Rho0 is null ? "auto" : Text.Of(c.Rho0.Value), (c, v) => c with { Rho0 = Text.Double("rho0", v) })
        .Add("distribution_in", c => c.DistributionIn is null ? "auto" : Text.Snake(c.DistributionIn.Value), (c, v) => c with { DistributionIn = Text.Enum<WeightDistribution>("distribution_in", v) })
        .Add("distribution_rec", c => c.DistributionRec is null ? "auto" : Text.Snake(c.DistributionRec.Value), (c, v) => c with { DistributionRec = Text.Enum<WeightDistribution>("distribution_rec", v) })
        .Add("distribution_out", c => c.DistributionOut is null ? "auto" : Text.Snake(c.DistributionOut.Value), (c, v) => c with { DistributionOut = Text.Enum<WeightDistribution>("distribution_out", v) })
        .Add("gamma_k", c => Text.Of(c.GammaK), (c, v) => c with { GammaK = Text.Double("gamma_k", v) })
        .Add("threshold", c => Text.Of(c.Threshold), (c, v) => c with { Threshold = Text.Double("threshold", v) });
}
