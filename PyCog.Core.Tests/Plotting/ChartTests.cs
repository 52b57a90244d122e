using PyCog.Analysis;
using PyCog.Network;
using PyCog.Numerics;
using PyCog.Plotting;
using Xunit;

namespace PyCog.Tests.Plotting;

public class ChartTests
{
    static IReadOnlyList<PsychometricPoint> Points() =>
        new[] { -16.0, -4, -1, 1, 4, 16 }.Select(x => new PsychometricPoint(x, 100, MathNet.Numerics.Distributions.Normal.CDF(0, 5, x))).ToList();

    [Fact]
    public void PsychometricChartCarriesTheDataAndTheFit()
    {
        var points = Points();
        var fit = Psychometric.FitCumulativeGaussian(points);
        var html = Charts.Psychometric([("model", points, fit)]).GetInlineHtml();
        Assert.Contains("\"x\":[-16.0,-4.0,-1.0,1.0,4.0,16.0]", html);
        Assert.Contains("model fit", html);
        Assert.Contains("Psychometric function", html);
    }

    [Fact]
    public void WeightMatricesPutExcitatoryUnitsFirstWithBlueForPositive()
    {
        var ei = new[] { -1, 1, 1 };
        var w = Matrix.FromFunction(3, 3, (i, j) => ei[j] * (1 + i + j));
        var html = Charts.WeightMatrix(w, ei, "Wrec").GetInlineHtml();
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

    [Fact]
    public void PngExportRendersThePlotOffline()
    {
        if (ChartExport.FindChromium() is null || ChartExport.FindPlotlyJs() is null)
        {
            Assert.Throws<InvalidOperationException>(() => ChartExport.SavePng(Charts.Psychometric([("m", Points(), null)]), Path.GetTempFileName()));
            return;
        }
        string path = Path.Combine(Path.GetTempPath(), $"pycog-chart-{Guid.NewGuid():N}.png");
        string blank = Path.Combine(Path.GetTempPath(), $"pycog-blank-{Guid.NewGuid():N}.png");
        try
        {
            var points = Points();
            ChartExport.SavePng(Charts.Psychometric([("model", points, Psychometric.FitCumulativeGaussian(points))]), path);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            // an empty chart (no traces) renders axes only; the real one must carry more ink
            ChartExport.SavePng(XPlot.Plotly.Chart.Plot(Array.Empty<XPlot.Plotly.Scatter>()), blank);
            Assert.True(bytes.Length > File.ReadAllBytes(blank).Length + 2000, $"chart PNG {bytes.Length} bytes vs empty {new FileInfo(blank).Length}");
        }
        finally { File.Delete(path); File.Delete(blank); }
    }

    [Fact]
    public void FiguresHaveExactlyTheChosenSizeAndScaleInPngAndSvg()
    {
        if (ChartExport.FindChromium() is null || ChartExport.FindPlotlyJs() is null) return; // covered by the error-path test above
        string png = Path.Combine(Path.GetTempPath(), $"pycog-fig-{Guid.NewGuid():N}.png"), svg = Path.ChangeExtension(png, ".svg");
        try
        {
            var points = Points();
            ChartExport.Save(Charts.Psychometric([("model", points, Psychometric.FitCumulativeGaussian(points))]), 640, 400, 2, null,
                (ImageFormat.Png, png), (ImageFormat.Svg, svg));
            var bytes = File.ReadAllBytes(png);
            // PNG header: width and height, big-endian, at bytes 16-23 of the IHDR chunk
            int w = bytes[16] << 24 | bytes[17] << 16 | bytes[18] << 8 | bytes[19], h = bytes[20] << 24 | bytes[21] << 16 | bytes[22] << 8 | bytes[23];
            Assert.Equal((1280, 800), (w, h));
            string text = File.ReadAllText(svg);
            Assert.StartsWith("<svg", text);
            Assert.Contains("width=\"640\"", text);
            Assert.Contains("height=\"400\"", text);
            Assert.DoesNotContain("modebar", text);   // the toolbar is not part of the figure
            Assert.Contains("model", text);
        }
        finally { File.Delete(png); File.Delete(svg); }
    }

    [Fact]
    public void ScreenPathsMarkAndNumberTheTargets()
    {
        var html = Charts.ScreenPaths([("sequence 1", [0.0, 0.5], [0.0, 0.5])], [(-0.5, 0.5), (0.5, 0.5)]).GetInlineHtml();
        Assert.Contains("\"text\":[\"0\",\"1\"]", html);
        Assert.Contains("\"x\":[-0.5,0.5]", html);
        Assert.Contains("sequence 1", html);
    }

    [Fact]
    public void OutputAgainstTargetAndLinesCarryTheirSeries()
    {
        var html = Charts.OutputVersusTarget([1.0, 2.0], [0.1, 0.2], [0.0, 0.3], "sine").GetInlineHtml();
        Assert.Contains("\"name\":\"target\"", html);
        Assert.Contains("\"y\":[0.1,0.2]", html);
        var lines = Charts.Lines([("threshold", [0.0, 0.1], [1.0, 2.0])], "t", "x", "y").GetInlineHtml();
        Assert.Contains("\"y\":[1.0,2.0]", lines);
    }

    [Fact]
    public void TrialsToCriterionShowsEveryReachedRunOnALogAxis()
    {
        string root = PyCog.IO.RepositoryFolder.Root()!;
        var results = PyCog.Sweeps.SweepResults.Collect(Path.Combine(root, "sweeps", "paper-seeds.json"));
        var html = Charts.TrialsToCriterion(results.Select(r => r.Trained)).GetInlineHtml();
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
        var linear = Charts.TrainingCurves([("seed 1", run)]).GetInlineHtml();
        var log = Charts.TrainingCurves([("seed 1", run)], logTrials: true).GetInlineHtml();
        Assert.Contains("\"x\":[0.0,1000.0,2000.0]", linear);
        Assert.Contains("\"x\":[1000.0,2000.0]", log);
        Assert.Contains("\"type\":\"log\"", log);
    }
}
