using MathNet.Numerics.Distributions;
using PyCog.Analysis;
using PyCog.Numerics;
using PyCog.Simulation;
using PyCog.Tasks;
using Xunit;

namespace PyCog.Tests.Analysis;

public class PsychometricTests
{
    static readonly double[] Stimuli = [-16, -8, -4, -2, -1, 1, 2, 4, 8, 16];

    static List<(double? Stimulus, int Choice)> Synthetic(Func<double, double> p, int perPoint, long seed)
    {
        var rng = new Rng(seed);
        return Stimuli.SelectMany(x => Enumerable.Range(0, perPoint).Select(_ => ((double?)x, rng.NextDouble() < p(x) ? 0 : 1))).ToList();
    }

    [Fact]
    public void CumulativeGaussianRecoversItsParameters()
    {
        var points = Psychometric.Curve(Synthetic(x => Normal.CDF(1.5, 4, x), 4000, 1));
        Assert.Equal(10, points.Count);
        var fit = Psychometric.FitCumulativeGaussian(points);
        Assert.InRange(fit.Mu, 1.2, 1.8);
        Assert.InRange(fit.Sigma, 3.7, 4.3);
        Assert.InRange(fit.Curve(1.5), 0.49, 0.51);
    }

    [Fact]
    public void GaussianWithLapseRecoversTheLapseRate()
    {
        var points = Psychometric.Curve(Synthetic(x => 0.08 + 0.84 * Normal.CDF(-1, 3, x), 6000, 2));
        var fit = Psychometric.FitGaussianWithLapse(points);
        Assert.InRange(fit.Gamma, 0.06, 0.10);
        Assert.InRange(fit.Mu, -1.4, -0.6);
        Assert.InRange(fit.Sigma, 2.5, 3.5);
    }

    [Fact]
    public void WeibullRecoversThresholdAndSlope()
    {
        var rng = new Rng(3);
        static double W(double x) => 1 - 0.5 * Math.Exp(-Math.Pow(x / 5, 1.6));
        var data = Stimuli.SelectMany(x => Enumerable.Range(0, 5000).Select(_ => (x, rng.NextDouble() < W(Math.Abs(x)))));
        var fit = Psychometric.FitWeibull(Psychometric.CorrectByStrength(data));
        Assert.InRange(fit.Alpha, 4.6, 5.4);
        Assert.InRange(fit.Beta, 1.4, 1.8);
    }
}

public class ReactionTimeTests
{
    /// <summary>A hand-made condition: the ramp's slope.</summary>
    sealed record SlopeCondition([property: PycogName("slope")] double Slope) : TrialCondition;

    static SimulatedTrial Ramp(double slope, int correct, int choiceOutput)
    {
        int count = 201;
        var z = new float[count * 2];
        for (int k = 0; k < count; k++) z[k * 2 + choiceOutput] = (float)(slope * Math.Max(0, k * 10 - 100));
        var info = new TrialInfo(new SlopeCondition(slope), correct);
        var trial = new Trial(10, 2000, TimeGrid.Times(10, 2000), new Dictionary<string, (double, double)>(), new Matrix(200, 0), null, null, info);
        return new SimulatedTrial
        {
            Time = Enumerable.Range(0, count).Select(k => k * 10.0).ToArray(), Nin = 0, N = 1, Nout = 2,
            U = [], R = new float[count], Z = z, FinalState = [0], Trial = trial,
        };
    }

    [Fact]
    public void PercentCorrectByDurationUsesEqualCountBinsWithTheRemainderInTheLast()
    {
        // 7 trials of 3.2 % in 3 bins of 2: [100, 200], [300, 400], [500, 600, 700] (given shuffled).
        // Edges 100 | (200 + 300) / 2 = 250 | (400 + 500) / 2 = 450 | 700: centres 175, 350, 575.
        (double, double, bool)[] data =
        [
            (3.2, 600, true), (3.2, 100, false), (3.2, 400, true), (3.2, 700, true), (3.2, 200, true), (3.2, 500, false), (3.2, 300, true),
            (6.4, 100, true), (6.4, 900, true),   // fewer trials than bins: left out
        ];
        var curves = Psychometric.CorrectByDuration(data, bins: 3);
        var (strength, points) = Assert.Single(curves);
        Assert.Equal(3.2, strength);
        Assert.Equal([175.0, 350, 575], points.Select(p => p.Duration));
        Assert.Equal([2, 2, 3], points.Select(p => p.Trials));
        Assert.Equal(50, points[0].PercentCorrect, 12);
        Assert.Equal(100, points[1].PercentCorrect, 12);
        Assert.Equal(200.0 / 3, points[2].PercentCorrect, 12);
    }

    [Fact]
    public void ReactionTimeIsTheFirstStrictCrossingMeasuredFromStimulusOnset()
    {
        var rt = ReactionTimes.Measure(Ramp(0.002, 1, 1), stimulusOnset: 100, threshold: 1);
        Assert.Equal(510, rt.Time); // 0.002 (t - 100) is exactly 1 at t = 600, and first exceeds 1 at t = 610
        Assert.Equal(1, rt.Choice);
        Assert.Null(ReactionTimes.Measure(Ramp(0.0001, 1, 1), 100).Time);
    }

