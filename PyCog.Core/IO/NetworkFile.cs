using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using PyCog.Network;
using PyCog.Numerics;

namespace PyCog.IO;

/// <summary>A network file that cannot be read; the message names the file and the problem.</summary>
public sealed class NetworkFileException : IOException
{
    /// <summary>Creates the exception.</summary>
    public NetworkFileException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner) { }
}

/// <summary>
/// The trained-network and checkpoint file (one format for both), version 1: an <c>.npz</c>
/// archive, that is a zip of NumPy <c>.npy</c> arrays, plus <c>metadata.json</c>. A Python user
/// reads it without this library:
/// <code>
/// import numpy as np, json, zipfile
/// net = np.load("rdm_fixed.npz")              # net["Wrec"], net["Win"], net["ei"], ...
/// meta = json.loads(zipfile.ZipFile("rdm_fixed.npz").read("metadata.json"))
/// </code>
/// Arrays: <c>Win, Wrec, Wout</c> (effective weights of the best parameters, what the dynamics
/// use, as pycog saved them), <c>brec, bout, x0</c> (best); <c>Win_raw, Wrec_raw, Wout_raw</c>
/// (best raw trained matrices); <c>current_*</c> (latest raw parameters, for resuming);
/// <c>ei</c>; <c>Cin_plastic, Cin_fixed, Crec_plastic, Crec_fixed, Cout_plastic, Cout_fixed</c>;
/// optional <c>tau, var_in, var_rec</c> when not scalar. The metadata hold the configuration
/// (pycog's parameter names), histories, generator states, task, engine and versions.
/// Files are written atomically (temporary file, flush, rename).
/// </summary>
public static class NetworkFile
{
    /// <summary>Format identifier in the metadata.</summary>
    public const string Format = "pycog-net";
    /// <summary>Current format version.</summary>
    public const int Version = 1;

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes a trained network atomically: a killed process leaves either the old or the new file.</summary>
    public static void Save(string path, SavedNetwork network) => Save(path, network, null, null);

