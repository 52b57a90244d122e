using PyCog.Tasks;
using Xunit;

namespace PyCog.Tests.Tasks;

public class ConditionGridTests
{
    [Fact]
    public void EveryConditionGetsItsTrialsWithoutCatch()
    {
        var task = RandomDotMotion.Fixed();
        var requests = ConditionGrid.TestRequests(task, 3);
        Assert.Equal((5 + 1) * 2 * 3, requests.Count);   // pycog's analysis adds 0% coherence
        Assert.All(requests, r => Assert.Equal(TrialKind.Test, r.Kind));
        Assert.All(requests, r => Assert.Equal("false", r.Fixed["catch"]));
        var conditions = requests.Select(r => (r.Fixed["coh"], r.Fixed["in_out"])).Distinct().ToList();
        Assert.Equal(12, conditions.Count);
        // Generated trials carry the requested condition.
        var trial = task.GenerateTrial(new PyCog.Numerics.Rng(1), 20, requests[^1]);
        Assert.Equal(16, trial.Info.ConditionAs<DotsCondition>().Coherence);
        Assert.Equal(-1, trial.Info.ConditionAs<DotsCondition>().InOut);
    }

    [Fact]
    public void FixedValuesRestrictTheGrid()
    {
        var requests = ConditionGrid.TestRequests(new WorkingMemory(), 2, new Dictionary<string, string> { ["gt_lt"] = "<" });
        Assert.Equal(5 * 2, requests.Count);
        Assert.All(requests, r => Assert.Equal("<", r.Fixed["gt_lt"]));
    }

    [Fact]
    public void TasksWithoutConditionsGetPlainTrials()
    {
        var requests = ConditionGrid.TestRequests(new SineWave(), 4);
        Assert.Equal(4, requests.Count);
        Assert.All(requests, r => Assert.Empty(r.Fixed));
    }

    [Fact]
    public void BadRequestsAreNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => ConditionGrid.TestRequests(RandomDotMotion.Fixed(), 1, new Dictionary<string, string> { ["colour"] = "red" }));
        Assert.Contains("'colour' is not a condition of task 'rdm_fixed'", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ConditionGrid.TestRequests(RandomDotMotion.Fixed(), 0));
    }
}
