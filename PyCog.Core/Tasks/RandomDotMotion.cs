using PyCog.Network;
using PyCog.Numerics;

namespace PyCog.Tasks;

/// <summary>
/// Perceptual decision making, loosely after the random-dot motion discrimination task
/// (Roitman and Shadlen, J Neurosci 2002): two inputs carry evidence for two choices, scaled
/// by the signed coherence; after the stimulus the output of the correct choice rises to
/// <c>hi</c> while the other stays at <c>lo</c>. Song, Yang and Wang (2016), Fig. 2.
/// One parameterised definition serves the paper's variants (pycog copied the file per variant).
/// </summary>
public sealed class RandomDotMotion : CognitiveTask
{
    /// <summary>Coherences, percent.</summary>
    public static readonly int[] Cohs = [1, 2, 4, 8, 16];
    /// <summary>+1: evidence for choice 0; -1: for choice 1.</summary>
    public static readonly int[] InOuts = [1, -1];
    /// <summary>Input gain per percent coherence.</summary>
    public const double Scale = 3.2;
    /// <summary>Target of the chosen output during the decision epoch.</summary>
    public double Hi { get; } = 1;
    /// <summary>Target of every output at rest.</summary>
    public const double Lo = 0.2;
    /// <summary>Percent correct that training must exceed (mean of the last five validations).</summary>
    public const double TargetPerformance = 85;

    readonly NetworkConfig _network;

    RandomDotMotion(string name, NetworkConfig network) { Name = name; _network = network; }

    /// <summary>
    /// <c>rdm_fixed</c>: 2 inputs, 100 units (80 E / 20 I), 2 outputs; a fixed stimulus of 800 ms.
    /// Structured connectivity: a quarter of the E units receive input 0 and project to output 0,
    /// the next quarter receive input 1 and project to output 1, the rest are non-selective.
    /// </summary>
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
        for (int i = 0; i < n; i++)
        {
            double norm = Math.Sqrt(crec.Row(i).ToArray().Sum(v => (double)v * v));
            for (int j = 0; j < n; j++) crec[i, j] = (float)(crec[i, j] / norm);
        }

        var cout = new Matrix(nout, n);
        foreach (int j in excIn) cout[0, j] = 1;
        foreach (int j in excOut) cout[1, j] = 1;

        return new RandomDotMotion("rdm_fixed", new NetworkConfig
        {
            Nin = nin, N = n, Nout = nout, Ei = ei,
            Cin = new Connectivity(cin), Crec = new Connectivity(crec), Cout = new Connectivity(cout),
            NValidation = 100 * (Cohs.Length * InOuts.Length + 1),
        });
    }

    /// <inheritdoc/>
    public override string Name { get; }
    /// <inheritdoc/>
    public override string Description => "Perceptual decision making (random-dot motion), fixed 800 ms stimulus; paper Fig. 2.";
    /// <inheritdoc/>
    public override NetworkConfig Network => _network;
    /// <inheritdoc/>
    public override int Conditions => Cohs.Length * InOuts.Length;
    /// <inheritdoc/>
    public override string Criterion => $"mean of last 5 validations > {TargetPerformance}% correct";

    /// <summary>Input level for signed coherence c: (1 + 3.2 c / 100) / 2.</summary>
    public static double InputLevel(double signedCoh) => (1 + Scale * signedCoh / 100) / 2;

    /// <inheritdoc/>
    public override Trial GenerateTrial(Rng rng, double dt, TrialRequest request)
    {
        bool isCatch;
        int coh = 0, inOut = 0;
        switch (request.Kind)
        {
            case TrialKind.Gradient:
            case TrialKind.Test:
                isCatch = request.Get("catch", rng.NextDouble() < 1.0 / (Conditions + 1));
                if (!isCatch)
                {
                    coh = request.Get("coh", rng.Choice(Cohs));
                    inOut = request.Get("in_out", rng.Choice(InOuts));
                }
                break;
            case TrialKind.Validation:
                int b = request.MinibatchIndex % (Conditions + 1);
                isCatch = b == 0;
                if (!isCatch)
                {
                    var k = TaskTools.UnravelFortran(b - 1, Cohs.Length, InOuts.Length);
                    coh = Cohs[k[0]]; inOut = InOuts[k[1]];
                }
                break;
            default: throw new ArgumentOutOfRangeException(nameof(request), "Unknown trial kind.");
        }
        if (!isCatch && !Cohs.Contains(coh)) throw new ArgumentException($"coh={coh} is not one of {string.Join(", ", Cohs)}.");
        if (!isCatch && !InOuts.Contains(inOut)) throw new ArgumentException($"in_out={inOut} is not one of {string.Join(", ", InOuts)}.");

        if (isCatch)
        {
            return new TrialBuilder(dt, new Epochs(2000), _network.Nin, _network.Nout, request)
                .TargetEverywhere(Lo).MaskEverywhere().Build(TrialInfo.Catch);
        }

        double fixation = request.Kind == TrialKind.Test ? 300 : 100;
        var epochs = Epochs.Sequence(("fixation", fixation), ("stimulus", 800), ("decision", 300));
        int choice = inOut > 0 ? 0 : 1;
        var info = new TrialInfo(new Dictionary<string, object> { ["coh"] = coh, ["in_out"] = inOut, ["choice"] = choice }, choice);
        return new TrialBuilder(dt, epochs, _network.Nin, _network.Nout, request)
            .Input(choice, "stimulus", InputLevel(+coh))
            .Input(1 - choice, "stimulus", InputLevel(-coh))
            .Target(0, "fixation", Lo).Target(1, "fixation", Lo)
            .Target(choice, "decision", Hi).Target(1 - choice, "decision", Lo)
            .Mask("fixation", "decision")
            .Build(info);
    }

    /// <inheritdoc/>
    public override double? Performance(IReadOnlyList<Trial> trials, BatchOutputs z) => Tasks.Performance.TwoAfc(trials, z);

    /// <inheritdoc/>
    public override bool Terminate(IReadOnlyList<double> performanceHistory) =>
        Tasks.Performance.MeanOfLastExceeds(performanceHistory, TargetPerformance);
}
