using PyCog.Network;
using PyCog.Tasks;
using PyCog.Training.Optimizers;
using Text = PyCog.Network.ParameterText;

namespace PyCog.Training;

/// <summary>
/// How a network is trained, with pycog's defaults (its <c>defaults.py</c>): the objective's
/// regularisers, the optimiser and its learning rate, minibatch and validation sizes, validation
/// frequency, termination and the three seeds. What the network is lives in
/// <see cref="NetworkConfig"/>; <see cref="RunParameters"/> sets both by pycog's flat names.
/// </summary>
public sealed record TrainingConfig
{
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
    /// <summary>Smallest ||dL/dx_t||^2 counted by Omega.</summary>
    public double Bound { get; init; } = 1e-20;

    // ---- optimisation ----
    /// <summary>
    /// The optimiser's registered name (<see cref="OptimizerRegistry"/>): pycog's plain SGD
    /// (<c>sgd</c>, the default), <c>adam</c>, or one a user registered.
    /// </summary>
    public string Optimizer { get; init; } = Sgd.Id;
    /// <summary>Learning rate; null: the optimiser's default (0.01 for SGD, pycog's; 0.001 for Adam, Kingma and Ba's).</summary>
    public double? LearningRate { get; init; }
    /// <summary>Adam's decay rate of the first-moment estimate.</summary>
    public double AdamBeta1 { get; init; } = 0.9;
    /// <summary>Adam's decay rate of the second-moment estimate.</summary>
    public double AdamBeta2 { get; init; } = 0.999;
    /// <summary>Adam's epsilon, added to the root of the second moment.</summary>
    public double AdamEpsilon { get; init; } = 1e-8;
    /// <summary>Global gradient norm above which gradients are rescaled.</summary>
    public double MaxGradientNorm { get; init; } = 1;
    /// <summary>Trials per gradient minibatch (forced to 1 in continuous mode).</summary>
    public int NGradient { get; init; } = 20;
    /// <summary>Trials per validation.</summary>
    public int NValidation { get; init; } = 1000;
    /// <summary>Gradient steps between validations; null: 10^4 / NGradient.</summary>
    public int? CheckFreq { get; init; }
    /// <summary>Steps without a new best before giving up; null: 100 CheckFreq.</summary>
    public long? Patience { get; init; }
    /// <summary>Stop when validation RMSE falls to this value.</summary>
    public double MinError { get; init; }
    /// <summary>Maximum number of gradient steps.</summary>
    public long MaxIter { get; init; } = 10_000_000;

    // ---- seeds ----
    /// <summary>Seed of the weight initialisation (pycog's <c>seed</c>; <c>--seed</c> sets it).</summary>
    public long Seed { get; init; } = 1234;
    /// <summary>Seed of the gradient dataset.</summary>
    public long GradientSeed { get; init; } = 11;
    /// <summary>Seed of the validation dataset.</summary>
    public long ValidationSeed { get; init; } = 22;

    /// <summary>
    /// The reproducibility contract: how the random draws and the gradient sums are ordered, so
    /// that equal seeds and settings give equal bits. 2 (the default): a stream per trial, drawn
    /// on every core, and gradients summed in blocks of trials (see <see cref="Dataset"/> and
    /// <see cref="FusedEngine.Contract"/>). 1: one stream per dataset, drawn on one thread, and
    /// gradients summed in step order (files written before contract 2). Both give the same bits
    /// on any number of threads; a file records the one it was written under.
    /// </summary>
    public int Reproducibility { get; init; } = 2;

    /// <summary>Learning rate in force (learning_rate, or the optimiser's default).</summary>
    public double EffectiveLearningRate => LearningRate ?? OptimizerRegistry.Find(Optimizer).DefaultLearningRate;

    /// <summary>Validation frequency in force (checkfreq, or its default).</summary>
    public int CheckFrequency => CheckFreq ?? Math.Max(1, 10_000 / NGradient);
    /// <summary>Patience in force (patience, or its default).</summary>
    public long PatienceSteps => Patience ?? 100L * CheckFrequency;

    /// <summary>pycog's defaults with a task's own choices (<see cref="CognitiveTask.Training"/>) applied.</summary>
    public static TrainingConfig For(CognitiveTask task)
    {
        var config = new TrainingConfig();
        foreach (var (name, value) in task.Training) config = Parameters.Set(config, name, value);
        return config;
    }

