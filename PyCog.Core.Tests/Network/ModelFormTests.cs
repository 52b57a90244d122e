using System.Runtime.Intrinsics;
using PyCog.Network;
using PyCog.Numerics;
using PyCog.Tests.Support;
using PyCog.Torch;
using PyCog.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace PyCog.Tests.Network;

/// <summary>
/// The model written once: every form of the Euler step, the activations and Omega (the CPU
/// span, vector and scalar forms, the fixed points' velocity, the torch tensor forms) against the
/// plain double-precision reference model, and the CPU forms against each other bit for bit.
/// </summary>
public class ModelFormTests
{
    static (float[] Previous, float[] Drive, float[] Alpha, float[] Decay) StepData(int n, long seed)
    {
        var rng = new Rng(seed);
        var alpha = Enumerable.Range(0, n).Select(_ => (float)(0.05 + 0.5 * rng.NextDouble())).ToArray();
        return (Enumerable.Range(0, n).Select(_ => (float)rng.Normal(0, 2)).ToArray(), Enumerable.Range(0, n).Select(_ => (float)rng.Normal(0, 2)).ToArray(),
            alpha, alpha.Select(a => 1 - a).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]     // a 512-bit block, a 256-bit block and a scalar tail
    [InlineData(128)]
    public void TheSpanStepEqualsTheScalarStepBitForBitAndTheReferenceClosely(int n)
    {
        var (previous, drive, alpha, decay) = StepData(n, n);
        var x = (float[])drive.Clone();
        EulerStep.Apply(previous, alpha, decay, x);
        for (int i = 0; i < n; i++)
        {
            // the rounding every path shares: fl(fl(decay x) + fl(alpha drive)), no fused multiply-add
            float scalar = (float)((double)(decay[i] * previous[i]) + (double)(alpha[i] * drive[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(scalar), BitConverter.SingleToInt32Bits(x[i]));
            double reference = (1 - (double)alpha[i]) * previous[i] + alpha[i] * (double)drive[i];
            Assert.Equal(reference, x[i], 1e-5 * (1 + Math.Abs(reference)));
        }
    }

    [Fact]
    public void TheVectorStepsEqualTheScalarStep()
    {
        var (previous, drive, alpha, decay) = StepData(16, 3);
        var v256 = EulerStep.Next(Vector256.Create(previous, 0), Vector256.Create(drive, 0), Vector256.Create(alpha, 0), Vector256.Create(decay, 0));
        var v512 = EulerStep.Next(Vector512.Create(previous), Vector512.Create(drive), Vector512.Create(alpha), Vector512.Create(decay));
        for (int i = 0; i < 16; i++)
        {
            float scalar = EulerStep.Next(previous[i], drive[i], alpha[i], decay[i]);
            Assert.Equal(scalar, v512[i]);
            if (i < 8) Assert.Equal(scalar, v256[i]);
        }
    }

    [Fact]
    public void AnEulerStepOfTheVelocityIsTheDiscreteStep()
    {
        // x + dt F(x) with F = (-x + drive) / tau is (1 - alpha) x + alpha drive, alpha = dt / tau.
        double x = 0.7, drive = -1.3, tau = 100, dt = 7;
        Assert.Equal((1 - dt / tau) * x + dt / tau * drive, x + dt * EulerStep.Velocity(x, drive, tau), 1e-14);
    }

    public static TheoryData<HiddenActivation> AllActivations => new(Enum.GetValues<HiddenActivation>());

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void CpuAndTensorActivationsMatchTheReference(HiddenActivation f)
    {
        var network = Fixtures.TinyConfig(f);
        var reference = new ReferenceModel(network);
        double[] xs = [-3, -0.5, -1e-3, 0, 1e-3, 0.25, 1, 4, 25];
        var x = xs.Select(v => (float)v).ToArray();
        var r = new float[x.Length];
        var d = new float[x.Length];
        Activations.Hidden(f, x, r);
        Activations.HiddenDerivative(f, x, d);
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var model = new TorchModel(f, ScalarType.Float64);
        var tx = torch.tensor(xs, ScalarType.Float64);
        var tr = model.Hidden(tx).data<double>().ToArray();
        var td = model.HiddenDerivative(tx).data<double>().ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            double rf = reference.F(x[i]), df = reference.DF(x[i]);
            Assert.Equal(rf, r[i], 1e-5 * (1 + Math.Abs(rf)));
            Assert.Equal(df, d[i], 1e-5 * (1 + Math.Abs(df)));
            Assert.Equal(reference.F(xs[i]), tr[i], 1e-12 * (1 + Math.Abs(tr[i])));
            Assert.Equal(reference.DF(xs[i]), td[i], 1e-12 * (1 + Math.Abs(td[i])));
        }
    }

    [Fact]
    public void TheTensorStepMatchesTheReference()
    {
        var (previous, drive, alpha, decay) = StepData(10, 9);
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var model = new TorchModel(HiddenActivation.Rectify, ScalarType.Float64);
        static Tensor T(float[] v) => torch.tensor(v.Select(a => (double)a).ToArray(), ScalarType.Float64);
        var x = model.Step(T(previous), T(drive), T(alpha), T(decay)).data<double>().ToArray();
        for (int i = 0; i < 10; i++)
            Assert.Equal((1 - (double)alpha[i]) * previous[i] + alpha[i] * (double)drive[i], x[i], 1e-6);
    }

    /// <summary>d_t and x_t (t = 1..T) for Omega, d_0 and x_0 unused, as the reference takes them.</summary>
    static (double[][][] D, double[][][] X) OmegaData(int time, int trials, int n, long seed)
    {
        var rng = new Rng(seed);
        double[][][] Fill(double sd) => Enumerable.Range(0, time + 1).Select(_ => Enumerable.Range(0, trials).Select(_ => Enumerable.Range(0, n).Select(_ => rng.Normal(0, sd)).ToArray()).ToArray()).ToArray();
        var d = Fill(1);
        d[2][1] = new double[n];   // a zero gradient: never counted
        return (d, Fill(1));
    }

    [Theory]
    [InlineData(HiddenActivation.Rectify)]
    [InlineData(HiddenActivation.Tanh)]
    public void CpuAndTensorOmegaMatchTheReference(HiddenActivation f)
    {
        var network = Fixtures.TinyConfig(f);
        var c = network.Config;
        var training = new TrainingConfig { Bound = 1e-3 };
        var reference = new ReferenceModel(network, training);
        var p = ReferenceModel.Params.From(Fixtures.Parameters(network));
        var w = reference.Effective(p.Wrec, c.Crec, true);
        int time = 5, trials = 3, n = c.N;
        var (d, x) = OmegaData(time, trials, n, 11);
        double expected = reference.Omega(p.Wrec, d, x);
        var alpha = network.Dynamics().Alpha;

        // CPU form: num and den per (trial, step), then Omega's counted terms.
        var num = new double[time + 1, trials];
        var den = new double[time + 1, trials];
        int counted = 0;
        double sum = 0;
        for (int t = 1; t <= time; t++)
            for (int b = 0; b < trials; b++)
            {
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int i = 0; i < n; i++) s += alpha[i] * d[t][b][i] * w[i, j];
                    double v = (1 - alpha[j]) * d[t][b][j] + s * reference.DF(x[t][b][j]);
                    num[t, b] += v * v;
                    den[t, b] += d[t][b][j] * d[t][b][j];
                }
                if (Omega.Counts(den[t, b], training.Bound)) { counted++; sum += Omega.Term(num[t, b], den[t, b]); }
            }
        Assert.Equal(time * trials - 1, counted);
        Assert.Equal(expected, sum / counted, 1e-6 * expected);
        // TermGradient is dOmega/dnum: against a central difference of the mean.
        double h = 1e-6 * num[1, 0];
        double Mean(double shift) => Enumerable.Range(1, time).SelectMany(t => Enumerable.Range(0, trials).Select(b => (t, b)))
            .Where(k => Omega.Counts(den[k.t, k.b], training.Bound)).Sum(k => Omega.Term(num[k.t, k.b] + (k == (1, 0) ? shift : 0), den[k.t, k.b])) / counted;
        Assert.Equal((Mean(h) - Mean(-h)) / (2 * h), Omega.TermGradient(num[1, 0], den[1, 0], counted), 1e-5);

        // Tensor form.
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var model = new TorchModel(f, ScalarType.Float64);
        Tensor Stack(double[][][] a) => torch.tensor(a.Skip(1).SelectMany(s => s.SelectMany(r => r)).ToArray(), [time, trials, n], ScalarType.Float64);
        var wt = torch.tensor(w.Cast<double>().ToArray(), [n, n], ScalarType.Float64);
        var at = torch.tensor(alpha.Select(v => (double)v).ToArray(), ScalarType.Float64);
        var dt = torch.tensor(alpha.Select(v => 1 - (double)v).ToArray(), ScalarType.Float64);
        var (omega, _) = model.Omega(Stack(x), Stack(d), wt, at, dt, training.Bound);
        Assert.Equal(expected, omega!.item<double>(), 1e-6 * expected);   // alpha in single precision, as the engines hold it
    }
}
