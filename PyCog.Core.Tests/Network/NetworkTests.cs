using PyCog.Network;
using PyCog.Numerics;
using PyCog.Tasks;
using PyCog.Tests.Support;
using Xunit;

namespace PyCog.Tests.Network;

public class ConnectivityTests
{
    [Fact]
    public void GenerateEiMakesTheFirstEightyPercentExcitatory()
    {
        var ei = Connectivity.GenerateEi(10);
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1, -1, -1], ei);
        Assert.Equal(80, Connectivity.GenerateEi(101).Count(e => e > 0)); // int(0.8 * 101) = 80
    }

    [Fact]
    public void DefaultRecurrentMaskIsBalancedAndRowNormalised()
    {
        var ei = Connectivity.GenerateEi(10);
        var c = Connectivity.DefaultRecurrent(ei);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(0, c[i, i]);
            double sumE = Enumerable.Range(0, 8).Sum(j => (double)c[i, j]);
            double sumI = Enumerable.Range(8, 2).Sum(j => (double)c[i, j]);
            Assert.Equal(sumE, sumI, 5); // mean-balanced: I weights carry the E total
            Assert.Equal(1.0, Math.Sqrt(c.Row(i).ToArray().Sum(v => (double)v * v)), 5);
        }
        // hand-computed for an excitatory row: 7 E ones, 2 I entries of 7/2, norm sqrt(7 + 2 * 12.25)
        Assert.Equal(1 / Math.Sqrt(31.5), c[0, 1], 6);
        Assert.Equal(3.5 / Math.Sqrt(31.5), c[0, 8], 6);
    }

    [Fact]
    public void DefaultMaskWithoutDaleIsAllOnesButTheDiagonal()
    {
        var c = Connectivity.DefaultRecurrent(4);
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) Assert.Equal(i == j ? 0f : 1f, c[i, j]);
    }

    [Fact]
    public void GenerateCrecHonoursDensitiesAndIsReproducible()
    {
        var ei = Connectivity.GenerateEi(200);
        var a = Connectivity.GenerateCrec(ei, 0.1, 0.5, 1066);
        var b = Connectivity.GenerateCrec(ei, 0.1, 0.5, 1066);
        Assert.Equal(a.Data, b.Data);
        double excDensity = Enumerable.Range(0, 200).SelectMany(i => Enumerable.Range(0, 160).Select(j => a[i, j] != 0 ? 1.0 : 0)).Average();
        double inhDensity = Enumerable.Range(0, 200).SelectMany(i => Enumerable.Range(160, 40).Select(j => a[i, j] != 0 ? 1.0 : 0)).Average();
        Assert.InRange(excDensity, 0.09, 0.11);
        Assert.InRange(inhDensity, 0.46, 0.54);
        for (int i = 0; i < 200; i++) Assert.Equal(0, a[i, i]);
    }

    [Fact]
    public void RandomMaskHasExactlyTheRequestedNumberOfConnections()
    {
        var c = Connectivity.Random(30, 0.2, 4321);
        Assert.Equal((int)(0.2 * 30 * 29), c.Data.Count(v => v != 0));
        for (int i = 0; i < 30; i++) Assert.Equal(0, c[i, i]);
    }

    [Fact]
    public void StrongConnectivityIsDetectedAndReportedAsAWarning()
    {
        var ring = Matrix.FromFunction(4, 4, (i, j) => j == (i + 3) % 4 ? 1 : 0);
        Assert.True(Connectivity.IsStronglyConnected(ring));
        var chain = Matrix.FromFunction(4, 4, (i, j) => j == i - 1 ? 1 : 0);
        Assert.False(Connectivity.IsStronglyConnected(chain));
        var warnings = new List<string>();
        new NetworkConfig { N = 4, Nout = 1, Crec = new Connectivity(chain) }.Resolve(warnings);
        Assert.Contains(warnings, w => w.Contains("not strongly connected"));
    }

    [Fact]
    public void PlasticAndFixedEntriesMayNotOverlap()
    {
        var m = Matrix.FromFunction(2, 2, (i, j) => 1);
        Assert.Throws<ArgumentException>(() => new Connectivity(m, m));
    }
}

