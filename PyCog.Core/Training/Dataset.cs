using PyCog.Network;
using PyCog.Numerics;
using PyCog.Tasks;

namespace PyCog.Training;

/// <summary>
/// Generates minibatches as pycog's <c>Dataset</c>: trials zero-padded to the longest, then the
/// input transform (baseline, input noise, rectification) on every time point, then the
/// recurrent noise, both as <see cref="NetworkDynamics"/> defines them at the training dt.
/// Where the numbers come from is the reproducibility contract (<see cref="Contract"/>):
/// <list type="bullet">
/// <item>1: one generator for the whole dataset, drawn in pycog's order (every trial, then all
/// input noise, then all recurrent noise), on one thread;</item>
/// <item>2: trial <c>b</c> of minibatch <c>m</c> draws its condition and its noise from its own
/// stream (<see cref="TrialStreams"/>), so trials are drawn in parallel and the minibatch is the
/// same bits on any number of threads.</item>
/// </list>
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
    /// <summary>The reproducibility contract the minibatches are drawn under (1 or 2).</summary>
    public int Contract { get; init; } = 1;
    /// <summary>Threads that draw the trials of a minibatch under contract 2 (the result does not depend on it).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>
    /// When set, contract 2 draws the trials on this team (the engine's, between its steps, whose
    /// threads are awake) instead of on <see cref="Threads"/> thread-pool threads. A minibatch is a
    /// millisecond of work, and waking pool threads for it lost most of the second core.
    /// </summary>
    public WorkerTeam? Team { get; init; }

    readonly long _seed;

    /// <summary>Creates a dataset for a network at its training dt.</summary>
    public Dataset(CognitiveTask task, ResolvedNetworkConfig network, TrialKind kind, int minibatchSize, long seed)
    {
        if (minibatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(minibatchSize), "A minibatch needs at least one trial.");
        _task = task; _config = network.Config; _kind = kind;
        _dynamics = network.Dynamics();
        MinibatchSize = minibatchSize;
        Rng = new Rng(seed);
        _seed = seed;
    }

    /// <summary>Generates the next minibatch.</summary>
    public Batch Next() => Contract switch
    {
        1 => NextSingleStream(),
        2 => NextPerTrial(),
        _ => throw new InvalidOperationException($"Unknown reproducibility contract {Contract} (1 or 2)."),
    };

    Batch NextPerTrial()
    {
        long minibatch = TrialsSeen / MinibatchSize;
        int bsz = MinibatchSize;
        var trials = new Trial[bsz];
        var streams = new Rng[bsz];
        ForEachTrial(bsz, b =>
        {
            streams[b] = TrialStreams.For(_seed, (int)_kind + 1, minibatch, b);
            var request = new TrialRequest { Kind = _kind, MinibatchIndex = b, TargetOutput = true };
            trials[b] = _task.GenerateCheckedTrial(streams[b], _dynamics.Dt, request, _config);
        });
        TrialsSeen += bsz;
        var (time, u, y, m) = Layout(trials);
        int nin = _config.Nin, n = _config.N;
        // Every value is written below, so the array need not be zeroed first.
        var rec = GC.AllocateUninitializedArray<float>(time * bsz * n);
        ForEachTrial(bsz, b =>
        {
            // Separate streams for the two noises, so that each one's first steps do not depend on
            // how long the minibatch's longest trial is.
            var inputNoise = new GaussianStream(streams[b]);
            var recurrentNoise = new GaussianStream(streams[b]);
            if (nin > 0)
            {
                var noise = new float[time * nin];
                _dynamics.InputNoise.Fill(inputNoise, noise);
                for (int t = 0; t < time; t++)
                    for (int i = 0; i < nin; i++)
                    {
                        long k = ((long)t * bsz + b) * nin + i;
                        u[k] = _dynamics.Input(u[k], noise[t * nin + i]);
                    }
            }
            // Step by step into the trial's rows: the stream keeps what a row leaves of its last
            // block of samples, so the values are those of one fill of all the trial's steps.
            for (int t = 0; t < time; t++) _dynamics.FillRecurrentNoise(recurrentNoise, rec.AsSpan((t * bsz + b) * n, n));
        });
        return new Batch(time, bsz, nin, n, _config.Nout, u, rec, y, m, trials);
    }

    /// <summary>Calls <paramref name="body"/>(b) for every trial b, on the team in contiguous ranges, or on the thread pool.</summary>
    void ForEachTrial(int count, Action<int> body)
    {
        if (Team is null) { TrialParallel.For(count, Threads, body); return; }
        int parts = Math.Min(Team.Threads, count), per = (count + parts - 1) / parts;
        Team.For(parts, p =>
        {
            for (int b = p * per; b < Math.Min(count, (p + 1) * per); b++) body(b);
        });
    }

    Batch NextSingleStream()
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

    /// <summary>Inputs, targets and mask of the trials, time-major (row t * trials + b) and zero-padded to the longest.</summary>
    (int Time, float[] Inputs, float[] Targets, float[] Mask) Layout(Trial[] trials)
    {
        int nin = _config.Nin, nout = _config.Nout, bsz = trials.Length;
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
        return (time, u, y, m);
    }

    Batch Assemble(Trial[] trials)
    {
        int nin = _config.Nin, n = _config.N, nout = _config.Nout, bsz = trials.Length;
        var (time, u, y, m) = Layout(trials);
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
