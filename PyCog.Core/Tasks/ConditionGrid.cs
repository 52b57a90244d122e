namespace PyCog.Tasks;

/// <summary>Test-trial requests over a task's condition grid, as analyses and <c>pycog trials</c> use them.</summary>
public static class ConditionGrid
{
    /// <summary>
    /// Every combination of the task's condition values (each axis restricted to one value where
    /// <paramref name="fixedValues"/> names it), <paramref name="perCondition"/> test trials each, in
    /// grid order; two-alternative tasks get no catch trials, unless <c>catch=true</c> asks for
    /// <paramref name="perCondition"/> catch trials alone. A task without condition axes gets
    /// <paramref name="perCondition"/> trials. Unknown keys or values throw <see cref="ArgumentException"/>.
    /// </summary>
    public static IReadOnlyList<TrialRequest> TestRequests(CognitiveTask task, int perCondition, IReadOnlyDictionary<string, string>? fixedValues = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (perCondition < 1) throw new ArgumentOutOfRangeException(nameof(perCondition), $"At least one trial per condition, got {perCondition}.");
        var restriction = fixedValues ?? new Dictionary<string, string>();
        var check = new TrialRequest { Kind = TrialKind.Test, Fixed = restriction };
        task.ValidateFixed(check);
        if (check.Get("catch", false))
        {
            // Catch trials have no condition: perCondition of them, nothing else.
            if (restriction.Keys.Any(k => k != "catch"))
                throw new ArgumentException($"catch=true cannot be combined with condition values ({string.Join(", ", restriction.Keys.Where(k => k != "catch"))}): catch trials have no condition.");
            return Enumerable.Range(0, perCondition).Select(_ => new TrialRequest { Kind = TrialKind.Test, Fixed = new Dictionary<string, string>(restriction) }).ToList();
        }
        var grid = new List<Dictionary<string, string>> { new(restriction) };
        foreach (var axis in task.ConditionAxes)
        {
            var values = restriction.TryGetValue(axis.Name, out var v) ? [v] : axis.TestValues.Concat(axis.Values).Select(ConditionAxis.Text).ToList();
            grid = grid.SelectMany(g => values.Select(value => new Dictionary<string, string>(g) { [axis.Name] = value })).ToList();
        }
        var requests = new List<TrialRequest>(grid.Count * perCondition);
        foreach (var condition in grid)
            for (int i = 0; i < perCondition; i++)
            {
                var f = new Dictionary<string, string>(condition);
                if (task is TwoAlternativeTask) f["catch"] = "false";
                requests.Add(new TrialRequest { Kind = TrialKind.Test, Fixed = f });
            }
        return requests;
    }
}
