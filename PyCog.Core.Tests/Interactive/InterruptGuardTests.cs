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
    /// The tests that install SIGINT guards (these, and live training in a kernel) run one at a time:
    /// a guard installed by another test beside one of these would set its handler aside and take
    /// its signal.
    /// </summary>
    public const string SigIntHandlers = "The process's SIGINT handlers";

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    [DllImport("libc", EntryPoint = "sigaction")]
    static extern int SigAction(int signal, byte[]? action, byte[]? previous);

    const int SigInt = 2;

    [Fact]
    public async Task A_sigint_during_training_reaches_only_the_guard_and_the_other_handlers_return_afterwards()
    {
        if (!OperatingSystem.IsLinux()) return;
        await InterruptAndCheck();
    }

    /// <summary>
    /// A process started as a background job of a non-interactive shell (`jupyter lab &amp;` in a batch
    /// script) inherits SIGINT ignored, and the runtime then never installs its handler: the signal
    /// reached no registration, and the stop button did nothing. Here the ignore is set for the test,
    /// whatever this process inherited, and put back as it was afterwards.
    /// </summary>
    [Fact]
    public async Task A_sigint_reaches_the_guard_in_a_process_that_inherited_sigint_ignored_and_is_ignored_again_afterwards()
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8) return;
        var ignore = new byte[256];
        BitConverter.GetBytes(1L).CopyTo(ignore, 0);   // SIG_IGN, no flags, an empty mask
        var before = new byte[256];
        Assert.Equal(0, SigAction(SigInt, ignore, before));
        try
        {
            await InterruptAndCheck();
            var after = new byte[256];
            Assert.Equal(0, SigAction(SigInt, null, after));
            Assert.Equal(1L, BitConverter.ToInt64(after, 0));   // ignored again, as the guard found it
        }
        finally
        {
            SigAction(SigInt, before, null);
        }
    }

    static async Task InterruptAndCheck()
    {
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

/// <summary>The collection of <see cref="InterruptGuardTests.SigIntHandlers"/>: its tests run one at a time.</summary>
[CollectionDefinition(InterruptGuardTests.SigIntHandlers, DisableParallelization = true)]
public class SigIntHandlersCollection;
