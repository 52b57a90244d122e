using PyCog.Numerics;
using Xunit;

namespace PyCog.Tests.Training;

/// <summary>The worker team behind the fused engine's threads: every part once, on a fixed thread, errors surfaced.</summary>
public class WorkerTeamTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(8, true)]   // more threads than this machine's cores: the team must not spin itself to a halt
    public void EveryPartRunsOnceOnTheParticipantItBelongsTo(int threads, bool spin)
    {
        using var team = new WorkerTeam(threads, spin);
        for (int round = 0; round < 300; round++)
        {
            int parts = 1 + round % 7;
            var counts = new int[parts];
            var ranOn = new int[parts];
            team.For(parts, p => { Interlocked.Increment(ref counts[p]); ranOn[p] = Environment.CurrentManagedThreadId; });
            Assert.All(counts, c => Assert.Equal(1, c));
            for (int p = 0; p < parts; p++)
                for (int q = 0; q < parts; q++)
                    if (p % threads == q % threads) Assert.Equal(ranOn[p], ranOn[q]);
            Assert.Equal(Environment.CurrentManagedThreadId, ranOn[0]);   // part 0 is the caller's
        }
    }

    [Fact]
    public void APartsExceptionReachesTheCallerAndTheTeamCarriesOn()
    {
        using var team = new WorkerTeam(2);
        var e = Assert.Throws<InvalidOperationException>(() => team.For(2, p => { if (p == 1) throw new InvalidOperationException("part 1 failed"); }));
        Assert.Equal("part 1 failed", e.Message);
        int done = 0;
        team.For(2, _ => Interlocked.Increment(ref done));
        Assert.Equal(2, done);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void WhenSeveralPartsFailTheLowestPartsExceptionIsTheOneRethrown(int threads)
    {
        using var team = new WorkerTeam(threads);
        for (int round = 0; round < 200; round++)
        {
            // Part 0 fails last (after the others have had time to fail), as a slow first trial would.
            var e = Assert.Throws<InvalidOperationException>(() => team.For(8, p =>
            {
                if (p == 0) Thread.SpinWait(2000);
                if (p % 2 == 0) throw new InvalidOperationException($"part {p} failed");
            }));
            Assert.Equal("part 0 failed", e.Message);
        }
    }

    [Fact]
    public void ARegionStartedInsideAnotherRunsSerially()
    {
        using var team = new WorkerTeam(2);
        int sum = 0;
        team.For(2, _ => team.For(3, _ => Interlocked.Increment(ref sum)));
        Assert.Equal(6, sum);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TimeInPartsCountsEachRegionOnceAndNothingOutsideThem(int threads)
    {
        using var team = new WorkerTeam(threads);
        Assert.Equal(TimeSpan.Zero, team.TimeInParts);
        Thread.Sleep(60);   // outside any region: not counted
        // Two regions of at least 40 ms each; the inner region runs serially inside the outer one and is not counted again.
        var regions = System.Diagnostics.Stopwatch.StartNew();
        for (int round = 0; round < 2; round++)
            team.For(threads, p => { if (p == 0) team.For(1, _ => Thread.Sleep(40)); });
        double wall = regions.Elapsed.TotalMilliseconds;
        var counted = team.TimeInParts;
        // At most the regions' own wall-clock time (counted twice, it would be about twice that), whatever the load.
        Assert.InRange(counted.TotalMilliseconds, 80, wall);
    }

    [Fact]
    public void AOneThreadEngineCountsItsSharedPartsWithinTheStep()
    {
        var task = PyCog.Tasks.TaskRegistry.Create("rdm_fixed");
        var network = task.Network.Resolve();
        var config = PyCog.Training.TrainingConfig.For(task).Resolve(network.Config);
        var (p, resolved) = PyCog.Network.NetworkInitializer.Initialize(network, config.Seed);
        using var engine = new PyCog.Training.FusedEngine(resolved, config) { Threads = 1 };
        var batch = new PyCog.Training.Dataset(task, resolved, PyCog.Tasks.TrialKind.Gradient, config.NGradient, 5).Next();
        engine.ComputeGradient(p, batch);
        var before = engine.TimeInSharedParts;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 5; i++) engine.ComputeGradient(p, batch);
        double step = sw.Elapsed.TotalMilliseconds, shared = (engine.TimeInSharedParts - before).TotalMilliseconds;
        // Forward, backward and the weight gradients are most of a step, and all of them are shared parts.
        Assert.InRange(shared, 0.5 * step, step);
    }
}
