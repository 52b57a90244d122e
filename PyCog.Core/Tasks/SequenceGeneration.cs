using PyCog.Network;
using PyCog.Numerics;

namespace PyCog.Tasks;

/// <summary>A sequence-generation trial's condition (Lee et al.): which of the eight saccade sequences.</summary>
/// <param name="Sequence">The sequence, 1-8, pycog's seq.</param>
public sealed record SequenceCondition([property: PycogName("seq")] int Sequence) : TrialCondition;

/// <summary>
/// Eye-movement sequences, after Lee, Seo and Jung (J Neurosci 2012)'s oculomotor sequence task
/// as used by Song, Yang and Wang (2016), Fig. 8: from the centre of a 3x3 grid of dots, make
/// one of eight three-saccade sequences. Inputs: 9 dots (the current target and its options
/// light up in each movement epoch) and 8 sequence cues. The two outputs are the (x, y) gaze
/// position. tau 50 ms, var_rec 0.01^2, continuous mode, criterion RMSE &lt;= 0.05.
/// </summary>
public sealed class SequenceGeneration : CognitiveTask
{
    /// <summary>Each sequence: the start dot, then three targets (dots numbered row by row from the top left).</summary>
    public static readonly IReadOnlyDictionary<int, int[]> Sequences = new Dictionary<int, int[]>
    {
        [1] = [4, 5, 1, 0], [2] = [4, 3, 1, 2], [3] = [4, 3, 7, 8], [4] = [4, 5, 7, 6],
        [5] = [4, 5, 1, 2], [6] = [4, 3, 1, 0], [7] = [4, 3, 7, 6], [8] = [4, 5, 7, 8],
    };

    /// <summary>The dots offered as alternatives from each dot.</summary>
    public static readonly IReadOnlyDictionary<int, int[]> Options = new Dictionary<int, int[]>
    {
        [1] = [0, 2], [3] = [1, 7], [4] = [3, 5], [5] = [1, 7], [7] = [6, 8],
    };

    int[] _validationOrder = Enumerable.Range(0, 8).ToArray();

    /// <summary>The task.</summary>
    public SequenceGeneration()
    {
        Network = new NetworkConfig
        {
            Nin = 9 + Sequences.Count, N = 200, Nout = 2, Ei = Connectivity.GenerateEi(200),
            Tau = 50, VarRec = 0.01 * 0.01, Mode = RunMode.Continuous,
            // pycog's lee model defines module-level x0, y0 = -0.5 (the screen's corner); its model
            // loader takes every module name that is a network parameter, so x0 = -0.5 there.
            X0 = -0.5,
        };
    }

    /// <inheritdoc/>
    public override string Name => "lee";
    /// <inheritdoc/>
    public override string Description => "Saccade sequences on a 3x3 grid (Lee et al.); Fig. 8.";
    /// <inheritdoc/>
    public override NetworkConfig Network { get; }
    /// <inheritdoc/>
    public override TaskTrainingSettings Training { get; } = new() { ["min_error"] = 0.05, ["n_validation"] = 100 * Sequences.Count };
    /// <inheritdoc/>
    public override int Conditions => Sequences.Count;
    /// <inheritdoc/>
    public override IReadOnlyList<ConditionAxis> ConditionAxes { get; } = [ConditionAxis.Of("seq", Enumerable.Range(1, 8).ToArray())];
    /// <inheritdoc/>
    public override string Criterion => $"validation RMSE <= {Training.Get("min_error")}";

    /// <summary>Screen position (x, y) of dot k: columns at -0.5, 0, 0.5 from the left, rows from the top.</summary>
    public static (double X, double Y) TargetPosition(int k) => (-0.5 + 0.5 * (k % 3), -0.5 + 0.5 * (2 - k / 3));

    /// <inheritdoc/>
    public override Trial GenerateTrial(Rng rng, double dt, TrialRequest request)
    {
        ValidateFixed(request);
        int seq;
        switch (request.Kind)
        {
            case TrialKind.Gradient:
            case TrialKind.Test:
                int drawn = 1 + rng.NextInt(Sequences.Count);
                seq = request.Get("seq", drawn);
                break;
            case TrialKind.Validation:
                // pycog: every block of 8 validation trials visits the sequences in a fresh random order
                int b = request.MinibatchIndex % Sequences.Count;
                if (b == 0)
                {
                    var order = Enumerable.Range(0, Sequences.Count).ToList();
                    rng.Shuffle(order);
                    _validationOrder = order.ToArray();
                }
                seq = _validationOrder[b] + 1;
                break;
            default: throw new ArgumentOutOfRangeException(nameof(request), "Unknown trial kind.");
        }
        var sequence = Sequences[seq];
        var epochs = Epochs.Sequence(("iti", 1000), ("fixation", 1000), ("M1", 500), ("M2", 500), ("M3", 500));
        var builder = new TrialBuilder(dt, epochs, Network.Nin, Network.Nout, request);
        foreach (var e in new[] { "iti", "fixation", "M1", "M2", "M3" }) builder.Input(9 + seq - 1, e, 1);
        builder.Input(sequence[0], "fixation", 1);
        string[] moves = ["M1", "M2", "M3"];
        for (int m = 0; m < 3; m++)
        {
            builder.Input(sequence[m], moves[m], 1);
            foreach (int option in Options[sequence[m]]) builder.Input(option, moves[m], 1);
        }
        string[] targetEpochs = ["fixation", "M1", "M2", "M3"];
        for (int m = 0; m < 4; m++)
        {
            var (x, y) = TargetPosition(sequence[m]);
            builder.Target(0, targetEpochs[m], x).Target(1, targetEpochs[m], y);
        }
        builder.Mask(targetEpochs);
        return builder.Build(new TrialInfo(new SequenceCondition(seq), null));
    }
}

/// <summary>
/// A network with no inputs that learns to produce 0.9 sin(2 pi t / (8 tau)) over two periods
/// with trained biases, in continuous mode. pycog's <c>sinewave</c> example.
/// </summary>
public sealed class SineWave : CognitiveTask
{
    /// <summary>Period of the sine, ms (8 tau).</summary>
    public const double Period = 800;

    /// <inheritdoc/>
    public override string Name => "sinewave";
    /// <inheritdoc/>
    public override string Description => "Autonomous sine-wave generator (pycog example).";
    /// <inheritdoc/>
    public override NetworkConfig Network { get; } = new()
    {
        Nin = 0, N = 100, Nout = 1, Ei = Connectivity.GenerateEi(100), Tau = 100, Dt = 20,
        TrainBout = true, TrainBrec = true, VarRec = 0.05 * 0.05, Mode = RunMode.Continuous,
    };
    /// <inheritdoc/>
    public override TaskTrainingSettings Training { get; } = new() { ["min_error"] = 0.05, ["n_validation"] = 50 };
    /// <inheritdoc/>
    public override string Criterion => $"validation RMSE <= {Training.Get("min_error")}";

    /// <inheritdoc/>
    public override Trial GenerateTrial(Rng rng, double dt, TrialRequest request)
    {
        ValidateFixed(request);
        var builder = new TrialBuilder(dt, new Epochs(2 * Period), 0, 1, request);
        return builder.Target(0, t => 0.9 * Math.Sin(2 * Math.PI * t / Period)).MaskEverywhere().Build(new TrialInfo(TrialCondition.None, null));
    }
}
