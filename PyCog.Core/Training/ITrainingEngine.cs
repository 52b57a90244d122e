using PyCog.Network;
using PyCog.Tasks;

namespace PyCog.Training;

/// <summary>
/// Computes the objective of spec section 4 and its gradient for one minibatch. The trainer
/// owns the parameters, clipping, the safeguard and the update, so engines differ only in
/// how they differentiate: <see cref="FusedEngine"/> by hand-written loops, the torch engine
/// (package PyCog.Torch) by TorchSharp autograd.
/// </summary>
public interface ITrainingEngine : IDisposable
{
    /// <summary>Engine name (fused or torch).</summary>
    string Name { get; }

    /// <summary>
    /// Gradient of cost = loss + regularisers with respect to every raw parameter, with
    /// lambda_Omega times the immediate derivative of Omega added to the Wrec gradient.
    /// Gradients of untrained parameters are zero.
    /// </summary>
    GradientResult ComputeGradient(NetworkParameters parameters, Batch batch);

    /// <summary>Forward pass only: cost, loss, RMSE and the outputs.</summary>
    Evaluation Evaluate(NetworkParameters parameters, Batch batch);
}

/// <summary>The result of <see cref="ITrainingEngine.ComputeGradient"/>.</summary>
public sealed record GradientResult(double Loss, double Cost, double Rmse, double Omega, double OmegaCount, NetworkParameters Gradient);

/// <summary>The result of <see cref="ITrainingEngine.Evaluate"/>.</summary>
public sealed record Evaluation(double Loss, double Cost, double Rmse, BatchOutputs Outputs);

/// <summary>
/// Makes an engine for a network and its training settings; <see cref="Name"/> is recorded in
/// the network file. The trainer takes one of these (<see cref="FusedEngine.Factory"/> by
/// default), so the core library names no engine it does not contain.
/// </summary>
public sealed record EngineFactory(string Name, Func<ResolvedNetworkConfig, TrainingConfig, ITrainingEngine> Create);

/// <summary>Helpers shared by every engine.</summary>
public static class EngineExtensions
{
    /// <summary>
    /// Evaluates a large batch (a validation set of thousands of trials) in chunks of at most
    /// <paramref name="chunk"/> trials, so that memory stays bounded, and combines the results
    /// exactly: every chunk keeps the batch's full length, so padding and the rate regulariser's
    /// mean are those of the whole batch.
    /// </summary>
    public static Evaluation EvaluateInChunks(this ITrainingEngine engine, NetworkParameters parameters, Batch batch, int chunk = 100)
    {
        if (batch.Trials <= chunk) return engine.Evaluate(parameters, batch);
        int time = batch.Time, bsz = batch.Trials, nout = batch.Nout;
        double maskTotal = batch.MaskSum(), lossSum = 0, sqSum = 0, regSum = 0;
        var outputs = new float[time * bsz * nout];
        // One set of chunk arrays, refilled for every whole chunk: fresh multi-megabyte arrays per chunk
        // cost more in page faults and copying than the evaluation itself.
        var arrays = new Dictionary<(int Count, int Width, int Which), float[]>();
        for (int b0 = 0; b0 < bsz; b0 += chunk)
        {
            int count = Math.Min(chunk, bsz - b0);
            float[] Slice(float[] source, int width, int which)
            {
                if (!arrays.TryGetValue((count, width, which), out var dest)) arrays[(count, width, which)] = dest = new float[time * count * width];
                for (int t = 0; t < time; t++)
                    Array.Copy(source, (t * bsz + b0) * width, dest, t * count * width, count * width);
                return dest;
            }
            var sub = new Batch(time, count, batch.Nin, batch.N, nout, Slice(batch.Inputs, batch.Nin, 0), Slice(batch.RecurrentNoise, batch.N, 1),
                Slice(batch.Targets, nout, 2), Slice(batch.Mask, nout, 3), batch.TrialList.Count == bsz ? batch.TrialList.Skip(b0).Take(count).ToList() : null);
            double m = sub.MaskSum();
            var e = m > 0 ? engine.Evaluate(parameters, sub) : null;
            if (e is null) continue;
            lossSum += e.Loss * m;
            sqSum += e.Rmse * e.Rmse * m;
            regSum += (e.Cost - e.Loss) * count;
            for (int t = 0; t < time; t++)
                Array.Copy(e.Outputs.Data, t * count * nout, outputs, (t * bsz + b0) * nout, count * nout);
        }
        if (maskTotal <= 0) throw new ArgumentException("The batch mask is zero everywhere: there is nothing to fit.");
        double loss = lossSum / maskTotal;
        return new Evaluation(loss, loss + regSum / bsz, Math.Sqrt(sqSum / maskTotal), new BatchOutputs(time, bsz, nout, outputs));
    }
}
