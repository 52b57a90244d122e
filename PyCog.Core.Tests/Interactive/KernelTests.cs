using System.Reactive.Linq;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using PyCog.Interactive;
using PyCog.IO;
using PyCog.Training;
using Xunit;

namespace PyCog.Tests.Interactive;

/// <summary>
/// PyCog.Interactive inside a real C# notebook kernel (Microsoft.DotNet.Interactive.CSharp, the
/// version VS Code's kernel ships): bare expressions display through the extension's formatters,
/// and live training redraws in place, stops on the kernel's cancellation with a checkpoint, and
/// resumes when the cell runs again.
/// </summary>
[Collection(InterruptGuardTests.SigIntHandlers)]
public class KernelTests
{
    static async Task<CSharpKernel> Kernel()
    {
        var kernel = new CSharpKernel();
        await new PyCogKernelExtension().OnLoadAsync(kernel);
        string refs = string.Join("\n", new[] { typeof(LiveTraining), typeof(Trainer), typeof(PyCog.Plotting.Charts), typeof(XPlot.Plotly.PlotlyChart), typeof(Plotly.NET.GenericChart) }
            .Select(t => $"#r \"{t.Assembly.Location}\""));
        var result = await kernel.SendAsync(new SubmitCode(refs + "\nusing PyCog.Interactive; using PyCog.Tasks; using PyCog.Training; using PyCog.Simulation;"));
        Assert.DoesNotContain(result.Events, e => e is CommandFailed);
        return kernel;
    }

    static string Html(DisplayEvent e) => e.FormattedValues.Single(v => v.MimeType == "text/html").Value;

    [Fact]
    public async Task A_bare_network_or_chart_displays_as_html()
    {
        using var kernel = await Kernel();
        string path = Path.Combine(PyCog.IO.RepositoryFolder.Root()!, "data", "rdm_fixed-seed100-fused.npz");
        var result = await kernel.SendAsync(new SubmitCode($"TrainedNetwork.Load(@\"{path}\")"));
        var card = Html(result.Events.OfType<ReturnValueProduced>().Single());
        Assert.Contains("rdm_fixed", card);
        Assert.Contains("80 excitatory, 20 inhibitory", card);
        Assert.Contains("Plotly.newPlot", card);
        result = await kernel.SendAsync(new SubmitCode("PyCog.Plotting.Charts.Lines(new[] { (\"a\", new double[] { 1, 2 }, new double[] { 3, 4 }) }, \"t\", \"x\", \"y\")"));
        var chart = Html(result.Events.OfType<ReturnValueProduced>().Single());
        Assert.Contains("Plotly.newPlot", chart);
        Assert.Contains("\"y\":[3.0,4.0]", chart);
        // A chart a user builds with XPlot.Plotly in a cell displays too.
        result = await kernel.SendAsync(new SubmitCode("XPlot.Plotly.Chart.Plot(new XPlot.Plotly.Scatter { x = new[] { 1, 2 }, y = new[] { 5, 6 } })"));
        var user = Html(result.Events.OfType<ReturnValueProduced>().Single());
        Assert.Contains("Plotly.newPlot", user);
        Assert.Contains("\"y\":[5,6]", user);
    }

    /// <summary>Runs the cell, presses stop after three redraws, and reads the checkpoint once the run let go of it.</summary>
    static async Task<SavedNetwork> RunThenStop(CSharpKernel kernel, string cell, string path, List<string> updates)
    {
        var running = kernel.SendAsync(new SubmitCode(cell));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (updates.Count < 3 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(updates.Count >= 3, "the training display was not updated in place");
        await kernel.SendAsync(new Cancel());
        await running;
        // The run saves its checkpoint and releases its lock once it sees the cancellation.
        while (true)
        {
            try { using (CheckpointLock.Acquire(path)) return NetworkFile.Load(path); }
            catch (Exception) when (DateTime.UtcNow < deadline) { await Task.Delay(100); }
        }
    }

    [Fact]
    public async Task Cancelling_the_cell_stops_training_with_a_checkpoint_and_running_it_again_resumes()
    {
        using var kernel = await Kernel();
        var dir = Directory.CreateTempSubdirectory("pycog-kernel-").FullName;
        try
        {
            string path = Path.Combine(dir, "run.npz");
            string cell = $"var task = TaskRegistry.Create(\"rdm_fixed\");\n" +
                $"LiveTraining.Train(task, training: TrainingConfig.For(task) with {{ CheckFreq = 10, NValidation = 200 }}, checkpoint: @\"{path}\")";
            var updates = new List<string>();
            // The display as first shown (DisplayedValueProduced), then redrawn at each validation (DisplayedValueUpdated).
            using var watch = kernel.KernelEvents.Where(e => e is DisplayedValueProduced or DisplayedValueUpdated).Subscribe(e => { lock (updates) updates.Add(Html((DisplayEvent)e)); });
            var first = await RunThenStop(kernel, cell, path, updates);
            Assert.Contains("% correct", updates[^1]);
            Assert.Equal(Termination.Cancelled, first.Termination);
            Assert.False(first.Finished);
            Assert.True(first.Trials > 0);

            // Running the cell again resumes from the checkpoint (and shows where it resumed).
            updates.Clear();
            var second = await RunThenStop(kernel, cell, path, updates);
            Assert.Contains($"resuming at {first.Trials:N0} trials", updates[0]);
            Assert.True(second.Trials > first.Trials);
            Assert.Equal(first.History, second.History.Take(first.History.Count));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
