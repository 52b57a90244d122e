using PyCog.Network;
using PyCog.Numerics;

namespace PyCog.Tasks;

/// <summary>A random-dots trial's condition: coherence (percent, before pycog's 3.2 scale) and direction.</summary>
/// <param name="Coherence">Motion coherence, pycog's coh (1, 2, 4, 8, 16; 0 on test trials).</param>
/// <param name="InOut">Direction, pycog's in_out: +1 towards choice 0, -1 towards choice 1.</param>
public sealed record DotsCondition([property: PycogName("coh")] int Coherence, [property: PycogName("in_out")] int InOut) : TrialCondition
{
    /// <summary>Coherence signed by direction (+ is evidence for choice 0), in pycog's units.</summary>
    public int SignedCoherence => Coherence * InOut;
}

/// <summary>
/// Perceptual decision making, loosely after the random-dot motion discrimination task
/// (Roitman and Shadlen, J Neurosci 2002): two inputs carry evidence for two choices, scaled by
/// the signed coherence; the output of the correct choice rises to <c>hi</c> while the other
/// stays at <c>lo</c>. Song, Yang and Wang (2016), Figs. 2 and 3. One parameterised definition
/// serves the paper's five variants (pycog kept five copies of the file):
/// <list type="bullet">
/// <item><c>rdm_fixed</c>: fixed 800 ms stimulus, structured connectivity (Fig. 2, Fig. 3 "structured").</item>
/// <item><c>rdm_dense</c>: the same trials, dense E/I connectivity, outputs read from E units (Fig. 3 "dense").</item>
/// <item><c>rdm_nodale</c>: the same trials, no Dale's law (Fig. 3 "no Dale").</item>
/// <item><c>rdm_varstim</c>: stimulus duration from a truncated exponential (mean 330, [80, 1500) ms), a start cue (Kiani, Hanks and Shadlen 2008).</item>
/// <item><c>rdm_rt</c>: reaction-time version: the decision may start 300 ms into the stimulus, hi = 1.2, catch 5/11.</item>
/// </list>
/// </summary>
public sealed class RandomDotMotion : TwoAlternativeTask
{
    /// <summary>The variants of the paper.</summary>
    public enum Variant
    {
        /// <summary>rdm_fixed.</summary>
        Fixed,
        /// <summary>rdm_dense.</summary>
        Dense,
        /// <summary>rdm_nodale.</summary>
        NoDale,
        /// <summary>rdm_varstim.</summary>
        VariableStimulus,
        /// <summary>rdm_rt.</summary>
        ReactionTime,
    }

    /// <summary>Coherences, percent.</summary>
    public static readonly int[] Cohs = [1, 2, 4, 8, 16];
    /// <summary>+1: evidence for choice 0; -1: for choice 1.</summary>
    public static readonly int[] InOuts = [1, -1];
    /// <summary>Input gain per percent coherence.</summary>
    public const double Scale = 3.2;
    /// <summary>Index of the start-cue input (varstim and rt).</summary>
    public const int StartCue = 2;
    /// <summary>Reaction-time version: time from stimulus onset after which the decision counts, ms.</summary>
    public const double NoReward = 300;

    readonly NetworkConfig _network;

    /// <summary>Which variant this is.</summary>
    public Variant Kind { get; }

    RandomDotMotion(string name, Variant kind, NetworkConfig network) { Name = name; Kind = kind; _network = network; }

    /// <summary><c>rdm_fixed</c>: a quarter of the E units receive input 0 and project to output 0, the next quarter input 1 / output 1, the rest are non-selective.</summary>
    public static RandomDotMotion Fixed()
    {
        const int nin = 2, n = 100, nout = 2;
        var ei = Connectivity.GenerateEi(n);
        int[] exc = Connectivity.Excitatory(ei), inh = Connectivity.Inhibitory(ei);
        int nExc = exc.Length;
        int[] excIn = exc[..(nExc / 4)], excOut = exc[(nExc / 4)..(nExc / 2)], excNs = exc[(nExc / 2)..];

        var cin = new Matrix(n, nin);
        foreach (int i in excIn) cin[i, 0] = 1;
        foreach (int i in excOut) cin[i, 1] = 1;

        var crec = new Matrix(n, n);
        void Row(int i, IEnumerable<int> excTargets, double inhDenominator)
        {
            foreach (int j in excTargets) crec[i, j] = 1;
            crec[i, i] = 0;
            double sumE = exc.Sum(j => (double)crec[i, j]);
            foreach (int j in inh) crec[i, j] = (float)(sumE / inhDenominator);
            crec[i, i] = 0;
        }
        foreach (int i in excIn) Row(i, excIn.Concat(excNs), inh.Length);
        foreach (int i in excOut) Row(i, excOut.Concat(excNs), inh.Length);
        foreach (int i in excNs) Row(i, exc, inh.Length);
        foreach (int i in inh) Row(i, exc, inh.Length - 1);
        Connectivity.NormaliseRows(crec);

        var cout = new Matrix(nout, n);
        foreach (int j in excIn) cout[0, j] = 1;
        foreach (int j in excOut) cout[1, j] = 1;

        return new RandomDotMotion("rdm_fixed", Variant.Fixed, Common(nin) with
        {
            Ei = ei, Cin = new Connectivity(cin), Crec = new Connectivity(crec), Cout = new Connectivity(cout),
        });
    }

