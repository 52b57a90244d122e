using MathNet.Numerics.LinearAlgebra;

namespace PyCog.Analysis;

/// <summary>The task axes found by targeted dimensionality reduction, orthogonalised in the given order.</summary>
public sealed record TaskAxes(string[] Names, double[,] Axes, int[] MaxNormTimeIndex)
{
    /// <summary>Projects a time x units trajectory (z-scored the same way as the data) onto the axes: time x axes.</summary>
    public double[,] Project(double[,] trajectory)
    {
        int t = trajectory.GetLength(0), n = trajectory.GetLength(1), a = Names.Length;
        var p = new double[t, a];
        for (int i = 0; i < t; i++) for (int k = 0; k < a; k++) { double s = 0; for (int u = 0; u < n; u++) s += trajectory[i, u] * Axes[k, u]; p[i, k] = s; }
        return p;
    }

    /// <summary>Per-unit mean of the z-scoring the axes were found with (null: the data were not z-scored here).</summary>
    public double[]? Mean { get; init; }
    /// <summary>Per-unit standard deviation of that z-scoring.</summary>
    public double[]? Sd { get; init; }

    /// <summary>
    /// Projects one state's rates (N values, for example a fixed point's) onto the axes, z-scored
    /// with <see cref="Mean"/> and <see cref="Sd"/> like the trajectories.
    /// </summary>
    public double[] ProjectRates(double[] rates)
    {
        if (Mean is null || Sd is null) throw new InvalidOperationException("These axes carry no z-scoring parameters.");
        if (rates.Length != Mean.Length) throw new ArgumentException($"Expected {Mean.Length} rates, got {rates.Length}.", nameof(rates));
        var row = new double[1, rates.Length];
        for (int u = 0; u < rates.Length; u++) row[0, u] = rates[u];
        var p = Project(TargetedDimensionalityReduction.ZScore(row, Mean, Sd));
        return Enumerable.Range(0, Names.Length).Select(k => p[0, k]).ToArray();
    }
}

/// <summary>
/// The targeted dimensionality reduction of Mante et al. (2013), as in the paper's Fig. 4:
/// (1) z-score each unit over all trials and times; (2) at each time, regress every unit's rate
/// on the task variables (for example choice, motion, colour, context and their interactions)
/// across trials; (3) denoise the regression coefficients by projecting them on the top
/// <c>components</c> principal components of the condition-averaged population responses;
/// (4) for each variable take the coefficient vector at its time of largest norm; (5)
/// orthogonalise those vectors with a QR decomposition, in the order given.
/// </summary>
public static class TargetedDimensionalityReduction
{
    /// <summary>Unit means and standard deviations over every trial and time, for z-scoring.</summary>
    public static (double[] Mean, double[] Sd) ZScoreParameters(IReadOnlyList<double[,]> trials)
    {
        int n = trials[0].GetLength(1);
        var mean = new double[n]; var sd = new double[n];
        long count = 0;
        foreach (var tr in trials) { for (int t = 0; t < tr.GetLength(0); t++) for (int i = 0; i < n; i++) mean[i] += tr[t, i]; count += tr.GetLength(0); }
        for (int i = 0; i < n; i++) mean[i] /= count;
        foreach (var tr in trials) for (int t = 0; t < tr.GetLength(0); t++) for (int i = 0; i < n; i++) sd[i] += (tr[t, i] - mean[i]) * (tr[t, i] - mean[i]);
        for (int i = 0; i < n; i++) sd[i] = Math.Sqrt(sd[i] / count);
        return (mean, sd);
    }

    /// <summary>Z-scores a time x units matrix in place with the given parameters (units with zero spread become zero).</summary>
    public static double[,] ZScore(double[,] x, double[] mean, double[] sd)
    {
        var z = (double[,])x.Clone();
        for (int t = 0; t < z.GetLength(0); t++) for (int i = 0; i < z.GetLength(1); i++) z[t, i] = sd[i] > 0 ? (z[t, i] - mean[i]) / sd[i] : 0;
        return z;
    }

    /// <summary>
    /// Finds the task axes. <paramref name="trials"/>: z-scored time x units responses of each trial
    /// (equal lengths); <paramref name="regressors"/>: one row per trial with the task variables
    /// (a constant term is added); <paramref name="conditionAverages"/>: z-scored time x units
    /// condition averages used for denoising; <paramref name="axisRegressors"/>: indices (into the
    /// regressor columns) of the variables to turn into axes, in orthogonalisation order.
    /// </summary>
    public static TaskAxes Find(IReadOnlyList<double[,]> trials, double[,] regressors, string[] names, int[] axisRegressors,
        IReadOnlyList<double[,]> conditionAverages, int components = 12)
    {
        int nTrials = trials.Count, time = trials[0].GetLength(0), n = trials[0].GetLength(1), nReg = regressors.GetLength(1);
        if (regressors.GetLength(0) != nTrials) throw new ArgumentException($"{regressors.GetLength(0)} regressor rows for {nTrials} trials.");
        if (trials.Any(t => t.GetLength(0) != time || t.GetLength(1) != n)) throw new ArgumentException("Every trial must have the same time x units shape.");
        // Design matrix with a constant, and its pseudo-inverse (shared by every unit and time).
        var f = Matrix<double>.Build.Dense(nTrials, nReg + 1, (i, j) => j < nReg ? regressors[i, j] : 1.0);
        var pinv = (f.TransposeThisAndMultiply(f)).Inverse() * f.Transpose();
        // beta[t] is (nReg + 1) x units.
        var betas = new Matrix<double>[time];
        for (int t = 0; t < time; t++)
        {
            var y = Matrix<double>.Build.Dense(nTrials, n, (i, u) => trials[i][t, u]);
            betas[t] = pinv * y;
        }
        // Denoising projection on the top principal components of the condition averages.
        var pca = Population.Pca(conditionAverages);
        int k = Math.Min(components, pca.Components.GetLength(0));
        var v = Matrix<double>.Build.Dense(n, k, (u, c) => pca.Components[c, u]);
        var d = v * v.Transpose();
        var chosen = new Vector<double>[axisRegressors.Length];
        var tMax = new int[axisRegressors.Length];
        for (int a = 0; a < axisRegressors.Length; a++)
        {
            double best = -1;
            for (int t = 0; t < time; t++)
            {
                var b = d * betas[t].Row(axisRegressors[a]);
                double norm = b.L2Norm();
                if (norm > best) { best = norm; chosen[a] = b; tMax[a] = t; }
            }
        }
        var bmax = Matrix<double>.Build.DenseOfColumnVectors(chosen);
        var q = bmax.QR().Q;
        var axes = new double[axisRegressors.Length, n];
        for (int a = 0; a < axisRegressors.Length; a++)
        {
            // QR may flip signs: keep each axis pointing along its own regression vector.
            double sign = Math.Sign(q.Column(a).DotProduct(chosen[a]));
            if (sign == 0) sign = 1;
            for (int u = 0; u < n; u++) axes[a, u] = sign * q[u, a];
        }
        return new TaskAxes(axisRegressors.Select(i => names[i]).ToArray(), axes, tMax);
    }
}
