using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using MathNet.Numerics.Distributions;
using PyCog.Simulation;
using PyCog.Tasks;

namespace PyCog.Analysis;

/// <summary>One point of a psychometric curve: a signed stimulus value, the trials there and the fraction choosing choice 0.</summary>
public sealed record PsychometricPoint(double Stimulus, int Trials, double ChoiceFraction)
{
    /// <summary>Binomial standard error of the fraction.</summary>
    public double StandardError => Trials > 0 ? Math.Sqrt(ChoiceFraction * (1 - ChoiceFraction) / Trials) : double.NaN;
}

/// <summary>Percent correct of the trials of one stimulus strength whose stimulus lasted about <see cref="Duration"/> ms (one bin).</summary>
public sealed record DurationPoint(double Duration, int Trials, double PercentCorrect);

/// <summary>
/// A fitted psychometric function: its name, parameters, the curve it predicts and each
/// parameter's standard error (NaN when the data cannot give one: as many points as parameters).
/// </summary>
public sealed record PsychometricFit(string Function, IReadOnlyDictionary<string, double> Parameters, Func<double, double> Curve)
{
    /// <summary>Mean (point of subjective equality) of the cumulative Gaussian fits, in the stimulus's units.</summary>
    public double Mu => Parameter("mu");
    /// <summary>Standard deviation (the threshold) of the cumulative Gaussian fits, in the stimulus's units.</summary>
    public double Sigma => Parameter("sigma");
    /// <summary>Lapse rate of the Gaussian-with-lapse fit (pycog's "guessing").</summary>
    public double Gamma => Parameter("gamma");
    /// <summary>Weibull threshold: the strength at which percent correct is 1 - 0.5/e.</summary>
    public double Alpha => Parameter("alpha");
    /// <summary>Weibull slope.</summary>
    public double Beta => Parameter("beta");

    double Parameter(string name) => Parameters.TryGetValue(name, out var v) ? v
        : throw new InvalidOperationException($"A {Function} fit has no {name}; its parameters are {string.Join(", ", Parameters.Keys)}.");

    /// <summary>
    /// Standard error of each parameter from the least-squares covariance
    /// <c>s^2 (J^T J)^-1</c>, <c>s^2 = RSS / (n - p)</c>, as scipy's curve_fit reports it.
    /// </summary>
    public IReadOnlyDictionary<string, double> StandardErrors { get; init; } = new Dictionary<string, double>();
}

/// <summary>
/// Psychometric curves and the fits of pycog's <c>fittools</c> (least squares on the fractions,
/// as scipy's curve_fit did), computed with MathNet.Numerics:
/// cumulative Gaussian <c>Phi((x - mu) / sigma)</c>; Gaussian with lapse (pycog's "guessing")
/// <c>gamma + (1 - 2 gamma) Phi((x - mu) / sigma)</c>; Weibull for percent correct against
/// unsigned strength <c>1 - 0.5 exp(-(x / alpha)^beta)</c>.
/// </summary>
public static class Psychometric
{
    /// <summary>
    /// The fraction of trials choosing <paramref name="choice"/> at each signed stimulus value,
    /// sorted by stimulus. Catch trials (null stimulus) are skipped.
    /// </summary>
    public static IReadOnlyList<PsychometricPoint> Curve(IEnumerable<SimulatedTrial> trials, Func<SimulatedTrial, double?> signedStimulus, int choice = 0) =>
        Curve(trials.Select(t => (signedStimulus(t), t.Choice)), choice);

    /// <summary>The same from (stimulus, choice) pairs.</summary>
    public static IReadOnlyList<PsychometricPoint> Curve(IEnumerable<(double? Stimulus, int Choice)> data, int choice = 0) =>
        data.Where(d => d.Stimulus is not null)
            .GroupBy(d => d.Stimulus!.Value)
            .OrderBy(g => g.Key)
            .Select(g => new PsychometricPoint(g.Key, g.Count(), g.Count(d => d.Choice == choice) / (double)g.Count()))
            .ToList();

