using System.Runtime.CompilerServices;

namespace PyCog.Training;

/// <summary>
/// pycog's vanishing-gradient regulariser Omega (Pascanu et al. 2013; spec section 4), written once
/// for the CPU engine: for each trial and step with <c>den = |d_t|^2 &gt;= bound</c>, where
/// <c>d_t = dLoss/dx_t</c>, the term <c>(num / den - 1)^2</c> with
/// <c>num = |(1 - alpha) d_t + f'(x_t) * (Wrec_^T (alpha d_t))|^2</c>; Omega is the mean of the
/// terms over every counted (trial, step). Only its immediate derivative through Wrec_ enters the
/// gradient (d_t and x_t held fixed). The torch engine's tensor form is <c>PyCog.Torch.TorchModel.Omega</c>.
/// </summary>
public static class Omega
{
    /// <summary>Whether a (trial, step) with <c>|d_t|^2 = den</c> counts (pycog's bound; never a zero gradient).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Counts(double den, double bound) => den >= bound && den > 0;

    /// <summary>One counted (trial, step)'s term <c>(num / den - 1)^2</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Term(double num, double den)
    {
        double v = num / den - 1;
        return v * v;
    }

    /// <summary>
    /// The derivative of Omega (the mean over <paramref name="counted"/> terms) with respect to
    /// this term's <paramref name="num"/>: <c>2 (num / den - 1) / (den counted)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TermGradient(double num, double den, int counted) => 2 * (num / den - 1) / (den * counted);
}
