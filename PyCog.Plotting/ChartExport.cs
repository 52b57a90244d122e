using System.Diagnostics;
using XPlot.Plotly;

namespace PyCog.Plotting;

/// <summary>
/// Writes charts as standalone HTML and exports them as PNG and SVG figures with plotly.js's own
/// image export in headless Chromium, offline:
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
    /// Renders the chart to a PNG of exactly <paramref name="width"/> x <paramref name="height"/>
    /// CSS pixels times <paramref name="scale"/> (see <see cref="Save"/>).
    /// </summary>
    public static void SavePng(PlotlyChart chart, string path, int width = 900, int height = 650, double scale = 1, TimeSpan? timeout = null) =>
        Save(chart, width, height, scale, timeout, (ImageFormat.Png, path));

    /// <summary>Renders the chart to an SVG of exactly <paramref name="width"/> x <paramref name="height"/> (see <see cref="Save"/>).</summary>
    public static void SaveSvg(PlotlyChart chart, string path, int width = 900, int height = 650, TimeSpan? timeout = null) =>
        Save(chart, width, height, 1, timeout, (ImageFormat.Svg, path));

    /// <summary>
    /// Renders the chart with plotly.js's own image export (<c>Plotly.toImage</c>) in headless
    /// Chromium, offline, to each (format, path): the figure alone at exactly the given size and
    /// scale, with no toolbar, scroll bar or page margin (a screenshot of the page would show
    /// them). One Chromium run makes every format. Needs a local plotly.js and a Chromium; throws
    /// <see cref="InvalidOperationException"/> saying which is missing.
    /// </summary>
    public static void Save(PlotlyChart chart, int width, int height, double scale, TimeSpan? timeout, params (ImageFormat Format, string Path)[] outputs)
    {
        if (width < 10 || height < 10 || !(scale > 0 && scale <= 10)) throw new ArgumentOutOfRangeException(nameof(width), $"A figure needs at least 10 x 10 pixels and a scale in (0, 10], got {width} x {height} at {scale}.");
        var chromium = FindChromium() ?? throw new InvalidOperationException("Figure export needs Chromium (apt-get install chromium, or set PYCOG_CHROMIUM).");
        if (FindPlotlyJs() is null) throw new InvalidOperationException("Figure export needs a local plotly.js (npm install plotly.js-dist-min, or set PYCOG_PLOTLYJS).");
        string dir = Directory.CreateTempSubdirectory("pycog-figure-").FullName;
        try
        {
            string html = Path.Combine(dir, "chart.html");
            string scaleText = scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            var calls = string.Join("\n", outputs.Select((o, i) =>
                $"out[{i}] = await Plotly.toImage(gd, {{ format: '{(o.Format == ImageFormat.Png ? "png" : "svg")}', width: {width}, height: {height}, scale: {scaleText} }});"));
            // The chart's own script plots it into a div; once plotted, export it with plotly.js and write the data URLs into the page.
            string exporter = $$"""
                <pre id="pycog-out"></pre>
                <script>
                (async () => {
                  const el = document.getElementById('pycog-out');
                  try {
                    let gd = null;
                    for (let i = 0; i < 200 && !(gd && gd._fullLayout); i++) { gd = document.querySelector('.js-plotly-plot'); await new Promise(r => setTimeout(r, 25)); }
                    if (!gd) throw new Error('the chart was not plotted');
                    const out = [];
                    {{calls}}
                    el.textContent = out.map(u => 'PYCOG-IMAGE ' + u).join(' ');
                  } catch (e) { el.textContent = 'PYCOG-ERROR ' + e; }
                })();
                </script>
                """;
            File.WriteAllText(html, Html(chart).Replace("</body>", exporter + "</body>"));
            var psi = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--no-first-run", "--disable-quic", $"--user-data-dir={Path.Combine(dir, "profile")}",
                         "--virtual-time-budget=20000", "--dump-dom", "file://" + html })
                psi.ArgumentList.Add(arg);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("Could not start Chromium.");
            var dom = p.StandardOutput.ReadToEndAsync();
            var err = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit((int)(timeout ?? TimeSpan.FromSeconds(90)).TotalMilliseconds))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException("Chromium did not finish exporting the chart in time.");
            }
            var images = System.Text.RegularExpressions.Regex.Matches(dom.Result, @"PYCOG-IMAGE (data:[^\s<]+)").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
            if (images.Count != outputs.Length)
            {
                var error = System.Text.RegularExpressions.Regex.Match(dom.Result, @"PYCOG-ERROR ([^<]*)");
                throw new InvalidOperationException($"plotly.js exported no image (Chromium exit {p.ExitCode}): {(error.Success ? error.Groups[1].Value : err.Result.Trim())}");
            }
            for (int i = 0; i < outputs.Length; i++)
            {
                string url = images[i];
                int comma = url.IndexOf(',');
                byte[] bytes = url[..comma].EndsWith(";base64", StringComparison.Ordinal)
                    ? Convert.FromBase64String(url[(comma + 1)..])
                    : System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url[(comma + 1)..]));
                PyCog.IO.AtomicFile.Write(outputs[i].Path, s => s.Write(bytes));
            }
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}

/// <summary>Figure file formats.</summary>
public enum ImageFormat
{
    /// <summary>Portable Network Graphics (raster, at the chosen scale).</summary>
    Png,
    /// <summary>Scalable Vector Graphics.</summary>
    Svg,
}
