using System.Reflection;
using System.Runtime.InteropServices;

namespace PyCog.Interactive;

/// <summary>
/// While a training cell runs, SIGINT (Jupyter's stop button) stops the training instead of the
/// kernel. Jupyter interrupts a kernel by sending it SIGINT, and the .NET Interactive kernel's
/// generic host answers SIGINT by shutting the whole process down (dotnet-interactive
/// 1.0.712001: "Application is shutting down...", the notebook's state is lost), whatever other
/// handlers say. So, for the length of the training only, the process's other SIGINT handlers
/// are set aside and this one cancels the run, which saves its checkpoint and returns; they are
/// put back afterwards, so an idle kernel behaves as before. A kernel that inherited SIGINT as
/// ignored gets the runtime's handler for as long (see <see cref="IgnoredSigInt"/>).
/// </summary>
/// <remarks>
/// Setting the handlers aside reaches into the runtime's registration list
/// (<c>PosixSignalRegistration.s_registrations</c>, .NET 6 to 10). Where it is not there, the
/// guard does nothing and SIGINT keeps its default effect; <see cref="Active"/> says which. The
/// CI's Jupyter check (.ci/jupyter) interrupts a training cell in a real kernel.
/// </remarks>
public sealed class InterruptGuard : IDisposable
{
    static readonly FieldInfo? Registrations = typeof(PosixSignalRegistration).GetField("s_registrations", BindingFlags.Static | BindingFlags.NonPublic);
    static readonly FieldInfo? TokenField = typeof(PosixSignalRegistration).GetField("_token", BindingFlags.Instance | BindingFlags.NonPublic);
    static readonly object Gate = new();

    readonly PosixSignalRegistration? _own;
    readonly List<object> _setAside = [];
    readonly System.Collections.IList? _list;
    readonly bool _reaches;
    bool _entered;

    InterruptGuard(Action interrupted)
    {
        if (OperatingSystem.IsWindows() || Registrations?.GetValue(null) is not System.Collections.IDictionary table) return;
        lock (Gate)
        {
            // Our handler first: the signal stays enabled in the runtime while the others are out.
            _own = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                context.Cancel = true;   // not the default action (ending the process) either
                interrupted();
            });
            var own = TokenField?.GetValue(_own);
            if (own is null) return;
            lock (table)   // the runtime's own lock on its table
            {
                foreach (System.Collections.DictionaryEntry entry in table)
                {
                    // Tokens compare by reference: the list holding ours is SIGINT's.
                    if (entry.Value is not System.Collections.IList list || !list.Contains(own)) continue;
                    _list = list;
                    foreach (var token in list.Cast<object>().Where(t => !ReferenceEquals(t, own)).ToList())
                    {
                        _setAside.Add(token);
                        list.Remove(token);
                    }
                }
            }
            // Last, with the host's handlers out of the way: SIGINT reaches the runtime even where it was ignored.
            _entered = true;
            _reaches = IgnoredSigInt.Enter();
        }
    }

    /// <summary>
    /// Whether SIGINT now stops the training: false where the runtime's registrations could not be
    /// reached, or where the process ignores SIGINT and the runtime's handler could not be given to it.
    /// </summary>
    public bool Active => _list is not null && _reaches;

    /// <summary>How many other SIGINT handlers were set aside (the kernel host's, in a kernel).</summary>
    public int SetAside => _setAside.Count;

    /// <summary>Makes SIGINT call <paramref name="interrupted"/> until disposed (see the class remarks).</summary>
    public static InterruptGuard Install(Action interrupted)
    {
        ArgumentNullException.ThrowIfNull(interrupted);
        return new InterruptGuard(interrupted);
    }

    /// <summary>Puts back an inherited ignore of SIGINT, then the other handlers, then removes this one.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            // The ignore first, so that no SIGINT reaches the host's handlers as they come back.
            if (_entered) IgnoredSigInt.Leave();
            _entered = false;
            if (_list is not null && Registrations?.GetValue(null) is { } table)
                lock (table)
                    foreach (var token in _setAside) _list.Add(token);
            _setAside.Clear();
            _own?.Dispose();
        }
    }
}
