using MathNet.Numerics.Distributions;
using PyCog.Analysis;
using Xunit;

namespace PyCog.Core.Tests.Analysis;

public class FitStandardErrorTests
{
    [Fact]
    public void Straight_line_standard_errors_equal_the_ordinary_least_squares_formulas()
    {
        double[] x = [0, 1, 2, 3, 4, 5, 7];
        double[] y = [0.9, 3.2, 4.8, 7.1, 9.3, 10.8, 15.2];
        int n = x.Length;
        double xm = x.Average(), ym = y.Average();
        double sxx = x.Sum(v => (v - xm) * (v - xm)), sxy = x.Zip(y).Sum(p => (p.First - xm) * (p.Second - ym));
        double b = sxy / sxx, a = ym - b * xm;
        double s2 = x.Zip(y).Sum(p => Math.Pow(p.Second - a - b * p.First, 2)) / (n - 2);
        var (fitted, se) = Psychometric.LeastSquares(x, y, (p, v) => p[0] + p[1] * v, ["a", "b"], 0, 0);
        Assert.Equal(a, fitted[0], 1e-6);
        Assert.Equal(b, fitted[1], 1e-6);
        Assert.Equal(Math.Sqrt(s2 * (1.0 / n + xm * xm / sxx)), se["a"], 1e-7);
        Assert.Equal(Math.Sqrt(s2 / sxx), se["b"], 1e-7);
    }

    [Fact]
    public void Cumulative_gaussian_standard_errors_match_the_spread_of_refits_to_simulated_data()
    {
        // 400 data sets from a known curve plus Gaussian noise: the reported standard errors must
        // match the standard deviation of the fitted parameters across data sets.
        double[] x = [-51.2, -25.6, -12.8, -6.4, -3.2, 0, 3.2, 6.4, 12.8, 25.6, 51.2];
        var noise = new Normal(0, 0.03, new Random(5));
        var fits = Enumerable.Range(0, 400).Select(_ => Psychometric.FitCumulativeGaussian(
            x.Select(v => new PsychometricPoint(v, 100, Normal.CDF(1.5, 9, v) + noise.Sample())).ToList())).ToList();
        foreach (var name in new[] { "mu", "sigma" })
        {
            var values = fits.Select(f => f.Parameters[name]).ToList();
            double mean = values.Average(), spread = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
            double reported = fits.Average(f => f.StandardErrors[name]);
            Assert.True(reported / spread is > 0.8 and < 1.25, $"{name}: reported {reported}, spread {spread}, mean {mean}");
        }
    }

    [Fact]
    public void A_fit_started_at_mu_zero_finds_a_shifted_curve()
    {
        // The earlier derivative-free fit stayed at its start mu = 0 whatever the data said.
        double[] x = [-51.2, -25.6, -12.8, -6.4, -3.2, 0, 3.2, 6.4, 12.8, 25.6, 51.2];
        var fit = Psychometric.FitCumulativeGaussian(x.Select(v => new PsychometricPoint(v, 100, Normal.CDF(4, 9, v))).ToList());
        Assert.Equal(4, fit.Mu, 1e-4);
        Assert.Equal(9, fit.Sigma, 1e-4);
    }

    [Fact]
    public void As_many_points_as_parameters_gives_no_standard_error()
    {
        var (_, se) = Psychometric.LeastSquares([0, 1], [1, 2], (p, v) => p[0] + p[1] * v, ["a", "b"], 1, 1);
        Assert.True(double.IsNaN(se["a"]) && double.IsNaN(se["b"]));
    }
}
