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
    bool built = System.IO.File.Exists("../PyCog.Plotting/bin/Release/net10.0/PyCog.Plotting.dll");
    // Another open notebook may hold the assemblies (Windows locks loaded files): keep using that build.
    if (process.ExitCode != 0 && built && (output.Result + errors.Result).Contains("being used by another process"))
        Console.WriteLine("PyCog is in use by another notebook; using the existing build.");
    else if (process.ExitCode != 0)
        throw new Exception("Building PyCog failed (dotnet build PyCog.Plotting -c Release):\n" + output.Result + errors.Result);
}
