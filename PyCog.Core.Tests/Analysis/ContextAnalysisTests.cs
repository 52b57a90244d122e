using PyCog.Analysis;
using PyCog.Numerics;
using PyCog.Simulation;
using PyCog.Tasks;
using Xunit;

namespace PyCog.Tests.Analysis;

public class ContextAnalysisTests
{
    /// <summary>Context-task trials whose answer follows the relevant stimulus exactly.</summary>
    static List<SimulatedTrial> PerfectAnswers()
    {
        var task = ContextDependentIntegration.Mante();
        var rng = new Rng(9);
        return ConditionGrid.TestRequests(task, 2).Select(request =>
        {
            var trial = task.GenerateTrial(rng, 20, request);
            int choice = trial.Info.Choice!.Value;
            return new SimulatedTrial
            {
                Time = [0], Nin = 0, N = 1, Nout = 2, U = [], R = [0], FinalState = [0], Trial = trial,
                Z = choice == 0 ? [1f, 0f] : [0f, 1f],
            };
        }).ToList();
    }

    [Fact]
    public void TheRelevantStimulusGivesTheSteepCurveInEachContext()
    {
        var curves = TaskAnalyses.ContextPsychometrics(PerfectAnswers());
        Assert.Equal(4, curves.Count);
        foreach (var c in curves)
        {
            Assert.Equal(c.Stimulus == c.ContextName, c.Relevant);
            Assert.Equal(6, c.Points.Count);   // signed coherences -10, -3, -1, 1, 3, 10
            if (c.Relevant)
            {
                // Choice 0 exactly when the relevant stimulus favours it.
                Assert.All(c.Points, p => Assert.Equal(p.Stimulus > 0 ? 1.0 : 0.0, p.ChoiceFraction));
                Assert.True(c.Fit["sigma"] < 1, $"{c.ContextName}: relevant sigma {c.Fit["sigma"]}");
            }
            else
            {
                // The other stimulus is balanced against the relevant one: half the choices at every level.
                Assert.All(c.Points, p => Assert.Equal(0.5, p.ChoiceFraction, 6));
                Assert.True(c.Fit["sigma"] > 100, $"{c.ContextName}: irrelevant sigma {c.Fit["sigma"]}");
            }
        }
    }
}
