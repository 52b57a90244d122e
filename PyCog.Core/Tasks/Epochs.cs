using PyCog.Numerics;

namespace PyCog.Tasks;

/// <summary>Named epochs (start, end] in ms and the trial duration T.</summary>
public sealed class Epochs
{
    readonly List<(string Name, double Start, double End)> _list = new();

    /// <summary>Trial duration, ms.</summary>
    public double T { get; }

    /// <summary>Epochs with explicit bounds.</summary>
    public Epochs(double t, params (string Name, double Start, double End)[] epochs)
    {
        if (!(t > 0) || !double.IsFinite(t)) throw new ArgumentOutOfRangeException(nameof(t), $"T must be positive and finite, got {t}.");
        T = t;
        foreach (var e in epochs)
        {
            if (e.Start > e.End) throw new ArgumentException($"Epoch '{e.Name}' starts at {e.Start} ms after it ends at {e.End} ms.");
            if (_list.Any(x => x.Name == e.Name)) throw new ArgumentException($"Epoch '{e.Name}' is defined twice.");
            _list.Add(e);
        }
    }

    /// <summary>Epochs laid back to back from 0; T is the sum of the durations.</summary>
    public static Epochs Sequence(params (string Name, double Duration)[] periods)
    {
        double t = 0;
        var list = new List<(string, double, double)>();
        foreach (var (name, d) in periods)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(periods), $"Epoch '{name}' has negative duration {d} ms.");
            list.Add((name, t, t + d));
            t += d;
        }
        return new Epochs(t, list.ToArray());
    }

    /// <summary>Bounds of the named epoch.</summary>
    public (double Start, double End) this[string name]
    {
        get
        {
            foreach (var e in _list) if (e.Name == name) return (e.Start, e.End);
            throw new KeyNotFoundException($"No epoch '{name}' (epochs: {string.Join(", ", _list.Select(e => e.Name))}).");
        }
    }

    /// <summary>The epochs as a dictionary.</summary>
    public IReadOnlyDictionary<string, (double Start, double End)> ToDictionary() =>
        _list.ToDictionary(e => e.Name, e => (e.Start, e.End));
}
