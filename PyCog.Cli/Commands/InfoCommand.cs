using System.Globalization;
using PyCog.IO;
using PyCog.Network;
using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PyCog.Cli.Commands;

/// <summary><c>pycog info FILE</c>: what a trained network or checkpoint holds.</summary>
sealed class InfoCommand : Command<InfoCommand.Settings>
{
    /// <summary>The options of <c>pycog info</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>"), Description("A trained network or checkpoint (.npz).")]
        public string File { get; init; } = "";
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        string path = settings.File;
        var run = NetworkFile.Load(path);
        var c = run.Config;
        var eff = run.Effective();
        string F(double v, string fmt = "G6") => double.IsFinite(v) ? v.ToString(fmt, CultureInfo.InvariantCulture) : "n/a";

        var summary = new Table().HideHeaders().AddColumns("", "");
        void Row(string k, string v) => summary.AddRow(Markup.Escape(k), Markup.Escape(v));
        Row("file", Path.GetFullPath(path));
        Row("task", run.Task);
        Row("status", (run.Finished ? "finished" : "training") + (run.Termination is null ? "" : $" ({run.Termination})"));
        Row("engine", run.Engine);
        Row("library version", run.LibraryVersion);
        Row("reproducibility contract", run.Reproducibility == 1 && !run.TrainingSettings.ContainsKey("reproducibility")
            ? "1 (written before the setting existed)" : run.Reproducibility.ToString(CultureInfo.InvariantCulture));
        Row("seed", run.Seed.ToString(CultureInfo.InvariantCulture));
        Row("Nin / N / Nout", $"{c.Nin} / {c.N} / {c.Nout}");
        Row("Dale's law", c.Ei is null ? "no" : $"E/I = {c.Ei.Count(e => e > 0)}/{c.Ei.Count(e => e < 0)}");
        Row("trials", $"{run.Trials:N0}");
        Row("training time", $"{run.ElapsedSeconds:F1} s");
        Row("best (iteration)", run.Best.Iteration.ToString("N0", CultureInfo.InvariantCulture));
        Row("best validation cost / RMSE", $"{F(run.Best.Cost)} / {F(run.Best.Rmse)}");
        Row("best performance", run.Best.Performance is double p ? $"{p:F1}%" : "n/a");
        Row("spectral radius (best Wrec_)", F(eff.Wrec.SpectralRadius(), "F4"));
        Row("validations", run.History.Count.ToString(CultureInfo.InvariantCulture));
        if (run.Notes.TryGetValue("command", out var cmd)) Row("command", cmd);
        AnsiConsole.Write(summary);

        if (run.History.Count > 0)
        {
            var hist = new Table().Title("last validations").AddColumns("trials", "cost", "RMSE", "performance");
            foreach (var h in run.History.TakeLast(8))
                hist.AddRow(h.Trials.ToString("N0", CultureInfo.InvariantCulture), F(h.Cost), F(h.Rmse), h.Performance is double v ? $"{v:F1}%" : "n/a");
            AnsiConsole.Write(hist);
        }
        var parameters = new Table().Title("configuration (pycog names)").AddColumns("parameter", "value", "parameter", "value");
        var rows = NetworkConfig.Parameters.Describe(c).Concat(run.TrainingSettings.Select(kv => (Name: kv.Key, Value: kv.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        int half = (rows.Count + 1) / 2;
        for (int i = 0; i < half; i++)
        {
            var l = rows[i];
            var r = i + half < rows.Count ? rows[i + half] : ("", "");
            parameters.AddRow(Markup.Escape(l.Name), Markup.Escape(l.Value), Markup.Escape(r.Item1), Markup.Escape(r.Item2));
        }
        AnsiConsole.Write(parameters);
        return 0;
    }
}
