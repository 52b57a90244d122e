using PyCog.Sweeps;
using PyCog.Tasks;
using PyCog.Training;
using Xunit;

namespace PyCog.Tests.Sweeps;

/// <summary>Sweep files: the runs they expand to, the errors they give, and the table their files make.</summary>
public class SweepTests
{
    static string Write(string json)
    {
        var dir = Directory.CreateTempSubdirectory("pycog-sweep-").FullName;
        string path = Path.Combine(dir, "sweep.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void AGridExpandsToEveryTaskSeedAndPointInOrder()
    {
        var sweep = Sweep.Load(Write("""
            { "name": "noise", "out": "out", "tasks": ["rdm_fixed", "rdm_dense"], "seeds": [1, 2],
              "set": { "max_iter": 10 }, "grid": { "var_rec": [0.0025, 0.09], "lambda_Omega": [0, 2] } }
            """));
        Assert.Equal(2 * 2 * 4, sweep.Runs.Count);
        var first = sweep.Runs[0];
        Assert.Equal(("rdm_fixed", 1L), (first.Task, first.Seed));
        Assert.Equal(new Dictionary<string, string> { ["max_iter"] = "10", ["var_rec"] = "0.0025", ["lambda_Omega"] = "0" }, first.Parameters);
        Assert.EndsWith(Path.Combine("out", "rdm_fixed-var_rec0.0025-lambda_Omega0-seed1-fused.npz"), first.File);
        Assert.Equal(("rdm_dense", 2L, "0.09", "2"), (sweep.Runs[^1].Task, sweep.Runs[^1].Seed, sweep.Runs[^1].Parameters["var_rec"], sweep.Runs[^1].Parameters["lambda_Omega"]));
        Assert.Equal(Enumerable.Range(0, 16), sweep.Runs.Select(r => r.Index));
        Assert.Contains("--set", sweep.Runs[3].TrainArguments("fused", 2));
    }

    [Fact]
    public void AFilePatternNamesAParameterByItsValue()
    {
        var sweep = Sweep.Load(Write("""
            { "out": "data", "tasks": ["rdm_fixed"], "seeds": [100], "set": { "reproducibility": 2 },
              "grid": { "var_rec": [0.0025, 0.09] }, "file": "{task}-varrec{var_rec}-seed{seed}-{engine}" }
            """));
        Assert.Equal(["rdm_fixed-varrec0.0025-seed100-fused.npz", "rdm_fixed-varrec0.09-seed100-fused.npz"], sweep.Runs.Select(r => Path.GetFileName(r.File)));
        Assert.Equal("2", sweep.Runs[1].Parameters["reproducibility"]);
    }

    [Theory]
    [InlineData("""{ "tasks": ["rdm_fixed"], "seeds": [1], "file": "{task}-{var_rec}" }""", "placeholder")]
    [InlineData("""{ "tasks": ["no_such_task"] }""", "unknown task 'no_such_task'")]
    [InlineData("""{ "tasks": ["rdm_fixed"], "grid": { "var_recc": [1] } }""", "var_recc")]
    [InlineData("""{ "tasks": ["rdm_fixed"], "grid": { "var_rec": [-1] } }""", "var_rec")]
    [InlineData("""{ "tasks": ["rdm_fixed"], "grid": { "var_rec": [] } }""", "zero runs")]
    [InlineData("""{ "tasks": [] }""", "zero runs")]
    [InlineData("""{ "tasks": ["rdm_fixed"], "seeds": [1, 2], "file": "{task}" }""", "would write the same file")]
    [InlineData("""{ "tasks": ["rdm_fixed"], "grdi": {} }""", "unknown key 'grdi'")]
    [InlineData("""{ "tasks": ["rdm_fixed"], "seeds": ["one"] }""", "seeds must be integers")]
    [InlineData("""{ "tasks": ["rdm_fixed"], "engine": "gpu" }""", "engine must be fused or torch")]
    [InlineData("""{ "tasks": ["rdm_fixed"], """, "not valid JSON")]
    public void ABadSweepFileIsNamedWithItsProblem(string json, string expected)
    {
        var e = Assert.Throws<SweepException>(() => Sweep.Load(Write(json)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void CollectReadsEveryRunsFileWhateverItsState()
    {
        string path = Write("""{ "out": "out", "tasks": ["rdm_fixed"], "seeds": [1, 2, 3], "set": { "max_iter": 20, "checkfreq": 10, "n_validation": 11, "n_gradient": 4 } }""");
        var sweep = Sweep.Load(path);
        var task = RandomDotMotion.Fixed();
        foreach (var run in sweep.Runs.Take(2))
        {
            var (network, training) = RunParameters.Apply(task.Network, TrainingConfig.For(task), run.Parameters.Select(p => $"{p.Key}={p.Value}"));
            using var cts = new CancellationTokenSource();
            if (run.Index == 1) cts.Cancel();   // the second run stops at once: a resumable checkpoint
            new Trainer(task, network, training with { Seed = run.Seed }) { CheckpointPath = run.File }.Train(cts.Token);
        }
        var results = SweepResults.Collect(path);
        Assert.Equal([RunState.Finished, RunState.Unfinished, RunState.NotStarted], results.Select(r => r.State));
        Assert.Equal(80, results[0].Trials);
        Assert.NotNull(results[0].Performance);
        var csv = SweepResults.Csv(results, sweep.Out).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("task,seed,max_iter,checkfreq,n_validation,n_gradient,state,reached,termination,trials,seconds,performance,rmse,file", csv[0]);
        Assert.StartsWith("rdm_fixed,1,20,10,11,4,finished,false,MaxIter,80,", csv[1]);
        Assert.Equal(4, csv.Length);
        var manifest = SweepResults.Manifest(sweep, results, sweep.Out);
        Assert.Equal(2, manifest["networks"]!.AsArray().Count);
        Assert.Contains("--seed 1", (string)manifest["networks"]![0]!["command"]!);
    }
}
