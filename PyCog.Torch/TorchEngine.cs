using PyCog.Network;
using PyCog.Tasks;
using PyCog.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace PyCog.Torch;

/// <summary>
/// The reference engine: the same objective as <see cref="FusedEngine"/> written with
/// TorchSharp tensors and differentiated by autograd, every step inside a dispose scope.
/// It is the extension point: <see cref="ExtraLoss"/> adds any differentiable term to the cost
/// without touching the library (pycog needed Theano for that).
/// </summary>
public sealed class TorchEngine : ITrainingEngine
{
    readonly NetworkConfig _c;
    readonly TrainingConfig _t;
    readonly NetworkDynamics _dynamics;
    readonly ScalarType _dtype;
    readonly TorchModel _model;

    /// <summary>
    /// Optional extra cost term (added to loss + regularisers, not to the loss seen by Omega). Keep
    /// every number it uses in a long-lived <see cref="Scalar"/> (<c>Scalar w = 0.5;</c>, then
    /// <c>t.mul(w)</c>) or a 0-dimensional tensor: in TorchSharp 0.107, <c>+</c>, <c>-</c>, a tensor
    /// times a number, <c>pow</c> and <c>square</c> pass libtorch a temporary Scalar that a garbage
    /// collection can free during the call (a sporadic "toFloat"/"toDouble" check failure).
    /// </summary>
    public Func<TorchGraph, Tensor>? ExtraLoss { get; set; }

    /// <summary>Creates the engine; <paramref name="dtype"/> Float64 gives a double-precision reference.</summary>
    public TorchEngine(ResolvedNetworkConfig network, TrainingConfig training, ScalarType dtype = ScalarType.Float32)
    {
        _c = network.Config;
        _t = training;
        _dynamics = network.Dynamics();
        if (dtype != ScalarType.Float32 && dtype != ScalarType.Float64) throw new ArgumentException("The torch engine computes in Float32 or Float64.", nameof(dtype));
        _dtype = dtype;
        _model = new TorchModel(_c.HiddenActivation, dtype);
    }

    // Before any field initialiser touches TorchSharp (the Scalars below): its native libraries
    // must be prepared before TorchSharp's own static constructor first runs.
    static TorchEngine() => TorchRuntime.EnsureLoaded();

    /// <inheritdoc/>
    public string Name => "torch";

    /// <summary>
    /// Creates torch engines for the trainer, each with <paramref name="extraLoss"/> (any
    /// differentiable function of the network's tensors, added to the cost) when given:
    /// <c>new Trainer(task) { Engine = TorchEngine.Factory(g =&gt; ...) }</c>.
    /// </summary>
    public static EngineFactory Factory(Func<TorchGraph, Tensor>? extraLoss = null, int? threads = null) =>
        new("torch", (network, training) =>
        {
            var engine = new TorchEngine(network, training) { ExtraLoss = extraLoss };
            if (threads is int n) torch.set_num_threads(n);
            return engine;
        });

    Tensor T(float[] data, params long[] dims) => torch.tensor(data, dims, ScalarType.Float32).to_type(_dtype);

    // The model's tensor form (activations, Euler step, Omega) and its safe arithmetic: constants are
    // 0-dimensional tensors and additions go through long-lived Scalars (TorchModel's summary says why).
    Tensor C(double v) => _model.C(v);
    Tensor Add(Tensor a, Tensor b) => _model.Add(a, b);
    Tensor Sub(Tensor a, Tensor b) => _model.Sub(a, b);
    static Tensor Sq(Tensor a) => TorchModel.Sq(a);
    Tensor Leaf(float[] data, params long[] dims) => T(data, dims).requires_grad_(true);

    Tensor Effective(Tensor w, Connectivity? c, bool withEi)
    {
        if (c is not null) w = Add(w * T(c.PlasticMask.Data, c.Rows, c.Cols), T(c.Fixed.Data, c.Rows, c.Cols));
        if (_c.Ei is null) return w;
        w = _c.EiPositiveFunc == PositiveFunction.Abs ? w.abs() : w.relu();
        return withEi ? w * T(_c.Ei.Select(e => (float)e).ToArray(), _c.N) : w;
    }

    sealed record Forwarded(Tensor? WinE, Tensor WrecE, Tensor WoutE, List<Tensor> Xs, Tensor R, Tensor Z, Tensor Y, Tensor M, Tensor Loss, Tensor Rmse, Tensor Alpha, Tensor Decay);

