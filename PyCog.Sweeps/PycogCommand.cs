namespace PyCog.Sweeps;

/// <summary>
/// How to start the <c>pycog</c> command line: every run of a sweep is an ordinary
/// <c>pycog train</c> in a process of its own (so that it can be stopped, resumed and scheduled
/// like any other), here or on a Slurm node.
/// </summary>
/// <param name="Program">The executable (the pycog apphost, or dotnet).</param>
/// <param name="Prefix">Arguments before pycog's own (pycog.dll when run through dotnet).</param>
public sealed record PycogCommand(string Program, IReadOnlyList<string> Prefix)
{
    /// <summary>The process that is running now, when it is pycog itself (what the command line uses).</summary>
    public static PycogCommand CurrentProcess()
    {
        string process = Environment.ProcessPath ?? "dotnet";
        string dll = Path.Combine(AppContext.BaseDirectory, "pycog.dll");
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? new(process, [dll]) : new(process, []);
    }

    /// <summary>
    /// The <c>pycog</c> installed as a .NET tool (on PATH), for a notebook; a clear error names the
    /// install command when there is none.
    /// </summary>
    public static PycogCommand OnPath() =>
        FindOnPath("pycog") is { } path ? new(path, [])
        : throw new InvalidOperationException("pycog is not on PATH; install it with 'dotnet tool install --global --add-source packages PyCog.Cli'.");

    /// <summary>The full argument list for pycog arguments <paramref name="arguments"/>.</summary>
    public IReadOnlyList<string> With(IEnumerable<string> arguments) => [.. Prefix, .. arguments];

    /// <summary>A program's full path from PATH, or null.</summary>
    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
