namespace SbeCore.Tests.Cli;

/// <summary>`sbe train --checkpoint` / `--resume`: an interrupted run continues to the same bits.</summary>
public sealed class CheckpointCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sbe-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Train(string method, int epochs, string outName, params string[] extra)
        => ["train", "--data", _dir, "-m", method, "--arch", "conv4k5s2-pool2-fc16", "--device", "ecram", "--batch", "8", "--evals-per-epoch", "2",
            "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", Path.Combine(_dir, outName), .. extra];

    [Fact]
    public void A_resumed_run_ends_with_the_checkpoint_and_history_of_the_uninterrupted_one()
    {
        CliTests.WriteIdx(_dir, train: 48, test: 12);
        string full = Path.Combine(_dir, "full.sbenet"), part = Path.Combine(_dir, "part.sbenet");
        var (code, _, stderr) = SbeCli.Run(Train("sbe", 3, "full", "--checkpoint", full));
        Assert.True(code == 0, stderr);
        (code, _, stderr) = SbeCli.Run(Train("sbe", 1, "part", "--checkpoint", part));
        Assert.True(code == 0, stderr);
        (code, _, stderr) = SbeCli.Run(Train("sbe", 3, "resumed", "--resume", part, "--checkpoint", part));
        Assert.True(code == 0, stderr);
        Assert.Equal(File.ReadAllBytes(full), File.ReadAllBytes(part));
        // history.csv minus the timing column: the resumed rows are the uninterrupted run's from epoch 1 on.
        static string[] Rows(string dir) => [.. File.ReadAllLines(Path.Combine(dir, "history.csv")).Skip(1).Select(l => l[..l.LastIndexOf(',')])];
        string[] whole = Rows(Path.Combine(_dir, "full")), resumed = Rows(Path.Combine(_dir, "resumed"));
        Assert.Equal(whole[^resumed.Length..], resumed);
        Assert.Equal(5, resumed.Length); // epoch 1, then two evaluations in each of epochs 2 and 3
    }

    [Fact]
    public void Resuming_with_another_network_or_a_bad_file_is_a_one_line_error()
    {
        CliTests.WriteIdx(_dir, train: 24, test: 8);
        string part = Path.Combine(_dir, "part.sbenet");
        var (code, _, stderr) = SbeCli.Run(Train("sbe", 1, "part", "--checkpoint", part));
        Assert.True(code == 0, stderr);
        (code, _, stderr) = SbeCli.Run(Train("sgd", 2, "x", "--resume", part));
        Assert.Equal(1, code);
        Assert.Contains("is not this one", stderr);
        (code, _, stderr) = SbeCli.Run(Train("sbe", 1, "x", "--resume", part));
        Assert.Contains("leaves nothing to do", stderr);
        File.WriteAllText(Path.Combine(_dir, "bad.sbenet"), "not a checkpoint at all, just text");
        (code, _, stderr) = SbeCli.Run(Train("sbe", 2, "x", "--resume", Path.Combine(_dir, "bad.sbenet")));
        Assert.Equal(1, code);
        Assert.Contains("Not a network checkpoint", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
