using PyCog.Network;
using PyCog.Numerics;
using PyCog.Tasks;
using PyCog.Training;
using Xunit;

namespace PyCog.Tests.Training;

/// <summary>
/// Minibatches under reproducibility contract 2: every trial draws from its own stream keyed by
/// (seed, purpose, minibatch, trial), so a minibatch is the same bits on any number of threads,
/// a resumed run draws exactly the minibatch the uninterrupted one would, and a trial's numbers
/// do not depend on the other trials.
/// </summary>
public class PerTrialStreamTests
{
    static Dataset Data(int trials, int threads, long seen = 0) =>
        new(RandomDotMotion.Fixed(), RandomDotMotion.Fixed().Network.Resolve(), TrialKind.Gradient, trials, 11)
        { Contract = 2, Threads = threads, TrialsSeen = seen };

    static void Same(Batch a, Batch b)
    {
        Assert.Equal((a.Time, a.Trials), (b.Time, b.Trials));
        Assert.Equal(a.Inputs, b.Inputs);
        Assert.Equal(a.RecurrentNoise, b.RecurrentNoise);
        Assert.Equal(a.Targets, b.Targets);
        Assert.Equal(a.Mask, b.Mask);
    }

    [Fact]
    public void A_minibatch_is_the_same_bits_on_one_three_or_eight_threads()
    {
        var one = Data(20, 1);
        var three = Data(20, 3);
        var eight = Data(20, 8);
        for (int k = 0; k < 3; k++)
        {
            var a = one.Next();
            Same(a, three.Next());
            Same(a, eight.Next());
        }
    }

    [Fact]
    public void A_resumed_dataset_draws_the_minibatch_an_uninterrupted_one_would()
    {
        var straight = Data(20, 2);
        straight.Next(); straight.Next();
        Same(straight.Next(), Data(20, 2, seen: 40).Next());
    }

    [Fact]
    public void Trial_b_of_minibatch_m_is_the_trial_its_own_stream_gives()
    {
        var task = RandomDotMotion.Fixed();
        var network = task.Network.Resolve();
        var batch = Data(20, 2, seen: 60).Next();   // minibatch 3
        var request = new TrialRequest { Kind = TrialKind.Gradient, MinibatchIndex = 7, TargetOutput = true };
        var expected = task.GenerateCheckedTrial(TrialStreams.For(11, (int)TrialKind.Gradient + 1, 3, 7), network.Dynamics().Dt, request, network.Config);
        var got = batch.TrialList![7];
        Assert.Equal(expected.Info.Condition, got.Info.Condition);
        Assert.Equal(expected.Length, got.Length);
        for (int t = 0; t < got.Length; t++) Assert.Equal(expected.Outputs![t, 0], batch.Targets[(t * 20 + 7) * 2]);
    }

    [Fact]
    public void A_trials_noise_does_not_depend_on_the_other_trials()
    {
        // Trial 0 of minibatch 0 in a minibatch of 20 and in a minibatch of 1: the same stream, so
        // the same noise over its own steps, whatever the others' lengths.
        var alone = Data(1, 1).Next();
        var among = Data(20, 2).Next();
        int n = 100, length = alone.TrialList![0].Length;
        Assert.Equal(alone.TrialList[0].Info.Condition, among.TrialList![0].Info.Condition);
        for (int t = 0; t < length; t++)
            Assert.Equal(alone.RecurrentNoise.AsSpan(t * n, n).ToArray(), among.RecurrentNoise.AsSpan(t * 20 * n, n).ToArray());
    }

    [Fact]
    public void Per_trial_keys_are_distinct_for_purpose_minibatch_and_trial()
    {
        var first = new[] { TrialStreams.For(1, 1, 0, 0), TrialStreams.For(1, 2, 0, 0), TrialStreams.For(1, 1, 1, 0), TrialStreams.For(1, 1, 0, 1), TrialStreams.For(2, 1, 0, 0) }
            .Select(r => r.NextUInt64()).ToArray();
        Assert.Equal(first.Length, first.Distinct().Count());
        Assert.Equal(TrialStreams.For(1, 1, 5, 3).NextUInt64(), TrialStreams.For(1, 1, 5, 3).NextUInt64());
    }
}

/// <summary>The fused engine's contract-2 gradient sums: fixed block order, the same bits on any number of threads.</summary>
public class BlockGradientTests
{
    static (NetworkParameters, ResolvedNetworkConfig, Batch) Setup(int trials)
    {
        var task = RandomDotMotion.Fixed();
        var (p, network) = NetworkInitializer.Initialize(task.Network.Resolve(), 1234);
        var batch = new Dataset(task, network, TrialKind.Gradient, trials, 11) { Contract = 2 }.Next();
        return (p, network, batch);
    }

    static GradientResult Run(NetworkParameters p, ResolvedNetworkConfig network, Batch batch, int threads, int contract)
    {
        using var engine = new FusedEngine(network, new TrainingConfig { Lambda2R = 0.1 }) { Threads = threads, Contract = contract };
        return engine.ComputeGradient(p, batch);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(7)]
    [InlineData(37)]
    public void Contract_2_gradients_are_bit_identical_on_one_two_three_or_eight_threads(int trials)
    {
        var (p, network, batch) = Setup(trials);
        var one = Run(p, network, batch, 1, 2);
        foreach (int threads in new[] { 2, 3, 8 })
        {
            var many = Run(p, network, batch, threads, 2);
            Assert.Equal(one.Cost, many.Cost);
            foreach (var ((name, a), (_, b)) in one.Gradient.Arrays().Zip(many.Gradient.Arrays()))
                Assert.True(a.AsSpan().SequenceEqual(b), $"{name} differs with {threads} threads ({trials} trials)");
        }
    }

    [Fact]
    public void Contract_2_sums_the_same_gradient_as_contract_1_in_another_order()
    {
        var (p, network, batch) = Setup(20);
        var v1 = Run(p, network, batch, 2, 1);
        var v2 = Run(p, network, batch, 2, 2);
        Assert.Equal(v1.Cost, v2.Cost);   // the forward pass and the loss do not change
        bool anyBitDiffers = false;
        foreach (var ((name, a), (_, b)) in v1.Gradient.Arrays().Zip(v2.Gradient.Arrays()))
        {
            double scale = a.Max(v => Math.Abs((double)v)) + 1e-30;
            for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5 * scale, $"{name}[{i}]: {a[i]} against {b[i]}");
            anyBitDiffers |= !a.AsSpan().SequenceEqual(b);
        }
        Assert.True(anyBitDiffers, "the block order should change the last bits somewhere");
    }
}