    Forwarded Forward(Tensor? win, Tensor wrec, Tensor wout, Tensor brec, Tensor bout, Tensor x0, Batch batch)
    {
        if (batch.N != _c.N || batch.Nin != _c.Nin || batch.Nout != _c.Nout)
            throw new ArgumentException($"Batch is {batch.Nin}/{batch.N}/{batch.Nout} (Nin/N/Nout), the network {_c.Nin}/{_c.N}/{_c.Nout}.");
        int time = batch.Time, bsz = batch.Trials, n = _c.N;
        var winE = win is null ? null : Effective(win, _c.Cin, withEi: false);
        var wrecE = Effective(wrec, _c.Crec, withEi: true);
        var woutE = Effective(wout, _c.Cout, withEi: true);
        var alpha = T(_dynamics.Alpha, n);
        var u = _c.Nin > 0 ? T(batch.Inputs, time, bsz, _c.Nin) : null;
        var noise = T(batch.RecurrentNoise, time, bsz, n);
        // Input drive and noise for every step at once; only the recurrence is sequential.
        var drive = Add(noise, brec);
        if (u is not null) drive = Add(drive, u.matmul(winE!.t()));
        var x = x0.unsqueeze(0).expand(bsz, n);
        var r = _model.Hidden(x);
        var wrecT = wrecE.t();
        var decay = T(_dynamics.Decay, n);
        var xs = new List<Tensor>(time);
        var rs = new List<Tensor>(time);
        for (int t = 0; t < time; t++)
        {
            x = _model.Step(x, Add(r.mm(wrecT), drive[t]), alpha, decay);
            r = _model.Hidden(x);
            xs.Add(x); rs.Add(r);
        }
        var rAll = stack(rs, 0);
        var pre = Add(rAll.matmul(woutE.t()), bout);
        var z = _c.OutputActivation switch
        {
            OutputActivation.Linear => pre,
            OutputActivation.Sigmoid => pre.sigmoid(),
            OutputActivation.Softmax => pre.softmax(-1),
            _ => throw new ArgumentOutOfRangeException(),
        };
        var y = T(batch.Targets, time, bsz, _c.Nout);
        var m = T(batch.Mask, time, bsz, _c.Nout);
        var eps = C(Activations.Epsilon);
        var one = C(1);
        var perElement = _c.OutputActivation switch
        {
            OutputActivation.Linear => Sq(Sub(z, y)),
            OutputActivation.Sigmoid => Sub(-y * Add(z, eps).log(), Sub(one, y) * Add(Sub(one, z), eps).log()),
            _ => -y * Add(z, eps).log(),
        };
        var mSum = m.sum();
        if (mSum.to_type(ScalarType.Float64).item<double>() <= 0) throw new ArgumentException("The batch mask is zero everywhere: there is nothing to fit.");
        var loss = (perElement * m).sum() / mSum;
        var rmse = (Sq(Sub(z, y)) * m).sum().div(mSum).sqrt();
        return new Forwarded(winE, wrecE, woutE, xs, rAll, z, y, m, loss, rmse, alpha, decay);
    }

    Tensor Regularisers(Tensor? win, Tensor wrec, Tensor wout, Tensor rAll)
    {
        var reg = C(0);
        if (win is not null)
        {
            if (_t.Lambda1In > 0) reg = Add(reg, C(_t.Lambda1In) * win.abs().mean());
            if (_t.Lambda2In > 0) reg = Add(reg, C(_t.Lambda2In) * Sq(win).mean());
        }
        if (_t.Lambda1Rec > 0) reg = Add(reg, C(_t.Lambda1Rec) * wrec.abs().mean());
        if (_t.Lambda2Rec > 0) reg = Add(reg, C(_t.Lambda2Rec) * Sq(wrec).mean());
        if (_t.Lambda1Out > 0) reg = Add(reg, C(_t.Lambda1Out) * wout.abs().mean());
        if (_t.Lambda2Out > 0) reg = Add(reg, C(_t.Lambda2Out) * Sq(wout).mean());
        if (_t.Lambda2R > 0) reg = Add(reg, C(_t.Lambda2R) * Sq(rAll).mean());
        return reg;
    }

    static double Scalar(Tensor t) => t.to_type(ScalarType.Float64).item<double>();
    static float[] Floats(Tensor t) => t.detach().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();

