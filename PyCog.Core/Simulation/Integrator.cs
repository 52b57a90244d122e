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
    /// <summary>
    /// Use the sparse product when at most this fraction of [Wrec, Win] is nonzero (trained E/I
    /// networks often hold many exact zeros). It skips zero weights and, sixteen trials at a time,
    /// units silent in all sixteen: the same sums in the same order, so the results equal the dense
    /// product's. 0 forces the dense product, 1 the sparse one.
    /// </summary>
    public double SparseBelowDensity { get; init; } = 0.4;
    /// <summary>
    /// When set, the time each output first exceeds this value is found at every step (full time
    /// resolution, whatever <see cref="RecordEvery"/> is) and kept in <see cref="SimulatedTrial.Crossings"/>:
    /// reaction times without recording every step.
    /// </summary>
    public double? CrossingThreshold { get; init; }
    /// <summary>
    /// Continuous-mode networks only: run a list of trials as a chain, each from where the previous
    /// one ended (true, pycog's <c>RNN.run</c>), or each from x0 like the training trials, in
    /// parallel (false).
    /// </summary>
    public bool ChainContinuousTrials { get; init; } = true;
}

/// <summary>
/// Runs a trained network outside training, the job pycog's Cython Euler loop did:
/// <c>x += alpha (-x + Wrec_ r + brec + Win_ u + sqrt(tau) sqrt(2 var_rec / dt) xi)</c>,
/// <c>r = f(x)</c>, <c>z = g(Wout_ r + bout)</c>, with inputs
/// <c>u = [baseline + input + sqrt(2 tau_in var_in / dt) xi]+</c> at the run's own dt.
/// Trials are integrated in batches with the fused engine's SIMD kernels and spread over
/// threads. Trial i of a many-trial run draws its condition and all of its noise from its own
/// generator, <see cref="TrialGenerator"/>(seed, i): the trial itself first, then 16 draws
/// seed the trial's <see cref="GaussianStream"/>, then the x0 perturbation; at each step the
/// stream gives the input noise (Nin values) and then the recurrent noise (N values). So the
/// same seed gives the same result whatever the number of threads or the batch size.
/// In continuous mode, single-trial and free runs start where the previous one ended.
/// </summary>
public sealed unsafe class Integrator
{
    readonly TrainedNetwork _net;
    readonly int _contract;
    readonly SimulationOptions _o;
    readonly int _n, _np, _nin, _nout, _stride;
    // [Wrec_; Win_] transposed, (N + Nin) x Np: one product per step takes r and u together.
    readonly float[] _alpha, _oneMinusAlpha, _noiseScale, _weightsT, _brec;
    readonly NetworkDynamics _dynamics;
    // The same weights by presynaptic unit (column of [Wrec, Win]), nonzeros only, when sparse enough.
    readonly int[]? _colStart, _colRow;
    readonly float[]? _colVal;
    readonly NoiseSampler? _correlatedIn, _correlatedRec;
    readonly IReadOnlyList<float> _inputSd;
    readonly bool _recZero, _inZero;

    /// <summary>State where the next single or free run starts in continuous mode (null: x0).</summary>
    public float[]? LastState { get; set; }

