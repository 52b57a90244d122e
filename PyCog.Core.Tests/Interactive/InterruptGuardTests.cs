using System.Runtime.InteropServices;
using PyCog.Interactive;
using Xunit;

namespace PyCog.Tests.Interactive;

/// <summary>
/// The guard a training cell installs: a real SIGINT sent to this process reaches the guard and
/// none of the other handlers (in a kernel, the host's, which would end the process), and the
/// others are back once the cell is done. (.ci/jupyter interrupts a training cell in a real kernel.)
/// </summary>
[Collection(SigIntHandlers)]
public class InterruptGuardTests
{
    /// <summary>
    /// The tests that install SIGINT guards (this one, and live training in a kernel) run alone,
    /// after the parallel tests: a guard installed by another test beside this one would set this
    /// one's handler aside and take its signal, and a signal sent while other tests run (starting
    /// child processes, loading native libraries) was lost in CI runs.
    /// </summary>
    public const string SigIntHandlers = "The process's SIGINT handlers";

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    const int SigInt = 2;

    // Skipped in the shared test process: in CI runs on a fresh clone the signal was lost (no handler
    // ran within a minute) in about half the runs, alone or beside other tests, while it passed in
    // every run of a warm build. The guard's behaviour is checked end to end by .ci/jupyter, which
    // interrupts a training cell in a real kernel. Remove the Skip to run it.
    [Fact(Skip = "The signal is lost in about half of fresh-clone CI runs; .ci/jupyter checks the guard end to end")]
    public async Task A_sigint_during_training_reaches_only_the_guard_and_the_other_handlers_return_afterwards()
    {
        if (!OperatingSystem.IsLinux()) return;
        int others = 0;
        // Stands for the kernel host's handler (it cancels the default action, so that a stray signal cannot end the test run).
        using var host = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; Interlocked.Increment(ref others); });
        var interrupted = new TaskCompletionSource();
        using (var guard = InterruptGuard.Install(() => interrupted.TrySetResult()))
        {
            Assert.True(guard.Active);
            Assert.True(guard.SetAside >= 1);
            Assert.Equal(0, kill(Environment.ProcessId, SigInt));
            await interrupted.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await Task.Delay(200);
            Assert.Equal(0, others);
        }
        // Back: a registration list holding the host's handler again (read as the runtime keeps it).
        var table = (System.Collections.IDictionary)typeof(PosixSignalRegistration).GetField("s_registrations",
            System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!.GetValue(null)!;
        var token = typeof(PosixSignalRegistration).GetField("_token", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(host);
        lock (table)
            Assert.Contains(table.Values.Cast<System.Collections.IList>(), list => list.Cast<object>().Any(t => ReferenceEquals(t, token)));
    }
}

/// <summary>The collection of <see cref="InterruptGuardTests.SigIntHandlers"/>: its tests run alone.</summary>
[CollectionDefinition(InterruptGuardTests.SigIntHandlers, DisableParallelization = true)]
public class SigIntHandlersCollection;
