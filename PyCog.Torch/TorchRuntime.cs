using TorchSharp;

namespace PyCog.Torch;

/// <summary>Loads TorchSharp's native libraries once, turning a load failure into a clear message.</summary>
public static class TorchRuntime
{
    static readonly Lazy<Exception?> Failure = new(() =>
    {
        try { using var t = torch.ones(1); return null; }
        catch (Exception e) { return e; }
    });

    /// <summary>Throws <see cref="InvalidOperationException"/> when libtorch cannot be loaded.</summary>
    public static void EnsureLoaded()
    {
        if (Failure.Value is { } e)
            throw new InvalidOperationException(
                "The torch engine needs TorchSharp's native libraries, which did not load: " + (e.InnerException?.Message ?? e.Message) +
                " Build the project with 'dotnet build' (it patches libLibTorchSharp.so for Debian 12's libstdc++, see build/TorchSharpLinuxFix.targets) or use --engine fused.", e);
    }
}
