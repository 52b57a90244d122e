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
}
