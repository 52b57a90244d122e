using Plotly.NET;
using XPlot.Plotly;

namespace PyCog.Plotting;

/// <summary>
/// Figures of one notebook: each chart is written as <c>artifacts/notebooks/&lt;notebook&gt;/&lt;name&gt;.png</c> and <c>.svg</c>
/// (or under <c>PYCOG_ARTIFACTS</c>), so that the figures can be looked at without opening the notebook.
/// Without Chromium or a local plotly.js the PNG is skipped with a note, unless
/// <c>PYCOG_REQUIRE_PNG=1</c> (as in CI), which makes a missing PNG an error.
/// </summary>
public sealed class NotebookFigures
{
    readonly string _directory;
    readonly bool _requirePng;
    bool _warned;

    /// <summary>Figures of <paramref name="notebook"/> (its file name without extension).</summary>
    public NotebookFigures(string notebook)
    {
        if (string.IsNullOrWhiteSpace(notebook) || notebook.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"'{notebook}' is not a usable notebook name.", nameof(notebook));
        var root = Environment.GetEnvironmentVariable("PYCOG_ARTIFACTS") is { Length: > 0 } env ? env : Path.Combine(RepositoryRoot(), "artifacts", "notebooks");
        _directory = Path.Combine(root, notebook);
        _requirePng = Environment.GetEnvironmentVariable("PYCOG_REQUIRE_PNG") == "1";
    }

    /// <summary>Where the PNGs go.</summary>
    public string Directory => _directory;

    /// <summary>The PNG files written so far.</summary>
    public List<string> Written { get; } = [];

    /// <summary>
    /// Writes the chart as <paramref name="name"/>.png (300 dpi) and .svg (in millimetres) at its
    /// printed size, and returns the chart, so that a cell ending in
    /// <c>figures.Save(chart, "name")</c> also shows it (PyCog.Interactive's formatter).
    /// </summary>
    public GenericChart Save(GenericChart chart, string name)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string path = Path.Combine(_directory, name + ".png");
        Export(path, () => ChartExport.Save(chart, path, Path.ChangeExtension(path, ".svg")));
        return chart;
    }

    /// <summary>Sets the chart's size to <paramref name="widthMm"/> x <paramref name="heightMm"/> and saves it (see <see cref="Save(GenericChart, string)"/>).</summary>
    public GenericChart Save(GenericChart chart, string name, double widthMm, double heightMm) => Save(chart.WithSizeMm(widthMm, heightMm), name);

    /// <summary>
    /// Writes an XPlot.Plotly chart (one a user built in a cell) as <paramref name="name"/>.png
    /// (twice the size) and .svg, at exactly <paramref name="width"/> x <paramref name="height"/>
    /// pixels, and returns it.
    /// </summary>
    public PlotlyChart Save(PlotlyChart chart, string name, int width = 900, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string path = Path.Combine(_directory, name + ".png");
        Export(path, () => ChartExport.Save(chart, width, height, 2, null, (ImageFormat.Png, path), (ImageFormat.Svg, Path.ChangeExtension(path, ".svg"))));
        return chart;
    }

    void Export(string path, Action export)
    {
        try
        {
            export();
            Written.Add(path);
        }
        catch (InvalidOperationException e) when (!_requirePng)
        {
            // Export is a convenience on a desktop (no Chromium there is normal); the inline chart is the figure.
            if (!_warned) Console.WriteLine($"(PNG export skipped: {e.Message})");
            _warned = true;
        }
    }

    /// <summary>The folder holding PyCog.sln above the working directory (the working directory if none).</summary>
    public static string RepositoryRoot() => PyCog.IO.RepositoryFolder.Root() ?? System.IO.Directory.GetCurrentDirectory();
}
