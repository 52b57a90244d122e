using System.Globalization;
using PyCog.Network;
using PyCog.Tasks;

namespace PyCog.Training;

/// <summary>
/// Estimates the memory a training run needs before anything is allocated, so that a
/// configuration which cannot fit (N = 100000, dt = 1e-9 ms, n_gradient = 2e9) is refused with
/// the amount it needs and the parameter that drives it, instead of aborting the process.
/// </summary>
public static class TrainingMemory
{
    /// <summary>Bytes a run needs, roughly (minibatches, validation set, engine buffers, parameters).</summary>
    static double Bytes(NetworkConfig c, double steps, double nGradient, double nValidation, string engine)
    {
        double n = c.N, nin = c.Nin, nout = c.Nout, np = Math.Ceiling(n / 16) * 16;
        double perTrialStep = 2 * nin + n + 4 * nout;                  // the trial's arrays and the batch's
        double engineRows = steps * Math.Max(nGradient, Math.Min(100, nValidation));
        double enginePerRow = 7 * np + 3 * Math.Ceiling(nout / 16) * 16 + nin;
        if (engine != "fused") enginePerRow *= 4;                      // autograd keeps every step's tensors
        double parameters = 12 * (n * n + n * nin + n * nout);
        // Two of each set: the one in use and the next, drawn meanwhile (Prefetcher).
        double floats = 2 * steps * (nGradient + nValidation) * perTrialStep + engineRows * enginePerRow + parameters;
        return 4 * floats + 200e6;                                     // plus the runtime itself
    }

    /// <summary>
    /// Throws a <see cref="ConfigurationException"/> naming the parameter that drives the need
    /// when a run needs more than 80% of the memory this process may use.
    /// </summary>
    public static void Require(CognitiveTask task, ResolvedNetworkConfig network, TrainingConfig training, string engine = "fused")
    {
        double available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        double longest = TrialLength.LongestMs(task, network);
        double steps = Math.Ceiling(longest / network.Dt) + 1;
        double need = Bytes(network.Config, steps, training.NGradient, training.NValidation, engine);
        if (need <= 0.8 * available) return;
        // Name the parameter whose default would shrink the need most.
        var defaults = new NetworkConfig();
        var trainingDefaults = new TrainingConfig();
        double tauMin = network.Config.MinTau;
        var candidates = new (string Name, string Value, double Need)[]
        {
            ("dt", G(network.Dt), Bytes(network.Config, Math.Ceiling(longest / Math.Max(network.Dt, tauMin / 5)) + 1, training.NGradient, training.NValidation, engine)),
            ("N", G(network.N), Bytes(network.Config with { N = Math.Min(network.N, defaults.N) }, steps, training.NGradient, training.NValidation, engine)),
            ("n_gradient", G(training.NGradient), Bytes(network.Config, steps, Math.Min(training.NGradient, trainingDefaults.NGradient), training.NValidation, engine)),
            ("n_validation", G(training.NValidation), Bytes(network.Config, steps, training.NGradient, Math.Min(training.NValidation, trainingDefaults.NValidation), engine)),
        };
        var culprit = candidates.MinBy(c => c.Need);
        throw new ConfigurationException(culprit.Name,
            $"{culprit.Name} = {culprit.Value} makes this run need about {Gb(need)} (N = {network.N}, {steps:N0} time steps per trial at dt = {G(network.Dt)} ms, " +
            $"n_gradient = {training.NGradient}, n_validation = {training.NValidation}), more than the {Gb(0.8 * available)} it may use on this machine.");
    }

    static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
    static string Gb(double bytes) => (bytes / 1e9).ToString("F1", CultureInfo.InvariantCulture) + " GB";
}
