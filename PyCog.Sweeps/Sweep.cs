using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PyCog.Network;
using PyCog.Tasks;
using PyCog.Training;

namespace PyCog.Sweeps;

/// <summary>One training run of a sweep: a task, a seed and pycog parameters, and where it writes.</summary>
/// <param name="Index">Position in the sweep (the Slurm array index).</param>
/// <param name="Task">Task name.</param>
/// <param name="Seed">Initialisation seed.</param>
/// <param name="Parameters">pycog parameters of this run (fixed ones and the grid point), by name.</param>
/// <param name="File">The run's checkpoint and trained network.</param>
public sealed record SweepRun(int Index, string Task, long Seed, IReadOnlyDictionary<string, string> Parameters, string File)
{
    /// <summary>The JSON summary <c>pycog train --summary</c> writes at the end.</summary>
    public string Summary => Path.ChangeExtension(File, ".json");
    /// <summary>The run's training log.</summary>
    public string Log => Path.ChangeExtension(File, ".log");

    /// <summary>The arguments of <c>pycog train</c> for this run (without the program).</summary>
    public IReadOnlyList<string> TrainArguments(string engine, int? threads)
    {
        var args = new List<string> { "train", Task, "--seed", Seed.ToString(CultureInfo.InvariantCulture), "--engine", engine, "--out", File, "--summary", Summary };
        if (threads is int t) args.AddRange(["--threads", t.ToString(CultureInfo.InvariantCulture)]);
        foreach (var (name, value) in Parameters) args.AddRange(["--set", $"{name}={value}"]);
        return args;
    }

    /// <summary>The run's parameters as <c>name=value ...</c>, or "defaults".</summary>
    public string Describe() => Parameters.Count == 0 ? "defaults" : string.Join(" ", Parameters.Select(p => $"{p.Key}={p.Value}"));
}

/// <summary>
/// A sweep file: tasks, seeds, fixed parameters and a grid (or a list) of parameter values,
/// with an output folder; JSON, for example
/// <code>
/// { "name": "noise", "out": "runs/noise", "tasks": ["rdm_fixed"], "seeds": [100, 101, 102],
///   "set": { "max_iter": 20000 }, "grid": { "var_rec": [0.0025, 0.0225, 0.09] } }
/// </code>
/// Runs are every task x seed x grid point (or list entry), in that order. Each writes
/// <c>out/{task}{-name value ...}-seed{seed}-{engine}.npz</c> (with its .json summary and .log)
/// unless <c>"file"</c> gives another pattern, in which <c>{task}</c>, <c>{seed}</c>, <c>{params}</c>,
/// <c>{engine}</c>, <c>{name}</c> and any parameter's name, such as <c>{var_rec}</c>, stand for the run's
/// values. Paths are relative to the sweep file's folder.
/// </summary>
public sealed class Sweep
{
    /// <summary>The sweep's name.</summary>
    public required string Name { get; init; }
    /// <summary>The sweep file.</summary>
    public required string Path { get; init; }
    /// <summary>The output folder (absolute).</summary>
    public required string Out { get; init; }
    /// <summary>Engine: fused or torch.</summary>
    public string Engine { get; init; } = "fused";
    /// <summary>The runs, in order.</summary>
    public required IReadOnlyList<SweepRun> Runs { get; init; }

