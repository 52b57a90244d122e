using PyCog.Numerics;
using PyCog.Tasks;
using Xunit;

namespace PyCog.Tests.Tasks;

/// <summary>
/// Typed trial conditions: each task's record holds the values of its condition grid under
/// pycog's names, round-trips through them, and the trial JSON keeps pycog's names.
/// </summary>
public class TrialConditionTests
{
    [Fact]
    public void ARecordGivesPycogNamesInDeclarationOrder()
    {
        var c = new DotsCondition(16, -1);
        Assert.Equal(["coh", "in_out"], c.Values.Keys);
        Assert.Equal([16, -1], c.Values.Values.Cast<int>());
        Assert.Equal(-16, c.SignedCoherence);
        Assert.Equal(c, TrialCondition.From<DotsCondition>(c.Values));
        var json = new TrialInfo(c, 1).ConditionForJson();
        Assert.Equal(new Dictionary<string, object> { ["coh"] = 16, ["in_out"] = -1, ["choice"] = 1 }, json);
        var romo = new RomoCondition(new FrequencyPair(18, 10), ">", 18, 10);
        Assert.Equal("18,10", new TrialInfo(romo, 0).ConditionForJson()["fpair"]);
        Assert.Empty(TrialInfo.Catch.ConditionForJson());
    }

    [Fact]
    public void ConditionAsNamesWhatIsWrong()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new TrialInfo(new SequenceCondition(3), null).ConditionAs<DotsCondition>());
        Assert.Contains("SequenceCondition, not a DotsCondition", e.Message);
        Assert.Contains("catch trial", Assert.Throws<InvalidOperationException>(() => TrialInfo.Catch.ConditionAs<DotsCondition>()).Message);
    }

    [Theory]
    [InlineData("rdm_fixed", typeof(DotsCondition))]
    [InlineData("mante", typeof(ContextCondition))]
    [InlineData("mante_areas", typeof(ContextCondition))]
    [InlineData("multisensory", typeof(MultisensoryCondition))]
    [InlineData("romo", typeof(RomoCondition))]
    [InlineData("lee", typeof(SequenceCondition))]
    public void EveryValidationConditionArrivesAsTheTasksRecordWithTheGridsValues(string name, Type type)
    {
        var task = TaskRegistry.Create(name);
        var seen = new HashSet<TrialCondition>();
        for (int b = 0; b <= task.Conditions; b++)
        {
            var trial = task.GenerateTrial(new Rng(b), 20, new TrialRequest { Kind = TrialKind.Validation, MinibatchIndex = b });
            if (trial.Info.IsCatch) continue;
            var condition = trial.Info.Condition!;
            Assert.IsType(type, condition);
            foreach (var axis in task.ConditionAxes)
                Assert.Contains(condition.Values[axis.Name], axis.Values);
            seen.Add(condition);
        }
        // lee draws its sequences; every other task's validation set walks its whole grid once.
        if (name != "lee") Assert.Equal(task.Conditions, seen.Count);
    }

    [Fact]
    public void SinewaveTrialsHaveAnEmptyConditionAndAreNotCatchTrials()
    {
        var trial = TaskRegistry.Create("sinewave").GenerateTrial(new Rng(1), 20, new TrialRequest { Kind = TrialKind.Test });
        Assert.False(trial.Info.IsCatch);
        Assert.Empty(trial.Info.ConditionForJson());
    }
}
