using PyCog.Network;
using PyCog.Training;

namespace PyCog.Tests.Support;

/// <summary>
/// An independent, deliberately plain double-precision implementation of the network and its
/// cost (spec sections 1 and 4), written from the equations with nested loops, for checking the
/// engines against finite differences.
/// </summary>
public sealed class ReferenceModel
{
    readonly NetworkConfig _c;
    readonly TrainingConfig _t;
    public ReferenceModel(ResolvedNetworkConfig network, TrainingConfig? training = null)
    {
        _c = network.Config;
        _t = training ?? new TrainingConfig();
    }

    public sealed class Params
    {
        public double[,]? Win; public double[,] Wrec = null!; public double[,] Wout = null!;
        public double[] Brec = null!, Bout = null!, X0 = null!;

        public static Params From(NetworkParameters p)
        {
            static double[,] M(PyCog.Numerics.Matrix m) { var a = new double[m.Rows, m.Cols]; for (int i = 0; i < m.Rows; i++) for (int j = 0; j < m.Cols; j++) a[i, j] = m[i, j]; return a; }
            return new Params
            {
                Win = p.Win is null ? null : M(p.Win), Wrec = M(p.Wrec), Wout = M(p.Wout),
                Brec = p.Brec.Select(v => (double)v).ToArray(), Bout = p.Bout.Select(v => (double)v).ToArray(), X0 = p.X0.Select(v => (double)v).ToArray(),
            };
        }

        /// <summary>The named parameter array as a flat view for finite differences.</summary>
        public (Func<int, double> Get, Action<int, double> Set, int Length) Flat(string name)
        {
            switch (name)
            {
                case "Win": return Flat2(Win!);
                case "Wrec": return Flat2(Wrec);
                case "Wout": return Flat2(Wout);
                case "brec": return (i => Brec[i], (i, v) => Brec[i] = v, Brec.Length);
                case "bout": return (i => Bout[i], (i, v) => Bout[i] = v, Bout.Length);
                default: return (i => X0[i], (i, v) => X0[i] = v, X0.Length);
            }
        }

        static (Func<int, double>, Action<int, double>, int) Flat2(double[,] a)
        {
            int cols = a.GetLength(1);
            return (i => a[i / cols, i % cols], (i, v) => a[i / cols, i % cols] = v, a.Length);
        }
    }

    public double[,] Effective(double[,] w, Connectivity? c, bool useEi)
    {
        int rows = w.GetLength(0), cols = w.GetLength(1);
        var e = new double[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                double v = c is null ? w[i, j] : c.PlasticMask[i, j] * w[i, j] + c.Fixed[i, j];
                if (_c.Ei is not null)
                {
                    v = _c.EiPositiveFunc == PositiveFunction.Abs ? Math.Abs(v) : Math.Max(v, 0);
                    if (useEi) v *= _c.Ei[j];
                }
                e[i, j] = v;
            }
        return e;
    }

    public double F(double x) => _c.HiddenActivation switch
    {
        HiddenActivation.Rectify => Math.Max(x, 0),
        HiddenActivation.RectifyPower => x > 0 ? x * x : 0,
        HiddenActivation.Sigmoid => 1 / (1 + Math.Exp(-x)),
        HiddenActivation.Tanh => Math.Tanh(x),
        HiddenActivation.Rtanh => Math.Tanh(Math.Max(x, 0)),
        HiddenActivation.Softplus => Math.Log(1 + Math.Exp(x)),
        _ => x,
    };

    public double DF(double x) => _c.HiddenActivation switch
    {
        HiddenActivation.Rectify => x > 0 ? 1 : 0,
        HiddenActivation.RectifyPower => x > 0 ? 2 * x : 0,
        HiddenActivation.Sigmoid => F(x) * (1 - F(x)),
        HiddenActivation.Tanh => 1 - Math.Tanh(x) * Math.Tanh(x),
        HiddenActivation.Rtanh => x > 0 ? 1 - Math.Tanh(x) * Math.Tanh(x) : 0,
        HiddenActivation.Softplus => 1 / (1 + Math.Exp(-x)),
        _ => 1,
    };

    /// <summary>States x[t][b][i] for t = 0..T, with optional extra drive added to step t's noise.</summary>
    public double[][][] States(Params p, Batch batch, Func<int, int, int, double>? extraNoise = null)
    {
        int n = _c.N, nin = _c.Nin, T = batch.Time, B = batch.Trials;
        var win = p.Win is null ? null : Effective(p.Win, _c.Cin, false);
        var wrec = Effective(p.Wrec, _c.Crec, true);
        var x = new double[T + 1][][];
        x[0] = Enumerable.Range(0, B).Select(_ => (double[])p.X0.Clone()).ToArray();
        for (int t = 1; t <= T; t++)
        {
            x[t] = new double[B][];
            for (int b = 0; b < B; b++)
            {
                x[t][b] = new double[n];
                for (int i = 0; i < n; i++)
                {
                    double alpha = _c.EffectiveDt / _c.TauOf(i);
                    double s = p.Brec[i] + batch.RecurrentNoise[((t - 1) * B + b) * n + i] + (extraNoise?.Invoke(t, b, i) ?? 0);
                    for (int k = 0; k < n; k++) s += wrec[i, k] * F(x[t - 1][b][k]);
                    for (int c = 0; c < nin; c++) s += win![i, c] * batch.Inputs[((t - 1) * B + b) * nin + c];
                    x[t][b][i] = (1 - alpha) * x[t - 1][b][i] + alpha * s;
                }
            }
        }
        return x;
    }

