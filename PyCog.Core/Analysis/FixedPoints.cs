using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using PyCog.Network;
using PyCog.Numerics;
using PyCog.Simulation;
using PyCog.Tasks;

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

/// <summary>Options of <see cref="FixedPoints.Find(TrainedNetwork, double[], IEnumerable{double[]}, FixedPointOptions?)"/>.</summary>
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
    /// <summary>Euler steps of <see cref="FixedPoints.Search"/>'s first pass (0 skips it: every start is polished).</summary>
    public int RelaxSteps { get; init; } = 300;
    /// <summary>Time step of the first pass, ms (at most the smallest tau).</summary>
    public double RelaxDt { get; init; } = 1;
    /// <summary>How many of the slowest relaxed states <see cref="FixedPoints.Search"/> polishes with BFGS.</summary>
    public int Candidates { get; init; } = 32;
}

/// <summary>
/// Fixed and slow points of a trained network under a constant input (Sussillo and Barak 2013):
/// minimise q(x) = 1/2 |F(x)|^2 with F(x) = dx/dt = (-x + Wrec_ f(x) + Win_ u + brec) / tau,
/// with MathNet.Numerics' limited-memory BFGS and the exact gradient J^T F, from many starting states (for example
/// states visited on test trials); remove duplicates; classify each point by the eigenvalues of
/// the Jacobian J = (-I + Wrec_ diag f'(x)) / tau. Inputs go through the network's input
/// transform without noise: u = [input + baseline]+.
/// </summary>
public static class FixedPoints
{
    /// <summary>
    /// Fixed and slow points from <paramref name="starts"/> in two passes, as Golub and Sussillo's
    /// FixedPointFinder does. A cheap first pass runs every start together under the constant
    /// input for <see cref="FixedPointOptions.RelaxSteps"/> Euler steps of the network's own
    /// dynamics (no noise) and keeps, for each start, the slowest state it visited (lowest q).
    /// The slowest of those, at least <see cref="FixedPointOptions.DuplicateDistance"/> apart
    /// (<see cref="FixedPointOptions.Candidates"/> of them), are then polished by BFGS
    /// (<see cref="Find(TrainedNetwork, double[], IEnumerable{double[]}, FixedPointOptions?)"/>). <paramref name="progress"/> receives the fraction done, 0 to 1.
    /// </summary>
    public static IReadOnlyList<FixedPoint> Search(TrainedNetwork net, double[] input, IEnumerable<double[]> starts, FixedPointOptions? options = null, IProgress<double>? progress = null)
    {
        var o = options ?? new FixedPointOptions();
        var startList = RequireShapes(net, input, starts);
        List<(double[] X, double Q)> slowest = o.RelaxSteps > 0 ? Relax(net, input, startList, o, p => progress?.Report(0.5 * p)) : startList.Select(s => (s, 0.0)).ToList();
        var candidates = new List<double[]>();
        foreach (var (x, _) in slowest.OrderBy(s => s.Q))
        {
            if (candidates.Count >= o.Candidates) break;
            if (candidates.All(c => Distance(c, x) >= o.DuplicateDistance)) candidates.Add(x);
        }
        return Find(net, input, candidates, o, p => progress?.Report(o.RelaxSteps > 0 ? 0.5 + 0.5 * p : p));
    }

