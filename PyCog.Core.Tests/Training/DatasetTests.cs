using PyCog.Network;
using PyCog.Numerics;
using PyCog.Tasks;
using PyCog.Training;
using Xunit;

namespace PyCog.Tests.Training;

public class DatasetTests
{
    static double SampleVariance(IEnumerable<float> xs)
    {
        var a = xs.Select(v => (double)v).ToArray();
        double m = a.Average();
        return a.Select(v => (v - m) * (v - m)).Average();
    }

    [Fact]
    public void RecurrentNoiseHasVarianceTwoTauVarRecOverDt()
    {
        var task = RandomDotMotion.Fixed();
        var config = task.Network.Resolve();
        var data = new Dataset(task, config, TrialKind.Gradient, 50, 11);
        var samples = Enumerable.Range(0, 4).SelectMany(_ => data.Next().RecurrentNoise).ToArray();
        double expected = 2 * 100 * 0.15 * 0.15 / 20; // 2 tau var_rec / dt
        Assert.InRange(SampleVariance(samples), expected * 0.98, expected * 1.02);
    }

    [Fact]
    public void PerUnitTauAndVarianceScaleEachUnit()
    {
        var task = RandomDotMotion.Fixed();
        var tau = Enumerable.Range(0, 100).Select(i => i < 50 ? 100.0 : 200.0).ToArray();
        var varRec = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? 0.01 : 0.04).ToArray();
        var config = (task.Network with { TauPerUnit = tau, VarRec = Variance.PerUnitOf(varRec), Dt = 20 }).Resolve();
        var data = new Dataset(task, config, TrialKind.Gradient, 100, 11);
        var batch = data.Next();
        foreach (int unit in new[] { 0, 1, 50, 51 })
        {
            var xs = Enumerable.Range(0, batch.Time * batch.Trials).Select(s => batch.RecurrentNoise[s * 100 + unit]);
            double expected = 2 * tau[unit] * varRec[unit] / 20;
            Assert.InRange(SampleVariance(xs), expected * 0.95, expected * 1.05);
        }
    }

    [Fact]
    public void CorrelatedRecurrentNoiseHasTheGivenCovariance()
    {
        var cov = new double[3, 3] { { 1, 0.5, 0 }, { 0.5, 1, -0.3 }, { 0, -0.3, 2 } };
        var sampler = Variance.CovarianceOf(cov).Sampler(3, 1);
        var rng = new Rng(1);
        var rows = new float[3 * 200_000];
        sampler.Fill(rng, rows);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                double c = 0;
                for (int s = 0; s < 200_000; s++) c += rows[s * 3 + i] * (double)rows[s * 3 + j];
                Assert.Equal(cov[i, j], c / 200_000, 1);
            }
    }

    [Fact]
    public void InputsCarryBaselineAndNoiseOfVarianceTwoTauInVarInOverDt()
    {
        var task = RandomDotMotion.Fixed();
        var config = task.Network.Resolve();
        var data = new Dataset(task, config, TrialKind.Validation, 11, 22);
        // catch trials (index 0) have no stimulus: their inputs are baseline + noise everywhere
        var catchInputs = Enumerable.Range(0, 20).Select(_ => data.Next())
            .SelectMany(batch => Enumerable.Range(0, batch.Time).SelectMany(t => new[] { batch.Inputs[(t * 11) * 2], batch.Inputs[(t * 11) * 2 + 1] }))
            .ToArray();
        Assert.InRange(catchInputs.Average(v => (double)v), 0.198, 0.202);
        double expected = 2 * 100 * 0.01 * 0.01 / 20;
        Assert.InRange(SampleVariance(catchInputs), expected * 0.93, expected * 1.07);
    }

    [Fact]
    public void ShorterTrialsArePaddedWithZeroTargetsAndZeroMask()
    {
        var task = RandomDotMotion.Fixed();
        var config = task.Network.Resolve();
        var batch = new Dataset(task, config, TrialKind.Validation, 11, 22).Next();
        Assert.Equal(100, batch.Time); // the catch trial (2000 ms) sets the length
        for (int b = 1; b < 11; b++)
        {
            Assert.Equal(60, batch.TrialList[b].Length);
            for (int t = 60; t < 100; t++)
                for (int o = 0; o < 2; o++)
                {
                    Assert.Equal(0f, batch.Mask[(t * 11 + b) * 2 + o]);
                    Assert.Equal(0f, batch.Targets[(t * 11 + b) * 2 + o]);
                }
            Assert.Equal(1f, batch.Mask[(59 * 11 + b) * 2]);
        }
    }

    [Fact]
    public void PaddedTimePointsDoNotChangeTheLoss()
    {
        var task = RandomDotMotion.Fixed();
        var (p, config) = NetworkInitializer.Initialize(task.Network.Resolve(), 1234);
        var batch = new Dataset(task, config, TrialKind.Validation, 11, 22).Next();
        var targets = (float[])batch.Targets.Clone();
        for (int b = 1; b < 11; b++)
            for (int t = 60; t < 100; t++) targets[(t * 11 + b) * 2] = 5f; // garbage where the mask is zero
        var altered = new Batch(batch.Time, batch.Trials, batch.Nin, batch.N, batch.Nout, batch.Inputs, batch.RecurrentNoise, targets, batch.Mask);
        using var engine = new FusedEngine(config, new TrainingConfig());
        Assert.Equal(engine.Evaluate(p, batch).Loss, engine.Evaluate(p, altered).Loss, 12);
    }

    [Fact]
    public void DatasetsAreReproducibleFromTheirSeed()
    {
        var task = RandomDotMotion.Fixed();
        var config = task.Network.Resolve();
        var a = new Dataset(task, config, TrialKind.Gradient, 20, 11).Next();
        var b = new Dataset(task, config, TrialKind.Gradient, 20, 11).Next();
        Assert.Equal(a.Inputs, b.Inputs);
        Assert.Equal(a.RecurrentNoise, b.RecurrentNoise);
        Assert.Equal(a.Targets, b.Targets);
    }

    [Fact]
    public void NaNInputsAreRejectedWithAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => new Batch(1, 1, 1, 1, 1, [float.NaN], [0f], [0f], [1f]));
        Assert.Contains("inputs", e.Message);
        Assert.Contains("NaN", e.Message);
        var shape = Assert.Throws<ArgumentException>(() => new Batch(2, 1, 1, 1, 1, [0f], [0f, 0f], [0f, 0f], [1f, 1f]));
        Assert.Contains("expected 2", shape.Message);
    }
}

public class ChunkedEvaluationTests
{
    [Fact]
    public void ChunkedEvaluationEqualsTheWholeBatch()
    {
        var task = RandomDotMotion.Fixed();
        var (p, config) = NetworkInitializer.Initialize(task.Network.Resolve(), 1234);
        var batch = new Dataset(task, config, TrialKind.Validation, 45, 22).Next();
        using var engine = new FusedEngine(config, new TrainingConfig { Lambda2R = 0.3 });
        var whole = engine.Evaluate(p, batch);
        var chunked = engine.EvaluateInChunks(p, batch, chunk: 7);
        Assert.Equal(whole.Loss, chunked.Loss, 6);
        Assert.Equal(whole.Cost, chunked.Cost, 6);
        Assert.Equal(whole.Rmse, chunked.Rmse, 6);
        Assert.Equal(whole.Outputs.Data, chunked.Outputs.Data);
    }
}
