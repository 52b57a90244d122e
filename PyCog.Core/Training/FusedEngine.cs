using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using PyCog.Network;
using PyCog.Numerics;
using PyCog.Tasks;

namespace PyCog.Training;

/// <summary>
/// The default engine: explicit forward and backward-through-time loops over contiguous,
/// pinned float arrays with SIMD matrix kernels (<see cref="Gemm"/>), no tensor library.
/// Unit dimensions are padded (N + 1 units, see <see cref="BiasColumn"/>) to a multiple of 16 so
/// every row is whole vectors. The input drive and every weight gradient run once over all time
/// steps; the recurrences' products run step by step, and with them the products that need a
/// step's rows while they are in the first-level cache (readout, output gradient, Omega's).
/// The unit-wide rows (x, r, f'(x), g, d, a and the Omega-weighted rates) are stored trial by
/// trial, each trial's steps contiguous, so that a thread's trials are one block of memory.
/// Stored step by step, two threads' rows alternated every few kilobytes, and each core's
/// prefetcher kept pulling the other's lines: at N = 100 both threads then ran at half speed.
/// </summary>
public sealed unsafe class FusedEngine : ITrainingEngine
{
    readonly NetworkConfig _c;
    readonly TrainingConfig _t;
    readonly ResolvedNetworkConfig _network;
    readonly int _n, _np, _nin, _nout, _noutp;
    readonly float[] _alpha, _oneMinusAlpha;
    readonly float[] _winT, _wrecT, _wrecE, _woutT, _woutE, _brec, _bout;
    float[] _x0Terms = [], _x = [], _r = [], _fp = [], _zpre = [], _z = [], _dz = [], _g = [], _d = [], _a = [], _re = [], _u = [], _d2 = [], _a2 = [];
    readonly float[] _dWinT, _dWrecE, _dWoutE;
    readonly float[] _effWin, _effWrec, _effWout;
    int _capacityRows;
    // The shape of the current batch: trial b's row i of a row buffer starts at b * _trialStride + i * _np.
    int _time, _trials;
    long _trialStride;
    // Where each row s = t * trials + b (step order) lives: in the row buffers (steps 1..T of a, d,
    // re; rates r_{t-1}), in r at r_t, in u and in dz. The weight gradients sum over s in this order.
    long[] _stepRows = [], _rateRows = [], _inputRows = [], _outputRows = [];