    [Fact]
    public void ChronometricCurveAveragesCorrectTrialsOnly()
    {
        var trials = new[] { Ramp(0.002, 0, 0), Ramp(0.002, 0, 0), Ramp(0.004, 0, 0), Ramp(0.004, 1, 0) };
        var curve = ReactionTimes.Chronometric(trials, t => t.ConditionAs<SlopeCondition>().Slope, _ => 100);
        Assert.Equal(2, curve.Count);
        Assert.Equal(510, curve[0].MeanRt);
        Assert.Equal(2, curve[0].Trials);
        Assert.Equal(260, curve[1].MeanRt);   // 0.004 (t - 100) = 1 at 350, > 1 from 360
        Assert.Equal(1, curve[1].Trials);
    }
}

public class PopulationTests
{
    [Fact]
    public void TargetedDimensionalityReductionRecoversPlantedAxes()
    {
        var rng = new Rng(8);
        int n = 40, time = 15, trialsCount = 400;
        string[] names = ["choice", "motion", "colour", "context"];
        // four random (not orthogonal) planted directions
        var planted = new double[4][];
        for (int a = 0; a < 4; a++) { planted[a] = Enumerable.Range(0, n).Select(_ => rng.NextGaussian()).ToArray(); Normalise(planted[a]); }
        var regressors = new double[trialsCount, 4];
        var trials = new List<double[,]>();
        for (int tr = 0; tr < trialsCount; tr++)
        {
            for (int a = 0; a < 4; a++) regressors[tr, a] = a == 0 || a == 3 ? (rng.NextDouble() < 0.5 ? -1 : 1) : rng.Uniform(-1, 1);
            var x = new double[time, n];
            for (int t = 0; t < time; t++)
                for (int u = 0; u < n; u++)
                {
                    double s = 0.3 * rng.NextGaussian();
                    for (int a = 0; a < 4; a++) s += regressors[tr, a] * Gain(a, t) * planted[a][u];
                    x[t, u] = s;
                }
            trials.Add(x);
        }
        var (mean, sd) = TargetedDimensionalityReduction.ZScoreParameters(trials);
        var z = trials.Select(t => TargetedDimensionalityReduction.ZScore(t, mean, sd)).ToList();
        // condition averages: by sign of each regressor combination
        var groups = Enumerable.Range(0, trialsCount).GroupBy(i => string.Join(",", Enumerable.Range(0, 4).Select(a => Math.Sign(regressors[i, a]))));
        var averages = groups.Select(g => Average(g.Select(i => z[i]).ToList())).ToList();
        var axes = TargetedDimensionalityReduction.Find(z, regressors, names, [0, 1, 2, 3], averages, components: 12);
        // In z-scored space the planted direction is scaled by 1/sd; compare against the orthogonalised planted axes.
        var scaled = planted.Select(p => p.Select((v, u) => v / sd[u]).ToArray()).ToArray();
        var ortho = GramSchmidt(scaled);
        for (int a = 0; a < 4; a++)
        {
            double cos = Enumerable.Range(0, n).Sum(u => axes.Axes[a, u] * ortho[a][u]);
            Assert.True(cos > 0.95, $"{names[a]} axis: cosine {cos:F3}");
        }
        Assert.Equal(Gain(0, 14) > Gain(0, 0) ? 14 : 0, axes.MaxNormTimeIndex[0]);
    }

    static double Gain(int axis, int t) => axis switch { 0 => 0.2 + t / 10.0, 1 => 1.5 - t / 20.0, 2 => 1.0, _ => 0.8 };

    static void Normalise(double[] v) { double s = Math.Sqrt(v.Sum(x => x * x)); for (int i = 0; i < v.Length; i++) v[i] /= s; }

    static double[][] GramSchmidt(double[][] v)
    {
        var q = new List<double[]>();
        foreach (var x in v)
        {
            var y = (double[])x.Clone();
            foreach (var e in q) { double d = y.Zip(e, (a, b) => a * b).Sum(); for (int i = 0; i < y.Length; i++) y[i] -= d * e[i]; }
            Normalise(y);
            q.Add(y);
        }
        return q.ToArray();
    }

