using PyCog.Network;
using PyCog.Numerics;

namespace PyCog.Tasks;

/// <summary>A context-dependent integration trial's condition (Mante et al.): the context and both stimuli.</summary>
/// <param name="Context">"m" (motion relevant) or "c" (colour relevant), pycog's context.</param>
/// <param name="MotionCoherence">Motion coherence, pycog's coh_m.</param>
/// <param name="ColourCoherence">Colour coherence, pycog's coh_c.</param>
/// <param name="MotionDirection">Motion direction, pycog's left_right_m: +1 towards choice 0.</param>
/// <param name="ColourDirection">Colour direction, pycog's left_right_c: +1 towards choice 0.</param>
public sealed record ContextCondition(
    [property: PycogName("context")] string Context,
    [property: PycogName("coh_m")] int MotionCoherence,
    [property: PycogName("coh_c")] int ColourCoherence,
    [property: PycogName("left_right_m")] int MotionDirection,
    [property: PycogName("left_right_c")] int ColourDirection) : TrialCondition
{
    /// <summary>True when motion is the relevant stimulus.</summary>
    public bool IsMotionContext => Context == "m";
    /// <summary>Motion coherence signed by direction (+ is evidence for choice 0).</summary>
    public int SignedMotion => MotionCoherence * MotionDirection;
    /// <summary>Colour coherence signed by direction (+ is evidence for choice 0).</summary>
    public int SignedColour => ColourCoherence * ColourDirection;
}

/// <summary>
/// Context-dependent integration, loosely after Mante, Sussillo, Shenoy and Newsome (Nature
/// 2013): a context cue says whether to report the motion or the colour of a stimulus that
/// carries both; the network must integrate the relevant evidence and ignore the other.
/// Song, Yang and Wang (2016), Figs. 4 (<c>mante</c>) and 5 (<c>mante_areas</c>: a sensory and a
/// motor "area", the motor area reading out, sparse 0.2 connections from motor to sensory).
/// Inputs: 0 motion context, 1 colour context, 2-3 motion evidence, 4-5 colour evidence.
/// </summary>
public sealed class ContextDependentIntegration : TwoAlternativeTask
{
    /// <summary>Contexts: m (motion) and c (colour).</summary>
    public static readonly string[] Contexts = ["m", "c"];
    /// <summary>Coherences of each modality, percent.</summary>
    public static readonly int[] Cohs = [1, 3, 10];
    /// <summary>+1: evidence for choice 0.</summary>
    public static readonly int[] LeftRights = [1, -1];
    /// <summary>Input gain per percent coherence.</summary>
    public const double Scale = 5;

    readonly NetworkConfig _network;

    ContextDependentIntegration(string name, NetworkConfig network) { Name = name; _network = network; }

    static NetworkConfig Common() => new()
    {
        Nin = 6, N = 150, Nout = 2, Ei = Connectivity.GenerateEi(150),
    };

    /// <summary><c>mante</c>: dense E/I network, every E unit read out.</summary>
    public static ContextDependentIntegration Mante() =>
        new("mante", Common() with { Cout = Connectivity.ExcitatoryReadout(150, 2) });

