using System.IO.Compression;
using PyCog.IO;
using PyCog.Network;
using PyCog.Numerics;
using PyCog.Simulation;
using PyCog.Tasks;
using PyCog.Training;
using Xunit;

namespace PyCog.Tests.Training;

/// <summary>Bad settings, bad files, broken tasks and runaway runs end in a clear error or a loadable file.</summary>
public class ReliabilityTests
{
    static string TempFile() => Path.Combine(Path.GetTempPath(), $"pycog-test-{Guid.NewGuid():N}.npz");
    static TrainingConfig Small(CognitiveTask task) => TrainingConfig.For(task) with { NGradient = 4, NValidation = 11, CheckFreq = 10, MaxIter = 60 };

    [Fact]
    public void ADivergingRunStopsAndKeepsALoadableFileWithItsBestNetwork()
    {
        var task = RandomDotMotion.Fixed();
        string path = TempFile();
        try
        {
            var result = new Trainer(task, training: Small(task) with { LearningRate = 1e4, MaxIter = 2000 }) { CheckpointPath = path }.Train();
            Assert.Equal(Termination.Diverged, result.Termination);
            Assert.True(result.Iterations < 2000);
            var saved = NetworkFile.Load(path);
            Assert.Equal(Termination.Diverged, saved.Termination);
            Assert.True(saved.Parameters.AllFinite());
            Assert.True(double.IsFinite(saved.Effective().Wrec.SpectralRadius()));
            var checkpoint = Checkpoint.Load(path);
            Assert.True(checkpoint.Current.AllFinite());
            // resuming a diverged (finished) run returns at once instead of failing
            Assert.Equal(Termination.Diverged, new Trainer(task, training: Small(task) with { LearningRate = 1e4, MaxIter = 2000 }) { CheckpointPath = path }.Train().Termination);
        }
        finally { File.Delete(path); File.Delete(path + ".lock"); }
    }

    [Fact]
    public void ResumingWithOtherSettingsOrAnotherSeedIsRefused()
    {
        var task = RandomDotMotion.Fixed();
        string path = TempFile();
        try
        {
            using (var cts = new CancellationTokenSource())
            {
                cts.Cancel();
                new Trainer(task, training: Small(task)) { CheckpointPath = path }.Train(cts.Token);
            }
            var e = Assert.Throws<ConfigurationException>(() => new Trainer(task, task.Network with { VarRec = 0.01 }, Small(task)) { CheckpointPath = path }.Train());
            Assert.Contains("var_rec", e.Message);
            var s = Assert.Throws<ConfigurationException>(() => new Trainer(task, training: Small(task) with { Seed = 5 }) { CheckpointPath = path }.Train());
            Assert.Equal("seed", s.Parameter);
            Assert.Equal(Termination.MaxIter, new Trainer(task, training: Small(task)) { CheckpointPath = path }.Train().Termination);
        }
        finally { File.Delete(path); File.Delete(path + ".lock"); }
    }

    [Fact]
    public void AStartThatFailsBeforeItsFirstStepLeavesNoCheckpoint()
    {
        var task = new BrokenTask(failGradientTrials: true);
        string path = TempFile();
        try
        {
            var e = Assert.Throws<TaskException>(() => new Trainer(task, training: Small(task)) { CheckpointPath = path }.Train());
            Assert.Contains("gradient trial 0", e.Message);
            Assert.False(File.Exists(path));
        }
        finally { File.Delete(path); File.Delete(path + ".lock"); }
    }

