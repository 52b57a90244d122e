using PyCog.Network;
using PyCog.Numerics;
using PyCog.Tasks;

namespace PyCog.Training;

/// <summary>
/// Generates minibatches as pycog's <c>Dataset</c>: trials drawn from the task with this
/// dataset's own generator, zero-padded to the longest; then the input transform (baseline,
/// input noise, rectification) on every time point; then the recurrent noise, in that draw
/// order, both as <see cref="NetworkDynamics"/> defines them at the training dt.
/// </summary>
public sealed class Dataset
{
    readonly CognitiveTask _task;
    readonly NetworkDynamics _dynamics;
    readonly NetworkConfig _config;
    readonly TrialKind _kind;

    /// <summary>Trials per minibatch.</summary>
    public int MinibatchSize { get; }
    /// <summary>This dataset's generator (its state is part of a checkpoint).</summary>
    public Rng Rng { get; set; }
    /// <summary>Trials generated so far.</summary>
    public long TrialsSeen { get; set; }

    /// <summary>Creates a dataset for a network at its training dt.</summary>
    public Dataset(CognitiveTask task, ResolvedNetworkConfig network, TrialKind kind, int minibatchSize, long seed)
    {
        if (minibatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(minibatchSize), "A minibatch needs at least one trial.");
        _task = task; _config = network.Config; _kind = kind;
        _dynamics = network.Dynamics();
        MinibatchSize = minibatchSize;
        Rng = new Rng(seed);
    }

    /// <summary>Generates the next minibatch.</summary>
    public Batch Next()
    {
        double dt = _dynamics.Dt;
        var trials = new Trial[MinibatchSize];
        for (int b = 0; b < MinibatchSize; b++)
        {
            var request = new TrialRequest { Kind = _kind, MinibatchIndex = b, TargetOutput = true };
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
            _dynamics.InputNoise.Fill(Rng, noise);
            for (int k = 0; k < u.Length; k++) u[k] = _dynamics.Input(u[k], noise[k]);
        }
        var rec = new float[time * bsz * n];
        _dynamics.FillRecurrentNoise(Rng, rec);
        return new Batch(time, bsz, nin, n, nout, u, rec, y, m, trials);
    }
}
