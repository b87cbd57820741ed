using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SbeCore.Tests.Cli;

/// <summary>The CLI against bad output locations, diverging runs and concurrent sweeps into one folder.</summary>
public sealed class RobustIoCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-cli-io-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertOneLineError(string stderr, string contains)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected a one-line error, got:\n{stderr}");
        Assert.StartsWith("sbe: error: ", lines[0]);
        Assert.Contains(contains, lines[0]);
    }

    [Fact]
    public void AnOutputPathThatIsAFileOrBelowOneFailsBeforeAnyTraining()
    {
        CliTests.WriteIdx(_dir, train: 30, test: 10);
        string file = Path.Combine(_dir, "taken");
        File.WriteAllText(file, "not a folder");
        foreach (var (command, outPath) in new[] { ("train", file), ("compare", Path.Combine(file, "sub")), ("sweep", file) })
        {
            var (code, stdout, stderr) = SbeCli.Run(command, "--data", _dir, "--epochs", "50", "--hidden", "8", "--out", outPath);
            Assert.Equal(1, code);
            AssertOneLineError(stderr, "is not a folder");
            Assert.Contains(outPath, stderr);
            Assert.DoesNotContain(command == "sweep" ? "done:" : "Wrote", stdout); // nothing was trained
        }
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Fact]
    public void ADivergedRunSaysSoInsteadOfNamingAnInternalParameter()
    {
        CliTests.WriteIdx(_dir, train: 30, test: 10);
        var (code, _, stderr) = SbeCli.Run("train", "--data", _dir, "--method", "minibatch", "--lr", "1e30", "--epochs", "2", "--hidden", "8", "--out", Path.Combine(_dir, "out"));
        Assert.Equal(1, code);
        AssertOneLineError(stderr, "diverged at epoch 1, batch ");
        Assert.Contains("try a lower learning rate (--lr)", stderr);
        Assert.DoesNotContain("Parameter", stderr);
    }

    [Fact]
    public void TwoSweepsIntoOneFolderComputeEachCellOnce()
    {
        CliTests.WriteIdx(_dir, train: 60, test: 10);
        string sweep = Path.Combine(_dir, "sweep");
        // About a second of training per process, so the two runs overlap (each alone would compute every cell).
        string[] args = ["sweep", "--data", _dir, "--hidden", "8", "--methods", "sgd,minibatch", "--batches", "2,4", "--epochs", "400",
            "--stop-at-loss", "0", "--lr", "0.05", "--out", sweep, "-j", "1"];
        var runs = new[] { Task.Run(() => SbeCli.Run(args)), Task.Run(() => SbeCli.Run(args)) };
        Task.WaitAll(runs);
        int ran = 0;
        foreach (var r in runs.Select(t => t.Result))
        {
            Assert.True(r.ExitCode == 0, r.Stderr);
            var m = Regex.Match(r.Stdout, @"ran (\d+), skipped (\d+) finished cells");
            Assert.True(m.Success, r.Stdout);
            ran += int.Parse(m.Groups[1].Value);
        }
        Assert.Equal(3, ran); // together: every cell exactly once (sgd runs at batch 1 only: 1 + 2 cells)
        Assert.Equal(3, Directory.GetFiles(Path.Combine(sweep, "cells"), "*.json").Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(sweep, "cells"), "*.lock"));
    }
}
