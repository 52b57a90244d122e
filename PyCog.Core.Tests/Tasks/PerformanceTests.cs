using PyCog.Numerics;
using PyCog.Simulation;
using PyCog.Tasks;
using Xunit;

namespace PyCog.Tests.Tasks;

/// <summary>The one choice rule and the one percent-correct count, on hand-computed cases.</summary>
public class PerformanceTests
{
    [Fact]
    public void TheChoiceIsTheLargestOutputAndTiesGoToTheFirst()
    {
        Assert.Equal(1, Performance.Choice([0.2f, 0.9f, 0.5f]));
        Assert.Equal(0, Performance.Choice([0.7f, 0.7f]));
        Assert.Equal(0, Performance.Choice([1f]));
    }

    [Fact]
    public void PercentCorrectSkipsCatchTrials()
    {
        // three scored trials, two right; the catch trial (null) does not count
        Assert.Equal(100.0 * 2 / 3, Performance.PercentCorrect([(0, 0), (1, 0), (null, 1), (1, 1)]), 12);
        Assert.True(double.IsNaN(Performance.PercentCorrect([(null, 0)])));
    }

    [Fact]
    public void SimulatedTrialsUseTheSameChoiceAndTraces()
    {
        var sim = new SimulatedTrial
        {
            Time = [0, 1], Nin = 0, N = 2, Nout = 2, U = [], R = [1, 2, 3, 4], Z = [0.1f, 0.3f, 0.8f, 0.4f], FinalState = [0, 0], Trial = null,
        };
        Assert.Equal([0.8f, 0.4f], sim.FinalOutput);
        Assert.Equal(0, sim.Choice);
        Assert.Equal([2f, 4f], sim.UnitTrace(1));
        Assert.Equal([0.3f, 0.4f], sim.OutputTrace(1));
    }

    [Fact]
    public void TruncatedNormalDurationsLieInRangeOnTheTimeGrid()
    {
        var rng = new Rng(5);
        var draws = Enumerable.Range(0, 2000).Select(_ => TaskTools.TruncatedNormal(rng, 20, 300, 100, 200, 400)).ToList();
        Assert.All(draws, d => Assert.True(d >= 200 && d < 400 && d % 20 == 0, $"{d}"));
        Assert.InRange(draws.Average(), 280, 310); // symmetric truncation around 300, floored to the grid (mean shifts down by ~10)
    }
}
