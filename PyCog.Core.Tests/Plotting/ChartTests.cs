using PyCog.Analysis;
using PyCog.Network;
using PyCog.Numerics;
using PyCog.Plotting;
using Xunit;

namespace PyCog.Tests.Plotting;

static class ChartJson
{
    /// <summary>The figure JSON plotly.js draws (data and layout).</summary>
    public static string Json(this Plotly.NET.GenericChart chart) => ChartExport.FigureJson(chart);
}

public class ChartTests
{
    static IReadOnlyList<PsychometricPoint> Points() =>
        new[] { -16.0, -4, -1, 1, 4, 16 }.Select(x => new PsychometricPoint(x, 100, MathNet.Numerics.Distributions.Normal.CDF(0, 5, x))).ToList();

    [Fact]
    public void PsychometricChartCarriesTheDataAndTheFit()
    {
        var points = Points();
        var fit = Psychometric.FitCumulativeGaussian(points);
        var html = Charts.Psychometric([("model", points, fit)]).Json();
        Assert.Contains("\"x\":[-16.0,-4.0,-1.0,1.0,4.0,16.0]", html);
        Assert.Contains("model fit", html);
        Assert.Contains("Psychometric function", html);
    }

    [Fact]
    public void WeightMatricesPutExcitatoryUnitsFirstWithBlueForPositive()
    {
        var ei = new[] { -1, 1, 1 };
        var w = Matrix.FromFunction(3, 3, (i, j) => ei[j] * (1 + i + j));
        var html = Charts.WeightMatrix(w, ei, "Wrec").Json();
        // rows and columns reordered E (1, 2) then I (0): first row is unit 1 -> [w(1,1), w(1,2), w(1,0)] = [3, 4, -2]
        Assert.Contains("\"z\":[[3.0,4.0,-2.0]", html);
        Assert.Contains("#1f77b4", html); // blue at the positive end
    }

    [Fact]
    public void ChartsExportToStandaloneHtmlWithLocalPlotlyWhenAvailable()
    {
        var html = ChartExport.Html(Charts.Chronometric([new ChronometricPoint(1, 10, 500, 20), new ChronometricPoint(16, 10, 250, 10)]));
        Assert.StartsWith("<!DOCTYPE html>", html);
        if (ChartExport.FindPlotlyJs() is not null) Assert.DoesNotContain("<script src=\"https://cdn.plot.ly", html);
    }

    static bool CanExport => ChartExport.FindChromium() is not null && ChartExport.FindPlotlyJs() is not null;

