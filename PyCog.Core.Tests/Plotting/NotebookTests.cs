using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PyCog.Plotting;
using Xunit;

namespace PyCog.Tests.Plotting;

/// <summary>
/// The notebooks reference the library's packages by version in their first cells; these tests keep
/// those versions equal to the projects' and each notebook's figures in a folder named after it.
/// (CI executes the notebooks themselves with .ci/notebooks.)
/// </summary>
public class NotebookTests
{
    static readonly string Root = FindRoot();

    static string FindRoot() => PyCog.IO.RepositoryFolder.Root() ?? throw new DirectoryNotFoundException("PyCog.sln not found above the test binaries.");

    static IEnumerable<string> Notebooks() => Directory.GetFiles(Path.Combine(Root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal);

    static List<(string Kind, string Source)> Cells(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cells").EnumerateArray().Select(c =>
        {
            var src = c.GetProperty("source");
            string text = src.ValueKind == JsonValueKind.Array ? string.Concat(src.EnumerateArray().Select(l => l.GetString())) : src.GetString() ?? "";
            return (c.GetProperty("cell_type").GetString() ?? "", text);
        }).ToList();
    }

    [Fact]
    public void EveryPaperNotebookExists()
    {
        var names = Notebooks().Select(Path.GetFileNameWithoutExtension).ToList();
        foreach (var expected in new[] { "00-getting-started", "01-decision-making", "02-connectivity", "03-context-dependent-integration", "04-context-areas",
                     "05-multisensory", "06-working-memory", "07-sequences", "08-training-curves", "09-explore-noise", "10-sinewave" })
            Assert.Contains(expected, names);
    }

    [Fact]
    public void NotebooksReferenceTheLibraryAsPackagesAndShowFiguresWithoutBoilerplate()
    {
        // One `#r "nuget: PyCog.*, *-*"` (the newest local pack), other packages only at the projects'
        // versions, no bin/ paths, and no display(HTML(...)): the formatters display charts.
        var versions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var project in new[] { "PyCog.Core/PyCog.Core.csproj", "PyCog.Plotting/PyCog.Plotting.csproj", "PyCog.Torch/PyCog.Torch.csproj" })
            foreach (var reference in XDocument.Load(Path.Combine(Root, project)).Descendants("PackageReference"))
                versions[(string)reference.Attribute("Include")!] = (string)reference.Attribute("Version")!;
        var nuget = new Regex("#r \"nuget: *([^,\"]+), *([^\"]+)\"");
        foreach (var path in Notebooks())
        {
            string name = Path.GetFileName(path);
            var code = Cells(path).Where(c => c.Kind == "code").Select(c => c.Source).ToList();
            var matches = code.SelectMany(c => nuget.Matches(c)).ToList();
            Assert.Contains(matches, m => m.Groups[1].Value == "PyCog.Interactive" && m.Groups[2].Value == "*-*");
            foreach (Match m in matches.Where(m => !m.Groups[1].Value.StartsWith("PyCog.", StringComparison.Ordinal)))
            {
                Assert.True(versions.TryGetValue(m.Groups[1].Value, out var version), $"{name} references {m.Groups[1].Value}, which no project uses.");
                Assert.True(version == m.Groups[2].Value, $"{name} references {m.Groups[1].Value} {m.Groups[2].Value}; the projects use {version}.");
            }
            Assert.DoesNotContain(code, c => c.Contains("/bin/", StringComparison.Ordinal) || c.Contains("display(HTML(", StringComparison.Ordinal));
            // dotnet-repl 0.3.259 hangs on a directive line that carries a comment.
            Assert.DoesNotContain(code.SelectMany(c => c.Split('\n')), l => l.StartsWith('#') && l.Contains("//", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void EachNotebookBuildsFirstAndWritesFiguresUnderItsOwnName()
    {
        foreach (var path in Notebooks())
        {
            string name = Path.GetFileNameWithoutExtension(path);
            var code = Cells(path).Where(c => c.Kind == "code").Select(c => c.Source).ToList();
            Assert.True(code.Count > 2 && code[0].Trim() == "#load \"setup.csx\"", $"{name}: the first code cell must be #load \"setup.csx\".");
            Assert.Contains(code, c => c.Contains($"new NotebookFigures(\"{name}\")", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void FiguresGoUnderTheArtifactsVariable()
    {
        var dir = Directory.CreateTempSubdirectory("pycog-artifacts-").FullName;
        var previous = Environment.GetEnvironmentVariable("PYCOG_ARTIFACTS");
        try
        {
            Environment.SetEnvironmentVariable("PYCOG_ARTIFACTS", dir);
            Assert.Equal(Path.Combine(dir, "01-decision-making"), new NotebookFigures("01-decision-making").Directory);
            Assert.Throws<ArgumentException>(() => new NotebookFigures("a/b"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PYCOG_ARTIFACTS", previous);
            Directory.Delete(dir, recursive: true);
        }
    }
}
