// Builds PyCog.Core and PyCog.Plotting (Release) so the next cell can reference them. Incremental:
// a few seconds when nothing changed. Loaded by the first cell of every notebook.
var build = new System.Diagnostics.ProcessStartInfo("dotnet", "build ../PyCog.Plotting/PyCog.Plotting.csproj -c Release -nologo -v q")
{
    RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
};
using (var process = System.Diagnostics.Process.Start(build)!)
{
    var output = process.StandardOutput.ReadToEndAsync();
    var errors = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    if (process.ExitCode != 0)
        throw new Exception("Building PyCog failed (dotnet build PyCog.Plotting -c Release):\n" + output.Result + errors.Result);
}
