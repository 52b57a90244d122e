using PyCog.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace PyCog.Torch;

/// <summary>
/// The model in tensor form, beside its CPU form (<see cref="EulerStep"/>, <see cref="Activations"/>,
/// <see cref="PyCog.Training.Omega"/>): the hidden activation and its derivative, the Euler step
/// <c>x_t = (1 - alpha) x_{t-1} + alpha drive_t</c>, and Omega's terms, for the torch engine and any
/// tensor code a user writes (an <see cref="TorchEngine.ExtraLoss"/>). Every addition goes through a
/// <see cref="Scalar"/> that lives as long as the model: TorchSharp 0.107's implicit Scalars can be
/// freed by a garbage collection while libtorch reads them. Dispose it with its engine.
/// </summary>
public sealed class TorchModel : IDisposable
{
    readonly HiddenActivation _f;
    readonly ScalarType _dtype;
    readonly Scalar _one = 1.0, _minusOne = -1.0;

    /// <summary>The model of hidden activation <paramref name="f"/>, computing in <paramref name="dtype"/>.</summary>
    public TorchModel(HiddenActivation f, ScalarType dtype = ScalarType.Float32)
    {
        _f = f;
        _dtype = dtype;
    }

    /// <summary>A 0-dimensional constant in the model's type (never an implicit Scalar).</summary>
    public Tensor C(double v) => torch.tensor(v, _dtype);
    /// <summary><c>a + b</c> through the model's long-lived Scalar.</summary>
    public Tensor Add(Tensor a, Tensor b) => a.add(b, _one);
    /// <summary><c>a - b</c> through the model's long-lived Scalar.</summary>
    public Tensor Sub(Tensor a, Tensor b) => a.add(b, _minusOne);
    /// <summary><c>a^2</c> (square() is pow(2) with another implicit Scalar).</summary>
    public static Tensor Sq(Tensor a) => a.mul(a);

    /// <summary>r = f(x), as <see cref="Activations.Hidden"/>.</summary>
    public Tensor Hidden(Tensor x) => _f switch
    {
        HiddenActivation.Rectify => x.relu(),
        HiddenActivation.RectifyPower => Sq(x.relu()),
        HiddenActivation.Sigmoid => x.sigmoid(),
        HiddenActivation.Tanh => x.tanh(),
        HiddenActivation.Rtanh => x.relu().tanh(),
        HiddenActivation.Softplus => Add(x.relu(), x.abs().neg().exp().log1p()),
        HiddenActivation.Linear => x.alias(),
        _ => throw new ArgumentOutOfRangeException(nameof(x), $"Unknown hidden activation {_f}."),
    };

    /// <summary>f'(x), as <see cref="Activations.HiddenDerivative"/> (rectify' = 1 for x &gt; 0).</summary>
    public Tensor HiddenDerivative(Tensor x) => _f switch
    {
        HiddenActivation.Rectify => x.gt(C(0)).to_type(_dtype),
        HiddenActivation.RectifyPower => x.relu() * C(2),
        HiddenActivation.Sigmoid => x.sigmoid() * Sub(C(1), x.sigmoid()),
        HiddenActivation.Tanh => Sub(C(1), Sq(x.tanh())),
        HiddenActivation.Rtanh => x.gt(C(0)).to_type(_dtype) * Sub(C(1), Sq(x.tanh())),
        HiddenActivation.Softplus => x.sigmoid(),
        HiddenActivation.Linear => ones_like(x),
        _ => throw new ArgumentOutOfRangeException(nameof(x), $"Unknown hidden activation {_f}."),
    };

    /// <summary>The Euler step <c>(1 - alpha) previous + alpha drive</c>, as <see cref="EulerStep.Next(float, float, float, float)"/>.</summary>
    public Tensor Step(Tensor previous, Tensor drive, Tensor alpha, Tensor decay) => Add(decay * previous, alpha * drive);

    /// <summary>
    /// Omega's terms for states <paramref name="x"/> and loss gradients <paramref name="d"/> (time x
    /// trials x N, both held fixed), as <see cref="PyCog.Training.Omega"/>: the mean of
    /// <c>(num / den - 1)^2</c> over counted (trial, step)s as a function of <paramref name="wrec"/>
    /// (the effective weights), and the number counted per step (summed over steps, averaged over trials).
    /// </summary>
    public (Tensor? Omega, Tensor Counted) Omega(Tensor x, Tensor d, Tensor wrec, Tensor alpha, Tensor decay, double bound)
    {
        var num = Sq(Add(decay * d, (alpha * d).matmul(wrec) * HiddenDerivative(x))).sum(-1);
        var den = Sq(d).sum(-1);
        var counts = den.ge(C(bound)).logical_and(den.gt(C(0)));
        var ratio = where(counts, num / where(counts, den, ones_like(den)), ones_like(num));
        var counted = counts.to_type(_dtype).mean(new long[] { 1 }).sum();
        if (counted.to_type(ScalarType.Float64).item<double>() <= 0) return (null, counted);
        return (Sq(Sub(ratio, C(1))).mean(new long[] { 1 }).sum() / counted, counted);
    }

    /// <inheritdoc/>
    public void Dispose() { _one.Dispose(); _minusOne.Dispose(); }
}
