using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using PyCog.Network;
using PyCog.Numerics;
using PyCog.Tasks;

namespace PyCog.Simulation;

/// <summary>How a trained network is run (spec section 5).</summary>
public sealed record SimulationOptions
{
    /// <summary>Time step, ms (pycog's analyses use 0.5 ms).</summary>
    public double Dt { get; init; } = 0.5;
    /// <summary>Input noise variance; null keeps the network's.</summary>
    public Variance? VarIn { get; init; }
    /// <summary>Recurrent noise variance; null keeps the network's.</summary>
    public Variance? VarRec { get; init; }
    /// <summary>Standard deviation of a Gaussian perturbation of x0.</summary>
    public double Sigma0 { get; init; }
    /// <summary>Record every k-th step (t = 0 is always recorded).</summary>
    public int RecordEvery { get; init; } = 1;
    /// <summary>Trials integrated together in one set of matrix products.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Threads for many-trial runs (the results do not depend on it).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}

/// <summary>
/// Runs a trained network outside training, the job pycog's Cython Euler loop did:
/// <c>x += alpha (-x + Wrec_ r + brec + Win_ u + sqrt(tau) sqrt(2 var_rec / dt) xi)</c>,
/// <c>r = f(x)</c>, <c>z = g(Wout_ r + bout)</c>, with inputs
/// <c>u = [baseline + input + sqrt(2 tau_in var_in / dt) xi]+</c> at the run's own dt.
/// Trials are integrated in batches with the fused engine's SIMD kernels and spread over
/// threads. Trial i of a many-trial run draws its condition and all of its noise from its own
/// generator, seeded by <see cref="TrialSeed"/>(seed, i): the trial itself first, then 16 draws
/// seed the trial's <see cref="GaussianStream"/>, then the x0 perturbation; at each step the
/// stream gives the input noise (Nin values) and then the recurrent noise (N values). So the
/// same seed gives the same result whatever the number of threads or the batch size.
/// In continuous mode, single-trial and free runs start where the previous one ended.
/// </summary>
public sealed unsafe class Integrator
{
    readonly TrainedNetwork _net;
    readonly SimulationOptions _o;
    readonly int _n, _np, _nin, _nout;
    readonly float[] _alpha, _oneMinusAlpha, _noiseScale, _wrecT, _winT, _brec;
    readonly NoiseSampler? _correlatedIn, _correlatedRec;
    readonly float[] _inputSd;
    readonly bool _recZero, _inZero;

    /// <summary>State where the next single or free run starts in continuous mode (null: x0).</summary>
    public float[]? LastState { get; set; }

    /// <summary>Prepares a network for running.</summary>
    public Integrator(TrainedNetwork network, SimulationOptions? options = null)
    {
        _net = network;
        _o = options ?? new SimulationOptions();
        if (!(_o.Dt > 0)) throw new ArgumentOutOfRangeException(nameof(options), $"dt must be positive, got {_o.Dt}.");
        if (_o.RecordEvery < 1) throw new ArgumentOutOfRangeException(nameof(options), "RecordEvery must be at least 1.");
        if (_o.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "BatchSize must be at least 1.");
        var c = network.Config;
        _n = c.N; _np = Gemm.Pad(_n); _nin = c.Nin; _nout = c.Nout;
        double dt = _o.Dt;
        _alpha = new float[_np]; _oneMinusAlpha = new float[_np];
        for (int i = 0; i < _n; i++) { _alpha[i] = (float)(dt / c.TauOf(i)); _oneMinusAlpha[i] = 1 - _alpha[i]; }
        var varRec = _o.VarRec ?? c.VarRec;
        var varIn = _o.VarIn ?? c.VarIn;
        varRec.Validate("var_rec", _n);
        varIn.Validate("var_in", _nin);
        _recZero = varRec.IsZero; _inZero = varIn.IsZero;
        _noiseScale = new float[_n];
        for (int i = 0; i < _n; i++) _noiseScale[i] = (float)Math.Sqrt(c.TauOf(i) * 2 / dt * (varRec.PerUnit?[i] ?? (varRec.Covariance is null ? varRec.Scalar : 1)));
        if (varRec.Covariance is not null)
        {
            _correlatedRec = varRec.Sampler(_n, 2 / dt);
            for (int i = 0; i < _n; i++) _noiseScale[i] = (float)Math.Sqrt(c.TauOf(i));
        }
        _inputSd = new float[_nin];
        for (int i = 0; i < _nin; i++) _inputSd[i] = (float)Math.Sqrt(2 * c.TauIn / dt * (varIn.PerUnit?[i] ?? (varIn.Covariance is null ? varIn.Scalar : 0)));
        if (varIn.Covariance is not null) _correlatedIn = varIn.Sampler(_nin, 2 * c.TauIn / dt);
        _wrecT = GC.AllocateArray<float>(_n * _np, pinned: true);
        _winT = GC.AllocateArray<float>(Math.Max(_nin, 1) * _np, pinned: true);
        _brec = new float[_np];
        for (int i = 0; i < _n; i++)
        {
            for (int k = 0; k < _n; k++) _wrecT[k * _np + i] = network.Wrec[i, k];
            for (int k = 0; k < _nin; k++) _winT[k * _np + i] = network.Win![i, k];
            _brec[i] = network.Brec[i];
        }
    }