    /// <summary>
    /// The first pass of <see cref="Search"/>: all starts stepped together, x_t = (1 - alpha)
    /// x_{t-1} + alpha (Wrec_ f(x_{t-1}) + Win_ u + brec) with alpha = dt / tau
    /// (<see cref="EulerStep"/>), in single precision with the integrator's matrix kernel, rows
    /// split between the cores. Returns each start's slowest visited state and its q.
    /// </summary>
    static unsafe List<(double[] X, double Q)> Relax(TrainedNetwork net, double[] input, List<double[]> starts, FixedPointOptions o, Action<double> progress)
    {
        var c = net.Config;
        int n = c.N, np = Gemm.Pad(n), count = starts.Count;
        var dynamics = net.Network.Dynamics(Math.Min(o.RelaxDt, c.MinTau));
        var alpha = new float[np];
        var decay = new float[np];
        dynamics.Alpha.CopyTo(alpha, 0);
        dynamics.Decay.CopyTo(decay, 0);
        var constant = ConstantDrive(net, input);
        var weightsT = GC.AllocateArray<float>(n * np, pinned: true);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) weightsT[k * np + i] = net.Wrec[i, k];
        // Rows padded to the kernel's register block; padding rows stay zero.
        int rows = (count + Gemm.DenseRowBlock - 1) / Gemm.DenseRowBlock * Gemm.DenseRowBlock;
        var x = GC.AllocateArray<float>(rows * np, pinned: true);
        var r = GC.AllocateArray<float>(rows * np, pinned: true);
        var drive = GC.AllocateArray<float>(rows * np, pinned: true);
        var best = starts.Select(s => (double[])s.Clone()).ToArray();
        var bestQ = Enumerable.Repeat(double.PositiveInfinity, count).ToArray();
        for (int s = 0; s < count; s++)
        {
            for (int i = 0; i < n; i++) x[s * np + i] = (float)starts[s][i];
            Activations.Hidden(c.HiddenActivation, x.AsSpan(s * np, n), r.AsSpan(s * np, n));
        }
        // Two blocks of rows, one per core; each a multiple of the register block.
        int half = (rows / Gemm.DenseRowBlock + 1) / 2 * Gemm.DenseRowBlock;
        var blocks = new[] { (0, Math.Min(half, rows)), (Math.Min(half, rows), rows) }.Where(b => b.Item2 > b.Item1).ToArray();
        for (int step = 0; step <= o.RelaxSteps; step++)
        {
            Parallel.ForEach(blocks, block =>
            {
                var (r0, r1) = block;
                fixed (float* pr = r, pw = weightsT, pd = drive)
                    Gemm.MultiplyDense(r1 - r0, n, np, pr + (long)r0 * np, np, pw, np, pd + (long)r0 * np, np);
                for (int s = r0; s < Math.Min(r1, count); s++)
                {
                    var xs = x.AsSpan(s * np, np);
                    var ds = drive.AsSpan(s * np, np);
                    double q = 0;
                    for (int i = 0; i < n; i++)
                    {
                        ds[i] = (float)(ds[i] + constant[i]);
                        double v = EulerStep.Velocity(xs[i], ds[i], c.TauOf(i));
                        q += 0.5 * v * v;
                    }
                    // The state before this step, if it is the slowest so far; then the step.
                    if (q < bestQ[s]) { bestQ[s] = q; for (int i = 0; i < n; i++) best[s][i] = xs[i]; }
                    EulerStep.Apply(xs, alpha, decay, ds);
                    ds.CopyTo(xs);
                    Activations.Hidden(c.HiddenActivation, xs[..n], r.AsSpan(s * np, n));
                }
            });
            if (step % 20 == 0) progress((double)step / o.RelaxSteps);
        }
        progress(1);
        return Enumerable.Range(0, count).Select(s => (best[s], bestQ[s])).ToList();
    }

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
    public static IReadOnlyList<FixedPoint> Find(TrainedNetwork net, double[] input, IEnumerable<double[]> starts, FixedPointOptions? options = null) =>
        Find(net, input, starts, options ?? new FixedPointOptions(), _ => { });

    static IReadOnlyList<FixedPoint> Find(TrainedNetwork net, double[] input, IEnumerable<double[]> starts, FixedPointOptions options, Action<double> progress)
    {
        var o = options;
        var startList = RequireShapes(net, input, starts);
        var constant = ConstantDrive(net, input);
        // Starts are independent: minimise them on every core; duplicates are then removed in the
        // starts' order, so the result does not depend on the thread count.
        var minima = new Vector<double>?[startList.Count];
        int done = 0;
        Parallel.For(0, startList.Count, i =>
        {
            minima[i] = Minimise(net, constant, startList[i], o.MaxIterations);
            progress(0.9 * Interlocked.Increment(ref done) / startList.Count);
        });
        var found = new List<FixedPoint>();
        foreach (var x in minima)
        {
            if (x is null) continue;
            var (fx, jx) = Dynamics(net, input, x);
            double q = 0.5 * fx.DotProduct(fx);
            if (!(q <= o.SlowTolerance)) continue;
            if (found.Any(p => Distance(p.X, x) < o.DuplicateDistance)) continue;
            var eigen = Eigenvalues(net, jx, x);
            found.Add(new FixedPoint(x.ToArray(), q, eigen, Classify(eigen, o.MarginalTolerance), q <= o.FixedTolerance));
        }
        progress(1);
        return found.OrderBy(p => p.Q).ToList();
    }

    /// <summary>
    /// Limited-memory BFGS from one start (the dense BFGS's N x N updates took seconds a start at
    /// N = 500). Near a slow point (a line attractor) q keeps creeping down and BFGS
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
            return new LimitedMemoryBfgsMinimizer(1e-12, 1e-12, 1e-14, 10, maxIterations).FindMinimum(objective, Vector<double>.Build.DenseOfArray(start)).MinimizingPoint;
        }
        catch (Exception e) when (e is OptimizationException or MathNet.Numerics.NonConvergenceException or ArgumentException)
        {
            return best;
        }
    }

    /// <summary>
    /// The Jacobian's eigenvalues, largest real part first. A unit with f'(x) = 0 (a silent
    /// rectified unit) has a column of J that is -1/tau_i on the diagonal and zero elsewhere, so
    /// with the silent units ordered last J is block lower triangular: its eigenvalues are those of
    /// the active units' block and -1/tau_i for each silent unit. Only the active block is
    /// decomposed (the cost is cubic in its size).
    /// </summary>
    static System.Numerics.Complex[] Eigenvalues(TrainedNetwork net, Matrix<double> jacobian, Vector<double> x)
    {
        var c = net.Config;
        var xf = x.Select(v => (float)v).ToArray();
        var fp = new float[xf.Length];
        Activations.HiddenDerivative(c.HiddenActivation, xf, fp);
        var active = Enumerable.Range(0, fp.Length).Where(i => fp[i] != 0).ToArray();
        var silent = Enumerable.Range(0, fp.Length).Where(i => fp[i] == 0).Select(i => new System.Numerics.Complex(-1 / c.TauOf(i), 0));
        var block = Matrix<double>.Build.Dense(active.Length, active.Length, (i, j) => jacobian[active[i], active[j]]);
        var values = active.Length > 0 ? block.Evd().EigenValues.AsEnumerable() : [];
        return values.Concat(silent).OrderByDescending(z => z.Real).ToArray();
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

    /// <summary>The starts as a list, each checked to have N values, and the input Nin values.</summary>
    static List<double[]> RequireShapes(TrainedNetwork net, double[] input, IEnumerable<double[]> starts)
    {
        if (input.Length != net.Config.Nin) throw new ArgumentException($"The input has {input.Length} values, the network Nin = {net.Config.Nin}.", nameof(input));
        var list = starts.ToList();
        foreach (var start in list)
            if (start.Length != net.Config.N) throw new ArgumentException($"A starting state has {start.Length} values, the network N = {net.Config.N}.", nameof(starts));
        return list;
    }

    static double Distance(double[] a, Vector<double> b) => Distance(a, b.AsArray() ?? b.ToArray());

    static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(s);
    }
}

