using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace PyCog.Plotting;

/// <summary>
/// Lets Plotly.NET load in a process that already holds an older FSharp.Core. Plotly.NET 6.0.0 is
/// built against FSharp.Core 10.1.0.0, while the .NET Interactive kernels (dotnet-interactive
/// 1.0.712001, dotnet-repl 0.3.259) load their own FSharp.Core 10.0.0.0 at start for the F#
/// kernel; the default load context cannot load a second one, and Plotly.NET then fails with
/// <c>FileNotFoundException: Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'</c>.
/// The API Plotly.NET uses exists in both, so the request is answered with the loaded assembly.
/// </summary>
static class FSharpCoreBinding
{
    /// <summary>Runs when this assembly is first used, before any Plotly.NET type is touched.</summary>
#pragma warning disable CA2255 // A library's module initializer is the point here: it must run before Plotly.NET loads, whoever calls first.
    [ModuleInitializer]
    internal static void Register()
    {
        var needed = Needed();
        var loaded = Loaded();
        if (needed is not null && loaded is not null && ShouldRedirect(loaded.GetName().Version, needed))
            AssemblyLoadContext.Default.Resolving += (_, name) => Resolve(name, Loaded());
    }
#pragma warning restore CA2255

    /// <summary>The FSharp.Core version this assembly was built against (through Plotly.NET).</summary>
    internal static Version? Needed() => typeof(FSharpCoreBinding).Assembly.GetReferencedAssemblies()
        .FirstOrDefault(a => a.Name == "FSharp.Core")?.Version ?? new Version(10, 1, 0, 0);

    static Assembly? Loaded() => AppDomain.CurrentDomain.GetAssemblies()
        .Where(a => a.GetName().Name == "FSharp.Core").MaxBy(a => a.GetName().Version);

    /// <summary>Redirect only when the loaded FSharp.Core is older than the one needed, and of the same major version.</summary>
    internal static bool ShouldRedirect(Version? loaded, Version needed) =>
        loaded is not null && loaded < needed && loaded.Major == needed.Major;

    /// <summary>The loaded FSharp.Core for a request of FSharp.Core that failed; null for anything else.</summary>
    internal static Assembly? Resolve(AssemblyName request, Assembly? loaded) =>
        request.Name == "FSharp.Core" && loaded is not null && request.Version is { } v && ShouldRedirect(loaded.GetName().Version, v) ? loaded : null;
}
