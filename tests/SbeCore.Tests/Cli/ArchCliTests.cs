using System.Text.Json;

namespace SbeCore.Tests.Cli;

/// <summary>`--arch` on `sbe train` and `sbe compare`: conv networks from the command line.</summary>
public sealed class ArchCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-arch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(2, "--arch: architecture token 'conv6x5'", "--arch", "conv6x5")]
    [InlineData(1, "conv6k29", "--arch", "conv6k29")] // geometry is checked against the data when the network is built
    public void ABadArchitectureIsAOneLineError(int exitCode, string message, params string[] args)
    {
        CliTests.WriteIdx(_dir, train: 20, test: 10);
        var (code, _, stderr) = SbeCli.Run(["train", "--data", _dir, "--epochs", "1", "--out", Path.Combine(_dir, "o"), .. args]);
        Assert.Equal(exitCode, code);
        Assert.StartsWith("sbe: error: ", stderr);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void TrainAndCompareRunAConvNetAndRecordIt()
    {
        CliTests.WriteIdx(_dir, train: 40, test: 10);
        string outDir = Path.Combine(_dir, "t");
        var (code, stdout, stderr) = SbeCli.Run("train", "--data", _dir, "--arch", "conv4k5-pool2-fc16", "-m", "sgd", "--epochs", "1", "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("conv4k5-pool2-fc16", stdout);
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json"))))
        {
            var run = doc.RootElement.GetProperty("runs")[0];
            Assert.Equal("conv4k5-pool2-fc16", run.GetProperty("architecture").GetString());
            // sgd: 24 x 24 = 576 conv positions + 2 dense writes per sample
            Assert.Equal(40 * (576 + 2), run.GetProperty("final").GetProperty("rankOneWrites").GetInt64());
        }
        string cmpDir = Path.Combine(_dir, "c");
        (code, stdout, stderr) = SbeCli.Run("compare", "--data", _dir, "--arch", "lenet5", "--methods", "minibatch,svd,sbe", "--epochs", "1", "--jobs", "1", "--out", cmpDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("lenet5", stdout);
        Assert.True(File.Exists(Path.Combine(cmpDir, "results.json")));
    }

    [Fact]
    public void TuneCachesAConvNetApartFromTheMlp()
    {
        CliTests.WriteIdx(_dir, train: 40, test: 10);
        string cache = Path.Combine(_dir, "tune");
        string[] common = ["tune", "--data", _dir, "-m", "sbe", "--batch", "8", "--epochs", "1", "--lr-min", "0.01", "--lr-max", "0.1", "--lr-step", "1", "--refine-rounds", "0", "--out", cache];
        var (code, _, stderr) = SbeCli.Run([.. common, "--arch", "conv4k5-pool2-fc16"]);
        Assert.True(code == 0, stderr);
        (code, _, stderr) = SbeCli.Run([.. common, "--hidden", "16"]);
        Assert.True(code == 0, stderr);
        string[] keys = [.. Directory.GetFiles(cache, "*.json").Select(Path.GetFileName).Order()!];
        Assert.Equal(2, keys.Length); // the MLP did not reuse the conv net's learning rate
        Assert.Contains(keys, k => k!.Contains("-aconv4k5-pool2-fc16-"));
        Assert.Contains(keys, k => k!.Contains("-h16-"));
    }
}