    /// <summary>
    /// <c>mante_areas</c>: half of the E and I units form a sensory area that receives the inputs,
    /// the other half a motor area that is read out; sensory units receive from motor E units
    /// with probability 0.2 (seed 1000), motor units receive from every E unit.
    /// </summary>
    public static ContextDependentIntegration ManteAreas()
    {
        int n = 150;
        var ei = Connectivity.GenerateEi(n);
        int[] exc = Connectivity.Excitatory(ei), inh = Connectivity.Inhibitory(ei);
        int[] excS = exc[..(exc.Length / 2)], inhS = inh[..(inh.Length / 2)], excM = exc[(exc.Length / 2)..], inhM = inh[(inh.Length / 2)..];
        var cin = new Matrix(n, 6);
        foreach (int i in excS.Concat(inhS)) for (int k = 0; k < 6; k++) cin[i, k] = 1;
        var rng = new Rng(1000);
        var c = new Matrix(n, n);
        double SumE(int i) => exc.Sum(j => (double)c[i, j]);
        foreach (int i in excS)
        {
            foreach (int j in excS) c[i, j] = 1;
            c[i, i] = 0;
            foreach (int j in excM) c[i, j] = rng.NextDouble() < 0.2 ? 1 : 0;
            double s = SumE(i);
            foreach (int j in inhS) c[i, j] = (float)(s / inhS.Length);
        }
        foreach (int i in excM)
        {
            foreach (int j in exc) c[i, j] = 1;
            c[i, i] = 0;
            double s = SumE(i);
            foreach (int j in inhM) c[i, j] = (float)(s / inhM.Length);
        }
        foreach (int i in inhS)
        {
            foreach (int j in excS) c[i, j] = 1;
            foreach (int j in excM) c[i, j] = rng.NextDouble() < 0.2 ? 1 : 0;
            double s = SumE(i);
            foreach (int j in inhS) c[i, j] = (float)(s / (inhS.Length - 1));
            c[i, i] = 0;
        }
        foreach (int i in inhM)
        {
            foreach (int j in exc) c[i, j] = 1;
            double s = SumE(i);
            foreach (int j in inhM) c[i, j] = (float)(s / (inhM.Length - 1));
            c[i, i] = 0;
        }
        Connectivity.NormaliseRows(c);
        var cout = new Matrix(2, n);
        foreach (int j in excM) { cout[0, j] = 1; cout[1, j] = 1; }
        return new("mante_areas", Common() with { Cin = new Connectivity(cin), Crec = new Connectivity(c), Cout = new Connectivity(cout) });
    }

    /// <inheritdoc/>
    public override string Name { get; }
    /// <inheritdoc/>
    public override string Description => Name == "mante"
        ? "Context-dependent integration (Mante et al. 2013); Fig. 4."
        : "Context-dependent integration with sensory and motor areas; Fig. 5.";
    /// <inheritdoc/>
    public override NetworkConfig Network => _network;
    /// <inheritdoc/>
    public override TaskTrainingSettings Training { get; } = new() { ["n_gradient"] = 50, ["n_validation"] = 50 * (2 * 36 + 1) };
    /// <inheritdoc/>
    public override IReadOnlyList<ConditionAxis> ConditionAxes { get; } =
    [
        ConditionAxis.Of("context", Contexts), ConditionAxis.Of("coh_m", Cohs), ConditionAxis.Of("coh_c", Cohs),
        ConditionAxis.Of("left_right_m", LeftRights), ConditionAxis.Of("left_right_c", LeftRights),
    ];
    /// <inheritdoc/>
    public override double TargetPerformance => 90;

    /// <summary>Input level for signed coherence c: (1 + 5 c / 100) / 2.</summary>
    public static double InputLevel(double signedCoh) => (1 + Scale * signedCoh / 100) / 2;

    /// <inheritdoc/>
    public override Trial GenerateTrial(Rng rng, double dt, TrialRequest request)
    {
        var condition = SelectCondition<ContextCondition>(rng, request);
        if (condition is null) return CatchTrial(dt, request);
        var (context, cohM, cohC, lrM, lrC) = condition;
        int choiceM = lrM > 0 ? 0 : 1, choiceC = lrC > 0 ? 0 : 1;
        int choice = context == "m" ? choiceM : choiceC;
        var epochs = Epochs.Sequence(("fixation", request.Kind == TrialKind.Test ? 400 : 100), ("stimulus", 800), ("decision", 300));
        var b = new TrialBuilder(dt, epochs, _network.Nin, _network.Nout, request)
            .Input(context == "m" ? 0 : 1, "stimulus", 1)
            .Input(2 + choiceM, "stimulus", InputLevel(+cohM)).Input(2 + (1 - choiceM), "stimulus", InputLevel(-cohM))
            .Input(4 + choiceC, "stimulus", InputLevel(+cohC)).Input(4 + (1 - choiceC), "stimulus", InputLevel(-cohC));
        return DecisionTargets(b, choice).Build(Info(condition, choice));
    }
}
