using PyCog.Network;
using PyCog.Numerics;
using PyCog.Tasks;

namespace PyCog.Training;

/// <summary>
/// Generates minibatches as pycog's <c>Dataset</c>: trials drawn from the task with this
/// dataset's own generator, zero-padded to the longest; then input noise
/// <c>sqrt(2 tau_in var_in / dt) N(0,1)</c> plus baseline on every time point, rectified;
/// then recurrent noise <c>sqrt(tau) sqrt(2 var_rec / dt) N(0,1)</c>, in that draw order.
/// </summary>
public sealed class Dataset
{
    readonly CognitiveTask _task;
    readonly NetworkConfig _config;
    readonly TrialKind _kind;
    readonly NoiseSampler _inputNoise, _recurrentNoise;
    readonly float[] _sqrtTau;

    /// <summary>Trials per minibatch.</summary>
    public int MinibatchSize { get; }
    /// <summary>This dataset's generator (its state is part of a checkpoint).</summary>
    public Rng Rng { get; set; }
    /// <summary>Trials generated so far.</summary>
    public long TrialsSeen { get; set; }

    /// <summary>Creates a dataset for a (resolved) configuration.</summary>
    public Dataset(CognitiveTask task, NetworkConfig config, TrialKind kind, int minibatchSize, long seed)
    {
        if (minibatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(minibatchSize), "A minibatch needs at least one trial.");
        _task = task; _config = config; _kind = kind;
        MinibatchSize = minibatchSize;
        Rng = new Rng(seed);
        double dt = config.EffectiveDt;
        _inputNoise = config.VarIn.Sampler(config.Nin, 2 * config.TauIn / dt);
        _recurrentNoise = config.VarRec.Sampler(config.N, 2 / dt);
        _sqrtTau = Enumerable.Range(0, config.N).Select(i => (float)Math.Sqrt(config.TauOf(i))).ToArray();
    }

    /// <summary>Generates the next minibatch.</summary>
    public Batch Next(IReadOnlyList<double>? bestCosts = null, object? callbackResults = null)
    {
        double dt = _config.EffectiveDt;
        var trials = new Trial[MinibatchSize];
        for (int b = 0; b < MinibatchSize; b++)
        {
            var request = new TrialRequest { Kind = _kind, MinibatchIndex = b, TargetOutput = true, BestCosts = bestCosts, CallbackResults = callbackResults };
            trials[b] = _task.GenerateCheckedTrial(Rng, dt, request, _config);
        }
        TrialsSeen += MinibatchSize;
        return Assemble(trials);
    }

    Batch Assemble(Trial[] trials)
    {
        int nin = _config.Nin, n = _config.N, nout = _config.Nout, bsz = trials.Length;
        int time = trials.Max(t => t.Length);
        var u = new float[time * bsz * nin];
        var y = new float[time * bsz * nout];
        var m = new float[time * bsz * nout];
        for (int b = 0; b < bsz; b++)
        {
            var tr = trials[b];
            for (int t = 0; t < tr.Length; t++)
            {
                int row = t * bsz + b;
                for (int i = 0; i < nin; i++) u[row * nin + i] = tr.Inputs[t, i];
                for (int o = 0; o < nout; o++)
                {
                    y[row * nout + o] = tr.Outputs![t, o];
                    m[row * nout + o] = tr.Mask is null ? 1f : tr.Mask[t, o];
                }
            }
        }
        if (nin > 0)
        {
            var noise = new float[u.Length];
            _inputNoise.Fill(Rng, noise);
            float baseline = (float)_config.BaselineIn;
            for (int k = 0; k < u.Length; k++)
            {
                float v = u[k] + baseline + noise[k];
                u[k] = _config.RectifyInputs ? MathF.Max(v, 0) : v;
            }
        }
        var rec = new float[time * bsz * n];
        _recurrentNoise.Fill(Rng, rec, _sqrtTau);
        return new Batch(time, bsz, nin, n, nout, u, rec, y, m, trials);
    }
}
