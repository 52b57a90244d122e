using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using PyCog.Network;
using PyCog.Simulation;

namespace PyCog.Analysis;

/// <summary>How a fixed point behaves under small perturbations.</summary>
public enum Stability
{
    /// <summary>Every Jacobian eigenvalue has a negative real part: perturbations decay.</summary>
    Stable,
    /// <summary>Eigenvalues of both signs: attracting along some directions, repelling along others.</summary>
    Saddle,
    /// <summary>Every eigenvalue has a positive real part.</summary>
    Unstable,
    /// <summary>An eigenvalue's real part is (numerically) zero: a line or plane of near-fixed points (a line attractor).</summary>
    Marginal,
}

/// <summary>A fixed or slow point of the network under a constant input.</summary>
/// <param name="X">The state (N values).</param>
/// <param name="Q">q(x) = 1/2 |dx/dt|^2 at the point, (1/ms)^2 times state units squared.</param>
/// <param name="Eigenvalues">Eigenvalues of the Jacobian of dx/dt at the point, 1/ms, largest real part first.</param>
/// <param name="Stability">Classification by the eigenvalues' real parts.</param>
/// <param name="IsFixed">True when q is below the fixed-point tolerance (else a slow point).</param>
public sealed record FixedPoint(double[] X, double Q, System.Numerics.Complex[] Eigenvalues, Stability Stability, bool IsFixed)
{
    /// <summary>The rates r = f(x) at the point.</summary>
    public double[] Rates(HiddenActivation f)
    {
        var x = X.Select(v => (float)v).ToArray();
        var r = new float[x.Length];
        Activations.Hidden(f, x, r);
        return r.Select(v => (double)v).ToArray();
    }
}

/// <summary>Options of <see cref="FixedPoints.Find"/>.</summary>
public sealed record FixedPointOptions
{
    /// <summary>Points with q below this are fixed points.</summary>
    public double FixedTolerance { get; init; } = 1e-10;
    /// <summary>Points with q below this (and above <see cref="FixedTolerance"/>) are kept as slow points.</summary>
    public double SlowTolerance { get; init; } = 1e-6;
    /// <summary>Two points closer than this (Euclidean, state units) are one.</summary>
    public double DuplicateDistance { get; init; } = 1e-3;
    /// <summary>Real parts within this of zero (1/ms) are marginal.</summary>
    public double MarginalTolerance { get; init; } = 1e-6;
    /// <summary>Iterations of BFGS per start (a start that needs more keeps the lowest point it reached).</summary>
    public int MaxIterations { get; init; } = 300;
}

