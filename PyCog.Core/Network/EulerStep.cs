using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PyCog.Network;

/// <summary>
/// The network's update, written once for every CPU path (spec section 2): the continuous-time
/// dynamics <c>tau dx/dt = -x + drive</c>, with <c>drive = Wrec_ r + Win_ u + brec + noise</c> and
/// <c>r = f(x)</c> (<see cref="Activations"/>), discretised by Euler's method as
/// <c>x_t = (1 - alpha) x_{t-1} + alpha drive_t</c>, <c>alpha = dt / tau</c>
/// (<see cref="NetworkDynamics.Alpha"/>, <see cref="NetworkDynamics.Decay"/>). The training engine
/// and the integrator take the step from here, the fixed-point search the velocity; each form
/// rounds the same way, <c>fl(fl((1 - alpha) x) + fl(alpha drive))</c> without a fused multiply-add,
/// so a step gives the same bits in every path. The torch engine's tensor form is
/// <c>PyCog.Torch.TorchModel</c>.
/// </summary>
public static class EulerStep
{
    /// <summary>One unit's step: <c>(1 - alpha) previous + alpha drive</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Next(float previous, float drive, float alpha, float decay) => previous * decay + alpha * drive;

    /// <summary>Eight units' step (the integrator builds the drive in registers and calls this).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Next(Vector256<float> previous, Vector256<float> drive, Vector256<float> alpha, Vector256<float> decay) =>
        previous * decay + alpha * drive;

    /// <summary>Sixteen units' step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Next(Vector512<float> previous, Vector512<float> drive, Vector512<float> alpha, Vector512<float> decay) =>
        previous * decay + alpha * drive;

    /// <summary>
    /// The step for a row of units, written over the drive: <c>x = (1 - alpha) previous + alpha x</c>,
    /// where <paramref name="x"/> holds the drive on entry (the training engine accumulates the
    /// drive into the state's row, then steps it in place).
    /// </summary>
    public static void Apply(ReadOnlySpan<float> previous, ReadOnlySpan<float> alpha, ReadOnlySpan<float> decay, Span<float> x)
    {
        int n = x.Length;
        if (previous.Length < n || alpha.Length < n || decay.Length < n)
            throw new ArgumentException($"The step needs {n} values of the previous state, alpha and decay; got {previous.Length}, {alpha.Length}, {decay.Length}.");
        ref float p = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(previous);
        ref float a = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(alpha);
        ref float d = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(decay);
        ref float s = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j + Vector512<float>.Count <= n; j += Vector512<float>.Count)
                Next(Vector512.LoadUnsafe(ref p, (nuint)j), Vector512.LoadUnsafe(ref s, (nuint)j), Vector512.LoadUnsafe(ref a, (nuint)j), Vector512.LoadUnsafe(ref d, (nuint)j))
                    .StoreUnsafe(ref s, (nuint)j);
        for (; j + Vector256<float>.Count <= n; j += Vector256<float>.Count)
            Next(Vector256.LoadUnsafe(ref p, (nuint)j), Vector256.LoadUnsafe(ref s, (nuint)j), Vector256.LoadUnsafe(ref a, (nuint)j), Vector256.LoadUnsafe(ref d, (nuint)j))
                .StoreUnsafe(ref s, (nuint)j);
        for (; j < n; j++) x[j] = Next(previous[j], x[j], alpha[j], decay[j]);
    }

    /// <summary>The continuous-time velocity <c>dx/dt = (-x + drive) / tau</c> (the fixed-point search's F).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Velocity(double x, double drive, double tau) => (-x + drive) / tau;
}