    (Tensor? Win, Tensor Wrec, Tensor Wout, Tensor Brec, Tensor Bout, Tensor X0) Leaves(NetworkParameters p) => (
        p.Win is null ? null : Leaf(p.Win.Data, p.N, p.Nin),
        Leaf(p.Wrec.Data, p.N, p.N), Leaf(p.Wout.Data, p.Nout, p.N),
        Leaf(p.Brec, p.N), Leaf(p.Bout, p.Nout), Leaf(p.X0, p.N));

    /// <inheritdoc/>
    public GradientResult ComputeGradient(NetworkParameters parameters, Batch batch)
    {
        using var scope = NewDisposeScope();
        var (win, wrec, wout, brec, bout, x0) = Leaves(parameters);
        var f = Forward(win, wrec, wout, brec, bout, x0, batch);
        var cost = Add(f.Loss, Regularisers(win, wrec, wout, f.R));
        if (ExtraLoss is not null)
        {
            var extra = ExtraLoss(new TorchGraph
            {
                Config = _c, Win = f.WinE, Wrec = f.WrecE, Wout = f.WoutE, X = f.Xs, R = f.R, Z = f.Z, Targets = f.Y, Mask = f.M, Loss = f.Loss,
            });
            if (extra.numel() != 1) throw new InvalidOperationException($"ExtraLoss must return a scalar tensor, got shape [{string.Join(", ", extra.shape)}].");
            cost = Add(cost, extra.sum().to_type(_dtype));
        }

        // d_t = dLoss/dx_t through time (pycog's Pascanu trick), loss only.
        var d = stack(autograd.grad([f.Loss], f.Xs, retain_graph: true, allow_unused: true)
            .Select((g, i) => g.IsInvalid ? zeros_like(f.Xs[i]) : g), 0).detach();
        var leaves = new List<Tensor> { wrec, wout, brec, bout, x0 };
        if (win is not null) leaves.Insert(0, win);
        var grads = autograd.grad([cost], leaves, retain_graph: true, allow_unused: true).ToList();

        // Omega with d_t and x_t held fixed; only its immediate derivative through Wrec_.
        var (omega, count) = _model.Omega(stack(f.Xs, 0).detach(), d, f.WrecE, f.Alpha, f.Decay, _t.Bound);
        double omegaValue = omega is null ? 0 : Scalar(omega), countValue = Scalar(count) / batch.Time;
        Tensor? omegaGrad = omega is not null && _t.LambdaOmega != 0 ? autograd.grad([omega], [wrec], allow_unused: true)[0] : null;

        Tensor G(int i) => grads[i].IsInvalid ? zeros_like(leaves[i]) : grads[i];
        int k = win is null ? 0 : 1;
        var gWrec = G(k);
        if (omegaGrad is not null && !omegaGrad.IsInvalid) gWrec = Add(gWrec, C(_t.LambdaOmega) * omegaGrad);
        var result = NetworkParameters.Zeros(_c.Nin, _c.N, _c.Nout);
        if (win is not null) Floats(G(0)).CopyTo(result.Win!.Data, 0);
        Floats(gWrec).CopyTo(result.Wrec.Data, 0);
        Floats(G(k + 1)).CopyTo(result.Wout.Data, 0);
        if (_c.TrainBrec) Floats(G(k + 2)).CopyTo(result.Brec, 0);
        if (_c.TrainBout) Floats(G(k + 3)).CopyTo(result.Bout, 0);
        if (_c.TrainX0) Floats(G(k + 4)).CopyTo(result.X0, 0);
        return new GradientResult(Scalar(f.Loss), Scalar(cost), Scalar(f.Rmse), omegaValue, countValue, result);
    }

    /// <inheritdoc/>
    public Evaluation Evaluate(NetworkParameters parameters, Batch batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (win, wrec, wout, brec, bout, x0) = Leaves(parameters);
        var f = Forward(win, wrec, wout, brec, bout, x0, batch);
        var cost = Add(f.Loss, Regularisers(win, wrec, wout, f.R));
        return new Evaluation(Scalar(f.Loss), Scalar(cost), Scalar(f.Rmse), new BatchOutputs(batch.Time, batch.Trials, _c.Nout, Floats(f.Z)));
    }

    /// <inheritdoc/>
    public void Dispose() => _model.Dispose();
}
