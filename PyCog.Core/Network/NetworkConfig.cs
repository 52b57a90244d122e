using PyCog.Numerics;

namespace PyCog.Network;

/// <summary>
/// Every parameter of a network and its training, with pycog's defaults (its <c>defaults.py</c>).
/// A task sets only what differs. Names follow .NET casing; <see cref="ParameterTable"/> maps
/// pycog's names (<c>var_rec</c>, <c>lambda_Omega</c> ...) onto them.
/// Call <see cref="Resolve"/> to fill derived defaults and validate: every check names the
/// parameter it rejects.
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

    // ---- initialisation ----
    /// <summary>Seed of the weight initialisation.</summary>
    public long Seed { get; init; } = 1234;
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

    // ---- objective ----
    /// <summary>Multiplier of the vanishing-gradient regulariser Omega.</summary>
    public double LambdaOmega { get; init; } = 2;
    /// <summary>L1 penalty on raw Win (mean |W|).</summary>
    public double Lambda1In { get; init; }
    /// <summary>L1 penalty on raw Wrec.</summary>
    public double Lambda1Rec { get; init; }
    /// <summary>L1 penalty on raw Wout.</summary>
    public double Lambda1Out { get; init; }
    /// <summary>L2 penalty on raw Win (mean W^2).</summary>
    public double Lambda2In { get; init; }
    /// <summary>L2 penalty on raw Wrec.</summary>
    public double Lambda2Rec { get; init; }
    /// <summary>L2 penalty on raw Wout.</summary>
    public double Lambda2Out { get; init; }
    /// <summary>L2 penalty on firing rates (mean r^2).</summary>
    public double Lambda2R { get; init; }

    // ---- optimisation ----
    /// <summary>SGD learning rate.</summary>
    public double LearningRate { get; init; } = 0.01;
    /// <summary>Global gradient norm above which gradients are rescaled.</summary>
    public double MaxGradientNorm { get; init; } = 1;
    /// <summary>Smallest ||dL/dx_t||^2 counted by Omega.</summary>
    public double Bound { get; init; } = 1e-20;
    /// <summary>Trials per gradient minibatch (forced to 1 in continuous mode).</summary>
    public int NGradient { get; init; } = 20;
    /// <summary>Trials per validation.</summary>
    public int NValidation { get; init; } = 1000;
    /// <summary>Seed of the gradient dataset.</summary>
    public long GradientSeed { get; init; } = 11;
    /// <summary>Seed of the validation dataset.</summary>
    public long ValidationSeed { get; init; } = 22;
    /// <summary>Gradient steps between validations; null: 10^4 / NGradient.</summary>
    public int? CheckFreq { get; init; }
    /// <summary>Steps without a new best before giving up; null: 100 CheckFreq.</summary>
    public int? Patience { get; init; }
    /// <summary>Stop when validation RMSE falls to this value.</summary>
    public double MinError { get; init; }
    /// <summary>Maximum number of gradient steps.</summary>
    public long MaxIter { get; init; } = 10_000_000;

    // ---- running trained networks ----
    /// <summary>Weights smaller than this in absolute value are zeroed when a trained network is run.</summary>
    public double Threshold { get; init; } = 1e-4;

    /// <summary>The effective time step (training).</summary>
    public double EffectiveDt => Dt ?? (TauPerUnit is { Length: > 0 } t ? t.Min() : Tau) / 5;

    /// <summary>Time constant of unit <paramref name="i"/>.</summary>
    public double TauOf(int i) => TauPerUnit?[i] ?? Tau;

    /// <summary>True when Dale's law applies.</summary>
    public bool HasDale => Ei is not null;

    /// <summary>
    /// Fills every derived default (dt, distributions, the default recurrent mask, checkfreq,
    /// patience, continuous-mode overrides), validates every parameter and returns the result.
    /// Warnings (for example a recurrent mask that is not strongly connected) are added to
    /// <paramref name="warnings"/> when given.
    /// </summary>
    public NetworkConfig Resolve(ICollection<string>? warnings = null)
    {
        Check(N > 0, "N", $"must be positive, got {N}.");
        Check(Nin >= 0, "Nin", $"cannot be negative, got {Nin}.");
        Check(Nout > 0, "Nout", $"must be positive, got {Nout}.");
        if (Ei is not null)
        {
            Check(Ei.Length == N, "ei", $"has {Ei.Length} entries, expected N = {N}.");
            Check(Ei.All(e => e == 1 || e == -1), "ei", "entries must be +1 (excitatory) or -1 (inhibitory).");
        }
        Check(TauPerUnit is null ? Tau > 0 && double.IsFinite(Tau) : TauPerUnit.Length == N && TauPerUnit.All(t => t > 0 && double.IsFinite(t)),
            "tau", TauPerUnit is null ? $"must be positive, got {Tau}." : $"needs {N} positive per-unit values.");
        Check(TauIn > 0 && double.IsFinite(TauIn), "tau_in", $"must be positive, got {TauIn}.");
        double dt = EffectiveDt;
        double tauMin = TauPerUnit?.Min() ?? Tau;
        Check(dt > 0 && double.IsFinite(dt), "dt", $"must be positive, got {dt}.");
        Check(dt <= tauMin, "dt", $"({dt} ms) exceeds the time constant tau ({tauMin} ms): the Euler step would overshoot.");
        CheckShape(Cin, N, Nin, "Cin");
        CheckShape(Crec, N, N, "Crec");
        CheckShape(Cout, Nout, N, "Cout");
        VarIn.Validate("var_in", Nin);
        VarRec.Validate("var_rec", N);
        foreach (var (name, v) in new[] { ("lambda_Omega", LambdaOmega), ("lambda1_in", Lambda1In), ("lambda1_rec", Lambda1Rec),
                     ("lambda1_out", Lambda1Out), ("lambda2_in", Lambda2In), ("lambda2_rec", Lambda2Rec), ("lambda2_out", Lambda2Out),
                     ("lambda2_r", Lambda2R), ("min_error", MinError), ("baseline_in", Math.Abs(BaselineIn)) })
            Check(v >= 0 && double.IsFinite(v), name, $"must be finite and non-negative, got {v}.");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), "learning_rate", $"must be positive, got {LearningRate}.");
        Check(MaxGradientNorm > 0, "max_gradient_norm", $"must be positive, got {MaxGradientNorm}.");
        Check(Bound >= 0, "bound", $"cannot be negative, got {Bound}.");
        Check(NGradient > 0, "n_gradient", $"must be positive, got {NGradient}.");
        Check(NValidation > 0, "n_validation", $"must be positive, got {NValidation}.");
        Check(CheckFreq is null or > 0, "checkfreq", $"must be positive, got {CheckFreq}.");
        Check(Patience is null or > 0, "patience", $"must be positive, got {Patience}.");
        Check(MaxIter > 0, "max_iter", $"must be positive, got {MaxIter}.");
        Check(GammaK > 0, "gamma_k", $"must be positive, got {GammaK}.");
        Check(Rho0 is null or > 0, "rho0", $"must be positive, got {Rho0}.");
        Check(Threshold >= 0, "threshold", $"cannot be negative, got {Threshold}.");
        Check(double.IsFinite(X0) && double.IsFinite(Brec) && double.IsFinite(Bout), "x0/brec/bout", "must be finite.");

        var crec = Crec ?? new Connectivity(Ei is not null ? Connectivity.DefaultRecurrent(Ei) : Connectivity.DefaultRecurrent(N));
        if (warnings is not null)
        {
            var structure = new Matrix(N, N);
            for (int k = 0; k < structure.Data.Length; k++)
                structure.Data[k] = crec.PlasticMask.Data[k] != 0 || crec.Fixed.Data[k] != 0 ? 1 : 0;
            if (!Connectivity.IsStronglyConnected(structure))
                warnings.Add("Crec: the recurrent connection matrix is not strongly connected (some units cannot reach others).");
        }
        int nGradient = Mode == RunMode.Continuous ? 1 : NGradient;
        if (Mode == RunMode.Continuous && NGradient != 1) warnings?.Add("mode: continuous mode trains one trial per step, so n_gradient is set to 1.");
        return this with
        {
            Dt = dt,
            Crec = crec,
            DistributionIn = DistributionIn ?? WeightDistribution.Uniform,
            DistributionRec = DistributionRec ?? (Ei is not null ? WeightDistribution.Gamma : WeightDistribution.Normal),
            DistributionOut = DistributionOut ?? WeightDistribution.Uniform,
            Rho0 = Rho0 ?? (Ei is not null ? 1.5 : 1.1),
            NGradient = nGradient,
            TrainX0 = Mode != RunMode.Continuous && TrainX0,
            CheckFreq = CheckFreq ?? Math.Max(1, 10_000 / nGradient),
            Patience = Patience ?? 100 * (CheckFreq ?? Math.Max(1, 10_000 / nGradient)),
        };
    }

    static void CheckShape(Connectivity? c, int rows, int cols, string name)
    {
        if (c is not null && (c.Rows != rows || c.Cols != cols))
            throw new ConfigurationException(name, $"is {c.Rows}x{c.Cols}, expected {rows}x{cols}.");
    }

    static void Check(bool ok, string parameter, string message)
    {
        if (!ok) throw new ConfigurationException(parameter, message);
    }
}
