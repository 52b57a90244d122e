// Packs the library into the local feed ../packages when its sources changed, so that the next
// cell's `#r "nuget: PyCog.Interactive, *-*"` loads the library as it is now. Each pack gets a new
// version (0.1.0-local.<date>.<time>): the kernel caches packages by version, and a repacked
// version would be served stale. A few seconds when nothing changed. First cell of every notebook.
using System.Diagnostics;
using System.IO;
using System.Linq;

static class PyCogSetup
{
    static readonly string[] Projects = ["PyCog.Core", "PyCog.Sweeps", "PyCog.Plotting", "PyCog.Torch", "PyCog.Interactive"];

    public static void PackIfChanged()
    {
        string root = Path.GetFullPath("..");
        if (!File.Exists(Path.Combine(root, "PyCog.Packages.slnf")))
            throw new Exception($"Run the notebooks from the repository's notebooks/ folder (found no PyCog.Packages.slnf in {root}).");
        var feed = Path.Combine(root, "packages");
        var sources = Projects.SelectMany(p => Directory.EnumerateFiles(Path.Combine(root, p), "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Append(Path.Combine(root, "Directory.Build.props"));
        var newestSource = sources.Max(File.GetLastWriteTimeUtc);
        var newestPackage = Directory.EnumerateFiles(feed, "PyCog.Interactive.*.nupkg").Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.MinValue).Max();
        if (newestPackage >= newestSource) return;
        var now = DateTime.UtcNow;
        string version = $"0.1.0-local.{now:yyyyMMdd}.{int.Parse(now.ToString("HHmmss"))}";
        var pack = new ProcessStartInfo("dotnet", $"pack \"{Path.Combine(root, "PyCog.Packages.slnf")}\" -c Release -nologo -v q -o \"{feed}\" -p:Version={version}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(pack)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new Exception("Packing PyCog failed (dotnet pack PyCog.Packages.slnf):\n" + output.Result + errors.Result);
        Console.WriteLine($"Packed PyCog {version} into packages/.");
    }
}

PyCogSetup.PackIfChanged();