    /// <summary>Percent correct over trials with a known choice.</summary>
    public static double PercentCorrect(IEnumerable<SimulatedTrial> trials)
    {
        return Performance.PercentCorrect(trials.Select(t => (t.Info?.Choice, t.Choice)));
    }

    /// <summary>Least-squares fit of <c>Phi((x - mu) / sigma)</c>.</summary>
    public static PsychometricFit FitCumulativeGaussian(IReadOnlyList<PsychometricPoint> points)
    {
        var (x, y) = Xy(points);
        double mu0 = x.Average(), sd0 = Math.Max(StdDev(x), 1e-3);
        var (p, errors) = LeastSquares(x, y, (q, v) => Normal.CDF(q[0], Math.Abs(q[1]) + 1e-12, v), ["mu", "sigma"], mu0, sd0);
        double mu = p[0], sigma = Math.Abs(p[1]);
        return new("cumulative_gaussian", new Dictionary<string, double> { ["mu"] = mu, ["sigma"] = sigma }, v => Normal.CDF(mu, sigma, v)) { StandardErrors = errors };
    }

    /// <summary>Least-squares fit of <c>gamma + (1 - 2 gamma) Phi((x - mu) / sigma)</c>.</summary>
    public static PsychometricFit FitGaussianWithLapse(IReadOnlyList<PsychometricPoint> points)
    {
        var (x, y) = Xy(points);
        double mu0 = x.Average(), sd0 = Math.Max(StdDev(x), 1e-3);
        var (p, errors) = LeastSquares(x, y, (q, v) => q[2] + (1 - 2 * q[2]) * Normal.CDF(q[0], Math.Abs(q[1]) + 1e-12, v), ["mu", "sigma", "gamma"], mu0, sd0, 0.05);
        double mu = p[0], sigma = Math.Abs(p[1]), gamma = p[2];
        return new("gaussian_with_lapse", new Dictionary<string, double> { ["mu"] = mu, ["sigma"] = sigma, ["gamma"] = gamma },
            v => gamma + (1 - 2 * gamma) * Normal.CDF(mu, sigma, v)) { StandardErrors = errors };
    }

    /// <summary>
    /// Percent correct against stimulus duration, one curve per strength (paper Fig. 2B, pycog's
    /// <c>plot_stimulus_duration</c>): each strength's trials sorted by duration and cut into
    /// <paramref name="bins"/> bins of <c>n / bins</c> trials (the remainder goes to the last), each
    /// plotted at the middle of its edges. The edges are the shortest and longest durations and,
    /// between bins, the midpoint of the last duration of one and the first of the next. A
    /// strength with fewer trials than bins is left out.
    /// </summary>
    public static IReadOnlyList<(double Strength, IReadOnlyList<DurationPoint> Points)> CorrectByDuration(
        IEnumerable<(double Strength, double Duration, bool Correct)> data, int bins = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var result = new List<(double, IReadOnlyList<DurationPoint>)>();
        foreach (var group in data.GroupBy(d => d.Strength).OrderBy(g => g.Key))
        {
            var sorted = group.OrderBy(d => d.Duration).ToArray();
            int n = sorted.Length, size = n / bins;
            if (size == 0) continue;
            int Start(int k) => k * size;
            int End(int k) => k == bins - 1 ? n : (k + 1) * size;
            double Edge(int k) => k == 0 ? sorted[0].Duration : k == bins ? sorted[n - 1].Duration
                : (sorted[End(k - 1) - 1].Duration + sorted[Start(k)].Duration) / 2;
            var points = Enumerable.Range(0, bins).Select(k =>
            {
                var bin = sorted[Start(k)..End(k)];
                return new DurationPoint((Edge(k) + Edge(k + 1)) / 2, bin.Length, 100.0 * bin.Count(d => d.Correct) / bin.Length);
            }).ToList();
            result.Add((group.Key, points));
        }
        return result;
    }

