using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using PyCog.Torch.Native;
using TorchSharp;

namespace PyCog.Torch;

/// <summary>
/// Loads TorchSharp's native libraries once, at run time, wherever the assemblies come from (a
/// build output, a published app, or the NuGet cache inside a notebook kernel), turning a load
/// failure into a clear message. On Linux distributions whose libstdc++ predates GCC 13 (Debian
/// 12), libLibTorchSharp.so asks for a symbol version the system lacks; before TorchSharp first
/// loads, a copy of it with that need marked weak is made in a private cache folder, next to links
/// to libtorch's files, and loaded by full path, so TorchSharp finds it already loaded. Nothing in
/// the NuGet cache or the build output is edited.
/// </summary>
public static class TorchRuntime
{
    static readonly Lazy<Exception?> Failure = new(() =>
    {
        try
        {
            PrepareLinuxNativeLibraries();
            using var t = torch.ones(1);
            return null;
        }
        catch (Exception e) { return e; }
    });

    /// <summary>Throws <see cref="InvalidOperationException"/> when libtorch cannot be loaded.</summary>
    public static void EnsureLoaded()
    {
        if (Failure.Value is { } e)
            throw new InvalidOperationException(
                "The torch engine needs TorchSharp's native libraries, which did not load: " + (e.InnerException?.Message ?? e.Message) +
                " Use --engine fused, or see the README's TorchSharp section.", e);
    }

    static void PrepareLinuxNativeLibraries()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        var folders = Candidates(typeof(torch).Assembly.Location).ToList();
        var wrapper = folders.Select(d => Path.Combine(d, "libLibTorchSharp.so")).FirstOrDefault(File.Exists);
        if (wrapper is null) return;   // TorchSharp's own search reports what is missing
        byte[] elf = File.ReadAllBytes(wrapper);
        var missing = ElfVersionNeeds.Read(elf).Where(n => !n.Weak && n.Name.StartsWith("GLIBCXX_", StringComparison.Ordinal) && !HostProvides(n.Name))
            .Select(n => n.Name).ToHashSet();
        if (missing.Count == 0) return;
        var libtorch = folders.Append(Path.GetDirectoryName(wrapper)!).Concat(NuGetLibTorch())
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "libtorch_cpu.so")))
            ?? throw new DllNotFoundException("libtorch_cpu.so was not found beside TorchSharp or in the NuGet cache (package libtorch-cpu-linux-x64).");

        // A folder per (wrapper, libtorch) pair: the patched wrapper and links to libtorch's files,
        // so that the wrapper's $ORIGIN search finds this libtorch and never a system one.
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(wrapper + "|" + File.GetLastWriteTimeUtc(wrapper).Ticks + "|" + libtorch)))[..16];
        string folder = Path.Combine(CacheRoot(), "torchsharp-" + key);
        string patched = Path.Combine(folder, "libLibTorchSharp.so");
        if (!File.Exists(patched))
        {
            Directory.CreateDirectory(folder);
            foreach (var file in Directory.EnumerateFiles(libtorch, "*.so*"))
            {
                string link = Path.Combine(folder, Path.GetFileName(file));
                if (Path.GetFileName(file) != "libLibTorchSharp.so" && !File.Exists(link)) File.CreateSymbolicLink(link, file);
            }
            ElfVersionNeeds.Weaken(elf, missing);
            string temp = patched + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(temp, elf);
            File.Move(temp, patched, overwrite: true);   // atomic: a concurrent process sees all or nothing
        }
        NativeLibrary.Load(Path.Combine(libtorch, "libtorch_cpu.so"));
        NativeLibrary.Load(patched);
    }

    /// <summary>Folders where a build output, a published app or a NuGet package keeps TorchSharp's native files.</summary>
    static IEnumerable<string> Candidates(string torchSharpAssembly)
    {
        string native = Path.Combine("runtimes", "linux-x64", "native");
        yield return Path.Combine(AppContext.BaseDirectory, native);
        yield return AppContext.BaseDirectory;
        if (Path.GetDirectoryName(torchSharpAssembly) is { Length: > 0 } dir)
        {
            yield return Path.Combine(dir, native);
            yield return dir;
            yield return Path.GetFullPath(Path.Combine(dir, "..", "..", native));   // NuGet: lib/net6.0/ beside runtimes/
        }
    }

    static IEnumerable<string> NuGetLibTorch()
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string package = Path.Combine(root, "libtorch-cpu-linux-x64");
        if (!Directory.Exists(package)) return [];
        return Directory.GetDirectories(package).OrderByDescending(d => d, StringComparer.Ordinal)
            .Select(d => Path.Combine(d, "runtimes", "linux-x64", "native"));
    }

    /// <summary>True when the libstdc++ this process loaded defines <paramref name="version"/>.</summary>
    static bool HostProvides(string version)
    {
        var lib = File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && f[5].Contains("libstdc++", StringComparison.Ordinal)).Select(f => f[5]).FirstOrDefault()
            ?? new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib64/libstdc++.so.6" }.FirstOrDefault(File.Exists);
        if (lib is null) return false;
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        return File.ReadAllBytes(lib).AsSpan().IndexOf(needle) >= 0;
    }

    static string CacheRoot() =>
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "pycog")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "pycog");
}