public class ConfigurationTests
{
    [Theory]
    [InlineData("ei")]
    [InlineData("Crec")]
    [InlineData("var_rec")]
    [InlineData("dt")]
    [InlineData("tau")]
    [InlineData("Cin")]
    [InlineData("gamma_k")]
    public void InvalidParametersAreNamed(string parameter)
    {
        var ok = new NetworkConfig { Nin = 2, N = 5, Nout = 1 };
        var bad = parameter switch
        {
            "ei" => ok with { Ei = [1, 1, 0, -1, -1] },
            "Crec" => ok with { Crec = new Connectivity(new Matrix(4, 5)) },
            "var_rec" => ok with { VarRec = -0.1 },
            "dt" => ok with { Dt = 150 },
            "tau" => ok with { Tau = -1 },
            "Cin" => ok with { Cin = new Connectivity(new Matrix(5, 3)) },
            _ => ok with { GammaK = 0 },
        };
        var e = Assert.Throws<ConfigurationException>(() => bad.Resolve());
        Assert.Equal(parameter, e.Parameter);
        Assert.StartsWith(parameter + ":", e.Message);
    }

    [Fact]
    public void WrongLengthEiIsRejected()
    {
        var e = Assert.Throws<ConfigurationException>(() => new NetworkConfig { N = 5, Ei = [1, -1] }.Resolve());
        Assert.Contains("expected N = 5", e.Message);
    }

    [Fact]
    public void ResolveFillsPycogDefaults()
    {
        var c = new NetworkConfig { Nin = 1, N = 10, Nout = 1, Ei = Connectivity.GenerateEi(10) }.Resolve();
        Assert.Equal(20, c.Dt);
        Assert.Equal(WeightDistribution.Gamma, c.Config.DistributionRec);
        Assert.Equal(WeightDistribution.Uniform, c.Config.DistributionIn);
        Assert.Equal(1.5, c.Rho0);
        var training = new PyCog.Training.TrainingConfig().Resolve(c.Config);
        Assert.Equal(500, training.CheckFrequency);
        Assert.Equal(50_000, training.PatienceSteps);
        var noDale = new NetworkConfig { N = 10 }.Resolve();
        Assert.Equal(WeightDistribution.Normal, noDale.Config.DistributionRec);
        Assert.Equal(1.1, noDale.Rho0);
        var continuous = new NetworkConfig { N = 10, Mode = RunMode.Continuous }.Resolve();
        Assert.False(continuous.Config.TrainX0);
        var continuousTraining = new PyCog.Training.TrainingConfig().Resolve(continuous.Config);
        Assert.Equal(1, continuousTraining.NGradient);
        Assert.Equal(10_000, continuousTraining.CheckFrequency);
    }

    [Fact]
    public void ParameterTableSetsByPycogNameAndRejectsUnknownNames()
    {
        var (c, t) = PyCog.Training.RunParameters.Apply(new NetworkConfig(), new PyCog.Training.TrainingConfig(),
            ["var_rec=0.01", "hidden_activation=rtanh", "lambda_Omega=3", "train_brec=true", "n_gradient=5", "seed=9"]);
        Assert.Equal(0.01, c.VarRec.Scalar);
        Assert.Equal(HiddenActivation.Rtanh, c.HiddenActivation);
        Assert.Equal(3, t.LambdaOmega);
        Assert.True(c.TrainBrec);
        Assert.Equal(5, t.NGradient);
        Assert.Equal(9, t.Seed);
        var e = Assert.Throws<ConfigurationException>(() => PyCog.Training.RunParameters.Set(c, t, "var_recc", "1"));
        Assert.Contains("var_rec", e.Message);
        Assert.Throws<ConfigurationException>(() => NetworkConfig.Parameters.Set(c, "hidden_activation", "relu6"));
        Assert.Throws<ConfigurationException>(() => NetworkConfig.Parameters.Set(c, "learning_rate", "0.1"));
        // the two tables share no name, so every pycog name has one home
        Assert.Empty(NetworkConfig.Parameters.Names.Intersect(PyCog.Training.TrainingConfig.Parameters.Names));
    }
}

