using Microsoft.DotNet.Interactive;
using PyCog.IO;
using PyCog.Network;
using PyCog.Tasks;
using PyCog.Training;

namespace PyCog.Interactive;

/// <summary>
/// Training from a notebook cell: one display that redraws at every validation, and the kernel's
/// cancellation (VS Code's stop button) or SIGINT (Jupyter's, see <see cref="InterruptGuard"/>)
/// ending the run cleanly with its checkpoint saved, so that running the cell again resumes it.
/// </summary>
public static class LiveTraining
{
    /// <summary>
    /// Trains <paramref name="task"/> (with <paramref name="network"/> and <paramref name="training"/>
    /// when given, as <see cref="Trainer"/> does) and shows its progress in place. With
    /// <paramref name="checkpoint"/>, an existing run there is resumed and every validation saved.
    /// Stops when the cell is cancelled (or <paramref name="cancellation"/> fires) with
    /// <see cref="Termination.Cancelled"/>. Outside a notebook kernel it prints one line a validation.
    /// </summary>
    public static TrainingResult Train(CognitiveTask task, NetworkConfig? network = null, TrainingConfig? training = null,
        string? checkpoint = null, EngineFactory? engine = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var context = KernelInvocationContext.Current;
        SavedNetwork? resumed = checkpoint is not null && File.Exists(checkpoint) ? NetworkFile.Load(checkpoint) : null;
        var view = new TrainingView(task.Name, resumed);
        var shown = context?.Display(view);
        view.Changed += shown is not null ? () => shown.Update(view) : () => Console.WriteLine(view.ToString());
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, context?.CancellationToken ?? CancellationToken.None);
        // In a kernel, Jupyter's stop button (SIGINT) stops this run, not the kernel.
        using var guard = context is not null ? InterruptGuard.Install(stop.Cancel) : null;
        var trainer = new Trainer(task, network, training)
        {
            CheckpointPath = checkpoint,
            Engine = engine ?? FusedEngine.Factory,
            Callbacks = [view],
        };
        try
        {
            var result = trainer.Train(stop.Token);
            view.Finish(result, checkpoint);
            return result;
        }
        catch (Exception e)
        {
            view.Fail(e.Message);
            throw;
        }
    }
}
