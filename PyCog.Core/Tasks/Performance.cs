namespace PyCog.Tasks;

/// <summary>Performance measures of two-alternative forced-choice tasks (pycog's tasktools).</summary>
public static class Performance
{
    /// <summary>
    /// Percent correct over non-catch trials: the choice is the largest output at the trial's
    /// last time point. NaN when every trial is a catch trial.
    /// </summary>
    public static double TwoAfc(IReadOnlyList<Trial> trials, BatchOutputs z) =>
        PercentCorrect(trials.Select((trial, b) => (trial.Info.Choice, Choice(z.At(b, trial.Length - 1)))));

    /// <summary>The choice a set of outputs makes: the index of the largest (ties: the first).</summary>
    public static int Choice(ReadOnlySpan<float> outputs)
    {
        int best = 0;
        for (int o = 1; o < outputs.Length; o++) if (outputs[o] > outputs[best]) best = o;
        return best;
    }

    /// <summary>
    /// Percent correct over the trials that have a correct choice (null: a catch trial, not
    /// scored); NaN when none has one.
    /// </summary>
    public static double PercentCorrect(IEnumerable<(int? Correct, int Chosen)> trials)
    {
        int correct = 0, total = 0;
        foreach (var (expected, chosen) in trials)
        {
            if (expected is not int c) continue;
            total++;
            if (chosen == c) correct++;
        }
        return total == 0 ? double.NaN : 100.0 * correct / total;
    }

    /// <summary>The lowest percent correct over conditions (romo's measure).</summary>
    public static double TwoAfcMinCondition(IReadOnlyList<Trial> trials, BatchOutputs z)
    {
        var byCondition = new Dictionary<TrialCondition, (int Correct, int Total)>();
        for (int b = 0; b < trials.Count; b++)
        {
            // Condition records compare by value: one entry per condition.
            if (trials[b].Info is not { Choice: int choice, Condition: { } key }) continue;
            var (c, n) = byCondition.GetValueOrDefault(key);
            byCondition[key] = (c + (Choice(z.At(b, trials[b].Length - 1)) == choice ? 1 : 0), n + 1);
        }
        return byCondition.Count == 0 ? double.NaN : byCondition.Values.Min(v => 100.0 * v.Correct / v.Total);
    }

    /// <summary>pycog's usual criterion: the mean of the last <paramref name="window"/> values exceeds <paramref name="target"/>.</summary>
    public static bool MeanOfLastExceeds(IReadOnlyList<double> history, double target, int window = 5) =>
        history.Count > 0 && history.Skip(Math.Max(0, history.Count - window)).Average() > target;
}
