using System.IO.Compression;
using PyCog.IO;
using PyCog.Network;
using PyCog.Tasks;
using PyCog.Training;
using Xunit;

namespace PyCog.Tests.IO;

public class NetworkFileTests
{
    static string TempFile() => Path.Combine(Path.GetTempPath(), $"pycog-test-{Guid.NewGuid():N}.npz");

    static string TrainedFile()
    {
        var task = RandomDotMotion.Fixed();
        string path = TempFile();
        new Trainer(task, training: TrainingConfig.For(task) with { NGradient = 4, NValidation = 11, CheckFreq = 5, MaxIter = 10, Lambda2R = 0.25 }) { CheckpointPath = path }.Train();
        return path;
    }

    [Fact]
    public void NpyRoundTripsAndHasNumpysHeaderLayout()
    {
        using var ms = new MemoryStream();
        Npy.Write(ms, new float[] { 1.5f, -2, 3, 4, 5, 6 }, 2, 3);
        var bytes = ms.ToArray();
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", System.Text.Encoding.ASCII.GetString(bytes, 1, 5));
        int headerLen = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, (10 + headerLen) % 64);
        Assert.Equal((byte)'\n', bytes[10 + headerLen - 1]);
        ms.Position = 0;
        var a = Npy.Read(ms, "x");
        Assert.Equal([2, 3], a.Shape);
        Assert.Equal("<f4", a.Dtype);
        Assert.Equal([1.5, -2, 3, 4, 5, 6], a.Values);
    }

    [Fact]
    public void ATrainedNetworkRoundTrips()
    {
        string path = TrainedFile();
        try
        {
            var run = NetworkFile.Load(path);
            Assert.Equal("rdm_fixed", run.Task);
            Assert.True(run.Finished);
            Assert.Equal(Termination.MaxIter, run.Termination);
            Assert.Equal("0.25", run.TrainingSettings["lambda2_r"]);
            Assert.Equal(NetworkConfig.Parameters.Describe(run.Config), NetworkConfig.Parameters.Describe(NetworkFile.Load(path).Config));
            Assert.Equal(RandomDotMotion.Fixed().Network.Ei, run.Config.Ei);
            Assert.Equal(RandomDotMotion.Fixed().Network.Cin!.Plastic.Data, run.Config.Cin!.Plastic.Data);
            var checkpoint = Checkpoint.Load(path);
            Assert.Equal(0.25, checkpoint.Training.Lambda2R);
            Assert.Equal(10, checkpoint.Training.MaxIter);
            string copy = TempFile();
            checkpoint.Save(copy);
            var again = Checkpoint.Load(copy);
            Assert.Equal(checkpoint.Trained.Parameters.Wrec.Data, again.Trained.Parameters.Wrec.Data);
            Assert.Equal(checkpoint.Current.X0, again.Current.X0);
            Assert.Equal(checkpoint.Trained.History, again.Trained.History);
            Assert.Equal(checkpoint.GradientRng, again.GradientRng);
            Assert.Equal(checkpoint.Training, again.Training);
            // a trained network saved alone loads, but is not a checkpoint
            NetworkFile.Save(copy, run);
            Assert.Equal(run.Parameters.Wrec.Data, NetworkFile.Load(copy).Parameters.Wrec.Data);
            Assert.Contains("cannot be resumed", Assert.Throws<NetworkFileException>(() => Checkpoint.Load(copy)).Message);
            File.Delete(copy);
            // the effective weights stored for Python users are those of the best parameters
            using var zip = ZipFile.OpenRead(path);
            using var s = zip.GetEntry("Wrec.npy")!.Open();
            Assert.Equal(run.Effective().Wrec.Data.Select(v => (double)v), Npy.Read(s, "Wrec").Values);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ATruncatedFileIsRejectedWithAClearError()
    {
        string path = TrainedFile();
        try
        {
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            var e = Assert.Throws<NetworkFileException>(() => NetworkFile.Load(path));
            Assert.Contains("corrupt or truncated", e.Message);
            Assert.Contains(path, e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AFileThatIsNotAZipIsRejected()
    {
        string path = TempFile();
        File.WriteAllText(path, "not a network");
        try { Assert.Contains("corrupt or truncated", Assert.Throws<NetworkFileException>(() => NetworkFile.Load(path)).Message); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AWrongVersionIsRejectedNamingTheVersion()
    {
        string path = TrainedFile();
        try
        {
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                var entry = zip.GetEntry("metadata.json")!;
                string text;
                using (var r = new StreamReader(entry.Open())) text = r.ReadToEnd();
                entry.Delete();
                using var w = new StreamWriter(zip.CreateEntry("metadata.json").Open());
                w.Write(text.Replace("\"format_version\": 1", "\"format_version\": 99"));
            }
            var e = Assert.Throws<NetworkFileException>(() => NetworkFile.Load(path));
            Assert.Contains("version 99", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AMissingOrMisshapenArrayIsNamed()
    {
        string path = TrainedFile();
        try
        {
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                zip.GetEntry("current_Wrec.npy")!.Delete();
                using var s = zip.CreateEntry("current_Wrec.npy").Open();
                Npy.Write(s, new float[6], 2, 3);
            }
            // the latest parameters belong to the checkpoint: the trained network still loads without them
            NetworkFile.Load(path);
            var e = Assert.Throws<NetworkFileException>(() => Checkpoint.Load(path));
            Assert.Contains("current_Wrec", e.Message);
            Assert.Contains("expected (100, 100)", e.Message);
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                zip.GetEntry("Wout_raw.npy")!.Delete();
                using var s = zip.CreateEntry("Wout_raw.npy").Open();
                Npy.Write(s, new float[6], 2, 3);
            }
            var raw = Assert.Throws<NetworkFileException>(() => NetworkFile.Load(path));
            Assert.Contains("'Wout_raw' has shape (2, 3), expected (2, 100)", raw.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AMissingFileIsReported()
    {
        var e = Assert.Throws<NetworkFileException>(() => NetworkFile.Load("/nonexistent/net.npz"));
        Assert.Contains("no such file", e.Message);
    }
}