    /// <summary>Prepares a network for running.</summary>
    public Integrator(TrainedNetwork network, SimulationOptions? options = null)
    {
        _net = network;
        _contract = network.Saved?.Reproducibility ?? 2;
        _o = options ?? new SimulationOptions();
        if (!(_o.Dt > 0)) throw new ArgumentOutOfRangeException(nameof(options), $"dt must be positive, got {_o.Dt}.");
        if (_o.RecordEvery < 1) throw new ArgumentOutOfRangeException(nameof(options), "RecordEvery must be at least 1.");
        if (_o.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "BatchSize must be at least 1.");
        var c = network.Config;
        _n = c.N; _np = Gemm.Pad(_n); _nin = c.Nin; _nout = c.Nout; _stride = Gemm.Pad(_n + _nin);
        _dynamics = network.Network.Dynamics(_o.Dt, _o.VarIn, _o.VarRec);
        // Vectors padded to whole registers; units beyond N stay zero.
        _alpha = new float[_np]; _oneMinusAlpha = new float[_np]; _noiseScale = new float[_np];
        _dynamics.Alpha.CopyTo(_alpha, 0);
        _dynamics.Decay.CopyTo(_oneMinusAlpha, 0);
        _recZero = _dynamics.RecurrentNoise.IsZero; _inZero = _dynamics.InputNoise.IsZero;
        // Uncorrelated noise: one scale per unit on the trial's Gaussian stream; correlated: the sampler, then sqrt(tau).
        if (_dynamics.RecurrentNoiseScale() is { } scale) scale.CopyTo(_noiseScale, 0);
        else { _correlatedRec = _dynamics.RecurrentNoise; _dynamics.SqrtTau.CopyTo(_noiseScale, 0); }
        _inputSd = _dynamics.InputNoise.StandardDeviations ?? [];
        if (_inputSd.Count == 0 && _nin > 0) _correlatedIn = _dynamics.InputNoise;
        _weightsT = GC.AllocateArray<float>((_n + _nin) * _np, pinned: true);
        _brec = new float[_np];
        for (int i = 0; i < _n; i++)
        {
            for (int k = 0; k < _n; k++) _weightsT[k * _np + i] = network.Wrec[i, k];
            for (int k = 0; k < _nin; k++) _weightsT[(_n + k) * _np + i] = network.Win![i, k];
            _brec[i] = network.Brec[i];
        }
        int k0 = _n + _nin, nonzero = 0;
        for (int k = 0; k < k0; k++) for (int i = 0; i < _n; i++) if (_weightsT[k * _np + i] != 0) nonzero++;
        Density = k0 == 0 ? 0 : nonzero / (double)(k0 * _n);
        if (Density <= _o.SparseBelowDensity)
        {
            // Grouped by chunks of SparseRowChunk postsynaptic units (their accumulators stay in L1), then by k.
            int chunks = (_n + SparseRowChunk - 1) / SparseRowChunk;
            _colStart = new int[chunks * (k0 + 1)]; _colRow = new int[nonzero]; _colVal = new float[nonzero];
            int p = 0;
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                int i0 = chunk * SparseRowChunk, i1 = Math.Min(_n, i0 + SparseRowChunk);
                for (int k = 0; k < k0; k++)
                {
                    _colStart[chunk * (k0 + 1) + k] = p;
                    for (int i = i0; i < i1; i++)
                        if (_weightsT[k * _np + i] is var w && w != 0) { _colRow[p] = i * SparseLanes; _colVal[p++] = w; }
                }
                _colStart[chunk * (k0 + 1) + k0] = p;
            }
        }
    }

    /// <summary>The options in force.</summary>
    public SimulationOptions Options => _o;

    /// <summary>Fraction of nonzero entries in [Wrec, Win] (after the load threshold).</summary>
    public double Density { get; }

    /// <summary>Whether steps use the sparse product (see <see cref="SimulationOptions.SparseBelowDensity"/>).</summary>
    public bool IsSparse => _colStart is not null;

    /// <summary>
    /// The generator of trial <paramref name="index"/> of a run seeded with <paramref name="seed"/>:
    /// the per-trial Philox stream of <see cref="TrialStreams"/> (reproducibility contract 2) or,
    /// for a network from a file written under contract 1, the generator seeded by
    /// <see cref="TrialSeed"/>, so that analyses of such files give the numbers they gave.
    /// </summary>
    public Rng TrialGenerator(long seed, long index) =>
        _contract == 1 ? new Rng(TrialSeed(seed, index)) : TrialStreams.For(seed, TrialStreams.Simulation, index, 0);

    /// <summary>The generator seed of trial <paramref name="index"/> of a run seeded with <paramref name="seed"/> under contract 1.</summary>
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
        var rng = TrialGenerator(seed, 0);
        var trial = task.GenerateCheckedTrial(rng, _o.Dt, request with { TargetOutput = true }, _net.Config);
        return Single(trial, rng);
    }

    /// <summary>Runs a given trial (its time step must be this run's dt).</summary>
    public SimulatedTrial Run(Trial trial, long seed)
    {
        if (Math.Abs(trial.Dt - _o.Dt) > 1e-12) throw new ArgumentException($"The trial was generated at dt = {trial.Dt} ms, the integrator runs at dt = {_o.Dt} ms.");
        if (trial.Inputs.Cols != _nin) throw new ArgumentException($"The trial has {trial.Inputs.Cols} inputs, the network Nin = {_nin}.");
        return Single(trial, TrialGenerator(seed, 0));
    }

    /// <summary>Runs the network without task inputs for <paramref name="duration"/> ms (inputs carry baseline and noise only).</summary>
    public SimulatedTrial RunFree(double duration, long seed)
    {
        int steps = (int)(duration / _o.Dt + 1e-9);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(duration), $"Duration {duration} ms is shorter than one step of {_o.Dt} ms.");
        return Single(null, TrialGenerator(seed, 0), steps);
    }

    SimulatedTrial Single(Trial? trial, Rng rng, int freeSteps = 0)
    {
        bool continuous = _net.Config.Mode == RunMode.Continuous;
        var result = Batch([trial], [rng], [freeSteps], continuous ? LastState : null)[0];
        if (continuous) LastState = result.FinalState;
        return result;
    }

    /// <summary>
    /// Runs many trials of a task: trial i is generated from <paramref name="requests"/>[i] with
    /// the generator <see cref="TrialGenerator"/>(seed, i). Each starts from x0, in parallel; in
    /// continuous mode, as pycog's <c>RNN.run</c> does, each starts where the previous one ended
    /// (the first from <see cref="LastState"/>, or x0), one after another, and
    /// <see cref="LastState"/> is left at the last one's end (unless
    /// <see cref="SimulationOptions.ChainContinuousTrials"/> is false).
    /// <paramref name="progress"/> receives the number of trials finished.
    /// </summary>
    public IReadOnlyList<SimulatedTrial> Run(CognitiveTask task, IReadOnlyList<TrialRequest> requests, long seed, IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        if (_net.Config.Mode == RunMode.Continuous && _o.ChainContinuousTrials) return RunCarryingState(task, requests, seed, progress, cancellation);
        var results = new SimulatedTrial[requests.Count];
        // Equal groups, a multiple of the thread count, none above BatchSize (results do not depend on the grouping).
        int threads = Math.Max(1, _o.Threads);
        int groups = threads * (int)Math.Ceiling(requests.Count / (double)(threads * _o.BatchSize));
        int batchSize = Math.Max(1, (requests.Count + groups - 1) / groups);
        groups = (requests.Count + batchSize - 1) / batchSize;
        int done = 0;
        // A task error inside a worker surfaces as itself (TaskException names the task and trial).
        TrialParallel.For(groups, threads, g =>
        {
            int start = g * batchSize, count = Math.Min(batchSize, requests.Count - start);
            var rngs = new Rng[count];
            var trials = new Trial?[count];
            for (int b = 0; b < count; b++)
            {
                rngs[b] = TrialGenerator(seed, start + b);
                trials[b] = task.GenerateCheckedTrial(rngs[b], _o.Dt, requests[start + b] with { TargetOutput = true }, _net.Config);
            }
            var batch = Batch(trials, rngs, new int[count], null);
            for (int b = 0; b < count; b++) results[start + b] = batch[b];
            progress?.Report(Interlocked.Add(ref done, count));
        }, cancellation);
        return results;
    }

    IReadOnlyList<SimulatedTrial> RunCarryingState(CognitiveTask task, IReadOnlyList<TrialRequest> requests, long seed, IProgress<int>? progress, CancellationToken cancellation)
    {
        var results = new SimulatedTrial[requests.Count];
        for (int i = 0; i < requests.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var rng = TrialGenerator(seed, i);
            var trial = task.GenerateCheckedTrial(rng, _o.Dt, requests[i] with { TargetOutput = true }, _net.Config);
            results[i] = Single(trial, rng);
            progress?.Report(i + 1);
        }
        return results;
    }

    static float* P(float[] a) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(a));

    /// <summary>Trials per block of the sparse product (two vectors of eight).</summary>
    const int SparseLanes = 16;
    /// <summary>Postsynaptic units per pass of the sparse product: 128 x 16 accumulators are 8 KB, well inside L1.</summary>
    const int SparseRowChunk = 128;

    /// <summary>
    /// pre[b] = sum over presynaptic k of W[:, k] act_b[k] for the sixteen trials of one block,
    /// skipping zero weights and units silent in all sixteen trials; each sum runs over k in
    /// increasing order with fused multiply-adds, as the dense product does, so the two agree.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void SparseProduct(int block, int kAll, float[] actLanes, float[] accLanes, float[] pre, int bsz)
    {
        const int L = SparseLanes;
        int n = _n, np = _np;
        ref int start = ref MemoryMarshal.GetArrayDataReference(_colStart!);
        ref int row = ref MemoryMarshal.GetArrayDataReference(_colRow!);   // premultiplied by L
        ref float val = ref MemoryMarshal.GetArrayDataReference(_colVal!);
        Array.Clear(accLanes);
        ref float acc = ref MemoryMarshal.GetArrayDataReference(accLanes);
        ref float a = ref actLanes[block * kAll * L];
        for (int chunk = 0, chunks = (n + SparseRowChunk - 1) / SparseRowChunk; chunk < chunks; chunk++)
        {
            ref int chunkStart = ref Unsafe.Add(ref start, chunk * (kAll + 1));
            for (int k = 0; k < kAll; k++)
            {
                var r0 = Vector256.LoadUnsafe(ref a, (nuint)(k * L));
                var r1 = Vector256.LoadUnsafe(ref a, (nuint)(k * L + 8));
                if (Vector256.EqualsAll(r0 | r1, Vector256<float>.Zero)) continue;   // -0 counts as silent too: its products are zero
                for (int p = Unsafe.Add(ref chunkStart, k), end = Unsafe.Add(ref chunkStart, k + 1); p < end; p++)
                {
                    ref float y = ref Unsafe.Add(ref acc, Unsafe.Add(ref row, p));
                    var w = Vector256.Create(Unsafe.Add(ref val, p));
                    Vector256.FusedMultiplyAdd(w, r0, Vector256.LoadUnsafe(ref y)).StoreUnsafe(ref y);
                    Vector256.FusedMultiplyAdd(w, r1, Vector256.LoadUnsafe(ref y, 8)).StoreUnsafe(ref y, 8);
                }
            }
        }
        for (int lane = 0; lane < L; lane++)
        {
            int b = block * L + lane;
            if (b >= bsz) break;
            ref float dst = ref pre[b * np];
            ref float src = ref accLanes[lane];
            for (int i = 0; i < n; i++) Unsafe.Add(ref dst, i) = Unsafe.Add(ref src, i * L);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    SimulatedTrial[] Batch(Trial?[] trials, Rng[] rngs, int[] freeSteps, float[]? startState)
    {
        int bsz = trials.Length, np = _np, n = _n, nin = _nin, nout = _nout, every = _o.RecordEvery, sa = _stride;
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
        var inNoise = new float[Math.Max(nin, 1)];
        var recNoise = new float[np];            // units beyond N stay zero
        var uNow = new float[bsz * Math.Max(nin, 1)];

        // Row b of `act` is [r (N), u (Nin), 0...]: the product with [Wrec_; Win_] gives both drives at once.
        var x = GC.AllocateArray<float>(bsz * np, pinned: true);
        // Rows padded to the kernel's register block: the extra rows stay zero and cost less than a slow
        // remainder. A handful of trials (a single or free run) is cheaper row by row.
        int rows = bsz < Gemm.DenseRowBlock ? bsz : (bsz + Gemm.DenseRowBlock - 1) / Gemm.DenseRowBlock * Gemm.DenseRowBlock;
        var act = GC.AllocateArray<float>(rows * sa, pinned: true);
        for (int b = 0; b < bsz; b++)
        {
            var row = x.AsSpan(b * np, n);
            (startState ?? _net.X0).AsSpan().CopyTo(row);
            if (_o.Sigma0 > 0)
                for (int i = 0; i < n; i++) row[i] += (float)(_o.Sigma0 * rngs[b].NextGaussian());
            Activations.Hidden(c.HiddenActivation, row, act.AsSpan(b * sa, n));
        }
        bool rectify = c.HiddenActivation == HiddenActivation.Rectify;

        var records = new int[bsz];
        for (int b = 0; b < bsz; b++) records[b] = 1 + steps[b] / every;
        var rOut = new float[bsz][];
        var zOut = new float[bsz][];
        var uOut = new float[bsz][];
        var finals = new float[bsz][];
        double? threshold = _o.CrossingThreshold;
        var crossings = threshold is null ? null : new double?[bsz][];
        var zNow = new float[Math.Max(nout, 1)];
        for (int b = 0; b < bsz; b++)
        {
            rOut[b] = new float[records[b] * n];
            zOut[b] = new float[records[b] * nout];
            uOut[b] = new float[records[b] * nin];
            if (crossings is not null) crossings[b] = new double?[nout];
            Record(b, 0);
            Cross(b, 0);
        }

        void Outputs(int b, Span<float> z)
        {
            var rr = act.AsSpan(b * sa, n);
            Span<float> pre = stackalloc float[nout];
            for (int o = 0; o < nout; o++) pre[o] = _net.Bout[o] + TensorPrimitives.Dot(_net.Wout.Row(o), rr);
            Activations.Output(c.OutputActivation, pre, z);
        }

        void Record(int b, int k)
        {
            act.AsSpan(b * sa, n).CopyTo(rOut[b].AsSpan(k * n, n));
            Outputs(b, zOut[b].AsSpan(k * nout, nout));
        }

        // The first step at which each output exceeds the threshold, checked at every step.
        void Cross(int b, int t)
        {
            if (crossings is null || crossings[b].All(v => v is not null)) return;
            Outputs(b, zNow);
            for (int o = 0; o < nout; o++)
                if (crossings[b][o] is null && zNow[o] > threshold) crossings[b][o] = t * _o.Dt;
        }

        float* pa = P(act), pw = P(_weightsT);
        var pre = GC.AllocateArray<float>(rows * np, pinned: true);
        float* pp = P(pre);
        // Sparse product: activity of sixteen trials side by side, unit by unit ([block][unit][lane]).
        int blocks = (bsz + SparseLanes - 1) / SparseLanes, kAll = n + nin;
        var actLanes = IsSparse ? new float[blocks * kAll * SparseLanes] : [];
        var accLanes = IsSparse ? new float[np * SparseLanes] : [];
        // Copies act[b, from..to) into trial b's lane.
        void ToLanes(int b, int to, int from = 0)
        {
            ref float dst = ref actLanes[b / SparseLanes * kAll * SparseLanes + b % SparseLanes];
            ref float src = ref act[b * sa];
            for (int k = from; k < to; k++) Unsafe.Add(ref dst, k * SparseLanes) = Unsafe.Add(ref src, k);
        }
        if (IsSparse) for (int b = 0; b < bsz; b++) ToLanes(b, kAll);
        for (int t = 1; t <= maxSteps; t++)
        {
            // This step's inputs, baseline + task input + noise, rectified, into each row's input slots.
            for (int b = 0; b < bsz; b++)
            {
                var ub = act.AsSpan(b * sa + n, nin);
                if (t > steps[b]) { ub.Clear(); continue; }
                if (nin == 0) continue;
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
                for (int k = 0; k < nin; k++) ub[k] = _dynamics.Input(u[b][at + k], _inZero ? 0f : inNoise[k]);
                ub.CopyTo(uNow.AsSpan(b * nin, nin));
            }

            // pre = Wrec_ r + Win_ u for every trial in one product.
            if (IsSparse)
            {
                for (int b = 0; b < bsz; b++) ToLanes(b, kAll, n);
                for (int block = 0; block < blocks; block++) SparseProduct(block, kAll, actLanes, accLanes, pre, bsz);
            }
            else Gemm.MultiplyDense(rows, n + nin, np, pa, sa, pw, np, pp, np);

            // x = (1 - alpha) x + alpha (pre + brec + noise scale * xi), then r = f(x): one pass per trial.
            for (int b = 0; b < bsz; b++)
            {
                bool active = t <= steps[b], noisy = active && !_recZero;
                if (noisy)
                {
                    if (_correlatedRec is not null) _correlatedRec.Fill(rngs[b], recNoise.AsSpan(0, n));
                    else streams[b].Fill(recNoise.AsSpan(0, n));
                }
                ref float xr = ref x[b * np];
                ref float pr = ref pre[b * np];
                ref float rr = ref act[b * sa];
                for (int j = 0; j < np; j += Vector256<float>.Count)
                {
                    var drive = Vector256.LoadUnsafe(ref pr, (nuint)j) + Vector256.LoadUnsafe(ref _brec[0], (nuint)j);
                    if (noisy) drive = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref recNoise[0], (nuint)j), Vector256.LoadUnsafe(ref _noiseScale[0], (nuint)j), drive);
                    var x8 = EulerStep.Next(Vector256.LoadUnsafe(ref xr, (nuint)j), drive, Vector256.LoadUnsafe(ref _alpha[0], (nuint)j), Vector256.LoadUnsafe(ref _oneMinusAlpha[0], (nuint)j));
                    x8.StoreUnsafe(ref xr, (nuint)j);
                    // Writing r over the padding and input slots is fine: they are refilled before the next product.
                    if (rectify) Activations.Rectify(x8).StoreUnsafe(ref rr, (nuint)j);
                }
                if (!rectify) Activations.Hidden(c.HiddenActivation, x.AsSpan(b * np, n), act.AsSpan(b * sa, n));
                if (IsSparse) ToLanes(b, n);
                if (!active) continue;
                Cross(b, t);
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
                Crossings = crossings?[b], CrossingThreshold = threshold,
            };
        }
        return results;
    }
}
