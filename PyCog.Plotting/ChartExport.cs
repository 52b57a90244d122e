using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Plotly.NET;
using XPlot.Plotly;

namespace PyCog.Plotting;

/// <summary>
/// Writes charts (Plotly.NET's, and XPlot.Plotly's that users write in their own cells) as
/// standalone HTML and exports them as PNG and SVG figures with plotly.js's own image export in
/// headless Chromium, offline. (Plotly.NET.ImageExport 7.0.0 drives a browser that PuppeteerSharp
/// downloads on first use, which an offline machine cannot do; this uses the local Chromium.)
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
    public static string Html(GenericChart chart) => Page(Body(chart));

    /// <summary>A standalone HTML page for an XPlot.Plotly chart, with plotly.js embedded when a local copy exists.</summary>
    public static string Html(PlotlyChart chart) => Page(chart.GetInlineHtml());

    static string Page(string body)
    {
        var js = FindPlotlyJs();
        string script = js is null ? "<script src=\"https://cdn.plot.ly/plotly-2.35.2.min.js\"></script>" : $"<script>{File.ReadAllText(js)}</script>";
        return $"<!DOCTYPE html><html><head><meta charset=\"utf-8\">{script}</head><body style=\"margin:0;background:white\">{body}</body></html>";
    }

    /// <summary>The chart's figure as JSON: <c>{"data": [...], "layout": {...}}</c>, what <c>Plotly.newPlot</c> takes.</summary>
    public static string FigureJson(GenericChart chart) => GenericChart.toFigureJson(chart);

    static string Body(GenericChart chart) =>
        $"<div id=\"pycog-figure\"></div><script>(function () {{ var f = {FigureJson(chart)}; Plotly.newPlot('pycog-figure', f.data, f.layout, {{ displayModeBar: false }}); }})();</script>";

    /// <summary>
    /// Writes the chart at its own size (<see cref="PaperStyle.WithSizeMm"/>) to each path, by its
    /// extension: <c>.png</c> at 300 dpi (recorded in the file, so it opens at the printed size) and
    /// <c>.svg</c> with its width and height in millimetres. One Chromium run makes every file.
    /// </summary>
    public static void Save(GenericChart chart, params string[] paths)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var (width, height) = PaperStyle.SizeOf(chart);
        var outputs = paths.Select(p => (Path.GetExtension(p).ToLowerInvariant() switch
        {
            ".png" => ImageFormat.Png,
            ".svg" => ImageFormat.Svg,
            _ => throw new ArgumentException($"A figure is written as .png or .svg, not '{Path.GetExtension(p)}' ({p}).", nameof(paths)),
        }, p)).ToArray();
        Render(Body(chart), width, height, PaperStyle.PngDpi / 96, null, outputs, (format, bytes) => format == ImageFormat.Png
            ? WithDpi(bytes, PaperStyle.PngDpi)
            : System.Text.Encoding.UTF8.GetBytes(InMillimetres(System.Text.Encoding.UTF8.GetString(bytes), width, height)));
    }

    /// <summary>The SVG with its outer width and height in millimetres and a view box in pixels, so that it places at its printed size.</summary>
    internal static string InMillimetres(string svg, int width, int height)
    {
        string mm(int px) => PaperStyle.Millimetres(px).ToString("0.##", CultureInfo.InvariantCulture) + "mm";
        var root = Regex.Match(svg, "<svg[^>]*>");
        if (!root.Success) throw new InvalidOperationException("plotly.js exported an SVG without a root element.");
        string tag = Regex.Replace(root.Value, "\\swidth=\"[^\"]*\"", $" width=\"{mm(width)}\"");
        tag = Regex.Replace(tag, "\\sheight=\"[^\"]*\"", $" height=\"{mm(height)}\"");
        if (!tag.Contains("viewBox", StringComparison.Ordinal)) tag = tag.Replace("<svg", $"<svg viewBox=\"0 0 {width} {height}\"");
        return svg[..root.Index] + tag + svg[(root.Index + root.Length)..];
    }

    /// <summary>The PNG with a pHYs chunk giving its resolution, inserted after the header chunk (replacing one that is there).</summary>
    internal static byte[] WithDpi(byte[] png, double dpi)
    {
        const int headerEnd = 8 + 25;   // signature, then IHDR: length, type, 13 bytes of data, CRC
        if (png.Length < headerEnd || png[12] != 'I' || png[13] != 'H') throw new InvalidOperationException("Not a PNG file.");
        var chunks = new List<byte[]>();
        int at = headerEnd;
        while (at + 8 <= png.Length)
        {
            int length = png[at] << 24 | png[at + 1] << 16 | png[at + 2] << 8 | png[at + 3];
            bool phys = png[at + 4] == 'p' && png[at + 5] == 'H' && png[at + 6] == 'Y' && png[at + 7] == 's';
            if (!phys) chunks.Add(png[at..(at + 12 + length)]);
            at += 12 + length;
        }
        uint perMetre = (uint)Math.Round(dpi / 0.0254);
        var data = new byte[] { (byte)'p', (byte)'H', (byte)'Y', (byte)'s', 0, 0, 0, 0, 0, 0, 0, 0, 1 };
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), perMetre);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8), perMetre);
        var chunk = new byte[4 + data.Length + 4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(chunk, 9);
        data.CopyTo(chunk, 4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(4 + data.Length), System.IO.Hashing.Crc32.HashToUInt32(data));
        return [.. png[..headerEnd], .. chunk, .. chunks.SelectMany(c => c)];
    }

    /// <summary>The Chromium executable to use, or null (PYCOG_CHROMIUM, then /usr/bin/chromium and chromium-browser).</summary>
    public static string? FindChromium()
    {
        var env = Environment.GetEnvironmentVariable("PYCOG_CHROMIUM");
        if (!string.IsNullOrEmpty(env) && File.Exists(env)) return env;
        return new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Renders an XPlot.Plotly chart to a PNG of exactly <paramref name="width"/> x <paramref name="height"/>
    /// CSS pixels times <paramref name="scale"/>.
    /// </summary>
    public static void SavePng(PlotlyChart chart, string path, int width = 900, int height = 650, double scale = 1, TimeSpan? timeout = null) =>
        Save(chart, width, height, scale, timeout, (ImageFormat.Png, path));

    /// <summary>Renders an XPlot.Plotly chart to an SVG of exactly <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static void SaveSvg(PlotlyChart chart, string path, int width = 900, int height = 650, TimeSpan? timeout = null) =>
        Save(chart, width, height, 1, timeout, (ImageFormat.Svg, path));

    /// <summary>
    /// Renders an XPlot.Plotly chart with plotly.js's own image export (<c>Plotly.toImage</c>) in headless
    /// Chromium, offline, to each (format, path): the figure alone at exactly the given size and
    /// scale, with no toolbar, scroll bar or page margin (a screenshot of the page would show
    /// them). One Chromium run makes every format. Needs a local plotly.js and a Chromium; throws
    /// <see cref="InvalidOperationException"/> saying which is missing.
    /// </summary>
    public static void Save(PlotlyChart chart, int width, int height, double scale, TimeSpan? timeout, params (ImageFormat Format, string Path)[] outputs)
    {
        ArgumentNullException.ThrowIfNull(chart);
        Render(chart.GetInlineHtml(), width, height, scale, timeout, outputs);
    }

    /// <summary>Renders <paramref name="body"/> once and writes each output, through <paramref name="finish"/> when given (a figure's dpi or millimetres).</summary>
    static void Render(string body, int width, int height, double scale, TimeSpan? timeout, (ImageFormat Format, string Path)[] outputs,
        Func<ImageFormat, byte[], byte[]>? finish = null)
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
            File.WriteAllText(html, Page(body + exporter));
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
                if (finish is not null) bytes = finish(outputs[i].Format, bytes);
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
