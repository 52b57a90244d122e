using System.Runtime.InteropServices;

namespace PyCog.Cli;

/// <summary>
/// Ctrl+C (SIGINT), a scheduler's SIGTERM and SIGHUP (a closed terminal) all mean "save and
/// stop": one registration for the three, cancelled (so the process is not killed) and handed
/// to <c>stop</c>. Dispose to unregister.
/// </summary>
sealed class StopSignals(Action<PosixSignalContext> stop) : IDisposable
{
    readonly PosixSignalRegistration[] _registrations =
        [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, c => { c.Cancel = true; stop(c); }))];

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}
