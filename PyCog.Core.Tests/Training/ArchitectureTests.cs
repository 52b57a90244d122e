using System.Reflection;
using PyCog.IO;
using PyCog.Network;
using PyCog.Tasks;
using PyCog.Training;
using Xunit;

namespace PyCog.Tests.Training;

/// <summary>
/// The shape of the library: results unchanged by the split of network and training settings,
/// files written before it still load, and analysis-only code free of TorchSharp.
/// </summary>
public class ArchitectureTests
{
    static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    /// <summary>
    /// Reference runs of <c>pycog train rdm_fixed --seed 7 --set max_iter=60 --set checkfreq=20
    /// --set n_validation=40</c>, one under each reproducibility contract:
    /// Data/rdm_fixed-seed7-60steps-678b1c3.npz was written by commit 678b1c3 (contract 1, before
    /// the setting existed and before network and training settings were split), and
    /// Data/rdm_fixed-seed7-60steps-v2-c8ca944.npz by commit c8ca944 with
    /// <c>--set reproducibility=2 --threads 2</c>, the build that retrained data/. The same run
    /// today, on any number of threads, must give the same weights, bit for bit, and the same validations.
    /// </summary>
    [Theory]
    [InlineData("rdm_fixed-seed7-60steps-678b1c3.npz", 1, 1)]
    [InlineData("rdm_fixed-seed7-60steps-678b1c3.npz", 1, 3)]
    [InlineData("rdm_fixed-seed7-60steps-v2-c8ca944.npz", 2, 1)]
    [InlineData("rdm_fixed-seed7-60steps-v2-c8ca944.npz", 2, 3)]
    public void TheSameSeedGivesTheWeightsOfTheReferenceRun(string file, int contract, int threads)
    {
        var reference = Checkpoint.Load(DataFile(file));
        Assert.Equal(contract, reference.Training.Reproducibility);
        var task = RandomDotMotion.Fixed();
        string path = Path.Combine(Path.GetTempPath(), $"pycog-test-{Guid.NewGuid():N}.npz");
        try
        {
            var (network, training) = RunParameters.Apply(task.Network, TrainingConfig.For(task),
                ["max_iter=60", "checkfreq=20", "n_validation=40", "seed=7", $"reproducibility={contract}"]);
            new Trainer(task, network, training) { CheckpointPath = path, Engine = FusedEngine.WithThreads(threads) }.Train();
            var now = Checkpoint.Load(path);
            foreach (var ((name, a), (_, b)) in reference.Current.Arrays().Zip(now.Current.Arrays()))
                Assert.True(a.AsSpan().SequenceEqual(b), $"current {name} differs");
            foreach (var ((name, a), (_, b)) in reference.Trained.Parameters.Arrays().Zip(now.Trained.Parameters.Arrays()))
                Assert.True(a.AsSpan().SequenceEqual(b), $"best {name} differs");
            Assert.Equal(reference.Trained.History, now.Trained.History);
            Assert.Equal(reference.GradientRng, now.GradientRng);
            Assert.Equal(reference.Training with { Patience = null }, now.Training);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void TrainedNetworksInDataLoadWithTheirTrainingSettings()
    {
        string root = RepositoryFolder.Root() ?? throw new DirectoryNotFoundException("PyCog.sln not found.");
        var files = Directory.GetFiles(Path.Combine(root, "data"), "*.npz");
        Assert.True(files.Length >= 30, $"expected the 30 trained networks, found {files.Length}");
        foreach (var file in files)
        {
            var saved = NetworkFile.Load(file);
            Assert.True(saved.Finished, file);
            Assert.NotNull(saved.Termination);
            var checkpoint = Checkpoint.Load(file);
            Assert.Equal(saved.Seed, checkpoint.Training.Seed);
            Assert.Equal(TrainingConfig.For(TaskRegistry.Create(saved.Task)).NValidation, checkpoint.Training.NValidation);
        }
        var varRec = NetworkFile.Load(Path.Combine(root, "data", "rdm_fixed-varrec0.0025-seed100-fused.npz"));
        Assert.Equal(0.05 * 0.05, varRec.Config.VarRec.Scalar, 12);
    }

    [Fact]
    public void AnalysisOnlyAssembliesDoNotReferenceTorchSharp()
    {
        foreach (var assembly in new[] { typeof(NetworkConfig).Assembly, typeof(PyCog.Plotting.Charts).Assembly })
            Assert.DoesNotContain(assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.Contains(typeof(PyCog.Torch.TorchEngine).Assembly.GetReferencedAssemblies(), a => a.Name == "TorchSharp");
    }

    [Fact]
    public void NetworkAndTasksDoNotDependOnTraining()
    {
        var types = typeof(NetworkConfig).Assembly.GetTypes()
            .Where(t => t.Namespace is "PyCog.Network" or "PyCog.Tasks" or "PyCog.Simulation" or "PyCog.Analysis" or "PyCog.IO");
        foreach (var type in types)
        {
            var members = type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly);
            foreach (var m in members)
            {
                var used = m switch
                {
                    FieldInfo f => [f.FieldType],
                    PropertyInfo p => [p.PropertyType],
                    MethodInfo mi => mi.GetParameters().Select(p => p.ParameterType).Append(mi.ReturnType),
                    ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
                    _ => Enumerable.Empty<Type>(),
                };
                foreach (var t in used)
                    Assert.False(t.Namespace?.StartsWith("PyCog.Training", StringComparison.Ordinal) == true, $"{type.FullName}.{m.Name} uses {t.FullName}");
            }
        }
    }

    /// <summary>The packable libraries, in dependency order; the command line and the tests are not among them.</summary>
    static readonly Assembly[] Libraries =
    [
        typeof(NetworkConfig).Assembly, typeof(PyCog.Sweeps.Sweep).Assembly, typeof(PyCog.Plotting.Charts).Assembly,
        typeof(PyCog.Torch.TorchEngine).Assembly, typeof(PyCog.Interactive.LiveTraining).Assembly,
    ];

    [Fact]
    public void ProjectsDependOneWay()
    {
        static IEnumerable<string> PyCogReferences(Assembly a) => a.GetReferencedAssemblies().Select(r => r.Name!).Where(n => n.StartsWith("PyCog", StringComparison.Ordinal));
        Assert.Empty(PyCogReferences(typeof(NetworkConfig).Assembly));
        Assert.Equal(["PyCog.Core"], PyCogReferences(typeof(PyCog.Sweeps.Sweep).Assembly));
        Assert.Equal(["PyCog.Core"], PyCogReferences(typeof(PyCog.Plotting.Charts).Assembly));   // Plotting draws data; it knows no sweep
        Assert.Equal(["PyCog.Core"], PyCogReferences(typeof(PyCog.Torch.TorchEngine).Assembly));
        foreach (var library in Libraries)
            Assert.DoesNotContain("pycog", PyCogReferences(library));   // nothing depends on the command line
        // The core holds no sweep (its own project) and no benchmark code (the command line's).
        Assert.DoesNotContain(typeof(NetworkConfig).Assembly.GetTypes(), t => t.Namespace?.Contains("Sweep", StringComparison.Ordinal) == true);
        foreach (var library in Libraries)
            Assert.DoesNotContain(library.GetTypes(), t => t.Name.Contains("Bench", StringComparison.Ordinal) || t.Name == "TorchIntegratorLoop");
    }

    [Fact]
    public void APublicNameHasOneMeaning()
    {
        // "Network" is what a network is (its configuration, NetworkConfig, or that configuration
        // resolved); a trained network held by another object is "Trained" (a TrainedNetwork's own
        // file record is its "Saved" form).
        foreach (var library in Libraries)
            foreach (var type in library.GetExportedTypes())
                foreach (var property in type.GetProperties().Where(p => p.DeclaringType == type))
                {
                    if (property.Name == "Network")
                        Assert.True(property.PropertyType == typeof(NetworkConfig) || property.PropertyType == typeof(ResolvedNetworkConfig),
                            $"{type.Name}.Network is a {property.PropertyType.Name}");
                    if ((property.PropertyType == typeof(SavedNetwork) || property.PropertyType == typeof(SavedNetwork[])) && type != typeof(PyCog.Simulation.TrainedNetwork))
                        Assert.True(property.Name == "Trained", $"{type.Name}.{property.Name} holds a trained network; call it Trained");
                }
    }
}