    /// <summary>
    /// Validates every setting for <paramref name="network"/> (each check names its parameter)
    /// and applies continuous mode's one trial per gradient step. Warnings go to
    /// <paramref name="warnings"/> when given.
    /// </summary>
    public TrainingConfig Resolve(NetworkConfig network, ICollection<string>? warnings = null)
    {
        OptimizerRegistry.Find(Optimizer);   // an unknown name fails here, naming the known ones
        foreach (var (name, v) in new[] { ("lambda_Omega", LambdaOmega), ("lambda1_in", Lambda1In), ("lambda1_rec", Lambda1Rec),
                     ("lambda1_out", Lambda1Out), ("lambda2_in", Lambda2In), ("lambda2_rec", Lambda2Rec), ("lambda2_out", Lambda2Out),
                     ("lambda2_r", Lambda2R), ("min_error", MinError) })
            ConfigurationException.Require(v >= 0 && double.IsFinite(v), name, $"must be finite and non-negative, got {v}.");
        ConfigurationException.Require(EffectiveLearningRate > 0 && double.IsFinite(EffectiveLearningRate), "learning_rate", $"must be positive and finite, got {LearningRate}.");
        ConfigurationException.Require(AdamBeta1 >= 0 && AdamBeta1 < 1, "adam_beta1", $"must be in [0, 1), got {AdamBeta1}.");
        ConfigurationException.Require(AdamBeta2 >= 0 && AdamBeta2 < 1, "adam_beta2", $"must be in [0, 1), got {AdamBeta2}.");
        ConfigurationException.Require(AdamEpsilon > 0 && double.IsFinite(AdamEpsilon), "adam_epsilon", $"must be positive and finite, got {AdamEpsilon}.");
        ConfigurationException.Require(MaxGradientNorm > 0 && double.IsFinite(MaxGradientNorm), "max_gradient_norm", $"must be positive and finite, got {MaxGradientNorm}.");
        ConfigurationException.Require(Bound >= 0 && double.IsFinite(Bound), "bound", $"must be finite and non-negative, got {Bound}.");
        ConfigurationException.Require(NGradient > 0, "n_gradient", $"must be positive, got {NGradient}.");
        ConfigurationException.Require(NValidation > 0, "n_validation", $"must be positive, got {NValidation}.");
        ConfigurationException.Require(CheckFreq is null or > 0, "checkfreq", $"must be positive, got {CheckFreq}.");
        ConfigurationException.Require(Patience is null or > 0, "patience", $"must be positive, got {Patience}.");
        ConfigurationException.Require(MaxIter > 0, "max_iter", $"must be positive, got {MaxIter}.");
        ConfigurationException.Require(Reproducibility is 1 or 2, "reproducibility", $"must be 1 or 2, got {Reproducibility}.");
        if (network.Mode != RunMode.Continuous) return this;
        if (NGradient != 1) warnings?.Add("mode: continuous mode trains one trial per step, so n_gradient is set to 1.");
        return this with { NGradient = 1 };   // checkfreq and patience defaults follow from one trial per step
    }

