using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PyCog.IO;

namespace PyCog.Sweeps;

/// <summary>Where a run of a sweep stands, from its file.</summary>
public enum RunState
{
    /// <summary>No file yet.</summary>
    NotStarted,
    /// <summary>A checkpoint that can be resumed.</summary>
    Unfinished,
    /// <summary>Training stopped for good.</summary>
    Finished,
    /// <summary>The file exists but cannot be read.</summary>
    Unreadable,
}

/// <summary>One row of a sweep's table: the run, its state and what its file says.</summary>
/// <param name="Run">The run.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Trained">The trained network, when the file could be read.</param>
/// <param name="Problem">Why the file could not be read, when it could not.</param>
public sealed record SweepResult(SweepRun Run, RunState State, SavedNetwork? Trained, string? Problem)
{
    /// <summary>True when the run met its task's criterion or min_error.</summary>
    public bool Reached => Trained?.Termination?.Reached == true;
    /// <summary>Gradient trials seen.</summary>
    public long? Trials => Trained?.Trials;
    /// <summary>Training wall time, seconds.</summary>
    public double? Seconds => Trained?.ElapsedSeconds;
    /// <summary>Performance at the last validation (percent correct), when the task has one.</summary>
    public double? Performance => Trained?.History.LastOrDefault()?.Performance;
    /// <summary>RMSE at the last validation.</summary>
    public double? Rmse => Trained?.History.LastOrDefault()?.Rmse;
}

/// <summary>
/// Gathers a sweep's runs into one table from their files (a run need not have finished), and
/// writes it as CSV and JSON, and as a manifest in the form of data/manifest.json.
/// </summary>
public static class SweepResults
{
    /// <summary>Every run of <paramref name="sweep"/> with its state and, where readable, its trained network.</summary>
    public static IReadOnlyList<SweepResult> Collect(Sweep sweep) => sweep.Runs.Select(run =>
    {
        if (!File.Exists(run.File)) return new SweepResult(run, RunState.NotStarted, null, null);
        try
        {
            var network = NetworkFile.Load(run.File);
            return new SweepResult(run, network.Finished ? RunState.Finished : RunState.Unfinished, network, null);
        }
        catch (NetworkFileException e) { return new SweepResult(run, RunState.Unreadable, null, e.Message); }
    }).ToList();

    /// <summary>Every run of the sweep file at <paramref name="path"/>.</summary>
    public static IReadOnlyList<SweepResult> Collect(string path) => Collect(Sweep.Load(path));

    /// <summary>The parameter names the runs vary or fix, in order of appearance (the table's parameter columns).</summary>
    public static IReadOnlyList<string> ParameterNames(IEnumerable<SweepResult> results) =>
        results.SelectMany(r => r.Run.Parameters.Keys).Distinct().ToList();

    /// <summary>The table as CSV: task, seed, every parameter, state, reached, termination, trials, seconds, performance, rmse, file.</summary>
    public static string Csv(IReadOnlyList<SweepResult> results, string relativeTo)
    {
        var names = ParameterNames(results);
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", new[] { "task", "seed" }.Concat(names).Concat(["state", "reached", "termination", "trials", "seconds", "performance", "rmse", "file"])));
        foreach (var r in results)
        {
            var cells = new List<string> { r.Run.Task, S(r.Run.Seed) };
            cells.AddRange(names.Select(n => r.Run.Parameters.GetValueOrDefault(n, "")));
            cells.AddRange([Snake(r.State), r.Trained is null ? "" : r.Reached ? "true" : "false", r.Trained?.Termination?.ToString() ?? "",
                r.Trials is long t ? S(t) : "", r.Seconds is double s ? s.ToString("F1", CultureInfo.InvariantCulture) : "",
                S(r.Performance), S(r.Rmse), Path.GetRelativePath(relativeTo, r.Run.File)]);
            sb.AppendLine(string.Join(",", cells.Select(Quote)));
        }
        return sb.ToString();
    }

    /// <summary>The table as a JSON array of objects (the same columns as <see cref="Csv"/>).</summary>
    public static JsonArray Json(IReadOnlyList<SweepResult> results, string relativeTo) => new(results.Select(r => (JsonNode)new JsonObject
    {
        ["task"] = r.Run.Task, ["seed"] = r.Run.Seed,
        ["parameters"] = new JsonObject(r.Run.Parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        ["state"] = Snake(r.State), ["reached"] = r.Trained is null ? null : r.Reached,
        ["termination"] = r.Trained?.Termination?.ToString(), ["trials"] = r.Trials, ["seconds"] = r.Seconds is double s ? Math.Round(s, 1) : null,
        ["performance"] = r.Performance, ["rmse"] = r.Rmse is double e && double.IsFinite(e) ? e : null,
        ["file"] = Path.GetRelativePath(relativeTo, r.Run.File), ["problem"] = r.Problem,
    }).ToArray());

    /// <summary>A manifest in the form of data/manifest.json: one entry per trained file, with the command that regenerates it.</summary>
    public static JsonObject Manifest(Sweep sweep, IReadOnlyList<SweepResult> results, string relativeTo) => new()
    {
        ["note"] = $"Sweep '{sweep.Name}' ({Path.GetRelativePath(relativeTo, sweep.Path)}); each command resumes or regenerates its file.",
        ["networks"] = new JsonArray(results.Where(r => r.Trained is not null).Select(r => (JsonNode)new JsonObject
        {
            ["file"] = Path.GetRelativePath(relativeTo, r.Run.File), ["task"] = r.Run.Task, ["seed"] = r.Run.Seed, ["engine"] = r.Trained!.Engine,
            ["variant"] = r.Run.Parameters.Count == 0 ? "default" : string.Join(" ", r.Run.Parameters.Select(p => $"{p.Key}={p.Value}")),
            ["status"] = r.Trained.Finished ? "finished" : "training", ["termination"] = r.Trained.Termination?.ToString(),
            ["criterion_met"] = r.Reached, ["trials"] = r.Trained.Trials, ["wall_seconds"] = Math.Round(r.Trained.ElapsedSeconds, 1),
            ["final_validation_performance"] = r.Performance, ["final_validation_rmse"] = r.Rmse is double e && double.IsFinite(e) ? e : null,
            ["best_validation_cost"] = double.IsFinite(r.Trained.Best.Cost) ? r.Trained.Best.Cost : null,
            ["command"] = "pycog " + string.Join(" ", r.Run.TrainArguments(sweep.Engine, null).Select(a => a.Contains(' ') ? $"\"{a}\"" : a)),
        }).ToArray()),
    };

    static string S(long v) => v.ToString(CultureInfo.InvariantCulture);
    static string S(double? v) => v is double d && double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "";
    static string Snake(RunState s) => Network.ParameterText.Snake(s);
    static string Quote(string cell) => cell.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
}
