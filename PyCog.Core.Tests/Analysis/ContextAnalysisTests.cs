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
                Assert.True(c.Fit.Sigma < 1, $"{c.ContextName}: relevant sigma {c.Fit.Sigma}");
            }
            else
            {
                // The other stimulus is balanced against the relevant one: half the choices at every level.
                Assert.All(c.Points, p => Assert.Equal(0.5, p.ChoiceFraction, 6));
                Assert.True(c.Fit.Sigma > 100, $"{c.ContextName}: irrelevant sigma {c.Fit.Sigma}");
            }
        }
    }

    [Fact]
    public void TheStateSpaceRecoversPlantedChoiceAndMotionCodes()
    {
        // Units 0-2 carry choice, motion and colour (growing over time) plus noise; the rest is noise.
        var task = ContextDependentIntegration.Mante();
        var rng = new Rng(4);
        const int n = 12, count = 20;
        var trials = ConditionGrid.TestRequests(task, 3).Select(request =>
        {
            var trial = task.GenerateTrial(rng, 20, request);
            var c = trial.Info.ConditionAs<ContextCondition>();
            int choice = trial.Info.Choice!.Value;
            double motion = c.SignedMotion, colour = c.SignedColour;
            var r = new float[count * n];
            for (int k = 0; k < count; k++)
            {
                double ramp = (k + 1.0) / count;
                for (int u = 0; u < n; u++) r[k * n + u] = (float)(0.3 * rng.NextGaussian());
                r[k * n + 0] += (float)(ramp * (choice == 0 ? 2 : -2));
                r[k * n + 1] += (float)(ramp * motion / 5);
                r[k * n + 2] += (float)(ramp * colour / 5);
            }
            return new SimulatedTrial
            {
                Time = Enumerable.Range(0, count).Select(k => 10.0 * k).ToArray(), Nin = 0, N = n, Nout = 2, U = [], R = r, FinalState = new float[n],
                Trial = trial, Z = Enumerable.Range(0, count).SelectMany(_ => choice == 0 ? new[] { 1f, 0f } : new[] { 0f, 1f }).ToArray(),
            };
        }).ToList();
        var (axes, trajectories) = TaskAnalyses.ContextStateSpace(trials, 0, 190, components: 6);
        Assert.Equal(["choice", "motion", "colour", "context"], axes.Names);
        // The choice axis lies along unit 0 and the motion axis along unit 1.
        Assert.True(Math.Abs(axes.Axes[0, 0]) > 0.9, $"choice axis weight on unit 0: {axes.Axes[0, 0]}");
        Assert.True(Math.Abs(axes.Axes[1, 1]) > 0.9, $"motion axis weight on unit 1: {axes.Axes[1, 1]}");
        // In the motion context, trajectories sorted by motion end in the order of signed motion on the motion axis.
        var byMotion = trajectories.Where(t => t.Context == "m" && t.SortedBy == "motion").OrderBy(t => t.SignedCoherence).ToList();
        Assert.Equal(6, byMotion.Count);
        var ends = byMotion.Select(t => t.Projection[t.Projection.GetLength(0) - 1, 1] * Math.Sign(axes.Axes[1, 1])).ToList();
        for (int i = 1; i < ends.Count; i++) Assert.True(ends[i] > ends[i - 1], $"motion-axis ends not ordered by coherence: {string.Join(", ", ends)}");
        Assert.All(byMotion, t => Assert.Equal(t.SignedCoherence > 0 ? 0 : 1, t.Choice));

        // A single state (a fixed point's rates) projects like a trajectory row: z-scored with the
        // data's mean and sd, then onto the axes, computed here by hand.
        var state = Enumerable.Range(0, n).Select(u => (double)trials[3].R[7 * n + u]).ToArray();
        var projected = axes.ProjectRates(state);
        for (int a = 0; a < axes.Names.Length; a++)
        {
            double expected = 0;
            for (int u = 0; u < n; u++) expected += (axes.Sd![u] > 0 ? (state[u] - axes.Mean![u]) / axes.Sd[u] : 0) * axes.Axes[a, u];
            Assert.Equal(expected, projected[a], 1e-12);
        }
        Assert.Throws<ArgumentException>(() => axes.ProjectRates(new double[n + 1]));
    }
}
