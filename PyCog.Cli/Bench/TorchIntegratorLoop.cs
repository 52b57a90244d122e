using System.Diagnostics;
using PyCog.Simulation;
using PyCog.Tasks;
using PyCog.Torch;
using TorchSharp;

namespace PyCog.Cli.Bench;

/// <summary>
/// The integrator's Euler steps written as a plain TorchSharp loop without autograd (batched
/// <c>mm</c>, <c>randn</c> noise, no recording): the baseline <c>pycog bench</c> measures the
/// integrator against. The step factor, noise scale and input transform come from the same
/// <see cref="PyCog.Network.NetworkDynamics"/> as the integrator's.
/// </summary>
static class TorchIntegratorLoop
{
    /// <summary>Runs <paramref name="trials"/> together at <paramref name="dt"/> and returns trials per second.</summary>
    public static double TrialsPerSecond(TrainedNetwork net, IReadOnlyList<Trial> trials, double dt)
    {
        TorchRuntime.EnsureLoaded();
        using var outer = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var dynamics = net.Network.Dynamics(dt);
        var noiseScale = dynamics.RecurrentNoiseScale()
            ?? throw new NotSupportedException("The torch loop draws uncorrelated recurrent noise only.");
        int b = trials.Count, n = net.Config.N, nin = net.Config.Nin, steps = trials.Max(t => t.Length);
        var f32 = torch.ScalarType.Float32;
        var wrecT = torch.tensor(net.Wrec.Data, [n, n], f32).t().contiguous();
        var winT = nin > 0 ? torch.tensor(net.Win!.Data, [n, nin], f32).t().contiguous() : null;
        var brec = torch.tensor(net.Brec, [n], f32);
        var u = new float[steps * b * Math.Max(nin, 1)];
        for (int i = 0; i < b; i++)
            for (int t = 0; t < trials[i].Length; t++)
                for (int k = 0; k < nin; k++) u[(t * b + i) * nin + k] = dynamics.Input(trials[i].Inputs[t, k], 0);
        var inputs = nin > 0 ? torch.tensor(u, [steps, b, nin], f32) : null;
        var alpha = torch.tensor(dynamics.Alpha, [n], f32);
        var decay = torch.tensor(dynamics.Decay, [n], f32);
        var scale = torch.tensor(noiseScale, [n], f32);
        using var model = new TorchModel(net.Config.HiddenActivation);
        var x = torch.tensor(net.X0, [1, n], f32).expand(b, n).contiguous();
        var r = model.Hidden(x);
        var sw = Stopwatch.StartNew();
        for (int t = 0; t < steps; t++)
        {
            using var scope = torch.NewDisposeScope();
            var pre = model.Add(model.Add(r.mm(wrecT), brec), torch.randn(b, n).mul(scale));
            if (inputs is not null) pre = model.Add(pre, inputs[t].mm(winT!));
            var next = model.Step(x, pre, alpha, decay).MoveToOuterDisposeScope();
            var rate = model.Hidden(next).MoveToOuterDisposeScope();
            x.Dispose(); r.Dispose(); // keep memory flat: only the current state survives the step
            x = next; r = rate;
        }
        return b / sw.Elapsed.TotalSeconds;
    }
}
