namespace PyCog.Training;

/// <summary>
/// An exclusive lock on a checkpoint while a trainer writes it: the file <c>FILE.lock</c>, held
/// open without sharing (an advisory <c>flock</c> on Linux and macOS, a share lock on Windows)
/// and holding the owner's process id and host. The operating system releases it when the
/// process ends, however it ends, so a killed run never leaves a stale lock. The lock file itself
/// stays (removing it would let a waiting process lock a file that no longer has that name).
/// </summary>
public sealed class CheckpointLock : IDisposable
{
    readonly FileStream _stream;

    CheckpointLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock of <paramref name="checkpoint"/> or throws, naming the process that holds it.</summary>
    public static CheckpointLock Acquire(string checkpoint)
    {
        string full = Path.GetFullPath(checkpoint);
        if (Directory.Exists(full)) throw new IOException($"{checkpoint} is a directory, not a checkpoint file.");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string path = full + ".lock";
        FileStream stream;
        try { stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException)
        {
            string holder = "another process";
            try
            {
                using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var text = new StreamReader(reader);
                holder = text.ReadToEnd().Trim() is { Length: > 0 } h ? h : holder;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            throw new IOException($"{checkpoint} is being trained by {holder}; wait for it to finish or choose another output file.");
        }
        stream.SetLength(0);
        using (var writer = new StreamWriter(stream, leaveOpen: true))
            writer.Write($"process {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
        stream.Flush();
        return new CheckpointLock(stream);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();
}
