using PyCog.Analysis;
using PyCog.Interactive;
using PyCog.Plotting;
using PyCog.Simulation;
using PyCog.Tasks;
using Xunit;

namespace PyCog.Tests.Interactive;

public class DisplayTests
{
    static TrainedNetwork Rdm() => TrainedNetwork.Load(Path.Combine(PyCog.IO.RepositoryFolder.Root()!, "data", "rdm_fixed-seed100-fused.npz"));

    [Fact]
    public void Network_card_shows_size_training_and_the_spectral_radius_of_the_effective_weights()
    {
        var net = Rdm();
        string html = Displays.Network(net);
        Assert.Contains("100 (80 excitatory, 20 inhibitory)", html);
        Assert.Contains(net.Wrec.SpectralRadius().ToString("F3", System.Globalization.CultureInfo.InvariantCulture), html);
        Assert.Contains($"{net.Saved!.Trials:N0} trials", html);
        Assert.Contains("% correct", html);
    }

    [Fact]
    public void Fit_shows_each_parameter_with_its_standard_error()
    {
        var points = new[] { -20.0, -10, -5, 0, 5, 10, 20 }.Select((x, i) => new PsychometricPoint(x, 50, Math.Clamp(0.5 + x / 40 + (i % 2 == 0 ? 0.02 : -0.02), 0, 1))).ToList();
        var fit = Psychometric.FitCumulativeGaussian(points);
        string html = Displays.Fit(fit);
        foreach (var name in new[] { "mu", "sigma" })
            Assert.Contains($"{fit.Parameters[name].ToString("G4", System.Globalization.CultureInfo.InvariantCulture)} &plusmn; {fit.StandardErrors[name].ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}", html);
    }

    [Fact]
    public void Trials_are_summarised_by_condition_with_percent_correct()
    {
        var task = TaskRegistry.Create("rdm_fixed");
        var requests = ConditionGrid.TestRequests(task, 2);
        var trials = new Integrator(Rdm(), new SimulationOptions { Dt = 1, RecordEvery = 20 }).Run(task, requests, seed: 1);
        string html = Displays.Trials(trials);
        Assert.Contains($"{trials.Count:N0} simulated trials", html);
        int conditions = trials.Select(t => string.Join(",", t.Info!.ConditionForJson().Select(kv => kv.Key + kv.Value))).Distinct().Count();
        Assert.Equal(conditions + 1, html.Split("<tr>").Length - 1);   // header + one row per condition
        Assert.Contains("% correct", html);
    }

    [Fact]
    public void Chart_html_draws_in_its_own_element_each_time()
    {
        var chart = Charts.Lines([("a", new double[] { 1, 2 }, new double[] { 3, 4 })], "t", "x", "y");
        string a = ChartHtml.Render(chart), b = ChartHtml.Render(chart);
        string Id(string h) => System.Text.RegularExpressions.Regex.Match(h, "id=\"(pycog-[0-9a-f]+)\"").Groups[1].Value;
        Assert.NotEqual(Id(a), Id(b));
        Assert.Contains($"Plotly.newPlot('{Id(a)}'", a);
    }
}
