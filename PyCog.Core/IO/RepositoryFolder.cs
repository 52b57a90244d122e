namespace PyCog.IO;

/// <summary>
/// Finds a folder of this repository (data/, node_modules/ ...) by walking up from the working
/// directory and then from the binaries' folder: notebooks run from notebooks/, the command line
/// from anywhere, tests from their bin/ folder.
/// </summary>
public static class RepositoryFolder
{
    /// <summary>
    /// The first folder, walking up, that holds <paramref name="relativePath"/> (a file or a folder),
    /// or null when none does.
    /// </summary>
    public static string? FindHolding(string relativePath)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate) || Directory.Exists(candidate)) return dir.FullName;
            }
        return null;
    }

    /// <summary>The repository root (the folder holding PyCog.sln), or null outside a checkout.</summary>
    public static string? Root() => FindHolding("PyCog.sln");
}
