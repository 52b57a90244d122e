using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using PyCog.Analysis;
using PyCog.IO;
using PyCog.Simulation;
using PyCog.Training;
using Plotly.NET;
using XPlot.Plotly;

namespace PyCog.Interactive;

/// <summary>
/// The kernel extension: <c>#r "nuget: PyCog.Interactive, *-*"</c> loads the package and the
/// kernel runs <see cref="OnLoadAsync"/>, which registers PyCog's displays.
/// </summary>
public sealed class PyCogKernelExtension : IKernelExtension
{
    /// <inheritdoc />
    public Task OnLoadAsync(Kernel kernel)
    {
        RegisterFormatters();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Registers the HTML displays of charts (Plotly.NET's and XPlot.Plotly's), trained networks, training results, psychometric
    /// fits, simulated trials and live training (idempotent; called by the extension).
    /// </summary>
    public static void RegisterFormatters()
    {
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml.Render(chart)), HtmlFormatter.MimeType);
        Formatter.Register<PlotlyChart>((chart, writer) => writer.Write(ChartHtml.Render(chart)), HtmlFormatter.MimeType);
        Formatter.Register<TrainedNetwork>((network, writer) => writer.Write(Displays.Network(network)), HtmlFormatter.MimeType);
        Formatter.Register<SavedNetwork>((saved, writer) => writer.Write(Displays.Network(saved)), HtmlFormatter.MimeType);
        Formatter.Register<TrainingResult>((result, writer) => writer.Write(Displays.Result(result)), HtmlFormatter.MimeType);
        Formatter.Register<PsychometricFit>((fit, writer) => writer.Write(Displays.Fit(fit)), HtmlFormatter.MimeType);
        Formatter.Register<IEnumerable<SimulatedTrial>>((trials, writer) => writer.Write(Displays.Trials(trials)), HtmlFormatter.MimeType);
        Formatter.Register<TrainingView>((view, writer) => writer.Write(view.ToHtml()), HtmlFormatter.MimeType);
    }
}
