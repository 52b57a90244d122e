using PyCog.Numerics;

namespace PyCog.Tasks;

/// <summary>
/// Writes a trial in the vocabulary of a methods section: named epochs, then "this input
/// carries this value during this epoch", "the target of this output is this value during that
/// epoch", "the error counts during these epochs". No index arithmetic in task code.
/// </summary>
/// <example>
/// <code>
/// var b = new TrialBuilder(dt, Epochs.Sequence(("fixation", 100), ("stimulus", 800), ("decision", 300)), nin: 2, nout: 2, request);
/// b.Input(0, "stimulus", 0.6).Input(1, "stimulus", 0.4);
/// b.Target(0, "fixation", 0.2).Target(0, "decision", 1).Target(1, "decision", 0.2).Mask("fixation", "decision");
/// return b.Build(info);
/// </code>
/// </example>
public sealed class TrialBuilder
{
    readonly double _dt;
    readonly Epochs _epochs;
    readonly double[] _times;
    readonly Matrix _inputs;
    readonly Matrix? _outputs;
    readonly Matrix? _mask;

    /// <summary>Starts a trial on the time grid of <paramref name="epochs"/>.</summary>
    public TrialBuilder(double dt, Epochs epochs, int nin, int nout, TrialRequest request)
    {
        _dt = dt;
        _epochs = epochs;
        _times = TimeGrid.Times(dt, epochs.T);
        _inputs = new Matrix(_times.Length, nin);
        if (request.TargetOutput)
        {
            _outputs = new Matrix(_times.Length, nout);
            _mask = new Matrix(_times.Length, nout);
        }
    }

    /// <summary>Time indices of the named epoch.</summary>
    public int[] Indices(string epoch) => TimeGrid.Indices(_times, _epochs[epoch].Start, _epochs[epoch].End);

    /// <summary>Number of time points.</summary>
    public int Length => _times.Length;

    /// <summary>Input channel <paramref name="channel"/> carries <paramref name="value"/> during <paramref name="epoch"/>.</summary>
    public TrialBuilder Input(int channel, string epoch, double value)
    {
        foreach (int i in Indices(epoch)) _inputs[i, channel] = (float)value;
        return this;
    }

    /// <summary>Input channel carries a time-dependent value during an epoch.</summary>
    public TrialBuilder Input(int channel, string epoch, Func<double, double> valueAtTime)
    {
        foreach (int i in Indices(epoch)) _inputs[i, channel] = (float)valueAtTime(_times[i]);
        return this;
    }

    /// <summary>Target of output <paramref name="channel"/> is <paramref name="value"/> during <paramref name="epoch"/>.</summary>
    public TrialBuilder Target(int channel, string epoch, double value)
    {
        if (_outputs is null) return this;
        foreach (int i in Indices(epoch)) _outputs[i, channel] = (float)value;
        return this;
    }

    /// <summary>Target of output <paramref name="channel"/> follows a function of time (ms) over the whole trial.</summary>
    public TrialBuilder Target(int channel, Func<double, double> valueAtTime)
    {
        if (_outputs is null) return this;
        for (int i = 0; i < _times.Length; i++) _outputs[i, channel] = (float)valueAtTime(_times[i]);
        return this;
    }

    /// <summary>Target of every output is <paramref name="value"/> at every time.</summary>
    public TrialBuilder TargetEverywhere(double value)
    {
        _outputs?.Data.AsSpan().Fill((float)value);
        return this;
    }

    /// <summary>The error counts (mask 1 on every output) during the named epochs.</summary>
    public TrialBuilder Mask(params string[] epochs)
    {
        if (_mask is null) return this;
        foreach (var e in epochs)
            foreach (int i in Indices(e)) _mask.Row(i).Fill(1f);
        return this;
    }

    /// <summary>The error counts at every time on every output.</summary>
    public TrialBuilder MaskEverywhere()
    {
        _mask?.Data.AsSpan().Fill(1f);
        return this;
    }

    /// <summary>Finishes the trial.</summary>
    public Trial Build(TrialInfo info) => new(_dt, _epochs.T, _times, _epochs.ToDictionary(), _inputs, _outputs, _mask, info);
}