    /// <summary>Reads and checks a sweep file; every problem is a <see cref="SweepException"/> naming it.</summary>
    public static Sweep Load(string path)
    {
        if (Directory.Exists(path)) throw new SweepException(path, "is a directory, not a sweep file.");
        if (!File.Exists(path)) throw new SweepException(path, "no such file.");
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new SweepException(path, "the file must hold a JSON object."); }
        catch (JsonException e) { throw new SweepException(path, $"is not valid JSON ({e.Message})."); }
        return Parse(path, root);
    }

    static Sweep Parse(string path, JsonObject root)
    {
        string Fail(string problem) => throw new SweepException(path, problem);
        var known = new HashSet<string> { "name", "out", "tasks", "seeds", "set", "grid", "runs", "engine", "file" };
        foreach (var (key, _) in root)
            if (!known.Contains(key)) Fail($"unknown key '{key}'; a sweep has {string.Join(", ", known.Order())}.");
        string folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        string name = (string?)root["name"] ?? System.IO.Path.GetFileNameWithoutExtension(path);
        string outDir = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, (string?)root["out"] ?? System.IO.Path.Combine("runs", name)));
        string engine = ((string?)root["engine"] ?? "fused").ToLowerInvariant();
        if (engine is not ("fused" or "torch")) Fail($"engine must be fused or torch, got '{engine}'.");
        var tasks = Strings(root["tasks"], "tasks") ?? throw new SweepException(path, "needs \"tasks\": a list of task names.");
        foreach (var t in tasks) if (!TaskRegistry.Contains(t)) Fail($"unknown task '{t}'. Known tasks: {string.Join(", ", TaskRegistry.Names)}.");
        var seeds = root["seeds"] switch
        {
            null => [100L],
            JsonArray sa => sa.Select(v => v is JsonValue jv && jv.TryGetValue<long>(out long seed) ? seed
                : throw new SweepException(path, $"seeds must be integers, got {v?.ToJsonString()}.")).ToList(),
            _ => throw new SweepException(path, "\"seeds\" must be a list of integers."),
        };
        var fixedSet = Values(root["set"], "set") ?? new Dictionary<string, string>();
        var points = new List<Dictionary<string, string>>();
        if (root["grid"] is not null && root["runs"] is not null) Fail("give either \"grid\" or \"runs\", not both.");
        if (root["grid"] is JsonObject grid)
        {
            points.Add(new Dictionary<string, string>());
            foreach (var (parameter, values) in grid)
            {
                var list = values is JsonArray a ? a.Select(v => Text(v, parameter)).ToList() : [Text(values, parameter)];
                points = points.SelectMany(p => list.Select(v => new Dictionary<string, string>(p) { [parameter] = v })).ToList();
            }
        }
        else if (root["grid"] is not null) Fail("\"grid\" must be an object of parameter: [values].");
        else if (root["runs"] is JsonArray runList)
            points = runList.Select((r, i) => Values(r, $"runs[{i}]") ?? throw new SweepException(path, $"runs[{i}] must be an object of parameter: value.")).ToList();
        else if (root["runs"] is not null) Fail("\"runs\" must be a list of objects.");
        else points.Add(new Dictionary<string, string>());
        string pattern = (string?)root["file"] ?? "{task}{params}-seed{seed}-{engine}";

        var runs = new List<SweepRun>();
        foreach (var task in tasks)
        {
            var t = TaskRegistry.Create(task);   // once per task: building a task's connectivity is not free
            foreach (var seed in seeds)
                foreach (var point in points)
                {
                    var parameters = new Dictionary<string, string>(fixedSet);
                    foreach (var (k, v) in point) parameters[k] = v;
                    // Every parameter must be one of pycog's, with a valid value for this task.
                    try
                    {
                        var (network, training) = RunParameters.Apply(t.Network, TrainingConfig.For(t), parameters.Select(p => $"{p.Key}={p.Value}"));
                        training.Resolve(network.Resolve().Config);
                    }
                    catch (ConfigurationException e) { Fail($"run {task} seed {seed} ({Describe(parameters)}): {e.Message}"); }
                    string suffix = string.Concat(point.Select(p => $"-{p.Key}{p.Value}"));
                    string file = pattern.Replace("{task}", task).Replace("{seed}", seed.ToString(CultureInfo.InvariantCulture))
                        .Replace("{params}", suffix).Replace("{engine}", engine).Replace("{name}", name);
                    foreach (var (k, v) in parameters) file = file.Replace("{" + k + "}", v);   // "{var_rec}": this run's value
                    if (file.IndexOf('{') >= 0) Fail($"file pattern '{pattern}' has a placeholder that is neither {{task}}, {{seed}}, {{params}}, {{engine}}, {{name}} nor one of the run's parameters.");
                    if (file.IndexOfAny(System.IO.Path.GetInvalidFileNameChars().Where(c => c != '/').ToArray()) >= 0) Fail($"file name '{file}' has characters a file name cannot hold.");
                    runs.Add(new SweepRun(runs.Count, task, seed, parameters, System.IO.Path.Combine(outDir, file + ".npz")));
                }
        }
        if (runs.Count == 0) Fail("the sweep expands to zero runs (an empty list of tasks, seeds or grid values).");
        var clash = runs.GroupBy(r => r.File).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            Fail($"runs {string.Join(" and ", clash.Select(r => $"#{r.Index} ({r.Task} seed {r.Seed} {Describe(r.Parameters)})"))} would write the same file {clash.Key}; add {{params}} or {{seed}} to \"file\".");
        return new Sweep { Name = name, Path = System.IO.Path.GetFullPath(path), Out = outDir, Engine = engine, Runs = runs };

        List<string>? Strings(JsonNode? node, string key) => node switch
        {
            null => null,
            JsonArray a => a.Select(v => v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : Fail($"\"{key}\" must hold strings, got {v?.ToJsonString()}.")).ToList(),
            JsonValue v when v.TryGetValue<string>(out var s) => [s],
            _ => [Fail($"\"{key}\" must be a list of strings.")],
        };
        Dictionary<string, string>? Values(JsonNode? node, string key) => node switch
        {
            null => null,
            JsonObject o => o.ToDictionary(p => p.Key, p => Text(p.Value, p.Key)),
            _ => throw new SweepException(path, $"\"{key}\" must be an object of parameter: value."),
        };
        string Text(JsonNode? v, string parameter) => v switch
        {
            JsonValue jv when jv.TryGetValue<string>(out var s) => s,
            JsonValue jv when jv.TryGetValue<double>(out var d) => d.ToString("R", CultureInfo.InvariantCulture),
            JsonValue jv when jv.TryGetValue<bool>(out var b) => b ? "true" : "false",
            _ => Fail($"the value of {parameter} must be a number, a string or true/false, got {v?.ToJsonString() ?? "null"}."),
        };
    }

    static string Describe(IReadOnlyDictionary<string, string> parameters) =>
        parameters.Count == 0 ? "defaults" : string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value}"));
}

/// <summary>A sweep file that cannot be used; the message names the file and the problem.</summary>
public sealed class SweepException(string path, string problem) : Exception($"{path}: {problem}");
