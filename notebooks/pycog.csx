// Notebook helpers shared by every notebook: load a trained network from data/ or retrain it.
#nullable enable
using System.IO;
using PyCog.Analysis;
using PyCog.Interactive;
using PyCog.Network;
using PyCog.Plotting;
using PyCog.Simulation;
using PyCog.Tasks;
using PyCog.Training;

/// <summary>
/// The network trained on <paramref name="task"/> with <paramref name="seed"/>: read from
/// data/<paramref name="file"/> (default <c>task-seedN-fused.npz</c>), or, with
/// <paramref name="retrain"/>, trained now with a live display (fused engine, the task's own
/// settings or <paramref name="config"/>) and checkpointed under artifacts/notebooks/networks/ with
/// the same name: stopping the cell keeps the run, and running it again resumes.
/// </summary>
TrainedNetwork LoadOrTrain(string task, bool retrain, int seed = 100, NetworkConfig? config = null, string? file = null)
{
    file ??= $"{task}-seed{seed}-fused.npz";
    if (!retrain) return TrainedNetwork.Load(Path.Combine("..", "data", file));
    var t = TaskRegistry.Create(task);
    var path = NetworkPath(file);
    var result = LiveTraining.Train(t, config ?? t.Network, TrainingConfig.For(t) with { Seed = seed }, checkpoint: path);
    return TrainedNetwork.FromSaved(result.Trained);
}

/// <summary>A cumulative-Gaussian threshold as text; a curve that does not rise within 100 % coherence is "flat".</summary>
string Threshold(PsychometricFit fit) => fit.Sigma < 100 ? $"sigma = {fit.Sigma:F2}%" : "flat (sigma > 100%)";

/// <summary>A fraction as a percentage, or "n/a" where it is undefined (NaN: no units of that type).</summary>
string Percent(double fraction, int decimals = 0) => double.IsNaN(fraction) ? "n/a" : fraction.ToString("P" + decimals);

/// <summary>
/// Where a notebook keeps a network it trains: artifacts/notebooks/networks/<paramref name="file"/>
/// (the folder is created). Training with this as the checkpoint resumes when the cell runs again.
/// </summary>
string NetworkPath(string file)
{
    var path = Path.Combine(NotebookFigures.RepositoryRoot(), "artifacts", "notebooks", "networks", file);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    return path;
}
