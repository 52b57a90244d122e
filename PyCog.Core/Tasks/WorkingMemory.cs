using PyCog.Network;
using PyCog.Numerics;

namespace PyCog.Tasks;

/// <summary>A working-memory trial's condition (Romo et al.): the frequency pair, its order, and f1 and f2.</summary>
/// <param name="Pair">The two frequencies, pycog's fpair.</param>
/// <param name="GtLt">"&gt;" when f1 &gt; f2, "&lt;" otherwise, pycog's gt_lt.</param>
/// <param name="F1">First frequency, Hz.</param>
/// <param name="F2">Second frequency, Hz.</param>
public sealed record RomoCondition(
    [property: PycogName("fpair")] FrequencyPair Pair, [property: PycogName("gt_lt")] string GtLt,
    [property: PycogName("f1")] int F1, [property: PycogName("f2")] int F2) : TrialCondition;

/// <summary>
/// Parametric working memory, after Romo, Brody, Hernández and Lemus (Nature 1999): a first
/// vibration frequency f1, a 2.5-3.5 s delay, a second frequency f2; report whether f1 &gt; f2.
/// Inputs: 0 positively and 1 negatively tuned to frequency. 500 units with sparse recurrence
/// (<c>generate_Crec</c>, p_exc 0.1, p_inh 0.5, seed 1066). Performance is the lowest percent
/// correct over conditions. Song, Yang and Wang (2016), Fig. 7.
/// </summary>
public sealed class WorkingMemory : TwoAlternativeTask
{
    /// <summary>Frequency pairs, Hz (larger, smaller).</summary>
    public static readonly FrequencyPair[] Pairs = [new(18, 10), new(22, 14), new(26, 18), new(30, 22), new(34, 26)];
    /// <summary>Whether f1 is the larger (&gt;) or the smaller (&lt;) of the pair.</summary>
    public static readonly string[] GtLts = [">", "<"];
    const int FMin = 10, FMax = 34;

    /// <summary>The task.</summary>
    public WorkingMemory()
    {
        var ei = Connectivity.GenerateEi(500);
        Network = new NetworkConfig
        {
            Nin = 2, N = 500, Nout = 2, Ei = ei,
            Crec = new Connectivity(Connectivity.GenerateCrec(ei, 0.1, 0.5, 1066)),
            Cout = Connectivity.ExcitatoryReadout(500, 2),
        };
    }

    /// <inheritdoc/>
    public override string Name => "romo";
    /// <inheritdoc/>
    public override string Description => "Parametric working memory (Romo et al. 1999); Fig. 7.";
    /// <inheritdoc/>
    public override NetworkConfig Network { get; }
    /// <inheritdoc/>
    public override TaskTrainingSettings Training { get; } = new() { ["n_validation"] = 100 * (Pairs.Length * GtLts.Length + 1) };
    /// <inheritdoc/>
    public override IReadOnlyList<ConditionAxis> ConditionAxes { get; } = [ConditionAxis.Of("fpair", Pairs), ConditionAxis.Of("gt_lt", GtLts)];
    /// <inheritdoc/>
    public override double CatchDuration => 2500;
    /// <inheritdoc/>
    public override double TargetPerformance => 85;
    /// <inheritdoc/>
    public override string Criterion => $"lowest % correct over conditions >= {TargetPerformance} at the last validation";

    /// <summary>Positively tuned input: 0.4 + 0.8 (f - 10) / 24.</summary>
    public static double Positive(double f) => 0.4 + 0.8 * (f - FMin) / (FMax - FMin);
    /// <summary>Negatively tuned input: 0.4 + 0.8 (34 - f) / 24.</summary>
    public static double Negative(double f) => 0.4 + 0.8 * (FMax - f) / (FMax - FMin);

    /// <inheritdoc/>
    public override Trial GenerateTrial(Rng rng, double dt, TrialRequest request)
    {
        var condition = SelectConditionValues(rng, request);
        if (condition is null) return CatchTrial(dt, request);
        var pair = (FrequencyPair)condition["fpair"];
        string gtLt = (string)condition["gt_lt"];
        bool greater = gtLt == ">";
        int f1 = greater ? pair.High : pair.Low, f2 = greater ? pair.Low : pair.High;
        int choice = greater ? 0 : 1;
        bool test = request.Kind == TrialKind.Test;
        double delay = test ? 3000 : TaskTools.Uniform(rng, dt, 2500, 3500);
        var epochs = Epochs.Sequence(("fixation", test ? 500 : 100), ("f1", 500), ("delay", delay), ("f2", 500), ("decision", 300));
        var b = new TrialBuilder(dt, epochs, Network.Nin, Network.Nout, request)
            .Input(0, "f1", Positive(f1)).Input(1, "f1", Negative(f1))
            .Input(0, "f2", Positive(f2)).Input(1, "f2", Negative(f2));
        return DecisionTargets(b, choice).Build(Info(new RomoCondition(pair, gtLt, f1, f2), choice));
    }

    /// <inheritdoc/>
    public override double? Performance(IReadOnlyList<Trial> trials, BatchOutputs z) => Tasks.Performance.TwoAfcMinCondition(trials, z);

    /// <inheritdoc/>
    public override bool Terminate(IReadOnlyList<double> performanceHistory) =>
        performanceHistory.Count > 0 && performanceHistory[^1] >= TargetPerformance;
}
