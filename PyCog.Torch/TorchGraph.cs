using PyCog.Network;
using static TorchSharp.torch;

namespace PyCog.Torch;

/// <summary>
/// The network's tensors during one torch forward pass, handed to a user's
/// <see cref="TorchEngine.ExtraLoss"/>. Weights are the effective ones (what the dynamics use).
/// </summary>
public sealed class TorchGraph
{
    /// <summary>The network's configuration (every default filled).</summary>
    public required NetworkConfig Config { get; init; }
    /// <summary>Effective input weights N x Nin, or null.</summary>
    public required Tensor? Win { get; init; }
    /// <summary>Effective recurrent weights N x N.</summary>
    public required Tensor Wrec { get; init; }
    /// <summary>Effective output weights Nout x N.</summary>
    public required Tensor Wout { get; init; }
    /// <summary>States x_1..x_T, each trials x N.</summary>
    public required IReadOnlyList<Tensor> X { get; init; }
    /// <summary>Rates r_1..r_T stacked: time x trials x N.</summary>
    public required Tensor R { get; init; }
    /// <summary>Outputs z: time x trials x Nout.</summary>
    public required Tensor Z { get; init; }
    /// <summary>Targets: time x trials x Nout.</summary>
    public required Tensor Targets { get; init; }
    /// <summary>Mask: time x trials x Nout.</summary>
    public required Tensor Mask { get; init; }
    /// <summary>The loss without regularisers (a scalar).</summary>
    public required Tensor Loss { get; init; }
}
