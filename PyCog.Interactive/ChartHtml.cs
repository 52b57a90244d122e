using System.Text.RegularExpressions;
using Plotly.NET;
using PyCog.Plotting;
using XPlot.Plotly;

namespace PyCog.Interactive;

/// <summary>
/// A Plotly chart as notebook HTML: its div and a script that draws it once plotly.js is there.
/// plotly.js is loaded once per notebook page, through require.js when the page has it (the
/// notebook front ends of .NET Interactive do) and by a script tag otherwise.
/// </summary>
public static partial class ChartHtml
{
    /// <summary>
    /// Where plotly.js is loaded from: the version of the offline copy used for figure export
    /// (package.json). Point it elsewhere (a mirror, a local server) on a machine without internet.
    /// </summary>
    public static string PlotlySource { get; set; } = "https://cdn.plot.ly/plotly-2.35.2.min";

    /// <summary>A Plotly.NET chart's HTML at its own size; each call gets its own element id, so a chart can be shown twice.</summary>
    public static string Render(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string id = NewId();
        var (width, height) = PaperStyle.SizeOf(chart);
        string draw = $"var f = {ChartExport.FigureJson(chart)}; Plotly.newPlot('{id}', f.data, f.layout, {{ displaylogo: false, responsive: false }});";
        return Loader(id, $"width: {width}px; height: {height}px;", draw);
    }

    /// <summary>An XPlot.Plotly chart's HTML (a chart a user built in a cell); each call gets its own element id.</summary>
    public static string Render(PlotlyChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string inline = chart.GetInlineHtml();
        string id = NewId();
        var div = DivPattern().Match(inline);
        var script = ScriptPattern().Match(inline);
        if (!div.Success || !script.Success) throw new InvalidOperationException("XPlot.Plotly's inline HTML changed shape: no chart div or script found.");
        string draw = script.Groups[1].Value.Replace("'" + div.Groups[1].Value + "'", "'" + id + "'");
        return Loader(id, div.Groups[2].Value, draw);
    }

    static string NewId() => "pycog-" + Guid.NewGuid().ToString("N");

    /// <summary>A div and the script that loads plotly.js once per page and then runs <paramref name="draw"/>.</summary>
    static string Loader(string id, string style, string draw) =>
        $$"""
            <div id="{{id}}" style="{{style}}"></div>
            <script type="text/javascript">
            (function () {
              var draw = function (Plotly) { {{draw}} };
              if (window.Plotly) { draw(window.Plotly); return; }
              if (typeof window.require === 'function' && window.require.config) {
                window.require.config({ paths: { plotly: '{{PlotlySource}}' } });
                window.require(['plotly'], function (Plotly) { window.Plotly = Plotly; draw(Plotly); });
                return;
              }
              window.pycogPlotly = window.pycogPlotly || new Promise(function (resolve, reject) {
                var s = document.createElement('script');
                s.src = '{{PlotlySource}}.js'; s.onload = function () { resolve(window.Plotly); }; s.onerror = reject;
                document.head.appendChild(s);
              });
              window.pycogPlotly.then(draw);
            })();
            </script>
            """;

    [GeneratedRegex("<div id=\"([^\"]+)\" style=\"([^\"]*)\"")]
    private static partial Regex DivPattern();

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptPattern();
}
