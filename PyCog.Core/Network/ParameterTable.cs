using System.Globalization;

namespace PyCog.Network;

/// <summary>
/// pycog's parameter names (as in its <c>defaults.py</c>) mapped onto <see cref="NetworkConfig"/>:
/// used by <c>--set name=value</c> on the command line and to print a configuration as a table.
/// </summary>
public static class ParameterTable
{
    sealed record Entry(Func<NetworkConfig, string> Get, Func<NetworkConfig, string, NetworkConfig> Set);

    static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal)
    {
        ["N"] = new(c => S(c.N), (c, v) => c with { N = Int("N", v) }),
        ["Nin"] = new(c => S(c.Nin), (c, v) => c with { Nin = Int("Nin", v) }),
        ["Nout"] = new(c => S(c.Nout), (c, v) => c with { Nout = Int("Nout", v) }),
        ["tau"] = new(c => c.TauPerUnit is null ? S(c.Tau) : "per-unit", (c, v) => c with { Tau = Dbl("tau", v), TauPerUnit = null }),
        ["tau_in"] = new(c => S(c.TauIn), (c, v) => c with { TauIn = Dbl("tau_in", v) }),
        ["dt"] = new(c => S(c.EffectiveDt), (c, v) => c with { Dt = Dbl("dt", v) }),
        ["mode"] = new(c => Snake(c.Mode), (c, v) => c with { Mode = Enum<RunMode>("mode", v) }),
        ["baseline_in"] = new(c => S(c.BaselineIn), (c, v) => c with { BaselineIn = Dbl("baseline_in", v) }),
        ["var_in"] = new(c => c.VarIn.ToString(), (c, v) => c with { VarIn = Dbl("var_in", v) }),
        ["var_rec"] = new(c => c.VarRec.ToString(), (c, v) => c with { VarRec = Dbl("var_rec", v) }),
        ["rectify_inputs"] = new(c => S(c.RectifyInputs), (c, v) => c with { RectifyInputs = Bool("rectify_inputs", v) }),
        ["train_brec"] = new(c => S(c.TrainBrec), (c, v) => c with { TrainBrec = Bool("train_brec", v) }),
        ["brec"] = new(c => S(c.Brec), (c, v) => c with { Brec = Dbl("brec", v) }),
        ["train_bout"] = new(c => S(c.TrainBout), (c, v) => c with { TrainBout = Bool("train_bout", v) }),
        ["bout"] = new(c => S(c.Bout), (c, v) => c with { Bout = Dbl("bout", v) }),
        ["train_x0"] = new(c => S(c.TrainX0), (c, v) => c with { TrainX0 = Bool("train_x0", v) }),
        ["x0"] = new(c => S(c.X0), (c, v) => c with { X0 = Dbl("x0", v) }),
        ["ei_positive_func"] = new(c => Snake(c.EiPositiveFunc), (c, v) => c with { EiPositiveFunc = Enum<PositiveFunction>("ei_positive_func", v) }),
        ["hidden_activation"] = new(c => Snake(c.HiddenActivation), (c, v) => c with { HiddenActivation = Enum<HiddenActivation>("hidden_activation", v) }),
        ["output_activation"] = new(c => Snake(c.OutputActivation), (c, v) => c with { OutputActivation = Enum<OutputActivation>("output_activation", v) }),
        ["seed"] = new(c => S(c.Seed), (c, v) => c with { Seed = Long("seed", v) }),
        ["gradient_seed"] = new(c => S(c.GradientSeed), (c, v) => c with { GradientSeed = Long("gradient_seed", v) }),
        ["validation_seed"] = new(c => S(c.ValidationSeed), (c, v) => c with { ValidationSeed = Long("validation_seed", v) }),
        ["rho0"] = new(c => c.Rho0 is null ? "auto" : S(c.Rho0.Value), (c, v) => c with { Rho0 = Dbl("rho0", v) }),
        ["distribution_in"] = new(c => c.DistributionIn is null ? "auto" : Snake(c.DistributionIn.Value), (c, v) => c with { DistributionIn = Enum<WeightDistribution>("distribution_in", v) }),
        ["distribution_rec"] = new(c => c.DistributionRec is null ? "auto" : Snake(c.DistributionRec.Value), (c, v) => c with { DistributionRec = Enum<WeightDistribution>("distribution_rec", v) }),
        ["distribution_out"] = new(c => c.DistributionOut is null ? "auto" : Snake(c.DistributionOut.Value), (c, v) => c with { DistributionOut = Enum<WeightDistribution>("distribution_out", v) }),
        ["gamma_k"] = new(c => S(c.GammaK), (c, v) => c with { GammaK = Dbl("gamma_k", v) }),
        ["lambda_Omega"] = new(c => S(c.LambdaOmega), (c, v) => c with { LambdaOmega = Dbl("lambda_Omega", v) }),
        ["lambda1_in"] = new(c => S(c.Lambda1In), (c, v) => c with { Lambda1In = Dbl("lambda1_in", v) }),
        ["lambda1_rec"] = new(c => S(c.Lambda1Rec), (c, v) => c with { Lambda1Rec = Dbl("lambda1_rec", v) }),
        ["lambda1_out"] = new(c => S(c.Lambda1Out), (c, v) => c with { Lambda1Out = Dbl("lambda1_out", v) }),
        ["lambda2_in"] = new(c => S(c.Lambda2In), (c, v) => c with { Lambda2In = Dbl("lambda2_in", v) }),
        ["lambda2_rec"] = new(c => S(c.Lambda2Rec), (c, v) => c with { Lambda2Rec = Dbl("lambda2_rec", v) }),
        ["lambda2_out"] = new(c => S(c.Lambda2Out), (c, v) => c with { Lambda2Out = Dbl("lambda2_out", v) }),
        ["lambda2_r"] = new(c => S(c.Lambda2R), (c, v) => c with { Lambda2R = Dbl("lambda2_r", v) }),
        ["learning_rate"] = new(c => S(c.LearningRate), (c, v) => c with { LearningRate = Dbl("learning_rate", v) }),
        ["max_gradient_norm"] = new(c => S(c.MaxGradientNorm), (c, v) => c with { MaxGradientNorm = Dbl("max_gradient_norm", v) }),
        ["bound"] = new(c => S(c.Bound), (c, v) => c with { Bound = Dbl("bound", v) }),
        ["n_gradient"] = new(c => S(c.NGradient), (c, v) => c with { NGradient = Int("n_gradient", v) }),
        ["n_validation"] = new(c => S(c.NValidation), (c, v) => c with { NValidation = Int("n_validation", v) }),
        ["checkfreq"] = new(c => c.CheckFreq is null ? "auto" : S(c.CheckFreq.Value), (c, v) => c with { CheckFreq = Int("checkfreq", v) }),
        ["patience"] = new(c => c.Patience is null ? "auto" : S(c.Patience.Value), (c, v) => c with { Patience = Int("patience", v) }),
        ["min_error"] = new(c => S(c.MinError), (c, v) => c with { MinError = Dbl("min_error", v) }),
        ["max_iter"] = new(c => S(c.MaxIter), (c, v) => c with { MaxIter = Long("max_iter", v) }),
        ["threshold"] = new(c => S(c.Threshold), (c, v) => c with { Threshold = Dbl("threshold", v) }),
    };

    /// <summary>Every settable parameter name, sorted.</summary>
    public static IReadOnlyList<string> Names => Entries.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Returns <paramref name="config"/> with parameter <paramref name="name"/> set from text.</summary>
    public static NetworkConfig Set(NetworkConfig config, string name, string value) =>
        Entries.TryGetValue(name, out var e) ? e.Set(config, value)
        : throw new ConfigurationException(name, $"is not a parameter. Known parameters: {string.Join(", ", Names)}.");

    /// <summary>Applies "name=value" assignments in order.</summary>
    public static NetworkConfig Apply(NetworkConfig config, IEnumerable<string> assignments)
    {
        foreach (var a in assignments)
        {
            int eq = a.IndexOf('=');
            if (eq <= 0) throw new ConfigurationException(a, "expected name=value.");
            config = Set(config, a[..eq].Trim(), a[(eq + 1)..].Trim());
        }
        return config;
    }

    /// <summary>Every parameter with its value, in pycog's names (what pycog printed as settings).</summary>
    public static IReadOnlyList<(string Name, string Value)> Describe(NetworkConfig config) =>
        Names.Select(n => (n, Entries[n].Get(config))).ToList();

    static string S(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    static string S(long v) => v.ToString(CultureInfo.InvariantCulture);
    static string S(bool v) => v ? "true" : "false";
    static string Snake<T>(T v) where T : struct, Enum =>
        string.Concat(v.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) ? "_" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));

    static double Dbl(string name, string v) =>
        double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d
        : throw new ConfigurationException(name, $"'{v}' is not a number.");
    static int Int(string name, string v) =>
        int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue ? (int)d
        : throw new ConfigurationException(name, $"'{v}' is not an integer.");
    static long Long(string name, string v) =>
        long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long i) ? i
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d) && Math.Abs(d) < 9e18 ? (long)d
        : throw new ConfigurationException(name, $"'{v}' is not an integer.");
    static bool Bool(string name, string v) => v.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new ConfigurationException(name, $"'{v}' is not true or false."),
    };
    static T Enum<T>(string name, string v) where T : struct, Enum
    {
        foreach (var value in System.Enum.GetValues<T>())
            if (string.Equals(Snake(value), v, StringComparison.OrdinalIgnoreCase) || string.Equals(value.ToString(), v, StringComparison.OrdinalIgnoreCase))
                return value;
        throw new ConfigurationException(name, $"'{v}' is not one of {string.Join(", ", System.Enum.GetValues<T>().Select(Snake))}.");
    }
}
