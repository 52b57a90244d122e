using PyCog.Numerics;
using Xunit;

namespace PyCog.Tests.Numerics;

public class TrialParallelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void EveryTrialRunsOnce(int threads)
    {
        var runs = new int[1000];
        TrialParallel.For(runs.Length, threads, i => Interlocked.Increment(ref runs[i]));
        Assert.All(runs, r => Assert.Equal(1, r));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void WhenSeveralTrialsFailTheLowestTrialsExceptionIsTheOneRethrown(int threads)
    {
        for (int round = 0; round < 100; round++)
        {
            // Trial 0 fails only after another trial has failed, as a slow first trial would.
            using var anotherFailed = new ManualResetEventSlim();
            var e = Assert.Throws<InvalidOperationException>(() => TrialParallel.For(64, threads, i =>
            {
                if (i == 0) anotherFailed.Wait(TimeSpan.FromSeconds(1));
                if (i % 2 == 1) return;
                if (i > 0) anotherFailed.Set();
                throw new InvalidOperationException($"trial {i} failed");
            }));
            Assert.Equal("trial 0 failed", e.Message);
        }
    }

    [Fact]
    public void CancellationStopsTheLoop()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() => TrialParallel.For(100, 2, _ => { }, cancel.Token));
    }
}