    /// <summary>The options in force.</summary>
    public SimulationOptions Options => _o;

    /// <summary>The generator seed of trial <paramref name="index"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static long TrialSeed(long seed, long index)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index + 0x632BE59BD9B4E019UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return unchecked((long)(z ^ (z >> 31)));
    }

    /// <summary>Runs one trial generated by <paramref name="task"/> (continuous mode resumes from <see cref="LastState"/>).</summary>
    public SimulatedTrial Run(CognitiveTask task, TrialRequest request, long seed)
    {
        var rng = new Rng(TrialSeed(seed, 0));
        var trial = task.GenerateCheckedTrial(rng, _o.Dt, request with { TargetOutput = true }, _net.Config);
        return Single(trial, rng);
    }

    /// <summary>Runs a given trial (its time step must be this run's dt).</summary>
    public SimulatedTrial Run(Trial trial, long seed)
    {
        if (Math.Abs(trial.Dt - _o.Dt) > 1e-12) throw new ArgumentException($"The trial was generated at dt = {trial.Dt} ms, the integrator runs at dt = {_o.Dt} ms.");
        if (trial.Inputs.Cols != _nin) throw new ArgumentException($"The trial has {trial.Inputs.Cols} inputs, the network Nin = {_nin}.");
        return Single(trial, new Rng(TrialSeed(seed, 0)));
    }

