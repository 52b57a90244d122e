namespace PyCog.Training;

/// <summary>
/// An exclusive lock on a checkpoint while a trainer writes it: the file <c>FILE.lock</c>, held
/// open without sharing (an advisory <c>flock</c> on Linux and macOS, a share lock on Windows),
/// with the owner's process id and host in <c>FILE.owner</c> for the message a second trainer gets. The operating system releases it when the
/// process ends, however it ends, so a killed run never leaves a stale lock. The lock file itself
/// stays (removing it would let a waiting process lock a file that no longer has that name).
/// </summary>
public sealed class CheckpointLock : IDisposable
{
    readonly FileStream _stream;
    readonly string _owner;

    CheckpointLock(FileStream stream, string owner) { _stream = stream; _owner = owner; }

    /// <summary>Takes the lock of <paramref name="checkpoint"/> or throws, naming the process that holds it.</summary>
    public static CheckpointLock Acquire(string checkpoint)
    {
        string full = Path.GetFullPath(checkpoint);
        if (Directory.Exists(full)) throw new IOException($"{checkpoint} is a directory, not a checkpoint file.");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string path = full + ".lock", owner = full + ".owner";
        FileStream stream;
        try { stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException)
        {
            // The holder's description sits beside the lock: a locked file cannot be read on Linux.
            string holder = "another process";
            try { holder = File.ReadAllText(owner).Trim() is { Length: > 0 } h ? h : holder; }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            throw new IOException($"{checkpoint} is being trained by {holder}; wait for it to finish or choose another output file.");
        }
        IO.AtomicFile.Write(owner, s =>
        {
            using var writer = new StreamWriter(s, leaveOpen: true);
            writer.Write($"process {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
        });
        return new CheckpointLock(stream, owner);
    }

    /// <summary>Releases the lock (the owner's description goes; the lock file stays).</summary>
    public void Dispose()
    {
        try { File.Delete(_owner); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        _stream.Dispose();
    }
}
