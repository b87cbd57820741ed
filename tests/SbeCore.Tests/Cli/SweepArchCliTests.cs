using System.Text.Json;
using SbeCore.Experiments;
using SbeCore.Updates;

namespace SbeCore.Tests.Cli;

/// <summary>`--arch` on `sbe sweep` and `sbe report`: cells carry the architecture; cells without one are the MLP.</summary>
public sealed class SweepArchCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-sweeparch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_conv_sweep_and_an_mlp_sweep_share_a_folder_and_the_report_picks_one()
    {
        CliTests.WriteIdx(_dir, train: 32, test: 8);
        string sweepDir = Path.Combine(_dir, "sweep"), reportDir = Path.Combine(_dir, "report");
        string[] common = ["sweep", "--data", _dir, "--methods", "sgd,sbe", "--batches", "8", "--epochs", "1", "--stop-at-loss", "0", "--lr", "0.05", "--out", sweepDir, "-j", "1"];
        var (code, _, stderr) = SbeCli.Run([.. common, "--arch", "Conv4k5s2-pool2-fc16"]);
        Assert.True(code == 0, stderr);
        (code, _, stderr) = SbeCli.Run([.. common, "--hidden", "8"]);
        Assert.True(code == 0, stderr);
        string[] keys = [.. Directory.GetFiles(Path.Combine(sweepDir, "cells"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order()];
        Assert.Equal(["sbe-1_b00008_ideal_s1", "sbe-1_b00008_ideal_s1_aconv4k5s2-pool2-fc16", "sgd_b00001_ideal_s1", "sgd_b00001_ideal_s1_aconv4k5s2-pool2-fc16"], keys);
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(sweepDir, "cells", "sgd_b00001_ideal_s1_aconv4k5s2-pool2-fc16.json"))))
        {
            var cell = doc.RootElement;
            Assert.Equal("conv4k5s2-pool2-fc16", cell.GetProperty("architecture").GetString());
            Assert.Equal([784, 4, 16, 10], cell.GetProperty("layers").EnumerateArray().Select(e => e.GetInt32()));
            // sgd: 12 x 12 conv positions ((28 - 5) / 2 + 1 = 12) + 2 dense writes per sample
            Assert.Equal(32 * (144 + 2), cell.GetProperty("rankOneWrites").GetInt64());
        }

        (code, _, stderr) = SbeCli.Run("report", "--sweep", sweepDir, "--devices-sweep", "none", "--skip-runs", "--thresholds", "5", "--out", reportDir);
        Assert.Equal(1, code);
        Assert.Contains("several networks (conv4k5s2-pool2-fc16, mlp)", stderr.Replace("(mlp, conv4k5s2-pool2-fc16)", "(conv4k5s2-pool2-fc16, mlp)", StringComparison.Ordinal));
        (code, _, stderr) = SbeCli.Run("report", "--sweep", sweepDir, "--devices-sweep", "none", "--skip-runs", "--thresholds", "5", "--arch", "conv4k5s2-pool2-fc16", "--out", reportDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("conv4k5s2-pool2-fc16 relu, ideal device", File.ReadAllText(Path.Combine(reportDir, "report.md")));
        (code, _, stderr) = SbeCli.Run("report", "--sweep", sweepDir, "--devices-sweep", "none", "--skip-runs", "--thresholds", "5", "--arch", "mlp", "--out", reportDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("784-8-10 relu, ideal device", File.ReadAllText(Path.Combine(reportDir, "report.md")));
    }

    [Fact]
    public void A_cell_file_without_an_architecture_reads_as_the_mlp_and_keeps_its_key()
    {
        string json = """{"version":1,"complete":true,"key":"sbe-1_b00032_ideal_s1","method":"sbe-1","rank":1,"batchSize":32,"device":"ideal","seed":1,"layers":[784,100,10]}""";
        var cell = JsonSerializer.Deserialize(json, ExperimentsJson.Default.CellResult)!;
        Assert.Null(cell.Architecture);
        Assert.Equal("784-100-10", cell.NetworkName);
        Assert.Equal("sbe-1_b00032_ideal_s1", new SweepCell(UpdateMethod.Sbe, 1, 32, "ideal", 1).Key);
        Assert.Equal("sbe-1_b00032_ideal_s1_alenet5", new SweepCell(UpdateMethod.Sbe, 1, 32, "ideal", 1, "lenet5").Key);
    }
}
