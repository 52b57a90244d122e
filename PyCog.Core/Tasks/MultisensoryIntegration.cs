using PyCog.Network;
using PyCog.Numerics;

namespace PyCog.Tasks;

/// <summary>A multisensory trial's condition: the modality ("v", "a" or "va") and the event rate.</summary>
/// <param name="Modality">Visual "v", auditory "a" or both "va", pycog's modality.</param>
/// <param name="Frequency">Event rate, Hz, pycog's freq.</param>
public sealed record MultisensoryCondition([property: PycogName("modality")] string Modality, [property: PycogName("freq")] int Frequency) : TrialCondition;

/// <summary>
/// Multisensory integration, loosely after Raposo, Kaufman and Churchland (Nat Neurosci 2014):
/// a visual, an auditory or a combined stimulus flutters at 9-16 Hz; report whether the rate is
/// above 12.5 Hz. Inputs: 0 visual (+ tuned), 1 auditory (+), 2 visual (- tuned), 3 auditory (-),
/// 4 start cue. A third of the units receive visual input, another third auditory input.
/// Song, Yang and Wang (2016), Fig. 6.
/// </summary>
public sealed class MultisensoryIntegration : TwoAlternativeTask
{
    /// <summary>Modalities: visual, auditory, both.</summary>
    public static readonly string[] Modalities = ["v", "a", "va"];
    /// <summary>Stimulus rates, Hz.</summary>
    public static readonly int[] Freqs = [9, 10, 11, 12, 13, 14, 15, 16];
    /// <summary>Category boundary, Hz.</summary>
    public const double Boundary = 12.5;

    /// <summary>The task.</summary>
    public MultisensoryIntegration()
    {
        int n = 150;
        var ei = Connectivity.GenerateEi(n);
        int[] exc = Connectivity.Excitatory(ei), inh = Connectivity.Inhibitory(ei);
        int ne = exc.Length, ni = inh.Length;
        var visual = exc[..(ne / 3)].Concat(inh[..(ni / 3)]);
        var auditory = exc[(ne / 3)..(ne * 2 / 3)].Concat(inh[(ni / 3)..(ni * 2 / 3)]);
        var cin = new Matrix(n, 5);
        foreach (int i in visual) { cin[i, 0] = 1; cin[i, 2] = 1; }
        foreach (int i in auditory) { cin[i, 1] = 1; cin[i, 3] = 1; }
        Network = new NetworkConfig
        {
            Nin = 5, N = n, Nout = 2, Ei = ei, Cin = new Connectivity(cin), Cout = Connectivity.ExcitatoryReadout(n, 2),
        };
    }

    /// <inheritdoc/>
    public override string Name => "multisensory";
    /// <inheritdoc/>
    public override string Description => "Multisensory integration (Raposo et al. 2014); Fig. 6.";
    /// <inheritdoc/>
    public override NetworkConfig Network { get; }
    /// <inheritdoc/>
    public override TaskTrainingSettings Training { get; } = new() { ["n_validation"] = 100 * (Modalities.Length * Freqs.Length + 1) };
    /// <inheritdoc/>
    public override IReadOnlyList<ConditionAxis> ConditionAxes { get; } = [ConditionAxis.Of("modality", Modalities), ConditionAxis.Of("freq", Freqs)];
    /// <inheritdoc/>
    public override double CatchProbability => 5.0 / (Conditions + 1);
    /// <inheritdoc/>
    public override double CatchDuration => 2500;
    /// <inheritdoc/>
    public override double TargetPerformance => 90;

    /// <summary>Positively tuned input: 0.4 + 0.8 (f - 9) / 7.</summary>
    public static double Positive(double f) => 0.4 + 0.8 * (f - Freqs[0]) / (Freqs[^1] - Freqs[0]);
    /// <summary>Negatively tuned input: 0.4 + 0.8 (16 - f) / 7.</summary>
    public static double Negative(double f) => 0.4 + 0.8 * (Freqs[^1] - f) / (Freqs[^1] - Freqs[0]);

    /// <inheritdoc/>
    public override Trial GenerateTrial(Rng rng, double dt, TrialRequest request)
    {
        var condition = SelectCondition<MultisensoryCondition>(rng, request);
        if (condition is null) return CatchTrial(dt, request);
        var (modality, freq) = condition;
        int choice = freq > Boundary ? 0 : 1;
        var epochs = Epochs.Sequence(("fixation", request.Kind == TrialKind.Test ? 500 : 100), ("stimulus", 1000), ("decision", 300));
        var b = new TrialBuilder(dt, epochs, Network.Nin, Network.Nout, request);
        if (modality.Contains('v')) b.Input(0, "stimulus", Positive(freq)).Input(2, "stimulus", Negative(freq));
        if (modality.Contains('a')) b.Input(1, "stimulus", Positive(freq)).Input(3, "stimulus", Negative(freq));
        b.Input(4, "stimulus", 1).Input(4, "decision", 1);
        return DecisionTargets(b, choice).Build(Info(condition, choice));
    }
}