    /// <summary>Loss (no regularisers) and cost (with them).</summary>
    public (double Loss, double Cost) Cost(Params p, Batch batch, Func<int, int, int, double>? extraNoise = null)
    {
        int n = _c.N, nout = _c.Nout, T = batch.Time, B = batch.Trials;
        var x = States(p, batch, extraNoise);
        var wout = Effective(p.Wout, _c.Cout, true);
        double lossSum = 0, mSum = 0, rate = 0;
        for (int t = 1; t <= T; t++)
            for (int b = 0; b < B; b++)
            {
                var pre = new double[nout];
                for (int o = 0; o < nout; o++)
                {
                    pre[o] = p.Bout[o];
                    for (int k = 0; k < n; k++) pre[o] += wout[o, k] * F(x[t][b][k]);
                }
                double[] z = _c.OutputActivation switch
                {
                    OutputActivation.Sigmoid => pre.Select(a => 1 / (1 + Math.Exp(-a))).ToArray(),
                    OutputActivation.Softmax => pre.Select(a => Math.Exp(a) / pre.Sum(Math.Exp)).ToArray(),
                    _ => pre,
                };
                for (int o = 0; o < nout; o++)
                {
                    int k = ((t - 1) * B + b) * nout + o;
                    double m = batch.Mask[k], y = batch.Targets[k];
                    mSum += m;
                    lossSum += m * Activations.Loss(_c.OutputActivation, z[o], y);
                }
                for (int i = 0; i < n; i++) rate += F(x[t][b][i]) * F(x[t][b][i]);
            }
        double loss = lossSum / mSum;
        double reg = 0;
        static double MeanAbs(double[,] w) => w.Cast<double>().Average(Math.Abs);
        static double MeanSq(double[,] w) => w.Cast<double>().Average(v => v * v);
        if (p.Win is not null) reg += _t.Lambda1In * MeanAbs(p.Win) + _t.Lambda2In * MeanSq(p.Win);
        reg += _t.Lambda1Rec * MeanAbs(p.Wrec) + _t.Lambda2Rec * MeanSq(p.Wrec);
        reg += _t.Lambda1Out * MeanAbs(p.Wout) + _t.Lambda2Out * MeanSq(p.Wout);
        reg += _t.Lambda2R * rate / ((double)T * B * n);
        return (loss, loss + reg);
    }

    /// <summary>d_t = dLoss/dx_t (total, through time) by central differences on the noise of step t.</summary>
    public double[][][] LossGradientWrtStates(Params p, Batch batch, double h = 1e-5)
    {
        int n = _c.N, T = batch.Time, B = batch.Trials;
        var d = new double[T + 1][][];
        for (int t = 1; t <= T; t++)
        {
            d[t] = new double[B][];
            for (int b = 0; b < B; b++)
            {
                d[t][b] = new double[n];
                for (int i = 0; i < n; i++)
                {
                    int tt = t, bb = b, ii = i;
                    double plus = Cost(p, batch, (t2, b2, i2) => t2 == tt && b2 == bb && i2 == ii ? h : 0).Loss;
                    double minus = Cost(p, batch, (t2, b2, i2) => t2 == tt && b2 == bb && i2 == ii ? -h : 0).Loss;
                    // A perturbation h of the noise moves x_t by alpha h.
                    d[t][b][i] = (plus - minus) / (2 * h) / (_c.EffectiveDt / _c.TauOf(i));
                }
            }
        }
        return d;
    }

    /// <summary>Omega (spec section 4) for given d_t and x_t, as a function of raw Wrec.</summary>
    public double Omega(double[,] wrecRaw, double[][][] d, double[][][] x)
    {
        var w = Effective(wrecRaw, _c.Crec, true);
        int n = _c.N, T = d.Length - 1, B = d[1].Length;
        double total = 0, counted = 0;
        for (int t = 1; t <= T; t++)
        {
            double sumB = 0, validB = 0;
            for (int b = 0; b < B; b++)
            {
                double num = 0, den = 0;
                for (int j = 0; j < n; j++)
                {
                    double alphaJ = _c.EffectiveDt / _c.TauOf(j);
                    double s = 0;
                    for (int i = 0; i < n; i++) s += _c.EffectiveDt / _c.TauOf(i) * d[t][b][i] * w[i, j];
                    double v = (1 - alphaJ) * d[t][b][j] + s * DF(x[t][b][j]);
                    num += v * v;
                    den += d[t][b][j] * d[t][b][j];
                }
                if (den >= _t.Bound && den > 0) { sumB += Math.Pow(num / den - 1, 2); validB++; }
            }
            total += sumB / B;
            counted += validB / B;
        }
        return counted > 0 ? total / counted : 0;
    }
}
