using System.Diagnostics;
using XPlot.Plotly;

namespace PyCog.Plotting;

/// <summary>
/// Writes charts as standalone HTML and renders them to PNG with headless Chromium, offline:
/// plotly.js is embedded from a local copy (the npm package <c>plotly.js-dist-min</c>), found
/// through the <c>PYCOG_PLOTLYJS</c> variable or a <c>node_modules</c> folder above the working
/// directory; without one the page loads plotly.js from its CDN (fine on a machine with internet).
/// </summary>
public static class ChartExport
{
    /// <summary>The local plotly.min.js, or null.</summary>
    public static string? FindPlotlyJs()
    {
        var env = Environment.GetEnvironmentVariable("PYCOG_PLOTLYJS");
        if (!string.IsNullOrEmpty(env) && File.Exists(env)) return env;
        const string relative = "node_modules/plotly.js-dist-min/plotly.min.js";
        return PyCog.IO.RepositoryFolder.FindHolding(relative) is { } root ? Path.Combine(root, relative) : null;
    }

    /// <summary>A standalone HTML page for the chart, with plotly.js embedded when a local copy exists.</summary>
    public static string Html(PlotlyChart chart)
    {
        var js = FindPlotlyJs();
        string script = js is null ? "<script src=\"https://cdn.plot.ly/plotly-latest.min.js\"></script>" : $"<script>{File.ReadAllText(js)}</script>";
        return $"<!DOCTYPE html><html><head><meta charset=\"utf-8\">{script}</head><body style=\"margin:0;background:white\">{chart.GetInlineHtml()}</body></html>";
    }

    /// <summary>The Chromium executable to use, or null (PYCOG_CHROMIUM, then /usr/bin/chromium and chromium-browser).</summary>
    public static string? FindChromium()
    {
        var env = Environment.GetEnvironmentVariable("PYCOG_CHROMIUM");
        if (!string.IsNullOrEmpty(env) && File.Exists(env)) return env;
        return new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Renders the chart to a PNG with headless Chromium (no network, a fresh profile). Needs a
    /// local plotly.js and a Chromium; throws <see cref="InvalidOperationException"/> saying which is missing.
    /// </summary>
    public static void SavePng(PlotlyChart chart, string path, int width = 900, int height = 650, TimeSpan? timeout = null)
    {
        var chromium = FindChromium() ?? throw new InvalidOperationException("PNG export needs Chromium (apt-get install chromium, or set PYCOG_CHROMIUM).");
        if (FindPlotlyJs() is null) throw new InvalidOperationException("PNG export needs a local plotly.js (npm install plotly.js-dist-min, or set PYCOG_PLOTLYJS).");
        string dir = Directory.CreateTempSubdirectory("pycog-png-").FullName;
        try
        {
            string html = Path.Combine(dir, "chart.html");
            File.WriteAllText(html, Html(chart));
            string output = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            var psi = new ProcessStartInfo(chromium)
            {
                RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            };
            foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--no-first-run", "--disable-quic", $"--user-data-dir={Path.Combine(dir, "profile")}",
                         $"--screenshot={output}", $"--window-size={width},{height}", "--virtual-time-budget=5000", "file://" + html })
                psi.ArgumentList.Add(arg);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("Could not start Chromium.");
            p.StandardOutput.ReadToEndAsync();
            var err = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit((int)(timeout ?? TimeSpan.FromSeconds(60)).TotalMilliseconds))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException("Chromium did not finish rendering the chart in time.");
            }
            if (!File.Exists(output)) throw new InvalidOperationException($"Chromium wrote no PNG (exit {p.ExitCode}): {err.Result}");
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