/// <summary>
/// Fixed and slow points of a trained network under a constant input (Sussillo and Barak 2013):
/// minimise q(x) = 1/2 |F(x)|^2 with F(x) = dx/dt = (-x + Wrec_ f(x) + Win_ u + brec) / tau,
/// with MathNet.Numerics' BFGS and the exact gradient J^T F, from many starting states (for example
/// states visited on test trials); remove duplicates; classify each point by the eigenvalues of
/// the Jacobian J = (-I + Wrec_ diag f'(x)) / tau. Inputs go through the network's input
/// transform without noise: u = [input + baseline]+.
/// </summary>
public static class FixedPoints
{
    /// <summary>dx/dt at <paramref name="x"/> under the transformed input, and the Jacobian there.</summary>
    public static (Vector<double> F, Matrix<double> J) Dynamics(TrainedNetwork net, double[] input, Vector<double> x)
    {
        var c = net.Config;
        int n = c.N;
        var (f, fp) = Velocity(net, ConstantDrive(net, input), x);
        var j = Matrix<double>.Build.Dense(n, n);
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < n; k++) j[i, k] = net.Wrec[i, k] * (double)fp[k] / c.TauOf(i);
            j[i, i] -= 1 / c.TauOf(i);
        }
        return (Vector<double>.Build.DenseOfArray(f), j);
    }

    /// <summary>
    /// q(x) = |F|^2 / 2 and its gradient J^T F = f'(x) * (Wrec_^T (F / tau)) - F / tau, without
    /// forming the Jacobian (the minimiser calls this thousands of times).
    /// </summary>
    public static (double Q, Vector<double> Gradient) QAndGradient(TrainedNetwork net, double[] input, Vector<double> x) =>
        Objective(net, ConstantDrive(net, input), x);

    /// <summary>brec + Win_ u with the input transformed as the dynamics transform it (no noise): the part of the drive that does not depend on x.</summary>
    static double[] ConstantDrive(TrainedNetwork net, double[] input)
    {
        var c = net.Config;
        var dyn = net.Network.Dynamics();
        var drive = new double[c.N];
        for (int i = 0; i < c.N; i++)
        {
            drive[i] = net.Brec[i];
            for (int k = 0; k < c.Nin; k++) drive[i] += net.Win![i, k] * (double)dyn.Input((float)input[k], 0);
        }
        return drive;
    }

    /// <summary>F = dx/dt = (-x + Wrec_ f(x) + constant drive) / tau at <paramref name="x"/>, and f'(x).</summary>
    static (double[] F, float[] Fp) Velocity(TrainedNetwork net, double[] constantDrive, Vector<double> x)
    {
        var c = net.Config;
        int n = c.N;
        var xf = new float[n];
        for (int i = 0; i < n; i++) xf[i] = (float)x[i];
        var r = new float[n];
        var fp = new float[n];
        Activations.Hidden(c.HiddenActivation, xf, r);
        Activations.HiddenDerivative(c.HiddenActivation, xf, fp);
        var f = new double[n];
        for (int i = 0; i < n; i++)
        {
            double drive = constantDrive[i];
            var row = net.Wrec.Row(i);
            for (int k = 0; k < n; k++) drive += row[k] * (double)r[k];
            f[i] = EulerStep.Velocity(x[i], drive, c.TauOf(i));
        }
        return (f, fp);
    }

    static (double Q, Vector<double> Gradient) Objective(TrainedNetwork net, double[] constantDrive, Vector<double> x)
    {
        var c = net.Config;
        int n = c.N;
        var (f, fp) = Velocity(net, constantDrive, x);
        var fOverTau = new double[n];
        double q = 0;
        for (int i = 0; i < n; i++)
        {
            q += 0.5 * f[i] * f[i];
            fOverTau[i] = f[i] / c.TauOf(i);
        }
        var g = Vector<double>.Build.Dense(n);
        for (int i = 0; i < n; i++)
        {
            var row = net.Wrec.Row(i);
            for (int k = 0; k < n; k++) g[k] += row[k] * fOverTau[i];
        }
        for (int k = 0; k < n; k++) g[k] = g[k] * fp[k] - fOverTau[k];
        return (q, g);
    }

    /// <summary>
    /// Fixed and slow points reached from <paramref name="starts"/> (states, N values each) under
    /// constant <paramref name="input"/> (Nin values), duplicates removed, slowest first.
    /// </summary>
    public static IReadOnlyList<FixedPoint> Find(TrainedNetwork net, double[] input, IEnumerable<double[]> starts, FixedPointOptions? options = null)
    {
        var o = options ?? new FixedPointOptions();
        int n = net.Config.N;
        if (input.Length != net.Config.Nin) throw new ArgumentException($"The input has {input.Length} values, the network Nin = {net.Config.Nin}.", nameof(input));
        var constant = ConstantDrive(net, input);
        var startList = starts.ToList();
        foreach (var start in startList)
            if (start.Length != n) throw new ArgumentException($"A starting state has {start.Length} values, the network N = {n}.", nameof(starts));
        // Starts are independent: minimise them on every core; duplicates are then removed in the
        // starts' order, so the result does not depend on the thread count.
        var minima = new Vector<double>?[startList.Count];
        Parallel.For(0, startList.Count, i => minima[i] = Minimise(net, constant, startList[i], o.MaxIterations));
        var found = new List<FixedPoint>();
        foreach (var x in minima)
        {
            if (x is null) continue;
            var (fx, jx) = Dynamics(net, input, x);
            double q = 0.5 * fx.DotProduct(fx);
            if (!(q <= o.SlowTolerance)) continue;
            if (found.Any(p => Distance(p.X, x) < o.DuplicateDistance)) continue;
            var eigen = jx.Evd().EigenValues.OrderByDescending(z => z.Real).ToArray();
            found.Add(new FixedPoint(x.ToArray(), q, eigen, Classify(eigen, o.MarginalTolerance), q <= o.FixedTolerance));
        }
        return found.OrderBy(p => p.Q).ToList();
    }

    /// <summary>
    /// BFGS from one start. Near a slow point (a line attractor) q keeps creeping down and BFGS
    /// runs out of iterations; the lowest point it evaluated is then what it found, and the
    /// caller's tolerance decides whether that is slow enough. Null if nothing finite was reached.
    /// </summary>
    static Vector<double>? Minimise(TrainedNetwork net, double[] constantDrive, double[] start, int maxIterations)
    {
        Vector<double>? best = null;
        double bestQ = double.PositiveInfinity;
        var objective = ObjectiveFunction.Gradient(x =>
        {
            var (q, g) = Objective(net, constantDrive, x);
            if (q < bestQ) { bestQ = q; best = x.Clone(); }
            return (q, g);
        });
        try
        {
            return new BfgsMinimizer(1e-12, 1e-12, 1e-14, maxIterations).FindMinimum(objective, Vector<double>.Build.DenseOfArray(start)).MinimizingPoint;
        }
        catch (Exception e) when (e is MaximumIterationsException or MathNet.Numerics.NonConvergenceException or EvaluationException or ArgumentException)
        {
            return best;
        }
    }

    /// <summary>Stable, saddle, unstable or marginal, from the eigenvalues' real parts.</summary>
    public static Stability Classify(IReadOnlyList<System.Numerics.Complex> eigenvalues, double marginal = 1e-6)
    {
        bool positive = eigenvalues.Any(z => z.Real > marginal), negative = eigenvalues.Any(z => z.Real < -marginal);
        if (eigenvalues.Any(z => Math.Abs(z.Real) <= marginal)) return Stability.Marginal;
        return positive && negative ? Stability.Saddle : positive ? Stability.Unstable : Stability.Stable;
    }

    /// <summary>
    /// Starting states from simulated trials: every <paramref name="every"/>-th recorded state of
    /// each trial (the rates, which equal the state where a rectified unit is active), plus a small
    /// Gaussian jitter from <paramref name="seed"/> so that starts on one trajectory differ.
    /// </summary>
    public static IEnumerable<double[]> StartsFrom(IEnumerable<SimulatedTrial> trials, int every = 20, double jitter = 0.01, long seed = 1)
    {
        var rng = new Numerics.Rng(seed);
        foreach (var t in trials)
            for (int k = 0; k < t.Count; k += every)
                yield return Enumerable.Range(0, t.N).Select(i => t.Rate(i, k) + jitter * rng.NextGaussian()).ToArray();
    }

    static double Distance(double[] a, Vector<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(s);
    }
}