    /// <summary>Runs the network without task inputs for <paramref name="duration"/> ms (inputs carry baseline and noise only).</summary>
    public SimulatedTrial RunFree(double duration, long seed)
    {
        int steps = (int)(duration / _o.Dt + 1e-9);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(duration), $"Duration {duration} ms is shorter than one step of {_o.Dt} ms.");
        return Single(null, new Rng(TrialSeed(seed, 0)), steps);
    }

    SimulatedTrial Single(Trial? trial, Rng rng, int freeSteps = 0)
    {
        bool continuous = _net.Config.Mode == RunMode.Continuous;
        var result = Batch([trial], [rng], [freeSteps], continuous ? LastState : null)[0];
        if (continuous) LastState = result.FinalState;
        return result;
    }

    /// <summary>
    /// Runs many trials of a task, in parallel, each from x0: trial i is generated from
    /// <paramref name="requests"/>[i] with the generator of <see cref="TrialSeed"/>(seed, i).
    /// <paramref name="progress"/> receives the number of trials finished.
    /// </summary>
    public IReadOnlyList<SimulatedTrial> Run(CognitiveTask task, IReadOnlyList<TrialRequest> requests, long seed, IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        var results = new SimulatedTrial[requests.Count];
        // Small runs are split so that every thread gets a group (results do not depend on the batch size).
        int threads = Math.Max(1, _o.Threads);
        int batchSize = Math.Max(1, Math.Min(_o.BatchSize, (requests.Count + threads - 1) / threads));
        int groups = (requests.Count + batchSize - 1) / batchSize;
        int done = 0;
        Parallel.For(0, groups, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation }, g =>
        {
            int start = g * batchSize, count = Math.Min(batchSize, requests.Count - start);
            var rngs = new Rng[count];
            var trials = new Trial?[count];
            for (int b = 0; b < count; b++)
            {
                rngs[b] = new Rng(TrialSeed(seed, start + b));
                trials[b] = task.GenerateCheckedTrial(rngs[b], _o.Dt, requests[start + b] with { TargetOutput = true }, _net.Config);
            }
            var batch = Batch(trials, rngs, new int[count], null);
            for (int b = 0; b < count; b++) results[start + b] = batch[b];
            progress?.Report(Interlocked.Add(ref done, count));
        });
        return results;
    }

    static float* P(float[] a) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(a));

    SimulatedTrial[] Batch(Trial?[] trials, Rng[] rngs, int[] freeSteps, float[]? startState)
    {
        int bsz = trials.Length, np = _np, n = _n, nin = _nin, nout = _nout, every = _o.RecordEvery;
        var c = _net.Config;
        var steps = new int[bsz];
        for (int b = 0; b < bsz; b++) steps[b] = trials[b]?.Length ?? freeSteps[b];
        int maxSteps = steps.Max();

        // Raw task inputs per trial; noise is drawn step by step from each trial's Gaussian stream.
        var u = new float[bsz][];
        for (int b = 0; b < bsz; b++)
        {
            u[b] = new float[steps[b] * nin];
            if (nin > 0 && trials[b] is { } tr) tr.Inputs.Data.AsSpan().CopyTo(u[b]);
        }
        var streams = rngs.Select(r => new GaussianStream(r)).ToArray();
        float baseline = (float)c.BaselineIn;
        var inNoise = new float[Math.Max(nin, 1)];
        var recNoise = new float[n];
        var uNow = new float[bsz * Math.Max(nin, 1)];

        var x = GC.AllocateArray<float>(bsz * np, pinned: true);
        var r = GC.AllocateArray<float>(bsz * np, pinned: true);
        for (int b = 0; b < bsz; b++)
        {
            var row = x.AsSpan(b * np, n);
            (startState ?? _net.X0).AsSpan().CopyTo(row);
            if (_o.Sigma0 > 0)
                for (int i = 0; i < n; i++) row[i] += (float)(_o.Sigma0 * rngs[b].NextGaussian());
        }
        var f = c.HiddenActivation;
        Activations.Hidden(f, x, r);

        var records = new int[bsz];
        for (int b = 0; b < bsz; b++) records[b] = 1 + steps[b] / every;
        var rOut = new float[bsz][];
        var zOut = new float[bsz][];
        var uOut = new float[bsz][];
        var finals = new float[bsz][];
        for (int b = 0; b < bsz; b++)
        {
            rOut[b] = new float[records[b] * n];
            zOut[b] = new float[records[b] * nout];
            uOut[b] = new float[records[b] * nin];
            Record(b, 0);
        }

        void Record(int b, int k)
        {
            var rr = r.AsSpan(b * np, n);
            rr.CopyTo(rOut[b].AsSpan(k * n, n));
            Span<float> pre = stackalloc float[nout];
            for (int o = 0; o < nout; o++) pre[o] = _net.Bout[o] + TensorPrimitives.Dot(_net.Wout.Row(o), rr);
            Activations.Output(c.OutputActivation, pre, zOut[b].AsSpan(k * nout, nout));
        }

        float* pr = P(r), wrecT = P(_wrecT), winT = P(_winT);
        var pre = GC.AllocateArray<float>(bsz * np, pinned: true);
        float* pp = P(pre);
        for (int t = 1; t <= maxSteps; t++)
        {
            // pre-activation per trial: Wrec_ r + Win_ u + brec + noise
            {
                Gemm.Multiply(bsz, n, np, pr, np, 1, wrecT, np, pp, np, false);
                for (int b = 0; b < bsz; b++)
                {
                    var row = pre.AsSpan(b * np, np);
                    if (t <= steps[b])
                    {
                        // this step's input: baseline + task input + noise, rectified; then recurrent noise
                        var ub = uNow.AsSpan(b * nin, nin);
                        if (nin > 0)
                        {
                            // a handful of channels: plain scalar code beats span-call overheads here
                            if (!_inZero)
                            {
                                if (_correlatedIn is not null) _correlatedIn.Fill(rngs[b], inNoise);
                                else
                                {
                                    streams[b].Fill(inNoise.AsSpan(0, nin));
                                    for (int k = 0; k < nin; k++) inNoise[k] *= _inputSd[k];
                                }
                            }
                            int at = (t - 1) * nin;
                            for (int k = 0; k < nin; k++)
                            {
                                float v = u[b][at + k] + baseline + (_inZero ? 0f : inNoise[k]);
                                ub[k] = c.RectifyInputs && v < 0 ? 0f : v;
                            }
                        }
                        for (int k = 0; k < nin; k++)
                            if (ub[k] != 0) TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(winT + k * np, np), ub[k], row, row);
                        if (!_recZero)
                        {
                            if (_correlatedRec is not null) _correlatedRec.Fill(rngs[b], recNoise);
                            else streams[b].Fill(recNoise);
                            TensorPrimitives.MultiplyAdd(recNoise, _noiseScale, row[..n], row[..n]);
                        }
                    }
                    // x = (1 - alpha) x + alpha (pre + brec), one pass over whole vectors (np is a multiple of 16)
                    var xs = x.AsSpan(b * np, np);
                    for (int j = 0; j < np; j += Vector256<float>.Count)
                    {
                        var pre8 = Vector256.LoadUnsafe(ref row[j]) + Vector256.LoadUnsafe(ref _brec[j]);
                        var x8 = Vector256.LoadUnsafe(ref xs[j]) * Vector256.LoadUnsafe(ref _oneMinusAlpha[j]) + Vector256.LoadUnsafe(ref _alpha[j]) * pre8;
                        x8.StoreUnsafe(ref xs[j]);
                    }
                }
            }
            Activations.Hidden(f, x, r);
            for (int b = 0; b < bsz; b++)
            {
                if (t > steps[b]) continue;
                if (t % every == 0)
                {
                    int k = t / every;
                    Record(b, k);
                    if (nin > 0) uNow.AsSpan(b * nin, nin).CopyTo(uOut[b].AsSpan(k * nin, nin));
                }
                if (t == steps[b]) finals[b] = x.AsSpan(b * np, n).ToArray();
            }
        }

        var results = new SimulatedTrial[bsz];
        for (int b = 0; b < bsz; b++)
        {
            results[b] = new SimulatedTrial
            {
                Time = Enumerable.Range(0, records[b]).Select(k => k * every * _o.Dt).ToArray(),
                Nin = nin, N = n, Nout = nout, U = uOut[b], R = rOut[b], Z = zOut[b],
                FinalState = finals[b] ?? x.AsSpan(b * np, n).ToArray(), Trial = trials[b],
            };
        }
        return results;
    }
}
