using DynamicObj;
using Plotly.NET;
using Plotly.NET.CSharp;
using C = Plotly.NET.CSharp.Chart;

namespace PyCog.Plotting;

/// <summary>
/// The few Plotly.NET calls the chart builders share. Traces come from Plotly.NET.CSharp's typed
/// constructors; what its C# surface does not reach (error bars, annotations, the layout's
/// template) is set by plotly.js property name on Plotly.NET's dynamic objects.
/// </summary>
static class Plot
{
    /// <summary>A plotly.js object from (property, value) pairs.</summary>
    public static DynamicObj.DynamicObj Obj(params (string Key, object Value)[] properties)
    {
        var o = new DynamicObj.DynamicObj();
        foreach (var (key, value) in properties) o.SetProperty(key, value);
        return o;
    }

    /// <summary>Markers and/or lines through (x, y).</summary>
    public static GenericChart Scatter(double[] x, double[] y, string name, StyleParam.Mode mode, bool showLegend = true, string? colour = null, string? dash = null)
    {
        var chart = C.Scatter<double, double, string>(x, y, mode, Name: name, ShowLegend: showLegend);
        var marker = Obj(("size", 5));
        var line = Obj(("width", 1.25));
        if (colour is not null) { marker.SetProperty("color", colour); line.SetProperty("color", colour); }
        if (dash is not null) line.SetProperty("dash", dash);
        return With(chart, t => { t.SetProperty("marker", marker); t.SetProperty("line", line); });
    }

    /// <summary>Symmetric error bars on y.</summary>
    public static GenericChart WithYErrors(GenericChart chart, double[] errors) =>
        With(chart, t => t.SetProperty("error_y", Obj(("type", "data"), ("array", errors), ("visible", true), ("thickness", 1), ("width", 2))));

    /// <summary>Changes every trace of the chart.</summary>
    public static GenericChart With(GenericChart chart, Action<Trace> change)
    {
        foreach (var trace in chart.GetTraces()) change(trace);
        return chart;
    }

    /// <summary>
    /// A deep copy of the chart: Plotly.NET's combinators (a grid above all) change the traces they
    /// are given, and a chart already shown or saved must not move to another panel's axes.
    /// </summary>
    public static GenericChart Copy(GenericChart chart)
    {
        var traces = chart.GetTraces().Select(t => (Trace)DeepCopy(t, new Trace2D(t.type)));
        var layout = DeepCopy(GenericChart.getLayout(chart), new Plotly.NET.Layout());
        return GenericChart.NewMultiChart(Microsoft.FSharp.Collections.ListModule.OfSeq(traces), layout, GenericChart.getConfig(chart), GenericChart.getDisplayOptions(chart));
    }

    /// <summary>Copies every dynamic property of <paramref name="from"/>, deeply, into <paramref name="into"/> and returns it.</summary>
    public static T DeepCopy<T>(DynamicObj.DynamicObj from, T into) where T : DynamicObj.DynamicObj
    {
        from.DeepCopyPropertiesTo(into, Microsoft.FSharp.Core.FSharpOption<bool>.Some(true), Microsoft.FSharp.Core.FSharpOption<bool>.Some(false));
        return into;
    }

    /// <summary>Several charts on the same axes.</summary>
    public static GenericChart Combine(IEnumerable<GenericChart> charts) => C.Combine(charts);

    /// <summary>Sets one layout property.</summary>
    public static GenericChart Layout(GenericChart chart, string key, object value)
    {
        GenericChart.getLayout(chart).SetProperty(key, value);
        return chart;
    }

    /// <summary>
    /// Sets properties of the layout's x (or y) axis, keeping those already set. The axis is
    /// Plotly.NET's typed <see cref="Plotly.NET.LayoutObjects.LinearAxis"/>: a grid moves only typed
    /// axes onto its panels.
    /// </summary>
    public static GenericChart Axis(GenericChart chart, string axis, params (string Key, object Value)[] properties)
    {
        var layout = GenericChart.getLayout(chart);
        var o = layout.TryGetPropertyValue(axis) is { } existing && existing.Value is Plotly.NET.LayoutObjects.LinearAxis typed ? typed : new Plotly.NET.LayoutObjects.LinearAxis();
        foreach (var (key, value) in properties) o.SetProperty(key, value);
        layout.SetProperty(axis, o);
        return chart;
    }

    /// <summary>
    /// Gives each trace that has no colour of its own the next colour of <see cref="PaperStyle.Colours"/>,
    /// counted within this chart. plotly.js would count traces across the whole figure, so the
    /// same condition would change colour from one panel of a grid to the next.
    /// </summary>
    static void OwnColours(GenericChart chart)
    {
        int k = 0;
        foreach (var trace in chart.GetTraces())
        {
            if (trace.type == "heatmap") continue;
            var marker = Property(trace, "marker");
            if (marker.TryGetPropertyValue("color") is not null) continue;
            string colour = PaperStyle.Colours[k++ % PaperStyle.Colours.Length];
            marker.SetProperty("color", colour);
            var line = Property(trace, "line");
            if (line.TryGetPropertyValue("color") is null) line.SetProperty("color", colour);
        }
    }

    /// <summary>The object under <paramref name="name"/>, created when missing.</summary>
    static DynamicObj.DynamicObj Property(DynamicObj.DynamicObj o, string name)
    {
        if (o.TryGetPropertyValue(name) is { } v && v.Value is DynamicObj.DynamicObj d) return d;
        var created = new DynamicObj.DynamicObj();
        o.SetProperty(name, created);
        return created;
    }

    /// <summary>Axis titles, an optional title and the paper look at the given size (mm).</summary>
    public static GenericChart Finish(GenericChart chart, string title, string xTitle, string yTitle, double widthMm = PaperStyle.SingleColumnMm, double heightMm = 64)
    {
        OwnColours(chart);
        Axis(chart, "xaxis", ("title", Obj(("text", xTitle))));
        Axis(chart, "yaxis", ("title", Obj(("text", yTitle))));
        if (title.Length > 0) Layout(chart, "title", Obj(("text", title), ("x", 0.02), ("xanchor", "left"), ("font", Obj(("size", PaperStyle.FontSizePx)))));
        return PaperStyle.Apply(chart, widthMm, heightMm);
    }
}