    /// <summary>
    /// Writes a trained network and, for a checkpoint, parameter-shaped training state under a
    /// prefix each (the latest parameters as <c>current_*</c>, optimiser moments) and the training
    /// state's metadata entries (generator states, iteration), atomically.
    /// </summary>
    internal static void Save(string path, SavedNetwork network, IReadOnlyList<(string Prefix, NetworkParameters Values)>? state, JsonObject? trainingState) =>
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            WriteEntries(zip, network, state ?? [], trainingState);
        });

    static void WriteEntries(ZipArchive zip, SavedNetwork run, IReadOnlyList<(string Prefix, NetworkParameters Values)> state, JsonObject? trainingState)
    {
        var c = run.Config;
        var eff = run.Effective();
        void Arr(string name, ReadOnlySpan<float> v, params int[] shape) { using var s = zip.CreateEntry(name + ".npy", CompressionLevel.Fastest).Open(); Npy.Write(s, v, shape); }
        void ArrD(string name, ReadOnlySpan<double> v, params int[] shape) { using var s = zip.CreateEntry(name + ".npy", CompressionLevel.Fastest).Open(); Npy.Write(s, v, shape); }
        void ArrI(string name, ReadOnlySpan<int> v, params int[] shape) { using var s = zip.CreateEntry(name + ".npy", CompressionLevel.Fastest).Open(); Npy.Write(s, v, shape); }
        void Mat(string name, Matrix m) => Arr(name, m.Data, m.Rows, m.Cols);

        if (eff.Win is not null) Mat("Win", eff.Win);
        Mat("Wrec", eff.Wrec);
        Mat("Wout", eff.Wout);
        Arr("brec", run.Parameters.Brec, c.N); Arr("bout", run.Parameters.Bout, c.Nout); Arr("x0", run.Parameters.X0, c.N);
        WriteParams(run.Parameters, "", "_raw");
        foreach (var (prefix, values) in state) WriteParams(values, prefix, "");
        void WriteParams(NetworkParameters p, string prefix, string suffix)
        {
            if (p.Win is not null) Mat(prefix + "Win" + suffix, p.Win);
            Mat(prefix + "Wrec" + suffix, p.Wrec);
            Mat(prefix + "Wout" + suffix, p.Wout);
            if (prefix.Length > 0) { Arr(prefix + "brec", p.Brec, c.N); Arr(prefix + "bout", p.Bout, c.Nout); Arr(prefix + "x0", p.X0, c.N); }
        }
        if (c.Ei is not null) ArrI("ei", c.Ei, c.N);
        foreach (var (name, conn) in new[] { ("Cin", c.Cin), ("Crec", c.Crec), ("Cout", c.Cout) })
            if (conn is not null) { Mat(name + "_plastic", conn.Plastic); Mat(name + "_fixed", conn.Fixed); }
        if (c.TauPerUnit is not null) ArrD("tau", c.TauPerUnit, c.N);
        foreach (var (name, v) in new[] { ("var_in", c.VarIn), ("var_rec", c.VarRec) })
        {
            if (v.PerUnit is not null) ArrD(name, v.PerUnit, v.PerUnit.Length);
            else if (v.Covariance is not null) ArrD(name, v.Covariance.Cast<double>().ToArray(), v.Covariance.GetLength(0), v.Covariance.GetLength(1));
        }

        var config = new JsonObject();
        var settings = NetworkConfig.Parameters.Describe(c).Concat(run.TrainingSettings.Select(kv => (kv.Key, kv.Value)))
            .OrderBy(p => p.Item1, StringComparer.Ordinal);
        foreach (var (name, value) in settings)
        {
            if ((name == "var_in" && c.VarIn.PerUnit is not null | c.VarIn.Covariance is not null) ||
                (name == "var_rec" && c.VarRec.PerUnit is not null | c.VarRec.Covariance is not null) ||
                (name == "tau" && c.TauPerUnit is not null)) continue;
            config[name] = value;
        }
        var meta = new JsonObject
        {
            ["format"] = Format,
            ["format_version"] = Version,
            ["library_version"] = run.LibraryVersion,
            ["task"] = run.Task,
            ["engine"] = run.Engine,
            ["seed"] = run.Seed,
            ["dale"] = c.Ei is not null,
            ["status"] = run.Finished ? "finished" : "training",
            ["termination"] = run.Termination?.Name,
            ["reached"] = run.Termination?.Reached,
            ["trials"] = run.Trials,
            ["elapsed_seconds"] = run.ElapsedSeconds,
            ["best"] = new JsonObject
            {
                ["iteration"] = run.Best.Iteration,
                ["cost"] = Finite(run.Best.Cost),
                ["rmse"] = Finite(run.Best.Rmse),
                ["performance"] = run.Best.Performance is double bp ? Finite(bp) : null,
            },
            ["config"] = config,
            ["costs_history"] = new JsonArray(run.History.Select(h => (JsonNode)new JsonObject
            {
                ["trials"] = h.Trials, ["cost"] = Finite(h.Cost), ["rmse"] = Finite(h.Rmse),
                ["performance"] = h.Performance is double p ? Finite(p) : null,
            }).ToArray()),
            ["omega_history"] = new JsonArray(run.OmegaHistory.Select(h => (JsonNode)new JsonObject { ["trials"] = h.Trials, ["omega"] = Finite(h.Omega) }).ToArray()),
            ["notes"] = new JsonObject(run.Notes.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
        if (trainingState is not null)
            foreach (var (key, value) in trainingState) meta[key] = value?.DeepClone();
        using var ms = zip.CreateEntry("metadata.json", CompressionLevel.Fastest).Open();
        JsonSerializer.Serialize(ms, meta, Indented);
    }

    static JsonNode? Finite(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    /// <summary>Reads a network or checkpoint file; every problem is a <see cref="NetworkFileException"/>.</summary>
    public static SavedNetwork Load(string path) => Load(path, _ => [], out _, out _);

    /// <summary>
    /// Reads a file and also hands back what only a checkpoint holds: the parameter-shaped state
    /// under each prefix that <paramref name="statePrefixes"/> names from the metadata and the file
    /// has (not checked for NaN: a diverged run's latest parameters still load) and the metadata,
    /// for the training state.
    /// </summary>
    internal static SavedNetwork Load(string path, Func<JsonObject, IReadOnlyList<string>> statePrefixes, out Dictionary<string, NetworkParameters> state, out JsonObject meta)
    {
        if (Directory.Exists(path)) throw new NetworkFileException(path, "is a directory, not a network file.");
        if (!File.Exists(path)) throw new NetworkFileException(path, "no such file.");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return Read(path, zip, statePrefixes, out state, out meta);
        }
        catch (NetworkFileException) { throw; }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or JsonException
                                   or FormatException or ArgumentException or InvalidOperationException or KeyNotFoundException
                                   or NullReferenceException or IndexOutOfRangeException or OverflowException)
        {
            throw new NetworkFileException(path, $"corrupt or truncated network file ({e.Message})", e);
        }
    }

    static SavedNetwork Read(string path, ZipArchive zip, Func<JsonObject, IReadOnlyList<string>> stateOf, out Dictionary<string, NetworkParameters> state, out JsonObject meta)
    {
        var metaEntry = zip.GetEntry("metadata.json") ?? throw new NetworkFileException(path, "not a PyCog network file (no metadata.json).");
        using (var s = metaEntry.Open())
            meta = JsonNode.Parse(s) as JsonObject ?? throw new NetworkFileException(path, "metadata.json is not a JSON object.");
        var statePrefixes = stateOf(meta);
        if ((string?)meta["format"] != Format) throw new NetworkFileException(path, $"not a PyCog network file (format '{meta["format"]}').");
        int version = (int?)meta["format_version"] ?? -1;
        if (version != Version)
            throw new NetworkFileException(path, $"format version {version} is not supported by this library (it reads version {Version}); " +
                "convert the file with the library version that wrote it.");

        Npy.Array Get(string name)
        {
            var entry = zip.GetEntry(name + ".npy") ?? throw new NetworkFileException(path, $"array '{name}' is missing.");
            using var s = entry.Open();
            var a = Npy.Read(s, name);
            // The latest parameters of a diverged run may be NaN; Checkpoint.Load refuses to resume from them,
            // but the trained network (the best parameters) still loads.
            if (!statePrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)) && a.Values.Any(v => !double.IsFinite(v)))
                throw new NetworkFileException(path, $"array '{name}' contains NaN or infinite values.");
            return a;
        }
        bool Has(string name) => zip.GetEntry(name + ".npy") is not null;
        Matrix Mat(string name, int rows, int cols)
        {
            var a = Get(name);
            if (a.Shape.Length != 2 || a.Shape[0] != rows || a.Shape[1] != cols)
                throw new NetworkFileException(path, $"array '{name}' has shape ({string.Join(", ", a.Shape)}), expected ({rows}, {cols}).");
            return new Matrix(rows, cols, a.AsFloats());
        }
        float[] Vec(string name, int n)
        {
            var a = Get(name);
            if (a.Values.Length != n) throw new NetworkFileException(path, $"array '{name}' has {a.Values.Length} values, expected {n}.");
            return a.AsFloats();
        }

        var configJson = meta["config"] as JsonObject ?? throw new NetworkFileException(path, "metadata has no config.");
        var config = new NetworkConfig();
        var trainingSettings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in configJson)
        {
            if (value is null) continue;
            if (!NetworkConfig.Parameters.Contains(name)) trainingSettings[name] = value.ToString();
            else if (value.ToString() != "auto") config = NetworkConfig.Parameters.Set(config, name, value.ToString());
        }
        int n = config.N, nin = config.Nin, nout = config.Nout;
        Connectivity? Conn(string name, int rows, int cols) =>
            Has(name + "_plastic") ? new Connectivity(Mat(name + "_plastic", rows, cols), Mat(name + "_fixed", rows, cols)) : null;
        Variance Var(string name, Variance scalar, int units)
        {
            if (!Has(name)) return scalar;
            var a = Get(name);
            if (a.Shape.Length == 1) return Variance.PerUnitOf(a.Values);
            var cov = new double[units, units];
            for (int i = 0; i < units; i++) for (int j = 0; j < units; j++) cov[i, j] = a.Values[i * units + j];
            return Variance.CovarianceOf(cov);
        }
        config = config with
        {
            Ei = Has("ei") ? Vec("ei", n).Select(v => (int)v).ToArray() : null,
            Cin = nin > 0 ? Conn("Cin", n, nin) : null,
            Crec = Conn("Crec", n, n),
            Cout = Conn("Cout", nout, n),
            TauPerUnit = Has("tau") ? Get("tau").Values : null,
            VarIn = Var("var_in", config.VarIn, nin),
            VarRec = Var("var_rec", config.VarRec, n),
        };
        ResolvedNetworkConfig network;
        try { network = config.Resolve(); }
        catch (ConfigurationException e) { throw new NetworkFileException(path, $"invalid configuration: {e.Message}", e); }

        NetworkParameters Params(string prefix, string suffix, bool vectorsWithPrefix) => new(
            nin > 0 ? Mat(prefix + "Win" + suffix, n, nin) : null,
            Mat(prefix + "Wrec" + suffix, n, n), Mat(prefix + "Wout" + suffix, nout, n),
            Vec((vectorsWithPrefix ? prefix : "") + "brec", n), Vec((vectorsWithPrefix ? prefix : "") + "bout", nout), Vec((vectorsWithPrefix ? prefix : "") + "x0", n));

        var best = meta["best"] as JsonObject ?? throw new NetworkFileException(path, "metadata has no best record.");
        var history = new List<ValidationRecord>();
        foreach (var h in meta["costs_history"] as JsonArray ?? new JsonArray())
            history.Add(new ValidationRecord((long)h!["trials"]!, (double?)h["cost"] ?? double.NaN, (double?)h["rmse"] ?? double.NaN, (double?)h["performance"]));
        var omegaHistory = new List<(long, double)>();
        foreach (var h in meta["omega_history"] as JsonArray ?? new JsonArray())
            omegaHistory.Add(((long)h!["trials"]!, (double?)h["omega"] ?? double.NaN));
        var notes = new Dictionary<string, string>();
        if (meta["notes"] is JsonObject notesJson)
            foreach (var (k, v) in notesJson) if (v is not null) notes[k] = v.ToString();
        string? termination = (string?)meta["termination"];
        state = statePrefixes.Where(prefix => Has(prefix + "Wrec")).ToDictionary(prefix => prefix, prefix => Params(prefix, "", true));
        var parameters = Params("", "_raw", false);
        bool? dale = (bool?)meta["dale"];
        if (dale == true && config.Ei is null) throw new NetworkFileException(path, "array 'ei' is missing (the network has Dale's law).");
        // The effective weights stored for Python users must follow from the raw weights and the
        // structure; a file without 'ei' (older files do not record Dale's law) fails here.
        if (Has("Wrec") && !Mat("Wrec", n, n).Data.AsSpan().SequenceEqual(EffectiveWeights.Compute(network, parameters).Wrec.Data))
            throw new NetworkFileException(path, config.Ei is null
                ? "array 'ei' is missing: the stored effective weights (Wrec) have Dale's law signs."
                : "the stored effective weights (Wrec) do not follow from the raw weights and connectivity; the file was altered.");
        var run = new SavedNetwork
        {
            Task = (string?)meta["task"] ?? throw new NetworkFileException(path, "metadata has no task name."),
            Engine = (string?)meta["engine"] ?? "fused",
            Seed = (long?)meta["seed"] ?? 1234,
            Network = network,
            Parameters = parameters,
            Best = new BestValidation((long?)best["iteration"] ?? 1, (double?)best["cost"] ?? double.PositiveInfinity,
                (double?)best["rmse"] ?? double.NaN, (double?)best["performance"]),
            Trials = (long?)meta["trials"] ?? 0,
            ElapsedSeconds = (double?)meta["elapsed_seconds"] ?? 0,
            Finished = (string?)meta["status"] == "finished",
            Termination = termination is null ? null : Termination.Parse(termination, (bool?)meta["reached"] ?? false),
            LibraryVersion = (string?)meta["library_version"] ?? "unknown",
            History = history,
            OmegaHistory = omegaHistory,
            TrainingSettings = trainingSettings,
            Notes = notes,
        };
        return run;
    }
}
