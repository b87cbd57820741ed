using System.Text.RegularExpressions;

namespace SbeCore.Tests.Cli;

/// <summary>`sbe report`'s device section on a real (tiny) device sweep with two batch sizes and two seeds.</summary>
public sealed class DeviceReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-devrep-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RowsAreMediansPerDeviceMethodAndBatchWithCurvesAgainstBatchSize()
    {
        CliTests.WriteIdx(_dir, train: 40, test: 10);
        string sweepDir = Path.Combine(_dir, "sweep"), reportDir = Path.Combine(_dir, "report");
        var (code, _, stderr) = SbeCli.Run("sweep", "--data", _dir, "--hidden", "8", "--methods", "sgd,sbe", "--batches", "4,8",
            "--devices", "ideal,constantstep", "--seeds", "1..2", "--epochs", "1", "--stop-at-loss", "0", "--lr", "0.1", "--out", sweepDir, "-j", "1");
        Assert.True(code == 0, stderr);

        (code, _, stderr) = SbeCli.Run("report", "--sweep", sweepDir, "--devices-sweep", sweepDir, "--skip-runs", "--out", reportDir);
        Assert.True(code == 0, stderr);
        string md = File.ReadAllText(Path.Combine(reportDir, "report.md"));
        // One row per (device, method, batch), two seeds each; 40 samples, 2 layers: batch 4 -> 20 rank-1 writes and 20 matrix
        // updates, batch 8 -> 10 and 10, sgd -> 80 and 80.
        foreach (string device in new[] { "ideal", "constantstep" })
        {
            Assert.Matches(new Regex($@"\| {device} \| sbe-1 \| 4 \| 0\.1 \| 2 \| [0-9.]+ \| [0-9.]+% \([0-9.]+%-[0-9.]+%\) \| 20 \| 20 \|"), md);
            Assert.Matches(new Regex($@"\| {device} \| sbe-1 \| 8 \| 0\.1 \| 2 \| [0-9.]+ \| [0-9.]+% \([0-9.]+%-[0-9.]+%\) \| 10 \| 10 \|"), md);
            Assert.Matches(new Regex($@"\| {device} \| sgd \| 1 \| 0\.1 \| 2 \| [0-9.]+ \| [0-9.]+% \([0-9.]+%-[0-9.]+%\) \| 80 \| 80 \|"), md);
            Assert.True(File.Exists(Path.Combine(reportDir, $"devices-{device}-test-accuracy-vs-batch.png")), device);
        }
        Assert.Equal(6, Regex.Matches(md, @"^\| (ideal|constantstep) \| (sgd|sbe-1) \|", RegexOptions.Multiline).Count);
        Assert.True(File.Exists(Path.Combine(reportDir, "devices-constantstep-pulses-vs-batch.png")));
        Assert.False(File.Exists(Path.Combine(reportDir, "devices-ideal-pulses-vs-batch.png"))); // no pulses on the ideal device
        Assert.Contains("the others at batch 4, 8", md);
        Assert.Contains("The bar charts compare the methods at batch 4 (sgd at batch 1).", md); // the most common batch; ties: the smallest
        Assert.Contains("## Fig. 5", md);

        // --sweep none: the device section alone.
        string devicesOnly = Path.Combine(_dir, "devices-only");
        (code, _, stderr) = SbeCli.Run("report", "--sweep", "none", "--devices-sweep", sweepDir, "--skip-runs", "--out", devicesOnly);
        Assert.True(code == 0, stderr);
        string alone = File.ReadAllText(Path.Combine(devicesOnly, "report.md"));
        Assert.DoesNotContain("## Fig. 5", alone);
        Assert.Empty(Directory.GetFiles(devicesOnly, "fig5-*"));
        Assert.Contains("## Past the paper: the same methods through device models", alone);
    }
}
