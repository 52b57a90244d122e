using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace PyCog.Network;

/// <summary>Hidden and output activation functions and their derivatives, over spans.</summary>
public static class Activations
{
    /// <summary>r = f(x), elementwise.</summary>
    public static void Hidden(HiddenActivation f, ReadOnlySpan<float> x, Span<float> r)
    {
        switch (f)
        {
            case HiddenActivation.Rectify: TensorPrimitives.Max(x, 0f, r); break;
            case HiddenActivation.Linear: x.CopyTo(r); break;
            case HiddenActivation.Sigmoid: TensorPrimitives.Sigmoid(x, r); break;
            case HiddenActivation.Tanh: TensorPrimitives.Tanh(x, r); break;
            case HiddenActivation.Rtanh: TensorPrimitives.Max(x, 0f, r); TensorPrimitives.Tanh(r, r); break;
            case HiddenActivation.RectifyPower:
                for (int i = 0; i < x.Length; i++) r[i] = x[i] > 0 ? x[i] * x[i] : 0;
                break;
            case HiddenActivation.Softplus:
                for (int i = 0; i < x.Length; i++) r[i] = Softplus(x[i]);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(f));
        }
    }

    /// <summary>d = f'(x), elementwise (pycog's derivative conventions: rectify' = 1 for x &gt; 0).</summary>
    public static void HiddenDerivative(HiddenActivation f, ReadOnlySpan<float> x, Span<float> d)
    {
        if (d.Length < x.Length) throw new ArgumentException($"The derivative needs {x.Length} places, got {d.Length}.", nameof(d));
        switch (f)
        {
            case HiddenActivation.Rectify:
                // Branch-free: the sign of x is random, so a branch per element would mispredict half the time.
                int k = 0;
                ref float xs = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
                ref float ds = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(d);
                for (; k + Vector512<float>.Count <= x.Length; k += Vector512<float>.Count)
                    (Vector512.GreaterThan(Vector512.LoadUnsafe(ref xs, (nuint)k), Vector512<float>.Zero) & Vector512<float>.One).StoreUnsafe(ref ds, (nuint)k);
                for (; k < x.Length; k++) d[k] = x[k] > 0 ? 1f : 0f;
                break;
            case HiddenActivation.Linear: d.Fill(1f); break;
            case HiddenActivation.Sigmoid:
                for (int i = 0; i < x.Length; i++) { float s = 1f / (1f + MathF.Exp(-x[i])); d[i] = s * (1 - s); }
                break;
            case HiddenActivation.Tanh:
                for (int i = 0; i < x.Length; i++) { float t = MathF.Tanh(x[i]); d[i] = 1 - t * t; }
                break;
            case HiddenActivation.Rtanh:
                for (int i = 0; i < x.Length; i++) { float t = MathF.Tanh(x[i]); d[i] = x[i] > 0 ? 1 - t * t : 0; }
                break;
            case HiddenActivation.RectifyPower:
                for (int i = 0; i < x.Length; i++) d[i] = x[i] > 0 ? 2 * x[i] : 0;
                break;
            case HiddenActivation.Softplus:
                for (int i = 0; i < x.Length; i++) d[i] = 1f / (1f + MathF.Exp(-x[i]));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(f));
        }
    }

    /// <summary>rectify for eight units at once (the integrator's fused step): max(x, 0).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Rectify(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);

    /// <summary>Numerically stable log(1 + e^x).</summary>
    public static float Softplus(float x) => x > 20 ? x : MathF.Log(1 + MathF.Exp(x));

    /// <summary>z = g(a) for one row of Nout pre-activations.</summary>
    public static void Output(OutputActivation g, ReadOnlySpan<float> a, Span<float> z)
    {
        switch (g)
        {
            case OutputActivation.Linear: a.CopyTo(z); break;
            case OutputActivation.Sigmoid: TensorPrimitives.Sigmoid(a, z); break;
            case OutputActivation.Softmax: TensorPrimitives.SoftMax(a, z); break;
            default: throw new ArgumentOutOfRangeException(nameof(g));
        }
    }

    /// <summary>Per-element loss value of output z against target y (without mask or normalisation).</summary>
    public static double Loss(OutputActivation g, double z, double y) => g switch
    {
        OutputActivation.Linear => (z - y) * (z - y),
        OutputActivation.Sigmoid => -y * Math.Log(z + Epsilon) - (1 - y) * Math.Log(1 - z + Epsilon),
        OutputActivation.Softmax => -y * Math.Log(z + Epsilon),
        _ => throw new ArgumentOutOfRangeException(nameof(g)),
    };

    /// <summary>pycog's epsilon inside the cross-entropy logarithms.</summary>
    public const double Epsilon = 1e-10;
}