    [Fact]
    public void ASecondTrainerOnTheSameFileIsRefusedWithTheHolder()
    {
        var task = RandomDotMotion.Fixed();
        string path = TempFile();
        try
        {
            using (CheckpointLock.Acquire(path))
            {
                var e = Assert.Throws<IOException>(() => new Trainer(task, training: Small(task)) { CheckpointPath = path }.Train());
                Assert.Contains("is being trained by", e.Message);
                Assert.False(File.Exists(path));
            }
            new Trainer(task, training: Small(task) with { MaxIter = 5 }) { CheckpointPath = path }.Train();
            Assert.True(File.Exists(path));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".*.tmp"));
        }
        finally { File.Delete(path); File.Delete(path + ".lock"); }
    }

    [Theory]
    [InlineData("dt=1e-9", "dt")]
    [InlineData("n_gradient=2e9", "n_gradient")]
    [InlineData("N=40000", "N")]
    public void AConfigurationThatCannotFitIsRefusedBeforeAnythingIsAllocated(string assignment, string parameter)
    {
        var task = RandomDotMotion.NoDale();
        var (network, training) = RunParameters.Apply(task.Network, TrainingConfig.For(task), [assignment]);
        string path = TempFile();
        var e = Assert.Throws<ConfigurationException>(() => new Trainer(task, network, training) { CheckpointPath = path }.Train());
        Assert.Equal(parameter, e.Parameter);
        Assert.Contains("GB", e.Message);
        Assert.False(File.Exists(path));
        File.Delete(path + ".lock");
    }

    [Theory]
    [InlineData("var_rec=1e300", "var_rec")]
    [InlineData("rho0=1e300", "rho0")]
    [InlineData("N=50000", "N")]
    [InlineData("tau=1e300", "tau")]
    [InlineData("baseline_in=1e300", "baseline_in")]
    [InlineData("checkfreq=0", "checkfreq")]
    [InlineData("learning_rate=nan", "learning_rate")]
    public void OutOfRangeParametersAreRefusedByName(string assignment, string parameter)
    {
        var task = RandomDotMotion.NoDale();
        var (network, training) = RunParameters.Apply(task.Network, TrainingConfig.For(task), [assignment]);
        var e = Assert.Throws<ConfigurationException>(() => training.Resolve(network.Resolve().Config));
        Assert.Equal(parameter, e.Parameter);
        Assert.DoesNotContain("(Parameter", e.Message);
    }

    [Fact]
    public void AHugeCheckfreqDoesNotOverflowPatience()
    {
        var t = new TrainingConfig { CheckFreq = 2_000_000_000 };
        Assert.Equal(200_000_000_000L, t.PatienceSteps);
    }

    static string WithoutEntry(string source, string entry)
    {
        string copy = TempFile();
        using var from = ZipFile.OpenRead(source);
        using var to = ZipFile.Open(copy, ZipArchiveMode.Create);
        foreach (var e in from.Entries.Where(e => e.FullName != entry))
        {
            using var s = e.Open();
            using var d = to.CreateEntry(e.FullName).Open();
            s.CopyTo(d);
        }
        return copy;
    }

    [Theory]
    [InlineData("ei.npy", "'ei' is missing")]
    [InlineData("Wrec_raw.npy", "'Wrec_raw' is missing")]
    [InlineData("metadata.json", "no metadata.json")]
    public void AFileMissingARequiredArrayNamesIt(string entry, string expected)
    {
        string root = RepositoryFolder.Root()!;
        string copy = WithoutEntry(Path.Combine(root, "data", "rdm_fixed-seed100-fused.npz"), entry);
        try { Assert.Contains(expected, Assert.Throws<NetworkFileException>(() => NetworkFile.Load(copy)).Message); }
        finally { File.Delete(copy); }
    }

    [Fact]
    public void ADirectoryIsNotANetworkFile()
    {
        var dir = Directory.CreateTempSubdirectory("pycog-test-").FullName;
        try { Assert.Contains("is a directory", Assert.Throws<NetworkFileException>(() => NetworkFile.Load(dir)).Message); }
        finally { Directory.Delete(dir); }
    }

    [Theory]
    [InlineData("nan-epoch", "not a finite number")]
    [InlineData("inverted-epoch", "inverted")]
    [InlineData("empty-epoch", "empty")]
    [InlineData("negative-mask", "negative weight")]
    [InlineData("throws", "GenerateTrial threw DivideByZeroException")]
    public void ABrokenCustomTaskIsReportedWithTaskTrialAndProblem(string fault, string expected)
    {
        var task = new BrokenTask(fault: fault);
        var e = Assert.Throws<TaskException>(() => task.GenerateCheckedTrial(new Rng(1), 20, TrialRequest.Of(TrialKind.Validation, 3), task.Network));
        Assert.StartsWith("Task 'broken', validation trial 3:", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void ATaskErrorInsideTheIntegratorIsNotWrapped()
    {
        // a network trained for rdm_fixed (2 inputs) run on a task with 3 inputs
        var net = TrainedNetwork.Load(Path.Combine(RepositoryFolder.Root()!, "data", "rdm_fixed-seed100-fused.npz"));
        var requests = Enumerable.Range(0, 64).Select(_ => new TrialRequest { Kind = TrialKind.Test }).ToList();
        var e = Assert.Throws<TaskException>(() => new Integrator(net).Run(RandomDotMotion.VariableStimulus(), requests, 1));
        Assert.Contains("Nin = 2", e.Message);
    }

    [Fact]
    public void CatchTrueAsksForCatchTrialsAlone()
    {
        var task = RandomDotMotion.Fixed();
        var requests = ConditionGrid.TestRequests(task, 3, new Dictionary<string, string> { ["catch"] = "true" });
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.True(task.GenerateTrial(new Rng(2), 20, r).Info.IsCatch));
        Assert.Throws<ArgumentException>(() => ConditionGrid.TestRequests(task, 3, new Dictionary<string, string> { ["catch"] = "true", ["coh"] = "16" }));
    }

    /// <summary>A user's task with one planted fault.</summary>
    sealed class BrokenTask(string fault = "", bool failGradientTrials = false) : CognitiveTask
    {
        public override string Name => "broken";
        public override NetworkConfig Network { get; } = new() { Nin = 1, N = 10, Nout = 1 };
        public override Trial GenerateTrial(Rng rng, double dt, TrialRequest request)
        {
            if (failGradientTrials && request.Kind == TrialKind.Gradient) throw new InvalidOperationException("no gradient trials today");
            int zero = 0;
            if (fault == "throws") _ = 1 / zero;
            int n = (int)(200 / dt);
            var times = TimeGrid.Times(dt, 200);
            var epochs = new Dictionary<string, (double, double)>
            {
                ["all"] = fault switch { "nan-epoch" => (0, double.NaN), "inverted-epoch" => (150, 50), "empty-epoch" => (100, 100), _ => (0, 200) },
            };
            var mask = Matrix.FromFunction(n, 1, (i, _) => fault == "negative-mask" && i == 2 ? -1 : 1);
            return new Trial(dt, 200, times, epochs, new Matrix(n, 1), new Matrix(n, 1), mask, new TrialInfo(TrialCondition.None, null));
        }
    }
}
