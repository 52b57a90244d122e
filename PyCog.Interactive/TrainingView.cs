using System.Globalization;
using PyCog.IO;
using PyCog.Plotting;
using PyCog.Training;
using PyCog.Training.Callbacks;

namespace PyCog.Interactive;

/// <summary>
/// What a notebook shows while a network trains: a status line and the validation curve
/// (performance or RMSE against trials), redrawn in place at every validation. It receives the
/// trainer's callbacks (<see cref="ITrainingCallback"/>) and raises <see cref="Changed"/>.
/// </summary>
public sealed class TrainingView : ITrainingCallback
{
    readonly List<(double Trials, double Value)> _points = [];
    readonly List<string> _warnings = [];
    readonly string _task;
    string _measure = "% correct";
    string _status;

    /// <summary>A view of training <paramref name="task"/>, continuing the history of <paramref name="resumed"/> when given.</summary>
    public TrainingView(string task, SavedNetwork? resumed = null)
    {
        _task = task;
        _status = "starting";
        if (resumed is null) return;
        foreach (var v in resumed.History) Add(v.Trials, v.Performance, v.Rmse);
        _status = $"resuming at {resumed.Trials:N0} trials";
    }

    /// <summary>Raised after every change (a validation, a warning, the end).</summary>
    public event Action? Changed;

    /// <summary>The status line.</summary>
    public string Status => _status;

    /// <summary>The validations shown: (trials, performance in % or RMSE).</summary>
    public IReadOnlyList<(double Trials, double Value)> Points => _points;

    void Add(long trials, double? performance, double rmse)
    {
        if (performance is null) _measure = "validation RMSE";
        _points.Add((trials, performance ?? rmse));
    }

    /// <inheritdoc />
    public void OnValidation(TrainingProgress p, TrainingState state)
    {
        Add(p.TrialsSeen, p.Performance, p.Rmse);
        string value = p.Performance is double perf ? $"{perf.ToString("F1", CultureInfo.InvariantCulture)}% correct" : $"RMSE {p.Rmse.ToString("F4", CultureInfo.InvariantCulture)}";
        _status = $"training: {p.TrialsSeen:N0} trials, {value}, cost {p.ValidationCost.ToString("F4", CultureInfo.InvariantCulture)}, {p.Elapsed.TotalSeconds:F0} s" + (p.IsNewBest ? " (new best)" : "");
        Changed?.Invoke();
    }

    /// <summary>Shows a configuration warning from the trainer.</summary>
    public void OnWarning(string warning) { _warnings.Add(warning); Changed?.Invoke(); }

    /// <summary>Shows how training ended.</summary>
    public void Finish(TrainingResult result, string? checkpoint)
    {
        string saved = checkpoint is null ? "" : $"; saved {checkpoint}";
        _status = result.Termination == Termination.Cancelled
            ? $"stopped at {result.TrialsSeen:N0} trials{saved}. Run the cell again to resume."
            : $"{(result.CriterionReached ? "criterion reached" : $"stopped ({result.Termination})")} after {result.TrialsSeen:N0} trials, {result.Seconds:F0} s{saved}";
        Changed?.Invoke();
    }

    /// <summary>Shows that training failed.</summary>
    public void Fail(string message) { _status = "failed: " + message; Changed?.Invoke(); }

    /// <summary>The status line as text (what a console shows).</summary>
    public override string ToString() => $"{_task}: {_status}";

    /// <summary>The status line, warnings and the validation curve as HTML.</summary>
    public string ToHtml()
    {
        string head = $"<div style=\"font-family:sans-serif;font-size:13px;margin:4px 0\"><b>{Html.Text(_task)}</b>: {Html.Text(_status)}</div>";
        string warnings = string.Concat(_warnings.Select(w => $"<div style=\"font-family:sans-serif;font-size:12px;color:#a60\">{Html.Text(w)}</div>"));
        if (_points.Count == 0) return head + warnings;
        var chart = Charts.Lines([("validation", _points.Select(p => p.Trials).ToArray(), _points.Select(p => p.Value).ToArray())],
            "", "trials", _measure).WithSizeMm(PaperStyle.DoubleColumnMm, 60);
        return head + warnings + ChartHtml.Render(chart);
    }
}