    static double[,] Average(List<double[,]> xs)
    {
        var a = new double[xs[0].GetLength(0), xs[0].GetLength(1)];
        foreach (var x in xs) for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) a[i, j] += x[i, j] / xs.Count;
        return a;
    }

    [Fact]
    public void PcaFindsAPlantedPlane()
    {
        var rng = new Rng(2);
        int n = 20;
        var e1 = Enumerable.Range(0, n).Select(i => i < 10 ? 1.0 : 0).ToArray();
        var e2 = Enumerable.Range(0, n).Select(i => i >= 10 ? 1.0 : 0).ToArray();
        var x = new double[300, n];
        for (int t = 0; t < 300; t++)
        {
            double a = 3 * rng.NextGaussian(), b = rng.NextGaussian();
            for (int i = 0; i < n; i++) x[t, i] = a * e1[i] + b * e2[i] + 0.01 * rng.NextGaussian();
        }
        var pca = Population.Pca([x]);
        Assert.True(pca.ExplainedVariance[0] + pca.ExplainedVariance[1] > 0.999);
        Assert.True(pca.ExplainedVariance[0] > 0.85);
        Assert.True(Math.Abs(pca.Components[0, 0]) > 0.3 && Math.Abs(pca.Components[0, 15]) < 0.05);
    }

    [Fact]
    public void DPrimeSeparatesChoiceSelectiveUnits()
    {
        var rng = new Rng(5);
        SimulatedTrial T(int choice)
        {
            var r = new float[11 * 3];
            for (int k = 0; k < 11; k++)
            {
                r[k * 3] = (float)((choice == 0 ? 1.0 : 0.0) + 0.2 * rng.NextGaussian()); // selective for choice 0
                r[k * 3 + 1] = (float)(0.5 + 0.2 * rng.NextGaussian());                    // not selective
                r[k * 3 + 2] = (float)((choice == 1 ? 1.0 : 0.0) + 0.2 * rng.NextGaussian()); // selective for choice 1
            }
            var z = new float[11 * 2];
            z[10 * 2 + choice] = 1;
            return new SimulatedTrial { Time = Enumerable.Range(0, 11).Select(k => k * 100.0).ToArray(), Nin = 0, N = 3, Nout = 2, U = [], R = r, Z = z, FinalState = new float[3] };
        }
        var trials = Enumerable.Range(0, 60).Select(i => T(i % 2)).ToList();
        var d = Population.ChoiceDPrime(trials, 0, 1000);
        Assert.True(d[0] > 3);
        Assert.True(Math.Abs(d[1]) < 1);
        Assert.True(d[2] < -3);
        Assert.Equal(1, Population.SortBySelectivity(d)[^1]);
    }
}

public class TaskAnalysisTests
{
    static SimulatedTrial Trial(TrialCondition condition, float[] rates, int n, int choice, int count = 5)
    {
        var r = new float[count * n];
        for (int k = 0; k < count; k++) rates.CopyTo(r, k * n);
        var z = new float[count * 2];
        z[(count - 1) * 2 + choice] = 1;
        var trial = new Trial(100, 400, TimeGrid.Times(100, 400), new Dictionary<string, (double, double)>(), new Matrix(4, 0), null, null, new TrialInfo(condition, choice));
        return new SimulatedTrial { Time = Enumerable.Range(0, count).Select(k => k * 100.0).ToArray(), Nin = 0, N = n, Nout = 2, U = [], R = r, Z = z, FinalState = new float[n], Trial = trial };
    }

    [Fact]
    public void F1TuningRecoversPositiveAndNegativeSlopes()
    {
        var rng = new Rng(1);
        var trials = new List<SimulatedTrial>();
        foreach (int f1 in new[] { 10, 14, 18, 22, 26, 30, 34 })
            for (int i = 0; i < 20; i++)
                trials.Add(Trial(new RomoCondition(new FrequencyPair(f1, 10), ">", f1, 10), [(float)(0.05 * f1 + 0.05 * rng.NextGaussian()), (float)(2 - 0.03 * f1 + 0.05 * rng.NextGaussian()), (float)rng.NextGaussian()], 3, 0));
        var tuning = TaskAnalyses.F1Tuning(trials, 0, 400);
        Assert.InRange(tuning[0].Slope, 0.045, 0.055);
        Assert.InRange(tuning[1].Slope, -0.035, -0.025);
        Assert.True(tuning[0].Correlation > 0.9 && tuning[1].Correlation < -0.9);
        Assert.True(Math.Abs(tuning[2].Correlation) < 0.3);
    }

    [Fact]
    public void ModalityThresholdsAreLowerWhenCuesCombine()
    {
        var rng = new Rng(2);
        var trials = new List<SimulatedTrial>();
        foreach (var (modality, sigma) in new[] { ("v", 2.0), ("a", 2.0), ("va", 1.2) })
            foreach (int f in MultisensoryIntegration.Freqs)
                for (int i = 0; i < 400; i++)
                {
                    int choice = rng.NextDouble() < MathNet.Numerics.Distributions.Normal.CDF(12.5, sigma, f) ? 0 : 1;
                    trials.Add(Trial(new MultisensoryCondition(modality, f), [0f], 1, choice));
                }
        var fits = TaskAnalyses.ModalityThresholds(trials);
        Assert.Equal(["a", "v", "va"], fits.Select(f => f.Modality));
        double va = fits.Single(f => f.Modality == "va").Fit.Sigma;
        Assert.InRange(va, 1.0, 1.4);
        Assert.All(fits.Where(f => f.Modality != "va"), f => Assert.True(f.Fit.Sigma > va + 0.4));
    }
}