    /// <summary>
    /// Threads (all cores by default). Trials are independent until the weight gradients, so each
    /// thread runs whole trials from input to readout and back through time, Omega included; the
    /// weight gradients split their output rows (or, with few rows, their columns). Every number is computed by the same operations in the same order
    /// whatever the thread count (the matrix kernel sums each element over k in one fixed order,
    /// whichever register block the row falls in), so results are bit-identical for any value.
    /// </summary>
    public int Threads
    {
        get => _threads;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), $"At least one thread, got {value}.");
            if (value == _threads) return;
            _threads = value;
            _team?.Dispose();
            _team = null;
        }
    }

    int _threads = Environment.ProcessorCount;
    WorkerTeam? _team;

    /// <summary>
    /// The reproducibility contract of the weight gradients. 1: each element is summed over every
    /// (step, trial) row in step order, one product split across the threads. 2: the trials are
    /// cut into blocks of <see cref="BlockTrials"/>; the thread that ran a block's trials forward
    /// and back through time also sums that block's rows into the block's own buffer (no row
    /// crosses cores), and the blocks are added in block order. Both give the same bits on any
    /// number of threads; they differ from each other in the last bits.
    /// </summary>
    public int Contract
    {
        get => _contract;
        set
        {
            if (value is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(value), $"Reproducibility contract 1 or 2, got {value}.");
            _contract = value;
            _time = -1;   // the row tables of the other contract are built at the next step
        }
    }

    int _contract = 1;

    /// <summary>Trials per block of the contract-2 gradient sums (the recurrences' split unit, so a block never straddles two threads).</summary>
    public const int BlockTrials = TrialAlign;

    // Contract 2: the row tables in block order (block, step, trial within the block) and each block's partial products.
    long[] _blockStepRows = [], _blockRateRows = [], _blockInputRows = [], _blockOutputRows = [];
    float[] _partialWrec = [], _partialWin = [], _partialWout = [];

    /// <summary>
    /// Set when other busy threads run beside the engine, as the trainer's minibatch drawing does:
    /// then, if the engine's threads would take every core, its workers sleep between the parts of
    /// a step instead of spinning (rdm_fixed on two engine threads of a 2-core machine: 48-51 s
    /// spinning, 25.3-30.3 s sleeping; 24.5-28.4 s on one). The trainer sets it.
    /// </summary>
    public bool SharesCores
    {
        get => _sharesCores;
        set
        {
            if (value == _sharesCores) return;
            _sharesCores = value;
            _team?.Dispose();
            _team = null;
        }
    }

    bool _sharesCores;

    /// <summary>
    /// Time this engine has spent so far in the parts of its steps that its threads share (every
    /// part but the outputs, the loss, Omega's sum and the gradient's small serial pieces), and in
    /// whatever else runs on its team, as the trainer's minibatch drawing does. On one thread, a
    /// step's time minus this is the step's measured serial part. Starts again from zero when
    /// <see cref="Threads"/> changes.
    /// </summary>
    public TimeSpan TimeInSharedParts => _team?.TimeInParts ?? TimeSpan.Zero;

    /// <summary>The threads of <see cref="Threads"/>, started at the first step that needs them (the trainer also draws minibatches on them).</summary>
    internal WorkerTeam Team => _team ??= new WorkerTeam(_threads, spin: !SharesCores || _threads < Environment.ProcessorCount);

    /// <summary>
    /// Trials per unit of the recurrences' split: pairs, so that 20 trials on two threads split
    /// 10 / 10 (with fours: 12 / 8); the matrix kernel runs ten rows as two blocks of five.
    /// </summary>
    const int TrialAlign = 2;

    /// <summary>
    /// Runs <paramref name="body"/>(start, count) over [0, <paramref name="count"/>) in contiguous
    /// parts whose starts are multiples of <paramref name="align"/>, one part per thread.
    /// </summary>
    void Split(int count, int align, Action<int, int> body)
    {
        if (count <= 0) { body(0, count); return; }
        int groups = (count + align - 1) / align;
        int parts = Math.Min(Threads, groups);
        // On the team even with one part, so that its time counts as shared work (TimeInSharedParts).
        int per = (groups + parts - 1) / parts * align;
        Team.For((count + per - 1) / per, part =>
        {
            int start = part * per;
            body(start, Math.Min(per, count - start));
        });
    }

    /// <summary>Creates the engine for a network and the objective of <paramref name="training"/>.</summary>
    public FusedEngine(ResolvedNetworkConfig network, TrainingConfig training)
    {
        _contract = training.Reproducibility;
        _network = network;
        _c = network.Config;
        _t = training;
        // At least one padding column: column N of every rate row holds 1 (see BiasColumn).
        _n = _c.N; _np = Gemm.Pad(_n + 1); _nin = _c.Nin; _nout = _c.Nout; _noutp = Gemm.Pad(_nout);
        var dynamics = network.Dynamics();
        _alpha = Pinned(_np); _oneMinusAlpha = Pinned(_np);
        dynamics.Alpha.CopyTo(_alpha, 0);
        dynamics.Decay.CopyTo(_oneMinusAlpha, 0);
        _winT = Pinned(Math.Max(_nin, 1) * _np); _wrecT = Pinned(_n * _np); _wrecE = Pinned(_n * _np);
        _woutT = Pinned(_n * _noutp); _woutE = Pinned(_nout * _np); _brec = Pinned(_np); _bout = Pinned(_noutp);
        _dWinT = Pinned(Math.Max(_nin, 1) * _np); _dWrecE = Pinned(_n * _np); _dWoutE = Pinned(_nout * _np);
        _effWin = new float[_nin * _n]; _effWrec = new float[_n * _n]; _effWout = new float[_nout * _n];
    }

    /// <inheritdoc/>
    public string Name => "fused";

    /// <summary>
    /// Engine threads a training run uses by default: every core. Under reproducibility contract 2
    /// the trainer draws each minibatch between steps on the same threads; under contract 1 the
    /// minibatches are drawn on another thread and the engine's workers sleep between parts
    /// (<see cref="SharesCores"/>). docs/performance.md has the measured times.
    /// </summary>
    public static int TrainingThreads => Environment.ProcessorCount;

    /// <summary>Creates fused engines on <see cref="TrainingThreads"/> threads (the trainer's default).</summary>
    public static EngineFactory Factory { get; } = WithThreads(TrainingThreads);

    /// <summary>Creates fused engines on <paramref name="threads"/> threads (the results do not depend on it).</summary>
    public static EngineFactory WithThreads(int threads) =>
        threads >= 1 ? new("fused", (network, training) => new FusedEngine(network, training) { Threads = threads })
        : throw new ArgumentOutOfRangeException(nameof(threads), $"At least one thread, got {threads}.");

    static float[] Pinned(int length) => GC.AllocateArray<float>(Math.Max(length, 1), pinned: true);
    static float* P(float[] a) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(a));

    /// <summary>
    /// A buffer of rows (unit vectors per time step and trial), read only through <see cref="Row"/>:
    /// one cache line longer than asked, so that its first row starts on a cache-line boundary and,
    /// rows being whole vectors, so does every row: no line holds two threads' rows, and the
    /// kernel's vector loads never straddle two lines.
    /// </summary>
    static float[] RowBuffer(int length) => Pinned(length + CacheLineFloats);

    /// <summary>The first 64-byte-aligned float of a <see cref="RowBuffer"/> (pinned, so it never moves).</summary>
    static float* Row(float[] buffer)
    {
        float* p = P(buffer);
        return p + ((CacheLineFloats - (int)(((nint)p & 63) / sizeof(float))) & (CacheLineFloats - 1));
    }

    const int CacheLineFloats = 16;

    void Ensure(int time, int trials)
    {
        int rows = (time + 1) * trials;
        if (time != _time || trials != _trials)
        {
            _time = time; _trials = trials; _trialStride = (long)(time + 1) * _np;
            int steps = time * trials;
            _x0Terms = Pinned(trials * _np);
            _stepRows = Pinned64(steps); _rateRows = Pinned64(steps); _inputRows = Pinned64(steps); _outputRows = Pinned64(steps);
            for (int t = 0; t < time; t++)
                for (int b = 0; b < trials; b++)
                {
                    int s = t * trials + b;
                    _stepRows[s] = RowAt(b, t); _rateRows[s] = RowAt(b, t + 1);
                    _inputRows[s] = (long)s * Math.Max(_nin, 1); _outputRows[s] = (long)s * _noutp;
                }
            if (_contract == 2)
            {
                _blockStepRows = Pinned64(steps); _blockRateRows = Pinned64(steps); _blockInputRows = Pinned64(steps); _blockOutputRows = Pinned64(steps);
                int q = 0;
                for (int b0 = 0; b0 < trials; b0 += BlockTrials)
                    for (int t = 0; t < time; t++)
                        for (int b = b0; b < Math.Min(b0 + BlockTrials, trials); b++, q++)
                        {
                            int s = t * trials + b;
                            _blockStepRows[q] = _stepRows[s]; _blockRateRows[q] = _rateRows[s];
                            _blockInputRows[q] = _inputRows[s]; _blockOutputRows[q] = _outputRows[s];
                        }
                int blocks = (trials + BlockTrials - 1) / BlockTrials;
                _partialWrec = Pinned(blocks * _n * _np);
                _partialWin = Pinned(blocks * Math.Max(_nin, 1) * _np);
                _partialWout = Pinned(blocks * _nout * _np);
            }
        }
        if (rows <= _capacityRows && _u.Length >= time * trials * Math.Max(_nin, 1)) return;
        _capacityRows = Math.Max(rows, _capacityRows * 5 / 4);
        int big = _capacityRows * _np, outs = _capacityRows * _noutp;
        _x = RowBuffer(big); _r = RowBuffer(big); _fp = RowBuffer(big); _g = RowBuffer(big); _d = RowBuffer(big); _a = RowBuffer(big); _re = RowBuffer(big);
        _zpre = RowBuffer(outs); _dz = RowBuffer(outs); _z = RowBuffer(_capacityRows * _nout);
        _u = RowBuffer(_capacityRows * Math.Max(_nin, 1));
        _d2 = []; _a2 = [];
        float* r = Row(_r);
        for (long row = 0; row < _capacityRows; row++) r[row * _np + BiasColumn] = 1;
    }

    /// <summary>
    /// The padding column of the rate rows that holds 1 (the activation writes only the first N
    /// units). A bias gradient is a sum of rows over steps: as the column of ones in r (and in its
    /// copy re), it comes out of the weight-gradient products, Brec's as column N of the Wrec
    /// gradient and Bout's as column N of the Wout one, each summed in step order like the serial
    /// sums they replace (x * 1 is exact, so a fused multiply-add by 1 rounds as an addition does).
    /// </summary>
    int BiasColumn => _n;

    static long[] Pinned64(int length) => GC.AllocateArray<long>(Math.Max(length, 1), pinned: true);
    static long* P(long[] a) => (long*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(a));

    /// <summary>Offset (in floats) of trial <paramref name="b"/>'s row <paramref name="i"/> in a unit-wide row buffer.</summary>
    long RowAt(int b, int i) => b * _trialStride + (long)i * _np;

    /// <summary>
    /// The effective weights, row ranges on every thread, straight into the kernels' layouts (the
    /// padding stays zero from allocation): no serial pass over the weights.
    /// </summary>
    void LoadWeights(NetworkParameters p)
    {
        EffectiveWeights.ComputeOutputs(_c, p, _effWout);
        for (int o = 0; o < _nout; o++)
        {
            for (int k = 0; k < _n; k++) { float w = _effWout[o * _n + k]; _woutT[k * _noutp + o] = w; _woutE[o * _np + k] = w; }
            _bout[o] = p.Bout[o];
        }
        // Ranges of whole cache lines of units, so that no line of the transposes is written by two threads.
        Split(_n, CacheLineFloats, (i0, count) =>
        {
            EffectiveWeights.ComputeUnitRows(_c, p, i0, i0 + count, _effWin, _effWrec);
            for (int i = i0; i < i0 + count; i++)
            {
                for (int c = 0; c < _nin; c++) _winT[c * _np + i] = _effWin[i * _nin + c];
                for (int k = 0; k < _n; k++) { float w = _effWrec[i * _n + k]; _wrecT[k * _np + i] = w; _wrecE[i * _np + k] = w; }
                _brec[i] = p.Brec[i];
            }
        });
    }

    void CheckBatch(NetworkParameters p, Batch batch)
    {
        if (p.N != _n || p.Nin != _nin || p.Nout != _nout)
            throw new ArgumentException($"Parameters are {p.Nin}/{p.N}/{p.Nout} (Nin/N/Nout), the engine was built for {_nin}/{_n}/{_nout}.");
        if (batch.N != _n || batch.Nin != _nin || batch.Nout != _nout)
            throw new ArgumentException($"Batch is {batch.Nin}/{batch.N}/{batch.Nout} (Nin/N/Nout), the network {_nin}/{_n}/{_nout}.");
    }

    /// <summary>Forward pass: fills x, r (times 0..T), readout and outputs z.</summary>
    void Forward(NetworkParameters p, Batch batch)
    {
        CheckBatch(p, batch);
        int time = batch.Time, bsz = batch.Trials, rows = time * bsz, np = _np;
        Ensure(time, bsz);
        LoadWeights(p);
        float* u = Row(_u), zpre = Row(_zpre), z = Row(_z);
        var f = _c.HiddenActivation;
        if (_nin > 0) batch.Inputs.AsSpan().CopyTo(new Span<float>(u, rows * _nin));
        var noiseArray = batch.RecurrentNoise;
        var x0 = p.X0;
        // Whole trials per thread, from input to readout: every row a thread reads, it wrote.
        Split(bsz, TrialAlign, (b0, nb) =>
        {
            float* xs = Row(_x), rs = Row(_r), us = Row(_u), wrecT = P(_wrecT);
            int stride = (int)_trialStride;
            fixed (float* noise = noiseArray)
                for (int b = b0; b < b0 + nb; b++)
                {
                    float* xb = xs + RowAt(b, 0);
                    new Span<float>(xb, np).Clear();
                    x0.AsSpan().CopyTo(new Span<float>(xb, np));
                    Activations.Hidden(f, new ReadOnlySpan<float>(xb, _n), new Span<float>(rs + RowAt(b, 0), _n));
                    // Input drive of every step at once: Win_ u_t + brec + noise, into x rows 1..T.
                    float* drive = xb + np;
                    if (_nin > 0) Gemm.Multiply(time, _nin, np, us + b * _nin, bsz * _nin, 1, P(_winT), np, drive, np, false);
                    else new Span<float>(drive, time * np).Clear();
                    for (int t = 0; t < time; t++)
                    {
                        var d = new Span<float>(drive + (long)t * np, _n);
                        TensorPrimitives.Add(d, new ReadOnlySpan<float>(_brec, 0, _n), d);
                        TensorPrimitives.Add(d, new ReadOnlySpan<float>(noise + ((long)t * bsz + b) * _n, _n), d);
                    }
                }

            // Recurrence: x_t = (1 - alpha) x_{t-1} + alpha (Wrec_ r_{t-1} + drive_t), and the readout
            // of r_t while its rows are in the first-level cache (as a pass of its own it read every
            // rate row back from memory).
            float* zp = Row(_zpre);
            for (int t = 1; t <= time; t++)
            {
                Gemm.Multiply(nb, _n, np, rs + RowAt(b0, t - 1), stride, 1, wrecT, np, xs + RowAt(b0, t), stride, true);
                for (int b = b0; b < b0 + nb; b++)
                {
                    float* xt = xs + RowAt(b, t);
                    var x = new Span<float>(xt, np);
                    EulerStep.Apply(new ReadOnlySpan<float>(xt - np, np), _alpha, _oneMinusAlpha, x);
                    Activations.Hidden(f, x[.._n], new Span<float>(rs + RowAt(b, t), _n));
                }
                Gemm.Multiply(nb, _n, _noutp, rs + RowAt(b0, t), stride, 1, P(_woutT), _noutp, zp + ((long)(t - 1) * bsz + b0) * _noutp, _noutp, false);
            }
        });
        // Outputs on one thread: a row of z is Nout floats, so neighbouring trials share cache lines.
        if (_c.OutputActivation == OutputActivation.Linear)
        {
            // The common case, without two calls per row (5,000 rows at N = 100, T = 250).
            for (long s = 0; s < rows; s++)
                for (int o = 0; o < _nout; o++) z[s * _nout + o] = zpre[s * _noutp + o] + _bout[o];
            return;
        }
        for (int s = 0; s < rows; s++)
        {
            var a = new Span<float>(zpre + (long)s * _noutp, _nout);
            TensorPrimitives.Add(a, new ReadOnlySpan<float>(_bout, 0, _nout), a);
            Activations.Output(_c.OutputActivation, a, new Span<float>(z + (long)s * _nout, _nout));
        }
    }

    (double Loss, double Rmse) Loss(Batch batch)
    {
        int rows = batch.Time * batch.Trials;
        double mSum = 0, lossSum = 0, sq = 0;
        var g = _c.OutputActivation;
        float* z = Row(_z);
        for (int k = 0; k < rows * _nout; k++)
        {
            double m = batch.Mask[k];
            if (m == 0) continue;
            double zz = z[k], y = batch.Targets[k];
            mSum += m;
            lossSum += m * Activations.Loss(g, zz, y);
            sq += m * (zz - y) * (zz - y);
        }
        if (mSum <= 0) throw new ArgumentException("The batch mask is zero everywhere: there is nothing to fit.");
        return (lossSum / mSum, Math.Sqrt(sq / mSum));
    }

    double Regularisers(NetworkParameters p, Batch batch)
    {
        double reg = 0;
        if (p.Win is not null) reg += WeightRegulariser(p.Win.Data, _t.Lambda1In, _t.Lambda2In);
        reg += WeightRegulariser(p.Wrec.Data, _t.Lambda1Rec, _t.Lambda2Rec);
        reg += WeightRegulariser(p.Wout.Data, _t.Lambda1Out, _t.Lambda2Out);
        if (_t.Lambda2R > 0)
        {
            int rows = batch.Time * batch.Trials;
            float* r = Row(_r);
            double s = 0;
            for (int k = 0; k < rows; k++) s += TensorPrimitives.SumOfSquares(new ReadOnlySpan<float>(r + _rateRows[k], _n));
            reg += _t.Lambda2R * s / ((double)rows * _n);
        }
        return reg;
    }

    /// <summary>
    /// lambda1 mean|W| + lambda2 mean(W^2). Each mean is skipped when its lambda is zero, as it is
    /// by default (they are serial sums over the whole matrix).
    /// </summary>
    static double WeightRegulariser(float[] w, double l1, double l2)
    {
        double reg = 0;
        if (l1 != 0) { double s = 0; foreach (var v in w) s += Math.Abs(v); reg += l1 * (s / w.Length); }
        if (l2 != 0) { double s = 0; foreach (var v in w) s += (double)v * v; reg += l2 * (s / w.Length); }
        return reg;
    }

    /// <inheritdoc/>
    public Evaluation Evaluate(NetworkParameters parameters, Batch batch)
    {
        Forward(parameters, batch);
        var (loss, rmse) = Loss(batch);
        double cost = loss + Regularisers(parameters, batch);
        var outputs = new float[batch.Time * batch.Trials * _nout];
        new ReadOnlySpan<float>(Row(_z), outputs.Length).CopyTo(outputs);
        return new Evaluation(loss, cost, rmse, new BatchOutputs(batch.Time, batch.Trials, _nout, outputs));
    }

    /// <inheritdoc/>
    public GradientResult ComputeGradient(NetworkParameters parameters, Batch batch)
    {
        Forward(parameters, batch);
        var (loss, rmse) = Loss(batch);
        double cost = loss + Regularisers(parameters, batch);
        int time = batch.Time, bsz = batch.Trials, rows = time * bsz, np = _np;
        float* r = Row(_r), dz = Row(_dz), a = Row(_a), re = Row(_re);

        // dLoss / d(readout pre-activation), mask-weighted and normalised.
        OutputGradient(batch, dz);
        var gx0 = new float[_n];
        // Omega's sums of squares, stored trial by trial (OmegaIndex): each thread writes its own range.
        var num = new double[rows];
        var den = new double[rows];
        BackwardThroughTime(time, bsz, _g, _d, _a, gx0, fromOutputs: true, (b0, nb, i) => OmegaSums(time, b0, nb, i, num, den));

        var grad = NetworkParameters.Zeros(_nin, _n, _nout);
        // Omega: d_t = dLoss/dx_t (loss only), x_t held fixed; immediate derivative through Wrec_.
        var (omega, count) = OmegaTerm(time, bsz, re, num, den);
        // Wrec_ gradient: sum_t a_t^T (r_{t-1} + lambda_Omega E_t), one product over every step, in step order.
        if (_contract == 1)
        {
            Gemm.MultiplyGathered(_n, rows, np, a, 1, P(_stepRows), re, P(_stepRows), P(_dWrecE), np, false, Team);
            if (_nin > 0) Gemm.MultiplyGathered(_nin, rows, np, Row(_u), 1, P(_inputRows), a, P(_stepRows), P(_dWinT), np, false, Team);
            Gemm.MultiplyGathered(_nout, rows, np, dz, 1, P(_outputRows), r, P(_rateRows), P(_dWoutE), np, false, Team);
        }
        else BlockGradients(time, bsz, a, re, r, dz);
        AddBiasColumn(_dWrecE, _n, grad.Brec);
        AddBiasColumn(_dWoutE, _nout, grad.Bout);

        if (_t.Lambda2R > 0) RateRegulariserGradient(batch, gx0, grad.Brec);

        // Effective -> raw, then weight regularisers on the raw matrices (unit rows on every thread).
        Split(_n, 1, (i0, count) =>
        {
            if (_nin > 0)
            {
                for (int i = i0; i < i0 + count; i++) for (int c = 0; c < _nin; c++) grad.Win![i, c] = _dWinT[c * np + i];
                var rows = grad.Win!.Data.AsSpan(i0 * _nin, count * _nin);
                EffectiveWeights.BackToRaw(rows, parameters.Win!, _c.Cin, _c.HasDale, null, _c.EiPositiveFunc, i0 * _nin);
                AddWeightRegularisers(rows, parameters.Win!.Data, i0 * _nin, _t.Lambda1In, _t.Lambda2In);
            }
            for (int i = i0; i < i0 + count; i++) new ReadOnlySpan<float>(_dWrecE, i * np, _n).CopyTo(grad.Wrec.Row(i));
            var wrecRows = grad.Wrec.Data.AsSpan(i0 * _n, count * _n);
            EffectiveWeights.BackToRaw(wrecRows, parameters.Wrec, _c.Crec, _c.HasDale, _c.Ei, _c.EiPositiveFunc, i0 * _n);
            AddWeightRegularisers(wrecRows, parameters.Wrec.Data, i0 * _n, _t.Lambda1Rec, _t.Lambda2Rec);
        });
        for (int o = 0; o < _nout; o++) new ReadOnlySpan<float>(_dWoutE, o * np, _n).CopyTo(grad.Wout.Row(o));
        EffectiveWeights.BackToRaw(grad.Wout.Data, parameters.Wout, _c.Cout, _c.HasDale, _c.Ei, _c.EiPositiveFunc);
        AddWeightRegularisers(grad.Wout.Data, parameters.Wout.Data, 0, _t.Lambda1Out, _t.Lambda2Out);

        if (_c.TrainX0) gx0.CopyTo(grad.X0);
        if (!_c.TrainBrec) Array.Clear(grad.Brec);
        if (!_c.TrainBout) Array.Clear(grad.Bout);
        return new GradientResult(loss, cost, rmse, omega, count, grad);
    }

    /// <summary>
    /// Contract 2's weight gradients: each block's products on the thread that owns its trials,
    /// into the block's buffers; then, split by rows of the result, the blocks added in block order.
    /// </summary>
    void BlockGradients(int time, int bsz, float* a, float* re, float* r, float* dz)
    {
        int np = _np, nin = _nin, n = _n, nout = _nout, blocks = (bsz + BlockTrials - 1) / BlockTrials;
        nint pa = (nint)a, pre = (nint)re, pr = (nint)r, pdz = (nint)dz, pu = (nint)Row(_u);
        Split(bsz, TrialAlign, (b0, count) =>
        {
            for (int j = b0 / BlockTrials; j * BlockTrials < b0 + count; j++)
            {
                int first = j * BlockTrials, k = Math.Min(BlockTrials, bsz - first) * time;
                long q0 = (long)first * time;
                Gemm.MultiplyGathered(n, k, np, (float*)pa, 1, P(_blockStepRows) + q0, (float*)pre, P(_blockStepRows) + q0, P(_partialWrec) + (long)j * n * np, np, false);
                if (nin > 0) Gemm.MultiplyGathered(nin, k, np, (float*)pu, 1, P(_blockInputRows) + q0, (float*)pa, P(_blockStepRows) + q0, P(_partialWin) + (long)j * nin * np, np, false);
                Gemm.MultiplyGathered(nout, k, np, (float*)pdz, 1, P(_blockOutputRows) + q0, (float*)pr, P(_blockRateRows) + q0, P(_partialWout) + (long)j * nout * np, np, false);
            }
        });
        // Every element: ((block 0 + block 1) + block 2) + ..., whichever thread adds it.
        void Reduce(float[] partial, float[] into, int m) => Split(m, 1, (i0, count) =>
        {
            for (int i = i0; i < i0 + count; i++)
            {
                var row = into.AsSpan(i * np, np);
                partial.AsSpan(i * np, np).CopyTo(row);
                for (int j = 1; j < blocks; j++) System.Numerics.Tensors.TensorPrimitives.Add(row, partial.AsSpan((j * m + i) * np, np), row);
            }
        });
        Reduce(_partialWrec, _dWrecE, n);
        if (nin > 0) Reduce(_partialWin, _dWinT, nin);
        Reduce(_partialWout, _dWoutE, nout);
    }

    void OutputGradient(Batch batch, float* dz)
    {
        int rows = batch.Time * batch.Trials;
        double mSum = batch.MaskSum();
        float inv = (float)(1 / mSum);
        float* z = Row(_z);
        new Span<float>(dz, rows * _noutp).Clear();
        const float eps = (float)Activations.Epsilon;
        for (int s = 0; s < rows; s++)
        {
            float* zs = z + (long)s * _nout, gs = dz + (long)s * _noutp;
            int k0 = s * _nout;
            switch (_c.OutputActivation)
            {
                case OutputActivation.Linear:
                    for (int o = 0; o < _nout; o++) gs[o] = 2 * (zs[o] - batch.Targets[k0 + o]) * batch.Mask[k0 + o] * inv;
                    break;
                case OutputActivation.Sigmoid:
                    for (int o = 0; o < _nout; o++)
                    {
                        float zz = zs[o], y = batch.Targets[k0 + o];
                        float dl = (-y / (zz + eps) + (1 - y) / (1 - zz + eps)) * batch.Mask[k0 + o] * inv;
                        gs[o] = dl * zz * (1 - zz);
                    }
                    break;
                case OutputActivation.Softmax:
                    float dot = 0;
                    for (int o = 0; o < _nout; o++)
                    {
                        float dl = -batch.Targets[k0 + o] / (zs[o] + eps) * batch.Mask[k0 + o] * inv;
                        gs[o] = dl;
                        dot += dl * zs[o];
                    }
                    for (int o = 0; o < _nout; o++) gs[o] = zs[o] * (gs[o] - dot);
                    break;
            }
        }
    }

    /// <summary>
    /// Computes d_t = dLoss/dx_t (total) and a_t = alpha d_t from g = dLoss/dr_t (direct) for steps
    /// 1..T, and adds dLoss/dx_0 summed over trials to <paramref name="gx0"/>. With
    /// <paramref name="fromOutputs"/> (the loss's pass), each step first writes its g rows from the
    /// output gradient, g_t = dz_t Wout_, and its f'(x_t) rows, while they are needed: written in a
    /// pass of their own before, they came back from memory. Otherwise g and f'(x) are already in
    /// <paramref name="gBuffer"/> and the f'(x) buffer. <paramref name="afterStep"/>(first trial,
    /// trials, step) runs after each step's d and a rows.
    /// </summary>
    void BackwardThroughTime(int time, int bsz, float[] gBuffer, float[] dBuffer, float[] aBuffer, float[] gx0,
        bool fromOutputs = false, Action<int, int, int>? afterStep = null)
    {
        int np = _np;
        // Each trial's term of dLoss/dx_0, f'(x_0) (Wrec_^T a_1) + (1 - alpha) d_1, one row per trial.
        var x0Terms = _x0Terms;
        // Whole trials per thread, backwards in time.
        Split(bsz, TrialAlign, (b0, nb) =>
        {
            float* gs = Row(gBuffer), ds = Row(dBuffer), asb = Row(aBuffer), fs = Row(_fp), we = P(_wrecE), xs = Row(_x);
            int stride = (int)_trialStride;
            for (int i = time - 1; i >= 0; i--)
            {
                if (fromOutputs)
                {
                    Gemm.Multiply(nb, _nout, np, Row(_dz) + ((long)i * bsz + b0) * _noutp, _noutp, 1, P(_woutE), np, gs + RowAt(b0, i), stride, false);
                    for (int b = b0; b < b0 + nb; b++)
                        Activations.HiddenDerivative(_c.HiddenActivation, new ReadOnlySpan<float>(xs + RowAt(b, i + 1), np), new Span<float>(fs + RowAt(b, i), np));
                }
                if (i < time - 1) Gemm.Multiply(nb, _n, np, asb + RowAt(b0, i + 1), stride, 1, we, np, gs + RowAt(b0, i), stride, true);
                for (int b = b0; b < b0 + nb; b++)
                {
                    long o = RowAt(b, i);
                    var d = new Span<float>(ds + o, np);
                    TensorPrimitives.Multiply(new ReadOnlySpan<float>(gs + o, np), new ReadOnlySpan<float>(fs + o, np), d);
                    if (i < time - 1) TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(ds + o + np, np), _oneMinusAlpha, d, d);
                    TensorPrimitives.Multiply(d, _alpha, new Span<float>(asb + o, np));
                }
                afterStep?.Invoke(b0, nb, i);
            }
            float* terms = P(x0Terms) + b0 * np, f0 = stackalloc float[np];
            Gemm.Multiply(nb, _n, np, asb + RowAt(b0, 0), stride, 1, we, np, terms, np, false);
            for (int b = 0; b < nb; b++)
            {
                float* term = terms + b * np, d1 = ds + RowAt(b0 + b, 0);
                Activations.HiddenDerivative(_c.HiddenActivation, new ReadOnlySpan<float>(Row(_x) + RowAt(b0 + b, 0), _n), new Span<float>(f0, _n));
                for (int i = 0; i < _n; i++) term[i] = term[i] * f0[i] + _oneMinusAlpha[i] * d1[i];
            }
        });
        // Summed over trials in trial order.
        for (int b = 0; b < bsz; b++) TensorPrimitives.Add(gx0, new ReadOnlySpan<float>(x0Terms, b * np, _n), gx0);
    }

    /// <summary>
    /// Omega's sums at step <paramref name="i"/> of trials [b0, b0 + nb), run by the backward pass
    /// right after their d and a rows, while those are in the first-level cache (as a pass of its
    /// own it read every row back from memory): q = (alpha d) Wrec_, written over g (which that
    /// step has used), then num = |q f'(x) + (1 - alpha) d|^2 and den = |d|^2.
    /// </summary>
    void OmegaSums(int time, int b0, int nb, int i, double[] num, double[] den)
    {
        int np = _np, stride = (int)_trialStride;
        float* q = Row(_g) + RowAt(b0, i), d = Row(_d) + RowAt(b0, i), f = Row(_fp) + RowAt(b0, i);
        Gemm.Multiply(nb, _n, np, Row(_a) + RowAt(b0, i), stride, 1, P(_wrecE), np, q, stride, false);
        for (int b = 0; b < nb; b++)
        {
            long o = b * _trialStride;
            var nv = new Span<float>(q + o, _n);
            TensorPrimitives.Multiply(nv, new ReadOnlySpan<float>(f + o, _n), nv);
            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(d + o, _n), new ReadOnlySpan<float>(_oneMinusAlpha, 0, _n), nv, nv);
        }
        SumSquares(q, d, nb, _trialStride, num, den, OmegaIndex(b0, i, time), OmegaIndex(1, 0, time));
    }

    /// <summary>Where Omega's sums for trial <paramref name="b"/> at step <paramref name="t"/> are kept: trial by trial, as the rows.</summary>
    static int OmegaIndex(int b, int t, int time) => b * time + t;

    /// <summary>
    /// Omega and its immediate gradient from the sums <paramref name="num"/> and
    /// <paramref name="den"/> (<see cref="OmegaSums"/>). Writes r_{t-1} + lambda_Omega E_t into
    /// <paramref name="re"/>, where E_t = dOmega/dnum_t-weighted (num vector * f'(x_t)), so that
    /// one product a^T re gives the whole Wrec_ gradient.
    /// </summary>
    (double Omega, double Count) OmegaTerm(int time, int bsz, float* re, double[] num, double[] den)
    {
        int np = _np, rows = time * bsz;
        int valid = 0;
        double sum = 0;
        // Summed in step order, s = t * trials + b.
        for (int s = 0; s < rows; s++)
        {
            int k = OmegaIndex(s % bsz, s / bsz, time);
            double ds = den[k];
            if (Omega.Counts(ds, _t.Bound)) { valid++; sum += Omega.Term(num[k], ds); }
        }
        double omega = valid > 0 ? sum / valid : 0;
        float lam = (float)_t.LambdaOmega;
        nint rep = (nint)re;
        Split(bsz, TrialAlign, (b0, nb) =>
        {
            float* qq = Row(_g), ff = Row(_fp), rr = Row(_r);
            for (int b = b0; b < b0 + nb; b++)
                for (int t = 0; t < time; t++)
                {
                    // re = r_{t-1}, plus the Omega term.
                    long o = RowAt(b, t);
                    float* ds = (float*)rep + o;
                    new ReadOnlySpan<float>(rr + o, np).CopyTo(new Span<float>(ds, np));
                    double ns = num[OmegaIndex(b, t, time)], dns = den[OmegaIndex(b, t, time)];
                    if (valid == 0 || lam == 0 || !Omega.Counts(dns, _t.Bound)) continue;
                    float coef = (float)Omega.TermGradient(ns, dns, valid) * 2 * lam;
                    float* qs = qq + o, fs = ff + o;
                    // ds += (coef q) f, vector by vector: the same three roundings as the scalar expression.
                    int j = 0;
                    for (var c = Vector512.Create(coef); j + 16 <= _n; j += 16)
                        (Vector512.Load(ds + j) + c * Vector512.Load(qs + j) * Vector512.Load(fs + j)).Store(ds + j);
                    for (; j < _n; j++) ds[j] += coef * qs[j] * fs[j];
                }
        });
        return (omega, valid / (double)rows);
    }

    /// <summary>
    /// num[index0 + i * indexStride] and den[...] = the sums of squares of the first N values of
    /// rows i of <paramref name="nv"/> and <paramref name="d"/> (rows <paramref name="rowStride"/>
    /// floats apart), each added unit by unit in order (in double); two rows at a time, so that
    /// four independent sums overlap instead of each addition waiting for the one before. Each
    /// value is converted once into a fresh local: squaring two conversions from memory made the
    /// loop three times slower (the conversion instruction keeps a false dependency on its
    /// destination register).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void SumSquares(float* nv, float* d, int count, long rowStride, double[] num, double[] den, int index0, int indexStride)
    {
        int r = 0, n = _n;
        for (; r + 1 < count; r += 2)
        {
            float* a0 = nv + r * rowStride, a1 = a0 + rowStride, b0 = d + r * rowStride, b1 = b0 + rowStride;
            double n0 = 0, n1 = 0, d0 = 0, d1 = 0;
            for (int j = 0; j < n; j++)
            {
                double x0 = a0[j], x1 = a1[j], y0 = b0[j], y1 = b1[j];
                n0 += x0 * x0; n1 += x1 * x1; d0 += y0 * y0; d1 += y1 * y1;
            }
            int k = index0 + r * indexStride;
            num[k] = n0; num[k + indexStride] = n1; den[k] = d0; den[k + indexStride] = d1;
        }
        for (; r < count; r++)
        {
            float* a0 = nv + r * rowStride, b0 = d + r * rowStride;
            double n0 = 0, d0 = 0;
            for (int j = 0; j < n; j++) { double x0 = a0[j], y0 = b0[j]; n0 += x0 * x0; d0 += y0 * y0; }
            int k = index0 + r * indexStride;
            num[k] = n0; den[k] = d0;
        }
    }

    /// <summary>Adds column <see cref="BiasColumn"/> of a weight gradient (<paramref name="rows"/> rows of _np floats) to <paramref name="into"/>.</summary>
    void AddBiasColumn(float[] gradient, int rows, float[] into)
    {
        for (int i = 0; i < rows; i++) into[i] += gradient[i * _np + BiasColumn];
    }

    /// <summary>Adds the gradient of lambda2_r mean(r^2) (a second backward pass: Omega uses the loss alone).</summary>
    void RateRegulariserGradient(Batch batch, float[] gx0, float[] gbrec)
    {
        int time = batch.Time, bsz = batch.Trials, rows = time * bsz, np = _np;
        if (_d2.Length < _d.Length) { _d2 = RowBuffer(_d.Length); _a2 = RowBuffer(_a.Length); }
        float* g = Row(_g), a2 = Row(_a2), r = Row(_r);
        float scale = (float)(2 * _t.Lambda2R / ((double)rows * _n));
        for (int s = 0; s < rows; s++)
        {
            var gs = new Span<float>(g + _stepRows[s], np);
            gs.Clear();
            TensorPrimitives.Multiply(new ReadOnlySpan<float>(r + _rateRows[s], _n), scale, gs[.._n]);
        }
        BackwardThroughTime(time, bsz, _g, _d2, _a2, gx0);
        // The bias column restarts from zero: it sums this pass's rows alone, and the gradient adds the two sums.
        for (int i = 0; i < _n; i++) _dWrecE[i * np + BiasColumn] = 0;
        Gemm.MultiplyGathered(_n, rows, np, a2, 1, P(_stepRows), r, P(_stepRows), P(_dWrecE), np, true, Team);
        if (_nin > 0) Gemm.MultiplyGathered(_nin, rows, np, Row(_u), 1, P(_inputRows), a2, P(_stepRows), P(_dWinT), np, true, Team);
        AddBiasColumn(_dWrecE, _n, gbrec);
    }

    /// <summary>Adds the gradient of lambda1 mean|W| + lambda2 mean(W^2) to elements [offset, offset + grad.Length) of W's gradient.</summary>
    static void AddWeightRegularisers(Span<float> grad, float[] w, int offset, double l1, double l2)
    {
        if (l1 == 0 && l2 == 0) return;
        double n = w.Length;
        for (int i = 0; i < grad.Length; i++)
        {
            float v = w[offset + i];
            grad[i] += (float)(l1 * Math.Sign(v) / n + 2 * l2 * v / n);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _team?.Dispose();
        _team = null;
    }
}