    /// <summary><c>rdm_dense</c>: default (dense, balanced) E/I recurrence, every E unit read out.</summary>
    public static RandomDotMotion Dense() => new("rdm_dense", Variant.Dense, Common(2) with { Ei = Connectivity.GenerateEi(100), Cout = Connectivity.ExcitatoryReadout(100, 2) });

    /// <summary><c>rdm_nodale</c>: no E/I constraint and no masks.</summary>
    public static RandomDotMotion NoDale() => new("rdm_nodale", Variant.NoDale, Common(2));

    /// <summary><c>rdm_varstim</c>: variable stimulus duration and a start cue.</summary>
    public static RandomDotMotion VariableStimulus() =>
        new("rdm_varstim", Variant.VariableStimulus, Common(3) with { Ei = Connectivity.GenerateEi(100), Cout = Connectivity.ExcitatoryReadout(100, 2) });

    /// <summary><c>rdm_rt</c>: reaction-time version.</summary>
    public static RandomDotMotion ReactionTime() =>
        new("rdm_rt", Variant.ReactionTime, Common(3) with { Ei = Connectivity.GenerateEi(100), Cout = Connectivity.ExcitatoryReadout(100, 2) });

    static NetworkConfig Common(int nin) => new() { Nin = nin, N = 100, Nout = 2 };

    /// <inheritdoc/>
    public override string Name { get; }
    /// <inheritdoc/>
    public override string Description => Kind switch
    {
        Variant.Fixed => "Perceptual decision making (random dots), fixed stimulus, structured connectivity; Fig. 2.",
        Variant.Dense => "Perceptual decision making, dense E/I connectivity; Fig. 3.",
        Variant.NoDale => "Perceptual decision making without Dale's law; Fig. 3.",
        Variant.VariableStimulus => "Perceptual decision making, variable stimulus duration (Kiani et al. 2008); Fig. 2.",
        _ => "Perceptual decision making, reaction-time version; Fig. 2.",
    };
    /// <inheritdoc/>
    public override NetworkConfig Network => _network;
    /// <inheritdoc/>
    public override TaskTrainingSettings Training { get; } = new() { ["n_validation"] = 100 * (Cohs.Length * InOuts.Length + 1) };
    /// <inheritdoc/>
    public override IReadOnlyList<ConditionAxis> ConditionAxes { get; } =
        // 0% coherence is never trained on; pycog's analysis runs it in its catch slots (random direction, no correct choice).
        [ConditionAxis.Of("coh", Cohs) with { TestValues = [0] }, ConditionAxis.Of("in_out", InOuts)];
    /// <inheritdoc/>
    public override double Hi => Kind == Variant.ReactionTime ? 1.2 : 1;
    /// <inheritdoc/>
    public override double CatchProbability => (Kind == Variant.ReactionTime ? 5.0 : 1.0) / (Conditions + 1);
    /// <inheritdoc/>
    public override double TargetPerformance => 85;

    /// <summary>Input level for signed coherence c: (1 + 3.2 c / 100) / 2.</summary>
    public static double InputLevel(double signedCoh) => (1 + Scale * signedCoh / 100) / 2;

    /// <inheritdoc/>
    public override Trial GenerateTrial(Rng rng, double dt, TrialRequest request)
    {
        var condition = SelectCondition<DotsCondition>(rng, request);
        if (condition is null) return CatchTrial(dt, request);
        var (coh, inOut) = condition;
        int choice = inOut > 0 ? 0 : 1;
        bool test = request.Kind == TrialKind.Test;

        Epochs epochs;
        switch (Kind)
        {
            case Variant.ReactionTime:
            {
                double fixation = test ? 300 : 100, stimulus = test ? 1500 : 800, t = fixation + stimulus;
                epochs = new Epochs(t, ("fixation", 0, fixation), ("stimulus", fixation, t), ("decision", fixation + NoReward, t));
                break;
            }
            case Variant.VariableStimulus:
                epochs = Epochs.Sequence(("fixation", test ? 500 : 100), ("stimulus", TaskTools.TruncatedExponential(rng, dt, 330, 80, 1500)), ("decision", 300));
                break;
            default:
                epochs = Epochs.Sequence(("fixation", test ? 300 : 100), ("stimulus", 800), ("decision", 300));
                break;
        }
        var b = new TrialBuilder(dt, epochs, _network.Nin, _network.Nout, request)
            .Input(choice, "stimulus", InputLevel(+coh))
            .Input(1 - choice, "stimulus", InputLevel(-coh));
        if (Kind is Variant.VariableStimulus or Variant.ReactionTime) b.Input(StartCue, "stimulus", 1);
        // At 0% coherence both choices are right: the targets follow in_out, the info has no correct choice.
        return DecisionTargets(b, choice).Build(coh == 0 ? new TrialInfo(condition, null) : Info(condition, choice));
    }
}
