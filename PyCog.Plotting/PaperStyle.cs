using DynamicObj;
using Plotly.NET;

namespace PyCog.Plotting;

/// <summary>
/// One look for every figure: one font family and size, white background, axis lines with
/// outward ticks and no grid, and sizes in millimetres at the journal's column widths. A chart's
/// size on screen is its printed size (96 pixels per inch), so what a notebook shows is what the
/// page will show; export writes PNG at 300 dpi and SVG in millimetres (<see cref="ChartExport"/>).
/// </summary>
public static class PaperStyle
{
    /// <summary>The font family of every figure (Arial, or its metric twin Liberation Sans).</summary>
    public const string FontFamily = "Arial, 'Liberation Sans', Helvetica, sans-serif";

    /// <summary>The font size of every figure, in points at the printed size.</summary>
    public const double FontSizePt = 8;

    /// <summary>A journal's single-column width (mm).</summary>
    public const double SingleColumnMm = 85;

    /// <summary>A journal's double-column (full page) width (mm).</summary>
    public const double DoubleColumnMm = 174;

    /// <summary>Screen pixels per millimetre (CSS pixels: 96 per inch).</summary>
    public const double PixelsPerMm = 96 / 25.4;

    /// <summary>The resolution of exported PNG figures (dots per inch).</summary>
    public const double PngDpi = 300;

    /// <summary>A length in millimetres as whole CSS pixels.</summary>
    public static int Pixels(double mm) => (int)Math.Round(mm * PixelsPerMm);

    /// <summary>A CSS pixel length in millimetres.</summary>
    public static double Millimetres(int pixels) => pixels / PixelsPerMm;

    /// <summary>The font size in CSS pixels (plotly.js sizes fonts in pixels).</summary>
    public static double FontSizePx => FontSizePt * 96 / 72;

    /// <summary>The line colours, in order (matplotlib's and plotly's first ten).</summary>
    public static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Sets the chart's size in millimetres (its printed size; on screen at 96 pixels per inch).</summary>
    public static GenericChart WithSizeMm(this GenericChart chart, double widthMm, double heightMm)
    {
        ArgumentNullException.ThrowIfNull(chart);
        if (!(widthMm >= 10 && heightMm >= 10 && widthMm <= 1000 && heightMm <= 1000))
            throw new ArgumentOutOfRangeException(nameof(widthMm), $"A figure is 10-1000 mm on each side, got {widthMm} x {heightMm} mm.");
        var layout = GenericChart.getLayout(chart);
        layout.SetProperty("width", Pixels(widthMm));
        layout.SetProperty("height", Pixels(heightMm));
        return chart;
    }

    /// <summary>The chart's size in CSS pixels (its layout's width and height; plotly.js's 700 x 450 when unset).</summary>
    public static (int Width, int Height) SizeOf(GenericChart chart)
    {
        var layout = GenericChart.getLayout(chart);
        static int Get(DynamicObj.DynamicObj o, string key, int fallback) =>
            o.TryGetPropertyValue(key) is { } v ? Convert.ToInt32(v.Value, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        return (Get(layout, "width", 700), Get(layout, "height", 450));
    }

    /// <summary>Gives <paramref name="chart"/> the paper look at <paramref name="widthMm"/> x <paramref name="heightMm"/>.</summary>
    public static GenericChart Apply(GenericChart chart, double widthMm, double heightMm)
    {
        var layout = GenericChart.getLayout(chart.WithSizeMm(widthMm, heightMm));
        layout.SetProperty("font", Plot.Obj(("family", FontFamily), ("size", FontSizePx), ("color", "black")));
        layout.SetProperty("paper_bgcolor", "white");
        layout.SetProperty("plot_bgcolor", "white");
        layout.SetProperty("colorway", Colours);
        layout.SetProperty("margin", Plot.Obj(("l", 44), ("r", 8), ("t", 22), ("b", 34)));
        layout.SetProperty("legend", Plot.Obj(("font", Plot.Obj(("size", FontSizePx))), ("tracegroupgap", 2), ("itemwidth", 30), ("bgcolor", "rgba(255,255,255,0)")));
        var axis = Plot.Obj(("showline", true), ("linecolor", "black"), ("linewidth", 1), ("ticks", "outside"), ("ticklen", 3), ("tickwidth", 1),
            ("showgrid", false), ("zeroline", false), ("automargin", true),
            ("title", Plot.Obj(("standoff", 4), ("font", Plot.Obj(("size", FontSizePx))))));
        // A template styles every axis of every panel (xaxis2, yaxis3, ...) without naming them.
        // plotly.js draws axis titles 1.2x the layout font and the colour bar's its own way: one size for all.
        layout.SetProperty("template", Plot.Obj(("layout", Plot.Obj(("xaxis", axis), ("yaxis", axis), ("font", Plot.Obj(("family", FontFamily)))))));
        return chart;
    }
}
