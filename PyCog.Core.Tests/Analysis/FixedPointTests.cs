using MathNet.Numerics.LinearAlgebra;
using PyCog.Analysis;
using PyCog.Network;
using PyCog.Numerics;
using PyCog.Simulation;
using Xunit;

namespace PyCog.Tests.Analysis;

/// <summary>Fixed points on systems whose fixed points are known in closed form.</summary>
public class FixedPointTests
{
    static TrainedNetwork Network(HiddenActivation f, double[,] wrec, double[,]? win = null, double[]? brec = null)
    {
        int n = wrec.GetLength(0), nin = win?.GetLength(1) ?? 0;
        var config = new NetworkConfig
        {
            Nin = nin, N = n, Nout = 1, HiddenActivation = f,
            Crec = new Connectivity(Matrix.FromFunction(n, n, (_, _) => 1)),
        }.Resolve();
        var p = NetworkParameters.Zeros(nin, n, 1);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) p.Wrec[i, j] = (float)wrec[i, j];
            for (int k = 0; k < nin; k++) p.Win![i, k] = (float)win![i, k];
            p.Brec[i] = (float)(brec?[i] ?? 0);
        }
        return TrainedNetwork.FromParameters(config, p, threshold: 0);
    }

    [Fact]
    public void ALinearNetworkHasOneStableFixedPointAtTheSolutionOfItsLinearSystem()
    {
        var w = new double[,] { { 0.2, -0.3, 0.1 }, { 0.4, 0.1, -0.2 }, { -0.1, 0.3, 0.3 } };
        var win = new double[,] { { 1 }, { -0.5 }, { 0.25 } };
        var b = new[] { 0.1, 0.0, -0.2 };
        var net = Network(HiddenActivation.Linear, w, win, b);
        double u = 0.3 + 0.2;   // the input transform adds the baseline (and rectifies)
        var W = Matrix<double>.Build.DenseOfArray(w);
        var rhs = Vector<double>.Build.DenseOfArray([1 * u + 0.1, -0.5 * u, 0.25 * u - 0.2]);
        var expected = (Matrix<double>.Build.DenseIdentity(3) - W).Solve(rhs);
        var rng = new Rng(4);
        var starts = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, 3).Select(_ => rng.Normal(0, 2)).ToArray());
        var points = FixedPoints.Find(net, [0.3], starts);
        var point = Assert.Single(points);
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], point.X[i], 4);
        Assert.True(point.IsFixed);
        Assert.Equal(Stability.Stable, point.Stability);
        var eig = (W - Matrix<double>.Build.DenseIdentity(3)).Divide(100).Evd().EigenValues.OrderByDescending(z => z.Real).ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(eig[i].Real, point.Eigenvalues[i].Real, 5);
    }

    [Fact]
    public void ASelfExcitingTanhUnitIsBistableWithAnUnstablePointBetween()
    {
        // x' = (-x + 2 tanh x) / tau: fixed points 0 (unstable, slope (2 - 1)/tau) and +-1.9150 (stable).
        var net = Network(HiddenActivation.Tanh, new double[,] { { 2 } });
        var points = FixedPoints.Find(net, [], new[] { new[] { -3.0 }, new[] { 3.0 }, new[] { 0.05 }, new[] { 2.5 } });
        Assert.Equal(3, points.Count);
        var byX = points.OrderBy(p => p.X[0]).ToList();
        Assert.Equal(-1.91501, byX[0].X[0], 4);
        Assert.Equal(0, byX[1].X[0], 5);
        Assert.Equal(1.91501, byX[2].X[0], 4);
        Assert.Equal([Stability.Stable, Stability.Unstable, Stability.Stable], byX.Select(p => p.Stability));
        Assert.Equal(0.01, byX[1].Eigenvalues[0].Real, 6);
    }

    [Fact]
    public void AStartThatRunsOutOfIterationsKeepsTheLowestPointReached()
    {
        // A near-line attractor: x' = (-x + 0.999 x) / tau along one axis is a slow direction, where
        // BFGS creeps. With one iteration it cannot converge; the point it keeps must be lower in q
        // than the start, and whatever the budget, the answer does not depend on the thread count.
        var net = Network(HiddenActivation.Linear, new double[,] { { 0.999, 0 }, { 0, 0.5 } });
        double[] start = [3, 1];
        double q0 = FixedPoints.QAndGradient(net, [], Vector<double>.Build.DenseOfArray(start)).Q;
        var loose = new FixedPointOptions { SlowTolerance = 1, MaxIterations = 1 };
        var point = Assert.Single(FixedPoints.Find(net, [], [start], loose));
        Assert.True(point.Q < q0, $"q {point.Q} not below the start's {q0}");
        var many = Enumerable.Range(0, 16).Select(i => new[] { 3.0 - 0.1 * i, 1.0 + 0.05 * i }).ToList();
        var a = FixedPoints.Find(net, [], many, loose with { MaxIterations = 5 });
        var b = FixedPoints.Find(net, [], many, loose with { MaxIterations = 5 });
        Assert.Equal(a.Select(p => p.X), b.Select(p => p.X));
    }

    [Fact]
    public void AnUnstableDirectionBesideAStableOneIsASaddle()
    {
        var net = Network(HiddenActivation.Tanh, new double[,] { { 2, 0 }, { 0, 0.5 } });
        var points = FixedPoints.Find(net, [], new[] { new[] { 0.02, 0.3 } });
        var origin = Assert.Single(points);
        Assert.Equal(Stability.Saddle, origin.Stability);
        Assert.Equal(Stability.Marginal, FixedPoints.Classify([new(0, 0), new(-1, 0)]));
    }

    [Fact]
    public void TheGradientOfQIsExact()
    {
        var rng = new Rng(9);
        var w = new double[4, 4];
        for (int i = 0; i < 4; i++) for (int c = 0; c < 4; c++) w[i, c] = rng.Normal(0, 0.6);
        var net = Network(HiddenActivation.Tanh, w);
        var x = Vector<double>.Build.DenseOfArray([0.3, -0.2, 0.5, 0.1]);
        var (f, j) = FixedPoints.Dynamics(net, [], x);
        var grad = j.TransposeThisAndMultiply(f);
        var (q, fast) = FixedPoints.QAndGradient(net, [], x);
        Assert.Equal(0.5 * f.DotProduct(f), q, 12);
        for (int k = 0; k < 4; k++) Assert.Equal(grad[k], fast[k], 12);   // the minimiser's gradient is J^T F
        for (int k = 0; k < 4; k++)
        {
            double h = 1e-4;
            var plus = x.Clone(); plus[k] += h;
            var minus = x.Clone(); minus[k] -= h;
            double qp = 0.5 * FixedPoints.Dynamics(net, [], plus).F.DotProduct(FixedPoints.Dynamics(net, [], plus).F);
            double qm = 0.5 * FixedPoints.Dynamics(net, [], minus).F.DotProduct(FixedPoints.Dynamics(net, [], minus).F);
            Assert.Equal((qp - qm) / (2 * h), grad[k], 8);
        }
    }

    [Fact]
    public void TheTwoPassSearchFindsTheStablePointsOfABistableUnitFromFarStarts()
    {
        // The relaxation pass carries starts far from +-1.915 towards them; the polish then converges.
        var net = Network(HiddenActivation.Tanh, new double[,] { { 2 } });
        var starts = new[] { -40.0, -8, -0.3, 0.4, 9, 35 }.Select(v => new[] { v });
        var points = FixedPoints.Search(net, [], starts, new FixedPointOptions { RelaxSteps = 600, Candidates = 6 });
        var stable = points.Where(p => p.Stability == Stability.Stable).OrderBy(p => p.X[0]).ToList();
        Assert.Equal(2, stable.Count);
        Assert.Equal(-1.91501, stable[0].X[0], 4);
        Assert.Equal(1.91501, stable[1].X[0], 4);
        Assert.All(stable, p => Assert.True(p.IsFixed));
    }

    [Fact]
    public void TheSearchReportsProgressAndGivesTheSamePointsEveryTime()
    {
        var w = new double[,] { { 0.2, -0.3, 0.1 }, { 0.4, 0.1, -0.2 }, { -0.1, 0.3, 0.3 } };
        var net = Network(HiddenActivation.Rectify, w, brec: [0.3, 0.2, 0.1]);
        var rng = new Rng(8);
        var starts = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 3).Select(_ => rng.Normal(0, 1)).ToArray()).ToList();
        var reports = new List<double>();
        var a = FixedPoints.Search(net, [], starts, null, new SyncProgress(reports.Add));
        var b = FixedPoints.Search(net, [], starts);
        Assert.Equal(a.Select(p => p.X), b.Select(p => p.X));
        Assert.Equal(1, reports[^1]);
        Assert.True(reports.Zip(reports.Skip(1)).All(r => r.Second >= r.First - 0.5), "progress moves forward within each pass");
        var point = Assert.Single(a);
        Assert.True(point.IsFixed);
    }

    [Fact]
    public void SilentUnitsContributeMinusOneOverTauToTheSpectrum()
    {
        // Unit 2 is silent (its drive is negative), so J's eigenvalues are the active block's and -1/tau.
        var w = new double[,] { { 0.5, 0.2, 0.3 }, { -0.4, 0.5, 0.1 }, { 0.1, 0.1, 0 } };
        var net = Network(HiddenActivation.Rectify, w, brec: [0.5, 0.5, -3]);
        var point = Assert.Single(FixedPoints.Find(net, [], [[1.0, 0.5, -2.0]]));
        Assert.True(point.X[2] < 0);
        var (_, j) = FixedPoints.Dynamics(net, [], Vector<double>.Build.DenseOfArray(point.X));
        var full = j.Evd().EigenValues.OrderByDescending(z => z.Real).ToArray();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(full[i].Real, point.Eigenvalues[i].Real, 10);
            Assert.Equal(Math.Abs(full[i].Imaginary), Math.Abs(point.Eigenvalues[i].Imaginary), 10);
        }
        Assert.Contains(point.Eigenvalues, z => Math.Abs(z.Real + 0.01) < 1e-12);
    }

    sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