    static (int Width, int Height) PngSize(byte[] png) =>
        // PNG header: width and height, big-endian, at bytes 16-23 of the IHDR chunk
        (png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19], png[20] << 24 | png[21] << 16 | png[22] << 8 | png[23]);

    [Fact]
    public void PngExportRendersThePlotOffline()
    {
        if (!CanExport)
        {
            Assert.Throws<InvalidOperationException>(() => ChartExport.Save(Charts.Psychometric([("m", Points(), null)]), Path.GetTempFileName() + ".png"));
            return;
        }
        string path = Path.Combine(Path.GetTempPath(), $"pycog-chart-{Guid.NewGuid():N}.png");
        string blank = Path.Combine(Path.GetTempPath(), $"pycog-blank-{Guid.NewGuid():N}.png");
        try
        {
            var points = Points();
            ChartExport.Save(Charts.Psychometric([("model", points, Psychometric.FitCumulativeGaussian(points))]), path);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            // an empty chart of the same size renders axes only; the real one must carry more ink
            ChartExport.Save(Charts.Lines([("none", [], [])], "", "signed coherence (%)", "fraction choice 1"), blank);
            Assert.Equal(PngSize(bytes), PngSize(File.ReadAllBytes(blank)));
            Assert.True(bytes.Length > File.ReadAllBytes(blank).Length + 2000, $"chart PNG {bytes.Length} bytes vs empty {new FileInfo(blank).Length}");
        }
        finally { File.Delete(path); File.Delete(blank); }
    }

    [Fact]
    public void FiguresAreWrittenAtTheirPrintedSizeAs300DpiPngAndMillimetreSvg()
    {
        if (!CanExport) return; // covered by the error-path test above
        string png = Path.Combine(Path.GetTempPath(), $"pycog-fig-{Guid.NewGuid():N}.png"), svg = Path.ChangeExtension(png, ".svg");
        try
        {
            var points = Points();
            var chart = Charts.Psychometric([("model", points, Psychometric.FitCumulativeGaussian(points))]).WithSizeMm(PaperStyle.SingleColumnMm, 60);
            ChartExport.Save(chart, png, svg);
            var bytes = File.ReadAllBytes(png);
            // 85 mm x 60 mm at 300 dpi is 1004 x 709 pixels (to the pixel the CSS size rounds to)
            var (w, h) = PngSize(bytes);
            Assert.InRange(w, 1000, 1006);
            Assert.InRange(h, 705, 711);
            Assert.Equal(300, PngDpi(bytes), 0.5);
            string text = File.ReadAllText(svg);
            Assert.StartsWith("<svg", text);
            var root = System.Text.RegularExpressions.Regex.Match(text, "<svg[^>]*>").Value;
            double mm(string attribute) => double.Parse(System.Text.RegularExpressions.Regex.Match(root, $" {attribute}=\"([0-9.]+)mm\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(85, mm("width"), 0.15);
            Assert.Equal(60, mm("height"), 0.15);
            Assert.Contains("viewBox=\"0 0 321 227\"", root);
            Assert.DoesNotContain("modebar", text);   // the toolbar is not part of the figure
            Assert.Contains("model", text);
            Assert.Contains("Liberation Sans", text);   // the one font family
        }
        finally { File.Delete(png); File.Delete(svg); }
    }

    /// <summary>The resolution a PNG's pHYs chunk records, in dots per inch, read with a plain chunk walk and checked against a bitwise CRC-32.</summary>
    static double PngDpi(byte[] png)
    {
        for (int at = 8; at + 8 <= png.Length;)
        {
            int length = png[at] << 24 | png[at + 1] << 16 | png[at + 2] << 8 | png[at + 3];
            if (System.Text.Encoding.ASCII.GetString(png, at + 4, 4) == "pHYs")
            {
                uint crc = 0xFFFFFFFF;
                foreach (byte b in png[(at + 4)..(at + 8 + length)])
                {
                    crc ^= b;
                    for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
                }
                uint stored = (uint)(png[at + 8 + length] << 24 | png[at + 9 + length] << 16 | png[at + 10 + length] << 8 | png[at + 11 + length]);
                Assert.Equal(~crc, stored);
                Assert.Equal(1, png[at + 16]);   // unit: metre
                int perMetre = png[at + 8] << 24 | png[at + 9] << 16 | png[at + 10] << 8 | png[at + 11];
                return perMetre * 0.0254;
            }
            at += 12 + length;
        }
        throw new Xunit.Sdk.XunitException("no pHYs chunk");
    }

    [Fact]
    public void XPlotChartsThatUsersBuildStillExportAtTheChosenSize()
    {
        if (!CanExport) return;
        string png = Path.Combine(Path.GetTempPath(), $"pycog-xplot-{Guid.NewGuid():N}.png"), svg = Path.ChangeExtension(png, ".svg");
        try
        {
            var chart = XPlot.Plotly.Chart.Plot(new[]
            {
                new XPlot.Plotly.Scatter { x = new[] { 1.0, 2, 3 }, y = new[] { 2.0, 1, 3 }, name = "user trace" },
                new XPlot.Plotly.Scatter { x = new[] { 1.0, 2, 3 }, y = new[] { 1.0, 2, 2 }, name = "second trace" },
            });
            ChartExport.Save(chart, 640, 400, 2, null, (ImageFormat.Png, png), (ImageFormat.Svg, svg));
            Assert.Equal((1280, 800), PngSize(File.ReadAllBytes(png)));
            string text = File.ReadAllText(svg);
            Assert.Contains("width=\"640\"", text);
            Assert.Contains("user trace", text);
            Assert.StartsWith("<!DOCTYPE html>", ChartExport.Html(chart));
        }
        finally { File.Delete(png); File.Delete(svg); }
    }

    [Fact]
    public void MultiPanelFiguresLetterEachPanelAtItsTopLeftAndShareAxes()
    {
        var points = Points();
        var panels = Enumerable.Range(0, 4).Select(k => Charts.Psychometric([("m", points, null)], xTitle: $"x of {k}", yTitle: $"y of {k}")).ToList();
        string before = panels[3].Json();
        var figure = PaperFigure.Compose(panels, 2, 2, PaperStyle.DoubleColumnMm, 120, shareYInRows: [1], shareXInColumns: [0]);
        Assert.Equal(before, panels[3].Json());   // the panels given are not moved onto the grid's axes
        var json = System.Text.Json.JsonDocument.Parse(figure.Json()).RootElement;
        var layout = json.GetProperty("layout");
        var letters = layout.GetProperty("annotations").EnumerateArray().ToList();
        Assert.Equal(["<b>A</b>", "<b>B</b>", "<b>C</b>", "<b>D</b>"], letters.Select(a => a.GetProperty("text").GetString()));
        // plotly.js's grid with xgap g puts n cells of width 1 / (n + (n - 1) g): for n = 2, g = 0.42 the second column starts at 1.42 / 2.42
        Assert.Equal(0.0, letters[0].GetProperty("x").GetDouble(), 9);
        Assert.Equal(1.42 / 2.42, letters[1].GetProperty("x").GetDouble(), 9);
        Assert.Equal(1.0, letters[0].GetProperty("y").GetDouble(), 9);
        Assert.Equal(1 / 2.35, letters[2].GetProperty("y").GetDouble(), 9);   // ygap 0.35: the lower row ends at 1 / 2.35
        string? matches(string axis) => layout.TryGetProperty(axis, out var a) && a.TryGetProperty("matches", out var m) ? m.GetString() : null;
        Assert.Equal("y3", matches("yaxis4"));   // row 1 shares y
        Assert.Null(matches("yaxis2"));          // row 0 does not
        Assert.Equal("x", matches("xaxis3"));    // column 0 shares x
        Assert.Null(matches("xaxis4"));
        Assert.Equal(PaperStyle.Pixels(174), layout.GetProperty("width").GetInt32());
        for (int k = 0; k < 4; k++)   // each panel keeps its own axis titles, on its own axes
        {
            string suffix = k == 0 ? "" : $"{k + 1}";
            Assert.Equal($"x of {k}", layout.GetProperty("xaxis" + suffix).GetProperty("title").GetProperty("text").GetString());
            Assert.Equal($"y of {k}", layout.GetProperty("yaxis" + suffix).GetProperty("title").GetProperty("text").GetString());
        }
        Assert.Equal(PaperStyle.FontSizePx, layout.GetProperty("font").GetProperty("size").GetDouble(), 9);
        Assert.Equal(4, json.GetProperty("data").GetArrayLength());   // one trace per panel
        Assert.Equal(4, json.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("xaxis").GetString()).Distinct().Count());
        Assert.Throws<ArgumentException>(() => PaperFigure.Compose(panels, 1, 3));
    }

    [Fact]
    public void AConditionKeepsItsColourInEveryPanelOfAFigure()
    {
        // Two charts of the same three conditions: in a grid, plotly.js would colour traces 4-6 unlike 1-3.
        var lines = new[] { ("a", new[] { 0.0, 1 }, new[] { 0.0, 1 }), ("b", new[] { 0.0, 1 }, new[] { 1.0, 0 }), ("c", new[] { 0.0, 1 }, new[] { 0.5, 0.5 }) };
        var figure = PaperFigure.Compose([Charts.Lines(lines, "", "x", "y"), Charts.Lines(lines, "", "x", "y")], 1, 2);
        var colours = System.Text.Json.JsonDocument.Parse(figure.Json()).RootElement.GetProperty("data").EnumerateArray()
            .Select(t => t.GetProperty("line").GetProperty("color").GetString()).ToList();
        Assert.Equal(colours.Take(3), colours.Skip(3));
        Assert.Equal(3, colours.Distinct().Count());
    }

    [Fact]
    public void TheFSharpCoreRedirectAnswersOnlyAnOlderLoadedFSharpCoreOfTheSameMajorVersion()
    {
        Assert.True(FSharpCoreBinding.ShouldRedirect(new Version(10, 0, 0, 0), new Version(10, 1, 0, 0)));
        Assert.False(FSharpCoreBinding.ShouldRedirect(new Version(10, 1, 0, 0), new Version(10, 1, 0, 0)));
        Assert.False(FSharpCoreBinding.ShouldRedirect(new Version(9, 0, 0, 0), new Version(10, 1, 0, 0)));
        Assert.False(FSharpCoreBinding.ShouldRedirect(null, new Version(10, 1, 0, 0)));
        var loaded = typeof(Microsoft.FSharp.Core.FSharpOption<>).Assembly;
        var older = loaded.GetName().Version!;
        var newer = new System.Reflection.AssemblyName("FSharp.Core") { Version = new Version(older.Major, older.Minor + 1, 0, 0) };
        Assert.Same(loaded, FSharpCoreBinding.Resolve(newer, loaded));
        Assert.Null(FSharpCoreBinding.Resolve(new System.Reflection.AssemblyName("Other") { Version = newer.Version }, loaded));
        Assert.Null(FSharpCoreBinding.Resolve(new System.Reflection.AssemblyName("FSharp.Core") { Version = older }, loaded));
        Assert.Equal(10, FSharpCoreBinding.Needed()!.Major);
    }

    [Fact]
    public void ScreenPathsMarkAndNumberTheTargets()
    {
        var html = Charts.ScreenPaths([("sequence 1", [0.0, 0.5], [0.0, 0.5])], [(-0.5, 0.5), (0.5, 0.5)]).Json();
        Assert.Contains("\"text\":[\"0\",\"1\"]", html);
        Assert.Contains("\"x\":[-0.5,0.5]", html);
        Assert.Contains("sequence 1", html);
    }

    [Fact]
    public void OutputAgainstTargetAndLinesCarryTheirSeries()
    {
        var html = Charts.OutputVersusTarget([1.0, 2.0], [0.1, 0.2], [0.0, 0.3], "sine").Json();
        Assert.Contains("\"name\":\"target\"", html);
        Assert.Contains("\"y\":[0.1,0.2]", html);
        var lines = Charts.Lines([("threshold", [0.0, 0.1], [1.0, 2.0])], "t", "x", "y").Json();
        Assert.Contains("\"y\":[1.0,2.0]", lines);
    }

    [Fact]
    public void PercentCorrectByDurationDrawsOneLinePerStrength()
    {
        var json = Charts.CorrectByDuration([(3.2, [new DurationPoint(100, 10, 60), new DurationPoint(300, 10, 80)]), (12.8, [new DurationPoint(150, 10, 90)])]).Json();
        Assert.Contains("\"name\":\"3.2%\"", json);
        Assert.Contains("\"name\":\"12.8%\"", json);
        Assert.Contains("\"x\":[100.0,300.0],\"y\":[60.0,80.0]", json);
        Assert.Contains("stimulus duration (ms)", json);
    }

    [Fact]
    public void TrialsToCriterionShowsEveryReachedRunOnALogAxis()
    {
        string root = PyCog.IO.RepositoryFolder.Root()!;
        var results = PyCog.Sweeps.SweepResults.Collect(Path.Combine(root, "sweeps", "paper-seeds.json"));
        var html = Charts.TrialsToCriterion(results.Select(r => r.Trained)).Json();
        Assert.Contains("\"type\":\"log\"", html);
        Assert.Contains("seed 102", html);
        Assert.Equal(24, results.Count(r => r.Reached));
        Assert.Contains("Trials to criterion\"", html);   // nothing left out
    }

    [Fact]
    public void LogTrainingCurvesDropTheValidationAtZeroTrials()
    {
        var p = new NetworkParameters(new Matrix(2, 1), new Matrix(2, 2), new Matrix(1, 2), new float[2], new float[1], new float[2]);
        var run = new PyCog.IO.SavedNetwork
        {
            Task = "t", Engine = "fused", Seed = 1, Network = new NetworkConfig { Nin = 1, N = 2, Nout = 1 }.Resolve(), Parameters = p,
            History = [new(0, 1, 1, 50), new(1000, 0.5, 0.5, 70), new(2000, 0.2, 0.2, 90)],
        };
        var linear = Charts.TrainingCurves([("seed 1", run)]).Json();
        var log = Charts.TrainingCurves([("seed 1", run)], logTrials: true).Json();
        Assert.Contains("\"x\":[0.0,1000.0,2000.0]", linear);
        Assert.Contains("\"x\":[1000.0,2000.0]", log);
        Assert.Contains("\"type\":\"log\"", log);
    }
}
