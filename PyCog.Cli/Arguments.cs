namespace PyCog.Cli;

/// <summary>A command-line usage error: printed with the usage and exit code 2.</summary>
sealed class UsageException(string message) : Exception(message);

/// <summary>Minimal option parsing: positional words, <c>--name value</c> options and repeatable ones.</summary>
sealed class Arguments
{
    readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    public List<string> Positional { get; } = new();

    public Arguments(IEnumerable<string> args, IReadOnlySet<string> valued, IReadOnlySet<string> flags)
    {
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            string a = list[i];
            if (!a.StartsWith("--", StringComparison.Ordinal)) { Positional.Add(a); continue; }
            string name = a, value;
            int eq = a.IndexOf('=');
            if (eq > 0 && valued.Contains(a[..eq])) { name = a[..eq]; value = a[(eq + 1)..]; }
            else if (flags.Contains(a)) value = "true";
            else if (valued.Contains(a))
            {
                if (i + 1 >= list.Count) throw new UsageException($"Option {a} needs a value.");
                value = list[++i];
            }
            else throw new UsageException($"Unknown option '{a}'. Options here: {string.Join(", ", valued.Concat(flags).Order())}.");
            if (!_options.TryGetValue(name, out var values)) _options[name] = values = new List<string>();
            values.Add(value);
        }
    }

    public string? Get(string name) => _options.TryGetValue(name, out var v) ? v[^1] : null;
    public IReadOnlyList<string> All(string name) => _options.TryGetValue(name, out var v) ? v : Array.Empty<string>();
    public bool Has(string name) => _options.ContainsKey(name);

    /// <summary>Repeated <c>name key=value</c> options as a dictionary (later values win).</summary>
    public Dictionary<string, string> Pairs(string name)
    {
        var pairs = new Dictionary<string, string>();
        foreach (var s in All(name))
        {
            int eq = s.IndexOf('=');
            if (eq <= 0) throw new UsageException($"{name} expects key=value, got '{s}'.");
            pairs[s[..eq].Trim()] = s[(eq + 1)..].Trim();
        }
        return pairs;
    }

    public long? Long(string name)
    {
        var s = Get(name);
        if (s is null) return null;
        return long.TryParse(s, out long v) ? v : throw new UsageException($"{name} expects an integer, got '{s}'.");
    }

    /// <summary>An integer option in [min, max], or <paramref name="fallback"/>; anything else is a usage error naming the range.</summary>
    public int Int(string name, int fallback, int min, int max)
    {
        var s = Get(name);
        if (s is null) return fallback;
        return long.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long v) && v >= min && v <= max
            ? (int)v : throw new UsageException($"{name} expects an integer from {min:N0} to {max:N0}, got '{s}'.");
    }

    /// <summary>A positive, finite number option, or <paramref name="fallback"/>.</summary>
    public double PositiveDouble(string name, double fallback)
    {
        double v = Double(name) ?? fallback;
        return v > 0 && double.IsFinite(v) ? v : throw new UsageException($"{name} expects a positive number, got '{Get(name)}'.");
    }

    public double? Double(string name)
    {
        var s = Get(name);
        if (s is null) return null;
        return double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v)
            ? v : throw new UsageException($"{name} expects a number, got '{s}'.");
    }
}