/// <summary>
/// Fixed points in the network's state space as a figure shows them: the condition-averaged rate
/// trajectories of test trials and the points' rates, projected on the first principal components
/// of those trajectories.
/// </summary>
/// <param name="Trajectories">One projected trajectory (time x components) per condition group.</param>
/// <param name="Points">Each point's projection and stability.</param>
/// <param name="Pca">The principal components.</param>
public sealed record FixedPointProjection(IReadOnlyList<(string Name, double[,] Projection)> Trajectories,
    IReadOnlyList<(double[] Projection, Stability Stability)> Points, PcaResult Pca)
{
    /// <summary>
    /// Projects <paramref name="trials"/> (grouped by condition, or by the condition's first value
    /// when there are more than <paramref name="maxGroups"/> conditions) and <paramref name="points"/>
    /// on <paramref name="components"/> principal components of the averaged trajectories.
    /// </summary>
    public static FixedPointProjection Of(IReadOnlyList<SimulatedTrial> trials, IReadOnlyList<FixedPoint> points, HiddenActivation f,
        int components = 2, int maxGroups = 12)
    {
        static string Label(SimulatedTrial t, bool full) => t.Condition is not { } c ? "catch"
            : full ? string.Join(", ", c.Values.Select(kv => $"{kv.Key}={ConditionAxis.Text(kv.Value)}"))
            : c.Values.FirstOrDefault() is { Key: not null } first ? $"{first.Key}={ConditionAxis.Text(first.Value)}" : "trials";
        bool full = trials.Select(t => Label(t, true)).Distinct().Count() <= maxGroups;
        var averages = Population.ConditionAverages(trials, t => Label(t, full));
        if (averages.Count == 0) throw new ArgumentException("There are no trials to project.");
        // At most about 1,000 time points in all: enough for the components and the figure.
        int every = Math.Max(1, averages.Sum(a => a.Time.Length) / 1000);
        var rates = averages.Select(a => Every(a.Rates, every)).ToList();
        var pca = Population.Pca(rates);
        var projected = points.Select(p =>
        {
            var rates = p.Rates(f);
            var m = new double[1, rates.Length];
            for (int u = 0; u < rates.Length; u++) m[0, u] = rates[u];
            var row = pca.Project(m, components);
            return (Enumerable.Range(0, components).Select(k => row[0, k]).ToArray(), p.Stability);
        }).ToList();
        return new FixedPointProjection(averages.Zip(rates, (a, r) => (a.Condition, pca.Project(r, components))).ToList(), projected, pca);
    }

    static double[,] Every(double[,] rows, int every)
    {
        int count = (rows.GetLength(0) + every - 1) / every, n = rows.GetLength(1);
        var result = new double[count, n];
        for (int k = 0; k < count; k++)
            for (int u = 0; u < n; u++) result[k, u] = rows[k * every, u];
        return result;
    }
}
