using Plotly.NET;
using static PyCog.Plotting.Plot;

namespace PyCog.Plotting;

/// <summary>
/// Several charts laid out as one journal figure: a grid of panels with bold panel letters
/// (A, B, ...) at their top left, optionally sharing axes, at a journal width (85 mm single
/// column, 174 mm double column) in the one font of <see cref="PaperStyle"/>. Panel titles are
/// dropped: the letters and the caption name them. The charts given are copied, not changed. Save it with <see cref="ChartExport.Save(GenericChart, string[])"/>
/// (PNG at 300 dpi and SVG in millimetres) or <see cref="NotebookFigures"/>.
/// </summary>
public static class PaperFigure
{
    /// <summary>Horizontal gap between panels, as a fraction of a panel's width (plotly.js's grid xgap).</summary>
    const double XGap = 0.42;

    /// <summary>Vertical gap between panels, as a fraction of a panel's height (plotly.js's grid ygap).</summary>
    const double YGap = 0.35;

    /// <summary>
    /// Lays out <paramref name="panels"/> row by row on a <paramref name="rows"/> x
    /// <paramref name="columns"/> grid, <paramref name="widthMm"/> wide and
    /// <paramref name="heightMm"/> high. <paramref name="shareYInRows"/> lists the rows (0 = top)
    /// whose panels share one y range (their y axes match the row's first panel's);
    /// <paramref name="shareXInColumns"/> the columns whose panels share one x range. The figure has one legend, showing the traces of the panels listed in
    /// <paramref name="legendPanels"/> (0 = panel A; none when null).
    /// </summary>
    public static GenericChart Compose(IReadOnlyList<GenericChart> panels, int rows, int columns, double widthMm = PaperStyle.DoubleColumnMm, double heightMm = 110,
        IReadOnlyCollection<int>? shareXInColumns = null, IReadOnlyCollection<int>? shareYInRows = null, IReadOnlyCollection<int>? legendPanels = null)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (rows < 1 || columns < 1 || panels.Count == 0 || panels.Count > rows * columns)
            throw new ArgumentException($"{panels.Count} panels do not fit a {rows} x {columns} grid.", nameof(panels));
        panels = panels.Select(Copy).ToList();   // the charts given stay as they are
        for (int k = 0; k < panels.Count; k++)
        {
            GenericChart.getLayout(panels[k]).RemoveProperty("title");
            if (legendPanels?.Contains(k) != true) With(panels[k], t => t.SetProperty("showlegend", false));
        }
        // Each panel's own axes (titles, log scales, ranges), to be put on the panel's axes of the grid.
        // (Copied now: the grid merges the panels' layouts into one another's objects.)
        var axes = panels.Select(p => (X: OwnAxis(p, "xaxis"), Y: OwnAxis(p, "yaxis"))).ToList();
        var grid = Plotly.NET.CSharp.Chart.Grid(panels, rows, columns, XGap: XGap, YGap: YGap);
        var layout = GenericChart.getLayout(grid);
        layout.RemoveProperty("title");
        for (int k = 0; k < panels.Count; k++)
        {
            PanelAxis(layout, "x", k, axes[k].X);
            PanelAxis(layout, "y", k, axes[k].Y);
        }
        var letters = new List<object>();
        for (int k = 0; k < panels.Count; k++)
        {
            int row = k / columns, column = k % columns;
            var (x0, _) = Domain(column, columns, XGap);
            var (_, y1) = Domain(rows - 1 - row, rows, YGap);
            letters.Add(Obj(("text", $"<b>{(char)('A' + k)}</b>"), ("x", x0), ("y", y1), ("xref", "paper"), ("yref", "paper"),
                ("xanchor", "right"), ("yanchor", "bottom"), ("xshift", -26), ("yshift", 4), ("showarrow", false),
                ("font", Obj(("size", PaperStyle.FontSizePx * 1.25)))));
            if (shareYInRows?.Contains(row) == true && column > 0) Axis(grid, "yaxis" + Suffix(k), ("matches", "y" + Suffix(row * columns)));
            if (shareXInColumns?.Contains(column) == true && row > 0) Axis(grid, "xaxis" + Suffix(k), ("matches", "x" + Suffix(column)));
        }
        layout.SetProperty("annotations", letters);
        PaperStyle.Apply(grid, widthMm, heightMm);
        return Layout(grid, "margin", Obj(("l", 52), ("r", 18), ("t", 24), ("b", 36)));
    }

    /// <summary>A deep copy of a panel's axis (an empty one if it has none).</summary>
    static Plotly.NET.LayoutObjects.LinearAxis OwnAxis(GenericChart panel, string name) =>
        GenericChart.getLayout(panel).TryGetPropertyValue(name) is { } v && v.Value is DynamicObj.DynamicObj d
            ? DeepCopy(d, new Plotly.NET.LayoutObjects.LinearAxis())
            : new Plotly.NET.LayoutObjects.LinearAxis();

    /// <summary>Puts a panel's own axis (or a fresh one) on the grid as its axis <paramref name="letter"/>{k + 1}, with axis references renamed to match.</summary>
    static void PanelAxis(Plotly.NET.Layout layout, string letter, int k, Plotly.NET.LayoutObjects.LinearAxis axis)
    {
        // An axis tied to its panel's other axis (equal scales) must name that panel's axis.
        if (axis.TryGetPropertyValue("scaleanchor") is { } anchor && anchor.Value is string a) axis.SetProperty("scaleanchor", a[..1] + Suffix(k));
        layout.SetProperty(letter + "axis" + Suffix(k), axis);
    }

    /// <summary>plotly.js's name suffix of panel <paramref name="k"/>'s axes (x, x2, x3, ...).</summary>
    static string Suffix(int k) => k == 0 ? "" : (k + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The paper-coordinate span of cell <paramref name="index"/> of <paramref name="count"/> cells
    /// with <paramref name="gap"/> between them, as plotly.js's layout grid places them.
    /// </summary>
    internal static (double Start, double End) Domain(int index, int count, double gap)
    {
        double cell = 1 / (count + (count - 1) * gap);
        double start = index * cell * (1 + gap);
        return (start, start + cell);
    }
}