    /// <summary>
    /// Least-squares fit of the Weibull <c>1 - 0.5 exp(-(x / alpha)^beta)</c> to the fraction
    /// correct against unsigned stimulus strength (x &gt; 0); alpha is the 82%-correct threshold.
    /// </summary>
    public static PsychometricFit FitWeibull(IReadOnlyList<(double Strength, double FractionCorrect)> points)
    {
        var x = points.Select(p => p.Strength).ToArray();
        var y = points.Select(p => p.FractionCorrect).ToArray();
        if (x.Any(v => v <= 0)) throw new ArgumentException("The Weibull fit needs positive stimulus strengths.");
        static double W(double a, double b, double v) => 1 - 0.5 * Math.Exp(-Math.Pow(v / Math.Abs(a), Math.Abs(b)));
        var (p, errors) = LeastSquares(x, y, (q, v) => W(q[0], q[1], v), ["alpha", "beta"], x.Average(), 1.0);
        double alpha = Math.Abs(p[0]), beta = Math.Abs(p[1]);
        return new("weibull", new Dictionary<string, double> { ["alpha"] = alpha, ["beta"] = beta }, v => W(alpha, beta, v)) { StandardErrors = errors };
    }

    /// <summary>Fraction correct by unsigned strength, from (signed stimulus, correct?) data.</summary>
    public static IReadOnlyList<(double Strength, double FractionCorrect)> CorrectByStrength(IEnumerable<(double Stimulus, bool Correct)> data) =>
        data.GroupBy(d => Math.Abs(d.Stimulus)).OrderBy(g => g.Key).Select(g => (g.Key, g.Count(d => d.Correct) / (double)g.Count())).ToList();

    /// <summary>
    /// Least-squares fit of <paramref name="model"/>(p, x) from <paramref name="start"/> by
    /// Levenberg-Marquardt (MathNet.Numerics; scipy's curve_fit uses the same method), with each
    /// parameter's standard error from <c>s^2 (J^T J)^-1</c>, <c>s^2 = RSS / (n - p)</c>
    /// (NaN where n &lt;= p). The start must not matter: a derivative-free simplex started at
    /// mu = 0 never left it.
    /// </summary>
    internal static (double[] Parameters, Dictionary<string, double> StandardErrors) LeastSquares(
        double[] x, double[] y, Func<double[], double, double> model, string[] names, params double[] start)
    {
        var objective = ObjectiveFunction.NonlinearModel(
            (p, xs) => { var q = p.ToArray(); return Vector<double>.Build.Dense(xs.Count, i => model(q, xs[i])); },
            Vector<double>.Build.DenseOfArray(x), Vector<double>.Build.DenseOfArray(y), accuracyOrder: 4);
        var result = new LevenbergMarquardtMinimizer(maximumIterations: 10_000).FindMinimum(objective, Vector<double>.Build.DenseOfArray(start));
        var p = result.MinimizingPoint.ToArray();
        var errors = new Dictionary<string, double>();
        for (int j = 0; j < names.Length; j++)
            errors[names[j]] = x.Length > names.Length && result.StandardErrors is { } se && double.IsFinite(se[j]) ? se[j] : double.NaN;
        return (p, errors);
    }

    static (double[] X, double[] Y) Xy(IReadOnlyList<PsychometricPoint> points)
    {
        if (points.Count < 3) throw new ArgumentException($"A psychometric fit needs at least 3 stimulus values, got {points.Count}.");
        return (points.Select(p => p.Stimulus).ToArray(), points.Select(p => p.ChoiceFraction).ToArray());
    }

    static double StdDev(double[] x)
    {
        double m = x.Average();
        return Math.Sqrt(x.Average(v => (v - m) * (v - m)));
    }
}