    /// <summary>pycog's names for every training parameter, for <c>--set name=value</c> and the network file.</summary>
    public static ParameterTable<TrainingConfig> Parameters { get; } = new ParameterTable<TrainingConfig>()
        .Add("lambda_Omega", c => Text.Of(c.LambdaOmega), (c, v) => c with { LambdaOmega = Text.Double("lambda_Omega", v) })
        .Add("lambda1_in", c => Text.Of(c.Lambda1In), (c, v) => c with { Lambda1In = Text.Double("lambda1_in", v) })
        .Add("lambda1_rec", c => Text.Of(c.Lambda1Rec), (c, v) => c with { Lambda1Rec = Text.Double("lambda1_rec", v) })
        .Add("lambda1_out", c => Text.Of(c.Lambda1Out), (c, v) => c with { Lambda1Out = Text.Double("lambda1_out", v) })
        .Add("lambda2_in", c => Text.Of(c.Lambda2In), (c, v) => c with { Lambda2In = Text.Double("lambda2_in", v) })
        .Add("lambda2_rec", c => Text.Of(c.Lambda2Rec), (c, v) => c with { Lambda2Rec = Text.Double("lambda2_rec", v) })
        .Add("lambda2_out", c => Text.Of(c.Lambda2Out), (c, v) => c with { Lambda2Out = Text.Double("lambda2_out", v) })
        .Add("lambda2_r", c => Text.Of(c.Lambda2R), (c, v) => c with { Lambda2R = Text.Double("lambda2_r", v) })
        .Add("bound", c => Text.Of(c.Bound), (c, v) => c with { Bound = Text.Double("bound", v) })
        .Add("optimizer", c => c.Optimizer, (c, v) => c with { Optimizer = OptimizerRegistry.Find(v).Name })
        .Add("learning_rate", c => Text.Of(c.EffectiveLearningRate), (c, v) => c with { LearningRate = Text.Double("learning_rate", v) })
        .Add("adam_beta1", c => Text.Of(c.AdamBeta1), (c, v) => c with { AdamBeta1 = Text.Double("adam_beta1", v) })
        .Add("adam_beta2", c => Text.Of(c.AdamBeta2), (c, v) => c with { AdamBeta2 = Text.Double("adam_beta2", v) })
        .Add("adam_epsilon", c => Text.Of(c.AdamEpsilon), (c, v) => c with { AdamEpsilon = Text.Double("adam_epsilon", v) })
        .Add("max_gradient_norm", c => Text.Of(c.MaxGradientNorm), (c, v) => c with { MaxGradientNorm = Text.Double("max_gradient_norm", v) })
        .Add("n_gradient", c => Text.Of(c.NGradient), (c, v) => c with { NGradient = Text.Int("n_gradient", v) })
        .Add("n_validation", c => Text.Of(c.NValidation), (c, v) => c with { NValidation = Text.Int("n_validation", v) })
        .Add("checkfreq", c => c.CheckFreq is null ? "auto" : Text.Of(c.CheckFreq.Value), (c, v) => c with { CheckFreq = Text.Int("checkfreq", v) })
        .Add("patience", c => c.Patience is null ? "auto" : Text.Of(c.Patience.Value), (c, v) => c with { Patience = Text.Long("patience", v) })
        .Add("min_error", c => Text.Of(c.MinError), (c, v) => c with { MinError = Text.Double("min_error", v) })
        .Add("max_iter", c => Text.Of(c.MaxIter), (c, v) => c with { MaxIter = Text.Long("max_iter", v) })
        .Add("seed", c => Text.Of(c.Seed), (c, v) => c with { Seed = Text.Long("seed", v) })
        .Add("gradient_seed", c => Text.Of(c.GradientSeed), (c, v) => c with { GradientSeed = Text.Long("gradient_seed", v) })
        .Add("validation_seed", c => Text.Of(c.ValidationSeed), (c, v) => c with { ValidationSeed = Text.Long("validation_seed", v) })
        .Add("reproducibility", c => Text.Of(c.Reproducibility), (c, v) => c with { Reproducibility = Text.Int("reproducibility", v) });
}

/// <summary>
/// pycog's flat parameter names over both halves of a run's settings, the network's and the
/// training's: what <c>--set name=value</c> takes and what a network file's <c>config</c> holds.
/// </summary>
public static class RunParameters
{
    /// <summary>Every parameter name of both tables, sorted.</summary>
    public static IReadOnlyList<string> Names =>
        NetworkConfig.Parameters.Names.Concat(TrainingConfig.Parameters.Names).Order(StringComparer.Ordinal).ToList();

    /// <summary>Sets one parameter, in whichever half it belongs to.</summary>
    public static (NetworkConfig Network, TrainingConfig Training) Set(NetworkConfig network, TrainingConfig training, string name, string value) =>
        NetworkConfig.Parameters.Contains(name) ? (NetworkConfig.Parameters.Set(network, name, value), training)
        : TrainingConfig.Parameters.Contains(name) ? (network, TrainingConfig.Parameters.Set(training, name, value))
        : throw new ConfigurationException(name, $"is not a parameter. Known parameters: {string.Join(", ", Names)}.");

    /// <summary>Applies "name=value" assignments in order.</summary>
    public static (NetworkConfig Network, TrainingConfig Training) Apply(NetworkConfig network, TrainingConfig training, IEnumerable<string> assignments)
    {
        foreach (var a in assignments)
        {
            var (name, value) = ParameterTable<NetworkConfig>.Split(a);
            (network, training) = Set(network, training, name, value);
        }
        return (network, training);
    }

    /// <summary>Every parameter of both halves with its value, sorted by name (what pycog printed as its settings).</summary>
    public static IReadOnlyList<(string Name, string Value)> Describe(NetworkConfig network, TrainingConfig training) =>
        NetworkConfig.Parameters.Describe(network).Concat(TrainingConfig.Parameters.Describe(training)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
}