public class InitializationTests
{
    [Fact]
    public void InitialSpectralRadiusIsRho0WithDale()
    {
        var (p, c) = NetworkInitializer.Initialize(RandomDotMotion.Fixed().Network.Resolve(), 1234);
        Assert.Equal(1.5, EffectiveWeights.Compute(c, p).Wrec.SpectralRadius(), 3);
        var (p2, c2) = NetworkInitializer.Initialize((new NetworkConfig { Nin = 2, N = 50, Nout = 1, Ei = Connectivity.GenerateEi(50) }).Resolve(), 1234);
        Assert.Equal(1.5, EffectiveWeights.Compute(c2, p2).Wrec.SpectralRadius(), 3);
    }

    [Fact]
    public void InitialSpectralRadiusIsOnePointOneWithoutDale()
    {
        var (p, c) = NetworkInitializer.Initialize((new NetworkConfig { Nin = 2, N = 50, Nout = 1 }).Resolve(), 1234);
        Assert.Equal(1.1, EffectiveWeights.Compute(c, p).Wrec.SpectralRadius(), 3);
    }

    [Fact]
    public void FixedRecurrentWeightsAreScaledWithWrec()
    {
        int n = 6;
        var plastic = Matrix.FromFunction(n, n, (i, j) => i != j && j != 0 ? 1 : 0);
        var fixedW = Matrix.FromFunction(n, n, (i, j) => i != 0 && j == 0 ? 0.3 : 0);
        var config = new NetworkConfig { N = n, Nout = 1, Crec = new Connectivity(plastic, fixedW), DistributionRec = WeightDistribution.Uniform };
        var (p, c) = NetworkInitializer.Initialize(config.Resolve(), 1234);
        double scale = c.Crec.Fixed[1, 0] / 0.3;
        Assert.NotEqual(1.0, scale, 3);
        Assert.Equal(1.1, EffectiveWeights.Compute(c, p).Wrec.SpectralRadius(), 3);
    }

    [Fact]
    public void InitialisationIsReproducibleAndDrawsOnlyPlasticEntries()
    {
        var task = RandomDotMotion.Fixed();
        var (a, _) = NetworkInitializer.Initialize(task.Network.Resolve(), 1234);
        var (b, _) = NetworkInitializer.Initialize(task.Network.Resolve(), 1234);
        Assert.Equal(a.Wrec.Data, b.Wrec.Data);
        var cin = task.Network.Cin!;
        for (int k = 0; k < a.Win!.Data.Length; k++)
            if (cin.PlasticMask.Data[k] == 0) Assert.Equal(0, a.Win.Data[k]);
            else Assert.True(a.Win.Data[k] >= 0, "Dale's law: initial weights are absolute values");
        Assert.All(a.X0, v => Assert.Equal(0.1f, v));
        var (other, _) = NetworkInitializer.Initialize(task.Network.Resolve(), 99);
        Assert.NotEqual(a.Wrec.Data, other.Wrec.Data);
    }

    [Theory]
    [InlineData(WeightDistribution.Uniform)]
    [InlineData(WeightDistribution.Normal)]
    [InlineData(WeightDistribution.Gamma)]
    [InlineData(WeightDistribution.Lognormal)]
    public void DistributionsHaveTheirStatedMoments(WeightDistribution d)
    {
        var config = new NetworkConfig { Nin = 400, N = 400, Nout = 1, DistributionIn = d, Rho0 = 1.1 };
        var (p, _) = NetworkInitializer.Initialize(config.Resolve(), 1234);
        var w = p.Win!.Data.Select(v => (double)v).ToArray();
        double mean = w.Average(), variance = w.Select(v => (v - mean) * (v - mean)).Average();
        var (expectedMean, expectedVar) = d switch
        {
            WeightDistribution.Uniform => (0.0, 0.01 / 3),      // 0.1 U(-1, 1)
            WeightDistribution.Normal => (0.0, 1.0),            // N(0, 1)
            WeightDistribution.Gamma => (0.1, 2 * 0.05 * 0.05), // k = 2, theta = 0.05
            _ => (0.5, 0.1),                                    // lognormal mean 0.5, variance 0.1
        };
        Assert.InRange(mean, expectedMean - 0.01, expectedMean + 0.01);
        Assert.InRange(variance, expectedVar * 0.95, expectedVar * 1.05);
    }
}
