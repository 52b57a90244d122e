using PyCog.Network;

namespace PyCog.Tasks;

/// <summary>
/// How long a task's trials are, learnt from a few trials generated at a coarse step: a run at a
/// tiny dt is sized (and refused when it cannot fit) before any trial at that dt is made.
/// </summary>
public static class TrialLength
{
    /// <summary>
    /// The longest of a few validation, gradient and test trials of <paramref name="task"/>, ms,
    /// with a 25% margin for variable durations (0 when the task fails to generate one: the real
    /// run reports that error).
    /// </summary>
    public static double LongestMs(CognitiveTask task, ResolvedNetworkConfig network)
    {
        double tauMin = network.Config.MinTau;
        double probeDt = Math.Max(network.Dt, tauMin / 5);
        var rng = new Numerics.Rng(1);
        double longest = 0;
        int count = Math.Clamp(task.Conditions + 1, 1, 200);
        try
        {
            for (int i = 0; i < count; i++)
                foreach (var kind in new[] { TrialKind.Validation, TrialKind.Gradient, TrialKind.Test })
                    longest = Math.Max(longest, task.GenerateTrial(rng, probeDt, new TrialRequest { Kind = kind, MinibatchIndex = i }).T);
        }
        catch (Exception e) when (e is not OutOfMemoryException) { }
        return longest * 1.25;
    }
}
