using System.Runtime.InteropServices;

namespace PyCog.Interactive;

/// <summary>
/// SIGINT at the operating-system level. A kernel started from a background job of a
/// non-interactive shell (<c>jupyter lab &amp;</c> in a batch script, which is how Jupyter is often
/// run on a cluster node) inherits SIGINT as ignored, and the .NET runtime respects that: it never
/// installs its signal handler for SIGINT, so no <see cref="PosixSignalRegistration"/> ever sees the
/// stop button. While a guard is up, SIGINT gets the runtime's own handler (the one function it
/// installs for every signal it handles, read from SIGCONT, which it handles from start-up); the
/// ignore is put back when the last guard goes.
/// </summary>
/// <remarks>
/// Linux on 64-bit only, where <c>struct sigaction</c> (glibc and musl) starts with the handler and
/// keeps <c>sa_flags</c> at byte 136. Elsewhere, or where SIGCONT's handler is not a runtime-style
/// handler, nothing is changed.
/// </remarks>
static class IgnoredSigInt
{
    const int SigInt = 2, SigCont = 18;
    const int SaSigInfo = 4, FlagsOffset = 136;
    const int ActionBytes = 256;   // more than sizeof(struct sigaction), 152
    static readonly IntPtr SigIgn = 1;
    static readonly object Gate = new();
    static int _guards;
    static byte[]? _ignored;    // SIGINT's action before the first guard, while it is replaced
    static IntPtr _runtimeHandler;

    [DllImport("libc", EntryPoint = "sigaction")]
    static extern int SigAction(int signal, byte[]? action, byte[]? previous);

    static bool Supported => OperatingSystem.IsLinux() && IntPtr.Size == 8;

    static byte[]? Read(int signal)
    {
        var action = new byte[ActionBytes];
        return SigAction(signal, null, action) == 0 ? action : null;
    }

    static IntPtr Handler(byte[] action) => (IntPtr)BitConverter.ToInt64(action, 0);
    static bool TakesSigInfo(byte[] action) => (BitConverter.ToInt32(action, FlagsOffset) & SaSigInfo) != 0;

    /// <summary>Whether SIGINT is ignored by the process now (false where that cannot be read).</summary>
    public static bool IsIgnored => Supported && Read(SigInt) is { } a && !TakesSigInfo(a) && Handler(a) == SigIgn;

    /// <summary>
    /// Called by each guard as it is installed: if SIGINT is ignored, gives it the runtime's handler.
    /// Returns whether SIGINT now reaches the runtime (false: it is ignored and stays so).
    /// </summary>
    public static bool Enter()
    {
        if (!Supported) return true;
        lock (Gate)
        {
            _guards++;
            if (_ignored is not null) return true;   // an earlier guard replaced it
            if (!IsIgnored) return true;
            if (Read(SigCont) is not { } runtime || !TakesSigInfo(runtime) || Handler(runtime) is var h && (h == 0 || h == SigIgn)) return false;
            var previous = new byte[ActionBytes];
            if (SigAction(SigInt, runtime, previous) != 0) return false;
            _ignored = previous;
            _runtimeHandler = Handler(runtime);
            return true;
        }
    }

    /// <summary>Called by each guard as it is disposed: the last one puts the ignore back (if SIGINT still has the handler it was given).</summary>
    public static void Leave()
    {
        if (!Supported) return;
        lock (Gate)
        {
            if (--_guards > 0 || _ignored is null) return;
            if (Read(SigInt) is { } now && Handler(now) == _runtimeHandler) SigAction(SigInt, _ignored, null);
            _ignored = null;
        }
    }
}
